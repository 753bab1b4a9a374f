/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The NTA board: names to wire format, matching query names at and below
 * an NTA on label boundaries only (case-insensitive, closest NTA wins),
 * publishing (changed or not), the EXTRA-TEXT of EDE 33, and readers on
 * other threads while the board changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ntaboard.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/** A query name in wire format from its presentation form. */
static size_t
wire(const char* name, uint8_t* out)
{
	size_t n = ata_name_to_wire(name, out, 256);
	assert_true(n > 0);
	return n;
}

static void
entry(struct ata_board_entry* e, const char* zone, time_t end)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->zone, sizeof(e->zone), "%s", zone);
	e->end = end;
}

static void
test_name_to_wire(void** state)
{
	uint8_t w[256];
	(void)state;
	assert_int_equal(ata_name_to_wire(".", w, sizeof(w)), 1);
	assert_int_equal(w[0], 0);
	assert_int_equal(ata_name_to_wire("De.", w, sizeof(w)), 4);
	assert_memory_equal(w, "\002de\000", 4);
	assert_int_equal(ata_name_to_wire("www.sld1.de.", w, sizeof(w)), 13);
	assert_memory_equal(w, "\003www\004sld1\002de\000", 13);
	/* not names: no final dot, empty labels, odd characters, too long */
	assert_int_equal(ata_name_to_wire("de", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire("a..de.", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire(".de.", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire("a b.de.", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire("a\\.b.de.", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire("", w, sizeof(w)), 0);
	assert_int_equal(ata_name_to_wire("de.", w, 3), 0);
	{
		char label[80];
		char name[100];
		memset(label, 'a', 64);
		label[64] = 0;
		snprintf(name, sizeof(name), "%s.de.", label);
		assert_int_equal(ata_name_to_wire(name, w, sizeof(w)), 0);
	}
}

static void
test_match(void** state)
{
	struct ata_ntaboard b;
	struct ata_board_entry e[3], got;
	uint8_t q[256];
	size_t n;
	(void)state;
	ata_ntaboard_init(&b);
	n = wire("www.sld1.de.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 0);
	entry(&e[0], "de.", 1000);
	entry(&e[1], "sld2.de.", 2000);
	entry(&e[2], "co.uk.", 3000);
	assert_int_equal(ata_ntaboard_publish(&b, e, 3), 1);

	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 1);
	assert_string_equal(got.zone, "de.");
	assert_int_equal(got.end, 1000);
	/* the zone itself, in any case */
	n = wire("DE.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 1);
	/* the closest NTA wins */
	n = wire("a.b.Sld2.de.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 1);
	assert_string_equal(got.zone, "sld2.de.");
	/* label boundaries only: "xde." and "uk." are not below */
	n = wire("www.xde.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 0);
	n = wire("uk.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 0);
	n = wire("example.co.uk.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, NULL), 1);
	/* a label holding a dot is one label: "x.de" under the root */
	memcpy(q, "\004x.de\000", 6);
	assert_int_equal(ata_ntaboard_match(&b, q, 6, &got), 0);
	/* the root */
	assert_int_equal(ata_ntaboard_match(&b, (const uint8_t*)"", 1, &got),
		0);
	ata_ntaboard_deinit(&b);
}

static void
test_publish(void** state)
{
	struct ata_ntaboard b;
	struct ata_board_entry e[2], got;
	uint8_t q[256];
	size_t n;
	(void)state;
	ata_ntaboard_init(&b);
	entry(&e[0], "de.", 1000);
	entry(&e[1], "not a name", 1000);
	assert_int_equal(ata_ntaboard_publish(&b, e, 2), 1);
	assert_int_equal(atomic_load(&b.count), 1);	/* the bad one left out */
	assert_int_equal(ata_ntaboard_publish(&b, e, 2), 0);	/* unchanged */
	e[0].end = 1500;	/* extended */
	assert_int_equal(ata_ntaboard_publish(&b, e, 1), 1);
	n = wire("de.", q);
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 1);
	assert_int_equal(got.end, 1500);
	assert_int_equal(ata_ntaboard_publish(&b, e, 0), 1);	/* lifted */
	assert_int_equal(ata_ntaboard_match(&b, q, n, &got), 0);
	ata_ntaboard_deinit(&b);
}

static void
test_ede_text(void** state)
{
	struct ata_board_entry e;
	char buf[ATA_EDE_TEXT_MAX];
	json_t* j;
	(void)state;
	entry(&e, "de.", 1777998600);	/* 2026-05-05T16:30:00Z */
	assert_int_equal(ata_ede_nta_text(&e, buf, sizeof(buf)), 0);
	assert_string_equal(buf,
		"{\"domain\":\"de.\",\"end\":\"2026-05-05T16:30:00Z\"}");
	assert_non_null(j = json_loads(buf, 0, NULL));
	json_decref(j);
	assert_int_equal(ata_ede_nta_text(&e, buf, 20), -1);
	/* the board keeps the same text, made once when published */
	{
		struct ata_ntaboard b;
		char got[ATA_EDE_TEXT_MAX];
		uint8_t q[256];
		size_t n = ata_name_to_wire("www.sld1.de.", q, sizeof(q));
		assert_int_equal(ata_ede_nta_text(&e, buf, sizeof(buf)), 0);
		ata_ntaboard_init(&b);
		assert_int_equal(ata_ntaboard_text(&b, q, n, got, sizeof(got)),
			0);
		assert_int_equal(ata_ntaboard_publish(&b, &e, 1), 1);
		assert_int_equal(ata_ntaboard_text(&b, q, n, got, sizeof(got)),
			1);
		assert_string_equal(got, buf);
		n = ata_name_to_wire("www.sld1.nl.", q, sizeof(q));
		assert_int_equal(ata_ntaboard_text(&b, q, n, got, sizeof(got)),
			0);
		ata_ntaboard_deinit(&b);
	}
}

/** Readers on another thread while the board changes under them. */
struct reader {
	struct ata_ntaboard* b;
	atomic_int stop;
	atomic_long seen, wrong;
};

static void*
read_loop(void* arg)
{
	struct reader* r = arg;
	struct ata_board_entry got;
	uint8_t q[256];
	size_t n = ata_name_to_wire("www.sld1.de.", q, sizeof(q));
	while(!atomic_load(&r->stop)) {
		if(ata_ntaboard_match(r->b, q, n, &got)) {
			r->seen++;
			if(strcmp(got.zone, "de.") != 0 || got.end < 1000)
				r->wrong++;
		}
	}
	return NULL;
}

static void
test_concurrent_readers(void** state)
{
	struct ata_ntaboard b;
	struct ata_board_entry e[2];
	struct reader r = { &b, 0, 0, 0 };
	pthread_t t[2];
	int i;
	(void)state;
	ata_ntaboard_init(&b);
	for(i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, read_loop, &r), 0);
	for(i = 0; i < 20000; i++) {
		entry(&e[0], "nl.", 5);
		entry(&e[1], "de.", 1000 + i);
		(void)ata_ntaboard_publish(&b, e, (unsigned)(i % 3));
	}
	atomic_store(&r.stop, 1);
	for(i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(r.wrong, 0);
	ata_ntaboard_deinit(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_to_wire),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_ede_text),
		cmocka_unit_test(test_concurrent_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
