/* SPDX-License-Identifier: BSD-3-Clause */
// Master-file reader (RFC 1035 §5, RFC 2308 §4 $TTL, BIND $GENERATE).
//
// The text is cut into logical entries (a line, or several joined by
// parentheses), each a list of tokens with their line and column; an entry
// is then either a directive or a record. Rdata tokens are joined with single
// blanks and handed to dns_rdata_from_text(), whose error offset maps back
// to a token, so every error names file, line and column.
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_rdata.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone.h>

#include "grow.h"
#include "zone_internal.h"

struct zone_tok {
	size_t off; // in entry text
	size_t len;
	unsigned line;
	unsigned col;
};

struct zone_entry {
	bool owner_blank; // the entry's first line starts with a blank
	unsigned line;
	struct zone_tok *tok;
	size_t ntok;
	size_t captok;
	char *text; // token bytes, each token NUL-terminated
	size_t textlen;
	size_t textcap;
};

struct zone_src {
	const char *name;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned line;
	size_t line_start;
};

struct zone_reader {
	const struct dns_zone_reader_opts *o;
	struct dns_zone_diag *diag;
	uint8_t origin[DNS_NAME_MAXLEN];
	bool has_origin;
	uint8_t owner[DNS_NAME_MAXLEN];
	bool has_owner;
	uint32_t dir_ttl; // $TTL
	bool has_dir_ttl;
	uint32_t last_ttl; // last explicit TTL (RFC 1035 §5.1 default)
	bool has_last_ttl;
	uint16_t rclass;
	bool class_seen;
	bool warned_ttl;
	int depth;
	char *join;
	size_t joincap;
	uint8_t rdata[DNS_RDATA_MAXLEN];
};

int dns_zone_diag_vset(struct dns_zone_diag *d, const char *file, unsigned line, unsigned col,
		       int code, const char *fmt, va_list ap)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	d->col = col;
	d->code = code;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	return code;
}

