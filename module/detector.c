/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Spike detector, see detector.h. The window is a ring of buckets, each
 * stamped with the bucket number ("epoch") it counts, so stale buckets are
 * recognised and zeroed lazily, without timers. An episode (the evidence:
 * EDE codes, steps, samples) starts with the first bogus answer in an
 * empty window.
 */
#include "detector.h"

#include "event.h"

#include <stdlib.h>
#include <string.h>

/** Per-zone state. */
struct ata_det_zone {
	/** LRU neighbours */
	struct ata_det_zone *older, *newer;
	/** the zone name (owned) */
	char* name;
	/** reported; quiet until reset */
	int quiet;
	/** epoch counted by each bucket */
	time_t epoch[ATA_DET_BUCKETS];
	/** bogus answers per bucket */
	uint32_t bogus[ATA_DET_BUCKETS];
	/** all answers per bucket */
	uint32_t total[ATA_DET_BUCKETS];
	/** distinct child labels: hash and last time seen */
	struct { uint64_t hash; time_t seen; } child[ATA_DET_CHILDREN];
	/** episode evidence */
	uint64_t ede[33];
	uint64_t steps[ATA_STEP_CACHED_KEY + 1];
	struct timespec first;
	char* qnames[ATA_DET_SAMPLES];
	uint16_t qtypes[ATA_DET_SAMPLES];
	char* reasons[3];
	/** bogus answers in this episode (for sampling) */
	uint64_t episode_bogus;
	/** sampling state */
	uint64_t rnd;
};

static unsigned
width(const struct ata_detector* d)
{
	unsigned w = d->p.window / ATA_DET_BUCKETS;
	return w ? w : 1;
}

/** Effective window: whole buckets. */
static unsigned
window_len(const struct ata_detector* d)
{
	return width(d) * ATA_DET_BUCKETS;
}

static void
episode_clear(struct ata_det_zone* z)
{
	int i;
	memset(z->ede, 0, sizeof(z->ede));
	memset(z->steps, 0, sizeof(z->steps));
	memset(z->child, 0, sizeof(z->child));
	for(i = 0; i < ATA_DET_SAMPLES; i++) {
		free(z->qnames[i]);
		z->qnames[i] = NULL;
	}
	for(i = 0; i < 3; i++) {
		free(z->reasons[i]);
		z->reasons[i] = NULL;
	}
}

static void
zone_free(void* v)
{
	struct ata_det_zone* z = v;
	episode_clear(z);
	free(z->name);
	free(z);
}

int
ata_detector_init(struct ata_detector* d, const struct ata_detector_params* p)
{
	memset(d, 0, sizeof(*d));
	d->p = *p;
	return ata_nametab_init(&d->zones);
}

/** Zero stale buckets and return the index of the current one. */
static int
advance(const struct ata_detector* d, struct ata_det_zone* z, time_t now)
{
	time_t epoch = now / (time_t)width(d);
	int i, idx = (int)(epoch % ATA_DET_BUCKETS);
	for(i = 0; i < ATA_DET_BUCKETS; i++) {
		if(z->epoch[i] + ATA_DET_BUCKETS <= epoch
			|| z->epoch[i] > epoch) {
			z->bogus[i] = z->total[i] = 0;
			z->epoch[i] = epoch - ATA_DET_BUCKETS;
		}
	}
	if(z->epoch[idx] != epoch) {
		z->bogus[idx] = z->total[idx] = 0;
		z->epoch[idx] = epoch;
	}
	return idx;
}

static void
sums(const struct ata_det_zone* z, uint64_t* bogus, uint64_t* total)
{
	int i;
	*bogus = *total = 0;
	for(i = 0; i < ATA_DET_BUCKETS; i++) {
		*bogus += z->bogus[i];
		*total += z->total[i];
	}
}

static void
lru_unlink(struct ata_detector* d, struct ata_det_zone* z)
{
	if(z->older)
		z->older->newer = z->newer;
	else
		d->lru_old = z->newer;
	if(z->newer)
		z->newer->older = z->older;
	else
		d->lru_new = z->older;
	z->older = z->newer = NULL;
}

