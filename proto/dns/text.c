/* SPDX-License-Identifier: BSD-3-Clause */
// Presentation-format toolkit: bounded text output, the rdata tokenizer,
// number, time, address, character-string, hex, base64 and base32hex
// codecs. See rdata_impl.h.
#include <arpa/inet.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>

#include "rdata_impl.h"

void dns_txt_out_init(struct dns_txt_out *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->err = (buf && cap) ? 0 : DNS_ENOSPACE;
}

void dns_txt_put(struct dns_txt_out *o, const char *s, size_t n)
{
	if (o->err)
		return;
	if (o->cap - o->len <= n) { // the NUL needs one byte
		o->err = DNS_ENOSPACE;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void dns_txt_putc(struct dns_txt_out *o, char c)
{
	dns_txt_put(o, &c, 1);
}

void dns_txt_puts(struct dns_txt_out *o, const char *s)
{
	dns_txt_put(o, s, strlen(s));
}

void dns_txt_put_u64(struct dns_txt_out *o, uint64_t v)
{
	char d[20];
	size_t n = sizeof(d);
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	dns_txt_put(o, d + n, sizeof(d) - n);
}

// A character of an encoding, with a space after every chunk characters.
static void put_chunked(struct dns_txt_out *o, char c, size_t *col, size_t chunk)
{
	if (chunk && *col == chunk) {
		dns_txt_putc(o, ' ');
		*col = 0;
	}
	dns_txt_putc(o, c);
	(*col)++;
}

void dns_txt_put_hex(struct dns_txt_out *o, const uint8_t *p, size_t n, size_t chunk)
{
	static const char hex[] = "0123456789abcdef";
	size_t col = 0;
	for (size_t i = 0; i < n && !o->err; i++) {
		put_chunked(o, hex[p[i] >> 4], &col, chunk);
		put_chunked(o, hex[p[i] & 15], &col, chunk);
	}
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void dns_txt_put_base64(struct dns_txt_out *o, const uint8_t *p, size_t n, size_t chunk)
{
	size_t col = 0;
	for (size_t i = 0; i < n && !o->err; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t k = n - i < 3 ? n - i : 3;
		if (k > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		for (size_t j = 0; j < 4; j++) {
			char c = j <= k ? b64[(v >> (18 - 6 * j)) & 63] : '=';
			put_chunked(o, c, &col, chunk);
		}
	}
}

static const char b32hex[] = "0123456789abcdefghijklmnopqrstuv";

void dns_txt_put_base32hex(struct dns_txt_out *o, const uint8_t *p, size_t n)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	for (size_t i = 0; i < n && !o->err; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			dns_txt_putc(o, b32hex[(acc >> bits) & 31]);
		}
	}
	if (bits)
		dns_txt_putc(o, b32hex[(acc << (5 - bits)) & 31]);
}

void dns_txt_put_charstr(struct dns_txt_out *o, const uint8_t *p, size_t n, bool quoted)
{
	if (quoted)
		dns_txt_putc(o, '"');
	for (size_t i = 0; i < n && !o->err; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\') {
			dns_txt_putc(o, '\\');
			dns_txt_putc(o, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			dns_txt_putc(o, (char)c);
		} else {
			char e[4] = {'\\', (char)('0' + c / 100), (char)('0' + c / 10 % 10),
				     (char)('0' + c % 10)};
			dns_txt_put(o, e, 4);
		}
	}
	if (quoted)
		dns_txt_putc(o, '"');
}

void dns_txt_put_ipv4(struct dns_txt_out *o, const uint8_t *a)
{
	char s[INET_ADDRSTRLEN];
	if (inet_ntop(AF_INET, a, s, sizeof(s)))
		dns_txt_puts(o, s);
}

void dns_txt_put_ipv6(struct dns_txt_out *o, const uint8_t *a)
{
	// glibc's inet_ntop follows RFC 5952 (longest zero run, first on a
	// tie, no single-group "::", dotted tail for ::ffff:0:0/96 and
	// ::/96), which is also what dnspython prints.
	char s[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, a, s, sizeof(s)))
		dns_txt_puts(o, s);
}

void dns_txt_put_name(struct dns_txt_out *o, const uint8_t *name)
{
	if (o->err)
		return;
	int n = dns_name_to_text(name, o->buf + o->len, o->cap - o->len);
	if (n < 0)
		o->err = DNS_ENOSPACE;
	else
		o->len += (size_t)n;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), and its inverse; exact for every 32-bit time.
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void dns_txt_put_time(struct dns_txt_out *o, uint32_t t)
{
	int64_t y;
	unsigned mo, d;
	civil_from_days(t / 86400, &y, &mo, &d);
	uint32_t s = t % 86400;
	unsigned v[6] = {(unsigned)y, mo, d, s / 3600, s / 60 % 60, s % 60};
	char b[14];
	for (int i = 0; i < 4; i++)
		b[3 - i] = (char)('0' + (v[0] / (i == 0	  ? 1
						 : i == 1 ? 10
						 : i == 2 ? 100
							  : 1000)) %
						10);
	for (int i = 1; i < 6; i++) {
		b[2 + 2 * i] = (char)('0' + v[i] / 10);
		b[3 + 2 * i] = (char)('0' + v[i] % 10);
	}
	dns_txt_put(o, b, sizeof(b));
}

int dns_txt_out_finish(struct dns_txt_out *o)
{
	if (o->err)
		return o->err;
	o->buf[o->len] = 0;
	return (int)o->len;
}

void dns_txt_lex_init(struct dns_txt_lex *l, const char *s, size_t n)
{
	l->s = s;
	l->n = s ? n : 0;
	l->pos = 0;
	l->tok_off = 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool dns_txt_lex_more(struct dns_txt_lex *l)
{
	while (l->pos < l->n && blank(l->s[l->pos]))
		l->pos++;
	return l->pos < l->n;
}

int dns_txt_lex_next(struct dns_txt_lex *l, struct dns_txt_tok *t)
{
	if (!dns_txt_lex_more(l)) {
		l->tok_off = l->n;
		return 0;
	}
	size_t i = l->pos;
	l->tok_off = i;
	t->off = i;
	if (l->s[i] == '"') {
		size_t j = i + 1;
		while (j < l->n && l->s[j] != '"')
			j += l->s[j] == '\\' ? 2 : 1;
		if (j >= l->n)
			return DNS_ETEXT_QUOTE;
		t->p = l->s + i + 1;
		t->n = j - i - 1;
		t->quoted = true;
		l->pos = j + 1;
		return 1;
	}
	size_t j = i;
	while (j < l->n && !blank(l->s[j]))
		j += l->s[j] == '\\' ? 2 : 1;
	if (j > l->n)
		j = l->n; // a lone trailing backslash; unescape reports it
	t->p = l->s + i;
	t->n = j - i;
	t->quoted = false;
	l->pos = j;
	return 1;
}

int dns_txt_lex_need(struct dns_txt_lex *l, struct dns_txt_tok *t)
{
	int rc = dns_txt_lex_next(l, t);
	return rc == 0 ? DNS_EMISSING : rc;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}

bool dns_txt_tok_is(const struct dns_txt_tok *t, const char *s)
{
	size_t n = strlen(s);
	if (t->quoted || t->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(t->p[i]) != lower(s[i]))
			return false;
	return true;
}

int dns_txt_tok_uint(const struct dns_txt_tok *t, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	if (t->n == 0 || t->n > 20)
		return DNS_ENUMBER;
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return DNS_ENUMBER;
		unsigned dgt = (unsigned)(t->p[i] - '0');
		if (x > (max - dgt) / 10)
			return DNS_ENUMBER;
		x = x * 10 + dgt;
	}
	*v = x;
	return 0;
}

int dns_txt_tok_ttl(const struct dns_txt_tok *t, uint32_t *v)
{
	// BIND's units (RFC 2308 §4 uses them in SOA): 1w2d3h4m5s, any case.
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;
	if (t->n == 0 || t->quoted)
		return DNS_ENUMBER;
	for (size_t i = 0; i < t->n; i++) {
		char c = lower(t->p[i]);
		if (c >= '0' && c <= '9') {
			cur = cur * 10 + (uint64_t)(c - '0');
			digits = true;
			if (cur > UINT32_MAX)
				return DNS_ENUMBER;
			continue;
		}
		uint64_t mul = c == 'w'	  ? 604800
			       : c == 'd' ? 86400
			       : c == 'h' ? 3600
			       : c == 'm' ? 60
			       : c == 's' ? 1
					  : 0;
		if (!mul || !digits)
			return DNS_ENUMBER;
		total += cur * mul;
		if (total > UINT32_MAX)
			return DNS_ENUMBER;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		if (units) // "1h5" is ambiguous; BIND rejects it too
			return DNS_ENUMBER;
		total += cur;
	}
	if (total > UINT32_MAX)
		return DNS_ENUMBER;
	*v = (uint32_t)total;
	return 0;
}

static unsigned digits_at(const char *p, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	return v;
}

int dns_txt_tok_time(const struct dns_txt_tok *t, uint32_t *v)
{
	// RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC, or the plain number of seconds
	// (up to 10 digits, as dnspython and BIND also accept).
	for (size_t i = 0; i < t->n; i++)
		if (t->p[i] < '0' || t->p[i] > '9')
			return DNS_ETIME;
	if (t->n >= 1 && t->n <= 10) {
		uint64_t x;
		if (dns_txt_tok_uint(t, UINT32_MAX, &x))
			return DNS_ETIME;
		*v = (uint32_t)x;
		return 0;
	}
	if (t->n != 14)
		return DNS_ETIME;
	unsigned y = digits_at(t->p, 4), mo = digits_at(t->p + 4, 2), d = digits_at(t->p + 6, 2);
	unsigned h = digits_at(t->p + 8, 2), mi = digits_at(t->p + 10, 2),
		 s = digits_at(t->p + 12, 2);
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    s > 59)
		return DNS_ETIME;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return DNS_ETIME;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (secs > (int64_t)UINT32_MAX)
		return DNS_ETIME;
	*v = (uint32_t)secs;
	return 0;
}

