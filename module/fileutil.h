/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Opening the files an operator names (state file, approval file) without
 * ever blocking: a FIFO or a device planted at the path must not hang
 * Unbound's start, a reload or autonta's thread.
 */
#ifndef ATA_FILEUTIL_H
#define ATA_FILEUTIL_H
#include <stdio.h>

/**
 * Open path for reading if it is a regular file; never blocks.
 * @return the stream; or NULL with errno set (ENOENT: missing; EINVAL:
 *	not a regular file) and, unless errno is ENOENT, the reason in err.
 */
FILE* ata_fopen_regular(const char* path, char* err, size_t errlen);

#endif /* ATA_FILEUTIL_H */