static int zone_err(struct zone_reader *r, const struct zone_src *s, unsigned line, unsigned col,
		    int code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int zone_err(struct zone_reader *r, const struct zone_src *s, unsigned line, unsigned col,
		    int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dns_zone_diag_vset(r->diag, s ? s->name : "", line, col, code, fmt, ap);
	va_end(ap);
	return code;
}

static void zone_warn(struct zone_reader *r, const struct zone_src *s, unsigned line, unsigned col,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void zone_warn(struct zone_reader *r, const struct zone_src *s, unsigned line, unsigned col,
		      const char *fmt, ...)
{
	if (!r->o->on_warning)
		return;
	struct dns_zone_diag d;
	va_list ap;
	va_start(ap, fmt);
	dns_zone_diag_vset(&d, s->name, line, col, 0, fmt, ap);
	va_end(ap);
	r->o->on_warning(r->o->ctx, &d);
}

static int entry_push(struct zone_entry *e, const char *p, size_t n, unsigned line, unsigned col)
{
	struct zone_tok *tok = dns_grow(e->tok, &e->captok, e->ntok + 1, sizeof(*tok), 16);
	if (!tok)
		return -ENOMEM;
	e->tok = tok;
	char *text = dns_grow(e->text, &e->textcap, e->textlen + n + 1, 1, 256);
	if (!text)
		return -ENOMEM;
	e->text = text;
	memcpy(e->text + e->textlen, p, n);
	e->text[e->textlen + n] = 0;
	e->tok[e->ntok++] =
		(struct zone_tok){.off = e->textlen, .len = n, .line = line, .col = col};
	e->textlen += n + 1;
	return 0;
}

static const char *tok_str(const struct zone_entry *e, size_t i)
{
	return e->text + e->tok[i].off;
}

// Next logical entry: 1, 0 at the end of the text, or an error.
static int next_entry(struct zone_reader *r, struct zone_src *s, struct zone_entry *e)
{
	int depth = 0;
	unsigned paren_line = 0, paren_col = 0;
	bool at_line_start = true;
	e->ntok = 0;
	e->textlen = 0;

	while (s->pos < s->len) {
		char c = s->buf[s->pos];
		unsigned col = (unsigned)(s->pos - s->line_start) + 1;
		if (at_line_start && depth == 0 && e->ntok == 0) {
			e->owner_blank = (c == ' ' || c == '\t');
			e->line = s->line;
		}
		at_line_start = false;
		if (c == '\n') {
			s->pos++;
			s->line++;
			s->line_start = s->pos;
			at_line_start = true;
			if (depth == 0 && e->ntok > 0)
				return 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			s->pos++;
			continue;
		}
		if (c == ';') {
			while (s->pos < s->len && s->buf[s->pos] != '\n')
				s->pos++;
			continue;
		}
		if (c == '(') {
			if (depth++ == 0) {
				paren_line = s->line;
				paren_col = col;
			}
			s->pos++;
			continue;
		}
		if (c == ')') {
			if (depth == 0)
				return zone_err(r, s, s->line, col, DNS_ESYNTAX, "unbalanced ')'");
			depth--;
			s->pos++;
			continue;
		}
		size_t start = s->pos;
		if (c == '"') {
			s->pos++;
			for (;;) {
				if (s->pos >= s->len || s->buf[s->pos] == '\n')
					return zone_err(r, s, s->line, col, DNS_ETEXT_QUOTE,
							"unterminated quoted string");
				char q = s->buf[s->pos++];
				if (q == '\\' && s->pos < s->len && s->buf[s->pos] != '\n')
					s->pos++;
				else if (q == '"')
					break;
			}
		} else {
			while (s->pos < s->len) {
				char q = s->buf[s->pos];
				if (q == ' ' || q == '\t' || q == '\r' || q == '\n' || q == ';' ||
				    q == '(' || q == ')')
					break;
				if (q == '\\' && s->pos + 1 < s->len && s->buf[s->pos + 1] != '\n')
					s->pos++;
				s->pos++;
			}
		}
		int rc = entry_push(e, s->buf + start, s->pos - start, s->line, col);
		if (rc)
			return zone_err(r, s, s->line, col, rc, "out of memory");
	}
	if (depth > 0)
		return zone_err(r, s, paren_line, paren_col, DNS_ESYNTAX,
				"unbalanced '(' at end of file");
	return e->ntok > 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int dns_ttl_from_text(const char *s, size_t n, uint32_t *ttl)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;
	if (n == 0)
		return DNS_ENUMBER;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_digit(c)) {
			cur = cur * 10 + (uint64_t)(c - '0');
			if (cur > UINT32_MAX)
				return DNS_ENUMBER;
			digits = true;
			continue;
		}
		uint64_t mul;
		switch (c | 0x20) {
		case 's':
			mul = 1;
			break;
		case 'm':
			mul = 60;
			break;
		case 'h':
			mul = 3600;
			break;
		case 'd':
			mul = 86400;
			break;
		case 'w':
			mul = 604800;
			break;
		default:
			return DNS_ENUMBER;
		}
		if (!digits)
			return DNS_ENUMBER;
		total += cur * mul;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits)
		total += cur;
	else if (!units)
		return DNS_ENUMBER;
	// RFC 2181 §8: TTLs are 31-bit unsigned.
	if (total > 0x7fffffffu)
		return DNS_ENUMBER;
	*ttl = (uint32_t)total;
	return 0;
}

static int read_src(struct zone_reader *r, struct zone_src *s);

