/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's side of the control plane: EAL arguments from the YAML
// configuration, and the control socket's commands (status, stats, zone
// list, zone reload), answered on the main lcore between polls.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "control.h"
#include "control_ops.h"
#include "journal.h"
#include "port.h"
#include "sink.h"
#include "stats.h"
#include "trap.h"
#include "trap_principals.h"
#include "usm_keys.h"

// Whether the eal: list already gives the EAL dev (the same ethdev name)
// with --vdev, -a or --allow, as "OPT VALUE", "OPT=VALUE" or "-aVALUE".
static bool eal_has_device(const struct ctl_config *cfg, const char *dev)
{
	static const char *const opts[] = {"--vdev", "--allow", "-a"};
	char want[RTE_DEV_NAME_MAX_LEN], got[RTE_DEV_NAME_MAX_LEN];
	if (!lr_device_name(dev, want, sizeof(want)))
		return false;
	for (size_t i = 0; i < cfg->n_eal; i++) {
		const char *a = cfg->eal[i], *val = NULL;
		for (size_t k = 0; !val && k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t n = strlen(opts[k]);
			if (strncmp(a, opts[k], n) != 0)
				continue;
			if (!a[n] && i + 1 < cfg->n_eal)
				val = cfg->eal[i + 1];
			else if (a[n] == '=' || (a[n] && n == 2))
				val = a + n + (a[n] == '=');
		}
		if (val && lr_device_name(val, got, sizeof(got)) && !strcmp(got, want))
			return true;
	}
	return false;
}

char **lr_eal_args(const struct ctl_config *cfg, const char *argv0, int *argc)
{
	size_t n = 1 + cfg->n_eal + 2 * cfg->n_ports + 1;
	char **v = calloc(n, sizeof(*v));
	char pci[LR_PCI_NAME_MAX];
	int k = 0;
	if (!v)
		return NULL;
	v[k++] = strdup(argv0);
	for (size_t i = 0; i < cfg->n_eal; i++)
		v[k++] = strdup(cfg->eal[i]);
	// each port by PCI address (allow-listed) or as a virtual device,
	// unless eal: gives it already
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const char *dev = cfg->ports[i].device;
		if (eal_has_device(cfg, dev))
			continue;
		v[k++] = strdup(lr_pci_name(dev, pci) ? "-a" : "--vdev");
		v[k++] = strdup(dev);
	}
	for (int i = 0; i < k; i++)
		if (!v[i]) {
			lr_eal_args_free(v, k);
			return NULL;
		}
	*argc = k;
	return v;
}

void lr_eal_args_free(char **v, int argc)
{
	for (int i = 0; v && i < argc; i++)
		free(v[i]);
	free(v);
}

void lr_stats_total(struct lr_stats *t)
{
	// each worker writes only its own line; a sum read while they run is
	// a little stale, never torn for a single counter (64-bit loads)
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < lr.nworkers; i++) {
		const struct lr_stats *s = &lr.workers[i].stats;
		t->rx += s->rx;
		t->tx += s->tx;
		t->tx_full += s->tx_full;
		t->dns_answers += s->dns_answers;
		t->dns_dropped += s->dns_dropped;
		t->acl_dropped += s->acl_dropped;
		t->acl_refused += s->acl_refused;
		t->template_hits += s->template_hits;
		t->suffix_hits += s->suffix_hits;
		t->frag_reassembled += s->frag_reassembled;
		t->frag_failed += s->frag_failed;
		for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
			t->verdict[v] += s->verdict[v];
		for (int r = 0; r < LR_RCODE_BUCKETS; r++)
			t->rcode[r] += s->rcode[r];
		for (int q = 0; q < LR_QTYPE_COUNT; q++)
			t->qtype[q] += s->qtype[q];
		for (int z = 0; z <= LR_MAX_ZONES; z++)
			t->zone[z] += s->zone[z];
	}
}

