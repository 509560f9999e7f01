/* SPDX-License-Identifier: BSD-3-Clause */
// The MIB table: well-known OIDs named from linerate's base modules and
// Debian's net-snmp MIBs, longest-prefix matches for unknown OIDs, enum
// labels, name → OID, broken MIBs (a syntax error, a module that crashes
// libsmi) skipped with warnings, operator directories replacing modules,
// deterministic bytes, concurrent readers, and malformed node records.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mib.h"
#include "mib_impl.h"

#define NETSNMP_DIR "/usr/share/snmp/mibs"
#define GOOD_DIR    TEST_DATA_DIR "/mibs/good"
#define BROKEN_DIR  TEST_DATA_DIR "/mibs/broken"

#define OID(...) ((const uint32_t[]){__VA_ARGS__})
#define LEN(...) (sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

struct warnings {
	char text[32][600];
	size_t n;
};

static void collect(void *arg, const char *msg)
{
	struct warnings *w = arg;
	if (w->n < 32)
		snprintf(w->text[w->n++], sizeof(w->text[0]), "%s", msg);
}

static bool warned(const struct warnings *w, const char *a, const char *b)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->text[i], a) && strstr(w->text[i], b))
			return true;
	return false;
}

static struct mib_table *build(const char *const *dirs, size_t n, const char *modules,
			       struct mib_diag *d)
{
	struct mib_table *t = mib_table_build(dirs, n, modules, d);
	cr_assert_not_null(t, "build: %s", strerror(errno));
	return t;
}

// linerate's base modules and Debian's net-snmp MIBs (libsnmp-base)
static struct mib_table *build_std(struct mib_diag *d)
{
	const char *dirs[] = {MIB_BASE_DIR, NETSNMP_DIR};
	return build(dirs, 2, "all", d);
}

static void expect(const struct mib_table *t, const uint32_t *oid, size_t n, const char *qname,
		   size_t matched)
{
	size_t m = 99;
	const char *q = mib_lookup(t, oid, n, &m, true);
	cr_assert_not_null(q, "no name for %s", qname);
	cr_expect_str_eq(q, qname);
	cr_expect_eq(m, matched, "%s: matched %zu, want %zu", qname, m, matched);
	const char *bare = mib_oid_name((void *)t, oid, n, &m);
	const char *colon = strstr(qname, "::");
	cr_expect_str_eq(bare, colon ? colon + 2 : qname);
}

Test(mib, names_well_known_oids)
{
	struct mib_diag d = {0};
	struct mib_table *t = build_std(&d);
	// sysUpTime.0 and snmpTrapOID.0: the first two varbinds of every trap
	expect(t, OID(1, 3, 6, 1, 2, 1, 1, 3, 0), 9, "SNMPv2-MIB::sysUpTime", 8);
	expect(t, OID(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0), 11, "SNMPv2-MIB::snmpTrapOID", 10);
	expect(t, OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3), 11, "IF-MIB::ifIndex", 10);
	expect(t, OID(1, 3, 6, 1, 6, 3, 1, 1, 5, 3), 10, "IF-MIB::linkDown", 10);
	expect(t, OID(1, 3, 6, 1, 6, 3, 1, 1, 5, 1), 10, "SNMPv2-MIB::coldStart", 10);
	expect(t, OID(1, 3, 6, 1, 6, 3, 18, 1, 3, 0), 10, "SNMP-COMMUNITY-MIB::snmpTrapAddress", 9);
	// net-snmp's enterprise (NET-SNMP-MIB) and an agent OID under it
	expect(t, OID(1, 3, 6, 1, 4, 1, 8072), 7, "NET-SNMP-MIB::netSnmp", 7);
	expect(t, OID(1, 3, 6, 1, 4, 1, 8072, 3, 2, 10), 10, "NET-SNMP-TC::linux", 10);
	expect(t, OID(1, 3, 6, 1, 4, 1, 2021, 10, 1, 5, 1), 11, "UCD-SNMP-MIB::laLoadInt", 10);
	cr_expect_eq(d.skipped, 0);
	cr_expect_eq(d.crashed, 0);
	cr_expect_eq(d.warnings, 0);
	cr_expect_geq(d.modules, 27, "modules %zu", d.modules);
	cr_expect_eq(d.nodes, mib_table_nodes(t));
	cr_expect_eq(d.bytes, mib_table_size(t));
	mib_table_free(t);
}