static int name_tok(struct zone_reader *r, const struct zone_src *s, const struct zone_entry *e,
		    size_t i, uint8_t out[DNS_NAME_MAXLEN], const char *what)
{
	const char *t = tok_str(e, i);
	size_t n = e->tok[i].len;
	bool absolute = n > 0 && t[n - 1] == '.' && (n < 2 || t[n - 2] != '\\');
	if (!r->has_origin && !absolute && !(n == 1 && t[0] == '.'))
		return zone_err(r, s, e->tok[i].line, e->tok[i].col, DNS_ENAME_RELATIVE,
				"relative %s '%s' and no $ORIGIN", what, t);
	int rc = dns_name_from_text(t, n, r->has_origin ? r->origin : NULL, out);
	if (rc < 0)
		return zone_err(r, s, e->tok[i].line, e->tok[i].col, rc, "bad %s '%s': %s", what, t,
				dns_strerror(rc));
	return 0;
}

// A whole file into a malloc'd buffer: 0 or a negative errno.
static int slurp(const char *path, char **out, size_t *outlen)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		char *nb = dns_grow(buf, &cap, len + 1, 1, 65536);
		if (!nb) {
			rc = -ENOMEM;
			break;
		}
		buf = nb;
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (rc == 0 && ferror(fp))
		rc = -EIO;
	fclose(fp);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static int dir_include(struct zone_reader *r, const struct zone_src *s, const struct zone_entry *e)
{
	if (e->ntok < 2 || e->ntok > 3)
		return zone_err(r, s, e->tok[0].line, e->tok[0].col, DNS_ESYNTAX,
				"$INCLUDE expects a file name and an optional origin");
	if (r->depth >= DNS_ZONE_INCLUDE_DEPTH)
		return zone_err(r, s, e->tok[1].line, e->tok[1].col, DNS_ESYNTAX,
				"$INCLUDE nested deeper than %d levels", DNS_ZONE_INCLUDE_DEPTH);
	// RFC 1035 §5.1: the included file may change $ORIGIN; the includer's
	// origin (and the current owner) come back afterwards.
	uint8_t saved_origin[DNS_NAME_MAXLEN], saved_owner[DNS_NAME_MAXLEN];
	bool saved_has_origin = r->has_origin, saved_has_owner = r->has_owner;
	memcpy(saved_origin, r->origin, sizeof(saved_origin));
	memcpy(saved_owner, r->owner, sizeof(saved_owner));
	if (e->ntok == 3) {
		uint8_t o[DNS_NAME_MAXLEN];
		int rc = name_tok(r, s, e, 2, o, "origin");
		if (rc)
			return rc;
		memcpy(r->origin, o, sizeof(o));
		r->has_origin = true;
	}
	char path[4096];
	const char *f = tok_str(e, 1);
	size_t fl = e->tok[1].len;
	if (fl >= 2 && f[0] == '"') {
		f++;
		fl -= 2;
	}
	// Relative paths are relative to the including file's directory.
	const char *slash = strrchr(s->name, '/');
	if (f[0] != '/' && slash)
		snprintf(path, sizeof(path), "%.*s/%.*s", (int)(slash - s->name), s->name, (int)fl,
			 f);
	else
		snprintf(path, sizeof(path), "%.*s", (int)fl, f);

	char *buf;
	size_t len;
	int rc = slurp(path, &buf, &len);
	if (rc < 0)
		return zone_err(r, s, e->tok[1].line, e->tok[1].col, rc, "$INCLUDE %s: %s", path,
				strerror(-rc));
	struct zone_src inc = {.name = path, .buf = buf, .len = len, .line = 1};
	r->depth++;
	rc = read_src(r, &inc);
	r->depth--;
	free(buf);
	memcpy(r->origin, saved_origin, sizeof(saved_origin));
	memcpy(r->owner, saved_owner, sizeof(saved_owner));
	r->has_origin = saved_has_origin;
	r->has_owner = saved_has_owner;
	return rc;
}

