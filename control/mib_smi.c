/* SPDX-License-Identifier: BSD-3-Clause */
// Loading MIB modules with libsmi, in a child process.
//
// libsmi keeps all its state in globals and crashes on some broken modules
// (tests/data/mibs/broken/LINERATE-CRASH-MIB.txt is ten lines). So the
// parent forks; the child loads the files one by one, saying which file it
// is on, then streams every node definition back through a pipe and
// _exit()s; the parent compiles the table (mib.c). If the child dies or
// stalls on a file, the parent skips that file and starts again: at most
// MIB_RETRIES_MAX times per build.
//
// Messages child → parent: u8 type, u32 length, payload (network order):
//   'F' path        the child starts on a file (or a module name)
//   'D' u8 status   it finished it: 0 loaded, 1 failed, 2 shadowed
//   'W' text        a warning
//   'N' record      one node definition (mib_impl.h)
//   'E' u32 count   the end: modules loaded
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <smi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linerate/wire.h>

#include "mib.h"
#include "mib_impl.h"

#ifndef LINERATE_MIBDIR
#define LINERATE_MIBDIR "/usr/local/share/linerate/mibs"
#endif

const char *const mib_default_dirs[] = {
	"/usr/share/snmp/mibs",	     // libsnmp-base: net-snmp's own MIBs
	"/usr/share/snmp/mibs/iana", // snmp-mibs-downloader's layout (non-free)
	"/usr/share/snmp/mibs/ietf", // ditto
	"/usr/share/mibs/ietf",	     // libsmi's layout (libsmi2-common is empty
	"/usr/share/mibs/iana",	     // in Debian since 2009: the RFC MIBs are
	"/usr/share/mibs/irtf",	     // not DFSG-free)
	"/usr/share/mibs/site",
	"/usr/share/mibs/tubs",
	LINERATE_MIBDIR, // linerate's base modules (control/mibs/)
};
const size_t mib_default_ndirs = sizeof(mib_default_dirs) / sizeof(mib_default_dirs[0]);

#define MSG_MAX	  (1u << 20) // longest message the parent accepts
#define REC_MAX	  (256u << 10)
#define FILE_ERRS 8   // libsmi errors reported per file; the rest counted
#define WARN_MAX  512 // one warning's length

enum { DONE_LOADED, DONE_FAILED, DONE_SHADOWED };

// ---- the child ----

// libsmi's error handler takes no context: this points at the child's state
// (set after fork, in the child only).
static struct child {
	int fd;
	char errs[FILE_ERRS][WARN_MAX];
	size_t n_errs;
	size_t more;
	const char *cur; // the file being loaded
	int syntax;	 // index in errs of its first syntax error, or -1
	char **failed;	 // modules that loaded with syntax errors: no nodes sent
	size_t n_failed;
	SmiNode **seeds; // each module's first definition, in OID order
	size_t n_seeds;
	uint8_t *rec;
} * g_child;

