/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control protocol between autonta-control and the module, shared by
 * both. A client connects to the control socket, sends one request line
 *
 *	AUTONTA/1 COMMAND [ARGUMENT ...]\n
 *
 * and reads one reply line, a JSON object with "version" (the protocol
 * version, 1), "ok" (true or false) and "command"; on failure "error" (a
 * sentence) and "code" (a stable word, ATA_CTL_E_*); the server then
 * closes the connection. One table of commands drives parsing here and
 * the tool's help. Pure: no I/O.
 */
#ifndef ATA_CTLPROTO_H
#define ATA_CTLPROTO_H
#include "outcome.h"

#include <stddef.h>

/** Protocol version this build speaks. */
#define ATA_CTL_VERSION 1
/** The word that starts every request ("AUTONTA/1"). */
#define ATA_CTL_MAGIC "AUTONTA/"
/** Longest request line, newline excluded. */
#define ATA_CTL_MAX_LINE 1024

/** Stable error codes of a reply. */
#define ATA_CTL_E_USAGE "usage"		/**< malformed request */
#define ATA_CTL_E_VERSION "version"	/**< protocol version not spoken */
#define ATA_CTL_E_NOT_FOUND "not-found"	/**< no such NTA or recommendation */
#define ATA_CTL_E_NOT_OURS "not-autonta"	/**< an anchor autonta does not own */
#define ATA_CTL_E_REFUSED "refused"	/**< policy or state forbids it */
#define ATA_CTL_E_FAILED "failed"	/**< tried, and it did not work */
#define ATA_CTL_E_BUSY "busy"		/**< too many requests at once */
#define ATA_CTL_E_STOPPING "stopping"	/**< autonta is shutting down */

/** The commands. */
enum ata_ctl_cmd {
	ATA_CTL_STATUS,
	ATA_CTL_LIST,
	ATA_CTL_SHOW,
	ATA_CTL_ADD,
	ATA_CTL_REMOVE,
	ATA_CTL_APPROVE,
	ATA_CTL_REJECT,
	ATA_CTL_MODE,
	ATA_CTL_STATS,
	ATA_CTL_REOPEN_LOG,
	ATA_CTL_NCMDS
};

/** One row of the command table. */
struct ata_ctl_command {
	/** the command word */
	const char* name;
	/** its arguments, for help ("ZONE [ID]") */
	const char* args;
	/** least and most arguments */
	int min_args, max_args;
	/** the first argument is a zone name */
	int zone_arg;
	/** one-line help */
	const char* help;
};

/** A parsed request. */
struct ata_ctl_request {
	/** which command */
	enum ata_ctl_cmd cmd;
	/** SHOW, ADD, REMOVE, APPROVE, REJECT: the zone, normalised */
	char zone[ATA_NAME_MAX];
	/** MODE: the mode; APPROVE, REJECT: the recommendation id or "" */
	char word[16];
	/** ADD: lifetime in seconds, 0 for nta-lifetime */
	unsigned lifetime;
};

/** The command table row for cmd. */
const struct ata_ctl_command* ata_ctl_command(enum ata_ctl_cmd cmd);

/** The command called name, or -1. */
int ata_ctl_lookup(const char* name);

/**
 * Parse one request line (without the newline).
 * @param err: receives why it is not a request.
 * @param code: receives the error code (ATA_CTL_E_USAGE or _VERSION).
 * @return 0, or -1.
 */
int ata_ctl_parse(const char* line, struct ata_ctl_request* req, char* err,
	size_t errlen, const char** code);

/**
 * Parse a duration: seconds, or a number with s, m, h or d ("90",
 * "15m", "2h", "1d"). At most 10 years.
 * @return 0 with *secs set, or -1.
 */
int ata_ctl_parse_duration(const char* s, unsigned* secs);

#endif /* ATA_CTLPROTO_H */
