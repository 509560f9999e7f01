#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The query corpus of the differential test against knotd (knot_diff.py).

Deterministic: the same zones give the same corpus, byte for byte, and
knot_diff.py refuses to run when the checked-in corpus is not what this
script prints. Run it after changing a zone in tests/data/zones/:

    /usr/bin/python3 tests/e2e/gen_knot_corpus.py > tests/e2e/knot_diff_corpus.txt

One query per line, tab-separated:

    id  qname  qtype  qclass  options  # why

options (space-separated, "-" for none), each mapped to kdig's and to
dnspython's equivalent by knot_diff.py:
    noedns          no OPT record (otherwise OPT version 0, 1232 octets)
    edns=N          OPT with payload size N
    ednsver=N       OPT with version N
    do cd ad        DO bit; CD and AD header flags
    norec           RD clear (otherwise set)
    nsid            ask for NSID (RFC 5001)
    tcp             over TCP (otherwise UDP)
    opcode=X        NOTIFY, STATUS, UPDATE, IQUERY or a number
    raw=HEX         send these octets as they are (qname/qtype/qclass "-")
"""

import os
import random
import sys

import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.zone

HERE = os.path.dirname(os.path.abspath(__file__))
ZONE_DIR = os.path.join(HERE, '..', 'data', 'zones')

# Every zone both servers load: (origin, file in tests/data/zones).
ZONES = [
    ('example.', 'example.zone'),
    ('example.com.', 'example.com.zone'),
    ('example.net.', 'example.net.zone'),
    ('sub.example.com.', 'sub.example.com.zone'),
]

MIN_QUERIES = 500
BASE = 'edns=1232'


def load_zones():
    zones = {}
    for origin, fname in ZONES:
        zones[origin] = dns.zone.from_file(os.path.join(ZONE_DIR, fname), origin=origin,
                                           relativize=False)
    return zones


def cuts(zone):
    """Delegation points below the apex."""
    return [n for n, node in zone.nodes.items()
            if n != zone.origin and node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NS)]


def below_cut(name, zone_cuts):
    return any(name != c and name.is_subdomain(c) for c in zone_cuts)


def rrset_queries(zones):
    """Every authoritative RRset by name and type, one absent type per owner
    (NODATA), and ANY at owners with data. Glue owners are sampled: the 33
    of bigdeleg and mxmany all say the same thing."""
    out = []
    for origin, _ in ZONES:
        zone = zones[origin]
        zcuts = cuts(zone)
        for name in sorted(zone.nodes):
            text = name.to_text()
            if any(text.startswith(p) for p in ('ns0', 'ns1', 'm0', 'm1')) and \
                    ('bigdeleg' in text or 'mxmany' in text) and \
                    not text.startswith(('ns01.', 'm01.', 'm20.')):
                continue
            node = zone.nodes[name]
            types = sorted(rds.rdtype for rds in node.rdatasets)
            why = 'glue owner' if below_cut(name, zcuts) else 'zone data'
            for t in types:
                out.append((text, dns.rdatatype.to_text(t), 'IN', BASE, why))
            for absent in (dns.rdatatype.AAAA, dns.rdatatype.MX, dns.rdatatype.TXT,
                           dns.rdatatype.SRV, dns.rdatatype.A):
                if absent not in types:
                    out.append((text, dns.rdatatype.to_text(absent), 'IN', BASE,
                                'type absent: NODATA, or what a cut or CNAME makes of it'))
                    break
            out.append((text, 'ANY', 'IN', BASE, 'minimal ANY (RFC 8482)'))
    return out


def q(names, types, opts=BASE, why='', qclass='IN'):
    return [(n, t, qclass, opts, why) for n in names for t in types]


def hand_written():
    out = []
    # Empty non-terminals (RFC 4592 §2.2.2; RFC 8020).
    out += q(['_udp.example.com.', '_tcp.example.com.', 'b.ent.example.com.',
              'ent2.example.com.', 'e2.ent2.example.com.', 'e1.e2.ent2.example.com.',
              'wild2.example.com.', 'deep.wild2.example.com.', 'target.example.com.',
              'name.example.net.', '_tcp.host1.example.', 'host2.example.',
              '_tcp.host2.example.', 'mxmany.example.com.'],
             ['A', 'TXT'], why='empty non-terminal: NODATA')
    # NXDOMAIN, some below names that exist or below empty non-terminals.
    out += q(['nx.example.com.', 'nothere.example.com.', 'foo.www.example.com.',
              'deep.nothere.example.com.', 'x.ns1.example.com.', 'nx.example.net.',
              'a.b.example.net.', 'x.e1.e2.ent2.example.com.', 'x.b.ent.example.com.',
              'y.a.b.ent.example.com.', '_udp.host2.example.', 'x.target.example.com.'],
             ['A', 'MX'], why='NXDOMAIN with the SOA (RFC 2308 §2.1)')
    # Wildcards (RFC 4592), CNAME wildcards, siblings that block them.
    out += q(['foo.wild.example.com.', 'a.b.wild.example.com.', 'x.wcname.example.com.',
              'x.y.wcname.example.com.', 'd.ent.example.com.', 'c.ent.example.com.',
              'z.deep.wild2.example.com.', 'x.sub.example.com.', 'a.b.sub.example.com.',
              '*.wild.example.com.', '*.ent.example.com.'],
             ['A', 'AAAA', 'TXT', 'MX', 'CNAME'], why='wildcard (RFC 4592 §3.3)')
    # RFC 4592 §2.2.1's own questions and answers.
    out += [
        ('host3.example.', 'MX', 'IN', BASE, 'RFC 4592 §2.2.1: wildcard MX'),
        ('host3.example.', 'A', 'IN', BASE, 'RFC 4592 §2.2.1: wildcard, no A: NODATA'),
        ('foo.bar.example.', 'TXT', 'IN', BASE, 'RFC 4592 §2.2.1: wildcard TXT'),
        ('host1.example.', 'MX', 'IN', BASE, 'RFC 4592 §2.2.1: host1 exists: NODATA'),
        ('sub.*.example.', 'MX', 'IN', BASE, 'RFC 4592 §2.2.1: NODATA, not a wildcard'),
        ('_telnet._tcp.host1.example.', 'SRV', 'IN', BASE,
         'RFC 4592 §2.2.1: _tcp.host1 exists (ENT): NXDOMAIN'),
        ('host.subdel.example.', 'A', 'IN', BASE, 'RFC 4592 §2.2.1: referral'),
        ('ghost.*.example.', 'MX', 'IN', BASE, 'RFC 4592 §2.2.1: *.example exists: NXDOMAIN'),
        ('*.example.', 'MX', 'IN', BASE, 'RFC 4592 §2.2.1: the wildcard itself'),
        ('_ssh._tcp.host1.example.', 'SRV', 'IN', BASE, 'RFC 4592 §2.2.1: SRV'),
        ('_ssh._tcp.host2.example.', 'SRV', 'IN', BASE, 'RFC 4592 §2.2.1: SRV'),
        ('_ssh._tcp.host3.example.', 'SRV', 'IN', BASE, 'RFC 4592 §2.2.1: wildcard, no SRV'),
        ('x.sub.*.example.', 'TXT', 'IN', BASE, 'below a non-wildcard "*" label'),
    ]
    # Delegations: referrals (AA clear, NS in authority, glue in additional).
    out += q(['host.deleg.example.com.', 'deleg.example.com.', 'ns.deleg.example.com.',
              'ns2.deleg.example.com.', 'sibling.example.com.', 'x.sibling.example.com.',
              'outdeleg.example.com.', 'x.outdeleg.example.com.', 'noglue.example.com.',
              'ns.noglue.example.com.', 'bigdeleg.example.com.', 'x.bigdeleg.example.com.',
              'subdel.example.', 'x.subdel.example.'],
             ['A', 'NS', 'DS'], why='referral; DS from the parent (RFC 4035 §3.1.4.1)')
    # Nested zones: the child answers below its apex, the parent holds DS.
    out += q(['sub.example.com.', 'www.sub.example.com.', 'ns1.sub.example.com.',
              'up.sub.example.com.', 'mx.sub.example.com.'],
             ['A', 'NS', 'SOA', 'MX', 'DS', 'ANY'], why='nested zone served with its parent')
    # CNAME chains: in the zone, across zones we serve, out, dangling, loops.
    out += q(['alias.example.com.', 'alias-net.example.com.', 'alias-back.example.com.',
              'alias-out.example.com.', 'dangling.example.com.', 'loop1.example.com.',
              'self.example.com.', 'xloop.example.com.', 'xloop.example.net.',
              'chain0.example.com.', 'chain4.example.com.', 'chain7.example.com.',
              'alias-wild.example.com.', 'alias-deleg.example.com.', 'alias-ent.example.com.',
              'alias-mx.example.com.', 'alias-sub.example.com.', 'alias-dname.example.com.',
              'back.example.net.', 'alias.example.net.'],
             ['A', 'MX', 'CNAME'], why='CNAME (RFC 1034 §4.3.2 step 3.a)')
    # DNAME (RFC 6672): to another zone we serve, inside the zone, to nothing,
    # out of every zone, and a substitution past 255 octets (YXDOMAIN).
    out += q(['www.dn.example.com.', 'deep.name.dn.example.com.', 'alias.dn.example.com.',
              'x.y.dn.example.com.', 'ns1.dn.example.com.', 'www.dnl.example.com.',
              'x.www.dnl.example.com.', 'x.dnnx.example.com.', 'www.dnout.example.com.',
              'dn.example.com.', 'dnl.example.com.'],
             ['A', 'TXT', 'DNAME'], why='DNAME (RFC 6672 §3)')
    out += q(['a' * 50 + '.dnlong.example.com.'], ['A', 'TXT'],
             why='DNAME substitution longer than 255 octets: YXDOMAIN (RFC 6672 §2.2)')
    out += q(['a' * 40 + '.dnlong.example.com.', 'x.dnlong.example.com.'], ['A'],
             why='DNAME substitution that fits')
    # Large answers against each size limit (RFC 1035 §4.2.1, RFC 6891 §7).
    sizes = ['noedns', 'edns=512', 'edns=1232', 'edns=1400', 'edns=4096', 'edns=65535',
             'edns=100', 'edns=511', 'tcp', 'noedns tcp', 'edns=512 do']
    for opts in sizes:
        out += q(['big.example.com.'], ['A'], opts, 'large RRset and the size limit')
        out += q(['txt40.example.com.'], ['TXT'], opts, 'large RRset and the size limit')
        out += q(['mxmany.example.com.'], ['MX'], opts, 'additional data that does not fit')
        out += q(['bigdeleg.example.com.'], ['A'], opts, 'referral glue that does not fit')
        out += q(['example.com.'], ['ANY'], opts, 'ANY at the apex and the size limit')
    # Header flags and EDNS on ordinary questions.
    base = [('www.example.com.', 'A'), ('nx.example.com.', 'A'), ('foo.wild.example.com.', 'TXT'),
            ('host.deleg.example.com.', 'A'), ('alias.example.com.', 'A'),
            ('www.dn.example.com.', 'A'), ('example.com.', 'SOA'), ('www.example.com.', 'MX')]
    for opts in ['noedns', 'edns=512', 'edns=4096', 'do', 'edns=4096 do', 'norec', 'cd', 'ad',
                 'nsid', 'ednsver=1', 'ednsver=255 do', 'tcp', 'noedns norec tcp',
                 'edns=1232 do cd ad nsid']:
        out += [(n, t, 'IN', opts, 'flags and EDNS') for n, t in base]
    # Opcodes: NOTIFY is acknowledged, the others are not implemented.
    for n in ['example.com.', 'example.net.', 'sub.example.com.', 'example.',
              'www.example.com.', 'example.org.']:
        out.append((n, 'SOA', 'IN', 'noedns norec opcode=NOTIFY', 'NOTIFY (RFC 1996)'))
    for op in ['STATUS', 'UPDATE', 'IQUERY', '3', '6', '15']:
        out.append(('example.com.', 'SOA', 'IN', 'noedns opcode=' + op, 'opcode not implemented'))
        out.append(('www.example.com.', 'A', 'IN', BASE + ' opcode=' + op,
                    'opcode not implemented, with EDNS'))
    # Classes: CHAOS identity, and zone data asked in other classes.
    for n in ['version.bind.', 'id.server.', 'hostname.bind.', 'version.server.',
              'authors.bind.', 'VERSION.BIND.', 'x.version.bind.']:
        out.append((n, 'TXT', 'CH', BASE, 'CHAOS TXT'))
    out += [
        ('version.bind.', 'A', 'CH', BASE, 'CHAOS, not TXT'),
        ('version.bind.', 'ANY', 'CH', BASE, 'CHAOS ANY'),
        ('version.bind.', 'TXT', 'IN', BASE, 'CHAOS name in IN: not ours'),
        ('www.example.com.', 'A', 'CH', BASE, 'zone data in CHAOS'),
        ('www.example.com.', 'A', 'HS', BASE, 'zone data in HESIOD'),
        ('www.example.com.', 'A', 'ANY', BASE, 'QCLASS ANY'),
        ('www.example.com.', 'A', 'NONE', BASE, 'QCLASS NONE'),
        ('www.example.com.', 'A', 'CLASS42', BASE, 'unknown class'),
    ]
    # Outside every zone: REFUSED.
    out += q(['www.example.org.', 'example.org.', 'com.', '.', 'test.', 'foo.test.',
              'localhost.', 'net.', '2.0.192.in-addr.arpa.', 'xexample.com.'],
             ['A', 'NS', 'SOA'], why='outside every zone: REFUSED')
    # Meta and DNSSEC types asked of unsigned zones.
    out += q(['www.example.com.', 'example.com.'],
             ['MAILA', 'MAILB', 'RRSIG', 'NSEC', 'NSEC3', 'DNSKEY', 'NSEC3PARAM', 'TYPE65535',
              'TYPE65280', 'TKEY'], why='meta and DNSSEC types on an unsigned zone')
    return out


def case_variants(entries, rng, n):
    """n queries again with random letter case (RFC 4343): the answer's
    names keep the question's case."""
    picks = rng.sample([e for e in entries if e[0] != '.'], n)
    out = []
    for name, t, c, opts, _ in picks:
        mixed = ''.join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in name)
        out.append((mixed, t, c, opts, 'letter case ' + mixed.rstrip('.')))
    return out


