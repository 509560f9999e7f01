/* SPDX-License-Identifier: BSD-3-Clause */
// The authoritative answer engine (see linerate/dns_answer.h): the template
// path first, then the full RFC 1034 §4.3.2 algorithm over the image.
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/wire.h>

#include "answer_internal.h"

#define UDP_MIN 512    // RFC 1035 §4.2.1, and RFC 6891 §6.2.5's floor
#define ADDED_MAX 32   // additional RRsets remembered against duplicates
#define OPT_FIXED 11   // root owner, type, class, TTL, rdlength
#define CHAOS_TTL 0

void dns_answer_cfg_default(struct dns_answer_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->edns_size = DNS_ANSWER_EDNS_DEFAULT;
	cfg->chaos = true;
	strcpy(cfg->chaos_version, "linerate");
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

// The size limit of a response (RFC 6891 §6.2.3–6.2.5): over UDP the
// smaller of the client's and our EDNS payload sizes, never under 512, or
// 512 without EDNS; the buffer bounds it too.
static size_t size_limit(const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
			 bool edns, uint16_t client_size, size_t cap)
{
	size_t limit = DNS_MSG_MAXLEN;
	if (cl->transport == DNS_TRANSPORT_UDP) {
		limit = UDP_MIN;
		if (edns) {
			limit = client_size < cfg->edns_size ? client_size : cfg->edns_size;
			if (limit < UDP_MIN)
				limit = UDP_MIN;
		}
	}
	if (cl->max_size && limit > cl->max_size)
		limit = cl->max_size;
	return limit < cap ? limit : cap;
}

// ---- the template path ----

// What the template path needs of a query.
struct tq {
	uint8_t lname[DNS_NAME_MAXLEN]; // qname, lower-cased
	size_t qlen;                    // its length
	size_t qend;                    // offset after the question
	uint16_t qtype, udp, eflags, qflags;
	bool edns;
	uint8_t cookie_len; // the client's COOKIE option, 0: none
	uint8_t cookie[DNS_COOKIE_CLIENT_LEN + DNS_COOKIE_SERVER_MAX]; // copied: the
						// response is written over it
	uint32_t hash; // of lname, with the image's seed
};

#define COOKIE_OPT_LEN (4 + DNS_COOKIE_CLIENT_LEN + DNS_SERVER_COOKIE_LEN)

// The OPT options of a query the template path may answer: well-formed,
// and none that changes the answer but a COOKIE (dig and BIND resolvers
// send one with every query). Padding and options we do not know are
// ignored, as the full path ignores them; an NSID request we would answer
// and a client subnet (validated there) go to the full path.
static bool template_options(const struct dns_answer_cfg *cfg, const uint8_t *o, size_t n,
			     struct tq *t)
{
	for (size_t i = 0; i < n;) {
		if (n - i < 4)
			return false;
		uint16_t code = get16(o + i), olen = get16(o + i + 2);
		i += 4;
		if (olen > n - i)
			return false;
		switch (code) {
		case DNS_EDNS_COOKIE:
			if (!dns_cookie_len_ok(olen)) // FORMERR: the full path's to say
				return false;
			if (!t->cookie_len) {
				memcpy(t->cookie, o + i, olen);
				t->cookie_len = (uint8_t)olen;
			}
			break;
		case DNS_EDNS_NSID:
			if (cfg->nsid_len)
				return false;
			break;
		case DNS_EDNS_CLIENT_SUBNET:
			return false;
		default:
			break;
		}
		i += olen;
	}
	return true;
}

// A plain QUERY the template path may answer: QR clear, opcode QUERY, one
// question of class IN, no answer or authority records, nothing after the
// question but a version-0 OPT whose options template_options() accepts.
static bool template_query(const uint8_t *img, const struct dns_answer_cfg *cfg,
			   const uint8_t *pkt, size_t len, struct tq *t)
{
	if (len < DNS_HEADER_LEN)
		return false;
	t->qflags = get16(pkt + 2);
	if ((t->qflags & (DNS_FLAG_QR | 0x7800)) || get16(pkt + 4) != 1 || get16(pkt + 6) ||
	    get16(pkt + 8) || get16(pkt + 10) > 1)
		return false;
	size_t p = DNS_HEADER_LEN;
	for (;;) {
		if (p >= len)
			return false;
		uint8_t l = pkt[p];
		if (l == 0)
			break;
		if (l > 63 || len - p <= 1U + l)
			return false;
		p += 1U + l;
		if (p - DNS_HEADER_LEN >= DNS_NAME_MAXLEN)
			return false;
	}
	p++;
	if (len - p < 4 || get16(pkt + p + 2) != DNS_CLASS_IN)
		return false;
	t->qlen = p - DNS_HEADER_LEN;
	t->qtype = get16(pkt + p);
	if (t->qtype == DNS_TYPE_AXFR || t->qtype == DNS_TYPE_IXFR)
		return false; // transfers have rules of their own
	p += 4;
	t->qend = p;
	t->edns = get16(pkt + 10) == 1;
	t->udp = t->eflags = 0;
	t->cookie_len = 0;
	if (t->edns) {
		// root owner, OPT, size, ext-rcode 0, version 0, flags, options
		if (len - p < OPT_FIXED || pkt[p] != 0 || get16(pkt + p + 1) != DNS_TYPE_OPT ||
		    pkt[p + 5] != 0 || pkt[p + 6] != 0 || get16(pkt + p + 9) != len - p - OPT_FIXED)
			return false;
		t->udp = get16(pkt + p + 3);
		t->eflags = get16(pkt + p + 7) & DNS_EDNS_DO;
		if (len - p > OPT_FIXED &&
		    !template_options(cfg, pkt + p + OPT_FIXED, len - p - OPT_FIXED, t))
			return false;
	} else if (p != len) {
		return false;
	}
	t->hash = dns_name_lower_hash(t->lname, pkt + DNS_HEADER_LEN, t->qlen,
				      dns_image_hdr(img)->hash_seed);
	return true;
}

// The RRset of the query's type at node, when it has a template.
static const struct dns_image_rrset *template_rrset(const uint8_t *img, uint32_t node,
						   const struct tq *t)
{
	if (node == DNS_IMAGE_NONE)
		return NULL;
	uint32_t ri = dns_image_node_rrset(img, node, t->qtype);
	if (ri == DNS_IMAGE_NONE)
		return NULL;
	const struct dns_image_rrset *s = &dns_image_rrsets(img)[ri];
	return s->tmpl_len ? s : NULL;
}

// Octets our OPT takes in a template response: fixed part, and our
// COOKIE (RFC 7873 §5.2) when cookies are on and the client sent one.
static size_t fast_opt_len(const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
			   const struct tq *t)
{
	if (!t->edns)
		return 0;
	return OPT_FIXED + (cfg->cookies && t->cookie_len && cl->family ? COOKIE_OPT_LEN : 0);
}

// Header and OPT (olen octets, from fast_opt_len) of a response the
// template paths made: records of rlen octets are already behind the
// question.
static void fast_finish(const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
			uint8_t *pkt, const struct tq *t, size_t rlen, size_t olen, uint16_t flags,
			uint16_t an, uint16_t ns, uint16_t ar)
{
	put16(pkt + 2, (uint16_t)(DNS_FLAG_QR | flags | (t->qflags & (DNS_FLAG_RD | DNS_FLAG_CD))));
	put16(pkt + 6, an);
	put16(pkt + 8, ns);
	put16(pkt + 10, (uint16_t)(ar + t->edns));
	if (t->edns) {
		uint8_t *o = pkt + t->qend + rlen;
		put16(o + 9, 0);
		if (olen > OPT_FIXED) { // as the full path: ours if still good, else new
			uint8_t c[COOKIE_OPT_LEN - 4];
			memcpy(c, t->cookie, DNS_COOKIE_CLIENT_LEN);
			if (dns_cookie_valid(cfg->cookie_secret, t->cookie, t->cookie_len, cl) &&
			    dns_cookie_fresh(t->cookie, t->cookie_len, cl->now))
				memcpy(c + DNS_COOKIE_CLIENT_LEN, t->cookie + DNS_COOKIE_CLIENT_LEN,
				       DNS_SERVER_COOKIE_LEN);
			else
				dns_cookie_make(cfg->cookie_secret, t->cookie, cl,
						c + DNS_COOKIE_CLIENT_LEN);
			put16(o + 9, COOKIE_OPT_LEN);
			put16(o + OPT_FIXED, DNS_EDNS_COOKIE);
			put16(o + OPT_FIXED + 2, sizeof(c));
			memcpy(o + OPT_FIXED + 4, c, sizeof(c));
		}
		o[0] = 0;
		put16(o + 1, DNS_TYPE_OPT);
		put16(o + 3, cfg->edns_size);
		o[5] = 0;
		o[6] = 0;
		put16(o + 7, t->eflags);
	}
}

static void fast_info(struct dns_answer_info *info, const struct tq *t, uint16_t rcode,
		      uint32_t zone)
{
	info->rcode = rcode;
	info->qtype = t->qtype;
	info->qclass = DNS_CLASS_IN;
	info->edns = t->edns;
	info->zone = zone;
}

// Copy the template behind the question and patch the header and OPT.
// Returns the response length, or 0 when it does not fit (the full path
// then truncates).
static size_t template_emit(const uint8_t *img, const struct dns_answer_cfg *cfg,
			    const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
			    const struct tq *t, uint32_t node, const struct dns_image_rrset *s,
			    struct dns_answer_info *info)
{
	size_t olen = fast_opt_len(cfg, cl, t);
	size_t total = t->qend + s->tmpl_len + olen;
	if (total > size_limit(cfg, cl, t->edns, t->udp, cap))
		return 0;
	memcpy(pkt + t->qend, img + s->tmpl_off, s->tmpl_len);
	fast_finish(cfg, cl, pkt, t, s->tmpl_len, olen, DNS_FLAG_AA, s->tmpl_an, s->tmpl_ns,
		    s->tmpl_ar);
	const struct dns_image_node *n = &dns_image_nodes(img)[node];
	// a parent's DS at a served child's apex counts for the parent
	bool pds = t->qtype == DNS_TYPE_DS && n->parent_zone != DNS_IMAGE_NONE;
	fast_info(info, t, DNS_RCODE_NOERROR, pds ? n->parent_zone : n->zone);
	info->template_hit = true;
	return total;
}

// A pointer-shifting template (dns_image_ptmpl at off, 0 for none: no
// records) behind the question. 0 when it cannot serve this query.
static size_t ptmpl_emit(const uint8_t *img, const struct dns_answer_cfg *cfg,
			 const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
			 const struct tq *t, uint32_t off, uint16_t flags, uint16_t rcode, uint32_t zone,
			 struct dns_answer_info *info)
{
	struct dns_image_ptmpl pt = {0};
	const uint8_t *ptr = NULL, *rec = NULL;
	if (off) {
		memcpy(&pt, img + off, sizeof(pt));
		ptr = img + off + sizeof(pt);
		rec = ptr + 2 * pt.nptr;
		if (t->qlen < pt.base_len)
			return 0;
	}
	size_t delta = t->qlen - pt.base_len;
	size_t olen = fast_opt_len(cfg, cl, t);
	size_t total = t->qend + pt.len + olen;
	if (total > size_limit(cfg, cl, t->edns, t->udp, cap))
		return 0;
	// every shifted pointer must still reach (14 bits), checked before a
	// byte of the query is overwritten: the full path may need it
	for (uint16_t i = 0; i < pt.nptr; i++) {
		uint16_t at;
		memcpy(&at, ptr + 2 * i, 2);
		if ((get16(rec + at) & 0x3fff) + delta > 0x3fff)
			return 0;
	}
	if (pt.len)
		memcpy(pkt + t->qend, rec, pt.len);
	for (uint16_t i = 0; i < pt.nptr; i++) {
		uint16_t at;
		memcpy(&at, ptr + 2 * i, 2);
		put16(pkt + t->qend + at, (uint16_t)(get16(pkt + t->qend + at) + delta));
	}
	fast_finish(cfg, cl, pkt, t, pt.len, olen, (uint16_t)(flags | rcode), pt.an, pt.ns, pt.ar);
	fast_info(info, t, rcode, zone);
	info->suffix_hit = true;
	return total;
}

// The closest node at or above the lower-cased name lname (len octets),
// trying its suffixes from offset `from` (a label boundary) up to the root;
// *at is the offset of the one found. DNS_IMAGE_NONE when no zone holds it.
static uint32_t closest_lower(const uint8_t *img, const uint8_t *lname, size_t len, size_t from,
			      size_t *at)
{
	for (size_t p = from;; p += 1U + lname[p]) {
		uint32_t n = dns_image_find_lower(img, lname + p, len - p);
		if (n != DNS_IMAGE_NONE) {
			*at = p;
			return n;
		}
		if (lname[p] == 0)
			return DNS_IMAGE_NONE;
	}
}

// The answers whose records are a suffix of the question's name: NXDOMAIN
// and NODATA (the zone's SOA), referrals (the cut's NS and glue), wildcard
// synthesis (the source's RRset) and REFUSED, from pointer-shifting
// templates. node is the exact match (or DNS_IMAGE_NONE). 0 for anything
// else: CNAME/DNAME chains, ANY, DS at a cut, no template.
static size_t suffix_answer(const uint8_t *img, const struct dns_answer_cfg *cfg,
			    const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
			    const struct tq *t, uint32_t node, struct dns_answer_info *info)
{
	const struct dns_image_node *nodes = dns_image_nodes(img);
	const struct dns_image_zone *zones = dns_image_zones(img);
	bool exact = node != DNS_IMAGE_NONE;
	uint32_t ce = node;
	size_t at;
	if (!exact && t->lname[0]) // the name itself was looked up already
		ce = closest_lower(img, t->lname, t->qlen, 1U + t->lname[0], &at);
	if (ce == DNS_IMAGE_NONE) // RFC 1034 §4.3.2 step 2: not ours
		return ptmpl_emit(img, cfg, cl, pkt, cap, t, 0, 0, DNS_RCODE_REFUSED, DNS_IMAGE_NONE,
				  info);
	const struct dns_image_node *n = &nodes[ce];
	uint32_t neg = zones[n->zone].neg_tmpl;
	if (n->cut != DNS_IMAGE_NONE) {
		if (exact && n->cut == ce && t->qtype == DNS_TYPE_DS)
			return 0;
		uint32_t ref = nodes[n->cut].ref_tmpl;
		return ref ? ptmpl_emit(img, cfg, cl, pkt, cap, t, ref, 0, DNS_RCODE_NOERROR, n->zone,
					info)
			   : 0;
	}
	if (t->qtype == DNS_TYPE_ANY ||
	    (exact && t->qtype == DNS_TYPE_DS && n->parent_zone != DNS_IMAGE_NONE))
		return 0; // DS at a served child's apex is the parent's: the full path
	uint32_t src = exact ? ce : (n->flags & DNS_NODE_DNAME) ? DNS_IMAGE_NONE : n->wildcard;
	if (!exact && !(n->flags & (DNS_NODE_DNAME | DNS_NODE_WILDCARD))) // NXDOMAIN
		return neg ? ptmpl_emit(img, cfg, cl, pkt, cap, t, neg, DNS_FLAG_AA,
					DNS_RCODE_NXDOMAIN, n->zone, info)
			   : 0;
	if (src == DNS_IMAGE_NONE || (nodes[src].flags & DNS_NODE_CNAME))
		return 0;
	uint32_t ri = dns_image_node_rrset(img, src, t->qtype);
	if (ri == DNS_IMAGE_NONE) // NODATA, at the name or its wildcard
		return neg ? ptmpl_emit(img, cfg, cl, pkt, cap, t, neg, DNS_FLAG_AA, DNS_RCODE_NOERROR,
					n->zone, info)
			   : 0;
	uint32_t wt = exact ? 0 : dns_image_rrsets(img)[ri].wild_tmpl;
	return wt ? ptmpl_emit(img, cfg, cl, pkt, cap, t, wt, DNS_FLAG_AA, DNS_RCODE_NOERROR, n->zone,
			       info)
		  : 0;
}

static void info_reset(struct dns_answer_info *info)
{
	memset(info, 0, sizeof(*info));
	info->zone = DNS_IMAGE_NONE;
}

size_t dns_answer(const void *img, const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
		  uint8_t *pkt, size_t len, size_t cap, struct dns_answer_info *info)
{
	struct tq t;
	info_reset(info);
	if (img && len <= cap && template_query(img, cfg, pkt, len, &t)) {
		const uint8_t *ln = t.lname;
		uint32_t node;
		dns_image_find_lower_burst(img, &ln, &t.qlen, &t.hash, 1, &node);
		const struct dns_image_rrset *s = template_rrset(img, node, &t);
		size_t n = s ? template_emit(img, cfg, cl, pkt, cap, &t, node, s, info) : 0;
		if (!n && !s)
			n = suffix_answer(img, cfg, cl, pkt, cap, &t, node, info);
		if (n)
			return n;
	}
	return dns_answer_full(img, cfg, cl, pkt, len, cap, info);
}

void dns_answer_burst(const void *img, const struct dns_answer_cfg *cfg, struct dns_answer_job *jobs,
		      unsigned n)
{
	struct tq t[DNS_ANSWER_BURST_MAX];
	const uint8_t *lnames[DNS_ANSWER_BURST_MAX];
	size_t lens[DNS_ANSWER_BURST_MAX];
	uint32_t node[DNS_ANSWER_BURST_MAX], hashes[DNS_ANSWER_BURST_MAX];
	unsigned idx[DNS_ANSWER_BURST_MAX], m = 0;
	const struct dns_image_rrset *s[DNS_ANSWER_BURST_MAX];
	while (n > DNS_ANSWER_BURST_MAX) {
		dns_answer_burst(img, cfg, jobs, DNS_ANSWER_BURST_MAX);
		jobs += DNS_ANSWER_BURST_MAX;
		n -= DNS_ANSWER_BURST_MAX;
	}
	// the template path for every query it may take, its lookups overlapped
	for (unsigned i = 0; i < n; i++) {
		struct dns_answer_job *j = &jobs[i];
		info_reset(&j->info);
		j->out = 0;
		if (img && j->len <= j->cap && template_query(img, cfg, j->pkt, j->len, &t[m])) {
			lnames[m] = t[m].lname;
			lens[m] = t[m].qlen;
			hashes[m] = t[m].hash;
			idx[m++] = i;
		}
	}
	if (m) {
		dns_image_find_lower_burst(img, lnames, lens, hashes, m, node);
		for (unsigned k = 0; k < m; k++) {
			s[k] = template_rrset(img, node[k], &t[k]);
			if (s[k])
				__builtin_prefetch((const uint8_t *)img + s[k]->tmpl_off);
		}
		for (unsigned k = 0; k < m; k++) {
			struct dns_answer_job *j = &jobs[idx[k]];
			if (s[k])
				j->out = template_emit(img, cfg, &j->client, j->pkt, j->cap, &t[k], node[k],
						       s[k], &j->info);
			else
				j->out = suffix_answer(img, cfg, &j->client, j->pkt, j->cap, &t[k],
						       node[k], &j->info);
		}
	}
	// the rest, one by one
	for (unsigned i = 0; i < n; i++) {
		struct dns_answer_job *j = &jobs[i];
		if (!j->info.template_hit && !j->info.suffix_hit)
			j->out = dns_answer_full(img, cfg, &j->client, j->pkt, j->len, j->cap, &j->info);
	}
}

// ---- the full path ----

struct ans {
	const uint8_t *img;
	const struct dns_image_node *nodes;
	const struct dns_image_rrset *rrsets;
	const struct dns_image_zone *zones;
	const struct dns_answer_cfg *cfg;
	const struct dns_answer_client *cl;
	struct dns_builder b;
	struct dns_builder_mark after_question;
	uint8_t qname[DNS_NAME_MAXLEN]; // as asked, letter case kept
	uint16_t qtype, qclass;
	uint16_t rcode;
	bool aa, tc;
	uint32_t zone;                  // first zone answered from
	uint32_t added[ADDED_MAX];      // RRsets already in the message
	unsigned nadded;
};

static const uint8_t *node_name(const struct ans *a, uint32_t node)
{
	return a->img + a->nodes[node].name_off;
}

static uint16_t zone_class(const struct ans *a, uint32_t node)
{
	return a->zones[a->nodes[node].zone].rclass;
}

static bool already_added(struct ans *a, uint32_t ri)
{
	for (unsigned i = 0; i < a->nadded; i++)
		if (a->added[i] == ri)
			return true;
	if (a->nadded < ADDED_MAX)
		a->added[a->nadded++] = ri;
	return false;
}

// An RRset from the image, all records or none; owner as given (the
// question's name keeps the asker's letter case through compression).
static int put_rrset(struct ans *a, enum dns_section sec, const uint8_t *owner, uint32_t ri,
		     uint32_t ttl)
{
	const struct dns_image_rrset *s = &a->rrsets[ri];
	uint16_t rclass = zone_class(a, s->node);
	struct dns_builder_mark mk;
	dns_builder_mark(&a->b, &mk);
	const uint8_t *p = a->img + s->rdata_off;
	for (uint16_t i = 0; i < s->count; i++) {
		uint16_t rdlen = get16(p);
		int rc = dns_builder_rr(&a->b, sec, owner, s->type, rclass, ttl, p + 2, rdlen);
		if (rc < 0) {
			dns_builder_rollback(&a->b, &mk);
			return rc;
		}
		p += 2U + rdlen;
	}
	return 0;
}

// A required RRset that does not fit: the whole response becomes the
// question with TC set (the client retries over TCP; RFC 2181 §9).
static void truncate_all(struct ans *a)
{
	dns_builder_rollback(&a->b, &a->after_question);
	a->tc = true;
}

static bool put_required(struct ans *a, enum dns_section sec, const uint8_t *owner, uint32_t ri,
			 uint32_t ttl)
{
	if (a->tc)
		return false;
	if (put_rrset(a, sec, owner, ri, ttl) < 0) {
		truncate_all(a);
		return false;
	}
	return true;
}

// The SOA of a zone in the authority section of a negative answer, with
// TTL min(SOA TTL, MINIMUM) (RFC 2308 §3, §5).
static void put_soa(struct ans *a, uint32_t zone)
{
	const struct dns_image_zone *z = &a->zones[zone];
	put_required(a, DNS_SECTION_AUTHORITY, node_name(a, z->apex), z->soa, z->neg_ttl);
}

// Address records for a name an RRset points at, when this zone has them
// (authoritative or glue). Optional data unless required: what does not fit
// is left out without TC (RFC 2181 §9); required glue that does not fit
// truncates (RFC 9471 §3).
static void put_addresses(struct ans *a, const uint8_t *target, uint32_t zone, bool required)
{
	static const uint16_t types[] = {DNS_TYPE_A, DNS_TYPE_AAAA};
	uint32_t n = dns_image_find(a->img, target);
	if (n == DNS_IMAGE_NONE || a->nodes[n].zone != zone)
		return;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]) && !a->tc; t++) {
		uint32_t ri = dns_image_node_rrset(a->img, n, types[t]);
		if (ri == DNS_IMAGE_NONE || already_added(a, ri))
			continue;
		if (required)
			put_required(a, DNS_SECTION_ADDITIONAL, node_name(a, n), ri, a->rrsets[ri].ttl);
		else
			put_rrset(a, DNS_SECTION_ADDITIONAL, node_name(a, n), ri, a->rrsets[ri].ttl);
	}
}

