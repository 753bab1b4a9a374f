#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Threat: a local fault -- the resolver's clock 40 days ahead -- makes
# every answer bogus (the root's own signatures look expired). autonta
# must see a local fault, never put an NTA anywhere.
. "$(dirname "$0")/lib.sh"

lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[ -n "$lib" ] || fail "libfaketime not installed (package faketime)"
echo "+0" >"$AUTONTA_LAB/faketime"
export AUTONTA_LAB_WRAPPER="env LD_PRELOAD=$lib FAKETIME_TIMESTAMP_FILE=$AUTONTA_LAB/faketime FAKETIME_NO_CACHE=1"
write_autonta_conf
lab up
expect_ad www.sld1.de
expect_ad www.sld1.nl
ok "baseline with the clock right"

mark_events
echo "+40d" >"$AUTONTA_LAB/faketime"
lab flush >/dev/null
out=$(lab query www.sld2.nl || true)
case $out in *SERVFAIL*) ;; *) fail "clock +40d but: $out" ;; esac
note "clock +40 d: $out"
for t in de nl; do lab load --tld "$t" --count 300 --rate 300 >/dev/null; done
wait_event 8 '.event == "local_fault_suspected"' || fail "no local_fault_suspected event"
sleep 2
events_since | jq -c 'select(.event == "local_fault_suspected" or .event == "nta_refused") | {event, zone, reason, root_failing, failing_tlds}' | head -n 4 | sed 's/^/note: /'
[ -z "$(events_since | jq -c 'select(.event == "nta_added" or .event == "nta_recommended")')" ] \
	|| fail "an NTA was added during a local fault"
[ -z "$(lab ctl list_insecure)" ] || fail "list_insecure is not empty"
ok "every zone bogus at once (clock +40 d): local_fault_suspected, no NTA"
