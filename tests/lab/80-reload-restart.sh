#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Reload and restart during an incident, under load, with num-threads 4:
# de. is broken and NTA'd; then 10 `unbound-control reload`s, 10 SIGHUPs,
# one graceful restart and one kill -9 + start. After every one the NTA is
# back in Unbound's anchor tree (list_insecure) from the state file and
# names under de. resolve. A probe asks a new name under de. every 50 ms
# throughout and the SERVFAILs it sees measure the gap. Then the NTA
# reaches its maximum lifetime and is lifted; nothing of it remains, and a
# restart after that does not bring it back.
. "$(dirname "$0")/lib.sh"
export AUTONTA_LAB_THREADS=4
lifetime=60
max_lifetime=90
write_autonta_conf "recheck-interval: 5\nnta-lifetime: $lifetime\nnta-max-lifetime: $max_lifetime\n"
lab up
expect_ad www.sld1.de
ok "lab up with num-threads 4"

# the probe: one new name under de. every 50 ms; a line "EPOCH RCODE"
start_probe() {
	setsid bash -c 'i=0
		while :; do
			i=$((i + 1))
			r=$(dig @127.0.0.1 -p "$1" +dnssec +time=1 +tries=1 \
				"p$i.sld$((i % 120)).de" A 2>/dev/null \
				| sed -n "s/.*status: \([A-Z]*\).*/\1/p")
			echo "$(date +%s.%N | cut -c1-14) ${r:-TIMEOUT}"
			sleep 0.05
		done' probe "$AUTONTA_LAB_PORT" >"$AUTONTA_LAB/probe.out" 2>&1 &
	probe_pid=$!
}
stop_group() { # PIDVAR
	local p=${!1:-}
	[ -n "$p" ] || return 0
	kill -TERM -- "-$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	eval "$1="
}
stop_bg() { stop_group load_pid; stop_group probe_pid; }
exit_hooks+=(stop_bg)

# nta_in_unbound: de. is in the anchor tree again within 5 s
nta_in_unbound() {
	local i
	for i in $(seq 50); do
		[ "$(lab ctl list_insecure 2>/dev/null | tr '\n' ' ')" = "de. " ] && return 0
		sleep 0.1
	done
	return 1
}

mark_events
lab break de ksk-mismatch >/dev/null
start_load 50	# background traffic under de. (lib.sh)
wait_event 20 '.event == "nta_added" and .zone == "de."' || fail "no NTA for de. within 20 s"
nta_in_unbound || fail "list_insecure does not show de."
jq -e '.ntas | map(select(.zone == "de." and .state == "active")) | length == 1' \
	"$AUTONTA_LAB/autonta.state" >/dev/null || fail "the state file does not hold the active NTA"
ok "NTA for de. added and saved in the state file"
start_probe
sleep 2

pid=$(cat "$AUTONTA_LAB/unbound/unbound.pid")
for i in $(seq 20); do
	mark_events
	if [ $((i % 2)) = 1 ]; then
		lab ctl reload >/dev/null || fail "reload $i failed"
	else
		kill -HUP "$pid"
	fi
	wait_event 10 '.event == "nta_restored" and .zone == "de."' \
		|| fail "reload $i: the NTA was not restored"
	nta_in_unbound || fail "reload $i: de. not in list_insecure"
	kill -0 "$pid" 2>/dev/null || fail "reload $i: Unbound (pid $pid) is gone"
	sleep 0.5
done
ms=$(events_since | jq -r 'select(.event == "nta_restored") | .start_to_effect_ms' | head -n 1)
ok "20 reloads (10 unbound-control reload, 10 SIGHUP): the NTA came back every time (last: ${ms} ms after autonta's start)"

mark_events
lab restart >/dev/null || fail "graceful restart failed"
wait_event 10 '.event == "nta_restored" and .zone == "de."' || fail "restart: the NTA was not restored"
nta_in_unbound || fail "restart: de. not in list_insecure"
ok "graceful restart: NTA restored"

mark_events
lab restart --kill >/dev/null || fail "kill -9 and start failed"
wait_event 10 '.event == "nta_restored" and .zone == "de."' || fail "kill -9: the NTA was not restored"
nta_in_unbound || fail "kill -9: de. not in list_insecure"
ok "kill -9 + start: NTA restored from the state file"
sleep 2
stop_group probe_pid

# the gap: SERVFAILs the probe saw while all this went on
total=$(wc -l <"$AUTONTA_LAB/probe.out")
sf=$(grep -c ' SERVFAIL$' "$AUTONTA_LAB/probe.out" || true)
to=$(grep -c ' TIMEOUT$' "$AUTONTA_LAB/probe.out" || true)
note "probe: $total queries, $sf SERVFAIL, $to without an answer in 1 s (reloads and restarts)"
[ "$total" -ge 100 ] || fail "the probe asked only $total names"
[ "$sf" -le 2 ] || fail "$sf SERVFAILs under the NTA across reloads and restarts (allowed: 2)"
ok "names under de. kept resolving: $sf SERVFAIL in $total probe queries"
for n in www.sld5.de a.sld77.de; do
	out=$(lab query "$n") || fail "$n under the NTA after the restarts: $out"
done
expect_ad www.sld3.nl

# no sanitizer or crash: Unbound answered all along and logged no fatal error
grep -q 'fatal error' "$AUTONTA_LAB_UNBOUND_LOG" && fail "Unbound logged a fatal error"

# the end of the NTA's life: lifted at its maximum lifetime, nothing left
stop_group load_pid
mark_events
added=$(jq -r '.ntas[] | select(.zone == "de.") | .added' "$AUTONTA_LAB/autonta.state")
left=$((added + max_lifetime - $(date +%s) + 15))
wait_event "$left" '.event == "nta_lifted" and .zone == "de."' || fail "the NTA was not lifted at its maximum lifetime"
reason=$(events_since | jq -r 'select(.event == "nta_lifted") | .reason' | head -n 1)
[ "$reason" = expired ] || fail "lifted for '$reason', want expired"
sleep 1.5
[ -z "$(lab ctl list_insecure)" ] || fail "an NTA is left in Unbound after the lift: $(lab ctl list_insecure)"
jq -e '.ntas | length == 0' "$AUTONTA_LAB/autonta.state" >/dev/null || fail "the state file still holds an NTA"
ok "lifted at its maximum lifetime ($max_lifetime s, reason expired); list_insecure and the state file are empty"
mark_events
lab restart >/dev/null
sleep 2
has_event '.event == "nta_restored"' && fail "an expired NTA came back after a restart"
[ -z "$(lab ctl list_insecure)" ] || fail "an NTA is in Unbound after the restart"
ok "no orphaned NTA after a restart"
