/* SPDX-License-Identifier: BSD-3-Clause */
// snmp.sinks: where journaled traps go, each sink reading the journal with
// its own durable cursor (control/sink.h).
//
//   sinks:
//     - name: traps                # [A-Za-z0-9_.-], unique; the cursor's name
//       type: file
//       path: /var/log/linerate/traps.jsonl
//       rotate_bytes: 104857600    # 0: never
//       rotate_seconds: 86400      # 0: never
//       fsync: batch               # batch | interval | never
//       fsync_interval_ms: 1000    # with fsync: interval
//     - name: noc
//       type: syslog
//       transport: tcp             # udp | tcp | unix
//       address: "192.0.2.10:514"  # HOST[:PORT], [V6]:PORT; unix: a socket path
//       facility: local0           # a name of RFC 5424 Table 1, or 0..23
//       severity: 5                # 0..7
//       app_name: linerated
//     - name: fleet
//       type: kafka
//       brokers: "192.0.2.20:9092"
//       topic: snmp-traps
//       properties: {compression.type: lz4}  # librdkafka's; never acks,
//                                  # enable.idempotence, message.timeout.ms
//
// Every sink may also name its cursor file (cursor:). The older form
// `sinks: {file: {path: P, rotate_bytes: N}}` is still read: one file sink
// named "file".
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_config_walk.h"
#include "sink.h"

#define SINK_PATH_MAX	  4096
#define KAFKA_PROP_MAX	  4096 // octets of a property's name or value
#define SYSLOG_FACILITIES 24

// The config words of each enum, in enum order (the X-macros list them so).
#define WORD(e, s) s,
static const char *const type_words[CTL_SINK_TYPE_COUNT] = {CTL_SINK_TYPES(WORD)};
static const char *const fsync_words[CTL_FSYNC_COUNT] = {CTL_SINK_FSYNCS(WORD)};
static const char *const transport_words[CTL_SYSLOG_TRANSPORT_COUNT] = {
	CTL_SYSLOG_TRANSPORTS(WORD)};
static const char *const full_words[CTL_JOURNAL_FULL_COUNT] = {CTL_JOURNAL_FULL(WORD)};
#undef WORD

const char *ctl_sink_type_name(enum ctl_sink_type v)
{
	return (unsigned)v < CTL_SINK_TYPE_COUNT ? type_words[v] : "?";
}

const char *ctl_sink_fsync_name(enum ctl_sink_fsync v)
{
	return (unsigned)v < CTL_FSYNC_COUNT ? fsync_words[v] : "?";
}

const char *ctl_syslog_transport_name(enum ctl_syslog_transport v)
{
	return (unsigned)v < CTL_SYSLOG_TRANSPORT_COUNT ? transport_words[v] : "?";
}

const char *ctl_journal_full_name(enum ctl_journal_full v)
{
	return (unsigned)v < CTL_JOURNAL_FULL_COUNT ? full_words[v] : "?";
}

int ctl_cfg_journal_full(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
			 enum ctl_journal_full *out)
{
	unsigned v;
	if (ctl_cfg_word(w, path, n, full_words, CTL_JOURNAL_FULL_COUNT, &v))
		return -EINVAL;
	*out = (enum ctl_journal_full)v;
	return 0;
}

// RFC 5424 Table 1, in code order (13 and 14 are "log audit" and "log
// alert", 15 the second clock daemon).
static const char *const facility_names[SYSLOG_FACILITIES] = {
	"kern",	  "user",   "mail",	"daemon", "auth",   "syslog", "lpr",	"news",
	"uucp",	  "cron",   "authpriv", "ftp",	  "ntp",    "audit",  "alert",	"clock",
	"local0", "local1", "local2",	"local3", "local4", "local5", "local6", "local7",
};

// --- one sink's keys (obj: struct ctl_sink) ---

