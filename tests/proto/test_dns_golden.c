/* SPDX-License-Identifier: BSD-3-Clause */
// Golden vectors from encoders nobody here wrote (tests/data/gen_*.py):
// every rdata vector must convert both ways exactly as dnspython, Knot or
// ldns did, and every message must parse to the facts dnspython read from
// it. Each test walks its whole file and reports every mismatch, naming
// the line, in one failure.
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_msg.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>

#define RDATA_TSV TEST_DATA_DIR "/rdata_golden.tsv"
#define MSG_TSV TEST_DATA_DIR "/msg_golden.tsv"
#define TEXT_MAX (4 * DNS_RDATA_MAXLEN + 64) // "\# 65535 " + hex, or \DDD-escaped text
#define REPORT_MAX 60                       // mismatches spelt out; the rest are counted

// Deliberate differences from the independent presentation: rows where our
// text is another spelling, justified by an RFC. Our text must read back to
// the row's wire. Their text must read back to it too, unless `lossy` says
// it cannot (the independent printer dropped information; the row then
// checks that our reader of their text indeed gets other octets, so the
// entry goes stale, and fails, if that ever changes).
//
// Differences that no vector can show are tested in test_dns_rdata.c
// (wire_text_wire_is_exact): a TSIG/TKEY error above 4095 prints as a
// number (dnspython refuses to print it; RFC 8945 §4.2 gives the field 16
// bits), and WKS with no bitmap prints without dnspython's trailing blank.
// Types dnspython prints only as "\#" (NXT, ATMA, A6, SINK, UINFO, UID,
// GID, TA, ...) are source=generic rows, where any text of ours must read
// back to the wire; their RFC and BIND forms are in test_dns_rdata.c.
struct golden_diff {
	const char *mnemonic;
	const char *theirs;
	const char *ours;
	bool lossy;
	const char *why; // RFC and section
};
static const struct golden_diff golden_diffs[] = {
	{"WKS", "192.0.2.1 6 1", "\\# 9 c00002010640000000", true,
	 "RFC 1035 §3.4.2 allows zero octets at the end of the bit map, and a port list cannot "
	 "say how many there were; RFC 3597 §5 lets any type use the generic form, which keeps them"},
	{"ISDN", "\"1\"", "\"1\" \"\"", true,
	 "RFC 1183 §3.2: the subaddress is optional, so a present empty one is different rdata "
	 "from an absent one; \"\" says which"},
	{"LOC", "46 3 36.891 N 9 14 54.684 W 0.00m 0.00m 10000.00m 6.00m",
	 "\\# 16 0002166289e22a3b7e03f6a400989680", true,
	 "RFC 1876 §2: a size of mantissa 0 is zero whatever its exponent, and \"0.00m\" is read as "
	 "0 x 10^0; the generic form (RFC 3597 §5) keeps the octet"},
	{NULL, NULL, NULL, false, NULL},
};
// The dnspython-wire rows for HINFO and CAA need no entry: we print octet
// 255 as "\255" as dnspython does, but read "\255" back as that one octet
// (RFC 1035 §5.1: \DDD is the octet DDD), where dnspython writes the UTF-8
// form of U+00FF.

// Meta types the generator leaves out (its EXCLUDED, written on the TSV's
// third comment line): no presentation format.
#define EXCLUDED_PREFIX "# excluded meta types:"

// Registry types from the X-macro itself, so coverage does not depend on
// the registry's implementation.
static const struct {
	const char *sym;
	uint16_t num;
} registry[] = {
#define GOLDEN_TYPE_(sym, num) {#sym, num},
	DNS_RRTYPES(GOLDEN_TYPE_)
#undef GOLDEN_TYPE_
};
#define REGISTRY_N (sizeof(registry) / sizeof(registry[0]))

// Mismatches collected over a whole file.
struct report {
	char *buf;
	size_t len;
	FILE *f;
	int fails;
};

static void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->f = open_memstream(&r->buf, &r->len);
	cr_assert_not_null(r->f);
}

__attribute__((format(printf, 2, 3))) static void report_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	if (r->fails++ >= REPORT_MAX)
		return;
	va_start(ap, fmt);
	vfprintf(r->f, fmt, ap);
	va_end(ap);
	fputc('\n', r->f);
}

