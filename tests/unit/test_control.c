/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control socket server on a real UNIX socket: requests are handed
 * over parsed and answered from another thread; malformed, foreign-version
 * and over-long requests are answered by the server itself; too many
 * clients get "busy"; a stale socket file is replaced, a live one is not
 * taken; the file has mode 0660 and is removed at the end (only if it is
 * still ours); a reply for a client that left is dropped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "control.h"

#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>

static char dir[64], path[128];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct ata_ctl_job* jobs;
static int njobs;

static void
submit(void* arg, struct ata_ctl_job* job)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	job->next = jobs;
	jobs = job;
	njobs++;
	pthread_mutex_unlock(&lock);
}

/** Wait up to 5 s for a submitted job. */
static struct ata_ctl_job*
take_job(void)
{
	struct ata_ctl_job* j = NULL;
	int i;
	for(i = 0; i < 500 && !j; i++) {
		pthread_mutex_lock(&lock);
		if((j = jobs))
			jobs = j->next;
		pthread_mutex_unlock(&lock);
		if(!j)
			usleep(10000);
	}
	return j;
}

static int
client(void)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
	return fd;
}

static void
send_text(int fd, const char* s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/** The reply line (parsed), waiting up to 5 s; NULL on EOF/timeout. */
static json_t*
read_reply(int fd)
{
	char buf[8192];
	size_t len = 0;
	while(len < sizeof(buf) - 1) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;
		if(poll(&p, 1, 5000) <= 0)
			return NULL;
		if((n = read(fd, buf + len, sizeof(buf) - 1 - len)) <= 0)
			return NULL;
		len += (size_t)n;
		buf[len] = 0;
		if(strchr(buf, '\n'))
			return json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
	}
	return NULL;
}

static int
setup(void** state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/autonta-ctl-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	return 0;
}

static int
teardown(void** state)
{
	struct ata_ctl_job* j;
	(void)state;
	pthread_mutex_lock(&lock);	/* jobs left over: no waiting */
	while((j = jobs)) {
		jobs = j->next;
		free(j);
	}
	pthread_mutex_unlock(&lock);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
test_request_reply(void** state)
{
	char err[512];
	struct ata_control* c = ata_control_create(path, submit, NULL, err,
		sizeof(err));
	struct ata_ctl_job* j;
	struct stat st;
	json_t* r;
	int fd;
	(void)state;
	assert_non_null(c);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);

	fd = client();
	send_text(fd, "AUTONTA/1 show DE\r\n");
	assert_non_null(j = take_job());
	assert_int_equal(j->req.cmd, ATA_CTL_SHOW);
	assert_string_equal(j->req.zone, "de.");
	assert_int_equal(j->uid, (long)getuid());
	assert_int_equal(j->pid, (long)getpid());
	ata_control_reply(c, j->conn, "{\"version\":1,\"ok\":true}");
	free(j);
	assert_non_null(r = read_reply(fd));
	assert_true(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
	close(fd);

	/* answered by the server itself, never handed over */
	fd = client();
	send_text(fd, "hello\n");
	assert_non_null(r = read_reply(fd));
	assert_false(json_is_true(json_object_get(r, "ok")));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"usage");
	json_decref(r);
	close(fd);
	fd = client();
	send_text(fd, "AUTONTA/7 status\n");
	assert_non_null(r = read_reply(fd));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"version");
	json_decref(r);
	close(fd);
	{
		char big[3000];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		fd = client();
		send_text(fd, big);
		assert_non_null(r = read_reply(fd));
		assert_string_equal(json_string_value(json_object_get(r,
			"error")), "request longer than 1024 bytes");
		json_decref(r);
		close(fd);
	}
	assert_int_equal(njobs, 1);

	/* a client that leaves before its reply: the reply is dropped */
	fd = client();
	send_text(fd, "AUTONTA/1 status\n");
	assert_non_null(j = take_job());
	close(fd);
	usleep(50000);
	ata_control_reply(c, j->conn, "{}");
	free(j);
	/* and the server goes on */
	fd = client();
	send_text(fd, "AUTONTA/1 list\n");
	assert_non_null(j = take_job());
	ata_control_reply(c, j->conn, "{\"ok\":true}");
	free(j);
	assert_non_null(r = read_reply(fd));
	json_decref(r);
	close(fd);

	ata_control_delete(c);
	assert_int_equal(stat(path, &st), -1);
}

static void
test_busy(void** state)
{
	char err[512];
	struct ata_control* c = ata_control_create(path, submit, NULL, err,
		sizeof(err));
	int fds[ATA_CTL_MAX_CLIENTS + 1], i;
	json_t* r;
	(void)state;
	assert_non_null(c);
	for(i = 0; i < ATA_CTL_MAX_CLIENTS; i++)
		fds[i] = client();
	fds[i] = client();
	assert_non_null(r = read_reply(fds[i]));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"busy");
	json_decref(r);
	for(i = 0; i <= ATA_CTL_MAX_CLIENTS; i++)
		close(fds[i]);
	/* the connections that never sent anything are closed at the end */
	ata_control_delete(c);
}

