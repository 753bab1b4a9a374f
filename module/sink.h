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
	/** the log file, or NULL */
	FILE* file;
	/** its path ("" for none) */
	char* path;
	/** copy lines to stderr */
	int to_stderr;
	/** lines written */
	uint64_t written;
	/** lines that could not be written */
	uint64_t failed;
};

/**
 * Open the sink; the file is created (mode 0640) if missing and appended to.
 * @return 0, or -1 with the reason in err.
 */
int ata_sink_open(struct ata_sink* s, const char* path, int to_stderr,
	char* err, size_t errlen);

/**
 * Reopen the file by its path (after a rotation): the new file is opened
 * first, so on failure the old one stays in use.
 * @return 0, or -1 with the reason in err.
 */
int ata_sink_reopen(struct ata_sink* s, char* err, size_t errlen);

/** Write one line (a newline is added) and flush it. */
void ata_sink_write(struct ata_sink* s, const char* line);

/** Close and free the sink's resources. */
void ata_sink_close(struct ata_sink* s);

#endif /* ATA_SINK_H */
