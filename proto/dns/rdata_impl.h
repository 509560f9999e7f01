/* SPDX-License-Identifier: BSD-3-Clause */
// Internal to proto/dns: the presentation-format toolkit (text.c) shared by
// the rdata codecs, the per-type special codecs (rdata_special.c) and a few
// registry tables the codecs need. Not installed; not part of the API.
#ifndef LINERATE_DNS_RDATA_IMPL_H
#define LINERATE_DNS_RDATA_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/dns_types.h>
#include <linerate/wire.h>

// ---- text output with explicit capacity (one byte kept for the NUL) ----

struct dns_txt_out {
	char *buf;
	size_t cap;
	size_t len;
	int err; // sticky DNS_ENOSPACE
};

void dns_txt_out_init(struct dns_txt_out *o, char *buf, size_t cap);
void dns_txt_put(struct dns_txt_out *o, const char *s, size_t n);
void dns_txt_putc(struct dns_txt_out *o, char c);
void dns_txt_puts(struct dns_txt_out *o, const char *s);
void dns_txt_put_u64(struct dns_txt_out *o, uint64_t v);
// Hex (lower case) and base64, a space after every `chunk` characters (0: none).
void dns_txt_put_hex(struct dns_txt_out *o, const uint8_t *p, size_t n, size_t chunk);
void dns_txt_put_base64(struct dns_txt_out *o, const uint8_t *p, size_t n, size_t chunk);
// RFC 4648 §7 base32hex, lower case, no padding (RFC 5155 §3.3).
void dns_txt_put_base32hex(struct dns_txt_out *o, const uint8_t *p, size_t n);
// Character-string text: `"` and `\` escaped, other non-printables as \DDD.
void dns_txt_put_charstr(struct dns_txt_out *o, const uint8_t *p, size_t n, bool quoted);
void dns_txt_put_ipv4(struct dns_txt_out *o, const uint8_t *a);
void dns_txt_put_ipv6(struct dns_txt_out *o, const uint8_t *a);
void dns_txt_put_name(struct dns_txt_out *o, const uint8_t *name);
// RFC 4034 §3.2 YYYYMMDDHHmmSS of a 32-bit POSIX time.
void dns_txt_put_time(struct dns_txt_out *o, uint32_t t);
// NUL-terminate; the length or DNS_ENOSPACE.
int dns_txt_out_finish(struct dns_txt_out *o);

// ---- tokenizer over one line of rdata text ----

struct dns_txt_tok {
	const char *p; // token text; for a quoted string, what is between the quotes
	size_t n;
	size_t off; // offset of the token in the line
	bool quoted;
};

struct dns_txt_lex {
	const char *s;
	size_t n;
	size_t pos;
	size_t tok_off; // offset of the last token read (the end of text once exhausted)
};

void dns_txt_lex_init(struct dns_txt_lex *l, const char *s, size_t n);
// 1 with a token, 0 at the end of the text (tok_off = end), DNS_ETEXT_QUOTE.
int dns_txt_lex_next(struct dns_txt_lex *l, struct dns_txt_tok *t);
// As dns_txt_lex_next, but the end of text is DNS_EMISSING.
int dns_txt_lex_need(struct dns_txt_lex *l, struct dns_txt_tok *t);
bool dns_txt_lex_more(struct dns_txt_lex *l);

bool dns_txt_tok_is(const struct dns_txt_tok *t, const char *s); // case-insensitive, unquoted
int dns_txt_tok_uint(const struct dns_txt_tok *t, uint64_t max, uint64_t *v);
int dns_txt_tok_ttl(const struct dns_txt_tok *t, uint32_t *v);
int dns_txt_tok_time(const struct dns_txt_tok *t, uint32_t *v);
// Decode escapes (\X, \DDD) into out; the length, or DNS_ESTRING_LEN past
// cap, DNS_ETEXT_ESCAPE.
int dns_txt_tok_unescape(const struct dns_txt_tok *t, uint8_t *out, size_t cap);
int dns_txt_tok_ipv4(const struct dns_txt_tok *t, uint8_t a[4]);
int dns_txt_tok_ipv6(const struct dns_txt_tok *t, uint8_t a[16]);
int dns_txt_tok_base32hex(const struct dns_txt_tok *t, uint8_t *out, size_t cap);

// Streaming hex / base64 decoders: feed tokens, then finish. Output goes to
// a wire writer (DNS_ENOSPACE when it fills).
struct dns_txt_dec {
	uint32_t acc;
	unsigned nchar; // characters in acc
	unsigned npad;	// base64 '=' seen
};
int dns_txt_hex_feed(struct dns_txt_dec *d, const struct dns_txt_tok *t, struct wire_wr *w);
int dns_txt_hex_finish(const struct dns_txt_dec *d);
int dns_txt_b64_feed(struct dns_txt_dec *d, const struct dns_txt_tok *t, struct wire_wr *w);
int dns_txt_b64_finish(const struct dns_txt_dec *d);

// Map a wire writer's error to a DNS_E code (0 when fine).
int dns_txt_wr_err(const struct wire_wr *w);

// ---- registry tables the codecs use (registry.c) ----

const char *dns_alg_mnemonic(uint8_t alg); // NULL when unnamed
int dns_alg_from_text(const struct dns_txt_tok *t, uint8_t *alg);
const char *dns_cert_type_mnemonic(uint16_t type); // NULL when unnamed
int dns_cert_type_from_text(const struct dns_txt_tok *t, uint16_t *type);

// ---- the schema walk (rdata.c) ----

// Length of one field of kind k at rd[off..len), its value validated, or a
// negative error.
int dns_rdata_field_extent(uint16_t type, enum dns_field_kind k, const uint8_t *rd, size_t len,
			   size_t off);

// ---- whole-rdata codecs of DNS_FIELD_SPECIAL types (rdata_special.c) ----

int dns_special_check(uint16_t type, const uint8_t *rd, size_t len);
int dns_special_to_text(uint16_t type, const uint8_t *rd, size_t len, struct dns_txt_out *o);
int dns_special_from_text(uint16_t type, struct dns_txt_lex *l, const uint8_t *origin,
			  struct wire_wr *w);
// Lower-case the names inside a special type's rdata (A6 prefix name).
void dns_special_canonicalize(uint16_t type, uint8_t *rd, size_t len);

// ---- type bitmaps (rdata_bitmap.c) ----

int dns_bitmap_check(const uint8_t *p, size_t n);
void dns_bitmap_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o);
int dns_bitmap_from_text(struct dns_txt_lex *l, struct wire_wr *w);
int dns_nxt_bitmap_check(const uint8_t *p, size_t n);
void dns_nxt_bitmap_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o);
int dns_nxt_bitmap_from_text(struct dns_txt_lex *l, struct wire_wr *w);
void dns_services_to_text(const uint8_t *p, size_t n, struct dns_txt_out *o);
int dns_services_from_text(struct dns_txt_lex *l, struct wire_wr *w);

#endif
