/* SPDX-License-Identifier: BSD-3-Clause */
// The USM key store's parser (control/ctl_usm_keys.c). The input is a user
// count (4 octets, big-endian) and the payload; the harness seals them with
// a good header and checksum, so the fuzzer explores the records rather
// than the SHA-256 gate. The payload is of the current version: the users,
// then the declared engines. Whatever is accepted must give every user's
// kept keys back as table entries without fault and only engines the
// loader's rules allow, and the same input cut short by one octet must be
// refused.
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/wire.h>

#include "ctl_usm_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *seal(const uint8_t *data, size_t size, size_t cut, size_t *len)
{
	size_t plen = size - 4 - cut;
	uint8_t *buf = malloc(CTL_USM_KEYS_HDR_LEN + plen + 1);
	unsigned n;
	memcpy(buf, CTL_USM_KEYS_MAGIC, 8);
	wire_put_u32(buf + 8, CTL_USM_KEYS_VERSION);
	memcpy(buf + 12, data, 4);
	wire_put_u32(buf + 16, 0);
	wire_put_u32(buf + 20, (uint32_t)plen);
	memset(buf + CTL_USM_KEYS_HDR_V1, 0, CTL_USM_KEYS_HDR_LEN - CTL_USM_KEYS_HDR_V1);
	memcpy(buf + CTL_USM_KEYS_HDR_LEN, data + 4, plen);
	EVP_Digest(buf + CTL_USM_KEYS_HDR_LEN, plen, buf + 24, &n, EVP_sha256(), NULL);
	*len = CTL_USM_KEYS_HDR_LEN + plen;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	size_t len;
	if (size < 4 || size > (1u << 20))
		return 0;
	uint8_t *buf = seal(data, size, 0, &len);
	struct ctl_usm_keys *k = ctl_usm_keys_parse(buf, len, err, sizeof(err));
	free(buf);
	if (!k)
		return 0;
	for (size_t i = 0; i < ctl_usm_keys_count(k); i++) {
		const struct ctl_usm_key_user *u = ctl_usm_keys_at(k, i);
		if (ctl_usm_keys_find(k, u->fp) != u)
			abort();
		for (uint32_t j = 0; j < u->n_local; j++) {
			struct usm_user entry;
			ctl_usm_entry(&u->cfg, &u->local[j], &entry);
		}
	}
	size_t ne;
	const struct ctl_usm_engine *e = ctl_usm_keys_engines(k, &ne);
	if (ne > CTL_USM_ENGINES_MAX)
		abort();
	for (size_t i = 0; i < ne; i++)
		if (usm_engine_id_check(e[i].id, e[i].len) || e[i].boots > USM_BOOTS_MAX ||
		    e[i].time > USM_TIME_MAX ||
		    (i && e[i].len == e[0].len && !memcmp(e[i].id, e[0].id, e[0].len)))
			abort();
	ctl_usm_keys_free(k);
	if (size > 4) { // a record or the engine count cut short is refused
		buf = seal(data, size, 1, &len);
		k = ctl_usm_keys_parse(buf, len, err, sizeof(err));
		free(buf);
		if (k)
			abort();
	}
	return 0;
}
