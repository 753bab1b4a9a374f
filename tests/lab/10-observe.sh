#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module loads into the real Unbound, passes queries through, writes
# module_started with the effective configuration, and counts verdicts:
# secure names under both TLDs, insecure ones under unsigned children.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
grep -q 'autonta: started' "$AUTONTA_LAB_UNBOUND_LOG" || fail "no start line in unbound.log"
jq -e -s 'map(select(.event == "module_started")) | length == 1' "$events" >/dev/null \
	|| fail "no module_started event"
jq -e -s 'map(select(.event == "module_started"))[0].config["stats-interval"] == 1' "$events" >/dev/null \
	|| fail "module_started does not show the effective configuration"
ok "module_started written with the effective configuration"

mark_events
for n in www.sld1.de www.sld2.nl a.sld3.de mail.sld4.nl; do expect_ad "$n"; done
out=$(lab query www.usld1.de)
case $out in *" ad=0 "*) ;; *) fail "unsigned child answered with AD: $out" ;; esac
ok "names under signed children validate (AD), unsigned ones answer without AD"

wait_event 5 '.event == "stats" and .outcomes.secure >= 4 and .outcomes.insecure >= 1' \
	|| fail "no stats event counting the secure and insecure outcomes"
if has_event '.event == "zone_stats"'; then
	fail "zone_stats without any bogus answer"
fi
ok "stats counts secure and insecure verdicts; no zone_stats without bogus answers"

# num-threads 2: both workers hand outcomes to autonta's thread
lab load --tld nl --count 600 >/dev/null
lab ctl stats_noreset | grep -q '^thread1.num.queries=[1-9]' || note "thread 1 got no queries"
wait_event 5 '.event == "stats" and .outcomes.secure >= 100' \
	|| fail "load outcomes not counted"
ok "load of 600 queries counted"

lab down
jq -e -s 'map(select(.event == "module_stopped")) | length == 1' "$events" >/dev/null \
	|| fail "no module_stopped event at shutdown"
ok "module_stopped written at shutdown"
