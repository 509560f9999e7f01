/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMPv3 agents the USM benchmarks receive from: n users, user i
// ("user<i>") at its own engine, SHA-256 + AES-128 with localised keys (no
// password hashing: not what they measure).
#ifndef LINERATE_PERF_USM_AGENTS_H
#define LINERATE_PERF_USM_AGENTS_H

#include <stdio.h>
#include <string.h>

#include <linerate/snmp_err.h>
#include <linerate/snmp_msg.h>
#include <linerate/snmp_usm.h>
#include <linerate/snmp_v3.h>

#define AGENT_ENGINE_LEN 12

static inline void agent_engine(int i, uint8_t e[AGENT_ENGINE_LEN])
{
	memcpy(e, "\x80\x00\x1f\x88\x05", 5);
	memcpy(e + 5, &i, 4);
	memset(e + 9, 0x42, 3);
}

// Agent i's user name into name[0..cap); returns its length.
static inline int agent_user(int i, char *name, size_t cap)
{
	return snprintf(name, cap, "user%d", i);
}

// The table of n agents' users; NULL (and the error in *rc) on failure.
static inline struct usm_table *agent_table(int n, int *rc)
{
	struct usm_table *t = usm_table_new((size_t)n, 0);
	struct usm_user u;
	*rc = t ? 0 : USM_ENOSPACE;
	for (int i = 0; t && i < n && *rc == 0; i++) {
		struct usm_user_cfg c = {.auth = USM_AUTH_SHA256,
					 .priv = USM_PRIV_AES128,
					 .auth_form = USM_KEY_LOCAL,
					 .priv_form = USM_KEY_LOCAL,
					 .priv_key_len = 32,
					 .engine_len = AGENT_ENGINE_LEN};
		c.name_len = (uint8_t)agent_user(i, (char *)c.name, sizeof(c.name));
		agent_engine(i, c.engine_id);
		for (int k = 0; k < 32; k++)
			c.auth_key[k] = c.priv_key[k] = (uint8_t)(i * 7 + k);
		*rc = usm_user_localize(&c, c.engine_id, AGENT_ENGINE_LEN, &u);
		if (*rc == 0)
			*rc = usm_table_add(t, &u);
	}
	return t;
}

// The varbinds of a linkDown trap (RFC 2863) as a router sends it:
// sysUpTime.0, snmpTrapOID.0, ifIndex, ifAdminStatus, ifOperStatus,
// ifDescr, ifAlias; for message j, with its strings in text[2][64].
// Returns the PDU over vb, or a PDU without varbinds on an encoder error.
static inline struct snmp_pdu agent_link_down(int j, struct snmp_varbind vb[7],
					      uint8_t oids[5][SNMP_OID_ENC_MAX], char text[2][64])
{
	static const char *const names[5] = {
		"1.3.6.1.6.3.1.1.5.3",	     "1.3.6.1.2.1.2.2.1.1.10101", "1.3.6.1.2.1.2.2.1.7.10101",
		"1.3.6.1.2.1.2.2.1.8.10101", "1.3.6.1.2.1.2.2.1.2.10101",
	};
	struct snmp_bytes o[5];
	for (int k = 0; k < 5; k++) {
		int n = snmp_oid_from_text(names[k], strlen(names[k]), oids[k], SNMP_OID_ENC_MAX);
		if (n < 0)
			return (struct snmp_pdu){.type = SNMP_PDU_TRAP_V2};
		o[k] = (struct snmp_bytes){oids[k], (uint32_t)n};
	}
	int dl = snprintf(text[0], 64, "GigabitEthernet0/1/%d", j);
	int al = snprintf(text[1], 64, "uplink to core-router-%02d port %d", j % 100, j);
	snmp_notification_head(vb, 123456 + (uint32_t)j, o[0]);
	vb[2] = (struct snmp_varbind){.oid = o[1], .type = SNMP_T_INTEGER, .num.i32 = 10101};
	vb[3] = (struct snmp_varbind){.oid = o[2], .type = SNMP_T_INTEGER, .num.i32 = 1};
	vb[4] = (struct snmp_varbind){.oid = o[3], .type = SNMP_T_INTEGER, .num.i32 = 2};
	vb[5] = (struct snmp_varbind){
		.oid = o[4], .type = SNMP_T_OCTET_STRING, .data = {(uint8_t *)text[0], (uint32_t)dl}};
	vb[6] = (struct snmp_varbind){
		.oid = o[4], .type = SNMP_T_OCTET_STRING, .data = {(uint8_t *)text[1], (uint32_t)al}};
	return (struct snmp_pdu){
		.type = SNMP_PDU_TRAP_V2, .request_id = 4000 + j, .vb = vb, .vb_count = 7};
}

// Message j, a v2c linkDown trap with community "public", into out[0..cap):
// its length or a negative error.
static inline int agent_v2c_trap(int j, uint8_t *out, size_t cap)
{
	struct snmp_varbind vb[7];
	uint8_t oids[5][SNMP_OID_ENC_MAX];
	char text[2][64];
	struct snmp_pdu pdu = agent_link_down(j, vb, oids, text);
	if (!pdu.vb_count)
		return SNMP_E_INVAL;
	return snmp_msg_encode(out, cap, SNMP_V2C, (struct snmp_bytes){(uint8_t *)"public", 6},
			       &pdu);
}

// Message j as agent i sends it in authPriv from its own engine (boots 3,
// time now): the linkDown scopedPDU encrypted, in a v3 message, signed.
// Its length or a negative error.
static inline int agent_v3_trap(struct usm_ctx *tx, const struct usm_table *t, int i, int j,
				uint32_t now, uint8_t *out, size_t cap)
{
	uint8_t engine[AGENT_ENGINE_LEN], plain[1024], enc[1024], salt[USM_SALT_LEN];
	struct snmp_varbind vb[7];
	uint8_t oids[5][SNMP_OID_ENC_MAX];
	char name[16], text[2][64];
	agent_engine(i, engine);
	int nl = agent_user(i, name, sizeof(name));
	const struct usm_user *u =
		usm_table_find(t, engine, AGENT_ENGINE_LEN, (uint8_t *)name, (size_t)nl);
	struct snmp_pdu pdu = agent_link_down(j, vb, oids, text);
	if (!u || !pdu.vb_count)
		return USM_EINVAL;
	int n = snmp_scoped_pdu_encode(plain, sizeof(plain),
				       (struct snmp_bytes){engine, AGENT_ENGINE_LEN},
				       (struct snmp_bytes){0}, &pdu);
	if (n < 0)
		return n;
	int c = usm_encrypt(tx, u, 0, 3, now, plain, (size_t)n, enc, sizeof(enc), salt);
	if (c < 0)
		return c;
	struct snmp_v3_out h = {.msg_id = 77 + j,
				.max_size = 1500,
				.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV,
				.engine_id = {engine, AGENT_ENGINE_LEN},
				.boots = 3,
				.time = now,
				.user_name = {(uint8_t *)name, (uint32_t)nl},
				.auth_params_len = 24,
				.priv_params = {salt, USM_SALT_LEN}};
	uint32_t auth_off;
	int len = snmp_v3_msg_encode(out, cap, &h, (struct snmp_bytes){enc, (uint32_t)c}, &auth_off);
	if (len < 0)
		return len;
	int rc = usm_auth_sign(&u->hmac, out, (size_t)len, auth_off, 24);
	return rc ? rc : len;
}

#endif
