/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The spike detector: recognises a zone-wide failure of the chain of trust
 * at one zone, as opposed to one broken name or one broken child. Pure
 * (no I/O, no Unbound types); fed by autonta's thread with every outcome.
 *
 * Per blamed zone it keeps a sliding window (ATA_DET_BUCKETS buckets) of
 * bogus answers attributed to the zone and of all answers under it, plus
 * the distinct labels directly below the zone that the bogus answers were
 * for (the apex itself and names outside the zone, e.g. reached through a
 * CNAME, are not children). A zone is a candidate when, inside the window, all three of
 * min_bogus, min_children and min_percent hold. Cost per outcome: O(1) (a
 * bounded walk over the rightmost ATA_DET_MAX_LABELS labels); memory: at
 * most max_zones zones, the least recently blamed evicted first.
 */
#ifndef ATA_DETECTOR_H
#define ATA_DETECTOR_H
#include "nametab.h"
#include "outcome.h"

#include <jansson.h>
#include <stdint.h>
#include <time.h>

/** Buckets per window. */
#define ATA_DET_BUCKETS 10
/** Distinct child labels remembered per zone (caps min_children). */
#define ATA_DET_CHILDREN 32
/** Ancestors of a name checked when counting all answers under zones. */
#define ATA_DET_MAX_LABELS 10
/** Samples kept per zone (query names, reasons). */
#define ATA_DET_SAMPLES 8

/** Thresholds. */
struct ata_detector_params {
	/** window length, seconds */
	unsigned window;
	/** bogus answers attributed to the zone in the window */
	unsigned min_bogus;
	/** distinct labels directly below the zone among them */
	unsigned min_children;
	/** bogus share of all answers under the zone, percent */
	unsigned min_percent;
	/** zones tracked at once */
	unsigned max_zones;
};

/** What the detector saw for a candidate zone: the evidence. */
struct ata_spike {
	/** the zone */
	char zone[ATA_NAME_MAX];
	/** window length, seconds */
	unsigned window;
	/** bogus answers in the window */
	uint64_t bogus;
	/** all answers under the zone in the window (bogus included) */
	uint64_t total;
	/** distinct child labels among the bogus answers */
	unsigned children;
	/** EDE code -> count in the window, plus "other" */
	uint64_t ede[33];
	/** attribution steps -> count */
	uint64_t steps[ATA_STEP_CACHED_KEY + 1];
	/** first bogus answer of the current episode */
	struct timespec first;
	/** sample failed names and their types (NUL-terminated strings) */
	char qnames[ATA_DET_SAMPLES][ATA_NAME_MAX];
	/** their query types */
	uint16_t qtypes[ATA_DET_SAMPLES];
	/** number of samples */
	int nsamples;
	/** sample reasons (malloc'ed; freed by ata_spike_clear) */
	char* reasons[3];
};

struct ata_det_zone;

/** The detector. */
struct ata_detector {
	/** thresholds */
	struct ata_detector_params p;
	/** zone name -> struct ata_det_zone */
	struct ata_nametab zones;
	/** least recently blamed end of the LRU list */
	struct ata_det_zone* lru_old;
	/** most recently blamed end */
	struct ata_det_zone* lru_new;
	/** zones evicted so far */
	uint64_t evicted;
};

/** Initialise; 0 or -1. */
int ata_detector_init(struct ata_detector* d,
	const struct ata_detector_params* p);

/**
 * Count one outcome at time now (seconds, monotonic).
 * @param spike: filled in when this outcome makes its zone a candidate.
 * @return 1 when spike was filled (the zone then stays quiet until
 *	ata_detector_reset, or until its window empties and a new episode
 *	begins), 0 otherwise.
 */
int ata_detector_add(struct ata_detector* d, const struct ata_outcome* o,
	time_t now, struct ata_spike* spike);

/**
 * Forget a zone's window (after an NTA was installed, refused or lifted),
 * so that it can become a candidate again with fresh evidence.
 */
void ata_detector_reset(struct ata_detector* d, const char* zone);

/**
 * How many distinct TLDs have zones with at least min bogus answers in the
 * window now, and whether the root has any (the local-fault guard).
 * Looks at the most recently blamed zones only (at most 4096).
 */
unsigned ata_detector_failing_tlds(struct ata_detector* d, time_t now,
	unsigned min, int* root_failing);

/** Bogus answers blamed on zone within the window now (0 if untracked). */
uint64_t ata_detector_window_bogus(struct ata_detector* d, const char* zone,
	time_t now);

/** Free the spike's reasons. */
void ata_spike_clear(struct ata_spike* s);

/** The spike as JSON fields added to obj (the evidence). */
void ata_spike_to_json(const struct ata_spike* s, json_t* obj);

/** Free everything. */
void ata_detector_deinit(struct ata_detector* d);

/** Bytes in use (approximate). */
size_t ata_detector_mem(const struct ata_detector* d);

#endif /* ATA_DETECTOR_H */
