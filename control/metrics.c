/* SPDX-License-Identifier: BSD-3-Clause */
// The Prometheus text exposition format, version 0.0.4: one family is a
// "# HELP" line, a "# TYPE" line and its samples, every line ending in a
// line feed; each family name appears once.
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

struct ctl_metrics {
	char *buf;
	size_t len, cap, max;
	int err; // sticky: the first error
	bool in_family;
	char **names; // the families written, to refuse one twice
	size_t n_names, cap_names;
};

struct ctl_metrics *ctl_metrics_new(size_t max)
{
	struct ctl_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->max = max ? max : CTL_METRICS_BODY_MAX;
	return m;
}

void ctl_metrics_reset(struct ctl_metrics *m)
{
	for (size_t i = 0; i < m->n_names; i++)
		free(m->names[i]);
	m->n_names = 0;
	m->len = 0;
	m->err = 0;
	m->in_family = false;
}

void ctl_metrics_free(struct ctl_metrics *m)
{
	if (!m)
		return;
	ctl_metrics_reset(m);
	free(m->names);
	free(m->buf);
	free(m);
}

int ctl_metrics_error(const struct ctl_metrics *m)
{
	return m->err;
}

const char *ctl_metrics_text(const struct ctl_metrics *m, size_t *len)
{
	if (m->err)
		return NULL;
	*len = m->len;
	return m->len ? m->buf : "";
}

static int fail(struct ctl_metrics *m, int err)
{
	if (!m->err)
		m->err = err;
	return m->err;
}

// --- output ---

static int put(struct ctl_metrics *m, const char *s, size_t n)
{
	if (m->err)
		return m->err;
	if (n > m->max - m->len)
		return fail(m, -ENOBUFS);
	if (m->len + n + 1 > m->cap) { // + 1: the text is kept NUL-terminated
		size_t cap = m->cap ? m->cap : 4096;
		while (cap < m->len + n + 1)
			cap *= 2;
		char *p = realloc(m->buf, cap);
		if (!p)
			return fail(m, -ENOMEM);
		m->buf = p;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, s, n);
	m->len += n;
	m->buf[m->len] = '\0';
	return 0;
}

static int puts_(struct ctl_metrics *m, const char *s)
{
	return put(m, s, strlen(s));
}

// s with the escapes of the format: backslash and line feed always,
// double quote in label values.
static int put_escaped(struct ctl_metrics *m, const char *s, bool quote)
{
	const char *run = s;
	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" : NULL;
		if (quote && *s == '"')
			esc = "\\\"";
		if (!esc)
			continue;
		put(m, run, (size_t)(s - run));
		puts_(m, esc);
		run = s + 1;
	}
	return put(m, run, (size_t)(s - run));
}

// --- checks ---

static bool name_chars_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > CTL_METRICS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && (i == 0 || c < '0' || c > '9'))
			return false;
	}
	return true;
}

bool ctl_metrics_name_ok(const char *name)
{
	return name && name_chars_ok(name);
}

bool ctl_metrics_label_name_ok(const char *name)
{
	return name && name_chars_ok(name) && strncmp(name, "__", 2) != 0;
}

// Well-formed UTF-8 (RFC 3629 §4): no overlong forms, no surrogates,
// nothing past U+10FFFF.
static bool utf8_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		unsigned c = *s++, n, cp;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		for (unsigned i = 0; i < n; i++, s++) {
			if ((*s & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*s & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
	}
	return true;
}

// --- families and samples ---

static int remember(struct ctl_metrics *m, const char *name)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (strcmp(m->names[i], name) == 0)
			return fail(m, -EEXIST);
	if (m->n_names == m->cap_names) {
		size_t cap = m->cap_names ? 2 * m->cap_names : 32;
		char **p = realloc(m->names, cap * sizeof(*p));
		if (!p)
			return fail(m, -ENOMEM);
		m->names = p;
		m->cap_names = cap;
	}
	if (!(m->names[m->n_names] = strdup(name)))
		return fail(m, -ENOMEM);
	m->n_names++;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

int ctl_metrics_family(struct ctl_metrics *m, const char *name, enum ctl_metric_type type,
		       const char *help)
{
	static const char *const types[CTL_METRIC_TYPE_COUNT] = {
		[CTL_METRIC_COUNTER] = "counter", [CTL_METRIC_GAUGE] = "gauge"};
	if (m->err)
		return m->err;
	m->in_family = false;
	if (!ctl_metrics_name_ok(name) || (unsigned)type >= CTL_METRIC_TYPE_COUNT || !help ||
	    !help[0] || !utf8_ok(help))
		return fail(m, -EINVAL);
	if (type == CTL_METRIC_COUNTER && !ends_with(name, "_total"))
		return fail(m, -EINVAL);
	if (remember(m, name))
		return m->err;
	puts_(m, "# HELP ");
	puts_(m, name);
	puts_(m, " ");
	put_escaped(m, help, false);
	puts_(m, "\n# TYPE ");
	puts_(m, name);
	puts_(m, " ");
	puts_(m, types[type]);
	puts_(m, "\n");
	m->in_family = !m->err;
	return m->err;
}

// The sample's name and labels, up to the space before the value.
static int put_series(struct ctl_metrics *m, const struct ctl_metric_label *labels, size_t n)
{
	if (m->err)
		return m->err;
	if (!m->in_family || n > CTL_METRICS_LABELS_MAX || (n && !labels))
		return fail(m, -EINVAL);
	for (size_t i = 0; i < n; i++) {
		if (!ctl_metrics_label_name_ok(labels[i].name) || !labels[i].value ||
		    !utf8_ok(labels[i].value))
			return fail(m, -EINVAL);
		for (size_t j = 0; j < i; j++)
			if (strcmp(labels[i].name, labels[j].name) == 0)
				return fail(m, -EINVAL);
	}
	puts_(m, m->names[m->n_names - 1]);
	for (size_t i = 0; i < n; i++) {
		puts_(m, i ? "," : "{");
		puts_(m, labels[i].name);
		puts_(m, "=\"");
		put_escaped(m, labels[i].value, true);
		puts_(m, "\"");
	}
	return puts_(m, n ? "} " : " ");
}

int ctl_metrics_sample(struct ctl_metrics *m, const struct ctl_metric_label *labels, size_t n,
		       uint64_t value)
{
	char num[24];
	if (put_series(m, labels, n))
		return m->err;
	int k = snprintf(num, sizeof(num), "%" PRIu64 "\n", value);
	return put(m, num, (size_t)k);
}

int ctl_metrics_sample_double(struct ctl_metrics *m, const struct ctl_metric_label *labels,
			      size_t n, double value)
{
	char num[40];
	if (put_series(m, labels, n))
		return m->err;
	// Go's ParseFloat reads these spellings (the format's own)
	if (isnan(value))
		return puts_(m, "NaN\n");
	if (isinf(value))
		return puts_(m, value > 0 ? "+Inf\n" : "-Inf\n");
	int k = snprintf(num, sizeof(num), "%.17g\n", value);
	return put(m, num, (size_t)k);
}
