/* SPDX-License-Identifier: BSD-3-Clause */
// Whole-rdata codecs of the types whose text does not follow their wire
// fields one by one: LOC (RFC 1876), APL (RFC 3123), A6 (RFC 2874) and HIP
// (RFC 8005).
#include <arpa/inet.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>

#include "rdata_impl.h"

// ---- LOC ----

#define LOC_EQUATOR	  0x80000000u // RFC 1876 §2: 2^31 is the equator / meridian
#define LOC_ALT_BASE	  10000000    // and 100000 m below the WGS 84 spheroid
#define LOC_MS_PER_DEG	  3600000u
#define LOC_DEFAULT_SIZE  0x12 // 1 m
#define LOC_DEFAULT_HPREC 0x16 // 10 km
#define LOC_DEFAULT_VPREC 0x13 // 10 m

static bool loc_size_ok(uint8_t v)
{
	return (v >> 4) <= 9 && (v & 15) <= 9; // RFC 1876 §2: base and power 0..9
}

static uint64_t loc_size_cm(uint8_t v)
{
	uint64_t x = v >> 4;
	for (unsigned e = 0; e < (v & 15u); e++)
		x *= 10;
	return x;
}

static int loc_check(const uint8_t *rd, size_t len)
{
	if (len < 16)
		return DNS_ERDATA_SHORT;
	if (len > 16)
		return DNS_ERDATA_LONG;
	// RFC 1876 §2: version 0 is the only format defined
	if (rd[0] != 0 || !loc_size_ok(rd[1]) || !loc_size_ok(rd[2]) || !loc_size_ok(rd[3]))
		return DNS_ERDATA_FIELD;
	uint32_t lat = wire_get_u32(rd + 4), lon = wire_get_u32(rd + 8);
	if (lat < LOC_EQUATOR - 90 * LOC_MS_PER_DEG || lat > LOC_EQUATOR + 90 * LOC_MS_PER_DEG)
		return DNS_ERDATA_FIELD;
	if (lon < LOC_EQUATOR - 180 * LOC_MS_PER_DEG || lon > LOC_EQUATOR + 180 * LOC_MS_PER_DEG)
		return DNS_ERDATA_FIELD;
	return 0;
}

// "d m s.fff H" from a coordinate in thousandths of an arc second.
static void loc_put_coord(struct dns_txt_out *o, uint32_t v, char pos, char neg)
{
	int64_t ms = (int64_t)v - LOC_EQUATOR;
	char h = ms >= 0 ? pos : neg;
	uint64_t a = (uint64_t)(ms >= 0 ? ms : -ms);
	dns_txt_put_u64(o, a / LOC_MS_PER_DEG);
	dns_txt_putc(o, ' ');
	dns_txt_put_u64(o, a % LOC_MS_PER_DEG / 60000);
	dns_txt_putc(o, ' ');
	dns_txt_put_u64(o, a % 60000 / 1000);
	char f[5] = {'.', (char)('0' + a % 1000 / 100), (char)('0' + a % 100 / 10),
		     (char)('0' + a % 10), ' '};
	dns_txt_put(o, f, sizeof(f));
	dns_txt_putc(o, h);
}

// Centimetres as metres with two decimals and an "m": "-10.50m".
static void loc_put_metres(struct dns_txt_out *o, int64_t cm)
{
	uint64_t a = (uint64_t)(cm < 0 ? -cm : cm);
	if (cm < 0)
		dns_txt_putc(o, '-');
	dns_txt_put_u64(o, a / 100);
	char f[4] = {'.', (char)('0' + a % 100 / 10), (char)('0' + a % 10), 'm'};
	dns_txt_put(o, f, sizeof(f));
}

