#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Advise mode installs nothing and recommends; approve mode waits for the
# operator's line in the approval file, then installs.
. "$(dirname "$0")/lib.sh"

write_autonta_conf 'mode: advise\n'
lab up
expect_ad www.sld1.de
mark_events
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
wait_event 15 '.event == "nta_recommended"' || fail "advise: no nta_recommended"
sleep 1
[ -z "$(events_since | jq -c 'select(.event == "nta_added")')" ] || fail "advise: an NTA was added"
[ -z "$(lab ctl list_insecure)" ] || fail "advise: list_insecure is not empty"
expect_servfail www.sld3.de
ok "advise: nta_recommended with the evidence, nothing installed"
lab down >/dev/null

appr=$AUTONTA_LAB/approvals
: >"$appr"
write_autonta_conf "mode: approve\napproval-file: $appr\n"
lab up
expect_ad www.sld1.de
mark_events
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
wait_event 15 '.event == "nta_recommended"' || fail "approve: no nta_recommended"
id=$(events_since | jq -r 'select(.event == "nta_recommended") | .id' | head -n 1)
sleep 1
[ -z "$(lab ctl list_insecure)" ] || fail "approve: installed before approval"
echo "approve de. wrongid" >>"$appr"
sleep 1
[ -z "$(lab ctl list_insecure)" ] || fail "approve: installed on a wrong id"
echo "approve de. $id" >>"$appr"
wait_event 5 '.event == "nta_added"' || fail "approve: no nta_added after approval"
[ "$(lab ctl list_insecure | tr -d '\n')" = de. ] || fail "approve: list_insecure"
out=$(lab query www.sld3.de) || fail "approve: still failing: $out"
ok "approve: waits for 'approve de. $id', then installs"
