#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# NSEC3 with iterations above Unbound's limit makes denials insecure, not
# bogus: no spike, no NTA.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
expect_ad www.sld1.de
mark_events
lab break de nsec3-iterations >/dev/null
lab load --tld de --count 400 --rate 200 | head -n 1 | sed 's/^/note: /'
lab load --tld de --nonexistent --count 400 --rate 200 | head -n 1 | sed 's/^/note: /'
sleep 2
out=$(lab query nozone3.de) || true
note "nozone3.de: $out"
[ -z "$(events_since | jq -c 'select(.event == "spike_detected" or .event == "nta_added")')" ] \
	|| fail "a spike or an NTA for NSEC3 above the iteration limit"
ok "NSEC3 with 500 iterations: insecure answers, no spike, no NTA"
