/* SPDX-License-Identifier: BSD-3-Clause */
// USM processing (RFC 3414 §3.2) of whatever the message layer could hand
// over: any flags, spans, lengths, engine times and message octets, against
// a table of users of every kind. Bit 4 of the control octet first
// encrypts the data with the user's key (so what the input holds there is
// the plaintext), bit 0 then signs the message: the fuzzer gets past the
// HMAC into timeliness and decryption. A decrypted scopedPDU must lie
// inside the encrypted data and pass the plausibility check again.
//
// Input: flags, control (bit 0 sign, bit 1 to our engine, bits 2-3 user,
// bit 4 encrypt), auth_off (2, big endian), auth_len, salt_len, data_off
// (2), boots (4), time (4), then the message.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/snmp_usm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 16

static const uint8_t agent[] = {0x80, 0, 0x1f, 0x88, 4, 'a', 'g', 'e', 'n', 't'};
static const struct usm_local local = {
	.engine_id = {0x80, 0, 0x1f, 0x88, 4, 'o', 'u', 'r', 's'},
	.engine_len = 9,
	.boots = 5,
	.time_base = 0,
};
static const struct {
	const char *name;
	enum usm_auth a;
	enum usm_priv p;
} users[4] = {
	{"des", USM_AUTH_MD5, USM_PRIV_DES},
	{"aes192", USM_AUTH_SHA1, USM_PRIV_AES192}, // compat auto: two keys
	{"aes128", USM_AUTH_SHA256, USM_PRIV_AES128},
	{"3des", USM_AUTH_SHA512, USM_PRIV_3DES},
};

static struct usm_table *table;

static void setup(void)
{
	table = usm_table_new(8, 1);
	if (!table)
		abort();
	for (int i = 0; i < 4; i++) {
		struct usm_user_cfg c = {.auth = users[i].a, .priv = users[i].p,
					 .compat = USM_COMPAT_AUTO};
		c.name_len = (uint8_t)strlen(users[i].name);
		memcpy(c.name, users[i].name, c.name_len);
		c.priv_key_len = (uint8_t)usm_auth_digest_len(c.auth);
		memset(c.auth_key, 0x11 * (i + 1), sizeof(c.auth_key));
		memset(c.priv_key, 0x22 * (i + 1), sizeof(c.priv_key));
		struct usm_user u;
		for (int e = 0; e < 2; e++) {
			const uint8_t *id = e ? local.engine_id : agent;
			size_t len = e ? local.engine_len : sizeof(agent);
			if (usm_user_localize(&c, id, len, &u) || usm_table_add(table, &u))
				abort();
		}
	}
}

static uint32_t be(const uint8_t *p, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[65536], out[65536];
	if (!table)
		setup();
	if (size < HDR || size - HDR > sizeof(msg))
		return 0;
	size_t len = size - HDR;
	memcpy(msg, data + HDR, len);
	uint8_t ctl = data[1];
	bool ours = ctl & 2;
	int ui = (ctl >> 2) & 3;
	struct usm_in in = {
		.msg = msg,
		.msg_len = len,
		.flags = data[0],
		.engine_id = ours ? local.engine_id : agent,
		.engine_len = ours ? local.engine_len : sizeof(agent),
		.boots = be(data + 8, 4),
		.time = be(data + 12, 4),
		.user = (const uint8_t *)users[ui].name,
		.user_len = strlen(users[ui].name),
		.auth_off = be(data + 2, 2),
		.auth_len = data[4],
	};
	size_t data_off = be(data + 6, 2), salt_len = data[5];
	if (data_off > len)
		data_off = len;
	if (salt_len > data_off)
		salt_len = data_off;
	in.priv_params = msg + data_off - salt_len;
	in.priv_params_len = salt_len;
	in.data = msg + data_off;
	// a fresh worker context per input: the remote engine cache must not
	// make one input's outcome depend on the ones before
	struct usm_ctx *ctx = usm_ctx_new(16);
	if (!ctx)
		abort();
	const struct usm_user *u =
		usm_table_find(table, in.engine_id, in.engine_len, in.user, in.user_len);
	if (ctl & 0x10 && salt_len >= USM_SALT_LEN && len > data_off) {
		int n = usm_encrypt(ctx, u, 0, in.boots, in.time, msg + data_off, len - data_off,
				    out, sizeof(msg) - data_off, (uint8_t *)in.priv_params);
		if (n > 0) {
			memcpy(msg + data_off, out, (size_t)n);
			len = data_off + (size_t)n;
			in.msg_len = len;
		}
	}
	in.data_len = len - data_off;
	if (ctl & 1)
		usm_auth_sign(&u->hmac, msg, len, in.auth_off, in.auth_len);
	struct usm_result res;
	enum usm_outcome o = usm_process_in(ctx, table, &local, 1000, &in, out, sizeof(out), &res);
	usm_ctx_free(ctx);
	// every refusal says why (PENDING_KEY is no refusal, and there are no
	// any-engine users here)
	if (o != res.outcome || (o == USM_OK) != (res.err == 0))
		__builtin_trap();
	if (o == USM_OK && res.level == USM_LEVEL_AUTH_PRIV &&
	    (res.plain_len > in.data_len ||
	     usm_scoped_pdu_len(out, in.data_len) != (int)res.plain_len))
		__builtin_trap();
	usm_scoped_pdu_len(msg, len);
	usm_engine_id_check(msg, len < 40 ? len : 40);
	return 0;
}
