/* SPDX-License-Identifier: BSD-3-Clause */
// struct ctl_config → YAML, in the loader's schema, every value written
// (defaults included) so that a dump shows what the daemon runs with.
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ctl_config.h"
#include "sink.h"

// A YAML double-quoted scalar (YAML 1.1 §9.2 escapes).
static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void put_kv(FILE *f, const char *indent, const char *key, const char *val)
{
	fprintf(f, "%s%s: ", indent, key);
	put_str(f, val);
	fputc('\n', f);
}

static void put_addrs(FILE *f, const char *key, int af, const void *a, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	size_t alen = af == AF_INET ? 4 : 16;
	if (!n)
		return;
	fprintf(f, "    %s:\n", key);
	for (size_t i = 0; i < n; i++) {
		inet_ntop(af, (const uint8_t *)a + i * alen, buf, sizeof(buf));
		fprintf(f, "      - \"%s\"\n", buf);
	}
}

static void put_port(FILE *f, const struct ctl_port *p)
{
	fprintf(f, "  - name: ");
	put_str(f, p->name);
	fputc('\n', f);
	put_kv(f, "    ", "device", p->device);
	if (p->has_mac)
		fprintf(f, "    mac: \"%02x:%02x:%02x:%02x:%02x:%02x\"\n", p->mac[0], p->mac[1],
			p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
	put_addrs(f, "ipv4", AF_INET, p->ipv4, p->n_ipv4);
	put_addrs(f, "ipv6", AF_INET6, p->ipv6, p->n_ipv6);
	if (p->vlan)
		fprintf(f, "    vlan: %u\n", p->vlan);
	if (p->rx_queues)
		fprintf(f, "    rx_queues: %u\n", p->rx_queues);
	if (p->tx_queues)
		fprintf(f, "    tx_queues: %u\n", p->tx_queues);
	if (p->rx_desc)
		fprintf(f, "    rx_desc: %u\n", p->rx_desc);
	if (p->tx_desc)
		fprintf(f, "    tx_desc: %u\n", p->tx_desc);
}

// The first 4 octets of SHA-256, enough to tell two secrets apart.
static int fingerprint(const uint8_t *secret, size_t len, char out[9])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(secret, len, md, &mdlen, EVP_sha256(), NULL) || mdlen < 4)
		return -EIO;
	snprintf(out, 9, "%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

static int put_cookies(FILE *f, const struct ctl_config *c, unsigned flags)
{
	fprintf(f, "  cookies:\n    enabled: %s\n", c->dns.cookies ? "true" : "false");
	if (!c->dns.has_cookie_secret)
		return 0;
	if (flags & CTL_DUMP_SECRETS) {
		fprintf(f, "    secret: \"");
		for (size_t i = 0; i < sizeof(c->dns.cookie_secret); i++)
			fprintf(f, "%02x", c->dns.cookie_secret[i]);
		fprintf(f, "\"\n");
		return 0;
	}
	char fp[9];
	int rc = fingerprint(c->dns.cookie_secret, sizeof(c->dns.cookie_secret), fp);
	if (rc)
		return rc;
	fprintf(f, "    secret: \"(masked sha256:%s)\"\n", fp);
	return 0;
}

static int put_dns(FILE *f, const struct ctl_config *c, unsigned flags)
{
	fprintf(f, "dns:\n  zones:%s\n", c->dns.n_zones ? "" : " []");
	for (size_t i = 0; i < c->dns.n_zones; i++) {
		fprintf(f, "    - origin: ");
		put_str(f, c->dns.zones[i].origin);
		fputc('\n', f);
		put_kv(f, "      ", "file", c->dns.zones[i].file);
	}
	fprintf(f, "  edns_size: %u\n", c->dns.edns_size);
	if (c->dns.nsid)
		put_kv(f, "  ", "nsid", c->dns.nsid);
	fprintf(f, "  chaos:\n    enabled: %s\n", c->dns.chaos ? "true" : "false");
	if (c->dns.chaos_id)
		put_kv(f, "    ", "id", c->dns.chaos_id);
	if (c->dns.chaos_version)
		put_kv(f, "    ", "version", c->dns.chaos_version);
	if (c->dns.n_acl) {
		fprintf(f, "  acl:\n");
		for (size_t i = 0; i < c->dns.n_acl; i++) {
			const struct ctl_acl_rule *r = &c->dns.acl[i];
			char a[INET6_ADDRSTRLEN];
			inet_ntop(r->family == 4 ? AF_INET : AF_INET6, r->addr, a, sizeof(a));
			fprintf(f, "    - {prefix: \"%s/%u\", action: %s}\n", a, r->plen,
				ctl_acl_action_name((enum ctl_acl_action)r->action));
		}
	}
	return put_cookies(f, c, flags);
}

static void put_opt(FILE *f, const char *key, const char *val)
{
	if (val)
		put_kv(f, "      ", key, val);
}

static int put_kafka_props(FILE *f, const struct ctl_sink *s, unsigned flags)
{
	if (!s->kafka.n_props)
		return 0;
	fprintf(f, "      properties:\n");
	for (size_t k = 0; k < s->kafka.n_props; k++) {
		const char *name = s->kafka.props[2 * k], *val = s->kafka.props[2 * k + 1];
		fprintf(f, "        ");
		put_str(f, name);
		fprintf(f, ": ");
		if (!(flags & CTL_DUMP_SECRETS) && sink_kafka_prop_is_secret(name)) {
			char fp[9];
			int rc = fingerprint((const uint8_t *)val, strlen(val), fp);
			if (rc)
				return rc;
			fprintf(f, "\"(masked sha256:%s)\"\n", fp);
			continue;
		}
		put_str(f, val);
		fputc('\n', f);
	}
	return 0;
}

static int put_sink(FILE *f, const struct ctl_sink *s, unsigned flags)
{
	fprintf(f, "    - name: ");
	put_str(f, s->name);
	fprintf(f, "\n      type: %s\n", ctl_sink_type_name(s->type));
	put_opt(f, "cursor", s->cursor);
	switch (s->type) {
	case CTL_SINK_FILE:
		put_kv(f, "      ", "path", s->file.path);
		fprintf(f,
			"      rotate_bytes: %lu\n      rotate_seconds: %lu\n      fsync: %s\n"
			"      fsync_interval_ms: %u\n",
			(unsigned long)s->file.rotate_bytes, (unsigned long)s->file.rotate_seconds,
			ctl_sink_fsync_name(s->file.fsync), s->file.fsync_interval_ms);
		break;
	case CTL_SINK_SYSLOG:
		fprintf(f, "      transport: %s\n", ctl_syslog_transport_name(s->syslog.transport));
		put_opt(f, "address", s->syslog.address);
		fprintf(f, "      facility: %u\n      severity: %u\n", s->syslog.facility,
			s->syslog.severity);
		put_opt(f, "app_name", s->syslog.app_name);
		put_opt(f, "hostname", s->syslog.hostname);
		break;
	case CTL_SINK_KAFKA:
		put_kv(f, "      ", "brokers", s->kafka.brokers);
		put_kv(f, "      ", "topic", s->kafka.topic);
		if (s->kafka.flush_ms)
			fprintf(f, "      flush_ms: %u\n", s->kafka.flush_ms);
		return put_kafka_props(f, s, flags);
	default:
		break;
	}
	return 0;
}

// An snmp: key with a list of strings.
static void put_list(FILE *f, const char *key, char *const *v, size_t n)
{
	fprintf(f, "  %s:%s\n", key, n ? "" : " []");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "    - ");
		put_str(f, v[i]);
		fputc('\n', f);
	}
}

