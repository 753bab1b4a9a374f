/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Independent recheck of NTA'd zones (like BIND's nta-recheck, faster):
 * its own thread resolves, with a fresh libunbound context per recheck
 * (full recursion from the daemon's root hints, a copy of the daemon's
 * trust anchors, never the daemon's config file, no cache carried over),
 * the zone's DNSKEY and SOA and the names that failed, and reports whether
 * the zone validates again. Nothing inside Unbound can do this: a query
 * for a name under an NTA comes back insecure.
 *
 * Verdicts: "secure" when DNSKEY and SOA validate and no sample name is
 * bogus; "bogus" when DNSKEY or SOA is bogus, or more than half of the
 * sample names are; "error" otherwise (some names bogus, timeouts,
 * SERVFAIL without validation failure, setup errors).
 */
#ifndef ATA_RECHECK_H
#define ATA_RECHECK_H
#include "outcome.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct ub_ctx;

/** Most names checked besides DNSKEY and SOA. */
#define ATA_RECHECK_NAMES 8

/** What the recheck context is built from (copied from Unbound's config). */
struct ata_recheck_setup {
	/** NULL-terminated lists of strings (may be NULL) */
	char** root_hints;		/**< root-hints: files */
	char** anchor_files;		/**< trust-anchor-file, trusted-keys-file,
					     auto-trust-anchor-file (read only) */
	char** anchors;			/**< trust-anchor: strings */
	char** outgoing;		/**< outgoing-interface: addresses */
	/** do-not-query-localhost */
	int do_not_query_localhost;
	/** do-ip6 */
	int do_ip6;
	/** seconds one recheck may take (set by the runtime) */
	unsigned timeout;
};

/** Kinds of check the thread runs. */
enum ata_check_kind {
	ATA_CHECK_RECHECK,	/**< does an NTA'd zone validate again? */
	ATA_CHECK_EVIDENCE	/**< is a detected failure real, from every
				     authoritative server? (evidence.h) */
};

/** A check result. */
struct ata_recheck_result {
	/** next in the result list */
	struct ata_recheck_result* next;
	/** which kind of check */
	enum ata_check_kind kind;
	/** the zone */
	char zone[ATA_NAME_MAX];
	/** recheck: "secure", "bogus" or "error"; evidence: "confirmed" or
	 *  "unconfirmed" */
	const char* verdict;
	/** evidence: why unconfirmed ("inconsistent", "not-bogus",
	 *  "unreachable", "no-servers"), else NULL */
	const char* reason;
	/** evidence: the per-server evidence object */
	json_t* evidence;
	/** per query: {name, type, rcode, secure, bogus, why_bogus} */
	json_t* checks;
	/** how long it took, milliseconds */
	long ms;
};

struct ata_recheck;

/**
 * Start the recheck thread.
 * @param setup: copied.
 * @return it, or NULL with err set.
 */
struct ata_recheck* ata_recheck_create(const struct ata_recheck_setup* setup,
	void (*wake)(void* arg), void* wake_arg, char* err, size_t errlen);

/**
 * Ask for a check of zone and of the given names (presentation format).
 * @return 0, or -1 when out of memory.
 */
int ata_recheck_submit(struct ata_recheck* r, enum ata_check_kind kind,
	const char* zone, char (*names)[ATA_NAME_MAX], const uint16_t* types,
	int n);

/**
 * A fresh libunbound context as described above, with the zone optionally
 * pinned to one server address over TCP (a libunbound stub zone).
 * @return the context, or NULL with why set.
 */
struct ub_ctx* ata_check_ctx(const struct ata_recheck_setup* s,
	FILE* devnull, int validate, const char* pin_zone,
	const char* pin_addr, const char** why);

/** Take the finished results, oldest first. */
struct ata_recheck_result* ata_recheck_take(struct ata_recheck* r);

/** Free a list of results. */
void ata_recheck_result_free(struct ata_recheck_result* list);

/** Stop the thread (a recheck under way is abandoned) and free all. */
void ata_recheck_delete(struct ata_recheck* r);

/** Most contexts one batch of queries may use. */
#define ATA_CHECK_MAX_CTX 64

/** One query of a batch (ata_check_batch). */
struct ata_check_query {
	/** index of its context */
	int ctx;
	/** name and type asked */
	char name[ATA_NAME_MAX];
	int type;
	/** answered (or failed to start) */
	int done;
	/** libunbound's error code */
	int err;
	/** the result, to free with ata_check_free */
	struct ub_result* res;
};

/**
 * Resolve every query on its context, all at once (threaded async mode),
 * until all are done, timeout seconds have passed or *stop is set.
 * At most ATA_CHECK_MAX_CTX contexts.
 */
void ata_check_batch(struct ub_ctx** ctx, int nctx, struct ata_check_query* q,
	int n, unsigned timeout, atomic_int* stop);

/** The query's outcome: "secure", "insecure", "bogus", "servfail",
 *  "error" or "timeout". */
const char* ata_check_result(const struct ata_check_query* q);

/** Free the results of n queries. */
void ata_check_free(struct ata_check_query* q, int n);

/** Milliseconds since t0 (CLOCK_MONOTONIC). */
long ata_check_ms_since(const struct timespec* t0);

/** Free the strings of a setup (as filled by the adapter). */
void ata_recheck_setup_clear(struct ata_recheck_setup* s);

#endif /* ATA_RECHECK_H */
