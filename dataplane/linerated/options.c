/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's options: the YAML configuration's ports, zones and DNS
// settings, or the command line's.
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

struct lr_options lr_opt;

// Options from the YAML configuration.
int lr_options_from_config(const struct ctl_config *c)
{
	static char *zones[LR_MAX_ZONES];
	dns_answer_cfg_default(&lr_opt.cfg);
	if (c->dns.n_zones > LR_MAX_ZONES) {
		fprintf(stderr, "linerated: dns.zones: at most %d\n", LR_MAX_ZONES);
		return -1;
	}
	for (size_t i = 0; i < c->dns.n_zones; i++) {
		if (asprintf(&zones[i], "%s=%s", c->dns.zones[i].origin, c->dns.zones[i].file) < 0)
			return -1;
		lr_opt.zone[lr_opt.nzones++] = zones[i];
	}
	if (c->n_ports == 0 || c->n_ports > LR_MAX_PORTS) {
		fprintf(stderr, "linerated: ports: 1 to %d\n", LR_MAX_PORTS);
		return -1;
	}
	for (size_t k = 0; k < c->n_ports; k++) {
		const struct ctl_port *p = &c->ports[k];
		struct lr_port_opt *o = &lr_opt.port[lr_opt.nports++];
		if (p->n_ipv4 > DP_PKT_ADDR_MAX || p->n_ipv6 > DP_PKT_ADDR_MAX) {
			fprintf(stderr,
				"linerated: ports[%zu].%s: at most %d addresses per family\n", k,
				p->n_ipv4 > DP_PKT_ADDR_MAX ? "ipv4" : "ipv6", DP_PKT_ADDR_MAX);
			return -1;
		}
		*o = (struct lr_port_opt){.name = p->name,
					  .device = p->device,
					  .mac = p->has_mac ? p->mac : NULL,
					  .vlan = p->vlan ? p->vlan : DP_PKT_VLAN_NONE,
					  .rx_queues = p->rx_queues,
					  .tx_queues = p->tx_queues,
					  .rx_desc = p->rx_desc,
					  .tx_desc = p->tx_desc};
		for (size_t i = 0; i < p->n_ipv4; i++)
			memcpy(o->v4[o->n4++], p->ipv4[i], 4);
		for (size_t i = 0; i < p->n_ipv6; i++)
			memcpy(o->v6[o->n6++], p->ipv6[i], 16);
	}
	// dns.acl: the workers' copy (the loader checked every rule)
	lr_opt.acl.n = 0;
	for (size_t i = 0; i < c->dns.n_acl && i < DP_ACL_MAX; i++) {
		const struct ctl_acl_rule *r = &c->dns.acl[i];
		if (dp_acl_rule_set(&lr_opt.acl.rule[i], r->family, r->addr, r->plen,
				    (enum dp_acl_action)r->action) < 0) {
			fprintf(stderr, "linerated: dns.acl[%zu]: not a rule the workers take\n", i);
			return -1;
		}
		lr_opt.acl.n = (uint8_t)(i + 1);
	}
	return ctl_config_dns_answer_cfg(c, &lr_opt.cfg) < 0 ? -1 : 0;
}

// --ipv4/--ipv6 ADDR into o.
static int add_addr(struct lr_port_opt *o, int af, const char *arg)
{
	bool v4 = af == AF_INET;
	if ((v4 ? o->n4 : o->n6) == DP_PKT_ADDR_MAX ||
	    inet_pton(af, arg, v4 ? (void *)o->v4[o->n4] : (void *)o->v6[o->n6]) != 1) {
		fprintf(stderr, "linerated: --ipv%c %s: not an address (or too many)\n",
			v4 ? '4' : '6', arg);
		return -1;
	}
	if (v4)
		o->n4++;
	else
		o->n6++;
	return 0;
}

int lr_options_from_args(int argc, char **argv)
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
	struct lr_port_opt *o = &lr_opt.port[0];
	int c;
	dns_answer_cfg_default(&lr_opt.cfg);
	lr_opt.nports = 1;
	*o = (struct lr_port_opt){.name = "port0", .vlan = DP_PKT_VLAN_NONE};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;
		switch (c) {
		case 'z':
			if (lr_opt.nzones == LR_MAX_ZONES)
				return -1;
			lr_opt.zone[lr_opt.nzones++] = optarg;
			break;
		case 'e':
			v = strtoul(optarg, &end, 10);
			if (*end || v < 512 || v > 65535) {
				fprintf(stderr, "linerated: --edns-size: 512 to 65535\n");
				return -1;
			}
			lr_opt.cfg.edns_size = (uint16_t)v;
			break;
		case 'n':
			if (strlen(optarg) > DNS_ANSWER_NSID_MAX)
				return -1;
			lr_opt.cfg.nsid_len = (uint16_t)strlen(optarg);
			memcpy(lr_opt.cfg.nsid, optarg, lr_opt.cfg.nsid_len);
			break;
		case 'r':
			lr_opt.run_seconds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case '4':
		case '6':
			if (add_addr(o, c == '4' ? AF_INET : AF_INET6, optarg) < 0)
				return -1;
			break;
		case 'v':
			v = strtoul(optarg, &end, 10);
			if (*end || v < 1 || v > 4094) {
				fprintf(stderr, "linerated: --vlan: 1 to 4094\n");
				return -1;
			}
			o->vlan = (uint16_t)v;
			break;
		default:
			return -1;
		}
	}
	if (o->n4 + o->n6 == 0) {
		fprintf(stderr, "linerated: give at least one service address (--ipv4, --ipv6)\n");
		return -1;
	}
	return optind == argc ? 0 : -1;
}
