/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Event sink: lines appended to a file with O_APPEND, flushed per line so
 * that a log shipper sees whole lines and nothing waits in a buffer when
 * Unbound is killed. Optionally each line also goes to the local syslog
 * daemon as one datagram.
 */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/** Syslog facilities by name (RFC 5424 numbers). */
static const struct {
	const char* name;
	int code;
} facilities[] = {
	{ "user", 1 }, { "daemon", 3 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 }, { "local3", 19 },
	{ "local4", 20 }, { "local5", 21 }, { "local6", 22 }, { "local7", 23 },
};

int
ata_syslog_facility(const char* name)
{
	size_t i;
	for(i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if(strcmp(name, facilities[i].name) == 0)
			return facilities[i].code;
	return -1;
}

/** A datagram socket connected to path, or -1 with errno set. */
static int
syslog_connect(const char* path)
{
	struct sockaddr_un sun;
	int fd, e;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if(strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if(connect(fd, (struct sockaddr*)&sun, sizeof(sun)) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/** Open path for appending, never blocking on what is there (a FIFO is
 * refused); a descriptor, or -1 with the reason in err. */
static int
open_append(const char* path, char* err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC
		| O_NONBLOCK, 0640);
	if(fd < 0) {
		snprintf(err, errlen, "cannot open log-file %s: %s", path,
			errno == ENXIO ? "a FIFO without a reader"
			: strerror(errno));
		return -1;
	}
	if(fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))
		|| fcntl(fd, F_SETFL, O_APPEND) != 0) {
		snprintf(err, errlen, "log-file %s is not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

int
ata_sink_open(struct ata_sink* s, const char* path, int to_stderr,
	char* err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->syslog_fd = -1;
	s->to_stderr = to_stderr;
	if(!(s->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if(!*path)
		return 0;
	if((s->fd = open_append(path, err, errlen)) < 0) {
		free(s->path);
		s->path = NULL;
		return -1;
	}
	return 0;
}

int
ata_sink_syslog(struct ata_sink* s, const char* socket_path, int facility,
	char* err, size_t errlen)
{
	if(facility < 0 || facility > 23) {
		snprintf(err, errlen, "bad syslog facility %d", facility);
		return -1;
	}
	if((s->syslog_fd = syslog_connect(socket_path)) < 0) {
		snprintf(err, errlen, "cannot connect to syslog-socket %s: %s",
			socket_path, strerror(errno));
		return -1;
	}
	if(!(s->syslog_path = strdup(socket_path))) {
		close(s->syslog_fd);
		s->syslog_fd = -1;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->syslog_pri = facility * 8 + LOG_INFO;
	return 0;
}

/** Send one line to syslog; reconnect once if the daemon went away. */
static void
syslog_send(struct ata_sink* s, const char* line)
{
	char head[64], stamp[32];
	struct iovec iov[2];
	struct msghdr msg;
	struct tm tm;
	time_t now = time(NULL);
	int try;
	if(!localtime_r(&now, &tm)
		|| strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm) == 0)
		stamp[0] = 0;
	snprintf(head, sizeof(head), "<%d>%s autonta[%d]: ", s->syslog_pri,
		stamp, (int)getpid());
	iov[0].iov_base = head;
	iov[0].iov_len = strlen(head);
	iov[1].iov_base = (void*)line;
	iov[1].iov_len = strlen(line);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	for(try = 0; try < 2; try++) {
		if(s->syslog_fd >= 0) {
			/* never wait for a daemon that does not read: the line
			 * is lost (and counted), autonta's thread goes on */
			if(sendmsg(s->syslog_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT)
				>= 0)
				return;
			if(errno == EAGAIN || errno == EWOULDBLOCK
				|| errno == EMSGSIZE)
				break;
		}
		if(try == 0) {	/* the daemon restarted: a new socket */
			if(s->syslog_fd >= 0)
				close(s->syslog_fd);
			s->syslog_fd = syslog_connect(s->syslog_path);
		}
	}
	s->syslog_failed++;
}

int
ata_sink_reopen(struct ata_sink* s, char* err, size_t errlen)
{
	int fd;
	if(!s->path || !*s->path)
		return 0;
	if((fd = open_append(s->path, err, errlen)) < 0)
		return -1;
	if(s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->partial = 0;
	return 0;
}

/** Append line and a newline with one write; 0 if all of it went out. */
static int
file_write(struct ata_sink* s, const char* line)
{
	struct iovec iov[3];
	size_t lead = s->partial ? 1 : 0, len = strlen(line);
	ssize_t n;
	int k = 0;
	if(lead) {	/* the last line was cut: end it first */
		iov[k].iov_base = (void*)"\n";
		iov[k++].iov_len = 1;
	}
	iov[k].iov_base = (void*)line;
	iov[k++].iov_len = len;
	iov[k].iov_base = (void*)"\n";
	iov[k++].iov_len = 1;
	do
		n = writev(s->fd, iov, k);
	while(n < 0 && errno == EINTR);
	if(n == (ssize_t)(lead + len + 1)) {
		s->partial = 0;
		return 0;
	}
	/* a full disk, a file size limit: a cut line is ended by the next
	 * write; only the one line is damaged */
	if(n > (ssize_t)lead)
		s->partial = 1;
	else if(n == (ssize_t)lead)
		s->partial = 0;	/* (lead 1) the cut line is ended now */
	return -1;
}

void
ata_sink_write(struct ata_sink* s, const char* line)
{
	int ok = 1;
	if(s->fd >= 0 && file_write(s, line) != 0)
		ok = 0;
	if(s->syslog_path)
		syslog_send(s, line);
	if(s->to_stderr) {
		fputs(line, stderr);
		fputc('\n', stderr);
	}
	if(ok)
		s->written++;
	else
		s->failed++;
}

void
ata_sink_close(struct ata_sink* s)
{
	if(s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->path);
	s->path = NULL;
	if(s->syslog_fd >= 0)
		close(s->syslog_fd);
	s->syslog_fd = -1;
	free(s->syslog_path);
	s->syslog_path = NULL;
}
