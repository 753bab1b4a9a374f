/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA life cycle rules (lifetimes, extension only while still bogus, the
 * hard maximum) and the scope policy (never the root; TLDs by default).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cfgfile.h"
#include "nta.h"
#include "policy.h"

#include <string.h>

static void
test_lifecycle(void** state)
{
	struct ata_nta_table t = { NULL, 0 };
	struct ata_spike s;
	struct timespec now = { 1000, 0 };
	struct ata_nta* n;
	(void)state;
	memset(&s, 0, sizeof(s));
	strcpy(s.zone, "de.");
	strcpy(s.qnames[0], "www.sld1.de.");
	s.qtypes[0] = 1;
	s.nsamples = 1;
	n = ata_nta_new(&t, &s, &now, 100, 250);
	assert_non_null(n);
	assert_int_equal(n->state, ATA_NTA_CONFIRMING);
	assert_ptr_equal(ata_nta_find(&t, "de."), n);
	assert_null(ata_nta_find(&t, "nl."));
	assert_int_equal(n->nnames, 1);
	assert_non_null(json_object_get(n->evidence, "bogus"));
	/* not active yet: no expiry decisions */
	assert_int_equal(ata_nta_expiry(n, 5000, 100), ATA_NTA_KEEP);
	ata_nta_activate(n, 1010, 100, 250, 20);
	assert_int_equal(n->expires, 1110);
	assert_int_equal(n->hard_expires, 1260);
	assert_int_equal(n->next_recheck, 1030);
	assert_int_equal(ata_nta_expiry(n, 1109, 100), ATA_NTA_KEEP);
	/* expiry without a recheck verdict of bogus: lift */
	assert_int_equal(ata_nta_expiry(n, 1110, 100), ATA_NTA_LIFT);
	n->last_recheck = "error";
	assert_int_equal(ata_nta_expiry(n, 1110, 100), ATA_NTA_LIFT);
	/* still bogus: extend, capped by the hard maximum */
	n->last_recheck = "bogus";
	assert_int_equal(ata_nta_expiry(n, 1110, 100), ATA_NTA_EXTEND);
	assert_int_equal(n->expires, 1210);
	assert_int_equal(ata_nta_expiry(n, 1210, 100), ATA_NTA_EXTEND);
	assert_int_equal(n->expires, 1260);
	assert_int_equal(n->extensions, 2);
	assert_int_equal(ata_nta_expiry(n, 1260, 100), ATA_NTA_LIFT);
	ata_nta_table_clear(&t);
	assert_int_equal(t.count, 0);
}

/* An active NTA and an operator cooldown survive a trip through their
 * state-file records; records that are not sound are refused. */
