/* SPDX-License-Identifier: BSD-3-Clause */
// The trap journal: append, reopen and continue; torn tails cut at every
// offset; group commit reported in order; the full policy; and a writer
// killed with SIGKILL loses nothing it reported durable.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "journal_internal.h"
#include "journal_test_util.h"

// Every test gets a fresh journal directory, removed after it.
static char dir[64];

static void make_dir(void)
{
	scratch_dir(dir);
}

static void remove_dir(void)
{
	rm_tree(dir);
}

TestSuite(journal, .init = make_dir, .fini = remove_dir);

Test(journal, crc32c_matches_the_check_value_in_hardware_and_software)
{
	cr_assert_eq(journal_crc32c(0, "123456789", 9), 0xe3069283);
	cr_assert_eq(journal_crc32c_sw(0, "123456789", 9), 0xe3069283);
	cr_assert_eq(journal_crc32c(0, "", 0), 0);
	static uint8_t buf[4096];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n < 300; n += 7)
			cr_assert_eq(journal_crc32c(0, buf + off, n),
				     journal_crc32c_sw(0, buf + off, n));
	// continuing a CRC is the CRC of the whole
	cr_assert_eq(journal_crc32c(journal_crc32c(0, buf, 100), buf + 100, 200),
		     journal_crc32c(0, buf, 300));
}

Test(journal, appends_reopens_and_continues_the_numbering)
{
	struct journal_cfg cfg = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&cfg);
	append_range(j, 1, 1000);
	cr_assert_eq(journal_flush(j), 0);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_eq(st.appended, 1000);
	cr_assert_eq(st.durable_seq, 1000);
	cr_assert_eq(st.first_seq, 1);
	journal_close(j);

	j = open_journal(&cfg);
	journal_get_stats(j, &st);
	cr_assert_eq(st.next_seq, 1001);
	cr_assert_eq(st.durable_seq, 1000);
	cr_assert_eq(st.torn_cut_bytes, 0);
	append_range(j, 1001, 500);
	journal_flush(j);
	expect_records(j, 1, 1500);
	expect_records(j, 777, 1500); // a reader may start anywhere
	journal_close(j);
}

Test(journal, rotates_segments_and_reads_across_them)
{
	struct journal_cfg cfg = {.dir = dir, .segment_bytes = 16384, .max_bytes = 4 << 20};
	struct journal *j = open_journal(&cfg);
	append_range(j, 1, 2000);
	journal_flush(j);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_gt(st.segments, 10);
	expect_records(j, 1, 2000);
	journal_close(j);
	j = open_journal(&cfg); // sealed segments' counts come from their names
	expect_records(j, 1, 2000);
	append_range(j, 2001, 10);
	journal_flush(j);
	expect_records(j, 1990, 2010);
	journal_close(j);
}

// --- torn tails -----------------------------------------------------------------

// The path of the newest segment file in dir.
static void last_segment(char out[256])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char best[64] = "";
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		if (strlen(e->d_name) == 24 && strcmp(e->d_name + 20, ".seg") == 0 &&
		    strcmp(e->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	closedir(d);
	cr_assert_neq(best[0], '\0');
	snprintf(out, 256, "%s/%s", dir, best);
}

static uint8_t pristine[1 << 16];

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

// Reopens a journal whose last record (number n, starting at offset
// last_off of the segment) was damaged: it is cut, the earlier ones are
// intact, and the next record gets number n again.
static void expect_cut(struct journal_cfg *cfg, uint64_t n, uint64_t damaged_bytes)
{
	struct journal_stats st;
	struct journal *j = open_journal(cfg);
	journal_get_stats(j, &st);
	cr_assert_eq(st.durable_seq, n - 1);
	cr_assert_eq(st.torn_cut_bytes, damaged_bytes);
	expect_records(j, 1, n - 1);
	append_range(j, n, 1);
	cr_assert_eq(journal_flush(j), 0);
	expect_records(j, 1, n);
	journal_close(j);
}

Test(journal, torn_tail_is_cut_at_every_offset_and_every_flipped_octet)
{
	char seg[256];
	struct journal_cfg cfg = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&cfg);
	const uint64_t n = 20;
	append_range(j, 1, n);
	journal_flush(j);
	journal_close(j);
	last_segment(seg);
	FILE *f = fopen(seg, "rb");
	size_t size = fread(pristine, 1, sizeof(pristine), f);
	fclose(f);
	uint8_t p[512];
	size_t last_off = size - JOURNAL_FRAME_HDR_LEN - payload_of(n, p);

	for (size_t cut = last_off; cut < size; cut++) {
		write_file(seg, pristine, cut);
		expect_cut(&cfg, n, cut - last_off);
	}
	for (size_t at = last_off; at < size; at++) {
		static uint8_t damaged[sizeof(pristine)];
		memcpy(damaged, pristine, size);
		damaged[at] ^= (uint8_t)(1u << (at % 8));
		write_file(seg, damaged, size);
		expect_cut(&cfg, n, size - last_off);
	}
}

