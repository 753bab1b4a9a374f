/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * zone_stats aggregation. Distinct query names are counted with a growing
 * open-addressed set of 64-bit name hashes, exact up to ATA_DISTINCT_CAP
 * (then reported as capped), so memory follows what is actually seen.
 */
#include "zonestats.h"

#include "event.h"
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

/** What is kept per zone and interval. */
struct ata_zone_stat {
	uint64_t bogus;
	uint64_t cached;
	uint64_t ede[ATA_EDE_SLOTS + 1];
	uint64_t steps[ATA_STEP_CACHED_KEY + 1];
	/** open-addressed set of name hashes (0 = empty slot) */
	uint64_t* names;
	size_t names_cap;
	size_t names_count;
	int names_capped;
	char* reasons[ATA_SAMPLES];
	char* qnames[ATA_SAMPLES];
	struct timespec first, last;
};

static void
stat_free(void* v)
{
	struct ata_zone_stat* s = v;
	int i;
	for(i = 0; i < ATA_SAMPLES; i++) {
		free(s->reasons[i]);
		free(s->qnames[i]);
	}
	free(s->names);
	free(s);
}

int
ata_zonestats_init(struct ata_zonestats* zs, unsigned max_zones,
	const struct timespec* start)
{
	memset(zs, 0, sizeof(*zs));
	zs->max_zones = max_zones;
	zs->start = *start;
	return ata_nametab_init(&zs->zones);
}

