/* SPDX-License-Identifier: BSD-3-Clause */
// snmp.sinks, snmp.mib_dirs and the journal's full policy in the
// configuration: a list of every type, the older shorthand, a table of bad
// sinks each refused with its key path, value and reason, dump → load round
// trips, and Kafka secrets never shown.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_config.h"

#define PORT "ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
#define SNMP PORT "snmp:\n  enabled: true\n  journal: {dir: /var/lib/lr/j}\n"

static const char SINKS[] =
	PORT "snmp:\n  enabled: true\n"
	     "  journal: {dir: /var/lib/lr/j, max_age_seconds: 86400, when_full: refuse}\n"
	     "  mib_dirs: [/etc/linerate/mibs, \"/opt/vendor mibs\"]\n"
	     "  sinks:\n"
	     "    - name: traps\n"
	     "      type: file\n"
	     "      path: /var/log/lr/traps.jsonl\n"
	     "      rotate_bytes: 1048576\n"
	     "      rotate_seconds: 3600\n"
	     "      fsync: interval\n"
	     "      fsync_interval_ms: 250\n"
	     "    - name: noc\n"
	     "      type: syslog\n"
	     "      transport: tcp\n"
	     "      address: \"[2001:db8::514]:6514\"\n"
	     "      facility: local3\n"
	     "      severity: 4\n"
	     "      app_name: lr-traps\n"
	     "    - name: local\n"
	     "      type: syslog\n"
	     "      transport: unix\n"
	     "      cursor: /var/lib/lr/local.cursor\n"
	     "    - name: fleet\n"
	     "      type: kafka\n"
	     "      brokers: \"192.0.2.20:9092,192.0.2.21:9092\"\n"
	     "      topic: snmp.traps\n"
	     "      flush_ms: 2000\n"
	     "      properties: {compression.type: lz4, sasl.password: hunter2-SECRET}\n";

static struct ctl_config *load(const char *text, char *err)
{
	return ctl_config_load_string(text, strlen(text), err, CTL_CONFIG_ERR_MAX);
}

Test(ctl_config_sinks, loads_a_list_of_every_type)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = load(SINKS, err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(c->snmp.journal.max_age_seconds, 86400);
	cr_assert_eq(c->snmp.journal.when_full, CTL_JOURNAL_FULL_REFUSE);
	cr_assert_eq(c->snmp.n_mib_dirs, 2);
	cr_assert_str_eq(c->snmp.mib_dirs[1], "/opt/vendor mibs");
	cr_assert_eq(c->snmp.n_sinks, 4);
	const struct ctl_sink *f = &c->snmp.sinks[0], *s = &c->snmp.sinks[1],
			      *u = &c->snmp.sinks[2], *k = &c->snmp.sinks[3];
	cr_assert_str_eq(f->name, "traps");
	cr_assert_eq(f->type, CTL_SINK_FILE);
	cr_assert_eq(f->file.rotate_bytes, 1048576);
	cr_assert_eq(f->file.rotate_seconds, 3600);
	cr_assert_eq(f->file.fsync, CTL_FSYNC_INTERVAL);
	cr_assert_eq(f->file.fsync_interval_ms, 250);
	cr_assert_eq(s->type, CTL_SINK_SYSLOG);
	cr_assert_eq(s->syslog.transport, CTL_SYSLOG_TCP);
	cr_assert_eq(s->syslog.facility, 19);
	cr_assert_eq(s->syslog.severity, 4);
	cr_assert_str_eq(s->syslog.app_name, "lr-traps");
	cr_assert_eq(u->syslog.transport, CTL_SYSLOG_UNIX);
	cr_assert_null(u->syslog.address, "unix: /dev/log by default");
	cr_assert_eq(u->syslog.facility, 16, "local0 by default");
	cr_assert_eq(k->type, CTL_SINK_KAFKA);
	cr_assert_str_eq(k->kafka.topic, "snmp.traps");
	cr_assert_eq(k->kafka.flush_ms, 2000);
	cr_assert_eq(k->kafka.n_props, 2);
	cr_assert_str_eq(k->kafka.props[0], "compression.type");
	cr_assert_str_eq(k->kafka.props[3], "hunter2-SECRET");
	cr_assert_null(k->kafka.props[4], "NULL-terminated for librdkafka");
	ctl_config_free(c);
}

