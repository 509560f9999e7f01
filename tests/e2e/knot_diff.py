#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Differential test of the answer engine against knotd (issue #3).

knotd (Debian's knot) serves the zones of tests/data/zones/ on 127.0.0.1 at
a free high port; every query of the corpus (knot_diff_corpus.txt, made by
gen_knot_corpus.py) goes to it through kdig, and to our engine through
`linerate-zone answer` (one process for the whole corpus). Both responses
are compared in rcode, opcode, header flags, the OPT record and each
section as a multiset of records (owner lower-cased, type, class, TTL,
rdata in canonical text; dns_forms.py). A difference fails the test unless
the table JUSTIFIED below lists it with the RFC that backs our behaviour;
some entries check their claim by asking knotd further questions (the next
name of a chain, the same query over TCP, one type of an ANY).

What knotd 3.2 does that shapes the table: ANY is minimal over UDP and TCP
alike (one RRset, the same one we choose, with its additional data); CNAME
and DNAME chains stop at the edge of the zone and after five links; a
truncated referral keeps what fitted; CD is cleared; NOTIFY is answered
only when an ACL allows it (the config below allows 127.0.0.1); REFUSED
and NOTAUTH carry an Extended DNS Error.

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
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rdataclass
import dns.rcode
import dns.rdatatype

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import gen_knot_corpus  # noqa: E402  (the corpus must be what it prints)
from dns_forms import (HarnessError, differences, form_from_wire,  # noqa: E402
                       question_of)
from knotd_peer import (IDENTITY, LOOPBACK, NSID, PROC_TIMEOUT, VERSION,  # noqa: E402
                        Knotd, ask_kdig, ask_socket)

WIRE_SAMPLE_EVERY = 29  # every Nth query is also asked through `query --wire`
EDNS_DEFAULT_SIZE = 1232

# ---------------------------------------------------------------------------
# The corpus.

Query = collections.namedtuple('Query', 'qid line qname qtype qclass options opts why raw')


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
        queries.append(Query(cols[0], n, cols[1], cols[2], cols[3], cols[4], opts, cols[5][2:],
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
# Differences we stand by. Each entry names the fields it may explain and a
# test on the query and both normal forms; it explains a difference only
# when the test holds. Keep the tests narrow: an entry that matched a real
# bug would hide it.

# Our engine follows at most this many CNAME/DNAME links per answer
# (DNS_ANSWER_CHAIN_MAX in dns_answer.h), so an answer holds at most one
# more CNAME than that.
CHAIN_MAX = 8
FOLLOW_MAX = 16  # rounds of follow-up questions to knotd along one chain

# The context a justification looks at: the query, both normal forms, and
# ask(qname, qtype=None, tcp=None), which puts a variant of the query to
# knotd (through kdig) and returns its normal form.
Ctx = collections.namedtuple('Ctx', 'q knot ours ask')


def cname_map(answer):
    """owner → target of every CNAME in an answer (DNAME-synthesised too)."""
    return {rr[0]: dns.name.from_text(rr[4]).to_text().lower()
            for rr in answer if rr[1] == 'CNAME'}


def chain_exit(name, answer, seen):
    """Follow the answer's CNAMEs from name; the name they lead to (adds
    every name passed to seen; stops at a loop)."""
    links = cname_map(answer)
    while name in links and links[name] not in seen:
        name = links[name]
        seen.add(name)
    return name


def knot_chain(ctx):
    """knotd's view of the whole chain: its answer to the query, then its
    answers to each name the chain led to, asked as questions of their own
    (knotd stops at the edge of a zone and after five links; RFC 1034
    §4.3.2 step 3.a restarts at step 1 in any zone the server has). Returns
    (the answer records of every step, the last step's normal form)."""
    answer, final = list(ctx.knot['answer']), ctx.knot
    name = ctx.q.qname.lower()
    seen = {name}
    for _ in range(FOLLOW_MAX):
        nxt = chain_exit(name, final['answer'], seen)
        if nxt == name or any(rr[0] == nxt and rr[1] != 'CNAME' for rr in final['answer']):
            break
        final = ctx.ask(nxt)
        if not final['response']:
            break
        answer += final['answer']
        name = nxt
    return sorted(answer), final


def cnames(answer):
    return sum(1 for rr in answer if rr[1] == 'CNAME')


def is_sub_multiset(a, b):
    return not (collections.Counter(a) - collections.Counter(b))


def chain_continued(ctx):
    answer, final = knot_chain(ctx)
    o = ctx.ours
    return final is not ctx.knot and o['answer'] == answer and \
        o['authority'] == final['authority'] and o['additional'] == final['additional'] and \
        o['rcode'] == final['rcode']


def chain_bound(ctx):
    answer, _ = knot_chain(ctx)
    o = ctx.ours
    # The bound ends the answer after that many CNAMEs, before the name the
    # last one leads to is looked up: no data, SOA or NXDOMAIN for it.
    return cnames(o['answer']) == CHAIN_MAX + 1 and is_sub_multiset(o['answer'], answer) and \
        o['rcode'] == 0 and not o['authority'] and not o['additional']


def tc_emptied(ctx):
    k, o = ctx.knot, ctx.ours
    return k['tc'] and o['tc'] and not (o['answer'] or o['authority'] or o['additional'])


def additional_fill(ctx):
    """Neither side set TC and both had to leave out additional data (knotd
    too, so the size limit is what left it out): each kept a part of what
    knotd sends over TCP, where everything fits."""
    k, o = ctx.knot, ctx.ours
    if k['tc'] or o['tc'] or k['answer'] != o['answer'] or ctx.q.opts['tcp']:
        return False
    full = ctx.ask(ctx.q.qname, tcp=True)['additional']
    return is_sub_multiset(o['additional'], full) and is_sub_multiset(k['additional'], full) \
        and k['additional'] != full and o['additional'] != full


def any_tcp_all(ctx):
    """Over TCP we send every RRset of the name; each must be exactly what
    knotd answers when asked for that type."""
    k, o = ctx.knot, ctx.ours
    if ctx.q.qtype != 'ANY' or not ctx.q.opts['tcp'] or \
            not is_sub_multiset(k['answer'], o['answer']):
        return False
    owner = ctx.q.qname.lower()
    extra = []  # what knotd adds for each type asked alone
    for t in sorted({rr[1] for rr in o['answer']}):
        mine = [rr for rr in o['answer'] if rr[1] == t]
        alone = ctx.ask(ctx.q.qname, qtype=t, tcp=True)
        theirs = [rr for rr in alone['answer'] if rr[1] == t and rr[0] == owner]
        if mine != theirs:
            return False
        extra += alone['additional']
    return all(rr[0] == owner for rr in o['answer']) and \
        all(rr in extra for rr in o['additional'])


def ede_only(ctx):
    k, o = ctx.knot['opt'], ctx.ours['opt']
    return k and o and set(k['options']) - set(o['options']) == {dns.edns.EDE} and \
        set(o['options']) <= set(k['options'])


def cd_copied(ctx):
    return ctx.q.opts['cd'] and ctx.ours['cd'] and not ctx.knot['cd']


def opcode(ctx):
    return ctx.q.opts['opcode']


def notify_aa(ctx):
    return opcode(ctx) == 'NOTIFY' and ctx.ours['aa'] and ctx.ours['rcode'] == 0 and \
        ctx.knot['rcode'] == 0


def not_implemented(ctx):
    return opcode(ctx) not in ('QUERY', 'NOTIFY') and ctx.ours['rcode'] == 4


CHAOS_NAMES = ('id.server.', 'hostname.bind.', 'version.bind.', 'version.server.')


def chaos_name(ctx):
    return ctx.q.qclass == 'CH' and ctx.q.qname.lower() in CHAOS_NAMES


def chaos_aa(ctx):
    return chaos_name(ctx) and ctx.ours['aa'] and ctx.knot['answer'] == ctx.ours['answer']


def raw_hex(ctx):
    return (ctx.q.raw or b'').hex()


def formerr_sent(ctx):
    """knotd drops what it cannot read past the header; we answer FORMERR."""
    o = ctx.ours
    return ctx.q.raw is not None and not ctx.knot['response'] and o['response'] and \
        o['rcode'] == 1 and not (o['question'] or o['answer'] or o['authority'] or
                                 o['additional'])


def formerr_bare(ctx):
    k, o = ctx.knot, ctx.ours
    return k['rcode'] == 1 and o['rcode'] == 1 and not o['question']


def transfer_refused(ctx):
    o = ctx.ours
    return ctx.q.raw is not None and ctx.q.why in ('AXFR over UDP', 'IXFR over UDP') and \
        o['rcode'] == 5 and not o['answer'] and not o['authority']


def qtype0(ctx):
    o = ctx.ours
    return ctx.q.why == 'QTYPE 0' and o['rcode'] == 0 and not o['answer'] and \
        [rr[1] for rr in o['authority']] == ['SOA']


Justified = collections.namedtuple('Justified', 'id fields rfc why when')

# Differences we stand by. Each entry names the fields it may explain and a
# test on the query and both normal forms; it explains a difference only
# when the test holds. The tests are narrow on purpose: an entry that also
# matched a bug would hide it. Order matters only for the report.
JUSTIFIED = [
    Justified('chain-continued', ('answer', 'authority', 'additional', 'rcode'),
              'RFC 1034 §4.3.2 step 3.a; RFC 6672 §3; RFC 6604 §3',
              'knotd stops a CNAME/DNAME chain at the edge of the zone (and after five '
              'links); we go back to step 1 with the new name in every zone we serve. '
              'Checked by asking knotd each later name: ours is its answers put together, '
              'ending with the rcode and authority of the last name.',
              chain_continued),
    Justified('chain-bound', ('answer', 'authority', 'additional', 'rcode'),
              'RFC 1034 §4.3.2 step 3.a (no bound given); issue #3 (bounded)',
              'A chain longer than both servers follow: ours holds the first %d CNAMEs of the '
              'chain knotd shows link by link, and no more.' % (CHAIN_MAX + 1),
              chain_bound),
    Justified('tc-emptied', ('answer', 'authority', 'additional'),
              'RFC 2181 §9; RFC 1035 §4.1.1 (TC)',
              'Both set TC. knotd keeps what fitted; we keep the question and OPT only: a '
              'client must not use a truncated response and asks again over TCP.',
              tc_emptied),
    Justified('additional-fill', ('additional',),
              'RFC 2181 §9',
              'Additional data that does not fit is left out without TC; the two servers pack '
              'different (correct) parts of it into the same size.',
              additional_fill),
    Justified('any-tcp-all', ('answer', 'additional'),
              'RFC 8482 §4',
              'ANY over TCP gets every RRset of the name (RFC 8482 lets responders differ by '
              'transport); knotd answers one. Each RRset, and the additional data it brings, '
              'checked against knotd asked for that type.',
              any_tcp_all),
    Justified('ede', ('opt.options',),
              'RFC 8914 §1',
              'knotd adds an Extended DNS Error option; it is optional and we send none.',
              ede_only),
    Justified('cd-copied', ('cd',),
              'RFC 4035 §3.1.6',
              'CD is copied from the query into the response; knotd clears it.',
              cd_copied),
    Justified('notify-aa', ('aa',),
              'RFC 1996 §3.7; RFC 1035 §4.1.1 (AA)',
              'A NOTIFY for a zone we serve is answered with AA, as the authority for it; the '
              'primary only looks for the response itself.',
              notify_aa),
    Justified('opcode-notimp', ('rcode',),
              'RFC 1035 §4.1.1 (NOTIMP)',
              'UPDATE and the other opcodes we do not implement get NOTIMP; knotd implements '
              'UPDATE and refuses it by policy (NOTAUTH) or format (FORMERR).',
              not_implemented),
    Justified('chaos-aa', ('aa',),
              'RFC 4892 §2; RFC 1035 §4.1.1 (AA)',
              'The CHAOS identity names are the server\'s own data: answered with AA.',
              chaos_aa),
    Justified('formerr-sent', ('response',),
              'RFC 1035 §4.1.1 (FORMERR)',
              'A message with a readable header but an unreadable or repeated question gets a '
              'FORMERR header; knotd sends nothing.',
              formerr_sent),
    Justified('formerr-bare', ('question',),
              'RFC 1035 §4.1.1 (FORMERR); RFC 6891 §7',
              'Both answer FORMERR; ours is the header alone, since the message it answers '
              'could not be read.',
              formerr_bare),
    Justified('transfer-refused', ('rcode',),
              'RFC 5936 §2.2.1, §4.2; RFC 1995 §2',
              'No zone transfer is allowed yet (no transfer policy exists), so AXFR and IXFR '
              'are REFUSED on every transport, as a denied transfer is; knotd, without a '
              'transfer ACL, says NOTIMP to AXFR over UDP and NOTAUTH to IXFR.',
              transfer_refused),
    Justified('qtype-0', ('rcode', 'aa', 'authority'),
              'RFC 6895 §3.1; RFC 2308 §2.2',
              'TYPE 0 is reserved with no rule for answering it; the name has no data of that '
              'type, so NODATA; knotd says NOTIMP.',
              qtype0),
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


def run_answer_batch(tool, zones, wires, tcp, burst=False, options=None):
    """Responses to wires from one `linerate-zone answer` process (with
    options, or the server options knotd is given)."""
    data = b''.join(struct.pack('!H', len(w)) + w for w in wires)
    args = [tool, 'answer'] + (['--tcp'] if tcp else []) + (['--burst'] if burst else []) + \
        (server_options() if options is None else options) + zone_words(zones)
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


def own_checks(wire, resp):
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
                                         q.options if len(q.options) < 60 else 'raw=...', q.why))
    for field, k, o in diffs:
        if isinstance(k, list) and isinstance(o, list):
            only_k = [x for x in k if x not in o]
            only_o = [x for x in o if x not in k]
            print('    %-11s knotd only: %s' % (field, fmt(only_k)))
            print('    %-11s ours only:  %s' % ('', fmt(only_o)))
        elif field == 'rcode':
            print('    %-11s knotd %s, ours %s'
                  % (field, dns.rcode.to_text(k), dns.rcode.to_text(o)))
        else:
            print('    %-11s knotd %s, ours %s' % (field, fmt(k), fmt(o)))


def ask_knotd(queries, wires, port, kdig):
    """knotd's answers: through kdig where it can ask (checking it asked the
    same question as our wire), else through a socket."""
    out = []
    for q, wire in zip(queries, wires):
        if uses_kdig(q):
            sent, resp = ask_kdig(q, port, kdig)
            check_same_query(q, sent, wire)
            out.append(resp)
        else:
            out.append(ask_socket(q, port, wire))
    return out


def ask_ours(tool, zones, queries, wires):
    """Our answers: one `linerate-zone answer` process per transport. The
    UDP queries are asked again through the workers' burst API
    (dns_answer_burst), which must give the same octets; the indices of
    those that differ come back too."""
    out = [None] * len(queries)
    for tcp in (False, True):
        idx = [i for i, q in enumerate(queries) if q.opts['tcp'] == tcp]
        for i, r in zip(idx, run_answer_batch(tool, zones, [wires[i] for i in idx], tcp)):
            out[i] = r
    udp = [i for i, q in enumerate(queries) if not q.opts['tcp']]
    burst = run_answer_batch(tool, zones, [wires[i] for i in udp], False, burst=True)
    return out, [i for i, r in zip(udp, burst) if r != out[i]]


def follow_up(q, port, kdig, cache):
    """ask() for the justifications: the query again with another name,
    type or transport, put to knotd through kdig (cached)."""
    def ask(qname, qtype=None, tcp=None):
        opts = dict(q.opts, tcp=q.opts['tcp'] if tcp is None else tcp)
        variant = q._replace(qname=qname, qtype=qtype or q.qtype, opts=opts, raw=None)
        key = (variant.qname.lower(), variant.qtype, variant.qclass, tuple(sorted(opts.items())))
        if key not in cache:
            cache[key] = ask_kdig(variant, port, kdig)[1]
        return cache[key]
    return ask


def compare(queries, wires, knot, ours, ours_wire, port, kdig):
    """Report every difference no entry justifies; (failures, counters)."""
    failures = 0
    counts = collections.Counter()
    cache = {}
    for i, q in enumerate(queries):
        diffs = differences(knot[i], ours[i])
        ctx = Ctx(q, knot[i], ours[i], follow_up(q, port, kdig, cache))
        done, left = justify(ctx, diffs) if diffs else ({}, [])
        problems = own_checks(wires[i], ours_wire[i]) if ours_wire[i] is not None else []
        if problems:
            left.append(('ours', 'echo', '; '.join(problems)))
        for entry in done:
            counts[entry] += 1
        if left:
            failures += 1
            report(q, left)
        elif done:
            counts['justified'] += 1
        else:
            counts['identical'] += 1
    return failures, counts


def check_query_command(tool, zones, queries, ours):
    """`linerate-zone query --wire` must answer a sample as `answer` did."""
    failures = checked = 0
    for i, q in enumerate(queries):
        if i % WIRE_SAMPLE_EVERY or q.raw is not None:
            continue
        d = differences(ours[i], form_from_wire(run_query_wire(tool, zones, q)))
        checked += 1
        if d:
            failures += 1
            print('FAIL %s: `linerate-zone query --wire` differs from `answer`' % q.qid)
            for field, a, b in d:
                print('    %-11s answer %s, query %s' % (field, fmt(a), fmt(b)))
    return failures, checked


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
        knot = ask_knotd(queries, wires, server.port, kdig)
        burst_differs = []
        if args.reference:
            ours_wire = [None] * len(queries)
            ours = [ask_socket(q, server.port, w) for q, w in zip(queries, wires)]
        else:
            ours_wire, burst_differs = ask_ours(args.tool, zones, queries, wires)
            ours = [form_from_wire(r) for r in ours_wire]
        # Justifications may put follow-up questions to knotd: compare while
        # it runs.
        failures, counts = compare(queries, wires, knot, ours, ours_wire, server.port, kdig)
    finally:
        server.stop()
        if args.keep:
            print('knot_diff: kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for i in burst_differs:
        failures += 1
        print('FAIL %s: dns_answer_burst() answers otherwise than dns_answer()' % queries[i].qid)
    wire_checked = 0
    if not args.reference:
        wire_failures, wire_checked = check_query_command(args.tool, zones, queries, ours)
        failures += wire_failures

    print('\nknot_diff: %d queries: %d identical, %d with justified differences, %d failed'
          % (len(queries), counts['identical'], counts['justified'], failures))
    for j in JUSTIFIED:
        if counts[j.id]:
            print('  justified %-18s %4d  %s' % (j.id, counts[j.id], j.rfc))
    if wire_checked:
        print('  `linerate-zone query --wire` agreed with `answer` on %d queries' % wire_checked)
        print('  dns_answer_burst() agreed with dns_answer() on %d of %d UDP queries'
              % (sum(1 for q in queries if not q.opts['tcp']) - len(burst_differs),
                 sum(1 for q in queries if not q.opts['tcp'])))
    return 1 if failures else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except HarnessError as e:
        print('knot_diff: error: %s' % e, file=sys.stderr)
        sys.exit(1)
