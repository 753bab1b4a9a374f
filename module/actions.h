/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA actions handed from autonta's thread to Unbound's worker threads.
 *
 * Why: installing or removing an NTA means changing Unbound's anchor tree
 * and flushing its key, message and rrset caches. From a worker (inside
 * operate()) that is what unbound-control does and is safe. From our own
 * thread it is not: a reload can free and recreate the message and rrset
 * caches before our deinit runs, and Unbound's timers cannot call module
 * code. So autonta's thread only posts actions here; the next operate()
 * call on any worker executes them (one atomic load per call when there is
 * nothing to do) and posts the results back. To make that "next call"
 * prompt even without client traffic, autonta's thread sends Unbound a
 * query of its own (a "poke", see poke.h) that operate() recognises.
 */
#ifndef ATA_ACTIONS_H
#define ATA_ACTIONS_H
#include "outcome.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/** What to do. */
enum ata_action_kind {
	ATA_ACT_ADD,	/**< add the NTA (if no anchor exists) and flush */
	ATA_ACT_REMOVE	/**< remove our NTA and flush */
};

/** Result of an action. */
enum ata_action_result {
	ATA_ACT_PENDING,	/**< not run yet */
	ATA_ACT_DONE,		/**< done */
	ATA_ACT_EXISTS,		/**< add: an anchor or NTA already exists */
	ATA_ACT_ABSENT,		/**< remove: no NTA there any more */
	ATA_ACT_NOT_NTA,	/**< remove: a real trust anchor is there now */
	ATA_ACT_FAILED		/**< out of memory or no anchor tree yet */
};

/** What Unbound's anchor tree holds at a name (see ata_host.anchor_at). */
enum ata_anchor_kind {
	ATA_ANCHOR_UNKNOWN = -1,	/**< no anchor tree known yet */
	ATA_ANCHOR_NONE,		/**< nothing at that name */
	ATA_ANCHOR_NTA,			/**< an insecure point (an NTA) */
	ATA_ANCHOR_TA			/**< a real trust anchor */
};

/** One action and, once run, its result. */
struct ata_action {
	/** next in its list */
	struct ata_action* next;
	/** what */
	enum ata_action_kind kind;
	/** the zone, presentation format */
	char zone[ATA_NAME_MAX];
	/** set by the worker */
	enum ata_action_result result;
	/** cache entries expired by the flush */
	unsigned long flushed_keys, flushed_msgs, flushed_rrsets;
	/** when the worker ran it (CLOCK_REALTIME) */
	struct timespec done;
};

/** The two lists between the threads. */
struct ata_actions {
	/** protects the lists */
	pthread_mutex_t lock;
	/** posted, waiting for a worker */
	struct ata_action* posted;
	/** run, waiting for autonta's thread */
	struct ata_action* done;
	/** nonzero while posted is not empty (read without the lock) */
	atomic_int pending;
};

/** Initialise; 0 or -1. */
int ata_actions_init(struct ata_actions* a);

/** Free both lists. */
void ata_actions_deinit(struct ata_actions* a);

/** Post an action (autonta's thread); it is owned by the lists now. */
void ata_actions_post(struct ata_actions* a, struct ata_action* act);

/** Take the posted actions (a worker), oldest first; NULL when none. */
struct ata_action* ata_actions_take_posted(struct ata_actions* a);

/** Hand back a run action (a worker). */
void ata_actions_finish(struct ata_actions* a, struct ata_action* act);

/** Take the run actions (autonta's thread), oldest first. */
struct ata_action* ata_actions_take_done(struct ata_actions* a);

/** Name of a result, for events. */
const char* ata_action_result_name(enum ata_action_result r);

#endif /* ATA_ACTIONS_H */
