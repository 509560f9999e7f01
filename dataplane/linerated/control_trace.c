/* SPDX-License-Identifier: BSD-3-Clause */
// `trace start|stop|status`: received frames of chosen kinds into a pcapng
// file (the seeds' packet-trace and bad-packet events). The workers copy
// snaps into per-worker SPSC rings (trace.c); a control thread drains them
// into the file, one Enhanced Packet Block per frame with the classifier's
// verdict as its comment ("dns", "snmp", "drop:malformed_l3", ...), and
// stops the trace itself when the packet or octet budget is spent.
//
// pcapng (draft-ietf-opsawg-pcapng): a Section Header Block, one Interface
// Description Block per port (Ethernet, its name, nanosecond timestamps),
// then the packets.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "control.h"
#include "control_ops.h"
#include "trace.h"

#define TRACE_DRAIN_BURST  64
#define TRACE_IDLE_US	   1000
#define TRACE_MAX_PACKETS  1000000	 // default budget
#define TRACE_MAX_BYTES	   (64ull << 20) // default budget, file octets of packet data
#define PCAPNG_SHB	   0x0A0D0D0Au
#define PCAPNG_IDB	   0x00000001u
#define PCAPNG_EPB	   0x00000006u
#define PCAPNG_MAGIC	   0x1A2B3C4Du
#define PCAPNG_LINK_ETHER  1
#define PCAPNG_OPT_END	   0
#define PCAPNG_OPT_COMMENT 1
#define PCAPNG_IF_NAME	   2
#define PCAPNG_IF_TSRESOL  9
#define PCAPNG_SHB_APPL	   4

// Everything below is the control thread's, but for `written`, `bytes`
// and `done`, which the writer thread updates while a trace runs.
static struct {
	bool running;
	struct lr_trace_worker *tw; // one per worker, rte_zmalloc'd at the first start
	unsigned ntw;
	FILE *f;
	char path[4096];
	char kinds_text[256];
	uint64_t kinds;
	uint16_t snaplen;
	uint64_t max_packets, max_bytes;
	uint32_t started;
	pthread_t thread;
	atomic_bool stop; // the writer drains what is left and ends
	atomic_bool done; // the budget is spent: the workers were told to stop
	_Atomic uint64_t written, bytes, over_budget, write_errors;
} tr;

