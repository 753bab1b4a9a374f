#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Every autonta-control command against the running lab resolver, in
# approve mode during a real de. break: status, list, show, approve, reject,
# remove (respected with a cooldown), add (manual, with its lifetime),
# mode (kept across a reload), stats, reopen-log, check-config; the exit
# codes; and every --json reply validated against schema/control.schema.json.
. "$(dirname "$0")/lib.sh"

replies=$AUTONTA_LAB/control-replies.jsonl
schema=$top/schema/control.schema.json
: >"$replies" 2>/dev/null || { mkdir -p "$AUTONTA_LAB"; : >"$replies"; }

# jctl ARGS: autonta-control --json, the reply kept for the schema check;
# prints the reply, returns the tool's exit status
jctl() {
	local out rc=0
	out=$(actl --json "$@") || rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" >>"$replies"
	printf '%s\n' "$out"
	return $rc
}
# expect_rc N ARGS: autonta-control ARGS exits with N
expect_rc() {
	local want=$1 rc=0
	shift
	"$top/tools/autonta-control" "$@" >"$AUTONTA_LAB/out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || { cat "$AUTONTA_LAB/out"; fail "autonta-control $*: exit $rc, expected $want"; }
}

write_autonta_conf "mode: approve\nrecheck-interval: 5\noperator-cooldown: 600\n"
lab up
expect_ad www.sld1.de
expect_ad www.sld1.nl

[ "$(stat -c %a "$AUTONTA_LAB_CTL")" = 660 ] || fail "socket mode $(stat -c %a "$AUTONTA_LAB_CTL")"
r=$(jctl status) || fail "status: $r"
[ "$(jq -r .mode <<<"$r")" = approve ] || fail "status: mode: $r"
[ "$(jq -r .ntas_active <<<"$r")" = 0 ] || fail "status: ntas_active: $r"
actl status | grep -q '^mode  *approve$' || fail "status: the table has no mode line"
[ "$(actl list)" = "no NTAs" ] || fail "list: not empty"
ok "status and list on an idle resolver (socket mode 0660)"

# --- approve ---------------------------------------------------------
mark_events
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
wait_event 20 '.event == "nta_recommended" and .zone == "de."' || fail "no nta_recommended for de."
id=$(events_since | jq -r 'select(.event == "nta_recommended") | .id' | head -n 1)
r=$(jctl list)
[ "$(jq -r '.ntas[] | select(.zone == "de.") | .state' <<<"$r")" = awaiting-approval ] || fail "list: $r"
[ "$(jq -r '.ntas[] | select(.zone == "de.") | .id' <<<"$r")" = "$id" ] || fail "list: id: $r"
actl list | grep -q "recommendation $id" || fail "list: the table does not show the id"
expect_rc 1 -s "$AUTONTA_LAB_CTL" approve de. 00000000
grep -q 'not the one awaiting approval' "$AUTONTA_LAB/out" || fail "approve with a wrong id: $(cat "$AUTONTA_LAB/out")"
[ -z "$(lab ctl list_insecure)" ] || fail "installed on a wrong id"
r=$(jctl approve de. "$id") || fail "approve: $r"
[ "$(jq -r .nta.state <<<"$r")" = active ] || fail "approve: reply: $r"
[ "$(lab ctl list_insecure | tr -d '\n')" = de. ] || fail "approve: list_insecure: $(lab ctl list_insecure)"
out=$(lab query www.sld3.de) || fail "approve: still failing: $out"
has_event '.event == "nta_approved" and .by.via == "autonta-control" and .by.uid == 0' || fail "no nta_approved with the requester"
ok "approve de. $id: in force when the command returns ($(jq -r .nta.remaining_s <<<"$r") s left)"

r=$(jctl list)
e=$(jq -c '.ntas[] | select(.zone == "de.")' <<<"$r")
[ "$(jq -r .owner <<<"$e")" = autonta ] || fail "list: owner: $e"
[ "$(jq -r .evidence.servers_bogus <<<"$e")" = 2 ] || fail "list: evidence: $e"
[ "$(jq -r .evidence.dnskey_matches_ds <<<"$e")" = false ] || fail "list: evidence: $e"
actl list | grep -E -q '^de\. +active +autonta .*2/2 servers bogus, no DNSKEY matches the DS' ||
	{ actl list; fail "list: the table"; }
