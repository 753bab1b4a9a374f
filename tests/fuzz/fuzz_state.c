/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * libFuzzer harness: the state file (history) parser on arbitrary bytes.
 */
#include "history.h"

#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	struct ata_history h;
	char err[512];
	if(ata_history_init(&h) != 0)
		return 0;
	(void)ata_history_parse(&h, (const char*)data, size, err, sizeof(err));
	(void)ata_history_last_secure(&h, "de.");
	ata_history_deinit(&h);
	return 0;
}