// A closed journal of records 1..100 in segments of 4 KB.
static struct journal_cfg hundred_in_small_segments(void)
{
	struct journal_cfg cfg = {.dir = dir, .segment_bytes = 4096, .max_bytes = 1 << 20};
	struct journal *j = open_journal(&cfg);
	append_range(j, 1, 100);
	journal_flush(j);
	journal_close(j);
	return cfg;
}

Test(journal, torn_segment_header_is_set_aside)
{
	struct journal_cfg cfg = hundred_in_small_segments();
	struct journal *j;
	// a crash between creating the next segment and its header
	char path[300];
	snprintf(path, sizeof(path), "%s/%020d.seg", dir, 101);
	write_file(path, (const uint8_t *)"LRJOU", 5);
	j = open_journal(&cfg);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_eq(st.next_seq, 101);
	append_range(j, 101, 5);
	journal_flush(j);
	expect_records(j, 1, 105);
	journal_close(j);
	snprintf(path, sizeof(path), "%s/%020d.seg.bad", dir, 101);
	cr_assert_eq(access(path, F_OK), 0, "the torn segment was not set aside");
}

Test(journal, a_damaged_sealed_segment_is_skipped_by_readers_and_counted)
{
	struct journal_cfg cfg = hundred_in_small_segments();
	struct journal *j;
	// flip one payload octet of record 3, in the first segment
	char path[300];
	snprintf(path, sizeof(path), "%s/%020d.seg", dir, 1);
	int fd = open(path, O_RDWR);
	cr_assert_geq(fd, 0);
	uint8_t p[512], c;
	off_t off = JOURNAL_SEG_HDR_LEN + 2 * JOURNAL_FRAME_HDR_LEN + payload_of(1, p) +
		    payload_of(2, p) + JOURNAL_FRAME_HDR_LEN + 5;
	cr_assert_eq(pread(fd, &c, 1, off), 1);
	c ^= 0x10;
	cr_assert_eq(pwrite(fd, &c, 1, off), 1);
	close(fd);

	j = open_journal(&cfg); // recovery reads only the last segment whole
	struct journal_reader *r = journal_reader_new(j, 1);
	struct journal_view v;
	uint64_t want = 1;
	while (journal_reader_next(r, &v) == 1) {
		if (want == 3) // the rest of segment 1 is unreadable
			cr_assert_gt(v.seq, 3);
		want = v.seq + 1;
		expect_payload(&v, v.seq);
	}
	struct journal_reader_stats rs;
	journal_reader_get_stats(r, &rs);
	cr_assert_eq(want, 101);
	cr_assert_gt(rs.corrupt, 0);
	cr_assert_eq(rs.read + rs.corrupt, 100);
	journal_reader_free(r);
	journal_close(j);
}

Test(journal, a_second_journal_on_the_same_directory_is_refused)
{
	struct journal_cfg cfg = {.dir = dir};
	struct journal *j = open_journal(&cfg);
	char err[256];
	cr_assert_null(journal_open(&cfg, err, sizeof(err)));
	cr_assert_eq(errno, EWOULDBLOCK);
	cr_assert(strstr(err, "in use"), "%s", err);
	journal_close(j);
	j = open_journal(&cfg); // free again once closed
	journal_close(j);
}

// --- group commit ----------------------------------------------------------------

struct batches {
	pthread_mutex_t mu;
	uint64_t next_first; // each report starts where the last ended
	uint64_t tokens_seen;
	uint64_t token_next; // tokens come back in sequence order
	unsigned reports;
	bool bad;
};

