/* SPDX-License-Identifier: BSD-3-Clause */
// The workers' counters as Prometheus families and DPDK telemetry
// dictionaries. One table row per counter feeds both: a counter of
// struct lr_stats (summed over the workers), of struct lr_port_stats (per
// port and worker queue) or of the device (struct rte_eth_stats); labelled
// families (rcodes, verdicts) are one function each. A new family is one
// row, or one call in collect().
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include <linerate/dns_types.h>

#include "control_ops.h"
#include "metrics.h"
#include "stats.h"
#include "trap.h"
#include "trap_principals.h"

#ifndef LINERATE_VERSION
#define LINERATE_VERSION "unknown"
#endif

struct lr_counter {
	const char *metric; // Prometheus family: linerate_*_total
	const char *key;    // telemetry dictionary key, the control socket's name
	const char *help;
	size_t off; // of its uint64_t in the struct the table is for
};

// struct lr_stats, summed over the workers.
static const struct lr_counter worker_counters[] = {
	{"linerate_dns_template_hits_total", "template_hits",
	 "DNS answers copied from a precompiled response template.",
	 offsetof(struct lr_stats, template_hits)},
	{"linerate_dns_suffix_template_hits_total", "suffix_template_hits",
	 "DNS answers from a pointer-shifting template (NXDOMAIN, NODATA, referral, wildcard).",
	 offsetof(struct lr_stats, suffix_hits)},
	{"linerate_dns_not_answered_total", "dns_not_answered",
	 "DNS queries the answer engine chose not to answer.",
	 offsetof(struct lr_stats, dns_dropped)},
	{"linerate_dns_acl_dropped_total", "dns_acl_dropped",
	 "DNS queries dropped by dns.acl (no answer).", offsetof(struct lr_stats, acl_dropped)},
	{"linerate_dns_acl_refused_total", "dns_acl_refused",
	 "DNS queries answered REFUSED by dns.acl.", offsetof(struct lr_stats, acl_refused)},
	{"linerate_fragments_reassembled_total", "fragments_reassembled",
	 "IP datagrams rebuilt from fragments.", offsetof(struct lr_stats, frag_reassembled)},
	{"linerate_fragments_failed_total", "fragments_failed",
	 "Fragmented IP datagrams that could not be rebuilt (table full, too big).",
	 offsetof(struct lr_stats, frag_failed)},
};

// struct lr_port_stats: per port and worker queue pair.
static const struct lr_counter queue_counters[] = {
	{"linerate_packets_received_total", "rx", "Packets received, per port and worker queue.",
	 offsetof(struct lr_port_stats, rx)},
	{"linerate_packets_sent_total", "tx", "Packets sent, per port and worker queue.",
	 offsetof(struct lr_port_stats, tx)},
	{"linerate_tx_full_drops_total", "tx_full",
	 "Replies dropped because the port's TX queue was full.",
	 offsetof(struct lr_port_stats, tx_full)},
	{"linerate_dns_answers_total", "dns_answers", "DNS responses sent over UDP.",
	 offsetof(struct lr_port_stats, dns_answers)},
	{"linerate_unanswered_packets_total", "unanswered",
	 "Packets received and not replied to: dropped by reason, or a fragment kept for "
	 "reassembly.",
	 offsetof(struct lr_port_stats, unanswered)},
};

