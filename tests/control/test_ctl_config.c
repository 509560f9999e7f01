/* SPDX-License-Identifier: BSD-3-Clause */
// The configuration loader: a full valid file, defaults, a table of bad
// files each refused with its key path and reason, dump → load round trips,
// and secrets never shown.
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linerate/dns_answer.h>

#include "ctl_config.h"

#define SECRET_HEX "000102030405060708090a0b0c0d0e0f"

static const char GOOD[] =
	"eal: [\"--no-huge\", \"--in-memory\", \"-l\", \"0-2\"]\n"
	"ports:\n"
	"  - name: lr0\n"
	"    device: net_af_packet0,iface=lr0\n"
	"    mac: \"02:00:00:00:00:53\"\n"
	"    ipv4: [192.0.2.53]\n"
	"    ipv6: [\"2001:db8::53\"]\n"
	"    vlan: 100\n"
	"    rx_queues: 2\n"
	"    tx_queues: 2\n"
	"    rx_desc: 4096\n"
	"    tx_desc: 512\n"
	"  - name: nic1\n"
	"    device: \"0000:01:00.0\"\n"
	"    ipv4: [192.0.2.54, 192.0.2.55]\n"
	"workers: [1, 2]\n"
	"dns:\n"
	"  zones:\n"
	"    - origin: example.com.\n"
	"      file: /etc/linerate/example.com.zone\n"
	"    - {origin: example.net., file: \"example.net.zone\"}\n"
	"  edns_size: 1400\n"
	"  nsid: linerate-test\n"
	"  chaos: {enabled: true, id: ns1, version: \"linerate 0.1\"}\n"
	"  cookies:\n"
	"    enabled: yes\n"
	"    secret: " SECRET_HEX "\n"
	"  acl:\n"
	"    - {prefix: 192.0.2.128/25, action: allow}\n"
	"    - {prefix: 192.0.2.0/24, action: refuse}\n"
	"    - {prefix: \"2001:db8::/32\", action: drop}\n"
	"    - {prefix: 198.51.100.7, action: drop}\n"
	"control:\n"
	"  socket: /tmp/lr.sock\n"
	"  mode: \"0640\"\n"
	"  group: linerate\n"
	"metrics:\n"
	"  listen: \"[2001:db8::53]:9253\"\n"
	"  path: /stats/prometheus\n"
	"  max_clients: 4\n"
	"  timeout_ms: 2500\n"
	"log:\n"
	"  level: info\n"
	"snmp:\n"
	"  enabled: true\n"
	"  trap_port: 1162\n"
	"  communities: [public, \"s3cret ops\"]\n"
	"  v3_only: false\n"
	"  engine_id: \"0x80001f88040102030405\"\n"
	"  time_window: 120\n"
	"  users_file: /etc/linerate/users.yaml\n"
	"  state_file: /var/lib/linerate/snmp-engine\n"
	"  record_slots: 4095\n"
	"  big_record_slots: 63\n"
	"  journal: {dir: /var/lib/linerate/journal, max_bytes: 67108864,\n"
	"            sync_interval_us: 500}\n"
	"  sinks:\n"
	"    file: {path: /var/log/linerate/traps.jsonl, rotate_bytes: 1000000}\n"
	"  storm:\n"
	"    enabled: true\n"
	"    per_source_rate: 500\n"
	"    per_source_burst: 800\n"
	"    global_rate: 20000\n"
	"    global_burst: 40000\n"
	"    sources: 1000\n"
	"user: linerate\n"
	"group: linerate-ops\n";

static struct ctl_config *load(const char *text, char *err)
{
	return ctl_config_load_string(text, strlen(text), err, CTL_CONFIG_ERR_MAX);
}

