/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * The NTA board (see ntaboard.h).
 */
#include "ntaboard.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
ata_ntaboard_init(struct ata_ntaboard* b)
{
	pthread_rwlock_t init = PTHREAD_RWLOCK_INITIALIZER;
	memset(b, 0, sizeof(*b));
	b->lock = init;
	atomic_init(&b->count, 0);
}

void
ata_ntaboard_deinit(struct ata_ntaboard* b)
{
	pthread_rwlock_destroy(&b->lock);
}

size_t
ata_name_to_wire(const char* name, uint8_t* out, size_t outlen)
{
	size_t o = 0, start;
	const char* p = name;
	if(!*name)
		return 0;
	if(strcmp(name, ".") == 0) {
		if(outlen < 1)
			return 0;
		out[0] = 0;
		return 1;
	}
	while(*p) {
		start = o++;
		while(*p && *p != '.') {
			if(!(isalnum((unsigned char)*p) || *p == '-' || *p == '_')
				|| o >= outlen || o - start > 63)
				return 0;
			out[o++] = (uint8_t)tolower((unsigned char)*p++);
		}
		if(o - start == 1 || *p != '.')	/* empty label, or no final dot */
			return 0;
		out[start] = (uint8_t)(o - start - 1);
		p++;
	}
	if(o >= outlen || o + 1 > 255)
		return 0;
	out[o++] = 0;
	return o;
}

int
ata_ntaboard_publish(struct ata_ntaboard* b, const struct ata_board_entry* e,
	unsigned n)
{
	struct ata_board_entry ne[ATA_BOARD_MAX];
	uint8_t nw[ATA_BOARD_MAX][256];
	size_t nl[ATA_BOARD_MAX];
	static char nt[ATA_BOARD_MAX][ATA_EDE_TEXT_MAX];	/* one publisher */
	unsigned i, k = 0;
	int changed;
	for(i = 0; i < n && k < ATA_BOARD_MAX; i++) {
		if(!(nl[k] = ata_name_to_wire(e[i].zone, nw[k], sizeof(nw[k]))))
			continue;
		if(ata_ede_nta_text(&e[i], nt[k], sizeof(nt[k])) != 0)
			continue;
		memset(&ne[k], 0, sizeof(ne[k]));
		snprintf(ne[k].zone, sizeof(ne[k].zone), "%s", e[i].zone);
		ne[k].end = e[i].end;
		k++;
	}
	pthread_rwlock_wrlock(&b->lock);
	changed = k != atomic_load(&b->count)
		|| memcmp(ne, b->e, k * sizeof(ne[0])) != 0;
	if(changed) {
		memcpy(b->e, ne, k * sizeof(ne[0]));
		for(i = 0; i < k; i++) {
			memcpy(b->wire[i], nw[i], nl[i]);
			b->wirelen[i] = nl[i];
			memcpy(b->text[i], nt[i], sizeof(nt[i]));
		}
		atomic_store(&b->count, k);
	}
	pthread_rwlock_unlock(&b->lock);
	return changed;
}

/** Whether two wire names of the same length are equal, ignoring case. */
static int
wire_equal(const uint8_t* a, const uint8_t* b, size_t len)
{
	size_t i;
	for(i = 0; i < len; i++)
		if(tolower(a[i]) != tolower(b[i]))
			return 0;
	return 1;
}

/** The closest NTA covering qname (read lock held): its index, or -1.
 * Every suffix of qname on a label boundary, longest first. */
static int
find(const struct ata_ntaboard* b, const uint8_t* qname, size_t qlen)
{
	unsigned i, n = atomic_load(&b->count);
	size_t off = 0;
	while(off < qlen) {
		for(i = 0; i < n; i++)
			if(b->wirelen[i] == qlen - off
				&& wire_equal(qname + off, b->wire[i], qlen - off))
				return (int)i;
		if(qname[off] == 0 || (qname[off] & 0xc0))
			break;	/* the root, or a compression pointer */
		off += (size_t)qname[off] + 1;
	}
	return -1;
}

int
ata_ntaboard_match(struct ata_ntaboard* b, const uint8_t* qname,
	size_t qlen, struct ata_board_entry* out)
{
	int i;
	if(atomic_load_explicit(&b->count, memory_order_relaxed) == 0 || !qname)
		return 0;
	pthread_rwlock_rdlock(&b->lock);
	if((i = find(b, qname, qlen)) >= 0 && out)
		*out = b->e[i];
	pthread_rwlock_unlock(&b->lock);
	return i >= 0;
}

int
ata_ntaboard_text(struct ata_ntaboard* b, const uint8_t* qname, size_t qlen,
	char* text, size_t len)
{
	int i;
	if(atomic_load_explicit(&b->count, memory_order_relaxed) == 0 || !qname
		|| len == 0)
		return 0;
	pthread_rwlock_rdlock(&b->lock);
	if((i = find(b, qname, qlen)) >= 0)
		snprintf(text, len, "%s", b->text[i]);
	pthread_rwlock_unlock(&b->lock);
	return i >= 0;
}

int
ata_ede_nta_text(const struct ata_board_entry* e, char* buf, size_t len)
{
	struct tm tm;
	char end[32];
	int n;
	if(!gmtime_r(&e->end, &tm)
		|| strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	/* zone names are hostname characters: nothing to escape */
	n = snprintf(buf, len, "{\"domain\":\"%s\",\"end\":\"%s\"}", e->zone,
		end);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
