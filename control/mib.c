/* SPDX-License-Identifier: BSD-3-Clause */
// The MIB table: node records from the parser process compiled into one
// immutable block (header, nodes in OID order, a name index, sub-ids, enum
// items, a string pool; offsets only), and its lookups.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/wire.h>

#include "mib.h"
#include "mib_impl.h"

#define MIB_MAGIC   0x4d494254u // "MIBT"
#define MIB_VERSION 1u
#define MIB_NONE    UINT32_MAX

struct mib_tnode {
	uint32_t oid;	 // index of the first sub-id
	uint32_t qname;	 // pool offset of "MODULE::name" (or the bare root name)
	uint32_t type;	 // pool offset of the type's name ("" if none)
	uint32_t hint;	 // pool offset of its DISPLAY-HINT ("" if none)
	uint32_t parent; // index of the nearest node that is a proper prefix
	uint32_t items;	 // index of the first enum item
	uint16_t oid_len;
	uint16_t n_items;
	uint16_t name; // offset of the bare name within qname
	uint8_t kind;
	uint8_t syntax;
};

struct mib_titem {
	int32_t value;
	uint32_t label; // pool offset
};

// The table is this header followed by its arrays; every reference inside
// is an offset or an index, so the bytes mean the same anywhere.
struct mib_table {
	uint32_t magic;
	uint32_t version;
	uint32_t size;
	uint32_t n_nodes;
	uint32_t off_nodes;  // struct mib_tnode[n_nodes], OID order
	uint32_t off_byname; // uint32_t[n_nodes]: node indices by (name, module)
	uint32_t off_subids; // uint32_t[]
	uint32_t off_items;  // struct mib_titem[]
	uint32_t off_pool;   // NUL-terminated strings; offset 0 is ""
	uint32_t pool_size;
};

// ---- building ----

struct mib_def {
	uint32_t oid;			   // index into subids
	uint32_t module, name, type, hint; // offsets into strs
	uint32_t items;			   // index into items
	uint16_t oid_len;
	uint16_t n_items;
	uint8_t kind, syntax, smiv2;
};

struct mib_item {
	int32_t value;
	uint32_t label; // offset into strs
};

