/* SPDX-License-Identifier: BSD-3-Clause */
// Response templates: for every RRset an exact-match query answers
// directly, the bytes the full path writes after the question, made by
// running the full path itself on that query at compile time. The template
// path then only copies them, so both paths give the same bytes by
// construction.
//
// The bytes do not depend on the letter case of the query: the question is
// at offset 12 with the owner's length, so every compression pointer into
// it lands on the same label whatever its case.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>

#include "answer_internal.h"
#include "grow.h"

struct tmpl {
	uint32_t off; // in the template area
	uint16_t len, an, ns, ar, sum;
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

// The growing template area.
struct area {
	uint8_t *p;
	size_t len, cap;
};

static uint8_t *area_take(struct area *a, size_t n, size_t *off)
{
	size_t at = align8(a->len);
	uint8_t *np = dns_grow(a->p, &a->cap, at + n, 1, 65536);
	if (!np)
		return NULL;
	a->p = np;
	memset(a->p + a->len, 0, at + n - a->len);
	a->len = at + n;
	*off = at;
	return a->p + at;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

// The query (name, type) answered on the full path into buf; returns the
// response length (0: none) and where the question ends.
static size_t answer_query(const uint8_t *img, const struct dns_answer_cfg *cfg,
			   const struct dns_answer_client *cl, const uint8_t *name, uint16_t type,
			   uint8_t *buf, size_t *qend, struct dns_answer_info *info)
{
	size_t nl = dns_name_length(name);
	memset(buf, 0, DNS_HEADER_LEN);
	buf[5] = 1; // QDCOUNT
	memcpy(buf + DNS_HEADER_LEN, name, nl);
	uint8_t *q = buf + DNS_HEADER_LEN + nl;
	q[0] = (uint8_t)(type >> 8);
	q[1] = (uint8_t)type;
	q[2] = 0;
	q[3] = DNS_CLASS_IN;
	*qend = DNS_HEADER_LEN + nl + 4;
	size_t len = dns_answer_full(img, cfg, cl, buf, *qend, DNS_MSG_MAXLEN, info);
	return info->truncated ? 0 : len;
}

// A pointer-shifting template from two answers with the same records: to
// question base (b1) and to a question delta octets longer (b2) whose extra
// octets lie before every name the records point at. The words that differ
// by exactly delta are the pointers to shift; anything else differing means
// the records are not the same, and no template is made. Returns the
// template's area offset, or 0.
static uint32_t ptmpl_from(struct area *ar, const uint8_t *b1, size_t q1, size_t l1,
			   const uint8_t *b2, size_t q2, size_t l2, uint16_t base_len, uint16_t delta)
{
	uint16_t ptr[256];
	unsigned nptr = 0;
	size_t n = l1 - q1;
	if (l2 - q2 != n || n > UINT16_MAX || rd16(b1 + 6) != rd16(b2 + 6) ||
	    rd16(b1 + 8) != rd16(b2 + 8) || rd16(b1 + 10) != rd16(b2 + 10))
		return 0;
	const uint8_t *r1 = b1 + q1, *r2 = b2 + q2;
	for (size_t i = 0; i < n; i++) {
		if (r1[i] == r2[i])
			continue;
		// the pointer word holding this octet: starting here or one before
		size_t at = (i > 0 && (r1[i - 1] & 0xc0) == 0xc0 && (!nptr || ptr[nptr - 1] != i - 1))
				    ? i - 1
				    : i;
		if (nptr && ptr[nptr - 1] == at)
			continue;
		if (at + 2 > n || (r1[at] & 0xc0) != 0xc0 || nptr == 256 ||
		    rd16(r2 + at) != rd16(r1 + at) + delta)
			return 0;
		ptr[nptr++] = (uint16_t)at;
	}
	// the list explains every difference
	uint8_t check[DNS_MSG_MAXLEN];
	memcpy(check, r1, n);
	for (unsigned k = 0; k < nptr; k++) {
		uint16_t v = (uint16_t)(rd16(check + ptr[k]) + delta);
		check[ptr[k]] = (uint8_t)(v >> 8);
		check[ptr[k] + 1] = (uint8_t)v;
	}
	if (memcmp(check, r2, n))
		return 0;
	size_t off;
	uint8_t *t = area_take(ar, sizeof(struct dns_image_ptmpl) + 2 * nptr + n, &off);
	if (!t)
		return UINT32_MAX;
	struct dns_image_ptmpl h = {
		.len = (uint16_t)n,
		.an = rd16(b1 + 6),
		.ns = rd16(b1 + 8),
		.ar = rd16(b1 + 10),
		.nptr = (uint16_t)nptr,
		.base_len = base_len,
	};
	memcpy(t, &h, sizeof(h));
	memcpy(t + sizeof(h), ptr, 2 * nptr);
	memcpy(t + sizeof(h) + 2 * nptr, r1, n);
	return (uint32_t)off;
}

// name with a one-octet label in front ("\0" as its only octet, which no
// zone is likely to hold): the longer question for ptmpl_from.
static bool longer(const uint8_t *name, uint8_t out[DNS_NAME_MAXLEN])
{
	size_t nl = dns_name_length(name);
	if (nl + 2 > DNS_NAME_MAXLEN)
		return false;
	out[0] = 1;
	out[1] = 0;
	memcpy(out + 2, name, nl);
	return true;
}

// Build the query for (name, type) and answer it on the full path; the
// template is what follows the question, kept when the answer is a plain
// authoritative hit of that RRset.
static bool make_template(const uint8_t *img, const struct dns_answer_cfg *cfg,
			  const struct dns_answer_client *cl, uint32_t ri, uint8_t *buf,
			  size_t *qend, size_t *rlen)
{
	const struct dns_image_rrset *s = &dns_image_rrsets(img)[ri];
	const uint8_t *name = img + dns_image_nodes(img)[s->node].name_off;
	struct dns_answer_info info;
	size_t len = answer_query(img, cfg, cl, name, s->type, buf, qend, &info);
	// authoritative, and the answer is this RRset (not a referral, not a
	// CNAME leading elsewhere)
	if (len == 0 || info.rcode != DNS_RCODE_NOERROR || !(rd16(buf + 2) & DNS_FLAG_AA) ||
	    rd16(buf + 6) != s->count)
		return false;
	*rlen = len;
	return true;
}

// The three kinds of pointer-shifting template, each from two answers.
static int add_ptmpls(const uint8_t *img, const struct dns_answer_cfg *cfg,
		      const struct dns_answer_client *cl, struct area *ar, uint8_t *b1, uint8_t *b2,
		      uint32_t *zone_t, uint32_t *node_t, uint32_t *rrset_t)
{
	const struct dns_image_hdr *h = dns_image_hdr(img);
	const struct dns_image_zone *zones = dns_image_zones(img);
	const struct dns_image_node *nodes = dns_image_nodes(img);
	const struct dns_image_rrset *rs = dns_image_rrsets(img);
	uint8_t name2[DNS_NAME_MAXLEN];
	struct dns_answer_info i1, i2;
	size_t q1, q2, l1, l2;
	// Negative answers: NODATA at the apex (a private-use type) against
	// NXDOMAIN just below it; the same SOA in authority.
	for (uint32_t z = 0; z < h->nzones; z++) {
		const uint8_t *apex = img + nodes[zones[z].apex].name_off;
		if (!longer(apex, name2))
			continue;
		l1 = answer_query(img, cfg, cl, apex, 65280, b1, &q1, &i1);
		l2 = answer_query(img, cfg, cl, name2, 65280, b2, &q2, &i2);
		if (l1 && l2 && i1.rcode == DNS_RCODE_NOERROR && i2.rcode == DNS_RCODE_NXDOMAIN &&
		    rd16(b1 + 6) == 0 && rd16(b1 + 8) == 1)
			zone_t[z] = ptmpl_from(ar, b1, q1, l1, b2, q2, l2,
					       (uint16_t)dns_name_length(apex), 2);
		if (zone_t[z] == UINT32_MAX)
			return -1;
	}
	for (uint32_t n = 0; n < h->nnodes; n++) {
		const uint8_t *name = img + nodes[n].name_off;
		// Referrals: at the cut and below it, the same records.
		if ((nodes[n].flags & DNS_NODE_DELEG) && longer(name, name2)) {
			l1 = answer_query(img, cfg, cl, name, DNS_TYPE_A, b1, &q1, &i1);
			l2 = answer_query(img, cfg, cl, name2, DNS_TYPE_A, b2, &q2, &i2);
			if (l1 && l2 && i1.rcode == DNS_RCODE_NOERROR && !(b1[2] & 0x04) &&
			    rd16(b1 + 6) == 0)
				node_t[n] = ptmpl_from(ar, b1, q1, l1, b2, q2, l2,
						       (uint16_t)dns_name_length(name), 2);
			if (node_t[n] == UINT32_MAX)
				return -1;
		}
		// Wildcards: "*" asked for by name against a name it synthesises
		// ("*" replaced by a two-octet label): the answer's owner is the
		// question itself in both, every other pointer moves by one.
		if (name[0] != 1 || name[1] != '*' || (nodes[n].flags & DNS_NODE_BELOW_CUT))
			continue;
		size_t nl = dns_name_length(name);
		if (nl + 1 > DNS_NAME_MAXLEN)
			continue;
		name2[0] = 2;
		name2[1] = 0;
		name2[2] = 0;
		memcpy(name2 + 3, name + 2, nl - 2);
		for (uint32_t ri = nodes[n].rrset_first; ri < nodes[n].rrset_first + nodes[n].nrrsets;
		     ri++) {
			if (rs[ri].type == DNS_TYPE_CNAME)
				continue; // the chain it starts depends on the name
			l1 = answer_query(img, cfg, cl, name, rs[ri].type, b1, &q1, &i1);
			l2 = answer_query(img, cfg, cl, name2, rs[ri].type, b2, &q2, &i2);
			if (l1 && l2 && i1.rcode == DNS_RCODE_NOERROR && (b1[2] & 0x04) &&
			    rd16(b1 + 6) == rs[ri].count)
				rrset_t[ri] = ptmpl_from(ar, b1, q1, l1, b2, q2, l2, (uint16_t)nl, 1);
			if (rrset_t[ri] == UINT32_MAX)
				return -1;
		}
	}
	return 0;
}

int dns_image_add_templates(uint8_t **imgp, size_t *sizep, size_t *tmpl_from)
{
	uint8_t *img = *imgp;
	const struct dns_image_hdr *h = dns_image_hdr(img);
	uint32_t nrrsets = h->nrrsets, nnodes = h->nnodes, nzones = h->nzones;
	*tmpl_from = *sizep;
	if (nzones == 0 || dns_image_zones(img)[0].rclass != DNS_CLASS_IN)
		return 0; // the template paths serve class IN only
	struct dns_answer_cfg cfg;
	dns_answer_cfg_default(&cfg);
	// TCP: a template holds the whole answer; the template paths check
	// each query's limit before using one
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_TCP};
	struct tmpl *t = calloc(nrrsets ? nrrsets : 1, sizeof(*t));
	uint32_t *zone_t = calloc(nzones, sizeof(uint32_t));
	uint32_t *node_t = calloc(nnodes ? nnodes : 1, sizeof(uint32_t));
	uint32_t *rrset_t = calloc(nrrsets ? nrrsets : 1, sizeof(uint32_t));
	uint8_t *buf = malloc(DNS_MSG_MAXLEN), *buf2 = malloc(DNS_MSG_MAXLEN);
	struct area ar = {0}, pa = {0}; // the RRsets' templates, the pointer-shifting ones
	size_t scratch;
	int rc = -1;
	// offset 0 of an area means "none": take it up front
	if (!t || !zone_t || !node_t || !rrset_t || !buf || !buf2 || !area_take(&ar, 8, &scratch) ||
	    !area_take(&pa, 8, &scratch))
		goto out;
	for (uint32_t ri = 0; ri < nrrsets; ri++) {
		size_t qend, len;
		if (!make_template(img, &cfg, &cl, ri, buf, &qend, &len))
			continue;
		size_t tl = len - qend, off;
		if (tl == 0 || tl > UINT16_MAX)
			continue;
		uint8_t *dst = area_take(&ar, tl, &off);
		if (!dst)
			goto out;
		memcpy(dst, buf + qend, tl);
		t[ri] = (struct tmpl){
			.off = (uint32_t)off,
			.len = (uint16_t)tl,
			.an = rd16(buf + 6),
			.ns = rd16(buf + 8),
			.ar = rd16(buf + 10),
			.sum = dns_image_tmpl_sum(dst, tl),
		};
	}
	if (add_ptmpls(img, &cfg, &cl, &pa, buf, buf2, zone_t, node_t, rrset_t) < 0)
		goto out;
	// the pointer-shifting templates, then the RRsets'
	size_t pbase = align8(*sizep);
	size_t base = align8(pbase + pa.len);
	size_t total = align8(base + ar.len);
	if (total > UINT32_MAX) {
		errno = EFBIG;
		goto fail;
	}
	uint8_t *ni = realloc(img, total);
	if (!ni)
		goto out;
	img = ni;
	memset(img + *sizep, 0, total - *sizep);
	memcpy(img + pbase, pa.p, pa.len);
	memcpy(img + base, ar.p, ar.len);
	struct dns_image_hdr *wh = (struct dns_image_hdr *)img;
	struct dns_image_rrset *rs = (struct dns_image_rrset *)(img + wh->rrsets_off);
	struct dns_image_node *nodes = (struct dns_image_node *)(img + wh->nodes_off);
	struct dns_image_zone *zones = (struct dns_image_zone *)(img + wh->zones_off);
	for (uint32_t ri = 0; ri < nrrsets; ri++) {
		if (t[ri].len) {
			rs[ri].tmpl_off = (uint32_t)(base + t[ri].off);
			rs[ri].tmpl_len = t[ri].len;
			rs[ri].tmpl_an = t[ri].an;
			rs[ri].tmpl_ns = t[ri].ns;
			rs[ri].tmpl_ar = t[ri].ar;
			rs[ri].tmpl_sum = t[ri].sum;
		}
		if (rrset_t[ri])
			rs[ri].wild_tmpl = (uint32_t)(pbase + rrset_t[ri]);
	}
	for (uint32_t n = 0; n < nnodes; n++)
		if (node_t[n])
			nodes[n].ref_tmpl = (uint32_t)(pbase + node_t[n]);
	for (uint32_t z = 0; z < nzones; z++)
		if (zone_t[z])
			zones[z].neg_tmpl = (uint32_t)(pbase + zone_t[z]);
	wh->size = (uint32_t)total;
	*imgp = img;
	*sizep = total;
	*tmpl_from = base;
	rc = 0;
out:
	if (rc < 0)
		errno = ENOMEM;
fail:
	free(t);
	free(zone_t);
	free(node_t);
	free(rrset_t);
	free(buf);
	free(buf2);
	free(ar.p);
	free(pa.p);
	return rc;
}
