/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Formatting of autonta's JSON events (see event.h for the envelope).
 */
#include "event.h"

#include "outcome.h"

#include <stdlib.h>
#include <string.h>

int
ata_time_format(const struct timespec* t, char* buf, size_t len)
{
	struct tm tm;
	char secs[24];
	time_t s = t->tv_sec;
	if(!gmtime_r(&s, &tm))
		return -1;
	if(strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return -1;
	if((size_t)snprintf(buf, len, "%s.%03ldZ", secs,
		(long)(t->tv_nsec / 1000000)) >= len)
		return -1;
	return 0;
}

json_t*
ata_event_new(const char* name, const struct timespec* when)
{
	char ts[ATA_TIME_MAX];
	json_t* ev;
	if(ata_time_format(when, ts, sizeof(ts)) != 0)
		return NULL;
	if(!(ev = json_object()))
		return NULL;
	if(json_object_set_new(ev, "schema", json_integer(ATA_EVENT_SCHEMA))
		|| json_object_set_new(ev, "time", json_string(ts))
		|| json_object_set_new(ev, "event", json_string(name))
		|| json_object_set_new(ev, "seq", json_integer(0))) {
		json_decref(ev);
		return NULL;
	}
	return ev;
}

char*
ata_event_line(const json_t* ev)
{
	return json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER
		| JSON_ENSURE_ASCII);
}

const char*
ata_sec_name(int sec)
{
	static const char* names[] = { "none", "unchecked", "bogus",
		"indeterminate", "insecure", "secure" };
	if(sec < 0 || (size_t)sec >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[sec];
}

const char*
ata_step_name(int step)
{
	static const char* names[] = { "none", "dnskey", "ds", "anchor",
		"answer", "cached-key" };
	if(step < 0 || (size_t)step >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[step];
}

const char*
ata_rcode_name(int rcode)
{
	static const char* names[] = { "NOERROR", "FORMERR", "SERVFAIL",
		"NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
		"NXRRSET", "NOTAUTH", "NOTZONE" };
	if(rcode < 0 || (size_t)rcode >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[rcode];
}

json_t*
ata_json_text(const char* text)
{
	json_t* s = json_string(text);
	char* clean;
	size_t i;
	if(s)
		return s;
	/* not UTF-8: keep ASCII, mark the rest */
	if(!(clean = strdup(text)))
		return NULL;
	for(i = 0; clean[i]; i++)
		if((unsigned char)clean[i] >= 0x80)
			clean[i] = '?';
	s = json_string(clean);
	free(clean);
	return s;
}

int
ata_json_set_text(json_t* obj, const char* key, const char* text)
{
	json_t* s = ata_json_text(text);
	if(!s)
		return -1;
	return json_object_set_new(obj, key, s) == 0 ? 0 : -1;
}

json_t*
ata_event_outcome(const struct ata_outcome* o)
{
	json_t* ev = ata_event_new("outcome", &o->when);
	const char* rc = ata_rcode_name(o->rcode);
	if(!ev)
		return NULL;
	if(ata_json_set_text(ev, "qname", o->qname)
		|| json_object_set_new(ev, "qtype", json_integer(o->qtype))
		|| json_object_set_new(ev, "security",
			json_string(ata_sec_name(o->sec)))
		|| json_object_set_new(ev, "rcode", rc ? json_string(rc)
			: json_integer(o->rcode))
		|| json_object_set_new(ev, "source", json_string(
			o->source == ATA_SRC_CACHED_BOGUS ? "cache" : "validator")))
		goto fail;
	if(o->sec == ATA_SEC_BOGUS) {
		if(json_object_set_new(ev, "ede", o->ede >= 0
				? json_integer(o->ede) : json_null())
			|| ata_json_set_text(ev, "zone", o->zone)
			|| ata_json_set_text(ev, "bad_key", o->bad_key)
			|| json_object_set_new(ev, "step",
				json_string(ata_step_name(o->step)))
			|| (o->reason && ata_json_set_text(ev, "reason",
				o->reason)))
			goto fail;
	}
	return ev;
fail:
	json_decref(ev);
	return NULL;
}
