#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Storm control in the trap stage end to end (issue #6): linerated with
snmp.storm enabled (500/s and a burst of 100 per source, a worker budget
of 100/s) on a net_af_packet port in a namespace pair.

One source (192.0.2.3, an address added to the client's veth) floods v2c
traps, FLOOD of them at about 3,000 a second, from a bounded loop; during
the flood two quiet senders, net-snmp's snmptrap from 192.0.2.2 and from
2001:db8::2, send QUIET traps each, a few a second. Checked:
  * every quiet trap is in the JSON Lines sink (none shed), the flooder's
    only in part;
  * the counters agree with each other and with the sink: storm.passed =
    the records = traps.v2c; storm.shed_source/shed_global = the drops of
    the same names; passed + shed = the SNMP datagrams the workers saw;
  * both the source's bucket and the budget shed (the flood passes its own
    bucket's rate and the budget);
  * storm.top_shed lists the flooder alone, with every datagram shed;
  * Prometheus says the same (linerate_snmp_storm_shed_total by reason,
    linerate_snmp_storm_source_shed_total for the flooder).

    linerated_storm.py --linerated PATH --ctl PATH/linerate-ctl [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import V4, V6, Checks, log  # noqa: E402
from lr_e2e import ber_int, ber_oid, ber_tlv as ber  # noqa: E402
import linerated_traps as lt  # noqa: E402
from linerated_traps import TEST_OBJ, ctl, notification, read_jsonl, run, tag_of  # noqa: E402

lr_e2e.require_netns('linerated_storm')

FLOODER = '192.0.2.3'
FLOOD = 3000           # datagrams, bounded
FLOOD_PACE = 10        # datagrams between two pauses of FLOOD_PAUSE seconds
FLOOD_PAUSE = 0.003
FLOOD_LIMIT_S = 20     # the flood stops by then whatever it sent
QUIET = 5              # traps per quiet sender
LISTEN = '127.0.0.1:9253'
DELIVERY_WAIT = 10.0

# linerated_traps.py's configuration (its users file too), with a metrics
# endpoint and storm control
STORM = '''  storm:
    enabled: true
    per_source_rate: 500
    per_source_burst: 100
    global_rate: 100
    global_burst: 100
    sources: 1024
metrics:
  listen: "{listen}"
'''





def v2c_trap(request_id, tag):
    """An SNMPv2-Trap (RFC 3416) in a v2c message, community public:
    sysUpTime.0, snmpTrapOID.0 = linkDown, our test object = tag."""
    vbs = b''.join(ber(0x30, o + v) for o, v in (
        (ber_oid('1.3.6.1.2.1.1.3.0'), ber(0x43, b'\x01')),
        (ber_oid('1.3.6.1.6.3.1.1.4.1.0'), ber_oid('1.3.6.1.6.3.1.1.5.3')),
        (ber_oid(TEST_OBJ), ber(0x04, tag.encode()))))
    pdu = ber(0xa7, ber_int(request_id) + ber_int(0) + ber_int(0) + ber(0x30, vbs))
    return ber(0x30, ber_int(1) + ber(0x04, b'public') + pdu)


def flood(sent):
    """FLOOD traps from FLOODER, paced, bounded in count and time."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((FLOODER, 0))
    deadline = time.monotonic() + FLOOD_LIMIT_S
    try:
        for k in range(FLOOD):
            if time.monotonic() > deadline:
                break
            s.sendto(v2c_trap(100000 + k, 'flood-%d' % k), (V4, 162))
            sent[0] += 1
            if k % FLOOD_PACE == FLOOD_PACE - 1:
                time.sleep(FLOOD_PAUSE)
    finally:
        s.close()


def quiet_senders(c, tmp):
    """QUIET snmptrap from each quiet address, alternating; the tags sent."""
    tags = []
    for k in range(QUIET):
        for fam, dst in (('v4', '%s:162' % V4), ('v6', 'udp6:[%s]:162' % V6)):
            tag = 'quiet-%s-%d' % (fam, k)
            rc, out = run(tmp, ['snmptrap', '-m', '', '-v', '2c', '-c', 'public', dst] +
                          notification(tag))
            c.check(rc == 0, '%s: snmptrap exit %d: %s' % (tag, rc, out))
            tags.append(tag)
        time.sleep(0.1)
    return tags


def scrape(ns):
    """The storm families from the daemon's metrics endpoint: {(name, labels): value}."""
    r = subprocess.run(['ip', 'netns', 'exec', ns.d, 'curl', '-sS', '--max-time', '5',
                        'http://%s/metrics' % LISTEN], capture_output=True, text=True, timeout=20)
    out = {}
    for line in r.stdout.splitlines():
        m = re.match(r'^(linerate_snmp_storm_\w+)(\{[^}]*\})? (\d+)$', line)
        if m:
            out[(m.group(1), m.group(2) or '')] = int(m.group(3))
    return out


def stats_checks(c, st, lines, quiet_tags, flood_sent, metrics):
    snmp = st.get('snmp') or {}
    storm = snmp.get('storm') or {}
    drops = snmp.get('drops', {})
    log('storm: %s' % storm)
    tags = [tag_of(o) for o in lines]
    flood_lines = [t for t in tags if t and t.startswith('flood-')]
    for t in quiet_tags:
        c.check(t in tags, '%s: not in the sink (a quiet trap shed?)' % t)
    c.check(0 < len(flood_lines) < flood_sent, 'the flooder: %d of %d traps in the sink'
            % (len(flood_lines), flood_sent))
    c.check(all(t in quiet_tags or t in flood_lines for t in tags), 'unexpected lines: %s'
            % [t for t in tags if t not in quiet_tags and t not in flood_lines][:5])
    shed = storm.get('shed_source', -1) + storm.get('shed_global', -1)
    c.check(storm.get('passed') == len(lines) == snmp.get('traps', {}).get('v2c'),
            'storm.passed %s = sink lines %d = traps.v2c %s'
            % (storm.get('passed'), len(lines), snmp.get('traps', {}).get('v2c')))
    c.check(storm.get('shed') == shed and
            storm.get('shed_source') == drops.get('storm_source') and
            storm.get('shed_global') == drops.get('storm_global'),
            'storm.shed* = drops.storm_*: %s, %s' % (storm, drops))
    c.check(storm.get('shed_source', 0) > 0 and storm.get('shed_global', 0) > 0,
            'both the source bucket and the budget shed: %s' % storm)
    seen = st.get('packets', {}).get('snmp')
    c.check(seen == storm.get('passed', 0) + shed, 'SNMP datagrams seen %s = passed + shed %d'
            % (seen, storm.get('passed', 0) + shed))
    log('sent %d (flood %d + quiet %d), the workers saw %s' % (
        flood_sent + len(quiet_tags), flood_sent, len(quiet_tags), seen))
    top = storm.get('top_shed', [])
    c.check(top == [{'source': FLOODER, 'shed': shed}], 'top_shed: %s (shed %d)' % (top, shed))
    c.check(len(flood_lines) + shed <= flood_sent, 'flood: %d passed + %d shed <= %d sent'
            % (len(flood_lines), shed, flood_sent))
    want = {
        ('linerate_snmp_storm_shed_total', '{reason="source"}'): storm.get('shed_source'),
        ('linerate_snmp_storm_shed_total', '{reason="global"}'): storm.get('shed_global'),
        ('linerate_snmp_storm_passed_total', ''): storm.get('passed'),
        ('linerate_snmp_storm_source_shed_total', '{source="%s"}' % FLOODER): shed,
    }
    for k, v in want.items():
        c.check(metrics.get(k) == v, 'metrics %s%s = %s, stats say %s'
                % (k[0], k[1], metrics.get(k), v))
    c.check(sum(1 for k in metrics if k[0] == 'linerate_snmp_storm_source_shed_total') == 1,
            'one source in the per-source family: %s' % sorted(metrics))


def main():
    a = lt.parse_args(('snmptrap', 'curl'))
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-storm-')
    paths = lt.prepare(tmp)
    try:
        with lr_e2e.environment('lrs') as ns:
            lr_e2e.sh(['ip', 'addr', 'add', FLOODER + '/24', 'dev', ns.dev_c])
            config = lt.config_for(ns, a.zones, paths) + STORM.format(listen=LISTEN)
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                c.check('storm control: 500/s per source' in d.stderr(),
                        'the storm control line at start')
                sent = [0]
                t = threading.Thread(target=flood, args=(sent,))
                t.start()
                time.sleep(0.2)  # the flood under way: the quiet ones go into it
                quiet_tags = quiet_senders(c, tmp)
                t.join(FLOOD_LIMIT_S + 5)
                c.check(not t.is_alive(), 'the flood ended')
                time.sleep(0.5)  # the last datagrams through the worker
                deadline = time.monotonic() + DELIVERY_WAIT
                st = ctl(a.ctl, paths['sock'], 'stats')
                want = (st.get('snmp') or {}).get('storm', {}).get('passed', -1)
                while len(read_jsonl(paths['jsonl'])) < want and time.monotonic() < deadline:
                    time.sleep(0.1)
                lines = read_jsonl(paths['jsonl'])
                stats_checks(c, st, lines, quiet_tags, sent[0], scrape(ns))
                d.stop()
            finally:
                d.kill()
            lr_e2e.sanitizer_clean(c, d.stderr())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_storm')


if __name__ == '__main__':
    sys.exit(main())
