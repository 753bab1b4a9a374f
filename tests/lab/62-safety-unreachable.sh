#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# SERVFAIL without bogus: both servers of de. stop answering. Names under
# de. fail, but nothing is bogus, so autonta detects no spike.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
expect_ad www.sld1.de
mark_events
for i in de1 de2; do kill "$(cat "$AUTONTA_LAB/nsd/$i/nsd.pid")"; done
sleep 2
lab flush de >/dev/null
lab load --tld de --count 200 --rate 50 | head -n 1 | sed 's/^/note: /'
sleep 3
[ -z "$(events_since | jq -c 'select(.event == "spike_detected" or .event == "nta_added")')" ] \
	|| fail "a spike or an NTA without any bogus answer"
b=$(events_since | jq -s 'map(select(.event == "stats") | .outcomes.bogus) | add // 0')
[ "$b" = 0 ] || fail "$b bogus outcomes with the servers down"
ok "de. servers unreachable: SERVFAIL without bogus, no spike, no NTA"
