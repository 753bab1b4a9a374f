/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The runtime and autonta's thread. Worker threads only push outcomes and
 * run posted actions; everything else here (attribution memory, zone
 * statistics, the detector, the NTA table, the event sink) is owned by
 * autonta's thread, so none of it needs a lock. The recheck thread talks
 * to it through its own job and result lists.
 *
 * The thread wakes when outcomes arrive, when a recheck finishes, and at
 * least every ATA_TICK_MS to look at action results, NTA expiry, due
 * rechecks and the stats interval.
 */
#include "runtime.h"
#include "runtime_int.h"
#include "fileutil.h"

#include "actions.h"
#include "blame.h"
#include "cfgfile.h"
#include "commands.h"
#include "control.h"
#include "detector.h"
#include "event.h"
#include "history.h"
#include "nta.h"
#include "outcome.h"
#include "poke.h"
#include "policy.h"
#include "queue.h"
#include "sink.h"
#include "thread.h"
#include "zonestats.h"
#include "zonelog.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AUTONTA_VERSION
#define AUTONTA_VERSION "unknown"
#endif

static void
now_real(struct timespec* t)
{
	clock_gettime(CLOCK_REALTIME, t);
}

/** Events not kept in the zone log: too many, or about no zone. */
static int
zonelog_skips(const char* name)
{
	return strcmp(name, "outcome") == 0 || strcmp(name, "zone_stats") == 0;
}

/** Write one event and free it; count it, and remember it for its zone. */
void
ata_rt_emit(struct ata_runtime* rt, json_t* ev)
{
	const char *name, *zone;
	char* line;
	if(!ev)
		return;
	json_object_set_new(ev, "seq", json_integer((json_int_t)++rt->seq));
	if((line = ata_event_line(ev))) {
		ata_sink_write(&rt->sink, line);
		free(line);
	}
	name = json_string_value(json_object_get(ev, "event"));
	if(name && rt->event_counts)
		json_object_set_new(rt->event_counts, name, json_integer(
			json_integer_value(json_object_get(rt->event_counts,
			name)) + 1));
	zone = json_string_value(json_object_get(ev, "zone"));
	if(name && zone && !zonelog_skips(name))
		ata_zonelog_add(&rt->zonelog, zone, ev);
	json_decref(ev);
}

/** A new event stamped now. */
json_t*
ata_rt_event_now(const char* name)
{
	struct timespec now;
	now_real(&now);
	return ata_event_new(name, &now);
}

json_t*
ata_rt_time_json(time_t t)
{
	struct timespec ts = { t, 0 };
	char buf[ATA_TIME_MAX];
	if(ata_time_format(&ts, buf, sizeof(buf)) != 0)
		return json_null();
	return json_string(buf);
}

static void
publish_mem(struct ata_runtime* rt)
{
	size_t queued;
	pthread_mutex_lock(&rt->queue.lock);
	queued = rt->queue.count;
	pthread_mutex_unlock(&rt->queue.lock);
	atomic_store(&rt->mem, sizeof(*rt) + ata_zonestats_mem(&rt->stats)
		+ ata_blame_mem(&rt->blame) + ata_detector_mem(&rt->detector)
		+ ata_nametab_mem(&rt->history.zones)
		+ queued * sizeof(struct ata_outcome)
		+ rt->ntas.count * sizeof(struct ata_nta)
		+ ata_zonelog_mem(&rt->zonelog));
}

static void
poke(struct ata_runtime* rt)
{
	char line[200];
	if(ata_poke_send(&rt->poke) == 0 || rt->poke_failed_logged)
		return;
	rt->poke_failed_logged = 1;
	snprintf(line, sizeof(line), "autonta: cannot send a poke query to "
		"Unbound; NTA actions wait for the next query that is not "
		"answered from the cache");
	rt->host.log(0, line);
}

/**
 * Post the action the NTA's state calls for (add while ADDING, remove
 * while REMOVING) and poke. If it cannot be posted now (out of memory),
 * action_posted stays 0 and retry_actions() posts it again.
 */
void
ata_rt_post_action(struct ata_runtime* rt, struct ata_nta* n)
{
	struct ata_action* a = calloc(1, sizeof(*a));
	if(!a)
		return;
	a->kind = n->state == ATA_NTA_ADDING ? ATA_ACT_ADD : ATA_ACT_REMOVE;
	snprintf(a->zone, sizeof(a->zone), "%s", n->zone);
	ata_actions_post(&rt->actions, a);
	n->action_posted = 1;
	n->action_poked = time(NULL);
	poke(rt);
}

/**
 * An NTA must never be left half-way: post again what could not be
 * posted, and poke again every second while a worker has not run it.
 */
static void
retry_actions(struct ata_runtime* rt)
{
	struct ata_nta* n;
	time_t now = time(NULL);
	for(n = rt->ntas.head; n; n = n->next) {
		if(n->state != ATA_NTA_ADDING && n->state != ATA_NTA_REMOVING)
			continue;
		if(!n->action_posted)
			ata_rt_post_action(rt, n);
		else if(now > n->action_poked) {
			n->action_poked = now;
			poke(rt);
		}
	}
}

void
ata_rt_lift(struct ata_runtime* rt, struct ata_nta* n, const char* reason)
{
	if(n->state == ATA_NTA_REMOVING)
		return;
	n->state = ATA_NTA_REMOVING;
	n->lift_reason = reason;
	ata_rt_post_action(rt, n);
}

/** NTAs counted against max-ntas: autonta's own, installed or on their
 *  way (an operator's manual NTAs are not autonta's decisions). */
static unsigned
ntas_in_use(const struct ata_runtime* rt)
{
	const struct ata_nta* n;
	unsigned c = 0;
	for(n = rt->ntas.head; n; n = n->next)
		c += n->state != ATA_NTA_COOLDOWN
			&& n->owner == ATA_OWNER_AUTONTA;
	return c;
}