// Offset of the target name inside the rdata of types whose targets a
// resolver wants addresses for (RFC 1035 §3.3.9/§3.3.11, RFC 2782), or -1.
static int target_offset(uint16_t type)
{
	switch (type) {
	case DNS_TYPE_NS:
		return 0;
	case DNS_TYPE_MX:
		return 2;
	case DNS_TYPE_SRV:
		return 6;
	default:
		return -1;
	}
}

// Additional-section processing for an answered RRset (RFC 1034 §4.3.2 step 6).
static void put_additional_for(struct ans *a, uint32_t ri)
{
	const struct dns_image_rrset *s = &a->rrsets[ri];
	int off = target_offset(s->type);
	if (off < 0)
		return;
	const uint8_t *p = a->img + s->rdata_off;
	for (uint16_t i = 0; i < s->count && !a->tc; i++) {
		uint16_t rdlen = get16(p);
		if (rdlen > off)
			put_addresses(a, p + 2 + off, a->nodes[s->node].zone, false);
		p += 2U + rdlen;
	}
}

// A referral (RFC 1034 §4.3.2 step 3b): the cut's NS in authority, AA
// clear, addresses of the servers in additional. Glue below the cut is
// required (without it the child cannot be reached).
static void referral(struct ans *a, uint32_t cut)
{
	uint32_t ns = dns_image_node_rrset(a->img, cut, DNS_TYPE_NS);
	const uint8_t *cut_name = node_name(a, cut);
	if (ns == DNS_IMAGE_NONE)
		return;
	if (!put_required(a, DNS_SECTION_AUTHORITY, cut_name, ns, a->rrsets[ns].ttl))
		return;
	already_added(a, ns);
	const struct dns_image_rrset *s = &a->rrsets[ns];
	const uint8_t *p = a->img + s->rdata_off;
	for (uint16_t i = 0; i < s->count && !a->tc; i++) {
		uint16_t rdlen = get16(p);
		const uint8_t *target = p + 2;
		put_addresses(a, target, a->nodes[cut].zone, dns_name_is_subdomain(target, cut_name));
		p += 2U + rdlen;
	}
}

