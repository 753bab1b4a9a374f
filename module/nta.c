/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA table, see nta.h.
 */
#include "nta.h"

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

void
ata_nta_activate(struct ata_nta* n, time_t now, unsigned lifetime,
	unsigned max_lifetime, unsigned recheck_interval)
{
	n->state = ATA_NTA_ACTIVE;
	n->added = now;
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
	if(n->last_recheck && strcmp(n->last_recheck, "bogus") == 0
		&& now < n->hard_expires) {
		e = now + lifetime;
		n->expires = e < n->hard_expires ? e : n->hard_expires;
		n->extensions++;
		return ATA_NTA_EXTEND;
	}
	return ATA_NTA_LIFT;
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
	free(n);
}

void
ata_nta_table_clear(struct ata_nta_table* t)
{
	while(t->head)
		ata_nta_delete(t, t->head);
}