static void
lru_push(struct ata_detector* d, struct ata_det_zone* z)
{
	z->older = d->lru_new;
	z->newer = NULL;
	if(d->lru_new)
		d->lru_new->newer = z;
	else
		d->lru_old = z;
	d->lru_new = z;
}

static struct ata_det_zone*
zone_get_or_create(struct ata_detector* d, const char* name)
{
	struct ata_det_zone* z = ata_nametab_get(&d->zones, name);
	if(z)
		return z;
	if(d->zones.count >= d->p.max_zones && d->lru_old) {
		struct ata_det_zone* victim = d->lru_old;
		lru_unlink(d, victim);
		ata_nametab_remove(&d->zones, victim->name);
		zone_free(victim);
		d->evicted++;
	}
	if(!(z = calloc(1, sizeof(*z))))
		return NULL;
	if(!(z->name = strdup(name))
		|| ata_nametab_put(&d->zones, name, z) != 0) {
		free(z->name);
		free(z);
		return NULL;
	}
	lru_push(d, z);
	return z;
}

/** Whether name is zone or below it (both presentation, lower case). */
static int
is_under(const char* name, const char* zone)
{
	size_t n = strlen(name), zl = strlen(zone);
	if(strcmp(zone, ".") == 0)
		return 1;
	if(n < zl || strcmp(name + n - zl, zone) != 0)
		return 0;
	return n == zl || name[n - zl - 1] == '.';
}

/**
 * Hash of the label of name directly below zone: the child the answer was
 * for. 1 stands for the apex itself, 2 for a name not under the zone (a
 * CNAME target elsewhere).
 */
static uint64_t
child_hash(const char* name, const char* zone)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *end, *start;
	size_t zl;
	if(!is_under(name, zone))
		return 2;
	if(strcmp(name, zone) == 0)
		return 1;
	/* name is "<labels>.<zone>", or "<labels>." below the root */
	zl = strcmp(zone, ".") == 0 ? 0 : strlen(zone);
	end = name + strlen(name) - zl - 1;	/* the '.' after the child */
	for(start = end; start > name && start[-1] != '.'; start--)
		;
	for(; start < end; start++) {
		h ^= (unsigned char)*start;
		h *= 0x100000001b3ULL;
	}
	return h < 3 ? h + 3 : h;
}

static void
child_seen(struct ata_det_zone* z, uint64_t h, time_t now)
{
	int i, slot = 0;
	for(i = 0; i < ATA_DET_CHILDREN; i++) {
		if(z->child[i].hash == h) {
			z->child[i].seen = now;
			return;
		}
		if(z->child[i].seen < z->child[slot].seen
			|| (z->child[slot].hash && !z->child[i].hash))
			slot = i;
	}
	z->child[slot].hash = h;
	z->child[slot].seen = now;
}

static unsigned
children_in_window(const struct ata_detector* d,
	const struct ata_det_zone* z, time_t now)
{
	unsigned n = 0;
	int i;
	for(i = 0; i < ATA_DET_CHILDREN; i++)
		if(z->child[i].hash && z->child[i].seen + (time_t)window_len(d)
			> now)
			n++;
	return n;
}

/** Count the answer for every tracked zone at or above the name. */
static void
count_under(struct ata_detector* d, const char* qname, time_t now,
	struct ata_det_zone* blamed, int* blamed_hit)
{
	const char* starts[ATA_DET_MAX_LABELS + 2];
	int n = 0, i;
	const char* p = qname;
	/* suffix starts, root last; keep the rightmost ones */
	for(;;) {
		if(n == ATA_DET_MAX_LABELS + 1) {
			memmove(starts, starts + 1, sizeof(starts[0]) * (size_t)n
				- sizeof(starts[0]));
			n--;
		}
		starts[n++] = p;
		if(strcmp(p, ".") == 0 || !*p)
			break;
		p = strchr(p, '.');
		if(!p)
			break;
		p++;
		if(!*p)
			p = ".";
	}
	for(i = 0; i < n; i++) {
		struct ata_det_zone* z = ata_nametab_get(&d->zones, starts[i]);
		if(!z)
			continue;
		z->total[advance(d, z, now)]++;
		if(z == blamed)
			*blamed_hit = 1;
	}
}

