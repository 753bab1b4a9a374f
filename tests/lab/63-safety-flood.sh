#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Threat: a flood of random names, under nonexistent TLDs and under de.
# They are answered (NXDOMAIN, validated), never bogus: no spike, no NTA,
# and autonta's memory stays bounded.
. "$(dirname "$0")/lib.sh"

write_autonta_conf
lab up
mark_events
f=$AUTONTA_LAB/flood.txt
awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++) {
	printf "r%d.x%d.notld%d. A\n", int(rand() * 1e9), i, i % 2000
	printf "r%d.sld%d.de. A\n", int(rand() * 1e9), i % 120 } }' >"$f"
dnsperf -s 127.0.0.1 -p "$AUTONTA_LAB_PORT" -d "$f" -n 1 -Q 3000 -c 4 2>&1 \
	| grep -E 'Queries (sent|completed|lost)|Response codes' | sed 's/^ */note: /'
sleep 2
[ -z "$(events_since | jq -c 'select(.event == "spike_detected" or .event == "nta_added")')" ] \
	|| fail "a spike or an NTA from a flood of random names"
mem=$(lab ctl stats_noreset | grep -E '^mem.mod.dynlib' | cut -d= -f2)
note "autonta's memory after 40,000 random names: ${mem:-?} bytes"
[ -n "$mem" ] && [ "$mem" -lt $((16 * 1024 * 1024)) ] || fail "memory ${mem:-unknown} bytes"
expect_ad www.sld1.de
ok "flood of random names under 2,000 nonexistent TLDs and under de.: no spike, no NTA, memory bounded"
