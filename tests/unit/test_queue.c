/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Outcome queue: order, bound, stop, timed wait, and no outcome lost or
 * duplicated with several producer threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "outcome.h"
#include "queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct ata_outcome*
mk(uint16_t qtype)
{
	struct ata_outcome* o = calloc(1, sizeof(*o));
	o->qtype = qtype;
	return o;
}

static size_t
count(struct ata_outcome* l)
{
	size_t n = 0;
	for(; l; l = l->next)
		n++;
	return n;
}

static void
test_fifo_and_limit(void** state)
{
	struct ata_queue q;
	struct ata_outcome* l;
	uint64_t dropped;
	int stopping, i;
	(void)state;
	assert_int_equal(ata_queue_init(&q, 3), 0);
	for(i = 1; i <= 5; i++)
		assert_int_equal(ata_queue_push(&q, mk((uint16_t)i)),
			i <= 3 ? 0 : -1);
	l = ata_queue_take(&q, NULL, &dropped, &stopping);
	assert_int_equal(dropped, 2);
	assert_int_equal(stopping, 0);
	assert_int_equal(count(l), 3);
	assert_int_equal(l->qtype, 1);
	assert_int_equal(l->next->qtype, 2);
	assert_int_equal(l->next->next->qtype, 3);
	ata_outcome_list_free(l);
	/* room again after the take */
	assert_int_equal(ata_queue_push(&q, mk(9)), 0);
	ata_queue_stop(&q);
	assert_int_equal(ata_queue_push(&q, mk(10)), -1);
	l = ata_queue_take(&q, NULL, &dropped, &stopping);
	assert_int_equal(stopping, 1);
	assert_int_equal(count(l), 1);
	assert_int_equal(dropped, 3);
	ata_outcome_list_free(l);
	ata_queue_deinit(&q);
}

static void
test_timed_wait(void** state)
{
	struct ata_queue q;
	struct timespec t0, t1, dl;
	(void)state;
	assert_int_equal(ata_queue_init(&q, 8), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dl = t0;
	dl.tv_nsec += 50000000;
	if(dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	assert_null(ata_queue_take(&q, &dl, NULL, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* it waited (not a timing assertion on the upper side) */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000000000L
		+ (t1.tv_nsec - t0.tv_nsec) >= 45000000L);
	ata_queue_deinit(&q);
}

#define PRODUCERS 4
#define PER 20000

static void*
producer(void* arg)
{
	struct ata_queue* q = arg;
	int i;
	for(i = 0; i < PER; i++)
		ata_queue_push(q, mk(1));
	return NULL;
}

static void
test_threads_conserve(void** state)
{
	struct ata_queue q;
	pthread_t t[PRODUCERS];
	uint64_t dropped = 0, taken = 0;
	int i, stopping = 0;
	(void)state;
	assert_int_equal(ata_queue_init(&q, 1000), 0);
	for(i = 0; i < PRODUCERS; i++)
		pthread_create(&t[i], NULL, producer, &q);
	while(taken + dropped < (uint64_t)PRODUCERS * PER) {
		struct timespec dl;
		struct ata_outcome* l;
		clock_gettime(CLOCK_MONOTONIC, &dl);
		dl.tv_sec++;
		l = ata_queue_take(&q, &dl, &dropped, &stopping);
		taken += count(l);
		ata_outcome_list_free(l);
	}
	for(i = 0; i < PRODUCERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(taken + dropped, (uint64_t)PRODUCERS * PER);
	assert_true(taken > 0);
	ata_queue_deinit(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_and_limit),
		cmocka_unit_test(test_timed_wait),
		cmocka_unit_test(test_threads_conserve),
	};
	return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