static unsigned
added_last_hour(const struct ata_runtime* rt, time_t now)
{
	unsigned i, c = 0;
	for(i = 0; i < sizeof(rt->added_times) / sizeof(rt->added_times[0]);
		i++)
		c += rt->added_times[i] && rt->added_times[i] > now - 3600;
	return c;
}

/**
 * The local-fault guard: the root failing, or several TLDs at once, means
 * the problem is here (clock, a middlebox stripping signatures), not at
 * the zone. Returns 1 (and logs local_fault_suspected, at most once per
 * detection window) when so.
 */
static int
local_fault(struct ata_runtime* rt, const char* zone)
{
	struct timespec mono;
	unsigned tlds;
	int root;
	json_t* ev;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	tlds = ata_detector_failing_tlds(&rt->detector, mono.tv_sec,
		rt->cfg->detect_min_bogus / 2 ? rt->cfg->detect_min_bogus / 2 : 1,
		&root);
	if(!root && tlds < rt->cfg->local_fault_tlds)
		return 0;
	if(mono.tv_sec - rt->local_fault_logged >= (time_t)rt->cfg->detect_window
		|| !rt->local_fault_logged) {
		rt->local_fault_logged = mono.tv_sec;
		if((ev = ata_rt_event_now("local_fault_suspected"))) {
			ata_json_set_text(ev, "zone", zone);
			json_object_set_new(ev, "root_failing", json_boolean(root));
			json_object_set_new(ev, "root_bogus", json_integer(
				(json_int_t)ata_detector_window_bogus(
				&rt->detector, ".", mono.tv_sec)));
			json_object_set_new(ev, "failing_tlds", json_integer(tlds));
			json_object_set_new(ev, "threshold_tlds",
				json_integer(rt->cfg->local_fault_tlds));
			ata_rt_emit(rt, ev);
		}
	}
	return 1;
}

/** Why no NTA may be put on the spike's zone now, or NULL. */
static const char*
refusal(struct ata_runtime* rt, const struct ata_spike* s, json_t* extra)
{
	/* the guard first, so that a failing root is reported as local */
	int lf = local_fault(rt, s->zone);
	const char* r = ata_policy_refusal(rt->cfg, s->zone);
	time_t now = time(NULL), last;
	if(r)
		return r;
	if(lf)
		return "local-fault";
	if(rt->cfg->history_period) {
		last = ata_history_last_secure(&rt->history, s->zone);
		json_object_set_new(extra, "last_secure", last
			? ata_rt_time_json(last) : json_null());
		if(!last || last + (time_t)rt->cfg->history_period
			< s->first.tv_sec)
			return "no-history";
	}
	if(ntas_in_use(rt) >= rt->cfg->max_ntas)
		return "max-ntas";
	if(added_last_hour(rt, now) >= rt->cfg->max_ntas_per_hour)
		return "rate-limit";
	return NULL;
}

/** A zone-wide failure was detected: decide. */
static void
on_spike(struct ata_runtime* rt, struct ata_spike* s)
{
	const char* why;
	json_t *ev, *extra;
	struct timespec now;
	struct ata_nta* n = ata_nta_find(&rt->ntas, s->zone);

	now_real(&now);
	if(n) {
		if(n->operator_removed && now.tv_sec < n->retry_after
			&& !n->refusal_logged
			&& (ev = ata_rt_event_now("nta_refused"))) {
			n->refusal_logged = 1;
			ata_json_set_text(ev, "zone", s->zone);
			json_object_set_new(ev, "reason",
				json_string("operator-cooldown"));
			json_object_set_new(ev, "cooldown_until",
				ata_rt_time_json(n->retry_after));
			ata_spike_to_json(s, ev);
			ata_rt_emit(rt, ev);
		}
		if(n->state != ATA_NTA_COOLDOWN || now.tv_sec < n->retry_after)
			return;	/* in hand, or considered recently */
		ata_nta_delete(&rt->ntas, n);
	}
	if((ev = ata_rt_event_now("spike_detected"))) {
		ata_json_set_text(ev, "zone", s->zone);
		ata_spike_to_json(s, ev);
		ata_rt_emit(rt, ev);
	}
	extra = json_object();
	if((why = refusal(rt, s, extra))) {
		if((ev = ata_rt_event_now("nta_refused"))) {
			ata_json_set_text(ev, "zone", s->zone);
			json_object_set_new(ev, "reason", json_string(why));
			json_object_update(ev, extra);
			ata_spike_to_json(s, ev);
			ata_rt_emit(rt, ev);
		}
		json_decref(extra);
		return;
	}
	json_decref(extra);
	if(!(n = ata_nta_new(&rt->ntas, s, &now, rt->cfg->nta_lifetime,
		rt->cfg->nta_max_lifetime)))
		return;
	/* evidence first: every server of the zone, over TCP */
	if(!rt->recheck || ata_recheck_submit(rt->recheck, ATA_CHECK_EVIDENCE,
		n->zone, n->names, n->types, n->nnames) != 0) {
		n->state = ATA_NTA_COOLDOWN;
		n->retry_after = now.tv_sec + rt->cfg->evidence_retry;
	}
}

