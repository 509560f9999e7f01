/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's side of the control plane: EAL arguments from the YAML
// configuration, and the control socket's commands (status, stats, zone
// list, zone reload), answered on the main lcore between polls.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <linerate/dns_types.h>
#include <rte_lcore.h>

#include "control.h"

static bool is_pci(const char *dev)
{
	// DDDD:BB:DD.F or BB:DD.F
	unsigned a, b, c, d;
	return sscanf(dev, "%x:%x:%x.%x", &a, &b, &c, &d) == 4 || sscanf(dev, "%x:%x.%x", &a, &b, &c) == 3;
}

char **lr_eal_args(const struct ctl_config *cfg, const char *argv0, int *argc)
{
	size_t n = 1 + cfg->n_eal + 2 * cfg->n_ports + 1;
	char **v = calloc(n, sizeof(*v));
	int k = 0;
	if (!v)
		return NULL;
	v[k++] = strdup(argv0);
	for (size_t i = 0; i < cfg->n_eal; i++)
		v[k++] = strdup(cfg->eal[i]);
	// each port by PCI address (allow-listed) or as a virtual device
	for (size_t i = 0; i < cfg->n_ports; i++) {
		const char *dev = cfg->ports[i].device;
		v[k++] = strdup(is_pci(dev) ? "-a" : "--vdev");
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
		t->template_hits += s->template_hits;
		t->suffix_hits += s->suffix_hits;
		t->frag_reassembled += s->frag_reassembled;
		t->frag_failed += s->frag_failed;
		for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
			t->verdict[v] += s->verdict[v];
		for (int r = 0; r < LR_RCODE_BUCKETS; r++)
			t->rcode[r] += s->rcode[r];
	}
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
	json_object_set_new(reply, "uptime_s",
			    json_integer((json_int_t)(atomic_load(&lr.now) - c->started)));
	return 0;
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
		json_object_set_new(w, "lcore", json_integer(lr.workers[i].lcore));
		json_object_set_new(w, "rx", json_integer((json_int_t)s->rx));
		json_object_set_new(w, "tx", json_integer((json_int_t)s->tx));
		json_array_append_new(workers, w);
	}
	for (int v = 0; v < DP_PKT_VERDICT_COUNT; v++)
		json_object_set_new(verdicts, dp_pkt_verdict_name((enum dp_pkt_verdict)v),
				    json_integer((json_int_t)t.verdict[v]));
	for (int r = 0; r < LR_RCODE_BUCKETS; r++) {
		char buf[16];
		const char *name = r < LR_RCODE_EXTENDED ? dns_rcode_to_text((uint16_t)r, buf)
							 : "extended";
		if (t.rcode[r] || r == DNS_RCODE_NOERROR || r == DNS_RCODE_NXDOMAIN)
			json_object_set_new(rc, name, json_integer((json_int_t)t.rcode[r]));
	}
	json_object_set_new(reply, "rx", json_integer((json_int_t)t.rx));
	json_object_set_new(reply, "tx", json_integer((json_int_t)t.tx));
	json_object_set_new(reply, "tx_full", json_integer((json_int_t)t.tx_full));
	json_object_set_new(reply, "dns_answers", json_integer((json_int_t)t.dns_answers));
	json_object_set_new(reply, "dns_not_answered", json_integer((json_int_t)t.dns_dropped));
	json_object_set_new(reply, "template_hits", json_integer((json_int_t)t.template_hits));
	json_object_set_new(reply, "suffix_template_hits", json_integer((json_int_t)t.suffix_hits));
	json_object_set_new(reply, "fragments_reassembled",
			    json_integer((json_int_t)t.frag_reassembled));
	json_object_set_new(reply, "fragments_failed", json_integer((json_int_t)t.frag_failed));
	json_object_set_new(reply, "rcode", rc);
	json_object_set_new(reply, "packets", verdicts);
	json_object_set_new(reply, "workers", workers);
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

static int cmd_zone_reload(void *ctx, const json_t *req, json_t *reply, char *err, size_t errlen)
{
	const struct lr_control *c = ctx;
	(void)req;
	uint64_t gen;
	// every zone: one image holds them all (a NAME selects nothing less yet)
	if (c->reload(&gen, err, errlen) < 0)
		return -1;
	json_object_set_new(reply, "generation", json_integer((json_int_t)gen));
	return 0;
}

static const struct ctl_command commands[] = {
	{"status", "daemon, workers, zones, image generation, uptime", cmd_status},
	{"stats", "packets by verdict, DNS answers by rcode, per worker", cmd_stats},
	{"zone list", "the zones served", cmd_zone_list},
	{"zone reload", "load and compile every zone again; on error the old ones stay",
	 cmd_zone_reload},
};

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
			fprintf(stderr, "linerated: control.group %s: no such group\n", cfg->control.group);
			return NULL;
		}
		sc.group = g->gr_gid;
	}
	sc.commands = commands;
	sc.n_commands = sizeof(commands) / sizeof(commands[0]);
	sc.ctx = c;
	struct ctl_server *s = ctl_server_new(&sc, err, sizeof(err));
	if (!s)
		fprintf(stderr, "linerated: control socket %s: %s\n", sc.path, err);
	return s;
}
