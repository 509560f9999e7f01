/* SPDX-License-Identifier: BSD-3-Clause */
// The file sink: JSON Lines (sink_json.c), one object per trap, appended
// to NAME; rotated by size and by age to NAME.YYYYmmddTHHMMSS (UTC, with
// .1, .2, ... when that name is taken); fsync per commit, per interval or
// never. Lines are gathered per batch and written at commit.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sink.h"

struct sink_file {
	struct sink_file_cfg cfg;
	char *path;
	int fd;
	uint64_t size; // of the file, written octets
	int64_t opened_ns;
	int64_t synced_ns;
	struct sink_buf buf;  // lines not yet written
	struct sink_buf line; // the line being rendered
	struct sink_file_stats st;
};

#define COUNT(f, field, n) __atomic_fetch_add(&(f)->st.field, (n), __ATOMIC_RELAXED)

static int64_t now_ns(const struct sink_file *f)
{
	struct timespec ts;
	if (f->cfg.now_ns)
		return f->cfg.now_ns();
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

// A line cut short when the process died mid-write (kill -9, a crash) is
// cut off the file's end, back to its last newline: the record it held
// comes again, since the sink's cursor is saved only after a commit
// (sink.h: at least once across crashes), and appending behind the torn
// part would merge it with the next line into one that is not JSON.
static int cut_torn_tail(struct sink_file *f)
{
	char chunk[4096];
	uint64_t end = f->size;
	while (end > 0) {
		size_t n = end < sizeof(chunk) ? (size_t)end : sizeof(chunk);
		ssize_t got = pread(f->fd, chunk, n, (off_t)(end - n));
		if (got != (ssize_t)n)
			return got < 0 ? -errno : -EIO;
		size_t i = n;
		while (i > 0 && chunk[i - 1] != '\n')
			i--;
		end -= n - i;
		if (i > 0)
			break;
	}
	if (end == f->size)
		return 0;
	if (ftruncate(f->fd, (off_t)end) != 0)
		return -errno;
	COUNT(f, torn_cut, f->size - end);
	f->size = end;
	return 0;
}

static int open_file(struct sink_file *f)
{
	struct stat st;
	f->fd = open(f->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (f->fd < 0 || fstat(f->fd, &st) != 0)
		return -errno;
	f->size = (uint64_t)st.st_size;
	f->opened_ns = now_ns(f);
	return S_ISREG(st.st_mode) ? cut_torn_tail(f) : 0; // not a FIFO's or a device's
}

// Writes the gathered lines; on failure keeps what was not written.
static int write_out(struct sink_file *f)
{
	size_t done = 0;
	int rc = 0;
	while (done < f->buf.len) {
		ssize_t n = write(f->fd, f->buf.p + done, f->buf.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			COUNT(f, write_errors, 1);
			break;
		}
		done += (size_t)n;
	}
	if (done < f->buf.len) // (an empty buffer may have no memory yet: no memmove(NULL))
		memmove(f->buf.p, f->buf.p + done, f->buf.len - done);
	f->buf.len -= done;
	f->size += done;
	COUNT(f, bytes, done);
	return rc;
}

static int sync_file(struct sink_file *f)
{
	if (fdatasync(f->fd) != 0)
		return -errno;
	f->synced_ns = now_ns(f);
	COUNT(f, fsyncs, 1);
	return 0;
}

// NAME.YYYYmmddTHHMMSS, or with .N after it when that is taken.
static int rotated_name(const struct sink_file *f, char *out, size_t cap)
{
	char stamp[32];
	struct tm tm;
	time_t sec = (time_t)(now_ns(f) / 1000000000);
	gmtime_r(&sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	for (unsigned i = 0; i < 1000; i++) {
		int n = i ? snprintf(out, cap, "%s.%s.%u", f->path, stamp, i)
			  : snprintf(out, cap, "%s.%s", f->path, stamp);
		if (n < 0 || (size_t)n >= cap)
			return -ENAMETOOLONG;
		if (access(out, F_OK) != 0)
			return 0;
	}
	return -EEXIST;
}

static int rotate(struct sink_file *f)
{
	char name[4096];
	bool durable = f->cfg.fsync != SINK_FSYNC_NEVER;
	int rc = write_out(f);
	if (rc == 0 && durable)
		rc = sync_file(f);
	if (rc == 0)
		rc = rotated_name(f, name, sizeof(name));
	if (rc == 0 && rename(f->path, name) != 0)
		rc = -errno;
	if (rc)
		return rc;
	close(f->fd);
	rc = open_file(f);
	if (rc == 0 && durable)
		rc = sink_fsync_dir(f->path);
	COUNT(f, rotations, 1);
	return rc;
}

static bool too_old(const struct sink_file *f)
{
	return f->cfg.rotate_s && f->size + f->buf.len > 0 &&
	       now_ns(f) - f->opened_ns >= (int64_t)f->cfg.rotate_s * 1000000000;
}

static int file_emit(void *impl, uint64_t seq, const struct trap_rec *rec)
{
	struct sink_file *f = impl;
	f->line.len = 0;
	int rc = sink_json_render(&f->line, seq, rec, &f->cfg.names);
	if (rc)
		return rc;
	uint64_t ahead = f->size + f->buf.len;
	bool big =
		f->cfg.rotate_bytes && ahead > 0 && ahead + f->line.len + 1 > f->cfg.rotate_bytes;
	if (big || too_old(f)) {
		rc = rotate(f);
		if (rc)
			return rc;
	}
	rc = sink_buf_put(&f->buf, f->line.p, f->line.len);
	if (rc == 0)
		rc = sink_buf_put(&f->buf, "\n", 1);
	if (rc)
		return rc;
	COUNT(f, lines, 1);
	return 0;
}

static int file_commit(void *impl)
{
	struct sink_file *f = impl;
	int rc = write_out(f);
	if (rc)
		return rc;
	switch (f->cfg.fsync) {
	case SINK_FSYNC_BATCH:
		return sync_file(f);
	case SINK_FSYNC_INTERVAL:
		if (now_ns(f) - f->synced_ns >= (int64_t)f->cfg.fsync_interval_ms * 1000000)
			return sync_file(f);
		return 0;
	default:
		return 0;
	}
}

static void file_tick(void *impl)
{
	struct sink_file *f = impl;
	if (too_old(f))
		rotate(f); // a failure is counted; the next tick tries again
}

static void file_free(void *impl)
{
	struct sink_file *f = impl;
	if (!f)
		return;
	if (f->fd >= 0) {
		write_out(f);
		if (f->cfg.fsync != SINK_FSYNC_NEVER)
			sync_file(f);
		close(f->fd);
	}
	sink_buf_free(&f->buf);
	sink_buf_free(&f->line);
	free(f->path);
	free(f);
}

const struct sink_ops sink_file_ops = {
	.kind = "file",
	.emit = file_emit,
	.commit = file_commit,
	.tick = file_tick,
	.free = file_free,
};

void *sink_file_new(const struct sink_file_cfg *cfg, char *err, size_t errlen)
{
	struct sink_file *f = calloc(1, sizeof(*f));
	if (!f || !cfg->path || !(f->path = strdup(cfg->path))) {
		snprintf(err, errlen, "file sink: %s", f ? "no path" : "no memory");
		free(f);
		errno = f ? EINVAL : ENOMEM;
		return NULL;
	}
	f->cfg = *cfg;
	f->cfg.path = f->path;
	int rc = open_file(f);
	if (rc) {
		snprintf(err, errlen, "file sink %s: %s", f->path, strerror(-rc));
		file_free(f);
		errno = -rc;
		return NULL;
	}
	f->synced_ns = f->opened_ns;
	return f;
}

void sink_file_get_stats(const void *impl, struct sink_file_stats *out)
{
	const struct sink_file *f = impl;
	out->lines = __atomic_load_n(&f->st.lines, __ATOMIC_RELAXED);
	out->bytes = __atomic_load_n(&f->st.bytes, __ATOMIC_RELAXED);
	out->rotations = __atomic_load_n(&f->st.rotations, __ATOMIC_RELAXED);
	out->fsyncs = __atomic_load_n(&f->st.fsyncs, __ATOMIC_RELAXED);
	out->write_errors = __atomic_load_n(&f->st.write_errors, __ATOMIC_RELAXED);
	out->torn_cut = __atomic_load_n(&f->st.torn_cut, __ATOMIC_RELAXED);
}