Test(mib, unknown_oids_match_the_longest_known_prefix)
{
	struct mib_table *t = build_std(NULL);
	expect(t, OID(1, 3, 6, 1), 4, "SNMPv2-SMI::internet", 4);
	expect(t, OID(1, 3, 6, 1, 99, 5), 6, "SNMPv2-SMI::internet", 4);
	expect(t, OID(1, 3, 6, 1, 4, 1, 4294967295u, 1), 8, "SNMPv2-SMI::enterprises", 6);
	expect(t, OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 99), 10, "IF-MIB::ifEntry", 9);
	// between two known siblings: the answer is their common ancestor
	expect(t, OID(1, 3, 6, 1, 2, 1, 1, 3, 5, 1, 2, 3, 4), 13, "SNMPv2-MIB::sysUpTime", 8);
	expect(t, OID(1, 3, 6, 1, 2, 1, 7), 7, "SNMPv2-SMI::mib-2", 6);
	// the roots have no module
	expect(t, OID(1, 2, 840), 3, "iso", 1);
	expect(t, OID(0), 1, "ccitt", 1);
	size_t m = 7;
	cr_expect_null(mib_lookup(t, OID(3, 1), 2, &m, true));
	cr_expect_eq(m, 0);
	cr_expect_null(mib_lookup(t, OID(1), 0, &m, false));
	cr_expect_eq(mib_find(t, OID(4294967295u), 1, &m), -1);
	cr_expect_null(mib_lookup(NULL, OID(1, 3), 2, &m, true));
	mib_table_free(t);
}

static long node_of(const struct mib_table *t, const char *name)
{
	uint32_t oid[MIB_OID_MAX];
	size_t n, m;
	cr_assert_eq(mib_lookup_name(t, name, oid, MIB_OID_MAX, &n), 0, "%s", name);
	long i = mib_find(t, oid, n, &m);
	cr_assert_eq(m, n, "%s is not a node", name);
	return i;
}

Test(mib, labels_enumerated_values)
{
	const char *dirs[] = {GOOD_DIR, MIB_BASE_DIR};
	struct mib_table *t = build(dirs, 2, "all", NULL);
	const uint32_t *oper = OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3); // ifOperStatus.3
	cr_expect_str_eq(mib_enum_label(t, oper, 11, 1), "up");
	cr_expect_str_eq(mib_enum_label(t, oper, 11, 2), "down");
	cr_expect_str_eq(mib_enum_label(t, oper, 11, 7), "lowerLayerDown");
	cr_expect_null(mib_enum_label(t, oper, 11, 8));
	cr_expect_null(mib_enum_label(t, oper, 11, 0));
	cr_expect_null(mib_enum_label(t, oper, 11, (int64_t)1 << 40));
	// a textual convention's labels (TruthValue), a negative value
	cr_expect_str_eq(
		mib_enum_label(t, OID(1, 3, 6, 1, 4, 1, 32473, 4242, 1, 2, 1, 3, 9), 13, 2),
		"false");
	cr_expect_str_eq(mib_enum_label(t, OID(1, 3, 6, 1, 4, 1, 32473, 4242, 1, 1, 0), 11, -1),
			 "absent");
	cr_expect_str_eq(mib_enum_label(t, OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 3, 1), 11, 6),
			 "ethernetCsmacd");
	// no enumeration: an unsigned object, a notification, an unknown OID
	cr_expect_null(mib_enum_label(t, OID(1, 3, 6, 1, 2, 1, 1, 3, 0), 9, 1));
	cr_expect_null(mib_enum_label(t, OID(1, 3, 6, 1, 6, 3, 1, 1, 5, 3), 10, 1));
	cr_expect_null(mib_enum_label(t, OID(2, 99), 2, 1));

	long fan = node_of(t, "LINERATE-TEST-MIB::lrTestFanState");
	cr_expect_eq(mib_node_kind(t, fan), MIB_KIND_SCALAR);
	cr_expect_eq(mib_node_syntax(t, fan), MIB_SYNTAX_ENUM);
	cr_expect_str_eq(mib_node_enum(t, fan, 3), "failed");
	long up = node_of(t, "sysUpTime");
	cr_expect_eq(mib_node_syntax(t, up), MIB_SYNTAX_UNSIGNED32);
	cr_expect_str_eq(mib_node_type(t, up), "TimeTicks");
	long descr = node_of(t, "ifDescr");
	cr_expect_eq(mib_node_kind(t, descr), MIB_KIND_COLUMN);
	cr_expect_str_eq(mib_node_type(t, descr), "DisplayString");
	cr_expect_str_eq(mib_node_hint(t, descr), "255a");
	cr_expect_eq(mib_node_kind(t, node_of(t, "linkDown")), MIB_KIND_NOTIFICATION);
	cr_expect_eq(mib_node_kind(t, node_of(t, "ifTable")), MIB_KIND_TABLE);
	cr_expect_null(mib_node_name(t, -1));
	cr_expect_null(mib_node_enum(t, (long)mib_table_nodes(t), 1));
	mib_table_free(t);
}

