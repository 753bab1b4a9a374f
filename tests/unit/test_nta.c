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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests_name("nta", tests, NULL, NULL);
}
