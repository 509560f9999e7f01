/* SPDX-License-Identifier: BSD-3-Clause */
// The journal thread: appends queue framed records, the thread writes each
// batch, syncs it once (group commit), reports it durable, and keeps the
// journal inside its size and age bounds.
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <linerate/wire.h>

#include "journal_internal.h"

#define RETAIN_CHECK_NS 1000000000ll // age bound checked at least this often

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t deadline_ns)
{
	struct timespec ts = {.tv_sec = deadline_ns / 1000000000,
			      .tv_nsec = deadline_ns % 1000000000};
	pthread_cond_timedwait(cv, mu, &ts);
}

uint64_t journal_min_hold(const struct journal *j)
{
	uint64_t hold = UINT64_MAX;
	for (const struct journal_reader *r = j->readers; r; r = r->next)
		if (r->hold < hold)
			hold = r->hold;
	return hold;
}

// --- retention (journal thread, j->mu held) -----------------------------------

static uint64_t seg_end(const struct jseg *s)
{
	return s->first_seq + s->count;
}

// Records of s some reader has not released yet.
static uint64_t unread_in(const struct jseg *s, uint64_t hold)
{
	if (hold == UINT64_MAX || hold >= seg_end(s))
		return 0;
	return seg_end(s) - (hold > s->first_seq ? hold : s->first_seq);
}

static void delete_oldest(struct journal *j)
{
	char name[JOURNAL_SEG_NAME_MAX];
	jseg_name(name, j->segs[0].first_seq);
	if (unlinkat(j->dir_fd, name, 0) != 0 && errno != ENOENT)
		journal_log(j, LOG_ERR, "journal: cannot delete %s: %s", name, strerror(errno));
	j->total_bytes -= j->segs[0].bytes;
	memmove(j->segs, j->segs + 1, (j->n_segs - 1) * sizeof(*j->segs));
	j->n_segs--;
}

// Deletes sealed segments past the age bound, then oldest first while the
// journal (queued records included) is over its size bound.
static void retain(struct journal *j)
{
	int64_t now = journal_now_ns();
	uint64_t hold = journal_min_hold(j);
	while (j->n_segs > 1) {
		const struct jseg *s = &j->segs[0];
		bool old = j->cfg.max_age_ns && now - s->mtime_ns > (int64_t)j->cfg.max_age_ns;
		if (!old && j->total_bytes <= j->cfg.max_bytes)
			break;
		uint64_t unread = unread_in(s, hold);
		if (old) {
			j->st.expired_segments++;
			j->st.expired_records += unread;
		} else if (unread) {
			j->st.dropped_segments++;
			j->st.dropped_records += unread;
		} else {
			j->st.retired_segments++;
		}
		if (unread)
			journal_log(j, LOG_WARNING,
				    "journal: %s: deleted segment %" PRIu64 " with %" PRIu64
				    " unread record(s) (%" PRIu64 " dropped so far)",
				    old ? "max age" : "full", s->first_seq, unread,
				    j->st.dropped_records + j->st.expired_records);
		delete_oldest(j);
	}
}

// Octets that deleting released segments would free, oldest first (only
// a prefix can go: segments are deleted in order).
static uint64_t reclaimable(const struct journal *j)
{
	uint64_t hold = journal_min_hold(j), bytes = 0;
	for (size_t i = 0; i + 1 < j->n_segs && seg_end(&j->segs[i]) <= hold; i++)
		bytes += j->segs[i].bytes;
	return bytes;
}

// --- appending ---------------------------------------------------------------------