static void send_msg(int fd, uint8_t type, const void *p, size_t len)
{
	uint8_t hdr[5] = {type};
	wire_put_u32(hdr + 1, (uint32_t)len);
	struct {
		const uint8_t *p;
		size_t n;
	} parts[2] = {{hdr, sizeof(hdr)}, {p, len}};
	for (int i = 0; i < 2; i++) {
		while (parts[i].n) {
			ssize_t w = write(fd, parts[i].p, parts[i].n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(3); // the parent is gone
			parts[i].p += w;
			parts[i].n -= (size_t)w;
		}
	}
}

static void send_warn(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void send_warn(int fd, const char *fmt, ...)
{
	char buf[WARN_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	send_msg(fd, 'W', buf, strlen(buf));
}

static void on_smi_error(char *path, int line, int severity, char *msg, char *tag)
{
	(void)severity;
	struct child *c = g_child;
	if (c->n_errs == FILE_ERRS) {
		c->more++;
		return;
	}
	// libsmi tags its grammar's errors internal-other ("syntax error, ...")
	if (c->syntax < 0 && tag && !strcmp(tag, "internal-other") && path && c->cur &&
	    !strcmp(path, c->cur))
		c->syntax = (int)c->n_errs;
	if (path)
		snprintf(c->errs[c->n_errs++], WARN_MAX, "%s:%d: %s", path, line,
			 msg ? msg : "error");
	else
		snprintf(c->errs[c->n_errs++], WARN_MAX, "%s", msg ? msg : "error");
}

static void put_str(struct wire_wr *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > MIB_STR_MAX)
		n = MIB_STR_MAX;
	wire_write_u16(w, (uint16_t)n);
	wire_write_bytes(w, s, n);
}

static const uint8_t kind_of[] = {
	[0] = MIB_KIND_NODE,  [1] = MIB_KIND_SCALAR,	 [2] = MIB_KIND_TABLE,
	[3] = MIB_KIND_ROW,   [4] = MIB_KIND_COLUMN,	 [5] = MIB_KIND_NOTIFICATION,
	[6] = MIB_KIND_GROUP, [7] = MIB_KIND_COMPLIANCE, [8] = MIB_KIND_CAPABILITIES,
};

static int node_kind(SmiNodekind k)
{
	for (unsigned i = 0; i < sizeof(kind_of); i++)
		if (k == (1u << i))
			return kind_of[i];
	return -1;
}

static uint8_t syntax_of(SmiType *ty)
{
	if (!ty)
		return MIB_SYNTAX_NONE;
	switch (ty->basetype) {
	case SMI_BASETYPE_INTEGER32:
	case SMI_BASETYPE_INTEGER64:
		return MIB_SYNTAX_INTEGER;
	case SMI_BASETYPE_ENUM:
		return MIB_SYNTAX_ENUM;
	case SMI_BASETYPE_BITS:
		return MIB_SYNTAX_BITS;
	case SMI_BASETYPE_OCTETSTRING:
		return MIB_SYNTAX_OCTETS;
	case SMI_BASETYPE_OBJECTIDENTIFIER:
		return MIB_SYNTAX_OID;
	case SMI_BASETYPE_UNSIGNED32:
		return MIB_SYNTAX_UNSIGNED32;
	case SMI_BASETYPE_UNSIGNED64:
		return MIB_SYNTAX_UNSIGNED64;
	default:
		return MIB_SYNTAX_NONE;
	}
}

// libsmi's own names for the types an inline SYNTAX refines, as a MIB
// would write them.
static const char *builtin_name(SmiType *ty)
{
	static const char *const names[][2] = {
		{"Enumeration", "INTEGER"},
		{"Bits", "BITS"},
		{"OctetString", "OCTET STRING"},
		{"ObjectIdentifier", "OBJECT IDENTIFIER"},
	};
	SmiModule *m = smiGetTypeModule(ty);
	if (m && m->name && m->name[0])
		return ty->name;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(ty->name, names[i][0]))
			return names[i][1];
	return ty->name;
}

// Encodes one node; with_enums false drops its named numbers (a record that
// would not fit otherwise).
static size_t encode_node(uint8_t *buf, SmiModule *m, SmiNode *nd, int kind, bool with_enums)
{
	struct wire_wr w;
	SmiType *ty = smiGetNodeType(nd);
	const char *tname = NULL, *hint = NULL;
	// the nearest named type and the nearest DISPLAY-HINT up the chain
	SmiType *up = ty;
	for (int i = 0; up && i < 16 && (!tname || !hint); i++, up = smiGetParentType(up)) {
		if (!tname && up->name && up->name[0])
			tname = builtin_name(up);
		if (!hint && up->format && up->format[0])
			hint = up->format;
	}
	wire_wr_init(&w, buf, REC_MAX);
	wire_write_u8(&w, (uint8_t)kind);
	wire_write_u8(&w, syntax_of(ty));
	wire_write_u8(&w, m->language == SMI_LANGUAGE_SMIV2);
	wire_write_u8(&w, 0);
	wire_write_u16(&w, (uint16_t)nd->oidlen);
	for (unsigned i = 0; i < nd->oidlen; i++)
		wire_write_u32(&w, nd->oid[i]);
	put_str(&w, m->name);
	put_str(&w, nd->name);
	put_str(&w, tname);
	put_str(&w, hint);
	uint8_t *count = w.pos;
	wire_write_u16(&w, 0);
	uint16_t n = 0;
	bool named = ty && (ty->basetype == SMI_BASETYPE_ENUM || ty->basetype == SMI_BASETYPE_BITS);
	for (SmiNamedNumber *nn = named && with_enums ? smiGetFirstNamedNumber(ty) : NULL;
	     nn && n < MIB_ENUM_MAX; nn = smiGetNextNamedNumber(nn), n++) {
		int64_t v = ty->basetype == SMI_BASETYPE_BITS ? (int64_t)nn->value.value.unsigned32
							      : (int64_t)nn->value.value.integer32;
		wire_write_u32(&w, (uint32_t)(int32_t)v);
		put_str(&w, nn->name);
	}
	if (w.err)
		return 0;
	wire_put_u16(count, n);
	return wire_wr_len(&w);
}

static bool listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static void send_object(struct child *c, SmiNode *nd)
{
	SmiModule *m = smiGetNodeModule(nd);
	int kind = node_kind(nd->nodekind);
	// libsmi's placeholders (implicit nodes, the roots) have no module or
	// no kind; a module with a syntax error is not trusted
	if (kind < 0 || !m || !m->name || !m->name[0] || !nd->name || !nd->name[0] ||
	    nd->name[0] == '<' || nd->oidlen == 0 || nd->oidlen > MIB_OID_MAX ||
	    listed(c->failed, c->n_failed, m->name))
		return;
	size_t len = encode_node(c->rec, m, nd, kind, true);
	if (!len)
		len = encode_node(c->rec, m, nd, kind, false);
	if (len)
		send_msg(c->fd, 'N', c->rec, len);
}

// Sends every definition of the children of a node, then recurses. objs[]
// are the node's definitions, one per module. libsmi's smiGetFirstNode()
// and smiGetNextNode() rescan whole subtrees at every step (quadratic:
// 36 s for 100 modules of 1,000 objects sharing a prefix); one walk of the
// tree instead, with one child iterator per definition of the parent: each
// yields its own module's definition of a child when there is one, else
// libsmi's pick, and all of them step through the same child nodes. A
// module that defines a node but not its parent joins at its MODULE-IDENTITY
// or else its first definition (the seeds). A duplicate elsewhere (a module
// defining, beside another module, a node whose parent it does not define,
// away from its seed) is not seen: libsmi's pick stands there.
static int node_cmp(const void *pa, const void *pb)
{
	const SmiNode *a = *(SmiNode *const *)pa, *b = *(SmiNode *const *)pb;
	for (unsigned i = 0; i < a->oidlen && i < b->oidlen; i++)
		if (a->oid[i] != b->oid[i])
			return a->oid[i] < b->oid[i] ? -1 : 1;
	return (a->oidlen > b->oidlen) - (a->oidlen < b->oidlen);
}

// Adds to kids[0..k) the seeds at the same node, one per module; returns
// the new count.
static size_t add_seeds(struct child *c, SmiNode **kids, size_t k)
{
	size_t lo = 0, hi = c->n_seeds, n = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (node_cmp(&c->seeds[mid], &kids[0]) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->n_seeds && !node_cmp(&c->seeds[lo], &kids[0]); lo++) {
		SmiModule *m = smiGetNodeModule(c->seeds[lo]);
		size_t j = 0;
		while (j < n && smiGetNodeModule(kids[j]) != m)
			j++;
		if (j == n)
			kids[n++] = c->seeds[lo];
	}
	return n;
}

static void walk(struct child *c, SmiNode **objs, size_t n, unsigned depth)
{
	if (n == 0 || depth >= MIB_OID_MAX)
		return;
	SmiNode **it = malloc(n * sizeof(*it));
	SmiNode **kids = malloc((n + c->n_seeds) * sizeof(*kids));
	if (!it || !kids)
		_exit(2);
	for (size_t i = 0; i < n; i++)
		it[i] = smiGetFirstChildNode(objs[i]);
	while (it[0]) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!it[i])
				continue;
			SmiModule *m = smiGetNodeModule(it[i]);
			size_t j = 0;
			while (j < k && smiGetNodeModule(kids[j]) != m)
				j++;
			if (j == k)
				kids[k++] = it[i];
		}
		k = add_seeds(c, kids, k);
		for (size_t i = 0; i < k; i++)
			send_object(c, kids[i]);
		walk(c, kids, k, depth + 1);
		for (size_t i = 0; i < n; i++)
			it[i] = it[i] ? smiGetNextChildNode(it[i]) : NULL;
	}
	free(it);
	free(kids);
}

