/* SPDX-License-Identifier: BSD-3-Clause */
// The syslog sink: one RFC 5424 message per trap,
//
//   <133>1 2026-05-01T12:34:56.123456Z collector1 linerated 4242 trap
//   [linerate@32473 seq="12" src="192.0.2.10" srcPort="40001" version="v2c"
//   reqId="77" trapOid="1.3.6.1.6.3.1.1.5.3"] {"seq":12,...}
//
// over UDP (a datagram each, RFC 5426), TCP (octet counting, RFC 6587
// §3.4.1) or the local AF_UNIX datagram socket. MSG is the JSON rendering
// (sink_json.c); it carries the UTF-8 BOM (RFC 5424 §6.4) when it holds
// any non-ASCII octet, and goes without one when it is plain ASCII.
//
// Messages are gathered per batch and sent at commit, which succeeds only
// once the bytes went out: for datagrams when every send succeeded (UDP
// cannot say more; a connected socket at least reports ICMP refusals), for
// TCP when the peer's TCP acknowledged every byte (SIOCOUTQ reaches 0).
// Bytes a receiver's TCP acknowledged but its process never read (it died
// with them in its buffer) are beyond what RFC 6587 can tell: RELP exists
// for that. After an error the connection is dropped, the messages the
// peer did not acknowledge wait, emits fail (the sink lags) until a new
// connection takes them, and connects back off exponentially (100 ms
// doubling up to backoff_max_ms). A receiver that is only slow (a send or
// the acknowledgements time out) keeps its connection: the sink lags and
// goes on where it stopped, so that nothing is sent twice.
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linerate/snmp_ber.h>

#include "sink.h"

#define BACKOFF_MS_FIRST 100
#define UDP_MSG_MAX	 65000
#define MSG_MIN		 480 // what every receiver must take (RFC 5424 §6.1)
#define SD_VALUE_MAX	 64

struct sink_syslog {
	struct sink_syslog_cfg cfg;
	char *host, *port, *path, *hostname, *sd_id, *app_name; // owned copies
	char procid[16];
	int fd;
	bool connected_once;
	int64_t next_try_ns;
	int backoff_ms;
	struct sink_buf json, line; // reused per record
	struct sink_buf out;	    // messages not yet delivered (framed for TCP)
	uint32_t *lens;		    // their lengths in out
	size_t nmsg, lens_cap;
	size_t done_msgs; // datagrams: messages of out already sent
	size_t done_off;  // TCP: octets of out written on this connection
	size_t acked_off; // TCP: of which the peer acknowledged
	bool stalled;	  // the last flush failed: emits wait for the next
	struct sink_syslog_stats st;
};

#define COUNT(sy, field, n) __atomic_fetch_add(&(sy)->st.field, (n), __ATOMIC_RELAXED)

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

// --- formatting -------------------------------------------------------------

static bool printusascii(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 33 || s[i] > 126)
			return false;
	return true;
}

// SD-ID of the form name@PEN (RFC 5424 §6.3.2, §7.2.2): SD-NAME octets,
// at most 32, no '=', ' ', ']' or '"'.
static bool valid_sd_id(const char *s)
{
	if (!printusascii(s, 32) || strpbrk(s, "= ]\""))
		return false;
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	return strspn(at + 1, "0123456789") == strlen(at + 1);
}

