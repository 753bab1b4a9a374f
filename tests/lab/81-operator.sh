#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The operator has the last word. An operator's NTA (insecure_add) is
# never touched: not removed, not counted, not listed as autonta's, not
# "restored". An autonta NTA removed with `unbound-control insecure_remove`
# is noticed (nta_removed_by_operator) and not put back while the
# operator-cooldown runs, also across a restart; the refusal is logged.
. "$(dirname "$0")/lib.sh"
write_autonta_conf "recheck-interval: 5\noperator-cooldown: 600\nmax-ntas: 1\n"
lab up
expect_ad www.sld1.de
expect_ad www.sld1.nl

exit_hooks+=(stop_load)
listed() { lab ctl list_insecure | sort | tr '\n' ' '; }

# the operator's own NTA for nl., before anything happens
lab ctl insecure_add nl. >/dev/null
[ "$(listed)" = "nl. " ] || fail "operator NTA not listed: $(listed)"

mark_events
lab break de ksk-mismatch >/dev/null
start_load
wait_event 20 '.event == "nta_added" and .zone == "de."' \
	|| fail "no NTA for de. (the operator's NTA must not count against max-ntas 1)"
[ "$(listed)" = "de. nl. " ] || fail "list_insecure: $(listed) (want de. nl.)"
jq -e '[.ntas[].zone] == ["de."]' "$AUTONTA_LAB/autonta.state" >/dev/null \
	|| fail "the state file holds other NTAs than de.: $(jq -c .ntas "$AUTONTA_LAB/autonta.state")"
ok "autonta's NTA for de. next to the operator's for nl. (max-ntas 1 counts only autonta's)"

# the operator takes autonta's NTA away
mark_events
lab ctl insecure_remove de. >/dev/null
wait_event 5 '.event == "nta_removed_by_operator" and .zone == "de."' \
	|| fail "the operator's insecure_remove went unnoticed"
until_=$(events_since | jq -r 'select(.event == "nta_removed_by_operator") | .cooldown_until' | head -n 1)
ok "insecure_remove noticed: nta_removed_by_operator, left alone until $until_"

# still broken, still failing, and autonta stays away
lab flush de >/dev/null
wait_event 20 '.event == "nta_refused" and .zone == "de." and .reason == "operator-cooldown"' \
	|| fail "no nta_refused (operator-cooldown) while de. keeps failing"
sleep 3
has_event '.event == "nta_added"' && fail "autonta re-added an NTA the operator removed"
[ "$(listed)" = "nl. " ] || fail "list_insecure: $(listed) (want only the operator's nl.)"
expect_servfail www.sld9.de
ok "de. keeps failing and autonta does not put the NTA back (refusal logged once)"
n=$(events_since | jq -s 'map(select(.event == "nta_refused" and .reason == "operator-cooldown")) | length')
[ "$n" = 1 ] || fail "$n operator-cooldown refusals logged (want 1)"

# the cooldown outlives a restart; the operator's runtime NTA does not
# survive Unbound's restart (Unbound's own behaviour) and is never restored
jq -e '.ntas | map(select(.zone == "de." and .state == "cooldown")) | length == 1' \
	"$AUTONTA_LAB/autonta.state" >/dev/null || fail "the cooldown is not in the state file"
stop_load
mark_events
lab restart >/dev/null
lab ctl insecure_add nl. >/dev/null
lab flush de >/dev/null
start_load
wait_event 20 '.event == "nta_refused" and .zone == "de." and .reason == "operator-cooldown"' \
	|| fail "after a restart: no operator-cooldown refusal"
has_event '.event == "nta_added" or .event == "nta_restored"' && fail "an NTA came back after the restart"
ok "after a restart the cooldown still holds"

# nl. breaks under the operator's NTA: insecure answers, nothing for autonta
stop_load
lab fix de >/dev/null
lab flush de >/dev/null
mark_events
lab break nl expired >/dev/null
for i in $(seq 60); do lab query "x$i.sld$i.nl" >/dev/null || fail "x$i.sld$i.nl failed under the operator's NTA"; done
sleep 2
has_event '.event == "spike_detected" and .zone == "nl."' && fail "a spike detected under the operator's NTA"
[ "$(listed)" = "nl. " ] || fail "list_insecure: $(listed) (want nl.)"
ok "the operator's NTA for nl. is left alone: no detection, no removal"
