/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The event sink on real files and a real datagram socket standing in for
 * the syslog daemon: lines appended whole, reopen after a rename, the
 * syslog datagram's format, a daemon that restarts, and the errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fileutil.h"
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/** A fresh temporary directory per test. */
static int
setup(void** state)
{
	char* dir = strdup("/tmp/autonta-test-sink.XXXXXX");
	if(!dir || !mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int
teardown(void** state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char*)*state);
	free(*state);
	return system(cmd) == 0 ? 0 : -1;
}

/** The whole content of a file (static buffer). */
static const char*
slurp(const char* path)
{
	static char buf[4096];
	FILE* f = fopen(path, "r");
	size_t n;
	if(!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/** A bound datagram socket at path: the stand-in syslog daemon. */
static int
daemon_socket(const char* path)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
	return fd;
}

/** One datagram, without blocking (the send was synchronous). */
static const char*
receive(int fd)
{
	static char buf[4096];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if(n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

static void
test_file_append_and_reopen(void** state)
{
	char path[256], moved[256], err[256];
	struct ata_sink s;
	snprintf(path, sizeof(path), "%s/events", (char*)*state);
	snprintf(moved, sizeof(moved), "%s/events.1", (char*)*state);
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), 0);
	ata_sink_write(&s, "{\"a\":1}");
	assert_int_equal(rename(path, moved), 0);
	ata_sink_write(&s, "{\"a\":2}");	/* still the old file */
	assert_int_equal(ata_sink_reopen(&s, err, sizeof(err)), 0);
	ata_sink_write(&s, "{\"a\":3}");
	assert_string_equal(slurp(moved), "{\"a\":1}\n{\"a\":2}\n");
	assert_string_equal(slurp(path), "{\"a\":3}\n");
	assert_int_equal(s.written, 3);
	assert_int_equal(s.failed, 0);
	ata_sink_close(&s);
}

static void
test_reopen_failure_keeps_old_file(void** state)
{
	char dir[256], path[256], err[256];
	struct ata_sink s;
	snprintf(dir, sizeof(dir), "%s/sub", (char*)*state);
	snprintf(path, sizeof(path), "%s/events", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(ata_sink_reopen(&s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open log-file"));
	ata_sink_write(&s, "{}");	/* into the unlinked file, no crash */
	assert_int_equal(s.written, 1);
	ata_sink_close(&s);
}

static void
test_unwritable_path(void** state)
{
	char path[256], err[256];
	struct ata_sink s;
	snprintf(path, sizeof(path), "%s/no/such/dir/events", (char*)*state);
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_non_null(strstr(err, path));
}

static void
test_fifo_refused(void** state)
{
	char path[256], err[256];
	struct ata_sink s;
	FILE* f;
	int rd;
	snprintf(path, sizeof(path), "%s/fifo", (char*)*state);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* no reader: refused at once, not a hang */
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "a FIFO without a reader"));
	/* with a reader: refused as not a regular file */
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a regular file"));
	close(rd);
	/* reading: a FIFO, a directory, a missing file */
	assert_null(ata_fopen_regular(path, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "is not a regular file"));
	assert_null(ata_fopen_regular((char*)*state, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	snprintf(path, sizeof(path), "%s/none", (char*)*state);
	assert_null(ata_fopen_regular(path, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
	snprintf(path, sizeof(path), "%s/file", (char*)*state);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	assert_non_null(f = ata_fopen_regular(path, err, sizeof(err)));
	assert_int_equal(fgetc(f), 'x');
	fclose(f);
}

/** A write cut short (a file size limit standing in for a full disk)
 * damages that one line only: the next line starts on a line of its own. */
static void
test_cut_line_is_ended(void** state)
{
	char path[256], err[256];
	struct ata_sink s;
	struct rlimit old, lim;
	void (*oldsig)(int);
	snprintf(path, sizeof(path), "%s/events", (char*)*state);
	assert_int_equal(ata_sink_open(&s, path, 0, err, sizeof(err)), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	oldsig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 20;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ata_sink_write(&s, "{\"a\":11111}");	/* 11 + 1 bytes: whole */
	ata_sink_write(&s, "{\"b\":22222}");	/* 8 of 12 bytes: cut */
	ata_sink_write(&s, "{\"c\":33333}");	/* nothing */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	ata_sink_write(&s, "{\"d\":44444}");
	assert_int_equal(s.written, 2);
	assert_int_equal(s.failed, 2);
	assert_string_equal(slurp(path),
		"{\"a\":11111}\n{\"b\":222\n{\"d\":44444}\n");
	ata_sink_close(&s);
}

static void
test_facilities(void** state)
{
	(void)state;
	assert_int_equal(ata_syslog_facility("user"), 1);
	assert_int_equal(ata_syslog_facility("daemon"), 3);
	assert_int_equal(ata_syslog_facility("local0"), 16);
	assert_int_equal(ata_syslog_facility("local7"), 23);
	assert_int_equal(ata_syslog_facility("kern"), -1);
	assert_int_equal(ata_syslog_facility(""), -1);
}

static void
test_syslog_datagram(void** state)
{
	char sock[256], err[256], tail[64];
	struct ata_sink s;
	const char* got;
	int fd;
	snprintf(sock, sizeof(sock), "%s/log", (char*)*state);
	fd = daemon_socket(sock);
	assert_int_equal(ata_sink_open(&s, "", 0, err, sizeof(err)), 0);
	assert_int_equal(ata_sink_syslog(&s, sock, ata_syslog_facility(
		"local7"), err, sizeof(err)), 0);
	ata_sink_write(&s, "{\"event\":\"x\"}");
	got = receive(fd);
	assert_non_null(got);
	/* <local7 * 8 + info> "Mmm dd hh:mm:ss" autonta[pid]: line */
	assert_memory_equal(got, "<190>", 5);
	assert_int_equal(got[8], ' ');
	assert_int_equal(got[11], ' ');
	assert_int_equal(got[14], ':');
	snprintf(tail, sizeof(tail), " autonta[%d]: {\"event\":\"x\"}",
		(int)getpid());
	assert_string_equal(got + 20, tail);
	assert_int_equal(s.written, 1);
	assert_int_equal(s.syslog_failed, 0);
	ata_sink_close(&s);
	close(fd);
}

static void
test_syslog_daemon_restarts(void** state)
{
	char sock[256], err[256];
	struct ata_sink s;
	const char* got;
	int fd;
	snprintf(sock, sizeof(sock), "%s/log", (char*)*state);
	fd = daemon_socket(sock);
	assert_int_equal(ata_sink_open(&s, "", 0, err, sizeof(err)), 0);
	assert_int_equal(ata_sink_syslog(&s, sock, 3, err, sizeof(err)), 0);
	/* the daemon restarts: a new socket at the same path */
	close(fd);
	fd = daemon_socket(sock);
	ata_sink_write(&s, "after");
	got = receive(fd);
	assert_non_null(got);
	assert_memory_equal(got, "<30>", 4);	/* daemon * 8 + info */
	assert_non_null(strstr(got, ": after"));
	/* the daemon is gone: the line is counted as lost, nothing blocks */
	close(fd);
	unlink(sock);
	ata_sink_write(&s, "lost");
	assert_int_equal(s.syslog_failed, 1);
	ata_sink_close(&s);
}

static void
test_syslog_daemon_not_reading(void** state)
{
	char sock[256], err[256], line[1024];
	struct ata_sink s;
	int fd, i;
	snprintf(sock, sizeof(sock), "%s/log", (char*)*state);
	fd = daemon_socket(sock);
	assert_int_equal(ata_sink_open(&s, "", 0, err, sizeof(err)), 0);
	assert_int_equal(ata_sink_syslog(&s, sock, 3, err, sizeof(err)), 0);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	alarm(20);	/* a blocking send would hang here: fail instead */
	for(i = 0; i < 5000; i++)
		ata_sink_write(&s, line);
	alarm(0);
	assert_true(s.syslog_failed > 0);
	assert_true(s.syslog_failed < 5000);
	assert_int_equal(s.written, 5000);
	ata_sink_close(&s);
	close(fd);
}

static void
test_syslog_missing_socket(void** state)
{
	char sock[256], err[256];
	struct ata_sink s;
	snprintf(sock, sizeof(sock), "%s/none", (char*)*state);
	assert_int_equal(ata_sink_open(&s, "", 0, err, sizeof(err)), 0);
	assert_int_equal(ata_sink_syslog(&s, sock, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot connect to syslog-socket"));
	assert_non_null(strstr(err, "No such file or directory"));
	ata_sink_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_append_and_reopen,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_reopen_failure_keeps_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_path, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_cut_line_is_ended, setup,
			teardown),
		cmocka_unit_test(test_facilities),
		cmocka_unit_test_setup_teardown(test_syslog_datagram, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_syslog_daemon_restarts,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_syslog_daemon_not_reading,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_syslog_missing_socket,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
