/* SPDX-License-Identifier: BSD-3-Clause */
// The answer engine's exact-template path, inline, in three steps a worker
// interleaves over a burst (dataplane/pkt fast.c, the fast lane): parse each
// query (reading it only), find the burst's names with their memory loads
// overlapped, then write each response over its query. dns_answer() and
// dns_answer_burst() run these same steps before anything else, so a query
// the lane answers gets the bytes it would get from them; a query the lane
// declines at any step is left untouched for them.
//
// Inline because the lane's budget is a few hundred cycles a query and a
// call with its spills costs tens; the rare parts (EDNS options, server
// cookies) are out of line in answer_fast.c.
#ifndef LINERATE_DNS_FAST_H
#define LINERATE_DNS_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_name_hash.h>
#include <linerate/dns_types.h>

#define DNS_FAST_UDP_MIN       512 // RFC 1035 §4.2.1, and RFC 6891 §6.2.5's floor
#define DNS_FAST_OPT_FIXED     11  // root owner, type, class, TTL, rdlength
#define DNS_FAST_SERVER_COOKIE 16  // RFC 9018 §4: version, reserved, timestamp, hash
#define DNS_FAST_COOKIE_OPT    (4 + DNS_COOKIE_CLIENT_LEN + DNS_FAST_SERVER_COOKIE)

// A parsed query; its fields are the engine's own.
struct dns_fast_query {
	// qname as asked (any case), its length, its hash with the image's
	// seed; dns_fast_find's exact node of it, or DNS_IMAGE_NONE
	struct dns_image_key key;
	size_t qend; // offset after the question
	uint16_t qtype, udp, eflags, qflags;
	bool edns;
	uint8_t cookie_len; // the client's COOKIE option, 0: none
	uint32_t rrset;	    // dns_fast_find's: the template's RRset, or DNS_IMAGE_NONE
	// dns_fast_find's, with rrset: the template and what the answer says
	// of it, so that writing it reads nothing else of the image
	uint32_t tmpl_off;
	uint16_t tmpl_len, tmpl_an, tmpl_ns, tmpl_ar, tmpl_sum;
	uint32_t zone; // the zone the answer counts for
	// the rarely used last, so the fields above share a cache line or two
	uint8_t cookie[DNS_COOKIE_CLIENT_LEN +
		       DNS_COOKIE_SERVER_MAX]; // copied: the response is written over it
	uint8_t lname[DNS_NAME_MAXLEN];	       // qname lower-cased, when a step needs it
					       // (dns_fast_lower)
};

// Where the template lies in a response: for the dataplane's checksum,
// which adds the template's compiled sum (dns_image_rrset.tmpl_sum) rather
// than summing the copied octets again.
struct dns_fast_reply {
	uint16_t len;	   // response length
	uint16_t tmpl_at;  // offset of the template's octets in it
	uint16_t tmpl_len; // their count
	uint16_t tmpl_sum; // their RFC 1071 sum from an even offset (big-endian words)
	// with a template (tmpl_len > 0): dns_fast_finish's sum of the header
	// words it wrote, so a checksum need not read them back
	uint32_t hdr_sum;
};

static inline uint16_t dns_fast_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void dns_fast_put16(uint8_t *p, uint16_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap16(v);
#endif
	memcpy(p, &v, 2);
}

// The OPT options of a query (n octets at o), for the template path: true
// when it may answer with them, the client's COOKIE copied into q
// (answer_fast.c).
bool dns_fast_options(const struct dns_answer_cfg *cfg, const uint8_t *o, size_t n,
		      struct dns_fast_query *q);

// Our COOKIE option (RFC 7873 §5.2) into the OPT record at o, the client's
// from q: its server cookie echoed while valid and fresh, else a new one
// (answer_fast.c).
void dns_fast_cookie(const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
		     const struct dns_fast_query *q, uint8_t *o);

