/* SPDX-License-Identifier: BSD-3-Clause */
// RFC 3414 §3.2, processing an incoming message, in the RFC's order: engine
// (step 3), user (4), level (5), HMAC (6), timeliness (7), decryption (8).
// Each failure is the usmStats counter the RFC names, with the exact reason
// beside it.
#include <limits.h>
#include <openssl/crypto.h>
#include <string.h>

#include "usm_internal.h"

static enum usm_outcome fail(struct usm_result *res, enum usm_outcome o, int err)
{
	res->outcome = o;
	res->err = err;
	return o;
}

static bool is_ours(const struct usm_local *l, const struct usm_in *in)
{
	return l && l->engine_len && in->engine_len == l->engine_len &&
	       memcmp(in->engine_id, l->engine_id, l->engine_len) == 0;
}

// Our policy beyond RFC 3414 step 5 ("a level the user does not support"):
// a user is accepted at its configured level only. A message below it would
// otherwise pass USM unauthenticated in the name of an authPriv user; RFC
// 3415 access control would refuse it later, and a trap collector has no
// later, so it is counted here (snmptrapd's "authUser ... authPriv" does the
// same check).
static int level_fits(unsigned asked, unsigned user)
{
	if (asked > user)
		return USM_ELEVEL_HIGH;
	return asked < user ? USM_ELEVEL_LOW : 0;
}

enum usm_outcome usm_check_user(const struct usm_table *t, const struct usm_local *local,
				const struct usm_in *in, struct usm_result *res)
{
	memset(res, 0, sizeof(*res));
	int level = usm_level_from_flags(in->flags);
	if (level < 0)
		return fail(res, USM_INVALID_MSG, USM_EFLAGS);
	res->level = (uint8_t)level;
	res->authoritative = is_ours(local, in);
	const struct usm_user *u =
		usm_table_find(t, in->engine_id, in->engine_len, in->user, in->user_len);
	if (!u) {
		const struct usm_any_user *any = usm_table_find_any(t, in->user, in->user_len);
		// step 3: an engine is known when it is ours, has users, or
		// when this user name is accepted from any engine
		bool engine_ok = res->authoritative ||
				 usm_table_has_engine(t, in->engine_id, in->engine_len) ||
				 (any && usm_engine_id_check(in->engine_id, in->engine_len) == 0);
		if (!engine_ok)
			return fail(res, USM_UNKNOWN_ENGINE_IDS, USM_EUNKNOWN_ENGINE);
		if (!any)
			return fail(res, USM_UNKNOWN_USER_NAMES, USM_EUNKNOWN_USER);
		int rc = level_fits((unsigned)level, any->level);
		if (rc)
			return fail(res, USM_UNSUPPORTED_SEC_LEVELS, rc);
		return fail(res, USM_PENDING_KEY, 0);
	}
	// step 5
	int rc = level_fits((unsigned)level, u->level);
	if (rc)
		return fail(res, USM_UNSUPPORTED_SEC_LEVELS, rc);
	res->user = u;
	return fail(res, USM_OK, 0);
}

// The scopedPDU's total length from its first octets (avail of them, which
// must reach the tag after the length), for a plaintext of len octets.
static int scoped_pdu_total(const uint8_t *p, size_t avail, size_t len)
{
	// scopedPDU ::= SEQUENCE { contextEngineID OCTET STRING, ... }
	// (RFC 3412 §6.8): tag 0x30, a definite length, then tag 0x04
	if (avail < 3 || p[0] != 0x30)
		return USM_EPLAINTEXT;
	size_t hdr = 2, body = p[1];
	if (body & 0x80) {
		size_t n = body & 0x7f;
		if (n == 0 || n > 3 || avail < 3 + n)
			return USM_EPLAINTEXT;
		body = 0;
		for (size_t i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		hdr += n;
	}
	size_t total = hdr + body;
	// at most one block of padding after it: pysnmp pads CBC with 1..8
	// octets and even AES-CFB, which needs none, with 1..16
	if (total > len || len - total > 16 || body == 0 || total > INT_MAX || p[hdr] != 0x04)
		return USM_EPLAINTEXT;
	return (int)total;
}

int usm_scoped_pdu_len(const uint8_t *p, size_t len)
{
	return scoped_pdu_total(p, len, len);
}

// compat auto: the key whose first block decrypts to a scopedPDU header.
// Only the first block is decrypted per try, so the ciphertext is intact
// (in-place decryption) and the miss costs one block.
static int pick_key(struct usm_ctx *ctx, const struct usm_user *u, const struct usm_in *in)
{
	uint8_t head[16];
	size_t n = in->data_len < sizeof(head) ? in->data_len : sizeof(head);
	int rc = USM_EPLAINTEXT;
	for (unsigned k = 0; k < u->n_priv_keys; k++) {
		int got = usm_decrypt(ctx, u, k, in->boots, in->time, in->priv_params,
				      in->priv_params_len, in->data, n, head, sizeof(head));
		if (got < 0) {
			rc = got; // the same for every key: a length
			break;
		}
		if (scoped_pdu_total(head, n, in->data_len) >= 0) {
			rc = (int)k;
			break;
		}
	}
	usm_wipe(head, sizeof(head));
	return rc;
}

enum usm_outcome usm_process_in(struct usm_ctx *ctx, const struct usm_table *t,
				const struct usm_local *local, uint64_t now,
				const struct usm_in *in, uint8_t *out, size_t cap,
				struct usm_result *res)
{
	if (usm_check_user(t, local, in, res) != USM_OK)
		return res->outcome;
	const struct usm_user *u = res->user;
	if (res->level == USM_LEVEL_NOAUTH_NOPRIV)
		return USM_OK;
	// step 6
	int rc = usm_auth_verify(&u->hmac, in->msg, in->msg_len, in->auth_off, in->auth_len);
	if (rc)
		return fail(res, USM_WRONG_DIGESTS, rc);
	// step 7: a or b
	if (res->authoritative)
		rc = usm_time_check_local(local, now, in->boots, in->time);
	else
		rc = usm_time_check_remote(ctx->engines, in->engine_id, in->engine_len, in->boots,
					   in->time, now, local ? local->window : 0);
	if (rc)
		return fail(res, USM_NOT_IN_TIME_WINDOWS, rc);
	if (res->level == USM_LEVEL_AUTH_NOPRIV)
		return USM_OK;
	// step 8
	int key = u->n_priv_keys > 1 ? pick_key(ctx, u, in) : 0;
	if (key < 0)
		return fail(res, USM_DECRYPTION_ERRORS, key);
	rc = usm_decrypt(ctx, u, (unsigned)key, in->boots, in->time, in->priv_params,
			 in->priv_params_len, in->data, in->data_len, out, cap);
	if (rc < 0)
		return fail(res, USM_DECRYPTION_ERRORS, rc);
	int len = scoped_pdu_total(out, (size_t)rc, (size_t)rc);
	if (len < 0)
		return fail(res, USM_DECRYPTION_ERRORS, len);
	res->priv_key = (uint8_t)key;
	res->plain_len = (size_t)len;
	return USM_OK;
}