static int put_snmp(FILE *f, const struct ctl_config *c, unsigned flags)
{
	if (!c->snmp.present)
		return 0;
	fprintf(f, "snmp:\n  enabled: %s\n  trap_port: %u\n", c->snmp.enabled ? "true" : "false",
		c->snmp.trap_port);
	put_list(f, "communities", c->snmp.communities, c->snmp.n_communities);
	fprintf(f, "  v3_only: %s\n", c->snmp.v3_only ? "true" : "false");
	if (c->snmp.engine_len) {
		fprintf(f, "  engine_id: \"0x");
		for (size_t i = 0; i < c->snmp.engine_len; i++)
			fprintf(f, "%02x", c->snmp.engine_id[i]);
		fprintf(f, "\"\n");
	}
	fprintf(f, "  time_window: %u\n", c->snmp.time_window);
	if (c->snmp.users_file)
		put_kv(f, "  ", "users_file", c->snmp.users_file);
	if (c->snmp.state_file)
		put_kv(f, "  ", "state_file", c->snmp.state_file);
	if (c->snmp.key_store)
		put_kv(f, "  ", "key_store", c->snmp.key_store);
	if (c->snmp.hash_threads)
		fprintf(f, "  hash_threads: %u\n", c->snmp.hash_threads);
	fprintf(f, "  record_slots: %u\n  big_record_slots: %u\n", c->snmp.record_slots,
		c->snmp.big_record_slots);
	fprintf(f, "  journal:\n");
	if (c->snmp.journal.dir)
		put_kv(f, "    ", "dir", c->snmp.journal.dir);
	if (c->snmp.journal.max_bytes)
		fprintf(f, "    max_bytes: %lu\n", (unsigned long)c->snmp.journal.max_bytes);
	fprintf(f, "    sync_interval_us: %lu\n", (unsigned long)c->snmp.journal.sync_interval_us);
	fprintf(f, "    max_age_seconds: %lu\n", (unsigned long)c->snmp.journal.max_age_seconds);
	fprintf(f, "    when_full: %s\n", ctl_journal_full_name(c->snmp.journal.when_full));
	put_list(f, "mib_dirs", c->snmp.mib_dirs, c->snmp.n_mib_dirs);
	fprintf(f, "  sinks:%s\n", c->snmp.n_sinks ? "" : " []");
	for (size_t i = 0; i < c->snmp.n_sinks; i++) {
		int rc = put_sink(f, &c->snmp.sinks[i], flags);
		if (rc)
			return rc;
	}
	fprintf(f, "  storm:\n    enabled: %s\n    per_source_rate: %u\n    per_source_burst: %u\n",
		c->snmp.storm.enabled ? "true" : "false", c->snmp.storm.per_source_rate,
		c->snmp.storm.per_source_burst);
	if (c->snmp.storm.global_rate)
		fprintf(f, "    global_rate: %u\n", c->snmp.storm.global_rate);
	else
		fprintf(f, "    global_rate: none\n");
	if (c->snmp.storm.global_burst)
		fprintf(f, "    global_burst: %u\n", c->snmp.storm.global_burst);
	fprintf(f, "    sources: %u\n", c->snmp.storm.sources);
	return 0;
}

