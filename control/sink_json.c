/* SPDX-License-Identifier: BSD-3-Clause */
// One trap record as one JSON object, the form every text sink shares:
//
//   {"seq":12,"time":"2026-05-01T12:34:56.123456Z",
//    "src":"192.0.2.10","src_port":40001,"dst":"192.0.2.1","dst_port":162,
//    "version":"v2c","community":"public",          (v1, v2c)
//    "user":"ops","security_level":"authPriv",      (v3, instead)
//    "context_engine_id":"80001f8804...","context_name":"edge",  (v3)
//    "request_id":77,"pdu":"trap",                  (trap, inform, trapv1)
//    "trap_oid":"1.3.6.1.6.3.1.1.5.3","trap_name":"linkDown",
//    "uptime":{"ticks":8640123,"duration":"1d 00:00:01.23"},
//    "enterprise":"1.3.6.1.4.1.8072.3.2.10","agent_address":"198.51.100.9",
//    "generic_trap":6,"specific_trap":17,            (trapv1)
//    "varbinds":[{"oid":"1.3.6.1.2.1.2.2.1.1.3","name":"ifIndex.3",
//                 "type":"integer","value":3}, ...]}
//
// Names ("trap_name", "enterprise_name", "name", "value_name") only when
// a MIB lookup knows them. Values: numbers as JSON numbers (Counter64 in
// full: readers must not force it into a double), OCTET STRING as text when
// it is printable UTF-8, else as hex with "encoding":"hex" (Opaque and
// NsapAddress always so), TimeTicks also as a "duration", IpAddress
// dotted, OIDs dotted, NULL as null, exceptions by name ("noSuchObject").
// Strings are escaped here (RFC 8259 §7), not by a library: jansson keeps
// integers signed, and Counter64 needs all 64 bits.
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linerate/snmp_ber.h>

#include "sink.h"

