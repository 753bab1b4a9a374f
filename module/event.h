/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * autonta's JSON events: every event is one JSON object on one line with
 * the fields `schema` (ATA_EVENT_SCHEMA), `time` (RFC 3339, UTC, with
 * milliseconds), `event` (its name) and `seq` (1, 2, 3, ... from the
 * module's start; 0 until the runtime writes it) first, then the event's own fields.
 * Field names are stable; the README is their reference. Pure formatting.
 */
#ifndef ATA_EVENT_H
#define ATA_EVENT_H
#include <jansson.h>
#include <stddef.h>
#include <time.h>

struct ata_outcome;

/** Version of the event schema, bumped on incompatible changes only. */
#define ATA_EVENT_SCHEMA 1

/** Room for an RFC 3339 timestamp with milliseconds. */
#define ATA_TIME_MAX 32

/**
 * Format a wall-clock time as "2026-05-05T13:37:00.123Z".
 * @return 0, or -1 if the time cannot be represented.
 */
int ata_time_format(const struct timespec* t, char* buf, size_t len);

/**
 * A new event with its three leading fields set.
 * @param name: the event name, e.g. "zone_stats".
 * @param when: its time.
 * @return the object (caller adds fields, then formats), or NULL.
 */
json_t* ata_event_new(const char* name, const struct timespec* when);

/**
 * The event as one line of compact JSON, without the newline.
 * @return a malloc'ed string, or NULL.
 */
char* ata_event_line(const json_t* ev);

/** Name of an enum ata_sec value ("bogus", "secure", ...). */
const char* ata_sec_name(int sec);

/** Name of an enum ata_step value ("dnskey", "ds", ...). */
const char* ata_step_name(int step);

/** Name of an rcode ("NOERROR", ...), or NULL for unknown ones. */
const char* ata_rcode_name(int rcode);

/**
 * The `outcome` event for one observation (log-outcomes: yes).
 * @return the event, or NULL when out of memory.
 */
json_t* ata_event_outcome(const struct ata_outcome* o);

/**
 * A JSON string of text, replacing bytes that are not valid UTF-8 with '?'.
 * @return the string, or NULL when out of memory.
 */
json_t* ata_json_text(const char* text);

/**
 * Set key to a string, replacing bytes that are not valid UTF-8 so that
 * outside text (reasons from Unbound) can never make an event fail.
 * @return 0, or -1 when out of memory.
 */
int ata_json_set_text(json_t* obj, const char* key, const char* text);

#endif /* ATA_EVENT_H */