Test(ctl_config, loads_every_section_of_a_full_file)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = load(GOOD, err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(c->n_eal, 4);
	cr_assert_str_eq(c->eal[3], "0-2");
	cr_assert_eq(c->n_ports, 2);
	struct ctl_port *p = &c->ports[0];
	cr_assert_str_eq(p->name, "lr0");
	cr_assert_str_eq(p->device, "net_af_packet0,iface=lr0");
	cr_assert(p->has_mac);
	cr_assert_eq(p->mac[5], 0x53);
	cr_assert_eq(p->n_ipv4, 1);
	cr_assert_eq(memcmp(p->ipv4[0], "\xc0\x00\x02\x35", 4), 0);
	cr_assert_eq(p->n_ipv6, 1);
	cr_assert_eq(p->ipv6[0][0], 0x20);
	cr_assert_eq(p->ipv6[0][15], 0x53);
	cr_assert_eq(p->vlan, 100);
	cr_assert_eq(p->rx_queues, 2);
	cr_assert_eq(p->rx_desc, 4096);
	cr_assert_eq(p->tx_desc, 512);
	cr_assert_eq(c->ports[1].rx_desc, 0, "absent: the daemon's default");
	cr_assert_eq(c->ports[1].vlan, 0);
	cr_assert_eq(c->ports[1].rx_queues, 0, "absent: one per worker, decided at start");
	cr_assert_eq(c->ports[1].tx_queues, 0);
	cr_assert_not(c->ports[1].has_mac);
	cr_assert_eq(c->ports[1].n_ipv4, 2);
	cr_assert_eq(c->n_workers, 2);
	cr_assert_eq(c->workers[1], 2);
	cr_assert_eq(c->dns.n_zones, 2);
	cr_assert_str_eq(c->dns.zones[1].file, "example.net.zone");
	cr_assert_eq(c->dns.edns_size, 1400);
	cr_assert_str_eq(c->dns.nsid, "linerate-test");
	cr_assert_eq(c->dns.n_acl, 4);
	cr_assert(c->dns.acl[0].family == 4 && c->dns.acl[0].plen == 25 &&
		  c->dns.acl[0].addr[3] == 128 && c->dns.acl[0].action == CTL_ACL_ALLOW);
	cr_assert(c->dns.acl[1].plen == 24 && c->dns.acl[1].action == CTL_ACL_REFUSE);
	cr_assert(c->dns.acl[2].family == 6 && c->dns.acl[2].plen == 32 &&
		  c->dns.acl[2].addr[1] == 0x01 && c->dns.acl[2].action == CTL_ACL_DROP);
	cr_assert(c->dns.acl[3].plen == 32 && c->dns.acl[3].addr[3] == 7); // a host alone
	cr_assert(c->dns.chaos);
	cr_assert_str_eq(c->dns.chaos_version, "linerate 0.1");
	cr_assert(c->dns.cookies);
	cr_assert(c->dns.has_cookie_secret);
	cr_assert_eq(c->dns.cookie_secret[15], 0x0f);
	cr_assert_str_eq(c->control.socket, "/tmp/lr.sock");
	cr_assert_eq(c->control.mode, 0640);
	cr_assert_str_eq(c->control.group, "linerate");
	cr_assert_str_eq(c->metrics.listen, "[2001:db8::53]:9253");
	cr_assert_str_eq(c->metrics.path, "/stats/prometheus");
	cr_assert_eq(c->metrics.max_clients, 4);
	cr_assert_eq(c->metrics.timeout_ms, 2500);
	cr_assert_eq(c->log_level, CTL_LOG_INFO);
	cr_assert(c->snmp.enabled);
	cr_assert_eq(c->snmp.trap_port, 1162);
	cr_assert_eq(c->snmp.n_communities, 2);
	cr_assert_str_eq(c->snmp.communities[1], "s3cret ops");
	cr_assert_eq(c->snmp.engine_len, 10);
	cr_assert_eq(c->snmp.engine_id[9], 0x05);
	cr_assert_eq(c->snmp.time_window, 120);
	cr_assert_str_eq(c->snmp.state_file, "/var/lib/linerate/snmp-engine");
	cr_assert_eq(c->snmp.record_slots, 4095);
	cr_assert_eq(c->snmp.big_record_slots, 63);
	cr_assert_str_eq(c->snmp.journal.dir, "/var/lib/linerate/journal");
	cr_assert_eq(c->snmp.journal.max_bytes, 67108864);
	cr_assert_eq(c->snmp.journal.sync_interval_us, 500);
	// the older form of sinks: one file sink called "file"
	cr_assert_eq(c->snmp.n_sinks, 1);
	cr_assert_str_eq(c->snmp.sinks[0].name, "file");
	cr_assert_eq(c->snmp.sinks[0].type, CTL_SINK_FILE);
	cr_assert_str_eq(c->snmp.sinks[0].file.path, "/var/log/linerate/traps.jsonl");
	cr_assert_eq(c->snmp.sinks[0].file.rotate_bytes, 1000000);
	cr_assert_eq(c->snmp.sinks[0].file.fsync, CTL_FSYNC_BATCH);
	cr_assert(c->snmp.storm.enabled);
	cr_assert_eq(c->snmp.storm.per_source_rate, 500);
	cr_assert_eq(c->snmp.storm.per_source_burst, 800);
	cr_assert_eq(c->snmp.storm.global_rate, 20000);
	cr_assert_eq(c->snmp.storm.global_burst, 40000);
	cr_assert_eq(c->snmp.storm.sources, 1000);
	cr_assert_str_eq(c->run_as.user, "linerate");
	cr_assert_str_eq(c->run_as.group, "linerate-ops");
	ctl_config_free(c);
}

Test(ctl_config, fills_defaults_for_a_minimal_file)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c =
		load("ports:\n  - {name: p, device: net_ring0, ipv4: [192.0.2.1]}\n", err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(c->dns.edns_size, DNS_ANSWER_EDNS_DEFAULT);
	cr_assert(c->dns.chaos);
	cr_assert_not(c->dns.cookies);
	cr_assert_eq(c->control.mode, 0660);
	cr_assert_str_eq(c->control.socket, CTL_CONFIG_SOCKET_DEFAULT);
	cr_assert_null(c->control.group);
	cr_assert_eq(c->n_workers, 0);
	cr_assert_null(c->metrics.listen, "no metrics section: no endpoint");
	cr_assert_eq(c->log_level, CTL_LOG_NOTICE);
	cr_assert_not(c->snmp.present);
	cr_assert_not(c->snmp.enabled);
	cr_assert_eq(c->snmp.trap_port, 162);
	cr_assert_eq(c->snmp.time_window, 150);
	cr_assert_eq(c->snmp.record_slots, CTL_CONFIG_RECORD_SLOTS_DEFAULT);
	cr_assert_eq(c->snmp.big_record_slots, CTL_CONFIG_BIG_SLOTS_DEFAULT);
	cr_assert_not(c->snmp.storm.enabled);
	cr_assert_eq(c->snmp.storm.per_source_rate, CTL_CONFIG_STORM_RATE_DEFAULT);
	cr_assert_eq(c->snmp.storm.per_source_burst, CTL_CONFIG_STORM_BURST_DEFAULT);
	cr_assert_eq(c->snmp.storm.global_rate, 0, "no budget unless configured");
	cr_assert_eq(c->snmp.storm.sources, CTL_CONFIG_STORM_SOURCES_DEFAULT);
	ctl_config_free(c);
}