/** A random id for a recommendation. */
static void
new_rec_id(struct ata_nta* n)
{
	struct timespec t;
	uint64_t x;
	clock_gettime(CLOCK_MONOTONIC, &t);
	x = ata_hash_name(n->zone) ^ (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15ULL
		^ (uint64_t)t.tv_sec;
	snprintf(n->rec_id, sizeof(n->rec_id), "%08x", (unsigned)(x >> 17));
}

/** The evidence for a zone came back. */
static void
on_evidence(struct ata_runtime* rt, struct ata_recheck_result* r)
{
	struct ata_nta* n = ata_nta_find(&rt->ntas, r->zone);
	time_t now = time(NULL);
	json_t* ev;
	if(!n || n->state != ATA_NTA_CONFIRMING)
		return;
	json_object_set(n->evidence, "confirmation", r->evidence);
	n->evidence_tries++;
	/* servers that did not answer (a reload, a lost TCP connection) are
	 * asked again twice, two seconds apart, before giving up */
	if(strcmp(r->verdict, "confirmed") != 0 && r->reason
		&& strcmp(r->reason, "unreachable") == 0
		&& n->evidence_tries < ATA_EVIDENCE_TRIES) {
		n->evidence_again = now + 2;
		return;
	}
	json_object_set_new(n->evidence, "evidence_tries",
		json_integer(n->evidence_tries));
	if(strcmp(r->verdict, "confirmed") != 0) {
		if((ev = ata_rt_event_now("spike_unconfirmed"))) {
			ata_json_set_text(ev, "zone", n->zone);
			json_object_set_new(ev, "reason", json_string(r->reason));
			json_object_update(ev, n->evidence);
			ata_rt_emit(rt, ev);
		}
		n->state = ATA_NTA_COOLDOWN;
		n->retry_after = now + rt->cfg->evidence_retry;
		return;
	}
	if(strcmp(rt->mode, "enforce") == 0) {
		n->state = ATA_NTA_ADDING;
		ata_rt_post_action(rt, n);
		return;
	}
	new_rec_id(n);
	if((ev = ata_rt_event_now("nta_recommended"))) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "mode", json_string(rt->mode));
		json_object_set_new(ev, "id", json_string(n->rec_id));
		if(strcmp(rt->mode, "approve") == 0) {
			json_object_set_new(ev, "approve_by", ata_rt_time_json(now
				+ rt->cfg->approval_timeout));
			json_object_set_new(ev, "approval_file",
				rt->cfg->approval_file[0] ? ata_json_text(
				rt->cfg->approval_file) : json_null());
		}
		json_object_update(ev, n->evidence);
		ata_rt_emit(rt, ev);
	}
	if(strcmp(rt->mode, "approve") == 0) {
		n->state = ATA_NTA_AWAITING;
		n->approve_by = now + rt->cfg->approval_timeout;
	} else {
		n->state = ATA_NTA_COOLDOWN;
		n->retry_after = now + rt->cfg->approval_timeout;
	}
}

void
ata_rt_emit_recommendation(struct ata_runtime* rt, const char* name,
	const struct ata_nta* n, json_t* by)
{
	json_t* ev = ata_rt_event_now(name);
	if(!ev)
		return;
	ata_json_set_text(ev, "zone", n->zone);
	json_object_set_new(ev, "id", json_string(n->rec_id));
	if(by)
		json_object_set(ev, "by", by);
	ata_rt_emit(rt, ev);
}

/**
 * Recommendations awaiting approval: expire those past approval-timeout,
 * and read the approval file (if any) when it changed. A line
 * "approve ZONE ID" or "reject ZONE ID" answers the recommendation with
 * that id (ids keep old lines from approving new recommendations).
 * autonta-control approve and reject do the same through the socket.
 */
static void
check_approvals(struct ata_runtime* rt)
{
	struct ata_nta *n, *next;
	time_t now = time(NULL);
	struct stat st;
	char line[600], errbuf[300];
	int awaiting = 0;
	FILE* f;
	for(n = rt->ntas.head; n; n = next) {
		next = n->next;
		if(n->state != ATA_NTA_AWAITING)
			continue;
		if(now >= n->approve_by) {
			ata_rt_emit_recommendation(rt, "nta_recommendation_expired",
				n, NULL);
			n->state = ATA_NTA_COOLDOWN;
			n->retry_after = now + rt->cfg->evidence_retry;
		} else
			awaiting = 1;
	}
	if(!awaiting || !rt->cfg->approval_file[0]
		|| stat(rt->cfg->approval_file, &st) != 0
		|| (st.st_size == rt->approval_size
		&& st.st_mtime == rt->approval_mtime)
		|| !(f = ata_fopen_regular(rt->cfg->approval_file, errbuf,
		sizeof(errbuf))))
		return;
	rt->approval_size = st.st_size;
	rt->approval_mtime = st.st_mtime;
	while(fgets(line, sizeof(line), f)) {
		char verb[16], zone[300], id[16], norm[256];
		if(sscanf(line, "%15s %299s %15s", verb, zone, id) != 3
			|| ata_name_normalize(zone, norm, sizeof(norm)) != 0
			|| !(n = ata_nta_find(&rt->ntas, norm))
			|| n->state != ATA_NTA_AWAITING
			|| strcmp(n->rec_id, id) != 0)
			continue;
		if(strcmp(verb, "approve") == 0) {
			ata_rt_emit_recommendation(rt, "nta_approved", n,
				NULL);
			n->state = ATA_NTA_ADDING;
			ata_rt_post_action(rt, n);
		} else if(strcmp(verb, "reject") == 0) {
			ata_rt_emit_recommendation(rt, "nta_rejected", n,
				NULL);
			ata_nta_reject(n, now, rt->cfg->approval_timeout);
			rt->ntas_dirty = 1;
		}
	}
	fclose(f);
}

static void
process(struct ata_runtime* rt, struct ata_outcome* list)
{
	struct timespec mono;
	struct ata_spike spike;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	time_t wall = time(NULL);
	/* the levels that can get an NTA under nta-scope */
	int history_levels = strcmp(rt->cfg->nta_scope, "tld") == 0 ? 1
		: ATA_HISTORY_LABELS;
	for(; list; list = list->next) {
		/* a validated positive answer shows the zones above it work;
		 * NXDOMAIN for random names would only fill the table */
		if(list->sec == ATA_SEC_SECURE && list->rcode == 0)
			ata_history_secure(&rt->history, list->qname, wall,
				history_levels);
		ata_blame_refine(&rt->blame, list, mono.tv_sec);
		ata_zonestats_add(&rt->stats, list);
		if(ata_detector_add(&rt->detector, list, mono.tv_sec, &spike)) {
			on_spike(rt, &spike);
			ata_spike_clear(&spike);
		}
		/* the root failing is a local fault whatever the spread of
		 * names (a resolver asks few TLDs), so it is watched apart */
		if(list->sec == ATA_SEC_BOGUS && strcmp(list->zone, ".") == 0
			&& ata_detector_window_bogus(&rt->detector, ".",
			mono.tv_sec) >= rt->cfg->detect_min_bogus)
			(void)local_fault(rt, ".");
		if(rt->cfg->log_outcomes)
			ata_rt_emit(rt, ata_event_outcome(list));
		rt->processed++;
	}
}

