/* SPDX-License-Identifier: BSD-3-Clause */
// usm-keys: what a user costs the control plane, per hash: password → Ku
// (the megabyte of hashing, once per user), Ku → Kul (once per engine),
// and the Reeder key extension (a second megabyte, AES-192/256-C and 3DES
// with short hashes). Run through perf/run.sh, which pins it to one core.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include <linerate/snmp_usm.h>

#define MAX_SECONDS 1.0 // per figure
#define MAX_ITERS   2000

static const uint8_t engine[] = {0x80, 0, 0x1f, 0x88, 4, 'p', 'e', 'r', 'f'};

static void die(const char *what, int rc)
{
	fprintf(stderr, "usm-keys: %s: %s\n", what, usm_strerror(rc));
	exit(1);
}

enum step { KU, KUL, REEDER };

// One step for input variant i; exits on failure (only successes count).
static void once(enum usm_auth a, enum step st, int i)
{
	char pw[32];
	uint8_t in[USM_DIGEST_MAX], out[USM_DIGEST_MAX];
	int rc, n = snprintf(pw, sizeof(pw), "password-%d", i);
	memset(in, i, sizeof(in));
	switch (st) {
	case KU:
		rc = usm_password_to_ku(a, pw, (size_t)n, out);
		break;
	case KUL:
		rc = usm_localize_key(a, in, engine, sizeof(engine), out);
		break;
	default:
		rc = usm_priv_key_extend(a, USM_PRIV_AES256C, USM_EXT_REEDER, in, engine,
					 sizeof(engine), out);
		break;
	}
	if (rc < 0)
		die("key step", rc);
}

// Seconds per step, measured for up to MAX_SECONDS.
static double per_call(enum usm_auth a, enum step st)
{
	once(a, st, 0); // warm
	int n = 0;
	double t0 = now(), el;
	do
		once(a, st, ++n);
	while ((el = now() - t0) < MAX_SECONDS && n < MAX_ITERS);
	return el / n;
}

int main(void)
{
	double worst = 0;
	const char *worst_name = "";
	for (int a = USM_AUTH_MD5; a < USM_AUTH_COUNT; a++) {
		double ku = per_call(a, KU), kul = per_call(a, KUL);
		printf("usm-keys: %-6s password->Ku %.3f ms, Ku->Kul %.2f us", usm_auth_name(a),
		       ku * 1e3, kul * 1e6);
		if (usm_auth_digest_len(a) < 32)
			printf(", Reeder AES-256 extension %.3f ms", per_call(a, REEDER) * 1e3);
		printf("\n");
		if (ku + kul > worst) {
			worst = ku + kul;
			worst_name = usm_auth_name(a);
		}
	}
	printf("usm-keys: %.3f ms per user (slowest hash, %s: password to localised key)\n",
	       worst * 1e3, worst_name);
	return 0;
}
