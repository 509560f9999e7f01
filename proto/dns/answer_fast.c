/* SPDX-License-Identifier: BSD-3-Clause */
// The answer engine's template paths (see linerate/dns_answer.h): exact
// RRset templates and pointer-shifting ones (negative answers, referrals,
// wildcards, REFUSED), the entry points that try them before the full path
// (answer.c), and the fast lane's three steps, which are the same code.
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_fast.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>

#include "answer_internal.h"

// The OPT options of a query the template path may answer: well-formed,
// and none that changes the answer but a COOKIE (dig and BIND resolvers
// send one with every query). Padding and options we do not know are
// ignored, as the full path ignores them; an NSID request we would answer
// and a client subnet (validated there) go to the full path.
bool dns_fast_options(const struct dns_answer_cfg *cfg, const uint8_t *o, size_t n,
		      struct dns_fast_query *t)
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

void dns_fast_cookie(const struct dns_answer_cfg *cfg, const struct dns_answer_client *cl,
		     const struct dns_fast_query *t, uint8_t *o)
{
	uint8_t c[DNS_FAST_COOKIE_OPT - 4];
	memcpy(c, t->cookie, DNS_COOKIE_CLIENT_LEN);
	if (dns_cookie_valid(cfg->cookie_secret, t->cookie, t->cookie_len, cl) &&
	    dns_cookie_fresh(t->cookie, t->cookie_len, cl->now))
		memcpy(c + DNS_COOKIE_CLIENT_LEN, t->cookie + DNS_COOKIE_CLIENT_LEN,
		       DNS_SERVER_COOKIE_LEN);
	else
		dns_cookie_make(cfg->cookie_secret, t->cookie, cl, c + DNS_COOKIE_CLIENT_LEN);
	put16(o + 9, DNS_FAST_COOKIE_OPT);
	put16(o + OPT_FIXED, DNS_EDNS_COOKIE);
	put16(o + OPT_FIXED + 2, sizeof(c));
	memcpy(o + OPT_FIXED + 4, c, sizeof(c));
}

static void fast_info(struct dns_answer_info *info, const struct dns_fast_query *t, uint16_t rcode,
		      uint32_t zone)
{
	info->rcode = rcode;
	info->qtype = t->qtype;
	info->qclass = DNS_CLASS_IN;
	info->edns = t->edns;
	info->zone = zone;
}

// A pointer-shifting template (dns_image_ptmpl at off, 0 for none: no
// records) behind the question. 0 when it cannot serve this query.
static size_t ptmpl_emit(const uint8_t *img, const struct dns_answer_cfg *cfg,
			 const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
			 const struct dns_fast_query *t, uint32_t off, uint16_t flags,
			 uint16_t rcode, uint32_t zone, struct dns_answer_info *info)
{
	struct dns_image_ptmpl pt = {0};
	const uint8_t *ptr = NULL, *rec = NULL;
	if (off) {
		memcpy(&pt, img + off, sizeof(pt));
		ptr = img + off + sizeof(pt);
		rec = ptr + 2 * pt.nptr;
		if (t->key.len < pt.base_len)
			return 0;
	}
	size_t delta = t->key.len - pt.base_len;
	size_t olen = dns_fast_opt_len(cfg, cl, t);
	size_t total = t->qend + pt.len + olen;
	if (total > dns_fast_limit(cfg, cl, t->edns, t->udp, cap))
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
	dns_fast_finish(cfg, cl, pkt, t, pt.len, olen, (uint16_t)(flags | rcode), pt.an, pt.ns,
			pt.ar);
	fast_info(info, t, rcode, zone);
	info->suffix_hit = true;
	return total;
}

