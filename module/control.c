/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control socket's server, see control.h. Everything libevent does
 * happens on the control thread; other threads reach it only through
 * ata_control_reply() and ata_control_delete(), which queue under a mutex
 * and write a byte to a pipe the event loop watches (libevent's own
 * cross-thread notification would need evthread set up process-wide,
 * which is Unbound's business, not a module's).
 */
#define _GNU_SOURCE	/* struct ucred, pipe2 */
#include "control.h"

#include "thread.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/** One client connection. */
struct conn {
	struct conn* next;
	struct ata_control* ctl;
	uint64_t id;
	struct bufferevent* bev;
	/** fires when the connection has lived ATA_CTL_CONN_TIMEOUT */
	struct event* timer;
	long uid, pid;
	/** a request was read: no more input is taken */
	int got_request;
};

/** A reply on its way to the control thread. */
struct reply {
	struct reply* next;
	uint64_t conn;
	char* line;
};

struct ata_control {
	char* path;
	/** the socket file's identity, to remove only our own */
	dev_t dev;
	ino_t ino;
	ata_control_submit_fn submit;
	void* arg;
	pthread_t thread;
	/** control thread only: */
	struct event_base* base;
	struct evconnlistener* listener;
	struct event* wakeup;
	struct conn* conns;
	unsigned nconns;
	uint64_t next_id;
	/** wakeup pipe: [0] watched by the loop, [1] written by others */
	int pipe[2];
	/** protects replies, stopping and refusing */
	pthread_mutex_t lock;
	struct reply* replies;
	int stopping;
	/** new requests are answered "stopping" (the runtime is stopping) */
	int refusing;
};

char*
ata_ctl_error_line(const char* command, const char* code, const char* error)
{
	json_t* r = json_pack("{sisbssss}", "version", ATA_CTL_VERSION, "ok",
		0, "code", code, "error", error);
	char* line;
	if(!r)
		return NULL;
	if(command)
		json_object_set_new(r, "command", json_string(command));
	line = json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(r);
	return line;
}

static void
conn_free(struct conn* c)
{
	struct conn** pp;
	for(pp = &c->ctl->conns; *pp; pp = &(*pp)->next)
		if(*pp == c) {
			*pp = c->next;
			c->ctl->nconns--;
			break;
		}
	if(c->timer)
		event_free(c->timer);
	bufferevent_free(c->bev);
	free(c);
}

/** Everything written: close. */
static void
on_written(struct bufferevent* bev, void* arg)
{
	struct conn* c = arg;
	if(evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_free(c);
}

static void on_event(struct bufferevent* bev, short what, void* arg);

/** Send the reply line and close once it is out. */
static void
conn_answer(struct conn* c, const char* line)
{
	bufferevent_disable(c->bev, EV_READ);
	if(!line || bufferevent_write(c->bev, line, strlen(line)) != 0
		|| bufferevent_write(c->bev, "\n", 1) != 0) {
		conn_free(c);
		return;
	}
	/* a client gone before its reply frees the slot at once */
	bufferevent_setcb(c->bev, NULL, on_written, on_event, c);
	bufferevent_enable(c->bev, EV_WRITE);
}

static void
conn_error(struct conn* c, const char* command, const char* code,
	const char* error)
{
	char* line = ata_ctl_error_line(command, code, error);
	conn_answer(c, line);
	free(line);
}

static void
on_read(struct bufferevent* bev, void* arg)
{
	struct conn* c = arg;
	struct evbuffer* in = bufferevent_get_input(bev);
	struct ata_ctl_job* job;
	char err[512], *line;
	const char* code;
	size_t n;
	if(c->got_request)
		return;
	if(!(line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF))) {
		if(evbuffer_get_length(in) > ATA_CTL_MAX_LINE)
			conn_error(c, NULL, ATA_CTL_E_USAGE,
				"request longer than 1024 bytes");
		return;
	}
	c->got_request = 1;
	bufferevent_disable(bev, EV_READ);
	if(!(job = calloc(1, sizeof(*job)))) {
		free(line);
		conn_error(c, NULL, ATA_CTL_E_FAILED, "out of memory");
		return;
	}
	if(n > ATA_CTL_MAX_LINE || memchr(line, 0, n)
		|| ata_ctl_parse(line, &job->req, err, sizeof(err), &code)
		!= 0) {
		if(n > ATA_CTL_MAX_LINE || memchr(line, 0, n)) {
			code = ATA_CTL_E_USAGE;
			snprintf(err, sizeof(err), "malformed request line");
		}
		free(line);
		free(job);
		conn_error(c, NULL, code, err);
		return;
	}
	free(line);
	job->conn = c->id;
	job->uid = c->uid;
	job->pid = c->pid;
	/* under the lock: a job is either submitted before the runtime
	 * starts stopping (and answered by it) or refused here */
	pthread_mutex_lock(&c->ctl->lock);
	if(!c->ctl->refusing) {
		c->ctl->submit(c->ctl->arg, job);
		job = NULL;
	}
	pthread_mutex_unlock(&c->ctl->lock);
	if(job) {
		free(job);
		conn_error(c, NULL, ATA_CTL_E_STOPPING, "autonta is stopping "
			"(Unbound reloads or exits)");
	}
}

