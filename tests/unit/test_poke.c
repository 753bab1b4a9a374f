/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Poke queries: well-formed, unique, recognised only with the token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "poke.h"

#include <string.h>

static void
test_build_and_match(void** state)
{
	struct ata_poke p, other;
	uint8_t a[128], b[128];
	size_t na, nb;
	(void)state;
	assert_int_equal(ata_poke_init(&p, "127.0.0.1", 53), 0);
	assert_int_equal(ata_poke_init(&other, "::1", 5353), 0);
	assert_int_equal(strlen(p.token), ATA_POKE_TOKEN_LEN);
	assert_string_not_equal(p.token, other.token);
	na = ata_poke_build(&p, a, sizeof(a));
	nb = ata_poke_build(&p, b, sizeof(b));
	assert_true(na > 12 && na == nb);
	assert_int_equal(a[5], 1);		/* one question */
	assert_int_equal(a[2] & 0x80, 0);	/* a query */
	/* two pokes never share a name (no cache hit) */
	assert_memory_not_equal(a + 12, b + 12, na - 12 - 4);
	assert_true(ata_poke_match(p.token, a + 12));
	assert_false(ata_poke_match(other.token, a + 12));
	/* the name ends in autonta-poke. then type A class IN */
	assert_memory_equal(a + na - 4 - 14, "\014autonta-poke\0", 14);
	assert_int_equal(ata_poke_build(&p, a, 20), 0);
	assert_int_equal(ata_poke_init(&p, "not-an-address", 53), -1);
	assert_int_equal(ata_poke_send(&p), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_match),
	};
	return cmocka_run_group_tests_name("poke", tests, NULL, NULL);
}
