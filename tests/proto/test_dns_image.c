/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_answer.h>
#include <linerate/dns_err.h>
#include <linerate/dns_fast.h>
#include <linerate/dns_image.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#include "zone_test_util.h"

static const char zone_text[] = "$TTL 3600\n"
				"@ SOA ns1 host 1 7200 3600 1209600 300\n"
				"@ NS ns1\n"
				"@ MX 10 mail\n"
				"ns1 A 192.0.2.53\n"
				"www A 192.0.2.1\n"
				"www AAAA 2001:db8::1\n"
				"Mixed.Case TXT \"x\"\n"
				"a.b.c TXT \"under two empty non-terminals\"\n"
				"*.w TXT \"wild\"\n"
				"sub NS ns.sub\n"
				"sub DS 1 8 2 abcd\n"
				"ns.sub A 192.0.2.10\n"
				"alias CNAME www\n"
				"d DNAME example.net.\n";


static void *compile(const char *text, size_t *out_size)
{
	struct dns_zone *z = test_zone("example.", text);
	void *im = dns_image_compile(&z, 1, out_size);
	cr_assert_not_null(im, "%s", strerror(errno));
	dns_zone_free(z);
	return im;
}

// The image of zone_text, compiled before each test of the suite.
static void *img;
static size_t size;

static void setup(void)
{
	img = compile(zone_text, &size);
}

static void teardown(void)
{
	free(img);
	img = NULL;
}

TestSuite(dns_image, .init = setup, .fini = teardown);

static uint32_t find(const void *im, const char *name)
{
	uint8_t n[DNS_NAME_MAXLEN];
	cr_assert_gt(dns_name_from_text(name, strlen(name), NULL, n), 0);
	return dns_image_find(im, n);
}

static const struct dns_image_node *node(const void *im, const char *name)
{
	uint32_t i = find(im, name);
	cr_assert_neq(i, DNS_IMAGE_NONE, "%s not found", name);
	return &dns_image_nodes(im)[i];
}

// What a reader of the image sees for a list of names, as plain values
// (node index, flags, links, first rdata octet of an A RRset), so two images
// can be compared.
#define PROBES 12
static const char *const probe_names[PROBES] = {
	"example.",	"WWW.example.",	   "mixed.case.example.", "MIXED.CASE.EXAMPLE.",
	"c.example.",	"b.c.example.",	   "w.example.",	  "*.w.example.",
	"sub.example.", "ns.sub.example.", "nope.example.",	  "example.com.",
};

struct probe {
	uint32_t node, parent, wildcard, cut, zone;
	uint16_t flags, nrrsets;
	uint32_t a_ttl;
	uint8_t a_last; // last octet of the first A record, 0 if none
};

static void probe(const void *im, struct probe out[PROBES])
{
	memset(out, 0, PROBES * sizeof(*out));
	for (int i = 0; i < PROBES; i++) {
		struct probe *p = &out[i];
		p->node = find(im, probe_names[i]);
		if (p->node == DNS_IMAGE_NONE)
			continue;
		const struct dns_image_node *n = &dns_image_nodes(im)[p->node];
		*p = (struct probe){p->node,  n->parent,  n->wildcard, n->cut, n->zone,
				    n->flags, n->nrrsets, 0,	       0};
		uint32_t a = dns_image_node_rrset(im, p->node, DNS_TYPE_A);
		if (a != DNS_IMAGE_NONE) {
			const struct dns_image_rrset *s = &dns_image_rrsets(im)[a];
			p->a_ttl = s->ttl;
			p->a_last = dns_image_at(im, s->rdata_off)[2 + 3];
		}
	}
}

Test(dns_image, compiled_images_pass_the_check)
{
	cr_assert_eq(dns_image_check(img, size), 0);
	const struct dns_image_hdr *h = dns_image_hdr(img);
	cr_assert_eq(h->size, size);
	cr_assert_eq(h->nzones, 1);
	cr_assert_eq(h->nrecords, 14);
}