// A PARAM-VALUE (RFC 5424 §6.3.3): '"', '\' and ']' escaped with a
// backslash; octets that are not UTF-8 text (invalid sequences, control
// characters) become '?', so the message stays well-formed. At most
// SD_VALUE_MAX octets of the value (whole characters): names longer than
// SNMP's 32 are cut here and given whole in MSG.
static int put_param(struct sink_buf *b, const char *name, const uint8_t *p, size_t n)
{
	if (n > SD_VALUE_MAX) {
		n = SD_VALUE_MAX;
		while (n > 0 && (p[n] & 0xc0) == 0x80)
			n--;
	}
	int rc = sink_buf_put(b, " ", 1);
	rc = rc ? rc : sink_buf_put(b, name, strlen(name));
	rc = rc ? rc : sink_buf_put(b, "=\"", 2);
	for (size_t i = 0; i < n && !rc;) {
		size_t l = sink_utf8_len(p + i, n - i);
		if (l == 0 || p[i] < 0x20 || p[i] == 0x7f) {
			rc = sink_buf_put(b, "?", 1);
			i++;
			continue;
		}
		if (p[i] == '"' || p[i] == '\\' || p[i] == ']')
			rc = sink_buf_put(b, "\\", 1);
		rc = rc ? rc : sink_buf_put(b, p + i, l);
		i += l;
	}
	return rc ? rc : sink_buf_put(b, "\"", 1);
}

static int put_param_str(struct sink_buf *b, const char *name, const char *v)
{
	return put_param(b, name, (const uint8_t *)v, strlen(v));
}

static int put_sd(struct sink_syslog *sy, struct sink_buf *b, uint64_t seq,
		  const struct trap_rec *r)
{
	static const char *const versions[] = {"v1", "v2c", "v3"};
	char text[SNMP_OID_TEXT_MAX > 64 ? SNMP_OID_TEXT_MAX : 64];
	int rc = sink_buf_put(b, "[", 1);
	rc = rc ? rc : sink_buf_put(b, sy->sd_id, strlen(sy->sd_id));
	snprintf(text, sizeof(text), "%" PRIu64, seq);
	rc = rc ? rc : put_param_str(b, "seq", text);
	const struct trap_rec_addr *a = &r->meta.src;
	if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "-");
	rc = rc ? rc : put_param_str(b, "src", text);
	snprintf(text, sizeof(text), "%u", a->port);
	rc = rc ? rc : put_param_str(b, "srcPort", text);
	rc = rc ? rc
		: put_param_str(b, "version",
				versions[r->snmp_version == SNMP_V3 ? 2 : r->snmp_version & 1]);
	if (r->pdu_type != SNMP_PDU_TRAP_V1) {
		snprintf(text, sizeof(text), "%" PRId32, r->request_id);
		rc = rc ? rc : put_param_str(b, "reqId", text);
	}
	if (r->trap_oid.len) {
		if (snmp_oid_to_text(r->trap_oid.ptr, r->trap_oid.len, text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "invalid");
		rc = rc ? rc : put_param_str(b, "trapOid", text);
	}
	// v3 names are operator data, not secrets; v1/v2c communities stay
	// in MSG only, where the JSON rendering has them.
	if (r->snmp_version == SNMP_V3) {
		rc = rc ? rc : put_param(b, "user", r->sec_name.ptr, r->sec_name.len);
		if (r->context_name.len)
			rc = rc ? rc
				: put_param(b, "context", r->context_name.ptr, r->context_name.len);
	}
	return rc ? rc : sink_buf_put(b, "]", 1);
}

