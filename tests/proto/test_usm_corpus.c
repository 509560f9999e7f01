/* SPDX-License-Identifier: BSD-3-Clause */
// USM against real senders: every authenticated SNMPv3 frame that net-snmp
// (snmptrap, snmpinform, snmptrapd's Reports and Responses) and pysnmp put
// in the committed pcaps (tests/data/gen_snmp_corpus.py) is verified and
// decrypted here from the captured octets, with the passwords, offsets
// and pysnmp's own reading of the plaintext (length, SHA-256) from
// MANIFEST.tsv. Then the same frames with a wrong password, a flipped bit,
// an unknown engine, a stale clock and a wrong privacy password must each
// get their usmStats outcome.
#include <openssl/evp.h>

#include "snmp_corpus_util.h"

#define NOW 1000000

struct frame {
	uint8_t msg[FRAME_MAX];
	size_t len;
	uint8_t engine[USM_ENGINE_ID_MAX];
	struct usm_in in;
	struct usm_local local;
	bool authoritative; // an inform to the receiver: we play snmptrapd
};

static void load_frame(const struct row *r, struct frame *f)
{
	memset(f, 0, sizeof(*f));
	f->len = pcap_udp_payload(r->v[C_FILE], atoi(r->v[C_FRAME]), f->msg);
	struct usm_in *in = &f->in;
	in->msg = f->msg;
	in->msg_len = f->len;
	in->flags = (uint8_t)(USM_FLAG_AUTH | (r->v[C_PRIV][0] ? USM_FLAG_PRIV : 0));
	in->engine_len = unhex(r->v[C_ENGINE], f->engine, sizeof(f->engine));
	in->engine_id = f->engine;
	in->boots = (uint32_t)strtoul(r->v[C_BOOTS], NULL, 10);
	in->time = (uint32_t)strtoul(r->v[C_TIME], NULL, 10);
	in->user = (const uint8_t *)r->v[C_NAME];
	in->user_len = strlen(r->v[C_NAME]);
	in->auth_off = strtoul(r->v[C_AUTH_OFF], NULL, 10);
	in->auth_len = strtoul(r->v[C_AUTH_LEN], NULL, 10);
	if (in->flags & USM_FLAG_PRIV) {
		in->priv_params = f->msg + atoi(r->v[C_SALT_OFF]);
		in->priv_params_len = strtoul(r->v[C_SALT_LEN], NULL, 10);
		in->data = f->msg + atoi(r->v[C_DATA_OFF]);
		in->data_len = strtoul(r->v[C_DATA_LEN], NULL, 10);
	}
	// the receiver's engine is authoritative for informs; our clock reads
	// what the frame says
	f->authoritative =
		strcmp(r->v[C_DIR], "to_manager") == 0 && strcmp(r->v[C_PDU], "inform") == 0;
	static const uint8_t elsewhere[] = {0x80, 0, 0x1f, 0x88, 4, 'n', 'o', 'n', 'e'};
	if (f->authoritative) {
		memcpy(f->local.engine_id, f->engine, in->engine_len);
		f->local.engine_len = (uint8_t)in->engine_len;
	} else {
		memcpy(f->local.engine_id, elsewhere, sizeof(elsewhere));
		f->local.engine_len = sizeof(elsewhere);
	}
	f->local.boots = in->boots;
	f->local.time_base = NOW - in->time;
}

// Process f with a table holding cfg at `at` (NULL: the frame's engine).
static enum usm_outcome process(struct frame *f, const struct usm_user_cfg *cfg, const uint8_t *at,
				size_t at_len, uint64_t now, uint8_t *out, struct usm_result *res)
{
	struct usm_table *t = usm_table_new(1, 0);
	struct usm_ctx *ctx = usm_ctx_new(16);
	struct usm_user u;
	const uint8_t *e = at ? at : f->engine;
	cr_assert_eq(usm_user_localize(cfg, e, at ? at_len : f->in.engine_len, &u), 0);
	cr_assert_eq(usm_table_add(t, &u), 0);
	enum usm_outcome o = usm_process_in(ctx, t, &f->local, now, &f->in, out, FRAME_MAX, res);
	if (o == USM_OK && f->in.flags & USM_FLAG_PRIV && !f->authoritative) {
		// a second look much later: the cached engine time has moved on
		struct usm_result again;
		cr_assert_eq(usm_process_in(ctx, t, &f->local, now + 1000, &f->in, out, FRAME_MAX,
					    &again),
			     USM_NOT_IN_TIME_WINDOWS, "frame replayed 1000 s later");
		cr_assert_eq(again.err, USM_ETIME);
	}
	// the entry outlives its table for the caller's checks
	static struct usm_user found;
	if (res->user) {
		found = *res->user;
		res->user = &found;
	}
	usm_ctx_free(ctx);
	usm_table_free(t);
	return o;
}