// The next token of a MIB module's text: an identifier or "::=" (other
// characters are one-character tokens); comments and strings skipped.
// Returns its length, 0 at the end.
static size_t mib_token(const char **pp, const char *end, const char **tok)
{
	const char *p = *pp;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') { // to "--" or the line's end
			for (p += 2; p < end && *p != '\n'; p++)
				if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
					p += 2;
					break;
				}
			continue;
		}
		if (p < end && *p == '"') {
			for (p++; p < end && *p != '"'; p++)
				;
			p += p < end;
			continue;
		}
		break;
	}
	*tok = p;
	if (p == end)
		return 0;
	if (end - p >= 3 && !memcmp(p, "::=", 3))
		p += 3;
	else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
		while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			p++;
	else
		p++;
	*pp = p;
	return (size_t)(p - *tok);
}

static bool tok_is(const char *t, size_t n, const char *word)
{
	return n == strlen(word) && !memcmp(t, word, n);
}

// The name of the first OID definition in a MIB file ("name OBJECT
// IDENTIFIER ::=", "name OBJECT-TYPE", ...), the walk's seed for a module
// without MODULE-IDENTITY. A heuristic over text libsmi already parsed:
// false when nothing matches.
static bool first_definition(const char *path, char *name, size_t cap)
{
	static const char *const macros[] = {
		"OBJECT-TYPE",	"OBJECT-IDENTITY",    "NOTIFICATION-TYPE", "TRAP-TYPE",
		"OBJECT-GROUP", "NOTIFICATION-GROUP", "MODULE-COMPLIANCE", "AGENT-CAPABILITIES"};
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char *buf = malloc(MIB_FILE_SIZE_MAX);
	size_t len = buf ? fread(buf, 1, MIB_FILE_SIZE_MAX, f) : 0;
	fclose(f);
	const char *p = buf, *end = buf + len, *t[4];
	size_t n[4] = {0};
	bool found = false;
	// a window of four tokens: t[0] the candidate name
	for (int i = 0; i < 4; i++)
		n[i] = mib_token(&p, end, &t[i]);
	while (!found && n[0]) {
		if (t[0][0] >= 'a' && t[0][0] <= 'z' && n[0] < cap) {
			found = tok_is(t[1], n[1], "OBJECT") && tok_is(t[2], n[2], "IDENTIFIER") &&
				tok_is(t[3], n[3], "::=");
			for (size_t i = 0; !found && i < sizeof(macros) / sizeof(macros[0]); i++)
				found = tok_is(t[1], n[1], macros[i]);
		}
		if (found) {
			memcpy(name, t[0], n[0]);
			name[n[0]] = '\0';
			break;
		}
		memmove(t, t + 1, 3 * sizeof(t[0]));
		memmove(n, n + 1, 3 * sizeof(n[0]));
		n[3] = mib_token(&p, end, &t[3]);
	}
	free(buf);
	return found;
}

