/* SPDX-License-Identifier: BSD-3-Clause */
// The compiled zone image: one contiguous, position-independent, read-only
// buffer holding a whole zone set, so the control plane can publish it to
// workers by pointer swap (RCU) and, later, write it to disk and map it.
// Every reference inside is a 32-bit offset from the image start or an index
// into one of its arrays; nothing in it is a pointer.
//
// Layout (all arrays 8-byte aligned):
//   header | zones[] | nodes[] | rrsets[] | hash buckets[] | names | rdata |
//   pointer-shifting templates | template index slots[] | its entries (with
//   the RRsets' templates)
//
// Owner names are indexed by a case-insensitive hash (open addressing,
// power-of-two buckets, load ≤ 50%), so a lookup of an exact name is one
// hash and usually one probe. Every ancestor of an owner up to its apex has
// a node (empty non-terminals get one with no RRsets), so the closest
// encloser of any name is found by stripping labels, and wildcards,
// delegation points and DNAMEs are node flags: nothing is found by scanning.
//
// Each RRset has room for a precompiled response template (tmpl_*; 0 until
// the answer engine builds them). The template index repeats, for each
// owner with templates, its name and its templates side by side in one
// entry, found through hash slots of its own: the workers' lookup of a
// template hit reads a slot and an entry, two or three cache lines, where
// the name index, node, name, RRsets and template take six or seven (at a
// few thousand hot names those lines come from L3, and their number sets
// the lookup's time). DNSSEC room: an RRset may name the RRSIG
// RRset covering it (rrsig), and nodes keep canonical order (node index
// order) for NSEC chains.
//
// Multi-byte fields are in host order: an image moves between processes and
// files of one machine, not across architectures (the magic tells).
#ifndef LINERATE_DNS_IMAGE_H
#define LINERATE_DNS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_IMAGE_MAGIC	  0x495a524cu /* "LRZI" little-endian */
#define DNS_IMAGE_VERSION 4
#define DNS_IMAGE_NONE	  UINT32_MAX

enum dns_image_node_flag {
	DNS_NODE_APEX = 1 << 0,	     // zone apex (SOA here)
	DNS_NODE_DELEG = 1 << 1,     // NS below the apex: a zone cut
	DNS_NODE_BELOW_CUT = 1 << 2, // strictly below a cut: glue only, never answered
	DNS_NODE_WILDCARD = 1 << 3,  // has a child "*" (index in node.wildcard)
	DNS_NODE_CNAME = 1 << 4,
	DNS_NODE_DNAME = 1 << 5,
	DNS_NODE_ENT = 1 << 6, // empty non-terminal
};

struct dns_image_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t size; // bytes in the image
	uint32_t nzones;
	uint32_t zones_off;
	uint32_t nnodes;
	uint32_t nodes_off;
	uint32_t nrrsets;
	uint32_t rrsets_off;
	uint32_t nbuckets;    // power of two
	uint32_t buckets_off; // uint32 node index + 1 per bucket, 0 empty
	uint32_t hash_seed;
	uint32_t nrecords;
	uint32_t nlane;	   // template index slots: a power of two at most half used, or 0
	uint32_t lane_off; // struct dns_image_lane_slot per slot
	uint32_t reserved;
};

struct dns_image_zone {
	uint32_t apex;	  // node index
	uint32_t soa;	  // rrset index of the apex SOA
	uint32_t neg_ttl; // RFC 2308 §5: min(SOA TTL, SOA MINIMUM)
	uint16_t rclass;
	uint16_t reserved;
	uint32_t neg_tmpl; // NXDOMAIN/NODATA authority (struct dns_image_ptmpl), 0 none
	uint32_t reserved2;
};

struct dns_image_node {
	uint32_t name_off;    // lower-cased wire name
	uint32_t hash;	      // dns_name_hash(name, hdr.hash_seed)
	uint32_t zone;	      // zone index
	uint32_t parent;      // parent node, DNS_IMAGE_NONE at an apex
	uint32_t wildcard;    // child "*" node, DNS_IMAGE_NONE if none
	uint32_t cut;	      // nearest delegation at or above, DNS_IMAGE_NONE if none
	uint32_t rrset_first; // rrsets of this owner: [rrset_first, rrset_first + nrrsets)
	uint16_t nrrsets;
	uint16_t flags;	   // enum dns_image_node_flag
	uint32_t ref_tmpl; // at a delegation: the referral (struct dns_image_ptmpl), 0 none
	// At a zone apex whose parent zone is in the image too: that zone, whose
	// DS RRset here (if any) is among this node's RRsets and answers DS
	// queries (RFC 4035 §3.1.4.1). DNS_IMAGE_NONE otherwise.
	uint32_t parent_zone;
};

