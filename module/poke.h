/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The poke: a DNS query autonta's thread sends to Unbound itself so that a
 * worker runs operate() soon, and with it the posted NTA actions (see
 * actions.h). Its first label is a random token only this process knows,
 * followed by a counter so that it never hits the message cache; operate()
 * answers it REFUSED at once, without recursion. A forged poke can only
 * make a worker run actions autonta has already decided.
 */
#ifndef ATA_POKE_H
#define ATA_POKE_H
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/** Length of the token (hex characters). */
#define ATA_POKE_TOKEN_LEN 32

/** Where and how to poke. */
struct ata_poke {
	/** Unbound's address */
	struct sockaddr_storage addr;
	/** its length; 0 when poking is off */
	socklen_t addrlen;
	/** the token, hex, NUL-terminated */
	char token[ATA_POKE_TOKEN_LEN + 1];
	/** makes every poke name unique */
	uint32_t counter;
};

/**
 * Set up: a fresh random token and the address to send to.
 * @param host: numeric IPv4 or IPv6 address ("" or NULL: poking off).
 * @param port: UDP port.
 * @return 0, or -1 when host is not a numeric address (poking off).
 */
int ata_poke_init(struct ata_poke* p, const char* host, int port);

/**
 * Build the poke query into buf.
 * @return its length, or 0 if buf is too small.
 */
size_t ata_poke_build(struct ata_poke* p, uint8_t* buf, size_t len);

/**
 * Whether a wire-format query name is a poke of this token.
 */
int ata_poke_match(const char* token, const uint8_t* qname);

/** Send one poke (fire and forget). 0, or -1 when it could not be sent. */
int ata_poke_send(struct ata_poke* p);

#endif /* ATA_POKE_H */