static void
test_records(void** state)
{
	struct ata_nta_table t = { NULL, 0 }, u = { NULL, 0 };
	struct ata_spike s;
	struct timespec now = { 1000, 0 };
	struct ata_nta *n, *c, *r;
	json_t* rec;
	char err[200];
	size_t i;
	static const char* const bad[] = {
		"{}",
		"{\"zone\":\"org.\",\"state\":\"active\"}",
		"{\"zone\":\"a..b\",\"state\":\"active\",\"added\":1,"
			"\"expires\":2,\"hard_expires\":3}",
		"{\"zone\":\"org.\",\"state\":\"active\",\"added\":5,"
			"\"expires\":2,\"hard_expires\":3}",
		"{\"zone\":\"org.\",\"state\":\"sleeping\"}",
		"{\"zone\":\"org.\",\"state\":\"cooldown\",\"until\":-4}",
		"{\"zone\":\"org.\",\"state\":\"active\",\"added\":1,"
			"\"expires\":2,\"hard_expires\":3,\"names\":"
			"[{\"name\":\"x.org.\",\"type\":70000}]}",
	};
	(void)state;
	memset(&s, 0, sizeof(s));
	strcpy(s.zone, "de.");
	strcpy(s.qnames[0], "www.sld1.de.");
	s.qtypes[0] = 28;
	s.nsamples = 1;
	n = ata_nta_new(&t, &s, &now, 100, 250);
	/* not installed yet: nothing to keep */
	assert_null(ata_nta_record(n));
	ata_nta_activate(n, 1010, 100, 250, 20);
	n->rechecks = 4;
	n->last_recheck = "bogus";
	strcpy(s.zone, "nl.");
	c = ata_nta_new(&t, &s, &now, 100, 250);
	c->state = ATA_NTA_COOLDOWN;
	c->operator_removed = 1;
	c->retry_after = 5000;

	assert_non_null(rec = ata_nta_record(n));
	assert_non_null(r = ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);
	assert_int_equal(r->state, ATA_NTA_ADDING);
	assert_true(r->restored);
	assert_string_equal(r->zone, "de.");
	assert_int_equal(r->added, 1010);
	assert_int_equal(r->expires, 1110);
	assert_int_equal(r->hard_expires, 1260);
	assert_int_equal(r->rechecks, 4);
	assert_string_equal(r->last_recheck, "bogus");
	assert_int_equal(r->nnames, 1);
	assert_string_equal(r->names[0], "www.sld1.de.");
	assert_int_equal(r->types[0], 28);
	assert_non_null(json_object_get(r->evidence, "bogus"));
	/* the same zone twice is a bad file */
	assert_non_null(rec = ata_nta_record(n));
	assert_null(ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);

	assert_non_null(rec = ata_nta_record(c));
	assert_non_null(r = ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);
	assert_int_equal(r->state, ATA_NTA_COOLDOWN);
	assert_true(r->operator_removed);
	assert_int_equal(r->retry_after, 5000);

	/* an operator's removal still posted when Unbound stops is kept as
	 * the cooldown it will become; autonta's own lift is not kept */
	ata_nta_delete(&u, ata_nta_find(&u, "de."));
	n->state = ATA_NTA_REMOVING;
	n->retry_after = 7000;
	assert_null(ata_nta_record(n));
	n->lifted_by = json_pack("{ss}", "via", "autonta-control");
	assert_non_null(rec = ata_nta_record(n));
	assert_non_null(r = ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);
	assert_int_equal(r->state, ATA_NTA_COOLDOWN);
	assert_true(r->operator_removed);
	assert_int_equal(r->retry_after, 7000);

	/* a rejected recommendation is kept as a cooldown of its own kind */
	ata_nta_delete(&u, r);
	ata_nta_delete(&u, ata_nta_find(&u, "nl."));
	c->operator_removed = 0;
	ata_nta_reject(c, 3000, 600);
	assert_non_null(rec = ata_nta_record(c));
	assert_string_equal(json_string_value(json_object_get(rec, "reason")),
		"rejected");
	assert_non_null(r = ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);
	assert_int_equal(r->state, ATA_NTA_COOLDOWN);
	assert_true(r->rejected);
	assert_false(r->operator_removed);
	assert_int_equal(r->retry_after, 3600);

	/* records from a hand-edited file, or from before the limits were
	 * lowered, are brought within them */
	r->retry_after = 1LL << 33;
	ata_nta_clamp(r, 2000, 250, 600);
	assert_int_equal(r->retry_after, 2600);
	n->state = ATA_NTA_ADDING;
	n->added = 1000;
	n->expires = n->hard_expires = 1LL << 33;
	n->lifetime = 100000;
	ata_nta_clamp(n, 2000, 250, 600);
	assert_int_equal(n->hard_expires, 1250);
	assert_int_equal(n->expires, 1250);
	assert_int_equal(n->lifetime, 250);
	n->expires = 1100;
	ata_nta_clamp(n, 2000, 250, 600);	/* never moved out */
	assert_int_equal(n->expires, 1100);

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t* j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		if(ata_nta_from_record(&u, j, err, sizeof(err)))
			fail_msg("accepted bad record %zu: %s", i, bad[i]);
		json_decref(j);
	}
	assert_int_equal(u.count, 1);	/* the rejected nl. */
	ata_nta_table_clear(&u);
	ata_nta_table_clear(&t);
}