static json_t*
flushed_json(const struct ata_action* a)
{
	return json_pack("{sIsIsI}", "keys", (json_int_t)a->flushed_keys,
		"messages", (json_int_t)a->flushed_msgs,
		"rrsets", (json_int_t)a->flushed_rrsets);
}

static long
ms_between(const struct timespec* a, const struct timespec* b)
{
	return (long)((b->tv_sec - a->tv_sec) * 1000L
		+ (b->tv_nsec - a->tv_nsec) / 1000000L);
}

/** An NTA of the state file is not re-applied: say why, forget it. */
static void
drop_restored(struct ata_runtime* rt, struct ata_nta* n, const char* reason)
{
	json_t* ev = ata_rt_event_now("nta_dropped");
	if(ev) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "reason", json_string(reason));
		json_object_set_new(ev, "added", ata_rt_time_json(n->added));
		json_object_set_new(ev, "expires", ata_rt_time_json(n->expires));
		ata_rt_emit(rt, ev);
	}
	ata_nta_delete(&rt->ntas, n);
	rt->ntas_dirty = 1;
}

/** A restored NTA is in the anchor tree again (or could not be). */
static void
on_restored(struct ata_runtime* rt, struct ata_nta* n, struct ata_action* a)
{
	json_t* ev;
	n->action_posted = 0;
	if(a->result != ATA_ACT_DONE) {
		/* domain-insecure or a trust anchor there now: not ours */
		drop_restored(rt, n, a->result == ATA_ACT_EXISTS
			? "anchor-exists" : ata_action_result_name(a->result));
		return;
	}
	n->restored = 0;
	n->state = ATA_NTA_ACTIVE;
	n->next_recheck = a->done.tv_sec;	/* it may have healed meanwhile */
	ata_detector_reset(&rt->detector, n->zone);
	rt->ntas_dirty = 1;
	if((ev = ata_rt_event_now("nta_restored"))) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "added", ata_rt_time_json(n->added));
		json_object_set_new(ev, "expires", ata_rt_time_json(n->expires));
		json_object_set_new(ev, "hard_expires",
			ata_rt_time_json(n->hard_expires));
		json_object_set_new(ev, "start_to_effect_ms",
			json_integer(ms_between(&rt->started, &a->done)));
		json_object_set_new(ev, "flushed", flushed_json(a));
		ata_rt_emit(rt, ev);
	}
}

static void
on_added(struct ata_runtime* rt, struct ata_nta* n, struct ata_action* a)
{
	json_t* ev;
	if(n->restored) {
		on_restored(rt, n, a);
		return;
	}
	n->action_posted = 0;
	if(a->result != ATA_ACT_DONE) {
		if((ev = ata_rt_event_now("nta_refused"))) {
			ata_json_set_text(ev, "zone", n->zone);
			json_object_set_new(ev, "reason", json_string(
				ata_action_result_name(a->result)));
			json_object_update(ev, n->evidence);
			ata_rt_emit(rt, ev);
		}
		/* may be detected again, once that anchor is gone */
		ata_detector_reset(&rt->detector, n->zone);
		ata_nta_delete(&rt->ntas, n);
		return;
	}
	ata_nta_activate(n, a->done.tv_sec, rt->cfg->nta_lifetime,
		rt->cfg->nta_max_lifetime, rt->cfg->recheck_interval);
	rt->ntas_dirty = 1;
	if(n->owner == ATA_OWNER_AUTONTA)
		rt->added_times[rt->added_next++ % (sizeof(rt->added_times)
			/ sizeof(rt->added_times[0]))] = a->done.tv_sec;
	ata_detector_reset(&rt->detector, n->zone);
	if((ev = ata_rt_event_now("nta_added"))) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "owner",
			json_string(ata_nta_owner_name(n->owner)));
		json_object_set_new(ev, "expires", ata_rt_time_json(n->expires));
		json_object_set_new(ev, "hard_expires",
			ata_rt_time_json(n->hard_expires));
		json_object_set_new(ev, "lifetime_s", json_integer(
			(json_int_t)(n->expires - n->added)));
		json_object_set_new(ev, "decision_to_effect_ms",
			json_integer(ms_between(&n->decided, &a->done)));
		json_object_set_new(ev, "flushed", flushed_json(a));
		json_object_update(ev, n->evidence);
		ata_rt_emit(rt, ev);
	}
}

static void
on_removed(struct ata_runtime* rt, struct ata_nta* n, struct ata_action* a)
{
	json_t* ev;
	if((ev = ata_rt_event_now("nta_lifted"))) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "reason", json_string(
			a->result == ATA_ACT_DONE ? n->lift_reason : "operator"));
		if(a->result != ATA_ACT_DONE)
			json_object_set_new(ev, "anchor", json_string(
				ata_action_result_name(a->result)));
		json_object_set_new(ev, "active_s",
			json_integer((json_int_t)(a->done.tv_sec - n->added)));
		json_object_set_new(ev, "rechecks", json_integer(n->rechecks));
		json_object_set_new(ev, "extensions",
			json_integer(n->extensions));
		json_object_set_new(ev, "flushed", flushed_json(a));
		if(n->lifted_by)
			json_object_set(ev, "by", n->lifted_by);
		ata_rt_emit(rt, ev);
	}
	ata_detector_reset(&rt->detector, n->zone);
	rt->ntas_dirty = 1;
	if(n->owner == ATA_OWNER_AUTONTA && n->lifted_by) {
		/* an operator said no: leave the zone alone for a while */
		n->state = ATA_NTA_COOLDOWN;
		n->operator_removed = 1;
		n->action_posted = 0;
		n->retry_after = a->done.tv_sec + rt->cfg->operator_cooldown;
		return;
	}
	ata_nta_delete(&rt->ntas, n);
}