/**
 * Keep up to ATA_DET_SAMPLES failed names, chosen uniformly over the
 * episode (reservoir sampling), so that whoever fails first cannot choose
 * all the names the recheck later looks at.
 */
static void
keep_sample(struct ata_det_zone* z, const struct ata_outcome* o)
{
	uint64_t k = z->episode_bogus, slot;
	int i;
	for(i = 0; i < ATA_DET_SAMPLES && z->qnames[i]; i++)
		if(strcmp(z->qnames[i], o->qname) == 0)
			goto reasons;
	if(i < ATA_DET_SAMPLES) {
		z->qnames[i] = strdup(o->qname);
		z->qtypes[i] = o->qtype;
		goto reasons;
	}
	/* xorshift64 */
	if(!z->rnd)
		z->rnd = ata_hash_name(z->name) ^ (uint64_t)o->when.tv_nsec ^ 1;
	z->rnd ^= z->rnd << 13;
	z->rnd ^= z->rnd >> 7;
	z->rnd ^= z->rnd << 17;
	slot = z->rnd % (k ? k : 1);
	if(slot < ATA_DET_SAMPLES) {
		char* q = strdup(o->qname);
		if(q) {
			free(z->qnames[slot]);
			z->qnames[slot] = q;
			z->qtypes[slot] = o->qtype;
		}
	}
reasons:
	if(!o->reason || !*o->reason)
		return;
	for(i = 0; i < 3; i++) {
		if(!z->reasons[i]) {
			z->reasons[i] = strdup(o->reason);
			return;
		}
		if(strcmp(z->reasons[i], o->reason) == 0)
			return;
	}
}

static void
fill_spike(const struct ata_detector* d, const struct ata_det_zone* z,
	uint64_t bogus, uint64_t total, unsigned children,
	struct ata_spike* s)
{
	int i;
	memset(s, 0, sizeof(*s));
	snprintf(s->zone, sizeof(s->zone), "%s", z->name);
	s->window = window_len(d);
	s->bogus = bogus;
	s->total = total;
	s->children = children;
	memcpy(s->ede, z->ede, sizeof(s->ede));
	memcpy(s->steps, z->steps, sizeof(s->steps));
	s->first = z->first;
	for(i = 0; i < ATA_DET_SAMPLES && z->qnames[i]; i++) {
		snprintf(s->qnames[i], sizeof(s->qnames[i]), "%s", z->qnames[i]);
		s->qtypes[i] = z->qtypes[i];
		s->nsamples++;
	}
	for(i = 0; i < 3 && z->reasons[i]; i++)
		s->reasons[i] = strdup(z->reasons[i]);
}

int
ata_detector_add(struct ata_detector* d, const struct ata_outcome* o,
	time_t now, struct ata_spike* spike)
{
	struct ata_det_zone* z = NULL;
	uint64_t bogus, total, h;
	unsigned children;
	int hit = 0, idx;

	if(o->sec == ATA_SEC_BOGUS && o->zone[0]) {
		if((z = zone_get_or_create(d, o->zone))) {
			lru_unlink(d, z);
			lru_push(d, z);
		}
	}
	count_under(d, o->qname, now, z, &hit);
	if(!z)
		return 0;
	idx = advance(d, z, now);
	if(!hit)
		z->total[idx]++;
	sums(z, &bogus, &total);
	if(bogus == 0) {
		/* a new episode: fresh evidence, and a zone refused in an
		 * earlier episode may be reported again */
		episode_clear(z);
		z->first = o->when;
		z->episode_bogus = 0;
		z->quiet = 0;
	}
	z->episode_bogus++;
	z->bogus[idx]++;
	bogus++;
	z->ede[o->ede >= 0 && o->ede < 32 ? o->ede : 32]++;
	if(o->step <= ATA_STEP_CACHED_KEY)
		z->steps[o->step]++;
	h = child_hash(o->qname, z->name);
	if(h > 2)	/* the apex and names outside are not children */
		child_seen(z, h, now);
	keep_sample(z, o);
	if(z->quiet)
		return 0;
	children = children_in_window(d, z, now);
	if(bogus < d->p.min_bogus || children < d->p.min_children
		|| bogus * 100 < (uint64_t)d->p.min_percent * total)
		return 0;
	z->quiet = 1;
	fill_spike(d, z, bogus, total, children, spike);
	return 1;
}

