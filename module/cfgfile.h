/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta's own configuration: a small "key: value" file in the style of
 * unbound.conf, parsed strictly. One table of options drives parsing,
 * range checks, defaults, the help text and the printed effective
 * configuration. Pure: no Unbound types, no globals.
 */
#ifndef ATA_CFGFILE_H
#define ATA_CFGFILE_H
#include <stddef.h>
#include <stdio.h>

/** Environment variable naming the configuration file. */
#define ATA_CONFIG_ENV "AUTONTA_CONF"
/** File name looked for in Unbound's `directory:` when the variable is unset. */
#define ATA_CONFIG_DEFAULT_NAME "autonta.conf"
/** Longest accepted line, in bytes, newline excluded. */
#define ATA_CONFIG_MAX_LINE 1024

/** The effective configuration: an immutable snapshot once parsed. */
struct ata_config {
	/** file events are appended to; "" for none */
	char* log_file;
	/** also write every event line to stderr */
	int log_stderr;
	/** one `outcome` event per validated client answer (debugging) */
	int log_outcomes;
	/** seconds between two zone_stats summaries */
	unsigned stats_interval;
	/** outcomes that may wait for autonta's thread; more are dropped */
	unsigned queue_limit;
	/** zones tracked per stats interval; more are counted, not named */
	unsigned max_zones;
	/** detector: window length, seconds */
	unsigned detect_window;
	/** detector: bogus answers blamed on the zone within the window */
	unsigned detect_min_bogus;
	/** detector: distinct labels directly below the zone among them */
	unsigned detect_min_children;
	/** detector: bogus share of all answers under the zone, percent */
	unsigned detect_min_percent;
	/** detector: zones tracked at once */
	unsigned detect_max_zones;
	/** which zones may get an NTA: "tld" or "any" */
	char* nta_scope;
	/** NTA lifetime, seconds (extended while still broken) */
	unsigned nta_lifetime;
	/** hard maximum of an NTA's total life, seconds */
	unsigned nta_max_lifetime;
	/** seconds between two independent rechecks of an NTA'd zone */
	unsigned recheck_interval;
	/** seconds one recheck or evidence check may take */
	unsigned recheck_timeout;
	/** "enforce", "advise" or "approve" */
	char* mode;
	/** approve mode: file the operator writes "approve ZONE" lines to */
	char* approval_file;
	/** seconds a recommendation waits for approval */
	unsigned approval_timeout;
	/** zones (and their subtrees) never NTA'd: normalised names
	 *  separated by single spaces */
	char* protected_zones;
	/** most autonta NTAs at once */
	unsigned max_ntas;
	/** most new autonta NTAs per hour */
	unsigned max_ntas_per_hour;
	/** TLDs failing at once that mean the fault is local */
	unsigned local_fault_tlds;
	/** a zone must have validated within this many seconds (0: off) */
	unsigned history_period;
	/** file the history is kept in ("" for none) */
	char* state_file;
	/** seconds before an unconfirmed zone is checked again */
	unsigned evidence_retry;
	/** seconds a zone whose NTA an operator removed is left alone */
	unsigned operator_cooldown;
	/** UNIX socket autonta-control talks to ("" for none) */
	char* control_socket;
	/** EDE 33 (Negative Trust Anchor) on answers under autonta's NTAs */
	int ede_nta;
	/** also send every event line to syslog */
	int log_syslog;
	/** syslog facility: "daemon", "user" or "local0" .. "local7" */
	char* syslog_facility;
	/** the local syslog daemon's datagram socket */
	char* syslog_socket;
	/** where this configuration came from ("defaults" or a path) */
	char* source;
};

/** Kinds of option value. */
enum ata_option_type {
	ATA_OPT_BOOL,	/**< yes or no */
	ATA_OPT_UINT,	/**< decimal integer within [min, max] */
	ATA_OPT_STRING,	/**< any text, quotes optional */
	ATA_OPT_CHOICE	/**< one of the words in `choices` */
};

/** One row of the option table. */
struct ata_option {
	/** name as written in the file */
	const char* name;
	/** kind of value */
	enum ata_option_type type;
	/** offset of the member in struct ata_config */
	size_t offset;
	/** smallest accepted value (ATA_OPT_UINT) */
	unsigned long min;
	/** largest accepted value (ATA_OPT_UINT) */
	unsigned long max;
	/** default, written as in the file */
	const char* def;
	/** one-line help */
	const char* help;
	/** ATA_OPT_CHOICE: the accepted words, separated by '|' */
	const char* choices;
};

/**
 * The option table.
 * @param n: set to the number of rows.
 * @return the rows, in documentation order.
 */
const struct ata_option* ata_config_options(size_t* n);

/**
 * A configuration holding the defaults.
 * @return it, or NULL when out of memory.
 */
struct ata_config* ata_config_new(void);

/** Free a configuration (NULL is fine). */
void ata_config_delete(struct ata_config* cfg);

/**
 * Parse configuration text over cfg (which holds the defaults).
 * Unknown options, repeated options, malformed lines and out-of-range
 * values are errors.
 * @param cfg: updated only for the lines read before an error.
 * @param text: the text, NUL-terminated.
 * @param name: file name used in error messages.
 * @param err: receives "name:line: what is wrong" on error.
 * @param errlen: size of err.
 * @return 0 on success, -1 on error.
 */
int ata_config_parse_text(struct ata_config* cfg, const char* text,
	const char* name, char* err, size_t errlen);

/**
 * Read and parse a configuration file into a fresh configuration.
 * @param path: the file.
 * @param err: receives the reason on failure.
 * @param errlen: size of err.
 * @return the configuration, or NULL on error.
 */
struct ata_config* ata_config_load(const char* path, char* err,
	size_t errlen);

/**
 * Write the configuration in file syntax, one option a line, every
 * option included (the normalised, effective configuration).
 */
void ata_config_print(const struct ata_config* cfg, FILE* out);

/**
 * The configuration as a JSON object (a jansson json_t*, returned as
 * void* to keep jansson out of this header).
 */
void* ata_config_to_json(const struct ata_config* cfg);

#endif /* ATA_CFGFILE_H */
