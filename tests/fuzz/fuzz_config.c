/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * libFuzzer harness: the configuration parser on arbitrary text.
 */
#include "cfgfile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	struct ata_config* cfg = ata_config_new();
	char err[2048];
	char* text = malloc(size + 1);
	if(!cfg || !text) {
		free(text);
		ata_config_delete(cfg);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = 0;
	if(ata_config_parse_text(cfg, text, "fuzz", err, sizeof(err)) == 0) {
		FILE* null = fopen("/dev/null", "w");
		if(null) {
			ata_config_print(cfg, null);
			fclose(null);
		}
	}
	free(text);
	ata_config_delete(cfg);
	return 0;
}
