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
// EAL arguments, the port, addresses, zones, DNS options and the control
// socket (status, stats, zone list, zone reload; see linerate-ctl).
//
// SIGHUP reloads every zone: the new image is compiled here, off the
// workers, published by pointer swap, and the old one freed once every
// worker has reported a quiescent state; a zone that fails to load leaves
// the old image serving. SIGINT and SIGTERM stop cleanly.
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
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
#include "lr.h"

static struct {
	const char *zone[LR_MAX_ZONES];
	unsigned nzones;
	struct dns_answer_cfg cfg;
	unsigned run_seconds;
	uint8_t v4[DP_PKT_ADDR_MAX][4], v6[DP_PKT_ADDR_MAX][16];
	unsigned n4, n6;
	uint16_t vlan;
} opt = {.vlan = DP_PKT_VLAN_NONE};

static struct {
	uint8_t mac[6];
	unsigned tx_flags;
} port0;

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
	fprintf(stderr, "linerated: warning: %s\n", buf);
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
	for (unsigned i = 0; i < opt.nzones; i++) {
		struct dns_zone_spec spec;
		struct dns_zone_diag d;
		char msg[512];
		if (dns_zone_spec_parse(opt.zone[i], &spec) < 0) {
			snprintf(err, errlen, "%s: not [ORIGIN=]FILE with a domain name for ORIGIN",
				 opt.zone[i]);
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
	s->cfg = opt.cfg;
	dp_pkt_addrs_init(&s->addrs, port0.mac);
	s->addrs.vlan = opt.vlan;
	for (unsigned i = 0; i < opt.n4; i++)
		dp_pkt_addrs_add4(&s->addrs, opt.v4[i]);
	for (unsigned i = 0; i < opt.n6; i++)
		dp_pkt_addrs_add6(&s->addrs, opt.v6[i]);
	if (opt.n6) {
		// the port's link-local address (modified EUI-64, RFC 4291 §2.5.1):
		// routers and neighbours ask for it in their solicitations
		const uint8_t *m = port0.mac;
		uint8_t ll[16] = {0xfe, 0x80, [8] = (uint8_t)(m[0] ^ 0x02), m[1], m[2], 0xff, 0xfe,
				  m[3], m[4], m[5]};
		dp_pkt_addrs_add6(&s->addrs, ll); // no room past the configured ones: skipped
	}
	s->mtu = 1500;
	s->tx_flags = port0.tx_flags;
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
		fprintf(stderr, "linerated: reload failed, the old zones keep serving: %s\n", err);
		return -1;
	}
	publish(ns);
	generation++;
	fprintf(stderr, "linerated: zones reloaded (generation %lu)\n", (unsigned long)generation);
	*gen = generation;
	return 0;
}

