/* SPDX-License-Identifier: BSD-3-Clause */
// The metrics endpoint: a listener and its connections in one poll() set,
// all non-blocking. A connection reads one request head (bounded), gets one
// response and is closed: no keep-alive, no request bodies, nothing to
// carry between requests. After the response the write side is shut and
// what the client still sends is read and dropped for a bounded time and
// amount, so that closing with unread data does not reset the connection
// before the client has read our answer.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl_io.h"
#include "metrics.h"

#define ACCEPT_PER_POLL 16
#define DRAIN_MAX	(64u * 1024) // octets read and dropped after the response
#define DRAIN_MS	1000
#define PATH_MAX_LEN	255

enum conn_state {
	CONN_READ,  // the request head, until its empty line
	CONN_WRITE, // the response
	CONN_DRAIN, // write side shut; whatever comes is dropped until EOF
};

struct conn {
	int fd;
	bool counted; // one of the max_clients being served (reading or writing)
	enum conn_state state;
	int64_t deadline_ms; // closed when reached, whatever the state
	size_t in_len, drained;
	char *out;
	size_t out_len, out_off;
	char in[CTL_METRICS_HEAD_MAX];
};

struct ctl_metrics_server {
	struct ctl_metrics_server_cfg cfg;
	char path[PATH_MAX_LEN + 1];
	int fd;
	uint16_t port;
	// 2 * max_clients slots: up to max_clients served (reading or
	// writing), the others for connections draining after their response
	// or being refused (503) without resetting them
	struct conn **conns;
	unsigned nslots, serving;
	struct pollfd *pfd; // listener + one per slot
	struct ctl_metrics *m;
	struct ctl_metrics_server_stats stats;
};

// --- configuration checks ---

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t n = strlen(s);
	if (n == 0 || n > 5)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int ctl_metrics_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint16_t port;
	memset(ss, 0, sizeof(*ss));
	if (!s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1 || parse_port(close + 2, &port))
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		*len = sizeof(*a);
		return 0;
	}
	colon = strchr(s, ':');
	if (!colon || strchr(colon + 1, ':') || (size_t)(colon - s) >= sizeof(host))
		return -EINVAL; // an IPv6 address needs its brackets
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	if (strcmp(host, "*") == 0)
		a->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -EINVAL;
	if (parse_port(colon + 1, &port))
		return -EINVAL;
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	*len = sizeof(*a);
	return 0;
}

bool ctl_metrics_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	if (n == 0 || n > PATH_MAX_LEN || path[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++)
		if (path[i] <= ' ' || path[i] >= 0x7f || path[i] == '?' || path[i] == '#')
			return false;
	return true;
}

// --- set-up and tear-down ---

static void conn_close(struct ctl_metrics_server *s, unsigned slot)
{
	struct conn *c = s->conns[slot];
	s->serving -= c->counted;
	close(c->fd);
	free(c->out);
	free(c);
	s->conns[slot] = NULL;
	s->stats.clients--;
}

void ctl_metrics_server_free(struct ctl_metrics_server *s)
{
	if (!s)
		return;
	for (unsigned i = 0; s->conns && i < s->nslots; i++)
		if (s->conns[i])
			conn_close(s, i);
	if (s->fd >= 0)
		close(s->fd);
	ctl_metrics_free(s->m);
	free(s->conns);
	free(s->pfd);
	free(s);
}

