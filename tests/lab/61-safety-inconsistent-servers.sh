#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Threat: one misbehaving authoritative server (or someone answering in
# its place). de1 serves a broken de., de2 the good one; the resolver's UDP
# to de2 is dropped, so it only ever sees the broken copy and detects a
# spike. The evidence asks both servers over TCP, finds them inconsistent:
# spike_unconfirmed, no NTA.
. "$(dirname "$0")/lib.sh"

command -v nft >/dev/null || fail "nft not installed (package nftables)"
table=autonta_lab_$$
drop_rule() { nft delete table inet "$table" 2>/dev/null || true; }
exit_hooks+=(drop_rule)

write_autonta_conf
lab up
expect_ad www.sld1.de
mark_events
nft add table inet "$table"
nft add chain inet "$table" out '{ type filter hook output priority 0; }'
nft add rule inet "$table" out ip daddr 127.53.1.2 udp dport 53 drop
lab break de ksk-mismatch --server 1 >/dev/null
lab ctl flush_infra all >/dev/null
lab load --tld de --count 200 --rate 100 | head -n 1 | sed 's/^/note: /'
wait_event 15 '.event == "spike_unconfirmed"' || fail "no spike_unconfirmed"
note "$(events_since | jq -c 'select(.event == "spike_unconfirmed") | {zone, reason,
	servers: [.confirmation.servers[] | {address, verdict}]}' | head -n 1)"
has_event '.event == "spike_unconfirmed" and .zone == "de." and .reason == "inconsistent"' \
	|| fail "not unconfirmed as inconsistent"
[ -z "$(events_since | jq -c 'select(.event == "nta_added")')" ] || fail "an NTA was added"
[ -z "$(lab ctl list_insecure)" ] || fail "list_insecure is not empty"
ok "one broken server of two: spike_unconfirmed (inconsistent), no NTA"