Test(mib, turns_names_into_oids)
{
	struct mib_table *t = build_std(NULL);
	uint32_t oid[MIB_OID_MAX];
	size_t n = 0;
	cr_assert_eq(mib_lookup_name(t, "IF-MIB::ifIndex", oid, MIB_OID_MAX, &n), 0);
	cr_expect_eq(n, 10);
	cr_expect_arr_eq(oid, OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 1), 10 * sizeof(uint32_t));
	cr_assert_eq(mib_lookup_name(t, "sysUpTime.0", oid, MIB_OID_MAX, &n), 0);
	cr_expect_eq(n, 9);
	cr_expect_arr_eq(oid, OID(1, 3, 6, 1, 2, 1, 1, 3, 0), 9 * sizeof(uint32_t));
	cr_assert_eq(mib_lookup_name(t, "IF-MIB::ifIndex.3.4294967295", oid, MIB_OID_MAX, &n), 0);
	cr_expect_eq(n, 12);
	cr_expect_eq(oid[11], 4294967295u);
	cr_assert_eq(mib_lookup_name(t, "iso", oid, MIB_OID_MAX, &n), 0);
	cr_expect_eq(n, 1);
	// one name in two modules: qualified picks the module, bare the first
	cr_assert_eq(mib_lookup_name(t, "RFC1155-SMI::enterprises", oid, MIB_OID_MAX, &n), -ENOENT,
		     "the loser of a duplicate OID is not in the table");
	cr_expect_eq(mib_lookup_name(t, "NO-SUCH-MIB::ifIndex", oid, MIB_OID_MAX, &n), -ENOENT);
	cr_expect_eq(mib_lookup_name(t, "IF-MIB::sysUpTime", oid, MIB_OID_MAX, &n), -ENOENT);
	cr_expect_eq(mib_lookup_name(t, "IF-MI::ifIndex", oid, MIB_OID_MAX, &n), -ENOENT);
	cr_expect_eq(mib_lookup_name(t, "ifIndexx", oid, MIB_OID_MAX, &n), -ENOENT);
	cr_expect_eq(mib_lookup_name(t, "ifIndex.x", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, "ifIndex.", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, "ifIndex.4294967296", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, "::ifIndex", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, "", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, ".1.3", oid, MIB_OID_MAX, &n), -EINVAL);
	cr_expect_eq(mib_lookup_name(t, "ifIndex", oid, 9, &n), -ENOSPC);
	cr_expect_eq(mib_lookup_name(t, "ifIndex.1", oid, 10, &n), -ENOSPC);
	mib_table_free(t);
}

Test(mib, every_node_round_trips_through_its_name)
{
	struct mib_table *t = build_std(NULL);
	cr_assert_gt(mib_table_nodes(t), 500);
	for (size_t i = 0; i < mib_table_nodes(t); i++) {
		const uint32_t *oid;
		uint32_t back[MIB_OID_MAX];
		size_t n = mib_node_oid(t, (long)i, &oid), bn, m;
		const char *q = mib_node_qname(t, (long)i);
		cr_assert_eq(mib_lookup_name(t, q, back, MIB_OID_MAX, &bn), 0, "%s", q);
		cr_assert_eq(bn, n, "%s", q);
		cr_assert_arr_eq(back, oid, n * sizeof(uint32_t), "%s", q);
		cr_assert_eq(mib_find(t, oid, n, &m), (long)i, "%s", q);
		cr_assert_eq(m, n);
	}
	mib_table_free(t);
}

