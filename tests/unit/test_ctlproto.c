/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Control protocol requests: every line of tests/data/control/valid must
 * parse as it says, every line of tests/data/control/invalid must be
 * refused with exactly its code and error; durations; and the bytes a
 * text file cannot hold (control characters, over-long lines).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctlproto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Each "REQUEST => EXPECTED" line of a case file; returns the count. */
static int
each_line(const char* name, void (*check)(const char* req,
	const char* want, int lineno))
{
	char path[512], line[2048];
	FILE* f;
	int n = 0, lineno = 0;
	snprintf(path, sizeof(path), "%s/control/%s", DATADIR, name);
	assert_non_null(f = fopen(path, "r"));
	while(fgets(line, sizeof(line), f)) {
		char* sep;
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if(!line[0] || line[0] == '#')
			continue;
		sep = strstr(line, " => ");
		if(!sep)
			fail_msg("%s:%d: no ' => '", name, lineno);
		*sep = 0;
		check(line, sep + 4, lineno);
		n++;
	}
	fclose(f);
	return n;
}

static void
check_valid(const char* req, const char* want, int lineno)
{
	struct ata_ctl_request r;
	char err[512], got[600];
	const char* code = NULL;
	if(ata_ctl_parse(req, &r, err, sizeof(err), &code) != 0)
		fail_msg("valid:%d: '%s' refused: %s", lineno, req, err);
	snprintf(got, sizeof(got), "%s %s %s %u", ata_ctl_command(r.cmd)->name,
		r.zone[0] ? r.zone : "-", r.word[0] ? r.word : "-", r.lifetime);
	if(strcmp(got, want) != 0)
		fail_msg("valid:%d: '%s' parsed as '%s', expected '%s'", lineno,
			req, got, want);
}

static void
check_invalid(const char* req, const char* want, int lineno)
{
	struct ata_ctl_request r;
	char err[512], got[600];
	const char* code = NULL;
	if(ata_ctl_parse(req, &r, err, sizeof(err), &code) == 0)
		fail_msg("invalid:%d: '%s' was accepted", lineno, req);
	snprintf(got, sizeof(got), "%s: %s", code, err);
	if(strcmp(got, want) != 0)
		fail_msg("invalid:%d: '%s' gave\n  %s\nexpected\n  %s", lineno,
			req, got, want);
}

static void
test_valid_requests(void** state)
{
	(void)state;
	assert_true(each_line("valid", check_valid) >= 15);
}

static void
test_invalid_requests(void** state)
{
	(void)state;
	assert_true(each_line("invalid", check_invalid) >= 15);
}

static void
test_bytes(void** state)
{
	struct ata_ctl_request r;
	char err[512], line[ATA_CTL_MAX_LINE + 10];
	const char* code;
	(void)state;
	assert_int_equal(ata_ctl_parse("AUTONTA/1 show d\x01e.", &r, err,
		sizeof(err), &code), -1);
	assert_string_equal(code, ATA_CTL_E_USAGE);
	assert_int_equal(ata_ctl_parse("AUTONTA/1 show d\xc3\xa9.", &r, err,
		sizeof(err), &code), -1);
	memset(line, ' ', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	memcpy(line, "AUTONTA/1 status", 16);
	assert_int_equal(ata_ctl_parse(line, &r, err, sizeof(err), &code), -1);
	assert_string_equal(err, "request longer than 1024 bytes");
	/* exactly the limit is fine */
	line[ATA_CTL_MAX_LINE] = 0;
	assert_int_equal(ata_ctl_parse(line, &r, err, sizeof(err), &code), 0);
}

static void
test_durations(void** state)
{
	unsigned s;
	(void)state;
	assert_int_equal(ata_ctl_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(ata_ctl_parse_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(ata_ctl_parse_duration("3650d", &s), 0);
	assert_int_equal(s, 315360000);
	assert_int_equal(ata_ctl_parse_duration("3651d", &s), -1);
	assert_int_equal(ata_ctl_parse_duration("1hh", &s), -1);
	assert_int_equal(ata_ctl_parse_duration("", &s), -1);
	assert_int_equal(ata_ctl_parse_duration("h", &s), -1);
	assert_int_equal(ata_ctl_parse_duration(" 5", &s), -1);
	assert_int_equal(ata_ctl_parse_duration("18446744073709551617", &s),
		-1);
}

static void
test_table(void** state)
{
	int i;
	(void)state;
	for(i = 0; i < ATA_CTL_NCMDS; i++) {
		const struct ata_ctl_command* c = ata_ctl_command(i);
		assert_non_null(c->name);
		assert_int_equal(ata_ctl_lookup(c->name), i);
		assert_true(c->min_args <= c->max_args && c->max_args <= 2);
	}
	assert_int_equal(ata_ctl_lookup("check-config"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_requests),
		cmocka_unit_test(test_invalid_requests),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