unsigned
ata_detector_failing_tlds(struct ata_detector* d, time_t now, unsigned min,
	int* root_failing)
{
	uint64_t seen[64], bogus, total;
	unsigned n = 0, visited = 0, i;
	struct ata_det_zone* z;
	*root_failing = 0;
	for(z = d->lru_new; z && visited < 4096; z = z->older, visited++) {
		const char* tld;
		uint64_t h;
		advance(d, z, now);
		sums(z, &bogus, &total);
		if(bogus == 0)
			break;	/* older zones had no bogus answer more recently */
		if(strcmp(z->name, ".") == 0) {
			*root_failing = 1;
			continue;
		}
		if(bogus < min)
			continue;
		/* the last label before the final dot */
		tld = z->name + strlen(z->name) - 1;
		while(tld > z->name && tld[-1] != '.')
			tld--;
		h = ata_hash_name(tld);
		for(i = 0; i < n && seen[i] != h; i++)
			;
		if(i == n && n < 64)
			seen[n++] = h;
	}
	return n;
}

uint64_t
ata_detector_window_bogus(struct ata_detector* d, const char* zone,
	time_t now)
{
	struct ata_det_zone* z = ata_nametab_get(&d->zones, zone);
	uint64_t bogus, total;
	if(!z)
		return 0;
	advance(d, z, now);
	sums(z, &bogus, &total);
	return bogus;
}

void
ata_detector_reset(struct ata_detector* d, const char* zone)
{
	struct ata_det_zone* z = ata_nametab_get(&d->zones, zone);
	if(!z)
		return;
	memset(z->bogus, 0, sizeof(z->bogus));
	memset(z->total, 0, sizeof(z->total));
	episode_clear(z);
	z->quiet = 0;
}

void
ata_spike_clear(struct ata_spike* s)
{
	int i;
	for(i = 0; i < 3; i++) {
		free(s->reasons[i]);
		s->reasons[i] = NULL;
	}
}

void
ata_spike_to_json(const struct ata_spike* s, json_t* obj)
{
	json_t *ede = json_object(), *steps = json_object(), *q = json_array(),
		*r = json_array();
	char first[ATA_TIME_MAX], key[8];
	int i;
	for(i = 0; i <= 32; i++) {
		if(!s->ede[i])
			continue;
		if(i == 32)
			snprintf(key, sizeof(key), "other");
		else
			snprintf(key, sizeof(key), "%d", i);
		json_object_set_new(ede, key, json_integer((json_int_t)s->ede[i]));
	}
	for(i = 1; i <= ATA_STEP_CACHED_KEY; i++)
		if(s->steps[i])
			json_object_set_new(steps, ata_step_name(i),
				json_integer((json_int_t)s->steps[i]));
	for(i = 0; i < s->nsamples; i++)
		json_array_append_new(q, ata_json_text(s->qnames[i]));
	for(i = 0; i < 3 && s->reasons[i]; i++)
		json_array_append_new(r, ata_json_text(s->reasons[i]));
	ata_time_format(&s->first, first, sizeof(first));
	json_object_set_new(obj, "window_s", json_integer(s->window));
	json_object_set_new(obj, "bogus", json_integer((json_int_t)s->bogus));
	json_object_set_new(obj, "total", json_integer((json_int_t)s->total));
	json_object_set_new(obj, "bogus_percent", json_integer(s->total
		? (json_int_t)(s->bogus * 100 / s->total) : 0));
	json_object_set_new(obj, "distinct_children",
		json_integer(s->children));
	json_object_set_new(obj, "ede", ede);
	json_object_set_new(obj, "steps", steps);
	json_object_set_new(obj, "first_bogus", json_string(first));
	json_object_set_new(obj, "sample_qnames", q);
	json_object_set_new(obj, "sample_reasons", r);
}

void
ata_detector_deinit(struct ata_detector* d)
{
	ata_nametab_deinit(&d->zones, zone_free);
	d->lru_old = d->lru_new = NULL;
}

size_t
ata_detector_mem(const struct ata_detector* d)
{
	return ata_nametab_mem(&d->zones) + d->zones.count
		* (sizeof(struct ata_det_zone) + 64);
}
