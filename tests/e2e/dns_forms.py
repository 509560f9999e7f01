# SPDX-License-Identifier: BSD-3-Clause
"""Normal forms of DNS responses for the differential test (knot_diff.py).

A response, whether kdig printed it as RFC 8427 JSON or it arrived as wire,
becomes the same dict: flags, opcode, the 12-bit rcode, the question, each
section as a sorted list of records (owner lower-cased, type, class, TTL,
rdata as canonical text), and the OPT record's version, DO bit, payload
size, option codes and NSID. Two responses are compared field by field.
"""

import struct

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype

FIELDS = ('response', 'rcode', 'opcode', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd', 'question',
          'answer', 'authority', 'additional', 'opt', 'opt.version', 'opt.do', 'opt.payload',
          'opt.options', 'opt.nsid')
SECTIONS = ('answer', 'authority', 'additional')


class HarnessError(Exception):
    """Something other than a difference in answers went wrong."""


def rr_key(owner, rdtype, rdclass, ttl, rdata):
    """(owner lower-cased, type, class, TTL, canonical rdata text) of one
    record, from its uncompressed wire rdata. Canonical: RFC 4034 §6.2
    lower-cases the names inside the rdata of the types it lists."""
    try:
        rd = dns.rdata.from_wire(rdclass, rdtype, rdata, 0, len(rdata))
        canon = rd.to_digestable()
        text = dns.rdata.from_wire(rdclass, rdtype, canon, 0, len(canon)).to_text()
    except dns.exception.DNSException:
        text = '\\# %d %s' % (len(rdata), rdata.hex())
    return (owner.lower(), dns.rdatatype.to_text(rdtype), dns.rdataclass.to_text(rdclass), ttl,
            text)


def opt_form(payload, ttl, options):
    """options: (code, data) pairs. Cookie and padding contents are per
    response; only that they are there is compared."""
    nsid = [data for code, data in options if code == dns.edns.NSID]
    return {'version': (ttl >> 16) & 0xff, 'do': bool(ttl & 0x8000), 'payload': int(payload),
            'options': sorted({code for code, _ in options}),
            'nsid': nsid[0].decode('ascii', 'replace') if nsid else None}


def split_options(rdata):
    out, pos = [], 0
    while pos + 4 <= len(rdata):
        code, length = struct.unpack('!HH', rdata[pos:pos + 4])
        out.append((code, rdata[pos + 4:pos + 4 + length]))
        pos += 4 + length
    return out


def empty_form():
    return {'response': True, 'rcode': 0, 'opcode': 0, 'question': [], 'answer': [],
            'authority': [], 'additional': [], 'opt': None}


def form_from_json(msg):
    """Normal form of a message kdig printed as RFC 8427 JSON."""
    f = empty_form()
    for flag in ('AA', 'TC', 'RD', 'RA', 'AD', 'CD'):
        f[flag.lower()] = bool(msg.get(flag))
    f['opcode'] = msg['Opcode']
    ext = 0
    if msg.get('QDCOUNT'):
        f['question'] = [(dns.name.from_text(msg['QNAME']).to_text().lower(),
                          dns.rdatatype.to_text(msg['QTYPE']),
                          dns.rdataclass.to_text(msg['QCLASS']))]
    for key, sec, count in (('answerRRs', 'answer', 'ANCOUNT'),
                            ('authorityRRs', 'authority', 'NSCOUNT'),
                            ('additionalRRs', 'additional', 'ARCOUNT')):
        rrs = msg.get(key, [])
        if len(rrs) != msg[count]:
            raise HarnessError('kdig JSON: %s lists %d records, %s says %d'
                               % (key, len(rrs), count, msg[count]))
        for rr in rrs:
            rdata = bytes.fromhex(rr.get('RDATAHEX', ''))
            if rr['TYPE'] == dns.rdatatype.OPT:
                f['opt'] = opt_form(rr['CLASS'], rr['TTL'], split_options(rdata))
                ext = rr['TTL'] >> 24
                continue
            f[sec].append(rr_key(dns.name.from_text(rr['NAME']).to_text(), rr['TYPE'],
                                 rr['CLASS'], rr['TTL'], rdata))
    f['rcode'] = msg['RCODE'] | ext << 4
    for sec in ('answer', 'authority', 'additional'):
        f[sec].sort()
    return f


def form_from_wire(wire):
    """Normal form of a response in wire form, read by dnspython."""
    if not wire:
        return {'response': False}
    opcode = (wire[2] >> 3) & 0xf if len(wire) > 2 else 0
    if opcode:
        # dnspython reads UPDATE with RFC 2136's section rules (a zone
        # section of SOA type) and refuses opcodes it does not know: read
        # every message's sections as a QUERY's, keep the opcode aside.
        wire = wire[:2] + bytes([wire[2] & 0x87]) + wire[3:]
    try:
        m = dns.message.from_wire(wire, one_rr_per_rrset=True, ignore_trailing=False)
    except dns.exception.DNSException as e:
        raise HarnessError('dnspython cannot read the response %s: %s' % (wire.hex(), e))
    f = empty_form()
    for name in ('aa', 'tc', 'rd', 'ra', 'ad', 'cd'):
        f[name] = bool(m.flags & getattr(dns.flags, name.upper()))
    f['opcode'] = opcode
    f['rcode'] = int(m.rcode())
    f['question'] = [(r.name.to_text().lower(), dns.rdatatype.to_text(r.rdtype),
                      dns.rdataclass.to_text(r.rdclass)) for r in m.question]
    for sec, rrsets in (('answer', m.answer), ('authority', m.authority),
                        ('additional', m.additional)):
        for rrset in rrsets:
            for rd in rrset:
                f[sec].append(rr_key(rrset.name.to_text(), rrset.rdtype, rrset.rdclass,
                                     rrset.ttl, rd.to_digestable()))
        f[sec].sort()
    if m.edns >= 0:
        ttl = (m.ednsflags & 0xffff) | m.edns << 16
        f['opt'] = opt_form(m.payload, ttl, [(o.otype, o.to_wire()) for o in m.options])
    return f


def question_of(wire):
    """(id, qname wire octets as sent) of a query, for the echo checks."""
    if len(wire) < 12:
        return None
    msg_id, qdcount = struct.unpack('!H2xH', wire[:6])
    if qdcount != 1:
        return (msg_id, None)
    pos = 12
    while pos < len(wire) and wire[pos] and pos < 12 + 255:
        pos += wire[pos] + 1
    return (msg_id, wire[12:pos + 1])


def field_values(f):
    """The compared fields of a normal form, flat."""
    if not f['response']:
        return {'response': False}
    out = {k: f[k] for k in ('response', 'rcode', 'opcode', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd',
                             'question', 'answer', 'authority', 'additional')}
    opt = f['opt']
    out['opt'] = opt is not None
    for k in ('version', 'do', 'payload', 'options', 'nsid'):
        out['opt.' + k] = opt[k] if opt else None
    return out


def differences(knot, ours):
    a, b = field_values(knot), field_values(ours)
    if not a['response'] or not b['response']:
        return [('response', a['response'], b['response'])] if a != b else []
    return [(k, a[k], b[k]) for k in FIELDS if a[k] != b[k]]


