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
#include <unistd.h>

#include "bench.h"
#include "mib.h"

#define BUILDS	       10
#define LOOKUP_SECONDS 1.0
// a carrier's vendor set, synthetic: SMIv2 modules × objects under
// enterprise 32473 (RFC 5612's documentation number), every fourth with an
// enum. (SMIv1 modules, having no MODULE-IDENTITY, cost mib_smi.c a scan of
// the tree each to find their first node: slower.)
#define SYN_MODULES 100
#define SYN_OBJECTS 1000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

// Writes the synthetic modules into dir; returns 0 or -1.
static int write_synthetic(const char *dir)
{
	for (int m = 0; m < SYN_MODULES; m++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/SYN%03d-MIB.txt", dir, m);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f,
			"SYN%03d-MIB DEFINITIONS ::= BEGIN\n"
			"IMPORTS MODULE-IDENTITY, OBJECT-TYPE, Integer32, enterprises\n"
			"        FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC;\n"
			"syn%d MODULE-IDENTITY LAST-UPDATED \"202406010000Z\"\n"
			"  ORGANIZATION \"x\" CONTACT-INFO \"x\" DESCRIPTION \"x\"\n"
			"  ::= { enterprises 32473 %d }\n",
			m, m, 1000 + m);
		for (int o = 0; o < SYN_OBJECTS; o++) {
			const char *syntax = o % 4 == 0	  ? "INTEGER { up(1), down(2), testing(3) }"
					     : o % 4 == 1 ? "DisplayString"
							  : "Integer32";
			fprintf(f,
				"syn%dObject%d OBJECT-TYPE\n  SYNTAX %s\n  MAX-ACCESS read-only\n"
				"  STATUS current\n  DESCRIPTION \"Synthetic.\"\n  ::= { syn%d %d "
				"}\n",
				m, o, syntax, m, o + 1);
		}
		fprintf(f, "END\n");
		if (fclose(f))
			return -1;
	}
	return 0;
}

// One build of the base modules plus the synthetic set; prints its figures.
static void synthetic(void)
{
	char dir[] = "/tmp/mib_compile_XXXXXX";
	if (!mkdtemp(dir) || write_synthetic(dir)) {
		perror("mib-compile: synthetic set");
		return;
	}
	const char *dirs[] = {dir, MIB_BASE_DIR};
	struct mib_diag d = {0};
	double t0 = now();
	struct mib_table *t = mib_table_build(dirs, 2, "all", &d);
	double ms = (now() - t0) * 1e3;
	if (t)
		printf("mib-compile: synthetic vendor set (%d modules x %d objects): %zu nodes in "
		       "%.0f ms, table %.1f MiB (%.1f octets per node)\n",
		       SYN_MODULES, SYN_OBJECTS, d.nodes, ms, (double)d.bytes / (1 << 20),
		       (double)d.bytes / (double)d.nodes);
	mib_table_free(t);
	for (int m = 0; m < SYN_MODULES; m++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/SYN%03d-MIB.txt", dir, m);
		unlink(path);
	}
	rmdir(dir);
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
	synthetic();
	printf("mib-compile: %.1f ms\n", ms[BUILDS / 2]);
	free(oids);
	free(lens);
	mib_table_free(t);
	return 0;
}
