/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * zone_stats aggregation: counts per blamed zone, distinct names (one hot
 * name is one name), EDE and step tallies, samples, totals, the zone bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "event.h"
#include "outcome.h"
#include "zonestats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ata_outcome
mk(const char* qname, const char* zone, int sec, int ede, int src)
{
	struct ata_outcome o;
	memset(&o, 0, sizeof(o));
	o.when.tv_sec = 1777988220;
	snprintf(o.qname, sizeof(o.qname), "%s", qname);
	snprintf(o.zone, sizeof(o.zone), "%s", zone);
	o.sec = (uint8_t)sec;
	o.ede = ede;
	o.source = (uint8_t)src;
	o.step = ATA_STEP_DNSKEY;
	return o;
}

static json_t*
find(json_t* arr, const char* event, const char* zone)
{
	size_t i;
	json_t* ev;
	json_array_foreach(arr, i, ev) {
		const char* z = json_string_value(json_object_get(ev, "zone"));
		if(strcmp(json_string_value(json_object_get(ev, "event")),
			event) == 0 && (!zone || (z && strcmp(z, zone) == 0)))
			return ev;
	}
	return NULL;
}

static void
test_counts(void** state)
{
	struct ata_zonestats zs;
	struct timespec t0 = { 1777988200, 0 }, t1 = { 1777988260, 0 };
	struct ata_outcome o;
	json_t *arr = json_array(), *ev;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_zonestats_init(&zs, 100, &t0), 0);
	for(i = 0; i < 50; i++) {
		snprintf(q, sizeof(q), "www.sld%d.de.", i);
		o = mk(q, "de.", ATA_SEC_BOGUS, i ? 6 : 9, ATA_SRC_VALIDATED);
		ata_zonestats_add(&zs, &o);
	}
	/* one hot name, many times, from the cache */
	for(i = 0; i < 1000; i++) {
		o = mk("www.sld7.nl.", "sld7.nl.", ATA_SEC_BOGUS, 6,
			ATA_SRC_CACHED_BOGUS);
		ata_zonestats_add(&zs, &o);
	}
	o = mk("www.sld1.nl.", "", ATA_SEC_SECURE, -1, ATA_SRC_VALIDATED);
	ata_zonestats_add(&zs, &o);
	o = mk("x.de.", "de.", ATA_SEC_BOGUS, 77, ATA_SRC_VALIDATED);
	o.reason = "signature expired";
	ata_zonestats_add(&zs, &o);

	ata_zonestats_flush(&zs, &t1, 3, arr);
	assert_int_equal(json_array_size(arr), 3);
	ev = find(arr, "zone_stats", "de.");
	assert_non_null(ev);
	assert_int_equal(json_integer_value(json_object_get(ev, "bogus")), 51);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"distinct_qnames")), 51);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		ev, "ede"), "9")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		ev, "ede"), "6")), 49);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		ev, "ede"), "other")), 1);
	assert_int_equal(json_array_size(json_object_get(ev,
		"sample_qnames")), ATA_SAMPLES);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
		ev, "sample_reasons"), 0)), "signature expired");
	assert_true(json_real_value(json_object_get(ev, "interval_s")) == 60.0);
	ev = find(arr, "zone_stats", "sld7.nl.");
	assert_int_equal(json_integer_value(json_object_get(ev, "bogus")),
		1000);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"distinct_qnames")), 1);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"from_cache")), 1000);
	ev = find(arr, "stats", NULL);
	assert_non_null(ev);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		ev, "outcomes"), "bogus")), 1051);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		ev, "outcomes"), "secure")), 1);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"cached_bogus")), 1000);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"queue_dropped_total")), 3);
	json_decref(arr);

	/* the next interval starts empty */
	arr = json_array();
	ata_zonestats_flush(&zs, &t1, 3, arr);
	assert_int_equal(json_array_size(arr), 1);
	json_decref(arr);
	ata_zonestats_deinit(&zs);
}

static void
test_zone_bound_and_cap(void** state)
{
	struct ata_zonestats zs;
	struct timespec t0 = { 0, 0 };
	struct ata_outcome o;
	json_t *arr = json_array(), *ev;
	char q[64], z[64];
	int i;
	(void)state;
	assert_int_equal(ata_zonestats_init(&zs, 16, &t0), 0);
	for(i = 0; i < 40; i++) {
		snprintf(z, sizeof(z), "sld%d.de.", i);
		o = mk(z, z, ATA_SEC_BOGUS, 6, ATA_SRC_VALIDATED);
		ata_zonestats_add(&zs, &o);
	}
	for(i = 0; i < ATA_DISTINCT_CAP + 100; i++) {
		snprintf(q, sizeof(q), "n%d.sld0.de.", i);
		o = mk(q, "sld0.de.", ATA_SEC_BOGUS, 6, ATA_SRC_VALIDATED);
		ata_zonestats_add(&zs, &o);
	}
	assert_true(ata_zonestats_mem(&zs) < 200000);
	ata_zonestats_flush(&zs, &t0, 0, arr);
	assert_int_equal(json_array_size(arr), 17);
	ev = find(arr, "stats", NULL);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"untracked_zones")), 24);
	assert_int_equal(json_integer_value(json_object_get(ev,
		"zones_with_bogus")), 16);
	ev = find(arr, "zone_stats", "sld0.de.");
	assert_true(json_is_true(json_object_get(ev, "distinct_capped")));
	assert_true(json_integer_value(json_object_get(ev,
		"distinct_qnames")) >= ATA_DISTINCT_CAP);
	json_decref(arr);
	ata_zonestats_deinit(&zs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_zone_bound_and_cap),
	};
	return cmocka_run_group_tests_name("zonestats", tests, NULL, NULL);
}