Test(ctl_config_sinks, cursors_default_beside_the_file_or_in_the_journal)
{
	char err[CTL_CONFIG_ERR_MAX], path[256];
	struct ctl_config *c = load(SINKS, err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_sink_cursor_path(&c->snmp.sinks[0], "/j", path, sizeof(path)), 0);
	cr_assert_str_eq(path, "/var/log/lr/traps.jsonl.cursor");
	cr_assert_eq(ctl_sink_cursor_path(&c->snmp.sinks[1], "/j", path, sizeof(path)), 0);
	cr_assert_str_eq(path, "/j/sink-noc.cursor");
	cr_assert_eq(ctl_sink_cursor_path(&c->snmp.sinks[2], "/j", path, sizeof(path)), 0);
	cr_assert_str_eq(path, "/var/lib/lr/local.cursor");
	cr_assert_eq(ctl_sink_cursor_path(&c->snmp.sinks[1], "/j", path, 8), -ENAMETOOLONG);
	ctl_config_free(c);
}

Test(ctl_config_sinks, splits_syslog_addresses)
{
	char host[64], port[8];
	const char *why = NULL;
	cr_assert_eq(
		ctl_syslog_address_split("192.0.2.1", host, sizeof(host), port, sizeof(port), &why),
		0);
	cr_assert_str_eq(host, "192.0.2.1");
	cr_assert_str_eq(port, "514");
	cr_assert_eq(ctl_syslog_address_split("[2001:db8::1]:6514", host, sizeof(host), port,
					      sizeof(port), &why),
		     0);
	cr_assert_str_eq(host, "2001:db8::1");
	cr_assert_str_eq(port, "6514");
	cr_assert_eq(ctl_syslog_address_split("logs.example:1514", host, sizeof(host), port,
					      sizeof(port), &why),
		     0);
	cr_assert_str_eq(host, "logs.example");
	static const char *const bad[] = {"",	    ":514",   "h:0",	     "h:65536",
					  "h:",	    "h:5x",   "2001:db8::1", "[::1",
					  "[::1]x", "[]:514", "h:-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(ctl_syslog_address_split(bad[i], host, sizeof(host), port,
						      sizeof(port), &why),
			     -EINVAL, "%s", bad[i]);
	char tiny[4];
	cr_assert_eq(
		ctl_syslog_address_split("longhost", tiny, sizeof(tiny), port, sizeof(port), &why),
		-EINVAL);
}

static void assert_same_sinks(const struct ctl_config *a, const struct ctl_config *b)
{
	cr_assert_eq(a->snmp.journal.max_age_seconds, b->snmp.journal.max_age_seconds);
	cr_assert_eq(a->snmp.journal.when_full, b->snmp.journal.when_full);
	cr_assert_eq(a->snmp.n_mib_dirs, b->snmp.n_mib_dirs);
	cr_assert_eq(a->snmp.n_sinks, b->snmp.n_sinks);
	for (size_t i = 0; i < a->snmp.n_sinks; i++) {
		const struct ctl_sink *p = &a->snmp.sinks[i], *q = &b->snmp.sinks[i];
		char pa[512], qa[512];
		cr_assert_str_eq(p->name, q->name);
		cr_assert_eq(p->type, q->type);
		cr_assert_eq(ctl_sink_cursor_path(p, "/j", pa, sizeof(pa)), 0);
		cr_assert_eq(ctl_sink_cursor_path(q, "/j", qa, sizeof(qa)), 0);
		cr_assert_str_eq(pa, qa);
		cr_assert_eq(p->file.rotate_seconds, q->file.rotate_seconds);
		cr_assert_eq(p->file.fsync, q->file.fsync);
		cr_assert_eq(p->file.fsync_interval_ms, q->file.fsync_interval_ms);
		cr_assert_eq(p->syslog.transport, q->syslog.transport);
		cr_assert_eq(p->syslog.facility, q->syslog.facility);
		cr_assert_eq(p->syslog.severity, q->syslog.severity);
		cr_assert_str_eq(p->syslog.address ? p->syslog.address : "-",
				 q->syslog.address ? q->syslog.address : "-");
		cr_assert_str_eq(p->syslog.app_name ? p->syslog.app_name : "-",
				 q->syslog.app_name ? q->syslog.app_name : "-");
		cr_assert_eq(p->kafka.n_props, q->kafka.n_props);
		for (size_t k = 0; k < 2 * p->kafka.n_props; k++)
			cr_assert_str_eq(p->kafka.props[k], q->kafka.props[k]);
		cr_assert_eq(p->kafka.flush_ms, q->kafka.flush_ms);
	}
}

