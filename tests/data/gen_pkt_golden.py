#!/usr/bin/python3
"""Golden frames for tests/dataplane/test_pkt_golden.c, made with Debian's
python3-scapy so the frames and the expected replies come from a dissector
we did not write.

Writes pkt_golden.tsv beside this script: one frame a line,
    name <TAB> profile <TAB> verdict <TAB> frame hex <TAB> reply hex or -
profile "plain": MAC 02:00:00:00:00:01, 192.0.2.1, 192.0.2.2, 2001:db8::1,
2001:db8::53, untagged; "vlan100": the same on VLAN 100. The reply column
is the exact frame we must send back (ARP, ND, echo); DNS replies are
checked in C against the answer engine. Run: /usr/bin/python3 gen_pkt_golden.py
"""
import os
import struct

from scapy.all import (ARP, DNS, DNSQR, DNSRROPT, ICMP, IP, IPOption_NOP, IPOption_RR, TCP, UDP,
                       Dot1AD, Dot1Q, Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                       HBHOptUnknown, PadN, Raw)

OUR_MAC = "02:00:00:00:00:01"
CLI_MAC = "02:00:00:00:00:99"
OUR4, OUR4B, CLI4, OTHER4 = "192.0.2.1", "192.0.2.2", "192.0.2.99", "198.51.100.7"
OUR6, OUR6B, CLI6, OTHER6 = "2001:db8::1", "2001:db8::53", "2001:db8::99", "2001:db8:1::7"
SN6 = "ff02::1:ff00:1"        # solicited-node group of 2001:db8::1
SN6B = "ff02::1:ff00:53"      # of 2001:db8::53

rows = []


def add(name, verdict, frame, reply=None, profile="plain"):
    raw = bytes(frame)
    rows.append((name, profile, verdict, raw.hex(), bytes(reply).hex() if reply is not None else "-"))


def eth(dst=OUR_MAC, src=CLI_MAC):
    return Ether(dst=dst, src=src)


def query(name="www.example.com", qtype="A", qr=0, id_=0x1234):
    return DNS(id=id_, qr=qr, rd=1, qd=DNSQR(qname=name, qtype=qtype))


def dns4(**ip):
    return eth() / IP(src=ip.get("src", CLI4), dst=ip.get("dst", OUR4), id=7) / \
        UDP(sport=40000, dport=53) / query()


def dns6(**ip):
    return eth() / IPv6(src=ip.get("src", CLI6), dst=ip.get("dst", OUR6)) / \
        UDP(sport=40000, dport=53) / query()


def fix(pkt):
    """Bytes with every length and checksum computed by scapy."""
    return bytes(pkt.__class__(bytes(pkt)))


def patch(raw, off, data):
    raw = bytearray(raw)
    raw[off:off + len(data)] = data
    return bytes(raw)


