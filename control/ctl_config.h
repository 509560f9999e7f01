/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's configuration: one YAML file (libyaml) parsed into an
// immutable struct. A file either loads whole or not at all: on any error the
// loader returns NULL and a message naming the key path, the value and the
// reason, e.g. `line 7: ports[1].vlan = "5000": must be 1..4094`. Unknown
// and duplicate keys are errors. Secrets (the cookie secret) never appear in
// a message or a dump.
//
// Thread-safety: a loaded struct ctl_config is never modified; any thread
// may read it. The control thread loads and frees.
#ifndef LINERATE_CTL_CONFIG_H
#define LINERATE_CTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct dns_answer_cfg;

#define CTL_CONFIG_FILE_MAX	   (4u << 20) // larger files are refused unread
#define CTL_CONFIG_ERR_MAX	   512	      // room a caller gives for a message
#define CTL_CONFIG_EAL_MAX	   64
#define CTL_CONFIG_PORTS_MAX	   32
#define CTL_CONFIG_ADDRS_MAX	   64 // per family per port
#define CTL_CONFIG_QUEUES_MAX	   64
#define CTL_CONFIG_DESC_MIN	   64
#define CTL_CONFIG_DESC_MAX	   32768
#define CTL_CONFIG_WORKERS_MAX	   1024 // lcore ids 0..1023
#define CTL_CONFIG_ZONES_MAX	   4096
#define CTL_CONFIG_ACL_MAX	   64 // dns.acl rules (the workers' DP_ACL_MAX)
#define CTL_CONFIG_MODE_DEFAULT	   0660
#define CTL_CONFIG_SOCKET_DEFAULT  "/run/linerated/control.sock"
#define CTL_CONFIG_COMMUNITIES_MAX 64
#define CTL_CONFIG_COMMUNITY_MAX   255 // octets
#define CTL_CONFIG_ENGINE_ID_MAX   32  // RFC 3411 §5
#define CTL_CONFIG_TRAP_PORT	   162
#define CTL_CONFIG_TIME_WINDOW	   150 // seconds, RFC 3414 §2.2.3
#define CTL_CONFIG_SYNC_US_DEFAULT 1000
// snmp.storm (linerate/storm.h's limits): datagrams per second and per
// worker; the table's entries per worker
#define CTL_CONFIG_STORM_RATE_MAX	  100000000u
#define CTL_CONFIG_STORM_RATE_DEFAULT	  1000u
#define CTL_CONFIG_STORM_BURST_DEFAULT	  2000u
#define CTL_CONFIG_STORM_SOURCES_MIN	  64u
#define CTL_CONFIG_STORM_SOURCES_MAX	  (1u << 22)
#define CTL_CONFIG_STORM_SOURCES_DEFAULT 4096u
// snmp.record_slots, snmp.big_record_slots: each worker's trap record
// slots (dataplane/linerated/lr.h), small ones (1 KiB) for the usual
// record and big ones (10 KiB) for the rest; their memory is taken at start
#define CTL_CONFIG_RECORD_SLOTS_MIN	63u
#define CTL_CONFIG_RECORD_SLOTS_MAX	(1u << 20) // 1 GiB per worker
#define CTL_CONFIG_RECORD_SLOTS_DEFAULT 16383u	   // ~17 MiB per worker
#define CTL_CONFIG_BIG_SLOTS_MIN	1u
#define CTL_CONFIG_BIG_SLOTS_MAX	65535u // 640 MiB per worker
#define CTL_CONFIG_BIG_SLOTS_DEFAULT	255u   // ~2.6 MiB per worker

#define CTL_CONFIG_SINKS_MAX	   16
#define CTL_CONFIG_SINK_NAME_MAX   32 // [A-Za-z0-9_.-]
#define CTL_CONFIG_KAFKA_PROPS_MAX 64
#define CTL_CONFIG_MIB_DIRS_MAX	   16
#define CTL_CONFIG_APP_NAME_MAX	   48 // RFC 5424 §6.2.5
#define CTL_CONFIG_FSYNC_MS	   1000

#define CTL_LOG_LEVELS(X)                                                                          \
	X(ERROR, "error")                                                                          \
	X(WARNING, "warning") X(NOTICE, "notice") X(INFO, "info") X(DEBUG, "debug")
enum ctl_log_level {
#define CTL_LOG_ENUM(e, s) CTL_LOG_##e,
	CTL_LOG_LEVELS(CTL_LOG_ENUM)
#undef CTL_LOG_ENUM
		CTL_LOG_COUNT
};
const char *ctl_log_level_name(enum ctl_log_level level);

enum ctl_acl_action { CTL_ACL_ALLOW, CTL_ACL_DROP, CTL_ACL_REFUSE };
const char *ctl_acl_action_name(enum ctl_acl_action a);