static int batch_reserve(struct jbatch *b, size_t more)
{
	if (b->len + more <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64 * 1024;
	while (cap < b->len + more)
		cap *= 2;
	uint8_t *d = realloc(b->data, cap);
	if (!d)
		return -ENOMEM;
	b->data = d;
	b->cap = cap;
	return 0;
}

static int batch_token(struct jbatch *b, uint64_t seq, void *token)
{
	if (b->n_tok == b->cap_tok) {
		size_t cap = b->cap_tok ? 2 * b->cap_tok : 64;
		struct journal_token *t = realloc(b->tok, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		b->tok = t;
		b->cap_tok = cap;
	}
	b->tok[b->n_tok++] = (struct journal_token){seq, token};
	return 0;
}

// Whether one more frame of fl octets makes the journal full: over its
// size bound even after deleting what every reader released.
static bool would_be_full(struct journal *j, uint64_t fl, uint64_t *reclaim)
{
	if (j->total_bytes + fl <= j->cfg.max_bytes)
		return false;
	if (*reclaim == UINT64_MAX)
		*reclaim = reclaimable(j);
	return j->total_bytes + fl > j->cfg.max_bytes + *reclaim;
}

static int append_one(struct journal *j, struct journal_rec *r, uint64_t *reclaim)
{
	uint64_t fl = JOURNAL_FRAME_HDR_LEN + (uint64_t)r->len;
	if (!r->data || r->len == 0 || r->len > JOURNAL_RECORD_MAX || fl > j->cfg.queue_bytes) {
		j->st.refused_size++;
		return JOURNAL_REFUSED_SIZE;
	}
	struct jbatch *b = &j->pending;
	if (b->len + fl > j->cfg.queue_bytes || batch_reserve(b, fl) ||
	    (r->token && batch_token(b, j->next_seq, r->token))) {
		j->st.refused_busy++;
		return JOURNAL_REFUSED_BUSY;
	}
	j->st.full = would_be_full(j, fl, reclaim);
	if (j->st.full && (r->inform || j->cfg.full_refuse_traps)) {
		if (r->token)
			b->n_tok--;
		if (r->inform)
			j->st.refused_full++;
		else
			j->st.refused_traps++;
		return JOURNAL_REFUSED_FULL;
	}
	uint8_t *f = b->data + b->len;
	wire_put_u32(f, 0); // the CRC, computed by the journal thread
	wire_put_u32(f + 4, r->len);
	wire_put_u32(f + 8, (uint32_t)(j->next_seq >> 32));
	wire_put_u32(f + 12, (uint32_t)j->next_seq);
	memcpy(f + JOURNAL_FRAME_HDR_LEN, r->data, r->len);
	b->len += fl;
	if (!b->first_seq)
		b->first_seq = j->next_seq;
	b->last_seq = j->next_seq;
	r->seq = j->next_seq++;
	j->total_bytes += fl;
	j->st.appended++;
	j->st.appended_bytes += r->len;
	return JOURNAL_OK;
}

size_t journal_append(struct journal *j, struct journal_rec *recs, size_t n)
{
	size_t ok = 0;
	uint64_t reclaim = UINT64_MAX; // computed once, when first needed
	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < n; i++) {
		recs[i].seq = 0;
		recs[i].status = append_one(j, &recs[i], &reclaim);
		ok += recs[i].status == JOURNAL_OK;
	}
	if (ok)
		pthread_cond_signal(&j->work);
	pthread_mutex_unlock(&j->mu);
	return ok;
}

// --- writing (journal thread) ----------------------------------------------------

// Syncs the active segment and publishes its records up to last_seq.
static int sync_active(struct journal *j, uint64_t last_seq)
{
	if (fdatasync(j->active_fd) != 0)
		return -errno;
	pthread_mutex_lock(&j->mu);
	struct jseg *s = &j->segs[j->n_segs - 1];
	s->count = last_seq + 1 - s->first_seq;
	s->bytes = j->active_written;
	s->mtime_ns = journal_now_ns();
	j->durable_seq = last_seq;
	j->st.syncs++;
	pthread_cond_broadcast(&j->durable);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

static int write_chunk(struct journal *j, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = pwrite(j->active_fd, p, n, (off_t)j->active_written);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
		j->active_written += (uint64_t)w;
	}
	return 0;
}

static uint64_t frame_seq(const uint8_t *f)
{
	return (uint64_t)wire_get_u32(f + 8) << 32 | wire_get_u32(f + 12);
}

// Writes and syncs the batch, starting a new segment where the active one
// would pass segment_bytes. Returns 0, or the error; either way
// *durable_upto and *durable_off say how much of the batch is durable.
static int write_batch(struct journal *j, struct jbatch *b, uint64_t *durable_upto,
		       size_t *durable_off)
{
	size_t start = 0, off = 0;
	*durable_upto = b->first_seq - 1;
	*durable_off = 0;
	if (j->active_fd < 0) // a previous failure left no segment
		return -EIO;
	while (off < b->len) {
		uint8_t *f = b->data + off;
		uint32_t len = wire_get_u32(f + 4);
		uint64_t fl = JOURNAL_FRAME_HDR_LEN + (uint64_t)len;
		uint64_t at = j->active_written + (off - start);
		if (at > JOURNAL_SEG_HDR_LEN && at + fl > j->cfg.segment_bytes) {
			int rc = write_chunk(j, b->data + start, off - start);
			if (rc == 0 && off > start)
				rc = sync_active(j, frame_seq(f) - 1);
			if (rc)
				return rc;
			*durable_upto = frame_seq(f) - 1;
			*durable_off = off;
			rc = jseg_create(j, frame_seq(f));
			if (rc)
				return rc;
			start = off;
		}
		jseg_frame_seal(f, len);
		off += fl;
	}
	int rc = write_chunk(j, b->data + start, off - start);
	if (rc == 0)
		rc = sync_active(j, b->last_seq);
	if (rc == 0) {
		*durable_upto = b->last_seq;
		*durable_off = b->len;
	}
	return rc;
}

// After a failed write or sync the active file's state is unknown: keep
// what was durable, and continue in a new segment after the lost records.
static void abandon_active(struct journal *j, uint64_t next_first)
{
	pthread_mutex_lock(&j->mu);
	uint64_t durable_bytes = j->segs[j->n_segs - 1].bytes;
	pthread_mutex_unlock(&j->mu);
	if (j->active_fd >= 0) {
		if (ftruncate(j->active_fd, (off_t)durable_bytes) != 0)
			journal_log(j, LOG_ERR, "journal: cannot cut the failed segment: %s",
				    strerror(errno));
		close(j->active_fd);
		j->active_fd = -1;
	}
	j->active_written = durable_bytes;
	int rc = jseg_create(j, next_first);
	if (rc)
		journal_log(j, LOG_ERR, "journal: cannot start a segment at %" PRIu64 ": %s",
			    next_first, strerror(-rc));
}

// on_durable for the records of b in [first, upto] (none when upto < first).
static void report(struct journal *j, int status, uint64_t first, uint64_t upto,
		   const struct jbatch *b, size_t *tok_i)
{
	size_t i0 = *tok_i;
	while (*tok_i < b->n_tok && b->tok[*tok_i].seq <= upto)
		(*tok_i)++;
	if (j->cfg.on_durable && upto >= first)
		j->cfg.on_durable(j->cfg.ctx, status, first, upto, b->tok + i0, *tok_i - i0);
}

static void commit(struct journal *j, struct jbatch *b)
{
	uint64_t upto;
	size_t durable_off, tok_i = 0;
	int rc = write_batch(j, b, &upto, &durable_off);
	if (rc) {
		journal_log(j, LOG_ERR,
			    "journal: writing records %" PRIu64 "-%" PRIu64 " failed: %s; "
			    "%" PRIu64 " record(s) lost",
			    upto + 1, b->last_seq, strerror(-rc), b->last_seq - upto);
		abandon_active(j, b->last_seq + 1);
	}
	pthread_mutex_lock(&j->mu);
	j->st.batches++;
	if (rc) {
		j->st.io_errors++;
		j->st.lost_records += b->last_seq - upto;
		j->total_bytes -= b->len - durable_off;
		j->last_err = rc;
		j->lost_upto = b->last_seq;
	}
	pthread_mutex_unlock(&j->mu);
	report(j, 0, b->first_seq, upto, b, &tok_i);
	if (rc)
		report(j, rc, upto + 1, b->last_seq, b, &tok_i);
	pthread_mutex_lock(&j->mu);
	j->done_seq = b->last_seq;
	pthread_cond_broadcast(&j->durable);
	pthread_mutex_unlock(&j->mu);
}

// Logs when the journal becomes full and when it stops being full.
static void log_full(struct journal *j, bool *was_full)
{
	if (j->st.full == *was_full)
		return;
	*was_full = j->st.full;
	if (j->st.full)
		journal_log(j, LOG_WARNING,
			    "journal: full (%" PRIu64 " of %" PRIu64 " octets unread): refusing "
			    "informs, %s",
			    j->total_bytes, j->cfg.max_bytes,
			    j->cfg.full_refuse_traps ? "refusing new traps"
						     : "dropping the oldest traps");
	else
		journal_log(j, LOG_NOTICE,
			    "journal: no longer full; %" PRIu64 " inform(s) and %" PRIu64
			    " trap(s) refused, %" PRIu64 " record(s) dropped so far",
			    j->st.refused_full, j->st.refused_traps, j->st.dropped_records);
}

static void *journal_main(void *arg)
{
	struct journal *j = arg;
	struct jbatch spare = {0};
	bool was_full = false;
	int64_t last_sync = 0;
	pthread_mutex_lock(&j->mu);
	for (;;) {
		int64_t next_retain = mono_ns() + RETAIN_CHECK_NS;
		while (!j->stop && !j->pending.first_seq && mono_ns() < next_retain)
			wait_until(&j->work, &j->mu, next_retain);
		if (j->cfg.sync_interval_ns && !j->stop) { // group commit window
			int64_t deadline = last_sync + (int64_t)j->cfg.sync_interval_ns;
			while (!j->stop && mono_ns() < deadline &&
			       j->pending.len < j->cfg.queue_bytes / 2)
				wait_until(&j->work, &j->mu, deadline);
		}
		log_full(j, &was_full);
		retain(j);
		if (!j->pending.first_seq) {
			if (j->stop)
				break;
			continue;
		}
		struct jbatch b = j->pending;
		j->pending = spare;
		pthread_mutex_unlock(&j->mu);
		commit(j, &b);
		last_sync = mono_ns();
		b.len = b.n_tok = 0;
		b.first_seq = b.last_seq = 0;
		spare = b;
		pthread_mutex_lock(&j->mu);
	}
	pthread_mutex_unlock(&j->mu);
	free(spare.data);
	free(spare.tok);
	return NULL;
}

// --- open, close, waiting -----------------------------------------------------------

static int check_cfg(struct journal_cfg *c, char *err, size_t errlen)
{
	if (!c->dir || !*c->dir) {
		snprintf(err, errlen, "journal: no directory");
		return -EINVAL;
	}
	if (!c->max_bytes)
		c->max_bytes = JOURNAL_MAX_BYTES_DEFAULT;
	if (!c->segment_bytes)
		c->segment_bytes = JOURNAL_SEGMENT_BYTES_DEFAULT < c->max_bytes / 4
					   ? JOURNAL_SEGMENT_BYTES_DEFAULT
					   : c->max_bytes / 4;
	if (!c->queue_bytes)
		c->queue_bytes = JOURNAL_QUEUE_BYTES_DEFAULT < c->max_bytes / 4
					 ? JOURNAL_QUEUE_BYTES_DEFAULT
					 : (uint32_t)(c->max_bytes / 4);
	if (c->sync_now)
		c->sync_interval_ns = 0;
	else if (!c->sync_interval_ns)
		c->sync_interval_ns = JOURNAL_SYNC_NS_DEFAULT;
	// the active segment and the queue always fit beside one another
	if (c->segment_bytes > c->max_bytes / 4 || c->queue_bytes > c->max_bytes / 4 ||
	    c->queue_bytes < JOURNAL_QUEUE_BYTES_MIN ||
	    c->segment_bytes < 2 * JOURNAL_SEG_HDR_LEN) {
		snprintf(err, errlen,
			 "journal: segment (%" PRIu64 ") and queue (%u) octets must be at most a "
			 "quarter of max_bytes (%" PRIu64 "), the queue at least %u",
			 c->segment_bytes, c->queue_bytes, c->max_bytes, JOURNAL_QUEUE_BYTES_MIN);
		return -EINVAL;
	}
	return 0;
}

static int init_sync(struct journal *j)
{
	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC))
		return -ENOMEM;
	int rc = pthread_mutex_init(&j->mu, NULL) || pthread_cond_init(&j->work, &ca) ||
		 pthread_cond_init(&j->durable, &ca);
	pthread_condattr_destroy(&ca);
	return rc ? -ENOMEM : 0;
}

