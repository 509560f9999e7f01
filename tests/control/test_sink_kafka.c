/* SPDX-License-Identifier: BSD-3-Clause */
// The Kafka sink against librdkafka's mock cluster (3 brokers on
// loopback): a burst arrives whole; brokers that go down mid-burst make
// the sink lag, and once they are back every record arrives, once, in
// order per key, exactly the count written. What arrived is counted by a
// consumer reading the topic back, not assumed from the sink's counters.
// Secrets in properties never reach a log line or an error message.
#include <errno.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <linerate/trap_record.h>

#include "journal_test_util.h"
#include "sink.h"

#define TOPIC	   "traps"
#define PARTITIONS 3
#define BROKERS	   3
#define KEYS	   5 // sources 192.0.2.1 .. 192.0.2.5

static char dir[64], cursor[128], bootstraps[512];
static rd_kafka_t *mock_rk;
static rd_kafka_mock_cluster_t *mock;

static void start(void)
{
	char err[256];
	scratch_dir(dir);
	snprintf(cursor, sizeof(cursor), "%s/kafka.cursor", dir);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	cr_assert_eq(rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)), 0);
	mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	cr_assert_not_null(mock_rk, "%s", err);
	mock = rd_kafka_mock_cluster_new(mock_rk, BROKERS);
	cr_assert_not_null(mock);
	snprintf(bootstraps, sizeof(bootstraps), "%s", rd_kafka_mock_cluster_bootstraps(mock));
	cr_assert_eq(rd_kafka_mock_topic_create(mock, TOPIC, PARTITIONS, BROKERS), 0);
}

static void stop(void)
{
	rd_kafka_mock_cluster_destroy(mock);
	rd_kafka_destroy(mock_rk);
	rm_tree(dir);
}

TestSuite(sink_kafka, .init = start, .fini = stop, .timeout = 100);

// Record n comes from 192.0.2.(1 + n % KEYS); its request-id is n.
static void append_from_sources(struct journal *j, uint64_t n, uint64_t k)
{
	for (uint64_t i = n; i < n + k; i++) {
		struct trap_rec r = {
			.pdu_type = SNMP_PDU_TRAP_V2,
			.snmp_version = SNMP_V2C,
			.sec_level = TRAP_REC_NO_AUTH_NO_PRIV,
			.sec_name = {(const uint8_t *)"public", 6},
			.meta = {.rx_ns = 1777638896000000000ull + i,
				 .src = {.family = 4,
					 .addr = {192, 0, 2, (uint8_t)(1 + i % KEYS)},
					 .port = 1024},
				 .dst = {.family = 4, .addr = {192, 0, 2, 100}, .port = 162}},
			.request_id = (int32_t)i,
		};
		append_trap_rec(j, &r, i);
	}
	cr_assert_eq(journal_flush(j), 0);
}

// --- logs -------------------------------------------------------------------------

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_text[1 << 16];
static size_t log_len;

static void capture(void *ctx, int level, const char *msg)
{
	(void)ctx;
	(void)level;
	pthread_mutex_lock(&log_mu);
	int n = snprintf(log_text + log_len, sizeof(log_text) - log_len, "%s\n", msg);
	if (n > 0)
		log_len = log_len + (size_t)n < sizeof(log_text) ? log_len + (size_t)n
								 : sizeof(log_text) - 1;
	pthread_mutex_unlock(&log_mu);
}

// --- the sink ------------------------------------------------------------------------

static void *kafka_impl(const char *const *props, int flush_ms)
{
	char err[512];
	struct sink_kafka_cfg cfg = {
		.brokers = bootstraps,
		.topic = TOPIC,
		.props = props,
		.flush_ms = flush_ms,
		.log = capture,
	};
	void *impl = sink_kafka_new(&cfg, err, sizeof(err));
	cr_assert_not_null(impl, "%s", err);
	return impl;
}

static struct sink *kafka_sink(struct journal *j, void *impl, uint32_t batch)
{
	char err[256];
	struct sink_cfg cfg = {.name = "kafka", .cursor_path = cursor, .batch = batch};
	struct sink *s = sink_new(j, &cfg, &sink_kafka_ops, impl, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

// Polls until the sink delivered everything written (at most ~60 s).
static void catch_up(struct sink *s, uint64_t n)
{
	struct sink_stats st;
	for (int i = 0; i < 6000; i++) {
		int rc = sink_poll(s);
		sink_get_stats(s, &st);
		if (rc == 0 && st.lag_records == 0 && st.delivered == n)
			return;
		if (rc <= 0)
			usleep(10000);
	}
	cr_assert_fail("delivered %" PRIu64 " of %" PRIu64, st.delivered, n);
}

// --- reading the topic back ---------------------------------------------------------------

// Consumes the whole topic (until want messages and then 1 s of silence,
// or 60 s) and checks: each of 1..want exactly once, key = the record's
// source (also in the JSON), and in order per key. Returns the count.
static size_t consume_and_check(uint64_t want)
{
	char err[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	cr_assert_eq(rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps, err, sizeof(err)), 0);
	cr_assert_eq(rd_kafka_conf_set(conf, "group.id", "check", err, sizeof(err)), 0);
	cr_assert_eq(rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)), 0);
	rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(PARTITIONS);
	for (int p = 0; p < PARTITIONS; p++)
		rd_kafka_topic_partition_list_add(parts, TOPIC, p)->offset =
			RD_KAFKA_OFFSET_BEGINNING;
	cr_assert_eq(rd_kafka_assign(c, parts), 0);
	rd_kafka_topic_partition_list_destroy(parts);