uint32_t dns_answer_closest_lower(const uint8_t *img, const uint8_t *lname, size_t len, size_t from,
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
			    const struct dns_fast_query *t, uint32_t node,
			    struct dns_answer_info *info)
{
	const struct dns_image_node *nodes = dns_image_nodes(img);
	const struct dns_image_zone *zones = dns_image_zones(img);
	bool exact = node != DNS_IMAGE_NONE;
	uint32_t ce = node;
	size_t at;
	if (!exact && t->lname[0]) // the name itself was looked up already
		ce = dns_answer_closest_lower(img, t->lname, t->key.len, 1U + t->lname[0], &at);
	if (ce == DNS_IMAGE_NONE) // RFC 1034 §4.3.2 step 2: not ours
		return ptmpl_emit(img, cfg, cl, pkt, cap, t, 0, 0, DNS_RCODE_REFUSED,
				  DNS_IMAGE_NONE, info);
	const struct dns_image_node *n = &nodes[ce];
	uint32_t neg = zones[n->zone].neg_tmpl;
	if (n->cut != DNS_IMAGE_NONE) {
		if (exact && n->cut == ce && t->qtype == DNS_TYPE_DS)
			return 0;
		uint32_t ref = nodes[n->cut].ref_tmpl;
		return ref ? ptmpl_emit(img, cfg, cl, pkt, cap, t, ref, 0, DNS_RCODE_NOERROR,
					n->zone, info)
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
		return neg ? ptmpl_emit(img, cfg, cl, pkt, cap, t, neg, DNS_FLAG_AA,
					DNS_RCODE_NOERROR, n->zone, info)
			   : 0;
	uint32_t wt = exact ? 0 : dns_image_rrsets(img)[ri].wild_tmpl;
	return wt ? ptmpl_emit(img, cfg, cl, pkt, cap, t, wt, DNS_FLAG_AA, DNS_RCODE_NOERROR,
			       n->zone, info)
		  : 0;
}

static void info_reset(struct dns_answer_info *info)
{
	memset(info, 0, sizeof(*info));
	info->zone = DNS_IMAGE_NONE;
}

size_t dns_answer(const void *img, const struct dns_answer_cfg *cfg,
		  const struct dns_answer_client *cl, uint8_t *pkt, size_t len, size_t cap,
		  struct dns_answer_info *info)
{
	struct dns_fast_query t, *tp = &t;
	info_reset(info);
	if (img && len <= cap && dns_fast_parse(img, cfg, pkt, len, &t)) {
		struct dns_fast_reply r;
		dns_fast_find(img, &tp, 1);
		if (dns_fast_emit(img, cfg, cl, pkt, cap, &t, &r, info))
			return r.len;
		size_t n = 0;
		if (t.rrset == DNS_IMAGE_NONE) {
			dns_fast_lower(&t);
			n = suffix_answer(img, cfg, cl, pkt, cap, &t, t.key.node, info);
		}
		if (n)
			return n;
	}
	return dns_answer_full(img, cfg, cl, pkt, len, cap, info);
}

void dns_answer_burst(const void *img, const struct dns_answer_cfg *cfg,
		      struct dns_answer_job *jobs, unsigned n)
{
	struct dns_fast_query t[DNS_ANSWER_BURST_MAX], *tp[DNS_ANSWER_BURST_MAX] = {0};
	unsigned idx[DNS_ANSWER_BURST_MAX], m = 0;
	while (n > DNS_ANSWER_BURST_MAX) {
		dns_answer_burst(img, cfg, jobs, DNS_ANSWER_BURST_MAX);
		jobs += DNS_ANSWER_BURST_MAX;
		n -= DNS_ANSWER_BURST_MAX;
	}
	// the template paths for every query they may take, the lookups overlapped
	for (unsigned i = 0; i < n; i++) {
		struct dns_answer_job *j = &jobs[i];
		info_reset(&j->info);
		j->out = 0;
		if (img && j->len <= j->cap && dns_fast_parse(img, cfg, j->pkt, j->len, &t[m])) {
			tp[m] = &t[m];
			idx[m++] = i;
		}
	}
	dns_fast_find(img, tp, m);
	for (unsigned k = 0; k < m; k++) {
		struct dns_answer_job *j = &jobs[idx[k]];
		struct dns_fast_reply r;
		if (dns_fast_emit(img, cfg, &j->client, j->pkt, j->cap, &t[k], &r, &j->info))
			j->out = r.len;
		else if (t[k].rrset == DNS_IMAGE_NONE) {
			dns_fast_lower(&t[k]);
			j->out = suffix_answer(img, cfg, &j->client, j->pkt, j->cap, &t[k],
					       t[k].key.node, &j->info);
		}
	}
	// the rest, one by one
	for (unsigned i = 0; i < n; i++) {
		struct dns_answer_job *j = &jobs[i];
		if (!j->info.template_hit && !j->info.suffix_hit)
			j->out = dns_answer_full(img, cfg, &j->client, j->pkt, j->len, j->cap,
						 &j->info);
	}
}

// ---- the fast lane's lookup ----

_Static_assert(DNS_ANSWER_BURST_MAX <= DNS_IMAGE_BURST_MAX, "a burst is looked up at once");

// A template answer's parts into x, from RRset ri or from its record in
// the template index (the same values).
static inline void take_tmpl(struct dns_fast_query *x, uint32_t ri, uint32_t off, uint16_t len,
			     uint16_t an, uint16_t ns, uint16_t ar, uint16_t sum, uint32_t zone,
			     uint32_t parent_zone)
{
	x->rrset = ri;
	x->tmpl_off = off;
	x->tmpl_len = len;
	x->tmpl_an = an;
	x->tmpl_ns = ns;
	x->tmpl_ar = ar;
	x->tmpl_sum = sum;
	// a parent's DS at a served child's apex counts for the parent
	x->zone = x->qtype == DNS_TYPE_DS && parent_zone != DNS_IMAGE_NONE ? parent_zone : zone;
}

// The burst's names through the template index (dns_image.h): a slot, then
// the entry with the name and the templates. Which queries it did not
// settle (a name without templates or not there, a 32-bit collision) into
// miss; returns how many.
static unsigned find_lane(const void *img, struct dns_fast_query *const *q, unsigned n,
			  unsigned *miss)
{
	const struct dns_image_hdr *h = dns_image_hdr(img);
	const struct dns_image_lane_slot *sl = dns_image_lane_slots(img);
	uint32_t mask = h->nlane - 1, e[DNS_IMAGE_BURST_MAX];
	unsigned nm = 0;
	for (unsigned k = 0; k < n; k++)
		__builtin_prefetch(&sl[q[k]->key.hash & mask]);
	// the first slot of the name's hash (at most half are used: the
	// probe ends), and the entry's first two lines: header, name, types
	for (unsigned k = 0; k < n; k++) {
		uint32_t hash = q[k]->key.hash, i = hash & mask;
		for (uint32_t p = 0; p < mask && sl[i].entry && sl[i].hash != hash; p++)
			i = (i + 1) & mask;
		e[k] = sl[i].hash == hash ? sl[i].entry : 0;
		if (e[k]) {
			__builtin_prefetch(dns_image_at(img, e[k]));
			__builtin_prefetch(dns_image_at(img, e[k]) + 64);
		}
	}
	for (unsigned k = 0; k < n; k++) {
		struct dns_fast_query *x = q[k];
		const struct dns_image_lane *en =
			(const struct dns_image_lane *)dns_image_at(img, e[k]);
		if (!e[k] || en->name_len != x->key.len ||
		    !dns_name_equal_icase(dns_image_lane_name(en), x->key.name, x->key.len)) {
			miss[nm++] = k;
			continue;
		}
		const struct dns_image_lane_type *t = dns_image_lane_types(en);
		x->key.node = en->node;
		x->rrset = DNS_IMAGE_NONE;
		for (unsigned j = 0; j < en->ntypes; j++)
			if (t[j].type == x->qtype) {
				take_tmpl(x, t[j].rrset, t[j].tmpl_off, t[j].tmpl_len, t[j].tmpl_an,
					  t[j].tmpl_ns, t[j].tmpl_ar, t[j].tmpl_sum, en->zone,
					  en->parent_zone);
				__builtin_prefetch(dns_image_at(img, t[j].tmpl_off));
				break;
			}
	}
	return nm;
}

void dns_fast_find(const void *img, struct dns_fast_query *const *q, unsigned n)
{
	struct dns_image_key *keys[DNS_IMAGE_BURST_MAX];
	unsigned miss[DNS_IMAGE_BURST_MAX], nm = 0;
	if (n == 0 || !img)
		return;
	if (n > DNS_IMAGE_BURST_MAX)
		n = DNS_IMAGE_BURST_MAX;
	if (dns_image_hdr(img)->nlane) {
		nm = find_lane(img, q, n, miss);
	} else {
		for (unsigned k = 0; k < n; k++)
			miss[nm++] = k;
	}
	if (nm == 0)
		return;
	// the rest through the name index, the node and its RRsets
	for (unsigned k = 0; k < nm; k++)
		keys[k] = &q[miss[k]]->key;
	dns_image_find_burst(img, keys, nm);
	// the image's tables once: the stores below could alias its header
	const struct dns_image_node *nodes = dns_image_nodes(img);
	const struct dns_image_rrset *rs = dns_image_rrsets(img);
	for (unsigned k = 0; k < nm; k++) {
		struct dns_fast_query *x = q[miss[k]];
		uint32_t ri = DNS_IMAGE_NONE;
		if (x->key.node != DNS_IMAGE_NONE)
			ri = dns_image_rrset_of(&nodes[x->key.node], rs, x->qtype);
		x->rrset = DNS_IMAGE_NONE;
		if (ri == DNS_IMAGE_NONE || !rs[ri].tmpl_len)
			continue;
		const struct dns_image_node *nd = &nodes[x->key.node];
		take_tmpl(x, ri, rs[ri].tmpl_off, rs[ri].tmpl_len, rs[ri].tmpl_an, rs[ri].tmpl_ns,
			  rs[ri].tmpl_ar, rs[ri].tmpl_sum, nd->zone, nd->parent_zone);
		__builtin_prefetch(dns_image_at(img, rs[ri].tmpl_off));
	}
}

bool dns_fast_suffix(const void *img, const struct dns_answer_cfg *cfg,
		     const struct dns_answer_client *cl, uint8_t *pkt, size_t cap,
		     struct dns_fast_query *q, struct dns_fast_reply *r,
		     struct dns_answer_info *info)
{
	if (q->rrset != DNS_IMAGE_NONE)
		return false;
	info_reset(info);
	dns_fast_lower(q);
	size_t n = suffix_answer(img, cfg, cl, pkt, cap, q, q->key.node, info);
	if (!n)
		return false;
	r->len = (uint16_t)n;
	r->tmpl_at = (uint16_t)n; // no compiled sum: every octet is summed
	r->tmpl_len = 0;
	r->tmpl_sum = 0;
	r->hdr_sum = 0;
	return true;
}