static void loc_to_text(const uint8_t *rd, struct dns_txt_out *o)
{
	// dnspython's layout: seconds always with three decimals, altitude and
	// sizes with two, the three sizes only when one differs from its default.
	loc_put_coord(o, wire_get_u32(rd + 4), 'N', 'S');
	dns_txt_putc(o, ' ');
	loc_put_coord(o, wire_get_u32(rd + 8), 'E', 'W');
	dns_txt_putc(o, ' ');
	loc_put_metres(o, (int64_t)wire_get_u32(rd + 12) - LOC_ALT_BASE);
	if (loc_size_cm(rd[1]) != loc_size_cm(LOC_DEFAULT_SIZE) ||
	    loc_size_cm(rd[2]) != loc_size_cm(LOC_DEFAULT_HPREC) ||
	    loc_size_cm(rd[3]) != loc_size_cm(LOC_DEFAULT_VPREC)) {
		for (int i = 1; i <= 3; i++) {
			dns_txt_putc(o, ' ');
			loc_put_metres(o, (int64_t)loc_size_cm(rd[i]));
		}
	}
}

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

// Metres with up to two decimals and an optional "m" → centimetres.
static int loc_metres(const struct dns_txt_tok *t, bool sign, int64_t *cm)
{
	const char *p = t->p;
	size_t n = t->n;
	bool neg = false;
	if (t->quoted)
		return DNS_ENUMBER;
	if (n > 0 && p[n - 1] == 'm')
		n--;
	if (sign && n > 0 && p[0] == '-') {
		neg = true;
		p++;
		n--;
	}
	const char *dot = memchr(p, '.', n);
	size_t ni = dot ? (size_t)(dot - p) : n;
	size_t nf = dot ? n - ni - 1 : 0;
	if ((ni == 0 && nf == 0) || ni > 10 || nf > 2 || (ni && !all_digits(p, ni)) ||
	    (nf && !all_digits(dot + 1, nf)) || (dot && nf == 0 && ni == 0))
		return DNS_ENUMBER;
	int64_t v = 0;
	for (size_t i = 0; i < ni; i++)
		v = v * 10 + (p[i] - '0');
	v *= 100;
	if (nf >= 1)
		v += (dot[1] - '0') * 10;
	if (nf == 2)
		v += dot[2] - '0';
	*cm = neg ? -v : v;
	return 0;
}

// RFC 1876 §3: "d [m [s[.fff]]] H", H one of hemisphere letters pos/neg.
static int loc_coord(struct dns_txt_lex *l, unsigned maxdeg, char pos, char neg, uint32_t *out)
{
	struct dns_txt_tok t;
	uint64_t deg, min = 0, sec = 0, frac = 0;
	int rc = dns_txt_lex_need(l, &t);
	if (rc < 0 || (rc = dns_txt_tok_uint(&t, maxdeg, &deg)) < 0)
		return rc;
	if ((rc = dns_txt_lex_need(l, &t)) < 0)
		return rc;
	if (all_digits(t.p, t.n) && !t.quoted) {
		if ((rc = dns_txt_tok_uint(&t, 59, &min)) < 0)
			return rc;
		if ((rc = dns_txt_lex_need(l, &t)) < 0)
			return rc;
		const char *dot = memchr(t.p, '.', t.n);
		if (!t.quoted && (dot || all_digits(t.p, t.n))) {
			size_t ni = dot ? (size_t)(dot - t.p) : t.n;
			size_t nf = dot ? t.n - ni - 1 : 0;
			struct dns_txt_tok s = {t.p, ni, t.off, false};
			if ((rc = dns_txt_tok_uint(&s, 59, &sec)) < 0)
				return rc;
			if (dot && (nf == 0 || nf > 3 || !all_digits(dot + 1, nf)))
				return DNS_ENUMBER;
			for (size_t i = 0; i < 3; i++)
				frac = frac * 10 + (i < nf ? (uint64_t)(dot[1 + i] - '0') : 0);
			if ((rc = dns_txt_lex_need(l, &t)) < 0)
				return rc;
		}
	}
	if (t.quoted || t.n != 1 || (t.p[0] != pos && t.p[0] != neg))
		return DNS_ESYNTAX;
	uint64_t ms = deg * LOC_MS_PER_DEG + min * 60000 + sec * 1000 + frac;
	if (ms > maxdeg * (uint64_t)LOC_MS_PER_DEG)
		return DNS_ENUMBER;
	*out = t.p[0] == pos ? LOC_EQUATOR + (uint32_t)ms : LOC_EQUATOR - (uint32_t)ms;
	return 0;
}