def ip4_csum(raw, l3=14):
    """Recompute the IPv4 header checksum after a patch."""
    ihl = (raw[l3] & 0xf) * 4
    hdr = bytearray(raw[l3:l3 + ihl])
    hdr[10:12] = b"\0\0"
    s = sum(struct.unpack("!%dH" % (ihl // 2), bytes(hdr)))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return patch(raw, l3 + 10, struct.pack("!H", ~s & 0xffff))


# ---- served: ARP, ND, echo (with the exact reply), DNS ----
req = eth("ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=CLI_MAC, psrc=CLI4, pdst=OUR4)
add("arp_request", "arp", req,
    Ether(dst=CLI_MAC, src=OUR_MAC) / ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=CLI_MAC, pdst=CLI4))
add("arp_request_second_address_padded", "arp",
    eth("ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=CLI_MAC, psrc=CLI4, pdst=OUR4B) / Raw(b"\0" * 18),
    Ether(dst=CLI_MAC, src=OUR_MAC) / ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4B, hwdst=CLI_MAC, pdst=CLI4))
add("arp_request_vlan", "arp",
    eth("ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=100, prio=5) / ARP(op=1, hwsrc=CLI_MAC, psrc=CLI4, pdst=OUR4),
    Ether(dst=CLI_MAC, src=OUR_MAC) / Dot1Q(vlan=100, prio=5) /
    ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=CLI_MAC, pdst=CLI4), profile="vlan100")
add("arp_probe_unspecified_sender", "arp",
    eth("ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=CLI_MAC, psrc="0.0.0.0", pdst=OUR4),
    Ether(dst=CLI_MAC, src=OUR_MAC) / ARP(op=2, hwsrc=OUR_MAC, psrc=OUR4, hwdst=CLI_MAC, pdst="0.0.0.0"))

data = bytes(range(56))
add("icmp_echo", "icmp_echo",
    eth() / IP(src=CLI4, dst=OUR4, id=99, flags="DF", tos=0x10) / ICMP(type=8, id=0x4242, seq=3) / data,
    Ether(dst=CLI_MAC, src=OUR_MAC) / IP(src=OUR4, dst=CLI4, id=99, flags="DF", tos=0x10, ttl=64) /
    ICMP(type=0, id=0x4242, seq=3) / data)
add("icmp_echo_ip_options_stripped", "icmp_echo",
    eth() / IP(src=CLI4, dst=OUR4B, id=5, options=[IPOption_RR(length=11, routers=["0.0.0.0", "0.0.0.0"]),
                                                     IPOption_NOP()]) /
    ICMP(type=8, id=1, seq=1) / b"odd",
    Ether(dst=CLI_MAC, src=OUR_MAC) / IP(src=OUR4B, dst=CLI4, id=5, ttl=64) / ICMP(type=0, id=1, seq=1) / b"odd")
add("icmp_echo_ethernet_padding", "icmp_echo",
    Ether(bytes(eth() / IP(src=CLI4, dst=OUR4, id=1) / ICMP(type=8, id=2, seq=2)) + b"\xee" * 18),
    Ether(dst=CLI_MAC, src=OUR_MAC) / IP(src=OUR4, dst=CLI4, id=1, ttl=64) / ICMP(type=0, id=2, seq=2))
add("icmp6_echo", "icmp6_echo",
    eth() / IPv6(src=CLI6, dst=OUR6, tc=0x20, fl=0x12345) / ICMPv6EchoRequest(id=7, seq=9, data=data),
    Ether(dst=CLI_MAC, src=OUR_MAC) / IPv6(src=OUR6, dst=CLI6, tc=0x20, fl=0x12345, hlim=64) /
    ICMPv6EchoReply(id=7, seq=9, data=data))
add("icmp6_echo_ext_headers_stripped", "icmp6_echo",
    eth() / IPv6(src=CLI6, dst=OUR6B) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
    ICMPv6EchoRequest(id=1, seq=1, data=b"x"),
    Ether(dst=CLI_MAC, src=OUR_MAC) / IPv6(src=OUR6B, dst=CLI6, hlim=64) / ICMPv6EchoReply(id=1, seq=1, data=b"x"))
add("icmp6_echo_vlan", "icmp6_echo",
    eth() / Dot1Q(vlan=100) / IPv6(src=CLI6, dst=OUR6) / ICMPv6EchoRequest(id=3, seq=4),
    Ether(dst=CLI_MAC, src=OUR_MAC) / Dot1Q(vlan=100) / IPv6(src=OUR6, dst=CLI6, hlim=64) /
    ICMPv6EchoReply(id=3, seq=4), profile="vlan100")

na = ICMPv6ND_NA(R=0, S=1, O=1, tgt=OUR6) / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC)
add("nd_solicit_multicast", "nd",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt=OUR6) /
    ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:77"),
    Ether(dst="02:00:00:00:00:77", src=OUR_MAC) / IPv6(src=OUR6, dst=CLI6, hlim=255) / na)
add("nd_solicit_unicast_no_option", "nd",
    eth() / IPv6(src=CLI6, dst=OUR6B, hlim=255) / ICMPv6ND_NS(tgt=OUR6B),
    Ether(dst=CLI_MAC, src=OUR_MAC) / IPv6(src=OUR6B, dst=CLI6, hlim=255) /
    ICMPv6ND_NA(R=0, S=1, O=1, tgt=OUR6B) / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC))
add("nd_solicit_dad", "nd",
    eth("33:33:ff:00:00:53") / IPv6(src="::", dst=SN6B, hlim=255) / ICMPv6ND_NS(tgt=OUR6B),
    Ether(dst="33:33:00:00:00:01", src=OUR_MAC) / IPv6(src=OUR6B, dst="ff02::1", hlim=255) /
    ICMPv6ND_NA(R=0, S=0, O=1, tgt=OUR6B) / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC))
add("nd_solicit_vlan", "nd",
    eth("33:33:ff:00:00:01") / Dot1Q(vlan=100) / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt=OUR6),
    Ether(dst=CLI_MAC, src=OUR_MAC) / Dot1Q(vlan=100) / IPv6(src=OUR6, dst=CLI6, hlim=255) / na,
    profile="vlan100")

