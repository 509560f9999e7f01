/* SPDX-License-Identifier: BSD-3-Clause */
// OBJECT IDENTIFIERs: BER contents <-> arcs <-> dotted text (X.690 §8.19).
#include <stdio.h>
#include <string.h>

#include <linerate/snmp_ber.h>

int snmp_oid_decode(const uint8_t *enc, size_t len, uint32_t *arcs, size_t cap)
{
	struct ber_cur c;
	if (!enc || len > UINT32_MAX)
		return SNMP_E_INVAL;
	ber_cur_init(&c, enc, len);
	int rc = ber_check_oid(&c, enc, (uint32_t)len);
	if (rc)
		return rc;
	size_t n = 0;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		v = v << 7 | (enc[i] & 0x7f);
		if (enc[i] & 0x80)
			continue;
		if (n == 0) {
			// X.690 §8.19.4: the first sub-identifier is 40 * X + Y, with
			// Y < 40 unless X is 2
			if (cap < 2)
				return SNMP_E_NOSPACE;
			arcs[0] = v < 40 ? 0 : v < 80 ? 1 : 2;
			arcs[1] = v - arcs[0] * 40;
			n = 2;
		} else {
			if (n == cap)
				return SNMP_E_NOSPACE;
			arcs[n++] = v;
		}
		v = 0;
	}
	return (int)n;
}

// One sub-identifier, base 128, most significant group first.
static size_t put_subid(uint8_t *out, size_t cap, size_t at, uint64_t v, bool *fits)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (uint8_t)(v & 0x7f);
		v >>= 7;
	} while (v);
	if (cap - at < n) {
		*fits = false;
		return at;
	}
	for (size_t i = 0; i < n; i++)
		out[at + i] = (uint8_t)(tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
	return at + n;
}

int snmp_oid_encode(const uint32_t *arcs, size_t n, uint8_t *out, size_t cap)
{
	if (!arcs || !out)
		return SNMP_E_INVAL;
	if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
		return SNMP_E_OID_ARCS;
	if (n > SNMP_OID_MAX_SUBIDS)
		return SNMP_E_OID_TOO_LONG;
	uint64_t first = (uint64_t)arcs[0] * 40 + arcs[1];
	if (first > UINT32_MAX)
		return SNMP_E_OID_SUBID_OVERFLOW;
	bool fits = true;
	size_t at = put_subid(out, cap, 0, first, &fits);
	for (size_t i = 2; i < n && fits; i++)
		at = put_subid(out, cap, at, arcs[i], &fits);
	return fits ? (int)at : SNMP_E_NOSPACE;
}

int snmp_oid_to_text(const uint8_t *enc, size_t len, char *out, size_t cap)
{
	uint32_t arcs[SNMP_OID_MAX_SUBIDS];
	int n = snmp_oid_decode(enc, len, arcs, SNMP_OID_MAX_SUBIDS);
	if (n < 0)
		return n;
	if (!out || cap == 0)
		return SNMP_E_NOSPACE;
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		int w = snprintf(out + at, cap - at, i ? ".%u" : "%u", arcs[i]);
		if (w < 0 || (size_t)w >= cap - at) {
			out[0] = '\0';
			return SNMP_E_NOSPACE;
		}
		at += (size_t)w;
	}
	return (int)at;
}

int snmp_oid_from_text(const char *text, size_t len, uint8_t *out, size_t cap)
{
	uint32_t arcs[SNMP_OID_MAX_SUBIDS];
	size_t n = 0, i = 0;
	if (!text)
		return SNMP_E_INVAL;
	if (len > 0 && text[0] == '.')
		i = 1;
	// arc ("." arc)*, each arc decimal digits without a sign, below 2^32
	for (;;) {
		if (i == len || text[i] < '0' || text[i] > '9')
			return SNMP_E_OID_TEXT;
		uint64_t v = 0;
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			v = v * 10 + (uint64_t)(text[i++] - '0');
			if (v > UINT32_MAX)
				return SNMP_E_OID_SUBID_OVERFLOW;
		}
		if (n == SNMP_OID_MAX_SUBIDS)
			return SNMP_E_OID_TOO_LONG;
		arcs[n++] = (uint32_t)v;
		if (i == len)
			break;
		if (text[i++] != '.')
			return SNMP_E_OID_TEXT;
	}
	return snmp_oid_encode(arcs, n, out, cap);
}
