/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Event sink: lines appended to a file with O_APPEND, flushed per line so
 * that a log shipper sees whole lines and nothing waits in a buffer when
 * Unbound is killed.
 */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** Open path for appending; a FILE*, or NULL with the reason in err. */
static FILE*
open_append(const char* path, char* err, size_t errlen)
{
	FILE* f;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if(fd < 0 || !(f = fdopen(fd, "a"))) {
		snprintf(err, errlen, "cannot open log-file %s: %s", path,
			strerror(errno));
		if(fd >= 0)
			close(fd);
		return NULL;
	}
	return f;
}

int
ata_sink_open(struct ata_sink* s, const char* path, int to_stderr,
	char* err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->to_stderr = to_stderr;
	if(!(s->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if(!*path)
		return 0;
	if(!(s->file = open_append(path, err, errlen))) {
		free(s->path);
		s->path = NULL;
		return -1;
	}
	return 0;
}

int
ata_sink_reopen(struct ata_sink* s, char* err, size_t errlen)
{
	FILE* f;
	if(!s->path || !*s->path)
		return 0;
	if(!(f = open_append(s->path, err, errlen)))
		return -1;
	if(s->file)
		fclose(s->file);
	s->file = f;
	return 0;
}

void
ata_sink_write(struct ata_sink* s, const char* line)
{
	int ok = 1;
	if(s->file) {
		if(fputs(line, s->file) == EOF || fputc('\n', s->file) == EOF
			|| fflush(s->file) == EOF) {
			ok = 0;
			clearerr(s->file);
		}
	}
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
	if(s->file)
		fclose(s->file);
	s->file = NULL;
	free(s->path);
	s->path = NULL;
}