Test(dns_image, finds_owner_names_in_any_letter_case)
{
	static const char *const same[][3] = {
		{"www.example.", "WWW.EXAMPLE.", "wWw.ExAmPlE."},
		{"mixed.case.example.", "Mixed.Case.example.", "MIXED.CASE.EXAMPLE."},
		{"example.", "EXAMPLE.", "Example."},
		{"*.w.example.", "*.W.example.", "*.w.EXAMPLE."},
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		uint32_t n = find(img, same[i][0]);
		cr_assert_neq(n, DNS_IMAGE_NONE, "%s", same[i][0]);
		cr_assert_eq(find(img, same[i][1]), n, "%s", same[i][1]);
		cr_assert_eq(find(img, same[i][2]), n, "%s", same[i][2]);
		// names are stored lower-cased, so templates can copy the
		// question's own case
		const uint8_t *stored = dns_image_at(img, dns_image_nodes(img)[n].name_off);
		char text[DNS_NAME_TEXT_MAX];
		dns_name_to_text(stored, text, sizeof(text));
		cr_assert_str_eq(text, same[i][0]);
	}
	static const char *const absent[] = {"nope.example.",  "ww.example.", "example.com.", ".",
					     "x.www.example.", "a.example."};
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		cr_assert_eq(find(img, absent[i]), DNS_IMAGE_NONE, "%s", absent[i]);
}

Test(dns_image, flags_mark_apex_delegations_wildcards_and_ents)
{
	const struct dns_image_node *nodes = dns_image_nodes(img);
	uint32_t apex = find(img, "example.");
	cr_assert_eq(nodes[apex].flags, DNS_NODE_APEX);
	cr_assert_eq(nodes[apex].parent, DNS_IMAGE_NONE);
	cr_assert_eq(dns_image_zones(img)[0].apex, apex);

	// every ancestor up to the apex has a node: empty non-terminals
	const struct dns_image_node *c = node(img, "c.example."), *bc = node(img, "b.c.example.");
	cr_assert_eq(c->flags, DNS_NODE_ENT);
	cr_assert_eq(c->nrrsets, 0);
	cr_assert_eq(bc->flags, DNS_NODE_ENT);
	cr_assert_eq(bc->parent, find(img, "c.example."));
	cr_assert_eq(c->parent, apex);
	cr_assert_eq(node(img, "a.b.c.example.")->flags, 0);

	// a wildcard is known at its parent, here itself an ENT
	const struct dns_image_node *w = node(img, "w.example.");
	cr_assert_eq(w->flags, DNS_NODE_ENT | DNS_NODE_WILDCARD);
	cr_assert_eq(w->wildcard, find(img, "*.w.example."));
	cr_assert_eq(node(img, "www.example.")->wildcard, DNS_IMAGE_NONE);

	// a delegation, and glue below it that knows its cut
	uint32_t sub = find(img, "sub.example.");
	cr_assert_eq(nodes[sub].flags, DNS_NODE_DELEG);
	cr_assert_eq(nodes[sub].cut, sub);
	const struct dns_image_node *glue = node(img, "ns.sub.example.");
	cr_assert_eq(glue->flags, DNS_NODE_BELOW_CUT);
	cr_assert_eq(glue->cut, sub);
	cr_assert_eq(node(img, "www.example.")->cut, DNS_IMAGE_NONE);

	cr_assert_eq(node(img, "alias.example.")->flags, DNS_NODE_CNAME);
	cr_assert_eq(node(img, "d.example.")->flags, DNS_NODE_DNAME);
}

Test(dns_image, rrsets_hold_the_zones_records)
{
	const struct dns_image_rrset *rs = dns_image_rrsets(img);
	uint32_t www = find(img, "www.example.");
	uint32_t a = dns_image_node_rrset(img, www, DNS_TYPE_A);
	cr_assert_neq(a, DNS_IMAGE_NONE);
	cr_assert_eq(rs[a].count, 1);
	cr_assert_eq(rs[a].ttl, 3600);
	cr_assert_eq(rs[a].node, www);
	cr_assert_eq(rs[a].rdata_len, 2 + 4);
	static const uint8_t want[] = {0, 4, 192, 0, 2, 1};
	cr_assert_arr_eq(dns_image_at(img, rs[a].rdata_off), want, sizeof(want));
	cr_assert_neq(dns_image_node_rrset(img, www, DNS_TYPE_AAAA), DNS_IMAGE_NONE);
	cr_assert_eq(dns_image_node_rrset(img, www, DNS_TYPE_MX), DNS_IMAGE_NONE);
	cr_assert_eq(rs[a].rrsig, DNS_IMAGE_NONE);

	// RFC 2308 §5: negative answers live min(SOA TTL, MINIMUM)
	const struct dns_image_zone *z = dns_image_zones(img);
	cr_assert_eq(z->neg_ttl, 300);
	cr_assert_eq(z->rclass, DNS_CLASS_IN);
	cr_assert_eq(rs[z->soa].type, DNS_TYPE_SOA);
}

