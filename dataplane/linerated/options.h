/* SPDX-License-Identifier: BSD-3-Clause */
// What linerated serves, from its YAML configuration or its command line:
// zones, DNS options, and each port's addresses and queues. Filled once by
// the main lcore before the EAL's ports start; read-only after.
#ifndef LINERATED_OPTIONS_H
#define LINERATED_OPTIONS_H

#include <stdint.h>

#include "ctl_config.h"
#include "lr.h"

// A port as configured: what it answers on.
struct lr_port_opt {
	const char *name;
	const char *device; // NULL: the EAL's first port (command line)
	const uint8_t *mac; // NULL: the device's own
	uint8_t v4[DP_PKT_ADDR_MAX][4], v6[DP_PKT_ADDR_MAX][16];
	unsigned n4, n6;
	uint16_t vlan;		       // DP_PKT_VLAN_NONE: untagged
	uint16_t rx_queues, tx_queues; // 0: one per worker; as many as RX
	uint16_t rx_desc, tx_desc;     // descriptors a queue; 0: LR_PORT_DESC
};

struct lr_options {
	const char *zone[LR_MAX_ZONES]; // [ORIGIN=]FILE
	unsigned nzones;
	struct dns_answer_cfg cfg;
	struct dp_acl acl; // dns.acl
	unsigned run_seconds;
	struct lr_port_opt port[LR_MAX_PORTS];
	unsigned nports;
};

extern struct lr_options lr_opt;

// From a loaded configuration (which must outlive lr_opt: strings are
// shared). 0, or -1 and a message naming the key.
int lr_options_from_config(const struct ctl_config *c);

// From what follows the EAL's arguments: one port, the EAL's first.
// 0, or -1 and a message.
int lr_options_from_args(int argc, char **argv);

#endif
