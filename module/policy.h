/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Which zones autonta may put an NTA on. Pure: a zone name and the
 * configuration in, a refusal reason (or none) out.
 */
#ifndef ATA_POLICY_H
#define ATA_POLICY_H
#include <stddef.h>

struct ata_config;

/**
 * Why zone may not get an NTA, or NULL when it may.
 * Reasons: "root" (never an NTA for the root), "out-of-scope" (deeper
 * than nta-scope allows: "tld" top-level domains, "psl" public suffixes
 * in libpsl's built-in list, "any"), "protected" (in protected-zones).
 */
const char* ata_policy_refusal(const struct ata_config* cfg,
	const char* zone);

/**
 * Why an operator's manual NTA (autonta-control add) may not be put on
 * zone, or NULL: "root" or "protected"; nta-scope limits only what autonta
 * decides by itself.
 */
const char* ata_policy_manual_refusal(const struct ata_config* cfg,
	const char* zone);

/**
 * Check and normalise a zone name: lower case, with the final dot, labels
 * of 1 to 63 letters, digits, '-' or '_', at most 253 characters.
 * @return 0, or -1 when it is not such a name.
 */
int ata_name_normalize(const char* in, char* out, size_t outlen);

/** Number of labels of a presentation name ("." has 0, "de." 1). */
int ata_name_labels(const char* zone);

#endif /* ATA_POLICY_H */
