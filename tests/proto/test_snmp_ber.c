/* SPDX-License-Identifier: BSD-3-Clause */
// BER primitives: the cursor's length and integer rules, OID checks and
// conversions, the iterative walk and the backwards writer.
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_ber.h>
#include <linerate/snmp_err.h>

#include "dns_test_util.h"

// Reads one element of the given tag from hex; returns the cursor's error.
static int read_one(const char *hex, uint8_t tag, uint32_t *len, uint32_t *err_off)
{
	static uint8_t buf[4096];
	int n = hex_decode(hex, buf, sizeof(buf));
	cr_assert_geq(n, 0, "bad hex %s", hex);
	struct ber_cur c;
	ber_cur_init(&c, buf, (size_t)n);
	ber_read_contents(&c, tag, len);
	*err_off = c.err_off;
	return c.err;
}

Test(snmp_ber, lengths_short_long_and_refused)
{
	uint32_t len, off;
	cr_assert_eq(read_one("04 03 616263", BER_OCTET_STRING, &len, &off), 0);
	cr_assert_eq(len, 3);
	// long form where the short would do: accepted (X.690 §8.1.3)
	cr_assert_eq(read_one("04 81 03 616263", BER_OCTET_STRING, &len, &off), 0);
	cr_assert_eq(len, 3);
	cr_assert_eq(read_one("04 82 0100 256*00", BER_OCTET_STRING, &len, &off), 0);
	cr_assert_eq(len, 256);
	cr_assert_eq(read_one("30 80 0000", BER_SEQUENCE, &len, &off), SNMP_E_INDEFINITE_LENGTH);
	cr_assert_eq(read_one("04 85 0000000003 616263", BER_OCTET_STRING, &len, &off),
		     SNMP_E_LENGTH_TOO_LONG);
	cr_assert_eq(read_one("04 ff 00", BER_OCTET_STRING, &len, &off), SNMP_E_LENGTH_TOO_LONG);
	cr_assert_eq(read_one("04 04 616263", BER_OCTET_STRING, &len, &off),
		     SNMP_E_LENGTH_PAST_END);
	cr_assert_eq(read_one("04 84 ffffffff 00", BER_OCTET_STRING, &len, &off),
		     SNMP_E_LENGTH_PAST_END);
	cr_assert_eq(read_one("04 82 01", BER_OCTET_STRING, &len, &off), SNMP_E_TRUNCATED);
	cr_assert_eq(read_one("04", BER_OCTET_STRING, &len, &off), SNMP_E_TRUNCATED);
	cr_assert_eq(read_one("1f 81 00 00", BER_OCTET_STRING, &len, &off), SNMP_E_TAG_HIGH);
	cr_assert_eq(read_one("02 01 00", BER_OCTET_STRING, &len, &off), SNMP_E_TAG);
}

static int int32_of(const char *hex, int32_t *v)
{
	uint8_t buf[64];
	int n = hex_decode(hex, buf, sizeof(buf));
	struct ber_cur c;
	ber_cur_init(&c, buf, (size_t)n);
	return ber_read_int32(&c, BER_INTEGER, v);
}

static int uint_of(const char *hex, uint8_t tag, uint64_t *v)
{
	uint8_t buf[64];
	int n = hex_decode(hex, buf, sizeof(buf));
	struct ber_cur c;
	uint32_t len;
	ber_cur_init(&c, buf, (size_t)n);
	const uint8_t *p = ber_read_contents(&c, tag, &len);
	if (!p)
		return c.err;
	if (tag == 0x46)
		return ber_get_counter64(&c, p, len, v);
	uint32_t u = 0;
	int rc = ber_get_uint32(&c, p, len, &u);
	*v = u;
	return rc;
}

