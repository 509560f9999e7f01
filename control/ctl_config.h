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
#define CTL_CONFIG_WORKERS_MAX	   1024 // lcore ids 0..1023
#define CTL_CONFIG_ZONES_MAX	   4096
#define CTL_CONFIG_MODE_DEFAULT	   0660
#define CTL_CONFIG_SOCKET_DEFAULT  "/run/linerated/control.sock"
#define CTL_CONFIG_COMMUNITIES_MAX 64
#define CTL_CONFIG_COMMUNITY_MAX   255 // octets
#define CTL_CONFIG_ENGINE_ID_MAX   32  // RFC 3411 §5
#define CTL_CONFIG_TRAP_PORT	   162
#define CTL_CONFIG_TIME_WINDOW	   150 // seconds, RFC 3414 §2.2.3
#define CTL_CONFIG_SYNC_US_DEFAULT 1000

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
};

struct ctl_zone {
	char *origin;
	char *file;
};

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
		struct {
			char *dir;		   // required when enabled
			uint64_t max_bytes;	   // 0: the journal's default
			uint64_t sync_interval_us; // group commit; 0: every batch at once
		} journal;
		struct {
			char *path;	       // NULL: no file sink
			uint64_t rotate_bytes; // 0: never
		} file_sink;
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

// The dns: section as the answer engine's settings. Without a configured
// cookie secret, a random one is drawn. Returns 0 or a negative errno.
int ctl_config_dns_answer_cfg(const struct ctl_config *cfg, struct dns_answer_cfg *out);

#endif
