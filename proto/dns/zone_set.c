/* SPDX-License-Identifier: BSD-3-Clause */
// A zone being loaded: gather, check and group records (see dns_zone_set.h).
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

// A record while loading; names and rdata are arena offsets because the
// arena moves as it grows.
struct zone_rec {
	uint32_t owner;
	uint32_t rdata;
	uint32_t file;    // arena offset of the NUL-terminated file name
	uint32_t line;
	uint32_t ttl;
	uint32_t seq;
	uint16_t rdlen;
	uint16_t type;
	bool drop;
	bool glue;        // address record at or below a delegation
};

struct dns_zone {
	uint8_t apex[DNS_NAME_MAXLEN];
	uint16_t rclass;
	uint8_t *arena;
	size_t alen;
	size_t acap;
	struct zone_rec *rec;
	size_t nrec;
	size_t caprec;
	uint32_t last_file;   // arena offset of the last file name stored
	// finalized view
	struct dns_zone_rrset *sets;
	size_t nsets;
	const uint8_t **rdptr;
	uint16_t *rdlens;
	size_t nrecords;
	// while loading
	void (*warn)(void *ctx, const struct dns_zone_diag *d);
	void *ctx;
};

struct dns_zone *dns_zone_new(const uint8_t *apex, uint16_t rclass)
{
	struct dns_zone *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	memcpy(z->apex, apex, dns_name_length(apex));
	dns_name_to_lower(z->apex);
	z->rclass = rclass ? rclass : DNS_CLASS_IN;
	z->last_file = UINT32_MAX;
	return z;
}

void dns_zone_free(struct dns_zone *z)
{
	if (!z)
		return;
	free(z->arena);
	free(z->rec);
	free(z->sets);
	free(z->rdptr);
	free(z->rdlens);
	free(z);
}

const uint8_t *dns_zone_apex(const struct dns_zone *z)
{
	return z->apex;
}

static int64_t arena_put(struct dns_zone *z, const void *p, size_t n)
{
	if (z->alen + n > UINT32_MAX)
		return -EFBIG;
	if (z->alen + n > z->acap) {
		size_t cap = z->acap ? z->acap : 65536;
		while (cap < z->alen + n)
			cap *= 2;
		uint8_t *a = realloc(z->arena, cap);
		if (!a)
			return -ENOMEM;
		z->arena = a;
		z->acap = cap;
	}
	memcpy(z->arena + z->alen, p, n);
	z->alen += n;
	return (int64_t)(z->alen - n);
}