// "none" reads as no budget, and a dump writes it so that it reads back.
Test(ctl_config, storm_global_rate_none_is_no_budget)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load("ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
				    "snmp: {storm: {enabled: true, global_rate: none}}\n",
				    err);
	char *text = a ? ctl_config_dump_string(a, CTL_DUMP_MASKED) : NULL;
	struct ctl_config *b = text ? load(text, err) : NULL;
	cr_assert_not_null(b, "%s\n%s", err, text ? text : "");
	cr_assert_not_null(strstr(text, "    global_rate: none\n"), "%s", text);
	for (struct ctl_config *c = a; c; c = c == a ? b : NULL)
		cr_assert(c->snmp.storm.enabled && c->snmp.storm.global_rate == 0);
	free(text);
	ctl_config_free(a);
	ctl_config_free(b);
}

Test(ctl_config, fills_metrics_defaults_beside_listen)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = load("ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
				    "metrics: {listen: \"127.0.0.1:9253\"}\n",
				    err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_str_eq(c->metrics.listen, "127.0.0.1:9253");
	cr_assert_str_eq(c->metrics.path, "/metrics");
	cr_assert_eq(c->metrics.max_clients, 16);
	cr_assert_eq(c->metrics.timeout_ms, 5000);
	ctl_config_free(c);
}

Test(ctl_config, maps_dns_onto_the_answer_engine)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct dns_answer_cfg a;
	struct ctl_config *c = load(GOOD, err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_dns_answer_cfg(c, &a), 0);
	cr_assert_eq(a.edns_size, 1400);
	cr_assert_eq(a.nsid_len, strlen("linerate-test"));
	cr_assert_eq(memcmp(a.nsid, "linerate-test", a.nsid_len), 0);
	cr_assert(a.chaos);
	cr_assert_str_eq(a.chaos_id, "ns1");
	cr_assert_str_eq(a.chaos_version, "linerate 0.1");
	cr_assert(a.cookies);
	cr_assert_eq(memcmp(a.cookie_secret, c->dns.cookie_secret, 16), 0);
	ctl_config_free(c);

	c = load("ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
		 "dns: {cookies: {enabled: true}, chaos: {enabled: false}}\n",
		 err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_dns_answer_cfg(c, &a), 0);
	cr_assert_not(a.chaos);
	cr_assert_eq(a.nsid_len, 0);
	cr_assert_str_eq(a.chaos_version, "linerate", "the engine's default stays");
	static const uint8_t zero[16];
	cr_assert_neq(memcmp(a.cookie_secret, zero, 16), 0, "a random secret is drawn");
	ctl_config_free(c);
}

Test(ctl_config, loads_a_file_and_names_it_in_errors)
{
	char path[] = "/tmp/ctl_config_XXXXXX", err[CTL_CONFIG_ERR_MAX];
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, GOOD, strlen(GOOD)), (ssize_t)strlen(GOOD));
	close(fd);
	struct ctl_config *c = ctl_config_load_file(path, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	ctl_config_free(c);
	unlink(path);
	c = ctl_config_load_file(path, err, sizeof(err));
	cr_assert_null(c);
	cr_assert_eq(errno, ENOENT);
	cr_assert_not_null(strstr(err, path), "%s", err);
}

// One bad file: the key path and the reason the message must carry.
struct bad_cfg {
	char name[32];
	char yaml[400];
	char path[40];
	char reason[64];
};

#define PORT	     "ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1]}]\n"
#define PORTX(extra) "ports: [{name: p, device: net_ring0, ipv4: [192.0.2.1], " extra "}]\n"
#define PORT6(extra) "ports: [{name: p, device: net_ring0, ipv6: [\"2001:db8::1\"], " extra "}]\n"