// --- pcapng ---

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void put16(FILE *f, uint16_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

// An option: code, length, value, padding to 32 bits.
static void put_opt(FILE *f, uint16_t code, const void *val, size_t len)
{
	static const uint8_t zero[4];
	put16(f, code);
	put16(f, (uint16_t)len);
	fwrite(val, 1, len, f);
	fwrite(zero, 1, pad4(len) - len, f);
}

static size_t opt_size(size_t len)
{
	return 4 + pad4(len);
}

static void put_shb(FILE *f)
{
	static const char appl[] = "linerated";
	uint32_t len = (uint32_t)(28 + opt_size(sizeof(appl) - 1) + 4);
	put32(f, PCAPNG_SHB);
	put32(f, len);
	put32(f, PCAPNG_MAGIC);
	put16(f, 1); // version 1.0
	put16(f, 0);
	put32(f, 0xffffffffu); // section length: not given
	put32(f, 0xffffffffu);
	put_opt(f, PCAPNG_SHB_APPL, appl, sizeof(appl) - 1);
	put32(f, PCAPNG_OPT_END);
	put32(f, len);
}

static void put_idb(FILE *f, const char *name, uint16_t snaplen)
{
	const uint8_t tsresol = 9; // 10^-9 s
	size_t nlen = strlen(name);
	uint32_t len = (uint32_t)(20 + opt_size(nlen) + opt_size(1) + 4);
	put32(f, PCAPNG_IDB);
	put32(f, len);
	put16(f, PCAPNG_LINK_ETHER);
	put16(f, 0);
	put32(f, snaplen);
	put_opt(f, PCAPNG_IF_NAME, name, nlen);
	put_opt(f, PCAPNG_IF_TSRESOL, &tsresol, 1);
	put32(f, PCAPNG_OPT_END);
	put32(f, len);
}

// The comment of a record: its verdict, drops marked as such.
static int rec_comment(const struct lr_trace_rec *r, char *buf, size_t cap)
{
	enum dp_pkt_verdict v = (enum dp_pkt_verdict)r->verdict;
	return snprintf(buf, cap, "%s%s", dp_pkt_is_drop(v) ? "drop:" : "", dp_pkt_verdict_name(v));
}

static void put_epb(FILE *f, const struct lr_trace_rec *r)
{
	static const uint8_t zero[4];
	char comment[64];
	size_t clen = (size_t)rec_comment(r, comment, sizeof(comment));
	uint32_t len = (uint32_t)(28 + pad4(r->cap_len) + opt_size(clen) + 4 + 4);
	put32(f, PCAPNG_EPB);
	put32(f, len);
	put32(f, r->port);
	put32(f, (uint32_t)(r->ts_ns >> 32));
	put32(f, (uint32_t)r->ts_ns);
	put32(f, r->cap_len);
	put32(f, r->orig_len);
	fwrite(r->data, 1, r->cap_len, f);
	fwrite(zero, 1, pad4(r->cap_len) - r->cap_len, f);
	put_opt(f, PCAPNG_OPT_COMMENT, comment, clen);
	put32(f, PCAPNG_OPT_END);
	put32(f, len);
}

// --- the writer thread ---

static void workers_publish(bool on)
{
	for (unsigned i = 0; i < tr.ntw; i++)
		atomic_store_explicit(&lr.workers[i].trace, on ? &tr.tw[i] : NULL,
				      memory_order_release);
}

// One pass over the rings; how many records came out.
static unsigned drain(void)
{
	struct lr_trace_rec recs[TRACE_DRAIN_BURST];
	unsigned got = 0;
	for (unsigned i = 0; i < tr.ntw; i++) {
		unsigned n = rte_ring_sc_dequeue_burst_elem(tr.tw[i].ring, recs, sizeof(recs[0]),
							    TRACE_DRAIN_BURST, NULL);
		got += n;
		for (unsigned k = 0; k < n; k++) {
			uint64_t w = atomic_load(&tr.written), b = atomic_load(&tr.bytes);
			if (w >= tr.max_packets || b + recs[k].cap_len > tr.max_bytes) {
				atomic_fetch_add(&tr.over_budget, 1);
				// budget spent: the workers stop tracing
				if (!atomic_exchange(&tr.done, true))
					workers_publish(false);
				continue;
			}
			put_epb(tr.f, &recs[k]);
			atomic_store(&tr.written, w + 1);
			atomic_store(&tr.bytes, b + recs[k].cap_len);
		}
	}
	if (got && fflush(tr.f) != 0)
		atomic_fetch_add(&tr.write_errors, 1);
	return got;
}

static void *writer_main(void *arg)
{
	(void)arg;
	for (;;) {
		bool last = atomic_load(&tr.stop);
		// once told to stop, the workers no longer enqueue: drain dry
		while (drain() > 0)
			;
		if (last)
			return NULL;
		usleep(TRACE_IDLE_US);
	}
}

// --- commands ---

// "kinds": comma-separated all, dns, snmp, bad (every drop reason), or a
// verdict name; into a verdict bit mask. 0 and the mask, or -EINVAL.
static int parse_kinds(const char *text, uint64_t *mask, char *err, size_t errlen)
{
	char buf[256], *save = NULL;
	*mask = 0;
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "kinds: too long");
		return -EINVAL;
	}
	strcpy(buf, text);
	for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		uint64_t m = 0;
		if (!strcmp(k, "all"))
			m = (1ull << DP_PKT_VERDICT_COUNT) - 1;
		else if (!strcmp(k, "bad") || !strcmp(k, "drop"))
			m = ((1ull << DP_PKT_VERDICT_COUNT) - 1) &
			    ~((1ull << DP_PKT_DROP_FIRST) - 1);
		for (int v = 0; !m && v < DP_PKT_VERDICT_COUNT; v++)
			if (!strcmp(k, dp_pkt_verdict_name((enum dp_pkt_verdict)v)))
				m = 1ull << v;
		if (!m) {
			snprintf(err, errlen,
				 "kinds: unknown kind \"%.32s\" (all, dns, snmp, bad, or a drop "
				 "reason of `stats`)",
				 k);
			return -EINVAL;
		}
		*mask |= m;
	}
	if (!*mask) {
		snprintf(err, errlen, "kinds: empty");
		return -EINVAL;
	}
	return 0;
}

