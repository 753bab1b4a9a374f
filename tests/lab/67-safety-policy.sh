#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Policy refusals: a protected zone, a zone never seen validating (no
# history), and the cap on concurrent NTAs.
. "$(dirname "$0")/lib.sh"

refused() {	# REASON ZONE
	wait_event 15 ".event == \"nta_refused\" and .zone == \"$2\" and .reason == \"$1\"" \
		|| fail "no nta_refused $1 for $2"
}

write_autonta_conf 'protected-zones: "de."\n'
lab up
expect_ad www.sld1.de
mark_events
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
refused protected de.
[ -z "$(lab ctl list_insecure)" ] || fail "protected zone got an NTA"
ok "protected-zones: de. refused (protected)"
lab down >/dev/null

rm -f "$AUTONTA_LAB/autonta.state"
write_autonta_conf
lab up
mark_events
# no baseline: autonta never saw de. validate
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
refused no-history de.
[ -z "$(lab ctl list_insecure)" ] || fail "NTA without history"
ok "history: a zone never seen validating is refused (no-history)"
lab down >/dev/null

write_autonta_conf 'max-ntas: 1\n'
lab up
expect_ad www.sld1.de
expect_ad www.sld1.nl
mark_events
lab break de ksk-mismatch >/dev/null
lab load --tld de --count 200 --rate 100 >/dev/null
wait_event 15 '.event == "nta_added" and .zone == "de."' || fail "no NTA for de."
lab break nl ksk-mismatch >/dev/null
lab load --tld nl --count 200 --rate 100 >/dev/null
refused max-ntas nl.
[ "$(lab ctl list_insecure | tr -d '\n')" = de. ] || fail "list_insecure: $(lab ctl list_insecure)"
ok "max-ntas 1: de. installed, nl. refused (max-ntas)"