static int listen_on(struct ctl_metrics_server *s, const char *where, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	if (ctl_metrics_parse_listen(where, &ss, &len)) {
		snprintf(err, errlen, "listen %s: not ADDRESS:PORT", where ? where : "(none)");
		return -EINVAL;
	}
	s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	// a restart binds again at once, whatever is left in TIME_WAIT; an
	// IPv6 address means that address only, never IPv4 as well
	if (s->fd < 0 || setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
	    bind(s->fd, (struct sockaddr *)&ss, len) != 0 || listen(s->fd, 64) != 0 ||
	    getsockname(s->fd, (struct sockaddr *)&ss, &(socklen_t){sizeof(ss)}) != 0) {
		int rc = -errno;
		snprintf(err, errlen, "listen %s: %s", where, strerror(errno));
		return rc;
	}
	s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						 : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

struct ctl_metrics_server *ctl_metrics_server_new(const struct ctl_metrics_server_cfg *cfg,
						  char *err, size_t errlen)
{
	struct ctl_metrics_server *s;
	const char *path = cfg->path ? cfg->path : CTL_METRICS_PATH_DEFAULT;
	int rc = -EINVAL;
	if (!cfg->collect || !ctl_metrics_path_ok(path)) {
		snprintf(err, errlen, "%s",
			 cfg->collect ? "path: not an absolute path" : "no collect function");
		errno = EINVAL;
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->cfg = *cfg;
	s->cfg.listen = NULL; // the caller's string, not kept
	s->cfg.path = strcpy(s->path, path);
	if (!s->cfg.max_clients)
		s->cfg.max_clients = CTL_METRICS_CLIENTS_DEFAULT;
	if (s->cfg.timeout_ms <= 0)
		s->cfg.timeout_ms = CTL_METRICS_TIMEOUT_DEFAULT;
	s->nslots = 2 * s->cfg.max_clients;
	s->conns = calloc(s->nslots, sizeof(*s->conns));
	s->pfd = calloc(s->nslots + 1, sizeof(*s->pfd));
	s->m = ctl_metrics_new(0);
	if (!s->conns || !s->pfd || !s->m) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	} else {
		rc = listen_on(s, cfg->listen, err, errlen);
	}
	if (rc) {
		ctl_metrics_server_free(s);
		errno = -rc;
		return NULL;
	}
	return s;
}

uint16_t ctl_metrics_server_port(const struct ctl_metrics_server *s)
{
	return s->port;
}

void ctl_metrics_server_get_stats(const struct ctl_metrics_server *s,
				  struct ctl_metrics_server_stats *out)
{
	*out = s->stats;
}

// --- responses ---

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Internal Server Error";
	}
}

static void count(struct ctl_metrics_server *s, int status)
{
	switch (status) {
	case 200:
		s->stats.ok++;
		break;
	case 404:
		s->stats.not_found++;
		break;
	case 405:
		s->stats.bad_method++;
		break;
	case 431:
		s->stats.too_large++;
		break;
	case 400:
	case 505:
		s->stats.bad_request++;
		break;
	default:
		s->stats.failed++;
		break;
	}
}

// The status line and headers, then body (NULL: a one-line text saying
// the status) unless head_only. RFC 9110 §6.6.1: an origin server with a
// clock sends Date.
static char *response(int status, const char *type, const char *body, size_t body_len,
		      bool head_only, size_t *out_len)
{
	char date[64], line[64];
	time_t t = time(NULL);
	struct tm tm;
	if (!body) {
		snprintf(line, sizeof(line), "%d %s\n", status, reason(status));
		body = line;
		body_len = strlen(line);
		type = "text/plain; charset=utf-8";
	}
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&t, &tm));
#define RESPONSE_HEAD                                                                              \
	"HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"              \
	"Connection: close\r\n\r\n"
	const char *allow = status == 405 ? "Allow: GET, HEAD\r\n" : "";
	int n = snprintf(NULL, 0, RESPONSE_HEAD, status, reason(status), date, type, body_len,
			 allow);
	size_t total = (size_t)n + (head_only ? 0 : body_len);
	char *out = malloc(total + 1);
	if (!out)
		return NULL;
	snprintf(out, (size_t)n + 1, RESPONSE_HEAD, status, reason(status), date, type, body_len,
		 allow);
	if (!head_only)
		memcpy(out + n, body, body_len);
	*out_len = total;
	return out;
}

// --- requests (RFC 9112) ---

static bool is_tchar(unsigned char c)
{
	// RFC 9110 §5.6.2
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

struct request {
	const char *method, *target;
	size_t method_len, target_len;
	int minor; // HTTP/1.minor
	unsigned hosts;
};

// The request line: method SP request-target SP HTTP-version (§3), single
// spaces. 0, 400 or 505.
static int parse_request_line(const char *p, size_t n, struct request *r)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	if (!sp1 || sp1 == p)
		return 400;
	r->method = p;
	r->method_len = (size_t)(sp1 - p);
	for (size_t i = 0; i < r->method_len; i++)
		if (!is_tchar((unsigned char)p[i]))
			return 400;
	r->target = sp1 + 1;
	sp2 = memchr(r->target, ' ', n - (size_t)(r->target - p));
	if (!sp2 || sp2 == r->target)
		return 400;
	r->target_len = (size_t)(sp2 - r->target);
	for (size_t i = 0; i < r->target_len; i++)
		if ((unsigned char)r->target[i] <= ' ' || (unsigned char)r->target[i] >= 0x7f)
			return 400;
	const char *v = sp2 + 1;
	size_t vlen = n - (size_t)(v - p);
	// HTTP-version = "HTTP/" DIGIT "." DIGIT (§2.3), case-sensitive
	if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
	    v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1')
		return 505;
	r->minor = v[7] - '0';
	return 0;
}