static void
handle_action_results(struct ata_runtime* rt)
{
	struct ata_action* a = ata_actions_take_done(&rt->actions);
	while(a) {
		struct ata_action* next = a->next;
		struct ata_nta* n = ata_nta_find(&rt->ntas, a->zone);
		if(n && a->kind == ATA_ACT_ADD && n->state == ATA_NTA_ADDING)
			on_added(rt, n, a);
		else if(n && a->kind == ATA_ACT_REMOVE
			&& n->state == ATA_NTA_REMOVING)
			on_removed(rt, n, a);
		free(a);
		a = next;
	}
}

static void
handle_recheck_results(struct ata_runtime* rt)
{
	struct ata_recheck_result *l, *r;
	if(!rt->recheck)
		return;
	l = ata_recheck_take(rt->recheck);
	for(r = l; r; r = r->next) {
		struct ata_nta* n;
		json_t* ev;
		if(r->kind == ATA_CHECK_EVIDENCE) {
			on_evidence(rt, r);
			continue;
		}
		if(!(n = ata_nta_find(&rt->ntas, r->zone))
			|| n->state != ATA_NTA_ACTIVE)
			continue;
		n->recheck_inflight = 0;
		n->rechecks++;
		n->last_recheck = r->verdict;
		n->last_recheck_at = time(NULL);
		if((ev = ata_rt_event_now("nta_recheck"))) {
			ata_json_set_text(ev, "zone", n->zone);
			json_object_set_new(ev, "result", json_string(r->verdict));
			json_object_set_new(ev, "duration_ms", json_integer(r->ms));
			json_object_set_new(ev, "checks", json_incref(r->checks));
			ata_rt_emit(rt, ev);
		}
		/* a manual NTA lives its lifetime: the operator decided */
		if(n->state == ATA_NTA_ACTIVE && n->owner == ATA_OWNER_AUTONTA
			&& strcmp(r->verdict, "secure") == 0)
			ata_rt_lift(rt, n, "revalidated");
	}
	ata_recheck_result_free(l);
}

/**
 * An operator removed an active NTA of ours (unbound-control
 * insecure_remove): respect it, and leave the zone alone for
 * operator-cooldown.
 */
static void
removed_by_operator(struct ata_runtime* rt, struct ata_nta* n, time_t now,
	int kind)
{
	json_t* ev;
	n->state = ATA_NTA_COOLDOWN;
	n->operator_removed = 1;
	n->retry_after = now + rt->cfg->operator_cooldown;
	rt->ntas_dirty = 1;
	if((ev = ata_rt_event_now("nta_removed_by_operator"))) {
		ata_json_set_text(ev, "zone", n->zone);
		json_object_set_new(ev, "anchor", json_string(kind
			== ATA_ANCHOR_TA ? "trust-anchor" : "none"));
		json_object_set_new(ev, "active_s",
			json_integer((json_int_t)(now - n->added)));
		json_object_set_new(ev, "cooldown_until",
			ata_rt_time_json(n->retry_after));
		ata_rt_emit(rt, ev);
	}
}

/** Whether Unbound still holds our NTA at n's zone (1 when unknown). */
static int
still_in_tree(struct ata_runtime* rt, struct ata_nta* n, int* kind)
{
	if(!rt->host.anchor_at)
		return 1;
	*kind = rt->host.anchor_at(rt->host.anchor_arg, n->zone);
	return *kind == ATA_ANCHOR_NTA || *kind == ATA_ANCHOR_UNKNOWN;
}

static void
nta_timers(struct ata_runtime* rt)
{
	struct ata_nta *n, *next;
	time_t now = time(NULL);
	for(n = rt->ntas.head; n; n = next) {
		json_t* ev;
		int kind;
		next = n->next;
		if(n->state == ATA_NTA_COOLDOWN && now >= n->retry_after) {
			rt->ntas_dirty |= n->operator_removed;
			ata_nta_delete(&rt->ntas, n);
			continue;
		}
		if(n->state == ATA_NTA_CONFIRMING && n->evidence_again
			&& now >= n->evidence_again && rt->recheck) {
			n->evidence_again = 0;
			if(ata_recheck_submit(rt->recheck, ATA_CHECK_EVIDENCE,
				n->zone, n->names, n->types, n->nnames) != 0) {
				n->state = ATA_NTA_COOLDOWN;
				n->retry_after = now + rt->cfg->evidence_retry;
			}
		}
		if(n->state != ATA_NTA_ACTIVE)
			continue;
		if(!still_in_tree(rt, n, &kind)) {
			removed_by_operator(rt, n, now, kind);
			continue;
		}
		if(rt->recheck && !n->recheck_inflight
			&& now >= n->next_recheck) {
			if(ata_recheck_submit(rt->recheck, ATA_CHECK_RECHECK,
				n->zone, n->names, n->types, n->nnames) == 0)
				n->recheck_inflight = 1;
			n->next_recheck = now + rt->cfg->recheck_interval;
		}
		switch(ata_nta_expiry(n, now, rt->cfg->nta_lifetime)) {
		case ATA_NTA_KEEP:
			break;
		case ATA_NTA_EXTEND:
			rt->ntas_dirty = 1;
			if((ev = ata_rt_event_now("nta_extended"))) {
				ata_json_set_text(ev, "zone", n->zone);
				json_object_set_new(ev, "expires",
					ata_rt_time_json(n->expires));
				json_object_set_new(ev, "hard_expires",
					ata_rt_time_json(n->hard_expires));
				json_object_set_new(ev, "extensions",
					json_integer(n->extensions));
				json_object_set_new(ev, "last_recheck",
					json_string(n->last_recheck));
				ata_rt_emit(rt, ev);
			}
			break;
		case ATA_NTA_LIFT:
			ata_rt_lift(rt, n, "expired");
			break;
		}
	}
}

/** The records of the NTAs that must survive a restart (an array). */
static json_t*
nta_records(const struct ata_runtime* rt)
{
	json_t* arr = json_array();
	const struct ata_nta* n;
	json_t* rec;
	for(n = rt->ntas.head; arr && n; n = n->next)
		if((rec = ata_nta_record(n)))
			json_array_append_new(arr, rec);
	return arr;
}

