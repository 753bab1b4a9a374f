/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta's runtime: the configuration snapshot, the outcome queue and
 * autonta's own thread, which consumes outcomes, attributes them, detects
 * zone-wide failures, decides on NTAs, drives their life cycle and the
 * independent rechecks, and writes the events. No Unbound types: the
 * dynlib edge feeds it plain outcomes and runs the actions it posts. One
 * runtime lives from Unbound's init to its deinit.
 */
#ifndef ATA_RUNTIME_H
#define ATA_RUNTIME_H
#include "recheck.h"

#include <stddef.h>

struct ata_actions;
struct ata_config;
struct ata_outcome;
struct ata_runtime;

/** Facts about the host, taken at init. */
struct ata_host {
	/** Unbound's version, e.g. "1.17.1" */
	const char* unbound_version;
	/** Unbound's num-threads */
	int num_threads;
	/** log a line to Unbound's log (any thread); level 0 error, 1 info */
	void (*log)(int level, const char* msg);
	/** how to build recheck contexts (copied) */
	struct ata_recheck_setup recheck;
	/** numeric address and port where Unbound takes queries (pokes);
	 *  NULL: no pokes, actions wait for client traffic */
	const char* poke_host;
	/** its port */
	int poke_port;
	/** no recheck thread (unit tests) */
	int no_recheck;
	/** what Unbound's anchor tree holds at zone (enum ata_anchor_kind in
	 *  actions.h); called from autonta's thread; NULL: not known */
	int (*anchor_at)(void* arg, const char* zone);
	/** its argument */
	void* anchor_arg;
};

/**
 * Start the runtime: open the event sink, start the threads, write
 * module_started.
 * @param cfg: the configuration; the runtime owns it from now on, also on
 *	failure.
 * @param host: host facts (copied; the log function must stay valid).
 * @param err: receives the reason on failure.
 * @return the runtime, or NULL.
 */
struct ata_runtime* ata_runtime_create(struct ata_config* cfg,
	const struct ata_host* host, char* err, size_t errlen);

/**
 * Hand over one outcome (from any worker thread). Never blocks on I/O;
 * drops and counts when autonta's thread is behind.
 */
void ata_runtime_observe(struct ata_runtime* rt, struct ata_outcome* o);

/** The NTAs in force, for the workers' EDE 33 (see ntaboard.h). */
struct ata_ntaboard* ata_runtime_board(struct ata_runtime* rt);

/** The actions the workers run (see actions.h). */
struct ata_actions* ata_runtime_actions(struct ata_runtime* rt);

/** The token that marks a poke query (see poke.h). */
const char* ata_runtime_poke_token(const struct ata_runtime* rt);

/** The configuration in force. */
const struct ata_config* ata_runtime_config(const struct ata_runtime* rt);

/** Bytes autonta holds now (approximate; for Unbound's get_mem). */
size_t ata_runtime_mem(const struct ata_runtime* rt);

/**
 * Stop: drain the queue, write the last stats and module_stopped, join the
 * threads, free everything. NULL is fine.
 */
void ata_runtime_delete(struct ata_runtime* rt);

#endif /* ATA_RUNTIME_H */