ParameterizedTestParameters(ctl_config, refuses_bad_files_with_path_and_reason)
{
	static struct bad_cfg cases[] = {
		{"empty", "", "(top)", "empty"},
		{"syntax", "ports: [\n", "line", "YAML syntax"},
		{"top_not_map", "- a\n", "(top)", "expected a mapping"},
		{"unknown_top", PORT "colour: blue\n", "colour", "unknown key"},
		{"duplicate_top", PORT "log: {level: info}\nlog: {level: info}\n", "log",
		 "duplicate key"},
		{"no_ports", "log: {level: info}\n", "ports", "missing"},
		{"ports_empty", "ports: []\n", "ports", "at least one port"},
		{"ports_not_list", "ports: {name: p}\n", "ports", "expected a list"},
		{"port_unknown", PORTX("speed: 10"), "ports[0].speed", "unknown key"},
		{"port_no_name", "ports: [{device: net_ring0, ipv4: [192.0.2.1]}]\n", "ports[0]",
		 "missing key: name"},
		{"port_no_device", "ports: [{name: p, ipv4: [192.0.2.1]}]\n", "ports[0]",
		 "missing key: device"},
		{"port_no_addr", "ports: [{name: p, device: net_ring0}]\n", "ports[0]",
		 "at least one ipv4 or ipv6"},
		{"port_bad_name",
		 "ports: [{name: \"a b\", device: net_ring0, ipv4: [192.0.2.1]}]\n",
		 "ports[0].name", "only letters"},
		{"device_bad", "ports: [{name: p, device: eth0, ipv4: [192.0.2.1]}]\n",
		 "ports[0].device", "not a PCI address"},
		{"device_bad_pci",
		 "ports: [{name: p, device: \"0000:01:40.0\", ipv4: [192.0.2.1]}]\n",
		 "ports[0].device", "not a PCI address"},
		{"device_bad_kv",
		 "ports: [{name: p, device: \"net_tap0,=x\", ipv4: [192.0.2.1]}]\n",
		 "ports[0].device", "not a PCI address"},
		{"mac_bad", PORTX("mac: \"02:00:00:00:00\""), "ports[0].mac", "six hex octets"},
		{"mac_multicast", PORTX("mac: \"01:00:5e:00:00:01\""), "ports[0].mac", "multicast"},
		{"ipv4_bad", PORT6("ipv4: [192.0.2.300]"), "ports[0].ipv4[0]", "not an IPv4"},
		{"ipv4_v6", PORT6("ipv4: [\"2001:db8::1\"]"), "ports[0].ipv4[0]", "not an IPv4"},
		{"ipv4_mcast", PORT6("ipv4: [224.0.0.1]"), "ports[0].ipv4[0]", "not a unicast"},
		{"ipv4_twice", PORT6("ipv4: [192.0.2.1, 192.0.2.1]"), "ports[0].ipv4[1]",
		 "listed twice"},
		{"ipv6_bad", PORTX("ipv6: [\"2001:db8::g\"]"), "ports[0].ipv6[0]", "not an IPv6"},
		{"ipv6_not_list", PORTX("ipv6: \"2001:db8::1\""), "ports[0].ipv6",
		 "expected a list"},
		{"vlan_zero", PORTX("vlan: 0"), "ports[0].vlan", "1..4094"},
		{"vlan_big",
		 "ports:\n - {name: a, device: net_ring0, ipv4: [192.0.2.1]}\n"
		 " - {name: b, device: net_ring1, ipv4: [192.0.2.2], vlan: 5000}\n",
		 "ports[1].vlan", "1..4094"},
		{"vlan_text", PORTX("vlan: ten"), "ports[0].vlan", "whole number"},
		{"vlan_negative", PORTX("vlan: -1"), "ports[0].vlan", "whole number"},
		{"rxq_zero", PORTX("rx_queues: 0"), "ports[0].rx_queues", "1..64"},
		{"txq_big", PORTX("tx_queues: 65"), "ports[0].tx_queues", "1..64"},
		{"rxd_small", PORTX("rx_desc: 32"), "ports[0].rx_desc", "64..32768"},
		{"rxd_big", PORTX("rx_desc: 65536"), "ports[0].rx_desc", "64..32768"},
		{"rxd_odd", PORTX("rx_desc: 1000"), "ports[0].rx_desc", "power of two"},
		{"txd_odd", PORTX("tx_desc: 3072"), "ports[0].tx_desc", "power of two"},
		{"port_dup_name",
		 "ports:\n - {name: a, device: net_ring0, ipv4: [192.0.2.1]}\n"
		 " - {name: a, device: net_ring1, ipv4: [192.0.2.2]}\n",
		 "ports[1]", "used twice"},
		{"port_dup_device",
		 "ports:\n - {name: a, device: net_ring0, ipv4: [192.0.2.1]}\n"
		 " - {name: b, device: net_ring0, ipv4: [192.0.2.2]}\n",
		 "ports[1]", "device used by ports[0]"},
		{"rxq_over_workers", PORTX("rx_queues: 3") "workers: [1, 2]\n",
		 "ports[0].rx_queues", "only 2 workers"},
		{"txq_under_rxq", PORTX("rx_queues: 2, tx_queues: 1") "workers: [1, 2]\n",
		 "ports[0].tx_queues", "1 TX queues for 2 RX queues"},
		{"workers_empty", PORT "workers: []\n", "workers", "at least one core"},
		{"workers_dup", PORT "workers: [1, 2, 1]\n", "workers[2]", "listed twice"},
		{"workers_big", PORT "workers: [1024]\n", "workers[0]", "0..1023"},
		{"workers_nested", PORT "workers: [[1]]\n", "workers[0]", "single value"},
		{"eal_nested", PORT "eal: [{a: b}]\n", "eal[0]", "single value"},
		{"eal_empty_str", PORT "eal: [\"\"]\n", "eal[0]", "must not be empty"},
		{"edns_small", PORT "dns: {edns_size: 511}\n", "dns.edns_size", "512..65535"},
		{"edns_big", PORT "dns: {edns_size: 65536}\n", "dns.edns_size", "512..65535"},
		{"dns_unknown", PORT "dns: {recursion: true}\n", "dns.recursion", "unknown key"},
		{"acl_no_action", PORT "dns: {acl: [{prefix: 192.0.2.0/24}]}\n", "dns.acl[0]",
		 "missing key: action"},
		{"acl_no_prefix", PORT "dns: {acl: [{action: drop}]}\n", "dns.acl[0]",
		 "missing key: prefix"},
		{"acl_bad_action", PORT "dns: {acl: [{prefix: 192.0.2.0/24, action: deny}]}\n",
		 "dns.acl[0].action", "allow, drop or refuse"},
		{"acl_bad_addr", PORT "dns: {acl: [{prefix: 192.0.2/24, action: drop}]}\n",
		 "dns.acl[0].prefix", "not an IPv4 or IPv6 address"},
		{"acl_long_v4", PORT "dns: {acl: [{prefix: 192.0.2.0/33, action: drop}]}\n",
		 "dns.acl[0].prefix", "0..32"},
		{"acl_long_v6", PORT "dns: {acl: [{prefix: \"2001:db8::/129\", action: drop}]}\n",
		 "dns.acl[0].prefix", "0..128"},
		{"acl_host_bits", PORT "dns: {acl: [{prefix: 192.0.2.1/24, action: drop}]}\n",
		 "dns.acl[0].prefix", "host bits set past /24"},
		{"acl_no_len", PORT "dns: {acl: [{prefix: 192.0.2.0/, action: drop}]}\n",
		 "dns.acl[0].prefix", "not ADDRESS/LENGTH"},
		{"acl_neg_len", PORT "dns: {acl: [{prefix: 192.0.2.0/-1, action: drop}]}\n",
		 "dns.acl[0].prefix", "not ADDRESS/LENGTH"},
		{"acl_not_list", PORT "dns: {acl: {prefix: 192.0.2.0/24}}\n", "dns.acl",
		 "expected a list"},
		{"zone_no_file", PORT "dns: {zones: [{origin: example.com.}]}\n", "dns.zones[0]",
		 "missing key: file"},
		{"zone_no_origin", PORT "dns: {zones: [{file: a.zone}]}\n", "dns.zones[0]",
		 "missing key: origin"},
		{"zone_bad_origin", PORT "dns: {zones: [{origin: a..b, file: f}]}\n",
		 "dns.zones[0].origin", "empty label"},
		{"zone_dup", PORT "dns: {zones: [{origin: a., file: f}, {origin: A, file: g}]}\n",
		 "dns.zones[1]", "already served"},
		{"nsid_long",
		 PORT "dns: {nsid: "
		      "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n",
		 "dns.nsid", "longer than 128"},
		{"chaos_bool", PORT "dns: {chaos: {enabled: maybe}}\n", "dns.chaos.enabled",
		 "true or false"},
		{"chaos_unknown", PORT "dns: {chaos: {hostname: x}}\n", "dns.chaos.hostname",
		 "unknown key"},
		{"secret_short", PORT "dns: {cookies: {secret: abcd}}\n", "dns.cookies.secret",
		 "32 hex digits"},
		{"secret_not_hex",
		 PORT "dns: {cookies: {secret: 000102030405060708090a0b0c0d0eZZ}}\n",
		 "dns.cookies.secret", "hex digits only"},
		{"mode_world", PORT "control: {mode: \"0666\"}\n", "control.mode",
		 "world-writable"},
		{"mode_not_octal", PORT "control: {mode: \"0689\"}\n", "control.mode",
		 "octal mode"},
		{"mode_no_owner_w", PORT "control: {mode: \"0460\"}\n", "control.mode",
		 "owner needs write"},
		{"socket_relative", PORT "control: {socket: run/x.sock}\n", "control.socket",
		 "absolute path"},
		{"socket_long",
		 PORT "control: {socket: /"
		      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}\n",
		 "control.socket", "longer than 107"},
		{"group_bad", PORT "control: {group: \"wheel;rm\"}\n", "control.group",
		 "not a valid group"},
		{"log_level", PORT "log: {level: chatty}\n", "log.level", "must be error, warning"},
		{"user_bad", PORT "user: \"root;x\"\n", "user", "not a valid account name"},
		{"user_empty", PORT "user: \"\"\n", "user", "must not be empty"},
		{"user_list", PORT "user: [a]\n", "user", "expected a single value"},
		{"group_alone", PORT "group: linerate\n", "group", "without user"},
		{"group_bad", PORT "user: a\ngroup: \"a b\"\n", "group",
		 "not a valid account name"},
		{"snmp_no_journal_no_engine", PORT "snmp: {enabled: true}\n", "snmp.journal.dir",
		 "required when snmp.enabled"},
		{"snmp_no_journal", PORT "snmp: {enabled: true, engine_id: \"8000000001020304\"}\n",
		 "snmp.journal.dir", "required when snmp.enabled"},
		{"snmp_engine_short", PORT "snmp: {engine_id: \"80000000\"}\n", "snmp.engine_id",
		 "10 to 64 hex digits"},
		{"snmp_engine_zero", PORT "snmp: {engine_id: \"0000000000\"}\n", "snmp.engine_id",
		 "all zeros"},
		{"snmp_port_zero", PORT "snmp: {trap_port: 0}\n", "snmp.trap_port", "1..65535"},
		{"snmp_community_empty", PORT "snmp: {communities: [public, \"\"]}\n",
		 "snmp.communities[1]", "must not be empty"},
		{"snmp_unknown", PORT "snmp: {trap_ports: 162}\n", "snmp.trap_ports",
		 "unknown key"},
		{"snmp_sink_unknown", PORT "snmp: {sinks: {kafka: {}}}\n", "snmp.sinks.kafka",
		 "unknown key"},
		{"snmp_sinks_scalar", PORT "snmp: {sinks: file}\n", "snmp.sinks",
		 "expected a list"},
		{"snmp_file_no_path", PORT "snmp: {sinks: {file: {rotate_bytes: 10}}}\n",
		 "snmp.sinks.file", "missing key: path"},
		{"snmp_window", PORT "snmp: {time_window: 0}\n", "snmp.time_window", "1..86400"},
		{"snmp_sync", PORT "snmp: {journal: {sync_interval_us: -1}}\n",
		 "snmp.journal.sync_interval_us", "whole number"},
		{"storm_bool", PORT "snmp: {storm: {enabled: sometimes}}\n", "snmp.storm.enabled",
		 "true or false"},
		{"storm_rate_zero", PORT "snmp: {storm: {per_source_rate: 0}}\n",
		 "snmp.storm.per_source_rate", "1..100000000"},
		{"storm_burst_neg", PORT "snmp: {storm: {per_source_burst: -5}}\n",
		 "snmp.storm.per_source_burst", "whole number"},
		{"storm_global_word", PORT "snmp: {storm: {global_rate: lots}}\n",
		 "snmp.storm.global_rate", "none or 1..100000000"},
		{"storm_global_big", PORT "snmp: {storm: {global_rate: 100000001}}\n",
		 "snmp.storm.global_rate", "1..100000000"},
		{"storm_burst_no_rate", PORT "snmp: {storm: {global_burst: 10}}\n",
		 "snmp.storm.global_burst", "needs snmp.storm.global_rate"},
		{"storm_sources_small", PORT "snmp: {storm: {sources: 8}}\n", "snmp.storm.sources",
		 "64..4194304"},
		{"storm_unknown", PORT "snmp: {storm: {rate: 5}}\n", "snmp.storm.rate",
		 "unknown key"},
		{"metrics_no_listen", PORT "metrics: {path: /metrics}\n", "metrics",
		 "missing key: listen"},
		{"metrics_not_map", PORT "metrics: \"127.0.0.1:9253\"\n", "metrics",
		 "expected a mapping"},
		{"metrics_unknown", PORT "metrics: {listen: \"*:9253\", tls: on}\n", "metrics.tls",
		 "unknown key"},
		{"listen_no_port", PORT "metrics: {listen: 127.0.0.1}\n", "metrics.listen",
		 "ADDRESS:PORT"},
		{"listen_port_zero", PORT "metrics: {listen: \"127.0.0.1:0\"}\n", "metrics.listen",
		 "1..65535"},
		{"listen_port_big", PORT "metrics: {listen: \"127.0.0.1:65536\"}\n",
		 "metrics.listen", "ADDRESS:PORT"},
		{"listen_name", PORT "metrics: {listen: \"localhost:9253\"}\n", "metrics.listen",
		 "numeric address"},
		{"listen_v6_bare", PORT "metrics: {listen: \"::1:9253\"}\n", "metrics.listen",
		 "ADDRESS:PORT"},
		{"listen_v6_bad", PORT "metrics: {listen: \"[::g]:9253\"}\n", "metrics.listen",
		 "ADDRESS:PORT"},
		{"metrics_path_rel", PORT "metrics: {listen: \"*:9253\", path: metrics}\n",
		 "metrics.path", "must start with /"},
		{"metrics_path_query", PORT "metrics: {listen: \"*:9253\", path: \"/m?x=1\"}\n",
		 "metrics.path", "'?'"},
		{"metrics_path_space", PORT "metrics: {listen: \"*:9253\", path: \"/a b\"}\n",
		 "metrics.path", "no space"},
		{"metrics_clients_zero", PORT "metrics: {listen: \"*:9253\", max_clients: 0}\n",
		 "metrics.max_clients", "1..1024"},
		{"metrics_timeout_small", PORT "metrics: {listen: \"*:9253\", timeout_ms: 99}\n",
		 "metrics.timeout_ms", "100..600000"},
		{"two_documents", PORT "---\n" PORT, "line", "only one YAML document"},
	};
	return cr_make_param_array(struct bad_cfg, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_cfg *b, ctl_config, refuses_bad_files_with_path_and_reason)
{
	char err[CTL_CONFIG_ERR_MAX];
	errno = 0;
	struct ctl_config *c = load(b->yaml, err);
	cr_assert_null(c, "%s: loaded", b->name);
	cr_assert_eq(errno, EINVAL, "%s", b->name);
	cr_assert_not_null(strstr(err, b->path), "%s: no path '%s' in: %s", b->name, b->path, err);
	cr_assert_not_null(strstr(err, b->reason), "%s: no reason '%s' in: %s", b->name, b->reason,
			   err);
}

