#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the libFuzzer harnesses with clang (ASan + UBSan) and run each for
# a bounded time (FUZZ_SECONDS, default 20) from its seed corpus. A crash
# leaves its input in _build/fuzz/<harness>/ and fails the run: add such
# inputs to tests/fuzz/regress/<harness>/, where every run replays them.
#
# Usage: tests/fuzz/run.sh [HARNESS...]   (config state network control)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/_build/fuzz
seconds=${FUZZ_SECONDS:-20}
mkdir -p "$out"
core=(blame cfgfile ctlproto detector event evidence fileutil history nametab nta poke policy recheck)
srcs=()
for c in "${core[@]}"; do srcs+=("$top/module/$c.c"); done
cflags=(-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -I"$top/module")
# shellcheck disable=SC2207
cflags+=($(pkg-config --cflags jansson libunbound libpsl))
# shellcheck disable=SC2207
libs=($(pkg-config --libs jansson libunbound libpsl) -pthread)

harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(config state network control)
rc=0
for h in "${harnesses[@]}"; do
	bin=$out/fuzz_$h
	clang "${cflags[@]}" -o "$bin" "$top/tests/fuzz/fuzz_$h.c" "${srcs[@]}" \
		"${libs[@]}"
	corpus=$out/$h-corpus
	mkdir -p "$corpus" "$out/$h"
	for seed in "$top"/tests/fuzz/seeds/"$h"/* "$top"/tests/fuzz/regress/"$h"/*; do
		[ -f "$seed" ] && cp -f "$seed" "$corpus/"
	done
	if [ "$h" = config ]; then
		for f in "$top"/tests/data/config/*/*/autonta.conf; do
			cp -f "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$(dirname "$(dirname "$f")")")"
		done
	fi
	# replay the regressions first, then explore
	if [ -d "$top/tests/fuzz/regress/$h" ]; then
		"$bin" -runs=0 "$top/tests/fuzz/regress/$h" >"$out/$h.replay.log" 2>&1 || {
			tail -n 30 "$out/$h.replay.log"; echo "fuzz $h: a regression input crashes"; rc=1; continue; }
	fi
	if "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
		-artifact_prefix="$out/$h/" "$corpus" >"$out/$h.log" 2>&1; then
		echo "fuzz $h: $(grep -o 'stat::number_executed_units: [0-9]*' "$out/$h.log" | tail -n 1 || true)$(tail -n 1 "$out/$h.log" | sed 's/^/ /') (${seconds} s, no crash)"
	else
		tail -n 40 "$out/$h.log"
		echo "fuzz $h: crash; input kept in $out/$h/"
		rc=1
	fi
done
exit $rc