// struct rte_eth_stats: what the device saw, per port.
static const struct lr_counter nic_counters[] = {
	{"linerate_nic_received_bytes_total", "nic_rx_bytes",
	 "Octets received by the device, per port.", offsetof(struct rte_eth_stats, ibytes)},
	{"linerate_nic_sent_bytes_total", "nic_tx_bytes", "Octets sent by the device, per port.",
	 offsetof(struct rte_eth_stats, obytes)},
	{"linerate_nic_rx_missed_total", "nic_rx_missed",
	 "Packets the device dropped because its RX queue was full.",
	 offsetof(struct rte_eth_stats, imissed)},
	{"linerate_nic_rx_errors_total", "nic_rx_errors", "Erroneous packets received.",
	 offsetof(struct rte_eth_stats, ierrors)},
	{"linerate_nic_rx_nombuf_total", "nic_rx_nombuf",
	 "Packets dropped for want of an mbuf to receive them.",
	 offsetof(struct rte_eth_stats, rx_nombuf)},
	{"linerate_nic_tx_errors_total", "nic_tx_errors", "Packets the device failed to send.",
	 offsetof(struct rte_eth_stats, oerrors)},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct lr_expose expose;
static atomic_bool exposed;
static pthread_mutex_t eth_lock = PTHREAD_MUTEX_INITIALIZER;

// A counter a worker may be writing: one 64-bit load, never torn.
static uint64_t counter(const void *base, const struct lr_counter *c)
{
	return *(const volatile uint64_t *)((const char *)base + c->off);
}

const char *lr_rcode_name(int r, char buf[16])
{
	return r < LR_RCODE_EXTENDED ? dns_rcode_to_text((uint16_t)r, buf) : "extended";
}

int lr_eth_stats(unsigned i, struct rte_eth_stats *es)
{
	int rc = -ENODEV;
	memset(es, 0, sizeof(*es));
	pthread_mutex_lock(&eth_lock);
	if (atomic_load(&exposed) && i < lr.nports)
		rc = rte_eth_stats_get(lr.ports[i].port_id, es);
	pthread_mutex_unlock(&eth_lock);
	return rc;
}

static bool link_up(unsigned i)
{
	struct rte_eth_link link;
	memset(&link, 0, sizeof(link));
	pthread_mutex_lock(&eth_lock);
	if (atomic_load(&exposed))
		rte_eth_link_get_nowait(lr.ports[i].port_id, &link);
	pthread_mutex_unlock(&eth_lock);
	return link.link_status;
}

// --- Prometheus ---

static void put_counters(struct ctl_metrics *m, const struct lr_counter *c, size_t n,
			 const struct lr_stats *t)
{
	for (size_t i = 0; i < n; i++) {
		ctl_metrics_family(m, c[i].metric, CTL_METRIC_COUNTER, c[i].help);
		ctl_metrics_sample(m, NULL, 0, counter(t, &c[i]));
	}
}

static void put_queues(struct ctl_metrics *m)
{
	for (size_t i = 0; i < N(queue_counters); i++) {
		const struct lr_counter *c = &queue_counters[i];
		ctl_metrics_family(m, c->metric, CTL_METRIC_COUNTER, c->help);
		for (unsigned k = 0; k < lr.nworkers; k++) {
			const struct lr_worker *w = &lr.workers[k];
			char queue[8], lcore[12];
			snprintf(queue, sizeof(queue), "%u", w->queue);
			snprintf(lcore, sizeof(lcore), "%u", w->lcore);
			for (unsigned j = 0; j < w->npolled; j++) {
				unsigned p = w->polled[j].index;
				CTL_METRICS_SAMPLE(m, counter(&w->port_stats[p], c),
						   {"port", lr.ports[p].name}, {"queue", queue},
						   {"lcore", lcore});
			}
		}
	}
}

static void put_nic(struct ctl_metrics *m)
{
	struct rte_eth_stats es[LR_MAX_PORTS];
	bool ok[LR_MAX_PORTS];
	for (unsigned p = 0; p < lr.nports; p++)
		ok[p] = lr_eth_stats(p, &es[p]) == 0;
	for (size_t i = 0; i < N(nic_counters); i++) {
		ctl_metrics_family(m, nic_counters[i].metric, CTL_METRIC_COUNTER,
				   nic_counters[i].help);
		for (unsigned p = 0; p < lr.nports; p++)
			if (ok[p])
				CTL_METRICS_SAMPLE(m, counter(&es[p], &nic_counters[i]),
						   {"port", lr.ports[p].name});
	}
	ctl_metrics_family(m, "linerate_port_link_up", CTL_METRIC_GAUGE,
			   "1 when the port's link is up, else 0.");
	for (unsigned p = 0; p < lr.nports; p++)
		CTL_METRICS_SAMPLE(m, link_up(p), {"port", lr.ports[p].name});
}

static void put_rcodes(struct ctl_metrics *m, const struct lr_stats *t)
{
	ctl_metrics_family(m, "linerate_dns_responses_total", CTL_METRIC_COUNTER,
			   "DNS responses sent over UDP, by rcode (BADVERS and above: extended).");
	for (int r = 0; r < LR_RCODE_BUCKETS; r++) {
		char buf[16];
		CTL_METRICS_SAMPLE(m, t->rcode[r], {"rcode", lr_rcode_name(r, buf)});
	}
}

static void put_qtypes(struct ctl_metrics *m, const struct lr_stats *t)
{
	ctl_metrics_family(m, "linerate_dns_queries_by_qtype_total", CTL_METRIC_COUNTER,
			   "DNS responses sent over UDP, by query type (uncommon types: other).");
	for (int q = 0; q < LR_QTYPE_COUNT; q++)
		CTL_METRICS_SAMPLE(m, t->qtype[q],
				   {"qtype", lr_qtype_name((enum lr_qtype_bucket)q)});
}

static void zone_sample(void *ctx, const char *zone, uint64_t answers)
{
	CTL_METRICS_SAMPLE((struct ctl_metrics *)ctx, answers, {"zone", zone});
}

static void put_zones(struct ctl_metrics *m, const struct lr_stats *t)
{
	ctl_metrics_family(m, "linerate_dns_answers_by_zone_total", CTL_METRIC_COUNTER,
			   "DNS responses sent over UDP, by the zone answering (outside every "
			   "zone: " LR_ZONE_NONE ").");
	lr_zone_counts(t, zone_sample, m);
}

static void put_verdicts(struct ctl_metrics *m, const struct lr_stats *t)
{
	ctl_metrics_family(m, "linerate_packets_classified_total", CTL_METRIC_COUNTER,
			   "Packets received that were not dropped by the classifier, by what "
			   "they were.");
	for (int v = 0; v < DP_PKT_DROP_FIRST; v++)
		CTL_METRICS_SAMPLE(m, t->verdict[v],
				   {"verdict", dp_pkt_verdict_name((enum dp_pkt_verdict)v)});
	ctl_metrics_family(m, "linerate_packets_dropped_total", CTL_METRIC_COUNTER,
			   "Packets the classifier dropped, by reason.");
	for (int v = DP_PKT_DROP_FIRST; v < DP_PKT_VERDICT_COUNT; v++)
		CTL_METRICS_SAMPLE(m, t->verdict[v],
				   {"reason", dp_pkt_verdict_name((enum dp_pkt_verdict)v)});
}

static void put_gauge(struct ctl_metrics *m, const char *name, const char *help, uint64_t v)
{
	ctl_metrics_family(m, name, CTL_METRIC_GAUGE, help);
	ctl_metrics_sample(m, NULL, 0, v);
}

static void put_daemon(struct ctl_metrics *m, const struct ctl_metrics_server *srv)
{
	const char *dpdk = rte_version();
	if (strncmp(dpdk, "DPDK ", 5) == 0)
		dpdk += 5;
	ctl_metrics_family(m, "linerate_build_info", CTL_METRIC_GAUGE,
			   "Always 1: the versions of linerated and DPDK in the labels.");
	CTL_METRICS_SAMPLE(m, 1, {"version", LINERATE_VERSION}, {"dpdk", dpdk});
	ctl_metrics_family(m, "process_start_time_seconds", CTL_METRIC_GAUGE,
			   "Start time of the process since the UNIX epoch, in seconds.");
	ctl_metrics_sample(m, NULL, 0, expose.started);
	put_gauge(m, "linerate_workers", "Worker lcores polling queues.", lr.nworkers);
	put_gauge(m, "linerate_zones_loaded", "Zones served.", expose.nzones);
	put_gauge(m, "linerate_zone_image_generation",
		  "Generation of the zone image serving: 1 at start, one more per reload.",
		  atomic_load(&lr.generation));
	struct ctl_metrics_server_stats st;
	ctl_metrics_server_get_stats(srv, &st);
	ctl_metrics_family(m, "linerate_metrics_responses_total", CTL_METRIC_COUNTER,
			   "Responses of this endpoint, by HTTP status (this one not counted).");
	const struct {
		const char *code;
		uint64_t n;
	} codes[] = {{"200", st.ok},	     {"400", st.bad_request}, {"404", st.not_found},
		     {"405", st.bad_method}, {"431", st.too_large},   {"500", st.failed},
		     {"503", st.refused}};
	for (size_t i = 0; i < N(codes); i++)
		CTL_METRICS_SAMPLE(m, codes[i].n, {"code", codes[i].code});
}

// Storm control in the trap stage: counters, and the most shed sources
// (at most DP_STORM_TOP series: the cardinality is bounded).
static void put_storm(struct ctl_metrics *m)
{
	struct dp_storm_stats st;
	struct dp_storm_top top[DP_STORM_TOP];
	int n = lr_traps_storm_stats(&st, top);
	if (n < 0)
		return;
	ctl_metrics_family(m, "linerate_snmp_storm_passed_total", CTL_METRIC_COUNTER,
			   "SNMP datagrams storm control let through to the trap stage.");
	ctl_metrics_sample(m, NULL, 0, st.passed);
	ctl_metrics_family(m, "linerate_snmp_storm_shed_total", CTL_METRIC_COUNTER,
			   "SNMP datagrams storm control shed, by reason: the source's own "
			   "bucket, or the worker's budget (chattiest sources first).");
	CTL_METRICS_SAMPLE(m, st.shed_source, {"reason", "source"});
	CTL_METRICS_SAMPLE(m, st.shed_global, {"reason", "global"});
	ctl_metrics_family(m, "linerate_snmp_storm_evicted_total", CTL_METRIC_COUNTER,
			   "Sources storm control forgot for a new one before their bucket "
			   "was full again.");
	ctl_metrics_sample(m, NULL, 0, st.evicted);
	ctl_metrics_family(m, "linerate_snmp_storm_source_shed_total", CTL_METRIC_COUNTER,
			   "SNMP datagrams shed from each of the most shed sources (at most 16, "
			   "counted while listed).");
	for (int i = 0; i < n; i++) {
		char buf[INET6_ADDRSTRLEN];
		CTL_METRICS_SAMPLE(m, top[i].shed,
				   {"source", lr_storm_addr_text(top[i].addr, buf, sizeof(buf))});
	}
}

// Accepted notifications of the LR_PRINCIPALS_TOP principals with the
// most (the cardinality is bounded); communities only as their
// fingerprinted text, never whole (trap_principals.h).
static void put_principals(struct ctl_metrics *m)
{
	struct lr_principal_row rows[LR_PRINCIPALS_TOP];
	struct lr_principals *p = lr_traps_principals();
	if (!p)
		return;
	size_t n = lr_principals_read(p, rows, LR_PRINCIPALS_TOP, NULL);
	ctl_metrics_family(m, "linerate_snmp_notifications_by_principal_total", CTL_METRIC_COUNTER,
			   "SNMP notifications accepted, by user or community (fingerprinted), "
			   "security level and kind (the 64 principals with the most).");
	for (size_t i = 0; i < n; i++) {
		const char *level = lr_principal_level_name(rows[i].level);
		CTL_METRICS_SAMPLE(m, rows[i].traps, {"principal", rows[i].principal},
				   {"level", level}, {"kind", "trap"});
		CTL_METRICS_SAMPLE(m, rows[i].informs, {"principal", rows[i].principal},
				   {"level", level}, {"kind", "inform"});
	}
}

// ctl_metrics_collect_fn: runs on the metrics thread, which owns srv.
static int collect(void *ctx, struct ctl_metrics *m)
{
	const struct ctl_metrics_server *const *srv = ctx;
	struct lr_stats t;
	if (!atomic_load(&exposed))
		return -EAGAIN;
	lr_stats_total(&t);
	put_queues(m);
	put_counters(m, worker_counters, N(worker_counters), &t);
	put_rcodes(m, &t);
	put_qtypes(m, &t);
	put_zones(m, &t);
	put_verdicts(m, &t);
	put_nic(m);
	put_storm(m);
	put_principals(m);
	put_daemon(m, *srv);
	return ctl_metrics_error(m);
}

struct lr_metrics {
	struct ctl_metrics_server *srv;
	pthread_t thread;
	atomic_bool stop;
};

static void *metrics_main(void *arg)
{
	struct lr_metrics *lm = arg;
	while (!atomic_load(&lm->stop))
		ctl_metrics_server_poll(lm->srv, 100);
	return NULL;
}

struct lr_metrics *lr_metrics_start(const struct ctl_config *cfg)
{
	struct lr_metrics *lm = calloc(1, sizeof(*lm));
	char err[256];
	if (!lm)
		return NULL;
	struct ctl_metrics_server_cfg sc = {.listen = cfg->metrics.listen,
					    .path = cfg->metrics.path,
					    .max_clients = cfg->metrics.max_clients,
					    .timeout_ms = (int)cfg->metrics.timeout_ms,
					    .collect = collect,
					    .ctx = &lm->srv};
	lm->srv = ctl_metrics_server_new(&sc, err, sizeof(err));
	if (!lm->srv) {
		fprintf(stderr, "linerated: metrics.%s\n", err);
		free(lm);
		return NULL;
	}
	// a control thread: on the EAL's control cores, never a worker's
	int rc = rte_ctrl_thread_create(&lm->thread, "lr-metrics", NULL, metrics_main, lm);
	if (rc != 0) {
		fprintf(stderr, "linerated: metrics thread: %s\n", strerror(rc < 0 ? -rc : rc));
		ctl_metrics_server_free(lm->srv);
		free(lm);
		return NULL;
	}
	return lm;
}

void lr_metrics_stop(struct lr_metrics *lm)
{
	if (!lm)
		return;
	atomic_store(&lm->stop, true);
	pthread_join(lm->thread, NULL);
	ctl_metrics_server_free(lm->srv);
	free(lm);
}

// --- DPDK telemetry ---

static void tel_counters(struct rte_tel_data *d, const struct lr_counter *c, size_t n,
			 const void *base)
{
	for (size_t i = 0; i < n; i++)
		rte_tel_data_add_dict_u64(d, c[i].key, counter(base, &c[i]));
}

// The per-queue counters of port p summed (all ports when p < 0).
static void queue_total(int p, struct lr_port_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < lr.nports; i++) {
		struct lr_port_stats s;
		if (p >= 0 && i != (unsigned)p)
			continue;
		lr_port_stats_total(i, &s);
		t->rx += s.rx;
		t->tx += s.tx;
		t->tx_full += s.tx_full;
		t->dns_answers += s.dns_answers;
		t->unanswered += s.unanswered;
	}
}

