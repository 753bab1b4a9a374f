/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The only file that reads Unbound's internals (validator state, caches,
 * the module stack). A new Unbound version should change this file alone.
 * It turns what Unbound knows into plain struct ata_outcome values.
 */
#ifndef ATA_ADAPTER_H
#define ATA_ADAPTER_H
#include <stddef.h>

struct module_env;
struct module_qstate;
struct ata_action;
struct ata_host;
struct ata_outcome;

/** Receives outcomes from the reply-servfail callback. */
typedef void (*ata_outcome_fn)(void* arg, struct ata_outcome* o);

/**
 * The outcome of a query the validator just finished, if it is a client
 * query (someone waits for the answer); NULL for subqueries, prefetches
 * and when out of memory.
 * @param qstate: the query, at module_event_moddone.
 * @param val_id: the validator's module id (see ata_adapter_validator_id).
 * @param all_reasons: take the reason text of every bogus answer (else a
 *	few a second, enough for the samples in events).
 */
struct ata_outcome* ata_adapter_outcome(struct module_qstate* qstate,
	int val_id, int all_reasons);

/** The validator's module id, or -1 (valid from the first operate on). */
int ata_adapter_validator_id(struct module_env* env);

/**
 * Register the reply-servfail callback that sees cached bogus answers the
 * worker turns into SERVFAIL without running the modules. Init only.
 * @return 0, or -1.
 */
int ata_adapter_watch_servfail(struct module_env* env, int id,
	ata_outcome_fn fn, void* arg);

/** Remove that callback (deinit). */
void ata_adapter_unwatch_servfail(struct module_env* env, int id);

struct ata_ntaboard;

/**
 * Register the reply callbacks that add EDE 33 to answers under an NTA on
 * the board (ede-nta). Init only.
 * @return 0, or -1.
 */
int ata_adapter_mark_nta_answers(struct module_env* env, int id,
	struct ata_ntaboard* board);

/** Remove those callbacks (deinit); harmless if none were registered. */
void ata_adapter_unmark_nta_answers(struct module_env* env, int id);

/** Where the configuration file is looked for by default (malloc'ed). */
char* ata_adapter_default_config(struct module_env* env);

/** Unbound's version string. */
const char* ata_adapter_unbound_version(void);

/** Unbound's num-threads. */
int ata_adapter_num_threads(struct module_env* env);

/** Log one line to Unbound's log: level 0 error, 1 info. */
void ata_adapter_log(int level, const char* msg);

/**
 * Fill the host facts that come from Unbound's configuration: the recheck
 * setup (root hints, trust anchors, outgoing interfaces, ...) and the
 * address to poke. Strings are malloc'ed into host->recheck (free with
 * ata_recheck_setup_clear) and pokehost.
 */
void ata_adapter_host(struct module_env* env, struct ata_host* host,
	char* pokehost, size_t len);

/**
 * Run an NTA action in a worker thread: add or remove the NTA in the
 * anchor tree and expire, at and below the zone, the cached key entries,
 * messages and rrsets (what `unbound-control flush_zone` does), so the
 * change takes effect at once. Sets a->result, the counts and a->done.
 */
void ata_adapter_run_action(struct module_env* env, struct ata_action* a);

/** The anchor tree workers use (NULL before the validator's init). */
void* ata_adapter_anchors(struct module_env* env);

/**
 * What the anchor tree holds at zone (an enum ata_anchor_kind). Safe from
 * any thread while the tree lives: the validator frees it only after
 * autonta's deinit has joined autonta's threads.
 */
int ata_adapter_anchor_kind(void* anchors, const char* zone);

/** Whether the query is a poke carrying token (see poke.h). */
int ata_adapter_is_poke(struct module_qstate* qstate, const char* token);

/** Answer a poke: REFUSED, no recursion. */
void ata_adapter_answer_poke(struct module_qstate* qstate, int id);

/** Our state kept in the dynlib module's environment slot. */
void** ata_adapter_state(struct module_env* env, int id);

#endif /* ATA_ADAPTER_H */