struct counter {
	const char *name;
	uint64_t value;
};

static void put_counters(json_t *o, const struct counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, c[i].name, json_integer((json_int_t)c[i].value));
}

#define PUT_COUNTERS(o, ...)                                                                       \
	put_counters(o, (const struct counter[]){__VA_ARGS__},                                     \
		     sizeof((const struct counter[]){__VA_ARGS__}) / sizeof(struct counter))

void lr_port_stats_total(unsigned i, struct lr_port_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned k = 0; k < lr.nworkers; k++) {
		const struct lr_port_stats *s = &lr.workers[k].port_stats[i];
		t->rx += s->rx;
		t->tx += s->tx;
		t->tx_full += s->tx_full;
		t->dns_answers += s->dns_answers;
		t->unanswered += s->unanswered;
	}
}

static json_t *mac_json(const uint8_t *m)
{
	char buf[18];
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
	return json_string(buf);
}

// The addresses a port answers on, as the workers match them (the
// link-local one included).
static json_t *addrs_json(const struct dp_pkt_addrs *a, int af)
{
	json_t *arr = json_array();
	unsigned n = af == AF_INET ? a->n4 : a->n6;
	for (unsigned i = 0; i < n; i++) {
		char buf[INET6_ADDRSTRLEN];
		const void *src = af == AF_INET ? (const void *)a->v4[i] : (const void *)a->v6[i];
		json_array_append_new(arr, json_string(inet_ntop(af, src, buf, sizeof(buf))));
	}
	return arr;
}

static json_t *port_status(unsigned i, const struct lr_snapshot *s)
{
	const struct lr_port *p = &lr.ports[i];
	struct rte_eth_link link;
	json_t *o = json_object();
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(p->port_id, &link);
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "device", p->device ? json_string(p->device) : json_null());
	json_object_set_new(o, "port_id", json_integer(p->port_id));
	json_object_set_new(o, "mac", mac_json(p->mac));
	if (s && i < s->nports) {
		const struct dp_pkt_addrs *a = &s->port[i].addrs;
		json_object_set_new(o, "ipv4", addrs_json(a, AF_INET));
		json_object_set_new(o, "ipv6", addrs_json(a, AF_INET6));
		json_object_set_new(o, "vlan",
				    a->vlan == DP_PKT_VLAN_NONE ? json_null()
								: json_integer(a->vlan));
	}
	json_object_set_new(o, "rx_queues", json_integer(p->nq));
	json_object_set_new(o, "tx_queues", json_integer(p->ntxq));
	json_object_set_new(o, "rx_desc", json_integer(p->nrx_desc));
	json_object_set_new(o, "tx_desc", json_integer(p->ntx_desc));
	json_object_set_new(o, "rss", json_boolean(p->rss));
	json_object_set_new(o, "mtu", json_integer(p->mtu));
	json_object_set_new(o, "tx_csum_offload",
			    json_boolean(p->tx_flags & DP_PKT_TX_CSUM_OFFLOAD));
	json_object_set_new(o, "link", json_string(link.link_status ? "up" : "down"));
	json_object_set_new(o, "speed_mbps", json_integer(link.link_status ? link.link_speed : 0));
	return o;
}

