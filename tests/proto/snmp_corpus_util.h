/* SPDX-License-Identifier: BSD-3-Clause */
// The interop corpus (tests/data/gen_snmp_corpus.py) for the tests that
// read it: the UDP payloads of its pcaps, the rows of MANIFEST.tsv, the
// users its senders used, and varbinds written the way the manifest writes
// what pysnmp decoded.
#ifndef LINERATE_TESTS_SNMP_CORPUS_UTIL_H
#define LINERATE_TESTS_SNMP_CORPUS_UTIL_H

#include <inttypes.h>

#include <linerate/snmp_msg.h>

#include "usm_test_util.h"

#define CORPUS	  TEST_DATA_DIR "/snmp_corpus"
#define FRAME_MAX 2048

// --- a pcap reader: Ethernet, IPv4, UDP, as scapy writes them ---

static inline size_t pcap_udp_payload(const char *file, int frame, uint8_t *out)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", CORPUS, file);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	uint8_t gh[24], rh[16], pkt[FRAME_MAX + 64];
	cr_assert_eq(fread(gh, 1, 24, f), 24);
	cr_assert_eq(gh[0] | gh[1] << 8 | gh[2] << 16 | (uint32_t)gh[3] << 24, 0xa1b2c3d4u,
		     "little-endian microsecond pcap");
	cr_assert_eq(gh[20], 1, "linktype Ethernet");
	for (int i = 0;; i++) {
		cr_assert_eq(fread(rh, 1, 16, f), 16, "%s has no frame %d", file, frame);
		uint32_t len = rh[8] | rh[9] << 8 | rh[10] << 16 | (uint32_t)rh[11] << 24;
		cr_assert_leq(len, sizeof(pkt));
		cr_assert_eq(fread(pkt, 1, len, f), len);
		if (i < frame)
			continue;
		fclose(f);
		cr_assert(pkt[12] == 0x08 && pkt[13] == 0x00, "IPv4");
		size_t ip = 14, ihl = (pkt[ip] & 0x0f) * 4u;
		cr_assert_eq(pkt[ip + 9], 17, "UDP");
		size_t udp = ip + ihl, ulen = (size_t)(pkt[udp + 4] << 8 | pkt[udp + 5]);
		cr_assert(ulen >= 8 && udp + ulen <= len);
		memcpy(out, pkt + udp + 8, ulen - 8);
		return ulen - 8;
	}
}

// --- the manifest ---

enum col {
	C_FILE,
	C_FRAME,
	C_DIR,
	C_VERSION,
	C_PDU,
	C_NAME,
	C_LEVEL,
	C_AUTH,
	C_PRIV,
	C_AUTH_PW,
	C_PRIV_PW,
	C_ENGINE,
	C_BOOTS,
	C_TIME,
	C_AUTH_OFF,
	C_AUTH_LEN,
	C_SALT_OFF,
	C_SALT_LEN,
	C_DATA_OFF,
	C_DATA_LEN,
	C_PLAIN_LEN,
	C_PLAIN_SHA,
	C_TOOL,
	C_VARBINDS,
	C_COUNT
};

static const char *const col_names[C_COUNT] = {
	"file",	    "frame",	"dir",	     "version",	      "pdu",	       "name",
	"level",    "auth",	"priv",	     "auth_password", "priv_password", "engine",
	"boots",    "time",	"auth_off",  "auth_len",      "salt_off",      "salt_len",
	"data_off", "data_len", "plain_len", "plain_sha256",  "tool",	       "varbinds",
};

struct row {
	const char *v[C_COUNT];
	char line[8192];
};

// Every row (after the header) to fn; returns how many fn counted.
static inline int each_row(int (*fn)(const struct row *r))
{
	FILE *f = fopen(CORPUS "/MANIFEST.tsv", "r");
	cr_assert_not_null(f);
	int idx[C_COUNT], n = 0;
	static struct row r;
	char header[8192];
	do
		cr_assert_not_null(fgets(header, sizeof(header), f));
	while (header[0] == '#');
	header[strcspn(header, "\n")] = '\0';
	const char *names[64];
	int nn = 0;
	for (char *s = header, *tok; nn < 64 && (tok = strsep(&s, "\t"));)
		names[nn++] = tok;
	for (int c = 0; c < C_COUNT; c++) {
		idx[c] = -1;
		for (int i = 0; i < nn; i++)
			if (strcmp(names[i], col_names[c]) == 0)
				idx[c] = i;
		cr_assert_geq(idx[c], 0, "manifest has no column %s", col_names[c]);
	}
	while (fgets(r.line, sizeof(r.line), f)) {
		r.line[strcspn(r.line, "\n")] = '\0';
		const char *fields[64];
		int nf = 0;
		for (char *s = r.line, *tok; nf < 64 && (tok = strsep(&s, "\t"));)
			fields[nf++] = tok;
		for (int c = 0; c < C_COUNT; c++)
			r.v[c] = idx[c] < nf ? fields[idx[c]] : "";
		n += fn(&r);
	}
	fclose(f);
	return n;
}

// --- keys: Ku per (hash, password), computed once ---

