#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One broken second-level zone: autonta blames that child, never de.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
expect_ad www.sld7.de
mark_events
lab break de child-broken sld7.de
for n in www.sld7.de mail.sld7.de a.sld7.de b.sld7.de sld7.de; do expect_servfail "$n"; done
ok "names under sld7.de. fail (SERVFAIL)"
for n in www.sld8.de www.sld100.de a.sld1.de www.sld7.nl; do expect_ad "$n"; done
ok "its siblings and nl. keep validating"
lab load --tld de --count 300 >/dev/null
wait_event 6 '.event == "zone_stats" and .zone == "sld7.de."' \
	|| fail "no zone_stats naming sld7.de."
sleep 1.5
zones=$(events_since | jq -r 'select(.event == "zone_stats") | .zone' | sort -u | tr '\n' ' ')
[ "$zones" = "sld7.de. " ] || fail "bogus answers blamed on: $zones (want only sld7.de.)"
ok "every bogus answer is attributed to sld7.de., none to de."
