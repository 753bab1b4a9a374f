# SPDX-License-Identifier: BSD-3-Clause
# Shared body of the TLD break tests: break de. with MODE, send load under
# de., and check that autonta attributes the bogus answers to de. (and to
# nothing else), while names under nl. keep validating.
# Usage (from a test): . tld_break.sh; tld_break_test MODE
tld_break_test() {
	local mode=$1 summary zones bogus_de bogus_all
	write_autonta_conf
	lab up
	expect_ad www.sld1.de
	expect_ad www.sld1.nl
	ok "baseline: de. and nl. validate"

	mark_events
	lab break de "$mode"
	summary=$(lab load --tld de --count 600 | head -n 1)
	note "load under de. after the break: $summary"
	case $summary in *SERVFAIL=0*) fail "no SERVFAIL under de. after $mode" ;; esac
	expect_ad www.sld2.nl
	expect_ad a.sld77.nl
	ok "names under nl. keep validating (AD) while de. is broken"

	wait_event 6 '.event == "zone_stats" and .zone == "de."' \
		|| fail "no zone_stats event naming de."
	sleep 1.5	# let the last interval close
	zones=$(events_since | jq -r 'select(.event == "zone_stats") | .zone' | sort -u | tr '\n' ' ')
	bogus_de=$(events_since | jq -s 'map(select(.event == "zone_stats" and .zone == "de.") | .bogus) | add // 0')
	bogus_all=$(events_since | jq -s 'map(select(.event == "zone_stats") | .bogus) | add // 0')
	note "zones blamed: $zones; bogus attributed to de.: $bogus_de of $bogus_all"
	[ "$zones" = "de. " ] || fail "bogus answers blamed on other zones than de.: $zones"
	ok "$mode: every bogus answer is attributed to de. ($bogus_de)"
	events_since | jq -c 'select(.event == "zone_stats" and .zone == "de.")
		| {zone, bogus, distinct_qnames, ede, steps}' | head -n 2 | sed 's/^/note: /'
}