/**
 * Save the state file (history and NTAs) if either changed; the history is
 * expired first. A failure is an event, once until a save succeeds or the
 * error changes.
 * @return 0 when saved or nothing to save, -1 on failure.
 */
static int
save_state(struct ata_runtime* rt)
{
	char err[600];
	json_t *ev, *extra;
	int r;
	if(rt->cfg->history_period)
		ata_history_expire(&rt->history, time(NULL)
			- (time_t)rt->cfg->history_period);
	if(!rt->cfg->state_file[0] || (!rt->history.dirty && !rt->ntas_dirty))
		return 0;
	rt->ntas_dirty = 0;
	/* a mode set at run time outlives reloads and restarts for as long
	 * as the configured mode it replaced stays the configured one */
	extra = json_pack("{so}", "ntas", nta_records(rt));
	if(extra && rt->mode_set)
		json_object_set_new(extra, "mode", json_pack("{sssssI}",
			"mode", rt->mode, "configured", rt->cfg->mode,
			"set", (json_int_t)rt->mode_set));
	r = ata_history_save(&rt->history, rt->cfg->state_file, extra, err,
		sizeof(err));
	json_decref(extra);
	if(r == 0) {
		rt->save_error[0] = 0;
		return 0;
	}
	rt->history.dirty = 0;	/* once per change, not every tick */
	if(strcmp(err, rt->save_error) != 0
		&& (ev = ata_rt_event_now("state_file_error"))) {
		snprintf(rt->save_error, sizeof(rt->save_error), "%s", err);
		json_object_set_new(ev, "file", ata_json_text(rt->cfg->state_file));
		json_object_set_new(ev, "error", ata_json_text(err));
		ata_rt_emit(rt, ev);
	}
	return r;
}

/**
 * The NTAs of the state file: re-apply the active ones that have not
 * expired (the validator rebuilt the anchor tree without them; one whose
 * end passed is extended later as usual if its last recheck was bogus),
 * keep the
 * operator cooldowns that still run. The adds are posted now; a worker
 * runs them before it handles its first query.
 */
static void
restore_ntas(struct ata_runtime* rt)
{
	struct ata_nta *n, *next;
	time_t now = time(NULL);
	const char* why;
	for(n = rt->ntas.head; n; n = next) {
		next = n->next;
		if(n->state == ATA_NTA_COOLDOWN) {
			if(now >= n->retry_after) {
				ata_nta_delete(&rt->ntas, n);
				rt->ntas_dirty = 1;
			}
			continue;
		}
		/* the expiry rule of a running NTA: past its end it lives on
		 * only while the last recheck found the zone still broken */
		if(now >= n->hard_expires || (now >= n->expires
			&& !(n->last_recheck
			&& strcmp(n->last_recheck, "bogus") == 0)))
			drop_restored(rt, n, "expired");
		else if((why = n->owner == ATA_OWNER_MANUAL
			? ata_policy_manual_refusal(rt->cfg, n->zone)
			: ata_policy_refusal(rt->cfg, n->zone)))
			drop_restored(rt, n, why);
		else
			ata_rt_post_action(rt, n);
	}
}

/**
 * The mode a control command set before this start: in force again unless
 * the configured mode changed since (then the configuration wins).
 */
static void
restore_mode(struct ata_runtime* rt, const json_t* rec)
{
	const char *mode = json_string_value(json_object_get(rec, "mode")),
		*conf = json_string_value(json_object_get(rec, "configured"));
	json_int_t set = json_integer_value(json_object_get(rec, "set"));
	json_t* ev;
	if(!rec || !mode || !conf || (strcmp(mode, "enforce") != 0
		&& strcmp(mode, "advise") != 0 && strcmp(mode, "approve") != 0))
		return;
	if(strcmp(conf, rt->cfg->mode) != 0) {
		if((ev = ata_rt_event_now("mode_override_dropped"))) {
			json_object_set_new(ev, "mode", json_string(mode));
			json_object_set_new(ev, "configured_then",
				json_string(conf));
			json_object_set_new(ev, "configured",
				json_string(rt->cfg->mode));
			ata_rt_emit(rt, ev);
		}
		rt->ntas_dirty = 1;	/* saved without it */
		return;
	}
	snprintf(rt->mode, sizeof(rt->mode), "%s", mode);
	rt->mode_set = set > 0 ? (time_t)set : time(NULL);
	if(strcmp(mode, conf) != 0 && (ev = ata_rt_event_now("mode_changed"))) {
		json_object_set_new(ev, "from", json_string(conf));
		json_object_set_new(ev, "to", json_string(mode));
		json_object_set_new(ev, "configured", json_string(conf));
		json_object_set_new(ev, "reason", json_string("restored"));
		json_object_set_new(ev, "set", ata_rt_time_json(rt->mode_set));
		ata_rt_emit(rt, ev);
	}
}

/**
 * Load the state file. A bad file (or a bad NTA record in it) is kept
 * aside as FILE.bad and autonta starts empty; Unbound keeps serving.
 */
static void
load_state(struct ata_runtime* rt)
{
	char err[600], aside[4200];
	json_t *ev, *extra = NULL, *ntas, *rec;
	size_t i = 0;
	if(!rt->cfg->state_file[0])
		return;
	if(ata_history_load(&rt->history, rt->cfg->state_file, &extra, err,
		sizeof(err)) == 0) {
		ntas = json_object_get(extra, "ntas");
		if(json_array_size(ntas) > ATA_NTA_MAX)
			snprintf(err, sizeof(err), "%zu NTA records (at most "
				"%d)", json_array_size(ntas), ATA_NTA_MAX);
		else json_array_foreach(ntas, i, rec) {
			struct ata_nta* n = ata_nta_from_record(&rt->ntas,
				rec, err, sizeof(err));
			if(!n)
				break;
			ata_nta_clamp(n, time(NULL), rt->cfg->nta_max_lifetime,
				n->rejected ? rt->cfg->approval_timeout
				: rt->cfg->operator_cooldown);
		}
		if(json_array_size(ntas) <= ATA_NTA_MAX
			&& i == json_array_size(ntas)) {
			restore_mode(rt, json_object_get(extra, "mode"));
			json_decref(extra);
			restore_ntas(rt);
			return;
		}
		ata_nta_table_clear(&rt->ntas);
	}
	json_decref(extra);
	ata_history_deinit(&rt->history);
	ata_history_init(&rt->history);
	snprintf(aside, sizeof(aside), "%s.bad", rt->cfg->state_file);
	if((ev = ata_rt_event_now("state_file_error"))) {
		json_object_set_new(ev, "file", ata_json_text(rt->cfg->state_file));
		json_object_set_new(ev, "error", ata_json_text(err));
		json_object_set_new(ev, "kept_as", rename(rt->cfg->state_file,
			aside) == 0 ? ata_json_text(aside) : json_null());
		ata_rt_emit(rt, ev);
	}
}