static void on_durable(void *ctx, int status, uint64_t first, uint64_t upto,
		       const struct journal_token *tok, size_t n)
{
	struct batches *b = ctx;
	pthread_mutex_lock(&b->mu);
	if (status != 0 || first != b->next_first || upto < first)
		b->bad = true;
	b->next_first = upto + 1;
	for (size_t i = 0; i < n; i++) {
		// the test's token is the record number, and every third has one
		if (tok[i].seq < first || tok[i].seq > upto || tok[i].seq % 3 ||
		    (uintptr_t)tok[i].token != tok[i].seq || tok[i].seq <= b->token_next)
			b->bad = true;
		b->token_next = tok[i].seq;
		b->tokens_seen++;
	}
	b->reports++;
	pthread_mutex_unlock(&b->mu);
}

// Appends records 1..count in batches of 1..7, every third with a token.
static void append_with_tokens(struct journal *j, uint64_t count)
{
	static uint8_t buf[8][512];
	uint64_t n = 1;
	while (n <= count) {
		struct journal_rec recs[8];
		size_t k = 1 + n % 7;
		if (n + k - 1 > count)
			k = (size_t)(count - n + 1);
		for (size_t i = 0; i < k; i++) {
			uint64_t seq = n + i;
			recs[i] = (struct journal_rec){
				.data = buf[i],
				.len = payload_of(seq, buf[i]),
				.inform = seq % 3 == 0,
				.token = seq % 3 == 0 ? (void *)(uintptr_t)seq : NULL,
			};
		}
		cr_assert_eq(journal_append(j, recs, k), k);
		n += k;
	}
}

Test(journal, group_commit_reports_batches_in_order_with_their_tokens)
{
	struct batches b = {.mu = PTHREAD_MUTEX_INITIALIZER, .next_first = 1};
	struct journal_cfg cfg = {.dir = dir,
				  .sync_interval_ns = 200000000, // 200 ms: many appends, one sync
				  .on_durable = on_durable,
				  .ctx = &b};
	struct journal *j = open_journal(&cfg);
	append_with_tokens(j, 3000);
	cr_assert_eq(journal_flush(j), 0);
	struct journal_stats st;
	journal_get_stats(j, &st);
	pthread_mutex_lock(&b.mu);
	cr_assert_not(b.bad);
	cr_assert_eq(b.next_first, 3001);
	cr_assert_eq(b.tokens_seen, 1000);
	cr_assert_eq(b.reports, st.batches);
	pthread_mutex_unlock(&b.mu);
	// 3000 records in ~750 appends, gathered in a handful of batches
	cr_assert_lt(st.syncs, 100, "%" PRIu64 " syncs", st.syncs);
	cr_assert_eq(st.syncs, st.batches);
	journal_close(j);
}

Test(journal, sync_now_syncs_every_batch)
{
	struct batches b = {.mu = PTHREAD_MUTEX_INITIALIZER, .next_first = 1};
	struct journal_cfg cfg = {
		.dir = dir, .sync_now = true, .on_durable = on_durable, .ctx = &b};
	struct journal *j = open_journal(&cfg);
	for (uint64_t i = 0; i < 10; i++) {
		append_range(j, 1 + 5 * i, 5);
		journal_flush(j);
	}
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_eq(st.syncs, 10);
	cr_assert_eq(b.reports, 10);
	cr_assert_not(b.bad);
	journal_close(j);
}

// --- bounds -----------------------------------------------------------------------

struct logbook {
	pthread_mutex_t mu;
	unsigned full, not_full, dropped;
};

static void log_msg(void *ctx, int level, const char *msg)
{
	struct logbook *l = ctx;
	(void)level;
	pthread_mutex_lock(&l->mu);
	l->full += strstr(msg, "full (") != NULL;
	l->not_full += strstr(msg, "no longer full") != NULL;
	l->dropped += strstr(msg, "unread record") != NULL;
	pthread_mutex_unlock(&l->mu);
}

// Appends 1 KB traps (and one inform every 10) until `refused` informs
// were refused or 5000 records were tried; returns the number accepted.
static uint64_t fill(struct journal *j, uint64_t want_refused)
{
	static uint8_t rec[1024];
	struct journal_stats st;
	uint64_t ok = 0;
	for (int i = 0; i < 5000; i++) {
		struct journal_rec r = {.data = rec, .len = sizeof(rec), .inform = i % 10 == 0};
		ok += journal_append(j, &r, 1);
		if (i % 50 == 0)
			journal_flush(j);
		journal_get_stats(j, &st);
		if (st.refused_full >= want_refused)
			break;
	}
	journal_flush(j);
	return ok;
}

static struct journal_cfg small_cfg(struct logbook *l)
{
	return (struct journal_cfg){.dir = dir,
				    .max_bytes = 256 * 1024,
				    .segment_bytes = 32 * 1024,
				    .queue_bytes = 64 * 1024,
				    .sync_now = true,
				    .log = log_msg,
				    .ctx = l};
}

