/* SPDX-License-Identifier: BSD-3-Clause */
// usm-authpriv: SNMPv3 authPriv traps through the receive glue, per second
// on one core, as a worker will take them: snmp_rx_process of ~300-octet
// SNMPv2-Traps from 1,000 agents (each its own engine and user, SHA-256 +
// AES-128): decode of the header, USM lookup, HMAC-SHA-256-192 verify,
// remote engine timeliness, AES-128-CFB decrypt, decode of the scopedPDU
// and its varbinds. The same traps in v2c through the same call for
// comparison (decode only). Messages are built with our encoders and USM
// beforehand; 64 of them are cycled. Run through perf/run.sh, which pins
// it to one core.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "usm_agents.h"
#include <linerate/snmp_v3.h>

#define USERS	       1000
#define NMSG	       64
#define MSG_CAP	       512
#define VB_MAX	       16
#define NOW	       1000
#define WARMUP_SECONDS 0.3
#define ROUND_SECONDS  1.0
#define ROUNDS	       5 // the median is reported: the machine may be shared
#define ITERS	       50000000ULL

struct msg {
	uint8_t wire[MSG_CAP];
	size_t len;
};

static void die(const char *what, int rc)
{
	fprintf(stderr, "usm-authpriv: %s: %s\n", what, snmp_strerror(rc));
	exit(1);
}

static struct snmp_bytes oid(const char *text, uint8_t *buf)
{
	int n = snmp_oid_from_text(text, strlen(text), buf, SNMP_OID_ENC_MAX);
	if (n < 0)
		die("oid", n);
	return (struct snmp_bytes){buf, (uint32_t)n};
}

// A linkDown trap (RFC 2863) as a router sends it: sysUpTime.0,
// snmpTrapOID.0, ifIndex, ifAdminStatus, ifOperStatus, ifDescr, ifAlias.
static struct snmp_pdu link_down(int j, struct snmp_varbind vb[7])
{
	static uint8_t bufs[5][SNMP_OID_ENC_MAX];
	static char descr[NMSG][48], alias[NMSG][64];
	snmp_notification_head(vb, 123456 + (uint32_t)j, oid("1.3.6.1.6.3.1.1.5.3", bufs[0]));
	struct snmp_bytes idx = oid("1.3.6.1.2.1.2.2.1.1.10101", bufs[1]);
	struct snmp_bytes admin = oid("1.3.6.1.2.1.2.2.1.7.10101", bufs[2]);
	struct snmp_bytes oper = oid("1.3.6.1.2.1.2.2.1.8.10101", bufs[3]);
	struct snmp_bytes d = oid("1.3.6.1.2.1.2.2.1.2.10101", bufs[4]);
	int dl = snprintf(descr[j], sizeof(descr[j]), "GigabitEthernet0/1/%d", j);
	int al = snprintf(alias[j], sizeof(alias[j]), "uplink to core-router-%02d port %d", j, j);
	vb[2] = (struct snmp_varbind){.oid = idx, .type = SNMP_T_INTEGER, .num.i32 = 10101};
	vb[3] = (struct snmp_varbind){.oid = admin, .type = SNMP_T_INTEGER, .num.i32 = 1};
	vb[4] = (struct snmp_varbind){.oid = oper, .type = SNMP_T_INTEGER, .num.i32 = 2};
	vb[5] = (struct snmp_varbind){
		.oid = d, .type = SNMP_T_OCTET_STRING, .data = {(uint8_t *)descr[j], (uint32_t)dl}};
	vb[6] = (struct snmp_varbind){
		.oid = d, .type = SNMP_T_OCTET_STRING, .data = {(uint8_t *)alias[j], (uint32_t)al}};
	return (struct snmp_pdu){
		.type = SNMP_PDU_TRAP_V2, .request_id = 4000 + j, .vb = vb, .vb_count = 7};
}

