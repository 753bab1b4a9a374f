#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A bad autonta configuration stops Unbound at start with one clear line
# naming the file, the line and what is wrong; so does an unwritable log.
. "$(dirname "$0")/lib.sh"

check_refused() {	# WHAT EXPECTED-TEXT
	local log=$AUTONTA_LAB_UNBOUND_LOG n
	rm -f "$log"
	if AUTONTA_LAB_WAIT=8 lab up >/dev/null 2>&1; then
		fail "$1: Unbound started"
	fi
	lab down >/dev/null 2>&1 || true
	n=$(grep -c 'autonta: init failed' "$log" || true)
	[ "$n" = 1 ] || fail "$1: expected one 'autonta: init failed' line, got $n"
	grep -F -q "$2" "$log" || { grep autonta "$log"; fail "$1: the line does not say '$2'"; }
	ok "$1: $(grep -o 'autonta: init failed.*' "$log")"
}

write_autonta_conf 'stats-intervall: 5\n'
check_refused "unknown option" "test-autonta.conf:5: unknown option 'stats-intervall'"

write_autonta_conf 'max-zones: 0\n'
check_refused "absurd threshold" "test-autonta.conf:5: max-zones 0 is out of range (16 to 100000)"

write_autonta_conf 'queue-limit: lots\n'
check_refused "not a number" "queue-limit must be a whole number, not 'lots'"

f=$AUTONTA_LAB/test-autonta.conf
printf 'log-file: /nonexistent-autonta-dir/events.jsonl\n' >"$f"
check_refused "unwritable log path" "cannot open log-file /nonexistent-autonta-dir/events.jsonl: No such file or directory"

printf 'log-file: %s\nlog-syslog: yes\nsyslog-socket: %s\n' "$events" "$AUTONTA_LAB/no-syslog" >"$f"
check_refused "syslog socket missing" "cannot connect to syslog-socket $AUTONTA_LAB/no-syslog: No such file or directory"

export AUTONTA_LAB_CONF=$AUTONTA_LAB/no-such-file.conf
check_refused "missing file named by AUTONTA_CONF" "cannot open $AUTONTA_LAB/no-such-file.conf"

printf 'log-file: %s\ncontrol-socket: %s\n' "$events" "$AUTONTA_LAB/no-such-dir/autonta.sock" >"$f"
export AUTONTA_LAB_CONF=$f
check_refused "control socket in a missing directory" "cannot listen on control-socket $AUTONTA_LAB/no-such-dir/autonta.sock: No such file or directory"

mkdir -p "$AUTONTA_LAB/unbound"
: >"$AUTONTA_LAB_CTL"
printf 'log-file: %s\ncontrol-socket: %s\n' "$events" "$AUTONTA_LAB_CTL" >"$f"
check_refused "control socket path taken by a file" "control-socket $AUTONTA_LAB_CTL exists and is not a socket"
rm -f "$AUTONTA_LAB_CTL"

# a socket someone still serves is not taken over
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); open(sys.argv[2],"w").close(); time.sleep(60)' \
	"$AUTONTA_LAB_CTL" "$AUTONTA_LAB/held" &
holder=$!
stop_holder() { kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; }
exit_hooks+=(stop_holder)
for _ in $(seq 50); do [ -e "$AUTONTA_LAB/held" ] && break; sleep 0.1; done
check_refused "control socket served by another process" "control-socket $AUTONTA_LAB_CTL is served by another process"
stop_holder
[ -S "$AUTONTA_LAB_CTL" ] || fail "the other process's socket was removed"
ok "the live socket of another process is left in place"

# the dead process's socket file is stale: taken over
printf 'log-file: %s\nstats-interval: 1\ncontrol-socket: %s\n' "$events" "$AUTONTA_LAB_CTL" >"$f"
lab up >/dev/null
expect_ad www.sld1.de
ok "with the configuration repaired, Unbound starts and validates"
actl status >/dev/null || fail "no control socket after taking over a stale one"
ok "a stale control socket is replaced"
