/* SPDX-License-Identifier: BSD-3-Clause */
// A zone being loaded: the records of one master file gathered, checked and
// grouped into RRsets, ready for the image compiler. Control plane only: it
// allocates, and one zone is used by one thread at a time.
//
// Checks (a zone with an error is rejected whole; the caller keeps what it
// had): exactly one SOA, at the apex; NS at the apex; CNAME beside other data
// (RFC 1034 §3.6.2, RFC 2181 §10.1) and more than one CNAME or DNAME at an
// owner; data outside the zone is ignored with a warning; records below a
// delegation are kept only as glue (address records, not wildcards), others
// ignored with a warning, as is everything below a DNAME (RFC 6672 §2.3);
// duplicate records merged (RFC 2181 §5); TTLs within an RRset set to the
// first one's in the file, with a warning (RFC 2181 §5.2).
//
// Errors point at the type token of the record that breaks a rule (the later
// one in the file when two conflict); an error with no record to blame (an
// empty zone, no SOA) has line and column 0.
#ifndef LINERATE_DNS_ZONE_SET_H
#define LINERATE_DNS_ZONE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns_name.h"
#include "dns_zone.h"

struct dns_zone;

// One RRset of a finalized zone. Names and rdata point into the zone.
struct dns_zone_rrset {
	const uint8_t *owner; // lower-cased
	uint16_t type;
	uint32_t ttl;
	uint16_t count;
	const uint8_t *const *rdata;
	const uint16_t *rdlen;
	bool glue; // below a delegation: served only as additional data
};

// New empty zone for apex (copied) and class; NULL with errno on failure.
struct dns_zone *dns_zone_new(const uint8_t *apex, uint16_t rclass);
void dns_zone_free(struct dns_zone *z);

const uint8_t *dns_zone_apex(const struct dns_zone *z);
uint16_t dns_zone_class(const struct dns_zone *z);

// Read a master file into the zone (origin = apex) and finalize it. Warnings
// go to on_warning (may be NULL). Returns 0 or the first error with *diag
// set. A zone object is loaded once (DNS_EINVAL the second time). On error
// nothing of the file is visible: the zone has no RRsets, dns_image_compile
// refuses it, and the caller frees it and keeps serving what it had.
int dns_zone_load_file(struct dns_zone *z, const char *path, uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag);

// Same from text in memory (name labels diagnostics).
int dns_zone_load_text(struct dns_zone *z, const char *name, const char *text, size_t len,
		       uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag);

// After a successful load (NULL and 0 otherwise): the RRsets in canonical order of owner (RFC 4034
// §6.1), then type. *n receives the count; valid until dns_zone_free().
const struct dns_zone_rrset *dns_zone_rrsets(const struct dns_zone *z, size_t *n);

// Total records after merging duplicates (0 unless loaded).
size_t dns_zone_record_count(const struct dns_zone *z);

// True after a successful load.
bool dns_zone_loaded(const struct dns_zone *z);

#endif