// One field line: field-name ":" OWS field-value OWS (§5), no whitespace
// before the colon (§5.1), no obsolete line folding (§5.2).
static int parse_field(const char *p, size_t n, struct request *r)
{
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return 400;
	for (const char *q = p; q < colon; q++)
		if (!is_tchar((unsigned char)*q))
			return 400;
	for (const char *q = colon + 1; q < p + n; q++)
		if (((unsigned char)*q < ' ' && *q != '\t') || *q == 0x7f)
			return 400;
	if (colon - p == 4 && strncasecmp(p, "host", 4) == 0)
		r->hosts++;
	return 0;
}

// The path of an origin-form ("/metrics?x") or absolute-form
// ("http://host/metrics") target, query left out (§3.2).
static bool target_path(const struct request *r, const char **path, size_t *len)
{
	const char *t = r->target, *end = r->target + r->target_len;
	if (r->target_len > 7 && strncasecmp(t, "http://", 7) == 0) {
		t = memchr(t + 7, '/', (size_t)(end - t - 7));
		if (!t)
			return false;
	}
	if (*t != '/')
		return false;
	const char *q = memchr(t, '?', (size_t)(end - t));
	*path = t;
	*len = (size_t)((q ? q : end) - t);
	return true;
}

// A whole head in in[0..len): its status (0: serve the metrics); *head_only
// for HEAD.
static int parse_head(const struct ctl_metrics_server *s, const char *in, size_t len,
		      bool *head_only)
{
	struct request r = {0};
	const char *p = in, *end = in + len;
	bool first = true;
	*head_only = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);
		// §2.2: CRLF ends a line; a bare LF is accepted, a bare CR is not
		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\r', n) || memchr(p, '\0', n))
			return 400;
		if (n == 0 && first) { // §2.2: empty lines before the request line
			p = nl + 1;
			continue;
		}
		if (n == 0)
			break;
		int rc;
		if (first)
			rc = parse_request_line(p, n, &r);
		else
			rc = p[0] == ' ' || p[0] == '\t' ? 400 : parse_field(p, n, &r);
		if (rc)
			return rc;
		first = false;
		p = nl + 1;
	}
	// §3.2: HTTP/1.1 needs exactly one Host; never two
	if (r.hosts > 1 || (r.minor >= 1 && r.hosts == 0))
		return 400;
	const char *path;
	size_t plen;
	if (!target_path(&r, &path, &plen))
		return 400;
	bool get = r.method_len == 3 && memcmp(r.method, "GET", 3) == 0;
	*head_only = r.method_len == 4 && memcmp(r.method, "HEAD", 4) == 0;
	if (!get && !*head_only)
		return 405;
	return plen == strlen(s->path) && memcmp(path, s->path, plen) == 0 ? 0 : 404;
}

