/* SPDX-License-Identifier: BSD-3-Clause */
// Bit maps inside rdata: the windowed type bitmap of NSEC, NSEC3 and CSYNC
// (RFC 4034 §4.1.2), the flat NXT bitmap (RFC 2535 §5.2) and the WKS port
// bitmap (RFC 1035 §3.4.2). Text forms are lists of type mnemonics or
// port numbers.
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_types.h>

#include "rdata_impl.h"

// One bit per value; 8 KiB covers every 16-bit value.
#define SET_BYTES 8192

int dns_bitmap_check(const uint8_t *p, size_t n)
{
	size_t i = 0;
	int last = -1;
	while (i < n) {
		if (n - i < 2)
			return DNS_ERDATA_SHORT;
		uint8_t win = p[i], blen = p[i + 1];
		// RFC 4034 §4.1.2: windows in increasing order, 1..32 octets,
		// trailing zero octets omitted (so no window is empty).
		if ((int)win <= last || blen == 0 || blen > 32)
			return DNS_ERDATA_FIELD;
		if (n - i - 2 < blen)
			return DNS_ERDATA_SHORT;
		if (p[i + 1 + blen] == 0)
			return DNS_ERDATA_FIELD;
		// type 0 is reserved (RFC 6895 §3.1) and has no mnemonic to print
		if (win == 0 && (p[i + 2] & 0x80))
			return DNS_ERDATA_FIELD;
		last = win;
		i += 2U + blen;
	}
	return 0;
}

// " MNEMONIC" for each set bit; base is the value of bit 0 of p[0].
static void bits_to_text(const uint8_t *p, size_t n, unsigned base, bool types,
			 struct dns_txt_out *o)
{
	char buf[16];
	for (size_t i = 0; i < n; i++) {
		for (unsigned b = 0; b < 8; b++) {
			if (!(p[i] & (0x80 >> b)))
				continue;
			unsigned v = base + (unsigned)i * 8 + b;
			if (o->len && o->buf[o->len - 1] != ' ')
				dns_txt_putc(o, ' ');
			if (types)
				dns_txt_puts(o, dns_type_to_text((uint16_t)v, buf));
			else
				dns_txt_put_u64(o, v);
		}
	}
}

void dns_bitmap_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o)
{
	for (size_t i = 0; i + 2 <= n; i += 2U + p[i + 1])
		bits_to_text(p + i + 2, p[i + 1], p[i] * 256U, true, o);
}

// Read every remaining token as a type mnemonic into set; at least `need`.
static int read_types(struct dns_txt_lex *l, uint8_t *set, unsigned max, int need)
{
	struct dns_txt_tok t;
	uint16_t type;
	int rc, count = 0;
	while ((rc = dns_txt_lex_next(l, &t)) > 0) {
		if (t.quoted || dns_type_from_text(t.p, t.n, &type) < 0)
			return DNS_ETYPE;
		// bit 0 is reserved (RFC 4034 §4.1.2 never sets it; RFC 2535 §5.2
		// gives it another meaning)
		if (type == 0 || type > max)
			return DNS_ERDATA_FIELD;
		set[type / 8] |= (uint8_t)(0x80 >> (type % 8));
		count++;
	}
	if (rc < 0)
		return rc;
	return count < need ? DNS_EMISSING : 0;
}

int dns_bitmap_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	uint8_t set[SET_BYTES] = {0};
	int rc = read_types(l, set, UINT16_MAX, 0);
	if (rc < 0)
		return rc;
	for (unsigned win = 0; win < 256; win++) {
		const uint8_t *b = set + win * 32;
		unsigned len = 32;
		while (len > 0 && b[len - 1] == 0)
			len--;
		if (len == 0)
			continue;
		wire_write_u8(w, (uint8_t)win);
		wire_write_u8(w, (uint8_t)len);
		wire_write_bytes(w, b, len);
	}
	return dns_txt_wr_err(w);
}

int dns_nxt_bitmap_check(const uint8_t *p, size_t n)
{
	// RFC 2535 §5.2: types 1..127 in at most 16 octets, bit 0 clear (set
	// announces another format), no trailing zero octets.
	if (n == 0)
		return DNS_ERDATA_SHORT;
	if (n > 16 || (p[0] & 0x80) || p[n - 1] == 0)
		return DNS_ERDATA_FIELD;
	return 0;
}

void dns_nxt_bitmap_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o)
{
	bits_to_text(p, n, 0, true, o);
}

int dns_nxt_bitmap_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	uint8_t set[16] = {0};
	int rc = read_types(l, set, 127, 1);
	if (rc < 0)
		return rc;
	unsigned len = sizeof(set);
	while (len > 0 && set[len - 1] == 0)
		len--;
	wire_write_bytes(w, set, len);
	return dns_txt_wr_err(w);
}

void dns_services_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o)
{
	bits_to_text(p, n, 0, false, o);
}

int dns_services_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	uint8_t set[SET_BYTES] = {0};
	struct dns_txt_tok t;
	uint64_t port;
	int rc;
	// Port numbers only: service names would need the services database,
	// which proto/ does not read.
	while ((rc = dns_txt_lex_next(l, &t)) > 0) {
		if ((rc = dns_txt_tok_uint(&t, UINT16_MAX, &port)) < 0)
			return rc;
		set[port / 8] |= (uint8_t)(0x80 >> (port % 8));
	}
	if (rc < 0)
		return rc;
	// Up to the last port listed: no octets at all when none is (as
	// dnspython and BIND write it).
	size_t len = sizeof(set);
	while (len > 0 && set[len - 1] == 0)
		len--;
	wire_write_bytes(w, set, len);
	return dns_txt_wr_err(w);
}