Test(ctl_config_sinks, dump_with_secrets_loads_back_equal)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load(SINKS, err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_SECRETS);
	cr_assert_not_null(text);
	struct ctl_config *b = load(text, err);
	cr_assert_not_null(b, "%s\n%s", err, text);
	assert_same_sinks(a, b);
	free(text);
	ctl_config_free(a);
	ctl_config_free(b);
}

Test(ctl_config_sinks, the_older_shorthand_dumps_as_a_list_with_the_same_cursor)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a =
		load(SNMP "  sinks: {file: {path: /var/log/t.jsonl, rotate_bytes: 5}}\n", err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_MASKED);
	cr_assert_not_null(strstr(text, "    - name: \"file\"\n      type: file\n"), "%s", text);
	struct ctl_config *b = load(text, err);
	cr_assert_not_null(b, "%s\n%s", err, text);
	assert_same_sinks(a, b);
	cr_assert_eq(b->snmp.sinks[0].file.rotate_bytes, 5);
	free(text);
	ctl_config_free(a);
	ctl_config_free(b);
}

Test(ctl_config_sinks, masked_dump_hides_kafka_secrets)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load(SINKS, err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_MASKED);
	cr_assert_null(strstr(text, "hunter2"), "%s", text);
	cr_assert_not_null(strstr(text, "\"sasl.password\": \"(masked sha256:"), "%s", text);
	cr_assert_not_null(strstr(text, "\"compression.type\": \"lz4\""), "%s", text);
	free(text);
	ctl_config_free(a);
}

Test(ctl_config_sinks, error_never_shows_a_kafka_secret)
{
	char err[CTL_CONFIG_ERR_MAX];
	cr_assert_null(load(SNMP "  sinks: [{name: k, type: kafka, brokers: b, topic: t,"
				 " properties: {sasl.password: [hunter2]}}]\n",
			    err));
	cr_assert_not_null(strstr(err, "snmp.sinks[0].properties.sasl.password"), "%s", err);
	cr_assert_null(strstr(err, "hunter2"), "%s", err);
}

// arrays, not pointers: Criterion copies the parameters into each test's
// own process
struct bad_sink {
	char name[32];
	char yaml[1200]; // the sinks: value
	char path[64];
	char reason[64];
};