def header(qid, flags, qd=1, an=0, ns=0, ar=0):
    return '%04x%04x%04x%04x%04x%04x' % (qid, flags, qd, an, ns, ar)


def wire_name(text):
    return dns.name.from_text(text).to_wire().hex()


def raw_queries():
    """Messages kdig cannot send; knot_diff.py sends them with a socket."""
    www = wire_name('www.example.com.') + '00010001'
    apex_soa = wire_name('example.com.') + '00060001'
    opt = '00' + '0029' + '04d0' + '00000000' + '0000'  # root, OPT, 1232, TTL 0, no options
    soa_rr = (wire_name('example.com.') + '00060001' + '00000e10' + '0016'
              + '00' + '00' + '78a3f175' + '00001c20' + '00000e10' + '00127500' + '0000012c')
    return [
        (header(0x100, 0x0100, qd=0), 'QDCOUNT 0: FORMERR (or no question to answer)'),
        (header(0x101, 0x0100, qd=2) + www + www, 'QDCOUNT 2: FORMERR'),
        (header(0x102, 0x8100) + www, 'QR set: never answered'),
        (header(0x103, 0x0100)[:22], 'shorter than a header: dropped'),
        (header(0x104, 0x0100) + www[:20], 'question cut: FORMERR'),
        (header(0x105, 0x0100) + www + 'deadbeef', 'trailing octets'),
        (header(0x106, 0x0100, ar=2) + www + opt + opt,
         'two OPT records: FORMERR (RFC 6891 §6.1.1)'),
        (header(0x107, 0x0100, an=1) + www + opt, 'OPT in the answer section: FORMERR'),
        (header(0x108, 0x0000) + apex_soa[:-8] + '00fc0001', 'AXFR over UDP'),
        (header(0x109, 0x0000, ns=1) + apex_soa[:-8] + '00fb0001' + soa_rr, 'IXFR over UDP'),
        (header(0x10a, 0x0140) + www, 'Z bit set in a query'),
        (header(0x10b, 0x0300) + www, 'TC set in a query'),
        (header(0x10c, 0x0500) + www, 'AA set in a query'),
        (header(0x10d, 0x0100) + wire_name('www.example.com.') + '00000001', 'QTYPE 0'),
        (header(0x10e, 0x0100) + wire_name('www.example.com.') + '00290001', 'QTYPE OPT'),
        (header(0x10f, 0x0100, ar=1) + www + '00' + '0029' + '0200' + '00008000'
         + '0008' + 'fde9' + '0004' + 'deadbeef', 'unknown EDNS option, DO, 512'),
    ]


def corpus(zones):
    rng = random.Random(4343)
    entries = rrset_queries(zones) + hand_written()
    entries += case_variants(entries, rng, 60)
    seen = set()
    lines = []
    for name, t, c, opts, why in entries:
        key = (name, t, c, opts)
        if key in seen:
            continue
        seen.add(key)
        lines.append((name, t, c, opts, why))
    for hexwire, why in raw_queries():
        lines.append(('-', '-', '-', 'raw=' + hexwire, why))
    out = []
    for i, (name, t, c, opts, why) in enumerate(lines, 1):
        out.append('q%04d\t%s\t%s\t%s\t%s\t# %s' % (i, name, t, c, opts or '-', why))
    if len(out) < MIN_QUERIES:
        raise SystemExit('corpus has only %d queries' % len(out))
    return '\n'.join(out) + '\n'


def text():
    return ('# Generated by tests/e2e/gen_knot_corpus.py: do not edit.\n'
            '# id\tqname\tqtype\tqclass\toptions\t# why\n' + corpus(load_zones()))


if __name__ == '__main__':
    sys.stdout.write(text())
