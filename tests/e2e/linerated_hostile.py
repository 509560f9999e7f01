#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hostile frames leave linerated serving and show in its drop counters by
reason (issue #4).

From the client namespace, frames made with scapy go straight onto the
client's veth (AF_PACKET): truncated IPv4/IPv6 headers, a bad IHL, IP
total/payload lengths lying both ways, UDP lengths lying both ways, bad
checksums, a group source MAC, DNS garbage, QR=1 messages, overlapping and
never-completed fragments, VLAN-in-VLAN and 802.1ad, a tag on an untagged
port. None of the drops may draw a reply; DNS garbage long enough to be a
header gets what the answer engine gives for the same octets (through
`linerate-zone answer`). Afterwards the daemon still answers a normal query
over IPv4 and IPv6, and the counters it prints at SIGTERM hold each kind
under its reason, at least as many times as it was sent. All of it twice:
with the daemon on net_af_xdp (every frame reaches it as sent) and on
net_af_packet (the kernel keeps IPv4 fragments back).

    linerated_hostile.py --linerated PATH --tool PATH/linerate-zone [--zones DIR]
"""

import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import CLIENT_V4, CLIENT_V6, V4, V6, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_hostile')

import dns.message  # noqa: E402
import gen_knot_corpus  # noqa: E402
from dns_forms import differences, form_from_wire  # noqa: E402
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment  # noqa: E402
from scapy.layers.l2 import Dot1AD, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

COPIES = 3              # each hostile frame is sent this many times
QUIET = 0.3             # seconds a drop is given to (wrongly) draw a reply


def query(name='www.example.com.', qtype='A', msg_id=0x5151):
    m = dns.message.make_query(name, qtype)
    m.id = msg_id
    return m.to_wire()


def raw(p):
    return bytes(p)


def cases(cmac, dmac):
    """(reason, description, frame octets)."""
    eth = Ether(src=cmac, dst=dmac)
    q = query()
    u4 = raw(eth / IP(src=CLIENT_V4, dst=V4) / UDP(sport=40000, dport=53) / Raw(q))
    u6 = raw(eth / IPv6(src=CLIENT_V6, dst=V6) / UDP(sport=40000, dport=53) / Raw(q))
    e = 14  # Ethernet header octets

    def patch(frame, off, octets):
        return frame[:off] + octets + frame[off + len(octets):]

    def ip4(**kw):
        return eth / IP(src=CLIENT_V4, dst=V4, **kw)

    out = [
        ('malformed_l3', 'truncated IPv4 header (10 octets)', u4[:e + 10]),
        ('malformed_l3', 'truncated IPv6 header (20 octets)', u6[:e + 20]),
        ('malformed_l3', 'IPv4 IHL 4', raw(ip4(ihl=4) / UDP(dport=53) / Raw(q))),
        ('malformed_l3', 'IPv4 IHL 15 past the end', raw(ip4(ihl=15) / Raw(b'\0' * 8))),
        ('malformed_l3', 'IPv4 total length past the frame',
         raw(ip4(len=1200) / UDP(dport=53, sport=40001) / Raw(q))),
        ('malformed_l3', 'IPv4 total length below the header',
         raw(ip4(len=12) / UDP(dport=53, sport=40002) / Raw(q))),
        ('malformed_l3', 'IPv6 payload length past the frame',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6, plen=1200) / UDP(sport=40003, dport=53) / Raw(q))),
        ('malformed_l4', 'IPv4 total length cuts the UDP header',
         raw(ip4(len=20 + 4) / UDP(dport=53, sport=40004) / Raw(q))),
        ('malformed_l4', 'UDP length past the IP payload',
         raw(ip4() / UDP(dport=53, sport=40005, len=400, chksum=0) / Raw(q))),
        ('malformed_l4', 'UDP length below 8', raw(ip4() / UDP(dport=53, sport=40006, len=4,
                                                               chksum=0) / Raw(q))),
        ('malformed_l4', 'IPv6 UDP length past the payload',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / UDP(sport=40007, dport=53, len=300, chksum=1)
             / Raw(q))),
        ('bad_checksum', 'IPv4 header checksum wrong', raw(ip4(chksum=0x1234) /
                                                           UDP(dport=53, sport=40008) / Raw(q))),
        ('bad_checksum', 'UDP checksum wrong', raw(ip4() / UDP(dport=53, sport=40009,
                                                                chksum=0x1234) / Raw(q))),
        ('bad_checksum', 'UDP/IPv6 checksum wrong',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / UDP(sport=40010, dport=53, chksum=0x1234)
             / Raw(q))),
        ('malformed_l2', 'group source MAC',
         raw(Ether(src='01:00:5e:00:00:01', dst=dmac) / IP(src=CLIENT_V4, dst=V4) /
             UDP(sport=40011, dport=53) / Raw(q))),
        ('malformed_dns', 'DNS garbage shorter than a header',
         raw(ip4() / UDP(dport=53, sport=40012) / Raw(b'\x13\x37\x00'))),
        ('dns_response', 'QR=1 over IPv4',
         raw(ip4() / UDP(dport=53, sport=40013) / Raw(patch(q, 2, bytes([q[2] | 0x80]))))),
        ('dns_response', 'QR=1 over IPv6',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / UDP(sport=40014, dport=53) /
             Raw(patch(q, 2, bytes([q[2] | 0x80]))))),
        ('vlan_stacked', 'VLAN in VLAN (QinQ 802.1Q)',
         raw(eth / Dot1Q(vlan=10) / Dot1Q(vlan=20) / IP(src=CLIENT_V4, dst=V4) /
             UDP(sport=40015, dport=53) / Raw(q))),
        ('vlan_stacked', '802.1ad outer tag',
         raw(eth / Dot1AD(vlan=10) / Dot1Q(vlan=20) / IP(src=CLIENT_V4, dst=V4) /
             UDP(sport=40016, dport=53) / Raw(q))),
        ('wrong_vlan', 'tagged frame to an untagged port',
         raw(eth / Dot1Q(vlan=10) / IP(src=CLIENT_V4, dst=V4) / UDP(sport=40017, dport=53) /
             Raw(q))),
    ]
    # fragments: never completed (first only, last only), overlapping pairs
    body = raw(UDP(sport=40018, dport=53) / Raw(q + b'\0' * 64))
    out += [
        ('fragment', 'IPv4 first fragment, never completed',
         raw(ip4(id=0x1001, flags='MF', frag=0, proto=17) / Raw(body[:48]))),
        ('fragment', 'IPv4 last fragment, never completed',
         raw(ip4(id=0x1002, frag=6, proto=17) / Raw(body[48:]))),
        ('fragment', 'IPv4 overlapping fragment 1/2',
         raw(ip4(id=0x1003, flags='MF', frag=0, proto=17) / Raw(body[:48]))),
        ('fragment', 'IPv4 overlapping fragment 2/2 (starts inside 1)',
         raw(ip4(id=0x1003, frag=3, proto=17) / Raw(body[24:]))),
        ('fragment', 'IPv6 first fragment, never completed',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / IPv6ExtHdrFragment(id=0x2001, m=1, offset=0,
                                                                    nh=17) / Raw(body[:48]))),
        ('fragment', 'IPv6 overlapping fragment 1/2',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / IPv6ExtHdrFragment(id=0x2002, m=1, offset=0,
                                                                    nh=17) / Raw(body[:48]))),
        ('fragment', 'IPv6 overlapping fragment 2/2',
         raw(eth / IPv6(src=CLIENT_V6, dst=V6) / IPv6ExtHdrFragment(id=0x2002, m=0, offset=3,
                                                                    nh=17) / Raw(body[24:]))),
    ]
    return out


def garbage(cmac, dmac, n):
    """DNS-sized garbage with QR=0: (wire, frame)."""
    rnd = random.Random(4)
    eth = Ether(src=cmac, dst=dmac)
    out = []
    for i in range(n):
        w = bytes(rnd.randrange(256) for _ in range(rnd.randrange(12, 120)))
        w = bytes([0x60, i]) + bytes([w[2] & 0x7f]) + w[3:]
        out.append((w, raw(eth / IP(src=CLIENT_V4, dst=V4) / UDP(sport=41000 + i, dport=53) /
                           Raw(w))))
    return out


def replies_to_us(l2, wait):
    """UDP frames from port 53 received within wait."""
    return [f for f in l2.recv_all(wait) if UDP in Ether(f) and Ether(f)[UDP].sport == 53]


def hostile_run(c, a, zones, ns, pmd):
    """Every hostile frame, then DNS garbage, through one daemon on
    net_<pmd>; it must keep serving and count each frame by reason.
    net_af_xdp hands the daemon every frame as it arrived; net_af_packet
    has the kernel hold IPv4 fragments back (below)."""
    dmac, cmac = ns.daemon_mac(), ns.client_mac()
    with lr_e2e.running(ns, a.linerated, zones, pmd=pmd) as d:
        l2 = lr_e2e.L2(ns.dev_c)
        want = {}
        for reason, what, frame in cases(cmac, dmac):
            for _ in range(COPIES):
                l2.send(frame)
            want[reason] = want.get(reason, 0) + COPIES
            got = replies_to_us(l2, QUIET)
            c.check(not got, '%s (%s) drew a reply: %r' % (what, reason,
                                                           [Ether(f) for f in got]))
            c.check(d.alive(), 'linerated died after: %s' % what)
        # DNS garbage: the engine decides; the daemon must agree
        items = garbage(cmac, dmac, 20)
        refs = lr_e2e.reference_answers(a.tool, zones, [w for w, _ in items])
        for (w, frame), ref in zip(items, refs):
            l2.send(frame)
            f = l2.wait_for(lambda f: UDP in Ether(f) and
                            Ether(f)[UDP].dport == Ether(frame)[UDP].sport,
                            2.0 if ref else QUIET)
            got = bytes(Ether(f)[UDP].payload) if f is not None else None
            if not ref:
                c.check(got is None, 'garbage %s: the engine sends nothing, the daemon %s'
                        % (w.hex(), got and got.hex()))
            elif c.check(got is not None, 'garbage %s: no reply; the engine gives %s'
                         % (w.hex(), ref.hex())):
                diffs = differences(form_from_wire(ref), form_from_wire(got))
                c.check(not diffs and got[:2] == ref[:2], 'garbage %s: %s' % (w.hex(), diffs))
        l2.close()
        # still serving
        for server in (V4, V6):
            r = lr_e2e.udp_exchange(server, query(msg_id=0x7777), 2.0)
            m = r and dns.message.from_wire(r)
            c.check(m is not None and m.rcode() == 0 and len(m.answer) == 1,
                    'after the hostile frames @%s www.example.com A gives %s' % (server, m))
        st = d.stop()
    log('counters (net_%s): %s' % (pmd, st))
    v = st['verdict']
    # net_af_packet joins a PACKET_FANOUT group with FLAG_DEFRAG: the
    # kernel holds IPv4 fragments for reassembly before the PMD sees
    # them, so the never-completed and overlapping IPv4 ones cannot reach
    # the daemon's counters; only the IPv6 ones can.
    v4frag = sum(COPIES for r, w, _ in cases(cmac, dmac) if r == 'fragment' and 'IPv4' in w)
    if pmd == 'af_packet' and v.get('fragment', 0) < want['fragment'] and \
            v.get('fragment', 0) >= want['fragment'] - v4frag:
        log('XFAIL (expected failure): counter fragment is %d for %d fragments sent: the '
            '%d IPv4 ones never reach linerated (net_af_packet asks the kernel to '
            'defragment IPv4, PACKET_FANOUT_FLAG_DEFRAG); the IPv6 ones are all counted'
            % (v.get('fragment', 0), want['fragment'], v4frag))
        want['fragment'] -= v4frag
    for reason, n in sorted(want.items()):
        c.check(v.get(reason, 0) >= n, 'net_%s: counter %s is %d; %d such frames were sent'
                % (pmd, reason, v.get(reason, 0), n))
    c.check(v.get('dns', 0) >= 2, 'dns verdict %d after two good queries' % v.get('dns', 0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--tool', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    zones = [(o, os.path.abspath(os.path.join(a.zones, f))) for o, f in gen_knot_corpus.ZONES]
    c = Checks()
    with lr_e2e.environment('lrh') as ns:
        for pmd in ('af_xdp', 'af_packet'):
            hostile_run(c, a, zones, ns, pmd)
    return c.finish('linerated_hostile')


if __name__ == '__main__':
    sys.exit(main())