// An optional positive integer member; def when absent.
static int opt_uint(const json_t *req, const char *key, uint64_t def, uint64_t max, uint64_t *out,
		    char *err, size_t errlen)
{
	const json_t *v = json_object_get(req, key);
	*out = def;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    (uint64_t)json_integer_value(v) > max) {
		snprintf(err, errlen, "%s: an integer 1..%llu", key, (unsigned long long)max);
		return -EINVAL;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

// The per-worker rings, made once and kept: the workers may hold a pointer
// until they pass a quiescent state.
static int rings_make(char *err, size_t errlen)
{
	if (tr.tw)
		return 0;
	struct lr_trace_worker *tw =
		rte_zmalloc("lr_trace", sizeof(*tw) * lr.nworkers, RTE_CACHE_LINE_SIZE);
	if (!tw) {
		snprintf(err, errlen, "no memory for the trace rings");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < lr.nworkers; i++) {
		char name[RTE_RING_NAMESIZE];
		snprintf(name, sizeof(name), "lr_trace%u", i);
		tw[i].ring = rte_ring_create_elem(name, sizeof(struct lr_trace_rec), LR_TRACE_RING,
						  (int)rte_lcore_to_socket_id(lr.workers[i].lcore),
						  RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (!tw[i].ring) {
			snprintf(err, errlen, "trace ring: %s", rte_strerror(rte_errno));
			while (i--)
				rte_ring_free(tw[i].ring);
			rte_free(tw);
			return -ENOMEM;
		}
	}
	tr.tw = tw;
	tr.ntw = lr.nworkers;
	return 0;
}

static json_t *trace_json(void)
{
	uint64_t traced = 0, ring_full = 0;
	for (unsigned i = 0; i < tr.ntw; i++) {
		traced += tr.tw[i].traced; // the workers' counters, read as they run
		ring_full += tr.tw[i].ring_full;
	}
	json_t *o = json_pack("{s:b,s:b}", "running", tr.running, "budget_spent",
			      tr.running && atomic_load(&tr.done));
	if (!o || !tr.path[0])
		return o;
	json_object_set_new(o, "file", json_string(tr.path));
	json_object_set_new(o, "kinds", json_string(tr.kinds_text));
	json_object_set_new(o, "snaplen", json_integer(tr.snaplen));
	json_object_set_new(o, "max_packets", json_integer((json_int_t)tr.max_packets));
	json_object_set_new(o, "max_bytes", json_integer((json_int_t)tr.max_bytes));
	json_object_set_new(o, "packets_written", json_integer((json_int_t)tr.written));
	json_object_set_new(o, "bytes_written", json_integer((json_int_t)tr.bytes));
	json_object_set_new(o, "over_budget", json_integer((json_int_t)tr.over_budget));
	json_object_set_new(o, "write_errors", json_integer((json_int_t)tr.write_errors));
	// counted over every trace since the start, by the workers
	json_object_set_new(o, "traced_total", json_integer((json_int_t)traced));
	json_object_set_new(o, "ring_full_total", json_integer((json_int_t)ring_full));
	return o;
}

static int trace_open(const char *path, char *err, size_t errlen)
{
	// a new file (or an old trace replaced), never through a link; the
	// daemon's own user owns it (after a privilege drop: that user). Not
	// blocking: a FIFO without a reader must not stall the control thread.
	// A file that exists is replaced only when it is empty or a pcapng
	// file (an old trace): a daemon running as root must not let a
	// client truncate any file it names.
	struct stat st;
	uint32_t magic = 0;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0640);
	int rc = fd < 0 ? -errno : 0;
	if (!rc && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)))
		rc = -EINVAL;
	if (!rc && st.st_size && (pread(fd, &magic, 4, 0) != 4 || magic != PCAPNG_SHB))
		rc = -EEXIST;
	if (!rc && (ftruncate(fd, 0) != 0 || fcntl(fd, F_SETFL, 0) != 0))
		rc = -errno;
	if (!rc && !(tr.f = fdopen(fd, "w")))
		rc = -errno;
	if (rc) {
		snprintf(err, errlen, "%s: %s", path,
			 rc == -EINVAL	 ? "not a regular file"
			 : rc == -EEXIST ? "exists and is not a pcapng trace: not replaced"
					 : strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	put_shb(tr.f);
	for (unsigned i = 0; i < lr.nports; i++)
		put_idb(tr.f, lr.ports[i].name, tr.snaplen);
	if (fflush(tr.f) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(tr.f);
		tr.f = NULL;
		return -EIO;
	}
	return 0;
}

int lr_cmd_trace_start(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const char *path = json_string_value(json_object_get(req, "file"));
	const char *kinds = json_string_value(json_object_get(req, "kinds"));
	uint64_t mask, snaplen, max_packets, max_bytes;
	(void)ctx;
	if (tr.running) {
		snprintf(err, errlen, "a trace is running (to %s): stop it first", tr.path);
		return -EBUSY;
	}
	if (!path || path[0] != '/' || strlen(path) >= sizeof(tr.path)) {
		snprintf(err, errlen, "file: an absolute path is needed");
		return -EINVAL;
	}
	if (!kinds)
		kinds = "all";
	int rc = parse_kinds(kinds, &mask, err, errlen);
	if (!rc)
		rc = opt_uint(req, "snaplen", LR_TRACE_SNAP_MAX, LR_TRACE_SNAP_MAX, &snaplen, err,
			      errlen);
	if (!rc)
		rc = opt_uint(req, "max_packets", TRACE_MAX_PACKETS, UINT32_MAX, &max_packets, err,
			      errlen);
	if (!rc)
		rc = opt_uint(req, "max_bytes", TRACE_MAX_BYTES, 1ull << 40, &max_bytes, err,
			      errlen);
	if (rc || (rc = rings_make(err, errlen)) != 0)
		return rc;
	tr.kinds = mask;
	tr.snaplen = (uint16_t)snaplen;
	tr.max_packets = max_packets;
	tr.max_bytes = max_bytes;
	snprintf(tr.kinds_text, sizeof(tr.kinds_text), "%s", kinds);
	snprintf(tr.path, sizeof(tr.path), "%s", path);
	if ((rc = trace_open(path, err, errlen)) != 0)
		return rc;
	// what a ring still holds from an earlier trace is not this one's
	for (unsigned i = 0; i < tr.ntw; i++) {
		struct lr_trace_rec r;
		while (rte_ring_sc_dequeue_elem(tr.tw[i].ring, &r, sizeof(r)) == 0)
			;
		tr.tw[i].kinds = mask;
		tr.tw[i].snaplen = (uint16_t)snaplen;
	}
	atomic_store(&tr.written, 0);
	atomic_store(&tr.bytes, 0);
	atomic_store(&tr.over_budget, 0);
	atomic_store(&tr.write_errors, 0);
	atomic_store(&tr.done, false);
	atomic_store(&tr.stop, false);
	rc = rte_ctrl_thread_create(&tr.thread, "lr-trace", NULL, writer_main, NULL);
	if (rc) {
		snprintf(err, errlen, "trace thread: %s", strerror(rc < 0 ? -rc : rc));
		fclose(tr.f);
		tr.f = NULL;
		return -EAGAIN;
	}
	tr.running = true;
	tr.started = atomic_load(&lr.now);
	workers_publish(true);
	lr_log(CTL_LOG_INFO, "trace started: %s, kinds %s, snaplen %u", path, kinds,
	       (unsigned)snaplen);
	json_object_set_new(reply, "trace", trace_json());
	return 0;
}

// Stop: the workers let go of their rings (an RCU grace period), the
// writer drains what is left and ends, the file is closed.
static int trace_end(char *err, size_t errlen)
{
	int rc = 0;
	workers_publish(false);
	rte_rcu_qsbr_synchronize(lr.rcu, RTE_QSBR_THRID_INVALID);
	atomic_store(&tr.stop, true);
	pthread_join(tr.thread, NULL);
	if (fclose(tr.f) != 0 || atomic_load(&tr.write_errors)) {
		snprintf(err, errlen, "%s: writing failed (disk full?)", tr.path);
		rc = -EIO;
	}
	tr.f = NULL;
	tr.running = false;
	lr_log(CTL_LOG_INFO, "trace stopped: %s, %lu packet(s)", tr.path,
	       (unsigned long)atomic_load(&tr.written));
	return rc;
}

int lr_cmd_trace_stop(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	if (!tr.running) {
		snprintf(err, errlen, "no trace is running");
		return -ENOENT;
	}
	int rc = trace_end(err, errlen);
	json_object_set_new(reply, "trace", trace_json());
	return rc;
}

int lr_cmd_trace_status(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	(void)err;
	(void)errlen;
	json_object_set_new(reply, "trace", trace_json());
	return 0;
}

void lr_trace_shutdown(void)
{
	char err[256];
	if (tr.running && trace_end(err, sizeof(err)) != 0)
		lr_log(CTL_LOG_ERROR, "trace: %s", err);
}
