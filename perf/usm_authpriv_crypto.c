/* SPDX-License-Identifier: BSD-3-Clause */
// usm-authpriv-crypto: the USM share of an SNMPv3 authPriv trap on a worker,
// per second on one core: ~300-octet messages from 1,000 users (SHA-256 +
// AES-128), each through usm_process_in (table lookup, HMAC-SHA-256-192
// verify, remote engine timeliness, AES-128-CFB decrypt), and the HMAC and
// the decryption alone. The BER decode is not here (perf/run.sh
// usm-authpriv, with the message codec, measures the whole). Run through
// perf/run.sh, which pins it to one core.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "usm_agents.h"
#include <linerate/snmp_usm.h>

#define USERS	    1000
#define NMSG	    64
#define MSG_LEN	    300
#define AUTH_OFF    60 // where a real message has msgAuthenticationParameters
#define SALT_OFF    90
#define DATA_OFF    100
#define MAX_SECONDS 2.0
#define ITERS	    20000000ULL

struct msg {
	uint8_t b[MSG_LEN];
	uint8_t engine[12];
	char user[16];
	struct usm_in in;
};

static void die(const char *what, int rc)
{
	fprintf(stderr, "usm-authpriv-crypto: %s: %s\n", what, usm_strerror(rc));
	exit(1);
}

// Messages from some of the agents: a scopedPDU-shaped plaintext,
// encrypted, then signed.
static struct usm_table *setup(struct usm_ctx *tx, struct msg *m)
{
	int rc;
	struct usm_table *t = agent_table(USERS, &rc);
	if (rc)
		die("table", rc);
	for (int j = 0; j < NMSG; j++) {
		struct msg *x = &m[j];
		int i = j * 997 % USERS;
		agent_engine(i, x->engine);
		int ulen = agent_user(i, x->user, sizeof(x->user));
		const struct usm_user *s =
			usm_table_find(t, x->engine, 12, (uint8_t *)x->user, (size_t)ulen);
		uint8_t plain[MSG_LEN - DATA_OFF];
		size_t plen = sizeof(plain);
		memset(plain, 0x5a, plen);
		plain[0] = 0x30, plain[1] = 0x81, plain[2] = (uint8_t)(plen - 3), plain[3] = 0x04;
		memset(x->b, 0xa5, DATA_OFF);
		memset(x->b + AUTH_OFF, 0, 24);
		int n = usm_encrypt(tx, s, 0, 3, 1000, plain, plen, x->b + DATA_OFF,
				    MSG_LEN - DATA_OFF, x->b + SALT_OFF);
		if (n < 0)
			die("encrypt", n);
		rc = usm_auth_sign(&s->hmac, x->b, MSG_LEN, AUTH_OFF, 24);
		if (rc)
			die("sign", rc);
		x->in = (struct usm_in){.msg = x->b,
					.msg_len = MSG_LEN,
					.flags = USM_FLAG_AUTH | USM_FLAG_PRIV,
					.engine_id = x->engine,
					.engine_len = 12,
					.boots = 3,
					.time = 1000,
					.user = (uint8_t *)x->user,
					.user_len = (size_t)ulen,
					.auth_off = AUTH_OFF,
					.auth_len = 24,
					.priv_params = x->b + SALT_OFF,
					.priv_params_len = 8,
					.data = x->b + DATA_OFF,
					.data_len = (size_t)n};
	}
	return t;
}

enum what { FULL, HMAC_ONLY, DECRYPT_ONLY };

static double rate(enum what w, struct usm_ctx *rx, const struct usm_table *t, struct msg *m)
{
	static const struct usm_local local = {.engine_id = {0x80, 0, 0, 9, 4, 'u', 's'},
					       .engine_len = 7};
	uint8_t out[MSG_LEN];
	uint64_t done = 0, bad = 0;
	double start = now(), el = 0;
	while (done < ITERS) {
		for (int k = 0; k < 1024; k++) {
			struct msg *x = &m[k % NMSG];
			struct usm_result res;
			if (w == FULL)
				bad += usm_process_in(rx, t, &local, 1000, &x->in, out, sizeof(out),
						      &res) != USM_OK;
			const struct usm_user *u =
				w == FULL ? NULL
					  : usm_table_find(t, x->engine, 12, x->in.user,
							   x->in.user_len);
			if (w == HMAC_ONLY)
				bad += usm_auth_verify(&u->hmac, x->b, MSG_LEN, AUTH_OFF, 24) != 0;
			if (w == DECRYPT_ONLY)
				bad += usm_decrypt(rx, u, 0, 3, 1000, x->in.priv_params, 8,
						   x->in.data, x->in.data_len, out,
						   sizeof(out)) < 0;
		}
		done += 1024;
		if ((el = now() - start) > MAX_SECONDS)
			break;
	}
	if (bad)
		die("a message failed", (int)bad);
	return (double)done / el;
}

int main(void)
{
	struct usm_ctx *tx = usm_ctx_new(16), *rx = usm_ctx_new(4096);
	static struct msg m[NMSG];
	if (!tx || !rx)
		die("usm_ctx_new", -1);
	struct usm_table *t = setup(tx, m);
	rate(FULL, rx, t, m); // warm caches and the engine cache
	double h = rate(HMAC_ONLY, rx, t, m);
	double d = rate(DECRYPT_ONLY, rx, t, m);
	double f = rate(FULL, rx, t, m);
	printf("usm-authpriv-crypto: lookup + HMAC-SHA-256-192 verify of %d octets: %.2f M/s\n",
	       MSG_LEN, h / 1e6);
	printf("usm-authpriv-crypto: lookup + AES-128-CFB decrypt of %d octets: %.2f M/s\n",
	       MSG_LEN - DATA_OFF, d / 1e6);
	printf("usm-authpriv-crypto: usm_process_in (lookup, verify, timeliness, decrypt), %d "
	       "users: %.2f M/s\n",
	       USERS, f / 1e6);
	printf("usm-authpriv-crypto: %.2f M msgs/s\n", f / 1e6);
	usm_table_free(t);
	usm_ctx_free(tx);
	usm_ctx_free(rx);
	return 0;
}