Test(dns_image, a_copy_at_another_address_works_the_same)
{
	struct probe before[PROBES], after[PROBES];
	probe(img, before);

	void *copy = malloc(size);
	cr_assert_not_null(copy);
	memcpy(copy, img, size);
	// nothing may still point into the original: scribble over it and
	// give it back (ASan reports any later read of it)
	memset(img, 0xa5, size);
	free(img);
	img = NULL;
	cr_assert_eq(dns_image_check(copy, size), 0);
	probe(copy, after);
	cr_assert_arr_eq(after, before, sizeof(before));
	cr_assert_neq(after[1].node, DNS_IMAGE_NONE);
	cr_assert_eq(after[1].a_last, 1);

	// and a second move, into a bigger buffer at an 8-aligned offset
	uint64_t *big = calloc(1, size + 64);
	cr_assert_not_null(big);
	memcpy(big + 3, copy, size);
	free(copy);
	cr_assert_eq(dns_image_check(big + 3, size), 0);
	probe(big + 3, after);
	cr_assert_arr_eq(after, before, sizeof(before));
	// the views read in place: an unaligned copy is refused, not read
	memmove((uint8_t *)big + 4, big + 3, size);
	cr_assert_eq(dns_image_check((uint8_t *)big + 4, size), DNS_EINVAL);
	free(big);
}

// Each row breaks one thing in a structure of a compiled image: the header,
// the zone, or the node (or its first RRset, or its name) of owner.
// LANE_*: the template index's slot of owner, its entry, the entry's first
// type, that type's template.
enum where { HDR, ZONE, NODE, RRSET, BUCKET, NAME, LANE_SLOT, LANE, LANE_TYPE, LANE_TMPL };

struct corruption {
	const char *what;
	enum where where;
	size_t field;  // offset within the structure
	size_t width;  // 1, 2 or 4
	int64_t value; // written, or added when relative
	bool relative;
	const char *owner; // NODE, RRSET, NAME: NULL for www.example.
};

#define F(type, field) offsetof(struct type, field), sizeof(((struct type *)0)->field)