add("dns_ipv4", "dns", dns4())
add("dns_ipv6", "dns", dns6())
add("dns_ipv4_second_address", "dns", dns4(dst=OUR4B))
add("dns_ipv4_udp_checksum_zero", "dns",
    eth() / IP(src=CLI4, dst=OUR4) / UDP(sport=5353, dport=53, chksum=0) / query("example.com", "SOA"))
add("dns_ipv4_options", "dns",
    eth() / IP(src=CLI4, dst=OUR4, options=[IPOption_NOP()] * 4) / UDP(sport=1, dport=53) / query())
add("dns_ipv6_ext_headers", "dns",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
    IPv6ExtHdrRouting(segleft=0) / IPv6ExtHdrDestOpt() / UDP(sport=1000, dport=53) / query("nope.example.com"))
add("dns_ipv6_atomic_fragment", "dns",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrFragment(offset=0, m=0, id=1) / UDP(sport=2, dport=53) / query())
add("dns_vlan", "dns", eth() / Dot1Q(vlan=100) / IP(src=CLI4, dst=OUR4) / UDP(sport=3, dport=53) / query(),
    profile="vlan100")
add("dns_priority_tag", "dns", eth() / Dot1Q(vlan=0, prio=6) / IPv6(src=CLI6, dst=OUR6) /
    UDP(sport=3, dport=53) / query())
add("dns_ipv4_edns_big_answer", "dns",
    eth() / IP(src=CLI4, dst=OUR4) / UDP(sport=7, dport=53) /
    DNS(id=9, rd=0, qd=DNSQR(qname="big.example.com", qtype="TXT"), ar=DNSRROPT(rclass=4096)))
add("dns_ipv4_broadcast_mac", "dns",
    eth("ff:ff:ff:ff:ff:ff") / IP(src=CLI4, dst=OUR4) / UDP(sport=9, dport=53) / query())

add("fragment_ipv4_first", "fragment",
    eth() / IP(src=CLI4, dst=OUR4, flags="MF", id=77) / UDP(sport=9, dport=53, len=1000) / Raw(b"q" * 64))
add("fragment_ipv4_last", "fragment", eth() / IP(src=CLI4, dst=OUR4, frag=100, id=77, proto=17) / Raw(b"q" * 8))
add("fragment_ipv6", "fragment",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrFragment(offset=0, m=1, id=5) / Raw(b"q" * 64))
add("fragment_ipv6_other_dst", "not_for_us",
    eth() / IPv6(src=CLI6, dst=OTHER6) / IPv6ExtHdrFragment(offset=8, m=0, id=5) / Raw(b"q" * 64))

# ---- well-formed but not served ----
add("other_ethertype", "other",
    Ether(dst=OUR_MAC, src=CLI_MAC, type=0x88b5) / Raw(b"\0" * 46))
add("other_tcp", "other", eth() / IP(src=CLI4, dst=OUR4) / TCP(dport=53))
add("other_udp_port", "other", eth() / IP(src=CLI4, dst=OUR4) / UDP(sport=5, dport=161) / b"x")
add("other_icmp_type", "other", eth() / IP(src=CLI4, dst=OUR4) / ICMP(type=13))
add("other_arp_reply", "other", eth() / ARP(op=2, hwsrc=CLI_MAC, psrc=CLI4, pdst=OUR4))
add("other_ipv6_no_next_header", "other", eth() / IPv6(src=CLI6, dst=OUR6, nh=59))
add("not_for_us_mac", "not_for_us",
    Ether(dst="02:00:00:00:00:02", src=CLI_MAC) / IP(src=CLI4, dst=OUR4) / UDP(sport=1, dport=53) / query())
