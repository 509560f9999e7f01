#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Differential test of the answer engine against knotd (issue #3).

knotd (Debian's knot) serves the zones of tests/data/zones/ on 127.0.0.1 at
a free high port; every query of the corpus (knot_diff_corpus.txt, made by
gen_knot_corpus.py) goes to it through kdig, and to our engine through
`linerate-zone answer` (one process for the whole corpus). Both responses
are compared in rcode, opcode, header flags, the OPT record and each
section as a multiset of records (owner lower-cased, type, class, TTL,
rdata in canonical text). A difference fails the test unless the table
JUSTIFIED below lists it with the RFC that backs our behaviour.

    knot_diff.py --tool build/tools/linerate-zone [--zones DIR] [--corpus FILE]

Exit status: 0 all answers match or differ only as justified; 1 a
difference no entry justifies, or a harness error; 77 (meson's skip) only
when knotd or kdig is not installed. --reference checks the harness itself:
it asks knotd both ways (kdig, and the socket with our query wires) and
expects no difference at all.

knotd runs as the current user with its rundir and storage in a temporary
directory, no response rate limiting, and is stopped by its PID when the
test ends, whatever the reason.
"""

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import dns.edns
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_knot_corpus  # noqa: E402  (the corpus must be what it prints)

LOOPBACK = '127.0.0.1'
# What both servers are configured with, so CHAOS and NSID answers compare.
IDENTITY = 'difftest.example'
VERSION = 'linerate-difftest'
NSID = 'difftest-nsid'

KDIG_TIMEOUT = 2        # seconds kdig waits for one response (+timeout)
SOCKET_TIMEOUT = 2.0    # seconds the socket waits for knotd (raw queries)
PROC_TIMEOUT = 30       # seconds any one child process may run
READY_TRIES = 100       # readiness polls of knotd, 0.1 s apart
START_TRIES = 5         # ports tried when knotd cannot bind
WIRE_SAMPLE_EVERY = 29  # every Nth query is also asked through `query --wire`

EDNS_DEFAULT_SIZE = 1232
FIELDS = ('response', 'rcode', 'opcode', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd', 'question',
          'answer', 'authority', 'additional', 'opt', 'opt.version', 'opt.do', 'opt.payload',
          'opt.options', 'opt.nsid')


class HarnessError(Exception):
    """Something other than a difference in answers went wrong."""


# ---------------------------------------------------------------------------
# The corpus.

Query = collections.namedtuple('Query', 'qid line qname qtype qclass opts why raw')


def parse_options(text):
    opts = {'edns': True, 'size': EDNS_DEFAULT_SIZE, 'version': 0, 'do': False, 'cd': False,
            'ad': False, 'rd': True, 'nsid': False, 'tcp': False, 'opcode': 'QUERY',
            'raw': None}
    for word in text.split():
        key, _, val = word.partition('=')
        if word == '-':
            continue
        elif word == 'noedns':
            opts['edns'] = False
        elif key == 'edns':
            opts['size'] = int(val)
        elif key == 'ednsver':
            opts['version'] = int(val)
        elif word in ('do', 'cd', 'ad', 'nsid', 'tcp'):
            opts[word] = True
        elif word == 'norec':
            opts['rd'] = False
        elif key == 'opcode':
            opts['opcode'] = val
        elif key == 'raw':
            opts['raw'] = bytes.fromhex(val)
        else:
            raise HarnessError('corpus: unknown option %r' % word)
    return opts


def load_corpus(path):
    with open(path) as f:
        text = f.read()
    if text != gen_knot_corpus.text():
        raise HarnessError('%s is not what gen_knot_corpus.py prints: regenerate it' % path)
    queries = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith('#'):
            continue
        cols = line.split('\t')
        if len(cols) != 6:
            raise HarnessError('corpus line %d: %d columns' % (n, len(cols)))
        opts = parse_options(cols[4])
        queries.append(Query(cols[0], n, cols[1], cols[2], cols[3], opts, cols[5][2:],
                             opts['raw']))
    return queries


def opcode_number(name):
    return int(name) if name.isdigit() else dns.opcode.from_text(name)


def query_wire(q, msg_id):
    """The query as our engine receives it, built with dnspython."""
    if q.raw is not None:
        return q.raw
    o = q.opts
    m = dns.message.Message(id=msg_id)
    m.flags = (dns.flags.RD if o['rd'] else 0) | (dns.flags.CD if o['cd'] else 0) | \
        (dns.flags.AD if o['ad'] else 0)
    m.set_opcode(opcode_number(o['opcode']))
    qtype = dns.rdatatype.SOA if o['opcode'] == 'NOTIFY' else dns.rdatatype.from_text(q.qtype)
    m.find_rrset(m.question, dns.name.from_text(q.qname), dns.rdataclass.from_text(q.qclass),
                 qtype, create=True, force_unique=True)
    if o['edns']:
        options = [dns.edns.GenericOption(dns.edns.NSID, b'')] if o['nsid'] else []
        m.use_edns(edns=o['version'], ednsflags=dns.flags.DO if o['do'] else 0,
                   payload=o['size'], options=options)
    return m.to_wire()


def uses_kdig(q):
    """kdig sends QUERY and NOTIFY; the rest go through a socket."""
    return q.raw is None and q.opts['opcode'] in ('QUERY', 'NOTIFY')


# ---------------------------------------------------------------------------
# Normal form of a response: what the comparison looks at.

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
    f['rcode'] = m.rcode()
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


# ---------------------------------------------------------------------------
# Differences we stand by. Each entry names the fields it may explain and a
# test on the query and both normal forms; it explains a difference only
# when the test holds. Keep the tests narrow: an entry that matched a real
# bug would hide it.

Justified = collections.namedtuple('Justified', 'id fields rfc why when')

JUSTIFIED = [
]


def justify(ctx, diffs):
    """Split diffs into (justified: {entry id: [fields]}, unexplained)."""
    done, left = collections.defaultdict(list), []
    for d in diffs:
        for j in JUSTIFIED:
            if d[0] in j.fields and j.when(ctx):
                done[j.id].append(d[0])
                break
        else:
            left.append(d)
    return done, left


# ---------------------------------------------------------------------------
# knotd.

def free_port():
    """A port free for both UDP and TCP on the loopback address."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            t.bind((LOOPBACK, 0))
            port = t.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                try:
                    u.bind((LOOPBACK, port))
                except OSError:
                    continue
            if port > 1024:
                return port
    raise HarnessError('no free loopback port')


def knot_config(tmp, port, zones):
    zone_lines = ''.join('  - domain: %s\n    file: "%s"\n' % (origin, path)
                         for origin, path in zones)
    return f'''# Written by tests/e2e/knot_diff.py for one run.
server:
    rundir: "{tmp}/run"
    listen: {LOOPBACK}@{port}
    identity: "{IDENTITY}"
    version: "{VERSION}"
    nsid: "{NSID}"
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1

database:
    storage: "{tmp}/db"

log:
  - target: stderr
    any: info

# NOTIFY from the test is accepted, as our engine acknowledges every NOTIFY
# for a zone it serves; knotd then tries a refresh with no primary, which
# fails harmlessly.
acl:
  - id: notify_from_test
    address: {LOOPBACK}
    action: notify

template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
    acl: notify_from_test

zone:
{zone_lines}'''


class Knotd:
    def __init__(self, knotd, tmp, zones):
        self.knotd, self.tmp, self.zones = knotd, tmp, zones
        self.proc = None
        self.port = None
        self.log_path = os.path.join(tmp, 'knotd.log')

    def start(self):
        for attempt in range(START_TRIES):
            for d in ('run', 'db'):
                shutil.rmtree(os.path.join(self.tmp, d), ignore_errors=True)
                os.makedirs(os.path.join(self.tmp, d))
            self.port = free_port()
            conf = os.path.join(self.tmp, 'knot.conf')
            with open(conf, 'w') as f:
                f.write(knot_config(self.tmp, self.port, self.zones))
            with open(self.log_path, 'w') as log:
                self.proc = subprocess.Popen([self.knotd, '-c', conf], stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if self.wait_ready():
                return
            self.stop()
            with open(self.log_path) as f:
                log = f.read()
            if 'Address already in use' not in log:
                raise HarnessError('knotd did not start; its log:\n' + log)
        raise HarnessError('knotd could not bind a port in %d tries' % START_TRIES)

    def wait_ready(self):
        """Until every zone answers its SOA with AA (zones load after the
        server starts), or knotd exits, or READY_TRIES polls pass."""
        pending = [origin for origin, _ in self.zones]
        for _ in range(READY_TRIES):
            if self.proc.poll() is not None:
                return False
            pending = [o for o in pending if not self.soa_ready(o)]
            if not pending:
                return True
            time.sleep(0.1)
        return False

    def soa_ready(self, origin):
        m = dns.message.make_query(origin, 'SOA')
        r = udp_exchange(self.port, m.to_wire(), 0.2)
        if r is None:
            return False
        resp = dns.message.from_wire(r)
        return resp.rcode() == 0 and bool(resp.flags & dns.flags.AA) and len(resp.answer) == 1

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def udp_exchange(port, wire, timeout):
    """One datagram out, the first one back (None when none comes)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((LOOPBACK, port))
        try:
            s.send(wire)
            return s.recv(65535)
        except (socket.timeout, ConnectionRefusedError):
            return None


def recv_exact(s, n):
    buf = b''
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def tcp_exchange(port, wire, timeout):
    with socket.create_connection((LOOPBACK, port), timeout=timeout) as s:
        s.sendall(struct.pack('!H', len(wire)) + wire)
        try:
            head = recv_exact(s, 2)
            return recv_exact(s, struct.unpack('!H', head)[0]) if head else None
        except socket.timeout:
            return None


def kdig_args(q, port):
    o = q.opts
    a = ['kdig', '@' + LOOPBACK, '-p', str(port), '+noidn', '+ignore', '+json', '+qr',
         '+timeout=%d' % KDIG_TIMEOUT, '+retry=0', '-q', q.qname,
         # RFC 3597 names: kdig knows no HS, MAILA or MAILB mnemonic
         '-c', 'CLASS%d' % dns.rdataclass.from_text(q.qclass),
         '-t', 'NOTIFY' if o['opcode'] == 'NOTIFY' else
         'TYPE%d' % dns.rdatatype.from_text(q.qtype),
         '+rec' if o['rd'] else '+norec', '+adflag' if o['ad'] else '+noadflag',
         '+cdflag' if o['cd'] else '+nocdflag']
    if o['edns']:
        a += ['+edns=%d' % o['version'], '+bufsize=%d' % o['size']]
        a += ['+dnssec'] if o['do'] else []
        a += ['+nsid'] if o['nsid'] else []
    else:
        a.append('+noedns')
    if o['tcp']:
        a.append('+tcp')
    return a


def ask_kdig(q, port, kdig):
    """knotd's answer through kdig, and kdig's own query, as normal forms."""
    args = kdig_args(q, port)
    args[0] = kdig
    r = subprocess.run(args, capture_output=True, text=True, timeout=PROC_TIMEOUT)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        raise HarnessError('%s: kdig printed no JSON (exit %d): %s'
                           % (q.qid, r.returncode, r.stderr.strip()))
    if 'queryMessage' not in doc:
        raise HarnessError('%s: kdig JSON without the query: %s' % (q.qid, r.stdout[:200]))
    sent = form_from_json(doc['queryMessage'])
    if 'responseMessage' not in doc:
        return sent, {'response': False}
    return sent, form_from_json(doc['responseMessage'])


def ask_socket(q, port, wire):
    r = (tcp_exchange if q.opts['tcp'] else udp_exchange)(port, wire, SOCKET_TIMEOUT)
    return form_from_wire(r or b'')


def check_same_query(q, kdig_sent, wire):
    """kdig and dnspython must have asked the same question, or the
    comparison would compare nothing."""
    ours = form_from_wire(wire)
    for k in ('opcode', 'aa', 'tc', 'rd', 'ad', 'cd', 'question', 'opt'):
        if kdig_sent.get(k) != ours.get(k):
            raise HarnessError('%s: kdig sent %s=%r, our query has %r'
                               % (q.qid, k, kdig_sent.get(k), ours.get(k)))




# ---------------------------------------------------------------------------
# Our engine, through linerate-zone.

def zone_words(zones):
    return ['%s=%s' % (origin, path) for origin, path in zones]


def server_options():
    return ['--chaos-id', IDENTITY, '--chaos-version', VERSION, '--nsid', NSID]


def run_answer_batch(tool, zones, wires, tcp):
    """Responses to wires from one `linerate-zone answer` process."""
    data = b''.join(struct.pack('!H', len(w)) + w for w in wires)
    args = [tool, 'answer'] + (['--tcp'] if tcp else []) + server_options() + zone_words(zones)
    r = subprocess.run(args, input=data, capture_output=True, timeout=PROC_TIMEOUT * 4)
    if r.returncode != 0:
        raise HarnessError('linerate-zone answer exited %d: %s'
                           % (r.returncode, r.stderr.decode(errors='replace')))
    out, pos = [], 0
    while pos < len(r.stdout):
        if pos + 2 > len(r.stdout):
            raise HarnessError('linerate-zone answer: truncated length prefix')
        n = struct.unpack('!H', r.stdout[pos:pos + 2])[0]
        out.append(r.stdout[pos + 2:pos + 2 + n])
        pos += 2 + n
    if len(out) != len(wires):
        raise HarnessError('linerate-zone answer: %d responses to %d queries'
                           % (len(out), len(wires)))
    return out


def query_words(q):
    """The same query as `linerate-zone query` words."""
    o = q.opts
    words = [q.qname, q.qtype, q.qclass, '+opcode=' + o['opcode'],
             '+rec' if o['rd'] else '+norec']
    words += ['+cd'] if o['cd'] else []
    words += ['+ad'] if o['ad'] else []
    if o['edns']:
        words += ['+edns=%d' % o['size'], '+ednsver=%d' % o['version']]
        words += ['+dnssec'] if o['do'] else []
        words += ['+nsid'] if o['nsid'] else []
    else:
        words.append('+noedns')
    words += ['+tcp'] if o['tcp'] else []
    return words


def run_query_wire(tool, zones, q):
    args = [tool, 'query', '--wire'] + server_options() + zone_words(zones) + ['--'] + \
        query_words(q)
    r = subprocess.run(args, capture_output=True, timeout=PROC_TIMEOUT)
    if r.returncode != 0:
        raise HarnessError('%s: linerate-zone query exited %d: %s'
                           % (q.qid, r.returncode, r.stderr.decode(errors='replace')))
    return r.stdout


def own_checks(q, wire, resp):
    """What our response must do whatever knotd does: echo the ID and the
    question octet for octet (RFC 1035 §4.1.1; letter case, RFC 4343 §4.1)."""
    if not resp:
        return []
    sent, got = question_of(wire), question_of(resp)
    problems = []
    if sent and got and sent[0] != got[0]:
        problems.append('ID %d answered as %d' % (sent[0], got[0]))
    if not resp[2] & 0x80:
        problems.append('QR clear in the response')
    if sent and got and sent[1] and got[1] and sent[1] != got[1]:
        problems.append('question name %r echoed as %r' % (sent[1], got[1]))
    return problems


# ---------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, list):
        return '[' + '; '.join(' '.join(str(x) for x in rr) if isinstance(rr, tuple) else str(rr)
                               for rr in v) + ']'
    return repr(v)


def report(q, diffs):
    print('FAIL %s %s %s %s %s  # %s' % (q.qid, q.qname, q.qtype, q.qclass,
                                         ' '.join(k for k, v in q.opts.items()
                                                  if v not in (None, False)), q.why))
    for field, k, o in diffs:
        if isinstance(k, list) and isinstance(o, list):
            only_k = [x for x in k if x not in o]
            only_o = [x for x in o if x not in k]
            print('    %-11s knotd only: %s' % (field, fmt(only_k)))
            print('    %-11s ours only:  %s' % ('', fmt(only_o)))
        else:
            print('    %-11s knotd %s, ours %s' % (field, fmt(k), fmt(o)))


Ctx = collections.namedtuple('Ctx', 'q knot ours served')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--tool', help='linerate-zone binary')
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    ap.add_argument('--corpus', default=os.path.join(HERE, 'knot_diff_corpus.txt'))
    ap.add_argument('--only', nargs='*', help='query ids to run (debugging)')
    ap.add_argument('--reference', action='store_true',
                    help='compare knotd with itself (kdig vs socket): checks the harness')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directory')
    args = ap.parse_args()

    knotd = shutil.which('knotd') or ('/usr/sbin/knotd' if os.path.exists('/usr/sbin/knotd')
                                      else None)
    kdig = shutil.which('kdig')
    if not knotd or not kdig:
        print('SKIP: %s not installed (Debian packages knot and knot-dnsutils; '
              'tools/setup.sh installs them)' % ('knotd' if not knotd else 'kdig'))
        return 77
    if not args.reference and (not args.tool or not os.access(args.tool, os.X_OK)):
        print('knot_diff: --tool must name the linerate-zone binary', file=sys.stderr)
        return 1

    queries = load_corpus(args.corpus)
    if args.only:
        queries = [q for q in queries if q.qid in args.only]
    zones = [(origin, os.path.abspath(os.path.join(args.zones, fname)))
             for origin, fname in gen_knot_corpus.ZONES]
    served = [dns.name.from_text(origin) for origin, _ in zones]
    wires = [query_wire(q, i + 1) for i, q in enumerate(queries)]

    tmp = tempfile.mkdtemp(prefix='knot_diff.')
    server = Knotd(knotd, tmp, zones)

    # Meson's timeout and ^C arrive as signals: turn them into an exception
    # so the finally below stops knotd.
    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    try:
        server.start()
        print('knot_diff: knotd %d on %s@%d, %d queries'
              % (server.proc.pid, LOOPBACK, server.port, len(queries)))
        knot = []
        for q, wire in zip(queries, wires):
            if uses_kdig(q):
                sent, resp = ask_kdig(q, server.port, kdig)
                check_same_query(q, sent, wire)
                knot.append(resp)
            else:
                knot.append(ask_socket(q, server.port, wire))

        if args.reference:
            ours_wire = [b'' for _ in queries]
            ours = [ask_socket(q, server.port, w) for q, w in zip(queries, wires)]
        else:
            ours_wire = [None] * len(queries)
            for tcp in (False, True):
                idx = [i for i, q in enumerate(queries) if q.opts['tcp'] == tcp]
                for i, r in zip(idx, run_answer_batch(args.tool, zones, [wires[i] for i in idx],
                                                      tcp)):
                    ours_wire[i] = r
            ours = [form_from_wire(r) for r in ours_wire]
    finally:
        server.stop()
        if args.keep:
            print('knot_diff: kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    failures = justified_queries = identical = 0
    by_entry = collections.Counter()
    for i, q in enumerate(queries):
        diffs = differences(knot[i], ours[i])
        problems = [] if args.reference else own_checks(q, wires[i], ours_wire[i])
        done, left = justify(Ctx(q, knot[i], ours[i], served), diffs)
        for entry in done:
            by_entry[entry] += 1
        if problems:
            left.append(('ours', 'echo', '; '.join(problems)))
        if left:
            failures += 1
            report(q, left)
        elif done:
            justified_queries += 1
        else:
            identical += 1

    # `linerate-zone query --wire` must answer as the batch does.
    wire_checked = 0
    if not args.reference:
        for i, q in enumerate(queries):
            if i % WIRE_SAMPLE_EVERY or q.raw is not None:
                continue
            single = form_from_wire(run_query_wire(args.tool, zones, q))
            d = differences(ours[i], single)
            wire_checked += 1
            if d:
                failures += 1
                print('FAIL %s: `linerate-zone query --wire` differs from `answer`' % q.qid)
                for field, a, b in d:
                    print('    %-11s answer %s, query %s' % (field, fmt(a), fmt(b)))

    print('\nknot_diff: %d queries: %d identical, %d with justified differences, %d failed'
          % (len(queries), identical, justified_queries, failures))
    for j in JUSTIFIED:
        if by_entry[j.id]:
            print('  justified %-24s %4d  %s' % (j.id, by_entry[j.id], j.rfc))
    if wire_checked:
        print('  query --wire cross-checked on %d queries' % wire_checked)
    return 1 if failures else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except HarnessError as e:
        print('knot_diff: error: %s' % e, file=sys.stderr)
        sys.exit(1)
