/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The six entry points Unbound's dynlib module looks up. They only
 * translate Unbound's callbacks into calls on autonta's runtime; nothing
 * else is exported (see Makefile.am). autonta passes every query through
 * and records the verdict when the validator below it is done.
 *
 * Configuration: the file named by $AUTONTA_CONF, else autonta.conf in
 * Unbound's `directory:`; when neither is given and that file is absent,
 * the defaults. Any error makes init fail with one log line saying why.
 */
#include "config.h"
#include "util/module.h"

#include "actions.h"
#include "adapter.h"
#include "cfgfile.h"
#include "recheck.h"
#include "outcome.h"
#include "runtime.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ATA_EXPORT __attribute__((visibility("default")))

/** What autonta keeps in the dynlib environment slot. */
struct ata_module {
	/** the runtime */
	struct ata_runtime* rt;
	/** the validator's module id, -1 until known */
	atomic_int val_id;
	/** the workers' anchor tree, NULL until the first operate */
	_Atomic(void*) anchors;
};

/** What the anchor tree holds at zone, for autonta's thread. */
static int
anchor_at(void* arg, const char* zone)
{
	struct ata_module* m = arg;
	return ata_adapter_anchor_kind(atomic_load(&m->anchors), zone);
}

static void
observe(void* arg, struct ata_outcome* o)
{
	ata_runtime_observe(((struct ata_module*)arg)->rt, o);
}

/** Run the NTA actions autonta's thread posted (one atomic load if none). */
static void
run_actions(struct ata_module* m, struct module_env* env)
{
	struct ata_actions* acts = ata_runtime_actions(m->rt);
	struct ata_action* a = ata_actions_take_posted(acts);
	while(a) {
		struct ata_action* next = a->next;
		ata_adapter_run_action(env, a);
		ata_actions_finish(acts, a);
		a = next;
	}
}

/** Load the configuration as documented above; NULL with err set. */
static struct ata_config*
load_config(struct module_env* env, char* err, size_t errlen)
{
	const char* path = getenv(ATA_CONFIG_ENV);
	struct ata_config* cfg;
	struct stat st;
	char* def;
	if(path && *path)
		return ata_config_load(path, err, errlen);
	if(!(def = ata_adapter_default_config(env))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if(stat(def, &st) != 0 && errno == ENOENT) {
		free(def);
		if(!(cfg = ata_config_new()))
			snprintf(err, errlen, "out of memory");
		return cfg;
	}
	cfg = ata_config_load(def, err, errlen);
	free(def);
	return cfg;
}

ATA_EXPORT int
init(struct module_env* env, int id)
{
	struct ata_host host;
	struct ata_module* m;
	struct ata_config* cfg;
	char err[1200], line[1300], pokehost[128];

	memset(&host, 0, sizeof(host));
	host.unbound_version = ata_adapter_unbound_version();
	host.num_threads = ata_adapter_num_threads(env);
	host.log = ata_adapter_log;
	if(!(cfg = load_config(env, err, sizeof(err)))) {
		snprintf(line, sizeof(line), "autonta: init failed: %s", err);
		ata_adapter_log(0, line);
		return 0;
	}
	if(!(m = calloc(1, sizeof(*m)))) {
		ata_adapter_log(0, "autonta: init failed: out of memory");
		ata_config_delete(cfg);
		return 0;
	}
	atomic_init(&m->val_id, -1);
	atomic_init(&m->anchors, NULL);
	host.anchor_at = anchor_at;
	host.anchor_arg = m;
	ata_adapter_host(env, &host, pokehost, sizeof(pokehost));
	m->rt = ata_runtime_create(cfg, &host, err, sizeof(err));
	ata_recheck_setup_clear(&host.recheck);
	if(!m->rt) {
		snprintf(line, sizeof(line), "autonta: init failed: %s", err);
		ata_adapter_log(0, line);
		free(m);
		return 0;
	}
	if(ata_adapter_watch_servfail(env, id, observe, m) != 0) {
		ata_adapter_log(0, "autonta: init failed: cannot register the "
			"reply-servfail callback");
		ata_runtime_delete(m->rt);
		free(m);
		return 0;
	}
	if(ata_runtime_config(m->rt)->ede_nta && ata_adapter_mark_nta_answers(
		env, id, ata_runtime_board(m->rt)) != 0) {
		ata_adapter_log(0, "autonta: init failed: cannot register the "
			"reply callbacks for EDE 33 (ede-nta)");
		ata_adapter_unwatch_servfail(env, id);
		ata_runtime_delete(m->rt);
		free(m);
		return 0;
	}
	*ata_adapter_state(env, id) = m;
	snprintf(line, sizeof(line), "autonta: started (configuration: %s)",
		ata_runtime_config(m->rt)->source);
	ata_adapter_log(1, line);
	return 1;
}

ATA_EXPORT void
deinit(struct module_env* env, int id)
{
	struct ata_module* m = *ata_adapter_state(env, id);
	if(!m)
		return;
	ata_adapter_unwatch_servfail(env, id);
	ata_adapter_unmark_nta_answers(env, id);
	ata_runtime_delete(m->rt);
	free(m);
	*ata_adapter_state(env, id) = NULL;
}

ATA_EXPORT void
operate(struct module_qstate* qstate, enum module_ev event, int id,
	struct outbound_entry* outbound)
{
	struct ata_module* m = *ata_adapter_state(qstate->env, id);
	struct ata_outcome* o;
	int val_id;
	(void)outbound;
	if(m) {
		if(!atomic_load_explicit(&m->anchors, memory_order_relaxed))
			atomic_store(&m->anchors,
				ata_adapter_anchors(qstate->env));
		run_actions(m, qstate->env);
	}
	if(event == module_event_new && m && ata_adapter_is_poke(qstate,
		ata_runtime_poke_token(m->rt))) {
		ata_adapter_answer_poke(qstate, id);
		return;
	}
	if(event == module_event_new || event == module_event_pass) {
		qstate->ext_state[id] = module_wait_module;
		return;
	}
	if(event != module_event_moddone) {
		qstate->ext_state[id] = module_error;
		return;
	}
	if(m) {
		val_id = atomic_load_explicit(&m->val_id, memory_order_relaxed);
		if(val_id < 0) {
			val_id = ata_adapter_validator_id(qstate->env);
			atomic_store(&m->val_id, val_id);
		}
		if((o = ata_adapter_outcome(qstate, val_id,
			ata_runtime_config(m->rt)->log_outcomes)))
			ata_runtime_observe(m->rt, o);
	}
	qstate->ext_state[id] = module_finished;
}

ATA_EXPORT void
inform_super(struct module_qstate* qstate, int id,
	struct module_qstate* super)
{
	(void)qstate; (void)id; (void)super;
}

ATA_EXPORT void
clear(struct module_qstate* qstate, int id)
{
	/* autonta keeps no per-query state */
	if(qstate)
		qstate->minfo[id] = NULL;
}

ATA_EXPORT size_t
get_mem(struct module_env* env, int id)
{
	struct ata_module* m = *ata_adapter_state(env, id);
	return m ? sizeof(*m) + ata_runtime_mem(m->rt) : 0;
}