// Rdata tokens i.. joined by blanks; offsets in the joined text map back to
// tokens for error columns.
static int join_rdata(struct zone_reader *r, const struct zone_entry *e, size_t from, size_t *len)
{
	size_t need = 1;
	for (size_t i = from; i < e->ntok; i++)
		need += e->tok[i].len + 1;
	if (need > r->joincap) {
		char *j = realloc(r->join, need);
		if (!j)
			return -ENOMEM;
		r->join = j;
		r->joincap = need;
	}
	size_t o = 0;
	for (size_t i = from; i < e->ntok; i++) {
		if (o)
			r->join[o++] = ' ';
		memcpy(r->join + o, tok_str(e, i), e->tok[i].len);
		o += e->tok[i].len;
	}
	r->join[o] = 0;
	*len = o;
	return 0;
}

// The token holding offset off of the joined rdata, and off's column.
static const struct zone_tok *tok_at(const struct zone_entry *e, size_t from, size_t off,
				     unsigned *col)
{
	size_t o = 0;
	for (size_t i = from; i < e->ntok; i++) {
		size_t end = o + e->tok[i].len;
		if (off <= end) {
			*col = e->tok[i].col + (unsigned)(off - o);
			return &e->tok[i];
		}
		o = end + 1;
	}
	const struct zone_tok *last = &e->tok[e->ntok - 1];
	*col = last->col + (unsigned)last->len;
	return last;
}

// RFC 6895 §3.2: class 0 is reserved, NONE (254) and ANY (255) are QCLASSes.
static bool is_query_class(uint16_t c)
{
	return c == 0 || c == DNS_CLASS_NONE || c == DNS_CLASS_ANY;
}

static int hex_digits(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = (char)(t[i] | 0x20);
		if (!is_digit(t[i]) && (c < 'a' || c > 'f'))
			return -1;
	}
	return (int)n;
}

// RFC 3597 §5 "\# length hex": the codec says only that the generic form is
// malformed; say what is wrong and point at the token that is. True when it
// wrote the diagnostic.
static bool generic_diag(struct zone_reader *r, const struct zone_src *s,
			 const struct zone_entry *e, size_t i, const char *tt)
{
	if (i >= e->ntok || strcmp(tok_str(e, i), "\\#") != 0)
		return false;
	const struct zone_tok *hash = &e->tok[i];
	if (i + 1 >= e->ntok) {
		zone_err(r, s, hash->line, hash->col + (unsigned)hash->len, DNS_EGENERIC,
			 "bad %s rdata: expected the rdata length after \\#", tt);
		return true;
	}
	const struct zone_tok *lt = &e->tok[i + 1];
	const char *ls = tok_str(e, i + 1);
	uint32_t stated = 0;
	for (size_t k = 0; k < lt->len; k++) {
		if (!is_digit(ls[k]) || stated > DNS_RDATA_MAXLEN) {
			zone_err(r, s, lt->line, lt->col, DNS_EGENERIC,
				 "bad %s rdata: \\# length '%s' is not a number up to 65535", tt,
				 ls);
			return true;
		}
		stated = stated * 10 + (uint32_t)(ls[k] - '0');
	}
	size_t digits = 0;
	for (size_t k = i + 2; k < e->ntok; k++) {
		if (hex_digits(tok_str(e, k), e->tok[k].len) < 0) {
			zone_err(r, s, e->tok[k].line, e->tok[k].col, DNS_EGENERIC,
				 "bad %s rdata: '%s' is not hex", tt, tok_str(e, k));
			return true;
		}
		digits += e->tok[k].len;
	}
	if (digits % 2) {
		const struct zone_tok *h = &e->tok[i + 2];
		zone_err(r, s, h->line, h->col, DNS_EGENERIC,
			 "bad %s rdata: odd number of hex digits (%zu)", tt, digits);
		return true;
	}
	if (digits / 2 != stated) {
		zone_err(r, s, lt->line, lt->col, DNS_EGENERIC,
			 "bad %s rdata: \\# length %u, but %zu octets of hex follow", tt, stated,
			 digits / 2);
		return true;
	}
	return false;
}

