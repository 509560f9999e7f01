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

// The lane on wire[0..len) with an output of cap octets (at most
// TRAP_FAST_DIFF_CAP_MAX), vb_max varbinds (at most TRAP_FAST_DIFF_VB_MAX)
// and the PDU types pdus, against the general path with the same limits.
static inline enum trap_fast_diff trap_fast_diff(const uint8_t *wire, size_t len, size_t cap,
						 uint32_t vb_max, unsigned pdus, bool v6,
						 const char **why)
{
	static uint8_t fast[TRAP_FAST_DIFF_CAP_MAX], slow[TRAP_FAST_DIFF_CAP_MAX];
	static struct snmp_varbind vb[TRAP_FAST_DIFF_VB_MAX];
	const struct trap_rec_meta *meta = trap_fast_diff_meta(v6);
	struct trap_fast_v2c res;
	struct snmp_msg m;
	*why = "";
	if (cap > TRAP_FAST_DIFF_CAP_MAX || vb_max > TRAP_FAST_DIFF_VB_MAX) {
		*why = "cap or vb_max over the harness's buffers";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	int n = trap_fast_v2c(fast, cap, meta, wire, len, vb_max, pdus, &res);
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
	if (snmp_msg_decode(&m, wire, len, vb, vb_max) != 0) {
		*why = "the general decoder refuses what the lane took";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	unsigned want = m.pdu.type == SNMP_PDU_TRAP_V2	? TRAP_FAST_TRAP
			: m.pdu.type == SNMP_PDU_INFORM ? TRAP_FAST_INFORM
							: 0;
	if (m.version != SNMP_V2C || !(want & pdus) || m.pdu.type != res.pdu_type) {
		*why = "version or PDU type differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (m.community.ptr != res.community.ptr || m.community.len != res.community.len) {
		*why = "community differs";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	int g = trap_rec_encode(slow, cap, meta, &m);
	if (g != n) {
		*why = g < 0 ? "the general encoder refuses what the lane wrote"
			     : "record lengths differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	if (memcmp(fast, slow, (size_t)n) != 0) {
		*why = "record octets differ";
		return TRAP_FAST_DIFF_MISMATCH;
	}
	return TRAP_FAST_DIFF_TAKEN;
}

#endif