// Octets of the mapping holding addr that the kernel backs with huge
// pages (its AnonHugePages in /proc/self/smaps), -1 when it cannot tell:
// whether the zone image got the pages it asks for (image.c).
static long long huge_octets(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false;
	long long kb = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (in)
				break;
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
		} else if (in && sscanf(line, "AnonHugePages: %lld kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

static json_t *image_status(const struct lr_snapshot *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "octets",
			    json_integer(s && s->image ? (json_int_t)s->image_size : 0));
	if (s && s->image) {
		long long h = huge_octets(s->image); // of its whole mapping: at most the image
		if (h > (long long)s->image_size)
			h = (long long)s->image_size;
		json_object_set_new(o, "huge_page_octets", h < 0 ? json_null() : json_integer(h));
	}
	return o;
}

static int cmd_status(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	const struct lr_snapshot *s = atomic_load(&lr.snap);
	(void)req;
	(void)err;
	(void)errlen;
	json_object_set_new(reply, "daemon", json_string("linerated"));
	json_object_set_new(reply, "workers", json_integer(lr.nworkers));
	json_object_set_new(reply, "zones", json_integer(c->nzones));
	json_object_set_new(reply, "generation", json_integer((json_int_t)(s ? s->generation : 0)));
	json_object_set_new(reply, "image", image_status(s));
	json_object_set_new(reply, "uptime_s",
			    json_integer((json_int_t)(atomic_load(&lr.now) - c->started)));
	json_t *lcores = json_array(), *ports = json_array();
	for (unsigned i = 0; i < lr.nworkers; i++)
		json_array_append_new(lcores, json_integer(lr.workers[i].lcore));
	// the main lcore publishes snapshots: the one it reads here stays
	for (unsigned i = 0; i < lr.nports; i++)
		json_array_append_new(ports, port_status(i, s));
	json_object_set_new(reply, "worker_lcores", lcores);
	json_object_set_new(reply, "ports", ports);
	json_object_set_new(reply, "usm", lr_usm_stats_json());
	return 0;
}

// Per port: the workers' counters summed, and the device's own drops.
static json_t *ports_stats(void)
{
	json_t *arr = json_array();
	for (unsigned i = 0; i < lr.nports; i++) {
		struct lr_port_stats t;
		struct rte_eth_stats es;
		json_t *o = json_object();
		lr_port_stats_total(i, &t);
		lr_eth_stats(i, &es);
		json_object_set_new(o, "name", json_string(lr.ports[i].name));
		// nic_*: dropped before a worker saw them (RX ring full, bad
		// frames, no mbuf) or refused by the device on TX
		PUT_COUNTERS(o, {"rx", t.rx}, {"tx", t.tx}, {"tx_full", t.tx_full},
			     {"dns_answers", t.dns_answers}, {"unanswered", t.unanswered},
			     {"nic_rx_missed", es.imissed}, {"nic_rx_errors", es.ierrors},
			     {"nic_rx_nombuf", es.rx_nombuf}, {"nic_tx_errors", es.oerrors});
		json_array_append_new(arr, o);
	}
	return arr;
}

// Per (worker, port) queue pair.
static json_t *queues_stats(void)
{
	json_t *arr = json_array();
	for (unsigned k = 0; k < lr.nworkers; k++) {
		const struct lr_worker *w = &lr.workers[k];
		for (unsigned j = 0; j < w->npolled; j++) {
			const struct lr_port_stats *s = &w->port_stats[w->polled[j].index];
			json_t *o = json_object();
			json_object_set_new(o, "port",
					    json_string(lr.ports[w->polled[j].index].name));
			json_object_set_new(o, "queue", json_integer(w->queue));
			json_object_set_new(o, "lcore", json_integer(w->lcore));
			PUT_COUNTERS(o, {"rx", s->rx}, {"tx", s->tx}, {"tx_full", s->tx_full},
				     {"dns_answers", s->dns_answers});
			json_array_append_new(arr, o);
		}
	}
	return arr;
}

// The workers' trap counters summed.
static void trap_stats_total(struct lr_trap_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < lr.nworkers; i++) {
		const struct lr_trap_stats *s = &lr.workers[i].trap_stats;
		for (int v = 0; v < LR_SNMP_VER_COUNT; v++) {
			t->traps[v] += s->traps[v];
			t->informs[v] += s->informs[v];
		}
		t->informs_acked += s->informs_acked;
		t->acks_tx_full += s->acks_tx_full;
		for (int o = 0; o < USM_OUTCOME_COUNT; o++) {
			t->usm[o] += s->usm[o];
			t->reports[o] += s->reports[o];
		}
		for (int d = 0; d < LR_TRAP_DROP_COUNT; d++)
			t->drops[d] += s->drops[d];
	}
}

