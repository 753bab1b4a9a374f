/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA table, see nta.h.
 */
#include "nta.h"
#include "policy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ata_nta*
ata_nta_find(const struct ata_nta_table* t, const char* zone)
{
	struct ata_nta* n;
	for(n = t->head; n; n = n->next)
		if(strcmp(n->zone, zone) == 0)
			return n;
	return NULL;
}

struct ata_nta*
ata_nta_new(struct ata_nta_table* t, const struct ata_spike* spike,
	const struct timespec* now, unsigned lifetime, unsigned max_lifetime)
{
	struct ata_nta* n = calloc(1, sizeof(*n));
	int i;
	if(!n)
		return NULL;
	memcpy(n->zone, spike->zone, sizeof(n->zone));
	n->state = ATA_NTA_CONFIRMING;
	n->decided = *now;
	n->added = now->tv_sec;
	n->expires = now->tv_sec + lifetime;
	n->hard_expires = now->tv_sec + max_lifetime;
	for(i = 0; i < spike->nsamples && i < ATA_DET_SAMPLES; i++) {
		memcpy(n->names[i], spike->qnames[i], sizeof(n->names[i]));
		n->types[i] = spike->qtypes[i];
	}
	n->nnames = i;
	if((n->evidence = json_object()))
		ata_spike_to_json(spike, n->evidence);
	n->next = t->head;
	t->head = n;
	t->count++;
	return n;
}

struct ata_nta*
ata_nta_new_manual(struct ata_nta_table* t, const char* zone,
	const struct timespec* now, unsigned lifetime, json_t* by)
{
	struct ata_nta* n = calloc(1, sizeof(*n));
	if(!n)
		return NULL;
	snprintf(n->zone, sizeof(n->zone), "%s", zone);
	n->state = ATA_NTA_ADDING;
	n->owner = ATA_OWNER_MANUAL;
	n->lifetime = lifetime;
	n->decided = *now;
	n->added = now->tv_sec;
	n->expires = n->hard_expires = now->tv_sec + lifetime;
	n->evidence = json_pack("{sO}", "manual", by);
	n->next = t->head;
	t->head = n;
	t->count++;
	return n;
}

void
ata_nta_activate(struct ata_nta* n, time_t now, unsigned lifetime,
	unsigned max_lifetime, unsigned recheck_interval)
{
	n->state = ATA_NTA_ACTIVE;
	n->added = now;
	if(n->owner == ATA_OWNER_MANUAL)
		lifetime = max_lifetime = n->lifetime;
	n->expires = now + lifetime;
	n->hard_expires = now + max_lifetime;
	n->next_recheck = now + recheck_interval;
}

enum ata_nta_expiry
ata_nta_expiry(struct ata_nta* n, time_t now, unsigned lifetime)
{
	time_t e;
	if(n->state != ATA_NTA_ACTIVE || now < n->expires)
		return ATA_NTA_KEEP;
	if(n->owner == ATA_OWNER_AUTONTA && n->last_recheck && strcmp(n->last_recheck, "bogus") == 0
		&& now < n->hard_expires) {
		e = now + lifetime;
		n->expires = e < n->hard_expires ? e : n->hard_expires;
		n->extensions++;
		return ATA_NTA_EXTEND;
	}
	return ATA_NTA_LIFT;
}

json_t*
ata_nta_record(const struct ata_nta* n)
{
	json_t *names, *rec;
	int i;
	/* an operator's removal, done or still posted when Unbound stopped:
	 * either way the zone is left alone after a start */
	if((n->state == ATA_NTA_COOLDOWN && (n->operator_removed
		|| n->rejected)) || (n->state == ATA_NTA_REMOVING
		&& n->lifted_by && n->owner == ATA_OWNER_AUTONTA))
		return json_pack("{sssssIss}", "zone", n->zone, "state",
			"cooldown", "until", (json_int_t)n->retry_after,
			"reason", n->state == ATA_NTA_COOLDOWN && n->rejected
			? "rejected" : "operator");
	if(n->state != ATA_NTA_ACTIVE && n->state != ATA_NTA_ADDING)
		return NULL;
	if(!(names = json_array()))
		return NULL;
	for(i = 0; i < n->nnames; i++)
		json_array_append_new(names, json_pack("{sssi}", "name",
			n->names[i], "type", (int)n->types[i]));
	rec = json_pack("{sssssssIsIsIsIsIsoss*sI}", "zone", n->zone,
		"state", "active", "owner", ata_nta_owner_name(n->owner),
		"added", (json_int_t)n->added,
		"expires", (json_int_t)n->expires,
		"hard_expires", (json_int_t)n->hard_expires,
		"rechecks", (json_int_t)n->rechecks,
		"extensions", (json_int_t)n->extensions,
		"names", names, "last_recheck", n->last_recheck,
		"lifetime", (json_int_t)n->lifetime);
	if(rec && n->evidence)
		json_object_set(rec, "evidence", n->evidence);
	return rec;
}

void
ata_nta_reject(struct ata_nta* n, time_t now, unsigned quiet)
{
	n->state = ATA_NTA_COOLDOWN;
	n->rejected = 1;
	n->retry_after = now + (time_t)quiet;
}

void
ata_nta_clamp(struct ata_nta* n, time_t now, unsigned max_lifetime,
	unsigned cooldown)
{
	if(n->state == ATA_NTA_COOLDOWN) {
		if(n->retry_after > now + (time_t)cooldown)
			n->retry_after = now + (time_t)cooldown;
		return;
	}
	if(n->hard_expires > n->added + (time_t)max_lifetime)
		n->hard_expires = n->added + (time_t)max_lifetime;
	if(n->expires > n->hard_expires)
		n->expires = n->hard_expires;
	if(n->lifetime > max_lifetime)
		n->lifetime = max_lifetime;
}

