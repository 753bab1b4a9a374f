/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The only structure shared between Unbound's worker threads and autonta's
 * thread: a bounded multi-producer, single-consumer queue of outcomes.
 * Pushing is O(1) under a short mutex and never waits for the consumer;
 * when the queue is full the outcome is dropped and counted. The consumer
 * is woken only when the queue is a quarter full (it also polls on its
 * own), so a busy resolver does not pay a context switch per answer.
 */
#ifndef ATA_QUEUE_H
#define ATA_QUEUE_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct ata_outcome;

/** A bounded outcome queue. */
struct ata_queue {
	/** protects everything below */
	pthread_mutex_t lock;
	/** signalled on push and on stop */
	pthread_cond_t wake;
	/** oldest outcome, taken first */
	struct ata_outcome* head;
	/** newest outcome */
	struct ata_outcome* tail;
	/** outcomes queued now */
	size_t count;
	/** largest count accepted */
	size_t limit;
	/** outcomes dropped because the queue was full */
	uint64_t dropped;
	/** set once the consumer is asked to stop */
	int stopping;
	/** set by ata_queue_wake until the next take */
	int woken;
};

/** Initialise an empty queue that holds at most limit outcomes. */
int ata_queue_init(struct ata_queue* q, size_t limit);

/** Free what is still queued and the queue's locks. */
void ata_queue_deinit(struct ata_queue* q);

/**
 * Queue an outcome; the queue owns it from now on.
 * @return 0 if queued, -1 if dropped (full or stopping; it is freed).
 */
int ata_queue_push(struct ata_queue* q, struct ata_outcome* o);

/**
 * Take every queued outcome, oldest first, waiting until there is one,
 * until the queue is stopped, or until the absolute CLOCK_MONOTONIC time
 * deadline (NULL: don't wait).
 * @param dropped: if not NULL, set to the drop count so far.
 * @param stopping: if not NULL, set to whether the queue is stopped.
 * @return the list (linked by ->next), or NULL.
 */
struct ata_outcome* ata_queue_take(struct ata_queue* q,
	const struct timespec* deadline, uint64_t* dropped, int* stopping);

/** Wake the consumer once (it returns from a wait with what is queued). */
void ata_queue_wake(struct ata_queue* q);

/** Wake the consumer for good; later pushes are dropped. */
void ata_queue_stop(struct ata_queue* q);

/** Free a list of outcomes as ata_queue_take returns them. */
void ata_outcome_list_free(struct ata_outcome* list);

#endif /* ATA_QUEUE_H */
