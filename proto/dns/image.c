/* SPDX-License-Identifier: BSD-3-Clause */
// Zone image compiler and lookups (see linerate/dns_image.h).
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linerate/dns_err.h>
#include <linerate/dns_image.h>
#include <linerate/dns_name_hash.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#include "answer_internal.h"
#include "grow.h"

// The format is read in place, on disk later: its layout must not drift.
_Static_assert(sizeof(struct dns_image_hdr) == 64, "image header layout");
_Static_assert(sizeof(struct dns_image_lane_slot) == 8, "image index slot layout");
_Static_assert(sizeof(struct dns_image_lane) == 16, "image index entry layout");
_Static_assert(sizeof(struct dns_image_lane_type) == 20, "image index type layout");
_Static_assert(sizeof(struct dns_image_zone) == 24, "image zone layout");
_Static_assert(sizeof(struct dns_image_node) == 40, "image node layout");
_Static_assert(sizeof(struct dns_image_rrset) == 44, "image rrset layout");
_Static_assert(sizeof(struct dns_image_ptmpl) == 12, "image ptmpl layout");

// A name while compiling: which zone owns it and its RRsets there.
struct cnode {
	const uint8_t *name;
	uint32_t zone;
	const struct dns_zone_rrset *sets; // first RRset of this owner in its zone, or NULL (ENT)
	uint16_t nsets;
	// at a child apex whose parent zone is served too: the parent's DS
	// RRset there (RFC 4035 §3.1.4.1: DS is the parent's), and that zone
	const struct dns_zone_rrset *pds;
	uint32_t pzone;
};

