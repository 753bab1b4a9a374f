/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Evidence before action (RFC 7646 §7 asks for it): before autonta puts an
 * NTA on a zone, it asks every authoritative server of the zone, one at a
 * time pinned as the only server for the zone and over TCP (so an off-path
 * spoofer cannot answer), whether the zone's DNSKEY and SOA and the names
 * that failed validate against the parent's DS. The failure is confirmed
 * only when every server shows it. The key tags each server publishes and
 * the DS key tags in the parent go into the evidence.
 *
 * Runs in the check thread (recheck.c), with libunbound contexts built as
 * the recheck's (no daemon config, a copy of the trust anchors).
 */
#ifndef ATA_EVIDENCE_H
#define ATA_EVIDENCE_H
#include "recheck.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** Most NS names and addresses asked. */
#define ATA_EVIDENCE_MAX_NS 13
#define ATA_EVIDENCE_MAX_ADDRS 32
/** Failed names asked of every server. */
#define ATA_EVIDENCE_NAMES 3

/**
 * Gather the evidence for zone (see above).
 * @param stop: abandon when it becomes nonzero.
 * @return the result (verdict "confirmed" or "unconfirmed" with reason,
 *	evidence object), or NULL when out of memory.
 */
struct ata_recheck_result* ata_evidence_run(const struct ata_recheck_setup* s,
	FILE* devnull, atomic_int* stop, const char* zone,
	char (*names)[ATA_NAME_MAX], const uint16_t* types, int n);

/**
 * Key tag of a DNSKEY from its RDATA (RFC 4034, Appendix B).
 * @return the tag, or -1 when the RDATA is too short to be a DNSKEY.
 */
int ata_dnskey_tag(const uint8_t* rdata, size_t len);

/**
 * Parse DS RDATA.
 * @return 0, or -1 when it is too short.
 */
int ata_ds_parse(const uint8_t* rdata, size_t len, uint16_t* tag,
	uint8_t* alg, uint8_t* digest_type);

#endif /* ATA_EVIDENCE_H */