static int h_name(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_sink *s = obj;
	if (ctl_cfg_string(w, path, n, CTL_CONFIG_SINK_NAME_MAX, &s->name))
		return -EINVAL;
	// the name goes into a file name and linerate-ctl's table
	if (strspn(s->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
		    strlen(s->name) ||
	    s->name[0] == '.')
		return ctl_cfg_fail(w, path, n, false,
				    "letters, digits, '_', '-' and '.' only, not first '.'");
	return 0;
}

static int h_type(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned v;
	if (ctl_cfg_word(w, path, n, type_words, CTL_SINK_TYPE_COUNT, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->type = (enum ctl_sink_type)v;
	return 0;
}

static int h_cursor(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SINK_PATH_MAX, &((struct ctl_sink *)obj)->cursor);
}

static int h_path(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SINK_PATH_MAX, &((struct ctl_sink *)obj)->file.path);
}

static int h_rotate_bytes(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 9999999999ul, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->file.rotate_bytes = v;
	return 0;
}

static int h_rotate_seconds(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 366ul * 86400, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->file.rotate_seconds = v;
	return 0;
}

static int h_fsync(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned v;
	if (ctl_cfg_word(w, path, n, fsync_words, CTL_FSYNC_COUNT, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->file.fsync = (enum ctl_sink_fsync)v;
	return 0;
}

static int h_fsync_ms(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 1, 3600000, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->file.fsync_interval_ms = (uint32_t)v;
	return 0;
}

static int h_transport(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned v;
	if (ctl_cfg_word(w, path, n, transport_words, CTL_SYSLOG_TRANSPORT_COUNT, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->syslog.transport = (enum ctl_syslog_transport)v;
	return 0;
}

static int h_address(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SINK_PATH_MAX, &((struct ctl_sink *)obj)->syslog.address);
}

static int h_facility(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_sink *s = obj;
	unsigned long v;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	for (unsigned i = 0; i < SYSLOG_FACILITIES; i++)
		if (strcmp((const char *)n->data.scalar.value, facility_names[i]) == 0) {
			s->syslog.facility = (uint8_t)i;
			return 0;
		}
	const char *t = (const char *)n->data.scalar.value;
	if (t[0] < '0' || t[0] > '9')
		return ctl_cfg_fail(w, path, n, false,
				    "must be 0..23 or a facility of RFC 5424 (kern, user, "
				    "daemon, ..., local0..local7)");
	if (ctl_cfg_uint(w, path, n, 0, SYSLOG_FACILITIES - 1, &v))
		return -EINVAL;
	s->syslog.facility = (uint8_t)v;
	return 0;
}

static int h_severity(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 0, 7, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->syslog.severity = (uint8_t)v;
	return 0;
}

// RFC 5424 §6.2.5: 1..48 PRINTUSASCII (%d33-126)
static int printusascii(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, size_t max,
			char **out)
{
	if (ctl_cfg_string(w, path, n, max, out))
		return -EINVAL;
	for (const unsigned char *p = (const unsigned char *)*out; *p; p++)
		if (*p < 33 || *p > 126)
			return ctl_cfg_fail(w, path, n, false,
					    "printable ASCII without spaces only (RFC 5424 §6.2)");
	return 0;
}

static int h_app_name(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return printusascii(w, path, n, CTL_CONFIG_APP_NAME_MAX,
			    &((struct ctl_sink *)obj)->syslog.app_name);
}

static int h_hostname(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return printusascii(w, path, n, 255, &((struct ctl_sink *)obj)->syslog.hostname);
}

static int h_brokers(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_string(w, path, n, SINK_PATH_MAX, &((struct ctl_sink *)obj)->kafka.brokers);
}

static int h_topic(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_sink *s = obj;
	// Kafka's topic names: 1..249 of [A-Za-z0-9._-]
	if (ctl_cfg_string(w, path, n, 249, &s->kafka.topic))
		return -EINVAL;
	if (strspn(s->kafka.topic,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    strlen(s->kafka.topic))
		return ctl_cfg_fail(w, path, n, false,
				    "a Kafka topic is letters, digits, '.', '_' and '-'");
	return 0;
}

static int h_flush_ms(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 1, 600000, &v))
		return -EINVAL;
	((struct ctl_sink *)obj)->kafka.flush_ms = (uint32_t)v;
	return 0;
}

// properties: {name: value, ...}, librdkafka's, copied as strings.
static int h_properties(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_sink *s = obj;
	char sub[PATH_MAX_LEN];
	if (n->type != YAML_MAPPING_NODE)
		return ctl_cfg_fail(w, path, n, false, "expected a mapping (property: value)");
	size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (cnt > CTL_CONFIG_KAFKA_PROPS_MAX)
		return ctl_cfg_fail(w, path, n, false, "more than %d properties",
				    CTL_CONFIG_KAFKA_PROPS_MAX);
	s->kafka.props = calloc(2 * cnt + 1, sizeof(*s->kafka.props));
	if (!s->kafka.props)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
		yaml_node_t *k = ctl_cfg_node(w, p->key), *v = ctl_cfg_node(w, p->value);
		if (k->type != YAML_SCALAR_NODE)
			return ctl_cfg_fail(w, path, k, false, "a key must be a plain name");
		const char *name = (const char *)k->data.scalar.value;
		ctl_cfg_child_path(sub, path, name);
		if (sink_kafka_prop_is_own(name))
			return ctl_cfg_fail(
				w, sub, k, false,
				"set by linerate itself (idempotent producer, acks=all, "
				"never a delivery timeout; brokers: the brokers key)");
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->kafka.props[2 * j], name) == 0)
				return ctl_cfg_fail(w, sub, k, false, "duplicate key");
		s->kafka.n_props = i + 1;
		if (ctl_cfg_string(w, sub, k, KAFKA_PROP_MAX, &s->kafka.props[2 * i]))
			return -EINVAL;
		// a value may be a password: never shown in a message
		bool secret = sink_kafka_prop_is_secret(name);
		if (v->type != YAML_SCALAR_NODE || !v->data.scalar.length ||
		    v->data.scalar.length > KAFKA_PROP_MAX)
			return ctl_cfg_fail(w, sub, v, secret,
					    "must be a value of 1..%d characters", KAFKA_PROP_MAX);
		if (ctl_cfg_string(w, sub, v, KAFKA_PROP_MAX, &s->kafka.props[2 * i + 1]))
			return -EINVAL;
	}
	return 0;
}