static void
on_event(struct bufferevent* bev, short what, void* arg)
{
	(void)bev;
	(void)what;
	/* the client went away (or an error): a late reply is dropped */
	conn_free(arg);
}

static void
on_timeout(evutil_socket_t fd, short what, void* arg)
{
	(void)fd;
	(void)what;
	conn_free(arg);
}

static void
on_accept(struct evconnlistener* l, evutil_socket_t fd, struct sockaddr* sa,
	int salen, void* arg)
{
	struct ata_control* ctl = arg;
	struct timeval tv = { ATA_CTL_CONN_TIMEOUT, 0 };
	struct ucred cred;
	socklen_t credlen = sizeof(cred);
	struct conn* c = calloc(1, sizeof(*c));
	(void)l;
	(void)sa;
	(void)salen;
	if(!c || !(c->bev = bufferevent_socket_new(ctl->base, fd,
		BEV_OPT_CLOSE_ON_FREE))) {
		free(c);
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->id = ++ctl->next_id;
	c->uid = c->pid = -1;
	if(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &credlen) == 0) {
		c->uid = (long)cred.uid;
		c->pid = (long)cred.pid;
	}
	c->next = ctl->conns;
	ctl->conns = c;
	ctl->nconns++;
	if(!(c->timer = evtimer_new(ctl->base, on_timeout, c))
		|| evtimer_add(c->timer, &tv) != 0) {
		conn_free(c);
		return;
	}
	if(ctl->nconns > ATA_CTL_MAX_CLIENTS) {
		conn_error(c, NULL, ATA_CTL_E_BUSY, "too many control "
			"connections at once; try again");
		return;
	}
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	/* input beyond one request line is not read */
	bufferevent_setwatermark(c->bev, EV_READ, 0, ATA_CTL_MAX_LINE + 2);
	bufferevent_enable(c->bev, EV_READ);
}

/** Replies (or the stop request) arrived from another thread. */
static void
on_wakeup(evutil_socket_t fd, short what, void* arg)
{
	struct ata_control* ctl = arg;
	struct reply *list, *r;
	char buf[64];
	int stop;
	(void)what;
	while(read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&ctl->lock);
	list = ctl->replies;
	ctl->replies = NULL;
	stop = ctl->stopping;
	pthread_mutex_unlock(&ctl->lock);
	while((r = list)) {
		struct conn* c;
		list = r->next;
		for(c = ctl->conns; c; c = c->next)
			if(c->id == r->conn && c->got_request)
				break;
		if(c)
			conn_answer(c, r->line);
		free(r->line);
		free(r);
	}
	if(stop)
		event_base_loopbreak(ctl->base);
}

static void*
control_main(void* arg)
{
	struct ata_control* ctl = arg;
	struct conn* c;
	event_base_dispatch(ctl->base);
	/* replies queued in the last round are still in the buffers: one
	 * try to send each (a reply line fits a socket buffer) */
	for(c = ctl->conns; c; c = c->next) {
		/* a socket bufferevent keeps its output's start frozen except
		 * while it writes itself */
		struct evbuffer* out = bufferevent_get_output(c->bev);
		evbuffer_unfreeze(out, 1);
		(void)evbuffer_write(out, bufferevent_getfd(c->bev));
	}
	while(ctl->conns)
		conn_free(ctl->conns);
	return NULL;
}

/**
 * The listening socket at path: a stale socket file (nobody answers) is
 * replaced; a live one, or another kind of file, is an error.
 * @return the fd, or -1 with err set.
 */
