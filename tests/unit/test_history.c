/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * History of secure answers: recording by level, expiry, the state file
 * round trip, and corrupt files rejected with a reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
test_record_levels(void** state)
{
	struct ata_history h;
	(void)state;
	assert_int_equal(ata_history_init(&h), 0);
	ata_history_secure(&h, "www.a.sld1.de.", 1000, 3);
	assert_int_equal(ata_history_last_secure(&h, "de."), 1000);
	assert_int_equal(ata_history_last_secure(&h, "sld1.de."), 1000);
	assert_int_equal(ata_history_last_secure(&h, "a.sld1.de."), 1000);
	assert_int_equal(ata_history_last_secure(&h, "www.a.sld1.de."), 0);
	ata_history_secure(&h, "nl.", 2000, 3);
	assert_int_equal(ata_history_last_secure(&h, "nl."), 2000);
	/* never moves back in time */
	ata_history_secure(&h, "x.de.", 500, 3);
	assert_int_equal(ata_history_last_secure(&h, "de."), 1000);
	/* odd names are ignored */
	ata_history_secure(&h, ".", 3000, 3);
	ata_history_secure(&h, "aaa.bbb&", 3000, 3);
	ata_history_secure(&h, "", 3000, 3);
	/* de. sld1.de. a.sld1.de. nl. x.de. */
	assert_int_equal(ata_history_count(&h), 5);
	ata_history_expire(&h, 1500);
	assert_int_equal(ata_history_count(&h), 1);
	/* one level: the TLD only (nta-scope: tld) */
	ata_history_secure(&h, "www.sld2.se.", 4000, 1);
	assert_int_equal(ata_history_last_secure(&h, "se."), 4000);
	assert_int_equal(ata_history_last_secure(&h, "sld2.se."), 0);
	ata_history_deinit(&h);
}

static void
test_roundtrip(void** state)
{
	struct ata_history h, g;
	char path[] = "/tmp/autonta-hist-XXXXXX", err[256];
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(ata_history_init(&h), 0);
	/* a missing file is an empty history */
	assert_int_equal(ata_history_load(&h, path, NULL, err, sizeof(err)), 0);
	ata_history_secure(&h, "www.sld1.de.", 1764780000, 3);
	assert_true(h.dirty);
	assert_int_equal(ata_history_save(&h, path, NULL, err, sizeof(err)), 0);
	assert_false(h.dirty);
	assert_int_equal(ata_history_init(&g), 0);
	assert_int_equal(ata_history_load(&g, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(ata_history_last_secure(&g, "sld1.de."), 1764780000);
	assert_int_equal(ata_history_count(&g), 3);
	ata_history_deinit(&g);
	ata_history_deinit(&h);
	unlink(path);
}

static void
test_corrupt(void** state)
{
	struct ata_history h;
	char err[256];
	static const char* bad[] = {
		"", "{", "[]", "{\"version\":2,\"history\":{}}",
		"{\"version\":1}", "{\"version\":1,\"history\":[]}",
		"{\"version\":1,\"history\":{\"de.\":\"x\"}}",
		"{\"version\":1,\"history\":{\"de.\":-5}}",
		"{\"version\":1,\"history\":{\"a b.\":5}}",
		"{\"version\":1,\"history\":{\"de.\":5,\"de.\":6}}",
	};
	size_t i;
	(void)state;
	assert_int_equal(ata_history_init(&h), 0);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		if(ata_history_parse(&h, bad[i], strlen(bad[i]), NULL, err,
			sizeof(err)) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_true(err[0] != 0);
	}
	{
		const char* good = "{\"version\":1,\"history\":{\"DE\":7}}";
		assert_int_equal(ata_history_parse(&h, good, strlen(good), NULL, err,
			sizeof(err)), 0);
	}
	assert_int_equal(ata_history_last_secure(&h, "de."), 7);
	ata_history_deinit(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_levels),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_corrupt),
	};
	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
