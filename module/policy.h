/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Which zones autonta may put an NTA on. Pure: a zone name and the
 * configuration in, a refusal reason (or none) out.
 */
#ifndef ATA_POLICY_H
#define ATA_POLICY_H

struct ata_config;

/**
 * Why zone may not get an NTA, or NULL when it may.
 * Reasons: "root" (never an NTA for the root), "out-of-scope" (deeper
 * than nta-scope allows).
 */
const char* ata_policy_refusal(const struct ata_config* cfg,
	const char* zone);

/** Number of labels of a presentation name ("." has 0, "de." 1). */
int ata_name_labels(const char* zone);

#endif /* ATA_POLICY_H */