// Size or precision in cm → RFC 1876 §2 base/exponent octet (truncating,
// as dnspython and BIND do).
static int loc_encode_size(int64_t cm, uint8_t *v)
{
	unsigned e = 0;
	if (cm < 0 || cm > 9000000000LL)
		return DNS_ENUMBER;
	while (cm >= 10) {
		cm /= 10;
		e++;
	}
	*v = (uint8_t)((cm << 4) | e);
	return 0;
}

static int loc_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	struct dns_txt_tok t;
	uint32_t lat, lon;
	uint8_t size[3] = {LOC_DEFAULT_SIZE, LOC_DEFAULT_HPREC, LOC_DEFAULT_VPREC};
	int64_t alt;
	int rc = loc_coord(l, 90, 'N', 'S', &lat);
	if (rc < 0 || (rc = loc_coord(l, 180, 'E', 'W', &lon)) < 0)
		return rc;
	if ((rc = dns_txt_lex_need(l, &t)) < 0 || (rc = loc_metres(&t, true, &alt)) < 0)
		return rc;
	// RFC 1876 §3: -100000.00 .. 42849672.95 m
	if (alt < -LOC_ALT_BASE || alt > (int64_t)UINT32_MAX - LOC_ALT_BASE)
		return DNS_ENUMBER;
	for (int i = 0; i < 3; i++) {
		int64_t cm;
		rc = dns_txt_lex_next(l, &t);
		if (rc <= 0)
			break;
		if ((rc = loc_metres(&t, false, &cm)) < 0 ||
		    (rc = loc_encode_size(cm, &size[i])) < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	wire_write_u8(w, 0);
	wire_write_bytes(w, size, 3);
	wire_write_u32(w, lat);
	wire_write_u32(w, lon);
	wire_write_u32(w, (uint32_t)(alt + LOC_ALT_BASE));
	return dns_txt_wr_err(w);
}

// ---- APL ----

static int apl_check(const uint8_t *rd, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (len - i < 4)
			return DNS_ERDATA_SHORT;
		uint16_t fam = wire_get_u16(rd + i);
		uint8_t prefix = rd[i + 2], afdlen = rd[i + 3] & 0x7f;
		if (len - i - 4 < afdlen)
			return DNS_ERDATA_SHORT;
		// RFC 3123 §4: prefix and address within the family's size
		if ((fam == 1 && (prefix > 32 || afdlen > 4)) ||
		    (fam == 2 && (prefix > 128 || afdlen > 16)))
			return DNS_ERDATA_FIELD;
		// §4: trailing zero octets of AFDPART are not sent (BIND refuses
		// them too); the text form could not say how many there were
		if (afdlen > 0 && rd[i + 4 + afdlen - 1] == 0)
			return DNS_ERDATA_FIELD;
		i += 4U + afdlen;
	}
	return 0;
}

static void apl_to_text(const uint8_t *rd, size_t len, struct dns_txt_out *o)
{
	for (size_t i = 0; i < len;) {
		uint16_t fam = wire_get_u16(rd + i);
		uint8_t prefix = rd[i + 2], afdlen = rd[i + 3] & 0x7f;
		uint8_t addr[16] = {0};
		if (i)
			dns_txt_putc(o, ' ');
		if (rd[i + 3] & 0x80)
			dns_txt_putc(o, '!');
		dns_txt_put_u64(o, fam);
		dns_txt_putc(o, ':');
		memcpy(addr, rd + i + 4, afdlen > 16 ? 16 : afdlen);
		if (fam == 1)
			dns_txt_put_ipv4(o, addr);
		else if (fam == 2)
			dns_txt_put_ipv6(o, addr);
		else
			dns_txt_put_hex(o, rd + i + 4, afdlen, 0);
		dns_txt_putc(o, '/');
		dns_txt_put_u64(o, prefix);
		i += 4U + afdlen;
	}
}

