/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Per-interval summary of bogus outcomes per blamed zone, the material of
 * the periodic `zone_stats` events, and overall totals for the `stats`
 * event. Pure: fed by autonta's thread, read out and reset per interval.
 */
#ifndef ATA_ZONESTATS_H
#define ATA_ZONESTATS_H
#include "nametab.h"

#include <jansson.h>
#include <stdint.h>
#include <time.h>

struct ata_outcome;

/** Distinct query names are counted exactly up to this many per zone. */
#define ATA_DISTINCT_CAP 4096
/** Sample reasons and query names kept per zone and interval. */
#define ATA_SAMPLES 3
/** EDE codes counted individually (0..ATA_EDE_SLOTS-1); others pooled. */
#define ATA_EDE_SLOTS 32

/** Totals over all outcomes of an interval. */
struct ata_totals {
	/** outcomes by enum ata_sec */
	uint64_t by_sec[6];
	/** bogus outcomes answered from the message cache */
	uint64_t cached_bogus;
	/** bogus outcomes of zones past max-zones */
	uint64_t untracked_bogus;
	/** bogus outcomes with no zone to blame */
	uint64_t unattributed_bogus;
	/** zones past max-zones */
	uint64_t untracked_zones;
};

/** The summary of one interval. */
struct ata_zonestats {
	/** zone name -> struct ata_zone_stat */
	struct ata_nametab zones;
	/** most zones named */
	unsigned max_zones;
	/** start of the interval */
	struct timespec start;
	/** totals */
	struct ata_totals totals;
};

/** Initialise empty stats. 0 or -1. */
int ata_zonestats_init(struct ata_zonestats* zs, unsigned max_zones,
	const struct timespec* start);

/** Count one outcome. */
void ata_zonestats_add(struct ata_zonestats* zs, const struct ata_outcome* o);

/**
 * One `zone_stats` event per zone with bogus outcomes, then one `stats`
 * event, appended to the JSON array out; then start a new interval.
 * @param now: end of the interval (the events' time).
 * @param dropped: outcomes the queue dropped so far (reported in `stats`).
 */
void ata_zonestats_flush(struct ata_zonestats* zs, const struct timespec* now,
	uint64_t dropped, json_t* out);

/** Free everything. */
void ata_zonestats_deinit(struct ata_zonestats* zs);

/** Approximate bytes in use. */
size_t ata_zonestats_mem(const struct ata_zonestats* zs);

#endif /* ATA_ZONESTATS_H */