add("not_for_us_ipv4", "not_for_us", dns4(dst=OTHER4))
add("not_for_us_ipv6", "not_for_us", dns6(dst=OTHER6))
add("not_for_us_arp", "not_for_us", eth("ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=CLI_MAC, psrc=CLI4, pdst=OTHER4))
add("not_for_us_nd_target", "not_for_us",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt="2001:db8:2::1"))
add("not_for_us_nd_group_mismatch", "not_for_us",
    eth("33:33:ff:00:00:53") / IPv6(src=CLI6, dst=SN6B, hlim=255) / ICMPv6ND_NS(tgt=OUR6))
add("not_for_us_echo_to_all_nodes", "not_for_us",
    eth("33:33:00:00:00:01") / IPv6(src=CLI6, dst="ff02::1") / ICMPv6EchoRequest())

# ---- malformed: each with its drop reason ----
good4 = bytes(dns4())
good6 = bytes(dns6())
add("runt_empty", "malformed_l2", b"")
add("runt_13_octets", "malformed_l2", good4[:13])
add("group_source_mac", "malformed_l2", Ether(dst=OUR_MAC, src="01:00:5e:00:00:01") / IP(src=CLI4, dst=OUR4))
add("vlan_tag_truncated", "malformed_l2", bytes(eth() / Dot1Q(vlan=100))[:16], profile="vlan100")
add("vlan_inside_vlan", "vlan_stacked", eth() / Dot1Q(vlan=100) / Dot1Q(vlan=200) / IP(src=CLI4, dst=OUR4),
    profile="vlan100")
add("vlan_8021ad_outer", "vlan_stacked", eth() / Dot1AD(vlan=100) / Dot1Q(vlan=100) / IP(src=CLI4, dst=OUR4),
    profile="vlan100")
add("vlan_tagged_on_untagged_port", "wrong_vlan", eth() / Dot1Q(vlan=5) / IP(src=CLI4, dst=OUR4) /
    UDP(dport=53) / query())
add("vlan_other_id", "wrong_vlan", eth() / Dot1Q(vlan=101) / IP(src=CLI4, dst=OUR4) / UDP(dport=53) / query(),
    profile="vlan100")
add("vlan_untagged_on_tagged_port", "wrong_vlan", dns4(), profile="vlan100")
add("arp_truncated", "malformed_l3", bytes(req)[:14 + 20])
add("arp_bad_hardware_length", "malformed_l3", eth() / ARP(op=1, hwlen=8, psrc=CLI4, pdst=OUR4))
add("ipv4_truncated_header", "malformed_l3", good4[:14 + 10])
add("ipv4_version_5", "malformed_l3", ip4_csum(patch(good4, 14, b"\x55")))
add("ipv4_ihl_4", "malformed_l3", ip4_csum(patch(good4, 14, b"\x44"))[:14 + 20] + good4[14 + 20:])
add("ipv4_ihl_past_total_length", "malformed_l3",
    patch(bytes(eth() / IP(src=CLI4, dst=OUR4, ihl=15, len=28) / UDP(dport=53)), 14, b"\x4f"))
add("ipv4_total_length_longer_than_frame", "malformed_l3",
    ip4_csum(patch(good4, 16, struct.pack("!H", len(good4) - 14 + 1))))
add("ipv4_total_length_below_header", "malformed_l3", ip4_csum(patch(good4, 16, struct.pack("!H", 16))))
add("ipv4_total_length_cuts_udp", "malformed_l4", ip4_csum(patch(good4, 16, struct.pack("!H", 20 + 8 + 12))))
add("ipv4_header_checksum", "bad_checksum", patch(good4, 14 + 10, b"\xde\xad"))
add("ipv4_source_multicast", "bad_source", dns4(src="224.0.0.9"))
add("ipv4_source_broadcast", "bad_source", dns4(src="255.255.255.255"))
add("udp_truncated_header", "malformed_l4", eth() / IP(src=CLI4, dst=OUR4, proto=17) / Raw(b"\0\x35\0\x35"))
add("udp_length_longer_than_ip", "malformed_l4", fix(eth() / IP(src=CLI4, dst=OUR4) / UDP(dport=53, len=200) / query()))
add("udp_length_shorter_than_ip", "malformed_l4", fix(eth() / IP(src=CLI4, dst=OUR4) / UDP(dport=53, len=20) / query()))
add("udp_length_below_header", "malformed_l4", fix(eth() / IP(src=CLI4, dst=OUR4) / UDP(dport=53, len=4) / query()))
add("udp_bad_checksum", "bad_checksum", eth() / IP(src=CLI4, dst=OUR4) / UDP(dport=53, chksum=0xbad) / query())
add("udp_source_port_zero", "bad_source", eth() / IP(src=CLI4, dst=OUR4) / UDP(sport=0, dport=53) / query())
add("dns_shorter_than_header", "malformed_dns", eth() / IP(src=CLI4, dst=OUR4) / UDP(dport=53) / b"\x12\x34\x01")
add("dns_qr_set", "dns_response", eth() / IP(src=CLI4, dst=OUR4) / UDP(sport=53, dport=53) / query(qr=1))
add("dns_qr_set_ipv6", "dns_response", eth() / IPv6(src=CLI6, dst=OUR6) / UDP(dport=53) / query(qr=1))
add("icmp_truncated", "malformed_l4", eth() / IP(src=CLI4, dst=OUR4, proto=1) / Raw(b"\x08\0\xf7\xff"))
add("icmp_bad_checksum", "bad_checksum", eth() / IP(src=CLI4, dst=OUR4) / ICMP(type=8, chksum=1))
add("ipv6_truncated_header", "malformed_l3", good6[:14 + 39])
add("ipv6_version_4", "malformed_l3", patch(good6, 14, b"\x40"))
add("ipv6_payload_length_longer_than_frame", "malformed_l3", patch(good6, 18, struct.pack("!H", len(good6) - 54 + 1)))
add("ipv6_payload_length_cuts_udp", "malformed_l4", patch(good6, 18, struct.pack("!H", 8 + 12)))
add("ipv6_source_multicast", "bad_source", dns6(src="ff02::1"))
add("ipv6_unspecified_source_udp", "bad_source", dns6(src="::"))
add("ipv6_udp_checksum_zero", "bad_checksum", eth() / IPv6(src=CLI6, dst=OUR6) / UDP(dport=53, chksum=0) / query())
add("ipv6_udp_bad_checksum", "bad_checksum", eth() / IPv6(src=CLI6, dst=OUR6) / UDP(dport=53, chksum=0xbad) / query())
chain = IPv6ExtHdrDestOpt()
for _ in range(8):
    chain = chain / IPv6ExtHdrDestOpt()
add("ipv6_ext_header_chain_too_long", "ext_hdr_limit",
    eth() / IPv6(src=CLI6, dst=OUR6) / chain / UDP(dport=53) / query())
add("ipv6_hop_by_hop_repeated", "malformed_l3",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrHopByHop() / UDP(dport=53) / query())
add("ipv6_hop_by_hop_after_dest_opts", "malformed_l3",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop() / UDP(dport=53) / query())
add("ipv6_ext_length_past_payload", "malformed_l3",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrDestOpt(len=40, autopad=0) / UDP(dport=53) / query())
add("ipv6_ext_header_truncated", "malformed_l3",
    eth() / IPv6(src=CLI6, dst=OUR6, nh=60, plen=4) / Raw(b"\x11\0\x01\0"))
add("ipv6_option_length_past_header", "malformed_l3",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrDestOpt(options=[PadN(optlen=9, optdata=b"")], autopad=0) /
    UDP(dport=53) / query())
add("ipv6_option_unknown_must_discard", "unsupported",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x80, optdata=b"\0\0\0\0")]) /
    UDP(dport=53) / query())