Test(mib, skips_broken_modules_with_a_warning)
{
	// broken/ first: its crashing module loads before SNMPv2-SMI
	const char *dirs[] = {BROKEN_DIR, GOOD_DIR, MIB_BASE_DIR};
	struct warnings w = {0};
	struct mib_diag d = {.warn = collect, .warn_arg = &w};
	struct mib_table *t = build(dirs, 3, "all", &d);
	cr_expect(warned(&w, "LINERATE-CRASH-MIB.txt", "crashed"), "%s", w.text[0]);
	cr_expect(warned(&w, "LINERATE-SYNTAX-MIB.txt", "syntax error"), "%s", w.text[1]);
	cr_expect_eq(d.crashed, 1);
	cr_expect_eq(d.skipped, 2);
	cr_expect_eq(d.warnings, w.n);
	// the good modules are there, SMIv2 and SMIv1 (TRAP-TYPE: enterprise.0.n)
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 4242, 0, 1), 10,
	       "LINERATE-TEST-MIB::lrTestFanFailed", 10);
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 4243, 0, 7), 10,
	       "LINERATE-TEST-V1-MIB::lrTestV1Overheat", 10);
	cr_expect_eq(mib_node_kind(t, node_of(t, "lrTestV1Overheat")), MIB_KIND_NOTIFICATION);
	// nothing of the module with the syntax error, not even what parsed
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 4244), 8, "SNMPv2-SMI::enterprises", 6);
	mib_table_free(t);

	// by module name, the same
	w.n = 0;
	t = build(dirs, 3, "LINERATE-CRASH-MIB, LINERATE-TEST-MIB", &d);
	cr_expect(warned(&w, "LINERATE-CRASH-MIB", "crashed"));
	cr_expect_eq(d.crashed, 1);
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 4242, 0, 1), 10,
	       "LINERATE-TEST-MIB::lrTestFanFailed", 10);
	mib_table_free(t);
}

