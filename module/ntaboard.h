/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The NTA board: autonta's NTAs in force, published by autonta's thread
 * and read by Unbound's worker threads as they send answers, to mark the
 * answers under an autonta NTA with EDE 33 (Negative Trust Anchor). One
 * atomic load when no NTA is in force; otherwise a read lock and a
 * label-by-label comparison of the query name in wire format.
 */
#ifndef ATA_NTABOARD_H
#define ATA_NTABOARD_H
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/** NTAs shown on the board: as many as autonta can hold (ATA_NTA_MAX). */
#define ATA_BOARD_MAX 256
/** The EDE INFO-CODE for an answer under a negative trust anchor. */
#define ATA_EDE_NTA 33
/** Room for the EXTRA-TEXT of EDE 33. */
#define ATA_EDE_TEXT_MAX 320

/** One NTA in force. */
struct ata_board_entry {
	/** the zone, normalized presentation form ("de.") */
	char zone[256];
	/** when it expires (wall clock) */
	time_t end;
};

struct ata_ntaboard {
	/** guards the entries */
	pthread_rwlock_t lock;
	/** how many entries: read without the lock for the fast path */
	atomic_uint count;
	/** the entries, with their names in wire format */
	struct ata_board_entry e[ATA_BOARD_MAX];
	uint8_t wire[ATA_BOARD_MAX][256];
	size_t wirelen[ATA_BOARD_MAX];
	/** their EDE 33 EXTRA-TEXT, made once when published */
	char text[ATA_BOARD_MAX][ATA_EDE_TEXT_MAX];
};

/** An empty board (cannot fail). */
void ata_ntaboard_init(struct ata_ntaboard* b);

void ata_ntaboard_deinit(struct ata_ntaboard* b);

/**
 * Replace the board with these entries (autonta's thread); entries whose
 * zone is not a name, or beyond ATA_BOARD_MAX, are left out.
 * @return 1 if the board changed, 0 if it was already so.
 */
int ata_ntaboard_publish(struct ata_ntaboard* b,
	const struct ata_board_entry* e, unsigned n);

/**
 * The NTA covering a query name (any thread).
 * @param qname: wire format, uncompressed, qlen bytes.
 * @param out: receives the entry (zone and end) when there is one.
 * @return 1 if qname is at or below an NTA on the board, else 0.
 */
int ata_ntaboard_match(struct ata_ntaboard* b, const uint8_t* qname,
	size_t qlen, struct ata_board_entry* out);

/**
 * The EDE 33 EXTRA-TEXT for a query name at or below an NTA on the board
 * (any thread; what the reply callbacks use: nothing is formatted there).
 * @return 1 with the text copied to text, or 0 if no NTA covers qname.
 */
int ata_ntaboard_text(struct ata_ntaboard* b, const uint8_t* qname,
	size_t qlen, char* text, size_t len);

/**
 * A name in presentation form as wire format (hostname characters only,
 * as ata_name_normalize accepts).
 * @return its length, or 0 if it is not such a name or out is too small.
 */
size_t ata_name_to_wire(const char* name, uint8_t* out, size_t outlen);

/**
 * The EXTRA-TEXT of EDE 33 for an answer under an NTA: a compact JSON
 * object {"domain":"de.","end":"2026-05-05T16:37:00Z"} naming the NTA's
 * domain and its expected end.
 * @return 0, or -1 if it does not fit.
 */
int ata_ede_nta_text(const struct ata_board_entry* e, char* buf,
	size_t len);

#endif /* ATA_NTABOARD_H */
