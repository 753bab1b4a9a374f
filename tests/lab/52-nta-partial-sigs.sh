#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job with de. broken by 'partial-sigs': NTA on exactly de., lifted after the fix.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nta_cycle.sh"
nta_cycle_test partial-sigs
