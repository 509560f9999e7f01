/* SPDX-License-Identifier: BSD-3-Clause */
// linerated: EAL and port set-up, zone loading and RCU publication, the
// workers, and the main lcore's control loop (signals, reloads, stats).
//
//   linerated --config FILE [--run-seconds N]
//   linerated [EAL options] -- --ipv4 ADDR|--ipv6 ADDR... [--vlan ID]
//             [--zone [ORIGIN=]FILE]... [--edns-size N] [--nsid TEXT]
//             [--run-seconds N]
//
// With --config, everything comes from the YAML file (control/ctl_config.h):
// EAL arguments, every port (device, MAC, addresses, VLAN, queues), the
// worker lcores, zones, DNS options and the control socket (status, stats,
// zone list, zone reload; see linerate-ctl). On the command line, the EAL's
// first port is served, by every EAL worker lcore.
//
// Worker i owns RX/TX queue pair i of every port that has more than i
// queues; a port has one queue per worker unless its rx_queues says fewer
// (and one only when it cannot spread UDP over queues by RSS).
//
// SIGHUP reloads every zone, the SNMPv3 users file and the MIB table: the
// new image and users table are built here, off the workers, published by
// pointer swap in a new snapshot, and the old ones freed once every worker
// has reported a quiescent state; a part that fails to load leaves its old
// version serving (and says why). SIGINT and SIGTERM stop cleanly.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <linerate/dns_image.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone.h>
#include <linerate/dns_zone_set.h>

#include "control.h"
#include "control_ops.h"
#include "ctl_priv.h"
#include "lr.h"
#include "options.h"
#include "port.h"
#include "stats.h"
#include "trap.h"

static volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
}

static void warn_cb(void *ctx, const struct dns_zone_diag *d)
{
	char buf[512];
	(void)ctx;
	dns_zone_diag_format(d, buf, sizeof(buf));
	lr_log(CTL_LOG_WARNING, "%s", buf);
}