r=$(jctl show de.)
[ "$(jq -r .unbound_anchor <<<"$r")" = insecure ] || fail "show: anchor: $r"
[ "$(jq -r '.nta.evidence.confirmation.servers | length' <<<"$r")" = 2 ] || fail "show: full evidence: $r"
for ev in spike_detected nta_recommended nta_approved nta_added; do
	jq -e --arg e "$ev" '[.events[].event] | index($e)' <<<"$r" >/dev/null || fail "show: no $ev in the events"
done
[ "$(jq -r .last_secure <<<"$r")" != null ] || fail "show: no last_secure"
actl show de. | grep -q 'dnskey_matches_ds' || fail "show: the text has no evidence"
ok "list and show: owner, evidence summary, full evidence, the zone's events"

# --- remove: respected, with a cooldown -----------------------------
mark_events
r=$(jctl remove de.) || fail "remove: $r"
[ -z "$(lab ctl list_insecure)" ] || fail "remove: list_insecure: $(lab ctl list_insecure)"
has_event '.event == "nta_lifted" and .reason == "control" and .by.uid == 0' || fail "no nta_lifted reason control"
r=$(jctl list)
[ "$(jq -r '.ntas[] | select(.zone == "de.") | .state' <<<"$r")" = cooldown ] || fail "remove: no cooldown: $r"
[ "$(jq -r '.ntas[] | select(.zone == "de.") | .operator_removed' <<<"$r")" = true ] || fail "remove: $r"
lab load --tld de --count 200 --rate 100 >/dev/null
wait_event 15 '.event == "nta_refused" and .reason == "operator-cooldown"' || fail "no nta_refused operator-cooldown"
[ -z "$(lab ctl list_insecure)" ] || fail "re-added within the cooldown"
expect_rc 1 -s "$AUTONTA_LAB_CTL" remove de.
grep -q 'not-found' "$AUTONTA_LAB/out" || fail "second remove: $(cat "$AUTONTA_LAB/out")"
ok "remove de.: lifted at once, not re-added within operator-cooldown"

# --- reject --------------------------------------------------------------
mark_events
lab break nl ksk-mismatch >/dev/null
lab load --tld nl --count 200 --rate 100 >/dev/null
wait_event 20 '.event == "nta_recommended" and .zone == "nl."' || fail "no nta_recommended for nl."
r=$(jctl reject nl.) || fail "reject: $r"
has_event '.event == "nta_rejected" and .zone == "nl." and .by.via == "autonta-control"' || fail "no nta_rejected"
[ "$(jq -r '.ntas[] | select(.zone == "nl.") | .state' <<<"$(jctl list)")" = cooldown ] || fail "reject: not in cooldown"
expect_rc 1 -s "$AUTONTA_LAB_CTL" reject nl.
ok "reject nl.: turned down, nothing installed"

# --- add: manual, expiring ------------------------------------------
expect_rc 1 -s "$AUTONTA_LAB_CTL" add . 
expect_rc 2 -s "$AUTONTA_LAB_CTL" add nl. --lifetime soon
expect_rc 2 -s "$AUTONTA_LAB_CTL" add nl. --lifetime 10	# autonta says usage
mark_events
r=$(jctl add nl. --lifetime 1m) || fail "add: $r"
[ "$(jq -r .nta.owner <<<"$r")" = manual ] || fail "add: owner: $r"
[ "$(jq -r .nta.remaining_s <<<"$r")" -le 60 ] || fail "add: lifetime: $r"
out=$(lab query www.sld3.nl) || fail "add: nl. still failing: $out"
case $out in *" ad=0 "*) ;; *) fail "add: answered with AD under an NTA: $out" ;; esac
lab ctl list_insecure | grep -qx nl. || fail "add: not in list_insecure"
actl list | grep -E -q '^nl\. +active +manual .*manual \(uid 0\)' || { actl list; fail "add: the table"; }
expect_rc 1 -s "$AUTONTA_LAB_CTL" add nl.
# an operator's own NTA is not autonta's to remove
lab ctl insecure_add sld9.de >/dev/null
expect_rc 1 -s "$AUTONTA_LAB_CTL" remove sld9.de.
grep -q 'not-autonta' "$AUTONTA_LAB/out" || fail "remove of an operator NTA: $(cat "$AUTONTA_LAB/out")"
expect_rc 1 -s "$AUTONTA_LAB_CTL" add sld9.de.
lab ctl list_insecure | grep -qx sld9.de. || fail "the operator's NTA is gone"
lab ctl insecure_remove sld9.de >/dev/null
# the manual NTA is rechecked (nl. is still broken) but lives its minute, no more
wait_event 75 '.event == "nta_lifted" and .zone == "nl." and .reason == "expired"' || fail "manual NTA did not expire"
has_event '.event == "nta_extended" and .zone == "nl."' && fail "a manual NTA was extended"
lab ctl list_insecure | grep -qx nl. && fail "nl. still in list_insecure after expiry"
ok "add nl. --lifetime 1m: in force at once, owner manual, gone after its minute"