static json_t *by_version(const uint64_t *c)
{
	json_t *o = json_object();
	PUT_COUNTERS(o, {"v1", c[LR_SNMP_V1]}, {"v2c", c[LR_SNMP_V2C]}, {"v3", c[LR_SNMP_V3]});
	return o;
}

static json_t *by_outcome(const uint64_t *c)
{
	json_t *o = json_object();
	for (int k = 0; k < USM_OUTCOME_COUNT; k++)
		json_object_set_new(o, usm_outcome_name((enum usm_outcome)k),
				    json_integer((json_int_t)c[k]));
	return o;
}

// Storm control: the counters summed over the workers and the most shed
// sources; null when it is off.
static json_t *storm_stats(void)
{
	struct dp_storm_stats st;
	struct dp_storm_top top[DP_STORM_TOP];
	int n = lr_traps_storm_stats(&st, top);
	if (n < 0)
		return json_null();
	json_t *o = json_object(), *arr = json_array();
	PUT_COUNTERS(o, {"passed", st.passed}, {"shed", st.shed_source + st.shed_global},
		     {"shed_source", st.shed_source}, {"shed_global", st.shed_global},
		     {"evicted", st.evicted});
	for (int i = 0; i < n; i++) {
		char buf[INET6_ADDRSTRLEN];
		json_t *e = json_object();
		json_object_set_new(e, "source", json_string(lr_storm_addr_text(top[i].addr, buf,
										 sizeof(buf))));
		json_object_set_new(e, "shed", json_integer((json_int_t)top[i].shed));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "top_shed", arr);
	return o;
}

// "traps": the trap stage, the journal thread, the journal and the file
// sink; null when the collector is not enabled.
// Accepted notifications by principal (the most first, at most
// LR_PRINCIPALS_TOP) and by level (all), into o.
static void principals_stats(json_t *o)
{
	struct lr_principal_row rows[LR_PRINCIPALS_TOP];
	struct lr_principals_totals t;
	struct lr_principals *p = lr_traps_principals();
	if (!p)
		return;
	size_t n = lr_principals_read(p, rows, LR_PRINCIPALS_TOP, &t);
	json_t *arr = json_array(), *lv = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_object();
		json_object_set_new(r, "principal", json_string(rows[i].principal));
		json_object_set_new(r, "kind", json_string(rows[i].kind));
		json_object_set_new(r, "level",
				    json_string(lr_principal_level_name(rows[i].level)));
		PUT_COUNTERS(r, {"traps", rows[i].traps}, {"informs", rows[i].informs});
		json_array_append_new(arr, r);
	}
	for (int l = 0; l < LR_PLEVEL_COUNT; l++) {
		json_t *c = json_object();
		PUT_COUNTERS(c, {"traps", t.by_level[l][0]}, {"informs", t.by_level[l][1]});
		json_object_set_new(lv, lr_principal_level_name((enum lr_principal_level)l), c);
	}
	json_object_set_new(o, "by_principal", arr);
	json_object_set_new(o, "by_level", lv);
	PUT_COUNTERS(o, {"principals", t.distinct}, {"principals_unparsed", t.unparsed});
}

