/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The spike detector's rules at their boundaries: count, distinct
 * children, share, window, quiet/reset, and its memory bound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "detector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ata_detector_params params = {
	.window = 30, .min_bogus = 20, .min_children = 10,
	.min_percent = 20, .max_zones = 64
};

static struct ata_outcome
out(const char* qname, const char* zone, int sec)
{
	struct ata_outcome o;
	memset(&o, 0, sizeof(o));
	snprintf(o.qname, sizeof(o.qname), "%s", qname);
	snprintf(o.zone, sizeof(o.zone), "%s", zone);
	o.sec = (uint8_t)sec;
	o.ede = 9;
	o.step = ATA_STEP_DNSKEY;
	o.qtype = 1;
	return o;
}

/** Feed n bogus answers for www.sld<i % children>.<tld>; returns the
 * index (1-based) of the answer that made a spike, or 0. */
static int
feed(struct ata_detector* d, const char* tld, int n, int children,
	time_t now, struct ata_spike* s)
{
	char q[128], z[64];
	int i;
	snprintf(z, sizeof(z), "%s.", tld);
	for(i = 0; i < n; i++) {
		struct ata_outcome o;
		snprintf(q, sizeof(q), "www.sld%d.%s.", i % children, tld);
		o = out(q, z, ATA_SEC_BOGUS);
		if(ata_detector_add(d, &o, now, s))
			return i + 1;
	}
	return 0;
}

static void
test_tld_wide_at_threshold(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	assert_int_equal(feed(&d, "de", 100, 50, 1000, &s), 20);
	assert_string_equal(s.zone, "de.");
	assert_int_equal(s.bogus, 20);
	assert_int_equal(s.total, 20);
	assert_int_equal(s.children, 20);
	assert_int_equal(s.ede[9], 20);
	assert_int_equal(s.steps[ATA_STEP_DNSKEY], 20);
	assert_int_equal(s.nsamples, ATA_DET_SAMPLES);
	assert_string_equal(s.qnames[0], "www.sld0.de.");
	/* quiet afterwards: no second spike for the same episode */
	assert_int_equal(feed(&d, "de", 100, 50, 1001, &s), 0);
	/* reset: a fresh episode can report again */
	ata_detector_reset(&d, "de.");
	assert_int_equal(feed(&d, "de", 100, 50, 1002, &s), 20);
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_children_boundary(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	/* nine children: never, however many answers */
	assert_int_equal(feed(&d, "de", 1000, 9, 1000, &s), 0);
	/* the tenth child makes it */
	{
		struct ata_outcome o = out("a.sld9.de.", "de.", ATA_SEC_BOGUS);
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 1);
		assert_int_equal(s.children, 10);
	}
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_one_hot_name(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	struct ata_outcome o = out("www.sld1.de.", "de.", ATA_SEC_BOGUS);
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	for(i = 0; i < 5000; i++)
		assert_int_equal(ata_detector_add(&d, &o, 1000 + i / 500, &s), 0);
	ata_detector_deinit(&d);
}

static void
test_count_boundary(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	assert_int_equal(feed(&d, "de", 19, 19, 1000, &s), 0);
	{
		struct ata_outcome o = out("x.sld77.de.", "de.", ATA_SEC_BOGUS);
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 1);
	}
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_percent_boundary(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	/* the zone becomes tracked with one bogus answer */
	{
		struct ata_outcome o = out("www.sld0.de.", "de.", ATA_SEC_BOGUS);
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 0);
	}
	/* 80 good answers under it, then bogus ones: 20 bogus of 100 is
	 * exactly 20 % at the 19th further bogus answer */
	for(i = 0; i < 80; i++) {
		struct ata_outcome o;
		snprintf(q, sizeof(q), "a.good%d.de.", i);
		o = out(q, "", ATA_SEC_SECURE);
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 0);
	}
	assert_int_equal(feed(&d, "de", 18, 18, 1000, &s), 0);
	/* 19 bogus of 99: 19.2 % < 20 %: not yet */
	{
		struct ata_outcome o = out("www.sld50.de.", "de.", ATA_SEC_BOGUS);
		/* 20 bogus of 100 = 20 %: yes */
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 1);
		assert_int_equal(s.total, 100);
		assert_int_equal(s.bogus, 20);
	}
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_percent_below(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	{
		struct ata_outcome o = out("www.sld0.de.", "de.", ATA_SEC_BOGUS);
		ata_detector_add(&d, &o, 1000, &s);
	}
	for(i = 0; i < 81; i++) {
		struct ata_outcome o;
		snprintf(q, sizeof(q), "a.good%d.de.", i);
		o = out(q, "", ATA_SEC_INSECURE);
		ata_detector_add(&d, &o, 1000, &s);
	}
	/* 20 bogus of 101 */
	assert_int_equal(feed(&d, "de", 19, 19, 1000, &s), 0);
	ata_detector_deinit(&d);
}