static void sha256_hex(const uint8_t *p, size_t n, char out[65])
{
	uint8_t d[32];
	unsigned dl;
	cr_assert(EVP_Digest(p, n, d, &dl, EVP_sha256(), NULL));
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static int counts[4]; // verified, decrypted, auto picked Reeder, informs to us

static int check_frame(const struct row *r)
{
	if (strcmp(r->v[C_VERSION], "3") != 0 || !r->v[C_AUTH][0])
		return 0;
	static struct frame f;
	static uint8_t out[FRAME_MAX];
	load_frame(r, &f);
	struct usm_user_cfg good = user_of(r, r->v[C_AUTH_PW], r->v[C_PRIV_PW]);
	struct usm_result res;
	enum usm_outcome o = process(&f, &good, NULL, 0, NOW, out, &res);
	cr_assert_eq(o, USM_OK, "%s frame %s (%s %s %s): %s %s", r->v[C_FILE], r->v[C_FRAME],
		     r->v[C_NAME], r->v[C_PDU], r->v[C_DIR], usm_outcome_name(o),
		     usm_strerror_sym(res.err));
	cr_assert_eq(res.authoritative, f.authoritative);
	counts[3] += f.authoritative;
	if (f.in.flags & USM_FLAG_PRIV) {
		char sha[65];
		cr_assert_eq(res.plain_len, strtoul(r->v[C_PLAIN_LEN], NULL, 10), "%s frame %s",
			     r->v[C_FILE], r->v[C_FRAME]);
		sha256_hex(out, res.plain_len, sha);
		cr_assert_str_eq(sha, r->v[C_PLAIN_SHA], "%s frame %s: not pysnmp's plaintext",
				 r->v[C_FILE], r->v[C_FRAME]);
		// compat auto found the sender's variant
		bool reeder = strcmp(r->v[C_PRIV], "aes192c") == 0 ||
			      strcmp(r->v[C_PRIV], "aes256c") == 0;
		if (res.user->n_priv_keys == 2)
			cr_assert_eq(res.user->priv_ext[res.priv_key],
				     reeder ? USM_EXT_REEDER : USM_EXT_BLUMENTHAL);
		counts[1]++;
		counts[2] += reeder && res.user->n_priv_keys == 2;
	}
	counts[0]++;

	// the same frame, made wrong
	struct usm_user_cfg bad = user_of(r, "wrong-password", r->v[C_PRIV_PW]);
	cr_assert_eq(process(&f, &bad, NULL, 0, NOW, out, &res), USM_WRONG_DIGESTS);
	cr_assert_eq(res.err, USM_EDIGEST);
	static const uint8_t other[] = {0x80, 0, 0x1f, 0x88, 4, 'o', 't', 'h', 'e', 'r'};
	// the user is known at another engine only
	cr_assert_eq(process(&f, &good, other, sizeof(other), NOW, out, &res),
		     f.authoritative ? USM_UNKNOWN_USER_NAMES : USM_UNKNOWN_ENGINE_IDS);
	if (f.authoritative) {
		// our clock 151 s ahead of what the sender believes
		f.local.time_base -= 151;
		cr_assert_eq(process(&f, &good, NULL, 0, NOW, out, &res), USM_NOT_IN_TIME_WINDOWS);
		cr_assert_eq(res.err, USM_ETIME);
		f.local.time_base += 151;
	}
	if (f.in.flags & USM_FLAG_PRIV) {
		struct usm_user_cfg wrong_priv = user_of(r, r->v[C_AUTH_PW], "wrong-priv-password");
		cr_assert_eq(process(&f, &wrong_priv, NULL, 0, NOW, out, &res),
			     USM_DECRYPTION_ERRORS);
		cr_assert_eq(res.err, USM_EPLAINTEXT);
	}
	f.msg[f.len - 1] ^= 0x01; // a bit of the PDU
	cr_assert_eq(process(&f, &good, NULL, 0, NOW, out, &res), USM_WRONG_DIGESTS);
	return 1;
}

Test(usm_corpus, real_senders_verify_and_decrypt, .timeout = 300)
{
	int n = each_row(check_frame);
	cr_log_info("corpus: %d authenticated frames verified, %d decrypted to pysnmp's plaintext "
		    "(%d Reeder senders found by compat auto), %d informs to us",
		    counts[0], counts[1], counts[2], counts[3]);
	// net-snmp and pysnmp traps, informs, snmptrapd's Reports and Responses
	cr_assert_geq(n, 200);
	cr_assert_geq(counts[1], 150);
	cr_assert_geq(counts[2], 10);
	cr_assert_geq(counts[3], 40);
}