static json_t *traps_stats(void)
{
	struct lr_trap_stats t;
	struct lr_trapj_stats j;
	struct journal_stats js;
	struct lr_trap_drops jdrops;
	if (!lr_traps_journal_stats(&js))
		return json_null();
	lr_traps_drops(&jdrops);
	trap_stats_total(&t);
	lr_traps_get_stats(&j);
	json_t *o = json_object(), *drops = json_object(), *jo = json_object(), *jd = json_object();
	json_object_set_new(o, "traps", by_version(t.traps));
	json_object_set_new(o, "informs", by_version(t.informs));
	principals_stats(o);
	PUT_COUNTERS(o, {"informs_acked", t.informs_acked}, {"acks_tx_full", t.acks_tx_full});
	json_object_set_new(o, "usm", by_outcome(t.usm));
	json_object_set_new(o, "reports", by_outcome(t.reports));
	for (int d = 0; d < LR_TRAP_DROP_COUNT; d++)
		json_object_set_new(drops, lr_trap_drop_name((enum lr_trap_drop)d),
				    json_integer((json_int_t)t.drops[d]));
	json_object_set_new(o, "drops", drops);
	PUT_COUNTERS(jo, {"appended", j.appended}, {"refused_full", j.refused_full},
		     {"refused_other", j.refused_other}, {"lost", j.lost},
		     {"acks_ring_full", j.acked_ring_full}, {"keys_learned", j.keys_learned},
		     {"keys_refused", j.keys_refused}, {"keys_shed", j.keys_shed},
		     {"durable_seq", js.durable_seq}, {"syncs", js.syncs}, {"bytes", js.bytes},
		     {"segments", js.segments}, {"dropped_records", js.dropped_records},
		     {"full", js.full});
	for (int k = 0; k < LR_JDROP_COUNT; k++)
		json_object_set_new(jd, lr_journal_drop_name((enum lr_journal_drop)k),
				    json_integer((json_int_t)jdrops.n[k]));
	json_object_set_new(jo, "drops", jd);
	json_object_set_new(o, "journal", jo);
	json_object_set_new(o, "sinks", lr_sinks_json());
	json_object_set_new(o, "storm", storm_stats());
	return o;
}

static int cmd_stats(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	(void)ctx;
	(void)req;
	(void)err;
	(void)errlen;
	json_t *workers = json_array(), *verdicts = json_object(), *rc = json_object();
	struct lr_stats t;
	lr_stats_total(&t);
	for (unsigned i = 0; i < lr.nworkers; i++) {
		const struct lr_stats *s = &lr.workers[i].stats; // read without locks
		json_t *w = json_object();
		PUT_COUNTERS(w, {"lcore", lr.workers[i].lcore}, {"rx", s->rx}, {"tx", s->tx});
		json_array_append_new(workers, w);
	}
	for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
		json_object_set_new(verdicts, dp_pkt_verdict_name((enum dp_pkt_verdict)v),
				    json_integer((json_int_t)t.verdict[v]));
	for (int r = 0; r < LR_RCODE_BUCKETS; r++) {
		char buf[16];
		const char *name = lr_rcode_name(r, buf);
		if (t.rcode[r] || r == DNS_RCODE_NOERROR || r == DNS_RCODE_NXDOMAIN)
			json_object_set_new(rc, name, json_integer((json_int_t)t.rcode[r]));
	}
	PUT_COUNTERS(reply, {"rx", t.rx}, {"tx", t.tx}, {"tx_full", t.tx_full},
		     {"dns_answers", t.dns_answers}, {"dns_not_answered", t.dns_dropped},
		     {"dns_acl_dropped", t.acl_dropped}, {"dns_acl_refused", t.acl_refused},
		     {"template_hits", t.template_hits}, {"suffix_template_hits", t.suffix_hits},
		     {"fragments_reassembled", t.frag_reassembled},
		     {"fragments_failed", t.frag_failed});
	json_object_set_new(reply, "rcode", rc);
	json_object_set_new(reply, "qtype", lr_stats_qtype_json(&t));
	json_object_set_new(reply, "zones", lr_stats_zones_json(&t));
	json_object_set_new(reply, "packets", verdicts);
	json_object_set_new(reply, "workers", workers);
	json_object_set_new(reply, "ports", ports_stats());
	json_object_set_new(reply, "queues", queues_stats());
	json_object_set_new(reply, "snmp", traps_stats());
	json_object_set_new(reply, "usm", lr_usm_stats_json());
	return 0;
}