/** Manual NTAs: their own lifetime, never extended, kept in records. */
static void
test_manual(void** state)
{
	struct ata_nta_table t = { NULL, 0 }, u = { NULL, 0 };
	struct timespec now = { 1000, 0 };
	json_t *by = json_pack("{si}", "uid", 0), *rec;
	struct ata_nta *n, *r;
	char err[256];
	(void)state;
	assert_non_null(n = ata_nta_new_manual(&t, "de.", &now, 120, by));
	json_decref(by);
	assert_int_equal(n->state, ATA_NTA_ADDING);
	assert_int_equal(n->owner, ATA_OWNER_MANUAL);
	assert_string_equal(ata_nta_owner_name(n->owner), "manual");
	assert_non_null(json_object_get(n->evidence, "manual"));
	/* activation: its own lifetime, and no life beyond it */
	ata_nta_activate(n, 1010, 3600, 604800, 20);
	assert_int_equal(n->expires, 1130);
	assert_int_equal(n->hard_expires, 1130);
	/* still broken at the end: lifted all the same */
	n->last_recheck = "bogus";
	assert_int_equal(ata_nta_expiry(n, 1129, 3600), ATA_NTA_KEEP);
	assert_int_equal(ata_nta_expiry(n, 1130, 3600), ATA_NTA_LIFT);
	assert_int_equal(n->extensions, 0);
	/* the record keeps owner and lifetime */
	assert_non_null(rec = ata_nta_record(n));
	assert_string_equal(json_string_value(json_object_get(rec, "owner")),
		"manual");
	assert_non_null(r = ata_nta_from_record(&u, rec, err, sizeof(err)));
	assert_int_equal(r->owner, ATA_OWNER_MANUAL);
	assert_int_equal(r->lifetime, 120);
	json_decref(rec);
	/* a manual record without a lifetime, or an unknown owner, is bad */
	rec = json_pack("{sssssssIsIsIsi}", "zone", "nl.", "state", "active",
		"owner", "manual", "added", (json_int_t)1000, "expires",
		(json_int_t)1100, "hard_expires", (json_int_t)1100,
		"lifetime", 0);
	assert_null(ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_object_set_new(rec, "owner", json_string("someone"));
	json_object_set_new(rec, "lifetime", json_integer(100));
	assert_null(ata_nta_from_record(&u, rec, err, sizeof(err)));
	json_decref(rec);
	ata_nta_table_clear(&t);
	ata_nta_table_clear(&u);
	assert_string_equal(ata_nta_state_name(ATA_NTA_AWAITING),
		"awaiting-approval");
}

static void
test_policy(void** state)
{
	struct ata_config* cfg = ata_config_new();
	char err[128];
	(void)state;
	assert_int_equal(ata_name_labels("."), 0);
	assert_int_equal(ata_name_labels("de."), 1);
	assert_int_equal(ata_name_labels("sld7.de."), 2);
	assert_string_equal(ata_policy_refusal(cfg, "."), "root");
	assert_null(ata_policy_refusal(cfg, "de."));
	assert_string_equal(ata_policy_refusal(cfg, "sld7.de."), "out-of-scope");
	assert_string_equal(ata_policy_refusal(cfg, "co.uk."), "out-of-scope");
	assert_int_equal(ata_config_parse_text(cfg, "nta-scope: psl", "t", err,
		sizeof(err)), 0);
	assert_null(ata_policy_refusal(cfg, "de."));
	assert_null(ata_policy_refusal(cfg, "co.uk."));
	assert_string_equal(ata_policy_refusal(cfg, "example.co.uk."),
		"out-of-scope");
	assert_string_equal(ata_policy_refusal(cfg, "sld7.de."), "out-of-scope");
	ata_config_delete(cfg);
	cfg = ata_config_new();
	assert_int_equal(ata_config_parse_text(cfg, "nta-scope: any", "t", err,
		sizeof(err)), 0);
	assert_null(ata_policy_refusal(cfg, "sld7.de."));
	assert_string_equal(ata_policy_refusal(cfg, "."), "root");
	ata_config_delete(cfg);
	/* manual NTAs: scope does not apply, protected zones and root do */
	cfg = ata_config_new();
	assert_int_equal(ata_config_parse_text(cfg, "protected-zones: gov.",
		"t", err, sizeof(err)), 0);
	assert_null(ata_policy_manual_refusal(cfg, "sld7.de."));
	assert_string_equal(ata_policy_manual_refusal(cfg, "."), "root");
	assert_string_equal(ata_policy_manual_refusal(cfg, "x.gov."),
		"protected");
	ata_config_delete(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests_name("nta", tests, NULL, NULL);
}
