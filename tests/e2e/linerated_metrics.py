#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerated's counters through the tools operators run (issue #7):
Prometheus and DPDK telemetry.

linerated --config FILE in the daemon namespace (net_af_packet on the veth
end, as the other e2e tests) with a metrics: listener on 127.0.0.1:9253 of
that namespace (the veth belongs to DPDK, so the kernel socket is on its
loopback; curl runs there through `ip netns exec`) and its own EAL
--file-prefix (beside --no-shconf), so that `dpdk-telemetry.py -f PREFIX`
reaches this instance and no other. Checked:

  * curl GET /metrics: 200, Content-Type text/plain; version=0.0.4,
    Content-Length right; `promtool check metrics` accepts the body, and so
    does the strict parser below (names, labels, escapes, one HELP and TYPE
    per family before its samples, families contiguous, no series twice);
  * 404 elsewhere, 405 for POST, HEAD without a body;
  * dnspython sends a known number of queries (NOERROR, NXDOMAIN, REFUSED,
    over IPv4 and IPv6), each answered with its rcode; then
    linerate_dns_responses_total{rcode} grew by exactly what was sent per
    rcode (the others not at all), linerate_dns_answers_total and the
    classifier's dns verdict by the total; zones, workers, generation, link,
    build info and start time are what they must be;
  * dpdk-telemetry.py lists /linerate/stats, /dns, /packets, /ports and
    /port, and its rcodes, answers and verdicts are the Prometheus ones;
  * the rcodes linerated prints at SIGTERM are those too.

    linerated_metrics.py --linerated PATH [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns.
"""

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import V4, V6, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_metrics')

import dns.exception  # noqa: E402
import dns.message  # noqa: E402
import dns.query  # noqa: E402
import dns.rcode  # noqa: E402

LISTEN = '127.0.0.1:9253'
URL = 'http://%s/metrics' % LISTEN
ZONES = [('example.com.', 'example.com.zone'), ('example.net.', 'example.net.zone'),
         ('sub.example.com.', 'sub.example.com.zone'), ('example.', 'example.zone')]
# (name, type, rcode, how many): different counts, so that a mix-up shows
QUERIES = [('www.example.com.', 'A', 'NOERROR', 24),
           ('mail.example.net.', 'AAAA', 'NOERROR', 6),
           ('nothing-here.example.com.', 'A', 'NXDOMAIN', 17),
           ('www.example.org.', 'A', 'REFUSED', 11)]
TELEMETRY_CMDS = ['/linerate/stats', '/linerate/dns', '/linerate/packets', '/linerate/ports',
                  '/linerate/port']
SETTLE_TRIES = 40         # scrapes 0.1 s apart until the port counters caught up

CONFIG = '''
eal: [--no-huge, --no-shconf, --file-prefix, {prefix}, -m, "256", --no-pci, -l, "0-1",
      --log-level, "lib.eal:warning"]
ports:
  - name: lr0
    device: net_af_packet0,iface={dev}
    ipv4: [{v4}]
    ipv6: ["{v6}"]
workers: [1]
dns:
  zones:
{zones}
control:
  socket: {sock}
metrics:
  listen: "{listen}"
  path: /metrics
'''


# --- a strict reader of the text format 0.0.4 ---

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
VALUE_RE = re.compile(r'^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)'
                      r'|NaN|[+-]Inf)$')
SAMPLE_RE = re.compile(r'^(%s)(?:\{(.*)\})? (\S+)$' % NAME)
LABEL_RE = re.compile(r'(%s)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)' % LABEL)


class FormatError(Exception):
    pass


def unescape(s, quote):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\':
            nxt = s[i + 1:i + 2]
            if nxt not in ('\\', 'n') + (('"',) if quote else ()):
                raise FormatError('bad escape \\%s in %r' % (nxt, s))
            out.append('\n' if nxt == 'n' else nxt)
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def parse_labels(text, line):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL_RE.match(text, pos)
        if not m:
            raise FormatError('bad labels: %r' % line)
        if m[1] in labels:
            raise FormatError('label %s twice: %r' % (m[1], line))
        if m[1].startswith('__'):
            raise FormatError('reserved label name: %r' % line)
        labels[m[1]] = unescape(m[2], True)
        pos = m.end()
        if m[3] == '' and pos != len(text):
            raise FormatError('bad labels: %r' % line)
    return labels


def parse_exposition(text):
    """{(family, ((label, value), ...)): float}, and {family: type}; raises
    FormatError at the first thing the format does not allow."""
    if not text.endswith('\n'):
        raise FormatError('the last line must end with a line feed')
    samples, types, helps, done, current = {}, {}, {}, set(), None

    def enter(name):
        nonlocal current
        if name != current:
            if name in done:
                raise FormatError('family %s is split' % name)
            if current is not None:
                done.add(current)
            current = name

    for line in text[:-1].split('\n'):
        if not line:
            continue
        if line.startswith('#'):
            m = re.match(r'^# (HELP|TYPE) (%s) ?(.*)$' % NAME, line)
            if not m:
                continue  # a plain comment
            kind, name, rest = m[1], m[2], m[3]
            enter(name)
            if kind == 'HELP':
                if name in helps:
                    raise FormatError('second HELP for %s' % name)
                helps[name] = unescape(rest, False)
            else:
                if name in types:
                    raise FormatError('second TYPE for %s' % name)
                if any(f == name for f, _ in samples):
                    raise FormatError('TYPE after samples of %s' % name)
                if rest not in ('counter', 'gauge', 'histogram', 'summary', 'untyped'):
                    raise FormatError('bad type %r' % line)
                types[name] = rest
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            raise FormatError('not a sample: %r' % line)
        name, labels = m[1], parse_labels(m[2] or '', line)
        if not VALUE_RE.match(m[3]):
            raise FormatError('bad value: %r' % line)
        enter(name)
        key = (name, tuple(sorted(labels.items())))
        if key in samples:
            raise FormatError('series twice: %r' % line)
        value = float(m[3])
        if types.get(name) == 'counter' and not (value >= 0 or math.isnan(value)):
            raise FormatError('negative counter: %r' % line)
        samples[key] = value
    return samples, types


def total(samples, family, **want):
    """The sum of family's samples whose labels include want."""
    return sum(v for (f, labels), v in samples.items()
               if f == family and all(dict(labels).get(k) == w for k, w in want.items()))


# --- the daemon side ---

def curl(ns, *args):
    """curl -i in the daemon's namespace: (status, {header: value}, body).
    Bytes, not text: universal newlines would hide the CRLFs."""
    r = subprocess.run(['ip', 'netns', 'exec', ns.d, 'curl', '-sS', '-i', '--max-time', '5']
                       + list(args), capture_output=True, timeout=20)
    if r.returncode != 0:
        raise AssertionError('curl %s: exit %d: %s' % (' '.join(args), r.returncode,
                                                        r.stderr.decode(errors='replace')))
    head, _, body = r.stdout.decode().partition('\r\n\r\n')
    lines = head.split('\r\n')
    status = int(lines[0].split()[1])
    headers = {}
    for h in lines[1:]:
        k, _, v = h.partition(':')
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def scrape(c, ns, promtool, what):
    status, headers, body = curl(ns, URL)
    c.check(status == 200, '%s: GET /metrics: %d' % (what, status))
    c.check(headers.get('content-type') == 'text/plain; version=0.0.4; charset=utf-8',
            '%s: Content-Type %r' % (what, headers.get('content-type')))
    c.check(headers.get('content-length') == str(len(body.encode())),
            '%s: Content-Length %s for %d octets' % (what, headers.get('content-length'),
                                                      len(body.encode())))
    r = subprocess.run([promtool, 'check', 'metrics'], input=body, capture_output=True,
                       text=True, timeout=30)
    c.check(r.returncode == 0, '%s: promtool check metrics: exit %d: %s%s'
            % (what, r.returncode, r.stdout, r.stderr))
    try:
        samples, types = parse_exposition(body)
    except FormatError as e:
        c.check(False, '%s: the strict reader refuses the exposition: %s' % (what, e))
        return {}, {}
    return samples, types


def http_checks(c, ns):
    status, _, _ = curl(ns, 'http://%s/nope' % LISTEN)
    c.check(status == 404, 'GET /nope: %d' % status)
    status, headers, _ = curl(ns, '-X', 'POST', '-d', 'x=1', URL)
    c.check(status == 405 and headers.get('allow') == 'GET, HEAD',
            'POST /metrics: %d, Allow %r' % (status, headers.get('allow')))
    status, headers, body = curl(ns, '-I', URL)
    c.check(status == 200 and body == '' and int(headers.get('content-length', 0)) > 0,
            'HEAD /metrics: %d, %d octets of body, Content-Length %s'
            % (status, len(body), headers.get('content-length')))


def ask_all(c):
    """Each query of QUERIES, alternating IPv4 and IPv6; its rcode checked.
    Returns {rcode name: count}."""
    sent, k = {}, 0
    for name, qtype, rcode, n in QUERIES:
        for _ in range(n):
            server = (V4, V6)[k % 2]
            k += 1
            try:
                r = dns.query.udp(dns.message.make_query(name, qtype), server, timeout=2.0)
                got = dns.rcode.to_text(r.rcode())
            except dns.exception.Timeout:
                got = 'timeout'
            c.check(got == rcode, '%s %s @%s: %s, expected %s' % (name, qtype, server, got,
                                                                    rcode))
        sent[rcode] = sent.get(rcode, 0) + n
    return sent


def value_checks(c, before, after, sent, started):
    nsent = sum(sent.values())
    rcodes = {dict(labels)['rcode'] for f, labels in after
              if f == 'linerate_dns_responses_total'}
    c.check({'NOERROR', 'NXDOMAIN', 'REFUSED', 'SERVFAIL', 'extended'} <= rcodes,
            'rcode label values: %s' % sorted(rcodes))
    for rc in rcodes:
        d = total(after, 'linerate_dns_responses_total', rcode=rc) - \
            total(before, 'linerate_dns_responses_total', rcode=rc)
        c.check(d == sent.get(rc, 0), 'linerate_dns_responses_total{rcode="%s"} grew by %d, '
                '%d such answers were sent' % (rc, d, sent.get(rc, 0)))
    for family, labels, want in (
            ('linerate_dns_answers_total', {'port': 'lr0'}, nsent),
            ('linerate_packets_classified_total', {'verdict': 'dns'}, nsent)):
        d = total(after, family, **labels) - total(before, family, **labels)
        c.check(d == want, '%s%s grew by %d for %d queries' % (family, labels, d, want))
    for family in ('linerate_packets_received_total', 'linerate_packets_sent_total'):
        d = total(after, family, port='lr0') - total(before, family, port='lr0')
        c.check(d >= nsent, '%s{port="lr0"} grew by %d for %d queries' % (family, d, nsent))
    queue = [dict(labels) for f, labels in after if f == 'linerate_packets_received_total']
    c.check(queue == [{'port': 'lr0', 'queue': '0', 'lcore': '1'}],
            'one series per port and worker queue: %s' % queue)
    for family, want in (('linerate_zones_loaded', len(ZONES)), ('linerate_workers', 1),
                         ('linerate_zone_image_generation', 1),
                         ('linerate_tx_full_drops_total', 0)):
        c.check(total(after, family) == want, '%s = %s, expected %s'
                % (family, total(after, family), want))
    c.check(total(after, 'linerate_port_link_up', port='lr0') == 1, 'link up')
    build = [dict(labels) for f, labels in after if f == 'linerate_build_info']
    c.check(len(build) == 1 and build[0].get('version') and
            re.match(r'^\d+\.\d+', build[0].get('dpdk', '')) and
            after[('linerate_build_info', tuple(sorted(build[0].items())))] == 1,
            'linerate_build_info: %s' % build)
    start = total(after, 'process_start_time_seconds')
    c.check(started - 60 <= start <= time.time(),
            'process_start_time_seconds %s, the test started it at %d' % (start, started))
    c.check(total(after, 'linerate_metrics_responses_total', code='200') >= 1,
            'the endpoint counts its own 200s')


# --- DPDK telemetry ---

def telemetry(tool, prefix, cmds):
    """Each command through dpdk-telemetry.py -f prefix: {cmd: reply}, cmd
    as sent (parameters included)."""
    r = subprocess.run([tool, '-f', prefix], input='\n'.join(cmds) + '\n',
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError('dpdk-telemetry.py -f %s: exit %d: %s%s'
                             % (prefix, r.returncode, r.stdout, r.stderr))
    replies = [json.loads(line) for line in r.stdout.splitlines() if line.startswith('{')]
    if len(replies) != len(cmds):
        raise AssertionError('dpdk-telemetry.py: %d replies to %d commands:\n%s'
                             % (len(replies), len(cmds), r.stdout))
    return {cmd: reply.get(cmd.split(',')[0]) for cmd, reply in zip(cmds, replies)}


def telemetry_checks(c, tool, prefix, samples):
    t = telemetry(tool, prefix, ['/', '/linerate/stats', '/linerate/dns', '/linerate/packets',
                                 '/linerate/ports', '/linerate/port,lr0', '/linerate/port,0'])
    listed = t.get('/', [])
    c.check(all(cmd in listed for cmd in TELEMETRY_CMDS),
            'dpdk-telemetry.py lists %s' % [x for x in listed if x.startswith('/linerate')])
    dns_t = t.get('/linerate/dns') or {}
    prom = {dict(labels)['rcode']: v for (f, labels), v in samples.items()
            if f == 'linerate_dns_responses_total'}
    c.check(dns_t and {k: float(v) for k, v in dns_t.items()} == prom,
            '/linerate/dns %s, Prometheus %s' % (dns_t, prom))
    stats = t.get('/linerate/stats') or {}
    c.check(stats.get('dns_answers') == total(samples, 'linerate_dns_answers_total'),
            '/linerate/stats dns_answers %s, Prometheus %s'
            % (stats.get('dns_answers'), total(samples, 'linerate_dns_answers_total')))
    c.check(stats.get('zones') == len(ZONES) and stats.get('workers') == 1 and
            stats.get('generation') == 1, '/linerate/stats: %s' % stats)
    pk = t.get('/linerate/packets') or {}
    c.check(pk.get('dns') == total(samples, 'linerate_packets_classified_total', verdict='dns')
            and pk.get('malformed_dns') == total(samples, 'linerate_packets_dropped_total',
                                                 reason='malformed_dns'),
            '/linerate/packets %s' % pk)
    c.check(t.get('/linerate/ports') == ['lr0'], '/linerate/ports %s' % t.get('/linerate/ports'))
    for cmd in ('/linerate/port,lr0', '/linerate/port,0'):
        port = t.get(cmd) or {}
        c.check(port.get('name') == 'lr0' and port.get('link_up') == 1 and
                port.get('dns_answers') == total(samples, 'linerate_dns_answers_total') and
                port.get('rx', 0) >= total(samples, 'linerate_packets_received_total'),
                '%s: %s' % (cmd, port))
    return dns_t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    promtool = shutil.which('promtool')
    teltool = shutil.which('dpdk-telemetry.py')
    if not promtool or not teltool:
        log('FAIL: promtool (Debian prometheus) and dpdk-telemetry.py (Debian dpdk-dev) are '
            'needed: run tools/setup.sh')
        return 1
    zones = [(o, os.path.abspath(os.path.join(a.zones, f))) for o, f in ZONES]
    prefix = 'lrmetrics%d' % os.getpid()
    rundir = os.path.join('/var/run/dpdk', prefix)
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-metrics-')
    started = int(time.time())
    try:
        with lr_e2e.environment('lrp') as ns:
            config = CONFIG.format(
                prefix=prefix, dev=ns.dev_d, v4=V4, v6=V6, listen=LISTEN,
                sock=os.path.join(tmp, 'control.sock'),
                zones='\n'.join('    - {origin: %s, file: "%s"}' % z for z in zones))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, zones[0][0], (V4, V6))
            try:
                c.check(os.path.exists(os.path.join(rundir, 'dpdk_telemetry.v2')),
                        'the telemetry socket is in %s: %s' % (rundir, os.listdir(rundir)
                                                               if os.path.isdir(rundir) else '-'))
                before, types = scrape(c, ns, promtool, 'before')
                c.check(types.get('linerate_dns_responses_total') == 'counter' and
                        types.get('linerate_zones_loaded') == 'gauge', 'types %s' % types)
                http_checks(c, ns)
                sent = ask_all(c)
                log('sent %s' % sent)
                want = total(before, 'linerate_dns_answers_total') + sum(sent.values())
                for _ in range(SETTLE_TRIES):
                    after, _ = scrape(c, ns, promtool, 'after')
                    if total(after, 'linerate_dns_answers_total') >= want:
                        break
                    time.sleep(0.1)
                value_checks(c, before, after, sent, started)
                dns_t = telemetry_checks(c, teltool, prefix, after)
                st = d.stop()
                for rc in ('NOERROR', 'NXDOMAIN', 'REFUSED'):
                    c.check(st.get(rc) == dns_t.get(rc), '%s at SIGTERM %s, telemetry said %s'
                            % (rc, st.get(rc), dns_t.get(rc)))
            finally:
                d.kill()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(rundir)  # DPDK leaves the empty runtime directory
    c.check(not os.path.exists(rundir), '%s left behind' % rundir)
    return c.finish('linerated_metrics')


if __name__ == '__main__':
    sys.exit(main())
