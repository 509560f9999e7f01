/* SPDX-License-Identifier: BSD-3-Clause */
// mib-compile: how long building the MIB table from the full Debian set
// takes (linerate's base modules, net-snmp's MIBs from libsnmp-base, and
// libsmi's directories if anything filled them), what the table weighs, and
// how fast the sinks' per-varbind lookup (longest-prefix match + enum label)
// runs on one core. The build forks a libsmi child each time: that cost is
// part of the figure.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "mib.h"

#define BUILDS	       10
#define LOOKUP_SECONDS 1.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	// the default directories, with the base modules from the source tree
	const char *dirs[16];
	size_t n = 0;
	for (size_t i = 0; i + 1 < mib_default_ndirs && n < 15; i++)
		dirs[n++] = mib_default_dirs[i];
	dirs[n++] = MIB_BASE_DIR;

	double ms[BUILDS];
	struct mib_diag d = {0};
	struct mib_table *t = NULL;
	for (int i = 0; i < BUILDS; i++) {
		mib_table_free(t);
		double t0 = now();
		t = mib_table_build(dirs, n, "all", &d);
		ms[i] = (now() - t0) * 1e3;
		if (!t) {
			perror("mib-compile: mib_table_build");
			return 1;
		}
	}
	qsort(ms, BUILDS, sizeof(ms[0]), cmp_double);

	// lookups: every node's OID with an instance suffix, round robin
	size_t nodes = mib_table_nodes(t);
	uint32_t(*oids)[MIB_OID_MAX + 1] = calloc(nodes, sizeof(*oids));
	size_t *lens = calloc(nodes, sizeof(*lens));
	if (!oids || !lens)
		return 1;
	for (size_t i = 0; i < nodes; i++) {
		const uint32_t *oid;
		size_t len = mib_node_oid(t, (long)i, &oid);
		memcpy(oids[i], oid, len * sizeof(*oid));
		oids[i][len] = 3; // ".3"
		lens[i] = len + (len < MIB_OID_MAX);
	}
	uint64_t done = 0, sink = 0;
	double start = now(), el = 0;
	while (el < LOOKUP_SECONDS) {
		for (size_t i = 0; i < nodes; i++) {
			size_t matched;
			const char *name = mib_oid_name(t, oids[i], lens[i], &matched);
			const char *label = mib_enum_label(t, oids[i], lens[i], 1);
			sink += matched + (name ? (uint8_t)name[0] : 0) + (label != NULL);
		}
		done += nodes;
		el = now() - start;
	}
	double rate = (double)done / el;

	printf("mib-compile: %zu files, %zu modules, %zu nodes, %zu duplicates, %zu enum lists, "
	       "%zu warnings\n",
	       d.files, d.modules, d.nodes, d.duplicates, d.enum_lists, d.warnings);
	printf("mib-compile: table %zu octets (%.1f per node)\n", d.bytes,
	       (double)d.bytes / (double)d.nodes);
	printf("mib-compile: build (fork + libsmi + compile) min %.1f ms, median %.1f ms, max %.1f "
	       "ms over %d builds\n",
	       ms[0], ms[BUILDS / 2], ms[BUILDS - 1], BUILDS);
	printf("mib-compile: lookups (name + enum label, instance OIDs): %.2f M/s (%.0f ns each, "
	       "checksum %" PRIu64 ")\n",
	       rate / 1e6, 1e9 / rate, sink);
	printf("mib-compile: %.1f ms\n", ms[BUILDS / 2]);
	free(oids);
	free(lens);
	mib_table_free(t);
	return 0;
}
