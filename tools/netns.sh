#!/usr/bin/env bash
# Two network namespaces joined by a veth pair, for the demo and the
# end-to-end tests (source it; run as root).
#
#   lr_netns_up NAME      creates NAME-d (the daemon's side: its veth end has
#                         no kernel address, IPv6 off, so the kernel answers
#                         neither ARP nor ND there) and NAME-c (the client:
#                         192.0.2.2/24 and 2001:db8::2/64 on its end)
#   lr_netns_down NAME    removes both (the veth goes with them)
#
# The daemon serves 192.0.2.53 and 2001:db8::53 on the NAME-d end, which is
# called "${NAME}d0" (the client's is "${NAME}c0").

lr_netns_up() {
	local n=$1
	lr_netns_down "$n" 2>/dev/null || true
	ip netns add "$n-d"
	ip netns add "$n-c"
	ip link add "${n}d0" type veth peer name "${n}c0"
	ip link set "${n}d0" netns "$n-d"
	ip link set "${n}c0" netns "$n-c"
	# daemon side: up, no address, no IPv6 (no link-local, no ND from the
	# kernel); the PMD reads the frames from an AF_PACKET socket
	ip netns exec "$n-d" sysctl -qw "net.ipv6.conf.${n}d0.disable_ipv6=1"
	ip netns exec "$n-d" sysctl -qw net.ipv4.conf.all.arp_ignore=8
	ip netns exec "$n-d" ip link set "${n}d0" up
	ip netns exec "$n-d" ip link set lo up
	# client side
	ip netns exec "$n-c" ip link set lo up
	ip netns exec "$n-c" ip addr add 192.0.2.2/24 dev "${n}c0"
	ip netns exec "$n-c" ip -6 addr add 2001:db8::2/64 dev "${n}c0" nodad
	ip netns exec "$n-c" ip link set "${n}c0" up
	# A veth hands its peer UDP checksums the sender's kernel never filled
	# in (checksum offload to a NIC that does not exist); an AF_PACKET
	# reader such as net_af_packet sees them as they are. Real NICs send
	# full checksums: make the client's veth do the same.
	ip netns exec "$n-c" ethtool -K "${n}c0" tx off >/dev/null
}

lr_netns_down() {
	local n=$1
	ip netns del "$n-d" 2>/dev/null || true
	ip netns del "$n-c" 2>/dev/null || true
}
