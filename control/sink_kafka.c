/* SPDX-License-Identifier: BSD-3-Clause */
// The Kafka sink: one message per trap, key = the source address (text),
// value = the JSON rendering (sink_json.c), through librdkafka's idempotent
// producer (enable.idempotence=true, acks=all).
//
// Delivery reports drive commit. The records emitted since the last
// successful commit form a window of entries, each holding its key and
// value (librdkafka points at them until its report: no copy, and the
// entries' buffers are reused, so steady state allocates nothing of ours
// per record). commit() serves reports until every entry of the window is
// delivered, or fails after flush_ms: the cursor then stays, the sink is
// down and lags, and emits are refused until the window is delivered.
//
// message.timeout.ms is 0 (never): while the brokers are down librdkafka
// keeps the messages and retries, and the idempotent producer delivers
// them once, in order, when the brokers are back. A message that fails
// anyway (too large, unknown topic) is produced again from its entry at
// the next commit, and until then the sink is down: nothing is skipped.
// After a fatal producer error a new producer takes the window (renew).
//
// Threads: everything runs on the sink's thread (reports are served by
// rd_kafka_poll there), except the log callback (librdkafka's threads) and
// sink_kafka_get_stats (any thread: atomics).
#include <arpa/inet.h>
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "sink.h"

enum ent_state {
	ENT_UNSENT, // produce failed or not tried: produce at the next commit
	ENT_PENDING,
	ENT_OK,
	ENT_FAILED,
};

struct ent {
	uint64_t seq;
	enum ent_state state;
	struct sink_buf key, value;
};

#define SECRETS_MAX 16

struct sink_kafka {
	struct sink_kafka_cfg cfg;
	char *topic;
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	struct ent *ents; // the window: emitted, not yet committed
	size_t n, cap;
	size_t contig;		    // ents[0..contig) delivered
	size_t pending;		    // entries whose report is still to come
	bool stalled;		    // the last commit failed
	bool timed_out;		    // the last settle ran out of time (brokers away)
	char *secrets[SECRETS_MAX]; // values to redact from logs (copies)
	size_t nsecrets;
	struct sink_kafka_stats st;
};

#define COUNT(k, field, n) __atomic_fetch_add(&(k)->st.field, (n), __ATOMIC_RELAXED)

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// --- configuration and logs -----------------------------------------------------

// Properties whose values are secrets: librdkafka's sensitive ones.
bool sink_kafka_prop_is_secret(const char *name)
{
	return strstr(name, "password") || strstr(name, "secret") || strstr(name, "key.pem") ||
	       strstr(name, "sasl.oauthbearer.config") || strcmp(name, "ssl_key") == 0;
}

// Properties the sink sets itself: what its guarantees rest on.
bool sink_kafka_prop_is_own(const char *name)
{
	static const char *const own[] = {
		"enable.idempotence",	 "acks",
		"request.required.acks", "message.timeout.ms",
		"delivery.timeout.ms",	 "bootstrap.servers",
		"metadata.broker.list",
	};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(name, own[i]) == 0)
			return true;
	return false;
}

// msg with every secret value replaced by "[redacted]".
static void redact(const struct sink_kafka *k, const char *msg, char *out, size_t cap)
{
	size_t o = 0;
	while (*msg && o < cap - 1) {
		size_t skip = 0;
		for (size_t i = 0; i < k->nsecrets && !skip; i++)
			if (strncmp(msg, k->secrets[i], strlen(k->secrets[i])) == 0)
				skip = strlen(k->secrets[i]);
		if (!skip) {
			out[o++] = *msg++;
			continue;
		}
		int n = snprintf(out + o, cap - o, "[redacted]");
		o = n < 0 || (size_t)n >= cap - o ? cap - 1 : o + (size_t)n;
		msg += skip;
	}
	out[o] = '\0';
}

static void log_redacted(struct sink_kafka *k, int level, const char *msg)
{
	char out[1024];
	if (!k->cfg.log)
		return;
	redact(k, msg, out, sizeof(out));
	k->cfg.log(k->cfg.log_ctx, level, out);
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	char line[1024];
	snprintf(line, sizeof(line), "kafka %s: %s", fac, buf);
	log_redacted(rd_kafka_opaque(rk), level, line);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct sink_kafka *k = opaque;
	char line[1024];
	(void)rk;
	snprintf(line, sizeof(line), "kafka error %s: %s", rd_kafka_err2name(err), reason);
	log_redacted(k, LOG_WARNING, line);
}

