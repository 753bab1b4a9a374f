#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The lab resolver with autonta (num-threads: 2) under valgrind memcheck
# over a 1,000-query workload that includes a TLD failure (bogus answers
# from the validator and cached bogus answers through the servfail
# callback), the control commands, a manual NTA with EDE 33 answers and a
# reload (the module unloaded and loaded again): no crash, no memcheck
# error, no leak (debug info kept, so a leak in the unloaded module is
# named).
. "$(dirname "$0")/lib.sh"

vglog=$AUTONTA_LAB/valgrind
rm -rf "$vglog"; mkdir -p "$vglog"
export AUTONTA_LAB_THREADS=2
export AUTONTA_LAB_WRAPPER="valgrind --error-exitcode=99 --keep-debuginfo=yes --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no --log-file=$vglog/vg.%p"
export AUTONTA_LAB_WAIT=120
write_autonta_conf 'log-outcomes: yes\n'
lab up
# warm the cache for the upper zones first: memcheck makes the first
# resolutions slow, and dnsperf gives up on a query after 5 s
for n in www.sld1.nl www.sld2.nl www.sld1.de; do lab query --timeout 20 "$n" >/dev/null || true; done
s1=$(lab load --tld nl --count 400 --rate 25 | head -n 1)
lab break de ksk-mismatch
s2=$(lab load --tld de --count 400 | head -n 1)
s3=$(lab load --tld de --count 200 | head -n 1)	# repeats: cached bogus
note "nl: $s1"
note "de broken: $s2"
note "de again: $s3"
for c in status list "--json list" stats "show de." "show nl."; do
	actl $c >/dev/null 2>&1 || true	# show: the zone may have no NTA
done
actl add nl. --lifetime 600 >/dev/null || fail "add nl. under valgrind"
out=$(lab query --timeout 20 www.sld3.nl)
case $out in *ede=33*) ;; *) fail "no EDE 33 under the manual NTA: $out" ;; esac
actl --json list >/dev/null
actl remove nl. >/dev/null || fail "remove nl. under valgrind"
lab ctl reload >/dev/null
for _ in $(seq 60); do actl status >/dev/null 2>&1 && break; sleep 1; done
lab query --timeout 20 www.sld4.nl >/dev/null || true
note "control commands, a manual NTA with EDE 33, a reload: done"
total=$(jq -s 'map(select(.event == "outcome")) | length' "$events")
cached=$(jq -s 'map(select(.event == "outcome" and .source == "cache")) | length' "$events")
[ "$total" -ge 500 ] || fail "only $total outcome events for 1,000 queries"
note "outcome events: $total (from the message cache: $cached)"
lab down
rc=$(cat "$AUTONTA_LAB/unbound/run.rc" 2>/dev/null || echo missing)
summary=$(grep -h 'ERROR SUMMARY' "$vglog"/vg.* | head -n 1)
note "valgrind: $summary (exit status $rc)"
grep -q 'ERROR SUMMARY: 0 errors' "$vglog"/vg.* || { cat "$vglog"/vg.* | head -n 80; fail "memcheck reported errors"; }
[ "$rc" = 0 ] || fail "unbound under valgrind exited with $rc"
# one module_stopped at the reload, one at the end
jq -e -s 'map(select(.event == "module_stopped")) | length == 2' "$events" >/dev/null \
	|| fail "not two module_stopped (reload, stop): autonta did not shut down cleanly"
ok "1,000 queries, control commands, EDE 33 and a reload under valgrind memcheck with 2 threads: 0 errors, no leak, clean exit"
