/* SPDX-License-Identifier: BSD-3-Clause */
// OID → name translation for the trap sinks: MIB modules compiled once (at
// start and on reload) into one immutable, position-independent table that
// the sinks read per varbind without allocating or locking.
//
// Building: libsmi parses the modules in a child process (fork), which
// streams the nodes back through a pipe; the parent compiles them into the
// table. libsmi keeps its state in globals and crashes on some broken MIBs
// (a 10-line module in tests/data/mibs/broken/ does it): in the child, a
// crash or a hang costs a retry without the culprit file, never the daemon.
// The table never refers to libsmi.
//
// Thread-safety: mib_table_build() keeps no state in the calling process
// (libsmi's globals live only in the forked child, which _exit()s), so any
// thread may build; it blocks for the whole build, so call it from the
// control thread, never a worker. A built table is never modified: any
// number of threads may look it up at once. A caller that ignores SIGCHLD
// loses the child's exit status: a crashing file is still skipped, but
// reported without its signal.
// The builder owns the table it gets until it publishes it; whoever retires
// it last calls mib_table_free().
#ifndef LINERATE_MIB_H
#define LINERATE_MIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIB_OID_MAX	  128	      // sub-identifiers (RFC 2578 section 3.5)
#define MIB_RETRIES_MAX	  16	      // files that crash or hang the parser, per build
#define MIB_FILE_TIMEOUT  30	      // seconds one file may take before it counts as hung
#define MIB_FILE_SIZE_MAX (16u << 20) // larger files are skipped unread

// The default directories, searched in this order after the caller's: the
// net-snmp MIBs Debian ships (libsnmp-base), libsmi's layout if a package or
// the operator filled it, and linerate's own base modules (control/mibs/,
// installed to LINERATE_MIBDIR). Absent directories are skipped silently.
extern const char *const mib_default_dirs[];
extern const size_t mib_default_ndirs;

// Which module wins when several define the same OID: SMIv2 over SMIv1, then
// the module name first in strcmp order, whatever the order of directories
// and files. The walk of libsmi's tree meets the definitions of a node from
// modules that define its parent or have their MODULE-IDENTITY (or first
// definition) there; a rival elsewhere goes unseen and libsmi's pick (an
// SMIv2 module first, then the first loaded) stands (mib_smi.c, walk()).
// A module name found in two directories is taken from the first directory
// searched (libsmi's path order): operators replace a module by putting
// theirs in an earlier directory.
struct mib_diag {
	// in: called once per warning (a file skipped, an unresolved import, a
	// file that crashed or hung the parser), from the calling thread
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
	// out
	size_t files;	   // files tried
	size_t modules;	   // modules loaded (by file or as imports)
	size_t skipped;	   // files that did not load (parse error, not a MIB)
	size_t crashed;	   // files that crashed or hung the parser (also skipped)
	size_t shadowed;   // files whose module name an earlier directory had
	size_t warnings;   // warnings issued
	size_t nodes;	   // nodes in the table
	size_t duplicates; // definitions dropped because another module won the OID
	size_t enum_lists; // distinct enumerations stored
	size_t bytes;	   // table size
};

struct mib_table;

// Load the modules and compile the table. dirs (ndirs entries) are searched
// in order; NULL/0 means mib_default_dirs. modules is NULL or "all" for every
// file in the directories (dot files skipped), else a comma-separated list of
// module names found along the directories. Broken modules are skipped with
// a warning and do not fail the build. Returns the table (free with
// mib_table_free) or NULL with errno set: ENOMEM, EINVAL (bad arguments),
// ECHILD (the parser process failed more than MIB_RETRIES_MAX times or
// outside any file), or a fork/pipe errno. diag may be NULL.
struct mib_table *mib_table_build(const char *const *dirs, size_t ndirs, const char *modules,
				  struct mib_diag *diag);

// Frees a table; NULL is a no-op.
void mib_table_free(struct mib_table *t);

// The table's bytes: position-independent (offsets only), identical for
// identical input; mib_table_size() counts the header.
size_t mib_table_size(const struct mib_table *t);
const void *mib_table_bytes(const struct mib_table *t);
size_t mib_table_nodes(const struct mib_table *t);

