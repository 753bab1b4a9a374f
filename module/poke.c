/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Poke queries, see poke.h.
 */
#include "poke.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/** The name under which pokes are asked (never leaves Unbound). */
static const char poke_suffix[] = "\014autonta-poke";

int
ata_poke_init(struct ata_poke* p, const char* host, int port)
{
	uint8_t rnd[ATA_POKE_TOKEN_LEN / 2];
	struct sockaddr_in* a4 = (struct sockaddr_in*)&p->addr;
	struct sockaddr_in6* a6 = (struct sockaddr_in6*)&p->addr;
	size_t i;
	memset(p, 0, sizeof(*p));
	/* never block (early boot): fall back to weaker entropy; the token
	 * only keeps clients from making autonta answer their queries */
	if(getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		struct timespec t;
		uint64_t x;
		clock_gettime(CLOCK_REALTIME, &t);
		x = (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15ULL
			^ (uint64_t)t.tv_sec ^ ((uint64_t)getpid() << 32);
		for(i = 0; i < sizeof(rnd); i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			rnd[i] = (uint8_t)x;
		}
	}
	for(i = 0; i < sizeof(rnd); i++)
		snprintf(p->token + 2 * i, 3, "%02x", rnd[i]);
	if(!host || !*host)
		return -1;
	if(inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		p->addrlen = sizeof(*a4);
		return 0;
	}
	if(inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		p->addrlen = sizeof(*a6);
		return 0;
	}
	return -1;
}

size_t
ata_poke_build(struct ata_poke* p, uint8_t* buf, size_t len)
{
	char label[64];
	int n = snprintf(label, sizeof(label), "%s%08x", p->token,
		(unsigned)p->counter++);
	size_t need = 12 + 1 + (size_t)n + sizeof(poke_suffix) + 4;
	uint16_t id = (uint16_t)p->counter;
	size_t off = 12;
	if(len < need)
		return 0;
	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01;			/* RD */
	buf[5] = 1;			/* QDCOUNT */
	buf[off++] = (uint8_t)n;
	memcpy(buf + off, label, (size_t)n);
	off += (size_t)n;
	memcpy(buf + off, poke_suffix, sizeof(poke_suffix));	/* with root */
	off += sizeof(poke_suffix);
	buf[off++] = 0; buf[off++] = 1;	/* A */
	buf[off++] = 0; buf[off++] = 1;	/* IN */
	return off;
}

int
ata_poke_match(const char* token, const uint8_t* qname)
{
	return qname[0] == ATA_POKE_TOKEN_LEN + 8
		&& memcmp(qname + 1, token, ATA_POKE_TOKEN_LEN) == 0;
}

int
ata_poke_send(struct ata_poke* p)
{
	uint8_t buf[128];
	size_t n;
	ssize_t r;
	int fd;
	if(!p->addrlen)
		return -1;
	if(!(n = ata_poke_build(p, buf, sizeof(buf))))
		return -1;
	fd = socket(p->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC
		| SOCK_NONBLOCK, 0);
	if(fd < 0)
		return -1;
	r = sendto(fd, buf, n, 0, (struct sockaddr*)&p->addr, p->addrlen);
	close(fd);
	return r == (ssize_t)n ? 0 : -1;
}