static void report_finish(struct report *r, const char *what)
{
	static char msg[32768];
	fclose(r->f);
	if (r->fails > REPORT_MAX)
		snprintf(msg, sizeof(msg), "%s: %d mismatches (first %d):\n%s", what, r->fails, REPORT_MAX,
			 r->buf);
	else
		snprintf(msg, sizeof(msg), "%s: %d mismatches:\n%s", what, r->fails, r->buf);
	free(r->buf);
	cr_assert_eq(r->fails, 0, "%s", msg);
}

static int hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static void hex_encode(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

// Split line (trailing newline removed) at tabs into at most max fields.
static int split_tabs(char *line, char **field, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		field[n++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

// Call row() for every vector line of a TSV file that has exactly nfields
// fields (others are reported), and comment() for every comment line.
// Returns the number of rows.
static int walk_tsv(const char *path, int nfields, struct report *r,
		    void (*row)(struct report *r, int line, char **field, void *ctx),
		    void (*comment)(const char *line, void *ctx), void *ctx)
{
	FILE *fp = fopen(path, "r");
	cr_assert_not_null(fp, "cannot open %s", path);
	char *line = NULL, *field[8];
	size_t cap = 0;
	int lineno = 0, rows = 0;
	while (getline(&line, &cap, fp) > 0) {
		lineno++;
		if (line[0] == '#' && comment)
			comment(line, ctx);
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (split_tabs(line, field, nfields + 1) != nfields) {
			report_add(r, "line %d: not %d tab-separated fields", lineno, nfields);
			continue;
		}
		rows++;
		row(r, lineno, field, ctx);
	}
	free(line);
	fclose(fp);
	return rows;
}

static const struct golden_diff *find_diff(const char *mnemonic, const char *theirs)
{
	for (const struct golden_diff *d = golden_diffs; d->mnemonic; d++)
		if (!strcmp(d->mnemonic, mnemonic) && !strcmp(d->theirs, theirs))
			return d;
	return NULL;
}

// Our text → wire must give exactly want[0..wlen).
static void expect_from_text(struct report *r, int line, const char *mn, uint16_t type, const char *text,
			     const uint8_t *want, int wlen, const char *what)
{
	static uint8_t got[DNS_RDATA_MAXLEN];
	static char hex[2 * DNS_RDATA_MAXLEN + 1];
	size_t err_off = 0;
	int n = dns_rdata_from_text(type, text, strlen(text), NULL, got, sizeof(got), &err_off);
	if (n < 0) {
		report_add(r, "line %d %s \"%s\": %s from_text failed: %s at offset %zu", line, mn, text, what,
			   dns_strerror_sym(n), err_off);
	} else if (n != wlen || memcmp(got, want, (size_t)n)) {
		hex_encode(got, (size_t)n, hex);
		report_add(r, "line %d %s \"%s\": %s from_text gave %s", line, mn, text, what, hex);
	}
}

// A lossy independent text: our reading of it must give other octets.
static void expect_other_wire(struct report *r, int line, const char *mn, uint16_t type,
			      const char *text, const uint8_t *wire, int wlen)
{
	static uint8_t got[DNS_RDATA_MAXLEN];
	int n = dns_rdata_from_text(type, text, strlen(text), NULL, got, sizeof(got), NULL);
	if (n < 0)
		report_add(r, "line %d %s \"%s\": lossy text unreadable: %s", line, mn, text,
			   dns_strerror_sym(n));
	else if (n == wlen && !memcmp(got, wire, (size_t)n))
		report_add(r, "line %d %s \"%s\": listed lossy but reads back exactly", line, mn, text);
}

// Our wire → text must be want.
static void expect_to_text(struct report *r, int line, const char *mn, uint16_t type, const uint8_t *wire,
			   int wlen, const char *want)
{
	static char got[TEXT_MAX];
	int n = dns_rdata_to_text(type, wire, (size_t)wlen, got, sizeof(got));
	if (n < 0)
		report_add(r, "line %d %s \"%s\": to_text failed: %s", line, mn, want, dns_strerror_sym(n));
	else if (strcmp(got, want) || (size_t)n != strlen(want))
		report_add(r, "line %d %s \"%s\": to_text gave \"%s\" (length %d)", line, mn, want, got, n);
}

static void check_rdata_row(struct report *r, int line, char **f)
{
	static uint8_t wire[DNS_RDATA_MAXLEN];
	static char own[TEXT_MAX];
	const char *mn = f[0], *text = f[2], *source = f[4];
	long num = strtol(f[1], NULL, 10);
	uint16_t type = 0;
	int rc = dns_type_from_text(mn, strlen(mn), &type);
	if (rc != 0 || type != num)
		report_add(r, "line %d %s: type_from_text gave %d (%s), want %ld", line, mn, (int)type,
			   dns_strerror_sym(rc), num);
	type = (uint16_t)num;
	int wlen = hex_decode(f[3], wire, sizeof(wire));
	if (wlen < 0) {
		report_add(r, "line %d %s: bad hex in the vector file", line, mn);
		return;
	}
	rc = dns_rdata_check(type, wire, (size_t)wlen);
	if (rc != 0)
		report_add(r, "line %d %s \"%s\": check failed: %s", line, mn, text, dns_strerror_sym(rc));

	if (!strcmp(source, "source=generic")) {
		// No independent presentation: the RFC 3597 form round-trips, and
		// so does whatever we print for the same wire.
		expect_from_text(r, line, mn, type, text, wire, wlen, "generic");
		int n = dns_rdata_to_generic(wire, (size_t)wlen, own, sizeof(own));
		if (n < 0 || strcmp(own, text))
			report_add(r, "line %d %s \"%s\": to_generic gave \"%s\" (%d)", line, mn, text,
				   n < 0 ? "" : own, n);
		n = dns_rdata_to_text(type, wire, (size_t)wlen, own, sizeof(own));
		if (n < 0)
			report_add(r, "line %d %s \"%s\": to_text failed: %s", line, mn, text,
				   dns_strerror_sym(n));
		else
			expect_from_text(r, line, mn, type, own, wire, wlen, "own text");
		return;
	}

	const struct golden_diff *d = find_diff(mn, text);
	if (d && d->lossy)
		expect_other_wire(r, line, mn, type, text, wire, wlen);
	else
		expect_from_text(r, line, mn, type, text, wire, wlen, source);
	if (d) {
		expect_to_text(r, line, mn, type, wire, wlen, d->ours);
		expect_from_text(r, line, mn, type, d->ours, wire, wlen, "deliberate difference");
	} else {
		expect_to_text(r, line, mn, type, wire, wlen, text);
	}
}

static bool type_listed(const char *list, const char *sym)
{
	size_t n = strlen(sym);
	for (const char *p = list; (p = strstr(p, sym)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

struct rdata_walk {
	char excluded[256];
	bool covered[REGISTRY_N];
};

static void rdata_comment(const char *line, void *ctx)
{
	struct rdata_walk *w = ctx;
	if (!strncmp(line, EXCLUDED_PREFIX, strlen(EXCLUDED_PREFIX))) {
		snprintf(w->excluded, sizeof(w->excluded), "%s", line + strlen(EXCLUDED_PREFIX));
		w->excluded[strcspn(w->excluded, "\r\n")] = '\0';
	}
}

static void rdata_row(struct report *r, int line, char **field, void *ctx)
{
	struct rdata_walk *w = ctx;
	if (strncmp(field[4], "source=", 7)) {
		report_add(r, "line %d: fifth field is not source=", line);
		return;
	}
	for (size_t i = 0; i < REGISTRY_N; i++)
		if (registry[i].num == strtol(field[1], NULL, 10))
			w->covered[i] = true;
	check_rdata_row(r, line, field);
}

Test(dns_golden, rdata_vectors_convert_both_ways_as_the_independent_encoders_do)
{
	static struct rdata_walk w;
	struct report r;
	report_init(&r);
	int rows = walk_tsv(RDATA_TSV, 5, &r, rdata_row, rdata_comment, &w);
	const char *excluded = w.excluded;
	const bool *covered = w.covered;

	// Every registry type has vectors unless the generator excluded it.
	size_t nexcluded = 0;
	for (size_t i = 0; i < REGISTRY_N; i++) {
		char sym[16];
		snprintf(sym, sizeof(sym), "%s", registry[i].sym);
		if (type_listed(excluded, sym))
			nexcluded++;
		else if (!covered[i])
			report_add(&r, "type %s (%u) has no golden vector", sym, registry[i].num);
	}
	cr_expect_eq(nexcluded, 6, "excluded meta types line: \"%s\"", excluded);
	cr_expect_geq((size_t)rows, REGISTRY_N - nexcluded, "only %d rows for %zu registry types", rows,
		      REGISTRY_N - nexcluded);
	report_finish(&r, RDATA_TSV);
}

// ---------------------------------------------------------------------------
// Messages.

#define FACTS_MAX 64

struct facts {
	int n;
	char *key[FACTS_MAX];
	char *val[FACTS_MAX];
};

// Split "k=v;k=v" in place.
static void facts_split(char *s, struct facts *fs)
{
	fs->n = 0;
	for (char *tok = strtok(s, ";"); tok && fs->n < FACTS_MAX; tok = strtok(NULL, ";")) {
		char *eq = strchr(tok, '=');
		fs->key[fs->n] = tok;
		fs->val[fs->n] = eq ? eq + 1 : (char *)"";
		if (eq)
			*eq = '\0';
		fs->n++;
	}
}

static const char *facts_get(const struct facts *fs, const char *key)
{
	for (int i = 0; i < fs->n; i++)
		if (!strcmp(fs->key[i], key))
			return fs->val[i];
	return NULL;
}

// Our facts of a parsed message, in the generator's format. Returns 0, or
// a negative code of the first call that failed (its name in *what).
static int our_facts(const struct dns_msg *m, FILE *o, const char **what)
{
	static uint8_t rdata[DNS_RDATA_MAXLEN];
	static char text[TEXT_MAX];
	char nbuf[DNS_NAME_TEXT_MAX], t1[16], t2[16];
	uint8_t name[DNS_NAME_MAXLEN];
	int rc;

	fprintf(o, "id=%u;flags=0x%04x;qd=%u;an=%u;ns=%u;ar=%u", m->hdr.id, m->hdr.flags,
		m->hdr.count[0], m->hdr.count[1], m->hdr.count[2], m->hdr.count[3]);
	if (m->hdr.count[DNS_SECTION_QUESTION]) {
		size_t pos = m->qname_off;
		*what = "qname unpack";
		if ((rc = dns_name_unpack(m->wire, m->len, DNS_HEADER_LEN, &pos, name)) < 0)
			return rc;
		*what = "qname to_text";
		if ((rc = dns_name_to_text(name, nbuf, sizeof(nbuf))) < 0)
			return rc;
		fprintf(o, ";qname=%s;qtype=%s;qclass=%s", nbuf, dns_type_to_text(m->qtype, t1),
			dns_class_to_text(m->qclass, t2));
	}
	fprintf(o, ";rcode=%s;edns=%d", dns_rcode_to_text(dns_msg_rcode(m), t1), m->edns.present);
	if (m->edns.present) {
		const struct dns_edns *e = &m->edns;
		struct dns_edns_opt_iter oi;
		uint16_t code, len;
		const uint8_t *data;
		int nopts = 0;
		dns_edns_opt_iter_init(&oi, m);
		while ((rc = dns_edns_opt_iter_next(&oi, &code, &data, &len)) == 1)
			nopts++;
		*what = "edns option iterator";
		if (rc < 0)
			return rc;
		fprintf(o, ";udp=%u;ednsver=%u;do=%d;opts=%d", e->udp_size, e->version,
			!!(e->flags & DNS_EDNS_DO), nopts);
		if (e->has_nsid) {
			hex_encode(e->nsid, e->nsid_len, text);
			fprintf(o, ";nsid=%s", text);
		}
		if (e->has_cookie) {
			hex_encode(e->cookie, e->cookie_len, text);
			fprintf(o, ";cookie=%s", text);
		}
		if (e->has_padding)
			fprintf(o, ";padding=%u", e->padding_len);
		if (e->has_ecs) {
			char addr[INET6_ADDRSTRLEN] = "?";
			inet_ntop(e->ecs.family == 2 ? AF_INET6 : AF_INET, e->ecs.addr, addr, sizeof(addr));
			fprintf(o, ";ecs=%u/%u/%u/%s", e->ecs.family, e->ecs.source_prefix, e->ecs.scope_prefix,
				addr);
		}
		fprintf(o, ";unknown=%u", e->unknown_count);
	}

	static const char *const tags[DNS_SECTION_COUNT] = {"qd", "an", "ns", "ar"};
	for (int s = DNS_SECTION_ANSWER; s < DNS_SECTION_COUNT; s++) {
		struct dns_rr_iter it;
		struct dns_rr_view rr;
		int i = 0;
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while ((rc = dns_rr_iter_next(&it, &rr)) == 1) {
			if (rr.type == DNS_TYPE_OPT)
				continue;
			size_t pos = rr.owner_off;
			*what = "owner unpack";
			if ((rc = dns_name_unpack(m->wire, m->len, DNS_HEADER_LEN, &pos, name)) < 0 ||
			    (rc = dns_name_to_text(name, nbuf, sizeof(nbuf))) < 0)
				return rc;
			*what = "rdata unpack";
			int n = dns_rdata_unpack(m->wire, m->len, rr.rdata_off, rr.rdlen, rr.type, rdata,
						 sizeof(rdata));
			if (n < 0)
				return n;
			*what = "rdata to_text";
			if ((rc = dns_rdata_to_text(rr.type, rdata, (size_t)n, text, sizeof(text))) < 0)
				return rc;
			fprintf(o, ";%s%d=%s|%s|%s|%u|%s", tags[s], i++, nbuf, dns_type_to_text(rr.type, t1),
				dns_class_to_text(rr.rclass, t2), rr.ttl, text);
		}
		*what = "record iterator";
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void check_msg_row(struct report *r, int line, const char *name, const char *hex, char *expect)
{
	static uint8_t wire[DNS_MSG_MAXLEN];
	struct dns_msg m, mq;
	int len = hex_decode(hex, wire, sizeof(wire));
	if (len < 0) {
		report_add(r, "line %d %s: bad hex in the vector file", line, name);
		return;
	}
	int rc = dns_msg_parse(&m, wire, (size_t)len);
	if (rc != 0) {
		report_add(r, "line %d %s: dns_msg_parse failed: %s", line, name, dns_strerror_sym(rc));
		return;
	}
	rc = dns_msg_parse_question(&mq, wire, (size_t)len);
	if (rc != 0 || mq.qtype != m.qtype || mq.qname_off != m.qname_off || mq.hdr.id != m.hdr.id)
		report_add(r, "line %d %s: dns_msg_parse_question disagrees with dns_msg_parse (%s)", line,
			   name, dns_strerror_sym(rc));

	char *ours_buf = NULL;
	size_t ours_len = 0;
	FILE *o = open_memstream(&ours_buf, &ours_len);
	const char *what = "";
	rc = our_facts(&m, o, &what);
	fclose(o);
	if (rc < 0) {
		report_add(r, "line %d %s: %s failed: %s", line, name, what, dns_strerror_sym(rc));
		free(ours_buf);
		return;
	}
	struct facts want, got;
	facts_split(expect, &want);
	facts_split(ours_buf, &got);
	for (int i = 0; i < want.n; i++) {
		const char *v = facts_get(&got, want.key[i]);
		if (!v)
			report_add(r, "line %d %s: no %s (want \"%s\")", line, name, want.key[i], want.val[i]);
		else if (strcmp(v, want.val[i]))
			report_add(r, "line %d %s: %s is \"%s\", want \"%s\"", line, name, want.key[i], v,
				   want.val[i]);
	}
	for (int i = 0; i < got.n; i++)
		if (!facts_get(&want, got.key[i]))
			report_add(r, "line %d %s: unexpected %s=\"%s\"", line, name, got.key[i], got.val[i]);
	free(ours_buf);
}

static void msg_row(struct report *r, int line, char **field, void *ctx)
{
	(void)ctx;
	check_msg_row(r, line, field[0], field[1], field[2]);
}

Test(dns_golden, messages_parse_to_the_facts_dnspython_read)
{
	struct report r;
	report_init(&r);
	int rows = walk_tsv(MSG_TSV, 3, &r, msg_row, NULL, NULL);
	cr_expect_geq(rows, 20, "only %d golden messages", rows);
	report_finish(&r, MSG_TSV);
}
