/* SPDX-License-Identifier: BSD-3-Clause */
// The schema walker's building blocks: typed scalars, mappings with known
// keys, bounded lists, and the one error message per failed load.
#include "ctl_config_walk.h"

#include <ctype.h>
#include <errno.h>
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
