/* SPDX-License-Identifier: BSD-3-Clause */
// Helpers shared by the SNMP tests: decoded messages as "key=value;" facts
// (the form tests/data/gen_snmp_golden.py writes), and OIDs from text.
#ifndef LINERATE_TESTS_SNMP_TEST_UTIL_H
#define LINERATE_TESTS_SNMP_TEST_UTIL_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/snmp_msg.h>

#include "dns_test_util.h"

#define SNMP_GOLDEN_TSV TEST_DATA_DIR "/snmp_golden.tsv"

// The next row of the golden file (tests/data/gen_snmp_golden.py) read
// into line and split there: name, message hex, facts. Returns 1, 0 at the
// end, -1 for a row without its three columns.
static inline int snmp_golden_row(FILE *f, char *line, int size, char **name, char **hex,
				  char **facts)
{
	do
		if (!fgets(line, size, f))
			return 0;
	while (line[0] == '#');
	line[strcspn(line, "\n")] = '\0';
	*name = line;
	*hex = strchr(line, '\t');
	if (!*hex)
		return -1;
	*(*hex)++ = '\0';
	*facts = strchr(*hex, '\t');
	if (!*facts)
		return -1;
	*(*facts)++ = '\0';
	return 1;
}

struct facts {
	char s[16384];
	size_t n;
};

__attribute__((format(printf, 3, 4))) static inline void fact(struct facts *f, const char *key,
							      const char *fmt, ...)
{
	va_list ap;
	f->n += (size_t)snprintf(f->s + f->n, sizeof(f->s) - f->n, "%s=", key);
	va_start(ap, fmt);
	f->n += (size_t)vsnprintf(f->s + f->n, sizeof(f->s) - f->n, fmt, ap);
	va_end(ap);
	f->n += (size_t)snprintf(f->s + f->n, sizeof(f->s) - f->n, ";");
	if (f->n >= sizeof(f->s))
		abort();
}

static inline const char *hex_of(struct snmp_bytes b, char *out)
{
	for (uint32_t i = 0; i < b.len; i++)
		sprintf(out + 2 * i, "%02x", b.ptr[i]);
	out[2 * b.len] = '\0';
	return out;
}

static inline const char *oid_text(struct snmp_bytes b, char *out)
{
	if (snmp_oid_to_text(b.ptr, b.len, out, SNMP_OID_TEXT_MAX) < 0)
		abort();
	return out;
}

static inline void fact_hex(struct facts *f, const char *key, struct snmp_bytes b)
{
	static char hex[2 * 65536 + 1];
	fact(f, key, "%s", hex_of(b, hex));
}

static inline void varbind_facts(struct facts *f, const struct snmp_pdu *p)
{
	static char oid[SNMP_OID_TEXT_MAX], val[2 * 65536 + 1];
	fact(f, "vbs", "%" PRIu32, p->vb_count);
	for (uint32_t i = 0; i < p->vb_count; i++) {
		const struct snmp_varbind *v = &p->vb[i];
		char key[16];
		val[0] = '\0';
		switch (v->type) {
		case SNMP_T_INTEGER:
			sprintf(val, "%" PRId32, v->num.i32);
			break;
		case SNMP_T_COUNTER32:
		case SNMP_T_GAUGE32:
		case SNMP_T_TIMETICKS:
		case SNMP_T_UINTEGER32:
			sprintf(val, "%" PRIu32, v->num.u32);
			break;
		case SNMP_T_COUNTER64:
			sprintf(val, "%" PRIu64, v->num.u64);
			break;
		case SNMP_T_OID:
			oid_text(v->data, val);
			break;
		case SNMP_T_IPADDRESS:
			sprintf(val, "%u.%u.%u.%u", v->data.ptr[0], v->data.ptr[1], v->data.ptr[2],
				v->data.ptr[3]);
			break;
		case SNMP_T_OCTET_STRING:
		case SNMP_T_OPAQUE:
		case SNMP_T_NSAPADDRESS:
			hex_of(v->data, val);
			break;
		default:
			break;
		}
		sprintf(key, "vb%" PRIu32, i);
		fact(f, key, "%s|%s|%s", oid_text(v->oid, oid), snmp_type_name(v->type), val);
	}
}