struct mib_builder {
	struct mib_def *defs;
	size_t n_defs, cap_defs;
	uint32_t *subids;
	size_t n_subids, cap_subids;
	struct mib_item *items;
	size_t n_items, cap_items;
	char *strs;
	size_t n_strs, cap_strs;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	if (n > UINT32_MAX / elem)
		return -ENOMEM; // offsets in the table are 32-bit
	void *q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

// Appends s[0..len) and a NUL to a string buffer; *off is where it starts.
static int append_str(char **buf, size_t *n, size_t *cap, const void *s, size_t len,
		      uint32_t *off)
{
	if (grow((void **)buf, cap, *n + len + 1, 1))
		return -ENOMEM;
	*off = (uint32_t)*n;
	memcpy(*buf + *n, s, len);
	(*buf)[*n + len] = '\0';
	*n += len + 1;
	return 0;
}

static int add_str(struct mib_builder *b, const void *s, size_t len, uint32_t *off)
{
	return append_str(&b->strs, &b->n_strs, &b->cap_strs, s, len, off);
}

static int add_root(struct mib_builder *b, const char *name, uint32_t arc)
{
	struct mib_def d = {.kind = MIB_KIND_NODE, .syntax = MIB_SYNTAX_NONE, .smiv2 = 1};
	if (grow((void **)&b->defs, &b->cap_defs, b->n_defs + 1, sizeof(*b->defs)) ||
	    grow((void **)&b->subids, &b->cap_subids, b->n_subids + 1, sizeof(uint32_t)) ||
	    add_str(b, name, strlen(name), &d.name))
		return -ENOMEM;
	d.oid = (uint32_t)b->n_subids;
	d.oid_len = 1;
	b->subids[b->n_subids++] = arc;
	b->defs[b->n_defs++] = d;
	return 0;
}

struct mib_builder *mib_builder_new(void)
{
	struct mib_builder *b = calloc(1, sizeof(*b));
	uint32_t empty;
	// offset 0 of strs is "": the module of the three roots, and "no type"
	if (!b || add_str(b, "", 0, &empty) || add_root(b, "ccitt", 0) || add_root(b, "iso", 1) ||
	    add_root(b, "joint-iso-ccitt", 2)) {
		mib_builder_free(b);
		errno = ENOMEM;
		return NULL;
	}
	return b;
}

void mib_builder_free(struct mib_builder *b)
{
	if (!b)
		return;
	free(b->defs);
	free(b->subids);
	free(b->items);
	free(b->strs);
	free(b);
}

// A str field: u16 length, bytes; no NUL inside, at most MIB_STR_MAX.
static int read_str(struct mib_builder *b, struct wire_cur *c, uint32_t *off, bool need)
{
	uint16_t len = wire_read_u16(c);
	const uint8_t *p = wire_read_view(c, len);
	if (!p || len > MIB_STR_MAX || (need && len == 0) || memchr(p, '\0', len))
		return -EINVAL;
	return add_str(b, p, len, off);
}

int mib_builder_add(struct mib_builder *b, const uint8_t *rec, size_t len)
{
	struct wire_cur c;
	struct mib_def d = {0};
	size_t strs0 = b->n_strs, subids0 = b->n_subids, items0 = b->n_items;
	int rc = -EINVAL;

	wire_cur_init(&c, rec, len);
	d.kind = wire_read_u8(&c);
	d.syntax = wire_read_u8(&c);
	d.smiv2 = wire_read_u8(&c) ? 1 : 0;
	wire_read_u8(&c);
	d.oid_len = wire_read_u16(&c);
	if (c.err || d.kind >= MIB_KIND_COUNT || d.syntax >= MIB_SYNTAX_COUNT || d.oid_len == 0 ||
	    d.oid_len > MIB_OID_MAX || wire_cur_left(&c) < 4u * d.oid_len)
		goto fail;
	if (grow((void **)&b->subids, &b->cap_subids, b->n_subids + d.oid_len, sizeof(uint32_t)))
		goto nomem;
	d.oid = (uint32_t)b->n_subids;
	for (size_t i = 0; i < d.oid_len; i++)
		b->subids[b->n_subids++] = wire_read_u32(&c);
	if ((rc = read_str(b, &c, &d.module, true)) || (rc = read_str(b, &c, &d.name, true)) ||
	    (rc = read_str(b, &c, &d.type, false)) || (rc = read_str(b, &c, &d.hint, false)))
		goto fail;
	d.n_items = wire_read_u16(&c);
	// each item takes at least 6 octets: refuse counts that cannot fit
	if (c.err || d.n_items > MIB_ENUM_MAX || wire_cur_left(&c) < 6u * d.n_items) {
		rc = -EINVAL;
		goto fail;
	}
	if (grow((void **)&b->items, &b->cap_items, b->n_items + d.n_items, sizeof(*b->items)))
		goto nomem;
	d.items = (uint32_t)b->n_items;
	for (size_t i = 0; i < d.n_items; i++) {
		struct mib_item *it = &b->items[b->n_items++];
		it->value = (int32_t)wire_read_u32(&c);
		if ((rc = read_str(b, &c, &it->label, true)))
			goto fail;
	}
	if (c.err || wire_cur_left(&c) != 0) {
		rc = -EINVAL;
		goto fail;
	}
	if (grow((void **)&b->defs, &b->cap_defs, b->n_defs + 1, sizeof(*b->defs)))
		goto nomem;
	b->defs[b->n_defs++] = d;
	return 0;
nomem:
	rc = -ENOMEM;
fail:
	b->n_strs = strs0;
	b->n_subids = subids0;
	b->n_items = items0;
	return rc;
}

static int oid_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

// OID order; for one OID the winner first: SMIv2, then module, then name.
static int def_cmp(const void *pa, const void *pb, void *arg)
{
	const struct mib_builder *b = arg;
	const struct mib_def *x = &b->defs[*(const uint32_t *)pa];
	const struct mib_def *y = &b->defs[*(const uint32_t *)pb];
	int r = oid_cmp(b->subids + x->oid, x->oid_len, b->subids + y->oid, y->oid_len);
	if (r)
		return r;
	if (x->smiv2 != y->smiv2)
		return x->smiv2 ? -1 : 1;
	if ((r = strcmp(b->strs + x->module, b->strs + y->module)))
		return r;
	return strcmp(b->strs + x->name, b->strs + y->name);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct mib_item *x = pa, *y = pb;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->label < y->label ? -1 : x->label > y->label; // first definition wins
}

// What compile() builds before it lays out the table.
struct mib_out {
	char *pool;
	size_t n_pool, cap_pool;
	uint32_t *hash; // pool offsets of interned strings (0: empty slot)
	size_t cap_hash, n_hash;
	struct mib_titem *items;
	size_t n_items, cap_items;
	uint32_t *lists; // node index owning each distinct enum list (0: empty)
	size_t cap_lists, n_lists;
};

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

static int pool_add(struct mib_out *o, const char *s, size_t len, uint32_t *off)
{
	return append_str(&o->pool, &o->n_pool, &o->cap_pool, s, len, off);
}

static int rehash(uint32_t **tab, size_t *cap, size_t n, uint64_t (*h)(struct mib_out *, uint32_t),
		  struct mib_out *o)
{
	if (*cap && 2 * (n + 1) <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 1024;
	uint32_t *t = calloc(ncap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < *cap; i++) {
		if (!(*tab)[i])
			continue;
		size_t j = h(o, (*tab)[i]) & (ncap - 1);
		while (t[j])
			j = (j + 1) & (ncap - 1);
		t[j] = (*tab)[i];
	}
	free(*tab);
	*tab = t;
	*cap = ncap;
	return 0;
}

static uint64_t str_hash(struct mib_out *o, uint32_t off)
{
	return fnv(o->pool + off, strlen(o->pool + off), 0xcbf29ce484222325ull);
}

// Interns a string in the pool ("" is offset 0).
static int intern(struct mib_out *o, const char *s, uint32_t *off)
{
	size_t len = strlen(s);
	if (len == 0) {
		*off = 0;
		return 0;
	}
	if (rehash(&o->hash, &o->cap_hash, o->n_hash, str_hash, o))
		return -ENOMEM;
	size_t j = fnv(s, len, 0xcbf29ce484222325ull) & (o->cap_hash - 1);
	for (; o->hash[j]; j = (j + 1) & (o->cap_hash - 1)) {
		if (!strcmp(o->pool + o->hash[j], s)) {
			*off = o->hash[j];
			return 0;
		}
	}
	if (pool_add(o, s, len, off))
		return -ENOMEM;
	o->hash[j] = *off;
	o->n_hash++;
	return 0;
}

static uint64_t list_hash_at(const struct mib_out *o, uint32_t first, uint16_t n)
{
	return fnv(o->items + first, n * sizeof(*o->items), 0xcbf29ce484222325ull ^ n);
}

// Enum lists are interned by content: many objects share one TC (TruthValue,
// RowStatus, IANAifType). The candidate list sits at the end of o->items;
// if an equal list exists it is dropped and *first points at the old one.
static int intern_list(struct mib_out *o, struct mib_tnode *nodes, uint32_t first, uint16_t n,
		       uint32_t *out)
{
	if (o->cap_lists == 0 || 2 * (o->n_lists + 1) > o->cap_lists) {
		size_t ncap = o->cap_lists ? o->cap_lists * 2 : 256;
		uint32_t *t = calloc(ncap, sizeof(*t));
		if (!t)
			return -ENOMEM;
		for (size_t i = 0; i < o->cap_lists; i++) {
			if (!o->lists[i])
				continue;
			const struct mib_tnode *x = &nodes[o->lists[i] - 1];
			size_t j = list_hash_at(o, x->items, x->n_items) & (ncap - 1);
			while (t[j])
				j = (j + 1) & (ncap - 1);
			t[j] = o->lists[i];
		}
		free(o->lists);
		o->lists = t;
		o->cap_lists = ncap;
	}
	size_t j = list_hash_at(o, first, n) & (o->cap_lists - 1);
	for (; o->lists[j]; j = (j + 1) & (o->cap_lists - 1)) {
		const struct mib_tnode *x = &nodes[o->lists[j] - 1];
		if (x->n_items == n &&
		    !memcmp(o->items + x->items, o->items + first, n * sizeof(*o->items))) {
			o->n_items = first; // drop the candidate
			*out = x->items;
			return 1;
		}
	}
	*out = first;
	return 0;
}

static int compile_enums(const struct mib_builder *b, const struct mib_def *d,
			 struct mib_tnode *nodes, uint32_t idx, struct mib_out *o)
{
	struct mib_tnode *t = &nodes[idx];
	if (d->n_items == 0)
		return 0;
	struct mib_item *tmp = malloc(d->n_items * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, b->items + d->items, d->n_items * sizeof(*tmp));
	qsort(tmp, d->n_items, sizeof(*tmp), item_cmp);
	if (grow((void **)&o->items, &o->cap_items, o->n_items + d->n_items, sizeof(*o->items))) {
		free(tmp);
		return -ENOMEM;
	}
	uint32_t first = (uint32_t)o->n_items;
	uint16_t n = 0;
	for (size_t i = 0; i < d->n_items; i++) {
		if (n && tmp[i].value == o->items[first + n - 1].value)
			continue; // a value named twice: the first name stays
		struct mib_titem *it = &o->items[first + n];
		it->value = tmp[i].value;
		if (intern(o, b->strs + tmp[i].label, &it->label)) {
			free(tmp);
			return -ENOMEM;
		}
		n++;
	}
	free(tmp);
	o->n_items = first + n;
	t->n_items = n;
	int r = intern_list(o, nodes, first, n, &t->items);
	if (r < 0)
		return r;
	if (r == 0) {
		size_t j = list_hash_at(o, first, n) & (o->cap_lists - 1);
		while (o->lists[j])
			j = (j + 1) & (o->cap_lists - 1);
		o->lists[j] = idx + 1;
		o->n_lists++;
	}
	return 0;
}

static int compile_node(const struct mib_builder *b, const struct mib_def *d,
			struct mib_tnode *nodes, uint32_t idx, struct mib_out *o)
{
	struct mib_tnode *t = &nodes[idx];
	const char *mod = b->strs + d->module, *name = b->strs + d->name;
	size_t ml = strlen(mod), nl = strlen(name);
	char *q = malloc(ml + nl + 3);
	if (!q)
		return -ENOMEM;
	size_t qn = 0;
	if (ml) {
		memcpy(q, mod, ml);
		memcpy(q + ml, "::", 2);
		qn = ml + 2;
	}
	memcpy(q + qn, name, nl);
	int rc = pool_add(o, q, qn + nl, &t->qname);
	free(q);
	if (rc || intern(o, b->strs + d->type, &t->type) || intern(o, b->strs + d->hint, &t->hint))
		return -ENOMEM;
	t->name = (uint16_t)qn;
	t->kind = d->kind;
	t->syntax = d->syntax;
	t->oid_len = d->oid_len;
	t->items = 0;
	t->n_items = 0;
	return compile_enums(b, d, nodes, idx, o);
}

static const struct mib_tnode *tnodes(const struct mib_table *t)
{
	return (const struct mib_tnode *)((const char *)t + t->off_nodes);
}

static const uint32_t *tsubids(const struct mib_table *t)
{
	return (const uint32_t *)((const char *)t + t->off_subids);
}

static const char *tpool(const struct mib_table *t)
{
	return (const char *)t + t->off_pool;
}

static const char *tname(const struct mib_table *t, const struct mib_tnode *n)
{
	return tpool(t) + n->qname + n->name;
}

// By bare name, then by qualified name (so by module).
static int byname_cmp(const void *pa, const void *pb, void *arg)
{
	const struct mib_table *t = arg;
	const struct mib_tnode *x = &tnodes(t)[*(const uint32_t *)pa];
	const struct mib_tnode *y = &tnodes(t)[*(const uint32_t *)pb];
	int r = strcmp(tname(t, x), tname(t, y));
	return r ? r : strcmp(tpool(t) + x->qname, tpool(t) + y->qname);
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static struct mib_table *layout(const struct mib_builder *b, const uint32_t *keep, size_t n,
				struct mib_tnode *nodes, struct mib_out *o)
{
	size_t n_sub = 0;
	for (size_t i = 0; i < n; i++)
		n_sub += b->defs[keep[i]].oid_len;
	size_t off_nodes = align8(sizeof(struct mib_table));
	size_t off_byname = align8(off_nodes + n * sizeof(*nodes));
	size_t off_subids = align8(off_byname + n * sizeof(uint32_t));
	size_t off_items = align8(off_subids + n_sub * sizeof(uint32_t));
	size_t off_pool = align8(off_items + o->n_items * sizeof(*o->items));
	size_t size = align8(off_pool + o->n_pool);
	if (size > UINT32_MAX)
		return NULL;
	struct mib_table *t = calloc(1, size); // calloc: padding is zero, bytes reproducible
	if (!t)
		return NULL;
	*t = (struct mib_table){MIB_MAGIC,
				MIB_VERSION,
				(uint32_t)size,
				(uint32_t)n,
				(uint32_t)off_nodes,
				(uint32_t)off_byname,
				(uint32_t)off_subids,
				(uint32_t)off_items,
				(uint32_t)off_pool,
				(uint32_t)o->n_pool};
	struct mib_tnode *tn = (struct mib_tnode *)((char *)t + off_nodes);
	uint32_t *sub = (uint32_t *)((char *)t + off_subids);
	uint32_t *byname = (uint32_t *)((char *)t + off_byname);
	uint32_t *stack = malloc((MIB_OID_MAX + 1) * sizeof(*stack));
	if (!stack) {
		free(t);
		return NULL;
	}
	size_t depth = 0, at = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mib_def *d = &b->defs[keep[i]];
		tn[i] = nodes[i];
		tn[i].oid = (uint32_t)at;
		memcpy(sub + at, b->subids + d->oid, d->oid_len * sizeof(*sub));
		at += d->oid_len;
		// the nearest ancestor: pop the stack until its top is a prefix
		while (depth) {
			const struct mib_tnode *a = &tn[stack[depth - 1]];
			if (a->oid_len < tn[i].oid_len &&
			    !memcmp(sub + a->oid, sub + tn[i].oid, a->oid_len * sizeof(*sub)))
				break;
			depth--;
		}
		tn[i].parent = depth ? stack[depth - 1] : MIB_NONE;
		if (depth < MIB_OID_MAX + 1)
			stack[depth++] = (uint32_t)i;
		byname[i] = (uint32_t)i;
	}
	free(stack);
	if (o->n_items)
		memcpy((char *)t + off_items, o->items, o->n_items * sizeof(*o->items));
	memcpy((char *)t + off_pool, o->pool, o->n_pool);
	qsort_r(byname, n, sizeof(*byname), byname_cmp, t);
	return t;
}

struct mib_table *mib_builder_compile(const struct mib_builder *b, struct mib_diag *diag)
{
	struct mib_out o = {0};
	struct mib_table *t = NULL;
	uint32_t *order = malloc((b->n_defs + 1) * sizeof(*order));
	struct mib_tnode *nodes = calloc(b->n_defs + 1, sizeof(*nodes));
	size_t n = 0, dups = 0;
	uint32_t empty;

