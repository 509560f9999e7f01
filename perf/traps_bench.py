#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""perf/run.sh trap-burst and traps-vs-snmptrapd (issue #6, acceptance perf
(2) and (3)): SNMP traps replayed onto one veth pair (tools/netns.sh; never
loopback: replayed frames to 127.0.0.1 are dropped by IP input) into
linerated and into Debian's snmptrapd. The sender is perf/pcap_blast (the
pcap in memory, paced by the clock in batches, through an AF_XDP socket's
TX ring by default), or tcpreplay when it is not built or
TRAPS_BENCH_SENDER=tcpreplay (tcpreplay tops out near 60k pps onto the
veth here). linerated takes the veth end on net_af_xdp by default: with
AF_XDP at both ends no skb reaches an IP stack, and pcap_blast offers
~500k pps from one core where its AF_PACKET ring into net_af_packet
reached ~100k (perf/RESULTS.md).

The pcap: TRAPS SNMPv2-Trap-PDUs (community public, linkDown, a sequence
varbind SEQ_OBJ = SEQ_BASE + i, request-id RID_BASE + i, a short text
varbind; 4-octet INTEGERs so every frame has the same length), addressed
from the client's veth end (192.0.2.2) to 192.0.2.53:162 at the server
end's MAC. The frame's headers are scapy's (its checksums are the
reference); each trap's UDP checksum is recomputed here and checked
against scapy's on the first one. A second pcap holds the same traps as
SNMPv3 authPriv (SHA / AES-128, user benchuser at engine V3_ENGINE, the
same boots and time in every message: a replay, which both receivers
take for unconfirmed traps).

    trap-burst           TRAPS traps in one second (at TRAPS pps) into
                         linerated; then: sent (the sender's count),
                         received (linerated's port rx), accepted, journaled,
                         in the JSON Lines file (distinct sequence numbers),
                         lost, and every drop counter. Last line:
                         "trap-burst: N traps lost".
    traps-vs-snmptrapd   each pcap (v2c, then v3) at each rate of RATES for
                         SECONDS each into linerated, then into snmptrapd
                         (kernel socket on 192.0.2.53, 8 MiB receive buffer,
                         `disableAuthorization yes`, one line a trap in its
                         log file); each one's highest rate with zero loss,
                         and the ratios (linerated / snmptrapd), v2c last.
                         A server that lost traps at two rates in a row is
                         not offered the higher ones. Per rate: the rate
                         the sender reached and its CPU share, and for
                         linerated where any loss went (the af_packet ring:
                         veth rx - port rx; the trap stage's drop counters).

Servers run in NAME-d pinned to core 1 (linerated: its main lcore and worker
lcore, and the journal and sink threads, all on core 1; snmptrapd: its one
process), the sender in NAME-c pinned to core 0 (on a veth the receiving
end's kernel work, af_packet's copy into linerated's ring included, runs
inside the sender's send(), on core 0 too). Counts, not rates, decide: a
server has lost nothing when every trap sent is counted by it.

Environment (bounds in brackets):
    TRAPS_BENCH_TRAPS    traps in the pcap and in the burst [1000..1000000], 100000
    TRAPS_BENCH_RATES    comma-separated pps, up to 12 [100..2000000], default
                         2000,5000,10000,15000,20000,30000,50000,70000,100000,200000,
                         400000,800000
    TRAPS_BENCH_SECONDS  seconds a rate runs (traps = rate x seconds) [1..10], 2
    TRAPS_BENCH_SENDER   pcap_blast (default when built) or tcpreplay
    TRAPS_BENCH_CONTROL_CORE  linerated's main lcore and control threads [0..1], 1
    TRAPS_BENCH_SLOTS    linerated's snmp.record_slots [63..1048576]; default:
                         its own default (the memory that holds a burst)
    TRAPS_BENCH_PMD      linerated's PMD: af_xdp (default) or af_packet
    TRAPS_BENCH_BLAST    pcap_blast's sender: xdp (default), ring (AF_PACKET TX ring)
                         or mmsg (sendmmsg)
    TRAPS_BENCH_RXD      the port's RX descriptors (net_af_xdp's ring) [64..32768], 4096
    TRAPS_BENCH_FRAMES   net_af_packet's framecnt (its kernel ring) [64..262144], 16384
    TRAPS_BENCH_ADD_USERS  burst: add this many SHA-256/AES users through linerate-ctl
                         while the burst runs [0..100000], 0
    TRAPS_BENCH_KEEP=1   keep the work directory (under --build) for its logs

    traps_bench.py --build DIR burst|vs-snmptrapd  (root; DIR a build of linerated)

Everything started is stopped by its PID and the namespaces removed on any
exit; files live in a directory under DIR, removed at the end.
"""

import argparse
import array
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'e2e'))
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from dns_vs_peers import Server, last_lines, run_bench, server_end  # noqa: E402
from lr_e2e import CLIENT_V4, V4  # noqa: E402
from lr_e2e import ber_int, ber_oid, ber_tlv as tlv  # noqa: E402

SERVER_CORE, CLIENT_CORE = '1', '0'
# linerated's main lcore: the control side's threads (drain, journal, file
# sink) inherit its core; its worker lcore is on SERVER_CORE. On core 0
# they starve beside tcpreplay, which spins to keep its pace (12,008 of
# 100,000 dropped for want of a record slot, against 327 on core 1): each
# server gets one core, the generator the other. With pcap_blast (which
# sleeps, never spins) and 8,191 record slots, core 0 still lost more
# (v2c: drops.ring_full 771 of 100,000 at 50k pps, 39,274 of 140,000 at
# 70k, against none at either on core 1): TRAPS_BENCH_CONTROL_CORE=0
# repeats that experiment
CONTROL_CORE = os.environ.get('TRAPS_BENCH_CONTROL_CORE', '1')
SEQ_OBJ = '1.3.6.1.4.1.8072.9999.3.0'
TEXT_OBJ = '1.3.6.1.4.1.8072.9999.1.0'
LINK_DOWN = '1.3.6.1.6.3.1.1.5.3'
SYS_UPTIME, SNMP_TRAP_OID = '1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.1.1.4.1.0'
SEQ_BASE, RID_BASE = 0x10000000, 0x20000000   # 4-octet INTEGERs for any i < 2^28
SPORT = 40162
# steps fine enough around snmptrapd's limit (≈ 5-20k/s here), then
# doubling up to what pcap_blast reaches onto the veth
DEFAULT_RATES = '2000,5000,10000,15000,20000,30000,50000,70000,100000,200000,400000,800000'
LOSSY_STOP = 2     # rates in a row with a loss before a server's higher ones are skipped
VERSIONS = {'v2c': 'v2c', 'v3': 'v3 authPriv SHA/AES-128'}
# the v3 sender (its engine authoritative for its traps); the passwords are
# the benchmark's own, never printed
V3_ENGINE = bytes.fromhex('8000000001020304aa')
V3_USER = b'benchuser'
V3_AUTH_PW, V3_PRIV_PW = 'bench-auth-pass-1', 'bench-priv-pass-2'
V3_BOOTS, V3_TIME = 1, 1000
SETTLE = 1.0       # seconds a count must stay still to be final
SETTLE_MAX = 30.0  # seconds to wait for it at most
READY_TRIES = 80   # readiness probes, 0.25 s apart
# net_af_packet's receive ring, in frames of 2048 octets (the PMD's default
# is 512: 9 ms at 57k pps, less than one scheduler slice of the threads the
# worker shares its core with); snmptrapd's socket buffer, the most the
# host's net.core.rmem_max grants (host sysctls are not ours to change)
PMD_RING_FRAMES = 16384
# the port's RX descriptors (ports[].rx_desc; the daemon's default is 1024):
# on net_af_xdp its socket's receive ring, 20 ms at 200k pps
PORT_RX_DESC = 4096
SNMPTRAPD_RCVBUF = 4194304


def linerated_config(dev, zone, sock, journal, jsonl, users, slots, frames, pmd, rxd):
    """linerated's configuration, as JSON (a YAML flow document): the
    worker on SERVER_CORE, the main lcore and the control side's threads
    on CONTROL_CORE, the trap collector with its journal (1 ms group
    commit) and the file sink; slots: snmp.record_slots, None: the
    default; frames: net_af_packet's framecnt; pmd: af_packet or af_xdp;
    rxd: the port's RX descriptors (net_af_xdp's socket ring)."""
    dev = ('net_af_packet0,iface=%s,framecnt=%d' % (dev, frames) if pmd == 'af_packet'
           else 'net_af_xdp0,iface=%s' % dev)
    snmp = {'enabled': True, 'communities': ['public'], 'users_file': users,
            'journal': {'dir': journal, 'sync_interval_us': 1000},
            'sinks': {'file': {'path': jsonl}}}
    if slots is not None:
        snmp['record_slots'] = slots
    return json.dumps({
        'eal': ['--no-huge', '--no-shconf', '-m', '256', '--no-pci',
                '--lcores', '0@%s,1@%s' % (CONTROL_CORE, SERVER_CORE),
                '--log-level', 'lib.eal:warning', '--vdev', dev],
        'ports': [{'name': 'lr0', 'device': dev, 'ipv4': [V4], 'rx_desc': rxd}],
        'workers': [1],
        'dns': {'zones': [{'origin': 'example.com.', 'file': zone}]},
        'control': {'socket': sock},
        'snmp': snmp,
    }, indent=1) + '\n'


# {user}: the v3 user's createUser line; the [snmp] line last (net-snmp
# reads the lines after it as [snmp] ones too)
SNMPTRAPD_CONFIG = '''disableAuthorization yes
doNotRetainNotificationLogs yes
{user}
[snmp] serverRecvBuf %d
''' % SNMPTRAPD_RCVBUF


def log(*args):
    print(*args, flush=True)


def env_int(name, default, lo, hi):
    v = int(os.environ.get(name, default))
    if not lo <= v <= hi:
        sys.exit('%s=%d: must be %d..%d' % (name, v, lo, hi))
    return v


def env_choice(name, choices):
    """An environment setting among choices, the first by default."""
    v = os.environ.get(name, choices[0])
    if v not in choices:
        raise SystemExit('%s must be one of %s' % (name, ', '.join(choices)))
    return v


def env_rates():
    text = os.environ.get('TRAPS_BENCH_RATES', DEFAULT_RATES)
    rates = [int(x) for x in text.split(',') if x.strip()]
    if not rates or len(rates) > 12 or any(not 100 <= r <= 2000000 for r in rates):
        sys.exit('TRAPS_BENCH_RATES=%s: 1 to 12 rates of 100..2000000' % text)
    return sorted(rates)


# -- the pcap ------------------------------------------------------------------




def trap_pdu(i):
    """The i-th SNMPv2-Trap-PDU (RFC 3416, X.690)."""
    vbs = b''.join(tlv(0x30, ber_oid(o) + v) for o, v in (
        (SYS_UPTIME, ber_int(SEQ_BASE + i, 0x43)),
        (SNMP_TRAP_OID, ber_oid(LINK_DOWN)),
        (SEQ_OBJ, ber_int(SEQ_BASE + i)),
        (TEXT_OBJ, tlv(0x04, b'trap-burst interface 3 down'))))
    return tlv(0xa7, ber_int(RID_BASE + i) + ber_int(0) + ber_int(0) +
               tlv(0x30, vbs))


def v2c_trap(i):
    """The i-th trap as an SNMPv2c message, community public."""
    return tlv(0x30, ber_int(1) + tlv(0x04, b'public') + trap_pdu(i))


def localized_key(password, engine):
    """RFC 3414 A.2.2 (SHA-1): the password stretched to 1 MiB, hashed,
    localised to the engine."""
    pw = password.encode()
    ku = hashlib.sha1((pw * (1048576 // len(pw) + 1))[:1048576]).digest()
    return hashlib.sha1(ku + engine + ku).digest()


class V3Trap:
    """The i-th trap as an SNMPv3 authPriv message (RFC 3412 §6, RFC 3414
    usmHMACSHAAuthProtocol, RFC 3826 AES-128-CFB) from V3_ENGINE, the
    authoritative engine of a trap, at boots/time V3_BOOTS/V3_TIME in every
    message (a replay); the salt is i."""

    def __init__(self):
        self.auth = localized_key(V3_AUTH_PW, V3_ENGINE)
        self.priv = localized_key(V3_PRIV_PW, V3_ENGINE)[:16]

    def __call__(self, i):
        from Cryptodome.Cipher import AES
        salt = struct.pack('>Q', i)
        scoped = tlv(0x30, tlv(0x04, V3_ENGINE) + tlv(0x04, b'') + trap_pdu(i))
        iv = struct.pack('>II', V3_BOOTS, V3_TIME) + salt
        enc = AES.new(self.priv, AES.MODE_CFB, iv=iv, segment_size=128).encrypt(scoped)
        head = ber_int(3) + tlv(0x30, ber_int(RID_BASE + i) + ber_int(65507) +
                                      tlv(0x04, b'\x03') + ber_int(3))

        def message(mac):
            sec = tlv(0x30, tlv(0x04, V3_ENGINE) + ber_int(V3_BOOTS) +
                      ber_int(V3_TIME) + tlv(0x04, V3_USER) + tlv(0x04, mac) +
                      tlv(0x04, salt))
            return tlv(0x30, head + tlv(0x04, sec) + tlv(0x04, enc))

        return message(hmac.new(self.auth, message(b'\0' * 12), hashlib.sha1).digest()[:12])


def udp_checksum(src, dst, udp):
    """RFC 768 over the IPv4 pseudo-header; udp with its checksum zeroed."""
    data = src + dst + struct.pack('!BBH', 0, 17, len(udp)) + udp
    if len(data) % 2:
        data += b'\0'
    s = sum(array.array('H', data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    c = socket.ntohs(~s & 0xffff)   # summed in host order (RFC 1071 §2(B))
    return c or 0xffff


def write_pcap(path, n, src_mac, dst_mac, message):
    """n traps (message(i) the i-th's payload) as Ethernet frames; scapy
    builds the headers once."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import RawPcapWriter
    first = bytes(Ether(src=src_mac, dst=dst_mac) / IP(src=CLIENT_V4, dst=V4, ttl=64) /
                  UDP(sport=SPORT, dport=162) / Raw(message(0)))
    head = first[:14 + 20 + 8]
    src, dst = head[26:30], head[30:34]
    w = RawPcapWriter(path, linktype=1)
    try:
        for i in range(n):
            payload = message(i)
            if len(payload) != len(first) - len(head):
                raise RuntimeError('trap %d is %d octets, not %d' % (i, len(payload),
                                                                   len(first) - len(head)))
            udp = head[34:40] + b'\0\0' + payload
            frame = head[:40] + struct.pack('!H', udp_checksum(src, dst, udp)) + payload
            if i == 0 and frame != first:
                raise RuntimeError('the first frame differs from scapy\'s (checksum?)')
            w.write(frame)
    finally:
        w.close()
    return len(first)


# -- servers -------------------------------------------------------------------

def settled(count):
    """count() once it has not moved for SETTLE seconds (SETTLE_MAX at most)."""
    last, since = count(), time.monotonic()
    deadline = since + SETTLE_MAX
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= SETTLE:
            break
    return last


class Linerated:
    """linerated --config in the server namespace; counts from linerate-ctl."""

    label = 'linerated'

    def __init__(self, bench):
        self.b = bench
        w = bench.work
        self.paths = {k: os.path.join(w, v) for k, v in
                      (('sock', 'control.sock'), ('journal', 'journal'),
                       ('jsonl', 'traps.jsonl'), ('conf', 'linerated.yaml'),
                       ('users', 'users.yaml'))}
        with open(self.paths['users'], 'w') as f:
            f.write(json.dumps({'users': [{
                'name': V3_USER.decode(), 'engine_id': '0x' + V3_ENGINE.hex(),
                'auth': 'sha', 'auth_password': V3_AUTH_PW,
                'priv': 'aes128', 'priv_password': V3_PRIV_PW}]}) + '\n')
        zone = os.path.join(HERE, '..', 'tests', 'data', 'zones', 'example.com.zone')
        with open(self.paths['conf'], 'w') as f:
            f.write(linerated_config(bench.ns.dev_d, os.path.abspath(zone), self.paths['sock'],
                                     self.paths['journal'], self.paths['jsonl'],
                                     self.paths['users'], bench.slots,
                                     bench.frames, bench.pmd, bench.rxd))
        self.ctl_tool = os.path.join(bench.build, 'tools', 'linerate-ctl')
        binary = os.path.join(bench.build, 'dataplane', 'linerated', 'linerated')
        server_end(bench.ns, False)
        # no taskset: the EAL pins its lcores itself
        self.srv = Server('linerated', ['ip', 'netns', 'exec', bench.ns.d] + [
            binary, '--config', self.paths['conf'], '--run-seconds', str(bench.lifetime())],
            os.path.join(w, 'linerated.log'))
        why = ''
        for _ in range(READY_TRIES):
            if not self.srv.alive():
                why = 'exited %s at start: %s' % (self.srv.proc.returncode,
                                                  last_lines(self.srv.log(), 8))
                break
            # ready: answering, and its control socket there (the socket
            # can come a moment after the first answer)
            if (os.path.exists(self.paths['sock']) and
                    lr_e2e.udp_exchange(V4, lr_e2e.soa_query('example.com.'), 0.25) is not None):
                return
            time.sleep(0.25)
        self.srv.stop()
        raise RuntimeError('linerated not ready: %s' % (why or last_lines(self.srv.log(), 8)))

    def stats(self):
        r = subprocess.run([self.ctl_tool, '--json', '-s', self.paths['sock'], 'stats'],
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise RuntimeError('linerate-ctl stats: %s%s' % (r.stdout, r.stderr))
        return json.loads(r.stdout)

    def count(self):
        """Records in the journal (appended since start)."""
        return ((self.stats().get('snmp') or {}).get('journal') or {}).get('appended', 0)

    def snapshot(self):
        return self.stats()

    def lost_where(self, st0, on_veth):
        """Where this rate's traps went missing: the af_packet ring (what
        the veth took in and the port never saw) and the counters that
        moved since st0."""
        st = self.stats()
        rx = lr_port(st, 'rx') - lr_port(st0, 'rx')
        moved = [kv for kv in counter_deltas(st0, st) if kv[1]]
        return '%s ring %d, %s' % (self.b.pmd, max(0, on_veth - rx), ', '.join(
            '%s +%d' % kv for kv in moved) or 'no drop counter moved')

    def verdicts(self):
        st = self.stats()
        return 'linerated: usm %s; drops: %s' % (
            json.dumps((st.get('snmp') or {}).get('usm')), drop_counters(st))

    def jsonl_seqs(self):
        """(lines, distinct SEQ_OBJ values) of the JSON Lines file."""
        lines, seqs = 0, set()
        with open(self.paths['jsonl']) as f:
            for line in f:
                lines += 1
                for vb in json.loads(line).get('varbinds', []):
                    if vb.get('oid') == SEQ_OBJ:
                        seqs.add(vb.get('value'))
        return lines, seqs

    def sink_caught_up(self):
        deadline = time.monotonic() + SETTLE_MAX
        while time.monotonic() < deadline:
            sinks = (self.stats().get('snmp') or {}).get('sinks') or []
            if sinks and all(sk.get('lag_records') == 0 for sk in sinks):
                return True
            time.sleep(0.2)
        return False

    def stop(self):
        self.srv.stop()


class Snmptrapd:
    """Debian's snmptrapd on a kernel socket at V4:162; one log line a trap."""

    label = 'snmptrapd'

    def __init__(self, bench):
        self.b = bench
        # a fresh directory each start: no persistent state carried over
        d = tempfile.mkdtemp(prefix='snmptrapd-', dir=bench.work)
        conf, self.logpath = os.path.join(d, 'snmptrapd.conf'), os.path.join(d, 'traps.log')
        with open(conf, 'w') as f:
            f.write(SNMPTRAPD_CONFIG.format(user='createUser -e 0x%s %s SHA "%s" AES "%s"' % (
                V3_ENGINE.hex(), V3_USER.decode(), V3_AUTH_PW, V3_PRIV_PW)))
        server_end(bench.ns, True)
        env = 'MIBS= SNMP_PERSISTENT_DIR=%s' % d
        self.srv = Server('snmptrapd', bench.in_server_ns(
            'env', *env.split(), 'snmptrapd', '-f', '-n', '-C', '-c', conf, '-Lf', self.logpath,
            '-F', 'TRAP %b %v\n', '-p', os.path.join(d, 'pid'), 'udp:%s:162' % V4),
            os.path.join(d, 'stderr.log'))
        for _ in range(READY_TRIES):
            if not self.srv.alive():
                raise RuntimeError('snmptrapd exited %s: %s' % (self.srv.proc.returncode,
                                                                last_lines(self.srv.log(), 8)))
            if 'NET-SNMP version' in self.text():
                return
            time.sleep(0.25)
        self.srv.stop()
        raise RuntimeError('snmptrapd never said it started: %s' % last_lines(self.text()))

    def text(self):
        try:
            with open(self.logpath, errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def count(self):
        return self.text().count('TRAP ')

    def udp_counters(self):
        snmp = lr_e2e.sh(['ip', 'netns', 'exec', self.b.ns.d, 'cat', '/proc/net/snmp']).stdout
        udp = [ln.split() for ln in snmp.splitlines() if ln.startswith('Udp:')]
        return dict(zip(udp[0][1:], udp[1][1:])) if len(udp) == 2 else {}

    def snapshot(self):
        return int(self.udp_counters().get('RcvbufErrors', 0))

    def lost_where(self, errs0, on_veth):
        return 'RcvbufErrors +%d' % (self.snapshot() - errs0)

    def verdicts(self):
        """What snmptrapd said besides the traps, and the kernel's UDP
        receive-buffer overflows in its namespace (RFC 4113 udpInErrors' kin,
        /proc/net/snmp RcvbufErrors, since the namespace was made)."""
        said = [ln for ln in self.text().splitlines() if not ln.startswith('TRAP ')]
        bufs = self.udp_counters()
        ss = lr_e2e.sh(['ip', 'netns', 'exec', self.b.ns.d, 'ss', '-uanm', 'sport', '= :162'],
                       check=False).stdout
        rb = re.search(r'\brb(\d+)', ss)
        return 'snmptrapd: socket buffer %s octets, RcvbufErrors %s; its log besides traps: %s' % (
            rb[1] if rb else '?', bufs.get('RcvbufErrors', '?'), ' | '.join(said[-4:]))

    def stop(self):
        self.srv.stop()


# -- the bench -------------------------------------------------------------------

class Bench:
    def __init__(self, build, work, mode):
        self.build, self.work, self.mode = build, work, mode
        self.traps = env_int('TRAPS_BENCH_TRAPS', 100000, 1000, 1000000)
        self.rates = env_rates()
        self.seconds = env_int('TRAPS_BENCH_SECONDS', 2, 1, 10)
        self.slots = (env_int('TRAPS_BENCH_SLOTS', 0, 63, 1 << 20)
                      if os.environ.get('TRAPS_BENCH_SLOTS') else None)
        self.frames = env_int('TRAPS_BENCH_FRAMES', PMD_RING_FRAMES, 64, 1 << 18)
        self.pmd = env_choice('TRAPS_BENCH_PMD', ('af_xdp', 'af_packet'))
        self.rxd = env_int('TRAPS_BENCH_RXD', PORT_RX_DESC, 64, 32768)
        self.blast_mode = env_choice('TRAPS_BENCH_BLAST', ('xdp', 'ring', 'mmsg'))
        self.pcaps = {v: os.path.join(work, 'traps-%s.pcap' % v) for v in VERSIONS}
        self.blast = sender(build)
        self.ns = lr_e2e.Netns('tpb')
        self.server = None

    def lifetime(self):
        return 60 + len(self.rates) * (self.seconds + SETTLE_MAX + 5)

    def in_server_ns(self, *cmd):
        return ['ip', 'netns', 'exec', self.ns.d, 'taskset', '-c', SERVER_CORE] + list(cmd)

    def run(self):
        self.setup()
        return self.burst() if self.mode == 'burst' else self.vs()

    def setup(self):
        self.ns.up()
        for v in VERSIONS if self.mode == 'vs-snmptrapd' else ('v2c',):
            t = time.monotonic()
            flen = write_pcap(self.pcaps[v], self.traps, self.ns.client_mac(),
                              self.ns.daemon_mac(), v2c_trap if v == 'v2c' else V3Trap())
            log('pcap: %d %s traps of %d octets a frame (%.1f s to write); load average %.2f'
                % (self.traps, VERSIONS[v], flen, time.monotonic() - t, os.getloadavg()[0]))
        self.ns.enter_client()

    def replay(self, pps, count, version='v2c'):
        """count frames of version's pcap (cycled) at pps from the client's
        end: (sent, pps reached, what the sender says of itself)."""
        if self.blast is None:
            return self.tcpreplay(pps, count, version) + ('tcpreplay',)
        secs = min(60, -(-count // pps) * 3 + 2)
        args = ['taskset', '-c', CLIENT_CORE, self.blast, '-i', self.ns.dev_c, '-r',
                self.pcaps[version], '-p', str(pps), '-n', str(count), '-t', str(secs),
                '-m', self.blast_mode]
        r = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           timeout=secs + 30)
        out = r.stdout + r.stderr
        m = re.search(r'sent (\d+) frames in ([\d.]+) s: (\d+) pps .*, (\d+) failed, '
                      r'([\d.]+) CPU s \((\d+)% of a core\)', out)
        if not m:
            raise RuntimeError('pcap_blast exit %d: %s' % (r.returncode, last_lines(out, 8)))
        return int(m[1]), float(m[3]), 'pcap_blast %s%% of core %s%s' % (
            m[6], CLIENT_CORE, '' if r.returncode == 0 else ', stopped at its time limit')

    def tcpreplay(self, pps, count, version):
        """tcpreplay count frames of version's pcap at pps: (sent, actual pps)."""
        loops = -(-count // self.traps)
        args = ['taskset', '-c', CLIENT_CORE, 'tcpreplay', '-q', '-i', self.ns.dev_c,
                '--pps=%d' % pps, '--loop=%d' % loops, '--limit=%d' % count, self.pcaps[version]]
        r = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           timeout=count / pps * 3 + 60)
        out = r.stdout + r.stderr
        sent = re.search(r'Actual: (\d+) packets .* sent in ([\d.]+) seconds', out)
        failed = re.search(r'Failed packets:\s+(\d+)', out)
        if r.returncode != 0 or not sent:
            raise RuntimeError('tcpreplay exit %d: %s' % (r.returncode, last_lines(out, 8)))
        n, secs = int(sent[1]), float(sent[2])
        if failed and int(failed[1]):
            n -= int(failed[1])
        return n, n / secs if secs > 0 else 0.0

    def veth_rx(self):
        """Frames the server's veth end received (the kernel's count)."""
        return int(lr_e2e.sh(['ip', 'netns', 'exec', self.ns.d, 'cat', '/sys/class/net/%s/'
                              'statistics/rx_packets' % self.ns.dev_d]).stdout)

    def start(self, kind):
        self.server = kind(self)
        return self.server

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def cleanup(self):
        self.stop()
        self.ns.down()

    # -- trap-burst --------------------------------------------------------------

    def add_users(self, lr):
        """TRAPS_BENCH_ADD_USERS=N: N SHA-256/AES-128 users added through
        linerate-ctl (usm user add --file, batches of 200) while the burst
        runs: issue #7's "adding 10,000 users must not disturb trap
        processing". The running linerate-ctl, or None."""
        n = env_int('TRAPS_BENCH_ADD_USERS', 0, 0, 100000)
        if not n:
            return None
        path = os.path.join(self.work, 'added-users.json')
        with open(path, 'w') as f:
            f.write(json.dumps({'users': [{
                'name': 'bench%05d' % i, 'auth': 'sha256', 'auth_password': 'bench-a-%05d' % i,
                'priv': 'aes128', 'priv_password': 'bench-p-%05d' % i} for i in range(n)]}))
        log('adding %d users through linerate-ctl during the burst' % n)
        return subprocess.Popen([lr.ctl_tool, '-s', lr.paths['sock'], '-t', '600000', 'usm', 'user',
                                 'add', '--file', path, '--batch', '200'],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def burst(self):
        lr = self.start(Linerated)
        st0, veth0 = lr.stats(), self.veth_rx()
        t0 = time.monotonic()
        adder = self.add_users(lr)
        # with users being added, a burst as long as the adding: the
        # traps at 100k/s (TRAPS_BENCH_TRAPS / 100k seconds), not in one
        sent, pps, how = self.replay(min(self.traps, 100000) if adder else self.traps,
                                     self.traps)
        if adder:
            busy = adder.poll() is None
            out, _ = adder.communicate(timeout=900)
            usm0, usm = st0.get('usm') or {}, lr.stats().get('usm') or {}
            log('users: linerate-ctl exit %d after %.1f s (%s when the burst ended): %s; '
                'usm.hashes +%d, usm.tables +%d (users tables published to the workers)'
                % (adder.returncode, time.monotonic() - t0,
                   'still adding' if busy else 'already done', last_lines(out, 2),
                   usm.get('hashes', 0) - usm0.get('hashes', 0),
                   usm.get('tables', 0) - usm0.get('tables', 0)))
        journaled = settled(lr.count) - lr_snmp(st0, 'journal', 'appended')
        caught_up = lr.sink_caught_up()
        st, on_veth = lr.stats(), self.veth_rx() - veth0
        self.stop()
        lines, seqs = lr.jsonl_seqs()
        ours = {SEQ_BASE + i for i in range(self.traps)}
        port = (st.get('ports') or [{}])[0]
        snmp = st.get('snmp') or {}
        received = port.get('rx', 0) - ((st0.get('ports') or [{}])[0]).get('rx', 0)
        accepted = sum((snmp.get('traps') or {}).values())
        lost = sent - len(seqs & ours)
        log('trap-burst: sent %d in one burst (%s: %.0f pps), on the server\'s veth %d, '
            'received %d (port rx), accepted %d, journaled %d, JSON lines %d (%d distinct '
            'traps of the pcap)%s'
            % (sent, how, pps, on_veth, received, accepted, journaled, lines, len(seqs & ours),
               '' if caught_up else '; the file sink had NOT caught up'))
        log('snmp.record_slots: %s; %s; sender pcap_blast -m %s'
            % (self.slots or 'the default',
               'net_af_packet framecnt %d' % self.frames if self.pmd == 'af_packet'
               else 'net_af_xdp, %d RX descriptors' % self.rxd, self.blast_mode))
        log('drops: %s ring (veth rx - port rx; net_af_packet in DPDK 22.11 does '
            'not count them, net_af_xdp as port.nic_rx_missed) %d, %s'
            % (self.pmd, max(0, on_veth - received), drop_counters(st)))
        log('load average at the end: %.2f (a shared 2-core machine: every figure is noisy)'
            % os.getloadavg()[0])
        if pps < 0.9 * self.traps:
            log('note: the sender reached %.0f pps, not %d: the burst took %.2f s'
                % (pps, self.traps, sent / pps if pps else 0))
        log('trap-burst: %d traps lost' % lost)
        return 0

    # -- traps-vs-snmptrapd -------------------------------------------------------

    def vs(self):
        ratio = {}
        for version in VERSIONS:
            ratio[version] = self.vs_version(version)
        log('load average at the end: %.2f (a shared 2-core machine: every figure is noisy)'
            % os.getloadavg()[0])
        if ratio['v3'][1]:
            log('traps-vs-snmptrapd v3 ratio: %.2f' % (ratio['v3'][0] / ratio['v3'][1]))
        lr, peer = ratio['v2c']
        if peer:
            log('traps-vs-snmptrapd ratio: %.2f' % (lr / peer))
        log('traps-vs-snmptrapd: %.0f traps/s' % lr)
        return 0

    def vs_version(self, version):
        """Each server at each rate: (linerated's, snmptrapd's highest pps
        with zero loss)."""
        best, rows = {}, []
        for kind in (Linerated, Snmptrapd):
            srv = self.start(kind)
            lossy = 0
            try:
                for rate in self.rates:
                    if lossy >= LOSSY_STOP:
                        log('%-4s %-10s %7d pps and up not offered (lost traps at %d rates in '
                            'a row)' % (version, kind.label, rate, lossy))
                        break
                    before, snap, veth0 = srv.count(), srv.snapshot(), self.veth_rx()
                    sent, pps, how = self.replay(rate, rate * self.seconds, version)
                    got = settled(srv.count) - before
                    lost = sent - got
                    rows.append((kind.label, rate, pps, sent, got, lost))
                    log('%-4s %-10s %7d pps asked, %9.0f pps sent: %8d sent, %8d counted, '
                        '%7d lost (%s; %s)' % (version, kind.label, rate, pps, sent, got, lost,
                                               how, srv.lost_where(snap,
                                                                   self.veth_rx() - veth0)))
                    lossy = lossy + 1 if lost > 0 else 0
                    if lost <= 0:
                        best[kind.label] = max(best.get(kind.label, 0), pps)
                log('%s %s' % (version, srv.verdicts()))
            finally:
                self.stop()
        lr, peer = best.get('linerated', 0), best.get('snmptrapd', 0)
        log('%s: highest rate with zero loss: linerated %.0f pps%s, snmptrapd %.0f pps%s'
            % (VERSIONS[version], lr, ' (lost none at any rate: the generator\'s limit, a '
               'floor)' if all(r[5] <= 0 for r in rows if r[0] == 'linerated') else '',
               peer, '' if peer else ' (lost traps at every rate)'))
        return lr, peer


def lr_snmp(st, *path):
    v = st.get('snmp') or {}
    for k in path:
        v = v.get(k, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0


def lr_port(st, key):
    return ((st.get('ports') or [{}])[0]).get(key, 0)


def counter_deltas(st0, st):
    """(name, st - st0) of every counter drop_counters prints."""
    def values(s):
        return [(kv.rsplit(' ', 1)[0], int(kv.rsplit(' ', 1)[1]))
                for kv in drop_counters(s).split(', ')]
    old = dict(values(st0))
    return [(k, v - old.get(k, 0)) for k, v in values(st)]


def sender(build):
    """pcap_blast's path, or None for tcpreplay (TRAPS_BENCH_SENDER)."""
    want = os.environ.get('TRAPS_BENCH_SENDER', '')
    blast = os.path.join(build, 'perf', 'pcap_blast')
    if want not in ('', 'pcap_blast', 'tcpreplay'):
        sys.exit('TRAPS_BENCH_SENDER=%s: pcap_blast or tcpreplay' % want)
    if want == 'tcpreplay' or (not want and not os.access(blast, os.X_OK)):
        return None
    if not os.access(blast, os.X_OK):
        sys.exit('traps_bench: %s not built' % blast)
    return blast


def drop_counters(st):
    """Every counter of a loss on the way: the port's, the trap stage's, the
    journal's and the file sink's."""
    port = (st.get('ports') or [{}])[0]
    snmp = st.get('snmp') or {}
    out = ['port.%s %d' % (k, port.get(k, 0)) for k in
           ('nic_rx_missed', 'nic_rx_errors', 'nic_rx_nombuf')]
    out += ['drops.%s %d' % kv for kv in sorted((snmp.get('drops') or {}).items())]
    j = snmp.get('journal') or {}
    out += ['journal.%s %d' % (k, j.get(k, 0)) for k in
            ('refused_full', 'refused_other', 'lost', 'dropped_records')]
    for sk in snmp.get('sinks') or []:
        out += ['sink %s.%s %d' % (sk.get('name'), k, sk.get(k, 0)) for k in
                ('bad_records', 'errors')]
    return ', '.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', required=True, help='a release build directory')
    ap.add_argument('mode', choices=('burst', 'vs-snmptrapd'))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('traps_bench: run as root (it creates network namespaces)')
    if CONTROL_CORE not in (SERVER_CORE, CLIENT_CORE):
        sys.exit('TRAPS_BENCH_CONTROL_CORE=%s: %s or %s' % (CONTROL_CORE, CLIENT_CORE, SERVER_CORE))
    need = ['taskset'] + ([] if sender(a.build) else ['tcpreplay']) + (
        ['snmptrapd'] if a.mode == 'vs-snmptrapd' else [])
    for tool in need:
        if not shutil.which(tool):
            sys.exit('traps_bench: %s missing: run tools/setup.sh as root' % tool)
    return run_bench('traps-bench', a.build, 'TRAPS_BENCH_KEEP',
                     lambda build, work: Bench(build, work, a.mode))


if __name__ == '__main__':
    sys.exit(main())