// Keys by index in keys[] below, and which types take them.
enum {
	K_NAME,
	K_TYPE,
	K_CURSOR,
	K_PATH,
	K_ROTATE_BYTES,
	K_ROTATE_SECONDS,
	K_FSYNC,
	K_FSYNC_MS,
	K_TRANSPORT,
	K_ADDRESS,
	K_FACILITY,
	K_SEVERITY,
	K_APP_NAME,
	K_HOSTNAME,
	K_BROKERS,
	K_TOPIC,
	K_PROPERTIES,
	K_FLUSH_MS,
};
#define BIT(k)	 (1ull << (k))
#define K_COMMON (BIT(K_NAME) | BIT(K_TYPE) | BIT(K_CURSOR))
#define K_FILE                                                                                     \
	(BIT(K_PATH) | BIT(K_ROTATE_BYTES) | BIT(K_ROTATE_SECONDS) | BIT(K_FSYNC) | BIT(K_FSYNC_MS))
#define K_SYSLOG                                                                                   \
	(BIT(K_TRANSPORT) | BIT(K_ADDRESS) | BIT(K_FACILITY) | BIT(K_SEVERITY) | BIT(K_APP_NAME) | \
	 BIT(K_HOSTNAME))
#define K_KAFKA (BIT(K_BROKERS) | BIT(K_TOPIC) | BIT(K_PROPERTIES) | BIT(K_FLUSH_MS))

static const struct ctl_cfg_key sink_keys[] = {
	[K_NAME] = {"name", h_name},
	[K_TYPE] = {"type", h_type},
	[K_CURSOR] = {"cursor", h_cursor},
	[K_PATH] = {"path", h_path},
	[K_ROTATE_BYTES] = {"rotate_bytes", h_rotate_bytes},
	[K_ROTATE_SECONDS] = {"rotate_seconds", h_rotate_seconds},
	[K_FSYNC] = {"fsync", h_fsync},
	[K_FSYNC_MS] = {"fsync_interval_ms", h_fsync_ms},
	[K_TRANSPORT] = {"transport", h_transport},
	[K_ADDRESS] = {"address", h_address},
	[K_FACILITY] = {"facility", h_facility},
	[K_SEVERITY] = {"severity", h_severity},
	[K_APP_NAME] = {"app_name", h_app_name},
	[K_HOSTNAME] = {"hostname", h_hostname},
	[K_BROKERS] = {"brokers", h_brokers},
	[K_TOPIC] = {"topic", h_topic},
	[K_PROPERTIES] = {"properties", h_properties},
	[K_FLUSH_MS] = {"flush_ms", h_flush_ms},
};

static void sink_defaults(struct ctl_sink *s)
{
	s->file.fsync = CTL_FSYNC_BATCH;
	s->file.fsync_interval_ms = CTL_CONFIG_FSYNC_MS;
	s->syslog.transport = CTL_SYSLOG_UDP;
	s->syslog.facility = SINK_SYSLOG_FACILITY_DEFAULT;
	s->syslog.severity = SINK_SYSLOG_SEVERITY_DEFAULT;
}