static inline void pdu_facts(struct facts *f, const struct snmp_pdu *p)
{
	char oid[SNMP_OID_TEXT_MAX];
	fact(f, "pdu", "%s", snmp_pdu_type_name(p->type));
	if (p->type == SNMP_PDU_TRAP_V1) {
		fact(f, "enterprise", "%s", oid_text(p->enterprise, oid));
		fact(f, "agent", "%u.%u.%u.%u", p->agent_addr.ptr[0], p->agent_addr.ptr[1],
		     p->agent_addr.ptr[2], p->agent_addr.ptr[3]);
		fact(f, "generic", "%" PRId32, p->generic_trap);
		fact(f, "specific", "%" PRId32, p->specific_trap);
		fact(f, "timestamp", "%" PRIu32, p->timestamp);
	} else {
		fact(f, "reqid", "%" PRId32, p->request_id);
		fact(f, "errstat", "%" PRId32, p->error_status);
		fact(f, "errindex", "%" PRId32, p->error_index);
	}
	varbind_facts(f, p);
}

// Every fact of a decoded message, in the generator's vocabulary.
static inline void msg_facts(struct facts *f, const struct snmp_msg *m)
{
	f->n = 0;
	f->s[0] = '\0';
	fact(f, "version", "%" PRId32, m->version);
	if (m->version != SNMP_V3) {
		fact_hex(f, "community", m->community);
		pdu_facts(f, &m->pdu);
		return;
	}
	fact(f, "msgid", "%" PRId32, m->msg_id);
	fact(f, "maxsize", "%" PRId32, m->max_size);
	fact(f, "flags", "%u", m->flags);
	fact(f, "secmodel", "%" PRId32, m->security_model);
	fact_hex(f, "engine", m->usm.engine_id);
	fact(f, "boots", "%" PRIu32, m->usm.boots);
	fact(f, "time", "%" PRIu32, m->usm.time);
	fact_hex(f, "user", m->usm.user_name);
	fact_hex(f, "auth", m->usm.auth_params);
	if (m->usm.auth_params.len)
		fact(f, "authoff", "%" PRIu32, m->usm.auth_params_off);
	fact_hex(f, "priv", m->usm.priv_params);
	if (m->flags & SNMP_FLAG_PRIV) {
		fact_hex(f, "encrypted", m->encrypted);
		return;
	}
	fact_hex(f, "ctxengine", m->context_engine_id);
	fact_hex(f, "ctxname", m->context_name);
	pdu_facts(f, &m->pdu);
}

// Our encoder's octets for a decoded message: the same fields, the v3
// auth parameters as a zero placeholder at *auth_off (where the caller
// copies the original ones, as USM would write its digest).
static inline int snmp_reencode(const struct snmp_msg *m, uint8_t *out, size_t cap,
				uint32_t *auth_off)
{
	*auth_off = 0;
	if (m->version != SNMP_V3)
		return snmp_msg_encode(out, cap, m->version, m->community, &m->pdu);
	struct snmp_v3_out h = {
		.msg_id = m->msg_id,
		.max_size = m->max_size,
		.flags = m->flags,
		.engine_id = m->usm.engine_id,
		.boots = m->usm.boots,
		.time = m->usm.time,
		.user_name = m->usm.user_name,
		.auth_params_len = m->usm.auth_params.len,
		.priv_params = m->usm.priv_params,
	};
	if (m->flags & SNMP_FLAG_PRIV)
		return snmp_v3_msg_encode(out, cap, &h, m->encrypted, auth_off);
	return snmp_v3_msg_encode_pdu(out, cap, &h, m->context_engine_id, m->context_name, &m->pdu,
				      auth_off);
}

// OID contents from dotted text into buf; aborts on bad text.
static inline struct snmp_bytes oid_of(const char *text, uint8_t buf[SNMP_OID_ENC_MAX])
{
	int n = snmp_oid_from_text(text, strlen(text), buf, SNMP_OID_ENC_MAX);
	if (n < 0)
		abort();
	return (struct snmp_bytes){.ptr = buf, .len = (uint32_t)n};
}

static inline struct snmp_bytes bytes_of(const char *s)
{
	return (struct snmp_bytes){.ptr = (const uint8_t *)s, .len = (uint32_t)strlen(s)};
}