// ANY (RFC 8482 §4.1): over UDP one RRset, the first of the node; over
// TCP all of them.
static bool answer_any(struct ans *a, const uint8_t *owner, uint32_t node)
{
	const struct dns_image_node *n = &a->nodes[node];
	if (n->nrrsets == 0)
		return false;
	uint32_t last = n->rrset_first + n->nrrsets;
	if (a->cl->transport == DNS_TRANSPORT_UDP)
		last = n->rrset_first + 1;
	for (uint32_t ri = n->rrset_first; ri < last; ri++) {
		if (!put_required(a, DNS_SECTION_ANSWER, owner, ri, a->rrsets[ri].ttl))
			return true;
		already_added(a, ri);
	}
	// additional data as for the same RRsets asked for by type (RFC 1034
	// §4.3.2 step 6), after every answer record
	for (uint32_t ri = n->rrset_first; ri < last && !a->tc; ri++)
		put_additional_for(a, ri);
	return true;
}

// DNAME substitution (RFC 6672 §2.2): replace the owner suffix of name by
// the target. DNS_ENAME_LEN when the result is too long.
static int dname_substitute(const uint8_t *name, const uint8_t *owner, const uint8_t *target,
			    uint8_t out[DNS_NAME_MAXLEN])
{
	size_t nl = dns_name_length(name), ol = dns_name_length(owner), tl = dns_name_length(target);
	size_t prefix = nl - ol;
	if (prefix + tl > DNS_NAME_MAXLEN)
		return DNS_ENAME_LEN;
	memmove(out, name, prefix);
	memcpy(out + prefix, target, tl);
	return (int)(prefix + tl);
}

