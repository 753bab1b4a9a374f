/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Adapter to Unbound's internal API (read against Unbound 1.17.1 as patched
 * by Debian; see ../shared/notes/unbound-internals.md in the project's
 * history for the facts it relies on).
 *
 * Attribution -- which zone is to blame for a bogus answer -- is decided
 * here, because only the validator's per-query state can tell it exactly:
 *  - a bad key entry X whose DS was validated in this query (vq->ds_rrset
 *    owned by X) failed at the DNSKEY step: X's own keys are wrong;
 *  - X equal to the trust anchor: the anchor failed;
 *  - otherwise the DS step failed (or the bad entry came from the key
 *    cache): the DS RRset of X in the rrset cache tells which --
 *    secure means X's DNSKEY step failed earlier, bogus means the parent's
 *    signature over X's DS failed and its signer is to blame; with no DS
 *    RRset (a failed denial proof, or an expired entry) the closest
 *    enclosing key entry above X is the best guess, which autonta's
 *    thread replaces by the remembered exact attribution (blame.c);
 *  - good keys but a bogus answer: the signer of the answer.
 */
#include "config.h"
#include "util/module.h"
#include "util/log.h"
#include "util/data/dname.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/config_file.h"
#include "services/mesh.h"
#include "services/modstack.h"
#include "services/cache/rrset.h"
#include "services/cache/dns.h"
#include "util/net_help.h"
#include "validator/validator.h"
#include "validator/val_kentry.h"
#include "validator/val_kcache.h"
#include "validator/val_utils.h"
#include "dynlibmod/dynlibmod.h"
#include "sldns/rrdef.h"

#include "validator/val_anchor.h"
#include "iterator/iterator.h"
#include "iterator/iter_delegpt.h"
#include "sldns/str2wire.h"
#include "util/storage/slabhash.h"

#include "actions.h"
#include "adapter.h"
#include "ntaboard.h"
#include "outcome.h"
#include "poke.h"
#include "runtime.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/** Reason texts taken per second when not every one is wanted. */
#define ATA_REASONS_PER_SECOND 16

/** The servfail callback's user function (one module instance at a time). */
struct ata_servfail_watch {
	ata_outcome_fn fn;
	void* arg;
};
static struct ata_servfail_watch watch;

