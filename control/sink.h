/* SPDX-License-Identifier: BSD-3-Clause */
// Sinks: where journaled trap records become events (a JSON Lines file,
// RFC 5424 syslog, Kafka). Every sink reads the journal through its
// own reader, in order, at its own pace, and keeps a durable cursor: a
// small text file ("next_seq=N\n", written to a temporary name, fsync'ed
// and renamed over the old one) naming the first record it has not yet
// delivered and committed. A sink that is down only lags; on restart it
// resumes from its cursor. Delivery is exactly once across clean stops
// and at least once across crashes (records emitted after the last saved
// cursor come again).
//
// The core (sink.c) decodes each record (proto's trap_rec_decode; records
// that do not decode are counted and skipped) and hands it to the sink's
// ops. Threading: a sink is driven either by sink_poll from one thread or
// by its own thread (sink_start); sink_get_stats may be called from any
// thread.
#ifndef LINERATE_SINK_H
#define LINERATE_SINK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linerate/trap_record.h>

#include "journal.h"

#define SINK_BATCH_DEFAULT    256
#define SINK_RETRY_MS_DEFAULT 1000

// A network sink's transport counters, as its impl keeps them.
struct sink_io_stats {
	uint64_t sent;	     // messages the destination took (a commit succeeded)
	uint64_t failed;     // failed sends, connects and waits for delivery
	uint64_t reconnects; // connections made again after the first (Kafka: new
			     // producers, deliveries resumed after reports timed out)
};

// Reads counters that their sink thread bumps atomically (any thread).
void sink_io_stats_load(const struct sink_io_stats *src, struct sink_io_stats *out);

// What a kind of sink does with records.
struct sink_ops {
	const char *kind;
	// Takes one record; 0, or a negative errno when the destination is
	// down (the same record is offered again later).
	int (*emit)(void *impl, uint64_t seq, const struct trap_rec *rec);
	// Makes what was emitted as durable as the sink promises; 0 or a
	// negative errno (the cursor then stays where it was).
	int (*commit)(void *impl);
	// Called at least every 100 ms while the sink runs (time-based work
	// such as rotation); may be NULL.
	void (*tick)(void *impl);
	void (*free)(void *impl);
	// The transport counters (struct sink_stats.io), from any thread; may
	// be NULL.
	void (*io_stats)(const void *impl, struct sink_io_stats *out);
};

struct sink_cfg {
	const char *name;	 // for logs and linerate-ctl
	const char *cursor_path; // the durable cursor
	uint32_t batch;		 // records per commit; 0: SINK_BATCH_DEFAULT
	int retry_ms;		 // wait after a failure; 0: SINK_RETRY_MS_DEFAULT
	void (*log)(void *ctx, int level, const char *msg); // NULL: none
	void *log_ctx;
	// held for reading around every emit, so that whoever owns what the
	// impl's sink_names point at may swap it under the write lock (a MIB
	// table reloaded); NULL: none
	pthread_rwlock_t *names_lock;
};

struct sink_stats {
	uint64_t delivered;   // records emitted and committed
	uint64_t bad_records; // records that did not decode, skipped
	uint64_t failures;    // failed emits or commits
	uint64_t skipped;     // records the journal lost before we read them
	uint64_t corrupt;     // records that failed their CRC
	uint64_t cursor;      // first record not yet delivered
	uint64_t lag_records; // durable records behind the cursor
	uint64_t lag_bytes;
	uint64_t last_rx_ns;  // receive time of the last record delivered (0: none)
	uint64_t oldest_rx_ns; // of the oldest record read, not delivered (0: none)
	bool down;		 // the last emit or commit failed
	struct sink_io_stats io; // zero for sinks without io_stats
};

struct sink;

// A sink of the given kind over journal j, starting at its saved cursor
// (or at the oldest record when there is none). Takes ownership of impl
// (ops->free), also on failure. NULL with errno set and a message in err.
struct sink *sink_new(struct journal *j, const struct sink_cfg *cfg, const struct sink_ops *ops,
		      void *impl, char *err, size_t errlen);

// Delivers up to one batch, commits it, saves the cursor. Returns the
// records delivered (0: caught up), or a negative errno: the sink is down
// and lags.
int sink_poll(struct sink *s);

