#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# log-syslog: every event line also reaches the syslog daemon's socket
# (a stand-in daemon here, a datagram socket like /dev/log) as one
# datagram "<PRI>Mmm dd hh:mm:ss autonta[PID]: LINE" with the configured
# facility; the file and syslog hold the same lines; a daemon that
# restarts (a new socket at the same path) gets the lines that follow.
. "$(dirname "$0")/lib.sh"

sock=$AUTONTA_LAB/syslog.sock
got=$AUTONTA_LAB/syslog.out
# the stand-in daemon: one datagram a line in $got
start_daemon() {
	python3 -u -c '
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a") as f:
    while True:
        f.write(s.recv(65536).decode() + "\n")
        f.flush()
' "$sock" "$got" &
	daemon=$!
	for _ in $(seq 50); do [ -S "$sock" ] && return 0; sleep 0.1; done
	fail "the stand-in syslog daemon did not start"
}
stop_daemon() { [ -n "${daemon:-}" ] && { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; daemon=; }; }
exit_hooks+=(stop_daemon)

mkdir -p "$AUTONTA_LAB"
: >"$got"
start_daemon
write_autonta_conf "log-syslog: yes\nsyslog-facility: local3\nsyslog-socket: $sock\n"
lab up
expect_ad www.sld1.de
sleep 2.5	# stats lines

pid=$(jq -r 'select(.event == "module_started") | .pid' "$events" | tail -n 1)
# local3 (19) * 8 + info (6) = 158
bad=$(grep -v -E "^<158>[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} autonta\[$pid\]: \{" "$got" | head -n 1 || true)
[ -z "$bad" ] || fail "a syslog line not in the expected form: $bad"
sed 's/^[^{]*//' "$got" | jq -c . >/dev/null || fail "a syslog payload is not JSON"
n=$(wc -l <"$got")
[ "$n" -ge 3 ] || fail "only $n syslog lines"
# every line syslog got is in the file, in the same order
if ! diff <(sed 's/^[^{]*//' "$got") <(head -n "$n" "$events") >/dev/null; then
	diff <(sed 's/^[^{]*//' "$got") <(head -n "$n" "$events") | head
	fail "syslog and the file differ"
fi
ok "syslog: $n lines, <158> (local3.info), autonta[$pid], the same lines as the file"

# the daemon restarts: a new socket at the same path
stop_daemon
before=$(wc -l <"$got")
start_daemon
sleep 2.5
after=$(wc -l <"$got")
[ "$after" -gt "$before" ] || fail "no syslog line after the daemon restarted"
last=$(tail -n 1 "$got" | sed 's/^[^{]*//' | jq -r .seq)
grep -q "\"seq\":$last," "$events" || fail "the last syslog line (seq $last) is not in the file"
ok "the daemon restarted: autonta reconnected ($((after - before)) lines since)"
