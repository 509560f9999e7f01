/* SPDX-License-Identifier: BSD-3-Clause */
// The sink core: reader, cursor, batches, retries, the sink's thread.
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sink.h"

struct sink {
	struct journal *j;
	struct journal_reader *r;
	struct sink_cfg cfg;
	char *name, *cursor_path;
	const struct sink_ops *ops;
	void *impl;
	struct journal_view held; // read, not yet emitted (the sink was down)
	bool holding;
	bool emitted;	      // since the last commit
	uint64_t uncommitted; // records emitted since the last commit
	uint64_t cursor;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu; // stop, the stats
	pthread_cond_t cv;
	bool stop;
	struct sink_stats st;
	uint64_t unsent; // read, not committed: held + uncommitted (under mu)
	// receive times: of the last record emitted, of the first emitted since
	// the last commit, of the held one
	uint64_t emitted_rx_ns, first_rx_ns, held_rx_ns;
};

static void sink_log(struct sink *s, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void sink_log(struct sink *s, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!s->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->cfg.log(s->cfg.log_ctx, level, msg);
}

// --- cursor files ---------------------------------------------------------------

int sink_cursor_load(const char *path, uint64_t *next_seq)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*next_seq = 1;
		return 0;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	const char *p = buf + strlen("next_seq=");
	if (strncmp(buf, "next_seq=", 9) != 0 || *p < '1' || *p > '9')
		return -EBADMSG;
	uint64_t v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EBADMSG;
		v = v * 10 + d;
	}
	if (strcmp(p, "\n") != 0)
		return -EBADMSG;
	*next_seq = v;
	return 0;
}

int sink_fsync_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) ? -errno : 0;
	close(fd);
	return rc;
}

int sink_cursor_save(const char *path, uint64_t next_seq)
{
	char tmp[4096], line[40];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	int len = snprintf(line, sizeof(line), "next_seq=%" PRIu64 "\n", next_seq);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (write(fd, line, (size_t)len) != len || fsync(fd) != 0)
		rc = errno ? -errno : -EIO;
	close(fd);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	return sink_fsync_dir(path);
}

// --- the core --------------------------------------------------------------------

struct sink *sink_new(struct journal *j, const struct sink_cfg *cfg, const struct sink_ops *ops,
		      void *impl, char *err, size_t errlen)
{
	struct sink *s = calloc(1, sizeof(*s));
	int rc = -ENOMEM;
	if (!s || !cfg->name || !cfg->cursor_path) {
		rc = s ? -EINVAL : -ENOMEM;
		snprintf(err, errlen, "sink: %s",
			 s ? "needs a name and a cursor path" : "no memory");
		goto fail;
	}
	s->j = j;
	s->cfg = *cfg;
	s->ops = ops;
	s->impl = impl;
	s->name = strdup(cfg->name);
	s->cursor_path = strdup(cfg->cursor_path);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (!s->name || !s->cursor_path)
		goto fail;
	s->cfg.name = s->name;
	s->cfg.cursor_path = s->cursor_path;
	if (!s->cfg.batch)
		s->cfg.batch = SINK_BATCH_DEFAULT;
	if (!s->cfg.retry_ms)
		s->cfg.retry_ms = SINK_RETRY_MS_DEFAULT;
	rc = sink_cursor_load(s->cursor_path, &s->cursor);
	if (rc) {
		snprintf(err, errlen, "sink %s: cursor %s: %s", s->name, s->cursor_path,
			 rc == -EBADMSG ? "not a cursor file" : strerror(-rc));
		goto fail;
	}
	s->r = journal_reader_new(j, s->cursor);
	if (!s->r) {
		rc = -errno;
		snprintf(err, errlen, "sink %s: %s", s->name, strerror(errno));
		goto fail;
	}
	s->st.cursor = s->cursor;
	return s;
fail:
	if (s) {
		free(s->name);
		free(s->cursor_path);
		free(s);
	}
	if (impl && ops->free)
		ops->free(impl);
	errno = -rc;
	return NULL;
}

// Emits the held record (or skips it when it does not decode); returns 0,
// or the sink's error when it is down.
static int emit_held(struct sink *s)
{
	struct trap_rec rec;
	int drc = trap_rec_decode(&rec, s->held.data, s->held.len);
	if (drc == 0 && rec.len == s->held.len) {
		if (s->cfg.names_lock)
			pthread_rwlock_rdlock(s->cfg.names_lock);
		int rc = s->ops->emit(s->impl, s->held.seq, &rec);
		if (s->cfg.names_lock)
			pthread_rwlock_unlock(s->cfg.names_lock);
		if (rc) {
			s->held_rx_ns = rec.meta.rx_ns;
			return rc;
		}
		s->emitted = true;
		if (!s->uncommitted++)
			s->first_rx_ns = rec.meta.rx_ns;
		s->emitted_rx_ns = rec.meta.rx_ns;
	} else {
		pthread_mutex_lock(&s->mu);
		s->st.bad_records++;
		pthread_mutex_unlock(&s->mu);
		sink_log(s, LOG_WARNING, "sink %s: record %" PRIu64 " skipped: %s", s->name,
			 s->held.seq, drc ? trap_rec_strerror(drc) : "octets after the record");
	}
	s->holding = false;
	return 0;
}