static int record(struct zone_reader *r, const struct zone_src *s, const struct zone_entry *e)
{
	size_t i = 0;
	if (!e->owner_blank) {
		int rc = name_tok(r, s, e, 0, r->owner, "owner");
		if (rc)
			return rc;
		r->has_owner = true;
		i = 1;
	} else if (!r->has_owner) {
		return zone_err(r, s, e->tok[0].line, e->tok[0].col, DNS_ESYNTAX,
				"owner omitted and no earlier owner to repeat");
	}

	uint32_t ttl = 0;
	bool ttl_set = false;
	size_t class_i = SIZE_MAX;
	uint16_t rclass = r->rclass;
	// RFC 1035 §5.1: [<TTL>] [<class>] <type> or [<class>] [<TTL>] <type>.
	for (int k = 0; k < 2 && i < e->ntok; k++) {
		const char *t = tok_str(e, i);
		uint16_t c;
		if (!ttl_set && is_digit(t[0]) && dns_ttl_from_text(t, e->tok[i].len, &ttl) == 0) {
			ttl_set = true;
			i++;
		} else if (class_i == SIZE_MAX && dns_class_from_text(t, e->tok[i].len, &c) == 0 &&
			   !is_query_class(c)) {
			class_i = i;
			rclass = c;
			i++;
		} else {
			break;
		}
	}
	if (i >= e->ntok) {
		const struct zone_tok *last = &e->tok[e->ntok - 1];
		return zone_err(r, s, last->line, last->col + (unsigned)last->len, DNS_EMISSING,
				"expected a record type after '%s'", tok_str(e, e->ntok - 1));
	}
	uint16_t type, qclass;
	const char *tt = tok_str(e, i);
	const struct zone_tok *ttok = &e->tok[i];
	bool is_qclass = dns_class_from_text(tt, ttok->len, &qclass) == 0 && is_query_class(qclass);
	if (dns_type_from_text(tt, ttok->len, &type) < 0) {
		if (is_digit(tt[0]))
			return zone_err(r, s, ttok->line, ttok->col, DNS_ENUMBER, "bad TTL '%s'",
					tt);
		// RFC 6895 §3.2: NONE and ANY only appear in queries and updates
		if (is_qclass)
			return zone_err(r, s, ttok->line, ttok->col, DNS_ECLASS,
					"class %s cannot appear in a zone file", tt);
		return zone_err(r, s, ttok->line, ttok->col, DNS_ETYPE,
				"expected a TTL, class or type, got '%s'", tt);
	}
	const struct dns_type_desc *td = dns_type_lookup(type);
	if (td && (td->flags & DNS_TF_META))
		return zone_err(r, s, ttok->line, ttok->col, DNS_ENOTYPE,
				"%s %s cannot appear in a zone file",
				is_qclass ? "class or type" : "type", tt);
	// RFC 6895 §3.1: type 0 is reserved
	if (type == 0)
		return zone_err(r, s, ttok->line, ttok->col, DNS_ETYPE, "type 0 is reserved");
	size_t type_i = i++;

	if (class_i != SIZE_MAX && rclass != r->rclass && r->class_seen) {
		char a[16], b[16];
		return zone_err(r, s, e->tok[class_i].line, e->tok[class_i].col, DNS_ECLASS,
				"class %s differs from the zone's class %s",
				dns_class_to_text(rclass, a), dns_class_to_text(r->rclass, b));
	}
	r->rclass = rclass;
	r->class_seen = true;

	if (ttl_set) {
		r->last_ttl = ttl;
		r->has_last_ttl = true;
	} else if (r->has_dir_ttl) {
		ttl = r->dir_ttl;
	} else if (r->has_last_ttl) {
		ttl = r->last_ttl;
	} else {
		ttl = r->o->default_ttl;
		if (!r->warned_ttl)
			zone_warn(r, s, e->line, 1, "no TTL and no $TTL: using %u", ttl);
		r->warned_ttl = true;
	}

	size_t jl;
	if (join_rdata(r, e, i, &jl))
		return zone_err(r, s, e->line, 1, -ENOMEM, "out of memory");
	size_t err_off = 0;
	int n = dns_rdata_from_text(type, r->join, jl, r->has_origin ? r->origin : NULL, r->rdata,
				    sizeof(r->rdata), &err_off);
	if (n < 0) {
		unsigned col;
		const struct zone_tok *t;
		if (i < e->ntok) {
			t = tok_at(e, i, err_off, &col);
		} else {
			t = &e->tok[type_i];
			col = t->col + (unsigned)t->len;
		}
		if (n == DNS_EGENERIC && generic_diag(r, s, e, i, tt))
			return n;
		return zone_err(r, s, t->line, col, n, "bad %s rdata: %s", tt, dns_strerror(n));
	}
	struct dns_zone_rr rr = {
		.owner = r->owner,
		.type = type,
		.rclass = rclass,
		.ttl = ttl,
		.ttl_explicit = ttl_set,
		.rdata = r->rdata,
		.rdlen = (uint16_t)n,
		.file = s->name,
		.line = e->line,
		.col = e->tok[type_i].col,
	};
	int rc = r->o->on_rr ? r->o->on_rr(r->o->ctx, &rr) : 0;
	if (rc)
		return zone_err(r, s, e->line, 1, rc, "record refused: %s", dns_strerror(rc));
	return 0;
}