static void send_nodes(struct child *c, size_t *modules)
{
	size_t cap = 0;
	for (SmiModule *m = smiGetFirstModule(); m; m = smiGetNextModule(m))
		cap++;
	if (!(c->seeds = malloc((cap + 1) * sizeof(*c->seeds))))
		_exit(2);
	for (SmiModule *m = smiGetFirstModule(); m; m = smiGetNextModule(m)) {
		if (!m->name || !m->name[0] || listed(c->failed, c->n_failed, m->name))
			continue;
		(*modules)++;
		// the MODULE-IDENTITY, else the first definition in the file:
		// smiGetFirstNode() would rescan the whole tree at every step
		// for a module that defines no node (SNMPv2-CONF, RFC-1212)
		SmiNode *first = smiGetModuleIdentityNode(m);
		char name[128];
		if (!first && m->path && first_definition(m->path, name, sizeof(name)))
			first = smiGetNode(m, name);
		if (first && c->n_seeds < cap)
			c->seeds[c->n_seeds++] = first;
	}
	qsort(c->seeds, c->n_seeds, sizeof(*c->seeds), node_cmp);
	for (SmiSubid arc = 0; arc <= 2; arc++) {
		SmiNode *root = smiGetNodeByOID(1, &arc);
		if (root)
			walk(c, &root, 1, 1);
	}
}

