/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA policy, see policy.h.
 */
#include "policy.h"

#include "cfgfile.h"

#include <ctype.h>
#include <libpsl.h>
#include <string.h>

int
ata_name_normalize(const char* in, char* out, size_t outlen)
{
	size_t n = strlen(in), i, o = 0, label = 0;
	if(strcmp(in, ".") == 0) {
		if(outlen < 2)
			return -1;
		strcpy(out, ".");
		return 0;
	}
	if(n == 0 || n > 254 || (n == 254 && in[n - 1] != '.')
		|| outlen < n + 2 || in[0] == '.')
		return -1;
	for(i = 0; i < n; i++) {
		char c = in[i];
		if(c == '.') {
			if(label == 0)
				return -1;	/* empty label */
			label = 0;
		} else if(isalnum((unsigned char)c) || c == '-' || c == '_') {
			if(++label > 63)
				return -1;
			c = (char)tolower((unsigned char)c);
		} else
			return -1;
		out[o++] = c;
	}
	if(out[o - 1] != '.')
		out[o++] = '.';
	out[o] = 0;
	return o - 1 > 253 ? -1 : 0;
}

int
ata_name_labels(const char* zone)
{
	int n = 0;
	if(strcmp(zone, ".") == 0 || !*zone)
		return 0;
	for(; *zone; zone++)
		if(*zone == '.')
			n++;
	return n;
}

/**
 * Whether zone is a public suffix (ICANN or private section) according to
 * the list built into Debian's libpsl. TLDs always are.
 */
static int
is_public_suffix(const char* zone)
{
	char name[256];
	size_t n = strlen(zone);
	if(n == 0 || n >= sizeof(name))
		return 0;
	memcpy(name, zone, n + 1);
	if(name[n - 1] == '.')
		name[n - 1] = 0;	/* libpsl takes names without the root */
	return psl_is_public_suffix2(psl_builtin(), name, PSL_TYPE_ANY
		| PSL_TYPE_NO_STAR_RULE);
}

/** Whether zone is one of the listed zones or below one. */
static int
is_protected(const char* list, const char* zone)
{
	size_t zl = strlen(zone);
	while(*list) {
		size_t n = strcspn(list, " ");
		if(n <= zl && strncmp(zone + zl - n, list, n) == 0
			&& (n == zl || zone[zl - n - 1] == '.'))
			return 1;
		list += n;
		while(*list == ' ')
			list++;
	}
	return 0;
}

const char*
ata_policy_refusal(const struct ata_config* cfg, const char* zone)
{
	int labels = ata_name_labels(zone);
	if(labels == 0)
		return "root";
	if(strcmp(cfg->nta_scope, "tld") == 0 && labels > 1)
		return "out-of-scope";
	if(strcmp(cfg->nta_scope, "psl") == 0 && labels > 1
		&& !is_public_suffix(zone))
		return "out-of-scope";
	if(is_protected(cfg->protected_zones, zone))
		return "protected";
	return NULL;
}

const char*
ata_policy_manual_refusal(const struct ata_config* cfg, const char* zone)
{
	if(ata_name_labels(zone) == 0)
		return "root";
	if(is_protected(cfg->protected_zones, zone))
		return "protected";
	return NULL;
}