// Runs sink_poll on a thread of the sink's own until sink_free.
int sink_start(struct sink *s);

void sink_get_stats(struct sink *s, struct sink_stats *out);

// Stops the thread (if started), commits what was emitted, saves the
// cursor, frees the sink and its impl. NULL is a no-op.
void sink_free(struct sink *s);

// Cursor files: load gives 1 when the file does not exist, -EBADMSG when
// it is not a cursor; save is atomic (temp file, fsync, rename, fsync of
// the directory).
int sink_cursor_load(const char *path, uint64_t *next_seq);
int sink_cursor_save(const char *path, uint64_t next_seq);

// fsync of the directory holding path (after a rename in it).
int sink_fsync_dir(const char *path);

// --- rendering --------------------------------------------------------------

// OID -> name, from the MIB table (someone else's): the name of the
// longest known prefix of oid[0..n), with *matched set to that prefix's
// length; NULL when none is known.
struct sink_names {
	const char *(*oid_name)(void *ctx, const uint32_t *oid, size_t n, size_t *matched);
	void *ctx;
};

// A growable text buffer.
struct sink_buf {
	char *p;
	size_t len, cap;
};

// Appends p[0..n) (kept NUL-terminated); 0 or -ENOMEM.
int sink_buf_put(struct sink_buf *b, const void *p, size_t n);
void sink_buf_free(struct sink_buf *b);

// Appends one JSON object (no newline) for record seq: the fields are
// listed in sink_json.c. names may be NULL (numeric OIDs only). Returns 0
// or -ENOMEM.
int sink_json_render(struct sink_buf *out, uint64_t seq, const struct trap_rec *r,
		     const struct sink_names *names);

// ns since the epoch as RFC 3339 UTC with microseconds
// ("2026-05-01T12:34:56.123456Z"); the form of RFC 5424's TIMESTAMP too.
void sink_fmt_time(char out[32], uint64_t ns);

// Length of the UTF-8 sequence at p[0..n) (RFC 3629 §4: no overlong forms,
// no surrogates, nothing above U+10FFFF, no C1 controls), 0 when invalid.
size_t sink_utf8_len(const uint8_t *p, size_t n);

// --- the file sink ------------------------------------------------------------

enum sink_fsync {
	SINK_FSYNC_BATCH,    // fdatasync at every commit
	SINK_FSYNC_INTERVAL, // at a commit, when the last is interval_ms old
	SINK_FSYNC_NEVER,    // leave it to the kernel
};

struct sink_file_cfg {
	const char *path;      // NAME; rotated files are NAME.YYYYmmddTHHMMSS (UTC)
	uint64_t rotate_bytes; // rotate before a line would pass it; 0: never
	uint64_t rotate_s;     // rotate a file open this long; 0: never
	enum sink_fsync fsync;
	uint32_t fsync_interval_ms;
	struct sink_names names;
	int64_t (*now_ns)(void); // the clock (tests); NULL: CLOCK_REALTIME
};

struct sink_file_stats {
	uint64_t lines, bytes, rotations, fsyncs, write_errors;
	uint64_t torn_cut; // octets of a line cut short by a crash, cut at open
};

extern const struct sink_ops sink_file_ops;

// The impl for sink_new with sink_file_ops: opens (appends to) path.
// NULL with errno set and a message in err.
void *sink_file_new(const struct sink_file_cfg *cfg, char *err, size_t errlen);

// The file sink's counters (impl from sink_file_new), from any thread.
void sink_file_get_stats(const void *impl, struct sink_file_stats *out);

// --- the syslog sink (sink_syslog.c) ---------------------------------------------

enum sink_syslog_transport {
	SINK_SYSLOG_UDP,  // one datagram per message (RFC 5426)
	SINK_SYSLOG_TCP,  // octet-counting framing (RFC 6587 §3.4.1)
	SINK_SYSLOG_UNIX, // AF_UNIX datagrams to the local socket
	SINK_SYSLOG_TRANSPORT_COUNT,
};

