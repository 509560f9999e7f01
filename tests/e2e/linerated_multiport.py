#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""One linerated serves two ports (issue #4): `linerated --config FILE` with
two net_af_packet ports, each on its own veth pair into the client
namespace (tools/netns.sh, lr_netns_up NAME 2):

  lr0  192.0.2.53, 2001:db8::53        the device's MAC; its vdev given in
                                       eal: (linerated must not add it again)
  lr1  198.51.100.53, 2001:db8:1::53   MAC 02:00:00:00:01:53 from the config;
                                       its vdev added by linerated

and one worker (workers: [1]) polling both. Checked:

  * `linerate-ctl status` lists both ports: device, MAC, addresses (the
    link-local one too), queues, link up; the worker lcore;
  * dnspython: a different number of corpus queries to each port, over
    IPv4 and IPv6, each response equal to what `linerate-zone answer`
    gives for the same octets; `linerate-ctl stats` before and after: each
    port's dns_answers grew by exactly what was sent to it, its rx and tx by
    at least that, the per-queue rows add up to the port rows;
  * dig on all four addresses gets the engine's answer records;
  * ping and ping6 on all four; the client's neighbour entries hold each
    port's own MAC (ARP and ND answered per port);
  * the per-port lines linerated prints at SIGTERM.

    linerated_multiport.py --linerated PATH --ctl PATH/linerate-ctl
                           --tool PATH/linerate-zone [--zones DIR]

Exit 0 all good; 1 a difference or failure; 77 not root / no netns.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import NSID, V4, V4_1, V6, V6_1, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_multiport')

import dns.exception  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import gen_knot_corpus  # noqa: E402
import knot_diff  # noqa: E402

ANSWER_WAIT = 2.0
PORT1_MAC = '02:00:00:00:01:53'
# different counts per port, so that answers counted on the wrong port show
SENT = {'lr0': 40, 'lr1': 25}
DIG_QUESTIONS = [('www.example.com.', 'A'), ('alias.example.com.', 'A'),
                 ('deep.name.example.net.', 'TXT')]

CONFIG = '''
eal: [--no-huge, --no-shconf, -m, "256", --no-pci, -l, "0-1",
      --log-level, "lib.eal:warning", --vdev, "net_af_packet0,iface={d0}"]
ports:
  - name: lr0
    device: net_af_packet0,iface={d0}
    ipv4: [{v4}]
    ipv6: ["{v6}"]
  - name: lr1
    device: net_af_packet1,iface={d1}
    mac: "{mac1}"
    ipv4: [{v4_1}]
    ipv6: ["{v6_1}"]
workers: [1]
dns:
  zones:
{zones}
  nsid: {nsid}
control:
  socket: {sock}
'''


def ctl(tool, sock, *cmd):
    r = subprocess.run([tool, '--json', '-s', sock] + list(cmd), capture_output=True,
                       text=True, timeout=10)
    if r.returncode != 0:
        raise AssertionError('linerate-ctl %s: exit %d: %s%s'
                             % (' '.join(cmd), r.returncode, r.stdout, r.stderr))
    return json.loads(r.stdout)


def by_name(rows):
    return {r['name']: r for r in rows}


def check_status(c, st, ns):
    c.check(st.get('worker_lcores') == [1], 'status worker_lcores: %s' % st.get('worker_lcores'))
    ports = by_name(st.get('ports', []))
    c.check(sorted(ports) == ['lr0', 'lr1'], 'status ports: %s' % sorted(ports))
    want = {'lr0': (ns.devs_d[0], ns.daemon_mac(0), V4, V6),
            'lr1': (ns.devs_d[1], PORT1_MAC, V4_1, V6_1)}
    for name, (dev, mac, v4, v6) in want.items():
        p = ports.get(name, {})
        what = 'status port %s: %s' % (name, p)
        c.check(p.get('device') == 'net_af_packet%s,iface=%s' % (name[-1], dev), what)
        c.check(p.get('mac') == mac, '%s: MAC, expected %s' % (what, mac))
        c.check(p.get('ipv4') == [v4], what + ': ipv4')
        v6s = p.get('ipv6', [])
        c.check(v6s[:1] == [v6] and len(v6s) == 2 and v6s[1].startswith('fe80::'),
                what + ': ipv6 and the link-local address')
        c.check(p.get('rx_queues') == 1 and p.get('tx_queues') == 1, what + ': queues')
        c.check(p.get('link') == 'up', what + ': link')


def answered_queries(tool, zones, corpus_path):
    """(label, wire, reference) of plain corpus queries the engine answers,
    as dnspython renders them."""
    out = []
    for i, q in enumerate(knot_diff.load_corpus(corpus_path)):
        if q.opts['tcp'] or q.raw is not None or q.opts['opcode'] != 'QUERY':
            continue
        wire = dns.message.from_wire(knot_diff.query_wire(q, 0x2000 + i)).to_wire()
        out.append(('%s %s %s' % (q.qid, q.qname, q.qtype), wire))
    refs = lr_e2e.reference_answers(tool, zones, [w for _, w in out])
    return [(label, w, r) for (label, w), r in zip(out, refs) if r]


def ask(c, server, items):
    """Each query by dns.query.udp; its response must be the engine's."""
    for label, wire, ref in items:
        try:
            got = dns.query.udp(dns.message.from_wire(wire), server, timeout=ANSWER_WAIT,
                                raise_on_truncation=False)
        except dns.exception.Timeout:
            got = None
        want = dns.message.from_wire(ref)
        c.check(got is not None and got == want and got.id == want.id,
                'dns.query.udp @%s %s: got\n%s\nthe engine says\n%s' % (server, label, got, want))