// Writes text to dir/name (the path goes to path, 128 octets).
static void write_file(const char *dir, const char *name, const char *text, char *path)
{
	snprintf(path, 128, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(mib, warns_of_unresolved_imports_and_non_mib_files)
{
	char dir[] = "/tmp/mib_test_XXXXXX", p1[128], p2[128];
	cr_assert_not_null(mkdtemp(dir));
	write_file(dir, "A-MIB.txt",
		   "A-MIB DEFINITIONS ::= BEGIN\n"
		   "IMPORTS enterprises FROM SNMPv2-SMI fooRoot FROM NO-SUCH-MIB;\n"
		   "aOne OBJECT IDENTIFIER ::= { enterprises 32473 9 }\n"
		   "aTwo OBJECT IDENTIFIER ::= { fooRoot 1 }\n"
		   "END\n",
		   p1);
	write_file(dir, "notes", "not a MIB at all\n", p2);
	const char *dirs[] = {dir, MIB_BASE_DIR};
	struct warnings w = {0};
	struct mib_diag d = {.warn = collect, .warn_arg = &w};
	struct mib_table *t = build(dirs, 2, NULL, &d);
	cr_expect(warned(&w, "A-MIB.txt", "NO-SUCH-MIB"));
	cr_expect(warned(&w, "notes", "skipping"));
	cr_expect_eq(d.skipped, 1);
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 9), 8, "A-MIB::aOne", 8);
	mib_table_free(t);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

Test(mib, an_earlier_directory_replaces_a_module)
{
	char dir[] = "/tmp/mib_test_XXXXXX", path[128];
	cr_assert_not_null(mkdtemp(dir));
	write_file(dir, "IF-MIB.txt",
		   "IF-MIB DEFINITIONS ::= BEGIN\n"
		   "IMPORTS mib-2 FROM SNMPv2-SMI;\n"
		   "interfaces OBJECT IDENTIFIER ::= { mib-2 2 }\n"
		   "operatorsIfNode OBJECT IDENTIFIER ::= { interfaces 77 }\n"
		   "END\n",
		   path);
	const char *dirs[] = {dir, MIB_BASE_DIR};
	struct mib_diag d = {0};
	struct mib_table *t = build(dirs, 2, "all", &d);
	cr_expect_eq(d.shadowed, 1, "the base IF-MIB is shadowed");
	expect(t, OID(1, 3, 6, 1, 2, 1, 2, 77), 8, "IF-MIB::operatorsIfNode", 8);
	expect(t, OID(1, 3, 6, 1, 2, 1, 2, 2, 1, 1), 10, "IF-MIB::interfaces", 7);
	mib_table_free(t);
	unlink(path);
	rmdir(dir);
}

// Two SMIv2 modules, each with its MODULE-IDENTITY at 32473.20.
static const char DUP_MIB[] = "%s DEFINITIONS ::= BEGIN\n"
			      "IMPORTS MODULE-IDENTITY, enterprises FROM SNMPv2-SMI;\n"
			      "%s MODULE-IDENTITY LAST-UPDATED \"202406010000Z\"\n"
			      "  ORGANIZATION \"x\" CONTACT-INFO \"x\" DESCRIPTION \"x\"\n"
			      "  REVISION \"202406010000Z\" DESCRIPTION \"x\"\n"
			      "  ::= { enterprises 32473 20 }\n"
			      "END\n";

Test(mib, picks_duplicates_by_module_name_not_load_order)
{
	char d1[] = "/tmp/mib_test_XXXXXX", d2[] = "/tmp/mib_test_XXXXXX", p1[128], p2[128];
	char text[512];
	cr_assert_not_null(mkdtemp(d1));
	cr_assert_not_null(mkdtemp(d2));
	// B-MIB loads first (earlier directory), A-MIB wins by name
	snprintf(text, sizeof(text), DUP_MIB, "B-MIB", "bModule");
	write_file(d1, "B-MIB.txt", text, p1);
	snprintf(text, sizeof(text), DUP_MIB, "A-MIB", "aModule");
	write_file(d2, "A-MIB.txt", text, p2);
	const char *dirs[] = {d1, d2, MIB_BASE_DIR};
	struct mib_diag d = {0};
	struct mib_table *t = build(dirs, 3, "all", &d);
	expect(t, OID(1, 3, 6, 1, 4, 1, 32473, 20, 1), 9, "A-MIB::aModule", 8);
	cr_expect_eq(d.duplicates, 7, "the base's 6 and B-MIB's");
	mib_table_free(t);
	unlink(p1);
	unlink(p2);
	rmdir(d1);
	rmdir(d2);
}

Test(mib, picks_duplicates_by_smi_version_then_module)
{
	struct mib_diag d = {0};
	const char *dirs[] = {MIB_BASE_DIR};
	struct mib_table *t = build(dirs, 1, "all", &d);
	// RFC1155-SMI (SMIv1) and SNMPv2-SMI both define internet..enterprises
	cr_expect_eq(d.duplicates, 6, "duplicates %zu", d.duplicates);
	expect(t, OID(1, 3, 6, 1, 4, 1), 6, "SNMPv2-SMI::enterprises", 6);
	mib_table_free(t);
}

Test(mib, builds_identical_bytes_whatever_the_order)
{
	const char *ab[] = {GOOD_DIR, MIB_BASE_DIR, NETSNMP_DIR};
	const char *ba[] = {NETSNMP_DIR, MIB_BASE_DIR, GOOD_DIR};
	struct mib_table *t1 = build(ab, 3, "all", NULL);
	struct mib_table *t2 = build(ab, 3, "all", NULL);
	struct mib_table *t3 = build(ba, 3, "all", NULL);
	cr_assert_eq(mib_table_size(t1), mib_table_size(t2));
	cr_expect_arr_eq(mib_table_bytes(t1), mib_table_bytes(t2), mib_table_size(t1));
	cr_assert_eq(mib_table_size(t1), mib_table_size(t3));
	cr_expect_arr_eq(mib_table_bytes(t1), mib_table_bytes(t3), mib_table_size(t1));
	// position-independent: a copy elsewhere answers the same
	struct mib_table *copy = malloc(mib_table_size(t1));
	cr_assert_not_null(copy);
	memcpy(copy, mib_table_bytes(t1), mib_table_size(t1));
	mib_table_free(t1);
	size_t m;
	cr_expect_str_eq(mib_lookup(copy, OID(1, 3, 6, 1, 2, 1, 1, 3, 0), 9, &m, true),
			 "SNMPv2-MIB::sysUpTime");
	mib_table_free(copy);
	mib_table_free(t2);
	mib_table_free(t3);
}

Test(mib, refuses_bad_arguments)
{
	const char *colon[] = {"/tmp:/etc"};
	errno = 0;
	cr_expect_null(mib_table_build(NULL, 1, "all", NULL));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(mib_table_build(colon, 1, "all", NULL));
	cr_expect_eq(errno, EINVAL);
	const char *none[] = {"/nonexistent/mibs"};
	struct mib_diag d = {0};
	struct mib_table *t = build(none, 1, "all", &d);
	cr_expect_eq(mib_table_nodes(t), 3, "only the three roots");
	cr_expect_eq(d.files, 0);
	mib_table_free(t);
	mib_table_free(NULL);
}

struct reader {
	const struct mib_table *t;
	size_t errors;
};

static void *read_all(void *arg)
{
	struct reader *r = arg;
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < mib_table_nodes(r->t); i++) {
			const uint32_t *oid;
			uint32_t inst[MIB_OID_MAX + 1];
			size_t n = mib_node_oid(r->t, (long)i, &oid), m;
			if (n >= MIB_OID_MAX)
				continue;
			memcpy(inst, oid, n * sizeof(*oid));
			inst[n] = UINT32_MAX; // an instance below the node, no child
			if (mib_find(r->t, inst, n + 1, &m) != (long)i || m != n)
				r->errors++;
		}
	}
	return NULL;
}