// A port's addresses as the workers match them.
static void port_snap(struct lr_port_snap *ps, const struct lr_port *p, const struct lr_port_opt *o)
{
	dp_pkt_addrs_init(&ps->addrs, p->mac);
	ps->addrs.vlan = o->vlan;
	for (unsigned i = 0; i < o->n4; i++)
		dp_pkt_addrs_add4(&ps->addrs, o->v4[i]);
	for (unsigned i = 0; i < o->n6; i++)
		dp_pkt_addrs_add6(&ps->addrs, o->v6[i]);
	if (o->n6) {
		// the port's link-local address (modified EUI-64, RFC 4291 §2.5.1):
		// routers and neighbours ask for it in their solicitations
		const uint8_t *m = p->mac;
		uint8_t ll[16] = {
			0xfe, 0x80, [8] = (uint8_t)(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe, m[3],
			m[4], m[5]};
		dp_pkt_addrs_add6(&ps->addrs, ll); // no room past the configured ones: skipped
	}
	ps->mtu = p->mtu;
	ps->tx_flags = p->tx_flags;
}

// Load every zone and compile one image; NULL (and a message) when any
// zone fails: the caller keeps what it had.
static struct lr_snapshot *build_snapshot(uint64_t generation, char *err, size_t errlen)
{
	struct dns_zone *z[LR_MAX_ZONES];
	unsigned n = 0;
	struct lr_snapshot *s = calloc(1, sizeof(*s));
	snprintf(err, errlen, "out of memory");
	if (!s)
		return NULL;
	for (unsigned i = 0; i < lr_opt.nzones; i++) {
		struct dns_zone_spec spec;
		struct dns_zone_diag d;
		char msg[512];
		if (dns_zone_spec_parse(lr_opt.zone[i], &spec) < 0) {
			snprintf(err, errlen, "%s: not [ORIGIN=]FILE with a domain name for ORIGIN",
				 lr_opt.zone[i]);
			goto fail;
		}
		const char *file = spec.path;
		z[n] = dns_zone_new(spec.origin, DNS_CLASS_IN);
		if (!z[n])
			goto fail;
		n++;
		if (dns_zone_load_file(z[n - 1], file, 3600, warn_cb, NULL, &d) < 0) {
			dns_zone_diag_format(&d, msg, sizeof(msg));
			snprintf(err, errlen, "%s", msg);
			goto fail;
		}
	}
	if (n) {
		s->image = dns_image_compile(z, n, &s->image_size);
		if (!s->image) {
			snprintf(err, errlen, "compiling the zones: %s", strerror(errno));
			goto fail;
		}
	}
	for (unsigned i = 0; i < n; i++)
		dns_zone_free(z[i]);
	s->cfg = lr_opt.cfg;
	s->acl = lr_opt.acl;
	s->nports = lr.nports;
	lr_traps_snap(&s->trap);
	for (unsigned i = 0; i < lr.nports; i++) {
		port_snap(&s->port[i], &lr.ports[i], &lr_opt.port[i]);
		s->port[i].addrs.snmp_port = s->trap.enabled ? s->trap.port : 0;
	}
	s->generation = generation;
	return s;
fail:
	for (unsigned i = 0; i < n; i++)
		dns_zone_free(z[i]);
	free(s);
	return NULL;
}

static void snapshot_free(struct lr_snapshot *s)
{
	if (s) {
		free(s->image);
		free(s);
	}
}

// Publish s; the old snapshot goes once every worker has been quiescent.
static void publish(struct lr_snapshot *s)
{
	struct lr_snapshot *old = atomic_exchange_explicit(&lr.snap, s, memory_order_acq_rel);
	atomic_store(&lr.generation, s->generation);
	lr_zone_names_update(s->image);
	if (old) {
		rte_rcu_qsbr_synchronize(lr.rcu, RTE_QSBR_THRID_INVALID);
		snapshot_free(old);
	}
}

static uint64_t generation = 1;

// Reload every zone (SIGHUP, "zone reload"): compiled here on the main
// lcore, published by RCU; on error the old image keeps serving.
static int reload_now(uint64_t *gen, char *err, size_t errlen)
{
	struct lr_snapshot *ns = build_snapshot(generation + 1, err, errlen);
	if (!ns) {
		lr_log(CTL_LOG_ERROR, "reload failed, the old zones keep serving: %s", err);
		return -1;
	}
	publish(ns);
	generation++;
	lr_log(CTL_LOG_NOTICE, "zones reloaded (generation %lu)", (unsigned long)generation);
	*gen = generation;
	return 0;
}

// SIGHUP: the SNMPv3 users (usm_keys.c publishes their table itself) and
// the MIB table, then the zones, each kept as it was when it fails (each
// part says why on stderr).
static void reload_all(void)
{
	char err[512];
	uint64_t gen;
	lr_traps_reload(err, sizeof(err));
	reload_now(&gen, err, sizeof(err));
}

// The worker lcores into lcores[]: workers: from the configuration, each
// an EAL lcore other than the main one, else every EAL worker lcore.
// Their number, or -1 (and a message naming the key).
static int pick_workers(const struct ctl_config *cfg, unsigned lcores[LR_MAX_WORKERS])
{
	unsigned n = 0, lcore;
	if (cfg && cfg->n_workers) {
		if (cfg->n_workers > LR_MAX_WORKERS) {
			fprintf(stderr, "linerated: workers: at most %d\n", LR_MAX_WORKERS);
			return -1;
		}
		for (size_t i = 0; i < cfg->n_workers; i++) {
			lcore = cfg->workers[i];
			if (lcore == rte_get_main_lcore()) {
				fprintf(stderr,
					"linerated: workers[%zu]: lcore %u is the EAL's main "
					"lcore, which runs the control plane\n",
					i, lcore);
				return -1;
			}
			if (!rte_lcore_is_enabled(lcore)) {
				fprintf(stderr,
					"linerated: workers[%zu]: lcore %u is not one of the "
					"EAL's lcores (eal: -l or --lcores)\n",
					i, lcore);
				return -1;
			}
			lcores[n++] = lcore;
		}
		return (int)n;
	}
	RTE_LCORE_FOREACH_WORKER(lcore)
	{
		if (n == LR_MAX_WORKERS)
			break;
		lcores[n++] = lcore;
	}
	if (n == 0)
		fprintf(stderr,
			"linerated: give the EAL at least two lcores (-l): main and a worker\n");
	return n ? (int)n : -1;
}

static void port_key(unsigned i, char *buf, size_t len)
{
	if (lr_opt.port[i].device)
		snprintf(buf, len, "ports[%u]", i);
	else
		snprintf(buf, len, "port %s", lr_opt.port[i].name);
}

// Find and start every port, with queue pairs for up to nworkers workers.
static int ports_start(unsigned nworkers)
{
	for (unsigned i = 0; i < lr_opt.nports; i++) {
		const struct lr_port_opt *o = &lr_opt.port[i];
		struct lr_port *p = &lr.ports[i];
		char key[32], err[256];
		port_key(i, key, sizeof(key));
		*p = (struct lr_port){.name = o->name, .device = o->device};
		if (!o->device) { // the command line: the EAL's first port
			uint16_t id = RTE_MAX_ETHPORTS;
			RTE_ETH_FOREACH_DEV(id) break;
			if (id == RTE_MAX_ETHPORTS) {
				fprintf(stderr, "linerated: no port (give a device or --vdev to "
						"the EAL)\n");
				return -1;
			}
			p->port_id = id;
		} else if (lr_port_find(o->device, &p->port_id) < 0) {
			fprintf(stderr,
				"linerated: %s.device %s: no such DPDK port (see the EAL's "
				"messages)\n",
				key, o->device);
			return -1;
		}
		for (unsigned j = 0; j < i; j++)
			if (lr.ports[j].port_id == p->port_id) {
				fprintf(stderr,
					"linerated: %s.device %s: the same DPDK port as "
					"ports[%u]\n",
					key, o->device, j);
				return -1;
			}
		unsigned rxq = o->rx_queues ? o->rx_queues : nworkers;
		if (rxq > nworkers) {
			// one worker per RX queue: a queue without one is never read
			fprintf(stderr,
				"linerated: %s.rx_queues: %u RX queues but only %u worker(s)\n",
				key, rxq, nworkers);
			return -1;
		}
		if (o->tx_queues && o->tx_queues < rxq) {
			fprintf(stderr,
				"linerated: %s.tx_queues: %u TX queues for %u RX queues: each "
				"worker answers on its own TX queue\n",
				key, o->tx_queues, rxq);
			return -1;
		}
		lr.nports = i + 1; // stopped and closed at the end from here on
		if (lr_port_start(p, (uint16_t)rxq, o->tx_queues, o->rx_desc, o->tx_desc, o->mac,
				  err, sizeof(err)) < 0) {
			fprintf(stderr, "linerated: %s (%s): %s\n", key, o->device ? o->device : "",
				err);
			return -1;
		}
		if (o->rx_queues > p->nq)
			fprintf(stderr,
				"linerated: warning: %s.rx_queues: %u asked, the device gives "
				"%u (%s)\n",
				key, o->rx_queues, p->nq,
				p->nq == 1 ? "no RSS over UDP ports" : "its most");
		const uint8_t *m = p->mac;
		fprintf(stderr,
			"linerated: port %s = DPDK port %u: %u RX / %u TX queue(s)%s, MAC "
			"%02x:%02x:%02x:%02x:%02x:%02x, MTU %u, checksums %s\n",
			o->name, p->port_id, p->nq, p->ntxq, p->rss ? " (RSS)" : "", m[0], m[1],
			m[2], m[3], m[4], m[5], p->mtu,
			p->tx_flags ? "by the port" : "in software");
	}
	return 0;
}

// Worker i: queue pair i of every port with more than i queues. Returns
// how many workers have something to poll (the others are not started).
static unsigned workers_plan(const unsigned *lcores, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct lr_worker *w = &lr.workers[i];
		memset(w, 0, sizeof(*w));
		w->lcore = lcores[i];
		w->queue = (uint16_t)i;
		w->rcu_id = i;
		for (unsigned k = 0; k < lr.nports; k++)
			if (i < lr.ports[k].nq)
				w->polled[w->npolled++] = (struct lr_polled){
					.port_id = lr.ports[k].port_id, .index = (uint16_t)k};
		if (!w->npolled) {
			fprintf(stderr,
				"linerated: warning: %u worker lcore(s) from lcore %u on have no "
				"queue to poll (no port has more than %u); not started\n",
				n - i, lcores[i], i);
			return i;
		}
	}
	return n;
}

