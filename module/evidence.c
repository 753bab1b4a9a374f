/* SPDX-License-Identifier: BSD-3-Clause */
/** \file
 * Evidence gathering, see evidence.h. All queries of one step run at once
 * (libunbound's threaded async mode, one context per server) and the step
 * is abandoned at the setup's timeout or when asked to stop.
 */
#include "evidence.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound.h>

int
ata_dnskey_tag(const uint8_t* rdata, size_t len)
{
	unsigned long ac = 0;
	size_t i;
	if(len < 4)
		return -1;
	for(i = 0; i < len; i++)
		ac += (i & 1) ? rdata[i] : (unsigned long)rdata[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (int)(ac & 0xffff);
}

int
ata_ds_parse(const uint8_t* rdata, size_t len, uint16_t* tag, uint8_t* alg,
	uint8_t* digest_type)
{
	if(len < 4)
		return -1;
	*tag = (uint16_t)(rdata[0] << 8 | rdata[1]);
	*alg = rdata[2];
	*digest_type = rdata[3];
	return 0;
}

/** Presentation name from an answer's wire-format NS RDATA. */
static int
wire_name(const uint8_t* d, int len, char* out, size_t outlen)
{
	size_t o = 0;
	int i = 0;
	while(i < len && d[i]) {
		int l = d[i++], k;
		if(l > 63 || i + l > len)
			return -1;
		for(k = 0; k < l; k++) {
			char c = (char)d[i + k];
			if(o + 2 >= outlen)
				return -1;
			out[o++] = (c == '.' || c == '\\' || (unsigned char)c < 33
				|| (unsigned char)c > 126) ? '?' : c;
		}
		i += l;
		out[o++] = '.';
	}
	if(i >= len)
		return -1;
	if(o == 0)
		out[o++] = '.';
	out[o] = 0;
	return 0;
}

struct ata_recheck_result*
ata_evidence_run(const struct ata_recheck_setup* s, FILE* devnull,
	atomic_int* stop, const char* zone, char (*names)[ATA_NAME_MAX],
	const uint16_t* types, int nnames)
{
	struct ata_recheck_result* res = calloc(1, sizeof(*res));
	struct ub_ctx* ctx[ATA_EVIDENCE_MAX_ADDRS + 2];
	size_t nq = ATA_EVIDENCE_MAX_ADDRS * (2 + ATA_EVIDENCE_NAMES)
		+ 2 * ATA_EVIDENCE_MAX_NS + 2;
	struct ata_check_query* q = calloc(nq, sizeof(*q));
	char ns[ATA_EVIDENCE_MAX_NS][ATA_NAME_MAX];
	char addr[ATA_EVIDENCE_MAX_ADDRS][64];
	int addr_ns[ATA_EVIDENCE_MAX_ADDRS];
	json_t *ev, *servers, *ds;
	const char* why = NULL;
	struct timespec t0;
	int nns = 0, naddr = 0, n, i, k, bogus = 0, secure = 0, other = 0;
	int ds_tags[16], nds = 0;

	if(!res || !q) {
		free(res);
		free(q);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(res->zone, sizeof(res->zone), "%s", zone);
	res->evidence = ev = json_object();
	servers = json_array();
	ds = json_array();
	memset(ctx, 0, sizeof(ctx));
	if(nnames > ATA_EVIDENCE_NAMES)
		nnames = ATA_EVIDENCE_NAMES;

	/* step 1: the zone's servers (not validated: the zone is failing),
	 * and the parent's DS (validated, through the parent) */
	ctx[0] = ata_check_ctx(s, devnull, 0, NULL, NULL, &why);
	ctx[1] = ata_check_ctx(s, devnull, 1, NULL, NULL, &why);
	snprintf(q[0].name, sizeof(q[0].name), "%s", zone);
	q[0].type = 2;	/* NS */
	q[0].ctx = 0;
	snprintf(q[1].name, sizeof(q[1].name), "%s", zone);
	q[1].type = 43;	/* DS */
	q[1].ctx = 1;
	ata_check_batch(ctx, 2, q, 2, s->timeout, stop);
	if(q[0].res && q[0].res->havedata)
		for(i = 0; q[0].res->data[i] && nns < ATA_EVIDENCE_MAX_NS; i++)
			if(wire_name((uint8_t*)q[0].res->data[i],
				q[0].res->len[i], ns[nns], sizeof(ns[0])) == 0)
				nns++;
	json_object_set_new(ev, "ds_result", json_string(ata_check_result(&q[1])));
	if(q[1].res && q[1].res->havedata)
		for(i = 0; q[1].res->data[i]; i++) {
			uint16_t tag;
			uint8_t alg, dt;
			if(ata_ds_parse((uint8_t*)q[1].res->data[i],
				(size_t)q[1].res->len[i], &tag, &alg, &dt) != 0)
				continue;
			if(nds < 16)
				ds_tags[nds++] = tag;
			json_array_append_new(ds, json_pack("{sisisi}",
				"key_tag", tag, "algorithm", alg, "digest_type",
				dt));
		}
	json_object_set_new(ev, "ds", ds);
	ata_check_free(q, 2);
	memset(q, 0, nq * sizeof(*q));

	/* step 2: their addresses */
	n = 0;
	for(i = 0; i < nns; i++) {
		memcpy(q[n].name, ns[i], sizeof(q[n].name));
		q[n].type = 1;
		q[n++].ctx = 0;
		if(s->do_ip6) {
			memcpy(q[n].name, ns[i], sizeof(q[n].name));
			q[n].type = 28;
			q[n++].ctx = 0;
		}
	}
	ata_check_batch(ctx, 1, q, n, s->timeout, stop);
	for(i = 0; i < n; i++) {
		struct ub_result* r = q[i].res;
		int j;
		if(!r || !r->havedata)
			continue;
		for(j = 0; r->data[j] && naddr < ATA_EVIDENCE_MAX_ADDRS; j++) {
			int fam = q[i].type == 1 ? AF_INET : AF_INET6;
			if(r->len[j] != (fam == AF_INET ? 4 : 16))
				continue;
			if(!inet_ntop(fam, r->data[j], addr[naddr],
				sizeof(addr[0])))
				continue;
			addr_ns[naddr++] = i / (s->do_ip6 ? 2 : 1);
		}
	}
	ata_check_free(q, n);
	memset(q, 0, nq * sizeof(*q));
	for(k = 0; k < 2; k++)
		if(ctx[k])
			ub_ctx_delete(ctx[k]);
	ctx[0] = ctx[1] = NULL;

	/* step 3: every address, pinned and over TCP. One fresh context per
	 * query: within a context, a server that served bogus data is
	 * marked DNSSEC-lame for the others, which would then fail for
	 * want of a server instead of showing what it serves. Queries run
	 * in rounds, one per query, all servers at once. */
	n = naddr * (2 + nnames);
	for(k = 0; k < naddr; k++) {
		struct ata_check_query* b = &q[k * (2 + nnames)];
		snprintf(b[0].name, sizeof(b[0].name), "%s", zone);
		b[0].type = 48;
		snprintf(b[1].name, sizeof(b[1].name), "%s", zone);
		b[1].type = 6;
		for(i = 0; i < nnames; i++) {
			memcpy(b[2 + i].name, names[i], sizeof(b[2 + i].name));
			b[2 + i].type = types[i];
		}
	}
	for(i = 0; i < 2 + nnames && !atomic_load(stop); i++) {
		struct ata_check_query round[ATA_EVIDENCE_MAX_ADDRS];
		for(k = 0; k < naddr; k++) {
			ctx[k] = ata_check_ctx(s, devnull, 1, zone, addr[k], &why);
			round[k] = q[k * (2 + nnames) + i];
			round[k].ctx = k;
		}
		ata_check_batch(ctx, naddr, round, naddr, s->timeout, stop);
		for(k = 0; k < naddr; k++) {
			/* deleting the context abandons what is still under way;
			 * a result delivered is the round's to keep */
			if(ctx[k])
				ub_ctx_delete(ctx[k]);
			ctx[k] = NULL;
			q[k * (2 + nnames) + i] = round[k];
		}
	}
	for(k = 0; k < naddr; k++) {
		struct ata_check_query* b = &q[k * (2 + nnames)];
		json_t *srv, *tags = json_array(), *chk = json_array();
		int nb = 0, nbad = 0, nanswered = 0, zone_bogus, zone_secure;
		int match = 0, j;
		const char* verdict;
		if(b[0].res && b[0].res->havedata)
			for(j = 0; b[0].res->data[j]; j++) {
				int t = ata_dnskey_tag((uint8_t*)b[0].res->data[j],
					(size_t)b[0].res->len[j]);
				int d;
				if(t < 0)
					continue;
				json_array_append_new(tags, json_integer(t));
				for(d = 0; d < nds; d++)
					match |= ds_tags[d] == t;
			}
		for(j = 0; j < 2 + nnames; j++) {
			const char* r = ata_check_result(&b[j]);
			json_t* c = json_pack("{sssiss}", "name", b[j].name,
				"type", b[j].type, "result", r);
			if(b[j].res && b[j].res->bogus && b[j].res->why_bogus)
				json_object_set_new(c, "why_bogus",
					json_string(b[j].res->why_bogus));
			json_array_append_new(chk, c);
			if(j >= 2) {
				nb++;
				nbad += strcmp(r, "bogus") == 0;
				nanswered += strcmp(r, "secure") == 0
					|| strcmp(r, "insecure") == 0;
			}
		}
		zone_bogus = strcmp(ata_check_result(&b[0]), "bogus") == 0
			|| strcmp(ata_check_result(&b[1]), "bogus") == 0;
		zone_secure = strcmp(ata_check_result(&b[0]), "secure") == 0
			&& strcmp(ata_check_result(&b[1]), "secure") == 0;
		if(zone_bogus || (nb > 0 && nbad * 2 > nb))
			verdict = "bogus";
		else if(zone_secure && nbad == 0 && nanswered == nb)
			verdict = "secure";
		else
			verdict = "error";
		bogus += strcmp(verdict, "bogus") == 0;
		secure += strcmp(verdict, "secure") == 0;
		other += strcmp(verdict, "error") == 0;
		srv = json_pack("{sssssosbso}", "ns", ns[addr_ns[k]],
			"address", addr[k], "key_tags", tags,
			"dnskey_matches_ds", match, "checks", chk);
		json_object_set_new(srv, "verdict", json_string(verdict));
		json_array_append_new(servers, srv);
	}
	ata_check_free(q, n);
	free(q);
	json_object_set_new(ev, "servers", servers);
	json_object_set_new(ev, "transport", json_string("tcp"));

	if(naddr == 0) {
		res->verdict = "unconfirmed";
		res->reason = "no-servers";
	} else if(bogus == naddr) {
		res->verdict = "confirmed";
	} else {
		res->verdict = "unconfirmed";
		res->reason = secure && bogus ? "inconsistent"
			: bogus == 0 && other == 0 ? "not-bogus" : "unreachable";
	}
	json_object_set_new(ev, "verdict", json_string(res->verdict));
	if(res->reason)
		json_object_set_new(ev, "reason", json_string(res->reason));
	res->ms = ata_check_ms_since(&t0);
	json_object_set_new(ev, "duration_ms", json_integer(res->ms));
	if(why && naddr == 0)
		json_object_set_new(ev, "error", json_string(why));
	return res;
}