add("ipv6_routing_segments_left", "unsupported",
    eth() / IPv6(src=CLI6, dst=OUR6) / IPv6ExtHdrRouting(type=4, segleft=1, addresses=[OTHER6]) /
    UDP(dport=53) / query())
add("icmp6_bad_checksum", "bad_checksum", eth() / IPv6(src=CLI6, dst=OUR6) / ICMPv6EchoRequest(cksum=1))
add("icmp6_truncated", "malformed_l4", eth() / IPv6(src=CLI6, dst=OUR6, nh=58) / Raw(b"\x80\0\0\0"))
add("nd_hop_limit_not_255", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=64) / ICMPv6ND_NS(tgt=OUR6))
add("nd_option_length_zero", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt=OUR6) /
    ICMPv6NDOptSrcLLAddr(len=0, lladdr=CLI_MAC))
add("nd_option_length_past_end", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt=OUR6) /
    ICMPv6NDOptSrcLLAddr(len=3, lladdr=CLI_MAC))
add("nd_dad_with_source_lla", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src="::", dst=SN6, hlim=255) / ICMPv6ND_NS(tgt=OUR6) /
    ICMPv6NDOptSrcLLAddr(lladdr=CLI_MAC))
add("nd_truncated", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6EchoRequest(type=135, data=b"\0" * 8))
add("nd_target_multicast", "malformed_l4",
    eth("33:33:ff:00:00:01") / IPv6(src=CLI6, dst=SN6, hlim=255) / ICMPv6ND_NS(tgt="ff02::1:ff00:1"))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pkt_golden.tsv"), "w") as f:
    f.write("# generated by gen_pkt_golden.py (python3-scapy); do not edit\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
print("%d frames" % len(rows))