// The keys a sink of its type needs and takes, once all are read.
static int sink_check(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n,
		      const struct ctl_sink *s, uint64_t seen)
{
	static const uint64_t takes[CTL_SINK_TYPE_COUNT] = {
		[CTL_SINK_FILE] = K_FILE, [CTL_SINK_SYSLOG] = K_SYSLOG, [CTL_SINK_KAFKA] = K_KAFKA};
	static const uint64_t needs[CTL_SINK_TYPE_COUNT] = {
		[CTL_SINK_FILE] = BIT(K_PATH),
		[CTL_SINK_SYSLOG] = 0, // address: checked below (unix has a default)
		[CTL_SINK_KAFKA] = BIT(K_BROKERS) | BIT(K_TOPIC)};
	char sub[PATH_MAX_LEN];
	for (unsigned k = 0; k < sizeof(sink_keys) / sizeof(sink_keys[0]); k++) {
		ctl_cfg_child_path(sub, path, sink_keys[k].key);
		if (BIT(k) & K_COMMON & ~BIT(K_CURSOR) && !(seen & BIT(k)))
			return ctl_cfg_fail(w, path, n, false, "missing key: %s", sink_keys[k].key);
		if (seen & BIT(k) & ~(K_COMMON | takes[s->type]))
			return ctl_cfg_fail(w, sub, NULL, false, "not a key of a %s sink",
					    ctl_sink_type_name(s->type));
		if (BIT(k) & needs[s->type] & ~seen)
			return ctl_cfg_fail(w, path, n, false,
					    "missing key: %s (a %s sink needs it)",
					    sink_keys[k].key, ctl_sink_type_name(s->type));
	}
	if (s->type != CTL_SINK_SYSLOG)
		return 0;
	ctl_cfg_child_path(sub, path, "address");
	if (s->syslog.transport == CTL_SYSLOG_UNIX)
		return 0; // default SINK_SYSLOG_PATH_DEFAULT
	if (!s->syslog.address)
		return ctl_cfg_fail(w, path, n, false, "missing key: address (syslog over %s)",
				    ctl_syslog_transport_name(s->syslog.transport));
	char host[256], port[8];
	const char *why;
	if (ctl_syslog_address_split(s->syslog.address, host, sizeof(host), port, sizeof(port),
				     &why) < 0)
		return ctl_cfg_fail(w, sub, NULL, false, "\"%s\": %s", s->syslog.address, why);
	return 0;
}

static int walk_sink(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, struct ctl_sink *s)
{
	uint64_t seen;
	sink_defaults(s);
	if (WALK_MAPPING(w, path, n, sink_keys, s, &seen))
		return -EINVAL;
	return sink_check(w, path, n, s, seen);
}

// Two sinks must not share a name, a cursor or a file.
static int sinks_distinct(struct ctl_cfg_walk *w, const char *path, const struct ctl_config *c)
{
	char sub[PATH_MAX_LEN], a[SINK_PATH_MAX + 64], b[SINK_PATH_MAX + 64];
	const char *dir = c->snmp.journal.dir ? c->snmp.journal.dir : ".";
	for (size_t i = 0; i < c->snmp.n_sinks; i++) {
		const struct ctl_sink *s = &c->snmp.sinks[i];
		ctl_cfg_index_path(sub, path, i);
		if (ctl_sink_cursor_path(s, dir, a, sizeof(a)) < 0)
			return ctl_cfg_fail(w, sub, NULL, false, "the cursor's path is too long");
		for (size_t j = 0; j < i; j++) {
			const struct ctl_sink *t = &c->snmp.sinks[j];
			if (!strcmp(s->name, t->name))
				return ctl_cfg_fail(w, sub, NULL, false,
						    "name \"%s\" already used by %s[%zu]", s->name,
						    path, j);
			if (s->type == CTL_SINK_FILE && t->type == CTL_SINK_FILE &&
			    !strcmp(s->file.path, t->file.path))
				return ctl_cfg_fail(w, sub, NULL, false,
						    "path \"%s\" already written by %s[%zu]",
						    s->file.path, path, j);
			if (ctl_sink_cursor_path(t, dir, b, sizeof(b)) == 0 && !strcmp(a, b))
				return ctl_cfg_fail(w, sub, NULL, false,
						    "cursor \"%s\" already used by %s[%zu]", a,
						    path, j);
		}
	}
	return 0;
}

