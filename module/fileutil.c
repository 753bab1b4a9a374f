/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Non-blocking opens of operator-named files (see fileutil.h).
 */
#include "fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE*
ata_fopen_regular(const char* path, char* err, size_t errlen)
{
	struct stat st;
	FILE* f;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), e;
	if(fd < 0) {
		e = errno;
		if(e != ENOENT)
			snprintf(err, errlen, "cannot open %s: %s", path,
				strerror(e));
		errno = e;
		return NULL;
	}
	if(fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if(fcntl(fd, F_SETFL, 0) != 0 || !(f = fdopen(fd, "r"))) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
		close(fd);
		errno = e;
		return NULL;
	}
	return f;
}
