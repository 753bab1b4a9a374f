/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The action lists, see actions.h.
 */
#include "actions.h"

#include <stdlib.h>

int
ata_actions_init(struct ata_actions* a)
{
	a->posted = a->done = NULL;
	atomic_init(&a->pending, 0);
	return pthread_mutex_init(&a->lock, NULL) == 0 ? 0 : -1;
}

static void
free_list(struct ata_action* l)
{
	while(l) {
		struct ata_action* next = l->next;
		free(l);
		l = next;
	}
}

void
ata_actions_deinit(struct ata_actions* a)
{
	free_list(a->posted);
	free_list(a->done);
	a->posted = a->done = NULL;
	pthread_mutex_destroy(&a->lock);
}

static void
append(struct ata_action** list, struct ata_action* act)
{
	while(*list)
		list = &(*list)->next;
	act->next = NULL;
	*list = act;
}

void
ata_actions_post(struct ata_actions* a, struct ata_action* act)
{
	act->result = ATA_ACT_PENDING;
	pthread_mutex_lock(&a->lock);
	append(&a->posted, act);
	atomic_store(&a->pending, 1);
	pthread_mutex_unlock(&a->lock);
}

struct ata_action*
ata_actions_take_posted(struct ata_actions* a)
{
	struct ata_action* l;
	if(!atomic_load_explicit(&a->pending, memory_order_acquire))
		return NULL;
	pthread_mutex_lock(&a->lock);
	l = a->posted;
	a->posted = NULL;
	atomic_store(&a->pending, 0);
	pthread_mutex_unlock(&a->lock);
	return l;
}

void
ata_actions_finish(struct ata_actions* a, struct ata_action* act)
{
	pthread_mutex_lock(&a->lock);
	append(&a->done, act);
	pthread_mutex_unlock(&a->lock);
}

struct ata_action*
ata_actions_take_done(struct ata_actions* a)
{
	struct ata_action* l;
	pthread_mutex_lock(&a->lock);
	l = a->done;
	a->done = NULL;
	pthread_mutex_unlock(&a->lock);
	return l;
}

const char*
ata_action_result_name(enum ata_action_result r)
{
	switch(r) {
	case ATA_ACT_PENDING:	return "pending";
	case ATA_ACT_DONE:	return "done";
	case ATA_ACT_EXISTS:	return "anchor-exists";
	case ATA_ACT_ABSENT:	return "absent";
	case ATA_ACT_NOT_NTA:	return "not-an-nta";
	case ATA_ACT_FAILED:	return "failed";
	}
	return "unknown";
}