static void print_stats(FILE *f)
{
	struct lr_stats t;
	lr_stats_total(&t);
	fprintf(f, "linerated: fragments reassembled %lu, not reassembled %lu\n",
		(unsigned long)t.frag_reassembled, (unsigned long)t.frag_failed);
	fprintf(f,
		"linerated: rx %lu tx %lu tx_full %lu; dns answers %lu (templates %lu, suffix "
		"templates %lu; NOERROR %lu NXDOMAIN %lu REFUSED %lu)\n",
		(unsigned long)t.rx, (unsigned long)t.tx, (unsigned long)t.tx_full,
		(unsigned long)t.dns_answers, (unsigned long)t.template_hits,
		(unsigned long)t.suffix_hits, (unsigned long)t.rcode[DNS_RCODE_NOERROR],
		(unsigned long)t.rcode[DNS_RCODE_NXDOMAIN],
		(unsigned long)t.rcode[DNS_RCODE_REFUSED]);
	for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
		if (t.verdict[v])
			fprintf(f, "linerated:   %-14s %lu\n",
				dp_pkt_verdict_name((enum dp_pkt_verdict)v),
				(unsigned long)t.verdict[v]);
	for (unsigned i = 0; i < lr.nports; i++) {
		struct lr_port_stats ps;
		lr_port_stats_total(i, &ps);
		fprintf(f,
			"linerated: port %s: rx %lu tx %lu tx_full %lu dns answers %lu unanswered "
			"%lu\n",
			lr.ports[i].name, (unsigned long)ps.rx, (unsigned long)ps.tx,
			(unsigned long)ps.tx_full, (unsigned long)ps.dns_answers,
			(unsigned long)ps.unanswered);
	}
}

