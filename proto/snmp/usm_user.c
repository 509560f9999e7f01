/* SPDX-License-Identifier: BSD-3-Clause */
// A configured user (struct usm_user_cfg, holding Ku or localised keys) →
// a table entry for one engine: keys localised, the cipher key extended in
// each variant the user's compat mode wants, the HMAC precomputed.
#include <openssl/crypto.h>
#include <string.h>

#include <linerate/snmp_usm.h>

void usm_user_cfg_wipe(struct usm_user_cfg *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

enum usm_level usm_user_cfg_level(const struct usm_user_cfg *c)
{
	if (c->auth == USM_AUTH_NONE)
		return USM_LEVEL_NOAUTH_NOPRIV;
	return c->priv == USM_PRIV_NONE ? USM_LEVEL_AUTH_NOPRIV : USM_LEVEL_AUTH_PRIV;
}

static int check_cfg(const struct usm_user_cfg *c)
{
	if (c->name_len < 1 || c->name_len > USM_NAME_MAX)
		return USM_ENAME_LEN;
	if (c->auth >= USM_AUTH_COUNT)
		return USM_EAUTH_PROTO;
	if (c->priv >= USM_PRIV_COUNT)
		return USM_EPRIV_PROTO;
	if (c->priv != USM_PRIV_NONE && c->auth == USM_AUTH_NONE)
		return USM_EPRIV_NO_AUTH;
	if (c->compat >= USM_COMPAT_COUNT)
		return USM_EINVAL;
	if (c->engine_len && usm_engine_id_check(c->engine_id, c->engine_len))
		return usm_engine_id_check(c->engine_id, c->engine_len);
	// a localised key is only good for the engine it was localised for
	if (!c->engine_len && (c->auth_form != USM_KEY_KU || c->priv_form != USM_KEY_KU))
		return USM_EINVAL;
	if (c->auth_form > USM_KEY_LOCAL || c->priv_form > USM_KEY_EXTENDED)
		return USM_EINVAL;
	return 0;
}

// The cipher keys to try, in order, for the user's protocol and compat.
static size_t variants(const struct usm_user_cfg *c, enum usm_key_ext ext[2])
{
	switch (c->priv) {
	case USM_PRIV_AES192:
	case USM_PRIV_AES256:
		if (c->compat == USM_COMPAT_REEDER) {
			ext[0] = USM_EXT_REEDER;
			return 1;
		}
		ext[0] = USM_EXT_BLUMENTHAL;
		ext[1] = USM_EXT_REEDER;
		return c->compat == USM_COMPAT_AUTO ? 2 : 1;
	case USM_PRIV_3DES:
	case USM_PRIV_AES192C:
	case USM_PRIV_AES256C:
		ext[0] = USM_EXT_REEDER;
		return 1;
	default:
		// DES and AES-128 only ever cut the key: no extension
		ext[0] = USM_EXT_BLUMENTHAL;
		return 1;
	}
}

static int priv_keys(const struct usm_user_cfg *c, const uint8_t *engine, size_t elen,
		     struct usm_user *out)
{
	enum usm_auth a = c->auth;
	enum usm_priv p = c->priv;
	size_t need = usm_priv_key_len(p), dlen = usm_auth_digest_len(a);
	if (c->priv_form == USM_KEY_EXTENDED) {
		if (c->priv_key_len != need)
			return USM_EKEY_LEN;
		memcpy(out->priv_key[0], c->priv_key, need);
		out->priv_ext[0] = USM_EXT_BLUMENTHAL;
		out->n_priv_keys = 1;
		return 0;
	}
	if (c->priv_key_len != dlen)
		return USM_EKEY_LEN;
	uint8_t kul[USM_DIGEST_MAX];
	int rc = 0;
	if (c->priv_form == USM_KEY_KU)
		rc = usm_localize_key(a, c->priv_key, engine, elen, kul);
	else
		memcpy(kul, c->priv_key, dlen);
	enum usm_key_ext ext[2];
	size_t n = variants(c, ext);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		rc = usm_priv_key_extend(a, p, ext[i], kul, engine, elen, out->priv_key[i]);
		out->priv_ext[i] = (uint8_t)ext[i];
	}
	OPENSSL_cleanse(kul, sizeof(kul));
	if (rc < 0)
		return rc;
	out->n_priv_keys = (uint8_t)n;
	// long enough localised keys need no extension: the variants agree
	if (n == 2 && memcmp(out->priv_key[0], out->priv_key[1], need) == 0) {
		OPENSSL_cleanse(out->priv_key[1], sizeof(out->priv_key[1]));
		out->n_priv_keys = 1;
	}
	return 0;
}

int usm_user_localize(const struct usm_user_cfg *cfg, const uint8_t *engine_id, size_t engine_len,
		      struct usm_user *out)
{
	int rc = check_cfg(cfg);
	if (rc)
		return rc;
	rc = usm_engine_id_check(engine_id, engine_len);
	if (rc)
		return rc;
	if (cfg->engine_len &&
	    (cfg->engine_len != engine_len || memcmp(cfg->engine_id, engine_id, engine_len) != 0))
		return USM_EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->engine_id, engine_id, engine_len);
	out->engine_len = (uint8_t)engine_len;
	memcpy(out->name, cfg->name, cfg->name_len);
	out->name_len = cfg->name_len;
	out->auth = cfg->auth;
	out->priv = cfg->priv;
	out->level = (uint8_t)usm_user_cfg_level(cfg);
	if (cfg->auth != USM_AUTH_NONE) {
		uint8_t kul[USM_DIGEST_MAX];
		size_t dlen = usm_auth_digest_len(cfg->auth);
		if (cfg->auth_form == USM_KEY_KU)
			rc = usm_localize_key(cfg->auth, cfg->auth_key, engine_id, engine_len, kul);
		else
			memcpy(kul, cfg->auth_key, dlen);
		if (rc >= 0)
			rc = usm_hmac_key_init(&out->hmac, cfg->auth, kul, dlen);
		OPENSSL_cleanse(kul, sizeof(kul));
	}
	if (rc >= 0 && cfg->priv != USM_PRIV_NONE)
		rc = priv_keys(cfg, engine_id, engine_len, out);
	if (rc < 0) {
		OPENSSL_cleanse(out, sizeof(*out));
		return rc;
	}
	return 0;
}