// The workers' totals into *t and d started as a dict; -EAGAIN before
// start and after stop.
static int tel_begin(struct rte_tel_data *d, struct lr_stats *t)
{
	if (!atomic_load(&exposed))
		return -EAGAIN;
	lr_stats_total(t);
	return rte_tel_data_start_dict(d);
}

static int tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lr_stats t;
	struct lr_port_stats q;
	int rc = tel_begin(d, &t);
	(void)cmd, (void)params;
	if (rc)
		return rc;
	queue_total(-1, &q);
	tel_counters(d, queue_counters, N(queue_counters), &q);
	tel_counters(d, worker_counters, N(worker_counters), &t);
	rte_tel_data_add_dict_u64(d, "workers", lr.nworkers);
	rte_tel_data_add_dict_u64(d, "zones", expose.nzones);
	rte_tel_data_add_dict_u64(d, "generation", atomic_load(&lr.generation));
	rte_tel_data_add_dict_u64(d, "uptime_s", atomic_load(&lr.now) - expose.started);
	return 0;
}

static int tel_dns(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lr_stats t;
	char buf[16];
	int rc = tel_begin(d, &t);
	(void)cmd, (void)params;
	for (int r = 0; !rc && r < LR_RCODE_BUCKETS; r++)
		rte_tel_data_add_dict_u64(d, lr_rcode_name(r, buf), t.rcode[r]);
	return rc;
}