// The older form: {file: {path, rotate_bytes}}.
static int h_legacy_file(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {{"path", h_path},
						  {"rotate_bytes", h_rotate_bytes}};
	struct ctl_sink *s = obj;
	uint64_t seen;
	sink_defaults(s);
	s->type = CTL_SINK_FILE;
	if (!(s->name = strdup("file")))
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	if (WALK_MAPPING(w, path, n, keys, obj, &seen))
		return -EINVAL;
	if (!(seen & 1))
		return ctl_cfg_fail(w, path, n, false, "missing key: path");
	return 0;
}

int ctl_cfg_sinks(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt = 1;
	if (n->type != YAML_MAPPING_NODE &&
	    ctl_cfg_sequence(w, path, n, CTL_CONFIG_SINKS_MAX, &cnt))
		return -EINVAL;
	c->snmp.sinks = calloc(cnt ? cnt : 1, sizeof(*c->snmp.sinks));
	if (!c->snmp.sinks)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	if (n->type == YAML_MAPPING_NODE) {
		static const struct ctl_cfg_key keys[] = {{"file", h_legacy_file}};
		uint64_t seen;
		c->snmp.n_sinks = 1; // freed whatever happens
		if (WALK_MAPPING(w, path, n, keys, c->snmp.sinks, &seen))
			return -EINVAL;
		c->snmp.n_sinks = seen ? 1 : 0;
		return 0;
	}
	for (size_t i = 0; i < cnt; i++) {
		ctl_cfg_index_path(sub, path, i);
		c->snmp.n_sinks = i + 1;
		if (walk_sink(w, sub, ctl_cfg_item(w, n, i), &c->snmp.sinks[i]))
			return -EINVAL;
	}
	return sinks_distinct(w, path, c);
}

void ctl_cfg_sinks_free(struct ctl_config *c)
{
	for (size_t i = 0; i < c->snmp.n_sinks; i++) {
		struct ctl_sink *s = &c->snmp.sinks[i];
		free(s->name);
		free(s->cursor);
		free(s->file.path);
		free(s->syslog.address);
		free(s->syslog.app_name);
		free(s->syslog.hostname);
		free(s->kafka.brokers);
		free(s->kafka.topic);
		for (size_t k = 0; k < 2 * s->kafka.n_props; k++) {
			if (s->kafka.props[k]) // values may be secrets
				explicit_bzero(s->kafka.props[k], strlen(s->kafka.props[k]));
			free(s->kafka.props[k]);
		}
		free(s->kafka.props);
	}
	free(c->snmp.sinks);
}

int ctl_sink_cursor_path(const struct ctl_sink *s, const char *journal_dir, char *out,
			 size_t outlen)
{
	int n;
	if (s->cursor)
		n = snprintf(out, outlen, "%s", s->cursor);
	else if (s->type == CTL_SINK_FILE)
		n = snprintf(out, outlen, "%s.cursor", s->file.path);
	else
		n = snprintf(out, outlen, "%s/sink-%s.cursor", journal_dir, s->name);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

int ctl_syslog_address_split(const char *a, char *host, size_t hostlen, char *port, size_t portlen,
			     const char **why)
{
	const char *h = a, *p = NULL;
	size_t hl;
	if (a[0] == '[') { // [V6] or [V6]:PORT (RFC 3986 §3.2.2's form)
		const char *end = strchr(a, ']');
		if (!end) {
			*why = "an IPv6 address opened with '[' must close with ']'";
			return -EINVAL;
		}
		h = a + 1;
		hl = (size_t)(end - h);
		if (end[1] == ':')
			p = end + 2;
		else if (end[1]) {
			*why = "only \":PORT\" may follow \"]\"";
			return -EINVAL;
		}
	} else {
		const char *colon = strchr(a, ':');
		if (colon && strchr(colon + 1, ':')) {
			*why = "an IPv6 address needs brackets: [2001:db8::1]:514";
			return -EINVAL;
		}
		hl = colon ? (size_t)(colon - a) : strlen(a);
		p = colon ? colon + 1 : NULL;
	}
	if (hl == 0 || hl >= hostlen) {
		*why = hl ? "the host is too long" : "no host";
		return -EINVAL;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (!p) {
		snprintf(port, portlen, "%s", SINK_SYSLOG_PORT_DEFAULT);
		return 0;
	}
	char *end;
	unsigned long v = strtoul(p, &end, 10);
	if (!*p || *end || p[0] < '0' || p[0] > '9' || v < 1 || v > 65535) {
		*why = "the port must be 1..65535";
		return -EINVAL;
	}
	snprintf(port, portlen, "%lu", v);
	return 0;
}