int sink_syslog_format(void *impl, struct sink_buf *out, uint64_t seq, const struct trap_rec *r)
{
	struct sink_syslog *sy = impl;
	char head[400], stamp[32];
	sink_fmt_time(stamp, r->meta.rx_ns);
	// RFC 5424 §6.2: PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP
	// PROCID SP MSGID SP
	int n = snprintf(head, sizeof(head), "<%u>1 %s %s %s %s %s ",
			 sy->cfg.facility * 8u + sy->cfg.severity, stamp, sy->hostname,
			 sy->app_name, sy->procid,
			 r->pdu_type == SNMP_PDU_INFORM ? "inform" : "trap");
	size_t start = out->len;
	int rc = sink_buf_put(out, head, (size_t)n);
	rc = rc ? rc : put_sd(sy, out, seq, r);
	rc = rc ? rc : sink_buf_put(out, " ", 1);
	sy->json.len = 0;
	rc = rc ? rc : sink_json_render(&sy->json, seq, r, &sy->cfg.names);
	if (rc)
		return rc;
	bool ascii = true;
	for (size_t i = 0; i < sy->json.len && ascii; i++)
		ascii = (uint8_t)sy->json.p[i] < 0x80;
	if (!ascii && (rc = sink_buf_put(out, "\xef\xbb\xbf", 3)))
		return rc;
	size_t body = out->len; // MSG starts here, after any BOM
	if ((rc = sink_buf_put(out, sy->json.p, sy->json.len)))
		return rc;
	uint32_t max = sy->cfg.max_msg;
	if (max && out->len - start > max) {
		// RFC 5424 §6.1: a sender may truncate; cut MSG on a UTF-8
		// boundary (a header and SD longer than max alone, which takes a
		// 255-octet hostname and a trap OID of 100 arcs, go out whole)
		size_t cut = start + max > body ? start + max : body;
		while (cut > body && ((uint8_t)out->p[cut] & 0xc0) == 0x80)
			cut--;
		out->len = cut;
		out->p[cut] = '\0';
		COUNT(sy, truncated, 1);
	}
	return 0;
}

// --- the connection ---------------------------------------------------------------

static int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return -errno;
	return err ? -err : -ECONNRESET;
}

// Waits for fd to take more (POLLOUT) until deadline.
static int wait_out(int fd, int64_t deadline)
{
	for (;;) {
		int64_t left = (deadline - mono_ns()) / 1000000;
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0 && (p.revents & (POLLERR | POLLHUP)))
			return sock_error(fd);
		if (n > 0)
			return 0;
	}
}

static int64_t deadline_of(const struct sink_syslog *sy)
{
	return mono_ns() + (int64_t)sy->cfg.timeout_ms * 1000000;
}

static int connect_fd(int fd, const struct sockaddr *sa, socklen_t len, int64_t deadline)
{
	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	int rc = wait_out(fd, deadline);
	if (rc)
		return rc;
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
	return -err;
}

static int open_unix(struct sink_syslog *sy)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(sy->path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, sy->path, strlen(sy->path) + 1);
	sy->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sy->fd < 0)
		return -errno;
	return connect_fd(sy->fd, (struct sockaddr *)&sun, sizeof(sun), deadline_of(sy));
}

static int open_inet(struct sink_syslog *sy)
{
	bool tcp = sy->cfg.transport == SINK_SYSLOG_TCP;
	struct addrinfo hints = {.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM}, *ai, *p;
	int gai = getaddrinfo(sy->host, sy->port, &hints, &ai);
	if (gai)
		return gai == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
	int rc = -EHOSTUNREACH;
	int64_t deadline = deadline_of(sy);
	for (p = ai; p; p = p->ai_next) {
		sy->fd = socket(p->ai_family, p->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				p->ai_protocol);
		if (sy->fd < 0) {
			rc = -errno;
			continue;
		}
		rc = connect_fd(sy->fd, p->ai_addr, p->ai_addrlen, deadline);
		if (rc == 0)
			break;
		close(sy->fd);
		sy->fd = -1;
	}
	freeaddrinfo(ai);
	return rc;
}

static void drop_conn(struct sink_syslog *sy)
{
	if (sy->fd >= 0)
		close(sy->fd);
	sy->fd = -1;
}

// A TCP receiver that closed (or reset) its side between batches: syslog
// receivers never send, so anything readable is an end or junk.
static bool peer_gone(int fd)
{
	char junk[256];
	for (;;) {
		ssize_t n = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n > 0)
			continue;
		return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
	}
}

static void abandon(struct sink_syslog *sy);