void sink_buf_free(struct sink_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int reserve(struct sink_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int sink_buf_put(struct sink_buf *b, const void *p, size_t n)
{
	int rc = reserve(b, n);
	if (rc)
		return rc;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

// Errors are sticky in these writers: *rc keeps the first.
struct jw {
	struct sink_buf *b;
	int rc;
	bool first; // no comma before the next member
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (!w->rc)
		w->rc = sink_buf_put(w->b, s, n);
}

static void puts_(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(struct jw *w, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(w, tmp, n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

// Length of the UTF-8 sequence at p (RFC 3629 §4: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when it is not one.
size_t sink_utf8_len(const uint8_t *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (len == 0 || len > n || p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	if (p[0] == 0xc2 && p[1] < 0xa0) // C1 controls are not text
		return 0;
	return len;
}

// Printable: valid UTF-8 with no control characters but tab, CR and LF.
static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (p[i] == 0x7f || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'))
			return false;
		size_t l = sink_utf8_len(p + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

// Printable octets escaped for the inside of a JSON string.
static void put_escaped(struct jw *w, const uint8_t *p, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = p[i] == '"'	 ? "\\\""
				  : p[i] == '\\' ? "\\\\"
				  : p[i] == '\n' ? "\\n"
				  : p[i] == '\r' ? "\\r"
				  : p[i] == '\t' ? "\\t"
						 : NULL;
		if (!esc)
			continue;
		put(w, (const char *)p + run, i - run);
		puts_(w, esc);
		run = i + 1;
	}
	put(w, (const char *)p + run, n - run);
}

// A JSON string of printable octets.
static void put_text(struct jw *w, const uint8_t *p, size_t n)
{
	put(w, "\"", 1);
	put_escaped(w, p, n);
	put(w, "\"", 1);
}

static void put_hex(struct jw *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	put(w, "\"", 1);
	if (w->rc || (w->rc = reserve(w->b, 2 * n)))
		return;
	for (size_t i = 0; i < n; i++) {
		w->b->p[w->b->len++] = digits[p[i] >> 4];
		w->b->p[w->b->len++] = digits[p[i] & 15];
	}
	put(w, "\"", 1);
}

static void key(struct jw *w, const char *k)
{
	if (!w->first)
		put(w, ",", 1);
	w->first = false;
	putf(w, "\"%s\":", k);
}

static void member_str(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	put_text(w, (const uint8_t *)v, strlen(v));
}

// Octets as text under k, or as hex under k_hex when not printable.
static void member_octets(struct jw *w, const char *k, const char *k_hex, struct snmp_bytes b)
{
	bool text = printable(b.ptr, b.len);
	key(w, text ? k : k_hex);
	if (text)
		put_text(w, b.ptr, b.len);
	else
		put_hex(w, b.ptr, b.len);
}

static void member_oid(struct jw *w, const char *k, const char *k_name, struct snmp_bytes oid,
		       const struct sink_names *names)
{
	char text[SNMP_OID_TEXT_MAX];
	uint32_t arcs[SNMP_OID_MAX_SUBIDS];
	if (snmp_oid_to_text(oid.ptr, oid.len, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "invalid");
	member_str(w, k, text);
	int n = snmp_oid_decode(oid.ptr, oid.len, arcs, SNMP_OID_MAX_SUBIDS);
	if (!names || !names->oid_name || !k_name || n <= 0)
		return;
	size_t matched = 0;
	const char *name = names->oid_name(names->ctx, arcs, (size_t)n, &matched);
	if (!name || matched == 0 || matched > (size_t)n ||
	    !printable((const uint8_t *)name, strlen(name)))
		return;
	key(w, k_name);
	put(w, "\"", 1);
	put_escaped(w, (const uint8_t *)name, strlen(name));
	for (size_t i = matched; i < (size_t)n; i++)
		putf(w, ".%" PRIu32, arcs[i]);
	put(w, "\"", 1);
}

// TimeTicks (hundredths of a second) as "Dd HH:MM:SS.hh".
static void duration(char out[32], uint32_t ticks)
{
	snprintf(out, 32, "%" PRIu32 "d %02" PRIu32 ":%02" PRIu32 ":%02" PRIu32 ".%02" PRIu32,
		 ticks / 8640000, ticks / 360000 % 24, ticks / 6000 % 60, ticks / 100 % 60,
		 ticks % 100);
}

static void put_value(struct jw *w, const struct snmp_varbind *v, const struct sink_names *names)
{
	char tmp[64];
	switch (v->type) {
	case SNMP_T_INTEGER:
		key(w, "value");
		putf(w, "%" PRId32, v->num.i32);
		break;
	case SNMP_T_COUNTER32:
	case SNMP_T_GAUGE32:
	case SNMP_T_UINTEGER32:
		key(w, "value");
		putf(w, "%" PRIu32, v->num.u32);
		break;
	case SNMP_T_TIMETICKS:
		key(w, "value");
		putf(w, "%" PRIu32, v->num.u32);
		duration(tmp, v->num.u32);
		member_str(w, "duration", tmp);
		break;
	case SNMP_T_COUNTER64:
		key(w, "value");
		putf(w, "%" PRIu64, v->num.u64);
		break;
	case SNMP_T_IPADDRESS:
		inet_ntop(AF_INET, v->data.ptr, tmp, sizeof(tmp));
		member_str(w, "value", tmp);
		break;
	case SNMP_T_OID:
		member_oid(w, "value", "value_name", v->data, names);
		break;
	case SNMP_T_OCTET_STRING:
		key(w, "value");
		if (printable(v->data.ptr, v->data.len)) {
			put_text(w, v->data.ptr, v->data.len);
		} else {
			put_hex(w, v->data.ptr, v->data.len);
			member_str(w, "encoding", "hex");
		}
		break;
	case SNMP_T_OPAQUE:
	case SNMP_T_NSAPADDRESS:
		key(w, "value");
		put_hex(w, v->data.ptr, v->data.len);
		member_str(w, "encoding", "hex");
		break;
	case SNMP_T_NO_SUCH_OBJECT:
		member_str(w, "value", "noSuchObject");
		break;
	case SNMP_T_NO_SUCH_INSTANCE:
		member_str(w, "value", "noSuchInstance");
		break;
	case SNMP_T_END_OF_MIB_VIEW:
		member_str(w, "value", "endOfMibView");
		break;
	default: // NULL
		key(w, "value");
		puts_(w, "null");
		break;
	}
}

static void member_addr(struct jw *w, const char *k, const char *k_port,
			const struct trap_rec_addr *a)
{
	char text[INET6_ADDRSTRLEN];
	inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, text, sizeof(text));
	member_str(w, k, text);
	key(w, k_port);
	putf(w, "%u", a->port);
}

void sink_fmt_time(char out[32], uint64_t ns)
{
	struct tm tm;
	time_t sec = (time_t)(ns / 1000000000);
	gmtime_r(&sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%06uZ", (unsigned)(ns % 1000000000 / 1000));
}

static void member_time(struct jw *w, uint64_t ns)
{
	char text[32];
	sink_fmt_time(text, ns);
	member_str(w, "time", text);
}

static void members_security(struct jw *w, const struct trap_rec *r)
{
	static const char *const versions[] = {"v1", "v2c", "v3"};
	member_str(w, "version", versions[r->snmp_version == SNMP_V3 ? 2 : r->snmp_version]);
	if (r->snmp_version != SNMP_V3) {
		// The community is operator data: the issue asks for it in the
		// events (which community a device uses is often what is being
		// debugged); sinks that must not show it filter it downstream.
		member_octets(w, "community", "community_hex", r->sec_name);
		return;
	}
	member_octets(w, "user", "user_hex", r->sec_name);
	member_str(w, "security_level", trap_rec_sec_level_name(r->sec_level));
	key(w, "context_engine_id");
	put_hex(w, r->context_engine_id.ptr, r->context_engine_id.len);
	member_octets(w, "context_name", "context_name_hex", r->context_name);
}

static void members_v1(struct jw *w, const struct trap_rec *r, const struct sink_names *names)
{
	char addr[INET_ADDRSTRLEN];
	member_oid(w, "enterprise", "enterprise_name", r->enterprise, names);
	inet_ntop(AF_INET, r->agent_addr, addr, sizeof(addr));
	member_str(w, "agent_address", addr);
	key(w, "generic_trap");
	putf(w, "%" PRId32, r->generic_trap);
	key(w, "specific_trap");
	putf(w, "%" PRId32, r->specific_trap);
}

static void members_varbinds(struct jw *w, const struct trap_rec *r, const struct sink_names *names)
{
	struct trap_rec_iter it;
	struct snmp_varbind v;
	key(w, "varbinds");
	put(w, "[", 1);
	trap_rec_vb_first(r, &it);
	for (bool first = true; trap_rec_vb_next(&it, &v); first = false) {
		puts_(w, first ? "{" : ",{");
		w->first = true;
		member_oid(w, "oid", "name", v.oid, names);
		member_str(w, "type", snmp_type_name(v.type));
		put_value(w, &v, names);
		put(w, "}", 1);
	}
	put(w, "]", 1);
}

int sink_json_render(struct sink_buf *out, uint64_t seq, const struct trap_rec *r,
		     const struct sink_names *names)
{
	struct jw w = {.b = out, .first = true};
	char tmp[32];
	put(&w, "{", 1);
	key(&w, "seq");
	putf(&w, "%" PRIu64, seq);
	member_time(&w, r->meta.rx_ns);
	member_addr(&w, "src", "src_port", &r->meta.src);
	member_addr(&w, "dst", "dst_port", &r->meta.dst);
	members_security(&w, r);
	if (r->pdu_type != SNMP_PDU_TRAP_V1) {
		key(&w, "request_id");
		putf(&w, "%" PRId32, r->request_id);
	}
	member_str(&w, "pdu", trap_rec_pdu_name(r->pdu_type));
	if (r->trap_oid.len)
		member_oid(&w, "trap_oid", "trap_name", r->trap_oid, names);
	if ((r->flags & TRAP_REC_F_HEAD) || r->pdu_type == SNMP_PDU_TRAP_V1) {
		key(&w, "uptime");
		duration(tmp, r->uptime);
		putf(&w, "{\"ticks\":%" PRIu32 ",\"duration\":\"%s\"}", r->uptime, tmp);
	}
	if (r->pdu_type == SNMP_PDU_TRAP_V1)
		members_v1(&w, r, names);
	members_varbinds(&w, r, names);
	put(&w, "}", 1);
	return w.rc;
}