// snmp.record_slots and snmp.big_record_slots: out of range, negative,
// not a number, a list; the error names the key and its range.
Test(ctl_config, refuses_bad_record_slots_naming_the_key)
{
	static const struct {
		const char *key, *value, *why;
	} bad[] = {
		{"record_slots", "0", "63..1048576"},
		{"record_slots", "62", "63..1048576"},
		{"record_slots", "1048577", "63..1048576"},
		{"record_slots", "-1", "whole number"},
		{"record_slots", "plenty", "whole number"},
		{"record_slots", "[1023]", "single value"},
		{"big_record_slots", "0", "1..65535"},
		{"big_record_slots", "65536", "1..65535"},
		{"big_record_slots", "2.5", "whole number"},
		{"big_record_slots", "99999999999999999999999", "whole number in 1..65535"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], err[CTL_CONFIG_ERR_MAX], key[64];
		snprintf(text, sizeof(text), PORT "snmp: {%s: %s}\n", bad[i].key, bad[i].value);
		snprintf(key, sizeof(key), "snmp.%s", bad[i].key);
		struct ctl_config *c = load(text, err);
		cr_assert_null(c, "%s: %s loaded", bad[i].key, bad[i].value);
		cr_assert(strstr(err, key) && strstr(err, bad[i].why), "%s: %s: %s", bad[i].key,
			  bad[i].value, err);
	}
}