// The closest node at or above name (its closest encloser in the image),
// DNS_IMAGE_NONE when no zone holds the name. *exact tells which.
static uint32_t closest(const struct ans *a, const uint8_t *name, bool *exact)
{
	uint8_t lname[DNS_NAME_MAXLEN];
	size_t len = dns_name_length(name), at;
	dns_name_lower_copy(lname, name, len);
	uint32_t n = closest_lower(a->img, lname, len, 0, &at);
	*exact = at == 0;
	return n;
}

enum step { STEP_DONE, STEP_FOLLOW };

// Answer from node's data for owner (the name itself, or one a wildcard
// node synthesises): the RRset asked for with its additional data, ANY, a
// CNAME to follow (*next), or NODATA.
static enum step answer_at(struct ans *a, uint32_t node, uint32_t zone, const uint8_t *owner,
			   const uint8_t **next)
{
	if (a->qtype == DNS_TYPE_ANY && answer_any(a, owner, node))
		return STEP_DONE;
	uint32_t ri = dns_image_node_rrset(a->img, node, a->qtype);
	if (ri != DNS_IMAGE_NONE) {
		if (put_required(a, DNS_SECTION_ANSWER, owner, ri, a->rrsets[ri].ttl)) {
			already_added(a, ri);
			put_additional_for(a, ri);
		}
		return STEP_DONE;
	}
	if (a->nodes[node].flags & DNS_NODE_CNAME) {
		ri = dns_image_node_rrset(a->img, node, DNS_TYPE_CNAME);
		if (already_added(a, ri)) // a loop: the chain so far
			return STEP_DONE;
		if (!put_required(a, DNS_SECTION_ANSWER, owner, ri, a->rrsets[ri].ttl))
			return STEP_DONE;
		*next = a->img + a->rrsets[ri].rdata_off + 2;
		return STEP_FOLLOW;
	}
	put_soa(a, zone); // NODATA (RFC 2308 §2.2), ENTs included
	return STEP_DONE;
}