	if (!order || !nodes || pool_add(&o, "", 0, &empty))
		goto out;
	for (size_t i = 0; i < b->n_defs; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, b->n_defs, sizeof(*order), def_cmp, (void *)b);
	for (size_t i = 0; i < b->n_defs; i++) {
		const struct mib_def *d = &b->defs[order[i]];
		if (n) {
			const struct mib_def *p = &b->defs[order[n - 1]];
			if (!oid_cmp(b->subids + p->oid, p->oid_len, b->subids + d->oid,
				     d->oid_len)) {
				dups++; // sorted winner first: this one loses
				continue;
			}
		}
		order[n] = order[i];
		if (compile_node(b, d, nodes, (uint32_t)n, &o))
			goto out;
		n++;
	}
	t = layout(b, order, n, nodes, &o);
	if (t && diag) {
		diag->nodes = n;
		diag->duplicates = dups;
		diag->enum_lists = o.n_lists;
		diag->bytes = t->size;
	}
out:
	free(order);
	free(nodes);
	free(o.pool);
	free(o.hash);
	free(o.items);
	free(o.lists);
	if (!t)
		errno = ENOMEM;
	return t;
}

// ---- the table ----

void mib_table_free(struct mib_table *t)
{
	free(t);
}

size_t mib_table_size(const struct mib_table *t)
{
	return t ? t->size : 0;
}

const void *mib_table_bytes(const struct mib_table *t)
{
	return t;
}

size_t mib_table_nodes(const struct mib_table *t)
{
	return t ? t->n_nodes : 0;
}

static const struct mib_tnode *node_at(const struct mib_table *t, long node)
{
	if (!t || node < 0 || (unsigned long)node >= t->n_nodes)
		return NULL;
	return &tnodes(t)[node];
}

long mib_find(const struct mib_table *t, const uint32_t *oid, size_t n, size_t *matched)
{
	*matched = 0;
	if (!t || !oid || n == 0 || t->n_nodes == 0)
		return -1;
	const struct mib_tnode *nodes = tnodes(t);
	const uint32_t *sub = tsubids(t);
	// the last node <= oid; every node that is a prefix of oid is an
	// ancestor of it (prefixes of oid sort in one run that ends at oid)
	size_t lo = 0, hi = t->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mib_tnode *m = &nodes[mid];
		if (oid_cmp(sub + m->oid, m->oid_len, oid, n) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	uint32_t i = (uint32_t)(lo - 1);
	const struct mib_tnode *c = &nodes[i];
	size_t lcp = 0, lim = c->oid_len < n ? c->oid_len : n;
	while (lcp < lim && sub[c->oid + lcp] == oid[lcp])
		lcp++;
	while (nodes[i].oid_len > lcp) {
		i = nodes[i].parent;
		if (i == MIB_NONE)
			return -1;
	}
	*matched = nodes[i].oid_len;
	return (long)i;
}

const char *mib_node_name(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n ? tname(t, n) : NULL;
}

const char *mib_node_qname(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n ? tpool(t) + n->qname : NULL;
}

enum mib_kind mib_node_kind(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n ? (enum mib_kind)n->kind : MIB_KIND_NODE;
}

enum mib_syntax mib_node_syntax(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n ? (enum mib_syntax)n->syntax : MIB_SYNTAX_NONE;
}

const char *mib_node_type(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n && n->type ? tpool(t) + n->type : NULL;
}

const char *mib_node_hint(const struct mib_table *t, long node)
{
	const struct mib_tnode *n = node_at(t, node);
	return n && n->hint ? tpool(t) + n->hint : NULL;
}

size_t mib_node_oid(const struct mib_table *t, long node, const uint32_t **oid)
{
	const struct mib_tnode *n = node_at(t, node);
	if (!n)
		return 0;
	*oid = tsubids(t) + n->oid;
	return n->oid_len;
}

const char *mib_node_enum(const struct mib_table *t, long node, int64_t value)
{
	const struct mib_tnode *n = node_at(t, node);
	if (!n || n->n_items == 0 || value < INT32_MIN || value > INT32_MAX)
		return NULL;
	const struct mib_titem *it = (const struct mib_titem *)((const char *)t + t->off_items);
	size_t lo = n->items, hi = (size_t)n->items + n->n_items;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (it[mid].value == value)
			return tpool(t) + it[mid].label;
		if (it[mid].value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *mib_lookup(const struct mib_table *t, const uint32_t *oid, size_t n, size_t *matched,
		       bool qualified)
{
	long i = mib_find(t, oid, n, matched);
	if (i < 0)
		return NULL;
	return qualified ? mib_node_qname(t, i) : mib_node_name(t, i);
}

const char *mib_oid_name(void *table, const uint32_t *oid, size_t n, size_t *matched)
{
	return mib_lookup(table, oid, n, matched, false);
}

const char *mib_oid_qname(void *table, const uint32_t *oid, size_t n, size_t *matched)
{
	return mib_lookup(table, oid, n, matched, true);
}

const char *mib_enum_label(const struct mib_table *t, const uint32_t *oid, size_t n, int64_t value)
{
	size_t matched;
	long i = mib_find(t, oid, n, &matched);
	enum mib_kind k = mib_node_kind(t, i);
	if (i < 0 || (k != MIB_KIND_SCALAR && k != MIB_KIND_COLUMN))
		return NULL;
	return mib_node_enum(t, i, value);
}

// Parses ".1.2.3" (possibly empty) into oid[at..); returns the new length or
// a negative errno.
static long parse_suffix(const char *s, uint32_t *oid, size_t at, size_t cap)
{
	while (*s) {
		if (*s != '.' || s[1] < '0' || s[1] > '9')
			return -EINVAL;
		s++;
		uint64_t v = 0;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > UINT32_MAX)
				return -EINVAL;
		}
		if (at >= cap)
			return -ENOSPC;
		oid[at++] = (uint32_t)v;
	}
	return (long)at;
}

int mib_lookup_name(const struct mib_table *t, const char *name, uint32_t *oid, size_t cap,
		    size_t *n)
{
	if (!t || !name || !oid || !n)
		return -EINVAL;
	const char *sep = strstr(name, "::");
	const char *bare = sep ? sep + 2 : name;
	size_t modlen = sep ? (size_t)(sep - name) : 0;
	size_t blen = strcspn(bare, ".");
	if (blen == 0 || (sep && modlen == 0))
		return -EINVAL;
	char key[MIB_STR_MAX + 1];
	if (blen > MIB_STR_MAX)
		return -ENOENT;
	memcpy(key, bare, blen);
	key[blen] = '\0';
	const struct mib_tnode *nodes = tnodes(t);
	const uint32_t *byname = (const uint32_t *)((const char *)t + t->off_byname);
	size_t lo = 0, hi = t->n_nodes;
	while (lo < hi) { // the first entry whose bare name is >= key
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(tname(t, &nodes[byname[mid]]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n_nodes; lo++) {
		const struct mib_tnode *c = &nodes[byname[lo]];
		if (strcmp(tname(t, c), key))
			break;
		const char *q = tpool(t) + c->qname;
		if (sep && (c->name != modlen + 2 || strncmp(q, name, modlen)))
			continue;
		if (c->oid_len > cap)
			return -ENOSPC;
		memcpy(oid, tsubids(t) + c->oid, c->oid_len * sizeof(*oid));
		long len = parse_suffix(bare + blen, oid, c->oid_len, cap);
		if (len < 0)
			return (int)len;
		*n = (size_t)len;
		return 0;
	}
	return -ENOENT;
}