// $GENERATE substitution (BIND): "$" is the iterator, "${offset,width,base}"
// formats it (base d, o, x, X, n, N: n/N are reversed nibbles for ip6.arpa),
// "\$" is a literal dollar. Returns the length or DNS_ESYNTAX/DNS_ENOSPACE.
static int gen_subst(const char *t, size_t n, long val, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[160];
		size_t tl;
		if (t[i] == '\\' && i + 1 < n) {
			if (t[i + 1] == '$') {
				tmp[0] = '$';
				tl = 1;
			} else {
				tmp[0] = '\\';
				tmp[1] = t[i + 1];
				tl = 2;
			}
			i++;
		} else if (t[i] == '$') {
			long off = 0, width = 0;
			char base = 'd';
			if (i + 1 < n && t[i + 1] == '{') {
				const char *close = memchr(t + i, '}', n - i);
				if (!close)
					return DNS_ESYNTAX;
				char spec[64];
				size_t sl = (size_t)(close - (t + i + 2));
				if (sl >= sizeof(spec))
					return DNS_ESYNTAX;
				memcpy(spec, t + i + 2, sl);
				spec[sl] = 0;
				char b = 0;
				int got = sscanf(spec, "%ld,%ld,%c", &off, &width, &b);
				// offsets beyond ±2^31 would only overflow val + off
				if (got < 1 || width < 0 || width > 64 || off > INT32_MAX ||
				    off < -INT32_MAX)
					return DNS_ESYNTAX;
				if (got == 3)
					base = b;
				i = (size_t)(close - t);
			}
			long v = val + off;
			if (v < 0)
				return DNS_ESYNTAX;
			switch (base) {
			case 'd':
				tl = (size_t)snprintf(tmp, sizeof(tmp), "%0*ld", (int)width, v);
				break;
			case 'o':
				tl = (size_t)snprintf(tmp, sizeof(tmp), "%0*lo", (int)width, v);
				break;
			case 'x':
				tl = (size_t)snprintf(tmp, sizeof(tmp), "%0*lx", (int)width, v);
				break;
			case 'X':
				tl = (size_t)snprintf(tmp, sizeof(tmp), "%0*lX", (int)width, v);
				break;
			case 'n':
			case 'N': {
				// width counts output characters, as in BIND
				static const char lo[] = "0123456789abcdef",
						  up[] = "0123456789ABCDEF";
				const char *digits = base == 'n' ? lo : up;
				tl = 0;
				unsigned long u = (unsigned long)v;
				do {
					if (tl)
						tmp[tl++] = '.';
					tmp[tl++] = digits[u & 0xf];
					u >>= 4;
				} while ((u || (long)tl < width) && tl + 2 < sizeof(tmp));
				break;
			}
			default:
				return DNS_ESYNTAX;
			}
		} else {
			tmp[0] = t[i];
			tl = 1;
		}
		if (o + tl + 1 > cap)
			return DNS_ENOSPACE;
		memcpy(out + o, tmp, tl);
		o += tl;
	}
	out[o] = 0;
	return (int)o;
}

