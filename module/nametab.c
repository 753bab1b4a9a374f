/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Chained hash table of names; doubles its buckets past two entries per
 * bucket so lookups stay O(1) on average.
 */
#include "nametab.h"

#include <stdlib.h>
#include <string.h>

#define ATA_NAMETAB_INITIAL 64

uint64_t
ata_hash_name(const char* name)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	while(*name) {
		h ^= (unsigned char)*name++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
ata_nametab_init(struct ata_nametab* t)
{
	t->nbuckets = ATA_NAMETAB_INITIAL;
	t->count = 0;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	return t->buckets ? 0 : -1;
}

void*
ata_nametab_get(const struct ata_nametab* t, const char* name)
{
	uint64_t h = ata_hash_name(name);
	struct ata_nametab_node* n = t->buckets[h & (t->nbuckets - 1)];
	for(; n; n = n->next)
		if(n->hash == h && strcmp(n->name, name) == 0)
			return n->value;
	return NULL;
}

/** Double the buckets; on allocation failure keep the old ones. */
static void
grow(struct ata_nametab* t)
{
	size_t nb = t->nbuckets * 2, i;
	struct ata_nametab_node** b = calloc(nb, sizeof(*b));
	if(!b)
		return;
	for(i = 0; i < t->nbuckets; i++) {
		struct ata_nametab_node* n = t->buckets[i];
		while(n) {
			struct ata_nametab_node* next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
			n = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nb;
}

int
ata_nametab_put(struct ata_nametab* t, const char* name, void* value)
{
	size_t len = strlen(name);
	struct ata_nametab_node* n = malloc(sizeof(*n) + len + 1);
	if(!n)
		return -1;
	n->hash = ata_hash_name(name);
	n->value = value;
	memcpy(n->name, name, len + 1);
	if(t->count >= 2 * t->nbuckets)
		grow(t);
	n->next = t->buckets[n->hash & (t->nbuckets - 1)];
	t->buckets[n->hash & (t->nbuckets - 1)] = n;
	t->count++;
	return 0;
}

void*
ata_nametab_remove(struct ata_nametab* t, const char* name)
{
	uint64_t h = ata_hash_name(name);
	struct ata_nametab_node** pp = &t->buckets[h & (t->nbuckets - 1)];
	for(; *pp; pp = &(*pp)->next) {
		struct ata_nametab_node* n = *pp;
		void* v;
		if(n->hash != h || strcmp(n->name, name) != 0)
			continue;
		*pp = n->next;
		v = n->value;
		free(n);
		t->count--;
		return v;
	}
	return NULL;
}

void
ata_nametab_foreach(const struct ata_nametab* t,
	void (*fn)(const char* name, void* value, void* arg), void* arg)
{
	size_t i;
	struct ata_nametab_node* n;
	for(i = 0; i < t->nbuckets; i++)
		for(n = t->buckets[i]; n; n = n->next)
			fn(n->name, n->value, arg);
}

void
ata_nametab_filter(struct ata_nametab* t,
	int (*keep)(const char* name, void* value, void* arg), void* arg,
	void (*free_value)(void* value))
{
	size_t i;
	for(i = 0; i < t->nbuckets; i++) {
		struct ata_nametab_node** pp = &t->buckets[i];
		while(*pp) {
			struct ata_nametab_node* n = *pp;
			if(keep && keep(n->name, n->value, arg)) {
				pp = &n->next;
				continue;
			}
			*pp = n->next;
			if(free_value)
				free_value(n->value);
			free(n);
			t->count--;
		}
	}
}

void
ata_nametab_deinit(struct ata_nametab* t, void (*free_value)(void*))
{
	if(!t->buckets)
		return;
	ata_nametab_filter(t, NULL, NULL, free_value);
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
}

size_t
ata_nametab_mem(const struct ata_nametab* t)
{
	return t->nbuckets * sizeof(*t->buckets)
		+ t->count * (sizeof(struct ata_nametab_node) + 32);
}
