/* SPDX-License-Identifier: BSD-3-Clause */
// Test helper: builds the MIB table from the directories given and prints
// one line per node, for the cross-checks against net-snmp and pysnmp:
//   OID<TAB>MODULE::name<TAB>kind<TAB>syntax<TAB>type<TAB>label(n) label(n)...
// Warnings go to stderr; the counters to stderr last.
//   mib_dump DIR... [-m MODULES]
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mib.h"

static void on_warn(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	const char *dirs[64];
	size_t n = 0;
	const char *modules = "all";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			modules = argv[++i];
		else if (n < 64)
			dirs[n++] = argv[i];
	}
	struct mib_diag d = {.warn = on_warn};
	struct mib_table *t = mib_table_build(n ? dirs : NULL, n, modules, &d);
	if (!t) {
		perror("mib_table_build");
		return 1;
	}
	for (size_t i = 0; i < mib_table_nodes(t); i++) {
		const uint32_t *oid;
		size_t len = mib_node_oid(t, (long)i, &oid);
		for (size_t j = 0; j < len; j++)
			printf("%s%" PRIu32, j ? "." : "", oid[j]);
		const char *type = mib_node_type(t, (long)i);
		printf("\t%s\t%d\t%d\t%s\t", mib_node_qname(t, (long)i), mib_node_kind(t, (long)i),
		       mib_node_syntax(t, (long)i), type ? type : "-");
		// the labels of the values a probe finds: enough for a cross-check
		for (int64_t v = -1; v <= 300; v++) {
			const char *l = mib_node_enum(t, (long)i, v);
			if (l)
				printf("%s(%" PRId64 ") ", l, v);
		}
		printf("\n");
	}
	fprintf(stderr,
		"files %zu modules %zu skipped %zu crashed %zu shadowed %zu warnings %zu nodes %zu "
		"duplicates %zu enum_lists %zu bytes %zu\n",
		d.files, d.modules, d.skipped, d.crashed, d.shadowed, d.warnings, d.nodes,
		d.duplicates, d.enum_lists, d.bytes);
	mib_table_free(t);
	return 0;
}
