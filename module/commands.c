/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The control commands (autonta-control), run on autonta's thread, which
 * owns everything they read and change. The control thread parses a
 * request and hands it over (ata_commands_submit); this file answers it
 * at once, or, for the commands that change Unbound's anchor tree (add,
 * remove, approve), once a worker has run the action, so that a reply of
 * "ok" means the change is in force.
 */
#include "commands.h"

#include "cfgfile.h"
#include "control.h"
#include "ctlproto.h"
#include "event.h"
#include "policy.h"
#include "runtime_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AUTONTA_VERSION
#define AUTONTA_VERSION "unknown"
#endif

/** Seconds a command waits for a worker to run its action. */
#define ATA_CMD_WAIT_S 10

static long long
mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec;
}

void
ata_commands_submit(void* arg, struct ata_ctl_job* job)
{
	struct ata_runtime* rt = arg;
	pthread_mutex_lock(&rt->jobs_lock);
	job->next = rt->jobs;
	rt->jobs = job;
	pthread_mutex_unlock(&rt->jobs_lock);
	ata_queue_wake(&rt->queue);
}

/** A reply object for the job's command. */
static json_t*
reply_new(const struct ata_ctl_job* job)
{
	return json_pack("{sisbss}", "version", ATA_CTL_VERSION, "ok", 1,
		"command", ata_ctl_command(job->req.cmd)->name);
}

/** Send the reply (NULL: out of memory) and free the job. */
static void
answer(struct ata_runtime* rt, struct ata_ctl_job* job, json_t* reply)
{
	char* line = reply ? json_dumps(reply, JSON_COMPACT
		| JSON_ENSURE_ASCII) : NULL;
	if(!line)
		line = ata_ctl_error_line(ata_ctl_command(job->req.cmd)->name,
			ATA_CTL_E_FAILED, "out of memory");
	if(rt->control)
		ata_control_reply(rt->control, job->conn, line);
	free(line);
	json_decref(reply);
	free(job);
}