Test(mib, serves_concurrent_readers)
{
	struct mib_table *t = build_std(NULL);
	struct reader r[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct reader){t, 0};
		cr_assert_eq(pthread_create(&th[i], NULL, read_all, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(r[i].errors, 0);
	}
	mib_table_free(t);
}

// ---- node records: the parent's decoder of what the child sends ----

struct bad_rec {
	const char *what;
	uint8_t bytes[64];
	size_t len;
};

// kind 1 (scalar), syntax 2 (enum), SMIv2, oid 1.3, module "M", name "n"
#define HEAD 1, 2, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3
#define STRS 0, 1, 'M', 0, 1, 'n', 0, 0, 0, 0

ParameterizedTestParameters(mib_record, refuses_malformed_records)
{
	static struct bad_rec cases[] = {
		{"empty", {0}, 0},
		{"truncated header", {1, 2, 1}, 3},
		{"zero-length oid", {1, 2, 1, 0, 0, 0, STRS, 0, 0}, 18},
		{"oid longer than 128", {1, 2, 1, 0, 0, 129, 0, 0, 0, 1}, 10},
		{"oid length lies", {1, 2, 1, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 3}, 14},
		{"kind out of range", {9, 2, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, STRS, 0, 0}, 26},
		{"syntax out of range", {1, 8, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, STRS, 0, 0}, 26},
		{"empty module", {HEAD, 0, 0, 0, 1, 'n', 0, 0, 0, 0, 0, 0}, 25},
		{"NUL in name", {HEAD, 0, 1, 'M', 0, 2, 'n', 0, 0, 0, 0, 0, 0, 0}, 27},
		{"string length lies", {HEAD, 0, 1, 'M', 0, 200, 'n'}, 20},
		{"enum count lies", {HEAD, STRS, 0, 3, 0, 0, 0, 1, 0, 1, 'a'}, 33},
		{"enum count over the limit", {HEAD, STRS, 0x10, 0x01}, 26},
		{"empty label", {HEAD, STRS, 0, 1, 0, 0, 0, 1, 0, 0}, 32},
		{"trailing bytes", {HEAD, STRS, 0, 0, 7}, 27},
	};
	return cr_make_param_array(struct bad_rec, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_rec *c, mib_record, refuses_malformed_records)
{
	struct mib_builder *b = mib_builder_new();
	cr_assert_not_null(b);
	cr_expect_eq(mib_builder_add(b, c->bytes, c->len), -EINVAL, "%s", c->what);
	struct mib_diag d = {0};
	struct mib_table *t = mib_builder_compile(b, &d);
	cr_assert_not_null(t);
	cr_expect_eq(mib_table_nodes(t), 3, "%s: nothing added but the roots", c->what);
	mib_table_free(t);
	mib_builder_free(b);
}

Test(mib_record, accepts_a_well_formed_record)
{
	static const uint8_t rec[] = {HEAD, STRS, 0,	2,    0,    0,	  0, 2, 0,
				      1,    'b',  0xff, 0xff, 0xff, 0xff, 0, 1, 'a'};
	struct mib_builder *b = mib_builder_new();
	cr_assert_eq(mib_builder_add(b, rec, sizeof(rec)), 0);
	struct mib_table *t = mib_builder_compile(b, NULL);
	size_t m;
	long i = mib_find(t, OID(1, 3, 0), 3, &m);
	cr_expect_str_eq(mib_node_qname(t, i), "M::n");
	cr_expect_eq(m, 2);
	cr_expect_str_eq(mib_node_enum(t, i, -1), "a");
	cr_expect_str_eq(mib_node_enum(t, i, 2), "b");
	mib_table_free(t);
	mib_builder_free(b);
}