static const struct corruption corruptions[] = {
	{"magic", HDR, F(dns_image_hdr, magic), 1, true},
	{"version", HDR, F(dns_image_hdr, version), 1, true},
	{"size", HDR, F(dns_image_hdr, size), 8, true},
	{"zones past the end", HDR, F(dns_image_hdr, nzones), 1000000, false},
	{"zones offset past the end", HDR, F(dns_image_hdr, zones_off), 0x7ffffff8, false},
	{"zones offset inside the header", HDR, F(dns_image_hdr, zones_off), 0, false},
	{"nodes offset unaligned", HDR, F(dns_image_hdr, nodes_off), 4, true},
	{"one node more", HDR, F(dns_image_hdr, nnodes), 1, true},
	{"one node less", HDR, F(dns_image_hdr, nnodes), -1, true},
	{"rrsets past the end", HDR, F(dns_image_hdr, nrrsets), 0x10000000, false},
	{"buckets not a power of two", HDR, F(dns_image_hdr, nbuckets), -1, true},
	{"no buckets", HDR, F(dns_image_hdr, nbuckets), 0, false},
	{"buckets past the end", HDR, F(dns_image_hdr, buckets_off), 0x40000000, false},
	{"hash seed", HDR, F(dns_image_hdr, hash_seed), 1, true},
	{"zone apex past the nodes", ZONE, F(dns_image_zone, apex), 100000, false},
	{"zone apex not an apex", ZONE, F(dns_image_zone, apex), 1, true},
	{"zone SOA not a SOA", ZONE, F(dns_image_zone, soa), 1, true},
	{"zone SOA past the rrsets", ZONE, F(dns_image_zone, soa), 100000, false},
	{"name past the end", NODE, F(dns_image_node, name_off), 0x7fffffff, false},
	{"name moved", NODE, F(dns_image_node, name_off), 1, true},
	{"hash", NODE, F(dns_image_node, hash), 1, true},
	{"zone index", NODE, F(dns_image_node, zone), 7, false},
	{"parent is itself", NODE, F(dns_image_node, parent), 1, true, "a.b.c.example."},
	{"parent past the nodes", NODE, F(dns_image_node, parent), 100000, false},
	{"wildcard points back", NODE, F(dns_image_node, wildcard), 0, false, "w.example."},
	{"wildcard not a child", NODE, F(dns_image_node, wildcard), 1, true, "w.example."},
	{"cut points forward", NODE, F(dns_image_node, cut), 1, true, "sub.example."},
	{"rrsets past the table", NODE, F(dns_image_node, rrset_first), 100000, false},
	{"one rrset too many", NODE, F(dns_image_node, nrrsets), 1, true},
	{"rdata past the end", RRSET, F(dns_image_rrset, rdata_off), 0x7ffffff0, false},
	{"rdata one octet longer", RRSET, F(dns_image_rrset, rdata_len), 1, true},
	{"one record more", RRSET, F(dns_image_rrset, count), 1, true},
	{"template past the end", RRSET, F(dns_image_rrset, tmpl_off), 0x7ffffff0, false},
	{"owner past the nodes", RRSET, F(dns_image_rrset, node), 100000, false},
	{"owner another node", RRSET, F(dns_image_rrset, node), 1, true},
	{"rrsig past the rrsets", RRSET, F(dns_image_rrset, rrsig), 100000, false},
	{"rdata invalid for its type", RRSET, F(dns_image_rrset, type), DNS_TYPE_AAAA, false},
	{"bucket past the nodes", BUCKET, 0, 4, 100000, false},
	{"bucket emptied", BUCKET, 0, 4, 0, false},
	{"index slots not a power of two", HDR, F(dns_image_hdr, nlane), -1, true},
	{"index slots past the end", HDR, F(dns_image_hdr, lane_off), 0x40000000, false},
	{"index entry past the end", LANE_SLOT, F(dns_image_lane_slot, entry), 0x7ffffff0, false},
	{"index entry unaligned", LANE_SLOT, F(dns_image_lane_slot, entry), 4, true},
	{"index slot's hash", LANE_SLOT, F(dns_image_lane_slot, hash), 1, true},
	{"index entry of another node", LANE, F(dns_image_lane, node), 1, true},
	{"index entry's node past the nodes", LANE, F(dns_image_lane, node), 100000, false},
	{"index entry's zone", LANE, F(dns_image_lane, zone), 1, true},
	{"index entry's parent zone", LANE, F(dns_image_lane, parent_zone), 0, false},
	{"index entry's name length", LANE, F(dns_image_lane, name_len), 1, true},
	{"index entry's name", LANE, sizeof(struct dns_image_lane) + 1, 1, 1, true},
	{"index entry with a type more", LANE, F(dns_image_lane, ntypes), 1, true},
	{"index entry with no type", LANE, F(dns_image_lane, ntypes), 0, false},
	{"index type's RRset", LANE_TYPE, F(dns_image_lane_type, rrset), 1, true},
	{"index type's RRset past the table", LANE_TYPE, F(dns_image_lane_type, rrset), 100000,
	 false},
	{"index type", LANE_TYPE, F(dns_image_lane_type, type), 1, true},
	{"index template's length", LANE_TYPE, F(dns_image_lane_type, tmpl_len), 1, true},
	{"index template's sum", LANE_TYPE, F(dns_image_lane_type, tmpl_sum), 1, true},
	{"index template's counts", LANE_TYPE, F(dns_image_lane_type, tmpl_an), 1, true},
	{"index template past the end", LANE_TYPE, F(dns_image_lane_type, tmpl_off), 0x7ffffff0,
	 false},
	{"index template's octets", LANE_TMPL, 0, 1, 1, true},
	{"label longer than 63", NAME, 0, 1, 64, false},
	{"label runs past the end", NAME, 0, 1, 200, false},
};

static size_t target(const void *im, const struct corruption *c)
{
	const struct dns_image_hdr *h = dns_image_hdr(im);
	uint32_t n = find(im, c->owner ? c->owner : "www.example.");
	switch (c->where) {
	case HDR:
		return 0;
	case ZONE:
		return h->zones_off;
	case NODE:
		return h->nodes_off + (size_t)n * sizeof(struct dns_image_node);
	case RRSET:
		return h->rrsets_off +
		       (size_t)dns_image_nodes(im)[n].rrset_first * sizeof(struct dns_image_rrset);
	case BUCKET: {
		const uint32_t *b = (const uint32_t *)dns_image_at(im, h->buckets_off);
		for (uint32_t i = 0; i < h->nbuckets; i++)
			if (b[i])
				return h->buckets_off + (size_t)i * 4;
		break;
	}
	case NAME:
		return dns_image_nodes(im)[n].name_off;
	case LANE_SLOT:
	case LANE:
	case LANE_TYPE:
	case LANE_TMPL: {
		const struct dns_image_lane_slot *sl = dns_image_lane_slots(im);
		for (uint32_t i = 0; i < h->nlane; i++) {
			const struct dns_image_lane *e =
				(const struct dns_image_lane *)dns_image_at(im, sl[i].entry);
			if (!sl[i].entry || e->node != n)
				continue;
			if (c->where == LANE_SLOT)
				return h->lane_off + (size_t)i * sizeof(*sl);
			if (c->where == LANE)
				return sl[i].entry;
			if (c->where == LANE_TYPE)
				return (size_t)((const uint8_t *)dns_image_lane_types(e) -
						(const uint8_t *)im);
			return dns_image_lane_types(e)[0].tmpl_off;
		}
		break;
	}
	}
	cr_assert_fail("no target");
	return 0;
}

