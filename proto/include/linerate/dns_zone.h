/* SPDX-License-Identifier: BSD-3-Clause */
// RFC 1035 §5 master files: $ORIGIN, $TTL, $INCLUDE, BIND's $GENERATE, "@",
// relative names, omitted owner/TTL/class, parentheses over several lines,
// comments, quoted strings, escapes, every registry type and RFC 3597
// generic rdata. The reader streams records to a callback; it allocates
// (it runs on the control plane, never on a worker) and frees everything
// before returning. One reader call per thread; no global state.
#ifndef LINERATE_DNS_ZONE_H
#define LINERATE_DNS_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns_name.h"

#define DNS_ZONE_INCLUDE_DEPTH 8     // nested $INCLUDE levels
#define DNS_ZONE_GENERATE_MAX  65536 // records one $GENERATE may make

// Where a diagnostic points and what it says. file is the path as given
// (an $INCLUDE's path for records from it); line and col are 1-based.
struct dns_zone_diag {
	char file[256];
	unsigned line;
	unsigned col;
	int code;      // DNS_E* code (0 for warnings without one)
	char msg[256]; // "expected a TTL, class or type, got 'FOO'"
};

// One record as read: owner and rdata are uncompressed wire form, valid only
// during the callback.
struct dns_zone_rr {
	const uint8_t *owner;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	bool ttl_explicit; // TTL given on the line (vs inherited)
	const uint8_t *rdata;
	uint16_t rdlen;
	const char *file;
	unsigned line; // the entry's first line
	unsigned col;  // column of the type token (what load-time checks point at)
};

struct dns_zone_reader_opts {
	const uint8_t *origin; // initial $ORIGIN (NULL: relative names are errors until $ORIGIN)
	uint32_t default_ttl;  // used when there is neither $TTL nor an earlier TTL
	// The zone's class: records naming another are errors. 0: IN, and the
	// first record that names a class sets it.
	uint16_t rclass;
	// Called for every record; a non-zero return stops reading and is
	// returned by the reader (with diag pointing at the record's line).
	int (*on_rr)(void *ctx, const struct dns_zone_rr *rr);
	// Called for warnings (may be NULL).
	void (*on_warning)(void *ctx, const struct dns_zone_diag *d);
	void *ctx;
};

// A zone named on a command line or in a config: "[ORIGIN=]FILE". Without
// ORIGIN= (an '=' before the last '/' belongs to the path), the origin is
// the file's base name less a ".zone" or ".db" suffix. The origin is
// absolute whether or not it ends with a dot.
struct dns_zone_spec {
	uint8_t origin[DNS_NAME_MAXLEN];
	const char *path;	 // view into the word
	const char *origin_text; // the origin as written, for messages
	size_t origin_len;
};

// Split word. 0; DNS_EMISSING for an empty file name; DNS_EINVAL or the
// name error when the origin is not a domain name.
int dns_zone_spec_parse(const char *word, struct dns_zone_spec *z);

// Read a master file. Returns 0 or the first error (a DNS_E* code, or a
// negative errno for I/O), with *diag filled in (file:line:col and message;
// line and col are 0 when the file itself cannot be read). Records already
// passed to on_rr stay the callback's to discard: a caller that must reject
// a file whole builds into a scratch structure (dns_zone_set.h does).
int dns_zone_read_file(const char *path, const struct dns_zone_reader_opts *o,
		       struct dns_zone_diag *diag);

// Read master-file text from memory; name labels diagnostics. Relative
// $INCLUDE paths are relative to name's directory (the current directory
// when name has no '/').
int dns_zone_read_text(const char *name, const char *text, size_t len,
		       const struct dns_zone_reader_opts *o, struct dns_zone_diag *diag);

// "3600", "1h", "1w2d3h4m5s" (BIND units, case-insensitive) → seconds.
// 0 or DNS_ENUMBER (also for values over 2^31-1, RFC 2181 §8).
int dns_ttl_from_text(const char *s, size_t n, uint32_t *ttl);

// Format a diagnostic as "file:line:col: message" into out.
int dns_zone_diag_format(const struct dns_zone_diag *d, char *out, size_t cap);

#endif