// Loads one file (a path) or one module (a name along the path).
static void load_one(struct child *c, const char *what, bool is_path)
{
	c->n_errs = 0;
	c->more = 0;
	c->cur = what;
	c->syntax = -1;
	send_msg(c->fd, 'F', what, strlen(what));
	char *mod = smiLoadModule(what);
	uint8_t status = DONE_LOADED;
	if (mod && c->syntax >= 0) {
		// libsmi recovers from syntax errors and keeps what it could
		// parse; a module with one is not trusted: none of its nodes
		char **f = realloc(c->failed, (c->n_failed + 1) * sizeof(*f));
		if (!f || !(f[c->n_failed] = strdup(mod)))
			_exit(2);
		c->failed = f;
		c->n_failed++;
		status = DONE_FAILED;
		send_warn(c->fd, "skipping %s: libsmi: %s", what, c->errs[c->syntax]);
	} else if (!mod) {
		status = DONE_FAILED;
		if (c->n_errs)
			send_warn(c->fd, "skipping %s: libsmi: %s%s", what, c->errs[0],
				  c->n_errs + c->more > 1 ? " (and more)" : "");
		else
			send_warn(c->fd, "skipping %s: not a MIB module libsmi can load", what);
	} else {
		for (size_t i = 0; i < c->n_errs; i++)
			send_warn(c->fd, "%s (module %s loaded)", c->errs[i], mod);
		if (c->more)
			send_warn(c->fd, "%s: %zu more libsmi errors", what, c->more);
		SmiModule *m = smiGetModule(mod);
		if (is_path && m && m->path && strcmp(m->path, what))
			status = DONE_SHADOWED;
	}
	send_msg(c->fd, 'D', &status, 1);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name); // not alphasort: locale-free
}

static void load_dir(struct child *c, const char *dir, char *const *skip, size_t n_skip)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, name_cmp);
	if (n < 0)
		return; // absent directories are skipped silently
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		const char *name = ents[i]->d_name;
		if (name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
		    stat(path, &st) || !S_ISREG(st.st_mode) || listed(skip, n_skip, path))
			continue;
		if ((uint64_t)st.st_size > MIB_FILE_SIZE_MAX) {
			send_warn(c->fd, "skipping %s: larger than %u octets", path,
				  MIB_FILE_SIZE_MAX);
			continue;
		}
		load_one(c, path, true);
	}
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

