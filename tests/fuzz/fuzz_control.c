/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * libFuzzer harness for the control protocol's request parser: any bytes a
 * client can send on the control socket, as one line.
 */
#include "ctlproto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	struct ata_ctl_request req;
	char line[ATA_CTL_MAX_LINE + 64], err[512];
	const char* code;
	unsigned secs;
	if(size >= sizeof(line))
		size = sizeof(line) - 1;
	memcpy(line, data, size);
	line[size] = 0;	/* the server cuts at the first NUL too */
	if(ata_ctl_parse(line, &req, err, sizeof(err), &code) == 0) {
		if(strlen(req.zone) >= sizeof(req.zone)
			|| strlen(req.word) >= sizeof(req.word))
			abort();
	} else if(!code || !*err)
		abort();
	(void)ata_ctl_parse_duration(line, &secs);
	return 0;
}
