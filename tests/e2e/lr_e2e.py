# SPDX-License-Identifier: BSD-3-Clause
"""Shared harness of the linerated end-to-end tests (linerated_*.py).

Each test makes its own pair of network namespaces with tools/netns.sh
(NAME-d holds the daemon's veth ends, NAME-c the client's: 192.0.2.2 and
2001:db8::2 on the first pair, 198.51.100.2 and 2001:db8:1::2 on a second
one when asked), starts linerated in NAME-d on net_af_packet through
start_daemon() (command line, one port) or start_daemon_config() (a YAML
configuration) -- the only places that know how the daemon is started --
and moves its own process into NAME-c so that every peer it runs (dig,
kdig, dnsperf, dnspython, scapy) talks from the client side. Everything
started is stopped by its PID, and the namespaces are removed, however the
test ends. The daemon's output goes to /tmp/linerated-*.log, removed at
exit when every Checks.finish() passed, kept (and its path printed)
otherwise.

A test exits 77 (meson's skip) only when it is not root or network
namespaces are not available; anything else that keeps it from running is
a failure.
"""

import atexit
import contextlib
import ctypes
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

SKIP = 77
V4, V6 = '192.0.2.53', '2001:db8::53'
CLIENT_V4, CLIENT_V6 = '192.0.2.2', '2001:db8::2'
# the second veth pair's (tools/netns.sh, lr_netns_up NAME 2)
V4_1, V6_1 = '198.51.100.53', '2001:db8:1::53'
CLIENT_V4_1, CLIENT_V6_1 = '198.51.100.2', '2001:db8:1::2'
NSID = 'linerate-e2e'
DAEMON_LIFETIME = 110      # --run-seconds: the daemon ends even if nobody stops it
STOP_TIMEOUT = 15          # seconds for SIGTERM to take effect
READY_TRIES = 60           # readiness probes, 0.25 s apart

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
NETNS_SH = os.path.join(SOURCE_ROOT, 'tools', 'netns.sh')


def log(*args):
    print(*args, flush=True)


# The daemons' logs, and whether every Checks.finish() of this run passed
# (None: none was called, e.g. the test raised).
_logs = []
_passed = [None]


def _logs_at_exit():
    for path in _logs:
        if _passed[0]:
            with contextlib.suppress(OSError):
                os.unlink(path)
        else:
            log('kept for a look: %s' % path)


atexit.register(_logs_at_exit)


def skip(why):
    log('SKIP: %s' % why)
    sys.exit(SKIP)


def require_netns(prog):
    """Exit 77 unless root with working network namespaces and veth."""
    if os.geteuid() != 0:
        skip('%s needs root (it creates network namespaces)' % prog)
    probe = 'lrprobe%d' % (os.getpid() % 100000)
    r = subprocess.run(['ip', 'netns', 'add', probe], capture_output=True, text=True)
    if r.returncode != 0:
        skip('network namespaces unavailable: ip netns add: %s' % r.stderr.strip())
    subprocess.run(['ip', 'netns', 'del', probe], capture_output=True)


