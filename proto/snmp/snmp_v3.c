/* SPDX-License-Identifier: BSD-3-Clause */
// A received message through the codec and USM, and the Report and inform
// Response that answer it (see snmp_v3.h). The answers are written in one
// backwards pass into the caller's buffer: scopedPDU, then (authPriv) its
// encryption in place, then the header around it, then the HMAC.
#include <string.h>

#include <linerate/snmp_v3.h>

#include "snmp_internal.h"

// RFC 3416 §3 error-status tooBig(1).
#define SNMP_ERR_TOO_BIG 1

static const char *const status_names[SNMP_RX_STATUS_COUNT] = {
#define SNMP_RX_NAME_(sym, name) [SNMP_RX_##sym] = name,
	SNMP_RX_STATUSES(SNMP_RX_NAME_)
#undef SNMP_RX_NAME_
};

const char *snmp_rx_status_name(enum snmp_rx_status s)
{
	return (unsigned)s < SNMP_RX_STATUS_COUNT ? status_names[s] : "?";
}

static bool have_engine(const struct usm_local *l)
{
	return l && l->engine_len;
}

static bool is_ours(const struct usm_local *l, struct snmp_bytes id)
{
	return have_engine(l) && id.len == l->engine_len &&
	       memcmp(id.ptr, l->engine_id, l->engine_len) == 0;
}

// RFC 3411 §2.8: the Confirmed Class, the only PDUs a Report may answer
// (RFC 3412 §6.4: a reportable Trap, Response or Report is taken as not).
static bool confirmed_class(uint8_t type)
{
	switch (type) {
	case SNMP_PDU_GET:
	case SNMP_PDU_GETNEXT:
	case SNMP_PDU_GETBULK:
	case SNMP_PDU_SET:
	case SNMP_PDU_INFORM:
		return true;
	default:
		return false;
	}
}

// What USM needs of a decoded v3 message (RFC 3414 §3.2 step 1).
static void usm_in_of(const struct snmp_msg *m, struct usm_in *in)
{
	const struct snmp_usm_params *u = &m->usm;
	*in = (struct usm_in){
		.msg = m->wire,
		.msg_len = m->len,
		.flags = m->flags,
		.engine_id = u->engine_id.ptr,
		.engine_len = u->engine_id.len,
		.boots = u->boots,
		.time = u->time,
		.user = u->user_name.ptr,
		.user_len = u->user_name.len,
		.auth_off = u->auth_params_off,
		.auth_len = u->auth_params.len,
		.priv_params = u->priv_params.ptr,
		.priv_params_len = u->priv_params.len,
		.data = m->encrypted.ptr,
		.data_len = m->encrypted.len,
	};
}

static bool report_due(const struct snmp_rx_env *env, const struct snmp_rx *rx)
{
	const struct snmp_msg *m = &rx->msg;
	enum usm_outcome o = rx->usm.outcome;
	if (!(m->flags & SNMP_FLAG_REPORTABLE) || !have_engine(env->local))
		return false;
	// INVALID_MSG has an OID (snmpInvalidMsgs) but RFC 3412 §7.2 step 5
	// drops the message without a Report
	if (o == USM_INVALID_MSG || !usm_outcome_oid(o))
		return false;
	if (m->pdu_decoded && !confirmed_class(m->pdu.type))
		return false;
	// RFC 3414 §3.2 step 7: notInTimeWindows goes at authNoPriv, with the
	// user's key localised for the engine the Report names: ours
	if (usm_report_level(o) != USM_LEVEL_NOAUTH_NOPRIV)
		return rx->usm.user && rx->usm.authoritative;
	return true;
}

static enum snmp_rx_status malformed(struct snmp_rx *rx, int err, bool in_plain)
{
	rx->err = err;
	rx->err_in_plain = in_plain;
	return rx->status = SNMP_RX_MALFORMED;
}