static void
flush_stats(struct ata_runtime* rt, uint64_t dropped)
{
	struct timespec now;
	json_t* arr = json_array();
	size_t i;
	now_real(&now);
	if(!arr)
		return;
	ata_zonestats_flush(&rt->stats, &now, dropped, arr);
	for(i = 0; i < json_array_size(arr); i++)
		ata_rt_emit(rt, json_incref(json_array_get(arr, i)));
	json_decref(arr);
}

static int
reached(const struct timespec* now, const struct timespec* t)
{
	return now->tv_sec > t->tv_sec || (now->tv_sec == t->tv_sec
		&& now->tv_nsec >= t->tv_nsec);
}

/** Show the NTAs in force to the workers, for EDE 33 (ede-nta). */
static void
publish_board(struct ata_runtime* rt)
{
	struct ata_board_entry e[ATA_BOARD_MAX];
	struct ata_nta* n;
	unsigned k = 0;
	if(!rt->cfg->ede_nta)
		return;
	for(n = rt->ntas.head; n && k < ATA_BOARD_MAX; n = n->next) {
		if(n->state != ATA_NTA_ACTIVE && n->state != ATA_NTA_REMOVING)
			continue;
		snprintf(e[k].zone, sizeof(e[k].zone), "%s", n->zone);
		e[k].end = n->expires;
		k++;
	}
	(void)ata_ntaboard_publish(&rt->board, e, k);
}