static int cnode_cmp(const void *a, const void *b)
{
	const struct cnode *x = a, *y = b;
	int c = dns_name_canon_cmp(x->name, y->name);
	if (c)
		return c;
	// same name: real data before an ENT, deeper zone first
	if ((x->sets == NULL) != (y->sets == NULL))
		return x->sets ? -1 : 1;
	return x->zone > y->zone ? -1 : (x->zone < y->zone);
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static int apex_cmp(const void *a, const void *b)
{
	const struct dns_zone *x = *(struct dns_zone *const *)a, *y = *(struct dns_zone *const *)b;
	return dns_name_labels(dns_zone_apex(x)) - dns_name_labels(dns_zone_apex(y));
}

static int apex_canon_cmp(const void *a, const void *b)
{
	const struct dns_zone *x = *(struct dns_zone *const *)a, *y = *(struct dns_zone *const *)b;
	return dns_name_canon_cmp(dns_zone_apex(x), dns_zone_apex(y));
}

// The zone (index into sorted zones) that owns name: the deepest apex at or above it.
static uint32_t owner_zone(struct dns_zone *const *z, size_t nz, const uint8_t *name)
{
	uint32_t best = DNS_IMAGE_NONE;
	for (size_t i = 0; i < nz; i++)
		if (dns_name_is_subdomain(name, dns_zone_apex(z[i])))
			best = (uint32_t)i; // zones sorted by depth: the last match is deepest
	return best;
}

// Probe from bucket `from` (hash & mask, or the one after a burst's first)
// for name, in any letter case.
static uint32_t probe(const void *img, const uint8_t *name, size_t len, uint32_t hash,
		      uint32_t from)
{
	const struct dns_image_hdr *h = dns_image_hdr(img);
	const uint32_t *b = (const uint32_t *)dns_image_at(img, h->buckets_off);
	const struct dns_image_node *nodes = dns_image_nodes(img);
	uint32_t mask = h->nbuckets - 1;
	for (uint32_t i = from & mask, probes = 0; probes < h->nbuckets;
	     i = (i + 1) & mask, probes++) {
		uint32_t v = b[i];
		if (v == 0)
			return DNS_IMAGE_NONE;
		const struct dns_image_node *n = &nodes[v - 1];
		// Image names are lower case. Equal octets over len, which ends in
		// the name's root label, make equal names; the bound keeps a
		// shorter name at the image's end from being read past.
		if (n->hash == hash && n->name_off + len <= h->size &&
		    dns_name_equal_icase(dns_image_at(img, n->name_off), name, len))
			return v - 1;
	}
	return DNS_IMAGE_NONE;
}

uint32_t dns_image_find_lower(const void *img, const uint8_t *lname, size_t len)
{
	const struct dns_image_hdr *h = dns_image_hdr(img);
	if (!h->nbuckets)
		return DNS_IMAGE_NONE;
	uint32_t hash = dns_name_hash_len(lname, len, h->hash_seed);
	return probe(img, lname, len, hash, hash);
}

void dns_image_find_burst(const void *img, struct dns_image_key *const *keys, unsigned n)
{
	const struct dns_image_hdr *h = dns_image_hdr(img);
	const struct dns_image_node *nodes = dns_image_nodes(img);
	const struct dns_image_rrset *rrsets = dns_image_rrsets(img);
	const uint32_t *b = (const uint32_t *)dns_image_at(img, h->buckets_off);
	uint32_t mask = h->nbuckets - 1, v[DNS_IMAGE_BURST_MAX];
	if (n > DNS_IMAGE_BURST_MAX)
		n = DNS_IMAGE_BURST_MAX;
	if (!h->nbuckets) {
		for (unsigned i = 0; i < n; i++)
			keys[i]->node = DNS_IMAGE_NONE;
		return;
	}
	// Each stage starts the loads of the next for every name before any
	// of them is needed: the cache misses of a burst overlap.
	for (unsigned i = 0; i < n; i++)
		__builtin_prefetch(&b[keys[i]->hash & mask]);
	for (unsigned i = 0; i < n; i++) {
		v[i] = b[keys[i]->hash & mask];
		if (v[i])
			__builtin_prefetch(&nodes[v[i] - 1]);
	}
	// the name to compare, and the RRsets the caller reads next
	for (unsigned i = 0; i < n; i++) {
		if (v[i] && nodes[v[i] - 1].hash == keys[i]->hash) {
			__builtin_prefetch(dns_image_at(img, nodes[v[i] - 1].name_off));
			__builtin_prefetch(&rrsets[nodes[v[i] - 1].rrset_first]);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		struct dns_image_key *k = keys[i];
		if (v[i] == 0) { // an empty first bucket: not there
			k->node = DNS_IMAGE_NONE;
			continue;
		}
		const struct dns_image_node *nd = &nodes[v[i] - 1];
		if (nd->hash == k->hash && nd->name_off + k->len <= h->size &&
		    dns_name_equal_icase(dns_image_at(img, nd->name_off), k->name, k->len))
			k->node = v[i] - 1;
		else // a collision in the first bucket: probe on
			k->node = probe(img, k->name, k->len, k->hash, (k->hash & mask) + 1);
	}
}

uint32_t dns_image_find(const void *img, const uint8_t *name)
{
	uint8_t lname[DNS_NAME_MAXLEN];
	size_t len = dns_name_length(name);
	dns_name_lower_copy(lname, name, len);
	return dns_image_find_lower(img, lname, len);
}

uint32_t dns_image_node_rrset(const void *img, uint32_t node, uint16_t type)
{
	return dns_image_node_rrset_inline(img, node, type);
}

// The template index entry of node i: its size, 0 for none (no template);
// its number of templates in *ntypes.
static size_t lane_entry_size(const uint8_t *img, uint32_t i, unsigned *ntypes)
{
	const struct dns_image_node *n = &dns_image_nodes(img)[i];
	const struct dns_image_rrset *rs = dns_image_rrsets(img);
	size_t k = 0, tl = 0;
	for (uint32_t ri = n->rrset_first; ri < n->rrset_first + n->nrrsets; ri++)
		if (rs[ri].tmpl_len) {
			k++;
			tl += rs[ri].tmpl_len;
		}
	*ntypes = (unsigned)k; // at most nrrsets: fits the entry's 16 bits
	if (k == 0)
		return 0;
	return align8(dns_image_lane_types_at(dns_name_length(img + n->name_off)) +
		      k * sizeof(struct dns_image_lane_type) + tl);
}

// Node i's entry, if it has one, written at img + at (its final place,
// whatever buffer holds it: ent is where it is written), its templates
// taken from src, the image as it is; returns the size, 0 for none.
static size_t lane_entry(const uint8_t *src, uint32_t i, uint8_t *ent, size_t at)
{
	const struct dns_image_node *n = &dns_image_nodes(src)[i];
	const struct dns_image_rrset *rs = dns_image_rrsets(src);
	unsigned k;
	size_t sz = lane_entry_size(src, i, &k), nl = dns_name_length(src + n->name_off);
	if (sz == 0)
		return 0;
	struct dns_image_lane *e = (struct dns_image_lane *)ent;
	*e = (struct dns_image_lane){
		.node = i,
		.zone = n->zone,
		.parent_zone = n->parent_zone,
		.name_len = (uint8_t)nl,
		.ntypes = (uint16_t)k,
	};
	memcpy(ent + sizeof(*e), src + n->name_off, nl);
	size_t tpos = dns_image_lane_types_at(nl);
	struct dns_image_lane_type *t = (struct dns_image_lane_type *)(ent + tpos);
	size_t op = tpos + k * sizeof(*t);
	for (uint32_t ri = n->rrset_first; ri < n->rrset_first + n->nrrsets; ri++) {
		const struct dns_image_rrset *r = &rs[ri];
		if (!r->tmpl_len)
			continue;
		*t++ = (struct dns_image_lane_type){
			.type = r->type,
			.tmpl_len = r->tmpl_len,
			.tmpl_an = r->tmpl_an,
			.tmpl_ns = r->tmpl_ns,
			.tmpl_ar = r->tmpl_ar,
			.tmpl_sum = r->tmpl_sum,
			.rrset = ri,
			.tmpl_off = (uint32_t)(at + op),
		};
		memcpy(ent + op, src + r->tmpl_off, r->tmpl_len);
		op += r->tmpl_len;
	}
	return sz;
}

// The template index (dns_image.h) in place of the RRsets' templates,
// which dns_image_add_templates left last, from tmpl_from on: each moves
// into its owner's entry, its RRset pointing there. 0, or -1 with errno.
static int add_lane(uint8_t **imgp, size_t *sizep, size_t tmpl_from)
{
	uint8_t *img = *imgp, *ents = NULL;
	uint32_t nn = dns_image_hdr(img)->nnodes;
	size_t nent = 0, bytes = 0;
	unsigned k;
	for (uint32_t i = 0; i < nn; i++) {
		size_t sz = lane_entry_size(img, i, &k);
		nent += sz != 0;
		bytes += sz;
	}
	if (nent == 0)
		return 0;
	uint64_t nslots = 16;
	while (nslots < 2 * (uint64_t)nent) // at most half used: every probe ends
		nslots <<= 1;
	size_t slots_off = align8(tmpl_from);
	size_t ent_off = align8(slots_off + nslots * sizeof(struct dns_image_lane_slot));
	size_t total = align8(ent_off + bytes);
	if (total > UINT32_MAX || nslots > UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	// the entries made aside (the templates they take lie where they go)
	ents = calloc(1, bytes);
	if (!ents) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0, at = 0; i < nn; i++)
		at += lane_entry(img, (uint32_t)i, ents + at, ent_off + at);
	uint8_t *ni = realloc(img, total > *sizep ? total : *sizep);
	if (!ni) {
		free(ents);
		errno = ENOMEM;
		return -1;
	}
	img = ni;
	*imgp = img;
	memset(img + slots_off, 0, ent_off - slots_off);
	memcpy(img + ent_off, ents, bytes);
	free(ents);
	const struct dns_image_node *nodes = dns_image_nodes(img);
	struct dns_image_rrset *rs =
		(struct dns_image_rrset *)(img + dns_image_hdr(img)->rrsets_off);
	struct dns_image_lane_slot *slots = (struct dns_image_lane_slot *)(img + slots_off);
	uint32_t mask = (uint32_t)nslots - 1;
	for (size_t at = ent_off; at < ent_off + bytes;) {
		const struct dns_image_lane *e = (const struct dns_image_lane *)(img + at);
		const struct dns_image_lane_type *t = dns_image_lane_types(e);
		for (unsigned j = 0; j < e->ntypes; j++)
			rs[t[j].rrset].tmpl_off = t[j].tmpl_off;
		uint32_t hash = nodes[e->node].hash, b = hash & mask;
		while (slots[b].entry)
			b = (b + 1) & mask;
		slots[b] = (struct dns_image_lane_slot){.hash = hash, .entry = (uint32_t)at};
		at += lane_entry_size(img, e->node, &k);
	}
	struct dns_image_hdr *wh = (struct dns_image_hdr *)img;
	wh->nlane = (uint32_t)nslots;
	wh->lane_off = (uint32_t)slots_off;
	wh->size = (uint32_t)total;
	if (total < *sizep && (ni = realloc(img, total)) != NULL) // the templates' old room
		*imgp = ni;
	*sizep = total;
	return 0;
}

// A big image moved to memory the kernel may back with huge pages
// (transparent huge pages, where the system allows them for a region that
// asks): the workers' lookups touch scattered lines of it, and on 4 KiB
// pages a hot set of a few thousand names misses the TLB on most of them
// (dns-fastpath, before the template index: 2 MiB pages took a 25 MB
// image's template hits from 268 to 237 TSC cycles a query). Still
// free()'s to free.
// Where the move fails, the image stays where it is.
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN  (HUGE_PAGE / 2)

static uint8_t *settle(uint8_t *img, size_t size)
{
	void *p = NULL;
	size_t room = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (size < HUGE_MIN || posix_memalign(&p, HUGE_PAGE, room) != 0)
		return img;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, room, MADV_HUGEPAGE); // before the first touch; advice only
#endif
	memcpy(p, img, size);
	free(img);
	return p;
}

void *dns_image_compile(struct dns_zone *const *zones_in, size_t nzones, size_t *size)
{
	struct dns_zone **zones = NULL;
	struct cnode *cn = NULL;
	uint8_t *img = NULL;
	size_t ncn = 0, capcn = 0;

	errno = 0;
	// Only whole zones: a zone whose load failed has nothing to compile, and
	// an image of part of a zone set would serve wrong answers.
	if (!nzones || !zones_in || !size)
		goto invalid;
	for (size_t i = 0; i < nzones; i++) {
		if (!zones_in[i] || !dns_zone_loaded(zones_in[i]) ||
		    dns_zone_class(zones_in[i]) != dns_zone_class(zones_in[0]))
			goto invalid;
		for (size_t k = 0; k < i; k++)
			if (dns_name_equal(dns_zone_apex(zones_in[i]), dns_zone_apex(zones_in[k])))
				goto invalid;
	}
	// Zones side by side (no apex at or under another's) lie in disjoint
	// subtrees: taken in canonical order of their apexes, each one's owners
	// in canonical order with its empty non-terminals slotted in give the
	// whole image in canonical order, with no sort. Nested zones are sorted.
	bool nested = false;
	for (size_t i = 0; i < nzones && !nested; i++)
		for (size_t k = 0; k < i && !nested; k++)
			nested = dns_name_is_subdomain(dns_zone_apex(zones_in[i]), dns_zone_apex(zones_in[k])) ||
				 dns_name_is_subdomain(dns_zone_apex(zones_in[k]), dns_zone_apex(zones_in[i]));
	zones = malloc(nzones * sizeof(*zones));
	if (!zones)
		goto fail;
	memcpy(zones, zones_in, nzones * sizeof(*zones));
	qsort(zones, nzones, sizeof(*zones), nested ? apex_cmp : apex_canon_cmp);

	// Every owner, and every ancestor of it up to its apex (ENTs).
	for (size_t zi = 0; zi < nzones; zi++) {
		size_t n;
		const struct dns_zone_rrset *s = dns_zone_rrsets(zones[zi], &n);
		int apex_labels = dns_name_labels(dns_zone_apex(zones[zi]));
		const uint8_t *prev = NULL;
		int lprev = 0;
		for (size_t i = 0; i < n;) {
			size_t j = i;
			while (j < n && dns_name_equal(s[j].owner, s[i].owner))
				j++;
			const uint8_t *o = s[i].owner;
			int labels = dns_name_labels(o);
			// From the apex down: an ancestor the previous owner shares
			// is in already (a subtree is contiguous in canonical order),
			// so only the ancestors below the common one are new.
			bool shared = !nested && prev;
			for (int d = apex_labels; d <= labels; d++) {
				const uint8_t *a = dns_name_skip_labels(o, labels - d);
				if (shared && d < labels && d <= lprev &&
				    dns_name_equal(a, dns_name_skip_labels(prev, lprev - d)))
					continue;
				shared = false;
				struct cnode *t = dns_grow(cn, &capcn, ncn + 1, sizeof(*cn), 1024);
				if (!t)
					goto fail;
				cn = t;
				cn[ncn++] = (struct cnode){
					.name = a,
					.zone = (uint32_t)zi,
					.sets = d == labels ? &s[i] : NULL,
					.nsets = d == labels ? (uint16_t)(j - i) : 0,
				};
			}
			prev = o;
			lprev = labels;
			i = j;
		}
	}
	if (nested)
		qsort(cn, ncn, sizeof(*cn), cnode_cmp);

	// Keep one node per name: the one from the zone that owns the name (the
	// deepest apex above it). A parent's data at or below a child apex it
	// also serves is shadowed by the child's; a name only the parent has
	// there does not exist in the child and gets no node.
	size_t nn = 0, nrrsets = 0, nrecords = 0, names_len = 0, rdata_len = 0;
	for (size_t i = 0, j; i < ncn; i = j) {
		uint32_t oz = nested ? owner_zone(zones, nzones, cn[i].name) : cn[i].zone;
		const struct cnode *pick = NULL;
		// cnode_cmp puts real data before ENTs, so the first entry of
		// the owning zone is its best
		for (j = i; j < ncn && dns_name_equal(cn[j].name, cn[i].name); j++)
			if (!pick && cn[j].zone == oz)
				pick = &cn[j];
		if (!pick)
			continue;
		struct cnode c = *pick;
		c.pds = NULL;
		c.pzone = DNS_IMAGE_NONE;
		// a child apex: the deepest other zone holding this name is its
		// parent (entries of deeper zones sort first among equal names)
		if (nested && dns_name_equal(c.name, dns_zone_apex(zones[c.zone]))) {
			for (size_t k = i; k < j; k++) {
				if (cn[k].zone == oz)
					continue;
				if (c.pzone == DNS_IMAGE_NONE || cn[k].zone > c.pzone)
					c.pzone = cn[k].zone;
			}
			for (size_t k = i; k < j; k++)
				for (uint16_t r = 0; cn[k].zone == c.pzone && r < cn[k].nsets; r++)
					if (cn[k].sets[r].type == DNS_TYPE_DS)
						c.pds = &cn[k].sets[r];
		}
		cn[nn++] = c;
		names_len += dns_name_length(c.name);
		nrrsets += c.nsets + (c.pds != NULL);
		for (uint16_t k = 0; k <= c.nsets; k++) {
			const struct dns_zone_rrset *rs = k < c.nsets ? &c.sets[k] : c.pds;
			if (!rs)
				continue;
			nrecords += rs->count;
			for (uint16_t r = 0; r < rs->count; r++)
				rdata_len += 2 + rs->rdlen[r];
		}
	}

	uint32_t nbuckets = 16;
	while (nbuckets < 4 * nn) // load ≤ 25%: most lookups end in their first bucket
		nbuckets <<= 1;
	size_t off = align8(sizeof(struct dns_image_hdr));
	size_t zones_off = off;
	off = align8(off + nzones * sizeof(struct dns_image_zone));
	size_t nodes_off = off;
	off = align8(off + nn * sizeof(struct dns_image_node));
	size_t rrsets_off = off;
	off = align8(off + nrrsets * sizeof(struct dns_image_rrset));
	size_t buckets_off = off;
	off = align8(off + (size_t)nbuckets * 4);
	size_t names_off = off;
	off += names_len;
	size_t rdata_off = off;
	off = align8(off + rdata_len);
	if (off > UINT32_MAX) {
		errno = EFBIG;
		goto fail;
	}
	img = calloc(1, off);
	if (!img)
		goto fail;

	struct dns_image_hdr *h = (struct dns_image_hdr *)img;
	*h = (struct dns_image_hdr){
		.magic = DNS_IMAGE_MAGIC,
		.version = DNS_IMAGE_VERSION,
		.size = (uint32_t)off,
		.nzones = (uint32_t)nzones,
		.zones_off = (uint32_t)zones_off,
		.nnodes = (uint32_t)nn,
		.nodes_off = (uint32_t)nodes_off,
		.nrrsets = (uint32_t)nrrsets,
		.rrsets_off = (uint32_t)rrsets_off,
		.nbuckets = nbuckets,
		.buckets_off = (uint32_t)buckets_off,
		.hash_seed = 0x9e3779b9u,
		.nrecords = (uint32_t)nrecords,
	};
	struct dns_image_node *nodes = (struct dns_image_node *)(img + nodes_off);
	struct dns_image_rrset *rs = (struct dns_image_rrset *)(img + rrsets_off);
	uint32_t *buckets = (uint32_t *)(img + buckets_off);
	size_t np = names_off, rp = rdata_off, ri = 0;

	for (size_t i = 0; i < nn; i++) {
		const struct cnode *c = &cn[i];
		size_t nl = dns_name_length(c->name);
		memcpy(img + np, c->name, nl);
		dns_name_to_lower(img + np);
		struct dns_image_node *n = &nodes[i];
		*n = (struct dns_image_node){
			.name_off = (uint32_t)np,
			.hash = dns_name_hash(img + np, h->hash_seed),
			.zone = c->zone,
			.parent = DNS_IMAGE_NONE,
			.wildcard = DNS_IMAGE_NONE,
			.cut = DNS_IMAGE_NONE,
			.rrset_first = (uint32_t)ri,
			.nrrsets = (uint16_t)(c->nsets + (c->pds != NULL)),
			.flags = c->nsets ? 0 : DNS_NODE_ENT,
			.parent_zone = c->pzone,
		};
		np += nl;
		bool apex = dns_name_equal(c->name, dns_zone_apex(zones[c->zone]));
		if (apex)
			n->flags |= DNS_NODE_APEX;
		for (uint16_t k = 0; k <= c->nsets; k++) {
			const struct dns_zone_rrset *s = k < c->nsets ? &c->sets[k] : c->pds;
			if (!s)
				continue;
			size_t start = rp;
			for (uint16_t r = 0; r < s->count; r++) {
				img[rp] = (uint8_t)(s->rdlen[r] >> 8);
				img[rp + 1] = (uint8_t)s->rdlen[r];
				memcpy(img + rp + 2, s->rdata[r], s->rdlen[r]);
				rp += 2 + s->rdlen[r];
			}
			rs[ri] = (struct dns_image_rrset){
				.type = s->type,
				.count = s->count,
				.ttl = s->ttl,
				.rdata_off = (uint32_t)start,
				.rdata_len = (uint32_t)(rp - start),
				.node = (uint32_t)i,
				.rrsig = DNS_IMAGE_NONE,
			};
			if (s->type == DNS_TYPE_NS && !apex)
				n->flags |= DNS_NODE_DELEG;
			else if (s->type == DNS_TYPE_CNAME)
				n->flags |= DNS_NODE_CNAME;
			else if (s->type == DNS_TYPE_DNAME)
				n->flags |= DNS_NODE_DNAME;
			ri++;
		}
		uint32_t mask = nbuckets - 1;
		uint32_t b = n->hash & mask;
		while (buckets[b])
			b = (b + 1) & mask;
		buckets[b] = (uint32_t)i + 1;
	}

	// Parents, wildcards, cuts: parents sort before children (canonical
	// order), so one pass in node order sees every parent done.
	for (size_t i = 0; i < nn; i++) {
		struct dns_image_node *n = &nodes[i];
		const uint8_t *name = img + n->name_off;
		if (!(n->flags & DNS_NODE_APEX) && name[0]) {
			n->parent = dns_image_find(img, dns_name_skip_labels(name, 1));
			if (n->parent != DNS_IMAGE_NONE) {
				struct dns_image_node *p = &nodes[n->parent];
				if (p->flags & (DNS_NODE_DELEG | DNS_NODE_BELOW_CUT))
					n->flags |= DNS_NODE_BELOW_CUT;
				n->cut = p->cut;
				// RFC 4592 §2.2.1: a wildcard synthesises only above cuts
				if (name[0] == 1 && name[1] == '*' &&
				    !(n->flags & DNS_NODE_BELOW_CUT)) {
					p->flags |= DNS_NODE_WILDCARD;
					p->wildcard = (uint32_t)i;
				}
			}
		}
		if (n->flags & DNS_NODE_DELEG && n->cut == DNS_IMAGE_NONE)
			n->cut = (uint32_t)i;
	}

	struct dns_image_zone *zt = (struct dns_image_zone *)(img + zones_off);
	for (size_t zi = 0; zi < nzones; zi++) {
		uint32_t apex = dns_image_find(img, dns_zone_apex(zones[zi]));
		uint32_t soa = apex == DNS_IMAGE_NONE
				       ? DNS_IMAGE_NONE
				       : dns_image_node_rrset(img, apex, DNS_TYPE_SOA);
		if (soa == DNS_IMAGE_NONE) {
			errno = EINVAL; // dns_zone_load_* guarantees an apex SOA
			goto fail;
		}
		const struct dns_image_rrset *s = &rs[soa];
		// MINIMUM is the last 32 bits of the SOA rdata (RFC 1035 §3.3.13)
		const uint8_t *rd = img + s->rdata_off + 2;
		uint16_t rl = (uint16_t)((img[s->rdata_off] << 8) | img[s->rdata_off + 1]);
		uint32_t minimum =
			rl >= 4 ? ((uint32_t)rd[rl - 4] << 24 | (uint32_t)rd[rl - 3] << 16 |
				   (uint32_t)rd[rl - 2] << 8 | rd[rl - 1])
				: 0;
		zt[zi] = (struct dns_image_zone){
			.apex = apex,
			.soa = soa,
			.neg_ttl = s->ttl < minimum ? s->ttl : minimum, // RFC 2308 §5
			.rclass = dns_zone_class(zones[zi]),
		};
	}

	free(zones);
	zones = NULL;
	free(cn);
	cn = NULL;
	// Response templates last: they are made by answering from this image.
	size_t tmpl_from;
	if (dns_image_add_templates(&img, &off, &tmpl_from) < 0 ||
	    add_lane(&img, &off, tmpl_from) < 0)
		goto fail;
	*size = off;
	return settle(img, off);
invalid:
	errno = EINVAL;
fail:
	if (errno == 0)
		errno = ENOMEM;
	free(zones);
	free(cn);
	free(img);
	return NULL;
}

static bool aligned(uint64_t off, uint64_t a)
{
	return off % a == 0;
}

// Bounds of one array: count elements of size bytes at off, inside the image.
static bool array_ok(uint64_t off, uint64_t count, uint64_t size, uint64_t image_size)
{
	return aligned(off, 8) && off >= sizeof(struct dns_image_hdr) &&
	       off + count * size <= image_size;
}

// A pointer-shifting template at off (0: none) lies inside the image, and
// so do the pointer words it lists.
static bool ptmpl_ok(const void *image, size_t size, uint32_t off)
{
	if (off == 0)
		return true;
	if (!aligned(off, 8) || (uint64_t)off + sizeof(struct dns_image_ptmpl) > size)
		return false;
	const struct dns_image_ptmpl *t = (const struct dns_image_ptmpl *)dns_image_at(image, off);
	uint64_t end = (uint64_t)off + sizeof(*t) + 2 * (uint64_t)t->nptr + t->len;
	if (end > size || t->base_len == 0 || t->base_len > DNS_NAME_MAXLEN)
		return false;
	const uint8_t *ptr = dns_image_at(image, off) + sizeof(*t);
	for (uint16_t i = 0; i < t->nptr; i++) {
		uint16_t at;
		memcpy(&at, ptr + 2 * i, 2);
		if ((uint32_t)at + 2 > t->len)
			return false;
	}
	return true;
}

// A node's own fields; its name is readable afterwards.
static int check_node(const void *image, size_t size, uint32_t i)
{
	const struct dns_image_hdr *h = dns_image_hdr(image);
	const struct dns_image_node *n = &dns_image_nodes(image)[i];
	size_t pos = n->name_off;
	// the name lies inside the image, with no pointer
	if (n->name_off >= size || dns_name_unpack_flat(image, size, &pos, NULL) < 0)
		return DNS_EINVAL;
	if (n->hash != dns_name_hash(dns_image_at(image, n->name_off), h->hash_seed) ||
	    n->zone >= h->nzones || (uint64_t)n->rrset_first + n->nrrsets > h->nrrsets)
		return DNS_EINVAL;
	// Links point only one way through canonical order (parent and cut
	// before, wildcard child after), so a walk along them always ends.
	if ((n->parent != DNS_IMAGE_NONE && n->parent >= i) ||
	    (n->cut != DNS_IMAGE_NONE && n->cut > i) ||
	    (n->wildcard != DNS_IMAGE_NONE && (n->wildcard <= i || n->wildcard >= h->nnodes)) ||
	    !ptmpl_ok(image, size, n->ref_tmpl) ||
	    (n->parent_zone != DNS_IMAGE_NONE &&
	     (n->parent_zone >= h->nzones || !(n->flags & DNS_NODE_APEX))))
		return DNS_EINVAL;
	const struct dns_image_rrset *rs = dns_image_rrsets(image);
	for (uint32_t k = n->rrset_first; k < n->rrset_first + n->nrrsets; k++)
		if (rs[k].node != i)
			return DNS_EINVAL;
	return 0;
}

// Once every name is readable: the index finds each node by its name, and
// a wildcard link names a child "*".
static int check_node_links(const void *image, uint32_t i)
{
	const struct dns_image_node *nodes = dns_image_nodes(image);
	const struct dns_image_node *n = &nodes[i];
	if (dns_image_find(image, dns_image_at(image, n->name_off)) != i)
		return DNS_EINVAL;
	if (n->wildcard != DNS_IMAGE_NONE) {
		const uint8_t *w = dns_image_at(image, nodes[n->wildcard].name_off);
		if (nodes[n->wildcard].parent != i || w[0] != 1 || w[1] != '*')
			return DNS_EINVAL;
	}
	return 0;
}

uint16_t dns_image_tmpl_sum(const uint8_t *p, size_t n)
{
	uint64_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint64_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint64_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static int check_rrset(const void *image, size_t size, uint32_t i)
{
	const struct dns_image_hdr *h = dns_image_hdr(image);
	const struct dns_image_rrset *s = &dns_image_rrsets(image)[i];
	if ((uint64_t)s->rdata_off + s->rdata_len > size || s->node >= h->nnodes ||
	    (uint64_t)s->tmpl_off + s->tmpl_len > size || !ptmpl_ok(image, size, s->wild_tmpl) ||
	    (s->rrsig != DNS_IMAGE_NONE && s->rrsig >= h->nrrsets))
		return DNS_EINVAL;
	// the dataplane trusts the sum for the checksums it sends
	if (s->tmpl_len && s->tmpl_sum != dns_image_tmpl_sum(dns_image_at(image, s->tmpl_off),
							      s->tmpl_len))
		return DNS_EINVAL;
	// the (length, rdata) list fills rdata_len exactly, each rdata valid
	// for its type (the answer engine reads names out of it)
	uint64_t p = s->rdata_off, end = (uint64_t)s->rdata_off + s->rdata_len;
	for (uint16_t r = 0; r < s->count; r++) {
		if (p + 2 > end)
			return DNS_EINVAL;
		const uint8_t *q = dns_image_at(image, (uint32_t)p);
		uint16_t len = (uint16_t)(q[0] << 8 | q[1]);
		if (p + 2 + len > end || dns_rdata_check(s->type, q + 2, len) < 0)
			return DNS_EINVAL;
		p += 2 + (uint64_t)len;
	}
	return p == end ? 0 : DNS_EINVAL;
}

// The template index: slots inside the image, at most half used; each
// entry inside it and equal to what it copies (its node's name and zones,
// its RRsets' templates), so a lookup through it finds what one through
// the name index finds. After the nodes and RRsets are checked.
static int check_lane(const void *image, size_t size)
{
	const struct dns_image_hdr *h = dns_image_hdr(image);
	if (h->nlane == 0)
		return h->lane_off == 0 ? 0 : DNS_EINVAL;
	if ((h->nlane & (h->nlane - 1)) != 0 ||
	    !array_ok(h->lane_off, h->nlane, sizeof(struct dns_image_lane_slot), size))
		return DNS_EINVAL;
	const struct dns_image_lane_slot *sl = dns_image_lane_slots(image);
	const struct dns_image_node *nodes = dns_image_nodes(image);
	const struct dns_image_rrset *rs = dns_image_rrsets(image);
	uint64_t used = 0;
	for (uint32_t i = 0; i < h->nlane; i++) {
		uint64_t at = sl[i].entry;
		if (at == 0)
			continue;
		used++;
		if (!aligned(at, 8) || at < sizeof(*h) || at + sizeof(struct dns_image_lane) > size)
			return DNS_EINVAL;
		const struct dns_image_lane *e =
			(const struct dns_image_lane *)dns_image_at(image, (uint32_t)at);
		if (e->node >= h->nnodes)
			return DNS_EINVAL;
		const struct dns_image_node *n = &nodes[e->node];
		const uint8_t *name = dns_image_at(image, n->name_off);
		size_t nl = dns_name_length(name);
		uint64_t types = at + dns_image_lane_types_at(nl);
		if (sl[i].hash != n->hash || e->name_len != nl || e->zone != n->zone ||
		    e->parent_zone != n->parent_zone || e->ntypes == 0 ||
		    types + (uint64_t)e->ntypes * sizeof(struct dns_image_lane_type) > size ||
		    memcmp(dns_image_lane_name(e), name, nl) != 0)
			return DNS_EINVAL;
		const struct dns_image_lane_type *t = dns_image_lane_types(e);
		// the template is the RRset's own (whose bounds and sum check_rrset
		// checked): the octets are one copy, here
		for (unsigned k = 0; k < e->ntypes; k++) {
			if (t[k].rrset < n->rrset_first ||
			    t[k].rrset - n->rrset_first >= n->nrrsets)
				return DNS_EINVAL;
			const struct dns_image_rrset *r = &rs[t[k].rrset];
			if (r->tmpl_len == 0 || t[k].type != r->type ||
			    t[k].tmpl_len != r->tmpl_len || t[k].tmpl_an != r->tmpl_an ||
			    t[k].tmpl_ns != r->tmpl_ns || t[k].tmpl_ar != r->tmpl_ar ||
			    t[k].tmpl_sum != r->tmpl_sum || t[k].tmpl_off != r->tmpl_off)
				return DNS_EINVAL;
		}
	}
	return used <= h->nlane / 2 ? 0 : DNS_EINVAL;
}

int dns_image_check(const void *image, size_t size)
{
	const struct dns_image_hdr *h = image;
	// the views read the structures in place: the buffer must be aligned
	if (!image || !aligned((uintptr_t)image, 8) || size < sizeof(*h) ||
	    h->magic != DNS_IMAGE_MAGIC || h->version != DNS_IMAGE_VERSION || h->size != size)
		return DNS_EINVAL;
	if (!array_ok(h->zones_off, h->nzones, sizeof(struct dns_image_zone), size) ||
	    !array_ok(h->nodes_off, h->nnodes, sizeof(struct dns_image_node), size) ||
	    !array_ok(h->rrsets_off, h->nrrsets, sizeof(struct dns_image_rrset), size) ||
	    !array_ok(h->buckets_off, h->nbuckets, 4, size))
		return DNS_EINVAL;
	// a power of two, at most half full, so every probe sequence meets an
	// empty bucket
	if (h->nbuckets == 0 || (h->nbuckets & (h->nbuckets - 1)) != 0 ||
	    h->nbuckets < 2 * (uint64_t)h->nnodes)
		return DNS_EINVAL;
	const uint32_t *b = (const uint32_t *)dns_image_at(image, h->buckets_off);
	uint64_t used = 0;
	for (uint32_t i = 0; i < h->nbuckets; i++) {
		if (b[i] > h->nnodes)
			return DNS_EINVAL;
		used += b[i] != 0;
	}
	if (used != h->nnodes)
		return DNS_EINVAL;
	for (uint32_t i = 0; i < h->nrrsets; i++)
		if (check_rrset(image, size, i) < 0)
			return DNS_EINVAL;
	for (uint32_t i = 0; i < h->nnodes; i++)
		if (check_node(image, size, i) < 0)
			return DNS_EINVAL;
	for (uint32_t i = 0; i < h->nnodes; i++)
		if (check_node_links(image, i) < 0)
			return DNS_EINVAL;
	const struct dns_image_zone *z = dns_image_zones(image);
	const struct dns_image_node *nodes = dns_image_nodes(image);
	const struct dns_image_rrset *rs = dns_image_rrsets(image);
	for (uint32_t i = 0; i < h->nzones; i++)
		if (z[i].apex >= h->nnodes || z[i].soa >= h->nrrsets ||
		    !ptmpl_ok(image, size, z[i].neg_tmpl) ||
		    nodes[z[i].apex].zone != i || !(nodes[z[i].apex].flags & DNS_NODE_APEX) ||
		    rs[z[i].soa].type != DNS_TYPE_SOA || rs[z[i].soa].node != z[i].apex)
			return DNS_EINVAL;
	return check_lane(image, size);
}
