/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The runtime and autonta's thread. Worker threads only push to the queue;
 * everything else here (attribution memory, zone statistics, the event
 * sink) is owned by the thread, so none of it needs a lock.
 */
#include "runtime.h"

#include "blame.h"
#include "cfgfile.h"
#include "event.h"
#include "outcome.h"
#include "queue.h"
#include "sink.h"
#include "zonestats.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AUTONTA_VERSION
#define AUTONTA_VERSION "unknown"
#endif

struct ata_runtime {
	/** immutable configuration snapshot */
	struct ata_config* cfg;
	/** host facts */
	struct ata_host host;
	/** workers -> thread */
	struct ata_queue queue;
	/** autonta's thread */
	pthread_t thread;
	/** owned by the thread after start: */
	struct ata_sink sink;
	struct ata_zonestats stats;
	struct ata_blame blame;
	/** outcomes processed, for module_stopped */
	unsigned long long processed;
	/** bytes in use, published by the thread for get_mem */
	atomic_size_t mem;
};

static void
now_real(struct timespec* t)
{
	clock_gettime(CLOCK_REALTIME, t);
}

/** Write one event and free it. */
static void
emit(struct ata_runtime* rt, json_t* ev)
{
	char* line;
	if(!ev)
		return;
	if((line = ata_event_line(ev))) {
		ata_sink_write(&rt->sink, line);
		free(line);
	}
	json_decref(ev);
}

static void
emit_all(struct ata_runtime* rt, json_t* arr)
{
	size_t i;
	for(i = 0; i < json_array_size(arr); i++)
		emit(rt, json_incref(json_array_get(arr, i)));
	json_decref(arr);
}

static void
publish_mem(struct ata_runtime* rt)
{
	atomic_store(&rt->mem, sizeof(*rt) + ata_zonestats_mem(&rt->stats)
		+ ata_blame_mem(&rt->blame)
		+ rt->cfg->queue_limit / 16 * sizeof(struct ata_outcome));
}

static void
process(struct ata_runtime* rt, struct ata_outcome* list)
{
	struct timespec mono;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	for(; list; list = list->next) {
		ata_blame_refine(&rt->blame, list, mono.tv_sec);
		ata_zonestats_add(&rt->stats, list);
		if(rt->cfg->log_outcomes)
			emit(rt, ata_event_outcome(list));
		rt->processed++;
	}
}

static void
flush_stats(struct ata_runtime* rt, uint64_t dropped)
{
	struct timespec now;
	json_t* arr = json_array();
	now_real(&now);
	if(arr) {
		ata_zonestats_flush(&rt->stats, &now, dropped, arr);
		emit_all(rt, arr);
	}
}

static void*
thread_main(void* arg)
{
	struct ata_runtime* rt = arg;
	struct timespec next, mono, now;
	uint64_t dropped = 0;
	int stopping = 0;
	json_t* ev;

	clock_gettime(CLOCK_MONOTONIC, &next);
	next.tv_sec += rt->cfg->stats_interval;
	while(!stopping) {
		struct ata_outcome* list = ata_queue_take(&rt->queue, &next,
			&dropped, &stopping);
		process(rt, list);
		ata_outcome_list_free(list);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		if(mono.tv_sec > next.tv_sec || (mono.tv_sec == next.tv_sec
			&& mono.tv_nsec >= next.tv_nsec)) {
			flush_stats(rt, dropped);
			next.tv_sec += rt->cfg->stats_interval;
			if(next.tv_sec < mono.tv_sec)
				next.tv_sec = mono.tv_sec + rt->cfg->stats_interval;
		}
		publish_mem(rt);
	}
	/* the queue refuses pushes now; take what is left */
	{
		struct ata_outcome* rest = ata_queue_take(&rt->queue, NULL,
			&dropped, NULL);
		process(rt, rest);
		ata_outcome_list_free(rest);
	}
	flush_stats(rt, dropped);
	now_real(&now);
	if((ev = ata_event_new("module_stopped", &now))) {
		json_object_set_new(ev, "outcomes_processed",
			json_integer((json_int_t)rt->processed));
		json_object_set_new(ev, "queue_dropped_total",
			json_integer((json_int_t)dropped));
		json_object_set_new(ev, "events_failed",
			json_integer((json_int_t)rt->sink.failed));
		emit(rt, ev);
	}
	return NULL;
}

static void
emit_started(struct ata_runtime* rt)
{
	struct timespec now;
	json_t* ev;
	now_real(&now);
	if(!(ev = ata_event_new("module_started", &now)))
		return;
	json_object_set_new(ev, "version", json_string(AUTONTA_VERSION));
	json_object_set_new(ev, "unbound_version",
		ata_json_text(rt->host.unbound_version));
	json_object_set_new(ev, "pid", json_integer(getpid()));
	json_object_set_new(ev, "num_threads",
		json_integer(rt->host.num_threads));
	json_object_set_new(ev, "config_source", ata_json_text(rt->cfg->source));
	json_object_set_new(ev, "config", ata_config_to_json(rt->cfg));
	emit(rt, ev);
}

struct ata_runtime*
ata_runtime_create(struct ata_config* cfg, const struct ata_host* host,
	char* err, size_t errlen)
{
	struct ata_runtime* rt = calloc(1, sizeof(*rt));
	struct timespec now;
	sigset_t all, old;
	int r;

	if(!rt) {
		snprintf(err, errlen, "out of memory");
		ata_config_delete(cfg);
		return NULL;
	}
	rt->cfg = cfg;
	rt->host = *host;
	now_real(&now);
	if(ata_sink_open(&rt->sink, cfg->log_file, cfg->log_stderr, err,
		errlen) != 0)
		goto fail_cfg;
	if(ata_queue_init(&rt->queue, cfg->queue_limit) != 0) {
		snprintf(err, errlen, "cannot initialise the outcome queue");
		goto fail_sink;
	}
	if(ata_zonestats_init(&rt->stats, cfg->max_zones, &now) != 0
		|| ata_blame_init(&rt->blame) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail_tables;
	}
	publish_mem(rt);
	emit_started(rt);
	/* the thread must never take a signal meant for Unbound */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&rt->thread, NULL, thread_main, rt);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if(r != 0) {
		snprintf(err, errlen, "cannot start autonta's thread: %s",
			strerror(r));
		goto fail_tables;
	}
	return rt;

fail_tables:
	ata_blame_deinit(&rt->blame);
	ata_zonestats_deinit(&rt->stats);
	ata_queue_deinit(&rt->queue);
fail_sink:
	ata_sink_close(&rt->sink);
fail_cfg:
	ata_config_delete(cfg);
	free(rt);
	return NULL;
}

void
ata_runtime_observe(struct ata_runtime* rt, struct ata_outcome* o)
{
	ata_queue_push(&rt->queue, o);
}

const struct ata_config*
ata_runtime_config(const struct ata_runtime* rt)
{
	return rt->cfg;
}

size_t
ata_runtime_mem(const struct ata_runtime* rt)
{
	return atomic_load(&((struct ata_runtime*)rt)->mem);
}

void
ata_runtime_delete(struct ata_runtime* rt)
{
	if(!rt)
		return;
	ata_queue_stop(&rt->queue);
	pthread_join(rt->thread, NULL);
	ata_blame_deinit(&rt->blame);
	ata_zonestats_deinit(&rt->stats);
	ata_queue_deinit(&rt->queue);
	ata_sink_close(&rt->sink);
	ata_config_delete(rt->cfg);
	free(rt);
}