// "[!]family:address/prefix" (RFC 3123 §5).
static int apl_item_from_text(const struct dns_txt_tok *t, struct wire_wr *w)
{
	const char *p = t->p, *end = t->p + t->n;
	bool neg = false;
	uint8_t addr[128];
	int alen;
	if (t->quoted)
		return DNS_ESYNTAX;
	if (p < end && *p == '!') {
		neg = true;
		p++;
	}
	const char *colon = memchr(p, ':', (size_t)(end - p));
	const char *slash = colon ? memchr(colon, '/', (size_t)(end - colon)) : NULL;
	if (!colon || !slash)
		return DNS_ESYNTAX;
	struct dns_txt_tok ft = {p, (size_t)(colon - p), t->off, false};
	struct dns_txt_tok at = {colon + 1, (size_t)(slash - colon - 1), t->off, false};
	struct dns_txt_tok pt = {slash + 1, (size_t)(end - slash - 1), t->off, false};
	uint64_t fam, prefix;
	int rc = dns_txt_tok_uint(&ft, UINT16_MAX, &fam);
	if (rc < 0)
		return rc;
	if (fam == 1) {
		rc = dns_txt_tok_ipv4(&at, addr);
		alen = 4;
	} else if (fam == 2) {
		rc = dns_txt_tok_ipv6(&at, addr);
		alen = 16;
	} else {
		struct dns_txt_dec d = {0};
		struct wire_wr aw;
		wire_wr_init(&aw, addr, 127);
		rc = dns_txt_hex_feed(&d, &at, &aw);
		if (rc == DNS_ENOSPACE)
			rc = DNS_ERDATA_FIELD;
		if (rc == 0)
			rc = dns_txt_hex_finish(&d);
		alen = (int)wire_wr_len(&aw);
	}
	if (rc < 0)
		return rc;
	if ((rc = dns_txt_tok_uint(&pt, fam == 1 ? 32 : fam == 2 ? 128 : 255, &prefix)) < 0)
		return rc;
	// RFC 3123 §4: trailing zero octets of the address are not sent
	while (alen > 0 && addr[alen - 1] == 0)
		alen--;
	wire_write_u16(w, (uint16_t)fam);
	wire_write_u8(w, (uint8_t)prefix);
	wire_write_u8(w, (uint8_t)(alen | (neg ? 0x80 : 0)));
	wire_write_bytes(w, addr, (size_t)alen);
	return dns_txt_wr_err(w);
}

static int apl_from_text(struct dns_txt_lex *l, struct wire_wr *w)
{
	struct dns_txt_tok t;
	int rc;
	while ((rc = dns_txt_lex_next(l, &t)) > 0)
		if ((rc = apl_item_from_text(&t, w)) < 0)
			return rc;
	return rc;
}

// ---- A6 ----

// Octets of the address suffix for a prefix length (RFC 2874 §3.1.1).
static size_t a6_suffix_len(uint8_t plen)
{
	return 16U - plen / 8U;
}

static int a6_check(const uint8_t *rd, size_t len)
{
	if (len < 1)
		return DNS_ERDATA_SHORT;
	if (rd[0] > 128)
		return DNS_ERDATA_FIELD;
	size_t sl = a6_suffix_len(rd[0]);
	if (len < 1 + sl)
		return DNS_ERDATA_SHORT;
	// the prefix bits of the first suffix octet are padding, sent as zero
	if (sl && (rd[1] & (uint8_t) ~(0xffu >> (rd[0] % 8))))
		return DNS_ERDATA_FIELD;
	if (rd[0] == 0)
		return len == 1 + sl ? 0 : DNS_ERDATA_LONG;
	size_t pos = 1 + sl;
	int n = dns_name_unpack_flat(rd, len, &pos, NULL);
	if (n == DNS_ETRUNC_NAME)
		return DNS_ERDATA_SHORT;
	if (n < 0)
		return n;
	return pos == len ? 0 : DNS_ERDATA_LONG;
}

