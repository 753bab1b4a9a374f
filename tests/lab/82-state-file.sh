#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The state file at start: a corrupt one (or one with a bad NTA record) is
# kept aside byte for byte with one state_file_error, autonta starts empty
# and Unbound serves; NTAs in it are restored when still alive, dropped
# with the reason when expired or no longer allowed; an unwritable state
# file is an event, not a failure.
. "$(dirname "$0")/lib.sh"
state=$AUTONTA_LAB/autonta.state
write_autonta_conf ""

# start_with CONTENT: start the lab with this state file (lab down first)
start_with() {
	lab down >/dev/null 2>&1 || true
	rm -f "$state" "$state.bad"
	drop_events
	printf '%s' "$1" >"$state"
	mark=0
	lab up >/dev/null
}
now=$(date +%s)

start_with '{"version":1,"history":{"de.":12'
expect_ad www.sld1.de
wait_event 5 '.event == "state_file_error" and (.kept_as | endswith(".bad"))' \
	|| fail "no state_file_error for a truncated file"
[ "$(cat "$state.bad")" = '{"version":1,"history":{"de.":12' ] || fail "the bad file was not kept as it was"
n=$(events_since | jq -s 'map(select(.event == "state_file_error")) | length')
[ "$n" = 1 ] || fail "$n state_file_error events (want 1)"
ok "truncated state file: $(events_since | jq -r 'select(.event == "state_file_error") | .error'); kept as .bad; Unbound validates"

start_with '{"version":1,"history":{},"ntas":[{"zone":"de.","state":"active","added":5,"expires":2,"hard_expires":9}]}'
wait_event 5 '.event == "state_file_error"' || fail "no state_file_error for a bad NTA record"
[ -f "$state.bad" ] || fail "the file with the bad record was not kept aside"
[ -z "$(lab ctl list_insecure)" ] || fail "an NTA from a bad file was applied"
expect_ad www.sld1.de
ok "bad NTA record: $(events_since | jq -r 'select(.event == "state_file_error") | .error'); nothing applied"

rec() { # ZONE ADDED EXPIRES HARD
	printf '{"zone":"%s","state":"active","added":%d,"expires":%d,"hard_expires":%d,"rechecks":1,"extensions":0,"last_recheck":"bogus","names":[{"name":"www.sld1.%s","type":1}]}' \
		"$1" "$2" "$3" "$4" "${1#.}"
}
start_with "{\"version\":1,\"history\":{},\"ntas\":[$(rec de. $((now - 100)) $((now + 600)) $((now + 900))),$(rec nl. $((now - 900)) $((now - 300)) $((now - 10))),$(rec . $((now - 10)) $((now + 600)) $((now + 900)))]}"
wait_event 5 '.event == "nta_restored" and .zone == "de."' || fail "de. not restored"
wait_event 5 '.event == "nta_dropped" and .zone == "nl." and .reason == "expired"' || fail "expired nl. not dropped"
wait_event 5 '.event == "nta_dropped" and .zone == "." and .reason == "root"' || fail "the root not refused"
case " $(lab ctl list_insecure | tr '\n' ' ')" in
*" nl. "* | *" . "*) fail "a dropped NTA is in Unbound: $(lab ctl list_insecure)" ;;
esac
ok "restored de. ($(events_since | jq -r 'select(.event == "nta_restored") | .start_to_effect_ms') ms after start); dropped expired nl. and the root"
# de. is not broken: the immediate recheck lifts the restored NTA
wait_event 15 '.event == "nta_lifted" and .zone == "de." and .reason == "revalidated"' \
	|| fail "the restored NTA for a healthy de. was not lifted by the recheck"
jq -e '.ntas == []' "$state" >/dev/null || fail "the state file still lists NTAs: $(cat "$state")"
expect_ad www.sld1.de
ok "a restored NTA is rechecked at once and lifted when the zone validates"

# an unwritable state file: an event when saving, Unbound keeps serving
lab down >/dev/null
write_autonta_conf ""
sed -i "s|^state-file: .*|state-file: $AUTONTA_LAB/no-such-dir/autonta.state|" "$AUTONTA_LAB_CONF"
drop_events
lab up >/dev/null
expect_ad www.sld1.de
lab down >/dev/null
n=$(jq -s 'map(select(.event == "state_file_error" and (.error | test("no-such-dir")))) | length' "$events")
[ "$n" = 1 ] || fail "$n state_file_error events for an unwritable state file (want 1)"
jq -s -e 'map(select(.event == "module_stopped")) | length == 1' "$events" >/dev/null || fail "no module_stopped"
ok "unwritable state file: $(jq -r 'select(.event == "state_file_error") | .error' "$events" | head -n 1)"
