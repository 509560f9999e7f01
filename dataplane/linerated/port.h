/* SPDX-License-Identifier: BSD-3-Clause */
// linerated's ports: which DPDK port a configured device is, and setting
// one up (queues, RSS, checksum offload, MAC, pools). Main lcore only,
// before the workers start.
#ifndef LINERATED_PORT_H
#define LINERATED_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lr.h"

#define LR_PCI_NAME_MAX 16 // "dddd:bb:dd.f" and its NUL

// A PCI address ([dddd:]bb:dd.f) in the full form DPDK names its devices
// by; false when dev is not one.
bool lr_pci_name(const char *dev, char out[LR_PCI_NAME_MAX]);

// The ethdev name of a configured device: the full PCI address, or a
// vdev's name (what precedes its first ','). false when it does not fit.
bool lr_device_name(const char *dev, char *out, size_t outlen);

// The DPDK port the EAL made for device; 0, or -ENODEV.
int lr_port_find(const char *device, uint16_t *port_id);

// Descriptors a queue when the configuration names none: a typical NIC
// default, 5 ms of a 200k/s burst.
#define LR_PORT_DESC 1024

// Configure and start p->port_id: rxq RX queues (fewer when the device
// has fewer, or one without RSS over UDP), as many TX queues or txq when
// more, of rxd and txd descriptors (0: LR_PORT_DESC; rounded to what the
// device can do), a mempool sized by the descriptors; mac (NULL: the
// device's own) becomes the port's address, through promiscuous mode when
// the device will not take it. Fills the rest of *p. 0, or a negative
// errno and why in err.
int lr_port_start(struct lr_port *p, uint16_t rxq, uint16_t txq, uint16_t rxd, uint16_t txd,
		  const uint8_t *mac, char *err, size_t errlen);

#endif