// Whether pkt[0..len) is a query the template path may answer: QR clear,
// opcode QUERY, one question of class IN (not a transfer), no answer or
// authority records, nothing after the question but a version-0 OPT whose
// options dns_fast_options() accepts. Reads pkt only. img is not NULL.
static inline bool dns_fast_parse(const void *img, const struct dns_answer_cfg *cfg,
				  const uint8_t *pkt, size_t len, struct dns_fast_query *q)
{
	if (len < DNS_HEADER_LEN)
		return false;
	q->qflags = dns_fast_get16(pkt + 2);
	// QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1, in one word
	uint64_t counts = dns_name_load8(pkt + 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	counts = __builtin_bswap64(counts);
#endif
	if ((q->qflags & (DNS_FLAG_QR | 0x7800)) || (counts & ~(uint64_t)1) != (uint64_t)1 << 48)
		return false;
	// the name: labels of at most 63 octets, at most 255 in all, in the message
	size_t p = DNS_HEADER_LEN, end = len;
	if (end > DNS_HEADER_LEN + DNS_NAME_MAXLEN)
		end = DNS_HEADER_LEN + DNS_NAME_MAXLEN;
	for (;;) {
		if (p >= end)
			return false;
		uint8_t l = pkt[p];
		if (l == 0)
			break;
		if (l > 63)
			return false;
		p += 1U + l;
	}
	p++;
	if (len - p < 4 || dns_fast_get16(pkt + p + 2) != DNS_CLASS_IN)
		return false;
	q->key.len = (uint32_t)(p - DNS_HEADER_LEN);
	q->qtype = dns_fast_get16(pkt + p);
	if (q->qtype == DNS_TYPE_AXFR || q->qtype == DNS_TYPE_IXFR)
		return false; // transfers have rules of their own
	p += 4;
	q->qend = p;
	q->edns = counts & 1;
	q->udp = q->eflags = 0;
	q->cookie_len = 0;
	if (q->edns) {
		// root owner, OPT, size, ext-rcode 0, version 0, flags, options
		const uint8_t *o = pkt + p;
		if (len - p < DNS_FAST_OPT_FIXED || o[0] != 0 ||
		    dns_fast_get16(o + 1) != DNS_TYPE_OPT || o[5] != 0 || o[6] != 0 ||
		    dns_fast_get16(o + 9) != len - p - DNS_FAST_OPT_FIXED)
			return false;
		q->udp = dns_fast_get16(o + 3);
		q->eflags = dns_fast_get16(o + 7) & DNS_EDNS_DO;
		if (len - p > DNS_FAST_OPT_FIXED &&
		    !dns_fast_options(cfg, o + DNS_FAST_OPT_FIXED, len - p - DNS_FAST_OPT_FIXED, q))
			return false;
	} else if (p != len) {
		return false;
	}
	q->key.name = pkt + DNS_HEADER_LEN;
	q->key.hash = dns_name_hash_inline(q->key.name, q->key.len, dns_image_hdr(img)->hash_seed);
	return true;
}

// q->lname filled from the name as asked, for the steps that walk the name's
// suffixes (the pointer-shifting templates) or probe past a collision.
static inline void dns_fast_lower(struct dns_fast_query *q)
{
	dns_name_lower_copy(q->lname, q->key.name, q->key.len);
}

// Look up n (≤ DNS_ANSWER_BURST_MAX) parsed queries at once: each one's
// node and the RRset whose template answers it, if any (answer_fast.c).
void dns_fast_find(const void *img, struct dns_fast_query *const *q, unsigned n);

// The size limit of a response (RFC 6891 §6.2.3–6.2.5): over UDP the
// smaller of the client's and our EDNS payload sizes, never under 512, or
// 512 without EDNS; the client's path and the buffer bound it too.
static inline size_t dns_fast_limit(const struct dns_answer_cfg *cfg,
				    const struct dns_answer_client *cl, bool edns,
				    uint16_t client_size, size_t cap)
{
	size_t limit = DNS_MSG_MAXLEN;
	if (cl->transport == DNS_TRANSPORT_UDP) {
		limit = DNS_FAST_UDP_MIN;
		if (edns) {
			limit = client_size < cfg->edns_size ? client_size : cfg->edns_size;
			if (limit < DNS_FAST_UDP_MIN)
				limit = DNS_FAST_UDP_MIN;
		}
	}
	if (cl->max_size && limit > cl->max_size)
		limit = cl->max_size;
	return limit < cap ? limit : cap;
}

// Octets our OPT takes in a template response: fixed part, and our COOKIE
// when cookies are on and the client sent one.
static inline size_t dns_fast_opt_len(const struct dns_answer_cfg *cfg,
				      const struct dns_answer_client *cl,
				      const struct dns_fast_query *q)
{
	if (!q->edns)
		return 0;
	return DNS_FAST_OPT_FIXED +
	       (cfg->cookies && q->cookie_len && cl->family ? DNS_FAST_COOKIE_OPT : 0);
}

// Header and OPT (olen octets, from dns_fast_opt_len) of a response the
// template paths made: records of rlen octets are already behind the
// question. Returns the header words it wrote (flags and the three counts)
// added up as big-endian values: a checksum need not read them back.
static inline uint32_t dns_fast_finish(const struct dns_answer_cfg *cfg,
				       const struct dns_answer_client *cl, uint8_t *pkt,
				       const struct dns_fast_query *q, size_t rlen, size_t olen,
				       uint16_t flags, uint16_t an, uint16_t ns, uint16_t ar)
{
	uint16_t f = (uint16_t)(DNS_FLAG_QR | flags | (q->qflags & (DNS_FLAG_RD | DNS_FLAG_CD)));
	uint16_t arc = (uint16_t)(ar + q->edns);
	dns_fast_put16(pkt + 2, f);
	dns_fast_put16(pkt + 6, an);
	dns_fast_put16(pkt + 8, ns);
	dns_fast_put16(pkt + 10, arc);
	if (q->edns) {
		uint8_t *o = pkt + q->qend + rlen;
		o[0] = 0;
		dns_fast_put16(o + 1, DNS_TYPE_OPT);
		dns_fast_put16(o + 3, cfg->edns_size);
		o[5] = 0;
		o[6] = 0;
		dns_fast_put16(o + 7, q->eflags);
		dns_fast_put16(o + 9, 0);
		if (olen > DNS_FAST_OPT_FIXED) // as the full path: ours if still good, else new
			dns_fast_cookie(cfg, cl, q, o);
	}
	return (uint32_t)f + an + ns + arc;
}

// n octets from src to dst (not overlapping): an A or AAAA RRset's
// template of 16 to 32 octets in two fixed-size moves that may overlap,
// where memcpy's call and size dispatch would cost as much as the copy.
static inline void dns_fast_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (n >= 16 && n <= 32) {
		uint8_t a[16], b[16];
		memcpy(a, src, 16);
		memcpy(b, src + n - 16, 16);
		memcpy(dst, a, 16);
		memcpy(dst + n - 16, b, 16);
	} else {
		memcpy(dst, src, n);
	}
}

