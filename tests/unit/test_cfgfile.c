/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Configuration parser: every case folder under tests/data/config/valid
 * must parse and print as its `expected` file; every folder under
 * tests/data/config/invalid must fail with exactly the error in `error`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cfgfile.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char*
slurp(const char* path)
{
	FILE* f = fopen(path, "r");
	char* buf;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/** Run fn on every case folder under DATADIR/config/kind. */
static int
each_case(const char* kind, void (*fn)(const char* dir, const char* name))
{
	char path[512];
	struct dirent* e;
	DIR* d;
	int n = 0;
	snprintf(path, sizeof(path), "%s/config/%s", DATADIR, kind);
	assert_non_null(d = opendir(path));
	while((e = readdir(d))) {
		char dir[1024];
		if(e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", path, e->d_name);
		fn(dir, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void
check_valid(const char* dir, const char* name)
{
	char conf[1100], exp[1100], err[256] = "";
	struct ata_config* cfg;
	char *want, *got = NULL;
	size_t gotlen = 0;
	FILE* out;
	snprintf(conf, sizeof(conf), "%s/autonta.conf", dir);
	snprintf(exp, sizeof(exp), "%s/expected", dir);
	cfg = ata_config_load(conf, err, sizeof(err));
	if(!cfg)
		fail_msg("valid case %s failed: %s", name, err);
	assert_string_equal(cfg->source, conf);
	out = open_memstream(&got, &gotlen);
	ata_config_print(cfg, out);
	fclose(out);
	want = slurp(exp);
	if(strcmp(want, got) != 0)
		fail_msg("case %s printed:\n%s\nexpected:\n%s", name, got, want);
	free(want);
	free(got);
	ata_config_delete(cfg);
}

static void
check_invalid(const char* dir, const char* name)
{
	char conf[1100], experr[1100], err[2048] = "", want[2200];
	char* text;
	struct ata_config* cfg;
	snprintf(conf, sizeof(conf), "%s/autonta.conf", dir);
	snprintf(experr, sizeof(experr), "%s/error", dir);
	cfg = ata_config_load(conf, err, sizeof(err));
	if(cfg)
		fail_msg("invalid case %s was accepted", name);
	text = slurp(experr);
	text[strcspn(text, "\n")] = 0;
	/* the expected error names the file relative to the case folder */
	snprintf(want, sizeof(want), "%s/%s", dir, text);
	if(strcmp(want, err) != 0)
		fail_msg("case %s: error\n  %s\nexpected\n  %s", name, err, want);
	free(text);
}

static void
test_valid_cases(void** state)
{
	(void)state;
	assert_true(each_case("valid", check_valid) >= 4);
}

static void
test_invalid_cases(void** state)
{
	(void)state;
	assert_true(each_case("invalid", check_invalid) >= 15);
}

static void
test_defaults_match_table(void** state)
{
	struct ata_config* cfg = ata_config_new();
	const struct ata_option* o;
	size_t n, i;
	(void)state;
	assert_non_null(cfg);
	o = ata_config_options(&n);
	assert_true(n >= 6);
	for(i = 0; i < n; i++) {
		assert_non_null(o[i].help);
		if(o[i].type == ATA_OPT_UINT) {
			unsigned v = *(unsigned*)((char*)cfg + o[i].offset);
			assert_true(v >= o[i].min && v <= o[i].max);
		}
	}
	assert_string_equal(cfg->source, "defaults");
	assert_int_equal(cfg->stats_interval, 60);
	ata_config_delete(cfg);
}

static void
test_missing_file(void** state)
{
	char err[256];
	(void)state;
	assert_null(ata_config_load("/nonexistent/autonta.conf", err,
		sizeof(err)));
	assert_string_equal(err, "cannot open /nonexistent/autonta.conf: "
		"No such file or directory");
	assert_null(ata_config_load("/", err, sizeof(err)));
	assert_string_equal(err, "/ is not a regular file");
}

static void
test_boundaries(void** state)
{
	struct ata_config* cfg = ata_config_new();
	char err[256];
	(void)state;
	assert_int_equal(ata_config_parse_text(cfg, "stats-interval: 1\n",
		"t", err, sizeof(err)), 0);
	assert_int_equal(cfg->stats_interval, 1);
	assert_int_equal(ata_config_parse_text(cfg, "stats-interval: 86400",
		"t", err, sizeof(err)), 0);
	assert_int_equal(ata_config_parse_text(cfg, "stats-interval: 86401",
		"t", err, sizeof(err)), -1);
	assert_int_equal(ata_config_parse_text(cfg,
		"queue-limit: 18446744073709551617", "t", err, sizeof(err)), -1);
	assert_string_equal(err, "t:1: queue-limit must be a whole number, "
		"not '18446744073709551617'");
	ata_config_delete(cfg);
}

static void
test_json(void** state)
{
	struct ata_config* cfg = ata_config_new();
	json_t* j;
	(void)state;
	j = ata_config_to_json(cfg);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j,
		"stats-interval")), 60);
	assert_true(json_is_false(json_object_get(j, "log-stderr")));
	assert_string_equal(json_string_value(json_object_get(j, "log-file")),
		"/var/lib/unbound/autonta-events.jsonl");
	json_decref(j);
	ata_config_delete(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_cases),
		cmocka_unit_test(test_invalid_cases),
		cmocka_unit_test(test_defaults_match_table),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests_name("cfgfile", tests, NULL, NULL);
}
