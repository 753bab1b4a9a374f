/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The recheck thread, see recheck.h. libunbound runs in its threaded
 * asynchronous mode so that a recheck can be abandoned at its timeout or
 * at shutdown: deinit never waits longer than one poll interval.
 */
#include "recheck.h"

#include "evidence.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound.h>

/** One queued recheck. */
struct job {
	struct job* next;
	enum ata_check_kind kind;
	char zone[ATA_NAME_MAX];
	char names[ATA_RECHECK_NAMES][ATA_NAME_MAX];
	uint16_t types[ATA_RECHECK_NAMES];
	int n;
};

struct ata_recheck {
	struct ata_recheck_setup setup;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job* jobs;
	struct ata_recheck_result* results;
	int stop;
	/** stop, readable without the lock (evidence checks poll it) */
	atomic_int stop_flag;
	/** libunbound's log goes here, not to Unbound's stderr */
	FILE* devnull;
	void (*wake)(void*);
	void* wake_arg;
};

static char**
copy_list(char** l)
{
	size_t n = 0, i;
	char** c;
	while(l && l[n])
		n++;
	if(!(c = calloc(n + 1, sizeof(*c))))
		return NULL;
	for(i = 0; i < n; i++)
		if(!(c[i] = strdup(l[i])))
			return c;	/* shorter list: best effort */
	return c;
}

static void
free_list(char** l)
{
	size_t i;
	for(i = 0; l && l[i]; i++)
		free(l[i]);
	free(l);
}

void
ata_recheck_setup_clear(struct ata_recheck_setup* s)
{
	free_list(s->root_hints);
	free_list(s->anchor_files);
	free_list(s->anchors);
	free_list(s->outgoing);
	s->root_hints = s->anchor_files = s->anchors = s->outgoing = NULL;
}

struct ub_ctx*
ata_check_ctx(const struct ata_recheck_setup* s, FILE* devnull, int validate,
	const char* stub_zone, const char* stub_addr, const char** why)
{
	struct ub_ctx* ctx = ub_ctx_create();
	size_t i;
	if(!ctx) {
		*why = "ub_ctx_create failed";
		return NULL;
	}
	if(ub_ctx_async(ctx, 1) != 0
		|| ub_ctx_set_option(ctx, "do-not-query-localhost:",
			s->do_not_query_localhost ? "yes" : "no") != 0
		|| ub_ctx_set_option(ctx, "do-ip6:", s->do_ip6 ? "yes" : "no")
			!= 0
		|| ub_ctx_set_option(ctx, "val-log-level:", "2") != 0
		|| ub_ctx_debuglevel(ctx, 0) != 0
		|| (devnull && ub_ctx_debugout(ctx, devnull) != 0)) {
		*why = "cannot set libunbound options";
		goto fail;
	}
	for(i = 0; s->root_hints && s->root_hints[i]; i++)
		if(ub_ctx_set_option(ctx, "root-hints:", s->root_hints[i])) {
			*why = "cannot read root hints";
			goto fail;
		}
	for(i = 0; s->outgoing && s->outgoing[i]; i++)
		if(ub_ctx_set_option(ctx, "outgoing-interface:",
			s->outgoing[i])) {
			*why = "cannot set outgoing-interface";
			goto fail;
		}
	for(i = 0; validate && s->anchor_files && s->anchor_files[i]; i++)
		if(ub_ctx_add_ta_file(ctx, s->anchor_files[i]) != 0) {
			*why = "cannot read a trust anchor file";
			goto fail;
		}
	for(i = 0; validate && s->anchors && s->anchors[i]; i++)
		if(ub_ctx_add_ta(ctx, s->anchors[i]) != 0) {
			*why = "cannot add a trust anchor";
			goto fail;
		}
	if(stub_zone && (ub_ctx_set_option(ctx, "tcp-upstream:", "yes") != 0
		|| ub_ctx_set_stub(ctx, stub_zone, stub_addr, 0) != 0)) {
		*why = "cannot pin the zone to one server";
		goto fail;
	}
	return ctx;
fail:
	ub_ctx_delete(ctx);
	return NULL;
}

