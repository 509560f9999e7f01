#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""perf/run.sh dns-vs-peers: linerated against knotd and nsd, side by side on
one veth pair (issue #4, acceptance perf (2)).

One zone (example.com.: HOSTS hosts with A and AAAA, an MX every tenth, a TXT
every hundredth, a wildcard and a delegation) and one query file (hits,
AAAA, MX, TXT, NXDOMAIN, wildcard, referral) serve every server in turn on
the same namespace pair (tools/netns.sh): the server in NAME-d pinned to
core 1, the clients in NAME-c pinned to core 0, over IPv4.

    server      how it owns the server's veth end
    linerated   af_packet: DPDK net_af_packet, no kernel address (it answers ARP)
    linerated   af_xdp:    DPDK net_af_xdp, no kernel address (when the PMD loads)
    knotd       udp:       kernel socket on 192.0.2.53, 1 UDP worker
    knotd       xdp:       knotd's `xdp: listen: IFACE@53` (kernel address for ARP)
    nsd         udp:       kernel socket, 1 server process, rrl-ratelimit: 0

Each server gets, for SECONDS each:
  - dnsperf, unlimited: a socket client on one core (tops out near 140k qps
    here), so the figure is the client's ceiling more than the server's;
  - dnsperf -Q LATENCY_QPS -v: latency percentiles from dnsperf's own
    per-response latencies (dnsperf 2.10 prints no percentiles, -v prints
    every response's latency);
  - kxdpgun (XDP from the client's veth end) at each rate of KXDP_QPS,
    counting the replies it received: past dnsperf's limit.
The answers are checked first (one probe a kind of query, the same verdict
from every server) and dnsperf's rcode counts printed, so that every server
does the same work.

The last lines follow perf/run.sh: "dns-vs-peers ratio: X" (linerated's
best answered qps under kxdpgun, either PMD, any rate and round / the best
peer's) and "dns-vs-peers: N qps" (linerated's best answered qps under
kxdpgun).

Environment (bounds in brackets):
    DNS_VS_PEERS_SECONDS      per run [1..120], default 10
    DNS_VS_PEERS_LATENCY_QPS  dnsperf rate of the latency run [1000..1000000], 50000
    DNS_VS_PEERS_KXDP_QPS     comma-separated kxdpgun rates [1000..10000000],
                              default 250000,2000000 (the second: as fast as it goes)
    DNS_VS_PEERS_HOSTS        hosts in the zone [10..1000000], default 10000
    DNS_VS_PEERS_ROUNDS       rounds over all servers [1..5], default 1; the best counts
    DNS_VS_PEERS_KEEP=1       keep the work directory (under --build) for its logs

    dns_vs_peers.py --build DIR     (root; DIR holds dataplane/linerated/linerated)

Everything started is stopped by its PID and the namespaces removed on any
exit (SIGINT, SIGTERM, SIGHUP, an error); files live in a directory under
DIR, removed at the end; nothing goes to /tmp.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'e2e'))
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import CLIENT_V4, V4  # noqa: E402

NAME = 'dns-vs-peers'
ORIGIN = 'example.com.'
SERVER_CORE, CLIENT_CORE = '1', '0'
READY_TRIES = 80          # readiness probes, 0.25 s apart
STOP_TIMEOUT = 15         # seconds SIGTERM may take
QUERY_LINES = 10000


def env_int(name, default, lo, hi):
    v = int(os.environ.get(name, default))
    if not lo <= v <= hi:
        sys.exit('%s: %s=%d: must be %d..%d' % (NAME, name, v, lo, hi))
    return v


def env_rates():
    text = os.environ.get('DNS_VS_PEERS_KXDP_QPS', '250000,2000000')
    rates = [int(x) for x in text.split(',') if x.strip()]
    if not rates or len(rates) > 5 or any(not 1000 <= r <= 10000000 for r in rates):
        sys.exit('%s: DNS_VS_PEERS_KXDP_QPS=%s: 1 to 5 rates of 1000..10000000' % (NAME, text))
    return rates


def log(*args):
    print(*args, flush=True)


# -- the zone and the queries, one of each for every server -----------------

def write_zone(path, hosts):
    """example.com.: hosts hN with A and AAAA, MX on every tenth, TXT on every
    hundredth, a wildcard (*.wild) and a delegation (child, with glue).
    Returns the number of records."""
    lines = ['$ORIGIN %s' % ORIGIN, '$TTL 3600',
             '@ SOA ns1 hostmaster 1 7200 3600 1209600 300', '@ NS ns1', '@ NS ns2',
             'ns1 A 192.0.2.53', 'ns2 A 192.0.2.54', '@ MX 10 h1', '*.wild A 192.0.2.99',
             '*.wild TXT "wildcard"', 'child NS ns.child', 'ns.child A 192.0.2.153']
    for i in range(hosts):
        lines.append('h%d A 198.51.100.%d' % (i, i % 256))
        lines.append('h%d AAAA 2001:db8::%x:%x' % (i, i >> 16, i & 0xffff))
        if i % 10 == 0:
            lines.append('h%d MX 10 h%d' % (i, (i + 1) % hosts))
        if i % 100 == 0:
            lines.append('h%d TXT "host %d of the dns-vs-peers zone"' % (i, i))
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return len(lines) - 2


# share of the query file, and one line of it
MIX = [
    (55, 'A hit', lambda r, h: 'h%d.%s A' % (r.randrange(h), ORIGIN)),
    (10, 'AAAA hit', lambda r, h: 'h%d.%s AAAA' % (r.randrange(h), ORIGIN)),
    (5, 'MX hit', lambda r, h: 'h%d.%s MX' % (r.randrange(0, h, 10), ORIGIN)),
    (5, 'TXT hit', lambda r, h: 'h%d.%s TXT' % (r.randrange(0, h, 100), ORIGIN)),
    (10, 'NXDOMAIN', lambda r, h: 'nx%d.%s A' % (r.randrange(10 ** 6), ORIGIN)),
    (5, 'wildcard', lambda r, h: 'w%d.wild.%s A' % (r.randrange(10 ** 6), ORIGIN)),
    (5, 'referral', lambda r, h: 'h%d.child.%s A' % (r.randrange(h), ORIGIN)),
    (5, 'NODATA', lambda r, h: 'h%d.%s MX' % (1 + 10 * r.randrange(h // 10), ORIGIN)),
]


def write_queries(path, hosts):
    """QUERY_LINES lines 'NAME. TYPE', shuffled with a fixed seed: both
    dnsperf's format and kxdpgun's (names absolute, no flags: no EDNS)."""
    r = random.Random(4)
    out = []
    for share, _, make in MIX:
        out += [make(r, hosts) for _ in range(QUERY_LINES * share // 100)]
    r.shuffle(out)
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


# one question of each kind: (name, type, rcode, answers, AA)
PROBES = [('h1.' + ORIGIN, 'A', 'NOERROR', 1, True),
          ('h1.' + ORIGIN, 'AAAA', 'NOERROR', 1, True),
          ('h10.' + ORIGIN, 'MX', 'NOERROR', 1, True),
          ('h100.' + ORIGIN, 'TXT', 'NOERROR', 1, True),
          ('nx1.' + ORIGIN, 'A', 'NXDOMAIN', 0, True),
          ('w1.wild.' + ORIGIN, 'A', 'NOERROR', 1, True),
          ('h1.child.' + ORIGIN, 'A', 'NOERROR', 0, False),
          ('h1.' + ORIGIN, 'MX', 'NOERROR', 0, True)]


def check_answers():
    """'' when every probe gets the expected kind of answer, else what differs."""
    import dns.flags
    import dns.message
    import dns.rcode
    bad = []
    for name, qtype, rcode, nans, aa in PROBES:
        q = dns.message.make_query(name, qtype)
        q.flags &= ~dns.flags.RD
        wire = lr_e2e.udp_exchange(V4, q.to_wire(), 1.0)
        if wire is None:
            bad.append('%s %s: no answer' % (name, qtype))
            continue
        r = dns.message.from_wire(wire)
        got = (dns.rcode.to_text(r.rcode()), sum(len(s) for s in r.answer),
               bool(r.flags & dns.flags.AA))
        if got != (rcode, nans, aa):
            bad.append('%s %s: %s %d answers AA=%s, expected %s %d AA=%s'
                       % ((name, qtype) + got + (rcode, nans, aa)))
    return '; '.join(bad)


# -- processes ---------------------------------------------------------------

def descendants(pid):
    """PIDs of pid's children, grandchildren, ... (from /proc)."""
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def alive_not_zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


class Server:
    """A server process started in the server namespace; stop() ends it and
    every process it forked, by PID."""

    def __init__(self, label, args, logpath):
        self.label, self.logpath = label, logpath
        with open(logpath, 'w') as out:
            # its own session: a Ctrl-C reaches us, and we stop it in order
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)

    def log(self):
        with open(self.logpath, errors='replace') as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        kids = descendants(self.proc.pid) if self.alive() else []
        if self.alive():
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        deadline = time.monotonic() + STOP_TIMEOUT
        for k in kids:
            while alive_not_zombie(k) and time.monotonic() < deadline:
                time.sleep(0.05)
            if alive_not_zombie(k):
                os.kill(k, signal.SIGKILL)


def server_end(ns, kernel_address):
    """The server's end of ns's veth: a kernel address (V4, answering ARP)
    or none (a PMD owns it); called from the client namespace."""
    d = ['ip', 'netns', 'exec', ns.d]
    for mode in ('xdp', 'xdpgeneric'):   # knotd leaves its XDP program behind
        lr_e2e.sh(d + ['ip', 'link', 'set', 'dev', ns.dev_d, mode, 'off'], check=False)
    lr_e2e.sh(d + ['ip', 'addr', 'flush', 'dev', ns.dev_d])
    if kernel_address:
        lr_e2e.sh(d + ['sysctl', '-qw', 'net.ipv4.conf.all.arp_ignore=0'])
        lr_e2e.sh(d + ['ip', 'addr', 'add', V4 + '/24', 'dev', ns.dev_d])
    else:
        lr_e2e.sh(d + ['sysctl', '-qw', 'net.ipv4.conf.all.arp_ignore=8'])
    lr_e2e.sh(['ip', 'neigh', 'flush', 'dev', ns.dev_c])


class Bench:
    def __init__(self, build, work):
        self.build, self.work = build, work
        self.seconds = env_int('DNS_VS_PEERS_SECONDS', 10, 1, 120)
        self.lat_qps = env_int('DNS_VS_PEERS_LATENCY_QPS', 50000, 1000, 1000000)
        self.rates = env_rates()
        self.hosts = env_int('DNS_VS_PEERS_HOSTS', 10000, 10, 1000000)
        self.rounds = env_int('DNS_VS_PEERS_ROUNDS', 1, 1, 5)
        self.zone = os.path.join(work, 'example.com.zone')
        self.queries = os.path.join(work, 'queries.txt')
        self.ns = lr_e2e.Netns('dvp')
        self.server = None
        self.rows = []          # (server, mode, client, sent/s, answered/s, lost%, lat)
        self.notes = []
        self.failed = []

    def server_end(self, kernel_address):
        server_end(self.ns, kernel_address)

    def lifetime(self):
        """Seconds a server may need for all its runs, with margin."""
        return self.seconds * (2 + len(self.rates)) + 10 * (3 + len(self.rates)) + 30

    def in_server_ns(self, *cmd):
        return ['ip', 'netns', 'exec', self.ns.d, 'taskset', '-c', SERVER_CORE] + list(cmd)

    def start_linerated(self, pmd):
        binary = os.path.join(self.build, 'dataplane', 'linerated', 'linerated')
        # every thread on core 1: the worker (lcore 1) and the main lcore,
        # which sleeps between control polls
        args = self.in_server_ns(
            binary, '--no-huge', '--no-shconf', '-m', '256', '--no-pci',
            '--lcores', '0@%s,1@%s' % (SERVER_CORE, SERVER_CORE),
            '--vdev=%s0,iface=%s' % (pmd, self.ns.dev_d), '--log-level=lib.eal:warning',
            '--', '--ipv4', V4, '--zone', '%s=%s' % (ORIGIN, self.zone),
            '--run-seconds', str(self.lifetime()))
        return Server('linerated', args, os.path.join(self.work, 'linerated-%s.log' % pmd))

    def start_knotd(self, xdp, rnd):
        d = os.path.join(self.work, '%s-%d' % ('knotd-xdp' if xdp else 'knotd-udp', rnd))
        for sub in ('run', 'db'):
            os.makedirs(os.path.join(d, sub))
        conf = os.path.join(d, 'knot.conf')
        with open(conf, 'w') as f:
            f.write(f'''server:
    rundir: "{d}/run"
    listen: {V4}@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "{d}/db"
log:
  - target: stderr
    any: info
template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: {ORIGIN}
    file: "{self.zone}"
''')
            if xdp:
                f.write('xdp:\n    listen: %s@53\n' % self.ns.dev_d)
        return Server('knotd', self.in_server_ns('knotd', '-c', conf),
                      os.path.join(d, 'knotd.log'))

    def start_nsd(self, rnd):
        d = os.path.join(self.work, 'nsd-%d' % rnd)
        os.makedirs(d)
        conf = os.path.join(d, 'nsd.conf')
        with open(conf, 'w') as f:
            f.write(f'''server:
    ip-address: {V4}
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "{d}"
    database: ""
    pidfile: "{d}/nsd.pid"
    xfrdfile: "{d}/xfrd.state"
    zonelistfile: "{d}/zone.list"
    rrl-ratelimit: 0
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: {ORIGIN}
    zonefile: "{self.zone}"
''')
        return Server('nsd', self.in_server_ns('nsd', '-d', '-c', conf),
                      os.path.join(d, 'nsd.log'))

    def wait_ready(self, srv):
        """'' once the server answers the apex SOA, else why not."""
        wire = lr_e2e.soa_query(ORIGIN)
        for _ in range(READY_TRIES):
            if not srv.alive():
                return 'exited %s at start: %s' % (srv.proc.returncode, last_lines(srv.log()))
            if lr_e2e.udp_exchange(V4, wire, 0.25) is not None:
                return ''
            time.sleep(0.25)
        return 'no answer to %s SOA within %ds: %s' % (ORIGIN, READY_TRIES // 4,
                                                     last_lines(srv.log()))

    # -- the clients (this process is in the client namespace) --------------

    def dnsperf(self, qps=None):
        """(sent/s, answered/s, lost %, latency text, rcodes, sent)."""
        args = ['taskset', '-c', CLIENT_CORE, 'dnsperf', '-s', V4, '-d', self.queries,
                '-l', str(self.seconds), '-t', '1', '-c', '1']
        if qps:
            args += ['-Q', str(qps), '-v']
        out_path = os.path.join(self.work, 'dnsperf.out')
        with open(out_path, 'w') as out:
            r = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=self.seconds + 30)
        lat, stats = [], []
        with open(out_path, errors='replace') as f:
            for line in f:
                if line.startswith('> '):
                    p = line.split()
                    if len(p) == 5 and p[1] not in ('T', 'I'):
                        lat.append(float(p[4]))
                else:
                    stats.append(line)
        os.unlink(out_path)
        text = ''.join(stats)
        vals = {}
        for key, rx in (('sent', r'Queries sent:\s+(\d+)'), ('done', r'Queries completed:\s+(\d+)'),
                        ('lost', r'Queries lost:\s+(\d+)'), ('time', r'Run time \(s\):\s+([\d.]+)'),
                        ('avg', r'Average Latency \(s\):\s+([\d.]+)')):
            m = re.search(rx, text)
            if not m:
                raise RuntimeError('dnsperf (exit %d) printed no "%s":\n%s'
                                   % (r.returncode, key, last_lines(text, 15)))
            vals[key] = float(m[1])
        codes = re.search(r'Response codes:\s+(.*)', text)
        secs = vals['time'] or 1.0
        if lat:
            lat.sort()
            lt = 'p50 %s p90 %s p99 %s' % tuple(us(pct(lat, p)) for p in (50, 90, 99))
        else:
            lt = 'avg %s' % us(vals['avg'])
        return (vals['sent'] / secs, vals['done'] / secs,
                100.0 * vals['lost'] / max(vals['sent'], 1), lt,
                codes[1].strip() if codes else '?', int(vals['sent']))

    def kxdpgun(self, qps, mac):
        """(sent/s, answered/s, lost %, sent) of one kxdpgun run; it leaves its
        XDP program on the client's veth end: removed here."""
        args = ['taskset', '-c', CLIENT_CORE, 'kxdpgun', '-t', str(self.seconds), '-Q', str(qps),
                '-F', CLIENT_CORE, '-I', self.ns.dev_c, '-l', CLIENT_V4, '-R', mac,
                '-i', self.queries, V4]
        # the kernel releases the last run's XDP socket asynchronously: a
        # run right after one may find the queue still busy; try again
        for attempt in range(4):
            try:
                r = subprocess.run(args, capture_output=True, text=True,
                                   stdin=subprocess.DEVNULL, timeout=self.seconds + 30)
            finally:
                lr_e2e.sh(['ip', 'link', 'set', 'dev', self.ns.dev_c, 'xdp', 'off'], check=False)
            if 'resource is busy' not in r.stdout + r.stderr:
                break
            time.sleep(2)
        q = re.search(r'total queries:\s+(\d+) \((\d+) pps\)', r.stdout)
        a = re.search(r'total replies:\s+(\d+) \((\d+) pps\)', r.stdout)
        if r.returncode != 0 or not q or not a:
            raise RuntimeError('kxdpgun exit %d: %s' % (r.returncode,
                                                       last_lines(r.stdout + r.stderr, 8)))
        sent, got = int(q[1]), int(a[1])
        return int(q[2]), int(a[2]), 100.0 * (sent - got) / max(sent, 1), sent

    def server_mac(self):
        """The server's MAC as the client's kernel resolved it (ARP, answered
        by linerated or by the server namespace's kernel)."""
        subprocess.run(['ping', '-c', '1', '-W', '1', V4], capture_output=True, timeout=10)
        out = lr_e2e.sh(['ip', 'neigh', 'show', V4, 'dev', self.ns.dev_c]).stdout
        m = re.search(r'lladdr ([0-9a-f:]{17})', out)
        if not m:
            raise RuntimeError('no ARP entry for %s on %s: %r' % (V4, self.ns.dev_c, out))
        return m[1]

    # -- one server ----------------------------------------------------------

    def run_server(self, name, mode, start, kernel_address, supported=None):
        log('== %s %s' % (name, mode))
        self.server_end(kernel_address)
        srv = self.server = start()
        try:
            why = self.wait_ready(srv)
            if not why and supported:
                why = supported(srv)
            if why:
                self.rows.append((name, mode, 'not run', why))
                return
            bad = check_answers()
            if bad:
                self.failed.append('%s %s answers differ: %s' % (name, mode, bad))
                self.rows.append((name, mode, 'not run', 'answers differ: ' + bad))
                return
            sent_total = 0
            res = self.dnsperf()
            self.rows.append((name, mode, 'dnsperf') + res[:4])
            self.notes.append('%s %s dnsperf rcodes: %s' % (name, mode, res[4]))
            sent_total += res[5]
            res = self.dnsperf(self.lat_qps)
            self.rows.append((name, mode, 'dnsperf -Q %dk' % (self.lat_qps // 1000)) + res[:4])
            sent_total += res[5]
            mac = self.server_mac()
            for q in self.rates:
                k = self.kxdpgun(q, mac)
                # every query answered: the generator's limit, the server's floor
                bound = 'all answered: a floor' if k[2] < 1.0 else ''
                self.rows.append((name, mode, 'kxdpgun -Q %dk' % (q // 1000)) + k[:3] + (bound,))
                sent_total += k[3]
        finally:
            srv.stop()
            self.server = None
        if name == 'linerated':
            st = lr_e2e.parse_stats(srv.log())
            if 'rx' in st:
                self.notes.append('linerated %s counters: rx %d tx %d tx_full %d of %d queries '
                                  'the clients sent (the rest lost before the worker)'
                                  % (mode, st['rx'], st['tx'], st['tx_full'], sent_total))

    def knotd_xdp_supported(self, srv):
        """'' when knotd says it opened XDP on the interface, else its words."""
        for _ in range(READY_TRIES):
            text = srv.log()
            if 'initialized XDP interface' in text:
                return ''
            if not srv.alive():
                break
            time.sleep(0.25)
        said = [ln for ln in srv.log().splitlines() if 'xdp' in ln.lower()]
        return 'not supported: ' + ('; '.join(said[-3:]) or 'knotd never said it opened XDP')

    def run(self):
        nrec = write_zone(self.zone, self.hosts)
        write_queries(self.queries, self.hosts)
        log('%s: zone %s %d records (%d hosts), %d queries (%s), %d s a run, server on '
            'core %s, clients on core %s, IPv4 on one veth pair; load average %.2f'
            % (NAME, ORIGIN, nrec, self.hosts, QUERY_LINES,
               ', '.join('%d%% %s' % (s, k) for s, k, _ in MIX), self.seconds,
               SERVER_CORE, CLIENT_CORE, os.getloadavg()[0]))
        self.ns.up()
        self.ns.enter_client()
        for rnd in range(1, self.rounds + 1):
            # with several rounds, every server meets the machine's changing
            # load several times; the best round counts
            tag = (lambda m: m) if self.rounds == 1 else (lambda m: '%s #%d' % (m, rnd))
            self.run_server('linerated', tag('af_packet'),
                            lambda: self.start_linerated('net_af_packet'), False)
            self.run_server('linerated', tag('af_xdp'),
                            lambda: self.start_linerated('net_af_xdp'), False)
            self.run_server('knotd', tag('udp'), lambda: self.start_knotd(False, rnd), True)
            self.run_server('knotd', tag('xdp'), lambda: self.start_knotd(True, rnd), True,
                            self.knotd_xdp_supported)
            self.run_server('nsd', tag('udp'), lambda: self.start_nsd(rnd), True)
        self.report()

    def cleanup(self):
        if self.server is not None:
            self.server.stop()
        self.ns.down()

    # -- the table -----------------------------------------------------------

    def report(self):
        log('')
        head = ('server', 'mode', 'client', 'sent/s', 'answered/s', 'lost %', 'latency (us)')
        fmt = '%-10s %-12s %-15s %10s %11s %7s  %s'
        log(fmt % head)
        for row in self.rows:
            if row[2] == 'not run':
                log('%-10s %-12s %s' % (row[0], row[1], row[3]))
            else:
                log(fmt % (row[0], row[1], row[2], '%.0f' % row[3], '%.0f' % row[4],
                           '%.2f' % row[5], row[6]))
        for n in self.notes:
            log(n)
        log('load average at the end: %.2f (other work on the machine makes every figure '
            'noisy)' % os.getloadavg()[0])

        def best(client, linerated, mode=''):
            runs = [(r[4], '%s %s' % (r[0], r[1])) for r in self.rows
                    if r[2].startswith(client) and (r[0] == 'linerated') == linerated
                    and r[1].startswith(mode)]
            return max(runs) if runs else None

        lr_d, peer_d = best('dnsperf', True), best('dnsperf', False)
        if lr_d and peer_d:
            log('dnsperf (socket client on one core: the client is the bottleneck, not a server '
                'figure): linerated %.0f qps (%s), best peer %.0f qps (%s), ratio %.2f'
                % (lr_d + peer_d + (lr_d[0] / peer_d[0],)))
        lr_k, peer_k = best('kxdpgun', True), best('kxdpgun', False)
        if not lr_k or not peer_k:
            self.failed.append('no kxdpgun figure for linerated or for any peer')
            return
        log('kxdpgun (answers received per second, best rate): linerated %.0f qps (%s), '
            'best peer %.0f qps (%s)' % (lr_k + peer_k))
        lr_p = best('kxdpgun', True, 'af_packet')
        if lr_p:
            log('kxdpgun, linerated on net_af_packet (the demo\'s PMD): %.0f qps (%s), '
                'ratio %.2f' % (lr_p + (lr_p[0] / peer_k[0],)))
        log('%s ratio: %.2f' % (NAME, lr_k[0] / peer_k[0]))
        log('%s: %.0f qps' % (NAME, lr_k[0]))


def pct(sorted_vals, p):
    """The p-th percentile (nearest rank) of a sorted list."""
    return sorted_vals[min(len(sorted_vals) - 1, max(0, -(-len(sorted_vals) * p // 100) - 1))]


def us(seconds):
    return '%.0f' % (seconds * 1e6)


def last_lines(text, n=3):
    return ' | '.join(text.strip().splitlines()[-n:])


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def run_bench(name, build, keep_var, make):
    """make(build, work) -> a bench, run in a fresh work directory under
    build: bench.run() gives the exit status, bench.cleanup() stops what it
    started however it ends (SIGINT, SIGTERM, SIGHUP, an error); the work
    directory goes at the end unless the environment sets keep_var=1."""
    build = os.path.abspath(build)
    # Ctrl-C even where SIGINT came in ignored (a background job of a script)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    work = tempfile.mkdtemp(prefix=name + '-', dir=build)
    b = None
    try:
        b = make(build, work)
        return b.run()
    except KeyboardInterrupt:
        log('%s: interrupted' % name)
        return 130
    finally:
        if b is not None:
            b.cleanup()
        if os.environ.get(keep_var) == '1':
            log('%s: logs kept in %s' % (name, work))
        else:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', required=True, help='a release build directory')
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('%s: run as root (it creates network namespaces)' % NAME)
    for tool in ('dnsperf', 'kxdpgun', 'knotd', 'nsd', 'taskset'):
        if not shutil.which(tool):
            sys.exit('%s: %s missing: run tools/setup.sh as root' % (NAME, tool))
    benches = []

    def make(build, work):
        benches.append(Bench(build, work))
        return benches[0]

    rc = run_bench(NAME, a.build, 'DNS_VS_PEERS_KEEP', make)
    if rc or not benches:
        return rc
    for f in benches[0].failed:
        log('FAIL: %s' % f)
    return 1 if benches[0].failed else 0


if __name__ == '__main__':
    sys.exit(main())