static int ensure_conn(struct sink_syslog *sy)
{
	if (sy->fd >= 0) {
		if (sy->cfg.transport != SINK_SYSLOG_TCP || !peer_gone(sy->fd))
			return 0;
		abandon(sy); // no failure yet: connect again at once
	}
	if (mono_ns() < sy->next_try_ns)
		return -ENOTCONN;
	int rc = sy->cfg.transport == SINK_SYSLOG_UNIX ? open_unix(sy) : open_inet(sy);
	if (rc) {
		drop_conn(sy);
		return rc;
	}
	if (sy->connected_once)
		COUNT(sy, io.reconnects, 1);
	sy->connected_once = true;
	sy->backoff_ms = 0;
	sy->done_off = sy->acked_off = 0;
	return 0;
}

// --- sending ------------------------------------------------------------------

// Drops the first k messages of out (delivered).
static void consume(struct sink_syslog *sy, size_t k)
{
	size_t off = 0;
	for (size_t i = 0; i < k; i++)
		off += sy->lens[i];
	memmove(sy->out.p, sy->out.p + off, sy->out.len - off);
	sy->out.len -= off;
	memmove(sy->lens, sy->lens + k, (sy->nmsg - k) * sizeof(*sy->lens));
	sy->nmsg -= k;
	COUNT(sy, io.sent, k);
}

// One send, waiting (until deadline) while the socket is full: the octets
// sent or a negative errno.
static ssize_t send_wait(int fd, const char *p, size_t len, int64_t deadline)
{
	for (;;) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS)
			return -errno;
		int rc = wait_out(fd, deadline);
		if (rc)
			return rc;
	}
}

static int send_dgrams(struct sink_syslog *sy)
{
	int64_t deadline = deadline_of(sy);
	size_t off = 0;
	for (size_t i = 0; i < sy->done_msgs; i++)
		off += sy->lens[i];
	while (sy->done_msgs < sy->nmsg) {
		uint32_t len = sy->lens[sy->done_msgs];
		ssize_t n = send_wait(sy->fd, sy->out.p + off, len, deadline);
		if (n < 0)
			return (int)n;
		off += len;
		sy->done_msgs++;
	}
	return 0;
}

// The peer's TCP acknowledged everything written (nothing left in the send
// queue), or an error.
static int wait_acked(struct sink_syslog *sy, int64_t deadline)
{
	for (;;) {
		int q = 0;
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		if (ioctl(sy->fd, SIOCOUTQ, &q) != 0 ||
		    getsockopt(sy->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) != 0)
			return -errno;
		// a reset empties the send queue too: the count means
		// "acknowledged" only on a connection still up after it was read
		if (ti.tcpi_state != TCP_ESTABLISHED && ti.tcpi_state != TCP_CLOSE_WAIT)
			return sock_error(sy->fd);
		sy->acked_off = (size_t)q < sy->done_off ? sy->done_off - (size_t)q : 0;
		if (q == 0)
			return 0;
		struct pollfd p = {.fd = sy->fd};
		if (poll(&p, 1, 1) > 0 && (p.revents & (POLLERR | POLLHUP)))
			return sock_error(sy->fd);
		if (mono_ns() > deadline)
			return -ETIMEDOUT;
	}
}

static int send_stream(struct sink_syslog *sy)
{
	int64_t deadline = deadline_of(sy);
	while (sy->done_off < sy->out.len) {
		ssize_t n = send_wait(sy->fd, sy->out.p + sy->done_off, sy->out.len - sy->done_off,
				      deadline);
		if (n < 0)
			return (int)n;
		sy->done_off += (size_t)n;
	}
	return wait_acked(sy, deadline);
}

// Drops the connection, keeping what did not surely arrive on it.
static void abandon(struct sink_syslog *sy)
{
	size_t k = sy->done_msgs;
	if (sy->cfg.transport == SINK_SYSLOG_TCP) {
		// whole messages the peer acknowledged are delivered; the rest
		// go again, from their first octet, on the next connection
		size_t off = 0;
		for (k = 0; k < sy->nmsg && off + sy->lens[k] <= sy->acked_off; k++)
			off += sy->lens[k];
	}
	consume(sy, k);
	sy->done_msgs = sy->done_off = sy->acked_off = 0;
	drop_conn(sy);
}

