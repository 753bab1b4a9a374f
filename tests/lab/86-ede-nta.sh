#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# EDE 33 (Negative Trust Anchor) on answers under an autonta NTA: on
# answers from the validator and from the cache, with the NTA's domain and
# end as JSON EXTRA-TEXT; never on answers outside the NTA, never to a
# client without EDNS, gone when the NTA is lifted; and not at all with
# ede-nta: no (after a reload, the NTA itself restored and still in force).
. "$(dirname "$0")/lib.sh"

# ede NAME [DIG-OPTION...]: the EDE lines of the lab resolver's answer
ede() {
	local name=$1
	shift
	dig @"$AUTONTA_LAB_RESOLVER" -p "$AUTONTA_LAB_PORT" "$name" +dnssec \
		+time=3 +tries=1 "$@" | sed -n 's/^; EDE: //p'
}
# flags NAME: the header flags of the answer
flags() {
	dig @"$AUTONTA_LAB_RESOLVER" -p "$AUTONTA_LAB_PORT" "$1" +dnssec \
		+time=3 +tries=1 | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p'
}

write_autonta_conf ""
lab up
expect_ad www.sld1.de
[ -z "$(ede www.sld1.de)" ] || fail "EDE before any NTA: $(ede www.sld1.de)"

# a manual NTA (no break needed: EDE 33 is about the NTA, not the failure)
actl add de. --lifetime 1800 >/dev/null || fail "add de. failed"
end=$(actl --json list | jq -r '.ntas[] | select(.zone == "de.") | .expires')
[ -n "$end" ] || fail "list shows no NTA for de."
want="33: ({\"domain\":\"de.\",\"end\":\"${end%.000Z}Z\"})"
got=$(ede www.sld3.de)	# not in the cache: the validator's answer
[ "$got" = "$want" ] || fail "from the validator: EDE '$got', want '$want'"
got=$(ede www.sld3.de)	# the same again: from the message cache
[ "$got" = "$want" ] || fail "from the cache: EDE '$got', want '$want'"
case " $(flags www.sld3.de) " in *" ad "*) fail "AD under the NTA" ;; esac
got=$(ede sld3.de NS)
[ "$got" = "$want" ] || fail "NS of sld3.de.: EDE '$got'"
got=$(ede nosuchname.de)
[ "$got" = "$want" ] || fail "NXDOMAIN under de.: EDE '$got'"
ok "EDE $want on answers under de. (validator, cache, NS, NXDOMAIN)"

[ -z "$(ede www.sld1.nl)" ] || fail "EDE on nl.: $(ede www.sld1.nl)"
expect_ad www.sld1.nl
out=$(dig @"$AUTONTA_LAB_RESOLVER" -p "$AUTONTA_LAB_PORT" www.sld3.de +noedns +time=3 +tries=1)
grep -q 'status: NOERROR' <<<"$out" || fail "+noedns: no answer: $out"
! grep -q 'OPT PSEUDOSECTION' <<<"$out" || fail "+noedns: an OPT record in the answer"
ok "no EDE outside the NTA (nl. keeps AD), no OPT for a client without EDNS"

# ede-nta: no; the reload re-applies the NTA from the state file
write_autonta_conf "ede-nta: no\n"
lab ctl reload >/dev/null
deadline=$(( $(date +%s) + 10 ))
until [ "$(lab ctl list_insecure | tr -d '\n')" = de. ]; do
	[ "$(date +%s)" -le "$deadline" ] || fail "the NTA did not come back after the reload"
	sleep 0.2
done
got=$(ede www.sld4.de)
[ -z "$got" ] || fail "ede-nta: no, yet EDE '$got'"
case " $(flags www.sld4.de) " in *" ad "*) fail "AD under the restored NTA" ;; esac
ok "ede-nta: no: the NTA is in force, its answers carry no EDE"

# back on, then the NTA removed: no EDE, AD again
write_autonta_conf ""
lab ctl reload >/dev/null
deadline=$(( $(date +%s) + 10 ))
until [ -n "$(ede www.sld5.de)" ]; do
	[ "$(date +%s)" -le "$deadline" ] || fail "no EDE after ede-nta was turned back on"
	sleep 0.2
done
actl remove de. >/dev/null || fail "remove de. failed"
got=$(ede www.sld5.de)
[ -z "$got" ] || fail "EDE after the NTA was removed: '$got'"
expect_ad www.sld5.de
ok "NTA removed: no EDE, AD again"
