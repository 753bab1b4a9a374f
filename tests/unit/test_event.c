/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Event formatting: envelope, timestamps, the outcome event, and repair of
 * text that is not UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "event.h"
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

static void
test_time_format(void** state)
{
	struct timespec t = { 1777988220, 123999999 };	/* 2026-05-05 13:37 */
	char buf[ATA_TIME_MAX];
	(void)state;
	assert_int_equal(ata_time_format(&t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-05-05T13:37:00.123Z");
	t.tv_sec = 0;
	t.tv_nsec = 0;
	assert_int_equal(ata_time_format(&t, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(ata_time_format(&t, buf, 10), -1);
}

static void
test_envelope_order(void** state)
{
	struct timespec t = { 1777988220, 5000000 };
	json_t* ev = ata_event_new("zone_stats", &t);
	char* line;
	(void)state;
	assert_non_null(ev);
	json_object_set_new(ev, "zone", json_string("de."));
	line = ata_event_line(ev);
	assert_string_equal(line, "{\"schema\":1,\"time\":"
		"\"2026-05-05T13:37:00.005Z\",\"event\":\"zone_stats\","
		"\"seq\":0,\"zone\":\"de.\"}");
	assert_null(strchr(line, '\n'));
	free(line);
	json_decref(ev);
}

static struct ata_outcome*
bogus(void)
{
	struct ata_outcome* o = calloc(1, sizeof(*o));
	o->when.tv_sec = 1777988220;
	strcpy(o->qname, "www.sld1.de.");
	strcpy(o->zone, "de.");
	strcpy(o->bad_key, "de.");
	o->qtype = 1;
	o->sec = ATA_SEC_BOGUS;
	o->rcode = 0;
	o->step = ATA_STEP_DNSKEY;
	o->ede = 9;
	return o;
}

static void
test_outcome_event(void** state)
{
	struct ata_outcome* o = bogus();
	json_t* ev;
	(void)state;
	o->reason = strdup("no keys have a DS with algorithm ECDSAP256SHA256 "
		"for key de.");
	ev = ata_event_outcome(o);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "event")),
		"outcome");
	assert_string_equal(json_string_value(json_object_get(ev, "qname")),
		"www.sld1.de.");
	assert_string_equal(json_string_value(json_object_get(ev,
		"security")), "bogus");
	assert_string_equal(json_string_value(json_object_get(ev, "rcode")),
		"NOERROR");
	assert_string_equal(json_string_value(json_object_get(ev, "zone")),
		"de.");
	assert_string_equal(json_string_value(json_object_get(ev, "step")),
		"dnskey");
	assert_int_equal(json_integer_value(json_object_get(ev, "ede")), 9);
	assert_string_equal(json_string_value(json_object_get(ev, "source")),
		"validator");
	assert_non_null(json_object_get(ev, "reason"));
	json_decref(ev);
	/* a secure outcome carries no blame fields */
	o->sec = ATA_SEC_SECURE;
	ev = ata_event_outcome(o);
	assert_null(json_object_get(ev, "zone"));
	assert_null(json_object_get(ev, "ede"));
	json_decref(ev);
	free(o->reason);
	free(o);
}

static void
test_not_utf8_is_repaired(void** state)
{
	struct ata_outcome* o = bogus();
	json_t* ev;
	(void)state;
	strcpy(o->qname, "caf\xe9.de.");
	o->reason = strdup("bad \xff\xfe bytes");
	ev = ata_event_outcome(o);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "qname")),
		"caf?.de.");
	assert_string_equal(json_string_value(json_object_get(ev, "reason")),
		"bad ?? bytes");
	json_decref(ev);
	free(o->reason);
	free(o);
}

static void
test_names(void** state)
{
	(void)state;
	assert_string_equal(ata_rcode_name(2), "SERVFAIL");
	assert_null(ata_rcode_name(23));
	assert_null(ata_rcode_name(-1));
	assert_string_equal(ata_sec_name(ATA_SEC_INSECURE), "insecure");
	assert_string_equal(ata_sec_name(99), "unknown");
	assert_string_equal(ata_step_name(ATA_STEP_DS), "ds");
	assert_string_equal(ata_step_name(ATA_STEP_CACHED_KEY), "cached-key");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_envelope_order),
		cmocka_unit_test(test_outcome_event),
		cmocka_unit_test(test_not_utf8_is_repaired),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
