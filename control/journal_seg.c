/* SPDX-License-Identifier: BSD-3-Clause */
// Journal segment files: names, headers, record frames, CRC32C, and the
// recovery at open that cuts a torn tail (format in journal.h).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <linerate/wire.h>

#include "journal_internal.h"

// --- CRC32C ----------------------------------------------------------------

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1))); // reflected 0x1edc6f41
		crc_table[i] = c;
	}
}

uint32_t journal_crc32c_sw(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;
	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const void *p,
							       size_t n)
{
	const uint8_t *b = p;
	uint64_t c = ~crc;
	for (; n >= 8; n -= 8, b += 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		c = __builtin_ia32_crc32di(c, w);
	}
	uint32_t c32 = (uint32_t)c;
	while (n--)
		c32 = __builtin_ia32_crc32qi(c32, *b++);
	return ~c32;
}
#endif

uint32_t journal_crc32c(uint32_t crc, const void *p, size_t n)
{
#if defined(__x86_64__)
	if (__builtin_cpu_supports("sse4.2"))
		return crc32c_sse42(crc, p, n);
#endif
	return journal_crc32c_sw(crc, p, n);
}

// --- names, headers, frames ---------------------------------------------------

void jseg_name(char out[JOURNAL_SEG_NAME_MAX], uint64_t first_seq)
{
	snprintf(out, JOURNAL_SEG_NAME_MAX, "%020" PRIu64 ".seg", first_seq);
}

