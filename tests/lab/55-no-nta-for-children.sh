#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Broken children never make autonta put an NTA on their TLD: first one
# broken child under load, then 30 children broken independently.
. "$(dirname "$0")/lib.sh"

write_autonta_conf 'recheck-interval: 5\n'
lab up
mark_events
lab break de child-broken sld7.de >/dev/null
for _ in 1 2 3; do lab load --tld de --count 1200 --rate 400 >/dev/null; done
for _ in $(seq 1 30); do for n in www mail a b c d e; do lab query "$n.sld7.de" >/dev/null || true; done; done
sleep 2
[ -z "$(events_since | jq -c 'select(.event == "nta_added")')" ] || fail "an NTA was added for one broken child"
[ -z "$(lab ctl list_insecure)" ] || fail "list_insecure is not empty"
expect_servfail www.sld7.de
ok "one broken child (sld7.de.) under load: no NTA, its names still SERVFAIL"

for i in $(seq 20 49); do lab break de child-broken "sld$i.de" --no-flush >/dev/null; done
lab flush de >/dev/null
for _ in 1 2 3; do lab load --tld de --count 1200 --rate 400 | head -n 1 | sed 's/^/note: /'; done
sleep 2
blamed=$(events_since | jq -r 'select(.event == "zone_stats") | .zone' | sort -u | wc -l)
note "zones blamed in zone_stats: $blamed"
events_since | jq -r 'select(.event == "zone_stats") | .zone' | grep -qx 'de\.' \
	&& fail "bogus answers of broken children blamed on de."
[ -z "$(events_since | jq -c 'select(.event == "nta_added")')" ] || fail "an NTA was added"
[ -z "$(events_since | jq -c 'select(.event == "spike_detected" and .zone == "de.")')" ] \
	|| fail "a spike was detected for de."
[ -z "$(lab ctl list_insecure)" ] || fail "list_insecure is not empty"
expect_ad www.sld1.de
ok "31 children broken independently: no NTA, de. never blamed; healthy children keep AD"