struct dns_image_rrset {
	uint16_t type;
	uint16_t count;
	uint32_t ttl;
	uint32_t rdata_off; // count × (u16 length, rdata) in canonical order
	uint32_t rdata_len;
	uint32_t tmpl_off; // response template (dns_answer.h), 0 when none
	uint16_t tmpl_len;
	uint16_t tmpl_an; // records the template puts in each section
	uint16_t tmpl_ns;
	uint16_t tmpl_ar;
	// The template's Internet checksum sum (RFC 1071, folded, not
	// complemented, of its octets as 16-bit big-endian words from an even
	// offset): the dataplane's UDP checksum of a response adds it instead
	// of summing the copied octets again.
	uint16_t tmpl_sum;
	uint16_t reserved;
	uint32_t node;	// owner node
	uint32_t rrsig; // covering RRSIG rrset (DNSSEC, later), DNS_IMAGE_NONE
	uint32_t wild_tmpl; // at a wildcard: the synthesised answer (dns_image_ptmpl), 0 none
};

// The template index (see the top): slots by the owner name's hash
// (linear probing), each pointing at its entry.
struct dns_image_lane_slot {
	uint32_t hash;	// the owner's (dns_image_node.hash)
	uint32_t entry; // struct dns_image_lane at this offset, 0 for an empty slot
};

// An entry, 8-byte aligned: this header, the owner's lower-cased wire name
// (name_len octets), padding to 4, ntypes struct dns_image_lane_type, then
// their templates' octets, the only copy (the RRsets' tmpl_off point
// here). What a template answer needs, copied from the node and its
// RRsets (dns_image_check holds them equal).
struct dns_image_lane {
	uint32_t node;
	uint32_t zone;	      // the node's
	uint32_t parent_zone; // the node's
	uint8_t name_len;     // 1 to 255
	uint8_t reserved;
	uint16_t ntypes; // its RRsets with a template
};

struct dns_image_lane_type {
	uint16_t type;
	uint16_t tmpl_len;
	uint16_t tmpl_an;
	uint16_t tmpl_ns;
	uint16_t tmpl_ar;
	uint16_t tmpl_sum;
	uint32_t rrset;	   // its index
	uint32_t tmpl_off; // the template's octets, in the entry
};

// A template for answers whose names are a suffix of the question's
// (negative answers, referrals, wildcard synthesis): made for a question
// `base`, it serves a question delta = qlen - base length octets longer by
// adding delta to each compression pointer listed. 8-byte aligned in the
// template area: this header, ptr[nptr], then len octets of records.
struct dns_image_ptmpl {
	uint16_t len;
	uint16_t an, ns, ar;
	uint16_t nptr;
	uint16_t base_len; // length of the name it was made for
	// uint16_t ptr[nptr]: offsets of pointer words in the records
	// uint8_t records[len]
};

struct dns_zone;

// Compile loaded zones (dns_zone_set.h) into one image. The zones must be
// distinct apexes of one class; nested zones are allowed (a child zone wins
// for names below its apex). Returns a malloc'd buffer (free with free())
// and its size, or NULL with errno set: EINVAL for no zones, a zone that is
// not loaded (its load failed), mixed classes or a repeated apex; ENOMEM;
// EFBIG past 4 GiB. An image of 1 MiB or more starts on a 2 MiB boundary,
// advised for transparent huge pages: the workers' lookups miss the TLB
// less. Control plane only.
void *dns_image_compile(struct dns_zone *const *zones, size_t nzones, size_t *size);

// Validate an image that did not come from dns_image_compile in this
// process (a file, a mapping, a copy): the buffer is 8-byte aligned and
// h->size long; every array, offset and length lies inside it; every index
// is in range, parent and cut links point backwards and wildcard links
// forwards in node order (walks end); the hash index finds every node and
// has empty buckets; every rdata is valid for its type; each zone's apex
// and SOA agree. After it returns 0 the views and lookups below cannot read
// outside the buffer. O(size). 0 or DNS_EINVAL.
int dns_image_check(const void *image, size_t size);

