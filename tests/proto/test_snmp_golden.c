/* SPDX-License-Identifier: BSD-3-Clause */
// Golden messages encoded by pysnmp/pyasn1 (tests/data/gen_snmp_golden.py):
// each must decode to the facts pysnmp was given, and our encoder, fed
// what we decoded, must write the very same octets (pyasn1 writes minimal
// integers and lengths, as ours does).
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_msg.h>

#include "dns_test_util.h"
#include "snmp_test_util.h"

#define LINE_MAX_ 32768
#define VB_CAP	  64

// Rows whose octets ours does not reproduce, and why (the facts must
// still match, and the row fails once the difference goes away).
static const struct {
	const char *name;
	const char *why;
} known_diffs[] = {
	{"v2c_trap_every_type", "pyasn1 0.4 writes INTEGER -2^31 as ff 80 00 00 00; X.690 §8.3.2 "
				"minimal form is 80 00 00 00, which we write"},
	{"v2c_trap_linkup", "the same, for request-id -2^31"},
};

static const char *known_diff(const char *name)
{
	for (size_t i = 0; i < sizeof(known_diffs) / sizeof(known_diffs[0]); i++)
		if (strcmp(known_diffs[i].name, name) == 0)
			return known_diffs[i].why;
	return NULL;
}

// Every "k=v" of theirs must be among ours, and both hold as many.
static void compare_facts(const char *name, const char *theirs, const char *ours)
{
	char wrapped[sizeof(((struct facts *)0)->s) + 2];
	snprintf(wrapped, sizeof(wrapped), ";%s", ours);
	size_t n_theirs = 0, n_ours = 0;
	char buf[LINE_MAX_];
	snprintf(buf, sizeof(buf), "%s", theirs);
	for (char *save, *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char needle[LINE_MAX_];
		snprintf(needle, sizeof(needle), ";%s;", kv);
		cr_expect(strstr(wrapped, needle), "%s: fact %s missing; ours: %s", name, kv, ours);
		n_theirs++;
	}
	for (const char *p = ours; *p; p++)
		n_ours += *p == ';';
	cr_expect_eq(n_theirs, n_ours, "%s: %zu facts theirs, %zu ours: %s", name, n_theirs, n_ours,
		     ours);
}

// Our encoder's octets for what we decoded, with the original auth
// parameters where the encoder left its placeholder.
static int reencode(const struct snmp_msg *m, uint8_t *out, size_t cap)
{
	uint32_t auth_off;
	int n = snmp_reencode(m, out, cap, &auth_off);
	if (n > 0 && m->usm.auth_params.len) {
		cr_expect_eq(auth_off, m->usm.auth_params_off);
		for (uint32_t i = 0; i < m->usm.auth_params.len; i++)
			cr_expect_eq(out[auth_off + i], 0, "placeholder not zero");
		memcpy(out + auth_off, m->usm.auth_params.ptr, m->usm.auth_params.len);
	}
	return n;
}

Test(snmp_golden, pysnmp_messages_decode_to_their_facts_and_reencode_exactly)
{
	FILE *f = fopen(SNMP_GOLDEN_TSV, "r");
	cr_assert_not_null(f, "cannot open %s", SNMP_GOLDEN_TSV);
	static char line[LINE_MAX_];
	static uint8_t wire[8192], out[8192];
	static struct facts ours;
	struct snmp_varbind vb[VB_CAP];
	int rows = 0;
	char *name, *hex, *theirs;
	int row;
	while ((row = snmp_golden_row(f, line, sizeof(line), &name, &hex, &theirs)) != 0) {
		cr_assert_eq(row, 1, "a golden row without its three columns");
		int len = hex_decode(hex, wire, sizeof(wire));
		cr_assert_gt(len, 0, "%s: bad hex", name);

		struct snmp_msg m;
		int rc = snmp_msg_decode(&m, wire, (size_t)len, vb, VB_CAP);
		cr_expect_eq(rc, 0, "%s: %s at %u", name, snmp_strerror_sym(rc), m.err_off);
		if (rc)
			continue;
		msg_facts(&ours, &m);
		compare_facts(name, theirs, ours.s);

		int n = reencode(&m, out, sizeof(out));
		cr_expect_gt(n, 0, "%s: re-encode: %s", name, snmp_strerror_sym(n));
		if (n <= 0)
			continue;
		const char *why = known_diff(name);
		if (!why) {
			cr_expect_eq(n, len, "%s: re-encoded %d octets, theirs %d", name, n, len);
			cr_expect(n == len && memcmp(out, wire, (size_t)len) == 0,
				  "%s: octets differ", name);
		} else {
			// ours differs on purpose: it must still mean the same
			cr_expect(n != len || memcmp(out, wire, (size_t)len) != 0,
				  "%s: no longer differs (%s): drop the entry", name, why);
			struct snmp_varbind vb2[VB_CAP];
			static struct facts again;
			struct snmp_msg m2;
			cr_expect_eq(snmp_msg_decode(&m2, out, (size_t)n, vb2, VB_CAP), 0);
			msg_facts(&again, &m2);
			compare_facts(name, theirs, again.s);
		}
		rows++;
	}
	fclose(f);
	cr_assert_geq(rows, 23, "only %d golden rows", rows);
}