def sh(cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError('%s: exit %d: %s' % (' '.join(cmd), r.returncode, r.stderr.strip()))
    return r


class Netns:
    """A namespace pair made by tools/netns.sh, joined by `pairs` veth pairs;
    names short enough that '<name>c0.<vlan>' fits IFNAMSIZ. dev_d/dev_c are
    the first pair's ends; devs_d[i]/devs_c[i] pair i's."""

    def __init__(self, tag, pairs=1):
        self.name = '%s%d' % (tag[:3], os.getpid() % 10000)
        self.d, self.c = self.name + '-d', self.name + '-c'
        self.pairs = pairs
        self.devs_d = ['%sd%d' % (self.name, i) for i in range(pairs)]
        self.devs_c = ['%sc%d' % (self.name, i) for i in range(pairs)]
        self.dev_d, self.dev_c = self.devs_d[0], self.devs_c[0]
        self._orig = None

    def up(self):
        sh(['bash', '-c', '. "$0" && lr_netns_up "$1" "$2"', NETNS_SH, self.name,
            str(self.pairs)])

    def down(self):
        self.leave()
        sh(['bash', '-c', '. "$0" && lr_netns_down "$1"', NETNS_SH, self.name], check=False)

    def in_client(self, *cmd):
        return sh(['ip', 'netns', 'exec', self.c] + list(cmd))

    def enter_client(self):
        """Move this process (single-threaded: do it before any thread) into
        the client namespace; children inherit it."""
        libc = ctypes.CDLL(None, use_errno=True)
        if self._orig is None:
            self._orig = os.open('/proc/self/ns/net', os.O_RDONLY)
        fd = os.open('/run/netns/' + self.c, os.O_RDONLY)
        try:
            if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
                raise OSError(ctypes.get_errno(), 'setns ' + self.c)
        finally:
            os.close(fd)

    def leave(self):
        if self._orig is not None:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.setns(self._orig, 0x40000000)
            os.close(self._orig)
            self._orig = None

    def daemon_mac(self, pair=0):
        return sh(['ip', 'netns', 'exec', self.d, 'cat',
                   '/sys/class/net/%s/address' % self.devs_d[pair]]).stdout.strip()

    def client_mac(self, pair=0):
        return sh(['ip', 'netns', 'exec', self.c, 'cat',
                   '/sys/class/net/%s/address' % self.devs_c[pair]]).stdout.strip()


class L2:
    """Frames in and out of an interface of the current namespace through an
    AF_PACKET socket. The kernel moves a received VLAN tag out of the frame
    (into PACKET_AUXDATA): recv() puts it back, so a frame reads as it was
    on the wire."""

    SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 263, 8, 0x10

    def __init__(self, ifname):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        self.s.setsockopt(self.SOL_PACKET, self.PACKET_AUXDATA, 1)
        self.s.bind((ifname, 0))
        self.s.setblocking(False)

    def send(self, frame):
        self.s.send(bytes(frame))

    def recv_all(self, wait=0.0):
        """Every frame received (not sent) within wait seconds."""
        import select
        out, deadline = [], time.monotonic() + wait
        while True:
            left = max(0.0, deadline - time.monotonic())
            r, _, _ = select.select([self.s], [], [], left)
            if not r:
                return out
            data, anc, _, addr = self.s.recvmsg(65535, socket.CMSG_SPACE(20))
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            for level, typ, val in anc:
                if level == self.SOL_PACKET and typ == self.PACKET_AUXDATA and len(val) >= 20:
                    status = struct.unpack_from('I', val, 0)[0]
                    tci, tpid = struct.unpack_from('HH', val, 16)
                    if status & self.TP_STATUS_VLAN_VALID:
                        data = data[:12] + struct.pack('!HH', tpid or 0x8100, tci) + data[12:]
            out.append(data)

    def wait_for(self, match, wait):
        """The first received frame for which match(frame) holds, or None."""
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for f in self.recv_all(min(left, 0.05)):
                if match(f):
                    return f

    def close(self):
        self.s.close()


class Daemon:
    """A running linerated; stop() returns its counters."""

    def __init__(self, proc, errpath, netns):
        self.proc, self.errpath, self.netns = proc, errpath, netns
        self.stats = None

    @property
    def pid(self):
        return self.proc.pid

    def stderr(self):
        with open(self.errpath, errors='replace') as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def hup(self, expect, timeout=10):
        """SIGHUP; wait until stderr shows a reload line: 'reloaded' (the new
        zones serve) or 'failed' (the old ones keep serving). Returns the
        line."""
        before = self.stderr().count('linerated: zones reloaded') + \
            self.stderr().count('linerated: reload failed')
        os.kill(self.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stderr()
            lines = [ln for ln in text.splitlines()
                     if 'zones reloaded' in ln or 'reload failed' in ln]
            if len(lines) > before:
                line = lines[before]
                if expect not in line:
                    raise AssertionError('after SIGHUP expected "%s", daemon said: %s'
                                         % (expect, line))
                return line
            time.sleep(0.05)
        raise AssertionError('no reload line %ds after SIGHUP; stderr:\n%s'
                             % (timeout, self.stderr()))

    def stop(self):
        """SIGTERM by PID, wait, parse the counters it prints."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(5)
                raise AssertionError('linerated ignored SIGTERM for %ds' % STOP_TIMEOUT)
        self.stats = parse_stats(self.stderr())
        return self.stats

    def kill(self):
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait(5)


def parse_stats(text):
    """The counters linerated prints at SIGTERM: rx, tx, tx_full, answers,
    rcodes and one line per verdict ('linerated:   NAME  COUNT')."""
    st = {}
    m = re.search(r'linerated: rx (\d+) tx (\d+) tx_full (\d+); dns answers (\d+)', text)
    if m:
        st.update(rx=int(m[1]), tx=int(m[2]), tx_full=int(m[3]), answers=int(m[4]))
    m = re.search(r'linerated: fragments reassembled (\d+)', text)
    if m:
        st['reassembled'] = int(m[1])
    for rc in ('NOERROR', 'NXDOMAIN', 'REFUSED'):
        m = re.search(r'\b%s (\d+)' % rc, text)
        if m:
            st[rc] = int(m[1])
    verdicts = {}
    for m in re.finditer(r'^linerated:   (\w+)\s+(\d+)$', text, re.M):
        verdicts[m[1]] = int(m[2])
    st['verdict'] = verdicts
    return st


def start_daemon(netns, linerated, zones, vlan=None, edns_size=None, wait_name=None,
                 pmd='af_packet'):
    """Start linerated in netns.d on its veth end through DPDK's net_<pmd>
    (af_packet or af_xdp), serving V4 and V6 with zones [(origin, path)];
    wait until it answers wait_name SOA (default the first zone's origin)
    from the client side."""
    args = [linerated, '--no-huge', '--no-shconf', '-m', '256', '--no-pci', '-l', '0-1',
            '--vdev=net_%s0,iface=%s' % (pmd, netns.dev_d), '--log-level=lib.eal:warning',
            '--', '--ipv4', V4, '--ipv6', V6, '--nsid', NSID,
            '--run-seconds', str(DAEMON_LIFETIME)]
    if vlan is not None:
        args += ['--vlan', str(vlan)]
    if edns_size is not None:
        args += ['--edns-size', str(edns_size)]
    for origin, path in zones:
        args += ['--zone', '%s=%s' % (origin, path)]
    probe = udp_exchange if vlan is None else \
        (lambda server, wire, wait: tagged_exchange(netns, vlan, wire, wait))
    return _launch(netns, args, [(probe, V4)], wait_name or zones[0][0])


def config_port(netns, prefix):
    """The head of a YAML configuration: EAL (its own file prefix), one
    net_af_packet port lr0 on netns' daemon end serving V4 and V6, one
    worker on lcore 1."""
    return ('eal: [--no-huge, --no-shconf, --file-prefix, %s, -m, "256", --no-pci, -l, "0-1",\n'
            '      --log-level, "lib.eal:warning"]\n'
            'ports:\n'
            '  - {name: lr0, device: "net_af_packet0,iface=%s", ipv4: [%s], ipv6: ["%s"]}\n'
            'workers: [1]\n' % (prefix, netns.dev_d, V4, V6))


def start_daemon_config(netns, linerated, config, wait_name, servers):
    """Start `linerated --config FILE` in netns.d, FILE holding the YAML
    text config; wait until each of servers answers wait_name SOA from the
    client side."""
    with tempfile.NamedTemporaryFile('w', prefix='linerated-', suffix='.yaml',
                                     delete=False) as f:
        f.write(config)
    _logs.append(f.name)
    args = [linerated, '--config', f.name, '--run-seconds', str(DAEMON_LIFETIME)]
    return _launch(netns, args, [(udp_exchange, s) for s in servers], wait_name)


def _launch(netns, args, probes, name):
    """args run in netns.d, output to a log; ready when every probe
    (exchange, server) gets an answer to name SOA."""
    err = tempfile.NamedTemporaryFile(prefix='linerated-', suffix='.log', delete=False)
    _logs.append(err.name)
    # `ip netns exec` execs the program: the PID is linerated's own.
    proc = subprocess.Popen(['ip', 'netns', 'exec', netns.d] + args, stdout=err,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    err.close()
    d = Daemon(proc, err.name, netns)
    query = soa_query(name)
    waiting = list(probes)
    for _ in range(READY_TRIES):
        if not d.alive():
            raise AssertionError('linerated exited %s at start:\n%s'
                                 % (proc.returncode, d.stderr()))
        waiting = [(probe, server) for probe, server in waiting
                   if probe(server, query, 0.25) is None]
        if not waiting:
            return d
        time.sleep(0.25)
    d.kill()
    raise AssertionError('linerated did not answer %s SOA at %s within %.0fs:\n%s'
                         % (name, ', '.join(s for _, s in waiting), READY_TRIES * 0.5,
                            d.stderr()))


def tagged_exchange(netns, vlan, wire, wait):
    """wire as a UDP query to V4 in a frame tagged vlan; the reply's payload."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Dot1Q, Ether
    from scapy.packet import Raw
    l2 = L2(netns.dev_c)
    try:
        l2.send(Ether(src=netns.client_mac(), dst=netns.daemon_mac()) / Dot1Q(vlan=vlan) /
                IP(src=CLIENT_V4, dst=V4) / UDP(sport=5353, dport=53) / Raw(wire))
        f = l2.wait_for(lambda f: UDP in Ether(f) and Ether(f)[UDP].dport == 5353, wait)
        return bytes(Ether(f)[UDP].payload) if f is not None else None
    finally:
        l2.close()


def soa_query(name):
    import dns.message
    return dns.message.make_query(name, 'SOA').to_wire()


def udp_exchange(server, wire, timeout):
    """Send wire to server:53 from the current namespace; the first reply
    with the query's ID (None if none in time)."""
    fam = socket.AF_INET6 if ':' in server else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((server, 53))
        s.send(wire)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            try:
                data = s.recv(65535)
            except (socket.timeout, ConnectionRefusedError):
                return None
            if len(data) >= 2 and len(wire) >= 2 and data[:2] == wire[:2]:
                return data


def reference_answers(tool, zones, wires):
    """What the answer engine itself says to each query (UDP), through
    `linerate-zone answer` with the daemon's server options ('' where it
    sends nothing)."""
    import knot_diff
    return knot_diff.run_answer_batch(tool, zones, wires, False, options=['--nsid', NSID])


@contextlib.contextmanager
def running(netns, linerated, zones, **kw):
    """start_daemon(), and SIGKILL by PID at the end if still alive (a
    test that meant to stop it calls stop() itself)."""
    d = start_daemon(netns, linerated, zones, **kw)
    try:
        yield d
    finally:
        d.kill()


@contextlib.contextmanager
def running_vlan(netns, linerated, zones, vlan):
    """A daemon with --vlan: the readiness probe goes as a tagged frame."""
    d = start_daemon(netns, linerated, zones, vlan=vlan)
    try:
        yield d
    finally:
        d.kill()


@contextlib.contextmanager
def environment(tag, pairs=1):
    """A fresh namespace pair (joined by `pairs` veth pairs) with this
    process inside its client side; always removed at the end."""
    ns = Netns(tag, pairs)
    ns.up()
    try:
        ns.enter_client()
        yield ns
    finally:
        ns.down()


class Checks:
    """Collects failures so one run reports all of them."""

    def __init__(self, quiet=False):
        self.failed, self.passed, self.quiet = [], 0, quiet

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
            if not self.quiet:
                log('FAIL: %s' % what)
        return ok

    def finish(self, name):
        """The exit status; the daemons' logs go at exit if it is 0."""
        log('%s: %d checks passed, %d failed' % (name, self.passed, len(self.failed)))
        _passed[0] = not self.failed and _passed[0] is not False
        return 1 if self.failed else 0


def sanitizer_clean(c, text, who='linerated'):
    """Checks that a daemon's stderr text holds no sanitizer report: a
    sanitizer build says so there (leaks at exit included)."""
    bad = [ln for ln in text.splitlines() if 'runtime error' in ln or 'Sanitizer' in ln]
    return c.check(not bad, 'sanitizer reports from %s: %s' % (who, bad[:5]))


# --- the trap collector's tests (linerated_traps.py, linerated_sinks.py) ---

def trap_test_args(prog):
    """--linerated, --ctl and --zones; skips (77) when net-snmp's senders
    are not installed."""
    import argparse
    import shutil
    ap = argparse.ArgumentParser(prog=prog)
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    for tool in ('snmptrap', 'snmpinform'):
        if not shutil.which(tool):
            skip('%s (Debian snmp) not installed' % tool)
    return a


def net_snmp_run(tmp, args):
    """A net-snmp command with no MIBs and its state in tmp: (exit, output)."""
    env = dict(os.environ, MIBS='', SNMP_PERSISTENT_DIR=tmp, SNMPCONFPATH=tmp)
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30)
    return r.returncode, (r.stdout + r.stderr).strip()


def ctl_json(tool, sock, *cmd):
    """linerate-ctl --json's reply; AssertionError when the command fails."""
    import json
    r = subprocess.run([tool, '--json', '-s', sock, '-t', '20000'] + list(cmd),
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError('linerate-ctl %s: %s%s' % (' '.join(cmd), r.stdout, r.stderr))
    return json.loads(r.stdout)


# linerated on the namespace's port (IPv4 and IPv6), one worker, one zone,
# the control socket; the trap tests add their snmp: section.
DAEMON_YAML = '''
eal: [--no-huge, --no-shconf, -m, "256", --no-pci, -l, "0-1",
      --log-level, "lib.eal:warning", --vdev, "net_af_packet0,iface={dev}"]
ports: [{{name: lr0, device: "net_af_packet0,iface={dev}", ipv4: [{v4}], ipv6: ["{v6}"]}}]
workers: [1]
dns: {{zones: [{{origin: example.com., file: "{zone}"}}]}}
control: {{socket: {sock}}}
'''


def daemon_config(ns, zones_dir, sock, snmp_yaml):
    """The whole configuration: DAEMON_YAML, then snmp_yaml."""
    zone = os.path.abspath(os.path.join(zones_dir, 'example.com.zone'))
    return DAEMON_YAML.format(dev=ns.dev_d, v4=V4, v6=V6, zone=zone, sock=sock) + snmp_yaml


def ber_tlv(tag, body):
    """A BER element (X.690): tag, definite length (short or long form), body."""
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def ber_int(v, tag=0x02):
    """An INTEGER (or an application type of its encoding: 0x41 Counter32,
    0x43 TimeTicks), in the fewest two's-complement octets."""
    return ber_tlv(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), 'big', signed=True))


def ber_oid(text):
    """An OBJECT IDENTIFIER from its dotted form."""
    arcs = [int(a) for a in text.split('.')]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        enc = [a & 0x7f]
        a >>= 7
        while a:
            enc.append(0x80 | (a & 0x7f))
            a >>= 7
        out += bytes(reversed(enc))
    return ber_tlv(0x06, bytes(out))


def snmp_counter(stats, *path):
    """stats (linerate-ctl stats) .snmp.path..., 0 when absent."""
    v = stats.get('snmp') or {}
    for k in path:
        v = v.get(k, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0


def scratch(prefix, names):
    """A new temporary directory and {key: its path/name} for names, a
    list of (key, file name)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    return tmp, {k: os.path.join(tmp, v) for k, v in names}


def read_jsonl(path):
    """The objects of a JSON Lines file ([] while it does not exist)."""
    import json
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []
