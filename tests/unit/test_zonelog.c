/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The zone log: events kept per zone in order, at most ATA_ZONELOG_EVENTS
 * per zone (oldest dropped), at most ATA_ZONELOG_ZONES zones (least
 * recently touched dropped).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "zonelog.h"

#include <stdio.h>

static json_t*
ev(int i)
{
	return json_pack("{si}", "i", i);
}

static void
test_order_and_cap(void** state)
{
	struct ata_zonelog l;
	json_t *e, *arr;
	int i;
	(void)state;
	ata_zonelog_init(&l);
	assert_null(ata_zonelog_get(&l, "de."));
	for(i = 0; i < ATA_ZONELOG_EVENTS + 5; i++) {
		e = ev(i);
		ata_zonelog_add(&l, "de.", e);
		json_decref(e);
	}
	arr = ata_zonelog_get(&l, "de.");
	assert_int_equal(json_array_size(arr), ATA_ZONELOG_EVENTS);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
		arr, 0), "i")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
		arr, ATA_ZONELOG_EVENTS - 1), "i")), ATA_ZONELOG_EVENTS + 4);
	assert_true(ata_zonelog_mem(&l) > 0);
	ata_zonelog_deinit(&l);
}

static void
test_zones_evicted_lru(void** state)
{
	struct ata_zonelog l;
	char zone[32];
	json_t* e = ev(0);
	int i;
	(void)state;
	ata_zonelog_init(&l);
	for(i = 0; i < ATA_ZONELOG_ZONES; i++) {
		snprintf(zone, sizeof(zone), "z%d.", i);
		ata_zonelog_add(&l, zone, e);
	}
	/* touching z0. keeps it; the next new zone evicts z1. */
	ata_zonelog_add(&l, "z0.", e);
	ata_zonelog_add(&l, "new.", e);
	assert_int_equal(l.count, ATA_ZONELOG_ZONES);
	assert_non_null(ata_zonelog_get(&l, "z0."));
	assert_null(ata_zonelog_get(&l, "z1."));
	assert_non_null(ata_zonelog_get(&l, "z2."));
	assert_non_null(ata_zonelog_get(&l, "new."));
	assert_int_equal(json_array_size(ata_zonelog_get(&l, "z0.")), 2);
	ata_zonelog_deinit(&l);
	/* the log held references, now released: ours is the last */
	assert_int_equal(e->refcount, 1);
	json_decref(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_cap),
		cmocka_unit_test(test_zones_evicted_lru),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
