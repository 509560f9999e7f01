/* SPDX-License-Identifier: BSD-3-Clause */
// Rdata of every registry type: validation, decompression, presentation
// format both ways, and a walk over named fields (the DNS component's
// record_field_* model). Rdata in memory is always its uncompressed wire
// form. Unknown types are opaque octets, printed per RFC 3597 (\# len hex).
// All functions are allocation-free and thread-safe.
#ifndef LINERATE_DNS_RDATA_H
#define LINERATE_DNS_RDATA_H

#include <stddef.h>
#include <stdint.h>

#include "dns_types.h"

#define DNS_RDATA_MAXLEN 65535
#define DNS_RDATA_MAXNAMES 4  // most name fields in any registry type (SOA, NXT…: 2; TSIG etc. 1)

// Copy the rdata at msg[off..off+rdlen) to out in uncompressed form and
// validate it against the type's schema. Names are decompressed only for
// DNS_TF_DECOMPRESS types; a pointer inside the rdata of any other type is
// DNS_EPTR_FORBIDDEN. Errors: the dns_name_unpack codes, DNS_ERDATA_SHORT,
// DNS_ERDATA_LONG, DNS_ERDATA_FIELD, DNS_ENOSPACE. Returns the length.
int dns_rdata_unpack(const uint8_t *msg, size_t msglen, size_t off, uint16_t rdlen, uint16_t type,
		     uint8_t *out, size_t cap);

// Validate uncompressed rdata against the type's schema (0 or an error as above).
int dns_rdata_check(uint16_t type, const uint8_t *rdata, size_t len);

// Offsets of the name fields in uncompressed rdata that a sender may
// compress (only DNS_TF_COMPRESS types; 0 for all others). Returns the count
// (≤ DNS_RDATA_MAXNAMES) or a negative error for malformed rdata.
int dns_rdata_compressible_names(uint16_t type, const uint8_t *rdata, size_t len,
				 uint16_t offs[DNS_RDATA_MAXNAMES]);

// Presentation format of the rdata (fields separated by single spaces, no
// owner/TTL/class/type), as dig/dnspython print it. Unknown types and
// known types' rdata that fails validation print as "\# len hex".
// Returns the string length or DNS_ENOSPACE (cap includes the NUL).
int dns_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t len, char *out, size_t cap);

// RFC 3597 generic form for any rdata: "\# 4 c0000201" ("\# 0" when empty).
int dns_rdata_to_generic(const uint8_t *rdata, size_t len, char *out, size_t cap);

// Presentation → uncompressed rdata. s[0..n) is the whole rdata text as one
// line: fields separated by blanks, quoted strings with escapes, no comments
// or parentheses (the zone reader removes those). "\# len hex" is accepted
// for every type. Relative names are completed with origin (NULL: absolute).
// On error *err_off (if not NULL) receives the offset in s of the failing
// token. Returns the rdata length or a negative DNS_E* code.
int dns_rdata_from_text(uint16_t type, const char *s, size_t n, const uint8_t *origin, uint8_t *out,
			size_t cap, size_t *err_off);

// One field of a record, located in its uncompressed rdata.
struct dns_field_view {
	const char *name;          // schema name ("EXCHANGE")
	enum dns_field_kind kind;
	uint16_t off;              // offset of the field in the rdata
	uint16_t len;              // its length in octets
};

// Field idx (0-based) of the rdata: 0, DNS_EINVAL for idx out of range, or
// a validation error. Unknown types have one field "RDATA" (DNS_FIELD_OPAQUE).
int dns_rdata_field(uint16_t type, const uint8_t *rdata, size_t len, int idx, struct dns_field_view *f);

// Field by name (case-insensitive); returns its index or a negative error.
int dns_rdata_field_by_name(uint16_t type, const uint8_t *rdata, size_t len, const char *name,
			    struct dns_field_view *f);

// Presentation text of one field's value (as it appears in dns_rdata_to_text).
int dns_rdata_field_to_text(uint16_t type, const uint8_t *rdata, size_t len, int idx, char *out, size_t cap);

// RFC 4034 §6.2 canonical form: lower-case the embedded names of the types
// that section lists, in place.
int dns_rdata_canonicalize(uint16_t type, uint8_t *rdata, size_t len);

#endif
