/* SPDX-License-Identifier: BSD-3-Clause */
// Prometheus metrics: an exposition writer (text format 0.0.4) and a small
// GET-only HTTP/1.1 server for it on a kernel TCP socket.
//
// The writer: families (name, type, help) each followed by its samples
// (labels, value). Names, label names and label values are checked, HELP
// text and label values escaped as the format says (HELP: backslash and
// line feed; label values: backslash, double quote and line feed). The
// first error sticks: every later call does nothing and returns it, so a
// collector writes everything and checks once at the end.
//
//   ctl_metrics_family(m, "linerate_dns_responses_total", CTL_METRIC_COUNTER,
//                      "DNS responses sent, by rcode.");
//   CTL_METRICS_SAMPLE(m, n, {"rcode", "NOERROR"});
//
// The server: GET (and HEAD) of one path answers 200 with the exposition a
// callback writes; other paths 404, other methods 405, anything malformed
// 400, a request head over CTL_METRICS_HEAD_MAX 431. Every response closes
// the connection. Connections are bounded in number (more are refused with
// 503) and in time (a client that has not sent its whole head, or not read
// the answer, by the deadline is closed), so a slow or hostile client costs
// one slot for a bounded time and never blocks the others.
//
// Threading: a writer or a server belongs to one thread. No DPDK here.
#ifndef LINERATE_CTL_METRICS_H
#define LINERATE_CTL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

// --- exposition writer ---

enum ctl_metric_type {
	CTL_METRIC_COUNTER, // the name must end in _total (Prometheus naming)
	CTL_METRIC_GAUGE,
	CTL_METRIC_TYPE_COUNT
};

struct ctl_metric_label {
	const char *name;
	const char *value; // any UTF-8; escaped on output
};

#define CTL_METRICS_LABELS_MAX 8
#define CTL_METRICS_NAME_MAX   128

struct ctl_metrics;

// A writer whose text may grow to max octets (0: CTL_METRICS_BODY_MAX);
// NULL with errno set.
struct ctl_metrics *ctl_metrics_new(size_t max);
void ctl_metrics_free(struct ctl_metrics *m); // NULL is a no-op
// Empty again, error cleared, for the next scrape.
void ctl_metrics_reset(struct ctl_metrics *m);

// Start a family: # HELP and # TYPE lines. Each name at most once per
// exposition. 0, or a negative errno: -EINVAL a bad name or type, a counter
// not ending in _total, help not UTF-8 or empty; -EEXIST the family was
// written already; -ENOBUFS past max; -ENOMEM.
int ctl_metrics_family(struct ctl_metrics *m, const char *name, enum ctl_metric_type type,
		       const char *help);

// One sample of the current family. -EINVAL: no family started, a bad or
// repeated label name, a label value that is not UTF-8, more than
// CTL_METRICS_LABELS_MAX labels; else as above.
int ctl_metrics_sample(struct ctl_metrics *m, const struct ctl_metric_label *labels, size_t n,
		       uint64_t value);
// The same with a floating-point value (NaN and ±Inf written as the format
// spells them).
int ctl_metrics_sample_double(struct ctl_metrics *m, const struct ctl_metric_label *labels,
			      size_t n, double value);

#define CTL_METRICS_SAMPLE(m, value, ...)                                                          \
	ctl_metrics_sample(m, (const struct ctl_metric_label[]){__VA_ARGS__},                      \
			   sizeof((const struct ctl_metric_label[]){__VA_ARGS__}) /                \
				   sizeof(struct ctl_metric_label),                                \
			   value)

// The first error (0 if none).
int ctl_metrics_error(const struct ctl_metrics *m);
// The text written so far (NUL-terminated) and its length; NULL after an
// error.
const char *ctl_metrics_text(const struct ctl_metrics *m, size_t *len);

// Name rules of the text format: metric [a-zA-Z_][a-zA-Z0-9_]* (the colon
// the format also allows is for recording rules, never an exporter), label
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved). At most
// CTL_METRICS_NAME_MAX octets.
bool ctl_metrics_name_ok(const char *name);
bool ctl_metrics_label_name_ok(const char *name);

// --- HTTP server ---

#define CTL_METRICS_HEAD_MAX	    8192       // request line and headers
#define CTL_METRICS_BODY_MAX	    (4u << 20) // an exposition larger than this is a 500
#define CTL_METRICS_CLIENTS_DEFAULT 16
#define CTL_METRICS_TIMEOUT_DEFAULT 5000 // ms for a connection's whole exchange
#define CTL_METRICS_PATH_DEFAULT    "/metrics"
#define CTL_METRICS_CONTENT_TYPE    "text/plain; version=0.0.4; charset=utf-8"

// Write the current values into m (empty, no error). Return 0, or a
// negative errno for a 500 (the writer's own error counts the same).
typedef int ctl_metrics_collect_fn(void *ctx, struct ctl_metrics *m);

struct ctl_metrics_server_cfg {
	const char *listen;   // "ADDRESS:PORT", IPv6 in brackets; port 0: any free one
	const char *path;     // NULL: CTL_METRICS_PATH_DEFAULT
	unsigned max_clients; // 0: CTL_METRICS_CLIENTS_DEFAULT
	int timeout_ms;	      // 0: CTL_METRICS_TIMEOUT_DEFAULT
	ctl_metrics_collect_fn *collect;
	void *ctx;
};

struct ctl_metrics_server_stats {
	uint64_t accepted;
	uint64_t refused;						// over max_clients: 503
	uint64_t ok;							// 200
	uint64_t not_found, bad_method, bad_request, too_large, failed; // 404, 405, 400, 431, 500
	uint64_t timeouts;
	unsigned clients; // connected now
};

struct ctl_metrics_server;

// "192.0.2.1:9253", "[2001:db8::1]:9253", "*:9253" (every IPv4 address) or
// "[::]:9253" into *ss. The address must be numeric; the port 0..65535.
// 0 or -EINVAL.
int ctl_metrics_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);

// Whether path may be served: "/" then visible ASCII without '?' or '#',
// at most 255 octets.
bool ctl_metrics_path_ok(const char *path);

// Bind and listen. NULL with errno set and a message in err.
struct ctl_metrics_server *ctl_metrics_server_new(const struct ctl_metrics_server_cfg *cfg,
						  char *err, size_t errlen);

// The port bound (useful after port 0).
uint16_t ctl_metrics_server_port(const struct ctl_metrics_server *s);

// Wait up to timeout_ms for activity (less when a connection's deadline
// comes first) and serve it. 0, or a negative errno from poll() itself.
int ctl_metrics_server_poll(struct ctl_metrics_server *s, int timeout_ms);

void ctl_metrics_server_get_stats(const struct ctl_metrics_server *s,
				  struct ctl_metrics_server_stats *out);

// Close every connection and the listener. NULL is a no-op.
void ctl_metrics_server_free(struct ctl_metrics_server *s);

#endif