Test(journal, full_refuses_informs_and_drops_the_oldest_traps)
{
	struct logbook l = {.mu = PTHREAD_MUTEX_INITIALIZER};
	struct journal_cfg cfg = small_cfg(&l);
	struct journal *j = open_journal(&cfg);
	struct journal_reader *slow = journal_reader_new(j, 1); // a sink that is down
	fill(j, 5);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_geq(st.refused_full, 5);
	cr_assert(st.full);
	cr_assert_gt(st.dropped_segments, 0);
	cr_assert_gt(st.dropped_records, 0);
	cr_assert_eq(st.retired_segments, 0);
	cr_assert_leq(st.bytes, cfg.max_bytes + cfg.segment_bytes);
	// every record appended is durable, was dropped, or is still there
	cr_assert_eq(st.durable_seq, st.appended);
	// the slow reader lost exactly what was dropped, and reads the rest
	struct journal_view v;
	uint64_t prev = 0, got = 0;
	while (journal_reader_next(slow, &v) == 1) {
		cr_assert_gt(v.seq, prev);
		prev = v.seq;
		got++;
	}
	struct journal_reader_stats rs;
	journal_reader_get_stats(slow, &rs);
	cr_assert_eq(rs.skipped, st.dropped_records);
	cr_assert_eq(got + rs.skipped, st.appended);
	cr_assert_eq(rs.lag_records, 0);
	// it caught up and released everything: no longer full, informs go in
	journal_reader_release(slow, journal_reader_pos(slow));
	static uint8_t rec[1024];
	struct journal_rec inform = {.data = rec, .len = sizeof(rec), .inform = true};
	cr_assert_eq(journal_append(j, &inform, 1), 1);
	journal_flush(j);
	journal_append(j, &inform, 1); // the thread logs the change
	journal_flush(j);
	journal_reader_free(slow);
	journal_close(j);
	cr_assert_geq(l.full, 1);
	cr_assert_geq(l.dropped, 1);
	cr_assert_geq(l.not_full, 1);
}

Test(journal, full_refuse_traps_keeps_the_oldest_and_refuses_traps_too)
{
	struct logbook l = {.mu = PTHREAD_MUTEX_INITIALIZER};
	struct journal_cfg cfg = small_cfg(&l);
	cfg.full_refuse_traps = true;
	struct journal *j = open_journal(&cfg);
	struct journal_reader *slow = journal_reader_new(j, 1); // a sink that is down
	uint64_t ok = fill(j, 5);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_geq(st.refused_full, 5);
	cr_assert_gt(st.refused_traps, 0, "traps refused while full");
	cr_assert_eq(st.dropped_records, 0, "nothing unread deleted");
	cr_assert_eq(st.dropped_segments, 0);
	cr_assert_leq(st.bytes, cfg.max_bytes);
	cr_assert_eq(st.appended, ok);
	// the slow reader gets every record that was accepted, none skipped
	struct journal_view v;
	uint64_t got = 0;
	while (journal_reader_next(slow, &v) == 1)
		cr_assert_eq(v.seq, ++got);
	struct journal_reader_stats rs;
	journal_reader_get_stats(slow, &rs);
	cr_assert_eq(rs.skipped, 0);
	cr_assert_eq(got, ok);
	// the journal thread logs the change at its next pass
	for (int i = 0; i < 300; i++) {
		pthread_mutex_lock(&l.mu);
		unsigned logged = l.full;
		pthread_mutex_unlock(&l.mu);
		if (logged)
			break;
		usleep(10000);
	}
	// released: room again, traps go in
	journal_reader_release(slow, journal_reader_pos(slow));
	static uint8_t rec[1024];
	struct journal_rec trap = {.data = rec, .len = sizeof(rec)};
	cr_assert_eq(journal_append(j, &trap, 1), 1);
	journal_flush(j);
	journal_reader_free(slow);
	journal_close(j);
	cr_assert_geq(l.full, 1);
}

Test(journal, without_readers_old_segments_retire_and_informs_are_kept)
{
	struct logbook l = {.mu = PTHREAD_MUTEX_INITIALIZER};
	struct journal_cfg cfg = small_cfg(&l);
	struct journal *j = open_journal(&cfg);
	uint64_t ok = fill(j, 1);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_eq(ok, 5000);
	cr_assert_eq(st.refused_full, 0);
	cr_assert_eq(st.dropped_records, 0);
	cr_assert_gt(st.retired_segments, 0);
	cr_assert_leq(st.bytes, cfg.max_bytes);
	cr_assert_gt(st.first_seq, 1);
	journal_close(j);
}