Test(snmp_ber, integer32_sizes_and_signs)
{
	int32_t v;
	cr_assert_eq(int32_of("02 01 00", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(int32_of("02 01 ff", &v), 0);
	cr_assert_eq(v, -1);
	cr_assert_eq(int32_of("02 02 0080", &v), 0);
	cr_assert_eq(v, 128);
	cr_assert_eq(int32_of("02 04 7fffffff", &v), 0);
	cr_assert_eq(v, INT32_MAX);
	cr_assert_eq(int32_of("02 04 80000000", &v), 0);
	cr_assert_eq(v, INT32_MIN);
	// padded but within 4 octets: accepted, same value
	cr_assert_eq(int32_of("02 04 00000005", &v), 0);
	cr_assert_eq(v, 5);
	cr_assert_eq(int32_of("02 04 ffffff80", &v), 0);
	cr_assert_eq(v, -128);
	cr_assert_eq(int32_of("02 00", &v), SNMP_E_INT_EMPTY);
	// a fifth octet that only repeats the sign: pyasn1's -2^31
	cr_assert_eq(int32_of("02 05 ff80000000", &v), 0);
	cr_assert_eq(v, INT32_MIN);
	cr_assert_eq(int32_of("02 05 0000000001", &v), 0);
	cr_assert_eq(v, 1);
	cr_assert_eq(int32_of("02 05 0080000000", &v), SNMP_E_INT_TOO_LONG);
	cr_assert_eq(int32_of("02 05 ff7fffffff", &v), SNMP_E_INT_TOO_LONG);
	cr_assert_eq(int32_of("02 06 000000000001", &v), SNMP_E_INT_TOO_LONG);
	cr_assert_eq(int32_of("02 0a ffffffffffffffffffff", &v), SNMP_E_INT_TOO_LONG);
}

Test(snmp_ber, unsigned_and_counter64_ranges)
{
	uint64_t v;
	cr_assert_eq(uint_of("41 05 00ffffffff", 0x41, &v), 0);
	cr_assert_eq(v, UINT32_MAX);
	cr_assert_eq(uint_of("43 01 7f", 0x43, &v), 0);
	cr_assert_eq(v, 127);
	cr_assert_eq(uint_of("41 01 80", 0x41, &v), SNMP_E_UINT_NEGATIVE);
	cr_assert_eq(uint_of("41 05 0100000000", 0x41, &v), SNMP_E_UINT_TOO_LONG);
	cr_assert_eq(uint_of("41 06 000000000001", 0x41, &v), SNMP_E_UINT_TOO_LONG);
	cr_assert_eq(uint_of("42 00", 0x42, &v), SNMP_E_INT_EMPTY);
	cr_assert_eq(uint_of("46 09 00ffffffffffffffff", 0x46, &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	cr_assert_eq(uint_of("46 08 0102030405060708", 0x46, &v), 0);
	cr_assert_eq(v, 0x0102030405060708ull);
	cr_assert_eq(uint_of("46 09 01ffffffffffffffff", 0x46, &v), SNMP_E_U64_TOO_LONG);
	cr_assert_eq(uint_of("46 0a 00000000000000000001", 0x46, &v), SNMP_E_U64_TOO_LONG);
	cr_assert_eq(uint_of("46 01 ff", 0x46, &v), SNMP_E_UINT_NEGATIVE);
}

static int oid_check(const char *hex)
{
	static uint8_t buf[1024];
	int n = hex_decode(hex, buf, sizeof(buf));
	const uint8_t *p;
	uint32_t len;
	struct ber_cur c;
	ber_cur_init(&c, buf, (size_t)n);
	return ber_read_oid(&c, &p, &len);
}

Test(snmp_ber, oid_contents_rules)
{
	cr_assert_eq(oid_check("06 08 2b06010201010300"), 0);
	cr_assert_eq(oid_check("06 00"), SNMP_E_OID_EMPTY);
	cr_assert_eq(oid_check("06 03 2b 80 01"), SNMP_E_OID_NONMINIMAL);
	cr_assert_eq(oid_check("06 02 2b 86"), SNMP_E_OID_TRUNCATED);
	// 2^32-1 fits, 2^32 does not
	cr_assert_eq(oid_check("06 06 2b 8fffffff7f"), 0);
	cr_assert_eq(oid_check("06 06 2b 9080808000"), SNMP_E_OID_SUBID_OVERFLOW);
	cr_assert_eq(oid_check("06 0b 2b ffffffffffffffffffff7f"), SNMP_E_OID_SUBID_OVERFLOW);
	// 128 sub-identifiers (2 in the first octet) fit, 129 do not
	cr_assert_eq(oid_check("06 7f 2b 126*01"), 0);
	cr_assert_eq(oid_check("06 80 2b 127*01"), SNMP_E_INDEFINITE_LENGTH);
	cr_assert_eq(oid_check("06 81 80 2b 127*01"), SNMP_E_OID_TOO_LONG);
}

Test(snmp_ber, oid_text_round_trips)
{
	static const char *const texts[] = {
		"1.3.6.1.2.1.1.3.0", "0.0",	     "2.999.1",
		"1.39.4294967295",   "2.4294967215", "1.3.6.1.4.1.8072.3.2.10",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		uint8_t enc[SNMP_OID_ENC_MAX];
		char back[SNMP_OID_TEXT_MAX];
		int n = snmp_oid_from_text(texts[i], strlen(texts[i]), enc, sizeof(enc));
		cr_assert_gt(n, 0, "%s: %s", texts[i], snmp_strerror_sym(n));
		int t = snmp_oid_to_text(enc, (size_t)n, back, sizeof(back));
		cr_assert_eq(t, (int)strlen(texts[i]));
		cr_assert_str_eq(back, texts[i]);
	}
	uint8_t enc[16];
	cr_assert_eq(snmp_oid_from_text(".1.3.6", 6, enc, sizeof(enc)), 2);
	cr_assert_eq(memcmp(enc, "\x2b\x06", 2), 0);
	cr_assert_eq(snmp_oid_from_text("1.3.", 4, enc, sizeof(enc)), SNMP_E_OID_TEXT);
	cr_assert_eq(snmp_oid_from_text("1..3", 4, enc, sizeof(enc)), SNMP_E_OID_TEXT);
	cr_assert_eq(snmp_oid_from_text("1.-3", 4, enc, sizeof(enc)), SNMP_E_OID_TEXT);
	cr_assert_eq(snmp_oid_from_text("", 0, enc, sizeof(enc)), SNMP_E_OID_TEXT);
	cr_assert_eq(snmp_oid_from_text("1", 1, enc, sizeof(enc)), SNMP_E_OID_ARCS);
	cr_assert_eq(snmp_oid_from_text("3.1", 3, enc, sizeof(enc)), SNMP_E_OID_ARCS);
	cr_assert_eq(snmp_oid_from_text("1.40", 4, enc, sizeof(enc)), SNMP_E_OID_ARCS);
	cr_assert_eq(snmp_oid_from_text("1.3.4294967296", 14, enc, sizeof(enc)),
		     SNMP_E_OID_SUBID_OVERFLOW);
	cr_assert_eq(snmp_oid_from_text("2.4294967216", 12, enc, sizeof(enc)),
		     SNMP_E_OID_SUBID_OVERFLOW);
	cr_assert_eq(snmp_oid_from_text("1.3.6.1.2.1.1.3.0", 17, enc, 4), SNMP_E_NOSPACE);

	char text[SNMP_OID_TEXT_MAX];
	uint8_t longest[SNMP_OID_ENC_MAX];
	uint32_t arcs[SNMP_OID_MAX_SUBIDS];
	for (size_t i = 0; i < SNMP_OID_MAX_SUBIDS; i++)
		arcs[i] = i < 2 ? 1 : UINT32_MAX;
	arcs[0] = 2;
	arcs[1] = UINT32_MAX - 80;
	int n = snmp_oid_encode(arcs, SNMP_OID_MAX_SUBIDS, longest, sizeof(longest));
	cr_assert_eq(n, SNMP_OID_ENC_MAX);
	cr_assert_eq(snmp_oid_to_text(longest, (size_t)n, text, sizeof(text)),
		     1 + 127 * 11); // "2" then 127 ten-digit arcs
	cr_assert_eq(snmp_oid_encode(arcs, SNMP_OID_MAX_SUBIDS + 1, longest, sizeof(longest)),
		     SNMP_E_OID_TOO_LONG);
}

Test(snmp_ber, walk_descends_iteratively_and_bounds_depth)
{
	static uint8_t deep[4000];
	size_t n = 0, off = 0;
	for (size_t i = 0; i < 1000; i++) { // 1000 nested SEQUENCEs, each holding the rest
		size_t rest = (1000 - 1 - i) * 4;
		deep[n++] = BER_SEQUENCE;
		deep[n++] = 0x82;
		deep[n++] = (uint8_t)(rest >> 8);
		deep[n++] = (uint8_t)rest;
	}
	cr_assert_eq(ber_walk(deep, n, BER_WALK_MAX_DEPTH, &off), SNMP_E_DEPTH);
	cr_assert_eq(off, (size_t)BER_WALK_MAX_DEPTH * 4);
	cr_assert_eq(ber_walk(deep + (1000 - 3) * 4, 3 * 4, 3, &off), 3);

	uint8_t ok[64];
	int m = hex_decode("30 0a 02 01 05 30 05 04 01 61 05 00 04 00", ok, sizeof(ok));
	cr_assert_eq(ber_walk(ok, (size_t)m, 2, &off), 6);
	cr_assert_eq(ber_walk(ok, (size_t)m, 1, &off), SNMP_E_DEPTH);
	cr_assert_eq(off, 5);
	m = hex_decode("30 06 02 01 05 30 01 04", ok, sizeof(ok));
	cr_assert_eq(ber_walk(ok, (size_t)m, 8, &off), SNMP_E_TRUNCATED);
	cr_assert_eq(off, 7);
	m = hex_decode("30 03 02 02 05", ok, sizeof(ok));
	cr_assert_eq(ber_walk(ok, (size_t)m, 8, &off), SNMP_E_LENGTH_PAST_END);
	cr_assert_eq(off, 2);
}

Test(snmp_ber, writer_encodes_backwards_with_minimal_integers)
{
	uint8_t buf[300], want[300];
	struct ber_wr w;
	ber_wr_init(&w, buf, sizeof(buf));
	size_t mark = ber_wr_len(&w);
	ber_put_uint64(&w, 0x46, UINT64_MAX);
	ber_put_uint32(&w, 0x41, 0x80);
	ber_put_int32(&w, BER_INTEGER, -129);
	ber_put_int32(&w, BER_INTEGER, 127);
	ber_put_int32(&w, BER_INTEGER, INT32_MIN);
	ber_put_null(&w, BER_NULL);
	static const uint8_t big[200] = {0};
	ber_put_octets(&w, BER_OCTET_STRING, big, sizeof(big));
	ber_close(&w, BER_SEQUENCE, mark);
	int n = ber_wr_finish(&w);
	int e = hex_decode("30 81 e9 04 81 c8 200*00 05 00 02 04 80000000 02 01 7f 02 02 ff7f "
			   "41 02 0080 46 09 00ffffffffffffffff",
			   want, sizeof(want));
	cr_assert_eq(n, e);
	cr_assert_eq(memcmp(buf, want, (size_t)n), 0);

	ber_wr_init(&w, buf, 3);
	ber_put_int32(&w, BER_INTEGER, 1);
	ber_put_null(&w, BER_NULL);
	cr_assert_eq(w.err, SNMP_E_NOSPACE);
	cr_assert_eq(ber_wr_finish(&w), SNMP_E_NOSPACE);
}

Test(snmp_err, every_code_has_a_distinct_name)
{
	for (int e = SNMP_E_BASE_ + 1; e < SNMP_E_LAST_; e++) {
		cr_assert_str_neq(snmp_strerror_sym(e), "UNKNOWN");
		cr_assert_neq(strncmp(snmp_strerror_sym(e), "SNMP_E_", 7), 1);
		for (int f = e + 1; f < SNMP_E_LAST_; f++)
			cr_assert_str_neq(snmp_strerror(e), snmp_strerror(f));
	}
	cr_assert_str_eq(snmp_strerror_sym(SNMP_E_DEPTH), "SNMP_E_DEPTH");
	cr_assert_str_eq(snmp_strerror_sym(0), "OK");
	cr_assert_str_eq(snmp_strerror_sym(12345), "UNKNOWN");
}
