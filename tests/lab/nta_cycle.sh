# SPDX-License-Identifier: BSD-3-Clause
# Shared body of the main-job tests: break de. with MODE under a steady
# load of distinct names; autonta must install an NTA for exactly de.
# within seconds, names under de. must then resolve (without AD) while nl.
# keeps AD; after the fix, the recheck must lift the NTA within the recheck
# interval plus a margin, and AD must come back, also for names answered
# during the NTA.
# Usage (from a test): . nta_cycle.sh; nta_cycle_test MODE
recheck=5

# t_of JQ-SELECT: epoch seconds (with ms) of the first matching event
t_of() {
	events_since | jq -r "select($1) | .time" | head -n 1 \
		| { read -r t && date -d "$t" +%s.%3N; }
}

nta_cycle_test() {
	local mode=$1 t_break t_added t_fix t_lift failed n out list
	write_autonta_conf "recheck-interval: $recheck\n"
	lab up
	expect_ad www.sld1.de
	expect_ad www.sld1.nl
	ok "baseline: de. and nl. validate"

	mark_events
	exit_hooks+=(stop_load)
	t_break=$(date +%s.%3N)
	lab break de "$mode" >/dev/null
	start_load
	wait_event 15 '.event == "nta_added"' || fail "no NTA within 15 s of the break"
	t_added=$(t_of '.event == "nta_added"')
	zone=$(events_since | jq -r 'select(.event == "nta_added") | .zone' | sort -u | tr '\n' ' ')
	[ "$zone" = "de. " ] || fail "NTAs added for: $zone (want only de.)"
	note "$mode: NTA for de. effective $(awk "BEGIN { print $t_added - $t_break }") s after the break"
	events_since | jq -c 'select(.event == "nta_added") | {zone, bogus, total, bogus_percent, distinct_children, ede, steps, flushed, decision_to_effect_ms}' | sed 's/^/note: /'
	# the evidence: every server of de. asked over TCP, all failing
	has_event '.event == "nta_added" and .confirmation.verdict == "confirmed"
		and .confirmation.transport == "tcp"
		and (.confirmation.servers | length) == 2
		and all(.confirmation.servers[]; .verdict == "bogus")' \
		|| fail "nta_added without confirmation from both de. servers"
	note "evidence: $(events_since | jq -c 'select(.event == "nta_added") | .confirmation
		| {verdict, ds: [.ds[].key_tag], servers: [.servers[] | {address, key_tags, dnskey_matches_ds, verdict}], duration_ms}')"
	list=$(lab ctl list_insecure | tr '\n' ' ')
	[ "$list" = "de. " ] || fail "list_insecure shows: '$list' (want de.)"
	ok "exactly one NTA, for de.; unbound-control list_insecure shows it"

	sleep 1
	# names that failed before the NTA now resolve, without AD
	failed=$(events_since | jq -r 'select(.event == "nta_added") | .sample_qnames[]' | head -n 5)
	for n in $failed www.sld50.de a.usld5.de nozone7.de; do
		out=$(lab query "$n") || fail "$n under the NTA: $out"
		case $out in *" ad=0 "*) ;; *) fail "$n answered with AD under the NTA: $out" ;; esac
	done
	expect_ad www.sld3.nl
	expect_ad b.sld99.nl
	ok "under the NTA, names under de. resolve without AD; nl. keeps AD"

	t_fix=$(date +%s.%3N)
	lab fix de >/dev/null
	wait_event $((recheck + 10)) '.event == "nta_lifted"' \
		|| fail "NTA not lifted within $((recheck + 10)) s of the fix"
	t_lift=$(t_of '.event == "nta_lifted"')
	reason=$(events_since | jq -r 'select(.event == "nta_lifted") | .reason' | head -n 1)
	[ "$reason" = revalidated ] || fail "lifted for '$reason', want revalidated"
	note "$mode: NTA lifted $(awk "BEGIN { print $t_lift - $t_fix }") s after the fix (recheck-interval $recheck s)"
	sleep 0.5
	stop_load
	[ -z "$(lab ctl list_insecure)" ] || fail "NTA still in Unbound's anchor tree after the lift"
	for n in $failed www.sld50.de a.sld1.de; do expect_validated "$n"; done
	ok "after the fix the NTA is lifted and AD is back, also for names answered during the NTA"
	out=$(lab load --tld de --count 300 | head -n 1)
	case $out in *SERVFAIL=0*) ;; *) fail "SERVFAIL after the lift: $out" ;; esac
	ok "after the lift: $out"
	n=$(events_since | jq -s 'map(select(.event == "nta_added")) | length')
	[ "$n" = 1 ] || fail "$n NTAs added during the test (want 1)"
}
