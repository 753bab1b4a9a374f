/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Attribution memory, see blame.h.
 */
#include "blame.h"

#include "outcome.h"

#include <stdlib.h>
#include <string.h>

/** One remembered attribution. */
struct ata_blame_entry {
	/** when it stops being trusted */
	time_t expires;
	/** the step that failed */
	int step;
	/** the zone blamed */
	char zone[ATA_NAME_MAX];
};

int
ata_blame_init(struct ata_blame* b)
{
	return ata_nametab_init(&b->keys);
}

static int
still_valid(const char* name, void* value, void* arg)
{
	(void)name;
	return ((struct ata_blame_entry*)value)->expires > *(time_t*)arg;
}

/**
 * A cached bogus answer has no validator state: the bad key entry that
 * made it bogus is at or above its name, so use the remembered
 * attribution of the closest such entry.
 */
static void
refine_cached(struct ata_blame* b, struct ata_outcome* o, time_t now)
{
	const char* name = o->qname;
	size_t n = strlen(name);
	/* dname_str() marks a name it could not print whole with a final
	 * '&' or '#' and no dot: such names are not attributed */
	if(n == 0 || name[n - 1] != '.')
		return;
	for(;;) {
		struct ata_blame_entry* e = ata_nametab_get(&b->keys, name);
		if(e && e->expires > now) {
			memcpy(o->zone, e->zone, sizeof(o->zone));
			memcpy(o->bad_key, name, strlen(name) + 1);
			o->step = (uint8_t)e->step;
			return;
		}
		if(strcmp(name, ".") == 0 || !(name = strchr(name, '.')))
			return;
		name++;
		if(!*name)
			name = ".";
	}
}

void
ata_blame_refine(struct ata_blame* b, struct ata_outcome* o, time_t now)
{
	struct ata_blame_entry* e;
	if(o->sec != ATA_SEC_BOGUS)
		return;
	if(!o->bad_key[0]) {
		if(o->source == ATA_SRC_CACHED_BOGUS && !o->zone[0])
			refine_cached(b, o, now);
		return;
	}
	e = ata_nametab_get(&b->keys, o->bad_key);
	if(o->step == ATA_STEP_CACHED_KEY) {
		if(e && e->expires > now) {
			memcpy(o->zone, e->zone, sizeof(o->zone));
			o->step = (uint8_t)e->step;
		}
		return;
	}
	if(!e) {
		/* full: drop the expired; if most are still valid (a flood),
		 * start over, so each insert costs O(1) amortised */
		if(b->keys.count >= ATA_BLAME_MAX) {
			ata_nametab_filter(&b->keys, still_valid, &now, free);
			if(b->keys.count >= ATA_BLAME_MAX / 2)
				ata_nametab_filter(&b->keys, NULL, NULL, free);
		}
		if(!(e = malloc(sizeof(*e))))
			return;
		if(ata_nametab_put(&b->keys, o->bad_key, e) != 0) {
			free(e);
			return;
		}
	}
	e->expires = now + ATA_BLAME_TTL;
	e->step = o->step;
	memcpy(e->zone, o->zone, sizeof(e->zone));
}

void
ata_blame_deinit(struct ata_blame* b)
{
	ata_nametab_deinit(&b->keys, free);
}

size_t
ata_blame_mem(const struct ata_blame* b)
{
	return ata_nametab_mem(&b->keys)
		+ b->keys.count * sizeof(struct ata_blame_entry);
}
