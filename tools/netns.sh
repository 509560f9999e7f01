#!/usr/bin/env bash
# Two network namespaces joined by veth pairs, for the demo and the
# end-to-end tests (source it; run as root).
#
#   lr_netns_up NAME [PAIRS]
#                         creates NAME-d (the daemon's side: its veth ends
#                         have no kernel address, IPv6 off, so the kernel
#                         answers neither ARP nor ND there) and NAME-c (the
#                         client), joined by PAIRS veth pairs (1 or 2,
#                         default 1)
#   lr_netns_down NAME    removes both (the veths go with them)
#
# Pair i joins "${NAME}d<i>" (daemon) and "${NAME}c<i>" (client):
#   pair 0: the client has 192.0.2.2/24 and 2001:db8::2/64; the daemon
#           serves 192.0.2.53 and 2001:db8::53
#   pair 1: the client has 198.51.100.2/24 and 2001:db8:1::2/64; the daemon
#           serves 198.51.100.53 and 2001:db8:1::53

# lr_netns_pair NAME I V4/LEN V6/LEN: veth pair I, the client's addresses.
lr_netns_pair() {
	local n=$1 i=$2 v4=$3 v6=$4
	ip link add "${n}d$i" type veth peer name "${n}c$i"
	ip link set "${n}d$i" netns "$n-d"
	ip link set "${n}c$i" netns "$n-c"
	# daemon side: up, no address, no IPv6 (no link-local, no ND from the
	# kernel); the PMD reads the frames from an AF_PACKET socket
	ip netns exec "$n-d" sysctl -qw "net.ipv6.conf.${n}d$i.disable_ipv6=1"
	ip netns exec "$n-d" ip link set "${n}d$i" up
	# client side
	ip netns exec "$n-c" ip addr add "$v4" dev "${n}c$i"
	ip netns exec "$n-c" ip -6 addr add "$v6" dev "${n}c$i" nodad
	ip netns exec "$n-c" ip link set "${n}c$i" up
	# A veth hands its peer UDP checksums the sender's kernel never filled
	# in (checksum offload to a NIC that does not exist); an AF_PACKET
	# reader such as net_af_packet sees them as they are. Real NICs send
	# full checksums: make the client's veth do the same.
	ip netns exec "$n-c" ethtool -K "${n}c$i" tx off >/dev/null
}

lr_netns_up() {
	local n=$1 pairs=${2:-1}
	lr_netns_down "$n" 2>/dev/null || true
	ip netns add "$n-d"
	ip netns add "$n-c"
	ip netns exec "$n-d" sysctl -qw net.ipv4.conf.all.arp_ignore=8
	ip netns exec "$n-d" ip link set lo up
	ip netns exec "$n-c" ip link set lo up
	lr_netns_pair "$n" 0 192.0.2.2/24 2001:db8::2/64
	if [ "$pairs" -ge 2 ]; then
		lr_netns_pair "$n" 1 198.51.100.2/24 2001:db8:1::2/64
	fi
}

lr_netns_down() {
	local n=$1
	ip netns del "$n-d" 2>/dev/null || true
	ip netns del "$n-c" 2>/dev/null || true
}