Test(journal, refuses_empty_oversized_and_over_queue_records)
{
	struct journal_cfg cfg = {
		.dir = dir, .queue_bytes = 8192, .max_bytes = 1 << 20, .segment_bytes = 65536};
	struct journal *j = open_journal(&cfg);
	static uint8_t big[9000];
	struct journal_rec r[3] = {{.data = big, .len = 0},
				   {.data = big, .len = sizeof(big)},
				   {.data = big, .len = 100}};
	cr_assert_eq(journal_append(j, r, 3), 1);
	cr_assert_eq(r[0].status, JOURNAL_REFUSED_SIZE);
	cr_assert_eq(r[1].status, JOURNAL_REFUSED_SIZE);
	cr_assert_eq(r[2].status, JOURNAL_OK);
	cr_assert_eq(r[2].seq, 1);
	journal_close(j);
	char err[256];
	cfg.segment_bytes = cfg.max_bytes; // the active segment would fill it
	cr_assert_null(journal_open(&cfg, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
}

Test(journal, max_age_expires_sealed_segments)
{
	struct journal_cfg cfg = {
		.dir = dir, .segment_bytes = 4096, .max_bytes = 1 << 20, .max_age_ns = 1};
	struct journal *j = open_journal(&cfg);
	append_range(j, 1, 200);
	journal_flush(j);
	append_range(j, 201, 1); // a batch after: the thread applies the bounds
	journal_flush(j);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_gt(st.expired_segments, 0);
	cr_assert_eq(st.segments, 1);
	journal_close(j);
}

// --- kill -9 ---------------------------------------------------------------------

static int report_fd;

static void report_durable(void *ctx, int status, uint64_t first, uint64_t upto,
			   const struct journal_token *tok, size_t n)
{
	(void)ctx, (void)first, (void)tok, (void)n;
	if (status == 0 && write(report_fd, &upto, sizeof(upto)) != sizeof(upto))
		_exit(3);
}

// The child: appends records 1, 2, ... (payload_of) for at most 20 s,
// reporting each durable batch's last number on fd.
static void appender(int fd)
{
	report_fd = fd;
	struct journal_cfg cfg = {.dir = dir, .on_durable = report_durable};
	char err[256];
	struct journal *j = journal_open(&cfg, err, sizeof(err));
	if (!j)
		_exit(2);
	static uint8_t buf[16][512];
	time_t end = time(NULL) + 20;
	for (uint64_t n = 1; n < 10000000 && time(NULL) < end;) {
		struct journal_rec recs[16];
		size_t k = 1 + n % 16;
		for (size_t i = 0; i < k; i++)
			recs[i] = (struct journal_rec){.data = buf[i],
						       .len = payload_of(n + i, buf[i])};
		size_t ok = journal_append(j, recs, k);
		n += ok;		   // refused ones (queue full) are tried again
		usleep(ok < k ? 100 : 20); // many batches, not a few huge ones
	}
	_exit(0);
}

Test(journal, sigkill_loses_nothing_reported_durable)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[0]);
		appender(p[1]);
	}
	close(p[1]);
	uint64_t upto = 0, reports = 0, v;
	while ((upto < 20000 || reports < 200) && read(p[0], &v, sizeof(v)) == sizeof(v)) {
		cr_assert_gt(v, upto);
		upto = v;
		reports++;
	}
	cr_assert_eq(kill(pid, SIGKILL), 0);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status), "the appender ended by itself: %d", status);
	while (read(p[0], &v, sizeof(v)) == sizeof(v)) // reported before it died
		upto = v;
	close(p[0]);
	cr_assert_geq(upto, 20000);

	struct journal_cfg cfg = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&cfg);
	struct journal_stats st;
	journal_get_stats(j, &st);
	cr_assert_geq(st.durable_seq, upto, "reported %" PRIu64 " durable, found %" PRIu64, upto,
		      st.durable_seq);
	expect_records(j, 1, st.durable_seq);
	append_range(j, st.durable_seq + 1, 3);
	cr_assert_eq(journal_flush(j), 0);
	expect_records(j, st.durable_seq - 10, st.durable_seq + 3);
	journal_close(j);
	cr_log_info("%" PRIu64 " durable reports, %" PRIu64 " records", reports, upto);
}