static void poke(uint8_t *p, size_t width, int64_t value, bool relative)
{
	if (width == 1) {
		*p = (uint8_t)(relative ? *p + value : value);
	} else if (width == 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		v = (uint16_t)(relative ? v + value : value);
		memcpy(p, &v, 2);
	} else {
		uint32_t v;
		memcpy(&v, p, 4);
		v = (uint32_t)(relative ? v + value : value);
		memcpy(p, &v, 4);
	}
}

Test(dns_image, check_rejects_corrupted_images)
{
	void *bad = malloc(size);
	cr_assert_not_null(bad);
	for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		const struct corruption *c = &corruptions[i];
		memcpy(bad, img, size);
		poke((uint8_t *)bad + target(img, c) + c->field, c->width, c->value, c->relative);
		cr_assert_neq(memcmp(bad, img, size), 0, "%s: no change", c->what);
		cr_expect_eq(dns_image_check(bad, size), DNS_EINVAL, "%s accepted", c->what);
	}
	free(bad);
}

Test(dns_image, check_rejects_truncated_images)
{
	// Every 8-byte cut, in a buffer of exactly that size (ASan sees a read
	// past it), with the header's size made to agree where there is one.
	for (size_t cut = 0; cut < size; cut += 8) {
		uint8_t *t = malloc(cut ? cut : 1);
		cr_assert_not_null(t);
		memcpy(t, img, cut);
		if (cut >= sizeof(struct dns_image_hdr))
			((struct dns_image_hdr *)t)->size = (uint32_t)cut;
		cr_assert_eq(dns_image_check(t, cut), DNS_EINVAL, "cut at %zu of %zu accepted", cut,
			     size);
		free(t);
	}
	cr_assert_eq(dns_image_check(img, size - 1), DNS_EINVAL);
	cr_assert_eq(dns_image_check(img, size + 8), DNS_EINVAL);
}

// xorshift32: the same "random" corruptions on every run
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define ROUNDS 5000

static void fast_find_all(const void *im);

Test(dns_image, whatever_check_accepts_is_safe_to_walk)
{
	uint8_t *bad = malloc(size);
	cr_assert_not_null(bad);
	uint32_t seed = 0x1234567u;
	int accepted = 0;
	for (int round = 0; round < ROUNDS; round++) {
		memcpy(bad, img, size);
		int flips = 1 + (int)(next_rand(&seed) % 4);
		for (int f = 0; f < flips; f++)
			bad[next_rand(&seed) % size] ^= (uint8_t)(1u << (next_rand(&seed) % 8));
		if (dns_image_check(bad, size) != 0)
			continue;
		accepted++;
		// lookups, rrset scans and parent walks stay inside the buffer
		struct probe p[PROBES];
		probe(bad, p);
		fast_find_all(bad);
		const struct dns_image_hdr *h = dns_image_hdr(bad);
		for (uint32_t n = 0; n < h->nnodes; n++) {
			uint32_t steps = 0;
			for (uint32_t k = n; k != DNS_IMAGE_NONE;
			     k = dns_image_nodes(bad)[k].parent)
				cr_assert_leq(++steps, h->nnodes, "parent walk loops");
			dns_image_node_rrset(bad, n, DNS_TYPE_SOA);
		}
	}
	// flips in rdata bytes and padding can leave a valid image; most break it
	cr_assert_lt(accepted, ROUNDS / 2, "%d of %d corrupted images accepted", accepted, ROUNDS);
	free(bad);
}

