#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Operating linerated through its control socket and linerate-ctl (issue
#7): config check|dump|save, log level, trace, stats by qtype and zone, the
privilege drop, and the socket's hostile-client cases -- all through the
real daemon (net_af_packet in a namespace pair) and the real CLI.

Offline (no daemon): `config check` says OK (exit 0) for a good file, and
for a bad value or an unknown user: exit 1 and the key, value and reason;
linerated itself refuses to start with the unknown user, naming the key.

The daemon starts as root with user: nobody, group: nogroup, a control
group the test creates, and an SNMP journal directory:
  * /proc/PID/status shows every uid and gid dropped, in every thread; the journal
    directory and the trace file belong to nobody; it still answers DNS;
  * linerate-ctl as root, and as another uid whose primary group is the
    control group, works; as a uid with the control group only as a
    supplementary group (the file lets it connect, SO_PEERCRED does not),
    it gets the daemon's "permission denied" error;
  * config dump masks the cookie secret; config save (the file it came
    from, in a directory of nobody's) replaces the file by rename, keeps
    its mode 0640, writes the secret and the runtime log level, and the
    result passes config check; another existing file is replaced only when
    it is a configuration itself;
  * log level error silences a zone reload's notice; info brings it back;
  * queries of several types move stats.qtype and the zone table by
    exactly what was sent, in Prometheus and DPDK telemetry too;
  * a trace of dns,bad while dig queries and malformed frames (scapy) come
    in: tshark reads every query with comment "dns" and each bad frame with
    its drop reason, and nothing of another kind; a trace with
    --max-packets 3 holds exactly 3 packets and says its budget is spent;
    a trace of snmp (snaplen 64) holds the datagram to the trap port, cut
    at 64 octets with its length kept, and not the DNS query beside it; a
    FIFO as the trace file is refused without stalling the daemon, and a
    file that is no pcapng is not truncated;
  * malformed JSON, a 10 MB request line and 50 clients at once each get an
    error object (or their answer), and the daemon keeps serving.

    linerated_ops.py --linerated PATH --ctl PATH --zones DIR

Exit 0 all good; 1 a failure; 77 not root / no netns.
"""

import argparse
import grp
import json
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import CLIENT_V4, V4, Checks  # noqa: E402

lr_e2e.require_netns('linerated_ops')

import dns.message  # noqa: E402
import dns.rcode  # noqa: E402
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

SECRET = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
CTL_GROUP = 'lrops%d' % (os.getpid() % 10000)
ALLOWED_UID, REFUSED_UID = 47011, 47012   # no passwd entry needed for setpriv
CLIENTS = 50

CONFIG = '''dns:
  zones:
    - {{origin: example.com., file: "{zones}/example.com.zone"}}
    - {{origin: example.net., file: "{zones}/example.net.zone"}}
  cookies: {{enabled: true, secret: "{secret}"}}
control:
  socket: {sock}
  group: {ctl_group}
metrics:
  listen: "127.0.0.1:9254"
  path: /metrics
snmp:
  enabled: true
  communities: [public]
  journal: {{dir: {journal}}}
user: nobody
group: nogroup
'''


def ctl(a, sock, *args, as_json=True, prefix=()):
    cmd = list(prefix) + [a.ctl, '-s', sock] + (['--json'] if as_json else []) + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    out = r.stdout
    if as_json and r.stdout.strip():
        try:
            out = json.loads(r.stdout)
        except ValueError:
            out = {'unparsed': r.stdout}
    return r.returncode, out, r.stderr


# --- offline ---

def offline(c, a, tmp):
    good = os.path.join(tmp, 'check-good.yaml')
    with open(good, 'w') as f:
        f.write('ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53]}]\nuser: nobody\n')
    r = subprocess.run([a.ctl, 'config', 'check', good], capture_output=True, text=True)
    c.check(r.returncode == 0 and r.stdout.startswith('OK'),
            'config check good: %d %r %r' % (r.returncode, r.stdout, r.stderr))
    bad = os.path.join(tmp, 'check-bad.yaml')
    with open(bad, 'w') as f:
        f.write('ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53], vlan: 5000}]\n')
    r = subprocess.run([a.ctl, 'config', 'check', bad], capture_output=True, text=True)
    c.check(r.returncode == 1 and 'ports[0].vlan' in r.stderr and '5000' in r.stderr and
            '1..4094' in r.stderr, 'config check bad value: %d %r' % (r.returncode, r.stderr))
    nouser = os.path.join(tmp, 'check-nouser.yaml')
    with open(nouser, 'w') as f:
        f.write('ports: [{name: a, device: net_ring0, ipv4: [192.0.2.53]}]\n'
                'user: lr-no-such-user\n')
    r = subprocess.run([a.ctl, '--json', 'config', 'check', nouser], capture_output=True,
                       text=True)
    j = json.loads(r.stdout or '{}')
    c.check(r.returncode == 1 and j.get('ok') is False and 'user' in j.get('error', '') and
            'lr-no-such-user' in j.get('error', '') and 'no such user' in j.get('error', ''),
            'config check unknown user: %d %r' % (r.returncode, r.stdout))
    r = subprocess.run([a.linerated, '--config', nouser, '--run-seconds', '1'],
                       capture_output=True, text=True, timeout=60)
    c.check(r.returncode == 1 and 'user = "lr-no-such-user"' in r.stderr,
            'linerated with an unknown user: %d %r' % (r.returncode, r.stderr))
    r = subprocess.run([a.ctl, 'config', 'check', os.path.join(tmp, 'absent.yaml')],
                       capture_output=True, text=True)
    c.check(r.returncode == 1 and 'absent.yaml' in r.stderr, 'config check of no file: %r'
            % r.stderr)


# --- the daemon ---

def status_ids(pid, tid=None):
    path = '/proc/%d/status' % pid if tid is None else '/proc/%d/task/%s/status' % (pid, tid)
    with open(path) as f:
        text = f.read()
    ids = {}
    for key in ('Uid', 'Gid', 'Groups'):
        m = re.search(r'^%s:\s*(.*)$' % key, text, re.M)
        ids[key] = m[1].split() if m else None
    return ids


def query(name, qtype, timeout=2.0):
    wire = dns.message.make_query(name, qtype).to_wire()
    data = lr_e2e.udp_exchange(V4, wire, timeout)
    return dns.message.from_wire(data) if data else None


def privileges(c, a, sock, d, ns, journal):
    nobody, nogroup = pwd.getpwnam('nobody'), grp.getgrnam('nogroup')
    ids = status_ids(d.pid)
    c.check(ids['Uid'] == [str(nobody.pw_uid)] * 4, 'Uid after the drop: %s' % ids['Uid'])
    c.check(ids['Gid'] == [str(nogroup.gr_gid)] * 4, 'Gid after the drop: %s' % ids['Gid'])
    c.check(ids['Groups'] == [str(nogroup.gr_gid)], 'Groups after the drop: %s' % ids['Groups'])
    # every thread: workers, EAL, metrics, journal (setuid is process-wide)
    tasks = os.listdir('/proc/%d/task' % d.pid)
    bad = [t for t in tasks if status_ids(d.pid, t)['Uid'] != [str(nobody.pw_uid)] * 4]
    c.check(len(tasks) >= 4 and not bad, 'threads %s; still privileged: %s' % (tasks, bad))
    st = os.stat(journal)
    c.check(st.st_uid == nobody.pw_uid, 'journal dir owner %d' % st.st_uid)
    seg = [e for e in os.listdir(journal)]
    c.check(all(os.lstat(os.path.join(journal, e)).st_uid == nobody.pw_uid for e in seg),
            'journal files owned by nobody: %s' % seg)
    r = query('www.example.com.', 'A')
    c.check(r is not None and r.rcode() == dns.rcode.NOERROR and len(r.answer) == 1,
            'still answers after the drop: %s' % r)
    ctl_gid = grp.getgrnam(CTL_GROUP).gr_gid
    rc, out, err = ctl(a, sock, 'status')
    c.check(rc == 0 and out.get('ok') is True, 'status as root: %d %s %s' % (rc, out, err))
    allowed = ['setpriv', '--reuid=%d' % ALLOWED_UID, '--regid=%d' % ctl_gid, '--clear-groups']
    rc, out, err = ctl(a, sock, 'status', prefix=allowed)
    c.check(rc == 0 and out.get('ok') is True,
            'status as a uid in the control group: %d %s %s' % (rc, out, err))
    refused = ['setpriv', '--reuid=%d' % REFUSED_UID, '--regid=%d' % REFUSED_UID,
               '--groups=%d' % ctl_gid]
    rc, out, err = ctl(a, sock, 'status', prefix=refused)
    text = json.dumps(out) + err
    c.check(rc != 0 and 'permission denied' in text,
            'status as a uid outside the allowed set: %d %s %s' % (rc, out, err))


def not_replaced(a, sock, where, *cmd):
    """cmd with a file of nobody's in where that is neither a config nor
    a trace: (exit status, reply, whether the file is as it was)."""
    path = os.path.join(where, 'notes.txt')
    with open(path, 'w') as f:
        f.write('keep me\n')
    os.chown(path, pwd.getpwnam('nobody').pw_uid, -1)
    rc, out, _ = ctl(a, sock, *(list(cmd) + [path]))
    with open(path) as f:
        return rc, out, f.read() == 'keep me\n'


def config_ops(c, a, sock, d, cfg_path):
    rc, out, _ = ctl(a, sock, 'config', 'dump', as_json=False)
    c.check(rc == 0 and 'secret: "(masked sha256:' in out and SECRET not in out and
            'user: "nobody"' in out and 'group: "nogroup"' in out,
            'config dump masked, with user/group:\n%s' % out)
    rc, out, _ = ctl(a, sock, 'log', 'level')
    c.check(rc == 0 and out.get('level') == 'notice', 'log level at start: %s' % out)
    rc, out, err = ctl(a, sock, 'log', 'level', 'loud')
    c.check(rc == 1 and out.get('ok') is False and 'level must be' in out.get('error', ''),
            'log level loud refused: %s %s' % (out, err))

    def reload_lines():
        return d.stderr().count('zones reloaded')

    rc, out, _ = ctl(a, sock, 'log', 'level', 'error')
    c.check(rc == 0 and out.get('previous') == 'notice' and out.get('level') == 'error',
            'log level error: %s' % out)
    before = reload_lines()
    rc, out, _ = ctl(a, sock, 'zone', 'reload')
    c.check(rc == 0, 'zone reload: %s' % out)
    time.sleep(0.3)
    c.check(reload_lines() == before, 'at level error, a reload still says so:\n' + d.stderr())
    rc, out, _ = ctl(a, sock, 'log', 'level', 'info')
    rc2, out2, _ = ctl(a, sock, 'zone', 'reload')
    time.sleep(0.3)
    c.check(rc == 0 and rc2 == 0 and reload_lines() == before + 1,
            'at level info the reload is logged again: %s %s' % (out, out2))
    # a named reload: the name must be a zone served (all are reloaded:
    # one image holds them), an unknown one is refused and reloads nothing
    rc, out, _ = ctl(a, sock, 'zone', 'reload', 'example.com')
    c.check(rc == 0 and out.get('reloaded', 0) >= 1, 'zone reload example.com: %s' % out)
    gen = out.get('generation', 0)
    rc, out, _ = ctl(a, sock, 'zone', 'reload', 'nosuch.example.org.')
    c.check(rc == 1 and 'no zone nosuch.example.org.' in out.get('error', ''),
            'zone reload of a zone not served refused: %s' % out)
    rc, out, _ = ctl(a, sock, 'status')
    c.check(out.get('generation') == gen, 'the refused reload published nothing: %s' % out)
    # the zone image: its size, and how much of it the kernel put on huge
    # pages (null where /proc/self/smaps cannot tell)
    im = out.get('image', {})
    hp = im.get('huge_page_octets', 'absent')
    c.check(isinstance(im.get('octets'), int) and im['octets'] > 0 and
            (hp is None or (isinstance(hp, int) and hp >= 0)), 'status image: %s' % im)
    # save over the file it came from: rename, mode kept, secret in full
    ino = os.stat(cfg_path).st_ino
    rc, out, err = ctl(a, sock, 'config', 'save')
    c.check(rc == 0 and out.get('path') == cfg_path, 'config save: %s %s' % (out, err))
    st = os.stat(cfg_path)
    c.check(st.st_ino != ino and stat.S_IMODE(st.st_mode) == 0o640,
            'saved by rename, mode %o (want 640)' % stat.S_IMODE(st.st_mode))
    with open(cfg_path) as f:
        saved = f.read()
    c.check(('secret: "%s"' % SECRET) in saved and 'level: info' in saved and
            'masked' not in saved, 'saved config:\n' + saved)
    r = subprocess.run([a.ctl, 'config', 'check', cfg_path], capture_output=True, text=True)
    c.check(r.returncode == 0, 'the saved config checks: %s' % r.stderr)
    # a file of nobody's that is no configuration: not replaced
    rc, out, kept = not_replaced(a, sock, os.path.dirname(cfg_path), 'config', 'save')
    c.check(rc == 1 and 'not a linerated configuration' in out.get('error', '') and kept,
            'config save over another file: %s' % out)
    # a configuration at another path is replaced
    copy = os.path.join(os.path.dirname(cfg_path), 'copy.yaml')
    shutil.copy(cfg_path, copy)
    os.chown(copy, pwd.getpwnam('nobody').pw_uid, -1)
    rc, out, _ = ctl(a, sock, 'config', 'save', copy)
    c.check(rc == 0 and out.get('path') == copy, 'config save over a config: %s' % out)
    # a directory nobody may not write to: an error object, nothing written
    rc, out, err = ctl(a, sock, 'config', 'save', '/etc/linerate-ops-test.yaml')
    c.check(rc == 1 and 'Permission denied' in out.get('error', '') and
            not os.path.exists('/etc/linerate-ops-test.yaml'),
            'config save to /etc as nobody: %s %s' % (out, err))


def stats_ops(c, a, sock, ns, prefix):
    sent = {('www.example.com.', 'A'): 7, ('www.example.com.', 'AAAA'): 3,
            ('example.com.', 'MX'): 5, ('www.example.com.', 'TXT'): 2,
            ('mail.example.net.', 'A'): 4, ('www.example.com.', 'CAA'): 6}
    _, before, _ = ctl(a, sock, 'stats')
    got = 0
    for (name, qtype), n in sent.items():
        for _ in range(n):
            got += query(name, qtype) is not None
    c.check(got == sum(sent.values()), 'answers %d of %d' % (got, sum(sent.values())))
    _, after, _ = ctl(a, sock, 'stats')
    want = {'A': 11, 'AAAA': 3, 'MX': 5, 'TXT': 2, 'other': 6}
    delta = {k: after['qtype'][k] - before['qtype'][k] for k in after['qtype']}
    c.check(all(delta[k] == want.get(k, 0) for k in delta), 'qtype deltas %s' % delta)
    zones = {z['zone']: z['answers'] for z in after['zones']}
    zones0 = {z['zone']: z['answers'] for z in before['zones']}
    zd = {k: zones[k] - zones0.get(k, 0) for k in zones}
    c.check(zd.get('example.com.') == 23 and zd.get('example.net.') == 4,
            'zone deltas %s' % zd)
    rc, text, _ = ctl(a, sock, 'stats', as_json=False)
    c.check(rc == 0 and re.search(r'^qtype:\n(  \S+ +\d+\n)+', text, re.M) and
            re.search(r'^  zone +answers$', text, re.M), 'stats tables:\n' + text)
    r = subprocess.run(['ip', 'netns', 'exec', ns.d, 'curl', '-sS', '--max-time', '5',
                        'http://127.0.0.1:9254/metrics'], capture_output=True, text=True)
    m = re.search(r'^linerate_dns_queries_by_qtype_total\{qtype="AAAA"\} (\d+)$', r.stdout, re.M)
    c.check(m is not None and int(m[1]) == after['qtype']['AAAA'],
            'Prometheus AAAA: %s' % (m[0] if m else r.stdout[:2000]))
    m = re.search(r'^linerate_dns_answers_by_zone_total\{zone="example.net."\} (\d+)$', r.stdout,
                  re.M)
    c.check(m is not None and int(m[1]) == zones['example.net.'],
            'Prometheus example.net.: %s' % (m[0] if m else r.stdout[:2000]))
    r = subprocess.run(['dpdk-telemetry.py', '-f', prefix], input='/linerate/qtypes\n',
                       capture_output=True, text=True, timeout=30)
    tel = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith('{')]
    c.check(tel and tel[-1].get('/linerate/qtypes') == after['qtype'],
            'telemetry /linerate/qtypes %s, stats %s' % (tel, after['qtype']))


def bad_frames(ns):
    """(reason, frame) each sent to the daemon's port."""
    eth = Ether(src=ns.client_mac(), dst=ns.daemon_mac())
    q = dns.message.make_query('www.example.com.', 'A').to_wire()
    u4 = bytes(eth / IP(src=CLIENT_V4, dst=V4) / UDP(sport=41000, dport=53) / Raw(q))
    return [('malformed_l3', u4[:14 + 10]),
            ('malformed_l3', bytes(eth / IP(src=CLIENT_V4, dst=V4, ihl=4) / UDP(dport=53) /
                                   Raw(q))),
            ('bad_checksum', bytes(eth / IP(src=CLIENT_V4, dst=V4, chksum=0x1234) /
                                   UDP(sport=41001, dport=53) / Raw(q))),
            ('malformed_l4', bytes(eth / IP(src=CLIENT_V4, dst=V4) /
                                   UDP(sport=41002, dport=53, len=4, chksum=0) / Raw(q)))]


def tshark(path):
    r = subprocess.run(['tshark', '-r', path, '-T', 'fields', '-E', 'separator=|', '-e',
                        'frame.comment', '-e', 'dns.qry.name', '-e', 'dns.flags.response',
                        '-e', 'frame.interface_name'],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError('tshark -r %s: %s' % (path, r.stderr))
    return [ln.split('|') for ln in r.stdout.splitlines()]


def trace_ops(c, a, sock, ns, tracedir):
    path = os.path.join(tracedir, 'dns-bad.pcapng')
    rc, out, err = ctl(a, sock, 'trace', 'start', path, '--kinds', 'dns,bad')
    c.check(rc == 0 and out['trace']['running'] is True, 'trace start: %s %s' % (out, err))
    rc, out, _ = ctl(a, sock, 'trace', 'start', path)
    c.check(rc == 1 and 'a trace is running' in out.get('error', ''), 'second start: %s' % out)
    names = ['t%d.example.com.' % i for i in range(5)]
    for n in names:
        r = subprocess.run(['dig', '+tries=1', '+timeout=2', '@' + V4, n, 'A'],
                           capture_output=True, text=True, timeout=10)
        c.check('status: NXDOMAIN' in r.stdout, 'dig %s: %s' % (n, r.stdout[-300:]))
    frames = bad_frames(ns)
    l2 = lr_e2e.L2(ns.dev_c)
    try:
        for _, f in frames:
            l2.send(f)
        # ARP is traced by `all`, not by dns,bad
        r = subprocess.run(['ip', 'neigh', 'flush', 'dev', ns.dev_c], capture_output=True)
        query('www.example.com.', 'A')
    finally:
        l2.close()
    time.sleep(0.5)
    rc, st, _ = ctl(a, sock, 'trace', 'status')
    rc, out, err = ctl(a, sock, 'trace', 'stop')
    t = out.get('trace', {})
    c.check(rc == 0 and t.get('running') is False and t.get('packets_written', 0) >= 10,
            'trace stop: %s %s' % (out, err))
    c.check(os.stat(path).st_uid == pwd.getpwnam('nobody').pw_uid,
            'the trace file belongs to nobody')
    rows = tshark(path)
    comments = [r[0] for r in rows]
    for n in names:
        hit = [r for r in rows if r[1].rstrip('.') == n.rstrip('.')]
        c.check(len(hit) == 1 and hit[0][0] == 'dns' and hit[0][2] in ('0', 'False'),
                'query %s in the trace: %s' % (n, hit))
    for reason in sorted({r for r, _ in frames}):
        want = sum(1 for r, _ in frames if r == reason)
        c.check(comments.count('drop:' + reason) == want,
                '%s frames in the trace: %d, want %d' % (reason, comments.count('drop:' + reason),
                                                          want))
    c.check(all(x == 'dns' or x.startswith('drop:') for x in comments),
            'only dns and drops traced: %s' % sorted(set(comments)))
    c.check(all(r[3] == 'lr0' for r in rows), 'interface names %s' % {r[3] for r in rows})
    # a budget of 3 packets
    path3 = os.path.join(tracedir, 'three.pcapng')
    rc, out, _ = ctl(a, sock, 'trace', 'start', path3, '--kinds', 'dns', '--max-packets', '3')
    for i in range(6):
        query('b%d.example.com.' % i, 'A')
    time.sleep(0.3)
    rc, st, _ = ctl(a, sock, 'trace', 'status')
    c.check(st.get('trace', {}).get('budget_spent') is True, 'budget spent: %s' % st)
    rc, out, _ = ctl(a, sock, 'trace', 'stop')
    rows = tshark(path3)
    c.check(len(rows) == 3 and all(r[0] == 'dns' for r in rows), 'budget 3: %s' % rows)
    # SNMP only: a datagram to the trap port is traced, a DNS query is not
    path_snmp = os.path.join(tracedir, 'snmp.pcapng')
    rc, out, _ = ctl(a, sock, 'trace', 'start', path_snmp, '--kinds', 'snmp', '--snaplen', '64')
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.sendto(b'\x30\x03\x02\x01\x01' + b'\0' * 100, (V4, 162))
    query('www.example.com.', 'A')
    time.sleep(0.3)
    rc, out, _ = ctl(a, sock, 'trace', 'stop')
    rows = tshark(path_snmp)
    r = subprocess.run(['tshark', '-r', path_snmp, '-T', 'fields', '-e', 'frame.cap_len', '-e',
                        'frame.len', '-e', 'udp.dstport'], capture_output=True, text=True)
    c.check(len(rows) == 1 and rows[0][0] == 'snmp' and
            r.stdout.split() == ['64', str(14 + 20 + 8 + 105), '162'],
            'snmp trace: %s %s' % (rows, r.stdout))
    rc, out, _ = ctl(a, sock, 'trace', 'start', path3, '--kinds', 'dns,nonsense')
    c.check(rc == 1 and 'unknown kind "nonsense"' in out.get('error', ''), 'bad kind: %s' % out)
    rc, out, _ = ctl(a, sock, 'trace', 'stop')
    c.check(rc == 1 and 'no trace is running' in out.get('error', ''), 'stop twice: %s' % out)
    # a file that is no trace is not truncated
    rc, out, kept = not_replaced(a, sock, tracedir, 'trace', 'start')
    c.check(rc == 1 and 'not a pcapng trace' in out.get('error', '') and kept,
            'trace over another file: %s' % out)
    # a FIFO nobody reads: refused at once, the control thread not stalled
    fifo = os.path.join(tracedir, 'fifo')
    os.mkfifo(fifo, 0o600)
    os.chown(fifo, pwd.getpwnam('nobody').pw_uid, -1)
    rc, out, _ = ctl(a, sock, 'trace', 'start', fifo)
    c.check(rc == 1 and out.get('ok') is False and 'fifo' in out.get('error', ''),
            'trace to a FIFO: %s' % out)
    rc, out, _ = ctl(a, sock, 'trace', 'status')
    c.check(rc == 0 and out['trace']['running'] is False, 'after the FIFO: %s' % out)


def raw_call(sock, data, wait=10.0):
    """Send data on a new connection; every reply line until the daemon
    closes (or wait passes)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(wait)
    s.connect(sock)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # it stopped reading: its reply is still there to read
    buf = b''
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            if data.endswith(b'\n') and buf.count(b'\n') >= data.count(b'\n'):
                break
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return [json.loads(ln) for ln in buf.decode().splitlines() if ln.strip()]


def socket_abuse(c, a, sock):
    r = raw_call(sock, b'{"v":1,"cmd":"status"\n{"v":1,"cmd":"status"}\n')
    c.check(len(r) == 2 and r[0].get('ok') is False and 'malformed JSON' in r[0].get('error', '')
            and r[1].get('ok') is True, 'malformed JSON, then a good request: %s' % r)
    r = raw_call(sock, b'{"v":1,"cmd":"no such thing"}\n')
    c.check(r and r[0].get('ok') is False and 'unknown command' in r[0].get('error', ''),
            'unknown command: %s' % r)
    r = raw_call(sock, b'{"v":1,"cmd":"' + b'x' * (10 << 20) + b'"}\n')
    c.check(len(r) == 1 and r[0].get('ok') is False and 'larger than' in r[0].get('error', ''),
            '10 MB line: %s' % str(r)[:300])
    replies = [None] * CLIENTS

    def one(i):
        try:
            got = raw_call(sock, b'{"v":1,"cmd":"status","id":%d}\n' % i)
            replies[i] = got[0] if got else {}
        except (OSError, ValueError) as e:
            replies[i] = {'exception': str(e)}

    threads = [threading.Thread(target=one, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    ok = [r for r in replies if r and r.get('ok') is True]
    refused = [r for r in replies if r and r.get('ok') is False and
               r.get('error') == 'too many clients']
    c.check(len(ok) + len(refused) == CLIENTS and ok and
            all(r.get('id') == replies.index(r) for r in ok),
            '%d clients at once: %d answered, %d refused as too many; others %s'
            % (CLIENTS, len(ok), len(refused),
               [r for r in replies if r not in ok and r not in refused][:5]))
    rc, out, _ = ctl(a, sock, 'status')
    c.check(rc == 0 and out.get('ok') is True, 'still serving after the abuse: %s' % out)
    r = query('www.example.com.', 'A')
    c.check(r is not None and r.rcode() == dns.rcode.NOERROR, 'still answering DNS: %s' % r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--zones', required=True)
    a = ap.parse_args()
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-ops-')
    os.chmod(tmp, 0o755)
    nobody = pwd.getpwnam('nobody')
    subprocess.run(['groupadd', CTL_GROUP], check=True, capture_output=True)
    try:
        offline(c, a, tmp)
        # nobody's directory: the config file (saved over by rename), traces
        home = os.path.join(tmp, 'nobody')
        os.mkdir(home, 0o755)
        os.chown(home, nobody.pw_uid, -1)
        journal = os.path.join(tmp, 'journal')
        os.mkdir(journal, 0o700)
        sock = os.path.join(tmp, 'control.sock')
        with lr_e2e.environment('ops') as ns:
            cfg_path = os.path.join(home, 'linerated.yaml')
            prefix = 'lrops%d' % os.getpid()
            with open(cfg_path, 'w') as f:
                f.write(lr_e2e.config_port(ns, prefix) +
                        CONFIG.format(zones=a.zones, secret=SECRET, sock=sock,
                                      ctl_group=CTL_GROUP, journal=journal))
            os.chmod(cfg_path, 0o640)
            d = lr_e2e._launch(ns, [a.linerated, '--config', cfg_path, '--run-seconds',
                                    str(lr_e2e.DAEMON_LIFETIME)],
                               [(lr_e2e.udp_exchange, V4)], 'example.com.')
            try:
                privileges(c, a, sock, d, ns, journal)
                config_ops(c, a, sock, d, cfg_path)
                stats_ops(c, a, sock, ns, prefix)
                trace_ops(c, a, sock, ns, home)
                socket_abuse(c, a, sock)
                d.stop()
                c.check(d.proc.returncode == 0, 'exit %s:\n%s' % (d.proc.returncode,
                                                                 d.stderr()))
            finally:
                d.kill()
    finally:
        subprocess.run(['groupdel', CTL_GROUP], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_ops')


if __name__ == '__main__':
    sys.exit(main())