/** The static verdict string equal to s (records hold copies). */
static const char*
verdict(const char* s)
{
	static const char* const known[] = { "secure", "bogus", "insecure",
		"error" };
	size_t i;
	for(i = 0; s && i < sizeof(known) / sizeof(known[0]); i++)
		if(strcmp(s, known[i]) == 0)
			return known[i];
	return NULL;
}

/** A time field of a record: 0 < t < 2^33, else -1. */
static json_int_t
record_time(const json_t* rec, const char* key)
{
	json_t* v = json_object_get(rec, key);
	json_int_t t = json_integer_value(v);
	return json_is_integer(v) && t > 0 && t < (1LL << 33) ? t : -1;
}

struct ata_nta*
ata_nta_from_record(struct ata_nta_table* t, const json_t* rec, char* err,
	size_t errlen)
{
	const char *zone = json_string_value(json_object_get(rec, "zone")),
		*state = json_string_value(json_object_get(rec, "state"));
	json_t *names = json_object_get(rec, "names"), *v;
	char norm[ATA_NAME_MAX];
	struct ata_nta* n;
	size_t i;
	if(!json_is_object(rec) || !zone || !state
		|| ata_name_normalize(zone, norm, sizeof(norm)) != 0) {
		snprintf(err, errlen, "an NTA record without a valid zone");
		return NULL;
	}
	if(ata_nta_find(t, norm)) {
		snprintf(err, errlen, "two NTA records for %s", norm);
		return NULL;
	}
	if(!(n = calloc(1, sizeof(*n)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(n->zone, sizeof(n->zone), "%s", norm);
	if(strcmp(state, "cooldown") == 0) {
		const char* why = json_string_value(json_object_get(rec,
			"reason"));
		n->state = ATA_NTA_COOLDOWN;
		if(why && strcmp(why, "rejected") == 0)
			n->rejected = 1;
		else
			n->operator_removed = 1;
		if((n->retry_after = record_time(rec, "until")) < 0)
			goto bad;
	} else if(strcmp(state, "active") == 0) {
		const char* owner = json_string_value(json_object_get(rec,
			"owner"));
		json_int_t lifetime = json_integer_value(json_object_get(rec,
			"lifetime"));
		n->state = ATA_NTA_ADDING;
		n->restored = 1;
		if(owner && strcmp(owner, "manual") == 0)
			n->owner = ATA_OWNER_MANUAL;
		else if(owner && strcmp(owner, "autonta") != 0)
			goto bad;
		if(lifetime < 0 || lifetime > 315360000
			|| (n->owner == ATA_OWNER_MANUAL && lifetime == 0))
			goto bad;
		n->lifetime = (unsigned)lifetime;
		n->added = record_time(rec, "added");
		n->expires = record_time(rec, "expires");
		n->hard_expires = record_time(rec, "hard_expires");
		if(n->added < 0 || n->expires < n->added
			|| n->hard_expires < n->expires)
			goto bad;
		n->decided.tv_sec = n->added;
		n->rechecks = (unsigned)json_integer_value(json_object_get(rec,
			"rechecks"));
		n->extensions = (unsigned)json_integer_value(json_object_get(
			rec, "extensions"));
		n->last_recheck = verdict(json_string_value(json_object_get(rec,
			"last_recheck")));
		if(names && !json_is_array(names))
			goto bad;
		json_array_foreach(names, i, v) {
			const char* nm = json_string_value(json_object_get(v,
				"name"));
			json_int_t ty = json_integer_value(json_object_get(v,
				"type"));
			if(n->nnames >= ATA_DET_SAMPLES)
				break;
			if(!nm || ty <= 0 || ty > 65535 || ata_name_normalize(
				nm, n->names[n->nnames], ATA_NAME_MAX) != 0)
				goto bad;
			n->types[n->nnames++] = (uint16_t)ty;
		}
		v = json_object_get(rec, "evidence");
		n->evidence = json_is_object(v) ? json_deep_copy(v)
			: json_object();
	} else
		goto bad;
	n->next = t->head;
	t->head = n;
	t->count++;
	return n;
bad:
	snprintf(err, errlen, "a bad NTA record for %s", norm);
	json_decref(n->evidence);
	free(n);
	return NULL;
}

const char*
ata_nta_state_name(enum ata_nta_state s)
{
	switch(s) {
	case ATA_NTA_CONFIRMING: return "confirming";
	case ATA_NTA_AWAITING: return "awaiting-approval";
	case ATA_NTA_ADDING: return "adding";
	case ATA_NTA_ACTIVE: return "active";
	case ATA_NTA_REMOVING: return "removing";
	case ATA_NTA_COOLDOWN: return "cooldown";
	}
	return "unknown";
}

const char*
ata_nta_owner_name(enum ata_nta_owner o)
{
	return o == ATA_OWNER_MANUAL ? "manual" : "autonta";
}

void
ata_nta_delete(struct ata_nta_table* t, struct ata_nta* n)
{
	struct ata_nta** pp;
	for(pp = &t->head; *pp; pp = &(*pp)->next)
		if(*pp == n) {
			*pp = n->next;
			t->count--;
			break;
		}
	json_decref(n->evidence);
	json_decref(n->lifted_by);
	free(n);
}

void
ata_nta_table_clear(struct ata_nta_table* t)
{
	while(t->head)
		ata_nta_delete(t, t->head);
}