// --- delivery ----------------------------------------------------------------------

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct sink_kafka *k = opaque;
	size_t i = (size_t)(uintptr_t)m->_private;
	(void)rk;
	if (i >= k->n || k->ents[i].state != ENT_PENDING)
		return; // cannot happen: entries live until their report
	k->pending--;
	if (m->err) {
		k->ents[i].state = ENT_FAILED;
		COUNT(k, io.failed, 1);
		return;
	}
	k->ents[i].state = ENT_OK;
	COUNT(k, io.sent, 1);
	while (k->contig < k->n && k->ents[k->contig].state == ENT_OK)
		k->contig++;
	if (k->contig)
		__atomic_store_n(&k->st.delivered_upto, k->ents[k->contig - 1].seq,
				 __ATOMIC_RELAXED);
}

static void produce(struct sink_kafka *k, size_t i)
{
	struct ent *e = &k->ents[i];
	rd_kafka_resp_err_t err = rd_kafka_producev(
		k->rk, RD_KAFKA_V_RKT(k->rkt), RD_KAFKA_V_KEY(e->key.p, e->key.len),
		RD_KAFKA_V_VALUE(e->value.p, e->value.len), RD_KAFKA_V_OPAQUE((void *)(uintptr_t)i),
		RD_KAFKA_V_END);
	if (err) { // the queue is full, or worse: again at the next commit
		e->state = ENT_UNSENT;
		COUNT(k, io.failed, 1);
		return;
	}
	e->state = ENT_PENDING;
	k->pending++;
}

// Produces the entries that are unsent (and failed ones too when retry).
static void produce_waiting(struct sink_kafka *k, bool retry)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->ents[i].state == ENT_UNSENT || (retry && k->ents[i].state == ENT_FAILED))
			produce(k, i);
}

static rd_kafka_conf_t *make_conf(struct sink_kafka *k, char *err, size_t errlen);

// The producer's handle and topic; 0 or -EINVAL with a message in err.
static int open_producer(struct sink_kafka *k, char *err, size_t errlen)
{
	char why[512], clean[512];
	rd_kafka_conf_t *conf = make_conf(k, err, errlen);
	if (!conf)
		return -EINVAL;
	k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (!k->rk) {
		rd_kafka_conf_destroy(conf);
		redact(k, why, clean, sizeof(clean));
		snprintf(err, errlen, "kafka sink: producer: %s", clean);
		return -EINVAL;
	}
	k->rkt = rd_kafka_topic_new(k->rk, k->topic, NULL);
	if (!k->rkt) {
		snprintf(err, errlen, "kafka sink: topic %s: %s", k->topic,
			 rd_kafka_err2str(rd_kafka_last_error()));
		return -EINVAL;
	}
	return 0;
}

// Drops the producer; what it still holds is reported failed.
static void close_producer(struct sink_kafka *k)
{
	if (!k->rk)
		return;
	// what is still queued points into the entries: purge it and serve
	// its reports before they go
	rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_flush(k->rk, 1000);
	if (k->rkt)
		rd_kafka_topic_destroy(k->rkt);
	rd_kafka_destroy(k->rk);
	k->rk = NULL;
	k->rkt = NULL;
}

// After a fatal error the idempotent producer takes nothing more: a new
// one (a new producer id) takes the window again, from its first
// undelivered entry. Whatever the old one wrote without reporting it
// comes twice: at least once, as across a crash.
static int renew(struct sink_kafka *k)
{
	char why[512], line[700];
	if (k->rk) {
		rd_kafka_fatal_error(k->rk, why, sizeof(why));
		snprintf(line, sizeof(line),
			 "kafka sink: fatal producer error (%s): a new producer", why);
		log_redacted(k, LOG_ERR, line);
		close_producer(k);
	}
	if (open_producer(k, why, sizeof(why)) != 0) {
		log_redacted(k, LOG_ERR, why);
		close_producer(k);
		return -EIO;
	}
	COUNT(k, io.reconnects, 1);
	return 0;
}

