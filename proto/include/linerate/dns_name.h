/* SPDX-License-Identifier: BSD-3-Clause */
// Domain names. A name in memory is its uncompressed wire form (length-
// prefixed labels ending with the zero-length root label), at most
// DNS_NAME_MAXLEN octets, letter case as received. Functions taking a `const
// uint8_t *name` trust it to be well formed (it came from one of the
// functions here); functions reading a message or text validate everything.
// All functions are allocation-free and thread-safe.
#ifndef LINERATE_DNS_NAME_H
#define LINERATE_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAXLEN 255    // RFC 1035 §3.1, wire octets including the root label
#define DNS_LABEL_MAXLEN 63    // RFC 1035 §2.3.4
#define DNS_NAME_MAXLABELS 128 // 127 one-octet labels + root
#define DNS_NAME_MAXHOPS 127   // compression pointers followed for one name
#define DNS_NAME_TEXT_MAX 1010 // worst case presentation: 253 \DDD escapes + dots + NUL

// Read a possibly compressed name at *pos in msg[0..len). Writes the
// uncompressed name to out (DNS_NAME_MAXLEN bytes; may be NULL to only
// validate) and moves *pos past the name's bytes in place (after its first
// pointer). Returns the uncompressed length, or DNS_ETRUNC_NAME,
// DNS_ELABEL_TYPE, DNS_ENAME_LEN, DNS_EPTR_SELF, DNS_EPTR_FORWARD,
// DNS_EPTR_LOOP, DNS_EPTR_HEADER, DNS_EPTR_HOPS.
// Pointers must point strictly before the start of the label run that
// contains them (so no sequence of pointers can loop) and not into the
// 12-byte header (hdr_len: 12 for a message, 0 for a bare buffer).
int dns_name_unpack(const uint8_t *msg, size_t len, size_t hdr_len, size_t *pos, uint8_t *out);

// As dns_name_unpack, but a compression pointer is an error
// (DNS_EPTR_FORBIDDEN): for rdata names that must not be compressed and for
// names in bare rdata buffers.
int dns_name_unpack_flat(const uint8_t *buf, size_t len, size_t *pos, uint8_t *out);

// Length of a trusted uncompressed name.
size_t dns_name_length(const uint8_t *name);

// Number of labels, not counting the root ("." is 0, "a.b." is 2).
int dns_name_labels(const uint8_t *name);

// Case-insensitive equality (ASCII letters only fold, RFC 4343).
bool dns_name_equal(const uint8_t *a, const uint8_t *b);

// RFC 4034 §6.1 canonical order: <0, 0, >0.
int dns_name_canon_cmp(const uint8_t *a, const uint8_t *b);

// Case-insensitive hash (same value for names equal by dns_name_equal).
uint32_t dns_name_hash(const uint8_t *name, uint32_t seed);

// The same hash when the name's length is known (len = dns_name_length).
uint32_t dns_name_hash_len(const uint8_t *name, size_t len, uint32_t seed);

// Copy len octets of a wire name to dst with ASCII capitals lowered, eight
// at a time; returns len. dst may equal src.
size_t dns_name_lower_copy(uint8_t *dst, const uint8_t *src, size_t len);

// Both at once: lower-case copy to dst, and dns_name_hash_len of it.
uint32_t dns_name_lower_hash(uint8_t *dst, const uint8_t *src, size_t len, uint32_t seed);

// Lower-case the ASCII letters of a name in place.
void dns_name_to_lower(uint8_t *name);

// True if name equals parent or is below it (case-insensitive).
bool dns_name_is_subdomain(const uint8_t *name, const uint8_t *parent);

// Pointer to the suffix of name after skipping n labels (n ≤ labels).
const uint8_t *dns_name_skip_labels(const uint8_t *name, int n);

// Presentation → wire. Accepts `\.`, `\\`, `\DDD` escapes, a trailing dot
// for absolute names; "@" is the origin. A name without a trailing dot is
// relative to origin (an uncompressed name); with origin NULL it is taken as
// absolute. Returns the wire length, or DNS_ELABEL_LEN, DNS_ENAME_LEN,
// DNS_ENAME_EMPTY_LABEL, DNS_ENAME_ESCAPE, DNS_EINVAL (empty text).
int dns_name_from_text(const char *s, size_t n, const uint8_t *origin, uint8_t out[DNS_NAME_MAXLEN]);

// Wire → presentation, absolute with the trailing dot ("." for the root).
// Printable ASCII as is except the specials `. ; \ ( ) " @ $ space`, which get
// a backslash; other octets as \DDD. Returns the string length or
// DNS_ENOSPACE (cap includes the NUL).
int dns_name_to_text(const uint8_t *name, char *out, size_t cap);

// Reverse-lookup names: 4.3.2.1.in-addr.arpa. and the 32-nibble ip6.arpa.
int dns_name_reverse_ipv4(const uint8_t addr[4], uint8_t out[DNS_NAME_MAXLEN]);
int dns_name_reverse_ipv6(const uint8_t addr[16], uint8_t out[DNS_NAME_MAXLEN]);
// From an address in text ("192.0.2.1" or "2001:db8::1"); DNS_EADDR if neither.
int dns_name_reverse_from_text(const char *addr, uint8_t out[DNS_NAME_MAXLEN]);

#endif