enum snmp_rx_status snmp_rx_process(const struct snmp_rx_env *env, uint64_t now,
				    const uint8_t *wire, size_t len, uint8_t *plain,
				    size_t plain_cap, struct snmp_varbind *vb, uint32_t vb_cap,
				    struct snmp_rx *rx)
{
	// everything but msg, which snmp_msg_decode clears (one memset of the
	// whole: at 300 octets, rep stos costs as much as a varbind's decode)
	rx->status = SNMP_RX_MALFORMED;
	rx->err = 0;
	rx->err_in_plain = rx->discovery = rx->report = false;
	memset(&rx->usm, 0, sizeof(rx->usm));
	rx->usm.outcome = USM_OK;
	int rc = env && (!env->users || env->usm) ? snmp_msg_decode(&rx->msg, wire, len, vb, vb_cap)
						   : SNMP_E_INVAL;
	if (rc == SNMP_E_INVAL) // before snmp_msg_decode cleared it
		memset(&rx->msg, 0, sizeof(rx->msg));
	if (rc)
		return malformed(rx, rc, false);
	const struct snmp_msg *m = &rx->msg;
	if (m->version != SNMP_V3)
		return rx->status = SNMP_RX_OK; // the caller checks the community
	rx->discovery = (m->flags & (SNMP_FLAG_AUTH | SNMP_FLAG_PRIV)) == 0 &&
			(m->flags & SNMP_FLAG_REPORTABLE) && m->usm.user_name.len == 0 &&
			!is_ours(env->local, m->usm.engine_id);
	if (!env->users)
		return rx->status = SNMP_RX_UNCHECKED;
	struct usm_in in;
	usm_in_of(m, &in);
	switch (usm_process_in(env->usm, env->users, env->local, now, &in, plain, plain_cap,
			       &rx->usm)) {
	case USM_OK:
		break;
	case USM_PENDING_KEY:
		return rx->status = SNMP_RX_PENDING_KEY;
	default:
		rx->report = report_due(env, rx);
		return rx->status = SNMP_RX_REFUSED;
	}
	rx->status = SNMP_RX_OK;
	if (env->defer_scoped)
		return SNMP_RX_OK;
	return snmp_rx_scoped(rx, plain, vb, vb_cap);
}

enum snmp_rx_status snmp_rx_scoped(struct snmp_rx *rx, const uint8_t *plain,
				   struct snmp_varbind *vb, uint32_t vb_cap)
{
	if (rx->status != SNMP_RX_OK || rx->msg.version != SNMP_V3 || rx->msg.pdu_decoded ||
	    rx->usm.level != USM_LEVEL_AUTH_PRIV)
		return rx->status;
	int rc = snmp_scoped_pdu_decode(&rx->msg, plain, rx->usm.plain_len, vb, vb_cap);
	if (rc)
		return malformed(rx, rc, true);
	return SNMP_RX_OK;
}

// --- answers ------------------------------------------------------------------

// A v3 message we send from our engine (RFC 3414 §3.1 step 1a: the
// securityEngineID is ours, boots and time our snmpEngineBoots/Time).
struct v3_send {
	enum usm_level level;
	const struct usm_user *user; // keys for authNoPriv and authPriv
	unsigned priv_key;	     // which of user's privacy keys
	struct snmp_bytes ctx_engine_id;
	struct snmp_bytes ctx_name;
	const struct snmp_pdu *pdu;
};

// Encrypts the scopedPDU the writer holds, where it lies (RFC 3414 §8.1.1,
// RFC 3826 §3.1.3): CBC pads, so the plaintext first moves back by the
// padding. Leaves the encryptedPDU OCTET STRING written and the salt.
static void encrypt_in_place(struct ber_wr *w, struct usm_ctx *ctx, const struct v3_send *s,
			     uint32_t boots, uint32_t time, uint8_t salt[USM_SALT_LEN])
{
	if (w->err)
		return;
	size_t n = ber_wr_len(w);
	size_t c = usm_encrypted_len(s->user->priv, n);
	if ((size_t)(w->pos - w->start) < c - n) {
		w->err = SNMP_E_NOSPACE;
		return;
	}
	memmove(w->pos - (c - n), w->pos, n);
	w->pos -= c - n;
	int rc = usm_encrypt(ctx, s->user, s->priv_key, boots, time, w->pos, n, w->pos, c, salt);
	if (rc < 0) {
		w->err = rc;
		return;
	}
	ber_put_header(w, BER_OCTET_STRING, c);
}

