/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * One validation verdict as autonta sees it: plain data that leaves the
 * Unbound adapter on a worker thread and is consumed by autonta's thread.
 */
#ifndef ATA_OUTCOME_H
#define ATA_OUTCOME_H
#include <stdint.h>
#include <time.h>

/** Room for a name as Unbound's dname_str() writes it (<= 255 chars) + NUL. */
#define ATA_NAME_MAX 256

/** Security status of an answer (mirrors Unbound's sec_status). */
enum ata_sec {
	ATA_SEC_NONE,		/**< no answer message (resolution error) */
	ATA_SEC_UNCHECKED,	/**< not validated */
	ATA_SEC_BOGUS,		/**< validation failed */
	ATA_SEC_INDETERMINATE,	/**< no trust anchor covers it */
	ATA_SEC_INSECURE,	/**< provably unsigned */
	ATA_SEC_SECURE		/**< validated */
};

/** How the zone to blame for a bogus answer was found. */
enum ata_step {
	ATA_STEP_NONE,		/**< not bogus, or nothing to blame */
	ATA_STEP_DNSKEY,	/**< the zone's DNSKEY set failed against its DS */
	ATA_STEP_DS,		/**< a DS (or its denial) signed by the parent failed */
	ATA_STEP_ANCHOR,	/**< the trust anchor itself failed */
	ATA_STEP_ANSWER,	/**< good keys, bogus answer: the signer is to blame */
	ATA_STEP_CACHED_KEY	/**< a cached bad key, step unknown: best guess */
};

/** Where the verdict was observed. */
enum ata_source {
	ATA_SRC_VALIDATED,	/**< the validator just finished the query */
	ATA_SRC_CACHED_BOGUS	/**< a cached bogus answer turned into SERVFAIL */
};

/** One observed verdict. Strings are presentation format, lower case. */
struct ata_outcome {
	/** next in the queue (owned by the queue) */
	struct ata_outcome* next;
	/** wall-clock time of the observation */
	struct timespec when;
	/** query name, "de." style */
	char qname[ATA_NAME_MAX];
	/** zone to blame ("" when none) */
	char zone[ATA_NAME_MAX];
	/** name of the validator's bad key entry ("" when none) */
	char bad_key[ATA_NAME_MAX];
	/** reason text from Unbound, malloc'ed, or NULL */
	char* reason;
	/** query type */
	uint16_t qtype;
	/** DNS rcode of the answer (before a bogus answer becomes SERVFAIL) */
	uint8_t rcode;
	/** enum ata_sec */
	uint8_t sec;
	/** enum ata_step */
	uint8_t step;
	/** enum ata_source */
	uint8_t source;
	/** extended DNS error code, -1 when none */
	int ede;
};

#endif /* ATA_OUTCOME_H */
