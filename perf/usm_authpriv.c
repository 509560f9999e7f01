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

// Message j as agent j * 997 % USERS sends it (spread over the agents).
static size_t v3_trap(struct usm_ctx *tx, const struct usm_table *t, int j, struct msg *m)
{
	int len = agent_v3_trap(tx, t, j * 997 % USERS, j, NOW, m->wire, sizeof(m->wire));
	if (len < 0)
		die("v3 trap", len);
	m->len = (size_t)len;
	return m->len;
}

static size_t v2c_trap(int j, struct msg *m)
{
	int len = agent_v2c_trap(j, m->wire, sizeof(m->wire));
	if (len < 0)
		die("v2c trap", len);
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