Test(dns_image, nested_zones_give_each_name_to_the_deepest_apex)
{
	struct dns_zone *zones[2];
	zones[0] = test_zone("child.example.", "$TTL 60\n"
					  "@ SOA ns host 1 2 3 4 30\n"
					  "@ NS ns\n"
					  "ns A 192.0.2.20\n"
					  "www A 192.0.2.21\n");
	zones[1] = test_zone("example.", "$TTL 60\n"
				    "@ SOA ns host 1 2 3 4 5\n"
				    "@ NS ns\n"
				    "ns A 192.0.2.1\n"
				    "child NS ns.child\n"
				    "ns.child A 192.0.2.20\n"
				    "old.child A 192.0.2.99\n");
	free(img); // the suite's image gives way to this one
	img = dns_image_compile(zones, 2, &size);
	cr_assert_not_null(img);
	dns_zone_free(zones[0]);
	dns_zone_free(zones[1]);
	cr_assert_eq(dns_image_check(img, size), 0);
	cr_assert_eq(dns_image_hdr(img)->nzones, 2);

	const struct dns_image_zone *zt = dns_image_zones(img);
	const struct dns_image_node *parent = node(img, "example."),
				    *child = node(img, "child.example.");
	cr_assert_eq(zt[parent->zone].apex, find(img, "example."));
	cr_assert_eq(zt[child->zone].apex, find(img, "child.example."));
	cr_assert_neq(parent->zone, child->zone);
	// the child's apex is its own, not the parent's delegation
	cr_assert_eq(child->flags, DNS_NODE_APEX);
	cr_assert_eq(child->parent, DNS_IMAGE_NONE);
	cr_assert_eq(node(img, "www.child.example.")->zone, child->zone);
	cr_assert_eq(node(img, "ns.child.example.")->zone, child->zone);
	cr_assert_eq(node(img, "ns.child.example.")->flags, 0);
	// a name only the parent's glue had does not exist in the child
	cr_assert_eq(find(img, "old.child.example."), DNS_IMAGE_NONE);
	cr_assert_eq(zt[child->zone].neg_ttl, 30);
	cr_assert_eq(zt[parent->zone].neg_ttl, 5);
}

Test(dns_image, compile_refuses_repeated_apexes_and_mixed_classes)
{
	struct dns_zone *zones[2];
	const char *text = "@ 60 SOA ns host 1 2 3 4 5\n@ 60 NS ns\n";
	zones[0] = test_zone("example.", text);
	zones[1] = test_zone("EXAMPLE.", text);
	size_t n;
	errno = 0;
	cr_assert_null(dns_image_compile(zones, 2, &n));
	cr_assert_eq(errno, EINVAL);
	dns_zone_free(zones[1]);

	uint8_t apex[DNS_NAME_MAXLEN];
	dns_name_from_text("other.", 6, NULL, apex);
	zones[1] = dns_zone_new(apex, DNS_CLASS_CH);
	struct dns_zone_diag d;
	cr_assert_eq(
		dns_zone_load_text(zones[1], "ch.zone", text, strlen(text), 60, NULL, NULL, &d), 0,
		"%s", d.msg);
	errno = 0;
	cr_assert_null(dns_image_compile(zones, 2, &n));
	cr_assert_eq(errno, EINVAL);
	cr_assert_null(dns_image_compile(zones, 0, &n));
	dns_zone_free(zones[0]);
	dns_zone_free(zones[1]);
}

static void expect_canonical_order(const void *im)
{
	const struct dns_image_hdr *h = dns_image_hdr(im);
	const struct dns_image_node *nodes = dns_image_nodes(im);
	for (uint32_t i = 1; i < h->nnodes; i++)
		cr_assert_lt(dns_name_canon_cmp(dns_image_at(im, nodes[i - 1].name_off),
						dns_image_at(im, nodes[i].name_off)),
			     0, "nodes %u and %u out of canonical order", i - 1, i);
}

Test(dns_image, nodes_are_in_canonical_order_with_their_ents)
{
	expect_canonical_order(img);
	// zones side by side, given in no particular order
	struct dns_zone *zones[3];
	zones[0] = test_zone("b.example.", "$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\nz.y.x A 192.0.2.1\n"
					   "a.x A 192.0.2.2\n*.w TXT \"w\"\n");
	zones[1] = test_zone("a.example.", "$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\nq.r.s.t A 192.0.2.3\n");
	zones[2] = test_zone("example.org.", "$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\n");
	size_t sz;
	void *im = dns_image_compile(zones, 3, &sz);
	cr_assert_not_null(im);
	expect_canonical_order(im);
	// b.example: apex, x, y.x, z.y.x, a.x, w, *.w (x, y.x, w empty);
	// a.example: apex, t, s.t, r.s.t, q.r.s.t; example.org: apex
	cr_assert_eq(dns_image_hdr(im)->nnodes, 7 + 5 + 1);
	cr_assert_eq(dns_image_check(im, sz), 0);
	free(im);
	for (int i = 0; i < 3; i++)
		dns_zone_free(zones[i]);
}