static void*
thread_main(void* arg)
{
	struct ata_runtime* rt = arg;
	struct timespec next_stats, mono, deadline;
	uint64_t dropped = 0;
	int stopping = 0, saved;
	unsigned kept = 0;
	struct ata_nta* n;
	json_t* ev;

	clock_gettime(CLOCK_MONOTONIC, &next_stats);
	next_stats.tv_sec += rt->cfg->stats_interval;
	while(!stopping) {
		struct ata_outcome* list;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_nsec += ATA_TICK_MS * 1000000L;
		if(deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		if(reached(&deadline, &next_stats))
			deadline = next_stats;
		list = ata_queue_take(&rt->queue, &deadline, &dropped,
			&stopping);
		process(rt, list);
		ata_outcome_list_free(list);
		handle_action_results(rt);
		handle_recheck_results(rt);
		nta_timers(rt);
		retry_actions(rt);
		check_approvals(rt);
		ata_commands_run(rt);
		publish_board(rt);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		if(rt->ntas_dirty || mono.tv_sec - rt->history_saved
			>= ATA_HISTORY_SAVE_S) {
			rt->history_saved = mono.tv_sec;
			(void)save_state(rt);
		}
		if(reached(&mono, &next_stats)) {
			flush_stats(rt, dropped);
			next_stats.tv_sec += rt->cfg->stats_interval;
			if(next_stats.tv_sec < mono.tv_sec)
				next_stats.tv_sec = mono.tv_sec
					+ rt->cfg->stats_interval;
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
	/* actions the workers finished since the last tick count, so that
	 * the state file saved below says what is in the anchor tree */
	handle_action_results(rt);
	ata_commands_stop(rt);
	flush_stats(rt, dropped);
	rt->ntas_dirty = 1;
	saved = rt->cfg->state_file[0] && save_state(rt) == 0;
	for(n = rt->ntas.head; n; n = n->next)
		kept += n->state == ATA_NTA_ACTIVE || n->state == ATA_NTA_ADDING;
	if((ev = ata_rt_event_now("module_stopped"))) {
		json_object_set_new(ev, "outcomes_processed",
			json_integer((json_int_t)rt->processed));
		json_object_set_new(ev, "queue_dropped_total",
			json_integer((json_int_t)dropped));
		json_object_set_new(ev, "events_failed",
			json_integer((json_int_t)rt->sink.failed));
		/* active NTAs go with the anchor tree; the state file
		 * brings them back at the next start */
		json_object_set_new(ev, "ntas_saved",
			json_integer(saved ? kept : 0));
		json_object_set_new(ev, "ntas_dropped",
			json_integer(saved ? 0 : kept));
		ata_rt_emit(rt, ev);
	}
	return NULL;
}

static void
emit_started(struct ata_runtime* rt)
{
	json_t* ev = ata_rt_event_now("module_started");
	if(!ev)
		return;
	json_object_set_new(ev, "version", json_string(AUTONTA_VERSION));
	json_object_set_new(ev, "unbound_version",
		ata_json_text(rt->host.unbound_version));
	json_object_set_new(ev, "pid", json_integer(getpid()));
	json_object_set_new(ev, "num_threads",
		json_integer(rt->host.num_threads));
	json_object_set_new(ev, "config_source", ata_json_text(rt->cfg->source));
	json_object_set_new(ev, "config", ata_config_to_json(rt->cfg));
	json_object_set_new(ev, "poke", rt->poke.addrlen
		? ata_json_text(rt->host.poke_host) : json_null());
	ata_rt_emit(rt, ev);
}

/** Requests that came in after autonta's thread answered its last. */
static void
free_jobs(struct ata_runtime* rt)
{
	struct ata_ctl_job* j;
	while((j = rt->jobs)) {
		rt->jobs = j->next;
		free(j);
	}
}

static void
wake_thread(void* arg)
{
	ata_queue_wake(&((struct ata_runtime*)arg)->queue);
}

struct ata_runtime*
ata_runtime_create(struct ata_config* cfg, const struct ata_host* host,
	char* err, size_t errlen)
{
	struct ata_runtime* rt = calloc(1, sizeof(*rt));
	struct ata_detector_params dp;
	struct timespec now;
	int r;

	if(!rt) {
		snprintf(err, errlen, "out of memory");
		ata_config_delete(cfg);
		return NULL;
	}
	rt->cfg = cfg;
	now_real(&rt->started);
	snprintf(rt->mode, sizeof(rt->mode), "%s", cfg->mode);
	rt->host = *host;
	snprintf(rt->poke_host, sizeof(rt->poke_host), "%s",
		host->poke_host ? host->poke_host : "");
	rt->host.poke_host = rt->poke_host;
	rt->host.recheck.root_hints = rt->host.recheck.anchor_files = NULL;
	rt->host.recheck.anchors = rt->host.recheck.outgoing = NULL;
	now_real(&now);
	dp.window = cfg->detect_window;
	dp.min_bogus = cfg->detect_min_bogus;
	dp.min_children = cfg->detect_min_children;
	dp.min_percent = cfg->detect_min_percent;
	dp.max_zones = cfg->detect_max_zones;
	pthread_mutex_init(&rt->jobs_lock, NULL);
	ata_zonelog_init(&rt->zonelog);
	ata_ntaboard_init(&rt->board);
	if(!(rt->event_counts = json_object())) {
		snprintf(err, errlen, "out of memory");
		goto fail_cfg;
	}
	if(ata_sink_open(&rt->sink, cfg->log_file, cfg->log_stderr, err,
		errlen) != 0)
		goto fail_cfg;
	if(cfg->log_syslog && ata_sink_syslog(&rt->sink, cfg->syslog_socket,
		ata_syslog_facility(cfg->syslog_facility), err, errlen) != 0)
		goto fail_sink;
	if(ata_queue_init(&rt->queue, cfg->queue_limit) != 0) {
		snprintf(err, errlen, "cannot initialise autonta's queue");
		goto fail_sink;
	}
	if(ata_actions_init(&rt->actions) != 0) {
		snprintf(err, errlen, "cannot initialise autonta's actions");
		ata_queue_deinit(&rt->queue);
		goto fail_sink;
	}
	if(ata_zonestats_init(&rt->stats, cfg->max_zones, &now) != 0
		|| ata_blame_init(&rt->blame) != 0
		|| ata_history_init(&rt->history) != 0
		|| ata_detector_init(&rt->detector, &dp) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail_tables;
	}
	/* without a poke address, actions wait for client traffic */
	(void)ata_poke_init(&rt->poke, host->poke_host, host->poke_port);
	if(!host->no_recheck) {
		struct ata_recheck_setup setup = host->recheck;
		setup.timeout = cfg->recheck_timeout;
		if(!(rt->recheck = ata_recheck_create(&setup, wake_thread, rt,
			err, errlen)))
			goto fail_tables;
	}
	if(cfg->control_socket[0] && !(rt->control = ata_control_create(
		cfg->control_socket, ata_commands_submit, rt, err, errlen)))
		goto fail_recheck;
	publish_mem(rt);
	emit_started(rt);
	load_state(rt);
	if((r = ata_thread_start(&rt->thread, thread_main, rt)) != 0) {
		snprintf(err, errlen, "cannot start autonta's thread: %s",
			strerror(r));
		goto fail_control;
	}
	return rt;

fail_control:
	ata_control_delete(rt->control);
	free_jobs(rt);
	ata_nta_table_clear(&rt->ntas);
fail_recheck:
	ata_recheck_delete(rt->recheck);
fail_tables:
	ata_detector_deinit(&rt->detector);
	ata_history_deinit(&rt->history);
	ata_blame_deinit(&rt->blame);
	ata_zonestats_deinit(&rt->stats);
	ata_actions_deinit(&rt->actions);
	ata_queue_deinit(&rt->queue);
fail_sink:
	ata_sink_close(&rt->sink);
fail_cfg:
	json_decref(rt->event_counts);
	ata_zonelog_deinit(&rt->zonelog);
	ata_ntaboard_deinit(&rt->board);
	pthread_mutex_destroy(&rt->jobs_lock);
	ata_config_delete(cfg);
	free(rt);
	return NULL;
}

void
ata_runtime_observe(struct ata_runtime* rt, struct ata_outcome* o)
{
	ata_queue_push(&rt->queue, o);
}

struct ata_ntaboard*
ata_runtime_board(struct ata_runtime* rt)
{
	return &rt->board;
}

struct ata_actions*
ata_runtime_actions(struct ata_runtime* rt)
{
	return &rt->actions;
}

const char*
ata_runtime_poke_token(const struct ata_runtime* rt)
{
	return rt->poke.token;
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
	ata_control_refuse(rt->control);
	ata_queue_stop(&rt->queue);
	pthread_join(rt->thread, NULL);
	/* its connections are closed; the socket file is removed */
	ata_control_delete(rt->control);
	free_jobs(rt);
	/* a recheck under way is abandoned within a poll interval */
	ata_recheck_delete(rt->recheck);
	ata_nta_table_clear(&rt->ntas);
	ata_detector_deinit(&rt->detector);
	ata_history_deinit(&rt->history);
	ata_blame_deinit(&rt->blame);
	ata_zonestats_deinit(&rt->stats);
	ata_actions_deinit(&rt->actions);
	ata_queue_deinit(&rt->queue);
	ata_sink_close(&rt->sink);
	json_decref(rt->event_counts);
	ata_zonelog_deinit(&rt->zonelog);
	ata_ntaboard_deinit(&rt->board);
	pthread_mutex_destroy(&rt->jobs_lock);
	ata_config_delete(rt->cfg);
	free(rt);
}
