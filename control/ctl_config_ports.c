/* SPDX-License-Identifier: BSD-3-Clause */
// ports: the DPDK devices and the service addresses they answer on.
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_config_walk.h"

#define PORT_NAME_MAX 32
#define DEVICE_MAX    255

static struct ctl_port *cur_port(void *obj)
{
	struct ctl_config *c = obj;
	return &c->ports[c->n_ports];
}

static int h_name(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_port *p = cur_port(obj);
	if (ctl_cfg_string(w, path, n, PORT_NAME_MAX, &p->name))
		return -EINVAL;
	for (const char *s = p->name; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return ctl_cfg_fail(w, path, n, false, "only letters, digits, '_' and '-'");
	return 0;
}

// A PCI address: [dddd:]bb:dd.f in hex (DPDK's rte_pci_addr_parse forms).
static bool is_pci(const char *s)
{
	unsigned dom, bus, dev, fn;
	int end = 0;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &end) == 4 && !s[end])
		return dev < 32 && fn < 8;
	end = 0;
	if (sscanf(s, "%2x:%2x.%1x%n", &bus, &dev, &fn, &end) == 3 && !s[end])
		return dev < 32 && fn < 8;
	return false;
}

// A virtual device: net_<driver>[,key=value]*, no spaces.
static bool is_vdev(const char *s)
{
	if (strncmp(s, "net_", 4) != 0)
		return false;
	const char *p = s + 4;
	if (!isalnum((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ',') {
		const char *k = ++p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (p == k || *p++ != '=')
			return false;
		while (*p && *p != ',' && !isspace((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

static int h_device(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_port *p = cur_port(obj);
	if (ctl_cfg_string(w, path, n, DEVICE_MAX, &p->device))
		return -EINVAL;
	if (!is_pci(p->device) && !is_vdev(p->device))
		return ctl_cfg_fail(w, path, n, false,
				    "not a PCI address (0000:01:00.0) or a vdev "
				    "(net_<driver>[,key=value...])");
	return 0;
}

static int h_mac(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_port *p = cur_port(obj);
	unsigned m[6];
	int end = 0;
	if (ctl_cfg_scalar(w, path, n))
		return -EINVAL;
	const char *s = (const char *)n->data.scalar.value;
	if (n->data.scalar.length != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &end) != 6 ||
	    end != 17)
		return ctl_cfg_fail(w, path, n, false, "must be six hex octets: 02:00:00:00:00:01");
	for (int i = 0; i < 6; i++)
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1]))
			return ctl_cfg_fail(w, path, n, false,
					    "must be six hex octets: 02:00:00:00:00:01");
	if (m[0] & 1)
		return ctl_cfg_fail(w, path, n, false, "a multicast address cannot be a port's");
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return ctl_cfg_fail(w, path, n, false, "the all-zero address is not allowed");
	for (int i = 0; i < 6; i++)
		p->mac[i] = (uint8_t)m[i];
	p->has_mac = true;
	return 0;
}

// A list of addresses of one family, each a unicast address given once.
static int addr_list(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, int af, void **out,
		     size_t *count)
{
	size_t alen = af == AF_INET ? 4 : 16, cnt;
	char sub[PATH_MAX_LEN];
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_ADDRS_MAX, &cnt))
		return -EINVAL;
	uint8_t *a = calloc(cnt ? cnt : 1, alen);
	if (!a)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	*out = a;
	for (*count = 0; *count < cnt; (*count)++) {
		yaml_node_t *it = ctl_cfg_item(w, n, *count);
		uint8_t *dst = a + *count * alen;
		ctl_cfg_index_path(sub, path, *count);
		if (ctl_cfg_scalar(w, sub, it))
			return -EINVAL;
		if (inet_pton(af, (const char *)it->data.scalar.value, dst) != 1)
			return ctl_cfg_fail(w, sub, it, false, "not an %s address",
					    af == AF_INET ? "IPv4" : "IPv6");
		bool zero = true;
		for (size_t i = 0; i < alen; i++)
			zero = zero && !dst[i];
		if (zero || (af == AF_INET && (dst[0] >= 224 || dst[0] == 127)) ||
		    (af == AF_INET6 && dst[0] == 0xff))
			return ctl_cfg_fail(w, sub, it, false, "not a unicast service address");
		for (size_t j = 0; j < *count; j++)
			if (memcmp(a + j * alen, dst, alen) == 0)
				return ctl_cfg_fail(w, sub, it, false, "address listed twice");
	}
	return 0;
}

static int h_ipv4(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_port *p = cur_port(obj);
	return addr_list(w, path, n, AF_INET, (void **)&p->ipv4, &p->n_ipv4);
}

static int h_ipv6(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_port *p = cur_port(obj);
	return addr_list(w, path, n, AF_INET6, (void **)&p->ipv6, &p->n_ipv6);
}

static int h_vlan(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	// 0 and 4095 are reserved (IEEE 802.1Q §9.6)
	return ctl_cfg_u16(w, path, n, 1, 4094, &cur_port(obj)->vlan);
}

static int h_rxq(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_u16(w, path, n, 1, CTL_CONFIG_QUEUES_MAX, &cur_port(obj)->rx_queues);
}

static int h_txq(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return ctl_cfg_u16(w, path, n, 1, CTL_CONFIG_QUEUES_MAX, &cur_port(obj)->tx_queues);
}

// Descriptors a queue: a power of two, as AF_XDP's rings and most NICs'
// need (the port may still round it to what it can do).
static int desc(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, uint16_t *out)
{
	if (ctl_cfg_u16(w, path, n, CTL_CONFIG_DESC_MIN, CTL_CONFIG_DESC_MAX, out))
		return -EINVAL;
	if (*out & (*out - 1))
		return ctl_cfg_fail(w, path, n, false, "must be a power of two");
	return 0;
}

static int h_rxd(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return desc(w, path, n, &cur_port(obj)->rx_desc);
}

static int h_txd(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	return desc(w, path, n, &cur_port(obj)->tx_desc);
}

int ctl_cfg_ports(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"name", h_name},     {"device", h_device}, {"mac", h_mac},
		{"ipv4", h_ipv4},     {"ipv6", h_ipv6},	    {"vlan", h_vlan},
		{"rx_queues", h_rxq}, {"tx_queues", h_txq}, {"rx_desc", h_rxd},
		{"tx_desc", h_txd},
	};
	struct ctl_config *c = obj;
	char sub[PATH_MAX_LEN];
	size_t cnt;
	if (ctl_cfg_sequence(w, path, n, CTL_CONFIG_PORTS_MAX, &cnt))
		return -EINVAL;
	if (cnt == 0)
		return ctl_cfg_fail(w, path, n, false, "at least one port is needed");
	c->ports = calloc(cnt, sizeof(*c->ports));
	if (!c->ports)
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	// n_ports counts the ports begun, so that free sees the one that failed
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = ctl_cfg_item(w, n, i);
		struct ctl_port *p = &c->ports[i];
		uint64_t seen;
		c->n_ports = i;
		ctl_cfg_index_path(sub, path, i);
		int rc = WALK_MAPPING(w, sub, it, keys, obj, &seen);
		c->n_ports = i + 1;
		if (rc)
			return rc;
		if (!(seen & 1))
			return ctl_cfg_fail(w, sub, it, false, "missing key: name");
		if (!(seen & 2))
			return ctl_cfg_fail(w, sub, it, false, "missing key: device");
		if (!p->n_ipv4 && !p->n_ipv6)
			return ctl_cfg_fail(w, sub, it, false,
					    "needs at least one ipv4 or ipv6 service address");
		for (size_t j = 0; j < i; j++) {
			if (strcmp(c->ports[j].name, p->name) == 0)
				return ctl_cfg_fail(w, sub, it, false, "port name %s used twice",
						    p->name);
			if (strcmp(c->ports[j].device, p->device) == 0)
				return ctl_cfg_fail(w, sub, it, false, "device used by ports[%zu]",
						    j);
		}
	}
	return 0;
}