# --- mode, kept across a reload ---------------------------------------
r=$(jctl mode enforce) || fail "mode: $r"
[ "$(jq -r .from <<<"$r")" = approve ] || fail "mode: $r"
expect_rc 2 -s "$AUTONTA_LAB_CTL" mode off
mark_events
lab ctl reload >/dev/null
wait_event 20 '.event == "module_started"' || fail "no module_started after the reload"
wait_event 10 '.event == "mode_changed" and .reason == "restored" and .to == "enforce"' || fail "no mode_changed restored"
r=$(jctl status)
[ "$(jq -r .mode <<<"$r")" = enforce ] || fail "mode after reload: $r"
[ "$(jq -r .configured_mode <<<"$r")" = approve ] || fail "configured mode: $r"
[ "$(jq -r .mode_set <<<"$r")" != null ] || fail "mode_set: $r"
ok "mode enforce: in force, and still after a reload (configured: approve)"

# --- stats, reopen-log ----------------------------------------------
r=$(jctl stats) || fail "stats: $r"
[ "$(jq -r .events.module_started <<<"$r")" -ge 1 ] || fail "stats: $r"
mv "$events" "$events.rotated"
r=$(jctl reopen-log) || fail "reopen-log: $r"
[ "$(head -n 1 "$events" | jq -r .event)" = log_reopened ] || fail "reopen-log: the new file starts with $(head -c 200 "$events")"
mark=0
ok "stats; reopen-log: a fresh file after a rotation, starting with log_reopened"

# --- errors and exit codes --------------------------------------------
expect_rc 2 -s "$AUTONTA_LAB_CTL"
expect_rc 2 -s "$AUTONTA_LAB_CTL" frob
expect_rc 2 -s "$AUTONTA_LAB_CTL" show not..a.name
expect_rc 3 -s "$AUTONTA_LAB/no-such.sock" status
r=$(python3 - "$AUTONTA_LAB_CTL" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"AUTONTA/2 status\n")
print(s.makefile().readline().strip())
EOF
)
printf '%s\n' "$r" >>"$replies"
[ "$(jq -r .code <<<"$r")" = version ] || fail "another protocol version: $r"
# a server that is not autonta: exit 4
rm -f "$AUTONTA_LAB/fake.sock" "$AUTONTA_LAB/fake.ready"
python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[2], "w").close()
c,_=s.accept(); c.recv(100); c.sendall(b"hello\n"); c.close()' "$AUTONTA_LAB/fake.sock" "$AUTONTA_LAB/fake.ready" &
for _ in $(seq 50); do [ -e "$AUTONTA_LAB/fake.ready" ] && break; sleep 0.1; done
expect_rc 4 -s "$AUTONTA_LAB/fake.sock" status
wait
ok "exit codes: 2 usage, 3 no socket, 4 not autonta; version mismatch answered with code version"

# --- check-config, offline ------------------------------------------
expect_rc 0 check-config "$AUTONTA_LAB_CONF"
grep -q '^mode: approve$' "$AUTONTA_LAB/out" || fail "check-config: not printed normalised"
printf 'mode: approve\ncontrol-socket: ""\n' >"$AUTONTA_LAB/bad.conf"
expect_rc 1 check-config "$AUTONTA_LAB/bad.conf"
grep -q 'mode approve needs a control-socket or an approval-file' "$AUTONTA_LAB/out" || fail "check-config: $(cat "$AUTONTA_LAB/out")"
expect_rc 2 check-config
printf 'control-socket: ""\n' >"$AUTONTA_LAB/nosock.conf"
expect_rc 3 -c "$AUTONTA_LAB/nosock.conf" status
grep -q 'sets no control-socket' "$AUTONTA_LAB/out" || fail "no socket configured: $(cat "$AUTONTA_LAB/out")"
ok "check-config: 0 and the effective configuration, 1 and the error; 3 when the file sets no socket"

# --- the socket goes with Unbound ------------------------------------
lab down >/dev/null
[ ! -e "$AUTONTA_LAB_CTL" ] || fail "the socket file is left after Unbound stopped"
ok "the socket file is removed when Unbound stops"

/usr/bin/python3 "$top/tests/schema/check-json.py" "$schema" "$replies" || fail "a --json reply does not match the schema"
ok "$(wc -l <"$replies") --json replies valid against schema/control.schema.json"