// Serves delivery reports until the window is delivered (then empties
// it: 0) or wait_ms passed: -ETIMEDOUT while reports are due (brokers
// down), -EIO when some failed.
static int settle(struct sink_kafka *k, int wait_ms)
{
	int64_t deadline = mono_ms() + wait_ms;
	if ((!k->rk || rd_kafka_fatal_error(k->rk, NULL, 0)) && renew(k) != 0)
		return -EIO;
	produce_waiting(k, true);
	for (;;) {
		rd_kafka_poll(k->rk, 0);
		if (k->contig == k->n) {
			if (k->timed_out) // the brokers are back
				COUNT(k, io.reconnects, 1);
			k->timed_out = false;
			k->n = k->contig = 0;
			__atomic_store_n(&k->st.inflight, 0, __ATOMIC_RELAXED);
			return 0;
		}
		__atomic_store_n(&k->st.inflight, k->pending, __ATOMIC_RELAXED);
		int64_t left = deadline - mono_ms();
		if (left <= 0 || k->pending == 0) {
			k->timed_out |= k->pending > 0;
			return k->pending ? -ETIMEDOUT : -EIO;
		}
		rd_kafka_poll(k->rk, left < 10 ? (int)left : 10);
	}
}

// --- ops -----------------------------------------------------------------------------

static int grow(struct sink_kafka *k)
{
	size_t cap = k->cap ? 2 * k->cap : 256;
	struct ent *e = realloc(k->ents, cap * sizeof(*e));
	if (!e)
		return -ENOMEM;
	memset(e + k->cap, 0, (cap - k->cap) * sizeof(*e));
	k->ents = e;
	k->cap = cap;
	return 0;
}

static int kafka_emit(void *impl, uint64_t seq, const struct trap_rec *rec)
{
	struct sink_kafka *k = impl;
	int rc;
	if (k->stalled && (rc = settle(k, 0)) != 0)
		return rc; // the last window is not delivered yet: lag
	k->stalled = false;
	if (k->n == k->cap && (rc = grow(k)))
		return rc;
	struct ent *e = &k->ents[k->n];
	char addr[INET6_ADDRSTRLEN];
	const struct trap_rec_addr *a = &rec->meta.src;
	if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "-");
	e->key.len = e->value.len = 0;
	rc = sink_buf_put(&e->key, addr, strlen(addr));
	rc = rc ? rc : sink_json_render(&e->value, seq, rec, &k->cfg.names);
	if (rc)
		return rc;
	e->seq = seq;
	if (!k->rk) { // lost to a fatal error: settle makes a new one
		e->state = ENT_UNSENT;
		k->n++;
		return 0;
	}
	produce(k, k->n++);
	rd_kafka_poll(k->rk, 0); // serve reports as they come
	return 0;
}

static int kafka_commit(void *impl)
{
	struct sink_kafka *k = impl;
	int rc = settle(k, k->cfg.flush_ms);
	k->stalled = rc != 0;
	return rc;
}

// Serves librdkafka's callbacks while no record comes: errors would
// queue up otherwise.
static void kafka_tick(void *impl)
{
	struct sink_kafka *k = impl;
	if (k->rk)
		rd_kafka_poll(k->rk, 0);
}

static void kafka_free(void *impl)
{
	struct sink_kafka *k = impl;
	if (!k)
		return;
	close_producer(k);
	for (size_t i = 0; i < k->cap; i++) {
		sink_buf_free(&k->ents[i].key);
		sink_buf_free(&k->ents[i].value);
	}
	free(k->ents);
	free(k->topic);
	for (size_t i = 0; i < k->nsecrets; i++) {
		explicit_bzero(k->secrets[i], strlen(k->secrets[i]));
		free(k->secrets[i]);
	}
	free(k);
}

static void kafka_io_stats(const void *impl, struct sink_io_stats *out)
{
	const struct sink_kafka *k = impl;
	sink_io_stats_load(&k->st.io, out);
}

const struct sink_ops sink_kafka_ops = {
	.kind = "kafka",
	.emit = kafka_emit,
	.commit = kafka_commit,
	.tick = kafka_tick,
	.free = kafka_free,
	.io_stats = kafka_io_stats,
};

