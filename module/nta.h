/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta's own NTAs: the zones it has decided to NTA, with their life
 * cycle (adding -> active -> removing), lifetimes and recheck state. Only
 * autonta's thread touches the table; Unbound's anchor tree is changed by
 * the workers (actions.h). Pure.
 */
#ifndef ATA_NTA_H
#define ATA_NTA_H
#include "detector.h"
#include "outcome.h"

#include <jansson.h>
#include <time.h>

/** Life cycle. */
enum ata_nta_state {
	ATA_NTA_CONFIRMING,	/**< gathering evidence from the servers */
	ATA_NTA_AWAITING,	/**< approve mode: recommended, not approved */
	ATA_NTA_ADDING,		/**< decided, waiting for a worker to add it */
	ATA_NTA_ACTIVE,		/**< in Unbound's anchor tree */
	ATA_NTA_REMOVING,	/**< lift decided, waiting for a worker */
	ATA_NTA_COOLDOWN	/**< not installed (unconfirmed, recommended
				     only, rejected): quiet until retry_after */
};

/** Who decided an NTA. */
enum ata_nta_owner {
	ATA_OWNER_AUTONTA,	/**< autonta, from a detected, confirmed failure */
	ATA_OWNER_MANUAL	/**< an operator, with autonta-control add */
};

/** One NTA of autonta's. Times are wall-clock seconds. */
struct ata_nta {
	/** next in the table */
	struct ata_nta* next;
	/** the zone */
	char zone[ATA_NAME_MAX];
	/** life cycle */
	enum ata_nta_state state;
	/** who decided it */
	enum ata_nta_owner owner;
	/** its own lifetime in seconds (manual NTAs), 0: nta-lifetime */
	unsigned lifetime;
	/** when decided (CLOCK_REALTIME) */
	struct timespec decided;
	/** when added */
	time_t added;
	/** when it expires (or is extended) */
	time_t expires;
	/** never lives beyond this */
	time_t hard_expires;
	/** next independent recheck */
	time_t next_recheck;
	/** a recheck is under way */
	int recheck_inflight;
	/** an add or remove action is posted and not answered yet */
	int action_posted;
	/** when it was last posted or poked (wall clock) */
	time_t action_poked;
	/** COOLDOWN: when the zone may be considered again */
	time_t retry_after;
	/** AWAITING: when the recommendation expires */
	time_t approve_by;
	/** CONFIRMING: evidence checks tried so far */
	unsigned evidence_tries;
	/** CONFIRMING: when to ask again after servers did not answer (0:
	 *  a check is under way) */
	time_t evidence_again;
	/** AWAITING: the recommendation's id, quoted in approvals */
	char rec_id[12];
	/** verdict of the last recheck ("secure", "bogus", "error") or NULL */
	const char* last_recheck;
	/** when the last recheck came back (0: none yet) */
	time_t last_recheck_at;
	/** rechecks and extensions so far */
	unsigned rechecks, extensions;
	/** why it is being lifted ("revalidated", "expired", ...) */
	const char* lift_reason;
	/** who asked for the lift (autonta-control remove), or NULL */
	json_t* lifted_by;
	/** the names that failed, rechecked with the zone */
	char names[ATA_DET_SAMPLES][ATA_NAME_MAX];
	/** their types */
	uint16_t types[ATA_DET_SAMPLES];
	/** how many */
	int nnames;
	/** the detector's evidence (JSON object) */
	json_t* evidence;
	/** ADDING: re-applied from the state file after a start or reload
	 *  (its times are the recorded ones) */
	int restored;
	/** COOLDOWN: an operator removed it (kept in the state file) */
	int operator_removed;
	/** COOLDOWN: an operator rejected the recommendation (kept too) */
	int rejected;
	/** COOLDOWN: a refusal for operator-cooldown was logged */
	int refusal_logged;
};