def counters_grew(c, before, after, sent):
    """Each port's dns_answers grew by exactly what was sent to it."""
    b, a = by_name(before['ports']), by_name(after['ports'])
    for name, n in sent.items():
        d = {k: a[name][k] - b[name][k] for k in ('rx', 'tx', 'dns_answers', 'tx_full')}
        c.check(d['dns_answers'] == n, 'port %s: dns_answers grew by %d, %d queries were sent'
                % (name, d['dns_answers'], n))
        c.check(d['rx'] >= n and d['tx'] >= n and d['tx_full'] == 0,
                'port %s: rx/tx/tx_full grew by %s for %d queries' % (name, d, n))
    c.check(after['dns_answers'] - before['dns_answers'] == sum(sent.values()),
            'total dns_answers grew by %d for %d queries'
            % (after['dns_answers'] - before['dns_answers'], sum(sent.values())))
    for name in sent:
        rows = [q for q in after['queues'] if q['port'] == name]
        for k in ('rx', 'tx', 'dns_answers'):
            c.check(sum(q[k] for q in rows) == a[name][k],
                    'port %s: queue rows %s add up to %d, the port says %d'
                    % (name, k, sum(q[k] for q in rows), a[name][k]))


def dig_checks(c, tool, zones, servers):
    for server in servers:
        for name, qtype in DIG_QUESTIONS:
            ref = lr_e2e.reference_answers(
                tool, zones, [dns.message.make_query(name, qtype).to_wire()])[0]
            want = sorted(rd.to_text() for rrset in dns.message.from_wire(ref).answer
                          for rd in rrset)
            r = subprocess.run(['dig', '+norec', '+tries=1', '+time=2', '+short',
                                '@' + server, name, qtype],
                               capture_output=True, text=True, timeout=10)
            got = sorted(r.stdout.split('\n')[:-1])
            c.check(r.returncode == 0 and want and got == want,
                    'dig @%s %s %s: %s, the engine: %s' % (server, name, qtype, got, want))


def link_checks(c, ns):
    """ping and ping6 each address; the neighbour entries hold the MAC of
    the port that owns the address."""
    macs = [ns.daemon_mac(0), PORT1_MAC]
    for pair, addrs in ((0, (V4, V6)), (1, (V4_1, V6_1))):
        dev = ns.devs_c[pair]
        lr_e2e.sh(['ip', 'neigh', 'flush', 'dev', dev])
        for fam, addr in zip(('-4', '-6'), addrs):
            r = subprocess.run(['ping', fam, '-c', '3', '-i', '0.2', '-W', '1', addr],
                               capture_output=True, text=True, timeout=15)
            c.check(r.returncode == 0 and ' 0% packet loss' in r.stdout,
                    'ping %s %s: %s' % (fam, addr, r.stdout.strip().splitlines()[-2:]))
            neigh = lr_e2e.sh(['ip', fam, 'neigh', 'show', addr, 'dev', dev]).stdout
            c.check(('lladdr ' + macs[pair]) in neigh and 'FAILED' not in neigh,
                    'neighbour entry for %s on %s: %r, the port\'s MAC is %s'
                    % (addr, dev, neigh.strip(), macs[pair]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--tool', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    ap.add_argument('--corpus', default=os.path.join(HERE, 'knot_diff_corpus.txt'))
    a = ap.parse_args()
    zones = [(o, os.path.abspath(os.path.join(a.zones, f))) for o, f in gen_knot_corpus.ZONES]
    items = answered_queries(a.tool, zones, a.corpus)
    if len(items) < sum(SENT.values()):
        log('FAIL: only %d answered corpus queries' % len(items))
        return 1
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-multiport-')
    sock = os.path.join(tmp, 'control.sock')
    try:
        with lr_e2e.environment('lrm', pairs=2) as ns:
            config = CONFIG.format(
                d0=ns.devs_d[0], d1=ns.devs_d[1], v4=V4, v6=V6, v4_1=V4_1, v6_1=V6_1,
                mac1=PORT1_MAC, nsid=NSID, sock=sock,
                zones='\n'.join('    - {origin: %s, file: "%s"}' % z for z in zones))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, zones[0][0],
                                           (V4, V6, V4_1, V6_1))
            try:
                check_status(c, ctl(a.ctl, sock, 'status'), ns)
                before = ctl(a.ctl, sock, 'stats')
                plan = {'lr0': (items[:SENT['lr0']], (V4, V6)),
                        'lr1': (items[SENT['lr0']:sum(SENT.values())], (V4_1, V6_1))}
                sent = {}
                for name, (qs, servers) in plan.items():
                    for server, half in zip(servers, (qs[::2], qs[1::2])):
                        ask(c, server, half)
                    sent[name] = len(qs)
                after = ctl(a.ctl, sock, 'stats')
                log('ports after the queries: %s' % after['ports'])
                counters_grew(c, before, after, sent)
                dig_checks(c, a.tool, zones, (V4, V6, V4_1, V6_1))
                link_checks(c, ns)
                final = by_name(ctl(a.ctl, sock, 'stats')['ports'])
                d.stop()
            finally:
                d.kill()
            # the per-port lines at SIGTERM: at least what the socket said
            for name in ('lr0', 'lr1'):
                m = re.search(r'^linerated: port %s: rx (\d+) tx (\d+) tx_full \d+ dns answers '
                              r'(\d+)' % name, d.stderr(), re.M)
                c.check(m is not None and int(m[3]) >= final[name]['dns_answers'] and
                        int(m[1]) >= final[name]['rx'],
                        'port %s at SIGTERM: %s, the socket said %s'
                        % (name, m and m[0], final[name]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_multiport')


if __name__ == '__main__':
    sys.exit(main())