ParameterizedTestParameters(ctl_config_sinks, refuses_bad_sinks_with_path_and_reason)
{
	static struct bad_sink cases[] = {
		{"no_name", "[{type: file, path: /t}]", "snmp.sinks[0]", "missing key: name"},
		{"no_type", "[{name: a, path: /t}]", "snmp.sinks[0]", "missing key: type"},
		{"bad_type", "[{name: a, type: mqtt}]", "snmp.sinks[0].type",
		 "must be file, syslog or kafka"},
		{"bad_name", "[{name: \"a/b\", type: file, path: /t}]", "snmp.sinks[0].name",
		 "letters, digits"},
		{"dot_name", "[{name: .x, type: file, path: /t}]", "snmp.sinks[0].name",
		 "not first '.'"},
		{"long_name", "[{name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, type: file, path: /t}]",
		 "snmp.sinks[0].name", "longer than 32"},
		{"dup_name", "[{name: a, type: file, path: /t}, {name: a, type: file, path: /u}]",
		 "snmp.sinks[1]", "name \"a\" already used by snmp.sinks[0]"},
		{"dup_path", "[{name: a, type: file, path: /t}, {name: b, type: file, path: /t}]",
		 "snmp.sinks[1]", "path \"/t\" already written"},
		{"dup_cursor",
		 "[{name: a, type: file, path: /t}, {name: b, type: kafka, brokers: x, topic: y,"
		 " cursor: /t.cursor}]",
		 "snmp.sinks[1]", "cursor \"/t.cursor\" already used"},
		{"file_no_path", "[{name: a, type: file}]", "snmp.sinks[0]",
		 "missing key: path (a file sink needs it)"},
		{"file_key_on_syslog", "[{name: a, type: syslog, address: h, path: /t}]",
		 "snmp.sinks[0].path", "not a key of a syslog sink"},
		{"kafka_key_on_file", "[{name: a, type: file, path: /t, topic: x}]",
		 "snmp.sinks[0].topic", "not a key of a file sink"},
		{"unknown_key", "[{name: a, type: file, path: /t, colour: red}]",
		 "snmp.sinks[0].colour", "unknown key"},
		{"bad_fsync", "[{name: a, type: file, path: /t, fsync: always}]",
		 "snmp.sinks[0].fsync", "must be batch, interval or never"},
		{"fsync_ms_zero", "[{name: a, type: file, path: /t, fsync_interval_ms: 0}]",
		 "snmp.sinks[0].fsync_interval_ms", "1..3600000"},
		{"rotate_neg", "[{name: a, type: file, path: /t, rotate_seconds: -1}]",
		 "snmp.sinks[0].rotate_seconds", "whole number"},
		{"syslog_no_address", "[{name: a, type: syslog, transport: tcp}]", "snmp.sinks[0]",
		 "missing key: address (syslog over tcp)"},
		{"syslog_bad_port", "[{name: a, type: syslog, address: \"h:99999\"}]",
		 "snmp.sinks[0].address", "the port must be 1..65535"},
		{"syslog_bare_v6", "[{name: a, type: syslog, address: \"2001:db8::1\"}]",
		 "snmp.sinks[0].address", "needs brackets"},
		{"syslog_transport", "[{name: a, type: syslog, transport: tls, address: h}]",
		 "snmp.sinks[0].transport", "must be udp, tcp or unix"},
		{"syslog_facility_big", "[{name: a, type: syslog, address: h, facility: 24}]",
		 "snmp.sinks[0].facility", "0..23"},
		{"syslog_facility_name", "[{name: a, type: syslog, address: h, facility: local8}]",
		 "snmp.sinks[0].facility", "must be 0..23 or a facility"},
		{"syslog_severity", "[{name: a, type: syslog, address: h, severity: 8}]",
		 "snmp.sinks[0].severity", "0..7"},
		{"syslog_app_space", "[{name: a, type: syslog, address: h, app_name: \"a b\"}]",
		 "snmp.sinks[0].app_name", "without spaces"},
		{"syslog_app_long",
		 "[{name: a, type: syslog, address: h, app_name: "
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}]",
		 "snmp.sinks[0].app_name", "longer than 48"},
		{"kafka_no_topic", "[{name: a, type: kafka, brokers: b}]", "snmp.sinks[0]",
		 "missing key: topic"},
		{"kafka_bad_topic", "[{name: a, type: kafka, brokers: b, topic: \"a b\"}]",
		 "snmp.sinks[0].topic", "a Kafka topic is"},
		{"kafka_acks",
		 "[{name: a, type: kafka, brokers: b, topic: t, properties: {acks: 1}}]",
		 "snmp.sinks[0].properties.acks", "set by linerate itself"},
		{"kafka_idempotence",
		 "[{name: a, type: kafka, brokers: b, topic: t,"
		 " properties: {enable.idempotence: false}}]",
		 "snmp.sinks[0].properties.enable.idempotence", "set by linerate itself"},
		{"kafka_timeout",
		 "[{name: a, type: kafka, brokers: b, topic: t,"
		 " properties: {message.timeout.ms: 1000}}]",
		 "snmp.sinks[0].properties.message.timeout.ms", "set by linerate itself"},
		{"kafka_props_list",
		 "[{name: a, type: kafka, brokers: b, topic: t, properties: [x]}]",
		 "snmp.sinks[0].properties", "expected a mapping"},
		{"kafka_prop_empty",
		 "[{name: a, type: kafka, brokers: b, topic: t, properties: {linger.ms: \"\"}}]",
		 "snmp.sinks[0].properties.linger.ms", "1..4096"},
		{"sink_not_map", "[file]", "snmp.sinks[0]", "expected a mapping"},
		{"too_many",
		 "[{name: a0, type: kafka, brokers: b, topic: t}, {name: a1, type: kafka, brokers: "
		 "b, topic: t}, {name: a2, type: kafka, brokers: b, topic: t}, {name: a3, type: "
		 "kafka, brokers: b, topic: t}, {name: a4, type: kafka, brokers: b, topic: t}, "
		 "{name: a5, type: kafka, brokers: b, topic: t}, {name: a6, type: kafka, brokers: "
		 "b, topic: t}, {name: a7, type: kafka, brokers: b, topic: t}, {name: a8, type: "
		 "kafka, brokers: b, topic: t}, {name: a9, type: kafka, brokers: b, topic: t}, "
		 "{name: b0, type: kafka, brokers: b, topic: t}, {name: b1, type: kafka, brokers: "
		 "b, topic: t}, {name: b2, type: kafka, brokers: b, topic: t}, {name: b3, type: "
		 "kafka, brokers: b, topic: t}, {name: b4, type: kafka, brokers: b, topic: t}, "
		 "{name: b5, type: kafka, brokers: b, topic: t}, {name: b6, type: kafka, brokers: "
		 "b, topic: t}]",
		 "snmp.sinks", "more than 16 entries"},
	};
	return cr_make_param_array(struct bad_sink, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_sink *b, ctl_config_sinks, refuses_bad_sinks_with_path_and_reason)
{
	char err[CTL_CONFIG_ERR_MAX], text[4096];
	snprintf(text, sizeof(text), SNMP "  sinks: %s\n", b->yaml);
	errno = 0;
	struct ctl_config *c = load(text, err);
	cr_assert_null(c, "%s: loaded", b->name);
	cr_assert_eq(errno, EINVAL, "%s", b->name);
	cr_assert_not_null(strstr(err, b->path), "%s: no path '%s' in: %s", b->name, b->path, err);
	cr_assert_not_null(strstr(err, b->reason), "%s: no reason '%s' in: %s", b->name, b->reason,
			   err);
}

Test(ctl_config_sinks, refuses_bad_journal_policy_and_mib_dirs)
{
	static const struct {
		const char *yaml, *path, *reason;
	} cases[] = {
		{"  journal: {dir: /j, when_full: block}\n", "snmp.journal.when_full",
		 "must be drop_oldest or refuse"},
		{"  journal: {dir: /j, max_age_seconds: x}\n", "snmp.journal.max_age_seconds",
		 "whole number"},
		{"  mib_dirs: /etc/mibs\n", "snmp.mib_dirs", "expected a list"},
		{"  mib_dirs: [\"\"]\n", "snmp.mib_dirs[0]", "must not be empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[CTL_CONFIG_ERR_MAX], text[1024];
		snprintf(text, sizeof(text), PORT "snmp:\n%s", cases[i].yaml);
		struct ctl_config *c = load(text, err);
		cr_assert_null(c, "%s: loaded", cases[i].yaml);
		cr_assert_not_null(strstr(err, cases[i].path), "%s", err);
		cr_assert_not_null(strstr(err, cases[i].reason), "%s", err);
	}
}