/** Wire name to lower-case presentation name. */
static void
name_str(uint8_t* dname, char* out)
{
	char* p;
	dname_str(dname, out);
	for(p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static enum ata_sec
sec_of(enum sec_status s)
{
	switch(s) {
	case sec_status_unchecked:	return ATA_SEC_UNCHECKED;
	case sec_status_bogus:		return ATA_SEC_BOGUS;
	case sec_status_indeterminate:	return ATA_SEC_INDETERMINATE;
	case sec_status_insecure:	return ATA_SEC_INSECURE;
	case sec_status_secure:		return ATA_SEC_SECURE;
	/* a root-key-sentinel answer made to fail on purpose (RFC 8509):
	 * it validated, and any client can ask for one */
	case sec_status_secure_sentinel_fail:	return ATA_SEC_SECURE;
	}
	return ATA_SEC_UNCHECKED;
}

/**
 * Best guess for the zone that signed name's DS or its denial: the closest
 * enclosing unexpired key entry strictly above name. When that walk ends
 * at the root although name is below a TLD (the TLD's entry expired, or
 * was flushed by an NTA while this query was in flight), the TLD is the
 * safer answer: its keys must have validated for the chain to reach name.
 */
static void
blame_parent_key(struct module_qstate* qstate, struct val_env* ve,
	uint8_t* name, size_t len, uint16_t qclass, struct ata_outcome* o)
{
	struct key_entry_key* k;
	uint8_t* tld = name;
	size_t tldlen = len;
	if(dname_is_root(name))
		return;
	while(dname_count_labels(tld) > 2)
		dname_remove_label(&tld, &tldlen);
	dname_remove_label(&name, &len);
	k = key_cache_obtain(ve->kcache, name, len, qclass, qstate->region,
		*qstate->env->now);
	if(k && (!dname_is_root(k->name) || dname_is_root(name)))
		name_str(k->name, o->zone);
	else if(dname_is_root(name))
		name_str(name, o->zone);	/* a TLD's DS: the root */
	else
		name_str(tld, o->zone);
}

/**
 * The DS step of the chain failed at X (or the bad entry came from the key
 * cache). The rrset cache's DS RRset of X tells which step: secure means
 * X's own DNSKEY step failed (earlier); bogus means the DS failed. The
 * zone to blame for a DS failure is the one whose key verified the DS:
 * the closest key entry above X -- not the RRSIG's signer name, which the
 * party serving the RRset can write as it likes.
 */
static void
blame_from_cached_ds(struct module_qstate* qstate, struct val_env* ve,
	struct key_entry_key* ke, struct ata_outcome* o)
{
	struct ub_packed_rrset_key* ds = rrset_cache_lookup(
		qstate->env->rrset_cache, ke->name, ke->namelen,
		LDNS_RR_TYPE_DS, ke->key_class, 0, *qstate->env->now, 0);
	enum sec_status sec = sec_status_unchecked;
	if(ds) {
		sec = ((struct packed_rrset_data*)ds->entry.data)->security;
		lock_rw_unlock(&ds->entry.lock);
	}
	if(sec == sec_status_secure) {
		o->step = ATA_STEP_DNSKEY;
		name_str(ke->name, o->zone);
		return;
	}
	o->step = sec == sec_status_bogus ? ATA_STEP_DS : ATA_STEP_CACHED_KEY;
	blame_parent_key(qstate, ve, ke->name, ke->namelen, ke->key_class, o);
}

/**
 * Good keys, bogus answer: blame the signer, unless the answer came from
 * servers of a zone below the signer (the iterator's delegation point):
 * the RRSIG's signer name is written by whoever serves it, and a child
 * must not be able to put its failures on its parent.
 */
static void
blame_answer(struct module_qstate* qstate, uint8_t* signer,
	struct ata_outcome* o)
{
	int iter_id = modstack_find(&qstate->env->mesh->mods, "iterator");
	struct iter_qstate* iq = iter_id >= 0 ? qstate->minfo[iter_id] : NULL;
	o->step = ATA_STEP_ANSWER;
	if(iq && iq->dp && iq->dp->name && dname_strict_subdomain_c(
		iq->dp->name, signer))
		name_str(iq->dp->name, o->zone);
	else
		name_str(signer, o->zone);
}

static void
blame(struct module_qstate* qstate, int val_id, struct ata_outcome* o)
{
	struct val_qstate* vq = val_id >= 0 ? qstate->minfo[val_id] : NULL;
	struct val_env* ve = val_id >= 0 ? qstate->env->modinfo[val_id] : NULL;
	struct key_entry_key* ke;
	if(!vq || !ve)
		return;
	ke = vq->key_entry;
	if(ke && key_entry_isbad(ke)) {
		name_str(ke->name, o->bad_key);
		if(vq->trust_anchor_name && query_dname_compare(ke->name,
			vq->trust_anchor_name) == 0) {
			o->step = ATA_STEP_ANCHOR;
			name_str(ke->name, o->zone);
		} else if(vq->ds_rrset && query_dname_compare(
			vq->ds_rrset->rk.dname, ke->name) == 0) {
			o->step = ATA_STEP_DNSKEY;
			name_str(ke->name, o->zone);
		} else
			blame_from_cached_ds(qstate, ve, ke, o);
	} else if(vq->signer_name) {
		blame_answer(qstate, vq->signer_name, o);
	} else if(ke) {
		blame_answer(qstate, ke->name, o);
	}
}

static struct ata_outcome*
outcome_new(struct query_info* qinfo)
{
	struct ata_outcome* o = malloc(sizeof(*o));
	if(!o)
		return NULL;
	o->next = NULL;
	o->zone[0] = 0;
	o->bad_key[0] = 0;
	o->reason = NULL;
	o->rcode = 0;
	o->sec = ATA_SEC_NONE;
	o->step = ATA_STEP_NONE;
	o->source = ATA_SRC_VALIDATED;
	o->ede = -1;
	clock_gettime(CLOCK_REALTIME, &o->when);
	name_str(qinfo->qname, o->qname);
	o->qtype = qinfo->qtype;
	return o;
}

/**
 * Whether this bogus answer may have its reason text: Unbound builds it
 * by formatting the whole error chain, the most expensive step of a bogus
 * answer. Events keep only a few samples per zone, so a handful a second
 * is enough (racy by design: the budget is approximate).
 */
static int
reason_budget(time_t now)
{
	static atomic_long second;
	static atomic_int used;
	if(atomic_load_explicit(&second, memory_order_relaxed) != (long)now) {
		atomic_store_explicit(&second, (long)now, memory_order_relaxed);
		atomic_store_explicit(&used, 0, memory_order_relaxed);
	}
	return atomic_fetch_add_explicit(&used, 1, memory_order_relaxed)
		< ATA_REASONS_PER_SECOND;
}

struct ata_outcome*
ata_adapter_outcome(struct module_qstate* qstate, int val_id, int all_reasons)
{
	struct ata_outcome* o;
	struct reply_info* rep;
	if(qstate->is_valrec || !qstate->mesh_info
		|| !qstate->mesh_info->reply_list)
		return NULL;
	if(!(o = outcome_new(&qstate->qinfo)))
		return NULL;
	o->source = ATA_SRC_VALIDATED;
	rep = qstate->return_msg ? qstate->return_msg->rep : NULL;
	if(!rep) {
		o->sec = ATA_SEC_NONE;
		o->rcode = (uint8_t)qstate->return_rcode;
		return o;
	}
	o->sec = sec_of(rep->security);
	o->rcode = (uint8_t)FLAGS_GET_RCODE(rep->flags);
	if(o->sec == ATA_SEC_BOGUS) {
		o->ede = rep->reason_bogus;
		if(all_reasons || reason_budget(*qstate->env->now))
			o->reason = errinf_to_str_bogus(qstate);
		blame(qstate, val_id, o);
	}
	return o;
}

int
ata_adapter_validator_id(struct module_env* env)
{
	if(!env->mesh)
		return -1;
	return modstack_find(&env->mesh->mods, "validator");
}

/** inplace_cb_reply_servfail: only cached bogus answers (qstate NULL). */
static int
servfail_cb(struct query_info* qinfo, struct module_qstate* qstate,
	struct reply_info* rep, int rcode, struct edns_data* edns,
	struct edns_option** opt_list_out, struct comm_reply* repinfo,
	struct regional* region, struct timeval* start_time, int id,
	void* arg)
{
	struct ata_servfail_watch* w = arg;
	struct ata_outcome* o;
	(void)rcode; (void)edns; (void)opt_list_out; (void)repinfo;
	(void)region; (void)start_time; (void)id;
	/* Cache locks are held here: only copy data and queue it. */
	if(qstate || !rep || !qinfo || rep->security != sec_status_bogus)
		return 1;
	if(!(o = outcome_new(qinfo)))
		return 1;
	o->source = ATA_SRC_CACHED_BOGUS;
	o->sec = ATA_SEC_BOGUS;
	o->rcode = (uint8_t)FLAGS_GET_RCODE(rep->flags);
	o->ede = rep->reason_bogus;
	o->step = ATA_STEP_NONE;
	w->fn(w->arg, o);
	return 1;
}

int
ata_adapter_watch_servfail(struct module_env* env, int id, ata_outcome_fn fn,
	void* arg)
{
	struct dynlibmod_env* de = env->modinfo[id];
	watch.fn = fn;
	watch.arg = arg;
	if(!de || !de->inplace_cb_register_wrapped)
		return -1;
	return de->inplace_cb_register_wrapped((void*)&servfail_cb,
		inplace_cb_reply_servfail, &watch, env, id) ? 0 : -1;
}

void
ata_adapter_unwatch_servfail(struct module_env* env, int id)
{
	struct dynlibmod_env* de = env->modinfo[id];
	if(de && de->inplace_cb_delete_wrapped)
		de->inplace_cb_delete_wrapped(env, inplace_cb_reply_servfail,
			id);
}

/** inplace_cb_reply and inplace_cb_reply_cache: EDE 33 on insecure answers
 * to EDNS clients for names under an NTA on the board. */
static int
ede_nta_cb(struct query_info* qinfo, struct module_qstate* qstate,
	struct reply_info* rep, int rcode, struct edns_data* edns,
	struct edns_option** opt_list_out, struct comm_reply* repinfo,
	struct regional* region, struct timeval* start_time, int id,
	void* arg)
{
	char text[ATA_EDE_TEXT_MAX];
	(void)qstate; (void)rcode; (void)repinfo; (void)start_time; (void)id;
	if(!qinfo || !rep || !edns || !edns->edns_present || !opt_list_out
		|| !region || rep->security != sec_status_insecure)
		return 1;
	if(!ata_ntaboard_text(arg, qinfo->qname, qinfo->qname_len, text,
		sizeof(text)))
		return 1;
	(void)edns_opt_list_append_ede(opt_list_out, region,
		(sldns_ede_code)ATA_EDE_NTA, text);
	return 1;
}

int
ata_adapter_mark_nta_answers(struct module_env* env, int id,
	struct ata_ntaboard* board)
{
	struct dynlibmod_env* de = env->modinfo[id];
	if(!de || !de->inplace_cb_register_wrapped)
		return -1;
	if(!de->inplace_cb_register_wrapped((void*)&ede_nta_cb,
		inplace_cb_reply, board, env, id))
		return -1;
	if(!de->inplace_cb_register_wrapped((void*)&ede_nta_cb,
		inplace_cb_reply_cache, board, env, id)) {
		de->inplace_cb_delete_wrapped(env, inplace_cb_reply, id);
		return -1;
	}
	return 0;
}

void
ata_adapter_unmark_nta_answers(struct module_env* env, int id)
{
	struct dynlibmod_env* de = env->modinfo[id];
	if(de && de->inplace_cb_delete_wrapped) {
		de->inplace_cb_delete_wrapped(env, inplace_cb_reply, id);
		de->inplace_cb_delete_wrapped(env, inplace_cb_reply_cache, id);
	}
}

char*
ata_adapter_default_config(struct module_env* env)
{
	const char* dir = env->cfg && env->cfg->directory
		&& env->cfg->directory[0] ? env->cfg->directory : ".";
	size_t n = strlen(dir) + sizeof("/autonta.conf");
	char *p = malloc(n), *inside;
	if(!p)
		return NULL;
	snprintf(p, n, "%s%sautonta.conf", dir,
		dir[strlen(dir) - 1] == '/' ? "" : "/");
	if(!env->cfg)
		return p;
	/* as Unbound opens its own files: within its chroot */
	inside = fname_after_chroot(p, env->cfg, 0);
	free(p);
	return inside;
}

const char*
ata_adapter_unbound_version(void)
{
	return PACKAGE_VERSION;
}

int
ata_adapter_num_threads(struct module_env* env)
{
	return env->cfg ? env->cfg->num_threads : 0;
}

void
ata_adapter_log(int level, const char* msg)
{
	if(level == 0)
		log_err("%s", msg);
	else
		log_info("%s", msg);
}

void**
ata_adapter_state(struct module_env* env, int id)
{
	struct dynlibmod_env* de = env->modinfo[id];
	return &de->dyn_env;
}

/* ---- NTA actions (worker threads only) ---------------------------------- */

/** Expiry mark and counts, as remote.c's struct del_info. */
struct flush_info {
	uint8_t* name;
	time_t expired;
	unsigned long keys, msgs, rrsets;
};

static void
flush_rrset(struct lruhash_entry* e, void* arg)
{
	struct flush_info* f = arg;
	struct ub_packed_rrset_key* k = (struct ub_packed_rrset_key*)e->key;
	struct packed_rrset_data* d = (struct packed_rrset_data*)e->data;
	if(dname_subdomain_c(k->rk.dname, f->name) && d->ttl > f->expired) {
		d->ttl = f->expired;
		f->rrsets++;
	}
}

static void
flush_msg(struct lruhash_entry* e, void* arg)
{
	struct flush_info* f = arg;
	struct msgreply_entry* k = (struct msgreply_entry*)e->key;
	struct reply_info* d = (struct reply_info*)e->data;
	if(dname_subdomain_c(k->key.qname, f->name) && d->ttl > f->expired) {
		d->ttl = f->expired;
		d->prefetch_ttl = f->expired;
		d->serve_expired_ttl = f->expired;
		f->msgs++;
	}
}

static void
flush_key(struct lruhash_entry* e, void* arg)
{
	struct flush_info* f = arg;
	struct key_entry_key* k = (struct key_entry_key*)e->key;
	struct key_entry_data* d = (struct key_entry_data*)e->data;
	if(dname_subdomain_c(k->name, f->name) && d->ttl > f->expired) {
		d->ttl = f->expired;
		f->keys++;
	}
}

/** Expire everything cached at and below name (as flush_zone). */
static void
flush_zone(struct module_env* env, uint8_t* name, struct ata_action* a)
{
	struct flush_info f = { name, *env->now - 3, 0, 0, 0 };
	slabhash_traverse(&env->rrset_cache->table, 1, &flush_rrset, &f);
	slabhash_traverse(env->msg_cache, 1, &flush_msg, &f);
	if(env->key_cache)
		slabhash_traverse(env->key_cache->slab, 1, &flush_key, &f);
	a->flushed_keys = f.keys;
	a->flushed_msgs = f.msgs;
	a->flushed_rrsets = f.rrsets;
}

/** What the tree holds at the wire name nm (locks as anchor_find does). */
static enum ata_anchor_kind
anchor_kind(struct val_anchors* anchors, uint8_t* nm, size_t len)
{
	struct trust_anchor* ta = anchor_find(anchors, nm,
		dname_count_labels(nm), len, LDNS_RR_CLASS_IN);
	int is_nta;
	if(!ta)
		return ATA_ANCHOR_NONE;
	/* what anchors_delete_insecure would delete */
	is_nta = ta->numDS == 0 && ta->numDNSKEY == 0 && !ta->keylist
		&& !ta->autr;
	lock_basic_unlock(&ta->lock);
	return is_nta ? ATA_ANCHOR_NTA : ATA_ANCHOR_TA;
}

void*
ata_adapter_anchors(struct module_env* env)
{
	return env->anchors;
}

int
ata_adapter_anchor_kind(void* anchors, const char* zone)
{
	size_t len;
	uint8_t* nm;
	enum ata_anchor_kind k;
	if(!anchors || !(nm = sldns_str2wire_dname(zone, &len)))
		return ATA_ANCHOR_UNKNOWN;
	k = anchor_kind(anchors, nm, len);
	free(nm);
	return k;
}

void
ata_adapter_run_action(struct module_env* env, struct ata_action* a)
{
	size_t len;
	uint8_t* nm = sldns_str2wire_dname(a->zone, &len);
	enum ata_anchor_kind k;

	clock_gettime(CLOCK_REALTIME, &a->done);
	if(!nm || !env->anchors) {
		a->result = ATA_ACT_FAILED;
		free(nm);
		return;
	}
	k = anchor_kind(env->anchors, nm, len);
	if(a->kind == ATA_ACT_ADD) {
		if(k != ATA_ANCHOR_NONE)
			a->result = ATA_ACT_EXISTS;
		else if(!anchors_add_insecure(env->anchors, LDNS_RR_CLASS_IN,
			nm))
			a->result = ATA_ACT_FAILED;
		else
			a->result = ATA_ACT_DONE;
	} else {
		if(k == ATA_ANCHOR_NONE)
			a->result = ATA_ACT_ABSENT;
		else if(k == ATA_ANCHOR_TA)
			a->result = ATA_ACT_NOT_NTA;
		else {
			anchors_delete_insecure(env->anchors,
				LDNS_RR_CLASS_IN, nm);
			a->result = ATA_ACT_DONE;
		}
	}
	if(a->result == ATA_ACT_DONE || a->result == ATA_ACT_ABSENT)
		flush_zone(env, nm, a);
	clock_gettime(CLOCK_REALTIME, &a->done);
	free(nm);
}

int
ata_adapter_is_poke(struct module_qstate* qstate, const char* token)
{
	return ata_poke_match(token, qstate->qinfo.qname);
}

void
ata_adapter_answer_poke(struct module_qstate* qstate, int id)
{
	qstate->return_rcode = LDNS_RCODE_REFUSED;
	qstate->return_msg = NULL;
	qstate->ext_state[id] = module_finished;
}

/* ---- host facts ---------------------------------------------------------- */

/** The strings of up to three lists, file names made chroot-relative
 * when cfg is given (NULL-terminated, malloc'ed). */
static char**
strlist_copy(struct config_file* cfg, struct config_strlist* l1,
	struct config_strlist* l2, struct config_strlist* l3)
{
	struct config_strlist* lists[3] = { l1, l2, l3 };
	struct config_strlist* p;
	size_t n = 0, i = 0;
	int k;
	char** out;
	for(k = 0; k < 3; k++)
		for(p = lists[k]; p; p = p->next)
			n++;
	if(!(out = calloc(n + 1, sizeof(*out))))
		return NULL;
	for(k = 0; k < 3; k++)
		for(p = lists[k]; p; p = p->next)
			if(p->str && (out[i] = cfg ? fname_after_chroot(p->str,
				cfg, 1) : strdup(p->str)))
				i++;
	return out;
}

/** The numeric address of an interface: line ("addr" or "addr@port"). */
static void
poke_target(struct config_file* cfg, char* host, size_t len, int* port)
{
	const char* ifc = cfg->num_ifs > 0 ? cfg->ifs[0] : "127.0.0.1";
	const char* at = strchr(ifc, '@');
	size_t n = at ? (size_t)(at - ifc) : strlen(ifc);
	*port = at ? atoi(at + 1) : cfg->port;
	if(n >= len)
		n = len - 1;
	memcpy(host, ifc, n);
	host[n] = 0;
	/* a wildcard interface is reachable on loopback */
	if(strcmp(host, "0.0.0.0") == 0)
		snprintf(host, len, "127.0.0.1");
	else if(strcmp(host, "::0") == 0 || strcmp(host, "::") == 0)
		snprintf(host, len, "::1");
}

void
ata_adapter_host(struct module_env* env, struct ata_host* host,
	char* pokehost, size_t len)
{
	struct config_file* cfg = env->cfg;
	struct ata_recheck_setup* s = &host->recheck;
	size_t i;
	memset(s, 0, sizeof(*s));
	pokehost[0] = 0;
	host->poke_host = NULL;
	if(!cfg)
		return;
	s->root_hints = strlist_copy(cfg, cfg->root_hints, NULL, NULL);
	s->anchor_files = strlist_copy(cfg, cfg->trust_anchor_file_list,
		cfg->trusted_keys_file_list, cfg->auto_trust_anchor_file_list);
	s->anchors = strlist_copy(NULL, cfg->trust_anchor_list, NULL, NULL);
	if((s->outgoing = calloc((size_t)cfg->num_out_ifs + 1,
		sizeof(char*))))
		for(i = 0; i < (size_t)cfg->num_out_ifs; i++)
			s->outgoing[i] = strdup(cfg->out_ifs[i]);
	s->do_not_query_localhost = cfg->donotquery_localhost;
	s->do_ip6 = cfg->do_ip6;
	poke_target(cfg, pokehost, len, &host->poke_port);
	host->poke_host = pokehost;
}
