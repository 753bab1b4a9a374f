/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta's runtime: the configuration snapshot, the outcome queue and
 * autonta's own thread, which consumes outcomes, keeps the per-zone state
 * and writes the events. No Unbound types: the dynlib edge feeds it plain
 * outcomes. One runtime lives from Unbound's init to its deinit.
 */
#ifndef ATA_RUNTIME_H
#define ATA_RUNTIME_H
#include <stddef.h>

struct ata_config;
struct ata_outcome;
struct ata_runtime;

/** Facts about the host that go into module_started. */
struct ata_host {
	/** Unbound's version, e.g. "1.17.1" */
	const char* unbound_version;
	/** Unbound's num-threads */
	int num_threads;
	/** log a line to Unbound's log (any thread); level 0 error, 1 info */
	void (*log)(int level, const char* msg);
};

/**
 * Start the runtime: open the event sink, start the thread, write
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

/** The configuration in force. */
const struct ata_config* ata_runtime_config(const struct ata_runtime* rt);

/** Bytes autonta holds now (approximate; for Unbound's get_mem). */
size_t ata_runtime_mem(const struct ata_runtime* rt);

/**
 * Stop: drain the queue, write the last stats and module_stopped, join the
 * thread, free everything. NULL is fine.
 */
void ata_runtime_delete(struct ata_runtime* rt);

#endif /* ATA_RUNTIME_H */
