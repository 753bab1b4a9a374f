#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# de. broken by 'expired': autonta names de. as the zone where the chain broke.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tld_break.sh"
tld_break_test expired
