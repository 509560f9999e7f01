/* SPDX-License-Identifier: BSD-3-Clause */
// Port set-up for linerated: configured devices to DPDK ports, and each
// port's queues, offloads, address and pool.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "port.h"

bool lr_pci_name(const char *dev, char out[LR_PCI_NAME_MAX])
{
	unsigned dom = 0, bus, d, fn;
	int end = 0;
	if (sscanf(dev, "%x:%x:%x.%x%n", &dom, &bus, &d, &fn, &end) != 4 || dev[end]) {
		dom = 0;
		end = 0;
		if (sscanf(dev, "%x:%x.%x%n", &bus, &d, &fn, &end) != 3 || dev[end])
			return false;
	}
	if (dom > 0xffff || bus > 0xff || d > 0x1f || fn > 7)
		return false;
	snprintf(out, LR_PCI_NAME_MAX, "%04x:%02x:%02x.%x", dom, bus, d, fn);
	return true;
}

bool lr_device_name(const char *dev, char *out, size_t outlen)
{
	char pci[LR_PCI_NAME_MAX];
	if (lr_pci_name(dev, pci))
		return (size_t)snprintf(out, outlen, "%s", pci) < outlen;
	size_t n = strcspn(dev, ",");
	if (n >= outlen)
		return false;
	memcpy(out, dev, n);
	out[n] = '\0';
	return true;
}

int lr_port_find(const char *device, uint16_t *port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	if (!lr_device_name(device, name, sizeof(name)) ||
	    rte_eth_dev_get_port_by_name(name, port_id) != 0)
		return -ENODEV;
	return 0;
}

// The port's address: mac when given (set on the device, or received
// through promiscuous mode when the device keeps its own), else the
// device's.
static int port_mac(struct lr_port *p, const uint8_t *mac, char *err, size_t errlen)
{
	struct rte_ether_addr a;
	if (!mac) {
		int rc = rte_eth_macaddr_get(p->port_id, &a);
		if (rc != 0) {
			snprintf(err, errlen, "reading the device's MAC: %s", rte_strerror(-rc));
			return rc;
		}
		memcpy(p->mac, a.addr_bytes, 6);
		return 0;
	}
	memcpy(a.addr_bytes, mac, 6);
	memcpy(p->mac, mac, 6);
	if (rte_eth_dev_default_mac_addr_set(p->port_id, &a) == 0)
		return 0;
	int rc = rte_eth_promiscuous_enable(p->port_id);
	if (rc != 0)
		snprintf(err, errlen,
			 "mac: the device takes neither the address nor promiscuous "
			 "mode: %s",
			 rte_strerror(-rc));
	return rc;
}

int lr_port_start(struct lr_port *p, uint16_t rxq, uint16_t txq, uint16_t rxd, uint16_t txd,
		  const uint8_t *mac, char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t port = p->port_id;
	int rc;
	memset(&conf, 0, sizeof(conf));
	if ((rc = rte_eth_dev_info_get(port, &info)) != 0) {
		snprintf(err, errlen, "device info: %s", rte_strerror(-rc));
		return rc;
	}
	unsigned nq = RTE_MIN(RTE_MIN(rxq, info.max_rx_queues), info.max_tx_queues);
	p->rss = nq > 1 && (info.flow_type_rss_offloads & RTE_ETH_RSS_UDP);
	if (p->rss) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			info.flow_type_rss_offloads & (RTE_ETH_RSS_UDP | RTE_ETH_RSS_IP);
	} else {
		nq = 1; // no RSS: one queue sees everything
	}
	unsigned ntxq = RTE_MIN(RTE_MAX(nq, (unsigned)txq), (unsigned)info.max_tx_queues);
	// TX checksums by the port when it does both, in software otherwise
	uint64_t csum = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	p->tx_flags = 0;
	if ((info.tx_offload_capa & csum) == csum) {
		conf.txmode.offloads = csum;
		p->tx_flags = DP_PKT_TX_CSUM_OFFLOAD;
	}
	if ((rc = rte_eth_dev_configure(port, (uint16_t)nq, (uint16_t)ntxq, &conf)) != 0) {
		snprintf(err, errlen, "configuring %u RX and %u TX queues: %s", nq, ntxq,
			 rte_strerror(-rc));
		return rc;
	}
	uint16_t nrx = rxd ? rxd : LR_PORT_DESC, ntx = txd ? txd : LR_PORT_DESC;
	if ((rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrx, &ntx)) != 0) {
		snprintf(err, errlen, "queue sizes: %s", rte_strerror(-rc));
		return rc;
	}
	char name[RTE_MEMPOOL_NAMESIZE];
	snprintf(name, sizeof(name), "lr_mbuf_%u", port);
	// every descriptor of every queue, a burst in flight per queue pair,
	// and the per-lcore caches
	unsigned nmbuf = nq * (nrx + 2 * LR_BURST) + ntxq * ntx + rte_lcore_count() * 256;
	struct rte_mempool *mp = rte_pktmbuf_pool_create(
		name, nmbuf, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_eth_dev_socket_id(port));
	if (!mp) {
		snprintf(err, errlen, "mbuf pool of %u: %s", nmbuf, rte_strerror(rte_errno));
		return -rte_errno;
	}
	struct rte_eth_txconf txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (uint16_t q = 0; q < ntxq; q++) {
		if ((q < nq &&
		     (rc = rte_eth_rx_queue_setup(port, q, nrx, rte_eth_dev_socket_id(port), NULL,
						  mp)) != 0) ||
		    (rc = rte_eth_tx_queue_setup(port, q, ntx, rte_eth_dev_socket_id(port),
						 &txc)) != 0) {
			snprintf(err, errlen, "queue %u: %s", q, rte_strerror(-rc));
			return rc;
		}
	}
	if ((rc = rte_eth_dev_start(port)) != 0) {
		snprintf(err, errlen, "start: %s", rte_strerror(-rc));
		return rc;
	}
	p->nq = (uint16_t)nq;
	p->ntxq = (uint16_t)ntxq;
	p->nrx_desc = nrx;
	p->ntx_desc = ntx;
	if (rte_eth_dev_get_mtu(port, &p->mtu) != 0 || p->mtu < RTE_ETHER_MIN_MTU)
		p->mtu = RTE_ETHER_MTU;
	return port_mac(p, mac, err, errlen);
}