// After a failure: abandon the connection, back off.
static void failed(struct sink_syslog *sy)
{
	abandon(sy);
	COUNT(sy, io.failed, 1);
	int max = sy->cfg.backoff_max_ms;
	sy->backoff_ms = !sy->backoff_ms	    ? BACKOFF_MS_FIRST
			 : sy->backoff_ms > max / 2 ? max
						    : sy->backoff_ms * 2;
	if (sy->backoff_ms > max)
		sy->backoff_ms = max;
	sy->next_try_ns = mono_ns() + (int64_t)sy->backoff_ms * 1000000;
}

static int flush(struct sink_syslog *sy)
{
	if (sy->nmsg == 0)
		return 0;
	int rc = ensure_conn(sy);
	if (rc == -ENOTCONN) // still backing off: not a new failure
		return rc;
	if (rc == 0)
		rc = sy->cfg.transport == SINK_SYSLOG_TCP ? send_stream(sy) : send_dgrams(sy);
	sy->stalled = rc != 0;
	if (rc == -ETIMEDOUT && sy->fd >= 0) {
		// a receiver that does not keep up: stay on the connection and
		// carry on where it stopped (a new one would repeat what is
		// still in flight on this one)
		COUNT(sy, io.failed, 1);
		return rc;
	}
	if (rc) {
		failed(sy);
		return rc;
	}
	consume(sy, sy->nmsg);
	sy->done_msgs = 0;
	sy->done_off = sy->acked_off = 0;
	return 0;
}

// --- ops ---------------------------------------------------------------------------