enum mib_kind {
	MIB_KIND_NODE, // OBJECT IDENTIFIER, OBJECT-IDENTITY, MODULE-IDENTITY, root
	MIB_KIND_SCALAR,
	MIB_KIND_TABLE,
	MIB_KIND_ROW,
	MIB_KIND_COLUMN,
	MIB_KIND_NOTIFICATION, // NOTIFICATION-TYPE or TRAP-TYPE
	MIB_KIND_GROUP,
	MIB_KIND_COMPLIANCE,
	MIB_KIND_CAPABILITIES,
	MIB_KIND_COUNT
};

enum mib_syntax {
	MIB_SYNTAX_NONE, // not an object, or a SEQUENCE
	MIB_SYNTAX_INTEGER,
	MIB_SYNTAX_ENUM,   // INTEGER with named numbers: mib_enum_label()
	MIB_SYNTAX_BITS,   // named bits: mib_enum_label() with the bit number
	MIB_SYNTAX_OCTETS, // OCTET STRING, IpAddress, Opaque
	MIB_SYNTAX_OID,
	MIB_SYNTAX_UNSIGNED32, // Counter32, Gauge32, Unsigned32, TimeTicks (see mib_node_type)
	MIB_SYNTAX_UNSIGNED64, // Counter64
	MIB_SYNTAX_COUNT
};

// The node of the longest prefix of oid[0..n) the table knows, and in
// *matched how many sub-ids it covers (the rest is the instance: ".0",
// ".3"). Returns a node index, or -1 (*matched = 0) when not even the root
// arc is known. O(log N + depth); no allocation.
long mib_find(const struct mib_table *t, const uint32_t *oid, size_t n, size_t *matched);

// A node's names: "ifIndex" and "IF-MIB::ifIndex" (the roots ccitt, iso and
// joint-iso-ccitt have no module: both are the bare name). Valid while the
// table lives. NULL for an index out of range.
const char *mib_node_name(const struct mib_table *t, long node);
const char *mib_node_qname(const struct mib_table *t, long node);
enum mib_kind mib_node_kind(const struct mib_table *t, long node);
enum mib_syntax mib_node_syntax(const struct mib_table *t, long node);
// The object's type ("DisplayString", "TimeTicks", "InterfaceIndex"; the
// nearest named one for an inline refinement) and its DISPLAY-HINT ("255a",
// "1x:"), or NULL.
const char *mib_node_type(const struct mib_table *t, long node);
const char *mib_node_hint(const struct mib_table *t, long node);
// The node's OID; returns its length (0 for a bad index).
size_t mib_node_oid(const struct mib_table *t, long node, const uint32_t **oid);
// The label of value in the node's enumeration ("up" for ifOperStatus 1), or
// NULL if the node has none or the value is not named. O(log labels).
const char *mib_node_enum(const struct mib_table *t, long node, int64_t value);

// mib_find() + a name: the shapes the sink's renderer calls through
//   const char *(*oid_name)(void *ctx, const uint32_t *oid, size_t n, size_t *matched)
// with ctx the table. mib_oid_name gives "ifIndex", mib_oid_qname
// "IF-MIB::ifIndex"; NULL (and *matched = 0) when nothing matches.
const char *mib_oid_name(void *table, const uint32_t *oid, size_t n, size_t *matched);
const char *mib_oid_qname(void *table, const uint32_t *oid, size_t n, size_t *matched);
const char *mib_lookup(const struct mib_table *t, const uint32_t *oid, size_t n, size_t *matched,
		       bool qualified);

// The label for a varbind's INTEGER value: oid is the varbind's OID (object
// plus instance, e.g. ifOperStatus.3); the label comes from the object's
// enumeration if the longest known prefix is a scalar or column that has one.
const char *mib_enum_label(const struct mib_table *t, const uint32_t *oid, size_t n, int64_t value);

// Name → OID: "IF-MIB::ifIndex", "ifIndex" (first module in strcmp order if
// several define it) or either with a numeric suffix ("sysUpTime.0",
// "IF-MIB::ifIndex.3"). Writes at most cap sub-ids to oid and the length to
// *n. Returns 0, -ENOENT (unknown name), -EINVAL (malformed) or -ENOSPC.
int mib_lookup_name(const struct mib_table *t, const char *name, uint32_t *oid, size_t cap,
		    size_t *n);

#endif
