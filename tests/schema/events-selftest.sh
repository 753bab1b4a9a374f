#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# schema/events.schema.json against its own cases: every line of
# tests/data/events/valid/*.jsonl must be accepted and every line of
# tests/data/events/invalid/*.jsonl (one case a file) rejected by the
# schema (check-json.py names the file and line; which rule a case breaks
# is in its file name). Needs python3-jsonschema (Debian's, through
# /usr/bin/python3; PYTHON overrides).
top=$(cd "$(dirname "$0")/../.." && pwd)
schema=$top/schema/events.schema.json
check=$top/tests/schema/check-json.py
data=$top/tests/data/events
python=${PYTHON:-/usr/bin/python3}
nvalid=0 ninvalid=0 failed=0

fail() {
	echo "events schema selftest: FAIL: $*"
	failed=$((failed + 1))
}

"$python" -c 'import jsonschema' || {
	echo "events schema selftest: FAIL: $python cannot import jsonschema (apt-get install python3-jsonschema)"
	exit 1
}
for f in "$data"/valid/*.jsonl; do
	[ -f "$f" ] || continue
	if out=$("$python" "$check" "$schema" "$f" 2>&1); then
		nvalid=$((nvalid + 1))
	else
		fail "valid case ${f#"$top"/} rejected: $out"
	fi
done
for f in "$data"/invalid/*.jsonl; do
	[ -f "$f" ] || continue
	out=$("$python" "$check" "$schema" "$f" 2>&1)
	rc=$?
	# rejected means exit 1 with a FILE:LINE: message from the schema,
	# not a crash or a case that is not JSON at all
	case "$rc:$out" in
	"1:$f:"[0-9]*": not JSON:"*) fail "invalid case ${f#"$top"/} is not JSON" ;;
	"1:$f:"[0-9]*) ninvalid=$((ninvalid + 1)) ;;
	0:*) fail "invalid case ${f#"$top"/} accepted" ;;
	*) fail "invalid case ${f#"$top"/}: check-json.py exit $rc: $out" ;;
	esac
done
if [ "$nvalid" -eq 0 ] || [ "$ninvalid" -eq 0 ]; then
	fail "no cases in ${data#"$top"/}"
fi
echo "events schema selftest: $nvalid valid accepted, $ninvalid invalid rejected"
[ "$failed" -eq 0 ]