static void child_main(int fd, const char *const *dirs, size_t ndirs, const char *modules,
		       char *const *skip, size_t n_skip)
{
	static struct child c;
	c.fd = fd;
	c.rec = malloc(REC_MAX);
	g_child = &c;
	size_t plen = 1;
	for (size_t i = 0; i < ndirs; i++)
		plen += strlen(dirs[i]) + 1;
	char *path = calloc(1, plen);
	if (!c.rec || !path)
		_exit(2);
	for (size_t i = 0; i < ndirs; i++) {
		if (i)
			strcat(path, ":");
		strcat(path, dirs[i]);
	}
	// smiInit(NULL) reads neither /etc/smi.conf nor ~/.smirc: what loads
	// and from where depends only on our arguments (SMIPATH is replaced)
	smiInit(NULL);
	smiSetPath(path);
	smiSetFlags(SMI_FLAG_NODESCR | SMI_FLAG_ERRORS);
	smiSetErrorLevel(1); // severe errors only: the rest is lint
	smiSetErrorHandler(on_smi_error);
	if (!modules || !strcmp(modules, "all")) {
		for (size_t i = 0; i < ndirs; i++)
			load_dir(&c, dirs[i], skip, n_skip);
	} else {
		char *list = strdup(modules), *save = NULL;
		if (!list)
			_exit(2);
		for (char *m = strtok_r(list, ", ", &save); m; m = strtok_r(NULL, ", ", &save))
			if (!listed(skip, n_skip, m))
				load_one(&c, m, false);
		free(list);
	}
	size_t n_mod = 0;
	send_nodes(&c, &n_mod);
	uint8_t end[4];
	wire_put_u32(end, (uint32_t)n_mod);
	send_msg(fd, 'E', end, sizeof(end));
	smiExit();
	_exit(0);
}

// ---- the parent ----

struct attempt {
	struct mib_builder *b;
	char **warns; // this attempt's warnings, delivered only if it completes
	size_t n_warns;
	char *cur; // the file the child is on ('F' without 'D')
	size_t files, skipped, shadowed, modules;
	bool ended;
};

static void attempt_reset(struct attempt *a)
{
	mib_builder_free(a->b);
	for (size_t i = 0; i < a->n_warns; i++)
		free(a->warns[i]);
	free(a->warns);
	free(a->cur);
	*a = (struct attempt){0};
}

