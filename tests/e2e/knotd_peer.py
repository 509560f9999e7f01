# SPDX-License-Identifier: BSD-3-Clause
"""knotd as the differential test's reference peer (knot_diff.py).

knotd runs from a temporary directory on a free port of 127.0.0.1, as the
current user, with no response rate limiting; Knotd.stop() ends it by its
PID. Questions reach it through kdig (+json, RFC 8427, rdata as hex) or,
for messages kdig cannot send, through a plain socket.
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time

import dns.flags
import dns.message
import dns.rdataclass
import dns.rdatatype

from dns_forms import HarnessError, form_from_json, form_from_wire

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