static void ports_close(void)
{
	for (unsigned i = 0; i < lr.nports; i++) {
		rte_eth_dev_stop(lr.ports[i].port_id);
		rte_eth_dev_close(lr.ports[i].port_id);
	}
}

// Workers, ports, the first snapshot; the workers launched. 0, or -1 (and
// a message).
static int start(const struct ctl_config *cfg)
{
	unsigned lcores[LR_MAX_WORKERS];
	char err[512];
	int nworker = pick_workers(cfg, lcores);
	if (nworker < 0)
		return -1;
	size_t sz = rte_rcu_qsbr_get_memsize((uint32_t)nworker);
	lr.rcu = rte_zmalloc("lr_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (!lr.rcu || rte_rcu_qsbr_init(lr.rcu, (uint32_t)nworker) != 0) {
		fprintf(stderr, "linerated: RCU set-up failed\n");
		return -1;
	}
	lr.big_pool =
		rte_pktmbuf_pool_create("lr_big", LR_BIG_COUNT, 32, 0,
					LR_BIG_DATA + RTE_PKTMBUF_HEADROOM, (int)rte_socket_id());
	if (!lr.big_pool) {
		fprintf(stderr, "linerated: reassembly pool: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	if (ports_start((unsigned)nworker) < 0)
		return -1;
	// the users table, journal and sink before the first snapshot
	if (lr_traps_start(cfg, (unsigned)nworker) < 0)
		return -1;
	struct lr_snapshot *s = build_snapshot(1, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "linerated: %s\nlinerated: zones did not load; not starting\n",
			err);
		return -1;
	}
	publish(s);
	atomic_store(&lr.now, (uint32_t)time(NULL));
	unsigned nw = workers_plan(lcores, (unsigned)nworker);
	for (unsigned i = 0; i < nw; i++) {
		struct lr_worker *w = &lr.workers[i];
		// bounded reassembly: 4096 datagrams in flight per worker (of all
		// its ports), each given up after 2 s (a DNS query is never
		// slower than that)
		w->frag_tbl = rte_ip_frag_table_create(LR_FRAG_BUCKETS, LR_FRAG_BUCKET_ENTRIES,
						       LR_FRAG_BUCKETS * LR_FRAG_BUCKET_ENTRIES,
						       rte_get_tsc_hz() * LR_FRAG_TTL_S,
						       (int)rte_lcore_to_socket_id(w->lcore));
		if (!w->frag_tbl) {
			fprintf(stderr, "linerated: fragment table for lcore %u: %s\n", w->lcore,
				rte_strerror(rte_errno));
			return -1;
		}
		w->trap = lr_traps_worker(i);
		lr.nworkers = i + 1;
	}
	for (unsigned i = 0; i < lr.nworkers; i++)
		rte_eal_remote_launch(lr_worker_main, &lr.workers[i], lr.workers[i].lcore);
	fprintf(stderr, "linerated: serving %u zone(s) on %u port(s) with %u worker(s)\n",
		lr_opt.nzones, lr.nports, lr.nworkers);
	return 0;
}

// The main lcore's loop: control requests, the clock, reloads, until a
// signal or --run-seconds.
static void serve(struct ctl_server *server)
{
	uint32_t begin = (uint32_t)time(NULL);
	while (!got_stop &&
	       (!lr_opt.run_seconds || (uint32_t)time(NULL) - begin < lr_opt.run_seconds)) {
		// the control socket's requests between polls, 100 ms at most
		if (server)
			ctl_server_poll(server, 100);
		else
			usleep(100000);
		atomic_store_explicit(&lr.now, (uint32_t)time(NULL), memory_order_relaxed);
		if (got_hup) {
			got_hup = 0;
			reload_all();
		}
	}
}

// Whatever start() got to, undone.
static void stop(void)
{
	atomic_store(&lr.stop, true);
	rte_eal_mp_wait_lcore();
	for (unsigned k = 0; k < lr.nworkers; k++) {
		rte_ip_frag_free_death_row(&lr.workers[k].death_row, 0);
		rte_ip_frag_table_destroy(lr.workers[k].frag_tbl);
	}
	// every record the workers accepted into the journal, before the
	// ports (and their mbufs) go
	lr_traps_stop();
	if (atomic_load(&lr.snap))
		print_stats(stderr);
	ports_close();
	snapshot_free(atomic_exchange(&lr.snap, NULL));
	rte_free(lr.rcu);
	rte_eal_cleanup();
}

// Become the configured user once everything that needs root is set up
// (DPDK, ports, the control and metrics sockets), handing it the journal
// directory and the SNMP state file first. 0, or -1 and a message.
static int drop_privileges(const struct ctl_config *cfg, uid_t uid, gid_t gid)
{
	char err[512];
	if (uid == (uid_t)-1)
		return 0;
	if (ctl_priv_chown_tree(cfg->snmp.journal.dir, uid, gid, err, sizeof(err)) < 0 ||
	    ctl_priv_chown_tree(cfg->snmp.state_file, uid, gid, err, sizeof(err)) < 0 ||
	    ctl_priv_drop(uid, gid, err, sizeof(err)) < 0) {
		fprintf(stderr, "linerated: user: %s\n", err);
		return -1;
	}
	lr_log(CTL_LOG_NOTICE, "running as uid %u gid %u (user %s)", (unsigned)uid, (unsigned)gid,
	       cfg->run_as.user);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctl_config *cfg = NULL;
	struct ctl_server *server = NULL;
	char **ealv = NULL;
	int ealc = 0, n, rc = 1;
	char *cfg_path = NULL; // the config file's absolute path (config save)
	uid_t run_uid = (uid_t)-1;
	gid_t run_gid = (gid_t)-1;
	ctl_json_wipe_on_free(); // before any JSON: requests carry passwords
	if (argc >= 3 && !strcmp(argv[1], "--config")) {
		char err[CTL_CONFIG_ERR_MAX];
		cfg = ctl_config_load_file(argv[2], err, sizeof(err));
		if (!cfg) {
			fprintf(stderr, "linerated: %s: %s\n", argv[2], err);
			return 1;
		}
		// an unknown user refuses the start before anything is set up
		if (ctl_config_run_as(cfg, &run_uid, &run_gid, err, sizeof(err)) < 0) {
			fprintf(stderr, "linerated: %s: %s\n", argv[2], err);
			ctl_config_free(cfg);
			return 1;
		}
		lr_log_set_level(cfg->log_level);
		cfg_path = realpath(argv[2], NULL);
		if (!cfg_path)
			goto out;
		ealv = lr_eal_args(cfg, argv[0], &ealc);
		if (!ealv || lr_options_from_config(cfg) < 0)
			goto out;
		// the EAL rewrites the array it parses (argv[optind - 1] becomes
		// argv[0]): give it a copy, keep ours to free the strings
		char **eal_copy = calloc((size_t)ealc + 1, sizeof(*eal_copy));
		if (!eal_copy)
			goto out;
		memcpy(eal_copy, ealv, (size_t)ealc * sizeof(*eal_copy));
		n = rte_eal_init(ealc, eal_copy);
		free(eal_copy);
		if (n < 0) {
			fprintf(stderr, "linerated: EAL: %s\n", rte_strerror(rte_errno));
			goto out;
		}
		// what follows the config file: --run-seconds N
		for (int i = 3; i + 1 < argc; i += 2)
			if (!strcmp(argv[i], "--run-seconds"))
				lr_opt.run_seconds = (unsigned)strtoul(argv[i + 1], NULL, 10);
	} else {
		n = rte_eal_init(argc, argv);
		if (n < 0) {
			fprintf(stderr, "linerated: EAL: %s\n", rte_strerror(rte_errno));
			return 1;
		}
		argc -= n;
		argv += n;
		if (lr_options_from_args(argc, argv) < 0) {
			fprintf(stderr,
				"usage: linerated [EAL options] -- --ipv4 ADDR|--ipv6 ADDR... "
				"[--vlan ID] [--zone [ORIGIN=]FILE]... [--edns-size N] "
				"[--nsid TEXT] [--run-seconds N]\n");
			rte_eal_cleanup();
			return 2;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (start(cfg) == 0) {
		struct lr_control ctl = {.zones = lr_opt.zone,
					 .nzones = lr_opt.nzones,
					 .started = (uint32_t)time(NULL),
					 .cfg = cfg,
					 .config_path = cfg_path,
					 .reload = reload_now};
		struct lr_metrics *metrics = NULL;
		bool ok = lr_expose_start(&(struct lr_expose){.started = ctl.started,
							      .nzones = lr_opt.nzones}) == 0;
		if (ok && cfg) {
			server = lr_control_start(cfg, &ctl);
			if (server)
				fprintf(stderr, "linerated: control socket %s\n",
					cfg->control.socket);
			ok = server != NULL;
		}
		if (ok && cfg && cfg->metrics.listen) {
			metrics = lr_metrics_start(cfg);
			if (metrics)
				fprintf(stderr, "linerated: metrics on http://%s%s\n",
					cfg->metrics.listen, cfg->metrics.path);
			ok = metrics != NULL;
		}
		if (ok && cfg)
			ok = drop_privileges(cfg, run_uid, run_gid) == 0;
		if (ok) {
			serve(server);
			rc = 0;
		}
		lr_trace_shutdown();
		lr_metrics_stop(metrics);
		lr_expose_stop();
	}
	stop();
out:
	ctl_server_free(server);
	ctl_config_free(cfg);
	free(cfg_path);
	lr_eal_args_free(ealv, ealc);
	return rc;
}
