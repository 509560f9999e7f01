/* SPDX-License-Identifier: BSD-3-Clause */
// Journal readers: each follows the segments in order with its own file
// descriptor, up to the durable end, checking every frame's CRC.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linerate/wire.h>

#include "journal_internal.h"

#define READ_BUF_MIN (64u * 1024)

struct journal_reader *journal_reader_new(struct journal *j, uint64_t from_seq)
{
	struct journal_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cap = READ_BUF_MIN;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->j = j;
	r->fd = -1;
	r->pos = from_seq ? from_seq : 1;
	r->hold = r->pos;
	pthread_mutex_lock(&j->mu);
	r->next = j->readers;
	j->readers = r;
	pthread_mutex_unlock(&j->mu);
	return r;
}

void journal_reader_free(struct journal_reader *r)
{
	if (!r)
		return;
	struct journal *j = r->j;
	pthread_mutex_lock(&j->mu);
	for (struct journal_reader **p = &j->readers; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			break;
		}
	}
	pthread_mutex_unlock(&j->mu);
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r);
}

uint64_t journal_reader_pos(const struct journal_reader *r)
{
	return r->pos;
}

void journal_reader_release(struct journal_reader *r, uint64_t seq)
{
	pthread_mutex_lock(&r->j->mu);
	if (seq > r->hold)
		r->hold = seq;
	pthread_mutex_unlock(&r->j->mu);
}

// Index of the segment holding seq: the last whose first_seq <= seq, or
// n_segs when seq is below them all. j->mu held.
static size_t seg_index(const struct journal *j, uint64_t seq)
{
	size_t lo = 0, hi = j->n_segs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->segs[mid].first_seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : j->n_segs;
}

// Where the reader goes next, under j->mu: moves r->pos over records that
// are gone (counted), says which segment holds it and where that ends.
// Returns false when caught up.
static bool locate(struct journal_reader *r, uint64_t *seg_first, uint64_t *seg_end)
{
	const struct journal *j = r->j;
	if (r->pos > j->durable_seq || j->n_segs == 0)
		return false;
	size_t i = seg_index(j, r->pos);
	if (i == j->n_segs) { // below the oldest segment: deleted
		r->st.skipped += j->segs[0].first_seq - r->pos;
		r->pos = j->segs[0].first_seq;
		i = 0;
	}
	while (i + 1 < j->n_segs && r->pos >= j->segs[i].first_seq + j->segs[i].count) {
		r->st.skipped += j->segs[i + 1].first_seq - r->pos; // a gap
		r->pos = j->segs[++i].first_seq;
	}
	*seg_first = j->segs[i].first_seq;
	*seg_end = i + 1 < j->n_segs ? j->segs[i].first_seq + j->segs[i].count : j->durable_seq + 1;
	return r->pos <= j->durable_seq;
}

static int read_exact(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t got = pread(fd, buf, n, (off_t)off);
	if (got < 0)
		return -errno;
	return (size_t)got == n ? 0 : -EBADMSG;
}

// Reads the frame of record seq at r->off into r->buf; returns its payload
// length, or -EBADMSG (short, bad header, bad CRC), or another errno.
static int64_t read_frame(struct journal_reader *r, uint64_t seq)
{
	int rc = read_exact(r->fd, r->buf, JOURNAL_FRAME_HDR_LEN, r->off);
	if (rc)
		return rc;
	int64_t len = jseg_frame_len(r->buf, seq);
	if (len < 0)
		return len;
	if (JOURNAL_FRAME_HDR_LEN + (size_t)len > r->cap) {
		uint8_t *b = realloc(r->buf, JOURNAL_FRAME_HDR_LEN + JOURNAL_RECORD_MAX);
		if (!b)
			return -ENOMEM;
		r->buf = b;
		r->cap = JOURNAL_FRAME_HDR_LEN + JOURNAL_RECORD_MAX;
	}
	rc = read_exact(r->fd, r->buf + JOURNAL_FRAME_HDR_LEN, (size_t)len,
			r->off + JOURNAL_FRAME_HDR_LEN);
	if (rc)
		return rc;
	return jseg_frame_ok(r->buf, (uint32_t)len) ? len : -EBADMSG;
}

// Opens segment first and walks its frame headers up to record r->pos.
static int open_at(struct journal_reader *r, uint64_t first)
{
	char name[JOURNAL_SEG_NAME_MAX];
	if (r->fd >= 0)
		close(r->fd);
	jseg_name(name, first);
	r->fd = openat(r->j->dir_fd, name, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	r->seg_first = first;
	r->off = JOURNAL_SEG_HDR_LEN;
	for (uint64_t seq = first; seq < r->pos; seq++) {
		uint8_t hdr[JOURNAL_FRAME_HDR_LEN];
		int rc = read_exact(r->fd, hdr, sizeof(hdr), r->off);
		int64_t len = rc ? rc : jseg_frame_len(hdr, seq);
		if (len < 0)
			return (int)len;
		r->off += JOURNAL_FRAME_HDR_LEN + (uint64_t)len;
	}
	return 0;
}

int journal_reader_next(struct journal_reader *r, struct journal_view *v)
{
	struct journal *j = r->j;
	for (;;) {
		uint64_t first, end;
		pthread_mutex_lock(&j->mu);
		bool more = locate(r, &first, &end);
		bool sealed = more && first != j->segs[j->n_segs - 1].first_seq;
		pthread_mutex_unlock(&j->mu);
		if (!more)
			return 0;
		int64_t rc = 0;
		if (r->fd < 0 || r->seg_first != first) {
			rc = open_at(r, first);
			if (rc == -ENOENT) // deleted meanwhile: locate skips it
				continue;
		}
		if (rc == 0)
			rc = read_frame(r, r->pos);
		if (rc >= 0) {
			v->seq = r->pos++;
			v->data = r->buf + JOURNAL_FRAME_HDR_LEN;
			v->len = (uint32_t)rc;
			r->off += JOURNAL_FRAME_HDR_LEN + (uint64_t)rc;
			r->st.read++;
			return 1;
		}
		if (rc != -EBADMSG || !sealed)
			return (int)rc;
		// a damaged sealed segment: the rest of it is unreadable
		r->st.corrupt += end - r->pos;
		r->pos = end;
		close(r->fd);
		r->fd = -1;
	}
}

void journal_reader_get_stats(struct journal_reader *r, struct journal_reader_stats *out)
{
	const struct journal *j = r->j;
	pthread_mutex_lock(&r->j->mu);
	*out = r->st;
	out->lag_records = j->durable_seq >= r->pos ? j->durable_seq + 1 - r->pos : 0;
	out->lag_bytes = 0;
	for (size_t i = 0; out->lag_records && i < j->n_segs; i++) {
		const struct jseg *s = &j->segs[i];
		bool last = i + 1 == j->n_segs;
		if (!last && s->first_seq + s->count <= r->pos)
			continue; // read already
		uint64_t from = JOURNAL_SEG_HDR_LEN;
		if (r->fd >= 0 && r->seg_first == s->first_seq)
			from = r->off;
		out->lag_bytes += s->bytes > from ? s->bytes - from : 0;
	}
	pthread_mutex_unlock(&r->j->mu);
}