static void a6_to_text(const uint8_t *rd, struct dns_txt_out *o)
{
	// BIND's form: prefix length, the suffix as a full IPv6 address (absent
	// for 128), the prefix name (absent for 0).
	size_t sl = a6_suffix_len(rd[0]);
	dns_txt_put_u64(o, rd[0]);
	if (rd[0] < 128) {
		uint8_t a[16] = {0};
		memcpy(a + 16 - sl, rd + 1, sl);
		dns_txt_putc(o, ' ');
		dns_txt_put_ipv6(o, a);
	}
	if (rd[0] > 0) {
		dns_txt_putc(o, ' ');
		dns_txt_put_name(o, rd + 1 + sl);
	}
}

static int a6_from_text(struct dns_txt_lex *l, const uint8_t *origin, struct wire_wr *w)
{
	struct dns_txt_tok t;
	uint64_t plen;
	uint8_t a[16], name[DNS_NAME_MAXLEN];
	int rc = dns_txt_lex_need(l, &t);
	if (rc < 0 || (rc = dns_txt_tok_uint(&t, 128, &plen)) < 0)
		return rc;
	size_t sl = a6_suffix_len((uint8_t)plen);
	wire_write_u8(w, (uint8_t)plen);
	if (plen < 128) {
		if ((rc = dns_txt_lex_need(l, &t)) < 0 || (rc = dns_txt_tok_ipv6(&t, a)) < 0)
			return rc;
		a[16 - sl] &= (uint8_t)(0xffu >> (plen % 8)); // BIND clears the prefix bits
		wire_write_bytes(w, a + 16 - sl, sl);
	}
	if (plen > 0) {
		if ((rc = dns_txt_lex_need(l, &t)) < 0)
			return rc;
		if ((rc = dns_name_from_text(t.p, t.n, origin, name)) < 0)
			return rc;
		wire_write_bytes(w, name, (size_t)rc);
	}
	return dns_txt_wr_err(w);
}

// ---- HIP ----

static int hip_check(const uint8_t *rd, size_t len)
{
	if (len < 4)
		return DNS_ERDATA_SHORT;
	size_t hitlen = rd[0], pklen = wire_get_u16(rd + 2);
	// RFC 8005 §5: HIT and public key are both present
	if (hitlen == 0 || pklen == 0)
		return DNS_ERDATA_FIELD;
	if (len - 4 < hitlen + pklen)
		return DNS_ERDATA_SHORT;
	for (size_t pos = 4 + hitlen + pklen; pos < len;) {
		// rendezvous servers: uncompressed names (RFC 8005 §5)
		int n = dns_name_unpack_flat(rd, len, &pos, NULL);
		if (n == DNS_ETRUNC_NAME)
			return DNS_ERDATA_SHORT;
		if (n < 0)
			return n;
	}
	return 0;
}

static void hip_to_text(const uint8_t *rd, size_t len, struct dns_txt_out *o)
{
	size_t hitlen = rd[0], pklen = wire_get_u16(rd + 2);
	dns_txt_put_u64(o, rd[1]);
	dns_txt_putc(o, ' ');
	dns_txt_put_hex(o, rd + 4, hitlen, 0);
	dns_txt_putc(o, ' ');
	dns_txt_put_base64(o, rd + 4 + hitlen, pklen, 0);
	for (size_t pos = 4 + hitlen + pklen; pos < len; pos += dns_name_length(rd + pos)) {
		dns_txt_putc(o, ' ');
		dns_txt_put_name(o, rd + pos);
	}
}

