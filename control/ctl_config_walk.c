/* SPDX-License-Identifier: BSD-3-Clause */
// The schema walker's building blocks: typed scalars, mappings with known
// keys, bounded lists, and the one error message per failed load.
#include "ctl_config_walk.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_SHOW_MAX 64

// The value as shown in a message: quoted, cut, non-printables as '?';
// secrets never.
static void show_value(const yaml_node_t *n, bool secret, char *buf, size_t len)
{
	if (secret) {
		snprintf(buf, len, "(secret)");
		return;
	}
	switch (n->type) {
	case YAML_MAPPING_NODE:
		snprintf(buf, len, "(mapping)");
		return;
	case YAML_SEQUENCE_NODE:
		snprintf(buf, len, "(sequence)");
		return;
	default:
		break;
	}
	size_t o = 0, vlen = n->data.scalar.length;
	const unsigned char *v = n->data.scalar.value;
	buf[o++] = '"';
	for (size_t i = 0; i < vlen && o + 5 < len; i++) {
		if (i == VALUE_SHOW_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = isprint(v[i]) ? (char)v[i] : '?';
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

int ctl_cfg_fail(struct ctl_cfg_walk *w, const char *path, const yaml_node_t *n, bool secret,
		 const char *fmt, ...)
{
	char value[VALUE_SHOW_MAX + 16], reason[256];
	va_list ap;
	if (w->failed)
		return -EINVAL;
	w->failed = true;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (n) {
		show_value(n, secret, value, sizeof(value));
		snprintf(w->err, w->errlen, "line %lu: %s = %s: %s",
			 (unsigned long)n->start_mark.line + 1, path[0] ? path : "(top)", value,
			 reason);
	} else {
		snprintf(w->err, w->errlen, "%s: %s", path[0] ? path : "(top)", reason);
	}
	return -EINVAL;
}

yaml_node_t *ctl_cfg_node(struct ctl_cfg_walk *w, int id)
{
	return yaml_document_get_node(w->doc, id);
}

void ctl_cfg_child_path(char *out, const char *path, const char *key)
{
	snprintf(out, PATH_MAX_LEN, "%s%s%s", path, path[0] ? "." : "", key);
}

void ctl_cfg_index_path(char *out, const char *path, size_t i)
{
	snprintf(out, PATH_MAX_LEN, "%s[%zu]", path, i);
}

// --- scalars ---

int ctl_cfg_scalar(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return ctl_cfg_fail(w, path, n, false, "expected a single value");
	if (memchr(n->data.scalar.value, '\0', n->data.scalar.length))
		return ctl_cfg_fail(w, path, n, false, "contains a NUL character");
	return 0;
}

int ctl_cfg_string(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t maxlen,
		   char **out)
{
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	if (n->data.scalar.length == 0)
		return ctl_cfg_fail(w, path, n, false, "must not be empty");
	if (n->data.scalar.length > maxlen)
		return ctl_cfg_fail(w, path, n, false, "longer than %zu characters", maxlen);
	free(*out);
	*out = strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	if (!*out)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	return 0;
}

int ctl_cfg_uint(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, unsigned long lo,
		 unsigned long hi, unsigned long *out)
{
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	const char *s = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	bool digits = len > 0 && len <= 10;
	for (size_t i = 0; digits && i < len; i++)
		digits = s[i] >= '0' && s[i] <= '9';
	if (!digits)
		return ctl_cfg_fail(w, path, n, false, "must be a whole number in %lu..%lu", lo,
				    hi);
	unsigned long v = strtoul(s, NULL, 10);
	if (v < lo || v > hi)
		return ctl_cfg_fail(w, path, n, false, "must be %lu..%lu", lo, hi);
	*out = v;
	return 0;
}

int ctl_cfg_u16(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, unsigned lo, unsigned hi,
		uint16_t *out)
{
	unsigned long v;
	int rc = ctl_cfg_uint(w, path, n, lo, hi, &v);
	if (rc == 0)
		*out = (uint16_t)v;
	return rc;
}

int ctl_cfg_word(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, const char *const *words,
		 size_t nwords, unsigned *out)
{
	char list[256] = "";
	size_t used = 0;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	for (size_t i = 0; i < nwords; i++) {
		if (strcmp((const char *)n->data.scalar.value, words[i]) == 0) {
			*out = (unsigned)i;
			return 0;
		}
		int k = snprintf(list + used, sizeof(list) - used, "%s%s",
				 i == 0		   ? ""
				 : i + 1 == nwords ? " or "
						   : ", ",
				 words[i]);
		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	return ctl_cfg_fail(w, path, n, false, "must be %s", list);
}

int ctl_cfg_bool(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, bool *out)
{
	// YAML 1.1's forms, as libyaml's users write them
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "off", "Off"};
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	const char *s = (const char *)n->data.scalar.value;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return ctl_cfg_fail(w, path, n, false, "must be true or false");
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

int ctl_cfg_hex(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, bool secret, uint8_t *out,
		size_t min, size_t max, size_t *len)
{
	if (n->type != YAML_SCALAR_NODE)
		return ctl_cfg_fail(w, path, n, secret, "expected a single value");
	const unsigned char *s = n->data.scalar.value;
	size_t digits = n->data.scalar.length;
	if (digits >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		digits -= 2;
	}
	if (digits % 2 || digits < 2 * min || digits > 2 * max) {
		if (min == max)
			return ctl_cfg_fail(w, path, n, secret,
					    "must be %zu hex digits (%zu octets)", 2 * min, min);
		return ctl_cfg_fail(w, path, n, secret,
				    "must be %zu to %zu hex digits (%zu to %zu octets)", 2 * min,
				    2 * max, min, max);
	}
	if (ctl_hex_decode((const char *)s, digits, out, max) < 0)
		return ctl_cfg_fail(w, path, n, secret, "must be hex digits only");
	*len = digits / 2;
	return 0;
}

int ctl_hex_decode(const char *s, size_t digits, uint8_t *out, size_t cap)
{
	if (digits % 2 || digits / 2 > cap)
		return -1;
	for (size_t i = 0; i < digits / 2; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(digits / 2);
}

// --- mappings and sequences ---

// Walk a mapping: each key known and given once, each value to its handler.
int ctl_cfg_mapping(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
		    const struct ctl_cfg_key *keys, size_t nkeys, void *obj, uint64_t *seen)
{
	char sub[PATH_MAX_LEN];
	*seen = 0;
	if (n->type != YAML_MAPPING_NODE)
		return ctl_cfg_fail(w, path, n, false, "expected a mapping (key: value)");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = ctl_cfg_node(w, p->key), *v = ctl_cfg_node(w, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return ctl_cfg_fail(w, path, k, false, "a key must be a plain name");
		ctl_cfg_child_path(sub, path, (const char *)k->data.scalar.value);
		size_t i = 0;
		while (i < nkeys && strcmp(keys[i].key, (const char *)k->data.scalar.value) != 0)
			i++;
		if (i == nkeys)
			return ctl_cfg_fail(w, sub, k, false, "unknown key");
		if (*seen & (1ull << i))
			return ctl_cfg_fail(w, sub, k, false, "duplicate key");
		*seen |= 1ull << i;
		int rc = keys[i].fn(w, sub, v, obj);
		if (rc)
			return rc;
	}
	return 0;
}

int ctl_cfg_sequence(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t max,
		     size_t *count)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return ctl_cfg_fail(w, path, n, false, "expected a list");
	*count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (*count > max)
		return ctl_cfg_fail(w, path, n, false, "more than %zu entries", max);
	return 0;
}

yaml_node_t *ctl_cfg_item(struct ctl_cfg_walk *w, yaml_node_t *seq, size_t i)
{
	return ctl_cfg_node(w, seq->data.sequence.items.start[i]);
}

// --- whole documents ---

// Before libyaml frees them: every scalar of the document and the parser's
// copies of the text, which may hold passwords and keys.
static void wipe(yaml_document_t *doc, yaml_parser_t *parser)
{
	for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE)
			OPENSSL_cleanse(n->data.scalar.value, n->data.scalar.length);
	if (parser->buffer.start)
		OPENSSL_cleanse(parser->buffer.start,
				(size_t)(parser->buffer.end - parser->buffer.start));
	if (parser->raw_buffer.start)
		OPENSSL_cleanse(parser->raw_buffer.start,
				(size_t)(parser->raw_buffer.end - parser->raw_buffer.start));
}

int ctl_cfg_parse(const char *text, size_t len, size_t max, ctl_cfg_walk_fn *walk, void *obj,
		  char *err, size_t errlen)
{
	char dummy[1];
	struct ctl_cfg_walk w = {.err = errlen ? err : dummy, .errlen = errlen ? errlen : 1};
	yaml_parser_t parser;
	yaml_document_t doc;
	w.err[0] = '\0';
	if (len > max) {
		snprintf(w.err, w.errlen, "larger than %zu octets", max);
		return -EINVAL;
	}
	if (!yaml_parser_initialize(&parser)) {
		snprintf(w.err, w.errlen, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(w.err, w.errlen, "line %lu: YAML syntax: %s%s%s",
			 (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "error", parser.context ? " " : "",
			 parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	w.doc = &doc;
	int rc = walk(&w, yaml_document_get_root_node(&doc), obj);
	// a second document in the file is a mistake, not something to ignore
	yaml_document_t extra;
	if (rc == 0 && yaml_parser_load(&parser, &extra)) {
		yaml_node_t *root = yaml_document_get_root_node(&extra);
		if (root) {
			snprintf(w.err, w.errlen, "line %lu: only one YAML document is allowed",
				 (unsigned long)root->start_mark.line + 1);
			rc = -EINVAL;
		}
		yaml_document_delete(&extra);
	}
	wipe(&doc, &parser);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc ? (rc == -ENOMEM ? rc : -EINVAL) : 0;
}

int ctl_cfg_parse_file(const char *path, size_t max, ctl_cfg_walk_fn *walk, void *obj, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	int rc;
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	buf = malloc(max + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	len = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -EIO;
		goto out;
	}
	rc = ctl_cfg_parse(buf, len, max, walk, obj, err, errlen);
	if (rc && errlen) {
		// prefix the file name the way compilers do
		char tmp[CTL_CONFIG_ERR_MAX];
		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errlen, "%s: %s", path, tmp);
	}
out:
	if (buf)
		OPENSSL_cleanse(buf, len); // a users file holds passwords
	free(buf);
	fclose(f);
	return rc;
}