void sink_kafka_get_stats(const void *impl, struct sink_kafka_stats *out)
{
	const struct sink_kafka *k = impl;
	sink_io_stats_load(&k->st.io, &out->io);
	out->delivered_upto = __atomic_load_n(&k->st.delivered_upto, __ATOMIC_RELAXED);
	out->inflight = __atomic_load_n(&k->st.inflight, __ATOMIC_RELAXED);
}

// --- construction ----------------------------------------------------------------------

// Sets one property; on failure a message naming it, never its value
// (librdkafka's own message may quote the value).
static int set_prop(rd_kafka_conf_t *conf, const char *name, const char *value, char *err,
		    size_t errlen)
{
	char why[512];
	if (rd_kafka_conf_set(conf, name, value, why, sizeof(why)) == RD_KAFKA_CONF_OK)
		return 0;
	if (sink_kafka_prop_is_secret(name) || strstr(why, value))
		snprintf(err, errlen, "kafka sink: property %s: refused by librdkafka", name);
	else
		snprintf(err, errlen, "kafka sink: %s", why);
	return -EINVAL;
}

static rd_kafka_conf_t *make_conf(struct sink_kafka *k, char *err, size_t errlen)
{
	static const char *const fixed[] = {
		"enable.idempotence", "true", "acks", "all", "message.timeout.ms", "0",
	};
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	if (!conf) {
		snprintf(err, errlen, "kafka sink: no memory");
		return NULL;
	}
	int rc = set_prop(conf, "bootstrap.servers", k->cfg.brokers, err, errlen);
	for (size_t i = 0; !rc && i < sizeof(fixed) / sizeof(fixed[0]); i += 2)
		rc = set_prop(conf, fixed[i], fixed[i + 1], err, errlen);
	for (const char *const *p = k->cfg.props; !rc && p && p[0]; p += 2) {
		if (!p[1] || sink_kafka_prop_is_own(p[0])) {
			snprintf(err, errlen, "kafka sink: property %s: %s", p[0],
				 p[1] ? "set by the sink itself" : "no value");
			rc = -EINVAL;
			break;
		}
		rc = set_prop(conf, p[0], p[1], err, errlen);
	}
	if (rc) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	return conf;
}

void *sink_kafka_new(const struct sink_kafka_cfg *cfg, char *err, size_t errlen)
{
	struct sink_kafka *k = calloc(1, sizeof(*k));
	int rc = -EINVAL;
	if (!k) {
		snprintf(err, errlen, "kafka sink: no memory");
		errno = ENOMEM;
		return NULL;
	}
	k->cfg = *cfg;
	if (!cfg->brokers || !*cfg->brokers || !cfg->topic || !*cfg->topic) {
		snprintf(err, errlen, "kafka sink: needs brokers and a topic");
		goto fail;
	}
	for (const char *const *p = cfg->props; p && p[0] && p[1]; p += 2) {
		if (!sink_kafka_prop_is_secret(p[0]) || !*p[1])
			continue;
		if (k->nsecrets == SECRETS_MAX) {
			snprintf(err, errlen, "kafka sink: more than %d secret properties",
				 SECRETS_MAX);
			goto fail;
		}
		if (!(k->secrets[k->nsecrets] = strdup(p[1]))) {
			rc = -ENOMEM;
			snprintf(err, errlen, "kafka sink: no memory");
			goto fail;
		}
		k->nsecrets++;
	}
	if (!cfg->flush_ms)
		k->cfg.flush_ms = SINK_KAFKA_FLUSH_MS_DEFAULT;
	k->topic = strdup(cfg->topic);
	if (!k->topic) {
		rc = -ENOMEM;
		snprintf(err, errlen, "kafka sink: no memory");
		goto fail;
	}
	if (open_producer(k, err, errlen) != 0)
		goto fail;
	return k;
fail:
	kafka_free(k);
	errno = -rc;
	return NULL;
}

int sink_kafka_test_fatal(void *impl)
{
	struct sink_kafka *k = impl;
	return rd_kafka_test_fatal_error(k->rk, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
					 "raised by a test") == 0
		       ? 0
		       : -EALREADY;
}
