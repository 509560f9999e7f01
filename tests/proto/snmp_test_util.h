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
			if (n + ll > cap)
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