Test(ctl_config, error_shows_value_and_line)
{
	char err[CTL_CONFIG_ERR_MAX];
	cr_assert_null(load(PORTX("vlan: 5000"), err));
	cr_assert_str_eq(err, "line 1: ports[0].vlan = \"5000\": must be 1..4094");
}

Test(ctl_config, error_never_shows_the_secret)
{
	char err[CTL_CONFIG_ERR_MAX];
	cr_assert_null(
		load(PORT "dns: {cookies: {secret: 00010203040506070809SECRETXX0e0f}}\n", err));
	cr_assert_null(strstr(err, "SECRET"), "%s", err);
	cr_assert_not_null(strstr(err, "(secret)"), "%s", err);
}

Test(ctl_config, refuses_oversized_text_unread)
{
	char err[CTL_CONFIG_ERR_MAX];
	cr_assert_null(ctl_config_load_string("", CTL_CONFIG_FILE_MAX + 1, err, sizeof(err)));
	cr_assert_not_null(strstr(err, "larger than"), "%s", err);
}

// memcmp for arrays that may be NULL when empty (memcmp(NULL, ..., 0) is
// undefined behaviour, and UBSan says so).
static bool same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static void assert_same(const struct ctl_config *a, const struct ctl_config *b)
{
	cr_assert_eq(a->n_eal, b->n_eal);
	for (size_t i = 0; i < a->n_eal; i++)
		cr_assert_str_eq(a->eal[i], b->eal[i]);
	cr_assert_eq(a->n_ports, b->n_ports);
	for (size_t i = 0; i < a->n_ports; i++) {
		const struct ctl_port *p = &a->ports[i], *q = &b->ports[i];
		cr_assert_str_eq(p->name, q->name);
		cr_assert_str_eq(p->device, q->device);
		cr_assert_eq(p->has_mac, q->has_mac);
		cr_assert_eq(memcmp(p->mac, q->mac, 6), 0);
		cr_assert_eq(p->n_ipv4, q->n_ipv4);
		cr_assert(same_bytes(p->ipv4, q->ipv4, 4 * p->n_ipv4));
		cr_assert_eq(p->n_ipv6, q->n_ipv6);
		cr_assert(same_bytes(p->ipv6, q->ipv6, 16 * p->n_ipv6));
		cr_assert_eq(p->vlan, q->vlan);
		cr_assert_eq(p->rx_queues, q->rx_queues);
		cr_assert_eq(p->tx_queues, q->tx_queues);
		cr_assert_eq(p->rx_desc, q->rx_desc);
		cr_assert_eq(p->tx_desc, q->tx_desc);
	}
	cr_assert_eq(a->n_workers, b->n_workers);
	cr_assert(same_bytes(a->workers, b->workers, a->n_workers * sizeof(*a->workers)));
	cr_assert_eq(a->dns.n_zones, b->dns.n_zones);
	for (size_t i = 0; i < a->dns.n_zones; i++) {
		cr_assert_str_eq(a->dns.zones[i].origin, b->dns.zones[i].origin);
		cr_assert_str_eq(a->dns.zones[i].file, b->dns.zones[i].file);
	}
	cr_assert_eq(a->dns.edns_size, b->dns.edns_size);
	cr_assert_eq(a->dns.n_acl, b->dns.n_acl);
	for (size_t i = 0; i < a->dns.n_acl; i++)
		cr_assert_eq(memcmp(&a->dns.acl[i], &b->dns.acl[i], sizeof(a->dns.acl[i])), 0);
	cr_assert_str_eq(a->dns.nsid ? a->dns.nsid : "-", b->dns.nsid ? b->dns.nsid : "-");
	cr_assert_eq(a->dns.chaos, b->dns.chaos);
	cr_assert_str_eq(a->dns.chaos_id ? a->dns.chaos_id : "-",
			 b->dns.chaos_id ? b->dns.chaos_id : "-");
	cr_assert_eq(a->dns.cookies, b->dns.cookies);
	cr_assert_eq(a->dns.has_cookie_secret, b->dns.has_cookie_secret);
	cr_assert_eq(memcmp(a->dns.cookie_secret, b->dns.cookie_secret, 16), 0);
	cr_assert_str_eq(a->control.socket, b->control.socket);
	cr_assert_eq(a->control.mode, b->control.mode);
	cr_assert_str_eq(a->control.group ? a->control.group : "-",
			 b->control.group ? b->control.group : "-");
	cr_assert_str_eq(a->metrics.listen ? a->metrics.listen : "-",
			 b->metrics.listen ? b->metrics.listen : "-");
	cr_assert_str_eq(a->metrics.path ? a->metrics.path : "-",
			 b->metrics.path ? b->metrics.path : "-");
	cr_assert_eq(a->metrics.max_clients, b->metrics.max_clients);
	cr_assert_eq(a->metrics.timeout_ms, b->metrics.timeout_ms);
	cr_assert_eq(a->log_level, b->log_level);
	cr_assert_eq(a->snmp.present, b->snmp.present);
	cr_assert_eq(a->snmp.enabled, b->snmp.enabled);
	cr_assert_eq(a->snmp.trap_port, b->snmp.trap_port);
	cr_assert_eq(a->snmp.n_communities, b->snmp.n_communities);
	for (size_t i = 0; i < a->snmp.n_communities; i++)
		cr_assert_str_eq(a->snmp.communities[i], b->snmp.communities[i]);
	cr_assert_eq(a->snmp.v3_only, b->snmp.v3_only);
	cr_assert_eq(a->snmp.engine_len, b->snmp.engine_len);
	cr_assert(same_bytes(a->snmp.engine_id, b->snmp.engine_id, a->snmp.engine_len));
	cr_assert_eq(a->snmp.time_window, b->snmp.time_window);
	cr_assert_eq(a->snmp.record_slots, b->snmp.record_slots);
	cr_assert_eq(a->snmp.big_record_slots, b->snmp.big_record_slots);
	cr_assert_str_eq(a->snmp.users_file ? a->snmp.users_file : "-",
			 b->snmp.users_file ? b->snmp.users_file : "-");
	cr_assert_str_eq(a->snmp.state_file ? a->snmp.state_file : "-",
			 b->snmp.state_file ? b->snmp.state_file : "-");
	cr_assert_str_eq(a->snmp.journal.dir ? a->snmp.journal.dir : "-",
			 b->snmp.journal.dir ? b->snmp.journal.dir : "-");
	cr_assert_eq(a->snmp.journal.max_bytes, b->snmp.journal.max_bytes);
	cr_assert_eq(a->snmp.journal.sync_interval_us, b->snmp.journal.sync_interval_us);
	cr_assert_eq(a->snmp.journal.max_age_seconds, b->snmp.journal.max_age_seconds);
	cr_assert_eq(a->snmp.journal.when_full, b->snmp.journal.when_full);
	cr_assert_eq(a->snmp.n_mib_dirs, b->snmp.n_mib_dirs);
	for (size_t i = 0; i < a->snmp.n_mib_dirs; i++)
		cr_assert_str_eq(a->snmp.mib_dirs[i], b->snmp.mib_dirs[i]);
	cr_assert_eq(a->snmp.n_sinks, b->snmp.n_sinks);
	for (size_t i = 0; i < a->snmp.n_sinks; i++) {
		const struct ctl_sink *p = &a->snmp.sinks[i], *q = &b->snmp.sinks[i];
		cr_assert_str_eq(p->name, q->name);
		cr_assert_eq(p->type, q->type);
		cr_assert_str_eq(p->file.path ? p->file.path : "-",
				 q->file.path ? q->file.path : "-");
		cr_assert_eq(p->file.rotate_bytes, q->file.rotate_bytes);
	}
	cr_assert_eq(a->snmp.storm.enabled, b->snmp.storm.enabled);
	cr_assert_eq(a->snmp.storm.per_source_rate, b->snmp.storm.per_source_rate);
	cr_assert_eq(a->snmp.storm.per_source_burst, b->snmp.storm.per_source_burst);
	cr_assert_eq(a->snmp.storm.global_rate, b->snmp.storm.global_rate);
	cr_assert_eq(a->snmp.storm.global_burst, b->snmp.storm.global_burst);
	cr_assert_eq(a->snmp.storm.sources, b->snmp.storm.sources);
	cr_assert_str_eq(a->run_as.user ? a->run_as.user : "-",
			 b->run_as.user ? b->run_as.user : "-");
	cr_assert_str_eq(a->run_as.group ? a->run_as.group : "-",
			 b->run_as.group ? b->run_as.group : "-");
}