// One query for text/type into pkt (cap octets); its length.
static size_t burst_query(uint8_t *pkt, size_t cap, const char *text, uint16_t type)
{
	uint8_t name[DNS_NAME_MAXLEN];
	struct dns_builder b;
	cr_assert_gt(dns_name_from_text(text, strlen(text), NULL, name), 0, "%s", text);
	cr_assert_eq(dns_builder_init(&b, pkt, cap, cap, 0, 0), 0);
	cr_assert_eq(dns_builder_question(&b, name, type, DNS_CLASS_IN), 0, "%s", text);
	return (size_t)dns_builder_finish(&b);
}

// The fast lane's lookup (dns_fast_find: the burst's stages overlapped,
// the RRset picked in the last) against the one-name lookup and RRset
// scan, over a zone big enough for first-bucket collisions: hosts and
// long names, in any letter case, names that are absent, below a name,
// or one letter off, bursts of 1 to 32.
Test(dns_image, burst_lookup_finds_what_the_one_name_lookup_finds)
{
	enum { HOSTS = 5000, LOOKUPS = 40000 };
	size_t cap = (size_t)HOSTS * 240 + 256, len = 0, isz;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text + len, cap - len,
				"$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n"
				"ns A 192.0.2.1\na A 192.0.2.9\nb TXT x\n");
	for (unsigned i = 0; i < HOSTS; i++) {
		len += (size_t)snprintf(text + len, cap - len, "h%u A 192.0.2.%u\n", i, i % 250);
		if (i % 2)
			len += (size_t)snprintf(text + len, cap - len, "h%u AAAA 2001:db8::%x\n", i,
						i);
		if (i % 5 == 0)
			len += (size_t)snprintf(text + len, cap - len, "h%u TXT t%u\n", i, i);
		if (i % 97 == 0)
			len += (size_t)snprintf(text + len, cap - len,
						"%060u.%060u.%060u.l%u A 192.0.2.3\n", i, i, i, i);
	}
	void *im = compile(text, &isz);
	free(text);
	struct dns_answer_cfg cfg;
	dns_answer_cfg_default(&cfg);
	static uint8_t pkt[DNS_IMAGE_BURST_MAX][DNS_HEADER_LEN + DNS_NAME_MAXLEN + 4];
	static struct dns_fast_query qs[DNS_IMAGE_BURST_MAX];
	struct dns_fast_query *qp[DNS_IMAGE_BURST_MAX];
	static const uint16_t types[] = {DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_TXT, DNS_TYPE_MX};
	const struct dns_image_rrset *rs = dns_image_rrsets(im);
	unsigned m = 0, found = 0, templated = 0, absent = 0;
	uint32_t seed = 11;
	for (unsigned it = 0; it < LOOKUPS; it++) {
		char name[300];
		unsigned h = next_rand(&seed) % (HOSTS + HOSTS / 4), r = next_rand(&seed) % 10;
		if (r < 6)
			snprintf(name, sizeof(name), "h%u.example.", h);
		else if (r < 7)
			snprintf(name, sizeof(name), "%060u.%060u.%060u.l%u.example.", h, h, h, h);
		else if (r < 8)
			snprintf(name, sizeof(name), "%s.example.",
				 next_rand(&seed) % 2 ? "a" : "b");
		else if (r < 9)
			snprintf(name, sizeof(name), "x%u.h%u.example.", h, h);
		else
			snprintf(name, sizeof(name), "h%u%c.example.", h,
				 'a' + next_rand(&seed) % 26);
		for (char *c = name; *c; c++)
			if (*c >= 'a' && *c <= 'z' && next_rand(&seed) % 3 == 0)
				*c = (char)(*c - 'a' + 'A');
		size_t pl = burst_query(pkt[m], sizeof(pkt[m]), name, types[next_rand(&seed) % 4]);
		cr_assert(dns_fast_parse(im, &cfg, pkt[m], pl, &qs[m]), "%s", name);
		qs[m].key.node = qs[m].rrset = 12345; // overwritten, whatever the outcome
		qp[m] = &qs[m];
		if (++m < DNS_IMAGE_BURST_MAX && next_rand(&seed) % 20 != 0)
			continue;
		dns_fast_find(im, qp, m);
		for (unsigned k = 0; k < m; k++) {
			uint32_t node = dns_image_find(im, pkt[k] + DNS_HEADER_LEN),
				 ri = DNS_IMAGE_NONE;
			if (node != DNS_IMAGE_NONE)
				ri = dns_image_node_rrset(im, node, qs[k].qtype);
			if (ri != DNS_IMAGE_NONE && !rs[ri].tmpl_len)
				ri = DNS_IMAGE_NONE;
			cr_assert_eq(qs[k].key.node, node, "node of query %u of a burst of %u", k,
				     m);
			cr_assert_eq(qs[k].rrset, ri, "RRset of query %u of a burst of %u", k, m);
			if (ri != DNS_IMAGE_NONE) { // the template index's copy is the RRset's
				const struct dns_image_rrset *s = &rs[ri];
				cr_assert(qs[k].tmpl_len == s->tmpl_len &&
						  qs[k].tmpl_an == s->tmpl_an &&
						  qs[k].tmpl_ns == s->tmpl_ns &&
						  qs[k].tmpl_ar == s->tmpl_ar &&
						  qs[k].tmpl_sum == s->tmpl_sum &&
						  !memcmp(dns_image_at(im, qs[k].tmpl_off),
							  dns_image_at(im, s->tmpl_off),
							  s->tmpl_len),
					  "template of query %u", k);
				cr_assert_eq(qs[k].zone, dns_image_nodes(im)[node].zone);
			}
			found += node != DNS_IMAGE_NONE;
			templated += ri != DNS_IMAGE_NONE;
			absent += node == DNS_IMAGE_NONE;
		}
		m = 0;
	}
	// every outcome was seen, or the comparison proved little
	cr_assert_gt(found, LOOKUPS / 2);
	cr_assert_gt(templated, LOOKUPS / 8);
	cr_assert_gt(absent, LOOKUPS / 10);
	free(im);
}

