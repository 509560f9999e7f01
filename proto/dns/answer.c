/* SPDX-License-Identifier: BSD-3-Clause */
// The authoritative answer engine's full path (see linerate/dns_answer.h):
// the RFC 1034 §4.3.2 algorithm over the image, for whatever the template
// paths (answer_fast.c) do not take.
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/wire.h>

#include "answer_internal.h"

#define ADDED_MAX 32   // additional RRsets remembered against duplicates
#define CHAOS_TTL 0

void dns_answer_cfg_default(struct dns_answer_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->edns_size = DNS_ANSWER_EDNS_DEFAULT;
	cfg->chaos = true;
	strcpy(cfg->chaos_version, "linerate");
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
	uint32_t n = dns_answer_closest_lower(a->img, lname, len, 0, &at);
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
	size_t limit = dns_fast_limit(cfg, cl, edns, edns ? e->udp_size : 0, cap);

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