static void warn_at(struct dns_zone *z, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn_at(struct dns_zone *z, const char *file, unsigned line, const char *fmt, ...)
{
	if (!z->warn)
		return;
	struct dns_zone_diag d = {.line = line, .col = 1};
	snprintf(d.file, sizeof(d.file), "%s", file);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	z->warn(z->ctx, &d);
}

static int on_rr(void *ctx, const struct dns_zone_rr *rr)
{
	struct dns_zone *z = ctx;
	if (!dns_name_is_subdomain(rr->owner, z->apex)) {
		char o[DNS_NAME_TEXT_MAX], a[DNS_NAME_TEXT_MAX];
		dns_name_to_text(rr->owner, o, sizeof(o));
		dns_name_to_text(z->apex, a, sizeof(a));
		warn_at(z, rr->file, rr->line, "%s is outside the zone %s: ignored", o, a);
		return 0;
	}
	if (rr->rclass != z->rclass)
		return DNS_ECLASS;
	if (z->nrec == z->caprec) {
		size_t cap = z->caprec ? z->caprec * 2 : 1024;
		struct zone_rec *r = realloc(z->rec, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		z->rec = r;
		z->caprec = cap;
	}
	if (z->last_file == UINT32_MAX || strcmp((const char *)z->arena + z->last_file, rr->file) != 0) {
		int64_t f = arena_put(z, rr->file, strlen(rr->file) + 1);
		if (f < 0)
			return (int)f;
		z->last_file = (uint32_t)f;
	}
	uint8_t owner[DNS_NAME_MAXLEN];
	size_t ol = dns_name_length(rr->owner);
	memcpy(owner, rr->owner, ol);
	dns_name_to_lower(owner);
	int64_t on = arena_put(z, owner, ol);
	int64_t rd = on < 0 ? on : arena_put(z, rr->rdata, rr->rdlen);
	if (rd < 0)
		return (int)rd;
	z->rec[z->nrec] = (struct zone_rec){
		.owner = (uint32_t)on,
		.rdata = (uint32_t)rd,
		.file = z->last_file,
		.line = rr->line,
		.ttl = rr->ttl,
		.seq = (uint32_t)z->nrec,
		.rdlen = rr->rdlen,
		.type = rr->type,
	};
	z->nrec++;
	return 0;
}

static int rec_cmp(const void *a, const void *b, void *ctx)
{
	const struct dns_zone *z = ctx;
	const struct zone_rec *x = a, *y = b;
	int c = dns_name_canon_cmp(z->arena + x->owner, z->arena + y->owner);
	if (c)
		return c;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	// RFC 4034 §6.3 orders rdata as left-justified octet strings
	size_t n = x->rdlen < y->rdlen ? x->rdlen : y->rdlen;
	c = memcmp(z->arena + x->rdata, z->arena + y->rdata, n);
	if (c)
		return c;
	if (x->rdlen != y->rdlen)
		return x->rdlen < y->rdlen ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int fail_at(struct dns_zone *z, const struct zone_rec *r, struct dns_zone_diag *d, int code,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct dns_zone *z, const struct zone_rec *r, struct dns_zone_diag *d, int code,
		   const char *fmt, ...)
{
	snprintf(d->file, sizeof(d->file), "%s", (const char *)z->arena + r->file);
	d->line = r->line;
	d->col = 1;
	d->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}

static bool dnssec_meta(uint16_t t)
{
	return t == DNS_TYPE_RRSIG || t == DNS_TYPE_NSEC;
}

static bool is_address(uint16_t t)
{
	return t == DNS_TYPE_A || t == DNS_TYPE_AAAA;
}

// Checks and grouping over records sorted canonically.
static int finalize(struct dns_zone *z, struct dns_zone_diag *diag)
{
	char name[DNS_NAME_TEXT_MAX];
	qsort_r(z->rec, z->nrec, sizeof(*z->rec), rec_cmp, z);

	const uint8_t *cut = NULL;    // current delegation (or DNAME) owner above the walk
	bool cut_is_dname = false;
	const struct zone_rec *apex_soa = NULL;
	bool apex_ns = false;
	size_t i = 0;
	while (i < z->nrec) {
		// one owner: records i..j
		const uint8_t *owner = z->arena + z->rec[i].owner;
		size_t j = i;
		while (j < z->nrec && dns_name_equal(z->arena + z->rec[j].owner, owner))
			j++;
		bool at_apex = dns_name_equal(owner, z->apex);
		if (cut && !dns_name_is_subdomain(owner, cut))
			cut = NULL;
		bool below = cut != NULL; // strictly below: cut is an ancestor, never owner itself
		dns_name_to_text(owner, name, sizeof(name));

		bool has_ns = false, has_cname = false, has_dname = false, has_other = false;
		size_t ncname = 0, ndname = 0;
		for (size_t k = i; k < j; k++) {
			struct zone_rec *r = &z->rec[k];
			// merge duplicates (RFC 2181 §5): same type and rdata as the previous
			if (k > i && r->type == r[-1].type && r->rdlen == r[-1].rdlen &&
			    !memcmp(z->arena + r->rdata, z->arena + r[-1].rdata, r->rdlen)) {
				r->drop = true;
				continue;
			}
			switch (r->type) {
			case DNS_TYPE_NS:
				has_ns = true;
				break;
			case DNS_TYPE_CNAME:
				has_cname = true;
				ncname++;
				break;
			case DNS_TYPE_DNAME:
				has_dname = true;
				ndname++;
				break;
			case DNS_TYPE_SOA:
				if (!at_apex)
					return fail_at(z, r, diag, DNS_ESYNTAX, "SOA at %s, not at the zone apex",
						       name);
				if (apex_soa)
					return fail_at(z, r, diag, DNS_ESYNTAX, "more than one SOA record at the apex");
				apex_soa = r;
				has_other = true;
				break;
			default:
				if (!dnssec_meta(r->type))
					has_other = true;
				break;
			}
		}
		if (below) {
			// Occluded by a delegation (only addresses kept, as glue) or by a
			// DNAME (RFC 6672 §2.4: nothing below is served).
			for (size_t k = i; k < j; k++) {
				struct zone_rec *r = &z->rec[k];
				if (r->drop)
					continue;
				if (!cut_is_dname && is_address(r->type)) {
					r->glue = true;
					continue;
				}
				char ty[16];
				warn_at(z, (const char *)z->arena + r->file, r->line,
					"%s %s is below the %s at a parent: ignored", name,
					dns_type_to_text(r->type, ty), cut_is_dname ? "DNAME" : "delegation");
				r->drop = true;
			}
			i = j;
			continue;
		}
		if (has_cname && (has_other || has_ns || has_dname))
			return fail_at(z, &z->rec[i], diag, DNS_ESYNTAX, "CNAME and other data at %s", name);
		if (ncname > 1)
			return fail_at(z, &z->rec[i], diag, DNS_ESYNTAX, "more than one CNAME at %s", name);
		if (ndname > 1)
			return fail_at(z, &z->rec[i], diag, DNS_ESYNTAX, "more than one DNAME at %s", name);
		if (at_apex) {
			apex_ns = has_ns;
		} else if (has_ns) {
			// a delegation: the cut's own NS, DS and addresses (glue) stay
			for (size_t k = i; k < j; k++) {
				struct zone_rec *r = &z->rec[k];
				if (is_address(r->type))
					r->glue = true;
				if (r->drop || r->type == DNS_TYPE_NS || r->type == DNS_TYPE_DS ||
				    dnssec_meta(r->type) || is_address(r->type))
					continue;
				char ty[16];
				warn_at(z, (const char *)z->arena + r->file, r->line,
					"%s %s is at a delegation point: ignored", name,
					dns_type_to_text(r->type, ty));
				r->drop = true;
			}
			cut = owner;
			cut_is_dname = false;
		}
		if (has_dname && !has_ns) {
			cut = owner;
			cut_is_dname = true;
		}
		i = j;
	}
	if (!apex_soa) {
		struct zone_rec fake = {.file = z->nrec ? z->rec[0].file : 0, .line = 0};
		dns_name_to_text(z->apex, name, sizeof(name));
		if (!z->nrec) {
			snprintf(diag->file, sizeof(diag->file), "%s", "");
			diag->code = DNS_ESYNTAX;
			snprintf(diag->msg, sizeof(diag->msg), "zone %.200s has no records", name);
			return DNS_ESYNTAX;
		}
		return fail_at(z, &fake, diag, DNS_ESYNTAX, "zone %s has no SOA at its apex", name);
	}
	if (!apex_ns) {
		dns_name_to_text(z->apex, name, sizeof(name));
		return fail_at(z, apex_soa, diag, DNS_ESYNTAX, "zone %s has no NS records at its apex", name);
	}

	// Group what is left into RRsets, harmonising TTLs (RFC 2181 §5.2).
	size_t keep = 0;
	for (size_t k = 0; k < z->nrec; k++)
		keep += !z->rec[k].drop;
	z->rdptr = malloc((keep ? keep : 1) * sizeof(*z->rdptr));
	z->rdlens = malloc((keep ? keep : 1) * sizeof(*z->rdlens));
	z->sets = malloc((keep ? keep : 1) * sizeof(*z->sets));
	if (!z->rdptr || !z->rdlens || !z->sets)
		return -ENOMEM;
	size_t nr = 0;
	z->nsets = 0;
	for (size_t k = 0; k < z->nrec; k++) {
		struct zone_rec *r = &z->rec[k];
		if (r->drop)
			continue;
		const uint8_t *owner = z->arena + r->owner;
		struct dns_zone_rrset *s = z->nsets ? &z->sets[z->nsets - 1] : NULL;
		if (!s || s->type != r->type || !dns_name_equal(s->owner, owner)) {
			s = &z->sets[z->nsets++];
			*s = (struct dns_zone_rrset){
				.owner = owner,
				.type = r->type,
				.ttl = r->ttl,
				.rdata = &z->rdptr[nr],
				.rdlen = &z->rdlens[nr],
				.glue = r->glue,
			};
		} else if (r->ttl != s->ttl) {
			char ty[16];
			dns_name_to_text(owner, name, sizeof(name));
			warn_at(z, (const char *)z->arena + r->file, r->line,
				"TTL %u of %s %s differs from the RRset's %u: using %u", r->ttl, name,
				dns_type_to_text(r->type, ty), s->ttl, s->ttl);
		}
		if (s->count == UINT16_MAX)
			return fail_at(z, r, diag, DNS_ERDATA_LEN, "RRset has more than 65535 records");
		z->rdptr[nr] = z->arena + r->rdata;
		z->rdlens[nr] = r->rdlen;
		s->count++;
		nr++;
	}
	z->nrecords = nr;
	return 0;
}

static void reader_warn(void *ctx, const struct dns_zone_diag *d)
{
	struct dns_zone *z = ctx;
	z->warn(z->ctx, d);
}

static int load(struct dns_zone *z, const char *name, const char *text, size_t len, const char *path,
		uint32_t default_ttl, void (*on_warning)(void *, const struct dns_zone_diag *), void *ctx,
		struct dns_zone_diag *diag)
{
	z->warn = on_warning;
	z->ctx = ctx;
	struct dns_zone_reader_opts o = {
		.origin = z->apex,
		.default_ttl = default_ttl,
		.rclass = z->rclass,
		.on_rr = on_rr,
		.on_warning = on_warning ? reader_warn : NULL,
		.ctx = z,
	};
	int rc = path ? dns_zone_read_file(path, &o, diag) : dns_zone_read_text(name, text, len, &o, diag);
	if (rc == 0)
		rc = finalize(z, diag);
	z->warn = NULL;
	z->ctx = NULL;
	return rc;
}

int dns_zone_load_file(struct dns_zone *z, const char *path, uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag)
{
	return load(z, NULL, NULL, 0, path, default_ttl, on_warning, ctx, diag);
}

int dns_zone_load_text(struct dns_zone *z, const char *name, const char *text, size_t len, uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag)
{
	return load(z, name, text, len, NULL, default_ttl, on_warning, ctx, diag);
}

const struct dns_zone_rrset *dns_zone_rrsets(const struct dns_zone *z, size_t *n)
{
	*n = z->nsets;
	return z->sets;
}

size_t dns_zone_record_count(const struct dns_zone *z)
{
	return z->nrecords;
}
