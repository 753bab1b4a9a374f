/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The recheck thread, see recheck.h. libunbound runs in its threaded
 * asynchronous mode so that a recheck can be abandoned at its timeout or
 * at shutdown: deinit never waits longer than one poll interval.
 */
#include "recheck.h"

#include "evidence.h"
#include "thread.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
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
	const char* pin_zone, const char* pin_addr, const char** why)
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
	if(pin_zone && (ub_ctx_set_option(ctx, "tcp-upstream:", "yes") != 0
		|| ub_ctx_set_stub(ctx, pin_zone, pin_addr, 0) != 0)) {
		*why = "cannot pin the zone to one server";
		goto fail;
	}
	return ctx;
fail:
	ub_ctx_delete(ctx);
	return NULL;
}

static void
check_done(void* arg, int err, struct ub_result* res)
{
	struct ata_check_query* q = arg;
	q->done = 1;
	q->err = err;
	q->res = res;
}

long
ata_check_ms_since(const struct timespec* t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L
		+ (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

void
ata_check_batch(struct ub_ctx** ctx, int nctx, struct ata_check_query* q,
	int n, unsigned timeout, atomic_int* stop)
{
	struct pollfd pfd[ATA_CHECK_MAX_CTX];
	struct timespec t0;
	int i, all;
	if(nctx > ATA_CHECK_MAX_CTX)
		nctx = ATA_CHECK_MAX_CTX;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for(i = 0; i < n; i++)
		if(q[i].ctx >= nctx || !ctx[q[i].ctx] || ub_resolve_async(
			ctx[q[i].ctx], q[i].name, q[i].type, 1, &q[i],
			check_done, NULL) != 0) {
			q[i].done = 1;
			q[i].err = -1;
		}
	for(;;) {
		for(all = 1, i = 0; i < n; i++)
			all &= q[i].done;
		if(all || atomic_load(stop)
			|| ata_check_ms_since(&t0) > (long)timeout * 1000L)
			return;
		for(i = 0; i < nctx; i++) {
			pfd[i].fd = ctx[i] ? ub_fd(ctx[i]) : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if(poll(pfd, (nfds_t)nctx, 100) > 0)
			for(i = 0; i < nctx; i++)
				if(pfd[i].revents)
					ub_process(ctx[i]);
	}
}

const char*
ata_check_result(const struct ata_check_query* q)
{
	if(!q->done)
		return "timeout";
	if(q->err || !q->res)
		return "error";
	if(q->res->bogus)
		return "bogus";
	if(q->res->secure)
		return "secure";
	if(q->res->rcode == 2)
		return "servfail";
	return "insecure";
}

void
ata_check_free(struct ata_check_query* q, int n)
{
	int i;
	for(i = 0; i < n; i++)
		if(q[i].res) {
			ub_resolve_free(q[i].res);
			q[i].res = NULL;
		}
}

/**
 * A recheck: the zone's DNSKEY and SOA and the failed names, each with a
 * fresh context (see the evidence: within one context a bogus answer
 * marks the server DNSSEC-lame for the other queries), all at once.
 */
static struct ata_recheck_result*
run_recheck(struct ata_recheck* r, const struct job* j)
{
	struct ata_recheck_result* res = calloc(1, sizeof(*res));
	struct ata_check_query q[ATA_RECHECK_NAMES + 2];
	struct ub_ctx* ctx[ATA_RECHECK_NAMES + 2];
	struct timespec t0;
	const char* why = NULL;
	int n = 0, i, zone_bogus = 0, names_bogus = 0, unsure = 0;

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
		memcpy(q[n].name, j->names[i], sizeof(q[n].name));
		q[n++].type = j->types[i];
	}
	for(i = 0; i < n; i++) {
		q[i].ctx = i;
		if(!(ctx[i] = ata_check_ctx(&r->setup, r->devnull, 1, NULL,
			NULL, &why)))
			break;
	}
	if(i < n) {
		while(i-- > 0)
			ub_ctx_delete(ctx[i]);
		res->verdict = "error";
		json_array_append_new(res->checks, json_pack("{ss}", "error",
			why));
		res->ms = ata_check_ms_since(&t0);
		return res;
	}
	ata_check_batch(ctx, n, q, n, r->setup.timeout, &r->stop_flag);
	/* abandons whatever is still under way */
	for(i = 0; i < n; i++)
		ub_ctx_delete(ctx[i]);
	for(i = 0; i < n; i++) {
		const char* v = ata_check_result(&q[i]);
		json_t* c = json_pack("{sssiss}", "name", q[i].name, "type",
			q[i].type, "result", v);
		if(q[i].res) {
			json_object_set_new(c, "rcode", json_integer(
				q[i].res->rcode));
			if(q[i].res->bogus && q[i].res->why_bogus)
				json_object_set_new(c, "why_bogus",
					json_string(q[i].res->why_bogus));
		} else if(q[i].done && q[i].err > 0)
			json_object_set_new(c, "error", json_string(
				ub_strerror(q[i].err)));
		if(strcmp(v, "bogus") == 0) {
			if(i < 2)
				zone_bogus = 1;
			else
				names_bogus++;
		} else if((i < 2 && strcmp(v, "secure") != 0)
			|| strcmp(v, "servfail") == 0 || strcmp(v, "error") == 0
			|| strcmp(v, "timeout") == 0)
			unsure = 1;	/* the zone itself must validate */
		json_array_append_new(res->checks, c);
	}
	ata_check_free(q, n);
	/* the zone's own data decides; the failed names (chosen at random
	 * over the episode) only when most of them still fail, so that a
	 * few names under someone's control cannot hold an NTA */
	res->verdict = zone_bogus || (j->n > 0 && names_bogus * 2 > j->n)
		? "bogus" : unsure ? "error" : names_bogus ? "error" : "secure";
	res->ms = ata_check_ms_since(&t0);
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

/** Free everything of r but its (joined or never started) thread. */
static void
recheck_free(struct ata_recheck* r)
{
	struct job* j;
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

struct ata_recheck*
ata_recheck_create(const struct ata_recheck_setup* setup,
	void (*wake)(void* arg), void* wake_arg, char* err, size_t errlen)
{
	struct ata_recheck* r = calloc(1, sizeof(*r));
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
	if((e = ata_thread_start(&r->thread, thread_main, r)) != 0) {
		snprintf(err, errlen, "cannot start the recheck thread: %s",
			strerror(e));
		recheck_free(r);
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
	if(!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	atomic_store(&r->stop_flag, 1);
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	recheck_free(r);
}
