/* SPDX-License-Identifier: BSD-3-Clause */
// Echo replies, ICMP (RFC 792) and ICMPv6 (RFC 4443 §4.2): the request
// turned around with its identifier, sequence and data unchanged.
#include "pkt_internal.h"

size_t dp_pkt_echo_reply(const struct dp_pkt_addrs *a, const struct dp_pkt_info *info, uint8_t *buf,
			 size_t len, size_t cap)
{
	(void)cap; // the reply is never longer than the request
	if (info->l4_off + (size_t)info->l4_len > len || info->l4_len < ICMP_HLEN)
		return 0;
	uint16_t l4 = dp_pkt_turn(a, info, buf);
	buf[l4] = info->family == 4 ? ICMP_ECHO_REPLY : ICMP6_ECHO_REPLY;
	return dp_pkt_ip_finish(buf, info, info->l4_len, 2, false);
}