// An image of a megabyte or more starts on a 2 MiB boundary (image.c
// settle()), where the kernel can back it with huge pages; it is whole and
// found in as before, and free() frees it.
Test(dns_image, a_big_image_starts_on_a_huge_page_boundary)
{
	enum { HOSTS = 8000 };
	size_t cap = (size_t)HOSTS * 64 + 256, len = 0, isz;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text + len, cap - len, "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n");
	for (unsigned i = 0; i < HOSTS; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"h%u A 192.0.2.%u\nh%u AAAA 2001:db8::%x\n", i, i % 250, i,
					i);
	void *im = compile(text, &isz);
	free(text);
	cr_assert_geq(isz, (size_t)1 << 20, "image of %zu octets: the test needs a bigger zone",
		      isz);
	cr_expect_eq((uintptr_t)im % ((uintptr_t)2 << 20), 0, "image at %p", im);
	cr_expect_eq(dns_image_check(im, isz), 0);
	cr_expect_neq(find(im, "h7999.example."), DNS_IMAGE_NONE);
	cr_expect_neq(find(im, "H0.Example."), DNS_IMAGE_NONE);
	cr_expect_eq(find(im, "h8000.example."), DNS_IMAGE_NONE);
	free(im);
}

// The fast lane's lookup (the template index first) of every probe name,
// in two letter cases, for four types, in one burst: what a worker does
// with an image; under ASan, a read outside it fails the test.
static void fast_find_all(const void *im)
{
	static const uint16_t types[] = {DNS_TYPE_A, DNS_TYPE_AAAA, DNS_TYPE_TXT, DNS_TYPE_MX};
	static uint8_t pkt[DNS_IMAGE_BURST_MAX][DNS_HEADER_LEN + DNS_NAME_MAXLEN + 4];
	static struct dns_fast_query qs[DNS_IMAGE_BURST_MAX];
	struct dns_fast_query *qp[DNS_IMAGE_BURST_MAX];
	struct dns_answer_cfg cfg;
	unsigned m = 0;
	dns_answer_cfg_default(&cfg);
	for (int i = 0; i < PROBES; i++)
		for (unsigned t = 0; t < 4 && m < DNS_IMAGE_BURST_MAX; t++) {
			char name[DNS_NAME_MAXLEN * 4];
			snprintf(name, sizeof(name), "%s", probe_names[i]);
			if (t % 2)
				for (char *c = name; *c; c++)
					*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
			size_t pl = burst_query(pkt[m], sizeof(pkt[m]), name, types[t]);
			if (!dns_fast_parse(im, &cfg, pkt[m], pl, &qs[m]))
				continue;
			qp[m] = &qs[m];
			m++;
		}
	dns_fast_find(im, qp, m);
}