// Where the head ends: the offset past its empty line, or 0 while it is
// incomplete. Leading empty lines are skipped (§2.2).
static size_t head_end(const char *in, size_t len)
{
	size_t i = 0;
	while (i < len && (in[i] == '\r' || in[i] == '\n'))
		i++;
	for (; i < len; i++) {
		if (in[i] != '\n')
			continue;
		if (i + 1 < len && in[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

// --- connections ---

static void conn_respond(struct ctl_metrics_server *s, struct conn *c, int status, bool head_only)
{
	const char *body = NULL, *type = NULL;
	size_t body_len = 0;
	if (status == 0) {
		struct ctl_metrics *m = s->m;
		ctl_metrics_reset(m);
		int rc = s->cfg.collect(s->cfg.ctx, m);
		body = rc == 0 ? ctl_metrics_text(m, &body_len) : NULL;
		status = body ? 200 : 500;
		type = CTL_METRICS_CONTENT_TYPE;
	}
	count(s, status);
	c->out = response(status, type, body, body_len, head_only, &c->out_len);
	c->out_off = 0;
	c->state = CONN_WRITE;
}

// Read what there is. Returns false when the connection is to be closed.
static bool conn_read(struct ctl_metrics_server *s, struct conn *c)
{
	for (;;) {
		char sink[4096];
		bool drain = c->state != CONN_READ;
		char *dst = drain ? sink : c->in + c->in_len;
		size_t room = drain ? sizeof(sink) : sizeof(c->in) - c->in_len;
		if (room == 0)
			return true; // a full head is being answered; the rest waits
		ssize_t n = recv(c->fd, dst, room, 0);
		if (n == 0)
			// EOF: in READ the client gave up mid-request; after
			// the response it has read it and closed
			return c->state == CONN_WRITE;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (drain) {
			c->drained += (size_t)n;
			if (c->drained > DRAIN_MAX)
				return false;
			continue;
		}
		c->in_len += (size_t)n;
		size_t end = head_end(c->in, c->in_len);
		bool head_only;
		if (end) {
			int status = parse_head(s, c->in, end, &head_only);
			conn_respond(s, c, status, head_only);
			return c->out != NULL;
		}
		if (c->in_len == sizeof(c->in)) {
			conn_respond(s, c, 431, false);
			return c->out != NULL;
		}
	}
}

static bool conn_write(struct ctl_metrics_server *s, struct conn *c)
{
	int rc = ctl_send_pending(c->fd, c->out, c->out_len, &c->out_off);
	if (rc <= 0)
		return rc == 0;
	// all sent: FIN now, then drop what the client still sends; a
	// draining connection no longer counts against max_clients
	shutdown(c->fd, SHUT_WR);
	c->state = CONN_DRAIN;
	s->serving -= c->counted;
	c->counted = false;
	int64_t drain_until = ctl_now_ms() + DRAIN_MS;
	if (drain_until < c->deadline_ms)
		c->deadline_ms = drain_until;
	return true;
}

static void accept_one(struct ctl_metrics_server *s)
{
	int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	unsigned slot = 0;
	while (slot < s->nslots && s->conns[slot])
		slot++;
	bool refuse = s->serving == s->cfg.max_clients;
	struct conn *c = slot < s->nslots ? malloc(sizeof(*c)) : NULL;
	if (refuse)
		s->stats.refused++;
	if (!c) {
		close(fd); // no room even to refuse politely
		return;
	}
	memset(c, 0, offsetof(struct conn, in));
	c->fd = fd;
	c->counted = !refuse;
	c->deadline_ms = ctl_now_ms() + s->cfg.timeout_ms;
	s->conns[slot] = c;
	s->stats.clients++;
	if (!refuse) {
		c->state = CONN_READ;
		s->serving++;
		s->stats.accepted++;
		return;
	}
	// answered at once, then drained and closed like any other
	c->out = response(503, NULL, NULL, 0, false, &c->out_len);
	c->state = CONN_WRITE;
	if (!c->out)
		conn_close(s, slot);
}

int ctl_metrics_server_poll(struct ctl_metrics_server *s, int timeout_ms)
{
	unsigned n = s->nslots;
	int64_t now = ctl_now_ms();
	s->pfd[0] = (struct pollfd){.fd = s->fd, .events = POLLIN};
	for (unsigned i = 0; i < n; i++) {
		struct conn *c = s->conns[i];
		s->pfd[i + 1] = (struct pollfd){.fd = -1};
		if (!c)
			continue;
		s->pfd[i + 1].fd = c->fd;
		s->pfd[i + 1].events = c->state == CONN_WRITE ? POLLOUT : POLLIN;
		if (timeout_ms < 0 || c->deadline_ms - now < timeout_ms)
			timeout_ms = c->deadline_ms <= now ? 0 : (int)(c->deadline_ms - now);
	}
	if (poll(s->pfd, n + 1, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	now = ctl_now_ms();
	for (unsigned i = 0; i < n; i++) {
		struct conn *c = s->conns[i];
		short re = s->pfd[i + 1].revents;
		if (!c)
			continue;
		bool keep = true;
		if (re & (POLLIN | POLLHUP | POLLERR))
			keep = conn_read(s, c);
		else if (re & POLLNVAL)
			keep = false;
		if (keep && c->state == CONN_WRITE)
			keep = conn_write(s, c);
		if (keep && now >= c->deadline_ms) {
			// a slow client (slowloris) or one that does not read
			if (c->state != CONN_DRAIN)
				s->stats.timeouts++;
			keep = false;
		}
		if (!keep)
			conn_close(s, i);
	}
	if (s->pfd[0].revents & POLLIN)
		for (int k = 0; k < ACCEPT_PER_POLL; k++) // bounded: connections get their turn
			accept_one(s);
	return 0;
}