static int push_str(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	if (!(nv[*n] = strndup(s, len)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int on_msg(struct attempt *a, uint8_t type, const uint8_t *p, size_t len)
{
	switch (type) {
	case 'F':
		free(a->cur);
		a->files++;
		return (a->cur = strndup((const char *)p, len)) ? 0 : -ENOMEM;
	case 'D':
		if (len != 1 || !a->cur)
			return -EPROTO;
		a->skipped += p[0] == DONE_FAILED;
		a->shadowed += p[0] == DONE_SHADOWED;
		free(a->cur);
		a->cur = NULL;
		return 0;
	case 'W':
		return push_str(&a->warns, &a->n_warns, (const char *)p, len);
	case 'N':
		return mib_builder_add(a->b, p, len);
	case 'E':
		if (len != 4 || a->cur)
			return -EPROTO;
		a->modules = wire_get_u32(p);
		a->ended = true;
		return 0;
	default:
		return -EPROTO;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Reads the child's messages until EOF; returns 0 (EOF), -ETIMEDOUT (no
// progress for MIB_FILE_TIMEOUT seconds), or a negative errno (protocol).
static int read_child(int fd, struct attempt *a)
{
	uint8_t *buf = malloc(MSG_MAX + 5);
	size_t have = 0;
	int rc = 0;
	if (!buf)
		return -ENOMEM;
	int64_t last = now_ms();
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = last + MIB_FILE_TIMEOUT * 1000 - now_ms();
		if (left <= 0) {
			rc = -ETIMEDOUT;
			break;
		}
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0) {
			rc = -errno;
			break;
		}
		if (pr == 0)
			continue;
		ssize_t r = read(fd, buf + have, MSG_MAX + 5 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		last = now_ms();
		size_t at = 0;
		while (have - at >= 5) {
			uint32_t len = wire_get_u32(buf + at + 1);
			if (len > MSG_MAX) {
				rc = -EPROTO;
				goto out;
			}
			if (have - at < 5 + (size_t)len)
				break;
			if ((rc = on_msg(a, buf[at], buf + at + 5, len)))
				goto out;
			at += 5 + len;
		}
		memmove(buf, buf + at, have - at);
		have -= at;
	}
out:
	free(buf);
	return rc;
}

static void warn(struct mib_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct mib_diag *d, const char *fmt, ...)
{
	char buf[WARN_MAX + 64];
	va_list ap;
	if (!d)
		return;
	d->warnings++;
	if (!d->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->warn(d->warn_arg, buf);
}

// One run of the child. Returns 0 when it ended cleanly, 1 when it died or
// stalled on a file (added to *skip, warned), or a negative errno.
static int attempt_run(struct attempt *a, const char *const *dirs, size_t ndirs,
		       const char *modules, char ***skip, size_t *n_skip, struct mib_diag *d)
{
	int fds[2];
	if (!(a->b = mib_builder_new()))
		return -ENOMEM;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		// die of what kills it, even under a sanitizer that would turn a
		// SIGSEGV into an exit status: the parent reports the signal
		signal(SIGPIPE, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		child_main(fds[1], dirs, ndirs, modules, *skip, *n_skip);
	}
	close(fds[1]);
	int rc = read_child(fds[0], a);
	close(fds[0]);
	if (rc == -ETIMEDOUT)
		kill(pid, SIGKILL); // our own child, by its pid
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (rc && rc != -ETIMEDOUT)
		return rc;
	if (rc == 0 && a->ended && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (!a->cur)
		return -ECHILD; // it failed outside any file: nothing to skip
	if (push_str(skip, n_skip, a->cur, strlen(a->cur)))
		return -ENOMEM;
	d->crashed++;
	if (rc == -ETIMEDOUT)
		warn(d, "skipping %s: the MIB parser made no progress for %d s on it", a->cur,
		     MIB_FILE_TIMEOUT);
	else if (WIFSIGNALED(st))
		warn(d, "skipping %s: the MIB parser crashed on it (signal %d)", a->cur,
		     WTERMSIG(st));
	else
		warn(d, "skipping %s: the MIB parser exited with status %d on it", a->cur,
		     WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 1;
}

struct mib_table *mib_table_build(const char *const *dirs, size_t ndirs, const char *modules,
				  struct mib_diag *diag)
{
	struct mib_diag local = {0};
	struct mib_diag *d = diag ? diag : &local;
	struct attempt a = {0};
	struct mib_table *t = NULL;
	char **skip = NULL;
	size_t n_skip = 0;
	int rc = -ECHILD;

	if ((!dirs) != (ndirs == 0)) {
		errno = EINVAL;
		return NULL;
	}
	if (!dirs) {
		dirs = mib_default_dirs;
		ndirs = mib_default_ndirs;
	}
	for (size_t i = 0; i < ndirs; i++) {
		if (!dirs[i] || strchr(dirs[i], ':')) { // ':' separates libsmi's path
			errno = EINVAL;
			return NULL;
		}
	}
	void (*w)(void *, const char *) = d->warn;
	void *warg = d->warn_arg;
	*d = (struct mib_diag){.warn = w, .warn_arg = warg};
	for (int i = 0; i <= MIB_RETRIES_MAX; i++) {
		attempt_reset(&a);
		rc = attempt_run(&a, dirs, ndirs, modules, &skip, &n_skip, d);
		if (rc <= 0)
			break;
		rc = -ECHILD;
	}
	if (rc == 0) {
		for (size_t i = 0; i < a.n_warns; i++)
			warn(d, "%s", a.warns[i]);
		d->files = a.files + d->crashed;
		d->modules = a.modules;
		d->skipped = a.skipped + d->crashed;
		d->shadowed = a.shadowed;
		t = mib_builder_compile(a.b, d);
		rc = t ? 0 : -ENOMEM;
	}
	attempt_reset(&a);
	for (size_t i = 0; i < n_skip; i++)
		free(skip[i]);
	free(skip);
	if (rc)
		errno = -rc;
	return t;
}
