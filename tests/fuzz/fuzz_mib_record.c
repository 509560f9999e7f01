/* SPDX-License-Identifier: BSD-3-Clause */
// The MIB table's node records (what the libsmi child process sends the
// parent): the input is a run of records, each behind a 2-octet length.
// Whatever mib_builder_add accepts must compile into a table in which every
// node is found by its own OID (and an instance of it), by its qualified
// name, and has an enum label for each value it lists; lookups of the raw
// input as an OID and as a name must not fault.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mib.h"
#include "mib_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// A name mib_lookup_name can parse back: identifier characters, one "::".
static bool plain(const char *q)
{
	const char *sep = strstr(q, "::");
	if (sep && strstr(sep + 2, "::"))
		return false;
	for (const char *p = q; *p; p++) {
		if (p == sep) {
			p++;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return false;
	}
	return q[0] && q[0] != ':' && !(sep && !sep[2]);
}

static void check(const struct mib_table *t)
{
	for (size_t i = 0; i < mib_table_nodes(t); i++) {
		const uint32_t *oid;
		uint32_t back[MIB_OID_MAX + 1];
		size_t n = mib_node_oid(t, (long)i, &oid), bn, m;
		if (mib_find(t, oid, n, &m) != (long)i || m != n)
			abort();
		memcpy(back, oid, n * sizeof(*oid));
		back[n] = UINT32_MAX;
		long j = mib_find(t, back, n + 1, &m);
		if (j < 0 || m < n) // a child at arc UINT32_MAX would match deeper
			abort();
		const char *q = mib_node_qname(t, (long)i);
		if (!q)
			abort();
		if (plain(q) && mib_lookup_name(t, q, back, MIB_OID_MAX, &bn) != 0)
			abort();
		// the first definition of a name wins: its OID may differ
		mib_node_enum(t, (long)i, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mib_builder *b = mib_builder_new();
	if (!b)
		return 0;
	size_t at = 0;
	while (size - at >= 2) {
		size_t len = (size_t)data[at] << 8 | data[at + 1];
		at += 2;
		if (len > size - at)
			len = size - at;
		mib_builder_add(b, data + at, len);
		at += len;
	}
	struct mib_table *t = mib_builder_compile(b, NULL);
	if (t) {
		check(t);
		uint32_t oid[MIB_OID_MAX];
		size_t n = size / 4 < MIB_OID_MAX ? size / 4 : MIB_OID_MAX, m;
		memcpy(oid, data, n * 4);
		mib_lookup(t, oid, n, &m, true);
		mib_enum_label(t, oid, n, (int32_t)n);
		char name[64];
		size_t l = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
		memcpy(name, data, l);
		name[l] = '\0';
		mib_lookup_name(t, name, oid, MIB_OID_MAX, &n);
	}
	mib_table_free(t);
	mib_builder_free(b);
	return 0;
}