// RFC 1034 §4.3.2 steps 2–6 over the image, following CNAME and DNAME
// links through every zone of the image, at most DNS_ANSWER_CHAIN_MAX of
// them (a loop ends there, as in Knot and NSD: the chain so far is sent).
static void resolve(struct ans *a)
{
	// cur: the name looked up; owner: the same name as written into the
	// message (the question's own letter case, a CNAME target in the
	// image, or a name synthesised from a DNAME in synth).
	uint8_t cur[DNS_NAME_MAXLEN], synth[DNS_NAME_MAXLEN];
	memcpy(cur, a->qname, dns_name_length(a->qname));
	const uint8_t *owner = a->qname;
	for (int hop = 0; hop <= DNS_ANSWER_CHAIN_MAX && !a->tc; hop++) {
		bool exact = false;
		uint32_t ce = closest(a, cur, &exact);
		if (ce == DNS_IMAGE_NONE) {
			if (hop == 0)
				a->rcode = DNS_RCODE_REFUSED;
			return; // a chain leaving our zones ends here (RFC 1034 §4.3.2 step 3a)
		}
		const struct dns_image_node *n = &a->nodes[ce];
		// DS at the apex of a zone whose parent we serve is the parent's
		// (RFC 4035 §3.1.4.1): its DS RRset, or NODATA with its SOA
		uint32_t zone = n->zone;
		if (exact && a->qtype == DNS_TYPE_DS && n->parent_zone != DNS_IMAGE_NONE)
			zone = n->parent_zone;
		if (hop == 0) {
			a->zone = zone;
			a->aa = true;
		}
		// At or below a zone cut: a referral, except DS at the cut, which
		// is the parent's data (RFC 4035 §3.1.4.1).
		if (n->cut != DNS_IMAGE_NONE && !(exact && n->cut == ce && a->qtype == DNS_TYPE_DS)) {
			if (hop == 0)
				a->aa = false;
			referral(a, n->cut);
			return;
		}
		// A name that does not exist, under a DNAME at its closest encloser.
		if (!exact && (n->flags & DNS_NODE_DNAME)) {
			uint32_t ri = dns_image_node_rrset(a->img, ce, DNS_TYPE_DNAME);
			const struct dns_image_rrset *d = &a->rrsets[ri];
			const uint8_t *target = a->img + d->rdata_off + 2;
			uint8_t subst[DNS_NAME_MAXLEN];
			if (!already_added(a, ri) &&
			    !put_required(a, DNS_SECTION_ANSWER, node_name(a, ce), ri, d->ttl))
				return;
			int nl = dname_substitute(cur, node_name(a, ce), target, subst);
			if (nl < 0) {
				a->rcode = DNS_RCODE_YXDOMAIN; // RFC 6672 §2.2
				return;
			}
			// the synthesised CNAME, with the DNAME's TTL (RFC 6672 §3.3)
			if (dns_builder_rr(&a->b, DNS_SECTION_ANSWER, owner, DNS_TYPE_CNAME,
					   zone_class(a, ce), d->ttl, subst, (uint16_t)nl) < 0) {
				truncate_all(a);
				return;
			}
			memcpy(cur, subst, (size_t)nl);
			memcpy(synth, subst, (size_t)nl);
			owner = synth;
			continue;
		}
		if (!exact && !(n->flags & DNS_NODE_WILDCARD)) {
			a->rcode = DNS_RCODE_NXDOMAIN; // RFC 6604 §2: the last name's status
			put_soa(a, n->zone);
			return;
		}
		// The name's own data, or what the wildcard at its closest encloser
		// synthesises (RFC 4592 §3.3.1). A wildcard CNAME leading back under
		// itself stops at its second use, as any other loop.
		const uint8_t *next = NULL;
		if (answer_at(a, exact ? ce : n->wildcard, zone, owner, &next) == STEP_DONE)
			return;
		memcpy(cur, next, dns_name_length(next));
		owner = next;
	}
}