// The first sequence number a segment file name carries, or 0.
static uint64_t parse_name(const char *name)
{
	if (strlen(name) != 24 || strcmp(name + 20, ".seg") != 0)
		return 0;
	uint64_t v = 0;
	for (int i = 0; i < 20; i++) {
		if (name[i] < '0' || name[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	return v;
}

static void put_u64(uint8_t *p, uint64_t v)
{
	wire_put_u32(p, (uint32_t)(v >> 32));
	wire_put_u32(p + 4, (uint32_t)v);
}

static uint64_t get_u64(const uint8_t *p)
{
	return (uint64_t)wire_get_u32(p) << 32 | wire_get_u32(p + 4);
}

static void seg_header(uint8_t h[JOURNAL_SEG_HDR_LEN], uint64_t first_seq, int64_t now)
{
	memset(h, 0, JOURNAL_SEG_HDR_LEN);
	memcpy(h, JOURNAL_MAGIC, 8);
	wire_put_u16(h + 8, JOURNAL_FORMAT);
	wire_put_u16(h + 10, JOURNAL_SEG_HDR_LEN);
	put_u64(h + 16, first_seq);
	put_u64(h + 24, (uint64_t)now);
	wire_put_u32(h + 12, journal_crc32c(0, h, JOURNAL_SEG_HDR_LEN));
}

static bool seg_header_ok(const uint8_t h[JOURNAL_SEG_HDR_LEN], uint64_t first_seq)
{
	uint8_t copy[JOURNAL_SEG_HDR_LEN];
	memcpy(copy, h, sizeof(copy));
	memset(copy + 12, 0, 4);
	return memcmp(h, JOURNAL_MAGIC, 8) == 0 && wire_get_u16(h + 8) == JOURNAL_FORMAT &&
	       wire_get_u16(h + 10) == JOURNAL_SEG_HDR_LEN && get_u64(h + 16) == first_seq &&
	       wire_get_u32(h + 12) == journal_crc32c(0, copy, sizeof(copy));
}

int64_t jseg_frame_len(const uint8_t hdr[JOURNAL_FRAME_HDR_LEN], uint64_t want_seq)
{
	uint32_t len = wire_get_u32(hdr + 4);
	if (len == 0 || len > JOURNAL_RECORD_MAX || get_u64(hdr + 8) != want_seq)
		return -EBADMSG;
	return len;
}

bool jseg_frame_ok(const uint8_t *frame, uint32_t len)
{
	return wire_get_u32(frame) == journal_crc32c(0, frame + 4, JOURNAL_FRAME_HDR_LEN - 4 + len);
}

void jseg_frame_seal(uint8_t *frame, uint32_t len)
{
	wire_put_u32(frame, journal_crc32c(0, frame + 4, JOURNAL_FRAME_HDR_LEN - 4 + len));
}

void journal_log(struct journal *j, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!j->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j->cfg.log(j->cfg.ctx, level, msg);
}

int64_t journal_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

// --- creating a segment --------------------------------------------------------

static int push_seg(struct journal *j, const struct jseg *s)
{
	if (j->n_segs == j->cap_segs) {
		size_t cap = j->cap_segs ? 2 * j->cap_segs : 16;
		struct jseg *n = realloc(j->segs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		j->segs = n;
		j->cap_segs = cap;
	}
	j->segs[j->n_segs++] = *s;
	return 0;
}

int jseg_create(struct journal *j, uint64_t first_seq)
{
	char name[JOURNAL_SEG_NAME_MAX];
	uint8_t h[JOURNAL_SEG_HDR_LEN];
	int64_t now = journal_now_ns();
	jseg_name(name, first_seq);
	int fd = openat(j->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	seg_header(h, first_seq, now);
	// the header and the directory entry are durable before any record
	// is acknowledged from this file
	if (pwrite(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || fdatasync(fd) != 0 ||
	    fsync(j->dir_fd) != 0) {
		int rc = errno ? -errno : -EIO;
		close(fd);
		unlinkat(j->dir_fd, name, 0);
		return rc;
	}
	struct jseg s = {.first_seq = first_seq, .bytes = sizeof(h), .mtime_ns = now};
	pthread_mutex_lock(&j->mu);
	int rc = push_seg(j, &s);
	if (rc == 0)
		j->total_bytes += sizeof(h);
	pthread_mutex_unlock(&j->mu);
	if (rc) {
		close(fd);
		return rc;
	}
	if (j->active_fd >= 0)
		close(j->active_fd);
	j->active_fd = fd;
	j->active_written = sizeof(h);
	return 0;
}

// --- recovery ----------------------------------------------------------------

static int cmp_seg(const void *a, const void *b)
{
	const struct jseg *x = a, *y = b;
	return x->first_seq < y->first_seq ? -1 : x->first_seq > y->first_seq;
}

static int list_segments(struct journal *j)
{
	int fd = dup(j->dir_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		int rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rewinddir(d);
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct jseg s = {.first_seq = parse_name(e->d_name)};
		if (s.first_seq)
			rc = push_seg(j, &s);
	}
	closedir(d);
	if (j->n_segs)
		qsort(j->segs, j->n_segs, sizeof(*j->segs), cmp_seg);
	return rc;
}

// Opens segment s and checks its header; fills bytes and mtime. Returns
// the fd, or -EBADMSG (bad or short header), or another negative errno.
static int open_seg(struct journal *j, struct jseg *s, int flags)
{
	char name[JOURNAL_SEG_NAME_MAX];
	uint8_t h[JOURNAL_SEG_HDR_LEN];
	struct stat st;
	jseg_name(name, s->first_seq);
	int fd = openat(j->dir_fd, name, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !seg_header_ok(h, s->first_seq)) {
		close(fd);
		return -EBADMSG;
	}
	s->bytes = (uint64_t)st.st_size;
	s->mtime_ns = mtime_ns(&st);
	return fd;
}

// Reads the frames of the segment from its header on: count and the end
// of the last intact record in s.
static int scan_seg(int fd, struct jseg *s)
{
	uint8_t *buf = malloc(JOURNAL_FRAME_HDR_LEN + JOURNAL_RECORD_MAX);
	if (!buf)
		return -ENOMEM;
	uint64_t off = JOURNAL_SEG_HDR_LEN;
	s->count = 0;
	for (;;) {
		ssize_t n = pread(fd, buf, JOURNAL_FRAME_HDR_LEN, (off_t)off);
		if (n != JOURNAL_FRAME_HDR_LEN)
			break;
		int64_t len = jseg_frame_len(buf, s->first_seq + s->count);
		if (len < 0)
			break;
		n = pread(fd, buf + JOURNAL_FRAME_HDR_LEN, (size_t)len,
			  (off_t)(off + JOURNAL_FRAME_HDR_LEN));
		if (n != len || !jseg_frame_ok(buf, (uint32_t)len))
			break;
		off += JOURNAL_FRAME_HDR_LEN + (uint64_t)len;
		s->count++;
	}
	free(buf);
	s->bytes = off;
	return 0;
}

// Sets the bad segment aside (NAME.bad) for the operator to look at.
static void set_aside(struct journal *j, const struct jseg *s, const char *why)
{
	char name[JOURNAL_SEG_NAME_MAX], bad[JOURNAL_SEG_NAME_MAX + 4];
	jseg_name(name, s->first_seq);
	snprintf(bad, sizeof(bad), "%s.bad", name);
	renameat(j->dir_fd, name, j->dir_fd, bad);
	journal_log(j, LOG_ERR, "journal: segment %s %s; set aside as %s", name, why, bad);
}

// The last segment: a bad header means a crash while creating it (before
// any record in it was durable); a torn record at its end is cut.
static int recover_last(struct journal *j)
{
	while (j->n_segs) {
		struct jseg *s = &j->segs[j->n_segs - 1];
		uint64_t size;
		int fd = open_seg(j, s, O_RDWR);
		if (fd == -EBADMSG) {
			set_aside(j, s, "has no valid header (torn creation)");
			j->n_segs--;
			continue;
		}
		if (fd < 0)
			return fd;
		size = s->bytes;
		int rc = scan_seg(fd, s);
		if (rc == 0 && s->bytes < size) {
			if (ftruncate(fd, (off_t)s->bytes) != 0 || fdatasync(fd) != 0)
				rc = -errno;
			j->st.torn_cut_bytes += size - s->bytes;
			journal_log(j, LOG_WARNING,
				    "journal: cut %" PRIu64 " octets of torn record(s) after "
				    "sequence %" PRIu64,
				    size - s->bytes, s->first_seq + s->count - 1);
		}
		if (rc) {
			close(fd);
			return rc;
		}
		j->active_fd = fd;
		j->active_written = s->bytes;
		return 0;
	}
	return 0;
}

int jseg_recover(struct journal *j, char *err, size_t errlen)
{
	int rc = list_segments(j);
	if (rc) {
		snprintf(err, errlen, "journal %s: cannot list: %s", j->dir, strerror(-rc));
		return rc;
	}
	// sealed segments: headers only; their count is up to the next one
	size_t kept = 0;
	for (size_t i = 0; i + 1 < j->n_segs; i++) {
		int fd = open_seg(j, &j->segs[i], O_RDONLY);
		if (fd == -EBADMSG) {
			set_aside(j, &j->segs[i], "has a bad header");
			continue;
		}
		if (fd < 0) {
			snprintf(err, errlen, "journal %s: %s", j->dir, strerror(-fd));
			return fd;
		}
		close(fd);
		j->segs[kept++] = j->segs[i];
	}
	if (j->n_segs)
		j->segs[kept++] = j->segs[j->n_segs - 1];
	j->n_segs = kept;
	rc = recover_last(j);
	if (rc) {
		snprintf(err, errlen, "journal %s: recovering the last segment: %s", j->dir,
			 strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i + 1 < j->n_segs; i++)
		j->segs[i].count = j->segs[i + 1].first_seq - j->segs[i].first_seq;
	for (size_t i = 0; i < j->n_segs; i++)
		j->total_bytes += j->segs[i].bytes;
	if (j->n_segs == 0) {
		rc = jseg_create(j, 1);
		if (rc) {
			snprintf(err, errlen, "journal %s: cannot create a segment: %s", j->dir,
				 strerror(-rc));
			return rc;
		}
	}
	const struct jseg *last = &j->segs[j->n_segs - 1];
	j->next_seq = last->first_seq + last->count;
	j->durable_seq = j->next_seq - 1;
	j->done_seq = j->durable_seq;
	return 0;
}
