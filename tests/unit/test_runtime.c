/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The runtime end to end without Unbound: outcomes in, JSON lines out,
 * clean start and stop, and clear errors for a bad log path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cfgfile.h"
#include "outcome.h"
#include "runtime.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void
quiet_log(int level, const char* msg)
{
	(void)level; (void)msg;
}

static const struct ata_host host = {
	.unbound_version = "1.17.1", .num_threads = 2, .log = quiet_log,
	.no_recheck = 1
};

static struct ata_config*
cfg_with(const char* text)
{
	struct ata_config* cfg = ata_config_new();
	char err[256];
	assert_int_equal(ata_config_parse_text(cfg, text, "t", err,
		sizeof(err)), 0);
	return cfg;
}

static void
test_lines(void** state)
{
	char path[] = "/tmp/autonta-test-XXXXXX", text[256], line[65536];
	struct ata_runtime* rt;
	struct ata_outcome* o;
	int fd = mkstemp(path), i, started = 0, stopped = 0, zstats = 0;
	FILE* f;
	char err[256];
	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(text, sizeof(text), "log-file: %s\nlog-outcomes: yes\n"
		"stats-interval: 3600\ncontrol-socket: \"\"\n", path);
	rt = ata_runtime_create(cfg_with(text), &host, err, sizeof(err));
	assert_non_null(rt);
	for(i = 0; i < 10; i++) {
		o = calloc(1, sizeof(*o));
		clock_gettime(CLOCK_REALTIME, &o->when);
		snprintf(o->qname, sizeof(o->qname), "www.sld%d.de.", i);
		snprintf(o->zone, sizeof(o->zone), "de.");
		o->sec = ATA_SEC_BOGUS;
		o->ede = 9;
		o->reason = strdup("for key de.");
		ata_runtime_observe(rt, o);
	}
	assert_true(ata_runtime_mem(rt) > 0);
	ata_runtime_delete(rt);

	assert_non_null(f = fopen(path, "r"));
	while(fgets(line, sizeof(line), f)) {
		json_error_t je;
		json_t* ev = json_loads(line, 0, &je);
		const char* name;
		if(!ev)
			fail_msg("not JSON: %s (%s)", line, je.text);
		assert_int_equal(json_integer_value(json_object_get(ev,
			"schema")), 1);
		assert_non_null(json_string_value(json_object_get(ev, "time")));
		name = json_string_value(json_object_get(ev, "event"));
		if(strcmp(name, "module_started") == 0) {
			started++;
			assert_int_equal(json_integer_value(json_object_get(
				json_object_get(ev, "config"),
				"stats-interval")), 3600);
		} else if(strcmp(name, "module_stopped") == 0) {
			stopped++;
			assert_int_equal(json_integer_value(json_object_get(ev,
				"outcomes_processed")), 10);
		} else if(strcmp(name, "zone_stats") == 0) {
			zstats++;
			assert_string_equal(json_string_value(json_object_get(
				ev, "zone")), "de.");
			assert_int_equal(json_integer_value(json_object_get(ev,
				"bogus")), 10);
		}
		json_decref(ev);
	}
	fclose(f);
	unlink(path);
	assert_int_equal(started, 1);
	assert_int_equal(stopped, 1);
	/* the partial interval is summarised at stop */
	assert_int_equal(zstats, 1);
}

static void
test_unwritable_log(void** state)
{
	char err[256];
	(void)state;
	assert_null(ata_runtime_create(cfg_with(
		"log-file: /nonexistent-dir/events.jsonl\n"), &host, err,
		sizeof(err)));
	assert_string_equal(err, "cannot open log-file "
		"/nonexistent-dir/events.jsonl: No such file or directory");
}

static void
test_repeat_create_delete(void** state)
{
	char dir[] = "/tmp/autonta-rt-XXXXXX", text[256], err[256];
	int i;
	(void)state;
	assert_non_null(mkdtemp(dir));
	/* the control socket is closed and removed each time */
	snprintf(text, sizeof(text), "log-file: \"\"\nstate-file: \"\"\n"
		"control-socket: %s/ctl\n", dir);
	/* Unbound's reload is deinit + init: must be repeatable */
	for(i = 0; i < 20; i++) {
		struct ata_runtime* rt = ata_runtime_create(cfg_with(text),
			&host, err, sizeof(err));
		if(!rt)
			fail_msg("create %d: %s", i, err);
		ata_runtime_delete(rt);
	}
	rmdir(dir);
}

/** One request over the control socket at path; the parsed reply. */
static json_t*
ask(const char* path, const char* request)
{
	struct sockaddr_un sun;
	char buf[65536];
	size_t len = 0;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
	assert_int_equal(write(fd, request, strlen(request)),
		(ssize_t)strlen(request));
	while(len < sizeof(buf) - 1 && (n = read(fd, buf + len,
		sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	return json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
}

static void
test_control_commands(void** state)
{
	char dir[] = "/tmp/autonta-rt-XXXXXX", text[512], sock[128];
	struct ata_runtime* rt;
	char err[256];
	json_t* r;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/ctl", dir);
	snprintf(text, sizeof(text), "log-file: \"\"\nstate-file: \"\"\n"
		"control-socket: %s\n", sock);
	assert_non_null(rt = ata_runtime_create(cfg_with(text), &host, err,
		sizeof(err)));
	r = ask(sock, "AUTONTA/1 status\n");
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_string_equal(json_string_value(json_object_get(r, "command")),
		"status");
	assert_string_equal(json_string_value(json_object_get(r, "mode")),
		"enforce");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 mode advise\n");
	assert_string_equal(json_string_value(json_object_get(r, "from")),
		"enforce");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 status\n");
	assert_string_equal(json_string_value(json_object_get(r, "mode")),
		"advise");
	assert_string_equal(json_string_value(json_object_get(r,
		"configured_mode")), "enforce");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 list\n");
	assert_int_equal(json_array_size(json_object_get(r, "ntas")), 0);
	json_decref(r);
	r = ask(sock, "AUTONTA/1 remove de.\n");
	assert_false(json_is_true(json_object_get(r, "ok")));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"not-found");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 approve de.\n");
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"not-found");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 add .\n");
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"refused");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 add de. 10\n");
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"usage");
	json_decref(r);
	r = ask(sock, "AUTONTA/1 stats\n");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r,
		"events"), "mode_changed")), 1);
	json_decref(r);
	r = ask(sock, "AUTONTA/1 show de.\n");
	assert_true(json_is_null(json_object_get(r, "nta")));
	assert_string_equal(json_string_value(json_object_get(r,
		"unbound_anchor")), "unknown");
	json_decref(r);
	ata_runtime_delete(rt);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_unwritable_log),
		cmocka_unit_test(test_control_commands),
		cmocka_unit_test(test_repeat_create_delete),
	};
	return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