// 32473 is the private enterprise number RFC 5612 reserves for
// documentation and examples: a placeholder until linerate has its own.
#define SINK_SYSLOG_SD_ID_DEFAULT      "linerate@32473"
#define SINK_SYSLOG_PATH_DEFAULT       "/dev/log"
#define SINK_SYSLOG_APP_NAME_DEFAULT   "linerated"
#define SINK_SYSLOG_PORT_DEFAULT       "514"
#define SINK_SYSLOG_FACILITY_DEFAULT   16 // local0 (RFC 5424 Table 1)
#define SINK_SYSLOG_SEVERITY_DEFAULT   5  // notice (RFC 5424 Table 2)
#define SINK_SYSLOG_TIMEOUT_MS_DEFAULT 2000
#define SINK_SYSLOG_BACKOFF_MS_MAX     30000

struct sink_syslog_cfg {
	enum sink_syslog_transport transport;
	const char *host;     // UDP, TCP: name or address (required)
	const char *port;     // UDP, TCP; NULL: SINK_SYSLOG_PORT_DEFAULT
	const char *path;     // UNIX; NULL: SINK_SYSLOG_PATH_DEFAULT
	uint8_t facility;     // 0..23 (the config layer defaults to local0)
	uint8_t severity;     // 0..7
	const char *hostname; // HOSTNAME; NULL: gethostname()
	const char *sd_id;    // NULL: SINK_SYSLOG_SD_ID_DEFAULT
	const char *app_name; // APP-NAME, 1..48 PRINTUSASCII; NULL: the default
	uint32_t max_msg;     // octets per message, MSG cut beyond; 0: no limit
			      // (UDP: 65000, what one datagram carries)
	int timeout_ms;	      // connect, send, TCP delivery; 0: the default
	int backoff_max_ms;   // reconnect backoff cap; 0: SINK_SYSLOG_BACKOFF_MS_MAX
	struct sink_names names;
};

struct sink_syslog_stats {
	struct sink_io_stats io;
	uint64_t truncated; // messages cut to max_msg
};

extern const struct sink_ops sink_syslog_ops;

// The impl for sink_new with sink_syslog_ops. Checks the configuration
// only: the first connection is made at the first commit. NULL with errno
// set and a message in err.
void *sink_syslog_new(const struct sink_syslog_cfg *cfg, char *err, size_t errlen);

void sink_syslog_get_stats(const void *impl, struct sink_syslog_stats *out);

// One RFC 5424 message for record seq into out (appended): the header, the
// structured data and the JSON rendering as MSG. Exposed for tests.
// 0 or -ENOMEM.
int sink_syslog_format(void *impl, struct sink_buf *out, uint64_t seq, const struct trap_rec *r);

// --- the Kafka sink (sink_kafka.c) ------------------------------------------------

#define SINK_KAFKA_FLUSH_MS_DEFAULT 5000

struct sink_kafka_cfg {
	const char *brokers; // bootstrap.servers (required)
	const char *topic;   // (required)
	// More librdkafka properties as name, value pairs, NULL-terminated
	// (NULL: none). Values may be secrets (sasl.password, ...): they are
	// never logged nor put in an error message. enable.idempotence, acks
	// and message.timeout.ms (and its aliases) are the sink's own and
	// refused here.
	const char *const *props;
	int flush_ms; // how long a commit waits for delivery reports; 0: the default
	struct sink_names names;
	// librdkafka's logs and errors, secrets redacted; called from
	// librdkafka's threads too, so it must be thread-safe. NULL: none.
	void (*log)(void *ctx, int level, const char *msg);
	void *log_ctx;
};

struct sink_kafka_stats {
	struct sink_io_stats io;
	uint64_t delivered_upto; // highest seq delivered with every one before it
	uint64_t inflight;	 // produced, delivery report not yet in
};

extern const struct sink_ops sink_kafka_ops;

// The impl for sink_new with sink_kafka_ops: an idempotent producer
// (acks=all) whose delivery reports drive commit. NULL with errno set and a
// message in err (never a property's value).
void *sink_kafka_new(const struct sink_kafka_cfg *cfg, char *err, size_t errlen);

void sink_kafka_get_stats(const void *impl, struct sink_kafka_stats *out);

// Whether a librdkafka property's value is a secret (never logged nor
// shown), and whether the sink sets the property itself (refused in props).
bool sink_kafka_prop_is_secret(const char *name);
bool sink_kafka_prop_is_own(const char *name);

// Raises a fatal producer error, as a broker could (tests: the sink must
// replace its producer and lose nothing). 0 or -EALREADY.
int sink_kafka_test_fatal(void *impl);

#endif
