/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * History: when each zone last validated secure. autonta never "fixes" a
 * zone it never saw working: a zone without a secure answer within
 * history-period before a failure gets no NTA. Recorded for the top
 * ATA_HISTORY_LABELS labels of every secure answer's name (the TLD, the
 * second and the third level), kept in memory and saved to the state file
 * so that it survives restarts and reloads. Pure but for the file I/O.
 */
#ifndef ATA_HISTORY_H
#define ATA_HISTORY_H
#include "nametab.h"

#include <jansson.h>
#include <stddef.h>
#include <time.h>

/** Levels of a name recorded (1: TLD, 2: second level, ...). */
#define ATA_HISTORY_LABELS 3
/** Most zones remembered. */
#define ATA_HISTORY_MAX 65536
/** Largest state file read. */
#define ATA_HISTORY_FILE_MAX (8 * 1024 * 1024)

/** The history. */
struct ata_history {
	/** zone -> time_t last secure (stored in the pointer value) */
	struct ata_nametab zones;
	/** changed since the last save */
	int dirty;
};

/** Initialise empty; 0 or -1. */
int ata_history_init(struct ata_history* h);

/** Free. */
void ata_history_deinit(struct ata_history* h);

/**
 * A secure positive answer for qname at time now (wall clock): record its
 * top `levels` labels (at most ATA_HISTORY_LABELS).
 */
void ata_history_secure(struct ata_history* h, const char* qname, time_t now,
	int levels);

/** When zone last validated secure, or 0 if never seen. */
time_t ata_history_last_secure(const struct ata_history* h, const char* zone);

/** Drop entries older than cutoff. */
void ata_history_expire(struct ata_history* h, time_t cutoff);

/**
 * Parse state-file text ({"version":1,"history":{"de.":1764780000,...},
 * "ntas":[...],"mode":{...}}) into h (merged). Names are checked; bad
 * entries make it fail. The rest of the file is handed back: an object
 * with "ntas", the NTA records of nta.h (an array, empty when the file has
 * none), and "mode", the mode set at run time (an object, when present).
 * @param extra: receives that object (a new reference); NULL to ignore it.
 * @return 0, or -1 with the reason in err.
 */
int ata_history_parse(struct ata_history* h, const char* text, size_t len,
	json_t** extra, char* err, size_t errlen);

/**
 * Load the state file. A missing file is not an error.
 * @param extra: as for ata_history_parse.
 * @return 0 (loaded or missing), -1 with err set when unreadable or
 *	corrupt (the caller keeps the file aside and starts empty).
 */
int ata_history_load(struct ata_history* h, const char* path,
	json_t** extra, char* err, size_t errlen);

/**
 * Save atomically (temporary file, fsync, rename), with the rest of the
 * state.
 * @param extra: an object whose members ("ntas", "mode") are saved too,
 *	or NULL.
 * @return 0, or -1 with err set.
 */
int ata_history_save(struct ata_history* h, const char* path,
	json_t* extra, char* err, size_t errlen);

/** Entries held. */
size_t ata_history_count(const struct ata_history* h);

#endif /* ATA_HISTORY_H */
