/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * libFuzzer harness: the state file parser (history and NTA records) on
 * arbitrary bytes.
 */
#include "history.h"
#include "nta.h"

#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	struct ata_history h;
	struct ata_nta_table t = { NULL, 0 };
	json_t *extra = NULL, *rec;
	char err[512];
	size_t i;
	if(ata_history_init(&h) != 0)
		return 0;
	if(ata_history_parse(&h, (const char*)data, size, &extra, err,
		sizeof(err)) == 0) {
		json_array_foreach(json_object_get(extra, "ntas"), i, rec)
			(void)ata_nta_from_record(&t, rec, err, sizeof(err));
		ata_nta_table_clear(&t);
		json_decref(extra);
	}
	(void)ata_history_last_secure(&h, "de.");
	ata_history_deinit(&h);
	return 0;
}