static void free_journal(struct journal *j)
{
	if (j->active_fd >= 0)
		close(j->active_fd);
	if (j->dir_fd >= 0)
		close(j->dir_fd);
	pthread_cond_destroy(&j->work);
	pthread_cond_destroy(&j->durable);
	pthread_mutex_destroy(&j->mu);
	free(j->pending.data);
	free(j->pending.tok);
	free(j->segs);
	free(j->dir);
	free(j);
}

struct journal *journal_open(const struct journal_cfg *cfg, char *err, size_t errlen)
{
	struct journal *j = calloc(1, sizeof(*j));
	int rc = -ENOMEM;
	if (!j || init_sync(j)) {
		free(j);
		snprintf(err, errlen, "journal: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	j->cfg = *cfg;
	j->active_fd = -1;
	j->dir_fd = -1;
	rc = check_cfg(&j->cfg, err, errlen);
	if (rc)
		goto fail;
	j->dir = strdup(cfg->dir);
	j->cfg.dir = j->dir;
	if (!j->dir)
		goto fail;
	if (mkdir(j->dir, 0750) != 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "journal %s: %s", j->dir, strerror(errno));
		goto fail;
	}
	j->dir_fd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->dir_fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "journal %s: %s", j->dir, strerror(errno));
		goto fail;
	}
	// one writer per journal: a second daemon on the same directory
	// would interleave its records with ours
	if (flock(j->dir_fd, LOCK_EX | LOCK_NB) != 0) {
		rc = -errno;
		snprintf(err, errlen, "journal %s: %s", j->dir,
			 errno == EWOULDBLOCK ? "in use by another process" : strerror(errno));
		goto fail;
	}
	rc = jseg_recover(j, err, errlen);
	if (rc)
		goto fail;
	rc = -pthread_create(&j->thread, NULL, journal_main, j);
	if (rc) {
		snprintf(err, errlen, "journal: cannot start its thread: %s", strerror(-rc));
		goto fail;
	}
	return j;