static int
set_insert(uint64_t* set, size_t cap, uint64_t h)
{
	size_t i = h & (cap - 1);
	while(set[i]) {
		if(set[i] == h)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	set[i] = h;
	return 1;
}

/** Add a name to the zone's distinct set, growing it at half load. */
static void
count_name(struct ata_zone_stat* s, const char* qname)
{
	uint64_t h = ata_hash_name(qname) | 1;	/* never 0 */
	if(s->names_capped)
		return;
	if(s->names_count * 2 >= s->names_cap) {
		size_t ncap = s->names_cap ? s->names_cap * 2 : 16, i;
		uint64_t* n;
		if(s->names_count >= ATA_DISTINCT_CAP
			|| !(n = calloc(ncap, sizeof(*n)))) {
			s->names_capped = 1;
			return;
		}
		for(i = 0; i < s->names_cap; i++)
			if(s->names[i])
				set_insert(n, ncap, s->names[i]);
		free(s->names);
		s->names = n;
		s->names_cap = ncap;
	}
	s->names_count += set_insert(s->names, s->names_cap, h);
}

/** Keep text as a sample if it is new and there is room. */
static void
sample(char** slots, const char* text)
{
	int i;
	for(i = 0; i < ATA_SAMPLES; i++) {
		if(!slots[i]) {
			slots[i] = strdup(text);
			return;
		}
		if(strcmp(slots[i], text) == 0)
			return;
	}
}

void
ata_zonestats_add(struct ata_zonestats* zs, const struct ata_outcome* o)
{
	struct ata_zone_stat* s;
	if(o->sec <= ATA_SEC_SECURE)
		zs->totals.by_sec[o->sec]++;
	if(o->sec != ATA_SEC_BOGUS)
		return;
	if(o->source == ATA_SRC_CACHED_BOGUS)
		zs->totals.cached_bogus++;
	if(!o->zone[0]) {
		zs->totals.unattributed_bogus++;
		return;
	}
	s = ata_nametab_get(&zs->zones, o->zone);
	if(!s) {
		if(zs->zones.count >= zs->max_zones
			|| !(s = calloc(1, sizeof(*s)))) {
			zs->totals.untracked_bogus++;
			zs->totals.untracked_zones++;
			return;
		}
		if(ata_nametab_put(&zs->zones, o->zone, s) != 0) {
			free(s);
			zs->totals.untracked_bogus++;
			return;
		}
		s->first = o->when;
	}
	s->last = o->when;
	s->bogus++;
	if(o->source == ATA_SRC_CACHED_BOGUS)
		s->cached++;
	s->ede[o->ede >= 0 && o->ede < ATA_EDE_SLOTS ? o->ede
		: ATA_EDE_SLOTS]++;
	if(o->step <= ATA_STEP_CACHED_KEY)
		s->steps[o->step]++;
	count_name(s, o->qname);
	if(o->reason && *o->reason)
		sample(s->reasons, o->reason);
	sample(s->qnames, o->qname);
}

/** Seconds from a to b, rounded to milliseconds. */
static double
seconds_between(const struct timespec* a, const struct timespec* b)
{
	long long ms = (long long)(b->tv_sec - a->tv_sec) * 1000
		+ (b->tv_nsec - a->tv_nsec) / 1000000;
	return (double)ms / 1000.0;
}

/** Context for emitting zone_stats while walking the table. */
struct flush_ctx {
	const struct ata_zonestats* zs;
	const struct timespec* now;
	json_t* out;
};

static json_t*
strings(char* const* slots)
{
	json_t* a = json_array();
	int i;
	for(i = 0; a && i < ATA_SAMPLES && slots[i]; i++)
		json_array_append_new(a, ata_json_text(slots[i]));
	return a;
}

static void
emit_zone(const char* zone, void* value, void* arg)
{
	struct flush_ctx* c = arg;
	struct ata_zone_stat* s = value;
	char first[ATA_TIME_MAX], last[ATA_TIME_MAX], key[16];
	json_t *ev = ata_event_new("zone_stats", c->now), *ede, *steps;
	int i;
	if(!ev)
		return;
	ede = json_object();
	for(i = 0; ede && i <= ATA_EDE_SLOTS; i++) {
		if(!s->ede[i])
			continue;
		if(i == ATA_EDE_SLOTS)
			snprintf(key, sizeof(key), "other");
		else
			snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(ede, key, json_integer((json_int_t)s->ede[i]));
	}
	steps = json_object();
	for(i = 1; steps && i <= ATA_STEP_CACHED_KEY; i++)
		if(s->steps[i])
			json_object_set_new(steps, ata_step_name(i),
				json_integer((json_int_t)s->steps[i]));
	ata_time_format(&s->first, first, sizeof(first));
	ata_time_format(&s->last, last, sizeof(last));
	ata_json_set_text(ev, "zone", zone);
	json_object_set_new(ev, "interval_s",
		json_real(seconds_between(&c->zs->start, c->now)));
	json_object_set_new(ev, "bogus", json_integer((json_int_t)s->bogus));
	json_object_set_new(ev, "from_cache",
		json_integer((json_int_t)s->cached));
	json_object_set_new(ev, "distinct_qnames",
		json_integer((json_int_t)s->names_count));
	json_object_set_new(ev, "distinct_capped",
		json_boolean(s->names_capped));
	json_object_set_new(ev, "ede", ede);
	json_object_set_new(ev, "steps", steps);
	json_object_set_new(ev, "first_seen", json_string(first));
	json_object_set_new(ev, "last_seen", json_string(last));
	json_object_set_new(ev, "sample_qnames", strings(s->qnames));
	json_object_set_new(ev, "sample_reasons", strings(s->reasons));
	json_array_append_new(c->out, ev);
}

void
ata_zonestats_flush(struct ata_zonestats* zs, const struct timespec* now,
	uint64_t dropped, json_t* out)
{
	struct flush_ctx c = { zs, now, out };
	json_t *ev, *sec;
	int i;
	ata_nametab_foreach(&zs->zones, emit_zone, &c);
	if((ev = ata_event_new("stats", now))) {
		sec = json_object();
		for(i = 0; sec && i <= ATA_SEC_SECURE; i++)
			json_object_set_new(sec, ata_sec_name(i),
				json_integer((json_int_t)zs->totals.by_sec[i]));
		json_object_set_new(ev, "interval_s",
			json_real(seconds_between(&zs->start, now)));
		json_object_set_new(ev, "outcomes", sec);
		json_object_set_new(ev, "cached_bogus",
			json_integer((json_int_t)zs->totals.cached_bogus));
		json_object_set_new(ev, "zones_with_bogus",
			json_integer((json_int_t)zs->zones.count));
		json_object_set_new(ev, "untracked_zones",
			json_integer((json_int_t)zs->totals.untracked_zones));
		json_object_set_new(ev, "untracked_bogus",
			json_integer((json_int_t)zs->totals.untracked_bogus));
		json_object_set_new(ev, "unattributed_bogus",
			json_integer((json_int_t)zs->totals.unattributed_bogus));
		json_object_set_new(ev, "queue_dropped_total",
			json_integer((json_int_t)dropped));
		json_array_append_new(out, ev);
	}
	ata_nametab_filter(&zs->zones, NULL, NULL, stat_free);
	memset(&zs->totals, 0, sizeof(zs->totals));
	zs->start = *now;
}

void
ata_zonestats_deinit(struct ata_zonestats* zs)
{
	ata_nametab_deinit(&zs->zones, stat_free);
}

static void
add_mem(const char* name, void* value, void* arg)
{
	struct ata_zone_stat* s = value;
	(void)name;
	*(size_t*)arg += sizeof(*s) + s->names_cap * sizeof(uint64_t);
}

size_t
ata_zonestats_mem(const struct ata_zonestats* zs)
{
	size_t m = ata_nametab_mem(&zs->zones);
	ata_nametab_foreach(&zs->zones, add_mem, &m);
	return m;
}