static int hip_from_text(struct dns_txt_lex *l, const uint8_t *origin, struct wire_wr *w)
{
	struct dns_txt_tok t;
	uint64_t alg;
	struct dns_txt_dec d = {0};
	uint8_t *hdr = w->pos;
	int rc = dns_txt_lex_need(l, &t);
	if (rc < 0 || (rc = dns_txt_tok_uint(&t, UINT8_MAX, &alg)) < 0)
		return rc;
	wire_write_u8(w, 0);
	wire_write_u8(w, (uint8_t)alg);
	wire_write_u16(w, 0);
	if (w->err)
		return DNS_ENOSPACE;
	size_t start = wire_wr_len(w);
	if ((rc = dns_txt_lex_need(l, &t)) < 0 || (rc = dns_txt_hex_feed(&d, &t, w)) < 0 ||
	    (rc = dns_txt_hex_finish(&d)) < 0)
		return rc;
	size_t hitlen = wire_wr_len(w) - start;
	if (hitlen == 0 || hitlen > 255)
		return DNS_ERDATA_FIELD;
	start = wire_wr_len(w);
	d = (struct dns_txt_dec){0};
	if ((rc = dns_txt_lex_need(l, &t)) < 0 || (rc = dns_txt_b64_feed(&d, &t, w)) < 0 ||
	    (rc = dns_txt_b64_finish(&d)) < 0)
		return rc;
	size_t pklen = wire_wr_len(w) - start;
	if (pklen == 0)
		return DNS_ERDATA_FIELD;
	hdr[0] = (uint8_t)hitlen;
	wire_put_u16(hdr + 2, (uint16_t)pklen);
	while ((rc = dns_txt_lex_next(l, &t)) > 0) {
		uint8_t name[DNS_NAME_MAXLEN];
		if ((rc = dns_name_from_text(t.p, t.n, origin, name)) < 0)
			return rc;
		wire_write_bytes(w, name, (size_t)rc);
	}
	return rc < 0 ? rc : dns_txt_wr_err(w);
}

// ---- dispatch ----

int dns_special_check(uint16_t type, const uint8_t *rd, size_t len)
{
	switch (type) {
	case DNS_TYPE_LOC:
		return loc_check(rd, len);
	case DNS_TYPE_APL:
		return apl_check(rd, len);
	case DNS_TYPE_A6:
		return a6_check(rd, len);
	case DNS_TYPE_HIP:
		return hip_check(rd, len);
	default:
		return DNS_EINVAL;
	}
}

int dns_special_to_text(uint16_t type, const uint8_t *rd, size_t len, struct dns_txt_out *o)
{
	switch (type) {
	case DNS_TYPE_LOC:
		loc_to_text(rd, o);
		break;
	case DNS_TYPE_APL:
		apl_to_text(rd, len, o);
		break;
	case DNS_TYPE_A6:
		a6_to_text(rd, o);
		break;
	case DNS_TYPE_HIP:
		hip_to_text(rd, len, o);
		break;
	default:
		return DNS_EINVAL;
	}
	return 0;
}

int dns_special_from_text(uint16_t type, struct dns_txt_lex *l, const uint8_t *origin,
			  struct wire_wr *w)
{
	switch (type) {
	case DNS_TYPE_LOC:
		return loc_from_text(l, w);
	case DNS_TYPE_APL:
		return apl_from_text(l, w);
	case DNS_TYPE_A6:
		return a6_from_text(l, origin, w);
	case DNS_TYPE_HIP:
		return hip_from_text(l, origin, w);
	default:
		return DNS_EINVAL;
	}
}

void dns_special_canonicalize(uint16_t type, uint8_t *rd, size_t len)
{
	// Of the special types only A6 carries a name RFC 4034 §6.2 lists.
	if (type == DNS_TYPE_A6 && len > 0 && rd[0] > 0)
		dns_name_to_lower(rd + 1 + a6_suffix_len(rd[0]));
}