int dns_txt_tok_unescape(const struct dns_txt_tok *t, uint8_t *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint8_t c = (uint8_t)t->p[i];
		if (c == '\\') {
			if (++i >= t->n)
				return DNS_ETEXT_ESCAPE;
			c = (uint8_t)t->p[i];
			if (c >= '0' && c <= '9') {
				if (i + 2 >= t->n || t->p[i + 1] < '0' || t->p[i + 1] > '9' ||
				    t->p[i + 2] < '0' || t->p[i + 2] > '9')
					return DNS_ETEXT_ESCAPE;
				unsigned v = digits_at(t->p + i, 3);
				if (v > 255)
					return DNS_ETEXT_ESCAPE;
				c = (uint8_t)v;
				i += 2;
			}
		}
		if (o >= cap)
			return DNS_ESTRING_LEN;
		out[o++] = c;
	}
	return (int)o;
}

// A token as a NUL-terminated string for inet_pton; false if too long.
static bool tok_cstr(const struct dns_txt_tok *t, char *buf, size_t cap)
{
	if (t->quoted || t->n >= cap)
		return false;
	memcpy(buf, t->p, t->n);
	buf[t->n] = 0;
	return true;
}

int dns_txt_tok_ipv4(const struct dns_txt_tok *t, uint8_t a[4])
{
	char s[INET_ADDRSTRLEN];
	if (!tok_cstr(t, s, sizeof(s)) || inet_pton(AF_INET, s, a) != 1)
		return DNS_EADDR;
	return 0;
}