// One varbind of every type, names 1.3.6.1.4.1.99.<i>; returns the count,
// SNMP_EVERY_TYPE_N. The spans point into static storage of this function.
#define SNMP_EVERY_TYPE_N 15
static inline uint32_t snmp_every_type(struct snmp_varbind *vb)
{
	static uint8_t oidbuf[SNMP_EVERY_TYPE_N + 1][SNMP_OID_ENC_MAX];
	static const uint8_t ip4[4] = {192, 0, 2, 77};
	static const uint8_t nsap[6] = {0x47, 0x00, 0x05, 0x80, 0x00, 0x05};
	static const uint8_t opaque[7] = {0x9f, 0x78, 0x04, 0x41, 0x20, 0x00, 0x00};
	static const uint8_t types[] = {
		SNMP_T_INTEGER,
		SNMP_T_OCTET_STRING,
		SNMP_T_NULL,
		SNMP_T_OID,
		SNMP_T_IPADDRESS,
		SNMP_T_COUNTER32,
		SNMP_T_GAUGE32,
		SNMP_T_TIMETICKS,
		SNMP_T_OPAQUE,
		SNMP_T_NSAPADDRESS,
		SNMP_T_COUNTER64,
		SNMP_T_UINTEGER32,
		SNMP_T_NO_SUCH_OBJECT,
		SNMP_T_NO_SUCH_INSTANCE,
		SNMP_T_END_OF_MIB_VIEW,
	};
	uint32_t n = sizeof(types);
	for (uint32_t i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "1.3.6.1.4.1.99.%u", i);
		vb[i] = (struct snmp_varbind){.oid = oid_of(name, oidbuf[i]), .type = types[i]};
		switch (types[i]) {
		case SNMP_T_INTEGER:
			vb[i].num.i32 = -123456;
			break;
		case SNMP_T_OCTET_STRING:
			vb[i].data = bytes_of("port ge-0/0/1 down");
			break;
		case SNMP_T_OID:
			vb[i].data = oid_of("1.3.6.1.6.3.1.1.5.3", oidbuf[SNMP_EVERY_TYPE_N]);
			break;
		case SNMP_T_IPADDRESS:
			vb[i].data = (struct snmp_bytes){ip4, 4};
			break;
		case SNMP_T_COUNTER32:
		case SNMP_T_UINTEGER32:
			vb[i].num.u32 = UINT32_MAX;
			break;
		case SNMP_T_GAUGE32:
			vb[i].num.u32 = 128;
			break;
		case SNMP_T_TIMETICKS:
			vb[i].num.u32 = 8640000;
			break;
		case SNMP_T_OPAQUE:
			vb[i].data = (struct snmp_bytes){opaque, sizeof(opaque)};
			break;
		case SNMP_T_NSAPADDRESS:
			vb[i].data = (struct snmp_bytes){nsap, sizeof(nsap)};
			break;
		case SNMP_T_COUNTER64:
			vb[i].num.u64 = UINT64_MAX - 1;
			break;
		default:
			break;
		}
	}
	return n;
}

// Hex for hand-written BER with the lengths computed: "30{ 02 01 05 }" is
// 30 03 02 01 05 (XX{ opens an element of tag XX, } closes it with the
// shortest definite length), "N*XX" repeats octet XX N times, and '^'
// marks the offset *mark receives (the element a malformed case expects
// the decoder to blame). Lengths that must lie are written as plain hex.
// Returns the length, or -1 on bad input or overflow.
#define TLV_MAX_OPEN 64
static inline int tlv_hex(const char *s, uint8_t *out, size_t cap, uint32_t *mark)
{
	size_t n = 0, open[TLV_MAX_OPEN];
	unsigned depth = 0;
	bool marked = false;
	while (*s) {
		char c = *s;
		if (c == ' ' || c == '\n' || c == '\t') {
			s++;
		} else if (c == '^') {
			if (mark)
				*mark = (uint32_t)n;
			marked = true;
			s++;
		} else if (c == '}') {
			if (depth == 0)
				return -1;
			size_t start = open[--depth], len = n - start;
			size_t ll = len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 4;
			// start <= n always; said, so gcc -O3 sees the move stays in out
			if (start > n || n + ll > cap)
				return -1;
			memmove(out + start + ll, out + start, len);
			if (ll == 1) {
				out[start] = (uint8_t)len;
			} else {
				out[start] = (uint8_t)(0x80 | (ll - 1));
				for (size_t i = 1; i < ll; i++)
					out[start + i] = (uint8_t)(len >> (8 * (ll - 1 - i)));
			}
			n += ll;
			if (marked && mark && *mark >= start) // the mark moved with the contents
				*mark += (uint32_t)ll;
			s++;
		} else {
			// one hex token ("ab" or "N*ab") as dns_test_util reads it
			static char tok[20480];
			size_t k = 0;
			while (*s && *s != ' ' && *s != '{' && *s != '}' && *s != '^') {
				if (k + 1 == sizeof(tok))
					return -1;
				tok[k++] = *s++;
			}
			tok[k] = '\0';
			int w = hex_decode(tok, out + n, cap - n);
			if (w < 0)
				return -1;
			n += (size_t)w;
			if (*s == '{') {
				if (w != 1 || depth == TLV_MAX_OPEN)
					return -1;
				open[depth++] = n;
				s++;
			}
		}
	}
	return depth ? -1 : (int)n;
}

#endif
