/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Attribution memory: an exact attribution is reused for a later cached
 * bad key, and forgotten after ATA_BLAME_TTL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "blame.h"
#include "outcome.h"

#include <stdio.h>
#include <string.h>

static struct ata_outcome
mk(const char* bad_key, const char* zone, int step)
{
	struct ata_outcome o;
	memset(&o, 0, sizeof(o));
	o.sec = ATA_SEC_BOGUS;
	snprintf(o.bad_key, sizeof(o.bad_key), "%s", bad_key);
	snprintf(o.zone, sizeof(o.zone), "%s", zone);
	o.step = (uint8_t)step;
	return o;
}

static void
test_refine(void** state)
{
	struct ata_blame b;
	struct ata_outcome o;
	(void)state;
	assert_int_equal(ata_blame_init(&b), 0);
	/* a DS-step failure at sld9.de.: de. signed the bad DS */
	o = mk("sld9.de.", "de.", ATA_STEP_DS);
	ata_blame_refine(&b, &o, 1000);
	/* later the cached bad key, guess is the root: memory wins */
	o = mk("sld9.de.", ".", ATA_STEP_CACHED_KEY);
	ata_blame_refine(&b, &o, 1000 + ATA_BLAME_TTL - 1);
	assert_string_equal(o.zone, "de.");
	assert_int_equal(o.step, ATA_STEP_DS);
	/* unknown bad key: the guess stays */
	o = mk("sld8.de.", "de.", ATA_STEP_CACHED_KEY);
	ata_blame_refine(&b, &o, 1000);
	assert_string_equal(o.zone, "de.");
	assert_int_equal(o.step, ATA_STEP_CACHED_KEY);
	/* after the TTL the memory is not trusted */
	o = mk("sld9.de.", ".", ATA_STEP_CACHED_KEY);
	ata_blame_refine(&b, &o, 1000 + ATA_BLAME_TTL);
	assert_string_equal(o.zone, ".");
	/* a DNSKEY failure of the same name replaces the old attribution */
	o = mk("sld9.de.", "sld9.de.", ATA_STEP_DNSKEY);
	ata_blame_refine(&b, &o, 2000);
	o = mk("sld9.de.", "de.", ATA_STEP_CACHED_KEY);
	ata_blame_refine(&b, &o, 2001);
	assert_string_equal(o.zone, "sld9.de.");
	assert_int_equal(o.step, ATA_STEP_DNSKEY);
	/* non-bogus outcomes are left alone */
	o = mk("sld9.de.", "x.", ATA_STEP_CACHED_KEY);
	o.sec = ATA_SEC_SECURE;
	ata_blame_refine(&b, &o, 2001);
	assert_string_equal(o.zone, "x.");
	assert_true(ata_blame_mem(&b) > 0);
	ata_blame_deinit(&b);
}

static void
test_cached_answer(void** state)
{
	struct ata_blame b;
	struct ata_outcome o;
	(void)state;
	assert_int_equal(ata_blame_init(&b), 0);
	o = mk("de.", "de.", ATA_STEP_DNSKEY);
	ata_blame_refine(&b, &o, 10);
	/* a cached bogus answer under de.: no bad key, no zone */
	o = mk("", "", ATA_STEP_NONE);
	o.source = ATA_SRC_CACHED_BOGUS;
	strcpy(o.qname, "www.sld5.de.");
	ata_blame_refine(&b, &o, 11);
	assert_string_equal(o.zone, "de.");
	assert_string_equal(o.bad_key, "de.");
	assert_int_equal(o.step, ATA_STEP_DNSKEY);
	/* a closer bad key wins over the TLD's */
	o = mk("sld5.de.", "sld5.de.", ATA_STEP_DNSKEY);
	ata_blame_refine(&b, &o, 12);
	o = mk("", "", ATA_STEP_NONE);
	o.source = ATA_SRC_CACHED_BOGUS;
	strcpy(o.qname, "www.sld5.de.");
	ata_blame_refine(&b, &o, 13);
	assert_string_equal(o.zone, "sld5.de.");
	/* nothing remembered above the name: stays unattributed */
	o = mk("", "", ATA_STEP_NONE);
	o.source = ATA_SRC_CACHED_BOGUS;
	strcpy(o.qname, "www.example.nl.");
	ata_blame_refine(&b, &o, 13);
	assert_string_equal(o.zone, "");
	/* the root as a name */
	strcpy(o.qname, ".");
	ata_blame_refine(&b, &o, 13);
	assert_string_equal(o.zone, "");
	/* a 255-octet name that dname_str() cut short with '&' (once a
	 * crash: the label walk found no dot) */
	memset(o.qname, 0, sizeof(o.qname));
	memset(o.qname, 'a', 63);
	o.qname[63] = '.';
	memset(o.qname + 64, 'b', 63);
	o.qname[127] = '.';
	strcpy(o.qname + 128, "&");
	ata_blame_refine(&b, &o, 13);
	assert_string_equal(o.zone, "");
	strcpy(o.qname, "no-dot-at-all");
	ata_blame_refine(&b, &o, 13);
	assert_string_equal(o.zone, "");
	ata_blame_deinit(&b);
}

static void
test_bound(void** state)
{
	struct ata_blame b;
	struct ata_outcome o;
	char name[64];
	int i;
	(void)state;
	assert_int_equal(ata_blame_init(&b), 0);
	for(i = 0; i < ATA_BLAME_MAX + 10; i++) {
		snprintf(name, sizeof(name), "c%d.de.", i);
		o = mk(name, "de.", ATA_STEP_DS);
		ata_blame_refine(&b, &o, i < ATA_BLAME_MAX ? 0 : 10000);
	}
	/* the expired ones were dropped to make room */
	assert_true(b.keys.count <= ATA_BLAME_MAX);
	assert_true(b.keys.count >= 10);
	ata_blame_deinit(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refine),
		cmocka_unit_test(test_cached_answer),
		cmocka_unit_test(test_bound),
	};
	return cmocka_run_group_tests_name("blame", tests, NULL, NULL);
}