static void
test_window_slides(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	/* one bogus answer every 2 s for a long time: at most 15 in any
	 * 30 s window */
	for(i = 0; i < 200; i++) {
		struct ata_outcome o;
		snprintf(q, sizeof(q), "www.sld%d.de.", i);
		o = out(q, "de.", ATA_SEC_BOGUS);
		assert_int_equal(ata_detector_add(&d, &o, 1000 + 2 * i, &s), 0);
	}
	/* the same 200 within 20 s: yes */
	ata_detector_reset(&d, "de.");
	assert_true(feed(&d, "de", 200, 200, 5000, &s) > 0);
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_attribution_matters(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[160], z[64];
	int i, spikes = 0;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	/* 30 children broken independently: each blamed on itself, with
	 * few names each; de. is never blamed */
	for(i = 0; i < 30 * 5; i++) {
		struct ata_outcome o;
		snprintf(z, sizeof(z), "sld%d.de.", i % 30);
		snprintf(q, sizeof(q), "www.%s", z);
		o = out(q, z, ATA_SEC_BOGUS);
		spikes += ata_detector_add(&d, &o, 1000, &s);
	}
	assert_int_equal(spikes, 0);
	assert_null(ata_nametab_get(&d.zones, "de."));
	ata_detector_deinit(&d);
}

static void
test_root_children_are_tlds(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	for(i = 0; i < 20; i++) {
		struct ata_outcome o;
		snprintf(q, sizeof(q), "www.x.tld%d.", i % 10);
		o = out(q, ".", ATA_SEC_BOGUS);
		if(ata_detector_add(&d, &o, 1000, &s))
			break;
	}
	assert_int_equal(i, 19);
	assert_string_equal(s.zone, ".");
	assert_int_equal(s.children, 10);
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_apex_and_outside_are_not_children(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	/* 8 children plus the apex plus a CNAME target elsewhere: 8 */
	for(i = 0; i < 40; i++) {
		struct ata_outcome o;
		if(i % 5 == 3)
			snprintf(q, sizeof(q), "de.");
		else if(i % 5 == 4)
			snprintf(q, sizeof(q), "www.example.nl.");
		else
			snprintf(q, sizeof(q), "www.sld%d.de.", i % 8);
		o = out(q, "de.", ATA_SEC_BOGUS);
		assert_int_equal(ata_detector_add(&d, &o, 1000, &s), 0);
	}
	ata_detector_deinit(&d);
}

static void
test_refused_zone_reports_again_next_episode(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	assert_int_equal(feed(&d, "de", 50, 50, 1000, &s), 20);
	ata_spike_clear(&s);
	/* same episode: quiet */
	assert_int_equal(feed(&d, "de", 50, 50, 1010, &s), 0);
	/* after a quiet window, a new episode reports again */
	assert_int_equal(feed(&d, "de", 50, 50, 1100, &s), 20);
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_samples_spread_over_episode(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	struct ata_detector_params p = params;
	int i, late = 0;
	(void)state;
	p.min_bogus = 1000;
	assert_int_equal(ata_detector_init(&d, &p), 0);
	/* the first 8 names are one party's; 992 more follow */
	assert_int_equal(feed(&d, "de", 1000, 1000, 1000, &s), 1000);
	for(i = 0; i < s.nsamples; i++)
		if(strncmp(s.qnames[i], "www.sld", 7) == 0
			&& atoi(s.qnames[i] + 7) >= 8)
			late++;
	assert_int_equal(s.nsamples, ATA_DET_SAMPLES);
	/* reservoir sampling keeps mostly later names, not the first 8 */
	assert_true(late >= 4);
	ata_spike_clear(&s);
	ata_detector_deinit(&d);
}

static void
test_memory_bound(void** state)
{
	struct ata_detector d;
	struct ata_spike s;
	char q[160], z[64];
	int i;
	(void)state;
	assert_int_equal(ata_detector_init(&d, &params), 0);
	for(i = 0; i < 100000; i++) {
		struct ata_outcome o;
		snprintf(z, sizeof(z), "nx%d.", i);
		snprintf(q, sizeof(q), "a.%s", z);
		o = out(q, z, ATA_SEC_BOGUS);
		ata_detector_add(&d, &o, 1000, &s);
	}
	assert_int_equal(d.zones.count, params.max_zones);
	assert_int_equal(d.evicted, 100000 - params.max_zones);
	/* the most recent zones are the ones kept */
	assert_non_null(ata_nametab_get(&d.zones, "nx99999."));
	assert_null(ata_nametab_get(&d.zones, "nx0."));
	assert_true(ata_detector_mem(&d) < 64 * 4096);
	ata_detector_deinit(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tld_wide_at_threshold),
		cmocka_unit_test(test_children_boundary),
		cmocka_unit_test(test_one_hot_name),
		cmocka_unit_test(test_count_boundary),
		cmocka_unit_test(test_percent_boundary),
		cmocka_unit_test(test_percent_below),
		cmocka_unit_test(test_window_slides),
		cmocka_unit_test(test_attribution_matters),
		cmocka_unit_test(test_root_children_are_tlds),
		cmocka_unit_test(test_apex_and_outside_are_not_children),
		cmocka_unit_test(test_refused_zone_reports_again_next_episode),
		cmocka_unit_test(test_samples_spread_over_episode),
		cmocka_unit_test(test_memory_bound),
	};
	return cmocka_run_group_tests_name("detector", tests, NULL, NULL);
}