	uint8_t *seen = calloc(want + 1, 1);
	uint64_t last[KEYS] = {0};
	size_t count = 0;
	int64_t quiet_until = 0;
	for (int i = 0; i < 600; i++) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 100);
		if (!m) {
			if (count >= want && ++quiet_until >= 10)
				break;
			continue;
		}
		quiet_until = 0;
		i = i > 0 ? i - 1 : 0; // messages do not use up the time budget
		cr_assert_eq(m->err, 0, "%s", rd_kafka_message_errstr(m));
		json_error_t jerr;
		json_t *o = json_loadb(m->payload, m->len, 0, &jerr);
		cr_assert_not_null(o, "value is not JSON: %s", jerr.text);
		uint64_t seq = (uint64_t)json_integer_value(json_object_get(o, "seq"));
		cr_assert(seq >= 1 && seq <= want, "record %" PRIu64 " was never written", seq);
		cr_assert_not(seen[seq], "record %" PRIu64 " arrived twice", seq);
		seen[seq] = 1;
		char src[16];
		snprintf(src, sizeof(src), "192.0.2.%u", (unsigned)(1 + seq % KEYS));
		cr_assert_eq(m->key_len, strlen(src));
		cr_assert_eq(memcmp(m->key, src, m->key_len), 0, "key of %" PRIu64, seq);
		cr_assert_str_eq(json_string_value(json_object_get(o, "src")), src);
		cr_assert_gt(seq, last[seq % KEYS], "record %" PRIu64 " after %" PRIu64, seq,
			     last[seq % KEYS]);
		last[seq % KEYS] = seq;
		json_decref(o);
		rd_kafka_message_destroy(m);
		count++;
	}
	for (uint64_t s = 1; s <= want; s++)
		cr_assert(seen[s], "record %" PRIu64 " never arrived (%zu arrived)", s, count);
	free(seen);
	rd_kafka_consumer_close(c);
	rd_kafka_destroy(c);
	return count;
}

Test(sink_kafka, every_record_of_a_burst_arrives)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_from_sources(j, 1, 10000);
	void *impl = kafka_impl(NULL, 10000);
	struct sink *s = kafka_sink(j, impl, 1000);
	catch_up(s, 10000);
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert_eq(st.cursor, 10001);
	cr_assert_eq(st.io.sent, 10000);
	cr_assert_not(st.down);
	struct sink_kafka_stats ks;
	sink_kafka_get_stats(impl, &ks);
	cr_assert_eq(ks.delivered_upto, 10000);
	cr_assert_eq(ks.inflight, 0);
	sink_free(s);
	journal_close(j);
	cr_assert_eq(consume_and_check(10000), 10000);
}

Test(sink_kafka, its_thread_follows_the_journal)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	struct sink *s = kafka_sink(j, kafka_impl(NULL, 2000), 100);
	cr_assert_eq(sink_start(s), 0);
	usleep(200000); // idle: tick serves librdkafka
	append_from_sources(j, 1, 1000);
	struct sink_stats st;
	for (int i = 0; i < 3000; i++) { // at most 30 s
		sink_get_stats(s, &st);
		if (st.delivered == 1000)
			break;
		usleep(10000);
	}
	cr_assert_eq(st.delivered, 1000);
	sink_free(s);
	journal_close(j);
	uint64_t next;
	cr_assert_eq(sink_cursor_load(cursor, &next), 0);
	cr_assert_eq(next, 1001);
	cr_assert_eq(consume_and_check(1000), 1000);
}

static void brokers(bool up)
{
	for (int32_t b = 1; b <= BROKERS; b++)
		cr_assert_eq(up ? rd_kafka_mock_broker_set_up(mock, b)
				: rd_kafka_mock_broker_set_down(mock, b),
			     0);
}