static int cmd_zone_list(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	(void)req;
	(void)err;
	(void)errlen;
	json_t *zones = json_array();
	for (unsigned i = 0; i < c->nzones; i++)
		json_array_append_new(zones, json_string(c->zones[i]));
	json_object_set_new(reply, "zones", zones);
	return 0;
}

// Whether the zone named text (an origin, with or without the final dot)
// is one of those served.
static bool zone_served(const struct lr_control *c, const char *text)
{
	uint8_t want[DNS_NAME_MAXLEN];
	if (dns_name_from_text(text, strlen(text), NULL, want) < 0)
		return false;
	for (unsigned i = 0; i < c->nzones; i++) {
		struct dns_zone_spec spec;
		if (dns_zone_spec_parse(c->zones[i], &spec) == 0 && dns_name_equal(spec.origin, want))
			return true;
	}
	return false;
}

static int cmd_zone_reload(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	const char *name = json_string_value(json_object_get(req, "zone"));
	uint64_t gen;
	if (name && !zone_served(c, name)) {
		snprintf(err, errlen, "no zone %s is served (zone list)", name);
		return -1;
	}
	// every zone, a named one too: one image holds them all, compiled
	// whole, so a broken file anywhere keeps the old image serving
	if (c->reload(&gen, err, errlen) < 0)
		return -1;
	json_object_set_new(reply, "generation", json_integer((json_int_t)gen));
	json_object_set_new(reply, "reloaded", json_integer((json_int_t)c->nzones));
	return 0;
}

static const struct ctl_command commands[] = {
	{"status", "daemon, workers, zones, image generation, uptime, ports", cmd_status},
	{"stats",
	 "packets by verdict, DNS answers by rcode, per worker, port and queue; traps, "
	 "informs, USM outcomes, Reports, drops, journal, sink and storm control (the most "
	 "shed sources)",
	 cmd_stats},
	{"zone list", "the zones served", cmd_zone_list},
	{"zone reload",
	 "load and compile every zone again (\"zone\": one of them, checked; one image holds "
	 "them all); on error the old ones stay",
	 cmd_zone_reload},
	{"sink list",
	 "each trap sink: type, cursor, lag (records, seconds), delivered, errors, state",
	 lr_cmd_sink_list},
	{"sink flush",
	 "wait until the sink \"name\" (or every sink) delivered what the journal holds, at most "
	 "\"timeout_ms\" (default 10000)",
	 lr_cmd_sink_flush},
	LR_OPS_COMMANDS};

struct ctl_server *lr_control_start(const struct ctl_config *cfg, struct lr_control *c)
{
	struct ctl_server_cfg sc;
	char err[256];
	memset(&sc, 0, sizeof(sc));
	sc.path = cfg->control.socket;
	sc.mode = cfg->control.mode;
	sc.group = (gid_t)-1;
	if (cfg->control.group) {
		struct group *g = getgrnam(cfg->control.group);
		if (!g) {
			fprintf(stderr, "linerated: control.group %s: no such group\n",
				cfg->control.group);
			return NULL;
		}
		sc.group = g->gr_gid;
	}
	// this file's commands, then each feature's own table
	static struct ctl_command all[sizeof(commands) / sizeof(commands[0]) + 16];
	const struct {
		const struct ctl_command *c;
		size_t n;
	} tables[] = {
		{commands, sizeof(commands) / sizeof(commands[0])},
		{lr_usm_commands, lr_usm_n_commands},
	};
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < tables[t].n && sc.n_commands < sizeof(all) / sizeof(all[0]);
		     i++)
			all[sc.n_commands++] = tables[t].c[i];
	sc.commands = all;
	sc.ctx = c;
	struct ctl_server *s = ctl_server_new(&sc, err, sizeof(err));
	if (!s)
		fprintf(stderr, "linerated: control socket %s: %s\n", sc.path, err);
	return s;
}