Test(ctl_config, dump_with_secrets_loads_back_equal)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load(GOOD, err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_SECRETS);
	cr_assert_not_null(text);
	struct ctl_config *b = load(text, err);
	cr_assert_not_null(b, "%s\n%s", err, text);
	assert_same(a, b);
	free(text);
	ctl_config_free(a);
	ctl_config_free(b);
}

Test(ctl_config, dump_quotes_awkward_strings)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load(PORT "dns: {nsid: \"a \\\"quoted\\\" \\\\ #not: comment\","
					 " chaos: {id: \"tab\\there\"}}\n",
				    err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_MASKED);
	struct ctl_config *b = load(text, err);
	cr_assert_not_null(b, "%s\n%s", err, text);
	assert_same(a, b);
	cr_assert_str_eq(b->dns.nsid, "a \"quoted\" \\ #not: comment");
	cr_assert_str_eq(b->dns.chaos_id, "tab\there");
	free(text);
	ctl_config_free(a);
	ctl_config_free(b);
}

Test(ctl_config, masked_dump_hides_the_secret_but_tells_secrets_apart)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *a = load(GOOD, err);
	cr_assert_not_null(a, "%s", err);
	char *text = ctl_config_dump_string(a, CTL_DUMP_MASKED);
	cr_assert_null(strstr(text, SECRET_HEX), "%s", text);
	cr_assert_null(strstr(text, "0a0b0c0d"), "%s", text);
	char *fp = strstr(text, "(masked sha256:");
	cr_assert_not_null(fp, "%s", text);
	// another secret, another fingerprint
	a->dns.cookie_secret[0] ^= 1;
	char *text2 = ctl_config_dump_string(a, CTL_DUMP_MASKED);
	cr_assert_str_neq(text, text2);
	// a masked dump is not a loadable secret
	struct ctl_config *b = load(text, err);
	cr_assert_null(b);
	cr_assert_not_null(strstr(err, "dns.cookies.secret"), "%s", err);
	cr_assert_null(strstr(err, "masked"), "the value is hidden too: %s", err);
	free(text);
	free(text2);
	ctl_config_free(a);
}