static int syslog_emit(void *impl, uint64_t seq, const struct trap_rec *rec)
{
	struct sink_syslog *sy = impl;
	if (sy->stalled) {
		// down with messages waiting: lag rather than pile up more
		int rc = flush(sy);
		if (rc)
			return rc;
	}
	sy->line.len = 0;
	int rc = sink_syslog_format(sy, &sy->line, seq, rec);
	if (rc)
		return rc;
	if (sy->nmsg == sy->lens_cap) {
		size_t cap = sy->lens_cap ? 2 * sy->lens_cap : 256;
		uint32_t *l = realloc(sy->lens, cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		sy->lens = l;
		sy->lens_cap = cap;
	}
	size_t before = sy->out.len;
	if (sy->cfg.transport == SINK_SYSLOG_TCP) {
		char frame[24]; // MSG-LEN SP (RFC 6587 §3.4.1)
		int n = snprintf(frame, sizeof(frame), "%zu ", sy->line.len);
		rc = sink_buf_put(&sy->out, frame, (size_t)n);
	}
	rc = rc ? rc : sink_buf_put(&sy->out, sy->line.p, sy->line.len);
	if (rc) {
		sy->out.len = before;
		return rc;
	}
	sy->lens[sy->nmsg++] = (uint32_t)(sy->out.len - before);
	return 0;
}

static int syslog_commit(void *impl)
{
	return flush(impl);
}

static void syslog_free(void *impl)
{
	struct sink_syslog *sy = impl;
	if (!sy)
		return;
	drop_conn(sy);
	sink_buf_free(&sy->json);
	sink_buf_free(&sy->line);
	sink_buf_free(&sy->out);
	free(sy->lens);
	free(sy->host);
	free(sy->port);
	free(sy->path);
	free(sy->hostname);
	free(sy->sd_id);
	free(sy->app_name);
	free(sy);
}

static void syslog_io_stats(const void *impl, struct sink_io_stats *out)
{
	const struct sink_syslog *sy = impl;
	sink_io_stats_load(&sy->st.io, out);
}

const struct sink_ops sink_syslog_ops = {
	.kind = "syslog",
	.emit = syslog_emit,
	.commit = syslog_commit,
	.free = syslog_free,
	.io_stats = syslog_io_stats,
};

void sink_syslog_get_stats(const void *impl, struct sink_syslog_stats *out)
{
	const struct sink_syslog *sy = impl;
	sink_io_stats_load(&sy->st.io, &out->io);
	out->truncated = __atomic_load_n(&sy->st.truncated, __ATOMIC_RELAXED);
}

static const char *check_cfg(const struct sink_syslog_cfg *c)
{
	if (c->transport >= SINK_SYSLOG_TRANSPORT_COUNT)
		return "unknown transport";
	if (c->transport != SINK_SYSLOG_UNIX && (!c->host || !*c->host))
		return "needs a host";
	if (c->facility > 23 || c->severity > 7)
		return "facility is 0..23 and severity 0..7";
	if (c->sd_id && !valid_sd_id(c->sd_id))
		return "the SD-ID must be name@PEN, at most 32 printable octets";
	if (c->hostname && !printusascii(c->hostname, 255))
		return "the hostname must be 1..255 printable ASCII octets";
	if (c->app_name && !printusascii(c->app_name, 48))
		return "the APP-NAME must be 1..48 printable ASCII octets";
	if (c->max_msg && c->max_msg < MSG_MIN)
		return "max_msg must be at least 480";
	if (c->timeout_ms < 0 || c->backoff_max_ms < 0)
		return "timeouts must not be negative";
	return NULL;
}

static char *own(const char *s, const char *dflt, bool *ok)
{
	char *c = s || dflt ? strdup(s ? s : dflt) : NULL;
	if ((s || dflt) && !c)
		*ok = false;
	return c;
}

void *sink_syslog_new(const struct sink_syslog_cfg *cfg, char *err, size_t errlen)
{
	const char *bad = check_cfg(cfg);
	if (bad) {
		snprintf(err, errlen, "syslog sink: %s", bad);
		errno = EINVAL;
		return NULL;
	}
	struct sink_syslog *sy = calloc(1, sizeof(*sy));
	if (!sy)
		goto nomem;
	char host[256] = "-";
	if (!cfg->hostname &&
	    (gethostname(host, sizeof(host)) != 0 || !printusascii(host, sizeof(host) - 1)))
		snprintf(host, sizeof(host), "-"); // RFC 5424 §6.2.4: NILVALUE
	bool ok = true;
	sy->fd = -1;
	sy->cfg = *cfg;
	sy->host = own(cfg->host, NULL, &ok);
	sy->port = own(cfg->port, SINK_SYSLOG_PORT_DEFAULT, &ok);
	sy->path = own(cfg->path, SINK_SYSLOG_PATH_DEFAULT, &ok);
	sy->hostname = own(cfg->hostname, host, &ok);
	sy->sd_id = own(cfg->sd_id, SINK_SYSLOG_SD_ID_DEFAULT, &ok);
	sy->app_name = own(cfg->app_name, SINK_SYSLOG_APP_NAME_DEFAULT, &ok);
	if (!ok)
		goto nomem;
	sy->cfg.host = sy->host;
	sy->cfg.port = sy->port;
	sy->cfg.path = sy->path;
	sy->cfg.hostname = sy->hostname;
	sy->cfg.sd_id = sy->sd_id;
	sy->cfg.app_name = sy->app_name;
	if (!sy->cfg.timeout_ms)
		sy->cfg.timeout_ms = SINK_SYSLOG_TIMEOUT_MS_DEFAULT;
	if (!sy->cfg.backoff_max_ms)
		sy->cfg.backoff_max_ms = SINK_SYSLOG_BACKOFF_MS_MAX;
	if (!sy->cfg.max_msg && cfg->transport == SINK_SYSLOG_UDP)
		sy->cfg.max_msg = UDP_MSG_MAX;
	snprintf(sy->procid, sizeof(sy->procid), "%ld", (long)getpid());
	return sy;
nomem:
	syslog_free(sy);
	snprintf(err, errlen, "syslog sink: no memory");
	errno = ENOMEM;
	return NULL;
}