// CHAOS TXT for the server's identity and version (the names BIND, NSD and
// Knot answer). Anything else in class CH is refused.
static void answer_chaos(struct ans *a)
{
	static const struct {
		const char *name;
		bool version;
	} names[] = {
		{"\2id\6server", false},
		{"\10hostname\4bind", false},
		{"\7version\4bind", true},
		{"\7version\6server", true},
	};
	const char *text = NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (dns_name_equal(a->qname, (const uint8_t *)names[i].name))
			text = names[i].version ? a->cfg->chaos_version : a->cfg->chaos_id;
	// only TXT is served there (as BIND, NSD and Knot do): other types,
	// ANY included, are refused like unknown names
	if (!a->cfg->chaos || !text || !text[0] || a->qtype != DNS_TYPE_TXT) {
		a->rcode = DNS_RCODE_REFUSED;
		return;
	}
	a->aa = true;
	uint8_t rd[DNS_ANSWER_CHAOS_MAX + 1];
	size_t tl = strnlen(text, DNS_ANSWER_CHAOS_MAX);
	rd[0] = (uint8_t)tl;
	memcpy(rd + 1, text, tl);
	if (dns_builder_rr(&a->b, DNS_SECTION_ANSWER, a->qname, DNS_TYPE_TXT, DNS_CLASS_CH, CHAOS_TTL,
			   rd, (uint16_t)(tl + 1)) < 0)
		truncate_all(a);
}

