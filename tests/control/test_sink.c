/* SPDX-License-Identifier: BSD-3-Clause */
// The sink core: durable cursors, a sink that goes down and catches up, a
// restart that resumes from the cursor, records that do not decode, and
// the sink's own thread. Every record must arrive exactly once, in order.
#include <errno.h>
#include <fcntl.h>

#include <linerate/trap_record.h>

#include "journal_test_util.h"
#include "sink.h"

static char dir[64], cursor[128];

static void make_dir(void)
{
	scratch_dir(dir);
	snprintf(cursor, sizeof(cursor), "%s/memory.cursor", dir);
}

static void remove_dir(void)
{
	rm_tree(dir);
}

TestSuite(sink, .init = make_dir, .fini = remove_dir);

// --- cursor files -----------------------------------------------------------------

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(sink, cursor_files_round_trip_and_refuse_garbage)
{
	uint64_t v = 0;
	cr_assert_eq(sink_cursor_load(cursor, &v), 0);
	cr_assert_eq(v, 1); // no file: from the start
	cr_assert_eq(sink_cursor_save(cursor, 42), 0);
	cr_assert_eq(sink_cursor_load(cursor, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(sink_cursor_save(cursor, UINT64_MAX), 0);
	cr_assert_eq(sink_cursor_load(cursor, &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s.tmp", cursor);
	cr_assert_neq(access(tmp, F_OK), 0, "the temporary file stayed");
	static const char *const bad[] = {
		"",
		"next_seq=\n",
		"next_seq=0\n",
		"next_seq=12",
		"next_seq=12\nmore\n",
		"next_seq=-3\n",
		"next_seq=99999999999999999999999\n",
		"cursor=12\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_file(cursor, bad[i]);
		cr_assert_eq(sink_cursor_load(cursor, &v), -EBADMSG, "accepted \"%s\"", bad[i]);
	}
}

// --- a sink in memory -------------------------------------------------------------

// What the test sink saw, across sink instances.
struct seen {
	pthread_mutex_t mu;
	uint64_t seq[4096];
	size_t n;
	bool down;
	uint64_t fail_at; // emits of this record and later fail (0: none)
	unsigned commits;
};

static struct seen seen = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int mem_emit(void *impl, uint64_t seq, const struct trap_rec *rec)
{
	struct seen *s = impl;
	pthread_mutex_lock(&s->mu);
	int rc = s->down || (s->fail_at && seq >= s->fail_at) ? -EIO : 0;
	if (!rc) {
		cr_assert_eq((uint64_t)rec->request_id, seq); // the record that was appended
		cr_assert_lt(s->n, 4096);
		s->seq[s->n++] = seq;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static int mem_commit(void *impl)
{
	struct seen *s = impl;
	pthread_mutex_lock(&s->mu);
	s->commits++;
	int rc = s->down ? -EIO : 0;
	pthread_mutex_unlock(&s->mu);
	return rc;
}

static const struct sink_ops mem_ops = {.kind = "memory", .emit = mem_emit, .commit = mem_commit};

static struct sink *mem_sink(struct journal *j)
{
	char err[256];
	struct sink_cfg cfg = {.name = "memory", .cursor_path = cursor, .batch = 50};
	struct sink *s = sink_new(j, &cfg, &mem_ops, &seen, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

static void drain(struct sink *s)
{
	int rc, rounds = 0;
	while ((rc = sink_poll(s)) > 0)
		cr_assert_lt(++rounds, 1000);
	cr_assert_eq(rc, 0);
}

// seen holds 1..n exactly once, in order.
static void expect_seen(uint64_t n)
{
	pthread_mutex_lock(&seen.mu);
	cr_assert_eq(seen.n, n, "saw %zu records, want %" PRIu64, seen.n, n);
	for (size_t i = 0; i < seen.n; i++)
		cr_assert_eq(seen.seq[i], i + 1, "record %zu is %" PRIu64, i, seen.seq[i]);
	pthread_mutex_unlock(&seen.mu);
}

static void set_down(bool down)
{
	pthread_mutex_lock(&seen.mu);
	seen.down = down;
	pthread_mutex_unlock(&seen.mu);
}

Test(sink, a_sink_that_is_down_lags_and_catches_up_in_order)
{
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 300);
	struct sink *s = mem_sink(j);
	drain(s);
	expect_seen(300);
	append_traps(j, 301, 300);
	cr_assert_eq(sink_poll(s), 50);
	set_down(true);
	cr_assert_eq(sink_poll(s), -EIO);
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert(st.down);
	cr_assert_eq(st.lag_records, 250);
	cr_assert_gt(st.lag_bytes, 0);
	cr_assert_eq(st.cursor, 351);
	append_traps(j, 601, 100);
	cr_assert_lt(sink_poll(s), 0);
	sink_get_stats(s, &st);
	cr_assert_eq(st.lag_records, 350);
	set_down(false);
	drain(s);
	sink_get_stats(s, &st);
	cr_assert_not(st.down);
	cr_assert_eq(st.lag_records, 0);
	cr_assert_eq(st.lag_bytes, 0);
	cr_assert_eq(st.delivered, 700);
	cr_assert_eq(st.cursor, 701);
	cr_assert_geq(st.failures, 2);
	expect_seen(700);
	sink_free(s);
	journal_close(j);
}

Test(sink, a_restarted_sink_resumes_from_its_cursor)
{
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 120);
	struct sink *s = mem_sink(j);
	cr_assert_eq(sink_poll(s), 50);
	cr_assert_eq(sink_poll(s), 50);
	seen.fail_at = 111; // the third batch fails half-way
	cr_assert_lt(sink_poll(s), 0);
	sink_free(s); // the sink process stops
	seen.fail_at = 0;
	uint64_t v;
	cr_assert_eq(sink_cursor_load(cursor, &v), 0);
	cr_assert_eq(v, 111);	  // what went out before the failure was committed
	append_traps(j, 121, 80); // more arrive while it is away
	journal_close(j);	  // and the journal restarts too

	j = open_journal(&jc);
	s = mem_sink(j);
	drain(s);
	expect_seen(200);
	sink_free(s);
	journal_close(j);
}

Test(sink, records_that_do_not_decode_are_skipped_and_counted)
{
	struct journal_cfg jc = {.dir = dir, .sync_now = true};
	struct journal *j = open_journal(&jc);
	append_traps(j, 1, 2);
	struct journal_rec junk = {.data = "not a trap record", .len = 17};
	cr_assert_eq(journal_append(j, &junk, 1), 1);
	cr_assert_eq(junk.seq, 3);
	journal_flush(j);
	struct sink *s = mem_sink(j);
	cr_assert_eq(sink_poll(s), 3);
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert_eq(st.bad_records, 1);
	cr_assert_eq(st.delivered, 2);
	cr_assert_eq(st.cursor, 4); // past it: it will never decode
	expect_seen(2);
	sink_free(s);
	journal_close(j);
}

Test(sink, its_thread_follows_the_journal)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	struct sink *s = mem_sink(j);
	cr_assert_eq(sink_start(s), 0);
	append_traps(j, 1, 500);
	struct sink_stats st;
	for (int i = 0; i < 500; i++) { // at most 5 s
		sink_get_stats(s, &st);
		if (st.delivered == 500)
			break;
		usleep(10000);
	}
	cr_assert_eq(st.delivered, 500);
	sink_free(s);
	expect_seen(500);
	uint64_t v;
	cr_assert_eq(sink_cursor_load(cursor, &v), 0);
	cr_assert_eq(v, 501);
	journal_close(j);
}

Test(sink, a_bad_cursor_file_is_refused_at_start)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	put_file(cursor, "next_seq=banana\n");
	char err[256];
	struct sink_cfg cfg = {.name = "memory", .cursor_path = cursor};
	cr_assert_null(sink_new(j, &cfg, &mem_ops, &seen, err, sizeof(err)));
	cr_assert_eq(errno, EBADMSG);
	cr_assert(strstr(err, "not a cursor file"), "%s", err);
	journal_close(j);
}
