/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Strict parser for autonta.conf. Syntax: one `name: value` per line,
 * `#` starts a comment outside quotes, blank lines are ignored, a value may
 * be double-quoted (no escapes). Every error names file and line.
 */
#include "cfgfile.h"

#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define OPT(name, type, member, min, max, def, help) \
	{ name, type, offsetof(struct ata_config, member), min, max, def, \
		help, NULL }
#define CHOICE(name, member, choices, def, help) \
	{ name, ATA_OPT_CHOICE, offsetof(struct ata_config, member), 0, 0, \
		def, help, choices }

static const struct ata_option options[] = {
	OPT("log-file", ATA_OPT_STRING, log_file, 0, 0,
		"/var/lib/unbound/autonta-events.jsonl",
		"file the JSON event lines are appended to (\"\" for none)"),
	OPT("log-stderr", ATA_OPT_BOOL, log_stderr, 0, 1, "no",
		"also write every event line to standard error"),
	OPT("log-outcomes", ATA_OPT_BOOL, log_outcomes, 0, 1, "no",
		"one `outcome` event per validated client answer (debugging)"),
	OPT("log-syslog", ATA_OPT_BOOL, log_syslog, 0, 1, "no",
		"also send every event line to syslog (tag autonta)"),
	CHOICE("syslog-facility", syslog_facility,
		"daemon|user|local0|local1|local2|local3|local4|local5|local6|"
		"local7", "daemon", "syslog facility of the event lines"),
	OPT("syslog-socket", ATA_OPT_STRING, syslog_socket, 0, 0, "/dev/log",
		"datagram socket of the local syslog daemon"),
	OPT("stats-interval", ATA_OPT_UINT, stats_interval, 1, 86400, "60",
		"seconds between two zone_stats summaries"),
	OPT("queue-limit", ATA_OPT_UINT, queue_limit, 64, 1048576, "16384",
		"outcomes waiting for autonta's thread before new ones are dropped"),
	OPT("max-zones", ATA_OPT_UINT, max_zones, 16, 100000, "10000",
		"zones named per stats interval; further zones are only counted"),
	OPT("detect-window", ATA_OPT_UINT, detect_window, 10, 3600, "30",
		"seconds of history the spike detector looks at"),
	OPT("detect-min-bogus", ATA_OPT_UINT, detect_min_bogus, 1, 1000000,
		"20", "bogus answers blamed on a zone within the window"),
	OPT("detect-min-children", ATA_OPT_UINT, detect_min_children, 1, 32,
		"10", "distinct names directly below the zone among them"),
	OPT("detect-min-percent", ATA_OPT_UINT, detect_min_percent, 1, 100,
		"20", "bogus share of all answers under the zone, percent"),
	OPT("detect-max-zones", ATA_OPT_UINT, detect_max_zones, 16, 100000,
		"4096", "zones the detector tracks at once (least recent evicted)"),
	CHOICE("nta-scope", nta_scope, "tld|psl|any", "tld",
		"zones that may get an NTA: TLDs, public suffixes, or any"),
	OPT("nta-lifetime", ATA_OPT_UINT, nta_lifetime, 60, 604800, "3600",
		"seconds an NTA lives before it is rechecked for expiry"),
	OPT("nta-max-lifetime", ATA_OPT_UINT, nta_max_lifetime, 60, 604800,
		"604800", "hard maximum life of an NTA, extensions included"),
	OPT("recheck-interval", ATA_OPT_UINT, recheck_interval, 1, 3600, "20",
		"seconds between two independent rechecks of an NTA'd zone"),
	OPT("recheck-timeout", ATA_OPT_UINT, recheck_timeout, 1, 300, "10",
		"seconds one recheck or evidence check may take"),
	CHOICE("mode", mode, "enforce|advise|approve", "enforce",
		"install NTAs, only recommend them, or wait for approval"),
	OPT("approval-file", ATA_OPT_STRING, approval_file, 0, 0, "",
		"approve mode: file of 'approve ZONE' / 'reject ZONE' lines"),
	OPT("approval-timeout", ATA_OPT_UINT, approval_timeout, 60, 86400,
		"600", "seconds a recommendation waits for approval"),
	OPT("protected-zones", ATA_OPT_STRING, protected_zones, 0, 0, "",
		"zones never NTA'd, with their subtrees (space separated)"),
	OPT("max-ntas", ATA_OPT_UINT, max_ntas, 1, 256, "3",
		"most autonta NTAs at once"),
	OPT("max-ntas-per-hour", ATA_OPT_UINT, max_ntas_per_hour, 1, 1000, "5",
		"most new autonta NTAs per hour"),
	OPT("local-fault-tlds", ATA_OPT_UINT, local_fault_tlds, 2, 1000, "3",
		"TLDs failing at once that mean the fault is here"),
	OPT("history-period", ATA_OPT_UINT, history_period, 0, 31536000,
		"2592000", "a zone must have validated this recently (0: off)"),
	OPT("state-file", ATA_OPT_STRING, state_file, 0, 0,
		"/var/lib/unbound/autonta.state",
		"file the history and active NTAs are kept in across restarts "
		"(\"\" for none)"),
	OPT("evidence-retry", ATA_OPT_UINT, evidence_retry, 10, 86400, "60",
		"seconds before an unconfirmed failure is checked again"),
	OPT("operator-cooldown", ATA_OPT_UINT, operator_cooldown, 0, 2592000,
		"3600", "seconds a zone whose NTA an operator removed is left "
		"alone"),
	OPT("ede-nta", ATA_OPT_BOOL, ede_nta, 0, 1, "yes",
		"EDE 33 (Negative Trust Anchor) on answers under autonta's NTAs"),
	OPT("control-socket", ATA_OPT_STRING, control_socket, 0, 0,
		"/var/lib/unbound/autonta.sock",
		"UNIX socket autonta-control talks to (\"\" for none)"),
};

