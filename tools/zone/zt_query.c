/* SPDX-License-Identifier: BSD-3-Clause */
// dig-style query words → struct zt_query → query wire.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linerate/dns_msg.h>
#include <linerate/dns_types.h>

#include "zt_query.h"
#include "zt_util.h"

static const uint8_t default_cookie[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// Even-length hex into out; the octet count, or -1.
static int parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

static bool parse_opcode(const char *s, uint8_t *op)
{
	unsigned long v;
	if (zt_parse_uint(s, 15, &v)) {
		*op = (uint8_t)v;
		return true;
	}
	for (uint8_t i = 0; i < 16; i++) {
		char buf[16];
		if (strcasecmp(s, dns_opcode_to_text(i, buf)) == 0) {
			*op = i;
			return true;
		}
	}
	return false;
}

struct parse_state {
	int rd; // -1: not given, else 0/1
	int positional;
};

static int parse_plus(struct zt_query *q, struct parse_state *st, const char *w, char *err,
		      size_t errlen)
{
	const char *opt = w + 1;
	const char *val = strchr(opt, '=');
	size_t klen = val ? (size_t)(val - opt) : strlen(opt);
	unsigned long v;
#define IS(name) (klen == sizeof(name) - 1 && strncmp(opt, name, klen) == 0)
	if (val)
		val++;
	if (!val && (IS("dnssec") || IS("do"))) {
		q->dnssec = true;
		q->edns = true;
	} else if (!val && (IS("nodnssec") || IS("nodo"))) {
		q->dnssec = false;
	} else if (!val && IS("edns")) {
		q->edns = true;
	} else if (!val && IS("noedns")) {
		q->edns = false;
	} else if (val && (IS("edns") || IS("bufsize"))) {
		if (!zt_parse_uint(val, UINT16_MAX, &v))
			return zt_fail(err, errlen, "%s: payload size must be 0 to 65535", w);
		q->edns = true;
		q->edns_size = (uint16_t)v;
	} else if (val && IS("ednsver")) {
		if (!zt_parse_uint(val, UINT8_MAX, &v))
			return zt_fail(err, errlen, "%s: EDNS version must be 0 to 255", w);
		q->edns = true;
		q->edns_version = (uint8_t)v;
	} else if (!val && (IS("rec") || IS("norec"))) {
		st->rd = IS("rec");
	} else if (!val && (IS("ad") || IS("noad"))) {
		q->flags = IS("ad") ? q->flags | DNS_FLAG_AD : q->flags & ~DNS_FLAG_AD;
	} else if (!val && (IS("cd") || IS("nocd"))) {
		q->flags = IS("cd") ? q->flags | DNS_FLAG_CD : q->flags & ~DNS_FLAG_CD;
	} else if (!val && IS("nsid")) {
		q->nsid = true;
		q->edns = true;
	} else if (IS("cookie")) {
		int n = sizeof(default_cookie);
		if (val)
			n = parse_hex(val, q->cookie, sizeof(q->cookie));
		else
			memcpy(q->cookie, default_cookie, sizeof(default_cookie));
		// RFC 7873 §4: an 8-octet client cookie, then 0 or 8…32 server octets.
		if (n < 8 || (n > 8 && n < 16))
			return zt_fail(err, errlen,
				       "%s: cookie must be 8 or 16 to 40 octets of hex", w);
		q->cookie_len = (uint8_t)n;
		q->edns = true;
	} else if (val && IS("opcode")) {
		if (!parse_opcode(val, &q->opcode))
			return zt_fail(err, errlen, "%s: unknown opcode", w);
	} else if (val && IS("id")) {
		if (!zt_parse_uint(val, UINT16_MAX, &v))
			return zt_fail(err, errlen, "%s: id must be 0 to 65535", w);
		q->id = (uint16_t)v;
	} else if (!val && (IS("tcp") || IS("udp"))) {
		q->tcp = IS("tcp");
	} else {
		return zt_fail(err, errlen, "%s: unknown option", w);
	}
#undef IS
	return 0;
}

static int parse_word(struct zt_query *q, struct parse_state *st, const char *w, char *err,
		      size_t errlen)
{
	switch (st->positional++) {
	case 0:
		if (dns_name_from_text(w, strlen(w), NULL, q->name) < 0)
			return zt_fail(err, errlen, "%s: not a domain name", w);
		return 0;
	case 1:
		if (dns_type_from_text(w, strlen(w), &q->qtype) < 0)
			return zt_fail(err, errlen, "%s: not a type (A, MX, TYPE65280…)", w);
		return 0;
	case 2:
		if (dns_class_from_text(w, strlen(w), &q->qclass) < 0)
			return zt_fail(err, errlen, "%s: not a class (IN, CH, CLASS42…)", w);
		return 0;
	default:
		return zt_fail(err, errlen, "%s: unexpected word after NAME TYPE CLASS", w);
	}
}

int zt_query_parse(struct zt_query *q, int argc, char *const *argv, char *err, size_t errlen)
{
	struct parse_state st = {.rd = -1};
	memset(q, 0, sizeof(*q));
	q->qtype = DNS_TYPE_A;
	q->qclass = DNS_CLASS_IN;
	q->opcode = DNS_OPCODE_QUERY;
	q->edns = true;
	q->edns_size = 1232;
	for (int i = 0; i < argc; i++) {
		int rc = argv[i][0] == '+' ? parse_plus(q, &st, argv[i], err, errlen)
					   : parse_word(q, &st, argv[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	if (st.positional == 0)
		return zt_fail(err, errlen, "missing NAME");
	if (q->opcode == DNS_OPCODE_NOTIFY)
		q->flags |= DNS_FLAG_AA;
	if (st.rd == 1 || (st.rd == -1 && q->opcode != DNS_OPCODE_NOTIFY))
		q->flags |= DNS_FLAG_RD;
	return 0;
}

int zt_query_build(const struct zt_query *q, uint8_t *buf, size_t cap)
{
	struct dns_builder b;
	uint16_t flags = (uint16_t)(q->flags | (uint16_t)(q->opcode & 0xf) << 11);
	int rc = dns_builder_init(&b, buf, cap, cap, q->id, flags);
	if (rc == 0)
		rc = dns_builder_question(&b, q->name, q->qtype, q->qclass);
	if (rc == 0 && q->edns) {
		struct dns_edns_opt opts[2];
		size_t n = 0;
		if (q->nsid)
			opts[n++] = (struct dns_edns_opt){.code = DNS_EDNS_NSID};
		if (q->cookie_len)
			opts[n++] = (struct dns_edns_opt){
				.code = DNS_EDNS_COOKIE, .len = q->cookie_len, .data = q->cookie};
		rc = dns_builder_opt(&b, q->edns_size, 0, q->edns_version,
				     q->dnssec ? DNS_EDNS_DO : 0, opts, n);
	}
	return rc < 0 ? rc : dns_builder_finish(&b);
}
