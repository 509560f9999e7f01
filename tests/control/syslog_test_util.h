/* SPDX-License-Identifier: BSD-3-Clause */
// A strict reader of what the syslog sink sends: RFC 5424 messages (header
// fields, one SD element, MSG with the BOM rule) and RFC 6587 octet
// counting. Any deviation fails the test.
#ifndef LINERATE_TESTS_SYSLOG_TEST_UTIL_H
#define LINERATE_TESTS_SYSLOG_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PARAMS_MAX 16

struct msg5424 {
	unsigned pri;
	char ts[40], host[256], app[64], procid[130], msgid[40], sd_id[40];
	struct {
		char name[40], value[512];
	} params[PARAMS_MAX];
	size_t nparams;
	const uint8_t *msg; // after any BOM
	size_t msg_len;
	bool bom;
};

// One PRINTUSASCII header field of 1..max octets ending at a space.
static inline size_t field(const uint8_t *p, size_t n, size_t at, char *out, size_t max)
{
	size_t i = at;
	while (i < n && p[i] != ' ') {
		cr_assert(p[i] >= 33 && p[i] <= 126, "octet %zu (0x%02x) not PRINTUSASCII", i,
			  p[i]);
		i++;
	}
	cr_assert(i > at && i - at <= max, "field at %zu: %zu octets", at, i - at);
	cr_assert(i < n, "message ends inside the header");
	memcpy(out, p + at, i - at);
	out[i - at] = '\0';
	return i + 1;
}

// RFC 5424 §6.2.3 with our precision: YYYY-MM-DDTHH:MM:SS.ffffffZ.
static inline void expect_timestamp(const char *ts)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	cr_assert_eq(strlen(ts), strlen(shape), "timestamp %s", ts);
	for (size_t i = 0; shape[i]; i++)
		cr_assert(shape[i] == 'd' ? ts[i] >= '0' && ts[i] <= '9' : ts[i] == shape[i],
			  "timestamp %s", ts);
}

static inline bool valid_utf8(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80	  ? 1
			   : p[i] >= 0xf0 ? 4
			   : p[i] >= 0xe0 ? 3
			   : p[i] >= 0xc2 ? 2
					  : 0;
		if (!l || l > n - i || p[i] > 0xf4)
			return false;
		for (size_t k = 1; k < l; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += l;
	}
	return true;
}

// SD-ELEMENT (§6.3): "[" SD-ID *(SP PARAM-NAME "=" %d34 PARAM-VALUE %d34) "]";
// in values only \" \\ \] are escapes, and '"', '\' and ']' must be escaped.
static inline size_t parse_sd(const uint8_t *p, size_t n, size_t i, struct msg5424 *m)
{
	cr_assert(i < n && p[i] == '[', "no SD element at %zu", i);
	i++;
	size_t k = 0;
	while (i < n && p[i] != ' ' && p[i] != ']') {
		cr_assert(p[i] >= 33 && p[i] <= 126 && p[i] != '=' && p[i] != '"', "SD-ID octet");
		cr_assert_lt(k, 32);
		m->sd_id[k++] = (char)p[i++];
	}
	m->sd_id[k] = '\0';
	cr_assert_gt(k, 0);
	while (i < n && p[i] == ' ') {
		cr_assert_lt(m->nparams, PARAMS_MAX);
		char *name = m->params[m->nparams].name, *v = m->params[m->nparams].value;
		i++;
		for (k = 0; i < n && p[i] != '='; i++) {
			cr_assert(p[i] >= 33 && p[i] <= 126 && p[i] != ']' && p[i] != '"' &&
				  p[i] != ' ');
			cr_assert_lt(k, 32);
			name[k++] = (char)p[i];
		}
		name[k] = '\0';
		cr_assert(k > 0 && i + 1 < n && p[i + 1] == '"', "PARAM-NAME then =\"");
		for (i += 2, k = 0; i < n && p[i] != '"'; i++) {
			cr_assert_neq(p[i], ']', "unescaped ] in %s", name);
			if (p[i] == '\\') {
				cr_assert(i + 1 < n && strchr("\"\\]", p[i + 1]), "bad escape");
				i++;
			}
			cr_assert_lt(k, 511);
			v[k++] = (char)p[i];
		}
		v[k] = '\0';
		cr_assert(i < n, "value of %s not closed", name);
		cr_assert(valid_utf8((const uint8_t *)v, k), "value of %s not UTF-8", name);
		i++;
		m->nparams++;
	}
	cr_assert(i < n && p[i] == ']', "SD element not closed at %zu", i);
	return i + 1;
}

static inline void parse5424(const uint8_t *p, size_t n, struct msg5424 *m)
{
	memset(m, 0, sizeof(*m));
	size_t i = 1;
	cr_assert(n > 0 && p[0] == '<', "no PRI");
	// PRI: 1..3 digits, no leading zero but "0", at most 191 (§6.2.1)
	while (i < n && i <= 3 && p[i] >= '0' && p[i] <= '9')
		m->pri = m->pri * 10 + (p[i++] - '0');
	cr_assert(i > 1 && i <= 4 && (p[1] != '0' || i == 2) && m->pri <= 191, "PRI");
	cr_assert(i + 2 < n && p[i] == '>' && p[i + 1] == '1' && p[i + 2] == ' ', "VERSION 1");
	i = field(p, n, i + 3, m->ts, 39);
	expect_timestamp(m->ts);
	i = field(p, n, i, m->host, 255);
	i = field(p, n, i, m->app, 48);
	i = field(p, n, i, m->procid, 128);
	i = field(p, n, i, m->msgid, 32);
	i = parse_sd(p, n, i, m);
	cr_assert(i < n && p[i] == ' ', "SP before MSG (one SD element only)");
	i++;
	m->bom = n - i >= 3 && memcmp(p + i, "\xef\xbb\xbf", 3) == 0;
	m->msg = p + i + (m->bom ? 3 : 0);
	m->msg_len = n - i - (m->bom ? 3 : 0);
	bool ascii = true;
	for (size_t k = 0; k < m->msg_len; k++)
		ascii &= m->msg[k] < 0x80;
	// MSG-UTF8 needs the BOM; we send plain ASCII without one
	cr_assert_eq(m->bom, !ascii, "BOM %d for a%s message", m->bom,
		     ascii ? "n ASCII" : " UTF-8");
	cr_assert(valid_utf8(m->msg, m->msg_len), "MSG not UTF-8");
}

static inline const char *param(const struct msg5424 *m, const char *name)
{
	for (size_t i = 0; i < m->nparams; i++)
		if (strcmp(m->params[i].name, name) == 0)
			return m->params[i].value;
	return NULL;
}

// RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG, MSG-LEN a NONZERO-DIGIT then
// digits. Returns the frame's length when a whole frame is at p[0..n),
// with the message at *msg/*len; 0 when more octets are needed.
static inline size_t octet_frame(const uint8_t *p, size_t n, const uint8_t **msg, size_t *len)
{
	size_t i = 0, v = 0;
	if (n == 0)
		return 0;
	cr_assert(p[0] >= '1' && p[0] <= '9', "MSG-LEN starts with 0x%02x", p[0]);
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		v = v * 10 + (size_t)(p[i++] - '0');
		cr_assert_lt(i, 8, "MSG-LEN too long");
	}
	if (i == n)
		return 0;
	cr_assert_eq(p[i], ' ', "no SP after MSG-LEN");
	if (n - i - 1 < v)
		return 0;
	*msg = p + i + 1;
	*len = v;
	return i + 1 + v;
}

#endif