struct ctl_port {
	char *name;
	char *device; // PCI address (0000:01:00.0) or vdev (net_af_packet0,iface=veth0)
	bool has_mac;
	uint8_t mac[6];
	size_t n_ipv4;
	uint8_t (*ipv4)[4]; // network order
	size_t n_ipv6;
	uint8_t (*ipv6)[16];
	uint16_t vlan;	    // 0: untagged, else 1..4094
	uint16_t rx_queues; // 1..CTL_CONFIG_QUEUES_MAX; 0 (absent): one per worker
	uint16_t tx_queues; // 1..CTL_CONFIG_QUEUES_MAX; 0 (absent): as many as RX
	// descriptors a queue: a power of two in CTL_CONFIG_DESC_MIN..MAX,
	// which the port may still round to what it can; 0 (absent): 1024
	uint16_t rx_desc;
	uint16_t tx_desc;
};

struct ctl_zone {
	char *origin;
	char *file;
};

// Registries of the snmp.sinks enums: X(enum suffix, config word).
#define CTL_SINK_TYPES(X)	 X(FILE, "file") X(SYSLOG, "syslog") X(KAFKA, "kafka")
#define CTL_SINK_FSYNCS(X)	 X(BATCH, "batch") X(INTERVAL, "interval") X(NEVER, "never")
#define CTL_SYSLOG_TRANSPORTS(X) X(UDP, "udp") X(TCP, "tcp") X(UNIX, "unix")
// What a full journal does with a new trap (informs are always refused:
// they cannot be acknowledged before they are durable).
#define CTL_JOURNAL_FULL(X) X(DROP_OLDEST, "drop_oldest") X(REFUSE, "refuse")

enum ctl_sink_type {
#define X(e, s) CTL_SINK_##e,
	CTL_SINK_TYPES(X)
#undef X
		CTL_SINK_TYPE_COUNT
};
enum ctl_sink_fsync {
#define X(e, s) CTL_FSYNC_##e,
	CTL_SINK_FSYNCS(X)
#undef X
		CTL_FSYNC_COUNT
};
enum ctl_syslog_transport {
#define X(e, s) CTL_SYSLOG_##e,
	CTL_SYSLOG_TRANSPORTS(X)
#undef X
		CTL_SYSLOG_TRANSPORT_COUNT
};
enum ctl_journal_full {
#define X(e, s) CTL_JOURNAL_FULL_##e,
	CTL_JOURNAL_FULL(X)
#undef X
		CTL_JOURNAL_FULL_COUNT
};
const char *ctl_sink_type_name(enum ctl_sink_type t);
const char *ctl_sink_fsync_name(enum ctl_sink_fsync f);
const char *ctl_syslog_transport_name(enum ctl_syslog_transport t);
const char *ctl_journal_full_name(enum ctl_journal_full f);

// One of snmp.sinks: read the journal with its own cursor.
struct ctl_sink {
	char *name; // unique among the sinks
	enum ctl_sink_type type;
	char *cursor; // the cursor file; NULL: the daemon's default (ctl_sink_cursor_path)
	struct {
		char *path;
		uint64_t rotate_bytes;	 // 0: never
		uint64_t rotate_seconds; // 0: never
		enum ctl_sink_fsync fsync;
		uint32_t fsync_interval_ms; // for CTL_FSYNC_INTERVAL
	} file;
	struct {
		enum ctl_syslog_transport transport;
		char *address;	  // udp, tcp: HOST, HOST:PORT, [V6]:PORT; unix: a socket path
		uint8_t facility; // 0..23, default local0
		uint8_t severity; // 0..7, default notice
		char *app_name;	  // NULL: "linerated"
		char *hostname;	  // NULL: gethostname()
	} syslog;
	struct {
		char *brokers;
		char *topic;
		size_t n_props;
		char **props;	   // name, value, name, value, ..., NULL (librdkafka's)
		uint32_t flush_ms; // 0: the sink's default
	} kafka;
};

// The cursor file of sink s: its cursor key, else PATH.cursor for a file
// sink (where the file sink always kept it), else
// JOURNAL_DIR/sink-NAME.cursor. 0, or -ENAMETOOLONG.
int ctl_sink_cursor_path(const struct ctl_sink *s, const char *journal_dir, char *out,
			 size_t outlen);

// A syslog address split: host (brackets removed) and port (default
// "514"). 0, or -EINVAL with the reason in *why.
int ctl_syslog_address_split(const char *address, char *host, size_t hostlen, char *port,
			     size_t portlen, const char **why);

