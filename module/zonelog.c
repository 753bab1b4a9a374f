/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Recent events per zone, see zonelog.h. A short list in recency order:
 * it holds at most ATA_ZONELOG_ZONES zones and is used only when an
 * event about a zone is written, so a linear search is cheap enough.
 */
#include "zonelog.h"

#include "outcome.h"

#include <stdlib.h>
#include <string.h>

struct ata_zonelog_zone {
	struct ata_zonelog_zone* next;
	char zone[ATA_NAME_MAX];
	/** events, oldest first */
	json_t* events;
};

void
ata_zonelog_init(struct ata_zonelog* l)
{
	memset(l, 0, sizeof(*l));
}

static void
zone_free(struct ata_zonelog_zone* z)
{
	json_decref(z->events);
	free(z);
}

void
ata_zonelog_deinit(struct ata_zonelog* l)
{
	struct ata_zonelog_zone* z;
	while((z = l->head)) {
		l->head = z->next;
		zone_free(z);
	}
	l->count = 0;
}

/** The zone's entry, moved to the front; NULL if absent. */
static struct ata_zonelog_zone*
touch(struct ata_zonelog* l, const char* zone)
{
	struct ata_zonelog_zone **pp, *z;
	for(pp = &l->head; (z = *pp); pp = &z->next)
		if(strcmp(z->zone, zone) == 0) {
			*pp = z->next;
			z->next = l->head;
			l->head = z;
			return z;
		}
	return NULL;
}

/** Forget the least recently touched zone. */
static void
drop_last(struct ata_zonelog* l)
{
	struct ata_zonelog_zone** pp = &l->head;
	if(!*pp)
		return;
	while((*pp)->next)
		pp = &(*pp)->next;
	zone_free(*pp);
	*pp = NULL;
	l->count--;
}

void
ata_zonelog_add(struct ata_zonelog* l, const char* zone, json_t* ev)
{
	struct ata_zonelog_zone* z = touch(l, zone);
	if(!z) {
		if(strlen(zone) >= ATA_NAME_MAX)
			return;
		if(l->count >= ATA_ZONELOG_ZONES)
			drop_last(l);
		if(!(z = calloc(1, sizeof(*z))) || !(z->events = json_array())) {
			free(z);
			return;
		}
		strcpy(z->zone, zone);
		z->next = l->head;
		l->head = z;
		l->count++;
	}
	if(json_array_size(z->events) >= ATA_ZONELOG_EVENTS)
		json_array_remove(z->events, 0);
	json_array_append(z->events, ev);
}

json_t*
ata_zonelog_get(const struct ata_zonelog* l, const char* zone)
{
	const struct ata_zonelog_zone* z;
	for(z = l->head; z; z = z->next)
		if(strcmp(z->zone, zone) == 0)
			return z->events;
	return NULL;
}

size_t
ata_zonelog_mem(const struct ata_zonelog* l)
{
	/* events are a few hundred bytes to a few KiB; count 1 KiB each */
	const struct ata_zonelog_zone* z;
	size_t m = 0;
	for(z = l->head; z; z = z->next)
		m += sizeof(*z) + json_array_size(z->events) * 1024;
	return m;
}