/* Clients that send a request and leave before the reply free their
 * slot as soon as the reply cannot be written (not after the timeout). */
static void
test_left_before_reply(void** state)
{
	char err[512];
	struct ata_control* c = ata_control_create(path, submit, NULL, err,
		sizeof(err));
	struct ata_ctl_job* j;
	int fd, i, n;
	json_t* r;
	(void)state;
	assert_non_null(c);
	for(i = 0; i < ATA_CTL_MAX_CLIENTS; i++) {
		fd = client();
		send_text(fd, "AUTONTA/1 status\n");
		assert_non_null(j = take_job());
		close(fd);
		ata_control_reply(c, j->conn, "{\"version\":1,\"ok\":true}");
		free(j);
	}
	/* within a second, a new client is not turned away as busy (a busy
	 * client is answered at once; a served one waits for its request) */
	for(n = 0; n < 20; n++) {
		struct pollfd p;
		fd = client();
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		if(poll(&p, 1, 50) == 0) {
			close(fd);
			break;
		}
		assert_non_null(r = read_reply(fd));
		assert_string_equal(json_string_value(json_object_get(r,
			"code")), "busy");
		json_decref(r);
		close(fd);
	}
	assert_true(n < 20);
	ata_control_delete(c);
}

/* Stopping: a reply queued just before the end still goes out; new
 * requests are answered "stopping" without being submitted. */
static void
test_stopping(void** state)
{
	char err[512];
	struct ata_control* c = ata_control_create(path, submit, NULL, err,
		sizeof(err));
	struct ata_ctl_job* j;
	int a, b;
	json_t* r;
	(void)state;
	assert_non_null(c);
	a = client();
	send_text(a, "AUTONTA/1 status\n");
	assert_non_null(j = take_job());
	ata_control_refuse(c);
	b = client();
	send_text(b, "AUTONTA/1 list\n");
	assert_non_null(r = read_reply(b));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"stopping");
	json_decref(r);
	pthread_mutex_lock(&lock);
	assert_null(jobs);	/* not submitted */
	pthread_mutex_unlock(&lock);
	ata_control_reply(c, j->conn, "{\"version\":1,\"ok\":false,"
		"\"code\":\"stopping\"}");
	free(j);
	ata_control_delete(c);	/* at once: the reply is still queued */
	assert_non_null(r = read_reply(a));
	assert_string_equal(json_string_value(json_object_get(r, "code")),
		"stopping");
	json_decref(r);
	close(a);
	close(b);
}

static void
test_stale_live_and_foreign(void** state)
{
	char err[512];
	struct sockaddr_un sun;
	struct ata_control *c, *d;
	struct stat st;
	int fd;
	(void)state;
	/* a socket file nobody serves (its process died) */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
	close(fd);
	assert_non_null(c = ata_control_create(path, submit, NULL, err,
		sizeof(err)));
	/* a live one is not taken over */
	d = ata_control_create(path, submit, NULL, err, sizeof(err));
	assert_null(d);
	assert_non_null(strstr(err, "is served by another process"));
	assert_int_equal(stat(path, &st), 0);
	/* a live listener whose backlog is full: refused at once, no hang */
	{
		int lst = socket(AF_UNIX, SOCK_STREAM, 0), fill[4], i;
		char other[] = "/tmp/autonta-test-control-full.sock";
		struct sockaddr_un o = sun;
		unlink(other);
		strcpy(o.sun_path, other);
		assert_int_equal(bind(lst, (struct sockaddr*)&o, sizeof(o)), 0);
		assert_int_equal(listen(lst, 0), 0);
		for(i = 0; i < 4; i++) {	/* fill the backlog */
			fill[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
			(void)connect(fill[i], (struct sockaddr*)&o, sizeof(o));
		}
		alarm(10);	/* a blocking probe would hang here */
		d = ata_control_create(other, submit, NULL, err, sizeof(err));
		alarm(0);
		assert_null(d);
		assert_non_null(strstr(err, "is served by another process"));
		for(i = 0; i < 4; i++)
			close(fill[i]);
		close(lst);
		unlink(other);
	}
	/* a file that replaced ours is not removed at the end */
	assert_int_equal(unlink(path), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr*)&sun, sizeof(sun)), 0);
	ata_control_delete(c);
	assert_int_equal(stat(path, &st), 0);
	close(fd);
	unlink(path);
	/* not a socket */
	close(open(path, O_CREAT | O_WRONLY, 0600));
	assert_null(ata_control_create(path, submit, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "exists and is not a socket"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_reply, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_before_reply, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_stopping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_live_and_foreign,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
