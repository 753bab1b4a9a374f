#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The module must export exactly Unbound's six dynlib entry points: it is
# loaded RTLD_GLOBAL into a daemon that exports all of its own symbols.
so=${MODULE_SO:-$(dirname "$0")/../module/.libs/autonta.so}
[ -f "$so" ] || { echo "symbols: $so not built"; exit 1; }
got=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVWi]$/ {print $3}' \
	| grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$' | LC_ALL=C sort | tr '\n' ' ')
want=$(printf "%s\n" init deinit operate inform_super clear get_mem | LC_ALL=C sort | tr "\n" " ")
if [ "$got" = "$want" ]; then
	echo "symbols: ok: $got"
	exit 0
fi
echo "symbols: exported: $got"
echo "symbols: expected: $want"
exit 1