static inline const uint8_t *ku_of(enum usm_auth a, const char *pw)
{
	static struct {
		enum usm_auth a;
		char pw[64];
		uint8_t ku[USM_DIGEST_MAX];
	} cache[64];
	static int n;
	for (int i = 0; i < n; i++)
		if (cache[i].a == a && strcmp(cache[i].pw, pw) == 0)
			return cache[i].ku;
	cr_assert_lt(n, 64);
	cache[n].a = a;
	snprintf(cache[n].pw, sizeof(cache[n].pw), "%s", pw);
	cr_assert_gt(usm_password_to_ku(a, pw, strlen(pw), cache[n].ku), 0);
	return cache[n++].ku;
}

// The row's user as we would configure it (noAuthNoPriv when the row has
// no auth): AES-192/256 in compat auto,
// whichever variant the sender used ("aes192c" rows are Reeder senders).
static inline struct usm_user_cfg user_of(const struct row *r, const char *auth_pw,
					  const char *priv_pw)
{
	struct usm_user_cfg c = {0};
	c.name_len = (uint8_t)strlen(r->v[C_NAME]);
	memcpy(c.name, r->v[C_NAME], c.name_len);
	if (!r->v[C_AUTH][0])
		return c; // noAuthNoPriv
	c.auth = (uint8_t)auth_named(r->v[C_AUTH]);
	memcpy(c.auth_key, ku_of(c.auth, auth_pw), usm_auth_digest_len(c.auth));
	if (r->v[C_PRIV][0]) {
		enum usm_priv p = priv_named(r->v[C_PRIV]);
		c.priv = (uint8_t)(p == USM_PRIV_AES192C   ? USM_PRIV_AES192
				   : p == USM_PRIV_AES256C ? USM_PRIV_AES256
							   : p);
		c.compat = USM_COMPAT_AUTO;
		c.priv_key_len = (uint8_t)usm_auth_digest_len(c.auth);
		memcpy(c.priv_key, ku_of(c.auth, priv_pw), c.priv_key_len);
	}
	return c;
}

// --- varbinds as the manifest writes them ---

// pyasn1's class name of each value type, which the manifest uses.
static inline const char *corpus_kind(uint8_t type)
{
	switch (type) {
	case SNMP_T_INTEGER:
		return "Integer";
	case SNMP_T_OCTET_STRING:
		return "OctetString";
	case SNMP_T_NULL:
		return "Null";
	case SNMP_T_OID:
		return "ObjectIdentifier";
	case SNMP_T_IPADDRESS:
		return "IpAddress";
	case SNMP_T_COUNTER32:
		return "Counter32";
	case SNMP_T_GAUGE32:
		return "Gauge32";
	case SNMP_T_TIMETICKS:
		return "TimeTicks";
	case SNMP_T_COUNTER64:
		return "Counter64";
	default:
		return "?";
	}
}

// "oid=Kind:value;..." with a Trap-v1's header first, as
// gen_snmp_corpus.py's varbinds_of writes pysnmp's reading.
static inline const char *corpus_varbinds(const struct snmp_pdu *p, char *out, size_t cap)
{
	char oid[SNMP_OID_TEXT_MAX], val[1024];
	size_t n = 0;
	out[0] = '\0';
	if (p->type == SNMP_PDU_TRAP_V1) {
		cr_assert_geq(
			snmp_oid_to_text(p->enterprise.ptr, p->enterprise.len, oid, sizeof(oid)),
			0);
		n += (size_t)snprintf(out + n, cap - n,
				      "enterprise=%s;agent-addr=%u.%u.%u.%u;generic=%" PRId32
				      ";specific=%" PRId32,
				      oid, p->agent_addr.ptr[0], p->agent_addr.ptr[1],
				      p->agent_addr.ptr[2], p->agent_addr.ptr[3], p->generic_trap,
				      p->specific_trap);
	}
	for (uint32_t i = 0; i < p->vb_count && n < cap; i++) {
		const struct snmp_varbind *v = &p->vb[i];
		cr_assert_geq(snmp_oid_to_text(v->oid.ptr, v->oid.len, oid, sizeof(oid)), 0);
		switch (v->type) {
		case SNMP_T_INTEGER:
			snprintf(val, sizeof(val), "%" PRId32, v->num.i32);
			break;
		case SNMP_T_COUNTER32:
		case SNMP_T_GAUGE32:
		case SNMP_T_TIMETICKS:
			snprintf(val, sizeof(val), "%" PRIu32, v->num.u32);
			break;
		case SNMP_T_OID:
			cr_assert_geq(snmp_oid_to_text(v->data.ptr, v->data.len, val, sizeof(val)),
				      0);
			break;
		case SNMP_T_OCTET_STRING: {
			bool text = true;
			for (uint32_t k = 0; k < v->data.len; k++)
				text = text && v->data.ptr[k] >= 32 && v->data.ptr[k] < 127;
			size_t m = text ? 0 : (size_t)snprintf(val, sizeof(val), "0x");
			for (uint32_t k = 0; k < v->data.len && m + 3 < sizeof(val); k++)
				m += (size_t)snprintf(val + m, sizeof(val) - m,
						      text ? "%c" : "%02x", v->data.ptr[k]);
			val[m] = '\0';
			break;
		}
		default:
			snprintf(val, sizeof(val), "?");
		}
		n += (size_t)snprintf(out + n, cap - n, "%s%s=%s:%s", n ? ";" : "", oid,
				      corpus_kind(v->type), val);
	}
	cr_assert_lt(n, cap);
	return out;
}

#endif