// NOTIFY (RFC 1996 §3.7, §4.7): acknowledged for the apex SOA of a zone we
// serve and reported to the caller; anything else is not ours.
static void answer_notify(struct ans *a, struct dns_answer_info *info)
{
	bool exact = false;
	uint32_t n = a->img ? closest(a, a->qname, &exact) : DNS_IMAGE_NONE;
	if (n == DNS_IMAGE_NONE || !exact || !(a->nodes[n].flags & DNS_NODE_APEX)) {
		a->rcode = DNS_RCODE_NOTAUTH;
		return;
	}
	a->aa = true;
	a->zone = a->nodes[n].zone;
	info->notify = true;
}

// A response of only a header (and the OPT when the query had a readable
// one): for messages whose question cannot be trusted.
static size_t header_only(uint8_t *pkt, size_t cap, uint16_t id, uint16_t qflags, uint16_t rcode,
			  struct dns_answer_info *info)
{
	if (cap < DNS_HEADER_LEN) {
		info->drop = DNS_DROP_NOSPACE;
		return 0;
	}
	put16(pkt, id);
	put16(pkt + 2, (uint16_t)(DNS_FLAG_QR | (qflags & (0x7800 | DNS_FLAG_RD | DNS_FLAG_CD)) |
				  (rcode & 0xf)));
	memset(pkt + 4, 0, 8);
	info->rcode = rcode;
	return DNS_HEADER_LEN;
}

size_t dns_answer_full(const void *img, const struct dns_answer_cfg *cfg,
		       const struct dns_answer_client *cl, uint8_t *pkt, size_t len, size_t cap,
		       struct dns_answer_info *info)
{
	memset(info, 0, sizeof(*info));
	info->zone = DNS_IMAGE_NONE;
	if (len < DNS_HEADER_LEN) {
		info->drop = DNS_DROP_SHORT;
		return 0;
	}
	uint16_t id = get16(pkt), qflags = get16(pkt + 2);
	if (qflags & DNS_FLAG_QR) {
		info->drop = DNS_DROP_RESPONSE; // never answer a response (RFC 1035 §4.1.1)
		return 0;
	}
	uint8_t opcode = DNS_OPCODE_OF(qflags);
	info->opcode = opcode;
	if (cap > DNS_MSG_MAXLEN)
		cap = DNS_MSG_MAXLEN;
	if (cap < len) { // the response is written over the query
		info->drop = DNS_DROP_NOSPACE;
		return 0;
	}

	struct dns_msg m;
	if (dns_msg_parse(&m, pkt, len) < 0)
		return header_only(pkt, cap, id, qflags, DNS_RCODE_FORMERR, info);