int dns_txt_tok_ipv6(const struct dns_txt_tok *t, uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];
	if (!tok_cstr(t, s, sizeof(s)) || inet_pton(AF_INET6, s, a) != 1)
		return DNS_EADDR;
	return 0;
}

int dns_txt_tok_base32hex(const struct dns_txt_tok *t, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0, n = t->n;
	// RFC 5155 §3.3 writes it unpadded; accept padding a peer may add.
	while (n > 0 && t->p[n - 1] == '=')
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = lower(t->p[i]);
		unsigned v;
		if (c >= '0' && c <= '9')
			v = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'v')
			v = (unsigned)(c - 'a' + 10);
		else
			return DNS_EBASE32;
		acc = (acc << 5) | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return DNS_ERDATA_FIELD;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	// Leftover bits must be fewer than a character's and zero (RFC 4648 §6).
	if (bits >= 5 || (acc & ((1u << bits) - 1)))
		return DNS_EBASE32;
	return (int)o;
}

int dns_txt_wr_err(const struct wire_wr *w)
{
	return w->err ? DNS_ENOSPACE : 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int dns_txt_hex_feed(struct dns_txt_dec *d, const struct dns_txt_tok *t, struct wire_wr *w)
{
	if (t->quoted)
		return DNS_EHEX;
	for (size_t i = 0; i < t->n; i++) {
		int v = hex_val(t->p[i]);
		if (v < 0)
			return DNS_EHEX;
		d->acc = (d->acc << 4) | (uint32_t)v;
		if (++d->nchar == 2) {
			wire_write_u8(w, (uint8_t)d->acc);
			d->nchar = 0;
			d->acc = 0;
		}
	}
	return dns_txt_wr_err(w);
}

int dns_txt_hex_finish(const struct dns_txt_dec *d)
{
	return d->nchar ? DNS_EHEX : 0;
}

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int dns_txt_b64_feed(struct dns_txt_dec *d, const struct dns_txt_tok *t, struct wire_wr *w)
{
	// RFC 4648 §4 strictly: padding only to complete the last quantum,
	// nothing after it, pad bits zero.
	if (t->quoted)
		return DNS_EBASE64;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->p[i];
		if (c == '=') {
			if (d->nchar < 2 || d->nchar + d->npad >= 4)
				return DNS_EBASE64;
			d->npad++;
			if (d->nchar + d->npad == 4) {
				// 2 chars + 2 pads → 1 octet; 3 chars + 1 pad → 2 octets
				if (d->nchar == 2) {
					if (d->acc & 0xf)
						return DNS_EBASE64;
					wire_write_u8(w, (uint8_t)(d->acc >> 4));
				} else {
					if (d->acc & 0x3)
						return DNS_EBASE64;
					wire_write_u16(w, (uint16_t)(d->acc >> 2));
				}
				d->nchar = 4; // quantum closed: no more data allowed
			}
			continue;
		}
		int v = b64_val(c);
		if (v < 0 || d->npad)
			return DNS_EBASE64;
		d->acc = (d->acc << 6) | (uint32_t)v;
		if (++d->nchar == 4) {
			wire_write_u8(w, (uint8_t)(d->acc >> 16));
			wire_write_u16(w, (uint16_t)d->acc);
			d->nchar = 0;
			d->acc = 0;
		}
	}
	return dns_txt_wr_err(w);
}

int dns_txt_b64_finish(const struct dns_txt_dec *d)
{
	if (d->npad)
		return d->nchar == 4 ? 0 : DNS_EBASE64;
	return d->nchar ? DNS_EBASE64 : 0;
}