static int send_v3(const struct snmp_rx_env *env, uint64_t now, const struct snmp_msg *req,
		   const struct v3_send *s, uint8_t *out, size_t cap)
{
	const struct usm_local *l = env->local;
	bool auth = s->level != USM_LEVEL_NOAUTH_NOPRIV;
	bool priv = s->level == USM_LEVEL_AUTH_PRIV;
	if ((auth && (!s->user || s->user->auth == USM_AUTH_NONE)) ||
	    (priv && s->user->priv == USM_PRIV_NONE))
		return SNMP_E_INVAL;
	uint8_t salt[USM_SALT_LEN];
	struct snmp_v3_out h = {
		.msg_id = req->msg_id,
		.max_size = env->max_size ? env->max_size : SNMP_RX_MAX_SIZE_DEFAULT,
		.flags = (uint8_t)((auth ? SNMP_FLAG_AUTH : 0) | (priv ? SNMP_FLAG_PRIV : 0)),
		.engine_id = {l->engine_id, l->engine_len},
		.boots = l->boots,
		.time = usm_local_time(l, now),
		.user_name = req->usm.user_name,
		.auth_params_len = auth ? (uint32_t)usm_auth_mac_len(s->user->auth) : 0,
		.priv_params = {priv ? salt : NULL, priv ? USM_SALT_LEN : 0},
	};
	struct ber_wr w;
	uint32_t auth_off = 0;
	ber_wr_init(&w, out, cap);
	snmp_scoped_pdu_write(&w, s->ctx_engine_id, s->ctx_name, s->pdu);
	if (priv)
		encrypt_in_place(&w, env->usm, s, h.boots, h.time, salt);
	int len = snmp_v3_write_head(&w, &h, &auth_off);
	if (len < 0 || !auth)
		return len;
	int rc = usm_auth_sign(&s->user->hmac, out, (size_t)len, auth_off, h.auth_params_len);
	return rc ? rc : len;
}

int snmp_rx_report(const struct snmp_rx_env *env, uint64_t now, const struct snmp_rx *rx,
		   uint32_t counter, uint8_t *out, size_t cap)
{
	if (!env || !rx || !rx->report || !have_engine(env->local))
		return SNMP_E_NO_REPORT;
	const char *text = usm_outcome_oid(rx->usm.outcome);
	uint8_t oid[32];
	int n = snmp_oid_from_text(text, strlen(text), oid, sizeof(oid));
	if (n < 0)
		return n;
	const struct snmp_msg *m = &rx->msg;
	struct snmp_pdu pdu;
	struct snmp_varbind vb;
	// RFC 3412 §7.1 step 3: the request-id of the PDU when it could be
	// read (plaintext, or decrypted before the failure), else 0
	snmp_pdu_report(&pdu, &vb, m->pdu_decoded ? m->pdu.request_id : 0,
			(struct snmp_bytes){oid, (uint32_t)n}, counter);
	enum usm_level level = usm_report_level(rx->usm.outcome);
	const struct usm_local *l = env->local;
	struct v3_send s = {
		.level = level,
		.user = level == USM_LEVEL_NOAUTH_NOPRIV ? NULL : rx->usm.user,
		// RFC 3412 §7.1 step 3 b): our engine, the default context
		.ctx_engine_id = {l->engine_id, l->engine_len},
		.ctx_name = {NULL, 0},
		.pdu = &pdu,
	};
	return send_v3(env, now, m, &s, out, cap);
}

int snmp_rx_inform_response(const struct snmp_rx_env *env, uint64_t now, const struct snmp_rx *rx,
			    uint8_t *out, size_t cap)
{
	if (!env || !rx || rx->status != SNMP_RX_OK || !rx->msg.pdu_decoded ||
	    rx->msg.pdu.type != SNMP_PDU_INFORM)
		return SNMP_E_NOT_INFORM;
	const struct snmp_msg *m = &rx->msg;
	struct snmp_pdu resp;
	snmp_pdu_response_to(&resp, &m->pdu);
	if (m->version != SNMP_V3)
		return snmp_msg_encode(out, cap, m->version, m->community, &resp);
	if (!rx->usm.authoritative || !have_engine(env->local))
		return SNMP_E_NOT_OURS;
	struct v3_send s = {
		.level = rx->usm.level,
		.user = rx->usm.user,
		.priv_key = rx->usm.priv_key,
		.ctx_engine_id = m->context_engine_id,
		.ctx_name = m->context_name,
		.pdu = &resp,
	};
	int len = send_v3(env, now, m, &s, out, cap);
	if (len > m->max_size) {
		// RFC 3416 §4.2.7 (by way of §4.2.1): too big for the requester
		resp.error_status = SNMP_ERR_TOO_BIG;
		resp.vb = NULL;
		resp.vb_count = 0;
		len = send_v3(env, now, m, &s, out, cap);
	}
	return len;
}