// The sender's side: scopedPDU, encrypted, in a v3 message, signed.
static size_t v3_trap(struct usm_ctx *tx, const struct usm_table *t, int j, struct msg *m)
{
	int i = j * 997 % USERS;
	uint8_t engine[12], plain[MSG_CAP], enc[MSG_CAP], salt[USM_SALT_LEN];
	char name[16];
	agent_engine(i, engine);
	int nl = agent_user(i, name, sizeof(name));
	const struct usm_user *u = usm_table_find(t, engine, 12, (uint8_t *)name, (size_t)nl);
	struct snmp_varbind vb[7];
	struct snmp_pdu pdu = link_down(j, vb);
	int n = snmp_scoped_pdu_encode(plain, sizeof(plain), (struct snmp_bytes){engine, 12},
				       (struct snmp_bytes){0}, &pdu);
	if (n < 0)
		die("scopedPDU", n);
	int c = usm_encrypt(tx, u, 0, 3, NOW, plain, (size_t)n, enc, sizeof(enc), salt);
	if (c < 0)
		die("encrypt", c);
	struct snmp_v3_out h = {.msg_id = 77 + j,
				.max_size = 1500,
				.flags = SNMP_FLAG_AUTH | SNMP_FLAG_PRIV,
				.engine_id = {engine, 12},
				.boots = 3,
				.time = NOW,
				.user_name = {(uint8_t *)name, (uint32_t)nl},
				.auth_params_len = 24,
				.priv_params = {salt, USM_SALT_LEN}};
	uint32_t auth_off;
	int len = snmp_v3_msg_encode(m->wire, sizeof(m->wire), &h,
				     (struct snmp_bytes){enc, (uint32_t)c}, &auth_off);
	if (len < 0)
		die("encode", len);
	int rc = usm_auth_sign(&u->hmac, m->wire, (size_t)len, auth_off, 24);
	if (rc)
		die("sign", rc);
	m->len = (size_t)len;
	return m->len;
}

static size_t v2c_trap(int j, struct msg *m)
{
	struct snmp_varbind vb[7];
	struct snmp_pdu pdu = link_down(j, vb);
	int len = snmp_msg_encode(m->wire, sizeof(m->wire), SNMP_V2C,
				  (struct snmp_bytes){(uint8_t *)"public", 6}, &pdu);
	if (len < 0)
		die("encode", len);
	m->len = (size_t)len;
	return m->len;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double rate(const struct snmp_rx_env *env, const struct msg *m, double seconds)
{
	static uint8_t plain[MSG_CAP];
	static struct snmp_varbind vb[VB_MAX];
	uint64_t done = 0, bad = 0;
	double start = now(), el = 0;
	while (done < ITERS) {
		for (int k = 0; k < 1024; k++) {
			const struct msg *x = &m[k % NMSG];
			struct snmp_rx rx;
			bad += snmp_rx_process(env, NOW, x->wire, x->len, plain, sizeof(plain), vb,
					       VB_MAX, &rx) != SNMP_RX_OK ||
			       rx.msg.pdu.vb_count != 7;
		}
		done += 1024;
		if ((el = now() - start) > seconds)
			break;
	}
	if (bad)
		die("a trap failed", (int)bad);
	return (double)done / el;
}

int main(void)
{
	static struct msg v3[NMSG], v2c[NMSG];
	struct usm_ctx *tx = usm_ctx_new(16), *rx = usm_ctx_new(4096);
	if (!tx || !rx)
		die("usm_ctx_new", -1);
	int rc;
	struct usm_table *t = agent_table(USERS, &rc);
	if (rc)
		die("table", rc);
	size_t o3 = 0, o2 = 0;
	for (int j = 0; j < NMSG; j++) {
		o3 += v3_trap(tx, t, j, &v3[j]);
		o2 += v2c_trap(j, &v2c[j]);
	}
	// we are a collector: our engine is none of the agents'
	static const struct usm_local local = {.engine_id = {0x80, 0, 0, 9, 4, 'u', 's'},
					       .engine_len = 7};
	struct snmp_rx_env env = {.usm = rx, .users = t, .local = &local};
	rate(&env, v3, WARMUP_SECONDS); // warm caches and the engine cache
	double r2[ROUNDS], r3[ROUNDS];
	for (int k = 0; k < ROUNDS; k++) {
		r2[k] = rate(&env, v2c, ROUND_SECONDS);
		r3[k] = rate(&env, v3, ROUND_SECONDS);
	}
	qsort(r2, ROUNDS, sizeof(double), by_value);
	qsort(r3, ROUNDS, sizeof(double), by_value);
	double m2 = r2[ROUNDS / 2], m3 = r3[ROUNDS / 2];
	printf("usm-authpriv: v2c SNMPv2-Trap, %zu octets on average, through snmp_rx_process: "
	       "%.2f M/s (median of %d rounds; best %.2f)\n",
	       o2 / NMSG, m2 / 1e6, ROUNDS, r2[ROUNDS - 1] / 1e6);
	printf("usm-authpriv: v3 authPriv (SHA-256 + AES-128) SNMPv2-Trap, %zu octets on average, "
	       "%d agents: decode, verify, timeliness, decrypt, decode: %.2f M/s (%.0f ns each; "
	       "median of %d rounds; best %.2f)\n",
	       o3 / NMSG, USERS, m3 / 1e6, 1e9 / m3, ROUNDS, r3[ROUNDS - 1] / 1e6);
	printf("usm-authpriv: %.2f M msgs/s\n", m3 / 1e6);
	usm_table_free(t);
	usm_ctx_free(tx);
	usm_ctx_free(rx);
	return 0;
}
