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

#include "grow.h"
#include "zone_internal.h"

// A record while loading; names and rdata are arena offsets because the
// arena moves as it grows.
struct zone_rec {
	uint32_t owner;
	uint32_t rdata;
	uint32_t file; // arena offset of the NUL-terminated file name
	uint32_t line;
	uint32_t col; // of the type token
	uint32_t ttl;
	uint32_t seq; // position in the file(s): "first" and "later" mean this
	uint16_t rdlen;
	uint16_t type;
	bool drop; // not served: a duplicate, occluded, or out of place
	bool dup;  // dropped as a duplicate of a kept record (RFC 2181 §5)
	bool glue; // address record at or below a delegation
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
	uint32_t last_file; // arena offset of the last file name stored
	// finalized view
	struct dns_zone_rrset *sets;
	size_t nsets;
	const uint8_t **rdptr;
	uint16_t *rdlens;
	size_t nrecords;
	bool loaded; // a load succeeded: the view above is complete
	bool tried;  // a load ran (one per zone object)
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

uint16_t dns_zone_class(const struct dns_zone *z)
{
	return z->rclass;
}

static int64_t arena_put(struct dns_zone *z, const void *p, size_t n)
{
	if (z->alen + n > UINT32_MAX)
		return -EFBIG;
	uint8_t *a = dns_grow(z->arena, &z->acap, z->alen + n, 1, 65536);
	if (!a)
		return -ENOMEM;
	z->arena = a;
	memcpy(z->arena + z->alen, p, n);
	z->alen += n;
	return (int64_t)(z->alen - n);
}

static void warn_at(struct dns_zone *z, const char *file, unsigned line, unsigned col,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void warn_at(struct dns_zone *z, const char *file, unsigned line, unsigned col,
		    const char *fmt, ...)
{
	if (!z->warn)
		return;
	struct dns_zone_diag d;
	va_list ap;
	va_start(ap, fmt);
	dns_zone_diag_vset(&d, file, line, col, 0, fmt, ap);
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
		warn_at(z, rr->file, rr->line, 1, "%s is outside the zone %s: ignored", o, a);
		return 0;
	}
	if (rr->rclass != z->rclass)
		return DNS_ECLASS;
	struct zone_rec *recs = dns_grow(z->rec, &z->caprec, z->nrec + 1, sizeof(*recs), 1024);
	if (!recs)
		return -ENOMEM;
	z->rec = recs;
	if (z->last_file == UINT32_MAX ||
	    strcmp((const char *)z->arena + z->last_file, rr->file) != 0) {
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
		.col = rr->col,
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

static const char *rec_file(const struct dns_zone *z, const struct zone_rec *r)
{
	return (const char *)z->arena + r->file;
}

static int fail_at(struct dns_zone *z, const struct zone_rec *r, struct dns_zone_diag *d, int code,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

// A load-time check failed: point at the type token of the record that broke
// the rule (the later one in the file, when two records conflict).
static int fail_at(struct dns_zone *z, const struct zone_rec *r, struct dns_zone_diag *d, int code,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dns_zone_diag_vset(d, rec_file(z, r), r->line, r->col, code, fmt, ap);
	va_end(ap);
	return code;
}

// The first two records of a kind at one owner, in file order.
struct rec_pair {
	const struct zone_rec *first;
	const struct zone_rec *second;
};

static void pair_add(struct rec_pair *p, const struct zone_rec *r)
{
	if (!p->first || r->seq < p->first->seq) {
		p->second = p->first;
		p->first = r;
	} else if (!p->second || r->seq < p->second->seq) {
		p->second = r;
	}
}

// RFC 4035 §2.5: RRSIG and NSEC may stand beside a CNAME.
static bool dnssec_meta(uint16_t t)
{
	return t == DNS_TYPE_RRSIG || t == DNS_TYPE_NSEC;
}

static bool is_address(uint16_t t)
{
	return t == DNS_TYPE_A || t == DNS_TYPE_AAAA;
}

static bool is_wildcard(const uint8_t *name)
{
	return name[0] == 1 && name[1] == '*';
}

static void drop_warn(struct dns_zone *z, struct zone_rec *r, const char *name, const char *why)
{
	char ty[16];
	warn_at(z, rec_file(z, r), r->line, r->col, "%s %s %s: ignored", name,
		dns_type_to_text(r->type, ty), why);
	r->drop = true;
}

// The checks of one owner's records [i, j) not below a cut. *soa collects
// the apex SOA.
static int check_owner(struct dns_zone *z, size_t i, size_t j, bool at_apex, const char *name,
		       struct rec_pair *soa, struct dns_zone_diag *diag)
{
	struct rec_pair cname = {0}, dname = {0}, other = {0};
	char ty[16];
	for (size_t k = i; k < j; k++) {
		const struct zone_rec *r = &z->rec[k];
		if (r->drop)
			continue;
		if (r->type == DNS_TYPE_SOA) {
			if (!at_apex)
				return fail_at(z, r, diag, DNS_EZONE_SOA,
					       "SOA at %s, not at the zone apex", name);
			pair_add(soa, r);
		}
		if (r->type == DNS_TYPE_CNAME)
			pair_add(&cname, r);
		else if (!dnssec_meta(r->type))
			pair_add(&other, r);
		if (r->type == DNS_TYPE_DNAME)
			pair_add(&dname, r);
	}
	// RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME stands alone.
	if (cname.first && other.first) {
		bool cname_later = cname.first->seq > other.first->seq;
		const struct zone_rec *later = cname_later ? cname.first : other.first;
		const struct zone_rec *earlier = cname_later ? other.first : cname.first;
		return fail_at(z, later, diag, DNS_EZONE_CNAME,
			       "CNAME and other data at %s (%s at %s:%u)", name,
			       dns_type_to_text(earlier->type, ty), rec_file(z, earlier),
			       earlier->line);
	}
	if (cname.second)
		return fail_at(z, cname.second, diag, DNS_EZONE_CNAME,
			       "more than one CNAME at %s (first at %s:%u)", name,
			       rec_file(z, cname.first), cname.first->line);
	// RFC 6672 §2.4: one DNAME per owner.
	if (dname.second)
		return fail_at(z, dname.second, diag, DNS_EZONE_DNAME,
			       "more than one DNAME at %s (first at %s:%u)", name,
			       rec_file(z, dname.first), dname.first->line);
	if (soa->second)
		return fail_at(z, soa->second, diag, DNS_EZONE_SOA,
			       "more than one SOA record at the apex (first at %s:%u)",
			       rec_file(z, soa->first), soa->first->line);
	return 0;
}

// Records [i, j) of an owner strictly below a cut. RFC 1034 §4.2.1: below a
// delegation only glue (addresses) is kept; RFC 6672 §2.3: nothing below a
// DNAME is.
static void occlude(struct dns_zone *z, size_t i, size_t j, bool dname, const char *name)
{
	for (size_t k = i; k < j; k++) {
		struct zone_rec *r = &z->rec[k];
		if (r->drop)
			continue;
		if (dname)
			drop_warn(z, r, name, "is below a DNAME");
		else if (is_wildcard(z->arena + r->owner))
			drop_warn(z, r, name, "is a wildcard below a delegation");
		else if (is_address(r->type))
			r->glue = true;
		else
			drop_warn(z, r, name, "is below a delegation");
	}
}

// At a delegation point only NS, DS, DNSSEC records and glue addresses stay.
static void delegate(struct dns_zone *z, size_t i, size_t j, const char *name)
{
	for (size_t k = i; k < j; k++) {
		struct zone_rec *r = &z->rec[k];
		if (r->drop)
			continue;
		if (is_address(r->type))
			r->glue = true;
		else if (r->type != DNS_TYPE_NS && r->type != DNS_TYPE_DS && !dnssec_meta(r->type))
			drop_warn(z, r, name, "is at a delegation point");
	}
}

// Merge duplicates (RFC 2181 §5): same owner, type and rdata as the record
// before in canonical order (ties in file order, so the first one stays).
static void merge_duplicates(struct dns_zone *z, size_t i, size_t j)
{
	for (size_t k = i + 1; k < j; k++) {
		struct zone_rec *r = &z->rec[k], *p = r - 1;
		if (r->type == p->type && r->rdlen == p->rdlen &&
		    !memcmp(z->arena + r->rdata, z->arena + p->rdata, r->rdlen)) {
			r->drop = true;
			r->dup = true;
		}
	}
}

// Group the kept records into RRsets. RFC 2181 §5.2: one TTL per RRset, the
// first one in the file; records (duplicates included) that disagree are
// named in a warning.
static int group(struct dns_zone *z, struct dns_zone_diag *diag)
{
	char name[DNS_NAME_TEXT_MAX], ty[16];
	size_t keep = 0;
	for (size_t k = 0; k < z->nrec; k++)
		keep += !z->rec[k].drop;
	z->rdptr = malloc((keep ? keep : 1) * sizeof(*z->rdptr));
	z->rdlens = malloc((keep ? keep : 1) * sizeof(*z->rdlens));
	z->sets = malloc((keep ? keep : 1) * sizeof(*z->sets));
	if (!z->rdptr || !z->rdlens || !z->sets)
		return -ENOMEM;
	size_t nr = 0;
	for (size_t i = 0; i < z->nrec;) {
		const struct zone_rec *r0 = &z->rec[i];
		size_t j = i;
		const struct zone_rec *first = NULL;
		for (; j < z->nrec && z->rec[j].type == r0->type &&
		       dns_name_equal(z->arena + z->rec[j].owner, z->arena + r0->owner);
		     j++)
			if ((!z->rec[j].drop || z->rec[j].dup) &&
			    (!first || z->rec[j].seq < first->seq))
				first = &z->rec[j];
		if (!first) {
			i = j;
			continue;
		}
		struct dns_zone_rrset *s = NULL;
		for (size_t k = i; k < j; k++) {
			const struct zone_rec *r = &z->rec[k];
			if (r->drop && !r->dup)
				continue;
			if (r->ttl != first->ttl) {
				dns_name_to_text(z->arena + r->owner, name, sizeof(name));
				warn_at(z, rec_file(z, r), r->line, r->col,
					"TTL %u of %s %s differs from the RRset's %u: using %u",
					r->ttl, name, dns_type_to_text(r->type, ty), first->ttl,
					first->ttl);
			}
			if (r->drop)
				continue;
			if (!s) {
				s = &z->sets[z->nsets++];
				*s = (struct dns_zone_rrset){
					.owner = z->arena + r->owner,
					.type = r->type,
					.ttl = first->ttl,
					.rdata = &z->rdptr[nr],
					.rdlen = &z->rdlens[nr],
					.glue = r->glue,
				};
			}
			if (s->count == UINT16_MAX)
				return fail_at(z, r, diag, DNS_EZONE_RRSET,
					       "RRset has more than 65535 records");
			z->rdptr[nr] = z->arena + r->rdata;
			z->rdlens[nr] = r->rdlen;
			s->count++;
			nr++;
		}
		i = j;
	}
	z->nrecords = nr;
	return 0;
}

// Checks and grouping over records sorted canonically.
static int finalize(struct dns_zone *z, const char *file, struct dns_zone_diag *diag)
{
	char name[DNS_NAME_TEXT_MAX];
	if (!z->nrec) {
		dns_name_to_text(z->apex, name, sizeof(name));
		memset(diag, 0, sizeof(*diag));
		snprintf(diag->file, sizeof(diag->file), "%s", file);
		diag->code = DNS_EZONE_EMPTY;
		snprintf(diag->msg, sizeof(diag->msg), "zone %.200s has no records", name);
		return DNS_EZONE_EMPTY;
	}
	qsort_r(z->rec, z->nrec, sizeof(*z->rec), rec_cmp, z);

	const uint8_t *cut = NULL; // the delegation or DNAME owner above the walk
	bool cut_is_dname = false;
	struct rec_pair soa = {0};
	const struct zone_rec *apex_ns = NULL;
	for (size_t i = 0; i < z->nrec;) {
		// one owner: records [i, j); in canonical order a name's
		// descendants follow it directly
		const uint8_t *owner = z->arena + z->rec[i].owner;
		size_t j = i;
		while (j < z->nrec && dns_name_equal(z->arena + z->rec[j].owner, owner))
			j++;
		dns_name_to_text(owner, name, sizeof(name));
		merge_duplicates(z, i, j);
		if (cut && !dns_name_is_subdomain(owner, cut))
			cut = NULL;
		if (cut) {
			occlude(z, i, j, cut_is_dname, name);
			i = j;
			continue;
		}
		bool at_apex = dns_name_equal(owner, z->apex);
		int rc = check_owner(z, i, j, at_apex, name, &soa, diag);
		if (rc)
			return rc;
		bool has_ns = false, has_dname = false;
		for (size_t k = i; k < j; k++) {
			if (z->rec[k].drop)
				continue;
			has_ns |= z->rec[k].type == DNS_TYPE_NS;
			has_dname |= z->rec[k].type == DNS_TYPE_DNAME;
			if (at_apex && z->rec[k].type == DNS_TYPE_NS && !apex_ns)
				apex_ns = &z->rec[k];
		}
		if (has_ns && !at_apex) {
			delegate(z, i, j, name);
			cut = owner;
			cut_is_dname = false;
		} else if (has_dname) {
			// at the apex too: RFC 6672 §2.3 allows no descendants
			cut = owner;
			cut_is_dname = true;
		}
		i = j;
	}
	dns_name_to_text(z->apex, name, sizeof(name));
	if (!soa.first) {
		memset(diag, 0, sizeof(*diag));
		snprintf(diag->file, sizeof(diag->file), "%s", file);
		diag->code = DNS_EZONE_NO_SOA;
		snprintf(diag->msg, sizeof(diag->msg), "zone %.200s has no SOA at its apex", name);
		return DNS_EZONE_NO_SOA;
	}
	if (!apex_ns)
		return fail_at(z, soa.first, diag, DNS_EZONE_NO_NS,
			       "zone %s has no NS records at its apex", name);
	return group(z, diag);
}

static void reader_warn(void *ctx, const struct dns_zone_diag *d)
{
	struct dns_zone *z = ctx;
	z->warn(z->ctx, d);
}

static int load(struct dns_zone *z, const char *name, const char *text, size_t len,
		const char *path, uint32_t default_ttl,
		void (*on_warning)(void *, const struct dns_zone_diag *), void *ctx,
		struct dns_zone_diag *diag)
{
	if (z->tried) {
		memset(diag, 0, sizeof(*diag));
		diag->code = DNS_EINVAL;
		snprintf(diag->msg, sizeof(diag->msg),
			 "a zone object is loaded once; make a new one");
		return DNS_EINVAL;
	}
	z->tried = true;
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
	int rc = path ? dns_zone_read_file(path, &o, diag)
		      : dns_zone_read_text(name, text, len, &o, diag);
	if (rc == 0)
		rc = finalize(z, path ? path : name, diag);
	z->warn = NULL;
	z->ctx = NULL;
	// Rejected whole: nothing of a failed load is visible (dns_zone_rrsets
	// gives no RRsets and dns_image_compile refuses the zone).
	z->loaded = rc == 0;
	if (!z->loaded) {
		z->nsets = 0;
		z->nrecords = 0;
	}
	return rc;
}

int dns_zone_load_file(struct dns_zone *z, const char *path, uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag)
{
	return load(z, NULL, NULL, 0, path, default_ttl, on_warning, ctx, diag);
}

int dns_zone_load_text(struct dns_zone *z, const char *name, const char *text, size_t len,
		       uint32_t default_ttl,
		       void (*on_warning)(void *ctx, const struct dns_zone_diag *d), void *ctx,
		       struct dns_zone_diag *diag)
{
	return load(z, name, text, len, NULL, default_ttl, on_warning, ctx, diag);
}

const struct dns_zone_rrset *dns_zone_rrsets(const struct dns_zone *z, size_t *n)
{
	*n = z->loaded ? z->nsets : 0;
	return z->loaded ? z->sets : NULL;
}

bool dns_zone_loaded(const struct dns_zone *z)
{
	return z->loaded;
}

size_t dns_zone_record_count(const struct dns_zone *z)
{
	return z->nrecords;
}