// Views. The image is trusted (it came from dns_image_compile or passed
// dns_image_check). Safe to call from any thread, no locks.
static inline const struct dns_image_hdr *dns_image_hdr(const void *img)
{
	return (const struct dns_image_hdr *)img;
}

static inline const struct dns_image_node *dns_image_nodes(const void *img)
{
	return (const struct dns_image_node *)((const uint8_t *)img +
					       dns_image_hdr(img)->nodes_off);
}

static inline const struct dns_image_rrset *dns_image_rrsets(const void *img)
{
	return (const struct dns_image_rrset *)((const uint8_t *)img +
						dns_image_hdr(img)->rrsets_off);
}

static inline const struct dns_image_zone *dns_image_zones(const void *img)
{
	return (const struct dns_image_zone *)((const uint8_t *)img +
					       dns_image_hdr(img)->zones_off);
}

static inline const uint8_t *dns_image_at(const void *img, uint32_t off)
{
	return (const uint8_t *)img + off;
}

static inline const struct dns_image_lane_slot *dns_image_lane_slots(const void *img)
{
	return (const struct dns_image_lane_slot *)((const uint8_t *)img +
						    dns_image_hdr(img)->lane_off);
}

// An entry's name and its types; where the types start in an entry whose
// name is name_len octets.
static inline const uint8_t *dns_image_lane_name(const struct dns_image_lane *e)
{
	return (const uint8_t *)(e + 1);
}

static inline size_t dns_image_lane_types_at(size_t name_len)
{
	return sizeof(struct dns_image_lane) + ((name_len + 3) & ~(size_t)3);
}

static inline const struct dns_image_lane_type *dns_image_lane_types(const struct dns_image_lane *e)
{
	return (const struct dns_image_lane_type *)((const uint8_t *)e +
						    dns_image_lane_types_at(e->name_len));
}

// Node of an exact (any case) name, or DNS_IMAGE_NONE.
uint32_t dns_image_find(const void *img, const uint8_t *name);

// The same for a name already lower-cased (dns_name_lower_copy), of len
// octets: the workers' lookup, one hash and usually one probe.
uint32_t dns_image_find_lower(const void *img, const uint8_t *lname, size_t len);

// A name to look up in a burst (dns_image_find_burst): as asked, in any
// letter case, and its hash with the image's hash_seed (dns_name_hash_inline,
// the same for any case); node is the answer.
struct dns_image_key {
	const uint8_t *name;
	uint32_t len;
	uint32_t hash;
	uint32_t node; // out: the node of that exact name, or DNS_IMAGE_NONE
};

// Up to DNS_IMAGE_BURST_MAX lookups at once, their memory loads overlapped
// (prefetched stage by stage): each key's node. The first RRsets of each
// node found are prefetched for the caller. The fast lane's lookup
// (dns_fast_find) of what the template index does not settle.
#define DNS_IMAGE_BURST_MAX 32
void dns_image_find_burst(const void *img, struct dns_image_key *const *keys, unsigned n);

// The rrset of type at node, or DNS_IMAGE_NONE.
uint32_t dns_image_node_rrset(const void *img, uint32_t node, uint16_t type);

// The same with the node and the image's RRsets (dns_image_rrsets) at hand.
static inline uint32_t dns_image_rrset_of(const struct dns_image_node *n,
					  const struct dns_image_rrset *s, uint16_t type)
{
	for (uint32_t i = n->rrset_first; i < n->rrset_first + n->nrrsets; i++)
		if (s[i].type == type)
			return i;
	return DNS_IMAGE_NONE;
}

static inline uint32_t dns_image_node_rrset_inline(const void *img, uint32_t node, uint16_t type)
{
	return dns_image_rrset_of(&dns_image_nodes(img)[node], dns_image_rrsets(img), type);
}

// The RFC 1071 sum of n octets as big-endian 16-bit words (an odd last
// octet the high half of its word), folded and not complemented: what
// dns_image_rrset.tmpl_sum holds for its template.
uint16_t dns_image_tmpl_sum(const uint8_t *p, size_t n);

#endif