// The response to a query dns_fast_find() found a template for, over pkt
// (cap octets of room), with info filled as dns_answer() fills it. False
// (pkt untouched) when there is none or it does not fit the client's
// limits (the full path then truncates).
static inline bool dns_fast_emit(const void *img, const struct dns_answer_cfg *cfg,
				 const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
				 const struct dns_fast_query *q, struct dns_fast_reply *r,
				 struct dns_answer_info *info)
{
	if (q->rrset == DNS_IMAGE_NONE)
		return false;
	size_t olen = dns_fast_opt_len(cfg, cl, q);
	size_t total = q->qend + q->tmpl_len + olen;
	if (total > dns_fast_limit(cfg, cl, q->edns, q->udp, cap))
		return false;
	dns_fast_copy(pkt + q->qend, dns_image_at(img, q->tmpl_off), q->tmpl_len);
	uint32_t hdr = dns_fast_finish(cfg, cl, pkt, q, q->tmpl_len, olen, DNS_FLAG_AA, q->tmpl_an,
				       q->tmpl_ns, q->tmpl_ar);
	*info = (struct dns_answer_info){
		.rcode = DNS_RCODE_NOERROR,
		.qtype = q->qtype,
		.qclass = DNS_CLASS_IN,
		.template_hit = true,
		.edns = q->edns,
		.zone = q->zone,
	};
	r->len = (uint16_t)total;
	r->tmpl_at = (uint16_t)q->qend;
	r->tmpl_len = q->tmpl_len;
	r->tmpl_sum = q->tmpl_sum;
	r->hdr_sum = hdr;
	return true;
}

// The response to a query dns_fast_find() found no template RRset for,
// from a pointer-shifting template (NXDOMAIN, NODATA, a referral, a
// wildcard's answer, REFUSED), as dns_answer() gives it; r->tmpl_len 0
// (these have no compiled sum). False, pkt untouched, when none serves it
// (answer_fast.c).
bool dns_fast_suffix(const void *img, const struct dns_answer_cfg *cfg,
		     const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
		     struct dns_fast_query *q, struct dns_fast_reply *r,
		     struct dns_answer_info *info);

#endif
