#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The trap pipeline end to end (issue #6): linerated --config with snmp:
enabled on a net_af_packet port in a namespace pair; net-snmp's snmptrap
and snmpinform send from the client namespace to 192.0.2.53:162.

Accepted, each checked in the JSON Lines file (trap OID, varbinds, version,
community or user and level, source address):
  * snmptrap v1 (enterprise, agent address, generic 6 / specific 17),
    v2c, v3 authNoPriv SHA-256 and v3 authPriv SHA/AES-128 (users at the
    sender's engine ID, from the users file the test writes);
  * snmpinform v2c and v3 authPriv (an any-engine user: localised for our
    engine): both exit 0, i.e. their Response came, which linerated only
    sends once the record is durable in the journal;
  * a v2c trap, a v2c inform and a v3 authPriv inform of 3.4 kB over
    IPv6: fragments, reassembled by the worker; the informs' Responses, too
    big for one frame, go back as tooBig without varbinds (RFC 3416 §4.2.7).
An any-engine user sending v3 traps from a new engine: the first is
dropped while the keys are localised and its HMAC checked, the next is
accepted; with a wrong password nothing is learned or accepted.
Refused, no record and the right counter (`linerate-ctl stats`):
  * v2c with a community not configured (drops.community);
  * a v3 trap with a wrong password (usm.wrongDigests) and from an unknown
    user (usm.unknownUserNames);
  * snmpinform with a wrong password: fails with net-snmp's "Authentication
    failure", having read our wrongDigests Report (reports.wrongDigests).
Datagrams that are not notifications (garbage, empty, a lying BER length,
a GetRequest) are dropped and counted by reason, with no reply. Then
SIGTERM: the journal's segment files (parsed and CRC32C-checked here,
independently of the C reader) hold every accepted record and nothing else.

    linerated_traps.py --linerated PATH --ctl PATH/linerate-ctl [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import glob
import json
import os
import argparse
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import CLIENT_V4, CLIENT_V6, V4, V6, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_traps')

OUR_ENGINE = '80001f88046c7274726170'      # 0x80001f88 (net-snmp's), text "lrtrap"
SENDER_ENGINE = '8000000001020304aa'       # the trap sender's (authoritative) engine
PW_AUTH, PW_PRIV = 'auth-pass-123', 'priv-pass-456'
DELIVERY_WAIT = 10.0

USERS = '''users:
  - name: sha256user
    engine_id: "0x{sender}"
    auth: sha256
    auth_password: "{pa}"
  - name: privuser
    engine_id: "0x{sender}"
    auth: sha
    auth_password: "{pa}"
    priv: aes128
    priv_password: "{pp}"
  - name: informuser
    auth: sha
    auth_password: "{pa}"
    priv: aes128
    priv_password: "{pp}"
'''

SNMP_YAML = '''
snmp:
  enabled: true
  communities: [public, ops-trap]
  engine_id: "0x{engine}"
  users_file: {users}
  journal: {{dir: {journal}, sync_interval_us: 1000}}
  sinks:
    file: {{path: {jsonl}}}
'''

LINK_DOWN = '1.3.6.1.6.3.1.1.5.3'
IF_INDEX_3 = '1.3.6.1.2.1.2.2.1.1.3'
ENTERPRISE = '1.3.6.1.4.1.8072.2.3'
TEST_OBJ = '1.3.6.1.4.1.8072.9999.1.0'
BIG_OBJ = '1.3.6.1.4.1.8072.9999.2.0'
BIG_VALUE = 'fragmented-' * 300  # 3,300 octets


# this test's own metrics listener, in the daemon's namespace
METRICS_YAML = '''
metrics:
  listen: "127.0.0.1:9254"
  path: /metrics
'''
METRICS_URL = 'http://127.0.0.1:9254/metrics'
BY_PRINCIPAL = 'linerate_snmp_notifications_by_principal_total'
COMMUNITIES = ('public', 'ops-trap')

run = lr_e2e.net_snmp_run
ctl = lr_e2e.ctl_json
read_jsonl = lr_e2e.read_jsonl


def v3_args(user, level, auth=None, priv=None, pa=PW_AUTH, pp=PW_PRIV, engine=None):
    a = ['-v', '3', '-u', user, '-l', level]
    if engine:
        a += ['-e', '0x' + engine]
    if auth:
        a += ['-a', auth, '-A', pa]
    if priv:
        a += ['-x', priv, '-X', pp]
    return a


def notification(tag):
    """ifIndex.3 = 3 and our test object = tag, after uptime 0 and linkDown."""
    return ['0', LINK_DOWN, IF_INDEX_3, 'i', '3', TEST_OBJ, 's', tag]


# (tag, command, expected JSON fields): every accepted notification
def accepted_cases():
    dst, dst6 = '%s:162' % V4, 'udp6:[%s]:162' % V6
    base = ['-m', '', '-r', '1', '-t', '3']
    return [
        ('v1', ['snmptrap', '-m', '', '-v', '1', '-c', 'public', dst, ENTERPRISE, CLIENT_V4,
                '6', '17', '0', TEST_OBJ, 's', 'v1'],
         {'version': 'v1', 'community': 'public', 'pdu': 'trapv1',
          'trap_oid': ENTERPRISE + '.0.17', 'generic_trap': 6, 'specific_trap': 17,
          'agent_address': CLIENT_V4}),
        ('v2c', ['snmptrap', '-m', '', '-v', '2c', '-c', 'ops-trap', dst] +
         notification('v2c'),
         {'version': 'v2c', 'community': 'ops-trap', 'pdu': 'trap', 'trap_oid': LINK_DOWN}),
        ('v3-sha256', ['snmptrap', '-m', ''] +
         v3_args('sha256user', 'authNoPriv', 'SHA-256', engine=SENDER_ENGINE) + [dst] +
         notification('v3-sha256'),
         {'version': 'v3', 'user': 'sha256user', 'security_level': 'authNoPriv',
          'pdu': 'trap', 'trap_oid': LINK_DOWN}),
        ('v3-sha-aes', ['snmptrap', '-m', ''] +
         v3_args('privuser', 'authPriv', 'SHA', 'AES', engine=SENDER_ENGINE) + [dst] +
         notification('v3-sha-aes'),
         {'version': 'v3', 'user': 'privuser', 'security_level': 'authPriv',
          'pdu': 'trap', 'trap_oid': LINK_DOWN}),
        ('inform-v2c', ['snmpinform'] + base + ['-v', '2c', '-c', 'public', dst] +
         notification('inform-v2c'),
         {'version': 'v2c', 'community': 'public', 'pdu': 'inform', 'trap_oid': LINK_DOWN}),
        ('inform-v3', ['snmpinform'] + base +
         v3_args('informuser', 'authPriv', 'SHA', 'AES') + [dst] + notification('inform-v3'),
         {'version': 'v3', 'user': 'informuser', 'security_level': 'authPriv',
          'pdu': 'inform', 'trap_oid': LINK_DOWN}),
        # over the 1500-octet MTU: IP fragments, reassembled by the worker.
        # Over IPv6: net_af_packet has the kernel join IPv4 fragments, and
        # the whole datagram overruns the PMD's frame (linerated_answers.py)
        ('big-v2c', ['snmptrap', '-m', '', '-v', '2c', '-c', 'public', dst6] +
         notification('big-v2c') + [BIG_OBJ, 's', BIG_VALUE],
         {'version': 'v2c', 'community': 'public', 'pdu': 'trap', 'trap_oid': LINK_DOWN}),
        ('big-inform-v2c', ['snmpinform'] + base + ['-v', '2c', '-c', 'public', dst6] +
         notification('big-inform-v2c') + [BIG_OBJ, 's', BIG_VALUE],
         {'version': 'v2c', 'community': 'public', 'pdu': 'inform', 'trap_oid': LINK_DOWN}),
        ('big-inform-v3', ['snmpinform'] + base +
         v3_args('informuser', 'authPriv', 'SHA', 'AES') + [dst6] +
         notification('big-inform-v3') + [BIG_OBJ, 's', BIG_VALUE],
         {'version': 'v3', 'user': 'informuser', 'security_level': 'authPriv', 'pdu': 'inform',
          'trap_oid': LINK_DOWN}),
    ]


def refused_cases():
    """(tag, command, counter path in stats.snmp, expected exit/text or None)"""
    dst = '%s:162' % V4
    return [
        ('bad-community', ['snmptrap', '-m', '', '-v', '2c', '-c', 'private', dst] +
         notification('bad-community'), ('drops', 'community'), None),
        ('v3-wrong-password', ['snmptrap', '-m', ''] +
         v3_args('sha256user', 'authNoPriv', 'SHA-256', pa='not-the-password',
                 engine=SENDER_ENGINE) + [dst] + notification('v3-wrong-password'),
         ('usm', 'wrongDigests'), None),
        ('v3-unknown-user', ['snmptrap', '-m', ''] +
         v3_args('mallory', 'authNoPriv', 'SHA', engine=SENDER_ENGINE) + [dst] +
         notification('v3-unknown-user'), ('usm', 'unknownUserNames'), None),
        ('inform-wrong-password', ['snmpinform', '-m', '', '-r', '0', '-t', '3'] +
         v3_args('informuser', 'authPriv', 'SHA', 'AES', pa='not-the-password') + [dst] +
         notification('inform-wrong-password'), ('reports', 'wrongDigests'),
         'Authentication failure'),
    ]


OTHER_ENGINE = '8000000001020304bb'


def learning(c, tool, sock, tmp):
    """An any-engine user (informuser) sending v3 traps from engines we have
    no keys for: the first message is dropped (drops.pending_key) while the
    control side localises the keys and checks its HMAC; the next is
    accepted. With a wrong password the HMAC check fails: nothing learned,
    the next one is refused the same way. Returns the tags accepted."""
    dst = '%s:162' % V4

    def send(tag, engine, pa=PW_AUTH):
        rc, out = run(tmp, ['snmptrap', '-m', ''] +
                      v3_args('informuser', 'authPriv', 'SHA', 'AES', pa=pa, engine=engine) +
                      [dst] + notification(tag))
        c.check(rc == 0, '%s: snmptrap exit %d: %s' % (tag, rc, out))
        time.sleep(0.5)
        return ctl(tool, sock, 'stats')

    st0 = ctl(tool, sock, 'stats')
    st1 = send('any-engine-first', SENDER_ENGINE)
    c.check(get(st1, ('drops', 'pending_key')) == get(st0, ('drops', 'pending_key')) + 1 and
            get(st1, ('journal', 'keys_learned')) == get(st0, ('journal', 'keys_learned')) + 1,
            'any-engine user at a new engine: pending_key and keys_learned +1: %s'
            % json.dumps(st1.get('snmp', {}).get('journal')))
    st2 = send('any-engine', SENDER_ENGINE)
    c.check(get(st2, ('traps', 'v3')) == get(st1, ('traps', 'v3')) + 1,
            'any-engine user: the next trap accepted')
    st3 = send('forged-first', OTHER_ENGINE, pa='not-the-password')
    st4 = send('forged', OTHER_ENGINE, pa='not-the-password')
    c.check(get(st4, ('journal', 'keys_refused')) == get(st2, ('journal', 'keys_refused')) + 2 and
            get(st4, ('journal', 'keys_learned')) == get(st3, ('journal', 'keys_learned')) and
            get(st4, ('traps', 'v3')) == get(st2, ('traps', 'v3')),
            'wrong password at a new engine: nothing learned, nothing accepted')
    return ['any-engine']


def tag_of(obj):
    for vb in obj.get('varbinds', []):
        if vb.get('oid') == TEST_OBJ:
            return vb.get('value')
    return None


def wait_lines(path, n):
    deadline = time.monotonic() + DELIVERY_WAIT
    while time.monotonic() < deadline:
        lines = read_jsonl(path)
        if len(lines) >= n:
            return lines
        time.sleep(0.1)
    return read_jsonl(path)


def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def oid_text(contents):
    """BER OID contents (X.690 §8.19) as dotted text."""
    arcs, v = [], 0
    for b in contents:
        v = v << 7 | (b & 0x7f)
        if not b & 0x80:
            arcs.append(v)
            v = 0
    if not arcs:
        return ''
    first = min(arcs[0] // 40, 2)
    return '.'.join(str(a) for a in [first, arcs[0] - 40 * first] + arcs[1:])


def journal_records(c, jdir):
    """(seq, pdu type, sec name, trap OID) of every record in the segments,
    each frame's CRC32C checked (control/journal.h's format)."""
    out = []
    for seg in sorted(glob.glob(os.path.join(jdir, '*.seg'))):
        with open(seg, 'rb') as f:
            data = f.read()
        c.check(data[:8] == b'LRJOURNL', '%s: magic %r' % (seg, data[:8]))
        off = 32
        while off + 16 <= len(data):
            crc, ln, seq = struct.unpack_from('>IIQ', data, off)
            body = data[off + 4:off + 16 + ln]
            if not c.check(len(body) == 12 + ln and crc32c(body) == crc,
                           '%s: record at %d: CRC or length' % (seg, off)):
                break
            rec = data[off + 16:off + 16 + ln]
            pos, strs = 80, []
            for _ in range(5):  # sec name, ctx engine, ctx name, enterprise, trap OID
                (n,) = struct.unpack_from('>H', rec, pos)
                strs.append(rec[pos + 2:pos + 2 + n])
                pos += 2 + n
            out.append((seq, rec[1], strs[0].decode(), oid_text(strs[4])))
            off += 16 + ln
    return out


def check_json(c, obj, want, tag):
    for k, v in want.items():
        c.check(obj.get(k) == v, '%s: %s = %r, expected %r' % (tag, k, obj.get(k), v))
    src, dst = (CLIENT_V6, V6) if tag.startswith('big-') else (CLIENT_V4, V4)
    c.check(obj.get('src') == src and obj.get('dst') == dst and obj.get('dst_port') == 162,
            '%s: addresses %s:%s -> %s:%s' % (tag, obj.get('src'), obj.get('src_port'),
                                              obj.get('dst'), obj.get('dst_port')))
    vbs = {vb.get('oid'): vb for vb in obj.get('varbinds', [])}
    c.check(vbs.get(TEST_OBJ, {}).get('value') == tag, '%s: varbinds %s' % (tag, vbs))
    if tag.startswith('big-'):
        c.check(vbs.get(BIG_OBJ, {}).get('value') == BIG_VALUE, '%s: the big varbind' % tag)
    if obj.get('version') != 'v1':
        c.check(vbs.get(IF_INDEX_3, {}).get('value') == 3 and
                vbs.get(IF_INDEX_3, {}).get('type') == 'integer',
                '%s: ifIndex.3 = 3 in %s' % (tag, vbs))
        c.check(obj.get('trap_name') == 'linkDown', '%s: trap_name %s (from the MIBs)'
                % (tag, obj.get('trap_name')))


# Not notifications, or not SNMP at all: (what, payload, counter)
HOSTILE = [
    ('garbage', b'\x00\xff' * 40, 'malformed'),
    ('empty datagram', b'', 'malformed'),
    ('a SEQUENCE claiming more octets than sent', b'\x30\x84\x7f\xff\xff\xff\x02\x01\x01',
     'malformed'),
    # v2c GetRequest, community public, request-id 1, sysDescr.0
    ('a v2c GetRequest', bytes.fromhex('302602010104067075626c6963a019020101020100020100300e300c06'
                                       '082b060102010101000500'), 'not_notification'),
]


def hostile(c, tool, sock):
    """Datagrams a collector must drop, each counted by its reason; the
    daemon keeps running and answers nothing."""
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    try:
        for what, payload, counter in HOSTILE:
            before = get(ctl(tool, sock, 'stats'), ('drops', counter))
            s.sendto(payload, (V4, 162))
            try:
                got = s.recv(65535)
            except socket.timeout:
                got = None
            after = get(ctl(tool, sock, 'stats'), ('drops', counter))
            c.check(after == before + 1 and got is None, '%s: drops.%s %d -> %d, reply %r'
                    % (what, counter, before, after, got))
    finally:
        s.close()


def shown_principal(want):
    """How stats names the principal of an accepted case: the user, or a
    community as its first 2 characters and a fingerprint (this prefix)."""
    if 'user' in want:
        return want['user']
    return 'community:%s~' % want['community'][:2]


def expected_principals(accepted):
    """{(shown principal, kind, level): [traps, informs]} and {level:
    [traps, informs]} of what the accepted cases sent."""
    rows, levels = {}, {lv: [0, 0] for lv in
                        ('noAuthNoPriv', 'authNoPriv', 'authPriv', 'community')}
    for _, _, want in accepted:
        level = want.get('security_level', 'community')
        key = (shown_principal(want), 'user' if 'user' in want else 'community', level)
        i = 1 if want['pdu'] == 'inform' else 0
        rows.setdefault(key, [0, 0])[i] += 1
        levels[level][i] += 1
    return rows, levels


def principal_key(text):
    """A shown community to its prefix (the fingerprint is per start)."""
    return text[:text.index('~') + 1] if text.startswith('community:') else text


def principal_checks(c, ns, st, accepted):
    """stats' by_principal and by_level and the metrics family against
    what was sent; no whole community anywhere in either."""
    want, want_levels = expected_principals(accepted)
    snmp = st.get('snmp') or {}
    got = {(principal_key(r['principal']), r['kind'], r['level']): [r['traps'], r['informs']]
           for r in snmp.get('by_principal', [])}
    c.check(got == want, 'by_principal %s, sent %s' % (got, want))
    rows = snmp.get('by_principal', [])
    c.check(all(rows[i]['traps'] + rows[i]['informs'] >=
                rows[i + 1]['traps'] + rows[i + 1]['informs'] for i in range(len(rows) - 1)),
            'by_principal most first: %s' % rows)
    levels = {k: [v.get('traps'), v.get('informs')]
              for k, v in (snmp.get('by_level') or {}).items()}
    c.check(levels == want_levels, 'by_level %s, sent %s' % (levels, want_levels))
    r = subprocess.run(['ip', 'netns', 'exec', ns.d, 'curl', '-sS', '--max-time', '5',
                               METRICS_URL], capture_output=True, text=True, timeout=20)
    c.check(r.returncode == 0, 'GET /metrics: exit %d: %s' % (r.returncode, r.stderr))
    sample = re.compile(r'^%s\{principal="([^"]*)",level="([^"]*)",kind="(trap|inform)"\} '
                        r'(\d+)$' % BY_PRINCIPAL)
    metrics = {}
    for line in r.stdout.splitlines():
        m = sample.match(line)
        if m:
            key = (principal_key(m.group(1)), m.group(2))
            metrics.setdefault(key, [0, 0])[m.group(3) == 'inform'] += int(m.group(4))
    c.check(metrics == {(p, lv): n for (p, _, lv), n in want.items()},
            'metrics %s: %s, sent %s' % (BY_PRINCIPAL, metrics, want))
    stats_text = json.dumps(st)
    for community in COMMUNITIES:
        c.check(community not in stats_text, 'community %r whole in stats' % community)
        c.check(community not in r.stdout, 'community %r whole in the metrics' % community)


def get(stats, path):
    return lr_e2e.snmp_counter(stats, *path)


def parse_args(tools):
    """--linerated, --ctl, --zones; exit 77 when one of tools is missing."""
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    a = ap.parse_args()
    for tool in tools:
        if not shutil.which(tool):
            lr_e2e.skip('%s not installed' % tool)
    return a


def prepare(tmp):
    """The files of a daemon under tmp, the users file written: their paths."""
    paths = {k: os.path.join(tmp, v) for k, v in
             (('sock', 'control.sock'), ('users', 'users.yaml'), ('journal', 'journal'),
              ('jsonl', 'traps.jsonl'))}
    with open(paths['users'], 'w') as f:
        f.write(USERS.format(sender=SENDER_ENGINE, pa=PW_AUTH, pp=PW_PRIV))
    return paths


def work_files(prefix):
    """A fresh directory and the paths CONFIG names in it, the users file
    written: (directory, {sock, users, journal, jsonl})."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    return tmp, prepare(tmp)


def config_for(ns, zones, paths):
    """The daemon's whole configuration for the namespace pair ns, the zone
    and paths (from prepare)."""
    return lr_e2e.daemon_config(ns, zones, paths['sock'],
                                SNMP_YAML.format(engine=OUR_ENGINE, **paths))


def main():
    a = lr_e2e.trap_test_args('linerated_traps')
    c = Checks()
    tmp, paths = work_files('lr-traps-')
    try:
        with lr_e2e.environment('lrt') as ns:
            config = config_for(ns, a.zones, paths) + METRICS_YAML
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                accepted = accepted_cases()
                for tag, cmd, _ in accepted:
                    rc, out = run(tmp, cmd)
                    c.check(rc == 0, '%s: %s exit %d: %s' % (tag, cmd[0], rc, out))
                lines = wait_lines(paths['jsonl'], len(accepted))
                by_tag = {tag_of(o): o for o in lines}
                c.check(len(lines) == len(accepted), 'JSON lines: %d for %d accepted: %s'
                        % (len(lines), len(accepted), sorted(map(str, by_tag))))
                for tag, _, want in accepted:
                    c.check(tag in by_tag, '%s: no JSON line' % tag)
                    if tag in by_tag:
                        check_json(c, by_tag[tag], want, tag)
                st = ctl(a.ctl, paths['sock'], 'stats')
                log('after the accepted ones: %s' % json.dumps(st.get('snmp')))
                c.check(get(st, ('traps', 'v1')) == 1 and get(st, ('traps', 'v2c')) == 2 and
                        get(st, ('traps', 'v3')) == 2, 'traps by version')
                c.check(get(st, ('informs', 'v2c')) == 2 and get(st, ('informs', 'v3')) == 2 and
                        get(st, ('informs_acked',)) == 4, 'informs and their acks')
                principal_checks(c, ns, st, accepted)
                c.check(st.get('fragments_reassembled', 0) >= 3, 'fragments reassembled (3 datagrams): %s'
                        % st.get('fragments_reassembled'))
                learned = learning(c, a.ctl, paths['sock'], tmp)
                for tag, cmd, counter, text in refused_cases():
                    before = get(st, counter)
                    rc, out = run(tmp, cmd)
                    if text:
                        c.check(rc != 0 and text in out, '%s: exit %d: %s' % (tag, rc, out))
                    time.sleep(0.3)
                    st = ctl(a.ctl, paths['sock'], 'stats')
                    c.check(get(st, counter) > before, '%s: %s did not grow (%d)'
                            % (tag, '.'.join(counter), before))
                hostile(c, a.ctl, paths['sock'])
                time.sleep(0.5)
                lines = read_jsonl(paths['jsonl'])
                c.check(sorted(tag_of(o) for o in lines[len(accepted):]) == learned,
                        'no record for the refused ones: %s'
                        % [tag_of(o) for o in lines[len(accepted):]])
                log('stats: %s' % json.dumps(st.get('snmp')))
                d.stop()
            finally:
                d.kill()
            c.check('records appended' in d.stderr(), 'the journal line at SIGTERM')
            lr_e2e.sanitizer_clean(c, d.stderr())
            # RFC 3414 §2.2: snmpEngineBoots grows at every start, kept
            # with the engine ID in the state file beside the journal
            engine_line = 'SNMP engine %s, boots ' % OUR_ENGINE.lower()
            c.check(engine_line + '1 ' in d.stderr(), 'first start: %r in %s'
                    % (engine_line + '1', [ln for ln in d.stderr().splitlines()
                                           if 'SNMP engine' in ln]))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                d.stop()
            finally:
                d.kill()
            c.check(engine_line + '2 ' in d.stderr(), 'after a restart: %r in %s'
                    % (engine_line + '2', [ln for ln in d.stderr().splitlines()
                                           if 'SNMP engine' in ln]))
            with open(os.path.join(paths['journal'], 'engine.state')) as f:
                state = f.read()
            c.check('engine_id %s\nboots 2\n' % OUR_ENGINE.lower() in state,
                    'the state file: %r' % state)
        recs = journal_records(c, paths['journal'])
        c.check(len(recs) == len(accepted) + len(learned),
                'journal: %d records for %d accepted: %s'
                % (len(recs), len(accepted) + len(learned), recs))
        seqs = sorted(o.get('seq') for o in read_jsonl(paths['jsonl']))
        c.check(seqs == [r[0] for r in recs], 'JSON seqs %s = journal seqs %s'
                % (seqs, [r[0] for r in recs]))
        names = sorted(r[2] for r in recs)
        want = sorted([w.get('community', w.get('user')) for _, _, w in accepted] +
                      ['informuser'] * len(learned))
        c.check(names == want, 'journal sec names %s, expected %s' % (names, want))
        c.check(all(r[3] in (LINK_DOWN, ENTERPRISE + '.0.17') for r in recs),
                'journal trap OIDs: %s' % [r[3] for r in recs])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_traps')


if __name__ == '__main__':
    sys.exit(main())
