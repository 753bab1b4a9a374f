#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Threat: a domain owner breaks 50 of their own children of de. on purpose
# to provoke an NTA for de.: each failure is blamed on its child, de. is
# never blamed, no NTA.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
expect_ad www.sld1.de
mark_events
for i in $(seq 20 69); do lab break de child-broken "sld$i.de" --no-flush >/dev/null; done
lab flush de >/dev/null
for _ in 1 2 3; do lab load --tld de --count 1200 --rate 400 | head -n 1 | sed 's/^/note: /'; done
sleep 2
n=$(events_since | jq -r 'select(.event == "zone_stats") | .zone' | sort -u | wc -l)
note "zones blamed: $n"
events_since | jq -r 'select(.event == "zone_stats") | .zone' | grep -qx 'de\.' \
	&& fail "failures of the owner's children blamed on de."
[ -z "$(events_since | jq -c 'select(.event == "nta_added")')" ] || fail "an NTA was added"
[ "$n" -ge 45 ] || fail "only $n children blamed"
ok "50 children broken by one owner: each blamed on itself, no NTA"
