/* SPDX-License-Identifier: BSD-3-Clause */
// EDNS0 (RFC 6891): the OPT record's fields and options as parsed, option
// iteration, and the encoders the builder's callers need.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/wire.h>

#include "msg_internal.h"

#define ECS_FAMILY_IPV4 1
#define ECS_FAMILY_IPV6 2

// Longest prefix of an ECS family, 0 for a family RFC 7871 does not define.
static uint8_t ecs_max_prefix(uint16_t family)
{
	switch (family) {
	case ECS_FAMILY_IPV4:
		return 32;
	case ECS_FAMILY_IPV6:
		return 128;
	default:
		return 0;
	}
}

// The mask of the significant bits in the last address octet of a prefix.
static uint8_t ecs_last_mask(uint8_t prefix)
{
	return (uint8_t)(0xff00 >> (prefix % 8 ? prefix % 8 : 8));
}

// RFC 7871 §6: FAMILY, SOURCE PREFIX-LENGTH, SCOPE PREFIX-LENGTH, ADDRESS.
static int ecs_parse(struct dns_ecs *ecs, const uint8_t *p, uint16_t len, bool query)
{
	if (len < 4)
		return DNS_EOPT_ECS;
	memset(ecs, 0, sizeof(*ecs));
	ecs->family = wire_get_u16(p);
	ecs->source_prefix = p[2];
	ecs->scope_prefix = p[3];
	uint8_t max = ecs_max_prefix(ecs->family);
	if (max == 0) // §6: IANA address family 1 or 2 only
		return DNS_EOPT_ECS;
	if (ecs->source_prefix > max || ecs->scope_prefix > max)
		return DNS_EOPT_ECS;
	// §6: "SCOPE PREFIX-LENGTH ... In queries, it MUST be set to 0."
	if (query && ecs->scope_prefix != 0)
		return DNS_EOPT_ECS;
	// §6: ADDRESS is truncated to SOURCE PREFIX-LENGTH bits, no more octets
	// than needed, and the padding bits of the last octet are zero.
	size_t n = (ecs->source_prefix + 7u) / 8u;
	if (len - 4u != n)
		return DNS_EOPT_ECS;
	if (n && (p[4 + n - 1] & (uint8_t)~ecs_last_mask(ecs->source_prefix)))
		return DNS_EOPT_ECS;
	memcpy(ecs->addr, p + 4, n);
	return 0;
}

static int opt_record(struct dns_edns *e, uint16_t code, const uint8_t *data, uint16_t len,
		      bool query)
{
	switch (code) {
	case DNS_EDNS_NSID: // RFC 5001 §2.3: empty in a query, the id in a response
		if (!e->has_nsid) {
			e->has_nsid = true;
			e->nsid = data;
			e->nsid_len = len;
		}
		return 0;
	case DNS_EDNS_COOKIE:
		if (!dns_cookie_len_ok(len))
			return DNS_EOPT_COOKIE;
		if (!e->has_cookie) {
			e->has_cookie = true;
			e->cookie = data;
			e->cookie_len = (uint8_t)len;
		}
		return 0;
	case DNS_EDNS_PADDING: // RFC 7830 §3: any content, receivers ignore it
		if (!e->has_padding) {
			e->has_padding = true;
			e->padding_len = len;
		}
		return 0;
	case DNS_EDNS_CLIENT_SUBNET: {
		struct dns_ecs ecs;
		int rc = ecs_parse(&ecs, data, len, query);
		if (rc < 0)
			return rc;
		if (!e->has_ecs) {
			e->has_ecs = true;
			e->ecs = ecs;
		}
		return 0;
	}
	default:
		e->unknown_count++;
		return 0;
	}
}

int dns_edns_parse_opt(struct dns_edns *e, const uint8_t *wire, uint16_t rr_off, uint16_t udp_size,
		       uint32_t ttl, uint16_t rdata_off, uint16_t rdlen, bool query)
{
	memset(e, 0, sizeof(*e));
	e->present = true;
	// RFC 6891 §6.1.3: the TTL holds EXTENDED-RCODE, VERSION, DO and Z.
	e->udp_size = udp_size;
	e->ext_rcode = (uint8_t)(ttl >> 24);
	e->version = (uint8_t)(ttl >> 16);
	e->flags = (uint16_t)ttl;
	e->rr_off = rr_off;
	e->opts_off = rdata_off;
	e->opts_len = rdlen;

	struct dns_edns_opt_iter it = {wire + rdata_off, wire + rdata_off + rdlen};
	uint16_t code, len;
	const uint8_t *data;
	int rc;
	while ((rc = dns_edns_opt_iter_next(&it, &code, &data, &len)) > 0) {
		rc = opt_record(e, code, data, len, query);
		if (rc < 0)
			return rc;
	}
	return rc;
}

void dns_edns_opt_iter_init(struct dns_edns_opt_iter *it, const struct dns_msg *m)
{
	if (!m->edns.present) {
		it->pos = it->end = NULL;
		return;
	}
	it->pos = m->wire + m->edns.opts_off;
	it->end = it->pos + m->edns.opts_len;
}

int dns_edns_opt_iter_next(struct dns_edns_opt_iter *it, uint16_t *code, const uint8_t **data,
			   uint16_t *len)
{
	if (it->pos == it->end)
		return 0;
	// RFC 6891 §6.1.2: OPTION-CODE, OPTION-LENGTH, then that many octets,
	// all inside the RDATA.
	size_t left = (size_t)(it->end - it->pos);
	if (left < 4)
		return DNS_EOPT_OPTION;
	uint16_t n = wire_get_u16(it->pos + 2);
	if (n > left - 4)
		return DNS_EOPT_OPTION;
	*code = wire_get_u16(it->pos);
	*len = n;
	*data = it->pos + 4;
	it->pos += 4 + (size_t)n;
	return 1;
}

uint16_t dns_msg_rcode(const struct dns_msg *m)
{
	uint16_t rc = DNS_RCODE_OF(m->hdr.flags);
	if (m->edns.present) // RFC 6891 §6.1.3: the OPT holds the upper 8 bits
		rc |= (uint16_t)(m->edns.ext_rcode << 4);
	return rc;
}

uint16_t dns_edns_opt_size(const struct dns_edns_opt *opts, size_t nopts)
{
	size_t n = DNS_RR_MINLEN;
	for (size_t i = 0; i < nopts; i++)
		n += 4 + (size_t)opts[i].len;
	return n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

int dns_edns_ecs_encode(const struct dns_ecs *ecs, uint8_t *out, size_t cap)
{
	if (!ecs || (!out && cap))
		return DNS_EINVAL;
	uint8_t max = ecs_max_prefix(ecs->family);
	if (max == 0 || ecs->source_prefix > max || ecs->scope_prefix > max)
		return DNS_EOPT_ECS;
	size_t n = (ecs->source_prefix + 7u) / 8u;
	if (cap < 4 + n)
		return DNS_ENOSPACE;
	wire_put_u16(out, ecs->family);
	out[2] = ecs->source_prefix;
	out[3] = ecs->scope_prefix;
	memcpy(out + 4, ecs->addr, n);
	// RFC 7871 §6: pad the last octet with zero bits past the prefix.
	if (n)
		out[4 + n - 1] &= ecs_last_mask(ecs->source_prefix);
	return (int)(4 + n);
}