// Options from the YAML configuration (port 0 only, for now).
static int config_apply(const struct ctl_config *c)
{
	static char *zones[LR_MAX_ZONES];
	dns_answer_cfg_default(&opt.cfg);
	if (c->dns.n_zones > LR_MAX_ZONES) {
		fprintf(stderr, "linerated: dns.zones: at most %d\n", LR_MAX_ZONES);
		return -1;
	}
	for (size_t i = 0; i < c->dns.n_zones; i++) {
		if (asprintf(&zones[i], "%s=%s", c->dns.zones[i].origin, c->dns.zones[i].file) < 0)
			return -1;
		opt.zone[opt.nzones++] = zones[i];
	}
	if (c->n_ports == 0) {
		fprintf(stderr, "linerated: ports: none configured\n");
		return -1;
	}
	if (c->n_ports > 1)
		fprintf(stderr, "linerated: warning: only ports[0] is served for now\n");
	const struct ctl_port *p = &c->ports[0];
	if (p->n_ipv4 > DP_PKT_ADDR_MAX || p->n_ipv6 > DP_PKT_ADDR_MAX) {
		fprintf(stderr, "linerated: ports[0]: at most %d addresses per family\n",
			DP_PKT_ADDR_MAX);
		return -1;
	}
	for (size_t i = 0; i < p->n_ipv4; i++)
		memcpy(opt.v4[opt.n4++], p->ipv4[i], 4);
	for (size_t i = 0; i < p->n_ipv6; i++)
		memcpy(opt.v6[opt.n6++], p->ipv6[i], 16);
	opt.vlan = p->vlan ? p->vlan : DP_PKT_VLAN_NONE;
	return ctl_config_dns_answer_cfg(c, &opt.cfg) < 0 ? -1 : 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"zone", required_argument, NULL, 'z'},
		{"edns-size", required_argument, NULL, 'e'},
		{"nsid", required_argument, NULL, 'n'},
		{"run-seconds", required_argument, NULL, 'r'},
		{"ipv4", required_argument, NULL, '4'},
		{"ipv6", required_argument, NULL, '6'},
		{"vlan", required_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	int c;
	dns_answer_cfg_default(&opt.cfg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;
		switch (c) {
		case 'z':
			if (opt.nzones == LR_MAX_ZONES)
				return -1;
			opt.zone[opt.nzones++] = optarg;
			break;
		case 'e':
			v = strtoul(optarg, &end, 10);
			if (*end || v < 512 || v > 65535) {
				fprintf(stderr, "linerated: --edns-size: 512 to 65535\n");
				return -1;
			}
			opt.cfg.edns_size = (uint16_t)v;
			break;
		case 'n':
			if (strlen(optarg) > DNS_ANSWER_NSID_MAX)
				return -1;
			opt.cfg.nsid_len = (uint16_t)strlen(optarg);
			memcpy(opt.cfg.nsid, optarg, opt.cfg.nsid_len);
			break;
		case 'r':
			opt.run_seconds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case '4':
			if (opt.n4 == DP_PKT_ADDR_MAX || inet_pton(AF_INET, optarg, opt.v4[opt.n4]) != 1) {
				fprintf(stderr, "linerated: --ipv4 %s: not an address (or too many)\n",
					optarg);
				return -1;
			}
			opt.n4++;
			break;
		case '6':
			if (opt.n6 == DP_PKT_ADDR_MAX || inet_pton(AF_INET6, optarg, opt.v6[opt.n6]) != 1) {
				fprintf(stderr, "linerated: --ipv6 %s: not an address (or too many)\n",
					optarg);
				return -1;
			}
			opt.n6++;
			break;
		case 'v':
			v = strtoul(optarg, &end, 10);
			if (*end || v < 1 || v > 4094) {
				fprintf(stderr, "linerated: --vlan: 1 to 4094\n");
				return -1;
			}
			opt.vlan = (uint16_t)v;
			break;
		default:
			return -1;
		}
	}
	if (opt.n4 + opt.n6 == 0) {
		fprintf(stderr, "linerated: give at least one service address (--ipv4, --ipv6)\n");
		return -1;
	}
	return optind == argc ? 0 : -1;
}

// One port, one RX and TX queue per worker; ring and pool sizes follow
// the queue sizes the driver accepts.
static int port_init(uint16_t port, unsigned nq)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_info_get(port, &info) != 0)
		return -1;
	if (nq > info.max_rx_queues)
		nq = info.max_rx_queues;
	if (nq > info.max_tx_queues)
		nq = info.max_tx_queues;
	if (nq > 1 && (info.flow_type_rss_offloads & RTE_ETH_RSS_UDP)) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
						   (RTE_ETH_RSS_UDP | RTE_ETH_RSS_IP);
	} else {
		nq = 1; // no RSS: one queue sees everything
	}
	// TX checksums by the port when it does both, in software otherwise
	uint64_t csum = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	if ((info.tx_offload_capa & csum) == csum) {
		conf.txmode.offloads = csum;
		port0.tx_flags = DP_PKT_TX_CSUM_OFFLOAD;
	}
	if (rte_eth_dev_configure(port, (uint16_t)nq, (uint16_t)nq, &conf) != 0)
		return -1;
	uint16_t nrx = 1024, ntx = 1024;
	if (rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrx, &ntx) != 0)
		return -1;
	char name[RTE_MEMPOOL_NAMESIZE];
	snprintf(name, sizeof(name), "lr_mbuf_%u", port);
	// every descriptor of every queue, a burst in flight per worker, and
	// the per-lcore caches
	unsigned nmbuf = nq * (nrx + ntx + 2 * LR_BURST) + rte_lcore_count() * 256;
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, nmbuf, 256, 0,
							 RTE_MBUF_DEFAULT_BUF_SIZE,
							 rte_eth_dev_socket_id(port));
	if (!mp)
		return -1;
	struct rte_eth_txconf txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (uint16_t q = 0; q < nq; q++) {
		if (rte_eth_rx_queue_setup(port, q, nrx, rte_eth_dev_socket_id(port), NULL, mp) != 0 ||
		    rte_eth_tx_queue_setup(port, q, ntx, rte_eth_dev_socket_id(port), &txc) != 0)
			return -1;
	}
	if (rte_eth_dev_start(port) != 0)
		return -1;
	struct rte_ether_addr mac;
	rte_eth_macaddr_get(port, &mac);
	memcpy(port0.mac, mac.addr_bytes, 6);
	return (int)nq;
}

