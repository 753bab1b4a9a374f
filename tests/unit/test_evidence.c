/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The parsers of evidence data read from the network: DNSKEY key tags
 * (RFC 4034 Appendix B, checked against a known key) and DS RDATA.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "evidence.h"

#include <string.h>

/* A KSK made by ldns-keygen for the lab, which named it Kde.+013+28579:
 * flags 257, protocol 3, algorithm 13, and its public key. */
static const uint8_t dnskey_28579[] = {
	0x01, 0x01, 0x03, 0x0d, 0x4b, 0xd7, 0x49, 0xd0, 0x09, 0x05, 0x7c,
	0x35, 0xa7, 0x43, 0x9c, 0x85, 0x26, 0x72, 0x46, 0xc3, 0xee, 0x68,
	0x64, 0xe3, 0x69, 0x01, 0xa3, 0xe0, 0x35, 0x7a, 0xb2, 0x8c, 0x4a,
	0x63, 0xaa, 0x6d, 0xa3, 0x25, 0x79, 0x9a, 0xcc, 0x31, 0xe8, 0x4d,
	0x42, 0x5d, 0x13, 0x86, 0x76, 0x8e, 0x17, 0xdb, 0x46, 0x23, 0xac,
	0x7d, 0xc9, 0x10, 0xb5, 0x43, 0x1e, 0xfe, 0xb6, 0x32, 0x3f, 0x51,
	0x27, 0xaa
};

static void
test_key_tag(void** state)
{
	(void)state;
	assert_int_equal(ata_dnskey_tag(dnskey_28579, sizeof(dnskey_28579)),
		28579);
	assert_int_equal(ata_dnskey_tag(dnskey_28579, 3), -1);
	assert_int_equal(ata_dnskey_tag(NULL, 0), -1);
}

static void
test_ds(void** state)
{
	const uint8_t ds[] = { 0xec, 0x45, 0x05, 0x01, 0x2b, 0xb1 };
	uint16_t tag;
	uint8_t alg, dt;
	(void)state;
	assert_int_equal(ata_ds_parse(ds, sizeof(ds), &tag, &alg, &dt), 0);
	assert_int_equal(tag, 60485);
	assert_int_equal(alg, 5);
	assert_int_equal(dt, 1);
	assert_int_equal(ata_ds_parse(ds, 3, &tag, &alg, &dt), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_tag),
		cmocka_unit_test(test_ds),
	};
	return cmocka_run_group_tests_name("evidence", tests, NULL, NULL);
}