struct ctl_config {
	size_t n_eal;
	char **eal;
	size_t n_ports;
	struct ctl_port *ports;
	size_t n_workers;
	uint16_t *workers; // lcore ids, distinct
	struct {
		size_t n_zones;
		struct ctl_zone *zones;
		uint16_t edns_size; // 512..65535, default 1232
		char *nsid;	    // NULL: no NSID
		bool chaos;
		char *chaos_id; // NULL: REFUSED
		char *chaos_version;
		bool cookies;
		bool has_cookie_secret; // false: a random secret at each start
		uint8_t cookie_secret[16];
		size_t n_acl; // dns.acl: matched in order, first match wins, none: allow
		struct ctl_acl_rule {
			uint8_t family; // 4 or 6
			uint8_t plen;
			uint8_t action; // enum ctl_acl_action
			uint8_t addr[16];
		} *acl;
	} dns;
	struct {
		char *socket;
		mode_t mode; // never world-writable
		char *group; // NULL: the daemon's own group
	} control;
	struct {
		char *listen; // "ADDRESS:PORT"; NULL: no metrics endpoint
		char *path;   // default CTL_METRICS_PATH_DEFAULT
		unsigned max_clients;
		unsigned timeout_ms;
	} metrics;
	enum ctl_log_level log_level;
	// privilege drop (user:, group: at the top level): the daemon becomes
	// this user once its ports, sockets and files are set up
	struct {
		char *user;  // NULL: stay who started it
		char *group; // NULL: the user's primary group
	} run_as;
	// snmp: the trap collector (issue #6). Only read when enabled.
	struct {
		bool present; // the section was in the file (dumped back then)
		bool enabled;
		uint16_t trap_port; // default 162
		size_t n_communities;
		char **communities; // v1/v2c traps with another are dropped
		bool v3_only;	    // v1/v2c dropped whatever their community
		uint8_t engine_id[CTL_CONFIG_ENGINE_ID_MAX];
		size_t engine_len;    // 0: the state file's, or a new one (ctl_snmp_state.h)
		char *state_file;     // NULL: engine.state in the journal directory
		uint32_t time_window; // seconds, default 150
		char *users_file;     // NULL: no v3 user
		char *key_store;      // NULL: usm.keys in the journal directory
		unsigned hash_threads; // USM hashing pool; 0: CTL_USM_POOL_THREADS_DEFAULT
		// trap record slots per worker: small, and full-size ones
		uint32_t record_slots;
		uint32_t big_record_slots;
		struct {
			char *dir;		   // required when enabled
			uint64_t max_bytes;	   // 0: the journal's default
			uint64_t sync_interval_us; // group commit; 0: every batch at once
			uint64_t max_age_seconds;  // sealed segments older go; 0: no limit
			enum ctl_journal_full when_full;
		} journal;
		// per-source storm control in each worker's trap stage
		struct {
			bool enabled;		   // default false
			uint32_t per_source_rate;  // datagrams/s per source and worker
			uint32_t per_source_burst; // datagrams a quiet source may send at once
			uint32_t global_rate;	   // the worker's budget; 0 ("none"): no budget
			uint32_t global_burst;	   // 0 (absent): one second of global_rate
			uint32_t sources;	   // table entries per worker
		} storm;
		// snmp.sinks: a list, or the older {file: {...}} (one sink "file")
		size_t n_sinks;
		struct ctl_sink *sinks;
		// operator MIB directories, searched after the Debian sets
		size_t n_mib_dirs;
		char **mib_dirs;
	} snmp;
};

// Parse a file or text. Return a new config (free with ctl_config_free), or
// NULL with errno set (EINVAL: bad config; others: I/O) and a message in
// err[0..errlen).
struct ctl_config *ctl_config_load_file(const char *path, char *err, size_t errlen);
struct ctl_config *ctl_config_load_string(const char *text, size_t len, char *err, size_t errlen);

// Free a config, wiping its secret. NULL is a no-op.
void ctl_config_free(struct ctl_config *cfg);

enum ctl_config_dump_flags {
	CTL_DUMP_MASKED = 0,	   // secrets as "(masked sha256:xxxxxxxx)": for show output
	CTL_DUMP_SECRETS = 1 << 0, // secrets in full: only for writing the 0600 config file
};

// Write cfg as YAML that ctl_config_load_* reads back to an equal config.
// Masked (the default), the cookie secret shows only a fingerprint to tell
// secrets apart, and such a dump does not load back until a secret is put
// in. Returns 0 or a negative errno.
int ctl_config_dump(const struct ctl_config *cfg, FILE *out, unsigned flags);

// The same into a new string (caller frees), or NULL with errno set.
char *ctl_config_dump_string(const struct ctl_config *cfg, unsigned flags);

// The uid and gid of run_as (user: and group:), looked up in the system's
// user database: 0, or -ENOENT with a message naming the key when the user
// or group does not exist. Without user: *uid and *gid are (uid_t)-1 /
// (gid_t)-1. The daemon and `linerate-ctl config check` call it.
int ctl_config_run_as(const struct ctl_config *cfg, uid_t *uid, gid_t *gid, char *err,
		      size_t errlen);

// The dns: section as the answer engine's settings. Without a configured
// cookie secret, a random one is drawn. Returns 0 or a negative errno.
int ctl_config_dns_answer_cfg(const struct ctl_config *cfg, struct dns_answer_cfg *out);

#endif
