#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Log rotation with the real logrotate, while events flow: with `create`
# and `autonta-control reopen-log` as postrotate, three rotations under
# load lose no event and repeat none (the files together hold seq 1..N
# without a gap); with `copytruncate` (no postrotate) the file is cut and
# written on from its start, whole lines, no gap. A reload reopens too.
. "$(dirname "$0")/lib.sh"

command -v logrotate >/dev/null || fail "logrotate is not installed (tools/install-deps)"

# check_seq FILE...: the files, oldest first, hold one run's events with
# seq 1, 2, 3, ... and nothing else; prints the count
check_seq() {
	jq -s -r '
		[.[] | .seq] as $s
		| if ($s | length) == 0 then "no events"
		  elif $s[0] != 1 then "the first seq is \($s[0])"
		  else (reduce range(1; $s | length) as $i (null;
			if . == null and $s[$i] != $s[$i - 1] + 1
			then "seq \($s[$i - 1]) is followed by \($s[$i])" else . end))
			// "ok \($s | length)"
		  end' "$@"
}

rot=$AUTONTA_LAB/logrotate
mkdir -p "$rot"
write_autonta_conf 'log-outcomes: yes\n'
lab up
expect_ad www.sld1.de

cat >"$rot/create.conf" <<EOF
$events {
	rotate 10
	create 0640 root root
	postrotate
		$top/tools/autonta-control -s $AUTONTA_LAB_CTL reopen-log >/dev/null
	endscript
}
EOF
lab load --count 600 --rate 60 >/dev/null &
loader=$!
stop_loader() { kill "$loader" 2>/dev/null || true; wait "$loader" 2>/dev/null || true; }
exit_hooks+=(stop_loader)
for i in 1 2 3; do
	sleep 2
	logrotate -f -s "$rot/state" "$rot/create.conf" || fail "logrotate (create) failed"
	[ -s "$events.1" ] || fail "rotation $i: no $events.1"
	[ "$(head -n 1 "$events" | jq -r .event)" = log_reopened ] ||
		fail "rotation $i: the new file does not start with log_reopened"
done
wait "$loader" || true
sleep 2	# a stats line or two after the load
r=$(check_seq "$events.3" "$events.2" "$events.1" "$events")
case $r in ok*) ;; *) fail "create: $r" ;; esac
n=${r#ok }
outcomes=$(cat "$events.3" "$events.2" "$events.1" "$events" | jq -c 'select(.event == "outcome")' | wc -l)
[ "$outcomes" -ge 500 ] || fail "create: only $outcomes outcome events for 600 queries"
ok "create + reopen-log: 3 rotations under load (60 q/s), $n events in 4 files, seq without a gap ($outcomes outcomes)"

# copytruncate: no postrotate, the same file goes on
rm -f "$events".[0-9]*
cat >"$rot/copytruncate.conf" <<EOF
$events {
	rotate 10
	copytruncate
}
EOF
before=$(tail -n 1 "$events" | jq -r .seq)
logrotate -f -s "$rot/state" "$rot/copytruncate.conf" || fail "logrotate (copytruncate) failed"
sleep 2.5
[ -s "$events" ] || fail "copytruncate: nothing written after the truncation"
if tr -d '\n' <"$events" | grep -q -P '\x00'; then fail "copytruncate: NUL bytes in the file (not O_APPEND)"; fi
jq -c . "$events" >/dev/null || fail "copytruncate: a line is not JSON"
first=$(head -n 1 "$events" | jq -r .seq)
last_rotated=$(tail -n 1 "$events.1" | jq -r .seq)
[ "$first" = $((last_rotated + 1)) ] || fail "copytruncate: the rotated file ends at seq $last_rotated, the new one starts at $first"
[ "$last_rotated" -ge "$before" ] || fail "copytruncate: lines missing from the copy"
ok "copytruncate: written on from the start of the cut file, whole lines, seq $last_rotated then $first"

# a reload reopens the file by its name too
mv "$events" "$events.moved"
mark=0
lab ctl reload >/dev/null
wait_event 15 '.event == "module_started"' || fail "reload: no module_started in a new file"
ok "a reload writes to a new file at the configured path"
