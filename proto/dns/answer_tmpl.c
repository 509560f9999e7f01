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

struct tmpl {
	uint32_t off; // in the template area
	uint16_t len, an, ns, ar;
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

// Build the query for (name, type) and answer it on the full path; the
// template is what follows the question, kept when the answer is a plain
// authoritative hit of that RRset.
static bool make_template(const uint8_t *img, const struct dns_answer_cfg *cfg,
			  const struct dns_answer_client *cl, uint32_t ri, uint8_t *buf, size_t cap,
			  size_t *qend, size_t *rlen)
{
	const struct dns_image_rrset *s = &dns_image_rrsets(img)[ri];
	const struct dns_image_node *n = &dns_image_nodes(img)[s->node];
	const uint8_t *name = img + n->name_off;
	size_t nl = dns_name_length(name);
	memset(buf, 0, DNS_HEADER_LEN);
	buf[5] = 1; // QDCOUNT
	memcpy(buf + DNS_HEADER_LEN, name, nl);
	uint8_t *q = buf + DNS_HEADER_LEN + nl;
	q[0] = (uint8_t)(s->type >> 8);
	q[1] = (uint8_t)s->type;
	q[2] = 0;
	q[3] = DNS_CLASS_IN;
	*qend = DNS_HEADER_LEN + nl + 4;
	struct dns_answer_info info;
	size_t len = dns_answer_full(img, cfg, cl, buf, *qend, cap, &info);
	if (len == 0 || info.rcode != DNS_RCODE_NOERROR || info.truncated)
		return false;
	uint16_t flags = (uint16_t)(buf[2] << 8 | buf[3]);
	uint16_t an = (uint16_t)(buf[6] << 8 | buf[7]);
	// authoritative, and the answer is this RRset (not a referral, not a
	// CNAME leading elsewhere)
	if (!(flags & DNS_FLAG_AA) || an != s->count)
		return false;
	*rlen = len;
	return true;
}

int dns_image_add_templates(uint8_t **imgp, size_t *sizep)
{
	uint8_t *img = *imgp;
	const struct dns_image_hdr *h = dns_image_hdr(img);
	uint32_t nrrsets = h->nrrsets;
	if (h->nzones == 0 || dns_image_zones(img)[0].rclass != DNS_CLASS_IN)
		return 0; // the template path serves class IN only
	struct dns_answer_cfg cfg;
	dns_answer_cfg_default(&cfg);
	// TCP: the template must hold the whole answer; the template path
	// checks each query's limit before using it
	struct dns_answer_client cl = {.transport = DNS_TRANSPORT_TCP};
	struct tmpl *t = calloc(nrrsets ? nrrsets : 1, sizeof(*t));
	uint8_t *buf = malloc(DNS_MSG_MAXLEN);
	uint8_t *area = NULL;
	size_t area_len = 0, area_cap = 0;
	if (!t || !buf)
		goto nomem;
	for (uint32_t ri = 0; ri < nrrsets; ri++) {
		size_t qend, len;
		if (!make_template(img, &cfg, &cl, ri, buf, DNS_MSG_MAXLEN, &qend, &len))
			continue;
		size_t tl = len - qend;
		if (tl == 0 || tl > UINT16_MAX)
			continue;
		if (area_len + tl > area_cap) {
			size_t nc = area_cap ? area_cap * 2 : 65536;
			while (nc < area_len + tl)
				nc *= 2;
			uint8_t *na = realloc(area, nc);
			if (!na)
				goto nomem;
			area = na;
			area_cap = nc;
		}
		memcpy(area + area_len, buf + qend, tl);
		t[ri] = (struct tmpl){
			.off = (uint32_t)area_len,
			.len = (uint16_t)tl,
			.an = (uint16_t)(buf[6] << 8 | buf[7]),
			.ns = (uint16_t)(buf[8] << 8 | buf[9]),
			.ar = (uint16_t)(buf[10] << 8 | buf[11]),
		};
		area_len += tl;
	}
	size_t base = align8(*sizep);
	size_t total = align8(base + area_len);
	if (total > UINT32_MAX) {
		free(t);
		free(buf);
		free(area);
		errno = EFBIG;
		return -1;
	}
	uint8_t *ni = realloc(img, total);
	if (!ni)
		goto nomem;
	img = ni;
	memset(img + *sizep, 0, total - *sizep);
	if (area_len)
		memcpy(img + base, area, area_len);
	struct dns_image_hdr *wh = (struct dns_image_hdr *)img;
	struct dns_image_rrset *rs = (struct dns_image_rrset *)(img + wh->rrsets_off);
	for (uint32_t ri = 0; ri < nrrsets; ri++) {
		if (!t[ri].len)
			continue;
		rs[ri].tmpl_off = (uint32_t)(base + t[ri].off);
		rs[ri].tmpl_len = t[ri].len;
		rs[ri].tmpl_an = t[ri].an;
		rs[ri].tmpl_ns = t[ri].ns;
		rs[ri].tmpl_ar = t[ri].ar;
	}
	wh->size = (uint32_t)total;
	*imgp = img;
	*sizep = total;
	free(t);
	free(buf);
	free(area);
	return 0;
nomem:
	free(t);
	free(buf);
	free(area);
	errno = ENOMEM;
	return -1;
}
