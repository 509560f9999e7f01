/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the fast lane's tests and fuzz_snmp_msg: the v2c trap fast
// lane (trap_fast.h) against the general path it stands in for,
// snmp_msg_decode() then trap_rec_encode(), on one message.
#ifndef LINERATE_TESTS_TRAP_FAST_DIFF_H
#define LINERATE_TESTS_TRAP_FAST_DIFF_H

#include <stdint.h>
#include <string.h>

#include <linerate/snmp_msg.h>
#include <linerate/trap_fast.h>
#include <linerate/trap_record.h>

#define TRAP_FAST_DIFF_VB_MAX  512	  // as lr.h's LR_TRAP_VB_MAX
#define TRAP_FAST_DIFF_CAP_MAX (1u << 18) // record buffers

enum trap_fast_diff {
	TRAP_FAST_DIFF_DECLINED, // the lane left it to the general path
	TRAP_FAST_DIFF_TAKEN,	 // the lane took it, and wrote what the general path does
	TRAP_FAST_DIFF_MISMATCH, // the lane took it and disagrees (*why says how)
};

static inline const struct trap_rec_meta *trap_fast_diff_meta(bool v6)
{
	static const struct trap_rec_meta m4 = {
		.rx_ns = 1763800000123456789u,
		.src = {.family = 4, .addr = {198, 51, 100, 7}, .port = 40162},
		.dst = {.family = 4, .addr = {192, 0, 2, 162}, .port = 162},
	};
	static const struct trap_rec_meta m6 = {
		.rx_ns = 42,
		.src = {.family = 6, .addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 7}, .port = 1},
		.dst = {.family = 6,
			.addr = {0x20, 0x01, 0x0d, 0xb8, [14] = 1, [15] = 0x62},
			.port = 162},
	};
	return v6 ? &m6 : &m4;
}

static uint8_t trap_fast_diff_fast[TRAP_FAST_DIFF_CAP_MAX],
	trap_fast_diff_slow[TRAP_FAST_DIFF_CAP_MAX];
static struct snmp_varbind trap_fast_diff_vb[TRAP_FAST_DIFF_VB_MAX];

// The lane's answer n (its record in trap_fast_diff_fast, PDU type type)
// against the general path's, m as the general decoder left it (rc its
// return).
static inline enum trap_fast_diff trap_fast_diff_check(int n, size_t cap, int rc,
						       const struct snmp_msg *m, unsigned pdus,
						       uint8_t type, bool v6, const char **why)
{
	if (n < 0) {
		*why = "the lane returned an error, not 0";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (n == 0)
		return TRAP_FAST_DIFF_DECLINED;
	if ((size_t)n > cap) {
		*why = "the lane wrote past cap";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (rc != 0) {
		*why = "the general decoder refuses what the lane took";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	unsigned want = m->pdu.type == SNMP_PDU_TRAP_V2	 ? TRAP_FAST_TRAP
			: m->pdu.type == SNMP_PDU_INFORM ? TRAP_FAST_INFORM
							 : 0;
	if (!(want & pdus) || m->pdu.type != type) {
		*why = "PDU types differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	int g = trap_rec_encode(trap_fast_diff_slow, cap, trap_fast_diff_meta(v6), m);
	if (g != n) {
		*why = g < 0 ? "the general encoder refuses what the lane wrote"
			     : "record lengths differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (memcmp(trap_fast_diff_fast, trap_fast_diff_slow, (size_t)n) != 0) {
		*why = "record octets differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	return TRAP_FAST_DIFF_TAKEN;
}

static inline bool trap_fast_diff_limits(size_t cap, uint32_t vb_max, const char **why)
{
	*why = "";
	if (cap > TRAP_FAST_DIFF_CAP_MAX || vb_max > TRAP_FAST_DIFF_VB_MAX) {
		*why = "cap or vb_max over the harness's buffers";
		return false;
	}
	return true;
}

// The lane on wire[0..len) with an output of cap octets (at most
// TRAP_FAST_DIFF_CAP_MAX), vb_max varbinds (at most TRAP_FAST_DIFF_VB_MAX)
// and the PDU types pdus, against the general path with the same limits.
static inline enum trap_fast_diff trap_fast_diff(const uint8_t *wire, size_t len, size_t cap,
						 uint32_t vb_max, unsigned pdus, bool v6,
						 const char **why)
{
	struct trap_fast_v2c res = {0};
	struct snmp_msg m;
	if (!trap_fast_diff_limits(cap, vb_max, why))
		return TRAP_FAST_DIFF_MISMATCH;
	int n = trap_fast_v2c(trap_fast_diff_fast, cap, trap_fast_diff_meta(v6), wire, len, vb_max,
			      pdus, &res);
	int rc = n > 0 ? snmp_msg_decode(&m, wire, len, trap_fast_diff_vb, vb_max) : 0;
	enum trap_fast_diff d = trap_fast_diff_check(n, cap, rc, &m, pdus, res.pdu_type, v6, why);
	if (d != TRAP_FAST_DIFF_TAKEN)
		return d;
	if (m.version != SNMP_V2C) {
		*why = "versions differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (m.community.ptr != res.community.ptr || m.community.len != res.community.len) {
		*why = "community differs";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	return d;
}

// The v3 lane on the scopedPDU plain[0..len) of head (a v3 message as
// snmp_msg_decode() leaves an authPriv one: header and USM parameters,
// no PDU), against snmp_scoped_pdu_decode() then trap_rec_encode().
static inline enum trap_fast_diff trap_fast_scoped_diff(const struct snmp_msg *head,
							const uint8_t *plain, size_t len,
							size_t cap, uint32_t vb_max, unsigned pdus,
							bool v6, const char **why)
{
	uint8_t type = 0;
	struct snmp_msg m = *head;
	if (!trap_fast_diff_limits(cap, vb_max, why))
		return TRAP_FAST_DIFF_MISMATCH;
	int n = trap_fast_scoped(trap_fast_diff_fast, cap, trap_fast_diff_meta(v6), head, plain,
				 len, vb_max, pdus, &type);
	int rc = n > 0 ? snmp_scoped_pdu_decode(&m, plain, len, trap_fast_diff_vb, vb_max) : 0;
	return trap_fast_diff_check(n, cap, rc, &m, pdus, type, v6, why);
}

#endif
