/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Memory of which zone was blamed for each bad key entry. The adapter can
 * tell exactly which step failed when the validator has just failed; when
 * a later query meets the *cached* bad key entry (Unbound's "key ... is
 * marked as invalid because of a previous validation failure") the step
 * is no longer visible, and the first, exact attribution is reused for as
 * long as the bad entry can live in Unbound's key cache. Pure.
 */
#ifndef ATA_BLAME_H
#define ATA_BLAME_H
#include "nametab.h"

#include <time.h>

struct ata_outcome;

/** How long an attribution is remembered, in seconds: Unbound's bad key
 * entries live BOGUS_KEY_TTL (60 s); a margin covers clock steps. */
#define ATA_BLAME_TTL 120
/** Most attributions remembered; past that, expired ones go first. */
#define ATA_BLAME_MAX 65536

/** The attribution memory. */
struct ata_blame {
	/** bad key name -> struct ata_blame_entry */
	struct ata_nametab keys;
};

/** Initialise. 0 or -1. */
int ata_blame_init(struct ata_blame* b);

/**
 * Record an exact attribution, or replace a best guess by a remembered
 * one. For ATA_STEP_CACHED_KEY outcomes o->zone/o->step are rewritten when
 * the bad key was seen before; other bogus outcomes with a bad key are
 * remembered. A cached bogus answer (no validator state, no zone) gets the
 * attribution of the closest remembered bad key at or above its name.
 * @param now: seconds (any clock, used consistently).
 */
void ata_blame_refine(struct ata_blame* b, struct ata_outcome* o, time_t now);

/** Free everything. */
void ata_blame_deinit(struct ata_blame* b);

/** Approximate bytes in use. */
size_t ata_blame_mem(const struct ata_blame* b);

#endif /* ATA_BLAME_H */
