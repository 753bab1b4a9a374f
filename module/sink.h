/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Where event lines go: an append-only file and, optionally, stderr. Used
 * by autonta's thread only (never by Unbound's workers), so writes may
 * block without slowing queries.
 */
#ifndef ATA_SINK_H
#define ATA_SINK_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** An event sink. */
struct ata_sink {
	/** the log file (O_APPEND), or -1 */
	int fd;
	/** the last line went out only in part: end it before the next */
	int partial;
	/** its path ("" for none) */
	char* path;
	/** copy lines to stderr */
	int to_stderr;
	/** lines written */
	uint64_t written;
	/** lines that could not be written */
	uint64_t failed;
	/** connected datagram socket to syslog, or -1 */
	int syslog_fd;
	/** its path, or NULL */
	char* syslog_path;
	/** priority of the lines: facility * 8 + LOG_INFO */
	int syslog_pri;
	/** lines syslog did not take */
	uint64_t syslog_failed;
};

/**
 * Open the sink; the file is created (mode 0640) if missing and appended to.
 * @return 0, or -1 with the reason in err.
 */
int ata_sink_open(struct ata_sink* s, const char* path, int to_stderr,
	char* err, size_t errlen);

/**
 * The code of a syslog facility name ("daemon", "local7", ...).
 * @return the facility number (RFC 5424), or -1 for an unknown name.
 */
int ata_syslog_facility(const char* name);

/**
 * Also send every line to the local syslog daemon, as one datagram in
 * the local BSD format "<PRI>Mmm dd hh:mm:ss autonta[pid]: line" (what
 * syslog(3) sends; autonta does not use syslog(3), which is Unbound's).
 * @param socket_path: the daemon's datagram socket, e.g. "/dev/log".
 * @param facility: from ata_syslog_facility().
 * @return 0, or -1 with the reason in err.
 */
int ata_sink_syslog(struct ata_sink* s, const char* socket_path,
	int facility, char* err, size_t errlen);

/**
 * Reopen the file by its path (after a rotation): the new file is opened
 * first, so on failure the old one stays in use.
 * @return 0, or -1 with the reason in err.
 */
int ata_sink_reopen(struct ata_sink* s, char* err, size_t errlen);

/**
 * Write one line (a newline is added) and flush it; send it to syslog too.
 * A syslog daemon that went away is reconnected to once per line; one
 * that does not read loses the line (syslog_failed): autonta's thread
 * never waits for syslog.
 */
void ata_sink_write(struct ata_sink* s, const char* line);

/** Close and free the sink's resources. */
void ata_sink_close(struct ata_sink* s);

#endif /* ATA_SINK_H */
