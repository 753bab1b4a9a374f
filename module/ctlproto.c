/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Control protocol requests, see ctlproto.h.
 */
#include "ctlproto.h"

#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ata_ctl_command commands[ATA_CTL_NCMDS] = {
	[ATA_CTL_STATUS] = { "status", "", 0, 0, 0,
		"mode, uptime, NTAs in force and the module's health" },
	[ATA_CTL_LIST] = { "list", "", 0, 0, 0,
		"autonta's NTAs and recommendations, one a line" },
	[ATA_CTL_SHOW] = { "show", "ZONE", 1, 1, 1,
		"one zone: its NTA, full evidence and recent events" },
	[ATA_CTL_ADD] = { "add", "ZONE [LIFETIME]", 1, 2, 1,
		"add an NTA by hand; it expires after LIFETIME" },
	[ATA_CTL_REMOVE] = { "remove", "ZONE", 1, 1, 1,
		"remove autonta's NTA (or recommendation) for ZONE" },
	[ATA_CTL_APPROVE] = { "approve", "ZONE [ID]", 1, 2, 1,
		"approve mode: install the recommended NTA" },
	[ATA_CTL_REJECT] = { "reject", "ZONE [ID]", 1, 2, 1,
		"approve mode: turn the recommendation down" },
	[ATA_CTL_MODE] = { "mode", "enforce|advise|approve", 1, 1, 0,
		"change the mode in force" },
	[ATA_CTL_STATS] = { "stats", "", 0, 0, 0,
		"counters since the module started" },
	[ATA_CTL_REOPEN_LOG] = { "reopen-log", "", 0, 0, 0,
		"reopen the event log file (after a rotation)" },
};

const struct ata_ctl_command*
ata_ctl_command(enum ata_ctl_cmd cmd)
{
	return cmd < ATA_CTL_NCMDS ? &commands[cmd] : NULL;
}

int
ata_ctl_lookup(const char* name)
{
	int i;
	for(i = 0; i < ATA_CTL_NCMDS; i++)
		if(strcmp(commands[i].name, name) == 0)
			return i;
	return -1;
}

int
ata_ctl_parse_duration(const char* s, unsigned* secs)
{
	unsigned long v, unit = 1;
	char* end;
	if(!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if(errno)
		return -1;
	switch(*end) {
	case 0: case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return -1;
	}
	if(*end && end[1])
		return -1;
	if(v > 315360000UL / unit)
		return -1;
	*secs = (unsigned)(v * unit);
	return 0;
}

/** Split line into at most max words (modified copy in buf). */
static int
split(char* buf, char** words, int max)
{
	int n = 0;
	char *save = NULL, *w;
	for(w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t",
		&save)) {
		if(n == max)
			return max + 1;
		words[n++] = w;
	}
	return n;
}

static int
bad(char* err, size_t errlen, const char** code, const char* ecode,
	const char* fmt, const char* arg)
{
	snprintf(err, errlen, fmt, arg);
	*code = ecode;
	return -1;
}

int
ata_ctl_parse(const char* line, struct ata_ctl_request* req, char* err,
	size_t errlen, const char** code)
{
	char buf[ATA_CTL_MAX_LINE + 1], *w[4], *end;
	const struct ata_ctl_command* c;
	size_t i, len = strlen(line);
	unsigned long version;
	int n, cmd;

	memset(req, 0, sizeof(*req));
	if(len > ATA_CTL_MAX_LINE)
		return bad(err, errlen, code, ATA_CTL_E_USAGE,
			"request longer than %s bytes", "1024");
	for(i = 0; i < len; i++)
		if(!isprint((unsigned char)line[i]) && line[i] != '\t')
			return bad(err, errlen, code, ATA_CTL_E_USAGE,
				"%s", "request with a control or non-ASCII "
				"byte");
	memcpy(buf, line, len + 1);
	if((n = split(buf, w, 4)) > 4)
		return bad(err, errlen, code, ATA_CTL_E_USAGE, "%s",
			"too many arguments");
	if(n < 2 || strncmp(w[0], ATA_CTL_MAGIC, strlen(ATA_CTL_MAGIC)) != 0)
		return bad(err, errlen, code, ATA_CTL_E_USAGE, "%s",
			"not a request: expected 'AUTONTA/1 COMMAND ...'");
	errno = 0;
	version = strtoul(w[0] + strlen(ATA_CTL_MAGIC), &end, 10);
	if(errno || *end || !isdigit((unsigned char)w[0][strlen(
		ATA_CTL_MAGIC)]) || (w[0][strlen(ATA_CTL_MAGIC)] == '0'
		&& w[0][strlen(ATA_CTL_MAGIC) + 1]))	/* no "AUTONTA/01" */
		return bad(err, errlen, code, ATA_CTL_E_USAGE, "bad protocol "
			"word '%.20s'", w[0]);
	if(version != ATA_CTL_VERSION)
		return bad(err, errlen, code, ATA_CTL_E_VERSION, "protocol "
			"version %.20s is not spoken here (this is version 1)",
			w[0] + strlen(ATA_CTL_MAGIC));
	if((cmd = ata_ctl_lookup(w[1])) < 0)
		return bad(err, errlen, code, ATA_CTL_E_USAGE,
			"unknown command '%.40s'", w[1]);
	c = &commands[cmd];
	req->cmd = (enum ata_ctl_cmd)cmd;
	n -= 2;
	if(n < c->min_args || n > c->max_args) {
		snprintf(err, errlen, "usage: %s%s%s", c->name,
			*c->args ? " " : " (no arguments)", c->args);
		*code = ATA_CTL_E_USAGE;
		return -1;
	}
	if(c->zone_arg && ata_name_normalize(w[2], req->zone,
		sizeof(req->zone)) != 0)
		return bad(err, errlen, code, ATA_CTL_E_USAGE,
			"'%.255s' is not a zone name", w[2]);
	switch(req->cmd) {
	case ATA_CTL_MODE:
		if(strcmp(w[2], "enforce") != 0 && strcmp(w[2], "advise") != 0
			&& strcmp(w[2], "approve") != 0)
			return bad(err, errlen, code, ATA_CTL_E_USAGE,
				"mode must be enforce, advise or approve, not "
				"'%.40s'", w[2]);
		snprintf(req->word, sizeof(req->word), "%s", w[2]);
		break;
	case ATA_CTL_ADD:
		if(n == 2 && ata_ctl_parse_duration(w[3], &req->lifetime) != 0)
			return bad(err, errlen, code, ATA_CTL_E_USAGE,
				"'%.40s' is not a lifetime (seconds, or a "
				"number with s, m, h or d)", w[3]);
		if(n == 2 && req->lifetime == 0)
			return bad(err, errlen, code, ATA_CTL_E_USAGE, "%s",
				"a lifetime of 0");
		break;
	case ATA_CTL_APPROVE:
	case ATA_CTL_REJECT:
		if(n == 2) {
			if(strlen(w[3]) >= sizeof(req->word))
				return bad(err, errlen, code, ATA_CTL_E_USAGE,
					"'%.40s' is not a recommendation id",
					w[3]);
			snprintf(req->word, sizeof(req->word), "%s", w[3]);
		}
		break;
	default:
		break;
	}
	return 0;
}
