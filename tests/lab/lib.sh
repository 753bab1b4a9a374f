# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for lab tests. A lab test is a bash script that sources
# this file, brings the lab up, acts, and checks; it exits 0 on success.
# The EXIT trap stops every server the lab started, whatever happens.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export AUTONTA_LAB=${AUTONTA_LAB:-$top/_build/lab-test}
lab() { "$top/tools/lab" "$@"; }
eval "$(lab env)"
events=$AUTONTA_LAB_EVENTS
# autonta-control against the lab resolver
actl() { "$top/tools/autonta-control" -s "$AUTONTA_LAB_CTL" "$@"; }

# Functions to run before the lab is stopped (tests add theirs).
exit_hooks=()
cleanup() {
	local rc=$? h
	for h in "${exit_hooks[@]}"; do "$h" || true; done
	lab down >/dev/null 2>&1 || true
	keep_events
	exit $rc
}
# Keep every event this test produced (rotated files too) for the schema
# check of the test command: AUTONTA_KEEP_EVENTS/<test>.jsonl
keep_events() {
	local dir=${AUTONTA_KEEP_EVENTS:-} f
	[ -n "$dir" ] || return 0
	mkdir -p "$dir"
	for f in "$AUTONTA_LAB/dropped-events.jsonl" "$events" "$events".*; do
		[ -f "$f" ] && cat "$f"
	done >"$dir/$(basename "$0" .sh).jsonl" 2>/dev/null || true
}
# drop_events: start a new event log (the old lines are still checked
# against the schema at the end)
drop_events() {
	local f
	for f in "$events" "$events".*; do
		[ -f "$f" ] && cat "$f" >>"$AUTONTA_LAB/dropped-events.jsonl"
		rm -f "$f"
	done
	mark=0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# every test starts from a lab of its own making, and with no state from
# an earlier test (NTAs in the state file are re-applied at start)
lab down >/dev/null 2>&1 || true
rm -f "$AUTONTA_LAB/autonta.state" "$AUTONTA_LAB/autonta.state.bad" \
	"$AUTONTA_LAB/dropped-events.jsonl"

ok() { echo "ok: $*"; }
note() { echo "note: $*"; }
fail() {
	echo "FAIL: $*"
	if [ -f "$events" ]; then
		echo "--- last events:"; tail -n 15 "$events" | cut -c1-400
	fi
	if [ -f "$AUTONTA_LAB_UNBOUND_LOG" ]; then
		echo "--- unbound.log (tail):"; tail -n 15 "$AUTONTA_LAB_UNBOUND_LOG"
	fi
	exit 1
}

# Lab resolver config for autonta; $1 extra lines appended.
write_autonta_conf() {
	local f=$AUTONTA_LAB/test-autonta.conf
	mkdir -p "$AUTONTA_LAB"
	{
		echo "log-file: $events"
		echo "state-file: $AUTONTA_LAB/autonta.state"
		echo "stats-interval: 1"
		echo "control-socket: $AUTONTA_LAB_CTL"
		printf '%b' "${1:-}"
	} >"$f"
	export AUTONTA_LAB_CONF=$f
}

# start_load [RATE]: distinct names under de. at RATE/s (20) in the
# background until stop_load, in its own process group (so that stopping
# it stops dnsperf)
start_load() {
	setsid "$top/tools/lab" load --tld de --count 100000 --rate "${1:-20}" \
		>"$AUTONTA_LAB/bg-load.out" 2>&1 &
	load_pid=$!
}
stop_load() {
	if [ -n "${load_pid:-}" ]; then
		kill -TERM -- "-$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
		load_pid=
	fi
}

# Mark the current end of the event log; events_since prints later lines.
mark=0
mark_events() { mark=$( [ -f "$events" ] && wc -l <"$events" || echo 0); }
events_since() { [ -f "$events" ] && tail -n +$((mark + 1)) "$events" || true; }

# has_event JQ-FILTER: some event since the mark matches (jq 1.6's -e
# looks at the last input only, so this counts the matches instead)
has_event() {
	[ -n "$(events_since | jq -c "select($1)" 2>/dev/null | head -n 1)" ]
}

# wait_event SECONDS JQ-FILTER: wait until a new event matches.
wait_event() {
	local deadline=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		if [ -n "$(events_since | jq -c "select($2)" 2>/dev/null | head -n 1)" ]; then
			return 0
		fi
		sleep 0.3
	done
	return 1
}

# expect_ad NAME: resolves with the AD flag.
expect_ad() {
	local out
	out=$(lab query "$1") || fail "$1 did not resolve: $out"
	case $out in *" ad=1 "*) ;; *) fail "$1 resolved without AD: $out" ;; esac
}

# expect_validated NAME: AD under signed children (sldN), NOERROR without
# AD under unsigned ones (usldN).
expect_validated() {
	local out
	case $1 in
	*usld*)
		out=$(lab query "$1") || fail "$1 did not resolve: $out"
		case $out in *" ad=0 "*) ;; *) fail "$1 (unsigned) answered with AD: $out" ;; esac ;;
	*) expect_ad "$1" ;;
	esac
}

# expect_servfail NAME
expect_servfail() {
	local out
	if out=$(lab query "$1"); then fail "$1 did not fail: $out"; fi
	case $out in *rcode=SERVFAIL*) ;; *) fail "$1: expected SERVFAIL: $out" ;; esac
}
