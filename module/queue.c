/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Bounded MPSC outcome queue: a mutex-protected singly linked list. The
 * consumer takes the whole list in one step, so the lock is held for a few
 * pointer moves on either side.
 */
#include "queue.h"

#include "outcome.h"

#include <stdlib.h>
#include <time.h>

int
ata_queue_init(struct ata_queue* q, size_t limit)
{
	pthread_condattr_t ca;
	q->head = q->tail = NULL;
	q->count = 0;
	q->limit = limit;
	q->dropped = 0;
	q->stopping = 0;
	q->woken = 0;
	if(pthread_mutex_init(&q->lock, NULL) != 0)
		return -1;
	if(pthread_condattr_init(&ca) != 0
		|| pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0
		|| pthread_cond_init(&q->wake, &ca) != 0) {
		pthread_mutex_destroy(&q->lock);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	return 0;
}

void
ata_outcome_list_free(struct ata_outcome* list)
{
	while(list) {
		struct ata_outcome* next = list->next;
		free(list->reason);
		free(list);
		list = next;
	}
}

void
ata_queue_deinit(struct ata_queue* q)
{
	ata_outcome_list_free(q->head);
	q->head = q->tail = NULL;
	q->count = 0;
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
}

int
ata_queue_push(struct ata_queue* q, struct ata_outcome* o)
{
	int wake;
	o->next = NULL;
	pthread_mutex_lock(&q->lock);
	if(q->count >= q->limit || q->stopping) {
		q->dropped++;
		pthread_mutex_unlock(&q->lock);
		ata_outcome_list_free(o);
		return -1;
	}
	/* The consumer polls every few hundred milliseconds anyway; waking it
	 * for each outcome would cost a context switch per query on the
	 * workers' cores. Wake it only when the queue is filling up. */
	wake = q->count + 1 == q->limit / 4;
	if(q->tail)
		q->tail->next = o;
	else
		q->head = o;
	q->tail = o;
	q->count++;
	pthread_mutex_unlock(&q->lock);
	if(wake)
		pthread_cond_signal(&q->wake);
	return 0;
}

void
ata_queue_wake(struct ata_queue* q)
{
	pthread_mutex_lock(&q->lock);
	q->woken = 1;
	pthread_mutex_unlock(&q->lock);
	pthread_cond_signal(&q->wake);
}

struct ata_outcome*
ata_queue_take(struct ata_queue* q, const struct timespec* deadline,
	uint64_t* dropped, int* stopping)
{
	struct ata_outcome* list;
	pthread_mutex_lock(&q->lock);
	while(!q->head && !q->stopping && !q->woken && deadline) {
		if(pthread_cond_timedwait(&q->wake, &q->lock, deadline) != 0)
			break;
	}
	q->woken = 0;
	list = q->head;
	q->head = q->tail = NULL;
	q->count = 0;
	if(dropped)
		*dropped = q->dropped;
	if(stopping)
		*stopping = q->stopping;
	pthread_mutex_unlock(&q->lock);
	return list;
}

void
ata_queue_stop(struct ata_queue* q)
{
	pthread_mutex_lock(&q->lock);
	q->stopping = 1;
	pthread_mutex_unlock(&q->lock);
	pthread_cond_broadcast(&q->wake);
}
