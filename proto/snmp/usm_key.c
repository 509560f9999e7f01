/* SPDX-License-Identifier: BSD-3-Clause */
// Password → Ku → Kul (RFC 3414 A.2, RFC 7860 §9.3) and the privacy key
// extensions of the AES-192/256 and 3DES drafts. Control plane only: a
// password costs a megabyte of hashing. Through EVP (these may allocate);
// the per-packet HMAC in usm_auth.c does not use these functions.
#include <openssl/evp.h>
#include <string.h>

#include <linerate/snmp_usm.h>

#define EXPANSION_LEN (1u << 20) // RFC 3414 A.2.1: 1,048,576 octets
#define CHUNK	      4096

static const EVP_MD *auth_md(enum usm_auth a)
{
	switch (a) {
	case USM_AUTH_MD5:
		return EVP_md5();
	case USM_AUTH_SHA1:
		return EVP_sha1();
	case USM_AUTH_SHA224:
		return EVP_sha224();
	case USM_AUTH_SHA256:
		return EVP_sha256();
	case USM_AUTH_SHA384:
		return EVP_sha384();
	case USM_AUTH_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

int usm_password_to_ku(enum usm_auth a, const void *password, size_t len, uint8_t *ku)
{
	const EVP_MD *md = auth_md(a);
	if (!md)
		return USM_EAUTH_PROTO;
	if (len < USM_PASSWORD_MIN)
		return USM_EPASSWORD_SHORT;
	if (len > USM_PASSWORD_MAX)
		return USM_EPASSWORD_LONG;
	// The password repeated without end, cut at 1 MiB. A window of CHUNK
	// octets starting anywhere inside the first copy covers any chunk:
	// the chunk at stream offset o starts at ring[o % len].
	uint8_t ring[CHUNK + USM_PASSWORD_MAX];
	for (size_t i = 0; i < sizeof(ring); i++)
		ring[i] = ((const uint8_t *)password)[i % len];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int rc = USM_ECRYPTO;
	unsigned int outlen = 0;
	if (!c || !EVP_DigestInit_ex(c, md, NULL))
		goto out;
	for (size_t o = 0; o < EXPANSION_LEN; o += CHUNK)
		if (!EVP_DigestUpdate(c, ring + o % len, CHUNK))
			goto out;
	if (!EVP_DigestFinal_ex(c, ku, &outlen))
		goto out;
	rc = (int)outlen;
out:
	EVP_MD_CTX_free(c);
	OPENSSL_cleanse(ring, sizeof(ring));
	return rc;
}

int usm_localize_key(enum usm_auth a, const uint8_t *ku, const uint8_t *engine_id,
		     size_t engine_len, uint8_t *kul)
{
	const EVP_MD *md = auth_md(a);
	if (!md)
		return USM_EAUTH_PROTO;
	if (engine_len < USM_ENGINE_ID_MIN || engine_len > USM_ENGINE_ID_MAX)
		return USM_EENGINE_LEN;
	size_t dlen = usm_auth_digest_len(a);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int rc = USM_ECRYPTO;
	unsigned int outlen = 0;
	// RFC 3414 A.2.1: Kul = H(Ku || snmpEngineID || Ku)
	if (c && EVP_DigestInit_ex(c, md, NULL) && EVP_DigestUpdate(c, ku, dlen) &&
	    EVP_DigestUpdate(c, engine_id, engine_len) && EVP_DigestUpdate(c, ku, dlen) &&
	    EVP_DigestFinal_ex(c, kul, &outlen))
		rc = (int)outlen;
	EVP_MD_CTX_free(c);
	return rc;
}

// Blumenthal draft §3.1.2.1: Kul' = Kul || Kul1 || ..., Kul(n+1) = H(Kul(n))
// over the key built so far (one round at most for today's ciphers and
// hashes: 16 octets is the shortest digest, 32 the longest key).
static int extend_blumenthal(const EVP_MD *md, uint8_t *key, size_t have, size_t need)
{
	uint8_t d[USM_DIGEST_MAX];
	while (have < need) {
		unsigned int dl = 0;
		if (!EVP_Digest(key, have, d, &dl, md, NULL))
			return USM_ECRYPTO;
		size_t take = need - have < dl ? need - have : dl;
		memcpy(key + have, d, take);
		have += take;
	}
	OPENSSL_cleanse(d, sizeof(d));
	return 0;
}

// Reeder draft §2.1 (3DES) and Cisco's AES-192/256: Kul' = Kul || Kul2 with
// Kul2 = localize(passwordToKey(Kul)): the key so far is the next password.
static int extend_reeder(enum usm_auth a, uint8_t *key, size_t have, size_t need,
			 const uint8_t *engine_id, size_t engine_len)
{
	uint8_t ku[USM_DIGEST_MAX], kul[USM_DIGEST_MAX];
	int rc = 0;
	while (rc >= 0 && have < need) {
		rc = usm_password_to_ku(a, key, have, ku);
		if (rc >= 0)
			rc = usm_localize_key(a, ku, engine_id, engine_len, kul);
		if (rc >= 0) {
			size_t take = need - have < (size_t)rc ? need - have : (size_t)rc;
			memcpy(key + have, kul, take);
			have += take;
		}
	}
	OPENSSL_cleanse(ku, sizeof(ku));
	OPENSSL_cleanse(kul, sizeof(kul));
	return rc < 0 ? rc : 0;
}

int usm_priv_key_extend(enum usm_auth a, enum usm_priv p, enum usm_key_ext ext, const uint8_t *kul,
			const uint8_t *engine_id, size_t engine_len, uint8_t out[USM_PRIV_KEY_MAX])
{
	const EVP_MD *md = auth_md(a);
	if (!md)
		return USM_EPRIV_NO_AUTH;
	if (p <= USM_PRIV_NONE || p >= USM_PRIV_COUNT)
		return USM_EPRIV_PROTO;
	if ((unsigned)ext >= USM_EXT_COUNT)
		return USM_EINVAL;
	size_t have = usm_auth_digest_len(a), need = usm_priv_key_len(p);
	uint8_t key[USM_PRIV_KEY_MAX + USM_DIGEST_MAX];
	memcpy(key, kul, have);
	int rc = 0;
	if (have < need) {
		// the 3DES draft defines its own extension, whatever compat says
		if (ext == USM_EXT_REEDER || p == USM_PRIV_3DES)
			rc = extend_reeder(a, key, have, need, engine_id, engine_len);
		else
			rc = extend_blumenthal(md, key, have, need);
	}
	if (rc == 0) {
		memcpy(out, key, need);
		rc = (int)need;
	}
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}