static int generate(struct zone_reader *r, const struct zone_src *s, const struct zone_entry *e)
{
	const struct zone_tok *t0 = &e->tok[0];
	if (e->ntok < 5)
		return zone_err(r, s, t0->line, t0->col, DNS_ESYNTAX,
				"$GENERATE expects range, owner, [ttl] [class] type and rdata");
	long start, stop, step = 1;
	const char *range = tok_str(e, 1);
	char *end;
	start = strtol(range, &end, 10);
	bool ok = end != range && *end == '-';
	if (ok) {
		const char *p = end + 1;
		stop = strtol(p, &end, 10);
		ok = end != p;
	}
	if (ok && *end == '/') {
		const char *p = end + 1;
		step = strtol(p, &end, 10);
		ok = end != p;
	}
	// bounded to 2^31 so that start + k * step never overflows
	if (!ok || *end || start < 0 || stop < start || step < 1 || stop > INT32_MAX ||
	    step > INT32_MAX)
		return zone_err(r, s, e->tok[1].line, e->tok[1].col, DNS_ESYNTAX,
				"bad $GENERATE range '%s' (start-stop[/step])", range);
	if ((stop - start) / step + 1 > DNS_ZONE_GENERATE_MAX)
		return zone_err(r, s, e->tok[1].line, e->tok[1].col, DNS_ESYNTAX,
				"$GENERATE range makes more than %d records",
				DNS_ZONE_GENERATE_MAX);

	struct zone_entry g = {0};
	int rc = 0;
	char buf[2048];
	long count = (stop - start) / step + 1;
	for (long k = 0; k < count && rc == 0; k++) {
		long v = start + k * step;
		g.ntok = 0;
		g.textlen = 0;
		g.owner_blank = false;
		g.line = e->line;
		// tokens 2.. : lhs and rhs get substitutions; TTL/class/type are copied
		for (size_t i = 2; i < e->ntok && rc == 0; i++) {
			int n = gen_subst(tok_str(e, i), e->tok[i].len, v, buf, sizeof(buf));
			if (n < 0) {
				rc = zone_err(r, s, e->tok[i].line, e->tok[i].col, n,
					      "bad $GENERATE template '%s'", tok_str(e, i));
				break;
			}
			rc = entry_push(&g, buf, (size_t)n, e->tok[i].line, e->tok[i].col);
			if (rc)
				rc = zone_err(r, s, e->line, 1, rc, "out of memory");
		}
		if (rc == 0)
			rc = record(r, s, &g);
	}
	free(g.tok);
	free(g.text);
	return rc;
}

static int directive(struct zone_reader *r, const struct zone_src *s, const struct zone_entry *e)
{
	const char *d = tok_str(e, 0);
	const struct zone_tok *t0 = &e->tok[0];
	if (!strcasecmp(d, "$ORIGIN")) {
		if (e->ntok != 2)
			return zone_err(r, s, t0->line, t0->col, DNS_ESYNTAX,
					"$ORIGIN expects one name");
		uint8_t o[DNS_NAME_MAXLEN];
		int rc = name_tok(r, s, e, 1, o, "origin");
		if (rc)
			return rc;
		memcpy(r->origin, o, sizeof(o));
		r->has_origin = true;
		return 0;
	}
	if (!strcasecmp(d, "$TTL")) {
		if (e->ntok != 2)
			return zone_err(r, s, t0->line, t0->col, DNS_ESYNTAX,
					"$TTL expects one TTL");
		if (dns_ttl_from_text(tok_str(e, 1), e->tok[1].len, &r->dir_ttl) < 0)
			return zone_err(r, s, e->tok[1].line, e->tok[1].col, DNS_ENUMBER,
					"bad TTL '%s'", tok_str(e, 1));
		r->has_dir_ttl = true;
		return 0;
	}
	if (!strcasecmp(d, "$INCLUDE"))
		return dir_include(r, s, e);
	if (!strcasecmp(d, "$GENERATE"))
		return generate(r, s, e);
	return zone_err(r, s, t0->line, t0->col, DNS_ESYNTAX, "unknown directive '%s'", d);
}