static int tel_qtypes(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lr_stats t;
	int rc = tel_begin(d, &t);
	(void)cmd, (void)params;
	for (int q = 0; !rc && q < LR_QTYPE_COUNT; q++)
		rte_tel_data_add_dict_u64(d, lr_qtype_name((enum lr_qtype_bucket)q), t.qtype[q]);
	return rc;
}

static int tel_packets(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct lr_stats t;
	int rc = tel_begin(d, &t);
	(void)cmd, (void)params;
	for (int v = 0; !rc && v < DP_PKT_VERDICT_COUNT; v++)
		rte_tel_data_add_dict_u64(d, dp_pkt_verdict_name((enum dp_pkt_verdict)v),
					  t.verdict[v]);
	return rc;
}

static int tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd, (void)params;
	if (!atomic_load(&exposed))
		return -EAGAIN;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (unsigned i = 0; i < lr.nports; i++)
		rte_tel_data_add_array_string(d, lr.ports[i].name);
	return 0;
}

// /linerate/port,NAME (or its index): the port's counters.
static int tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	if (!atomic_load(&exposed) || !params || !params[0])
		return -EINVAL;
	unsigned i = 0;
	while (i < lr.nports && strcmp(lr.ports[i].name, params) != 0)
		i++;
	if (i == lr.nports) {
		char *end;
		unsigned long k = strtoul(params, &end, 10);
		if (*end || k >= lr.nports)
			return -EINVAL;
		i = (unsigned)k;
	}
	struct lr_port_stats q;
	struct rte_eth_stats es;
	queue_total((int)i, &q);
	lr_eth_stats(i, &es);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", lr.ports[i].name);
	rte_tel_data_add_dict_u64(d, "port_id", lr.ports[i].port_id);
	rte_tel_data_add_dict_u64(d, "link_up", link_up(i));
	tel_counters(d, queue_counters, N(queue_counters), &q);
	tel_counters(d, nic_counters, N(nic_counters), &es);
	return 0;
}

int lr_expose_start(const struct lr_expose *info)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{"/linerate/stats", tel_stats,
		 "linerated totals: packets, DNS answers, templates, fragments, zones. No "
		 "parameters"},
		{"/linerate/dns", tel_dns, "DNS responses by rcode. No parameters"},
		{"/linerate/qtypes", tel_qtypes,
		 "DNS responses by query type (uncommon ones: other). No parameters"},
		{"/linerate/packets", tel_packets,
		 "Packets by classifier verdict and drop reason. No parameters"},
		{"/linerate/ports", tel_ports, "The served ports' names. No parameters"},
		{"/linerate/port", tel_port,
		 "A port's counters, its own and its device's. Parameters: port name or index"},
	};
	static bool registered;
	expose = *info;
	atomic_store(&exposed, true);
	for (size_t i = 0; !registered && i < N(cmds); i++) {
		int rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);
		if (rc) {
			fprintf(stderr, "linerated: telemetry %s: %s\n", cmds[i].cmd,
				strerror(-rc));
			return rc;
		}
	}
	registered = true;
	return 0;
}

void lr_expose_stop(void)
{
	pthread_mutex_lock(&eth_lock);
	atomic_store(&exposed, false);
	pthread_mutex_unlock(&eth_lock);
}