static void set_down(struct sink *s, bool down, int rc)
{
	pthread_mutex_lock(&s->mu);
	s->unsent = s->holding + s->uncommitted;
	s->st.oldest_rx_ns = s->uncommitted ? s->first_rx_ns : s->holding ? s->held_rx_ns : 0;
	if (down)
		s->st.failures++;
	bool was = s->st.down;
	s->st.down = down;
	pthread_mutex_unlock(&s->mu);
	if (down && !was)
		sink_log(s, LOG_ERR, "sink %s: down (%s); lagging from record %" PRIu64, s->name,
			 strerror(-rc), s->cursor);
	else if (!down && was)
		sink_log(s, LOG_NOTICE, "sink %s: up again at record %" PRIu64, s->name, s->cursor);
}

// Commits what was emitted and moves the cursor to next.
static int commit(struct sink *s, uint64_t next)
{
	int rc = s->emitted ? s->ops->commit(s->impl) : 0;
	if (rc == 0 && next != s->cursor)
		rc = sink_cursor_save(s->cursor_path, next);
	if (rc)
		return rc;
	s->emitted = false;
	s->cursor = next;
	journal_reader_release(s->r, next);
	pthread_mutex_lock(&s->mu);
	s->st.cursor = next;
	s->st.delivered += s->uncommitted;
	if (s->uncommitted)
		s->st.last_rx_ns = s->emitted_rx_ns;
	pthread_mutex_unlock(&s->mu);
	s->uncommitted = 0;
	return 0;
}

int sink_poll(struct sink *s)
{
	uint32_t n = 0;
	int rc = 0;
	while (n < s->cfg.batch) {
		if (!s->holding) {
			rc = journal_reader_next(s->r, &s->held);
			if (rc <= 0)
				break;
			s->holding = true;
		}
		rc = emit_held(s);
		if (rc)
			break;
		n++;
	}
	uint64_t next = s->holding ? s->held.seq : journal_reader_pos(s->r);
	if (rc == 0)
		rc = commit(s, next);
	else if (n)
		commit(s, next); // what went out before the failure
	set_down(s, rc < 0, rc);
	return rc < 0 ? rc : (int)n;
}

void sink_io_stats_load(const struct sink_io_stats *src, struct sink_io_stats *out)
{
	out->sent = __atomic_load_n(&src->sent, __ATOMIC_RELAXED);
	out->failed = __atomic_load_n(&src->failed, __ATOMIC_RELAXED);
	out->reconnects = __atomic_load_n(&src->reconnects, __ATOMIC_RELAXED);
}

void sink_get_stats(struct sink *s, struct sink_stats *out)
{
	struct journal_reader_stats rs;
	journal_reader_get_stats(s->r, &rs);
	pthread_mutex_lock(&s->mu);
	*out = s->st;
	pthread_mutex_unlock(&s->mu);
	out->skipped = rs.skipped;
	out->corrupt = rs.corrupt;
	// the held record and those emitted but not committed were read but
	// are still to deliver
	pthread_mutex_lock(&s->mu);
	out->lag_records = rs.lag_records + s->unsent;
	pthread_mutex_unlock(&s->mu);
	out->lag_bytes = rs.lag_bytes;
	if (s->ops->io_stats)
		s->ops->io_stats(s->impl, &out->io);
}

// --- the sink's thread --------------------------------------------------------------

static bool wait_stop(struct sink *s, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&s->mu);
	if (!s->stop)
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	bool stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

static bool stopping(struct sink *s)
{
	pthread_mutex_lock(&s->mu);
	bool stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

// Sinks only lag: every record stays in the journal until each sink's
// cursor passes it. So a sink thread runs below the workers and the
// journal thread wherever it shares a core with them, and a sink busy
// rendering a burst takes only the CPU they leave (on dedicated worker
// cores this changes nothing).
#define SINK_NICE 10

static void *sink_main(void *arg)
{
	struct sink *s = arg;
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), SINK_NICE);
	while (!stopping(s)) {
		int rc = sink_poll(s);
		if (s->ops->tick)
			s->ops->tick(s->impl);
		if (rc < 0) {
			if (wait_stop(s, s->cfg.retry_ms))
				break;
		} else if (rc == 0) {
			journal_wait(s->j, journal_reader_pos(s->r) - 1, 100);
		}
	}
	return NULL;
}

int sink_start(struct sink *s)
{
	int rc = pthread_create(&s->thread, NULL, sink_main, s);
	if (rc)
		return -rc;
	s->started = true;
	return 0;
}

void sink_free(struct sink *s)
{
	if (!s)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	uint64_t next = s->holding ? s->held.seq : journal_reader_pos(s->r);
	if (commit(s, next) != 0)
		sink_log(s, LOG_WARNING,
			 "sink %s: final commit failed; records from %" PRIu64 " will come again",
			 s->name, s->cursor);
	journal_reader_free(s->r);
	if (s->ops->free)
		s->ops->free(s->impl);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s->name);
	free(s->cursor_path);
	free(s);
}
