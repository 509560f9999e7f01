# SPDX-License-Identifier: BSD-3-Clause
"""Shared by the sink tests (linerated_sinks.py, linerated_journal_full.py):
linerate-ctl calls about sinks and the journal, sockets made in the
daemon's namespace, and syslog listeners (RFC 5424 messages over UDP, and
over TCP with RFC 6587 octet counting) whose messages are parsed back."""

import ctypes
import json
import os
import re
import socket
import subprocess
import threading
import time

import lr_e2e

WAIT = 15.0
TEST_OBJ = '1.3.6.1.4.1.8072.9999.1.0'  # the test notifications' tag object
LINK_DOWN = '1.3.6.1.6.3.1.1.5.3'


def ctl(tool, sock, *cmd, as_json=True, timeout_ms=20000):
    """The JSON reply, or (not as_json) the exit status and the table."""
    if as_json:
        return lr_e2e.ctl_json(tool, sock, *cmd)
    r = subprocess.run([tool, '-s', sock, '-t', str(timeout_ms)] + list(cmd),
                       capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout


def appended(tool, sock):
    return ctl(tool, sock, 'stats').get('snmp', {}).get('journal', {}).get('appended', 0)


def wait_appended(tool, sock, n):
    """Until the journal took n records (snmptrap returns once sent)."""
    return wait_until(lambda: appended(tool, sock) >= n)


def sinks_by_name(tool, sock):
    return {s['name']: s for s in ctl(tool, sock, 'sink', 'list').get('sinks', [])}


def in_netns(name, fn):
    """fn() run with this thread in network namespace name (sockets made
    there stay there), then back."""
    libc = ctypes.CDLL(None, use_errno=True)
    orig = os.open('/proc/self/ns/net', os.O_RDONLY)
    fd = os.open('/run/netns/' + name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:
            raise OSError(ctypes.get_errno(), 'setns ' + name)
        return fn()
    finally:
        libc.setns(orig, 0x40000000)
        os.close(fd)
        os.close(orig)


def msg_json(msg):
    """The JSON rendering that is an RFC 5424 message's MSG."""
    text = msg.decode('utf-8', 'replace').lstrip('\ufeff')
    i = text.find('] {')
    return json.loads(text[i + 2:]) if i >= 0 else None


class SyslogUdp:
    def __init__(self, sock):
        self.sock, self.msgs, self.stop = sock, [], False
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                self.msgs.append(self.sock.recv(65535))
            except socket.timeout:
                pass


class SyslogTcp:
    """A listener on port; every octet-counted message of every connection,
    in arrival order. close() closes it and its connections (the sink's
    destination is down); listen() again on the same port."""

    def __init__(self, nsname, port):
        self.nsname, self.port, self.msgs = nsname, port, []
        self.lock = threading.Lock()
        self.lsock, self.conns, self.stop, self.t = None, [], False, None

    def listen(self):
        def make():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('127.0.0.1', self.port))
            s.listen(4)
            return s
        self.lsock = in_netns(self.nsname, make)
        self.stop = False
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        import select
        bufs = {}
        while not self.stop:
            r, _, _ = select.select([self.lsock] + self.conns, [], [], 0.1)
            for s in r:
                if s is self.lsock:
                    c, _ = s.accept()
                    self.conns.append(c)
                    bufs[c] = b''
                    continue
                data = s.recv(65536)
                if not data:
                    self.conns.remove(s)
                    s.close()
                    continue
                bufs[s] += data
                while True:  # RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG
                    m = re.match(rb'(\d+) ', bufs[s])
                    if not m or len(bufs[s]) < m.end() + int(m.group(1)):
                        break
                    n = int(m.group(1))
                    with self.lock:
                        self.msgs.append(bufs[s][m.end():m.end() + n])
                    bufs[s] = bufs[s][m.end() + n:]

    def close(self):
        self.stop = True
        self.t.join()
        for c in self.conns:
            c.close()
        self.conns = []
        self.lsock.close()


def seqs_of(msgs):
    return [o.get('seq') for o in (msg_json(m) for m in msgs) if o]


def tags_of(objs):
    out = []
    for o in objs:
        for vb in o.get('varbinds', []):
            if vb.get('oid') == TEST_OBJ:
                out.append(vb.get('value'))
    return out


def wait_until(pred, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def free_port(nsname, kind):
    def make():
        s = socket.socket(socket.AF_INET, kind)
        s.bind(('127.0.0.1', 0))
        return s
    s = in_netns(nsname, make)
    return s, s.getsockname()[1]