/** The table: a short list (NTAs are few). */
/** Most zones the NTA table holds (manual NTAs and state-file records
 * included); also the most the NTA board shows for EDE 33. */
#define ATA_NTA_MAX 256

struct ata_nta_table {
	/** first NTA */
	struct ata_nta* head;
	/** how many */
	unsigned count;
};

/** What to do with an NTA at its expiry time. */
enum ata_nta_expiry {
	ATA_NTA_KEEP,		/**< not expired yet */
	ATA_NTA_EXTEND,		/**< still broken: expires was moved */
	ATA_NTA_LIFT		/**< lift it (reason "expired") */
};

/** The NTA for zone, or NULL. */
struct ata_nta* ata_nta_find(const struct ata_nta_table* t, const char* zone);

/**
 * A new NTA in state CONFIRMING for the spike's zone.
 * @param now: wall-clock now.
 * @param lifetime, max_lifetime: seconds (see the configuration).
 * @return it (in the table), or NULL when out of memory.
 */
struct ata_nta* ata_nta_new(struct ata_nta_table* t,
	const struct ata_spike* spike, const struct timespec* now,
	unsigned lifetime, unsigned max_lifetime);

/**
 * A manual NTA (autonta-control add) in state ADDING: it lives lifetime
 * seconds from the time it is in force, is never extended, and is not
 * lifted when a recheck finds the zone secure (the operator decided).
 * @param by: who asked (JSON object, referenced), kept as its evidence.
 * @return it (in the table), or NULL when out of memory.
 */
struct ata_nta* ata_nta_new_manual(struct ata_nta_table* t, const char* zone,
	const struct timespec* now, unsigned lifetime, json_t* by);

/**
 * Mark it active from now on (lifetimes count from here; a manual NTA's
 * own lifetime replaces lifetime and it never lives beyond it).
 */
void ata_nta_activate(struct ata_nta* n, time_t now, unsigned lifetime,
	unsigned max_lifetime, unsigned recheck_interval);

/**
 * The expiry rule: at expires, extend by lifetime (never past
 * hard_expires) if the last recheck found the zone still bogus; else lift.
 * Manual NTAs are lifted at expires.
 */
enum ata_nta_expiry ata_nta_expiry(struct ata_nta* n, time_t now,
	unsigned lifetime);

/**
 * The state-file record of an NTA that must outlive the process: an
 * active (or being added) one, or the cooldown after an operator removed
 * one. NULL for the others (and when out of memory).
 */
json_t* ata_nta_record(const struct ata_nta* n);

/**
 * Bring a record read from the state file within today's configuration:
 * an NTA lives at most max_lifetime from when it was added (its end and
 * hard end are moved in, never out), a cooldown lasts at most cooldown
 * from now. A hand-edited or old state file cannot outlast the limits.
 */
void ata_nta_clamp(struct ata_nta* n, time_t now, unsigned max_lifetime,
	unsigned cooldown);

/** Reject a recommendation: quiet for the given seconds, kept across
 * restarts. */
void ata_nta_reject(struct ata_nta* n, time_t now, unsigned quiet);

/**
 * An NTA from a state-file record, in the table: state ADDING with
 * restored set for an active one, COOLDOWN with operator_removed for a
 * cooldown. The zone is checked (a name, not already in the table).
 * @return it, or NULL with the reason in err.
 */
struct ata_nta* ata_nta_from_record(struct ata_nta_table* t,
	const json_t* rec, char* err, size_t errlen);

/** Name of a state ("confirming", "active", ...). */
const char* ata_nta_state_name(enum ata_nta_state s);

/** Name of an owner ("autonta" or "manual"). */
const char* ata_nta_owner_name(enum ata_nta_owner o);

/** Remove and free an NTA. */
void ata_nta_delete(struct ata_nta_table* t, struct ata_nta* n);

/** Free all. */
void ata_nta_table_clear(struct ata_nta_table* t);

#endif /* ATA_NTA_H */
