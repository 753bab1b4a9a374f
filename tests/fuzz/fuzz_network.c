/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * libFuzzer harness: what autonta parses of data from the network -- the
 * DNSKEY and DS RDATA of the evidence, poke query names, and names as
 * Unbound prints them going through attribution and detection.
 */
#include "blame.h"
#include "detector.h"
#include "evidence.h"
#include "outcome.h"
#include "poke.h"
#include "policy.h"

#include <stdint.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	static const struct ata_detector_params p = { 30, 3, 2, 1, 16 };
	struct ata_outcome o;
	struct ata_detector d;
	struct ata_blame b;
	struct ata_spike s;
	uint16_t tag;
	uint8_t alg, dt, wire[300];
	char norm[256];
	size_t n;

	(void)ata_dnskey_tag(data, size);
	(void)ata_ds_parse(data, size, &tag, &alg, &dt);
	/* a wire name of at most 255 octets, as Unbound hands it over */
	n = size < sizeof(wire) - 1 ? size : sizeof(wire) - 1;
	memcpy(wire, data, n);
	wire[n] = 0;
	(void)ata_poke_match("0123456789abcdef0123456789abcdef", wire);

	/* names: the qname and the blamed zone come from the data */
	memset(&o, 0, sizeof(o));
	n = size < ATA_NAME_MAX - 1 ? size : ATA_NAME_MAX - 1;
	memcpy(o.qname, data, n);
	o.qname[n] = 0;
	memcpy(o.zone, o.qname, sizeof(o.zone));
	memcpy(o.bad_key, o.qname, sizeof(o.bad_key));
	o.sec = ATA_SEC_BOGUS;
	o.step = size & 1 ? ATA_STEP_CACHED_KEY : ATA_STEP_DS;
	o.source = size & 2 ? ATA_SRC_CACHED_BOGUS : ATA_SRC_VALIDATED;
	(void)ata_name_normalize(o.qname, norm, sizeof(norm));
	(void)ata_name_labels(o.qname);
	if(ata_blame_init(&b) == 0) {
		ata_blame_refine(&b, &o, 1);
		o.zone[0] = o.bad_key[0] = 0;
		o.source = ATA_SRC_CACHED_BOGUS;
		ata_blame_refine(&b, &o, 2);
		ata_blame_deinit(&b);
	}
	memcpy(o.zone, o.qname, sizeof(o.zone));
	if(ata_detector_init(&d, &p) == 0) {
		int i;
		for(i = 0; i < 4; i++)
			if(ata_detector_add(&d, &o, 100 + i, &s))
				ata_spike_clear(&s);
		o.sec = ATA_SEC_SECURE;
		(void)ata_detector_add(&d, &o, 105, &s);
		ata_detector_deinit(&d);
	}
	return 0;
}
