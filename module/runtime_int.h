/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The runtime's private parts, shared by runtime.c and the control
 * commands (commands.c). Everything here belongs to autonta's thread.
 */
#ifndef ATA_RUNTIME_INT_H
#define ATA_RUNTIME_INT_H
#include "actions.h"
#include "blame.h"
#include "control.h"
#include "detector.h"
#include "history.h"
#include "nta.h"
#include "ntaboard.h"
#include "poke.h"
#include "queue.h"
#include "recheck.h"
#include "runtime.h"
#include "sink.h"
#include "zonestats.h"
#include "zonelog.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/** Longest sleep of autonta's thread, milliseconds. */
#define ATA_TICK_MS 250
/** Evidence checks of a zone whose servers did not all answer. */
#define ATA_EVIDENCE_TRIES 3
/** Seconds between two saves of the history (when it changed). */
#define ATA_HISTORY_SAVE_S 60

struct ata_runtime {
	/** immutable configuration snapshot */
	struct ata_config* cfg;
	/** the mode in force: cfg->mode until changed by a control command */
	char mode[16];
	/** when a control command set the mode (wall clock), 0: never */
	time_t mode_set;
	/** host facts */
	struct ata_host host;
	/** workers -> thread */
	struct ata_queue queue;
	/** thread <-> workers */
	struct ata_actions actions;
	/** thread -> workers: the NTAs in force (EDE 33) */
	struct ata_ntaboard board;
	/** poke target and token (token read by workers, never changed) */
	struct ata_poke poke;
	/** the poke address as text (host->poke_host is the caller's) */
	char poke_host[128];
	/** the recheck thread, or NULL */
	struct ata_recheck* recheck;
	/** autonta's thread */
	pthread_t thread;
	/** owned by the thread after start: */
	struct ata_sink sink;
	/** events written since start: the next event's seq is seq + 1 */
	uint64_t seq;
	struct ata_zonestats stats;
	struct ata_blame blame;
	struct ata_detector detector;
	struct ata_nta_table ntas;
	struct ata_history history;
	/** when the history was last saved (monotonic seconds) */
	time_t history_saved;
	/** the NTAs to keep across restarts changed: save the state now */
	int ntas_dirty;
	/** the last state-file save failed with this error (reported once
	 *  until a save succeeds or the error changes) */
	char save_error[600];
	/** when the runtime started (CLOCK_REALTIME) */
	struct timespec started;
	/** times of the NTAs added in the last hour (a ring) */
	time_t added_times[1000];
	/** next slot of the ring */
	unsigned added_next;
	/** when local_fault_suspected was last written (monotonic) */
	time_t local_fault_logged;
	/** approval file: size and mtime when last read */
	off_t approval_size;
	time_t approval_mtime;
	/** a failed poke was logged */
	int poke_failed_logged;
	/** outcomes processed, for module_stopped */
	unsigned long long processed;
	/** bytes in use, published by the thread for get_mem */
	atomic_size_t mem;
	/** the control socket's server, or NULL */
	struct ata_control* control;
	/** protects jobs */
	pthread_mutex_t jobs_lock;
	/** control requests handed over, newest first */
	struct ata_ctl_job* jobs;
	/** control requests waiting for an action (commands.c) */
	struct ata_ctl_job* waiting;
	/** events written, by name: {"nta_added": 1, ...} */
	json_t* event_counts;
	/** recent events per zone, for `show` */
	struct ata_zonelog zonelog;
};

/** Write one event and free it (NULL is fine). */
void ata_rt_emit(struct ata_runtime* rt, json_t* ev);

/** A new event stamped now, or NULL. */
json_t* ata_rt_event_now(const char* name);

/** A wall-clock time as an ISO 8601 JSON string. */
json_t* ata_rt_time_json(time_t t);

/** Post the add or remove the NTA's state calls for, and poke. */
void ata_rt_post_action(struct ata_runtime* rt, struct ata_nta* n);

/**
 * Write an event about a recommendation: its zone and id, and who acted
 * (by, may be NULL).
 */
void ata_rt_emit_recommendation(struct ata_runtime* rt, const char* name,
	const struct ata_nta* n, json_t* by);

/** Start lifting an NTA (state REMOVING) for reason. */
void ata_rt_lift(struct ata_runtime* rt, struct ata_nta* n,
	const char* reason);

#endif /* ATA_RUNTIME_INT_H */
