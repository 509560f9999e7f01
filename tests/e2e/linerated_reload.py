#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Zone reload (SIGHUP) under load loses no query; a broken zone keeps the
old one (issue #4).

linerated serves copies of tests/data/zones/ with a probe record
(reload-probe.example.com. TXT "gen N") added to example.com. From the
client namespace dnsperf sends a fixed query file for LOAD_SECONDS at a
bounded rate, once without reloads (the baseline: what this machine loses
with no reload at all) and once while the zone is rewritten and SIGHUP'd
RELOADS times. The run with reloads must lose no more than the baseline,
which must itself be zero unless the machine is overloaded (reported);
afterwards the last generation's probe is served. Then the zone file is
broken and SIGHUP'd: the daemon says the reload failed, and the previous
answers keep coming.

    linerated_reload.py --linerated PATH [--zones DIR]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import V4, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_reload')

import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rcode  # noqa: E402
import gen_knot_corpus  # noqa: E402

LOAD_SECONDS = 3
RATE = 10000            # queries per second dnsperf may send (-Q)
RELOADS = 3
PROBE = 'reload-probe.example.com.'
QUERIES = ['www.example.com A', 'www.example.com AAAA', 'example.com MX', 'example.com SOA',
           'mail.example.com A', 'nothing.example.com A', 'www.example.net A',
           'reload-probe.example.com TXT', 'alias.example.com A', 'example NS']


def write_zone(src, dst, gen, broken=False):
    with open(src) as f:
        text = f.read()
    text += '\nreload-probe\t60\tTXT\t"gen %d"\n' % gen
    if broken:
        text += 'this line is not a record @@@ (\n'
    tmp = dst + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, dst)  # the daemon never reads half a file


def probe():
    """The probe's TXT text, or the rcode when there is none."""
    q = dns.message.make_query(PROBE, 'TXT')
    r = dns.query.udp(q, V4, timeout=2)
    if r.answer:
        return r.answer[0][0].strings[0].decode()
    return dns.rcode.to_text(r.rcode())


def dnsperf(qfile):
    """One bounded dnsperf run on core 0 (the daemon's worker polls core 1);
    (sent, completed, lost, output)."""
    r = subprocess.run(['taskset', '-c', '0', 'dnsperf', '-s', V4, '-d', qfile,
                        '-l', str(LOAD_SECONDS), '-Q', str(RATE), '-t', '2', '-c', '1'],
                       capture_output=True, text=True, timeout=LOAD_SECONDS + 20)
    out = r.stdout + r.stderr
    sent = re.search(r'Queries sent:\s+(\d+)', out)
    done = re.search(r'Queries completed:\s+(\d+)', out)
    lost = re.search(r'Queries lost:\s+(\d+)', out)
    if r.returncode != 0 or not (sent and done and lost):
        raise RuntimeError('dnsperf exit %d:\n%s' % (r.returncode, out))
    return int(sent[1]), int(done[1]), int(lost[1]), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-reload-')
    try:
        zones = []
        for origin, fname in gen_knot_corpus.ZONES:
            dst = os.path.join(tmp, fname)
            shutil.copy(os.path.join(a.zones, fname), dst)
            zones.append((origin, dst))
        com_src = os.path.join(a.zones, 'example.com.zone')
        com = os.path.join(tmp, 'example.com.zone')
        write_zone(com_src, com, 1)
        qfile = os.path.join(tmp, 'queries.txt')
        with open(qfile, 'w') as f:
            f.write('\n'.join(QUERIES) + '\n')

        with lr_e2e.environment('lrr') as ns:
            with lr_e2e.running(ns, a.linerated, zones) as d:
                c.check(probe() == 'gen 1', 'before any reload the probe says %r' % probe())
                base = dnsperf(qfile)
                log('baseline (no reload): sent %d completed %d lost %d' % base[:3])
                c.check(base[0] >= RATE * LOAD_SECONDS // 2,
                        'baseline dnsperf sent only %d queries' % base[0])

                # reloads while dnsperf runs
                result = {}
                t = threading.Thread(target=lambda: result.update(r=dnsperf(qfile)))
                t.start()
                lines = []
                for gen in range(2, 2 + RELOADS):
                    time.sleep(LOAD_SECONDS / (RELOADS + 1))
                    write_zone(com_src, com, gen)
                    lines.append(d.hup('zones reloaded'))
                t.join(LOAD_SECONDS + 25)
                if not c.check('r' in result, 'dnsperf under reload did not finish'):
                    return c.finish('linerated_reload')
                sent, done, lost, out = result['r']
                log('with %d reloads: sent %d completed %d lost %d; %s'
                    % (RELOADS, sent, done, lost, lines))
                c.check(lost <= base[2], 'reloads under load lost %d queries (baseline %d)'
                        % (lost, base[2]))
                c.check(base[2] == 0, 'dnsperf loses %d queries with no reload at all: the '
                        'machine is overloaded, the comparison above is all that holds'
                        % base[2])
                last = 'gen %d' % (1 + RELOADS)
                c.check(probe() == last, 'after the reloads the probe says %r, not %r'
                        % (probe(), last))

                # a broken zone: the reload fails, the old image keeps serving
                write_zone(com_src, com, 99, broken=True)
                d.hup('reload failed')
                c.check(probe() == last, 'after a broken reload the probe says %r, not %r'
                        % (probe(), last))
                www = dns.query.udp(dns.message.make_query('www.example.com.', 'A'), V4,
                                    timeout=2)
                c.check(www.rcode() == 0 and len(www.answer) == 1,
                        'after a broken reload www.example.com A gives %s' % www)
                st = d.stop()
            log('counters: %s' % st)
            c.check(st.get('tx_full', 0) == 0, 'tx_full %s' % st.get('tx_full'))
            c.check(st['verdict'].get('dns', 0) >= base[0] + sent,
                    'dns verdict %d < %d queries dnsperf sent'
                    % (st['verdict'].get('dns', 0), base[0] + sent))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_reload')


if __name__ == '__main__':
    sys.exit(main())
