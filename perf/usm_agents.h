/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMPv3 agents the USM benchmarks receive from: n users, user i
// ("user<i>") at its own engine, SHA-256 + AES-128 with localised keys (no
// password hashing: not what they measure).
#ifndef LINERATE_PERF_USM_AGENTS_H
#define LINERATE_PERF_USM_AGENTS_H

#include <stdio.h>
#include <string.h>

#include <linerate/snmp_usm.h>

#define AGENT_ENGINE_LEN 12

static inline void agent_engine(int i, uint8_t e[AGENT_ENGINE_LEN])
{
	memcpy(e, "\x80\x00\x1f\x88\x05", 5);
	memcpy(e + 5, &i, 4);
	memset(e + 9, 0x42, 3);
}

// Agent i's user name into name[0..cap); returns its length.
static inline int agent_user(int i, char *name, size_t cap)
{
	return snprintf(name, cap, "user%d", i);
}

// The table of n agents' users; NULL (and the error in *rc) on failure.
static inline struct usm_table *agent_table(int n, int *rc)
{
	struct usm_table *t = usm_table_new((size_t)n, 0);
	struct usm_user u;
	*rc = t ? 0 : USM_ENOSPACE;
	for (int i = 0; t && i < n && *rc == 0; i++) {
		struct usm_user_cfg c = {.auth = USM_AUTH_SHA256,
					 .priv = USM_PRIV_AES128,
					 .auth_form = USM_KEY_LOCAL,
					 .priv_form = USM_KEY_LOCAL,
					 .priv_key_len = 32,
					 .engine_len = AGENT_ENGINE_LEN};
		c.name_len = (uint8_t)agent_user(i, (char *)c.name, sizeof(c.name));
		agent_engine(i, c.engine_id);
		for (int k = 0; k < 32; k++)
			c.auth_key[k] = c.priv_key[k] = (uint8_t)(i * 7 + k);
		*rc = usm_user_localize(&c, c.engine_id, AGENT_ENGINE_LEN, &u);
		if (*rc == 0)
			*rc = usm_table_add(t, &u);
	}
	return t;
}

#endif