int ctl_config_dump(const struct ctl_config *c, FILE *f, unsigned flags)
{
	fprintf(f, "# linerated configuration%s\n",
		flags & CTL_DUMP_SECRETS ? "" : " (secrets masked)");
	fprintf(f, "eal:%s\n", c->n_eal ? "" : " []");
	for (size_t i = 0; i < c->n_eal; i++) {
		fprintf(f, "  - ");
		put_str(f, c->eal[i]);
		fputc('\n', f);
	}
	fprintf(f, "ports:\n");
	for (size_t i = 0; i < c->n_ports; i++)
		put_port(f, &c->ports[i]);
	if (c->n_workers) {
		fprintf(f, "workers: [");
		for (size_t i = 0; i < c->n_workers; i++)
			fprintf(f, "%s%u", i ? ", " : "", c->workers[i]);
		fprintf(f, "]\n");
	}
	int rc = put_dns(f, c, flags);
	if (rc)
		return rc;
	fprintf(f, "control:\n");
	put_kv(f, "  ", "socket", c->control.socket);
	fprintf(f, "  mode: \"%04o\"\n", (unsigned)c->control.mode);
	if (c->control.group)
		put_kv(f, "  ", "group", c->control.group);
	if (c->metrics.listen) {
		fprintf(f, "metrics:\n");
		put_kv(f, "  ", "listen", c->metrics.listen);
		put_kv(f, "  ", "path", c->metrics.path);
		fprintf(f, "  max_clients: %u\n  timeout_ms: %u\n", c->metrics.max_clients,
			c->metrics.timeout_ms);
	}
	fprintf(f, "log:\n  level: %s\n", ctl_log_level_name(c->log_level));
	if (c->run_as.user)
		put_kv(f, "", "user", c->run_as.user);
	if (c->run_as.group)
		put_kv(f, "", "group", c->run_as.group);
	rc = put_snmp(f, c, flags);
	if (rc)
		return rc;
	return ferror(f) ? -EIO : 0;
}

char *ctl_config_dump_string(const struct ctl_config *c, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	int rc = ctl_config_dump(c, f, flags);
	if (fclose(f) != 0 && !rc)
		rc = -EIO;
	if (rc) {
		// a secret may be in there
		if (buf)
			OPENSSL_cleanse(buf, len);
		free(buf);
		errno = -rc;
		return NULL;
	}
	return buf;
}