fail:
	free_journal(j);
	errno = -rc;
	return NULL;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stop = true;
	pthread_cond_signal(&j->work);
	pthread_mutex_unlock(&j->mu);
	pthread_join(j->thread, NULL);
	free_journal(j);
}

int journal_flush(struct journal *j)
{
	pthread_mutex_lock(&j->mu);
	uint64_t target = j->next_seq - 1, from = j->done_seq;
	pthread_cond_signal(&j->work);
	while (j->done_seq < target)
		pthread_cond_wait(&j->durable, &j->mu);
	int rc = j->lost_upto > from ? j->last_err : 0;
	pthread_mutex_unlock(&j->mu);
	return rc;
}

bool journal_wait(struct journal *j, uint64_t seq, int timeout_ms)
{
	int64_t deadline = mono_ns() + (int64_t)timeout_ms * 1000000;
	pthread_mutex_lock(&j->mu);
	while (j->durable_seq <= seq && mono_ns() < deadline)
		wait_until(&j->durable, &j->mu, deadline);
	bool more = j->durable_seq > seq;
	pthread_mutex_unlock(&j->mu);
	return more;
}

void journal_get_stats(struct journal *j, struct journal_stats *out)
{
	pthread_mutex_lock(&j->mu);
	*out = j->st;
	out->durable_seq = j->durable_seq;
	out->next_seq = j->next_seq;
	out->first_seq = 0;
	for (size_t i = 0; i < j->n_segs && !out->first_seq; i++)
		if (j->segs[i].count)
			out->first_seq = j->segs[i].first_seq;
	out->bytes = j->total_bytes;
	out->segments = (uint32_t)j->n_segs;
	pthread_mutex_unlock(&j->mu);
}