static int read_src(struct zone_reader *r, struct zone_src *s)
{
	struct zone_entry e = {0};
	int rc;
	while ((rc = next_entry(r, s, &e)) == 1) {
		if (!e.owner_blank && tok_str(&e, 0)[0] == '$')
			rc = directive(r, s, &e);
		else
			rc = record(r, s, &e);
		if (rc)
			break;
	}
	free(e.tok);
	free(e.text);
	return rc < 0 ? rc : 0;
}

static void reader_init(struct zone_reader *r, const struct dns_zone_reader_opts *o,
			struct dns_zone_diag *diag)
{
	memset(diag, 0, sizeof(*diag));
	r->o = o;
	r->diag = diag;
	r->rclass = o->rclass ? o->rclass : DNS_CLASS_IN;
	r->class_seen = o->rclass != 0;
	if (o->origin) {
		memcpy(r->origin, o->origin, dns_name_length(o->origin));
		r->has_origin = true;
	}
}

int dns_zone_read_text(const char *name, const char *text, size_t len,
		       const struct dns_zone_reader_opts *o, struct dns_zone_diag *diag)
{
	struct zone_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	reader_init(r, o, diag);
	struct zone_src s = {.name = name, .buf = text, .len = len, .line = 1};
	int rc = read_src(r, &s);
	free(r->join);
	free(r);
	return rc;
}

int dns_zone_read_file(const char *path, const struct dns_zone_reader_opts *o,
		       struct dns_zone_diag *diag)
{
	char *buf;
	size_t len;
	memset(diag, 0, sizeof(*diag));
	int rc = slurp(path, &buf, &len);
	if (rc < 0) {
		snprintf(diag->file, sizeof(diag->file), "%s", path);
		diag->code = rc;
		snprintf(diag->msg, sizeof(diag->msg), "%s", strerror(-rc));
		return rc;
	}
	rc = dns_zone_read_text(path, buf, len, o, diag);
	free(buf);
	return rc;
}

int dns_zone_diag_format(const struct dns_zone_diag *d, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s:%u:%u: %s", d->file, d->line, d->col, d->msg);
	return (n < 0 || (size_t)n >= cap) ? DNS_ENOSPACE : n;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && strncmp(s + n - k, suffix, k) == 0;
}

int dns_zone_spec_parse(const char *word, struct dns_zone_spec *z)
{
	const char *eq = strchr(word, '=');
	const char *slash = strchr(word, '/');
	if (eq && (!slash || slash > eq)) {
		z->origin_text = word;
		z->origin_len = (size_t)(eq - word);
		z->path = eq + 1;
	} else {
		z->path = word;
		z->origin_text = slash ? strrchr(word, '/') + 1 : word;
		z->origin_len = strlen(z->origin_text);
		if (ends_with(z->origin_text, z->origin_len, ".zone"))
			z->origin_len -= 5;
		else if (ends_with(z->origin_text, z->origin_len, ".db"))
			z->origin_len -= 3;
	}
	if (*z->path == '\0')
		return DNS_EMISSING;
	if (z->origin_len == 0)
		return DNS_EINVAL;
	int rc = dns_name_from_text(z->origin_text, z->origin_len, NULL, z->origin);
	return rc < 0 ? rc : 0;
}
