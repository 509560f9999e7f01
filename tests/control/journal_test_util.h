/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by the journal and sink tests: a scratch directory, payloads
// that say which record they are, and an on_durable that remembers.
#ifndef LINERATE_TESTS_JOURNAL_TEST_UTIL_H
#define LINERATE_TESTS_JOURNAL_TEST_UTIL_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linerate/trap_record.h>

#include "journal.h"

// A fresh directory under /tmp; removed by rm_tree.
static inline void scratch_dir(char out[64])
{
	snprintf(out, 64, "/tmp/lr-journal-test-XXXXXX");
	cr_assert_not_null(mkdtemp(out));
}

static inline void rm_tree(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

// Payload of record number n: its number, then a length and filler that
// depend on it. Returns the length.
static inline uint32_t payload_of(uint64_t n, uint8_t *out)
{
	uint32_t len = 8 + (uint32_t)(n * 37 % 300);
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(n >> (56 - 8 * i));
	for (uint32_t i = 8; i < len; i++)
		out[i] = (uint8_t)(n * 131 + i * 7);
	return len;
}

static inline void expect_payload(const struct journal_view *v, uint64_t n)
{
	uint8_t want[512];
	uint32_t len = payload_of(n, want);
	cr_assert_eq(v->len, len, "record %" PRIu64 ": %u octets, want %u", n, v->len, len);
	cr_assert_eq(memcmp(v->data, want, len), 0, "record %" PRIu64 " differs", n);
}

// Appends records numbered n .. n+count-1 (payload_of), expecting each to
// be accepted with sequence number = its payload number.
static inline void append_range(struct journal *j, uint64_t n, uint64_t count)
{
	static uint8_t buf[64][512];
	while (count) {
		struct journal_rec recs[64];
		size_t k = count < 64 ? (size_t)count : 64;
		for (size_t i = 0; i < k; i++) {
			uint32_t len = payload_of(n + i, buf[i]);
			recs[i] = (struct journal_rec){.data = buf[i], .len = len};
		}
		cr_assert_eq(journal_append(j, recs, k), k);
		for (size_t i = 0; i < k; i++)
			cr_assert_eq(recs[i].seq, n + i);
		n += k;
		count -= k;
	}
}

// Reads every record from seq `from` with a fresh reader and checks it is
// from .. to, in order, each intact.
static inline void expect_records(struct journal *j, uint64_t from, uint64_t to)
{
	struct journal_reader *r = journal_reader_new(j, from);
	struct journal_view v;
	uint64_t want = from;
	int rc;
	cr_assert_not_null(r);
	while ((rc = journal_reader_next(r, &v)) == 1) {
		cr_assert_eq(v.seq, want, "read %" PRIu64 ", want %" PRIu64, v.seq, want);
		expect_payload(&v, v.seq);
		want++;
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(want, to + 1, "read up to %" PRIu64 ", want %" PRIu64, want - 1, to);
	journal_reader_free(r);
}

static inline struct journal *open_journal(struct journal_cfg *cfg)
{
	char err[256] = "";
	struct journal *j = journal_open(cfg, err, sizeof(err));
	cr_assert_not_null(j, "journal_open: %s", err);
	return j;
}

// Appends record r, expecting sequence number seq (not flushed).
static inline void append_trap_rec(struct journal *j, const struct trap_rec *r, uint64_t seq)
{
	uint8_t rec[512];
	int len = trap_rec_write(rec, sizeof(rec), r, NULL, 0);
	cr_assert_gt(len, 0);
	struct journal_rec jr = {.data = rec, .len = (uint32_t)len};
	cr_assert_eq(journal_append(j, &jr, 1), 1);
	cr_assert_eq(jr.seq, seq);
}

// Appends trap records whose request-id is their sequence number n..n+k-1.
static inline void append_traps(struct journal *j, uint64_t n, uint64_t k)
{
	for (uint64_t i = 0; i < k; i++) {
		struct trap_rec r = {
			.pdu_type = SNMP_PDU_TRAP_V2,
			.snmp_version = SNMP_V2C,
			.sec_level = TRAP_REC_NO_AUTH_NO_PRIV,
			.meta = {.rx_ns = n + i,
				 .src = {.family = 4, .addr = {192, 0, 2, 10}, .port = 1024},
				 .dst = {.family = 4, .addr = {192, 0, 2, 1}, .port = 162}},
			.request_id = (int32_t)(n + i),
		};
		append_trap_rec(j, &r, n + i);
	}
	cr_assert_eq(journal_flush(j), 0);
}

#endif