const struct ata_option*
ata_config_options(size_t* n)
{
	*n = sizeof(options) / sizeof(options[0]);
	return options;
}

static void
fail(char* err, size_t errlen, const char* fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/** Parse a decimal unsigned value; 0 on success, -1 if not a number. */
static int
parse_ulong(const char* s, unsigned long* v)
{
	char* end;
	if(!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if(errno || *end)
		return -1;
	return 0;
}

/** Whether s is valid UTF-8 (event lines are JSON, hence UTF-8). */
static int
utf8_valid(const char* s)
{
	json_t* j = json_string(s);
	json_decref(j);
	return j != NULL;
}

/** Whether value is one of the '|'-separated words. */
static int
is_choice(const char* choices, const char* value)
{
	size_t n = strlen(value);
	const char* p = choices;
	while(p) {
		const char* bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if(len == n && strncmp(p, value, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

/** Set one option from its textual value; 0 or -1 with err set. */
static int
set_option(struct ata_config* cfg, const struct ata_option* o,
	const char* value, const char* where, char* err, size_t errlen)
{
	void* p = (char*)cfg + o->offset;
	unsigned long v;
	char* copy;
	switch(o->type) {
	case ATA_OPT_BOOL:
		if(strcmp(value, "yes") == 0)
			*(int*)p = 1;
		else if(strcmp(value, "no") == 0)
			*(int*)p = 0;
		else {
			fail(err, errlen, "%s: %s must be yes or no, not '%s'",
				where, o->name, value);
			return -1;
		}
		return 0;
	case ATA_OPT_UINT:
		if(parse_ulong(value, &v) != 0) {
			fail(err, errlen, "%s: %s must be a whole number, "
				"not '%s'", where, o->name, value);
			return -1;
		}
		if(v < o->min || v > o->max) {
			fail(err, errlen, "%s: %s %s is out of range "
				"(%lu to %lu)", where, o->name, value, o->min,
				o->max);
			return -1;
		}
		*(unsigned*)p = (unsigned)v;
		return 0;
	case ATA_OPT_CHOICE:
		if(!is_choice(o->choices, value)) {
			fail(err, errlen, "%s: %s must be one of %s, not '%s'",
				where, o->name, o->choices, value);
			return -1;
		}
		/* fall through */
	case ATA_OPT_STRING:
		if(!utf8_valid(value)) {
			fail(err, errlen, "%s: %s is not valid UTF-8", where,
				o->name);
			return -1;
		}
		if(!(copy = strdup(value))) {
			fail(err, errlen, "%s: out of memory", where);
			return -1;
		}
		free(*(char**)p);
		*(char**)p = copy;
		return 0;
	}
	return -1;
}

struct ata_config*
ata_config_new(void)
{
	struct ata_config* cfg = calloc(1, sizeof(*cfg));
	char err[64];
	size_t i;
	if(!cfg)
		return NULL;
	for(i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if(set_option(cfg, &options[i], options[i].def, "default",
			err, sizeof(err)) != 0) {
			ata_config_delete(cfg);
			return NULL;
		}
	}
	if(!(cfg->source = strdup("defaults"))) {
		ata_config_delete(cfg);
		return NULL;
	}
	return cfg;
}

void
ata_config_delete(struct ata_config* cfg)
{
	size_t i;
	if(!cfg)
		return;
	for(i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if(options[i].type == ATA_OPT_STRING
			|| options[i].type == ATA_OPT_CHOICE)
			free(*(char**)((char*)cfg + options[i].offset));
	free(cfg->source);
	free(cfg);
}

static char*
trim(char* s)
{
	char* e;
	while(*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while(e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/**
 * Split one line (modified in place) into name and value, dropping the
 * comment and the quotes. Returns 1 for an option, 0 for a blank line,
 * -1 for a malformed one.
 */
static int
split_line(char* line, char** name, char** value, const char** why)
{
	char *p, *colon, *v;
	int quoted = 0;
	for(p = line; *p; p++) {
		if(*p == '"')
			quoted = !quoted;
		else if(*p == '#' && !quoted) {
			*p = 0;
			break;
		}
	}
	line = trim(line);
	if(!*line)
		return 0;
	if(quoted) {
		*why = "unterminated quote";
		return -1;
	}
	if(!(colon = strchr(line, ':'))) {
		*why = "expected 'name: value'";
		return -1;
	}
	*colon = 0;
	*name = trim(line);
	v = trim(colon + 1);
	if(*v == '"') {
		size_t n = strlen(v);
		if(n < 2 || v[n - 1] != '"' || memchr(v + 1, '"', n - 2)) {
			*why = "a quoted value must be one \"...\" string";
			return -1;
		}
		v[n - 1] = 0;
		v++;
	} else if(strchr(v, '"')) {
		*why = "stray quote in value";
		return -1;
	} else if(!*v) {
		*why = "missing value";
		return -1;
	}
	*value = v;
	for(p = *name; *p; p++)
		if(!(islower((unsigned char)*p) || isdigit((unsigned char)*p)
			|| *p == '-')) {
			*why = "option names are lower case letters, digits "
				"and '-'";
			return -1;
		}
	if(!**name) {
		*why = "missing option name";
		return -1;
	}
	return 1;
}

/** Check and normalise the space-separated zone list in *list. */
static int
normalize_zone_list(char** list, const char* where, char* err, size_t errlen)
{
	char *copy = strdup(*list), *tok, *save = NULL, *out;
	char norm[256];
	size_t len = 0;
	if(!copy || !(out = calloc(1, strlen(*list) * 2 + 2))) {
		free(copy);
		fail(err, errlen, "%s: out of memory", where);
		return -1;
	}
	for(tok = strtok_r(copy, " \t,", &save); tok;
		tok = strtok_r(NULL, " \t,", &save)) {
		if(ata_name_normalize(tok, norm, sizeof(norm)) != 0) {
			fail(err, errlen, "%s: protected-zones: '%s' is not a "
				"zone name", where, tok);
			free(copy);
			free(out);
			return -1;
		}
		len += (size_t)sprintf(out + len, "%s%s", len ? " " : "", norm);
	}
	free(copy);
	free(*list);
	*list = out;
	return 0;
}

int
ata_config_parse_text(struct ata_config* cfg, const char* text,
	const char* name, char* err, size_t errlen)
{
	size_t nopt = sizeof(options) / sizeof(options[0]);
	unsigned char seen[sizeof(options) / sizeof(options[0])];
	char line[ATA_CONFIG_MAX_LINE + 2];
	char where[ATA_CONFIG_MAX_LINE];
	const char* p = text;
	unsigned lineno = 0;

	memset(seen, 0, sizeof(seen));
	while(*p) {
		const char* eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *oname, *value;
		const char* why = NULL;
		size_t i;
		int r;

		lineno++;
		snprintf(where, sizeof(where), "%s:%u", name, lineno);
		if(len > ATA_CONFIG_MAX_LINE) {
			fail(err, errlen, "%s: line longer than %d bytes",
				where, ATA_CONFIG_MAX_LINE);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = 0;
		p += len + (eol ? 1 : 0);
		for(i = 0; i < len; i++)
			if((unsigned char)line[i] < 0x20 && line[i] != '\t'
				&& line[i] != '\r') {
				fail(err, errlen, "%s: control character in "
					"line", where);
				return -1;
			}
		r = split_line(line, &oname, &value, &why);
		if(r == 0)
			continue;
		if(r < 0) {
			fail(err, errlen, "%s: %s", where, why);
			return -1;
		}
		for(i = 0; i < nopt; i++)
			if(strcmp(options[i].name, oname) == 0)
				break;
		if(i == nopt) {
			fail(err, errlen, "%s: unknown option '%s'", where,
				oname);
			return -1;
		}
		if(seen[i]) {
			fail(err, errlen, "%s: %s is set twice", where, oname);
			return -1;
		}
		seen[i] = 1;
		if(set_option(cfg, &options[i], value, where, err, errlen) != 0)
			return -1;
	}
	if(strcmp(cfg->mode, "approve") == 0 && !cfg->approval_file[0]
		&& !cfg->control_socket[0]) {
		fail(err, errlen, "%s: mode approve needs a control-socket or "
			"an approval-file", name);
		return -1;
	}
	if(normalize_zone_list(&cfg->protected_zones, name, err, errlen) != 0)
		return -1;
	if(cfg->nta_lifetime > cfg->nta_max_lifetime) {
		fail(err, errlen, "%s: nta-lifetime %u is longer than "
			"nta-max-lifetime %u", name, cfg->nta_lifetime,
			cfg->nta_max_lifetime);
		return -1;
	}
	return 0;
}

/** Read a whole (small) file; NULL with err set on failure. */
static char*
read_file(const char* path, char* err, size_t errlen)
{
	FILE* f = fopen(path, "r");
	struct stat st;
	char* buf;
	size_t n;
	if(!f) {
		fail(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if(fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fail(err, errlen, "%s is not a regular file", path);
		fclose(f);
		return NULL;
	}
	if(st.st_size > 1024 * 1024) {
		fail(err, errlen, "%s is larger than 1 MiB", path);
		fclose(f);
		return NULL;
	}
	if(!(buf = malloc((size_t)st.st_size + 1))) {
		fail(err, errlen, "out of memory reading %s", path);
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	if(ferror(f)) {
		fail(err, errlen, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if(memchr(buf, 0, n)) {
		fail(err, errlen, "%s contains a NUL byte", path);
		free(buf);
		return NULL;
	}
	return buf;
}

struct ata_config*
ata_config_load(const char* path, char* err, size_t errlen)
{
	struct ata_config* cfg;
	char* text;
	if(!(text = read_file(path, err, errlen)))
		return NULL;
	if(!(cfg = ata_config_new())) {
		fail(err, errlen, "out of memory");
		free(text);
		return NULL;
	}
	if(ata_config_parse_text(cfg, text, path, err, errlen) != 0) {
		free(text);
		ata_config_delete(cfg);
		return NULL;
	}
	free(text);
	free(cfg->source);
	if(!(cfg->source = strdup(path))) {
		fail(err, errlen, "out of memory");
		ata_config_delete(cfg);
		return NULL;
	}
	return cfg;
}

void
ata_config_print(const struct ata_config* cfg, FILE* out)
{
	size_t i;
	for(i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct ata_option* o = &options[i];
		const void* p = (const char*)cfg + o->offset;
		switch(o->type) {
		case ATA_OPT_BOOL:
			fprintf(out, "%s: %s\n", o->name,
				*(const int*)p ? "yes" : "no");
			break;
		case ATA_OPT_UINT:
			fprintf(out, "%s: %u\n", o->name, *(const unsigned*)p);
			break;
		case ATA_OPT_STRING:
			fprintf(out, "%s: \"%s\"\n", o->name,
				*(char* const*)p);
			break;
		case ATA_OPT_CHOICE:
			fprintf(out, "%s: %s\n", o->name, *(char* const*)p);
			break;
		}
	}
}

void*
ata_config_to_json(const struct ata_config* cfg)
{
	json_t* obj = json_object();
	size_t i;
	if(!obj)
		return NULL;
	for(i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct ata_option* o = &options[i];
		const void* p = (const char*)cfg + o->offset;
		json_t* v = NULL;
		switch(o->type) {
		case ATA_OPT_BOOL:
			v = json_boolean(*(const int*)p);
			break;
		case ATA_OPT_UINT:
			v = json_integer(*(const unsigned*)p);
			break;
		case ATA_OPT_STRING:
		case ATA_OPT_CHOICE:
			v = json_string(*(char* const*)p);
			break;
		}
		if(json_object_set_new(obj, o->name, v) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}
