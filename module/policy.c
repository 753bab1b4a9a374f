/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * NTA policy, see policy.h.
 */
#include "policy.h"

#include "cfgfile.h"

#include <string.h>

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

const char*
ata_policy_refusal(const struct ata_config* cfg, const char* zone)
{
	int labels = ata_name_labels(zone);
	if(labels == 0)
		return "root";
	if(strcmp(cfg->nta_scope, "tld") == 0 && labels > 1)
		return "out-of-scope";
	return NULL;
}
