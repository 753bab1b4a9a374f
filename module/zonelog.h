/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The recent events of each zone autonta acted on or considered (spike
 * detected, evidence, NTA added, rechecks, lifted...), for
 * `autonta-control show ZONE`: a bounded table of the most recently
 * touched zones, each with its last events. Only autonta's thread uses it.
 * Pure.
 */
#ifndef ATA_ZONELOG_H
#define ATA_ZONELOG_H
#include <jansson.h>

/** Zones remembered (least recently touched forgotten first). */
#define ATA_ZONELOG_ZONES 64
/** Events remembered per zone (oldest dropped first). */
#define ATA_ZONELOG_EVENTS 32

struct ata_zonelog_zone;

/** The table. */
struct ata_zonelog {
	/** most recently touched first */
	struct ata_zonelog_zone* head;
	/** zones held */
	unsigned count;
};

/** Initialise empty. */
void ata_zonelog_init(struct ata_zonelog* l);

/** Free everything. */
void ata_zonelog_deinit(struct ata_zonelog* l);

/**
 * Remember an event about zone (the event is referenced, not copied: it
 * must not change afterwards). Out of memory: not remembered.
 */
void ata_zonelog_add(struct ata_zonelog* l, const char* zone, json_t* ev);

/** The zone's events, oldest first (borrowed), or NULL if none. */
json_t* ata_zonelog_get(const struct ata_zonelog* l, const char* zone);

/** Approximate bytes held (for get_mem). */
size_t ata_zonelog_mem(const struct ata_zonelog* l);

#endif /* ATA_ZONELOG_H */
