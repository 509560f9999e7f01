/* SPDX-License-Identifier: BSD-3-Clause */
// Helpers shared by the USM tests: rows of the pysnmp-made known answers
// (tests/data/usm_vectors.tsv), hex, and an allocation counter that sees
// OpenSSL's allocations (CRYPTO_set_mem_functions) and, under ASan, every
// malloc in the process.
#ifndef LINERATE_TESTS_USM_TEST_UTIL_H
#define LINERATE_TESTS_USM_TEST_UTIL_H

#include <criterion/criterion.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linerate/snmp_usm.h>

#include "dns_test_util.h"

#define USM_VECTORS TEST_DATA_DIR "/usm_vectors.tsv"
#define VEC_FIELDS  10

struct vec_row {
	char *f[VEC_FIELDS]; // f[0] is the kind
	int n;
	char line[8192];
};

// Call fn on every row of that kind; returns how many there were.
static inline int vec_each(const char *kind, void (*fn)(const struct vec_row *r))
{
	FILE *f = fopen(USM_VECTORS, "r");
	cr_assert_not_null(f, "cannot open %s", USM_VECTORS);
	static struct vec_row r;
	int count = 0;
	while (fgets(r.line, sizeof(r.line), f)) {
		r.line[strcspn(r.line, "\n")] = '\0';
		if (r.line[0] == '#')
			continue;
		r.n = 0;
		for (char *s = r.line, *tok; r.n < VEC_FIELDS && (tok = strsep(&s, "\t"));)
			r.f[r.n++] = tok;
		if (strcmp(r.f[0], kind) != 0)
			continue;
		fn(&r);
		count++;
	}
	fclose(f);
	return count;
}

// Hex → bytes; the test fails on bad hex.
static inline size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	int n = hex_decode(s, out, cap);
	cr_assert(n >= 0, "bad hex in vectors: %.40s", s);
	return (size_t)n;
}

static inline enum usm_auth auth_named(const char *s)
{
	int a = usm_auth_from_name(s);
	cr_assert(a > 0, "unknown auth %s", s);
	return (enum usm_auth)a;
}

static inline enum usm_priv priv_named(const char *s)
{
	int p = usm_priv_from_name(s);
	cr_assert(p > 0, "unknown priv %s", s);
	return (enum usm_priv)p;
}

// --- allocation counting ---

static long usm_test_allocs;

static void *count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	usm_test_allocs++;
	return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	usm_test_allocs++;
	return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

#if defined(__SANITIZE_ADDRESS__)
#define USM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define USM_TEST_ASAN 1
#endif
#endif

#ifdef USM_TEST_ASAN
// sanitizer/allocator_interface.h is clang's; gcc's libasan has the same
// entry point without the header
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));
static void asan_malloc_hook(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	usm_test_allocs++;
}
static void asan_free_hook(const volatile void *p)
{
	(void)p;
}
#endif

// Installed before main: Criterion's own start (libgit2 → libssh2) makes
// OpenSSL allocate, after which CRYPTO_set_mem_functions refuses.
static int usm_test_hooked;

__attribute__((constructor)) static void alloc_count_install(void)
{
	usm_test_hooked = CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
}

// Count from now on (read usm_test_allocs before and after).
static inline void alloc_count_start(void)
{
	cr_assert_eq(usm_test_hooked, 1, "OpenSSL allocated before the counter was installed");
#ifdef USM_TEST_ASAN
	__sanitizer_install_malloc_and_free_hooks(asan_malloc_hook, asan_free_hook);
#endif
}

#endif