/** State of one query of a recheck. */
struct query {
	char name[ATA_NAME_MAX];
	int type;
	int done;
	int err;
	struct ub_result* res;
};

static void
query_done(void* arg, int err, struct ub_result* res)
{
	struct query* q = arg;
	q->done = 1;
	q->err = err;
	q->res = res;
}

static long
ms_since(const struct timespec* t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L
		+ (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

static int
stopping(struct ata_recheck* r)
{
	int s;
	pthread_mutex_lock(&r->lock);
	s = r->stop;
	pthread_mutex_unlock(&r->lock);
	return s;
}

static struct ata_recheck_result*
run_recheck(struct ata_recheck* r, const struct job* j)
{
	struct ata_recheck_result* res = calloc(1, sizeof(*res));
	struct query q[ATA_RECHECK_NAMES + 2];
	struct timespec t0;
	struct ub_ctx* ctx;
	const char* why = NULL;
	int n = 0, i, all_done, zone_bogus = 0, names_bogus = 0, unsure = 0;

	if(!res)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(res->zone, sizeof(res->zone), "%s", j->zone);
	res->checks = json_array();
	memset(q, 0, sizeof(q));
	snprintf(q[n].name, sizeof(q[n].name), "%s", j->zone);
	q[n++].type = 48;	/* DNSKEY */
	snprintf(q[n].name, sizeof(q[n].name), "%s", j->zone);
	q[n++].type = 6;	/* SOA */
	for(i = 0; i < j->n; i++) {
		snprintf(q[n].name, sizeof(q[n].name), "%s", j->names[i]);
		q[n++].type = j->types[i];
	}
	if(!(ctx = ata_check_ctx(&r->setup, r->devnull, 1, NULL, NULL, &why))) {
		res->verdict = "error";
		json_array_append_new(res->checks, json_pack("{ss}", "error",
			why));
		res->ms = ms_since(&t0);
		return res;
	}
	for(i = 0; i < n; i++)
		if(ub_resolve_async(ctx, q[i].name, q[i].type, 1, &q[i],
			query_done, NULL) != 0) {
			q[i].done = 1;
			q[i].err = -1;
		}
	for(;;) {
		struct pollfd pfd = { ub_fd(ctx), POLLIN, 0 };
		for(all_done = 1, i = 0; i < n; i++)
			all_done &= q[i].done;
		if(all_done || stopping(r)
			|| ms_since(&t0) > (long)r->setup.timeout * 1000L)
			break;
		if(poll(&pfd, 1, 100) > 0)
			ub_process(ctx);
	}
	for(i = 0; i < n; i++) {
		json_t* c = json_pack("{sssi}", "name", q[i].name, "type",
			q[i].type);
		if(!q[i].done || q[i].err || !q[i].res) {
			json_object_set_new(c, "result", json_string(
				q[i].done ? "error" : "timeout"));
			if(q[i].done && q[i].err)
				json_object_set_new(c, "error", json_string(
					ub_strerror(q[i].err)));
			unsure = 1;
		} else {
			struct ub_result* u = q[i].res;
			const char* v = u->bogus ? "bogus" : u->secure ? "secure"
				: u->rcode == 2 ? "servfail" : "insecure";
			json_object_set_new(c, "result", json_string(v));
			json_object_set_new(c, "rcode", json_integer(u->rcode));
			if(u->bogus) {
				if(i < 2)
					zone_bogus = 1;
				else
					names_bogus++;
				if(u->why_bogus)
					json_object_set_new(c, "why_bogus",
						json_string(u->why_bogus));
			}
			/* the zone itself must validate */
			if(i < 2 && !u->secure && !u->bogus)
				unsure = 1;
			if(u->rcode == 2 && !u->bogus)
				unsure = 1;
		}
		json_array_append_new(res->checks, c);
		if(q[i].res)
			ub_resolve_free(q[i].res);
	}
	/* abandons whatever is still under way */
	ub_ctx_delete(ctx);
	/* the zone's own data decides; the failed names (chosen at random
	 * over the episode) only when most of them still fail, so that a
	 * few names under someone's control cannot hold an NTA */
	res->verdict = zone_bogus || (j->n > 0 && names_bogus * 2 > j->n)
		? "bogus" : unsure ? "error" : names_bogus ? "error" : "secure";
	res->ms = ms_since(&t0);
	return res;
}

static void*
thread_main(void* arg)
{
	struct ata_recheck* r = arg;
	for(;;) {
		struct job* j;
		struct ata_recheck_result *res, **pp;
		pthread_mutex_lock(&r->lock);
		while(!r->jobs && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		if(r->stop) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		j = r->jobs;
		r->jobs = j->next;
		pthread_mutex_unlock(&r->lock);
		if(j->kind == ATA_CHECK_EVIDENCE)
			res = ata_evidence_run(&r->setup, r->devnull,
				&r->stop_flag, j->zone, j->names, j->types, j->n);
		else
			res = run_recheck(r, j);
		if(res)
			res->kind = j->kind;
		free(j);
		if(!res)
			continue;
		pthread_mutex_lock(&r->lock);
		for(pp = &r->results; *pp; pp = &(*pp)->next)
			;
		*pp = res;
		pthread_mutex_unlock(&r->lock);
		if(r->wake)
			r->wake(r->wake_arg);
	}
}

struct ata_recheck*
ata_recheck_create(const struct ata_recheck_setup* setup,
	void (*wake)(void* arg), void* wake_arg, char* err, size_t errlen)
{
	struct ata_recheck* r = calloc(1, sizeof(*r));
	sigset_t all, old;
	int e;
	if(!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->setup = *setup;
	r->setup.root_hints = copy_list(setup->root_hints);
	r->setup.anchor_files = copy_list(setup->anchor_files);
	r->setup.anchors = copy_list(setup->anchors);
	r->setup.outgoing = copy_list(setup->outgoing);
	r->wake = wake;
	r->wake_arg = wake_arg;
	r->devnull = fopen("/dev/null", "we");
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&r->thread, NULL, thread_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if(e != 0) {
		snprintf(err, errlen, "cannot start the recheck thread: %s",
			strerror(e));
		ata_recheck_setup_clear(&r->setup);
		if(r->devnull)
			fclose(r->devnull);
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		free(r);
		return NULL;
	}
	return r;
}

int
ata_recheck_submit(struct ata_recheck* r, enum ata_check_kind kind,
	const char* zone, char (*names)[ATA_NAME_MAX], const uint16_t* types,
	int n)
{
	struct job *j = calloc(1, sizeof(*j)), **pp;
	int i;
	if(!j)
		return -1;
	j->kind = kind;
	snprintf(j->zone, sizeof(j->zone), "%s", zone);
	for(i = 0; i < n && i < ATA_RECHECK_NAMES; i++) {
		snprintf(j->names[i], sizeof(j->names[i]), "%s", names[i]);
		j->types[i] = types[i];
	}
	j->n = i;
	pthread_mutex_lock(&r->lock);
	for(pp = &r->jobs; *pp; pp = &(*pp)->next)
		;
	*pp = j;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

struct ata_recheck_result*
ata_recheck_take(struct ata_recheck* r)
{
	struct ata_recheck_result* l;
	pthread_mutex_lock(&r->lock);
	l = r->results;
	r->results = NULL;
	pthread_mutex_unlock(&r->lock);
	return l;
}

void
ata_recheck_result_free(struct ata_recheck_result* l)
{
	while(l) {
		struct ata_recheck_result* next = l->next;
		json_decref(l->checks);
		json_decref(l->evidence);
		free(l);
		l = next;
	}
}

void
ata_recheck_delete(struct ata_recheck* r)
{
	struct job* j;
	if(!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	atomic_store(&r->stop_flag, 1);
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	while((j = r->jobs)) {
		r->jobs = j->next;
		free(j);
	}
	ata_recheck_result_free(r->results);
	ata_recheck_setup_clear(&r->setup);
	if(r->devnull)
		fclose(r->devnull);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