Test(sink_kafka, brokers_down_mid_burst_the_sink_lags_then_delivers_everything_in_order)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_from_sources(j, 1, 3000);
	void *impl = kafka_impl(NULL, 500);
	struct sink *s = kafka_sink(j, impl, 250);
	cr_assert_eq(sink_poll(s), 250);
	cr_assert_eq(sink_poll(s), 250);

	brokers(false);
	int rc = 0;
	for (int i = 0; i < 5 && rc >= 0; i++)
		rc = sink_poll(s); // a batch may still squeeze through
	cr_assert_eq(rc, -ETIMEDOUT);
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert(st.down);
	uint64_t stuck = st.cursor;
	cr_assert_lt(stuck, 3001);
	cr_assert_eq(st.lag_records, 3001 - stuck);
	cr_assert_lt(sink_poll(s), 0);	   // emits refused while the window is out
	append_from_sources(j, 3001, 500); // traps keep coming
	usleep(300000);
	cr_assert_lt(sink_poll(s), 0);
	sink_get_stats(s, &st);
	cr_assert(st.down);
	cr_assert_eq(st.cursor, stuck);
	cr_assert_eq(st.lag_records, 3501 - stuck);

	brokers(true);
	catch_up(s, 3500);
	sink_get_stats(s, &st);
	cr_assert_not(st.down);
	cr_assert_eq(st.cursor, 3501);
	cr_assert_eq(st.io.sent, 3500); // each once: the idempotent producer
	cr_assert_geq(st.io.reconnects, 1);
	sink_free(s);
	journal_close(j);
	cr_assert_eq(consume_and_check(3500), 3500);
}

Test(sink_kafka, a_fatal_producer_error_brings_a_new_producer_and_loses_nothing)
{
	struct journal_cfg jc = {.dir = dir};
	struct journal *j = open_journal(&jc);
	append_from_sources(j, 1, 2000);
	void *impl = kafka_impl(NULL, 2000);
	struct sink *s = kafka_sink(j, impl, 250);
	cr_assert_eq(sink_poll(s), 250);
	cr_assert_eq(sink_kafka_test_fatal(impl), 0);
	catch_up(s, 2000);
	struct sink_stats st;
	sink_get_stats(s, &st);
	cr_assert_eq(st.cursor, 2001);
	cr_assert_geq(st.io.reconnects, 1); // a new producer
	pthread_mutex_lock(&log_mu);
	cr_assert(strstr(log_text, "fatal producer error"), "%s", log_text);
	pthread_mutex_unlock(&log_mu);
	sink_free(s);
	journal_close(j);
	cr_assert_eq(consume_and_check(2000), 2000);
}

Test(sink_kafka, secrets_never_reach_logs_or_errors)
{
	// librdkafka redacts sasl.password in its configuration dump itself;
	// the same value as client.id (which it shows) proves our filter
	static const char *const props[] = {
		"sasl.password", "hunter2-s3cr3t", "client.id", "hunter2-s3cr3t",
		"debug",	 "conf,generic",   NULL,
	};
	void *impl = kafka_impl(props, 1000);
	sink_kafka_ops.free(impl);
	pthread_mutex_lock(&log_mu);
	cr_assert_gt(log_len, 0, "debug=conf logged nothing: the test proves nothing");
	cr_assert_null(strstr(log_text, "hunter2-s3cr3t"), "%s", log_text);
	cr_assert(strstr(log_text, "client.id = [redacted]"), "%s", log_text);
	pthread_mutex_unlock(&log_mu);

	static const struct {
		const char *props[3];
		const char *why;
	} bad[] = {
		{{"security.protocol", "hunter2-s3cr3t"}, "security.protocol"},
		{{"ssl.key.password", ""}, "ssl.key.password"},
		{{"acks", "1"}, "set by the sink itself"},
		{{"message.timeout.ms", "30000"}, "set by the sink itself"},
		{{"enable.idempotence", "false"}, "set by the sink itself"},
		{{"no.such.property", "x"}, "no.such.property"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512] = "";
		struct sink_kafka_cfg cfg = {
			.brokers = bootstraps, .topic = TOPIC, .props = bad[i].props};
		void *k = sink_kafka_new(&cfg, err, sizeof(err));
		if (k) { // librdkafka may take it; it must not show it either way
			sink_kafka_ops.free(k);
			cr_assert_eq(i, 1, "case %zu accepted", i);
			continue;
		}
		cr_assert_eq(errno, EINVAL);
		cr_assert(strstr(err, bad[i].why), "case %zu: %s", i, err);
		cr_assert_null(strstr(err, "hunter2"), "case %zu: %s", i, err);
	}
	struct sink_kafka_cfg none = {.topic = TOPIC};
	char err[256];
	cr_assert_null(sink_kafka_new(&none, err, sizeof(err)));
	cr_assert(strstr(err, "needs brokers"), "%s", err);
}
