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
	return put_cookies(f, c, flags);
}

static void put_snmp(FILE *f, const struct ctl_config *c)
{
	if (!c->snmp.present)
		return;
	fprintf(f, "snmp:\n  enabled: %s\n  trap_port: %u\n", c->snmp.enabled ? "true" : "false",
		c->snmp.trap_port);
	fprintf(f, "  communities:%s\n", c->snmp.n_communities ? "" : " []");
	for (size_t i = 0; i < c->snmp.n_communities; i++) {
		fprintf(f, "    - ");
		put_str(f, c->snmp.communities[i]);
		fputc('\n', f);
	}
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
	fprintf(f, "  journal:\n");
	if (c->snmp.journal.dir)
		put_kv(f, "    ", "dir", c->snmp.journal.dir);
	if (c->snmp.journal.max_bytes)
		fprintf(f, "    max_bytes: %lu\n", (unsigned long)c->snmp.journal.max_bytes);
	fprintf(f, "    sync_interval_us: %lu\n", (unsigned long)c->snmp.journal.sync_interval_us);
	if (c->snmp.file_sink.path) {
		fprintf(f, "  sinks:\n    file:\n");
		put_kv(f, "      ", "path", c->snmp.file_sink.path);
		fprintf(f, "      rotate_bytes: %lu\n",
			(unsigned long)c->snmp.file_sink.rotate_bytes);
	}
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
	put_snmp(f, c);
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