	struct ans a = {
		.img = img,
		.nodes = img ? dns_image_nodes(img) : NULL,
		.rrsets = img ? dns_image_rrsets(img) : NULL,
		.zones = img ? dns_image_zones(img) : NULL,
		.cfg = cfg,
		.cl = cl,
		.zone = DNS_IMAGE_NONE,
	};
	uint16_t rcode = DNS_RCODE_NOERROR;

	// EDNS (RFC 6891): what the client asked for, copied out of pkt before
	// the response overwrites it.
	struct dns_edns_opt opts[2];
	size_t nopts = 0;
	uint8_t cookie[8 + DNS_SERVER_COOKIE_LEN];
	const struct dns_edns *e = &m.edns;
	bool edns = e->present;
	uint16_t eflags = edns ? (e->flags & DNS_EDNS_DO) : 0;
	info->edns = edns;
	if (edns && e->version != 0) {
		rcode = DNS_RCODE_BADVERS; // RFC 6891 §6.1.3
	} else if (edns) {
		if (e->has_nsid && cfg->nsid_len)
			opts[nopts++] = (struct dns_edns_opt){DNS_EDNS_NSID, cfg->nsid_len, cfg->nsid};
		if (e->has_cookie && cfg->cookies) {
			// RFC 7873 §5.2.2: a client cookie alone, or with a server
			// cookie of 8 to 32 octets; anything else is FORMERR
			if (e->cookie_len != 8 && (e->cookie_len < 16 || e->cookie_len > 40)) {
				rcode = DNS_RCODE_FORMERR;
			} else if (cl->family) {
				memcpy(cookie, e->cookie, 8);
				if (dns_cookie_valid(cfg->cookie_secret, e->cookie, e->cookie_len, cl) &&
				    dns_cookie_fresh(e->cookie, e->cookie_len, cl->now))
					memcpy(cookie + 8, e->cookie + 8, DNS_SERVER_COOKIE_LEN);
				else
					dns_cookie_make(cfg->cookie_secret, e->cookie, cl, cookie + 8);
				opts[nopts++] = (struct dns_edns_opt){DNS_EDNS_COOKIE, sizeof(cookie), cookie};
			}
		}
	}
	size_t limit = size_limit(cfg, cl, edns, edns ? e->udp_size : 0, cap);

	// The question: exactly one for every opcode we implement (RFC 1035
	// §4.1.2 leaves more undefined; every server refuses them).
	bool implemented = opcode == DNS_OPCODE_QUERY || opcode == DNS_OPCODE_NOTIFY;
	bool one_question = m.hdr.count[DNS_SECTION_QUESTION] == 1;
	if (!implemented)
		rcode = DNS_RCODE_NOTIMP;
	else if (!one_question && rcode == DNS_RCODE_NOERROR)
		rcode = DNS_RCODE_FORMERR;
	if (one_question) {
		size_t pos = m.qname_off;
		dns_name_unpack(pkt, len, DNS_HEADER_LEN, &pos, a.qname);
		a.qtype = m.qtype;
		a.qclass = m.qclass;
		info->qtype = m.qtype;
		info->qclass = m.qclass;
	}

	uint16_t base = (uint16_t)(DNS_FLAG_QR | (qflags & (0x7800 | DNS_FLAG_RD | DNS_FLAG_CD)));
	if (dns_builder_init(&a.b, pkt, cap, limit, id, base) < 0) {
		info->drop = DNS_DROP_NOSPACE;
		return 0;
	}
	if (edns)
		dns_builder_reserve(&a.b, dns_edns_opt_size(opts, nopts));
	if (one_question && dns_builder_question(&a.b, a.qname, a.qtype, a.qclass) < 0) {
		info->drop = DNS_DROP_NOSPACE;
		return 0;
	}
	dns_builder_mark(&a.b, &a.after_question);

	if (rcode == DNS_RCODE_NOERROR) {
		if (opcode == DNS_OPCODE_NOTIFY) {
			answer_notify(&a, info);
		} else if (a.qclass == DNS_CLASS_CH) {
			answer_chaos(&a);
		} else if (a.qtype == DNS_TYPE_AXFR || a.qtype == DNS_TYPE_IXFR) {
			// no transfer is allowed (there is no transfer policy yet):
			// refused, as a server refuses one its ACL denies (RFC 5936
			// §2.2.1), on any transport
			a.rcode = DNS_RCODE_REFUSED;
		} else if (!img || (a.qclass != DNS_CLASS_IN && a.qclass != DNS_CLASS_ANY)) {
			a.rcode = DNS_RCODE_REFUSED;
		} else {
			resolve(&a);
		}
		rcode = a.rcode;
	}

	uint16_t flags = (uint16_t)(base | (a.aa ? DNS_FLAG_AA : 0) | (a.tc ? DNS_FLAG_TC : 0) |
				    (rcode & 0xf));
	dns_builder_set_flags(&a.b, flags);
	if (edns && dns_builder_opt(&a.b, cfg->edns_size, (uint8_t)(rcode >> 4), 0, eflags, opts,
				    nopts) < 0) {
		// no room for our OPT (a 512-octet limit and a long NSID): without
		// the options, as the bare OPT always fits the reservation
		dns_builder_opt(&a.b, cfg->edns_size, (uint8_t)(rcode >> 4), 0, eflags, NULL, 0);
	}
	int n = dns_builder_finish(&a.b);
	if (n < 0) {
		info->drop = DNS_DROP_NOSPACE;
		return 0;
	}
	info->rcode = rcode;
	info->truncated = a.tc;
	info->zone = a.zone;
	return (size_t)n;
}