/** Answer with an error and free the job. */
static void
answer_error(struct ata_runtime* rt, struct ata_ctl_job* job,
	const char* code, const char* fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
answer_error(struct ata_runtime* rt, struct ata_ctl_job* job,
	const char* code, const char* fmt, ...)
{
	char msg[600], *line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line = ata_ctl_error_line(ata_ctl_command(job->req.cmd)->name, code,
		msg);
	if(rt->control && line)
		ata_control_reply(rt->control, job->conn, line);
	free(line);
	free(job);
}

/** Who sent a request, for events and records. */
static json_t*
requester(const struct ata_ctl_job* job)
{
	return json_pack("{sssIsI}", "via", "autonta-control", "uid",
		(json_int_t)job->uid, "pid", (json_int_t)job->pid);
}

/** A short summary of an NTA's evidence (for list). */
static json_t*
evidence_summary(const struct ata_nta* n)
{
	json_t *e = n->evidence, *conf = json_object_get(e, "confirmation"),
		*servers = json_object_get(conf, "servers"), *s, *sum;
	size_t i, bogus = 0;
	int match = 0;
	if(json_object_get(e, "manual"))
		return json_pack("{sO}", "manual", json_object_get(e,
			"manual"));
	sum = json_pack("{sOsOsO}", "bogus", json_object_get(e, "bogus")
		? json_object_get(e, "bogus") : json_null(),
		"total", json_object_get(e, "total") ? json_object_get(e,
		"total") : json_null(), "distinct_children",
		json_object_get(e, "distinct_children") ? json_object_get(e,
		"distinct_children") : json_null());
	if(!sum || !json_is_array(servers))
		return sum;
	json_array_foreach(servers, i, s) {
		const char* v = json_string_value(json_object_get(s,
			"verdict"));
		bogus += v && strcmp(v, "bogus") == 0;
		match |= json_is_true(json_object_get(s, "dnskey_matches_ds"));
	}
	json_object_set_new(sum, "servers", json_integer(
		(json_int_t)json_array_size(servers)));
	json_object_set_new(sum, "servers_bogus", json_integer(
		(json_int_t)bogus));
	json_object_set_new(sum, "dnskey_matches_ds", json_boolean(match));
	return sum;
}

/** An NTA as list and show report it. */
static json_t*
nta_entry(const struct ata_nta* n, time_t now, int full)
{
	json_t* e = json_pack("{ssssssso}", "zone", n->zone, "state",
		ata_nta_state_name(n->state), "owner",
		ata_nta_owner_name(n->owner), "decided",
		ata_rt_time_json(n->decided.tv_sec));
	if(!e)
		return NULL;
	if(n->state == ATA_NTA_ACTIVE || n->state == ATA_NTA_REMOVING) {
		json_object_set_new(e, "added", ata_rt_time_json(n->added));
		json_object_set_new(e, "age_s", json_integer(
			(json_int_t)(now - n->added)));
		json_object_set_new(e, "expires", ata_rt_time_json(
			n->expires));
		json_object_set_new(e, "remaining_s", json_integer(
			n->expires > now ? (json_int_t)(n->expires - now) : 0));
		json_object_set_new(e, "hard_expires", ata_rt_time_json(
			n->hard_expires));
		json_object_set_new(e, "rechecks", json_integer(n->rechecks));
		json_object_set_new(e, "extensions",
			json_integer(n->extensions));
		json_object_set_new(e, "last_recheck", n->last_recheck
			? json_pack("{ssso}", "result", n->last_recheck,
			"time", ata_rt_time_json(n->last_recheck_at))
			: json_null());
	}
	if(n->state == ATA_NTA_AWAITING) {
		json_object_set_new(e, "id", json_string(n->rec_id));
		json_object_set_new(e, "approve_by", ata_rt_time_json(
			n->approve_by));
	}
	if(n->state == ATA_NTA_COOLDOWN) {
		json_object_set_new(e, "until", ata_rt_time_json(
			n->retry_after));
		json_object_set_new(e, "operator_removed",
			json_boolean(n->operator_removed));
	}
	json_object_set_new(e, "evidence", full && n->evidence
		? json_incref(n->evidence) : evidence_summary(n));
	return e;
}

static const char*
anchor_name(int kind)
{
	switch(kind) {
	case ATA_ANCHOR_NONE: return "none";
	case ATA_ANCHOR_NTA: return "insecure";
	case ATA_ANCHOR_TA: return "trust-anchor";
	}
	return "unknown";
}

/** What Unbound's anchor tree holds at zone. */
static int
anchor_at(struct ata_runtime* rt, const char* zone)
{
	return rt->host.anchor_at ? rt->host.anchor_at(rt->host.anchor_arg,
		zone) : ATA_ANCHOR_UNKNOWN;
}

static void
cmd_status(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	json_t* r = reply_new(job);
	struct timespec now;
	const struct ata_nta* n;
	unsigned active = 0, awaiting = 0, pending = 0;
	clock_gettime(CLOCK_REALTIME, &now);
	for(n = rt->ntas.head; n; n = n->next) {
		active += n->state == ATA_NTA_ACTIVE;
		awaiting += n->state == ATA_NTA_AWAITING;
		pending += n->state == ATA_NTA_CONFIRMING
			|| n->state == ATA_NTA_ADDING
			|| n->state == ATA_NTA_REMOVING;
	}
	if(r) {
		json_object_set_new(r, "autonta_version",
			json_string(AUTONTA_VERSION));
		json_object_set_new(r, "unbound_version",
			ata_json_text(rt->host.unbound_version));
		json_object_set_new(r, "pid", json_integer(getpid()));
		json_object_set_new(r, "started",
			ata_rt_time_json(rt->started.tv_sec));
		json_object_set_new(r, "uptime_s", json_integer(
			(json_int_t)(now.tv_sec - rt->started.tv_sec)));
		json_object_set_new(r, "mode", json_string(rt->mode));
		json_object_set_new(r, "configured_mode",
			json_string(rt->cfg->mode));
		json_object_set_new(r, "mode_set", rt->mode_set
			? ata_rt_time_json(rt->mode_set) : json_null());
		json_object_set_new(r, "config_source",
			ata_json_text(rt->cfg->source));
		json_object_set_new(r, "log_file",
			ata_json_text(rt->cfg->log_file));
		json_object_set_new(r, "state_file",
			ata_json_text(rt->cfg->state_file));
		json_object_set_new(r, "ntas_active", json_integer(active));
		json_object_set_new(r, "ntas_pending", json_integer(pending));
		json_object_set_new(r, "awaiting_approval",
			json_integer(awaiting));
		json_object_set_new(r, "max_ntas",
			json_integer(rt->cfg->max_ntas));
		json_object_set_new(r, "recheck", json_boolean(
			rt->recheck != NULL));
		json_object_set_new(r, "poke", rt->poke.addrlen
			? ata_json_text(rt->host.poke_host) : json_null());
		json_object_set_new(r, "last_save_error", rt->save_error[0]
			? ata_json_text(rt->save_error) : json_null());
	}
	answer(rt, job, r);
}

static void
cmd_list(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	json_t *r = reply_new(job), *arr = json_array();
	const struct ata_nta* n;
	time_t now = time(NULL);
	for(n = rt->ntas.head; arr && n; n = n->next)
		json_array_append_new(arr, nta_entry(n, now, 0));
	if(r && arr)
		json_object_set_new(r, "ntas", arr);
	else {
		json_decref(r);
		json_decref(arr);
		r = NULL;
	}
	answer(rt, job, r);
}

static void
cmd_show(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	json_t *r = reply_new(job), *events;
	const struct ata_nta* n = ata_nta_find(&rt->ntas, job->req.zone);
	time_t last = ata_history_last_secure(&rt->history, job->req.zone);
	if(r) {
		json_object_set_new(r, "zone", json_string(job->req.zone));
		json_object_set_new(r, "nta", n ? nta_entry(n, time(NULL), 1)
			: json_null());
		json_object_set_new(r, "unbound_anchor", json_string(
			anchor_name(anchor_at(rt, job->req.zone))));
		json_object_set_new(r, "last_secure", last
			? ata_rt_time_json(last) : json_null());
		events = ata_zonelog_get(&rt->zonelog, job->req.zone);
		json_object_set_new(r, "events", events
			? json_deep_copy(events) : json_array());
	}
	answer(rt, job, r);
}

/** Keep the job until its action is done (see check_waiting). */
static void
wait_for_action(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	job->deadline = mono_now() + ATA_CMD_WAIT_S;
	job->next = rt->waiting;
	rt->waiting = job;
}

static void
cmd_add(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	const char* zone = job->req.zone;
	struct ata_nta* n = ata_nta_find(&rt->ntas, zone);
	unsigned lifetime = job->req.lifetime ? job->req.lifetime
		: rt->cfg->nta_lifetime;
	const char* why;
	struct timespec now;
	json_t* by;
	int kind;
	if(n && (n->state == ATA_NTA_ADDING || n->state == ATA_NTA_ACTIVE
		|| n->state == ATA_NTA_REMOVING)) {
		answer_error(rt, job, ATA_CTL_E_REFUSED, "autonta already has "
			"an NTA for %s (%s)", zone,
			ata_nta_state_name(n->state));
		return;
	}
	if(!n && rt->ntas.count >= ATA_NTA_MAX) {
		answer_error(rt, job, ATA_CTL_E_REFUSED, "autonta holds %u "
			"zones already (NTAs, zones being confirmed or cooling "
			"down); at most %d", rt->ntas.count, ATA_NTA_MAX);
		return;
	}
	if((why = ata_policy_manual_refusal(rt->cfg, zone))) {
		answer_error(rt, job, ATA_CTL_E_REFUSED, "no NTA for %s: %s",
			zone, strcmp(why, "root") == 0 ? "never for the root"
			: "it is in protected-zones");
		return;
	}
	if(lifetime < 60 || lifetime > rt->cfg->nta_max_lifetime) {
		answer_error(rt, job, ATA_CTL_E_USAGE, "a lifetime of %u s: "
			"it must be 60 s to nta-max-lifetime (%u s)", lifetime,
			rt->cfg->nta_max_lifetime);
		return;
	}
	kind = anchor_at(rt, zone);
	if(kind == ATA_ANCHOR_NTA || kind == ATA_ANCHOR_TA) {
		answer_error(rt, job, ATA_CTL_E_NOT_OURS, "Unbound already "
			"has %s at %s (not autonta's)", kind == ATA_ANCHOR_NTA
			? "an NTA (domain-insecure or insecure_add)"
			: "a trust anchor", zone);
		return;
	}
	if(n)	/* being confirmed, awaiting approval or cooling down */
		ata_nta_delete(&rt->ntas, n);
	clock_gettime(CLOCK_REALTIME, &now);
	by = requester(job);
	n = ata_nta_new_manual(&rt->ntas, zone, &now, lifetime, by);
	json_decref(by);
	if(!n) {
		answer_error(rt, job, ATA_CTL_E_FAILED, "out of memory");
		return;
	}
	ata_rt_post_action(rt, n);
	wait_for_action(rt, job);
}

static void
cmd_remove(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	const char* zone = job->req.zone;
	struct ata_nta* n = ata_nta_find(&rt->ntas, zone);
	time_t now = time(NULL);
	json_t* ev;
	if(!n || n->state == ATA_NTA_COOLDOWN) {
		if(anchor_at(rt, zone) == ATA_ANCHOR_NTA)
			answer_error(rt, job, ATA_CTL_E_NOT_OURS, "the NTA at "
				"%s is not autonta's (domain-insecure or "
				"insecure_add): remove it with unbound-control "
				"insecure_remove", zone);
		else
			answer_error(rt, job, ATA_CTL_E_NOT_FOUND, "autonta "
				"has no NTA for %s", zone);
		return;
	}
	switch(n->state) {
	case ATA_NTA_ACTIVE:
		json_decref(n->lifted_by);
		n->lifted_by = requester(job);
		/* kept in the state file from now on (see ata_nta_record) */
		n->retry_after = time(NULL) + rt->cfg->operator_cooldown;
		rt->ntas_dirty = 1;
		ata_rt_lift(rt, n, "control");
		/* fall through */
	case ATA_NTA_REMOVING:
		wait_for_action(rt, job);
		return;
	case ATA_NTA_ADDING:
		answer_error(rt, job, ATA_CTL_E_REFUSED, "the NTA for %s is "
			"being added; try again in a moment", zone);
		return;
	default:	/* confirming or awaiting approval: call it off */
		if((ev = ata_rt_event_now("nta_cancelled"))) {
			ata_json_set_text(ev, "zone", zone);
			json_object_set_new(ev, "state", json_string(
				ata_nta_state_name(n->state)));
			json_object_set_new(ev, "by", requester(job));
			json_object_set_new(ev, "cooldown_until",
				ata_rt_time_json(now
				+ rt->cfg->operator_cooldown));
			ata_rt_emit(rt, ev);
		}
		n->state = ATA_NTA_COOLDOWN;
		n->operator_removed = 1;
		n->retry_after = now + rt->cfg->operator_cooldown;
		rt->ntas_dirty = 1;
		answer(rt, job, reply_new(job));
		return;
	}
}

/** The recommendation approve/reject names, or NULL after an answer. */
static struct ata_nta*
recommendation(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	struct ata_nta* n = ata_nta_find(&rt->ntas, job->req.zone);
	if(!n || n->state != ATA_NTA_AWAITING) {
		answer_error(rt, job, ATA_CTL_E_NOT_FOUND, "no recommendation "
			"for %s is awaiting approval", job->req.zone);
		return NULL;
	}
	if(job->req.word[0] && strcmp(job->req.word, n->rec_id) != 0) {
		answer_error(rt, job, ATA_CTL_E_NOT_FOUND, "recommendation %s "
			"is not the one awaiting approval for %s (that is %s)",
			job->req.word, n->zone, n->rec_id);
		return NULL;
	}
	return n;
}

static void
cmd_approve(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	struct ata_nta* n = recommendation(rt, job);
	json_t* by;
	if(!n)
		return;
	by = requester(job);
	ata_rt_emit_recommendation(rt, "nta_approved", n, by);
	json_decref(by);
	n->state = ATA_NTA_ADDING;
	ata_rt_post_action(rt, n);
	wait_for_action(rt, job);
}

static void
cmd_reject(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	struct ata_nta* n = recommendation(rt, job);
	json_t* by;
	if(!n)
		return;
	by = requester(job);
	ata_rt_emit_recommendation(rt, "nta_rejected", n, by);
	json_decref(by);
	ata_nta_reject(n, time(NULL), rt->cfg->approval_timeout);
	rt->ntas_dirty = 1;
	answer(rt, job, reply_new(job));
}

static void
cmd_mode(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	json_t *r, *ev;
	char from[sizeof(rt->mode)];
	snprintf(from, sizeof(from), "%s", rt->mode);
	if(strcmp(from, job->req.word) != 0) {
		snprintf(rt->mode, sizeof(rt->mode), "%s", job->req.word);
		rt->mode_set = time(NULL);
		rt->ntas_dirty = 1;	/* saved with the state */
		if((ev = ata_rt_event_now("mode_changed"))) {
			json_object_set_new(ev, "from", json_string(from));
			json_object_set_new(ev, "to", json_string(rt->mode));
			json_object_set_new(ev, "configured",
				json_string(rt->cfg->mode));
			json_object_set_new(ev, "reason",
				json_string("control"));
			json_object_set_new(ev, "by", requester(job));
			ata_rt_emit(rt, ev);
		}
	}
	if((r = reply_new(job))) {
		json_object_set_new(r, "from", json_string(from));
		json_object_set_new(r, "mode", json_string(rt->mode));
	}
	answer(rt, job, r);
}

static void
cmd_stats(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	json_t *r = reply_new(job), *states = json_object();
	const struct ata_nta* n;
	uint64_t dropped;
	size_t queued;
	pthread_mutex_lock(&rt->queue.lock);
	dropped = rt->queue.dropped;
	queued = rt->queue.count;
	pthread_mutex_unlock(&rt->queue.lock);
	for(n = rt->ntas.head; states && n; n = n->next) {
		const char* s = ata_nta_state_name(n->state);
		json_object_set_new(states, s, json_integer(json_integer_value(
			json_object_get(states, s)) + 1));
	}
	if(r && states) {
		json_object_set_new(r, "outcomes_processed",
			json_integer((json_int_t)rt->processed));
		json_object_set_new(r, "queue_length",
			json_integer((json_int_t)queued));
		json_object_set_new(r, "queue_dropped",
			json_integer((json_int_t)dropped));
		json_object_set_new(r, "events_written",
			json_integer((json_int_t)rt->sink.written));
		json_object_set_new(r, "events_failed",
			json_integer((json_int_t)rt->sink.failed));
		json_object_set_new(r, "syslog_failed",
			json_integer((json_int_t)rt->sink.syslog_failed));
		json_object_set_new(r, "events", json_deep_copy(
			rt->event_counts));
		json_object_set_new(r, "ntas", states);
		json_object_set_new(r, "history_zones", json_integer(
			(json_int_t)ata_history_count(&rt->history)));
		json_object_set_new(r, "memory_bytes", json_integer(
			(json_int_t)atomic_load(&rt->mem)));
		states = NULL;
	} else {
		json_decref(r);
		r = NULL;
	}
	json_decref(states);
	answer(rt, job, r);
}

static void
cmd_reopen_log(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	char err[600];
	json_t* ev;
	if(ata_sink_reopen(&rt->sink, err, sizeof(err)) != 0) {
		answer_error(rt, job, ATA_CTL_E_FAILED, "%s (still writing to "
			"the file open before)", err);
		return;
	}
	if((ev = ata_rt_event_now("log_reopened"))) {
		json_object_set_new(ev, "file", ata_json_text(
			rt->cfg->log_file));
		json_object_set_new(ev, "by", requester(job));
		ata_rt_emit(rt, ev);
	}
	answer(rt, job, reply_new(job));
}

static void
run(struct ata_runtime* rt, struct ata_ctl_job* job)
{
	switch(job->req.cmd) {
	case ATA_CTL_STATUS: cmd_status(rt, job); return;
	case ATA_CTL_LIST: cmd_list(rt, job); return;
	case ATA_CTL_SHOW: cmd_show(rt, job); return;
	case ATA_CTL_ADD: cmd_add(rt, job); return;
	case ATA_CTL_REMOVE: cmd_remove(rt, job); return;
	case ATA_CTL_APPROVE: cmd_approve(rt, job); return;
	case ATA_CTL_REJECT: cmd_reject(rt, job); return;
	case ATA_CTL_MODE: cmd_mode(rt, job); return;
	case ATA_CTL_STATS: cmd_stats(rt, job); return;
	case ATA_CTL_REOPEN_LOG: cmd_reopen_log(rt, job); return;
	case ATA_CTL_NCMDS: break;
	}
	answer_error(rt, job, ATA_CTL_E_USAGE, "unknown command");
}

/**
 * Whether a waiting job's action is done; if so it is answered. Add and
 * approve wait for the NTA to be active, remove for it to be gone.
 */
static int
settle(struct ata_runtime* rt, struct ata_ctl_job* job, long long now)
{
	struct ata_nta* n = ata_nta_find(&rt->ntas, job->req.zone);
	json_t *r, *events, *last;
	const char* reason;
	if(job->req.cmd == ATA_CTL_REMOVE) {
		if(n && n->state == ATA_NTA_REMOVING)
			goto pending;
		answer(rt, job, reply_new(job));
		return 1;
	}
	if(n && n->state == ATA_NTA_ADDING)
		goto pending;
	if(n && n->state == ATA_NTA_ACTIVE) {
		if((r = reply_new(job)))
			json_object_set_new(r, "nta", nta_entry(n, time(NULL),
				0));
		answer(rt, job, r);
		return 1;
	}
	/* refused by the worker: the zone's last event says why */
	events = ata_zonelog_get(&rt->zonelog, job->req.zone);
	last = json_array_get(events, json_array_size(events) - 1);
	reason = json_string_value(json_object_get(last, "reason"));
	answer_error(rt, job, ATA_CTL_E_FAILED, "the NTA for %s was not "
		"installed%s%s", job->req.zone, reason ? ": " : "",
		reason ? reason : "");
	return 1;
pending:
	if(now < job->deadline)
		return 0;
	answer_error(rt, job, ATA_CTL_E_FAILED, "no Unbound worker ran the "
		"action for %s within %d s (is Unbound taking queries?); it "
		"stays posted: see 'list'", job->req.zone, ATA_CMD_WAIT_S);
	return 1;
}

void
ata_commands_run(struct ata_runtime* rt)
{
	struct ata_ctl_job *jobs, *j, **pp;
	long long now = mono_now();
	pthread_mutex_lock(&rt->jobs_lock);
	jobs = rt->jobs;
	rt->jobs = NULL;
	pthread_mutex_unlock(&rt->jobs_lock);
	for(pp = &rt->waiting; (j = *pp);) {
		struct ata_ctl_job* next = j->next;
		if(settle(rt, j, now))
			*pp = next;	/* answered and freed */
		else
			pp = &j->next;
	}
	{	/* oldest first: the list is newest first */
		struct ata_ctl_job* rev = NULL;
		while((j = jobs)) {
			jobs = j->next;
			j->next = rev;
			rev = j;
		}
		jobs = rev;
	}
	while((j = jobs)) {
		jobs = j->next;
		j->next = NULL;
		run(rt, j);
	}
}

void
ata_commands_stop(struct ata_runtime* rt)
{
	struct ata_ctl_job *j, *list;
	pthread_mutex_lock(&rt->jobs_lock);
	list = rt->jobs;
	rt->jobs = NULL;
	pthread_mutex_unlock(&rt->jobs_lock);
	while((j = list)) {
		list = j->next;
		answer_error(rt, j, ATA_CTL_E_STOPPING, "autonta is stopping "
			"(Unbound reloads or exits)");
	}
	while((j = rt->waiting)) {
		rt->waiting = j->next;
		answer_error(rt, j, ATA_CTL_E_STOPPING, "autonta is stopping "
			"(Unbound reloads or exits) before the action for %s was "
			"done", j->req.zone);
	}
}