static void print_stats(FILE *f)
{
	struct lr_stats t;
	lr_stats_total(&t);
	fprintf(f, "linerated: fragments reassembled %lu, not reassembled %lu\n",
		(unsigned long)t.frag_reassembled, (unsigned long)t.frag_failed);
	fprintf(f, "linerated: rx %lu tx %lu tx_full %lu; dns answers %lu (templates %lu, suffix "
		   "templates %lu; NOERROR %lu NXDOMAIN %lu REFUSED %lu)\n",
		(unsigned long)t.rx, (unsigned long)t.tx, (unsigned long)t.tx_full,
		(unsigned long)t.dns_answers, (unsigned long)t.template_hits,
		(unsigned long)t.suffix_hits, (unsigned long)t.rcode[DNS_RCODE_NOERROR],
		(unsigned long)t.rcode[DNS_RCODE_NXDOMAIN],
		(unsigned long)t.rcode[DNS_RCODE_REFUSED]);
	for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
		if (t.verdict[v])
			fprintf(f, "linerated:   %-14s %lu\n", dp_pkt_verdict_name((enum dp_pkt_verdict)v),
				(unsigned long)t.verdict[v]);
}

int main(int argc, char **argv)
{
	struct ctl_config *cfg = NULL;
	char **ealv = NULL;
	int ealc = 0, n;
	if (argc >= 3 && !strcmp(argv[1], "--config")) {
		char err[CTL_CONFIG_ERR_MAX];
		cfg = ctl_config_load_file(argv[2], err, sizeof(err));
		if (!cfg) {
			fprintf(stderr, "linerated: %s: %s\n", argv[2], err);
			return 1;
		}
		ealv = lr_eal_args(cfg, argv[0], &ealc);
		if (!ealv || config_apply(cfg) < 0)
			return 1;
		// the EAL rewrites the array it parses (argv[optind - 1] becomes
		// argv[0]): give it a copy, keep ours to free the strings
		char **eal_copy = calloc((size_t)ealc + 1, sizeof(*eal_copy));
		if (!eal_copy)
			return 1;
		memcpy(eal_copy, ealv, (size_t)ealc * sizeof(*eal_copy));
		n = rte_eal_init(ealc, eal_copy);
		free(eal_copy);
		if (n < 0) {
			fprintf(stderr, "linerated: EAL: %s\n", rte_strerror(rte_errno));
			return 1;
		}
		// what follows the config file: --run-seconds N
		for (int i = 3; i + 1 < argc; i += 2)
			if (!strcmp(argv[i], "--run-seconds"))
				opt.run_seconds = (unsigned)strtoul(argv[i + 1], NULL, 10);
	} else {
		n = rte_eal_init(argc, argv);
		if (n < 0) {
			fprintf(stderr, "linerated: EAL: %s\n", rte_strerror(rte_errno));
			return 1;
		}
		argc -= n;
		argv += n;
	}
	if (!cfg && parse_args(argc, argv) < 0) {
		fprintf(stderr, "usage: linerated [EAL options] -- --ipv4 ADDR|--ipv6 ADDR... "
				"[--vlan ID] [--zone [ORIGIN=]FILE]... [--edns-size N] [--nsid TEXT] "
				"[--run-seconds N]\n");
		rte_eal_cleanup();
		return 2;
	}
	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "linerated: no port (give a device or --vdev to the EAL)\n");
		rte_eal_cleanup();
		return 1;
	}
	unsigned nworker = rte_lcore_count() > 1 ? rte_lcore_count() - 1 : 0;
	if (nworker == 0 || nworker > LR_MAX_WORKERS) {
		fprintf(stderr, "linerated: give the EAL at least two lcores (-l): main and a worker\n");
		rte_eal_cleanup();
		return 1;
	}
	size_t sz = rte_rcu_qsbr_get_memsize(nworker);
	lr.rcu = rte_zmalloc("lr_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (!lr.rcu || rte_rcu_qsbr_init(lr.rcu, nworker) != 0) {
		fprintf(stderr, "linerated: RCU set-up failed\n");
		return 1;
	}
	lr.big_pool = rte_pktmbuf_pool_create("lr_big", LR_BIG_COUNT, 32, 0,
					      LR_BIG_DATA + RTE_PKTMBUF_HEADROOM, (int)rte_socket_id());
	if (!lr.big_pool) {
		fprintf(stderr, "linerated: reassembly pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	int nq = port_init(0, nworker);
	if (nq < 0) {
		fprintf(stderr, "linerated: port 0 set-up failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	char err[512];
	struct lr_snapshot *s = build_snapshot(1, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "linerated: %s\nlinerated: zones did not load; not starting\n", err);
		return 1;
	}
	atomic_store(&lr.snap, s);
	atomic_store(&lr.now, (uint32_t)time(NULL));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	unsigned lcore, i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (i == (unsigned)nq)
			break;
		lr.workers[i] = (struct lr_worker){.lcore = lcore, .port = 0, .queue = (uint16_t)i,
						   .rcu_id = i};
		// bounded reassembly: 4096 datagrams in flight per worker, each
		// given up after 2 s (a DNS query is never slower than that)
		lr.workers[i].frag_tbl = rte_ip_frag_table_create(
			LR_FRAG_BUCKETS, LR_FRAG_BUCKET_ENTRIES, LR_FRAG_BUCKETS * LR_FRAG_BUCKET_ENTRIES,
			rte_get_tsc_hz() * LR_FRAG_TTL_S, (int)rte_lcore_to_socket_id(lcore));
		if (!lr.workers[i].frag_tbl) {
			fprintf(stderr, "linerated: fragment table for lcore %u: %s\n", lcore,
				rte_strerror(rte_errno));
			return 1;
		}
		rte_eal_remote_launch(lr_worker_main, &lr.workers[i], lcore);
		i++;
	}
	lr.nworkers = i;
	fprintf(stderr, "linerated: serving %u zone(s) on port 0 with %u worker(s)\n", opt.nzones,
		lr.nworkers);

	struct lr_control ctl = {.zones = opt.zone, .nzones = opt.nzones,
				 .started = (uint32_t)time(NULL), .reload = reload_now};
	struct ctl_server *server = NULL;
	if (cfg) {
		server = lr_control_start(cfg, &ctl);
		if (!server)
			got_stop = 1;
		else
			fprintf(stderr, "linerated: control socket %s\n", cfg->control.socket);
	}
	uint32_t start = (uint32_t)time(NULL);
	while (!got_stop && (!opt.run_seconds || (uint32_t)time(NULL) - start < opt.run_seconds)) {
		// the control socket's requests between polls, 100 ms at most
		if (server)
			ctl_server_poll(server, 100);
		else
			usleep(100000);
		atomic_store_explicit(&lr.now, (uint32_t)time(NULL), memory_order_relaxed);
		if (got_hup) {
			uint64_t gen;
			got_hup = 0;
			reload_now(&gen, err, sizeof(err));
		}
	}
	atomic_store(&lr.stop, true);
	rte_eal_mp_wait_lcore();
	for (unsigned k = 0; k < lr.nworkers; k++) {
		rte_ip_frag_free_death_row(&lr.workers[k].death_row, 0);
		rte_ip_frag_table_destroy(lr.workers[k].frag_tbl);
	}
	print_stats(stderr);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	snapshot_free(atomic_exchange(&lr.snap, NULL));
	rte_free(lr.rcu);
	rte_eal_cleanup();
	ctl_server_free(server);
	ctl_config_free(cfg);
	lr_eal_args_free(ealv, ealc);
	return 0;
}