Test(ctl_config, loads_the_demo_config)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = ctl_config_load_file(DEMO_CONFIG, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	cr_assert_str_eq(c->ports[0].device, "net_af_packet0,iface=lrdemod0,framecnt=16384");
	cr_assert_eq(c->ports[0].n_ipv4, 1);
	cr_assert_eq(c->ports[0].n_ipv6, 1);
	cr_assert_eq(c->dns.edns_size, 1232);
	cr_assert_str_eq(c->dns.nsid, "linerate-demo");
	cr_assert(c->dns.chaos);
	cr_assert_str_eq(c->dns.zones[0].origin, "example.com.");
	cr_assert_eq(c->control.mode, 0660);
	cr_assert_str_eq(c->metrics.listen, "127.0.0.1:9253");
	cr_assert_str_eq(c->metrics.path, "/metrics");
	ctl_config_free(c);
}

Test(ctl_config, run_as_resolves_the_user_and_its_group)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = load(PORT "user: root\n", err);
	uid_t uid = 1;
	gid_t gid = 1;
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_run_as(c, &uid, &gid, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(uid, 0);
	cr_assert_eq(gid, 0);
	ctl_config_free(c);
	const struct passwd *pw = getpwnam("nobody");
	const struct group *gr = getgrnam("daemon");
	cr_assert(pw && gr, "the test needs the nobody user and the daemon group");
	c = load(PORT "user: nobody\ngroup: daemon\n", err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_run_as(c, &uid, &gid, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(uid, pw->pw_uid);
	cr_assert_eq(gid, gr->gr_gid);
	ctl_config_free(c);
}

Test(ctl_config, run_as_without_user_changes_nothing)
{
	char err[CTL_CONFIG_ERR_MAX];
	struct ctl_config *c = load(PORT, err);
	uid_t uid = 1;
	gid_t gid = 1;
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_run_as(c, &uid, &gid, err, sizeof(err)), 0);
	cr_assert_eq(uid, (uid_t)-1);
	cr_assert_eq(gid, (gid_t)-1);
	ctl_config_free(c);
}

Test(ctl_config, run_as_names_the_key_of_an_unknown_user_or_group)
{
	char err[CTL_CONFIG_ERR_MAX];
	uid_t uid;
	gid_t gid;
	struct ctl_config *c = load(PORT "user: lr-no-such-user\n", err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_run_as(c, &uid, &gid, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "user = \"lr-no-such-user\": no such user"), "%s", err);
	ctl_config_free(c);
	c = load(PORT "user: root\ngroup: lr-no-such-group\n", err);
	cr_assert_not_null(c, "%s", err);
	cr_assert_eq(ctl_config_run_as(c, &uid, &gid, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "group = \"lr-no-such-group\": no such group"), "%s", err);
	ctl_config_free(c);
}