static int
listen_at(struct ata_control* ctl, char* err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, probe;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if(strlen(ctl->path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control-socket %s: longer than %d "
			"bytes", ctl->path, (int)sizeof(sun.sun_path) - 1);
		return -1;
	}
	strcpy(sun.sun_path, ctl->path);
	if(lstat(ctl->path, &st) == 0) {
		if(!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "control-socket %s exists and "
				"is not a socket", ctl->path);
			return -1;
		}
		/* never wait: a listener whose backlog is full (EAGAIN) is
		 * as alive as one that accepts */
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK
			| SOCK_CLOEXEC, 0);
		if(probe >= 0 && (connect(probe, (struct sockaddr*)&sun,
			sizeof(sun)) == 0 || errno == EAGAIN
			|| errno == EINPROGRESS)) {
			close(probe);
			snprintf(err, errlen, "control-socket %s is served by "
				"another process (another Unbound with "
				"autonta?)", ctl->path);
			return -1;
		}
		if(probe >= 0)
			close(probe);
		if(unlink(ctl->path) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove the stale "
				"control-socket %s: %s", ctl->path,
				strerror(errno));
			return -1;
		}
	}
	if((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		0)) < 0) {
		snprintf(err, errlen, "control-socket: socket: %s",
			strerror(errno));
		return -1;
	}
	if(bind(fd, (struct sockaddr*)&sun, sizeof(sun)) != 0
		|| chmod(ctl->path, 0660) != 0 || listen(fd, 16) != 0
		|| stat(ctl->path, &st) != 0) {
		snprintf(err, errlen, "cannot listen on control-socket %s: %s",
			ctl->path, strerror(errno));
		close(fd);
		return -1;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return fd;
}

/** Remove the socket file if it is still ours. */
static void
unlink_own(struct ata_control* ctl)
{
	struct stat st;
	if(ctl->ino && lstat(ctl->path, &st) == 0 && st.st_dev == ctl->dev
		&& st.st_ino == ctl->ino)
		unlink(ctl->path);
}

struct ata_control*
ata_control_create(const char* path, ata_control_submit_fn submit,
	void* arg, char* err, size_t errlen)
{
	struct ata_control* ctl = calloc(1, sizeof(*ctl));
	int fd, r;
	if(!ctl || !(ctl->path = strdup(path))) {
		free(ctl);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ctl->submit = submit;
	ctl->arg = arg;
	ctl->pipe[0] = ctl->pipe[1] = -1;
	pthread_mutex_init(&ctl->lock, NULL);
	if(pipe2(ctl->pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		snprintf(err, errlen, "control-socket: pipe: %s",
			strerror(errno));
		goto fail;
	}
	if(!(ctl->base = event_base_new())
		|| !(ctl->wakeup = event_new(ctl->base, ctl->pipe[0],
		EV_READ | EV_PERSIST, on_wakeup, ctl))
		|| event_add(ctl->wakeup, NULL) != 0) {
		snprintf(err, errlen, "control-socket: cannot set up libevent");
		goto fail;
	}
	if((fd = listen_at(ctl, err, errlen)) < 0)
		goto fail;
	if(!(ctl->listener = evconnlistener_new(ctl->base, on_accept, ctl,
		LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd))) {
		close(fd);
		snprintf(err, errlen, "control-socket: cannot set up libevent");
		goto fail;
	}
	if((r = ata_thread_start(&ctl->thread, control_main, ctl)) != 0) {
		snprintf(err, errlen, "cannot start autonta's control thread: "
			"%s", strerror(r));
		goto fail;
	}
	return ctl;
fail:
	if(ctl->listener)
		evconnlistener_free(ctl->listener);
	unlink_own(ctl);
	if(ctl->wakeup)
		event_free(ctl->wakeup);
	if(ctl->base)
		event_base_free(ctl->base);
	if(ctl->pipe[0] >= 0) {
		close(ctl->pipe[0]);
		close(ctl->pipe[1]);
	}
	pthread_mutex_destroy(&ctl->lock);
	free(ctl->path);
	free(ctl);
	return NULL;
}

/** Wake the control thread (any thread). */
static void
poke_loop(struct ata_control* ctl)
{
	/* a full pipe already holds a wakeup */
	ssize_t r = write(ctl->pipe[1], "", 1);
	(void)r;
}

void
ata_control_reply(struct ata_control* c, uint64_t conn, const char* line)
{
	struct reply* r = calloc(1, sizeof(*r));
	if(!r || !(r->line = strdup(line ? line : ""))) {
		free(r);
		return;	/* the connection times out */
	}
	r->conn = conn;
	pthread_mutex_lock(&c->lock);
	r->next = c->replies;
	c->replies = r;
	pthread_mutex_unlock(&c->lock);
	poke_loop(c);
}

void
ata_control_refuse(struct ata_control* c)
{
	if(!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->refusing = 1;
	pthread_mutex_unlock(&c->lock);
}

void
ata_control_delete(struct ata_control* c)
{
	struct reply* r;
	if(!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_mutex_unlock(&c->lock);
	poke_loop(c);
	pthread_join(c->thread, NULL);
	evconnlistener_free(c->listener);
	unlink_own(c);
	event_free(c->wakeup);
	event_base_free(c->base);
	close(c->pipe[0]);
	close(c->pipe[1]);
	while((r = c->replies)) {
		c->replies = r->next;
		free(r->line);
		free(r);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->path);
	free(c);
}
