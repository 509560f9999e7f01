#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""USM key management end to end (issue #7), through the real linerate-ctl
and net-snmp's snmpinform/snmptrap from the client namespace:

  * `usm user add` (SHA-256/AES-128, any engine) while the daemon runs: an
    authPriv snmpinform from that user is acknowledged; `usm user remove`:
    the next one is refused and usmStatsUnknownUserNames grows;
  * `usm user list` (table and JSON) shows the users with key IDs, and
    neither it nor the daemon's log ever shows a password or a key;
  * an any-engine user sending traps from an agent's engine: learned, and
    `usm cache show` lists that engine (boots, time) and the localisation;
    `usm engine add|list|remove`, `usm hash`, `usm cache clear`;
  * the key store is 0600; after a restart the users (the file's and the
    one added by linerate-ctl) are there, no password is hashed again
    (usm.hashes 0 in stats) and the inform is acknowledged;
  * engines declared before a restart are listed after it with the same
    boots, time and added, any-engine users' keys for them come from the
    store, and the workers check their traps against the declared boots
    and a clock that went on from `added`; an engine removed or declared
    just before a kill -9 is gone or there after the next start;
  * with --many N: N SHA-256/AES users added with `usm user add --file`
    while a bounded stream of v2c traps and v3 informs flows: every trap
    journaled, every inform acknowledged.

    linerated_usm.py --linerated PATH --ctl PATH/linerate-ctl [--many N]

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
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
from lr_e2e import V4, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_usm')

OUR_ENGINE = '80001f88046c7275736d'      # net-snmp's enterprise, text "lrusm"
AGENT_ENGINE = '8000000001020304cc'     # a trap sender's (authoritative) engine
DECLARED_ENGINE = '8000000001020304dd'
TIMED_ENGINE = '8000000001020304ee'     # learned first, then declared
FRESH_ENGINE = '8000000001020304ff'     # declared before any message
KEPT_ENGINE = '8000000001020304a1'      # declared before the restart: kept
GONE_ENGINE = '8000000001020304a2'      # declared before, removed after the restart
LATE_ENGINE = '8000000001020304a3'      # declared after the restart, then kill -9
FILE_PW = 'File-Pass-Phrase-0426'
CTL_AUTH_PW, CTL_PRIV_PW = 'Ctl-Auth-Secret-7781', 'Ctl-Priv-Secret-9043'
MANY_PW = 'Many-Users-Pass-5150'
SECRETS = (FILE_PW, CTL_AUTH_PW, CTL_PRIV_PW, MANY_PW)
KEY_IDS = {}  # ctluser's key IDs at the first run: the same after a restart
DECLARED = {}  # engine -> (boots, time, added) listed before the restart
TEST_OBJ = '1.3.6.1.4.1.8072.9999.1.0'
LINK_DOWN = '1.3.6.1.6.3.1.1.5.3'

USERS = '''users:
  - name: fileuser
    auth: sha
    auth_password: "{pw}"
    priv: aes128
    priv_password: "{pw}"
'''

CONFIG = '''
eal: [--no-huge, --no-shconf, -m, "256", --no-pci, -l, "0-1",
      --log-level, "lib.eal:warning", --vdev, "net_af_packet0,iface={dev}"]
ports:
  - name: lr0
    device: net_af_packet0,iface={dev}
    ipv4: [{v4}]
workers: [1]
dns:
  zones:
    - {{origin: example.com., file: "{zone}"}}
control:
  socket: {sock}
snmp:
  enabled: true
  communities: [public]
  engine_id: "0x{engine}"
  users_file: {users}
  hash_threads: 2
  journal: {{dir: {journal}, sync_interval_us: 1000}}
  sinks:
    file: {{path: {jsonl}}}
'''


def net_snmp_env(tmp):
    return dict(os.environ, MIBS='', SNMP_PERSISTENT_DIR=tmp, SNMPCONFPATH=tmp)


def run(tmp, args, timeout=30):
    r = subprocess.run(args, env=net_snmp_env(tmp), capture_output=True, text=True,
                       timeout=timeout)
    return r.returncode, (r.stdout + r.stderr).strip()


def inform(tmp, user, tag, pa, pp, auth='SHA-256'):
    return run(tmp, ['snmpinform', '-m', '', '-r', '1', '-t', '3', '-v', '3', '-u', user,
                     '-l', 'authPriv', '-a', auth, '-A', pa, '-x', 'AES', '-X', pp,
                     '%s:162' % V4, '0', LINK_DOWN, TEST_OBJ, 's', tag])


def trap(tmp, user, tag, pa, pp, engine, auth='SHA-256', boots_time=None):
    bt = ['-Z', '%d,%d' % boots_time] if boots_time else []
    return run(tmp, ['snmptrap', '-m', '', '-v', '3', '-u', user, '-l', 'authPriv',
                     '-a', auth, '-A', pa, '-x', 'AES', '-X', pp, '-e', '0x' + engine] + bt +
               ['%s:162' % V4, '0', LINK_DOWN, TEST_OBJ, 's', tag])


def ctl(tool, sock, *cmd, as_json=True, check=True, stdin=None):
    r = subprocess.run([tool] + (['--json'] if as_json else []) + ['-s', sock, '-t', '60000'] +
                       list(cmd), capture_output=True, text=True, timeout=300, input=stdin)
    if check and r.returncode != 0:
        raise AssertionError('linerate-ctl %s: exit %d: %s%s'
                             % (' '.join(cmd), r.returncode, r.stdout, r.stderr))
    if not as_json:
        return r
    return json.loads(r.stdout) if r.stdout.strip() else {}


def engines_of(tool, sock):
    """`usm engine list`: engine -> (boots, time, added)."""
    return {e.get('engine'): (e.get('boots'), e.get('time'), e.get('added'))
            for e in ctl(tool, sock, 'usm', 'engine', 'list').get('engines', [])}


def trap_counts(a, tmp, sock, engine, tag, boots_time):
    """A ctluser trap from engine with these boots and time: how the
    daemon's counters of v3 traps and notInTimeWindows moved."""
    st0 = ctl(a.ctl, sock, 'stats')
    rc, out = trap(tmp, 'ctluser', tag, CTL_AUTH_PW, CTL_PRIV_PW, engine, boots_time=boots_time)
    time.sleep(0.5)
    st1 = ctl(a.ctl, sock, 'stats')
    d = {k: stat_of(st1, *p) - stat_of(st0, *p) for k, p in
         (('v3', ('snmp', 'traps', 'v3')), ('late', ('snmp', 'usm', 'notInTimeWindows')))}
    log('trap %s (boots %d, time %d) to %s: %s %s' % (tag, *boots_time, engine, d, out))
    return d


def stat_of(st, *path):
    v = st
    for k in path:
        v = v.get(k, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0


def no_secret(c, text, where):
    found = [s for s in SECRETS if s in text]
    c.check(not found, '%s shows a password: %s' % (where, found))


def ku_of(password):
    """RFC 3414 A.2 with SHA-256 (RFC 7860): a megabyte of the password
    repeated, hashed (Ku)."""
    pw = password.encode()
    return hashlib.sha256((pw * (1048576 // len(pw) + 1))[:1048576]).digest()


def localized_key(password, engine_hex):
    """Ku, then H(Ku || engine || Ku) (Kul)."""
    ku = ku_of(password)
    return hashlib.sha256(ku + bytes.fromhex(engine_hex) + ku).hexdigest()


def key_user(c, a, tmp, sock):
    """A user given by localised keys (computed here, independently),
    for the agent's engine: net-snmp, from the passwords, is accepted."""
    ctl(a.ctl, sock, 'usm', 'user', 'add', 'keyuser', '--engine', AGENT_ENGINE, '--auth',
        'sha256', '--auth-key', localized_key(CTL_AUTH_PW, AGENT_ENGINE), '--priv', 'aes128',
        '--priv-key', localized_key(CTL_PRIV_PW, AGENT_ENGINE))
    before = stat_of(ctl(a.ctl, sock, 'stats'), 'snmp', 'traps', 'v3')
    rc, out = trap(tmp, 'keyuser', 'key-user', CTL_AUTH_PW, CTL_PRIV_PW, AGENT_ENGINE)
    time.sleep(0.5)
    after = stat_of(ctl(a.ctl, sock, 'stats'), 'snmp', 'traps', 'v3')
    c.check(rc == 0 and after == before + 1, 'a user given by localised keys: trap accepted '
            '(%d -> %d) %s' % (before, after, out))
    ku = users_by_name(a.ctl, sock).get('keyuser', {})
    c.check(ku.get('auth_key') == 'localized' and ku.get('priv_key') == 'localized' and
            ku.get('engine') == AGENT_ENGINE, 'keyuser listed: %s' % ku)
    ctl(a.ctl, sock, 'usm', 'user', 'remove', 'keyuser', '--engine', AGENT_ENGINE)


def reload_file(c, a, tmp, paths, sock):
    """`usm reload`: a changed password in the users file is hashed (only
    it), the old one refused, the new one accepted, a new user served, the
    users added by linerate-ctl kept; a broken file changes nothing."""
    with open(paths['users'], 'w') as f:
        f.write(USERS.format(pw=FILE_PW + '-new') +
                '  - {name: newfileuser, auth: sha, auth_password: "%s", priv: aes128, '
                'priv_password: "%s"}\n' % (FILE_PW, FILE_PW))
    r = ctl(a.ctl, sock, 'usm', 'reload')
    c.check(r.get('hashed') == 2, 'usm reload: the changed and the new user hashed: %s' % r)
    rc_old, _ = inform(tmp, 'fileuser', 'reload-old', FILE_PW, FILE_PW, auth='SHA')
    rc_new, out = inform(tmp, 'fileuser', 'reload-new', FILE_PW + '-new', FILE_PW + '-new',
                         auth='SHA')
    rc_nu, out2 = inform(tmp, 'newfileuser', 'reload-newuser', FILE_PW, FILE_PW, auth='SHA')
    c.check(rc_old != 0 and rc_new == 0 and rc_nu == 0,
            'after reload: old password refused (%d), new accepted (%d %s), new user (%d %s)'
            % (rc_old, rc_new, out, rc_nu, out2))
    users = users_by_name(a.ctl, sock)
    c.check('ctluser' in users and 'newfileuser' in users, 'after reload: %s' % sorted(users))
    with open(paths['users'], 'w') as f:
        f.write('users:\n  - {name: x, auth: sha, auth_password: short}\n')
    r = ctl(a.ctl, sock, 'usm', 'reload', as_json=False, check=False)
    c.check(r.returncode == 1 and 'shorter than 8' in r.stderr and
            len(users_by_name(a.ctl, sock)) == len(users),
            'a broken users file changes nothing: %s' % r.stderr)
    with open(paths['users'], 'w') as f:  # back as it was, for the restart
        f.write(USERS.format(pw=FILE_PW))
    # the old password's entry left the store at the first reload: hashed again
    r = ctl(a.ctl, sock, 'usm', 'reload')
    c.check(r.get('hashed') == 1 and 'newfileuser' not in users_by_name(a.ctl, sock),
            'the original file back: fileuser hashed again, newfileuser gone: %s' % r)


def add_ctl_user(c, tool, sock, tmp):
    """The passwords kept out of the command line: the auth one from a
    file, the priv one from standard input."""
    pwfile = os.path.join(tmp, 'auth.pw')
    with open(os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
        f.write(CTL_AUTH_PW + '\n')
    r = ctl(tool, sock, 'usm', 'user', 'add', 'ctluser', '--auth', 'sha256',
            '--auth-password-file', pwfile, '--priv', 'aes128', '--priv-password-file', '-',
            as_json=False, stdin=CTL_PRIV_PW + '\n')
    os.unlink(pwfile)
    no_secret(c, r.stdout + r.stderr, 'usm user add output')
    c.check('added' in r.stdout and re.search(r'hashed\s+1', r.stdout),
            'usm user add: %r' % r.stdout)


def users_by_name(tool, sock):
    return {u['name']: u for u in ctl(tool, sock, 'usm', 'user', 'list').get('users', [])}


def first_run(c, a, tmp, paths, ns, config):
    d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
    try:
        sock = paths['sock']
        rc, out = inform(tmp, 'ctluser', 'before-add', CTL_AUTH_PW, CTL_PRIV_PW)
        c.check(rc != 0, 'inform from a user not yet added refused: %d %s' % (rc, out))
        add_ctl_user(c, a.ctl, sock, tmp)
        rc, out = inform(tmp, 'ctluser', 'after-add', CTL_AUTH_PW, CTL_PRIV_PW)
        c.check(rc == 0, 'inform from the added user acknowledged: exit %d: %s' % (rc, out))
        rc, out = inform(tmp, 'fileuser', 'file-user', FILE_PW, FILE_PW, auth='SHA')
        c.check(rc == 0, 'inform from the users file user: exit %d: %s' % (rc, out))
        # the same name and engine twice: refused, the first kept
        r = ctl(a.ctl, sock, 'usm', 'user', 'add', 'ctluser', '--auth', 'md5',
                '--auth-password', 'something-else', as_json=False, check=False)
        c.check(r.returncode == 1 and 'exists' in r.stderr, 'duplicate add refused: %d %s'
                % (r.returncode, r.stderr))
        # a bad entry: the loader's message, no secret in it
        r = ctl(a.ctl, sock, 'usm', 'user', 'add', 'shortpw', '--auth', 'sha',
                '--auth-password', 'short', as_json=False, check=False)
        c.check(r.returncode == 1 and 'shorter than 8' in r.stderr and 'short"' not in r.stderr,
                'short password refused with a reason: %s' % r.stderr)
        # the list: masked, key IDs of 8 hex digits
        table = ctl(a.ctl, sock, 'usm', 'user', 'list', as_json=False)
        no_secret(c, table.stdout, 'usm user list')
        c.check('ctluser' in table.stdout and 'fileuser' in table.stdout,
                'usm user list: %s' % table.stdout)
        users = users_by_name(a.ctl, sock)
        no_secret(c, json.dumps(users), 'usm user list --json')
        cu = users.get('ctluser', {})
        c.check(cu.get('origin') == 'ctl' and cu.get('auth') == 'sha256' and
                cu.get('priv') == 'aes128' and cu.get('level') == 'authPriv' and
                re.fullmatch(r'[0-9a-f]{8}', str(cu.get('auth_key_id'))) and
                re.fullmatch(r'[0-9a-f]{8}', str(cu.get('priv_key_id'))) and
                cu.get('auth_key_id') != cu.get('priv_key_id'),
                'ctluser listed with key IDs: %s' % cu)
        # keyed IDs: not SHA-256 of Ku, which would let a lister test guesses
        plain = hashlib.sha256(ku_of(CTL_AUTH_PW)).hexdigest()[:8]
        c.check(cu.get('auth_key_id') != plain, 'auth key ID is SHA-256(Ku): %s' % plain)
        KEY_IDS.update(auth=cu.get('auth_key_id'), priv=cu.get('priv_key_id'))
        c.check(users.get('fileuser', {}).get('origin') == 'file', 'fileuser: origin file')
        # a user of the users file is not removed by linerate-ctl
        r = ctl(a.ctl, sock, 'usm', 'user', 'remove', 'fileuser', as_json=False, check=False)
        c.check(r.returncode == 1 and 'users file' in r.stderr, 'file user: %s' % r.stderr)
        # remove: the next inform is refused as an unknown user
        before = stat_of(ctl(a.ctl, sock, 'stats'), 'snmp', 'usm', 'unknownUserNames')
        ctl(a.ctl, sock, 'usm', 'user', 'remove', 'ctluser')
        rc, out = inform(tmp, 'ctluser', 'after-remove', CTL_AUTH_PW, CTL_PRIV_PW)
        after = stat_of(ctl(a.ctl, sock, 'stats'), 'snmp', 'usm', 'unknownUserNames')
        c.check(rc != 0 and after > before, 'after remove: inform exit %d (%s), '
                'unknownUserNames %d -> %d' % (rc, out, before, after))
        c.check('ctluser' not in users_by_name(a.ctl, sock), 'removed user not listed')
        r = ctl(a.ctl, sock, 'usm', 'user', 'remove', 'ctluser', as_json=False, check=False)
        c.check(r.returncode == 1, 'removing it again: exit %d' % r.returncode)
        add_ctl_user(c, a.ctl, sock, tmp)  # for the restart
        key_user(c, a, tmp, sock)
        reload_file(c, a, tmp, paths, sock)
        engines_and_cache(c, a, tmp, sock)
        st = ctl(a.ctl, sock, 'stats')
        log('usm stats: %s' % json.dumps(st.get('usm')))
        c.check(stat_of(st, 'usm', 'hashes') >= 3, 'hashes counted: %s' % st.get('usm'))
        if a.many:
            many_users(c, a, tmp, paths, sock)
        declare_for_restart(c, a, sock)
        d.stop()
    finally:
        d.kill()
    return d


def engines_and_cache(c, a, tmp, sock):
    # an any-engine user's trap from an agent's engine: the first asks for
    # keys (dropped), the next is accepted; the cache shows the engine
    for tag in ('agent-1', 'agent-2'):
        rc, out = trap(tmp, 'ctluser', tag, CTL_AUTH_PW, CTL_PRIV_PW, AGENT_ENGINE)
        c.check(rc == 0, 'snmptrap %s: %s' % (tag, out))
        time.sleep(0.5)
    cache = ctl(a.ctl, sock, 'usm', 'cache', 'show')
    log('cache: %s' % json.dumps(cache))
    eng = [e for e in cache.get('engines', []) if e.get('engine') == AGENT_ENGINE]
    c.check(len(eng) == 1 and eng[0].get('boots', -1) >= 0 and eng[0].get('last_seen', 0) > 0,
            'usm cache show: the agent engine with boots, time, last seen: %s' % cache)
    c.check(any(x.get('user') == 'ctluser' and x.get('engine') == AGENT_ENGINE
                for x in cache.get('localized', [])),
            'usm cache show: ctluser localised for the agent engine')
    r = ctl(a.ctl, sock, 'usm', 'cache', 'show', as_json=False)
    no_secret(c, r.stdout, 'usm cache show')
    ctl(a.ctl, sock, 'usm', 'engine', 'add', DECLARED_ENGINE, '--boots', '7', '--time', '100')
    engines = ctl(a.ctl, sock, 'usm', 'engine', 'list').get('engines', [])
    c.check([(e.get('engine'), e.get('boots'), e.get('time')) for e in engines] ==
            [(DECLARED_ENGINE, 7, 100)], 'usm engine list: %s' % engines)
    h = ctl(a.ctl, sock, 'usm', 'hash')
    c.check(h.get('users', 0) >= 2 and h.get('localized', -1) == 0,
            'usm hash: everything localised already: %s' % h)
    users = users_by_name(a.ctl, sock)
    c.check(users.get('ctluser', {}).get('engines_localized') == 3,
            'ctluser localised for ours, the agent and the declared engine: %s'
            % users.get('ctluser'))
    r = ctl(a.ctl, sock, 'usm', 'engine', 'add', '00', as_json=False, check=False)
    c.check(r.returncode == 1 and 'engine' in r.stderr, 'a bad engine ID refused: %s' % r.stderr)
    ctl(a.ctl, sock, 'usm', 'engine', 'remove', DECLARED_ENGINE)
    c.check(ctl(a.ctl, sock, 'usm', 'engine', 'list').get('engines') == [], 'engine removed')
    ctl(a.ctl, sock, 'usm', 'cache', 'clear')
    time.sleep(0.3)
    cache = ctl(a.ctl, sock, 'usm', 'cache', 'show')
    c.check(not cache.get('engines') and
            not any(x.get('engine') == AGENT_ENGINE for x in cache.get('localized', [])),
            'usm cache clear: the agent engine forgotten: %s' % cache)
    # learned again from the next authenticated trap
    for tag in ('agent-3', 'agent-4'):
        trap(tmp, 'ctluser', tag, CTL_AUTH_PW, CTL_PRIV_PW, AGENT_ENGINE)
        time.sleep(0.5)
    cache = ctl(a.ctl, sock, 'usm', 'cache', 'show')
    c.check(any(e.get('engine') == AGENT_ENGINE for e in cache.get('engines', [])),
            'the agent engine learned again after clear')
    declared_times(c, a, tmp, sock)


def declared_times(c, a, tmp, sock):
    """`usm engine add --boots --time` reaches the workers at once (RFC 3414
    §3.2 step 7b): a trap whose boots are older than the declared ones is
    refused notInTimeWindow where, learned from the sender alone, it was
    accepted; the right boots/time are accepted; a declaration outlives
    `usm cache clear`."""
    def send(engine, tag):
        return trap_counts(a, tmp, sock, engine, tag, (1, 100))

    # learned from the sender: its first trap asks for keys, the next is taken
    send(TIMED_ENGINE, 'timed-1')
    d = send(TIMED_ENGINE, 'timed-2')
    c.check(d == {'v3': 1, 'late': 0}, 'undeclared engine, boots 1: accepted: %s' % d)
    ctl(a.ctl, sock, 'usm', 'engine', 'add', TIMED_ENGINE, '--boots', '50', '--time', '0')
    d = send(TIMED_ENGINE, 'timed-3')
    c.check(d == {'v3': 0, 'late': 1},
            'declared boots 50: the boots-1 trap refused notInTimeWindow: %s' % d)
    ctl(a.ctl, sock, 'usm', 'engine', 'add', TIMED_ENGINE, '--boots', '1', '--time', '100')
    d = send(TIMED_ENGINE, 'timed-4')
    c.check(d == {'v3': 1, 'late': 0}, 'declared boots 1, time 100: accepted: %s' % d)
    # declared before any message: the very first is checked against it
    ctl(a.ctl, sock, 'usm', 'engine', 'add', FRESH_ENGINE, '--boots', '50', '--time', '0')
    d = send(FRESH_ENGINE, 'fresh-1')
    c.check(d == {'v3': 0, 'late': 1},
            'engine declared boots 50 before any message: refused notInTimeWindow: %s' % d)
    ctl(a.ctl, sock, 'usm', 'cache', 'clear')
    time.sleep(0.3)
    d = send(FRESH_ENGINE, 'fresh-2')
    c.check(d == {'v3': 0, 'late': 1}, 'the declaration outlives usm cache clear: %s' % d)
    for e in (TIMED_ENGINE, FRESH_ENGINE):
        ctl(a.ctl, sock, 'usm', 'engine', 'remove', e)


def declare_for_restart(c, a, sock):
    """Two engines declared last thing before the restart (so that the
    clock check after it stays inside the engine's first 150 s)."""
    ctl(a.ctl, sock, 'usm', 'engine', 'add', KEPT_ENGINE, '--boots', '9', '--time', '500')
    ctl(a.ctl, sock, 'usm', 'engine', 'add', GONE_ENGINE, '--boots', '3', '--time', '30')
    DECLARED.update(engines_of(a.ctl, sock))
    c.check(set(DECLARED) == {KEPT_ENGINE, GONE_ENGINE} and
            DECLARED[KEPT_ENGINE][:2] == (9, 500) and DECLARED[KEPT_ENGINE][2] > 0,
            'engines declared before the restart: %s' % DECLARED)


# At least this many seconds between the declarations and the restart's
# first table, so that a clock restarted there would show (half of it is
# the margin each way of the check below).
RESTART_GAP = 8


def engines_after_restart(c, a, tmp, sock):
    """The engines declared before the restart: listed as they were, keys
    for the any-engine users from the store, and the workers given their
    boots and a clock that went on from `added` (RFC 3414 §3.2 step 7b)."""
    engines = engines_of(a.ctl, sock)
    c.check(DECLARED and engines == DECLARED,
            'restart: declared engines kept with boots, time, added: %s, before %s'
            % (engines, DECLARED))
    st = ctl(a.ctl, sock, 'stats')
    c.check(stat_of(st, 'usm', 'localized') == 0,
            'restart: no key localised again (declared engines from the store): %s'
            % st.get('usm'))
    cache = ctl(a.ctl, sock, 'usm', 'cache', 'show')
    kept = {x.get('engine') for x in cache.get('localized', []) if x.get('user') == 'ctluser'}
    c.check({KEPT_ENGINE, GONE_ENGINE} <= kept,
            'restart: ctluser keyed for the declared engines: %s' % sorted(kept))
    # older boots than declared: refused, so the workers have the boots
    d = trap_counts(a, tmp, sock, KEPT_ENGINE, 'kept-old-boots', (1, 100))
    c.check(d == {'v3': 0, 'late': 1},
            'restart: boots 1 to an engine declared boots 9: notInTimeWindow: %s' % d)
    # the declared time plus the seconds since `added`, less the window and
    # half the gap: late against a clock that ran since `added`; it would
    # pass against one restarted with the daemon
    added = DECLARED[KEPT_ENGINE][2]
    late = 500 + int(time.time()) - added - 150 - RESTART_GAP // 2
    d = trap_counts(a, tmp, sock, KEPT_ENGINE, 'kept-late', (9, late))
    c.check(d == {'v3': 0, 'late': 1},
            'restart: the engine clock went on from added (time %d, %d s since): %s'
            % (late, int(time.time()) - added, d))
    d = trap_counts(a, tmp, sock, KEPT_ENGINE, 'kept-now',
                    (9, 500 + int(time.time()) - added))
    c.check(d == {'v3': 1, 'late': 0}, 'restart: the engine time now: accepted: %s' % d)
    # what changes now is kept at once: kill -9 follows
    ctl(a.ctl, sock, 'usm', 'engine', 'remove', GONE_ENGINE)
    ctl(a.ctl, sock, 'usm', 'engine', 'add', LATE_ENGINE, '--boots', '2', '--time', '20')
    engines = engines_of(a.ctl, sock)
    c.check(set(engines) == {KEPT_ENGINE, LATE_ENGINE}, 'remove and add: %s' % engines)
    return engines


def many_users(c, a, tmp, paths, sock):
    """N users through linerate-ctl (a users file, in batches) while a
    bounded stream of traps and informs flows: nothing lost."""
    n = a.many
    path = os.path.join(tmp, 'many.yaml')
    with open(path, 'w') as f:
        f.write('users:\n')
        for i in range(n):
            f.write('  - {name: "bulk%05d", engine_id: "0x%s", auth: sha256, '
                    'auth_password: "%s", priv: aes128, priv_password: "%s"}\n'
                    % (i, AGENT_ENGINE, MANY_PW, MANY_PW))
    st0 = ctl(a.ctl, sock, 'stats')
    stop = threading.Event()
    sent = {'traps': 0, 'informs': 0, 'inform_fail': []}

    def load():
        # bounded: at most 400 traps and 100 informs, paced
        deadline = time.monotonic() + 600
        while not stop.is_set() and sent['traps'] < 400 and time.monotonic() < deadline:
            run(tmp, ['snmptrap', '-m', '', '-v', '2c', '-c', 'public', '%s:162' % V4, '0',
                      LINK_DOWN, TEST_OBJ, 's', 'load-%d' % sent['traps']])
            sent['traps'] += 1
            if sent['traps'] % 4 == 0 and sent['informs'] < 100:
                rc, out = inform(tmp, 'ctluser', 'load-inform-%d' % sent['informs'],
                                 CTL_AUTH_PW, CTL_PRIV_PW)
                sent['informs'] += 1
                if rc != 0:
                    sent['inform_fail'].append(out)
            time.sleep(0.02)

    t = threading.Thread(target=load)
    t.start()
    began = time.monotonic()
    r = ctl(a.ctl, sock, 'usm', 'user', 'add', '--file', path, '--batch', '100', as_json=False,
            check=False)
    took = time.monotonic() - began
    time.sleep(1)
    stop.set()
    t.join()
    log('%d users added in %.1f s while %d traps and %d informs were sent: %s'
        % (n, took, sent['traps'], sent['informs'], r.stdout.strip().replace('\n', '; ')))
    c.check(r.returncode == 0 and re.search(r'added\s+%d' % n, r.stdout),
            'usm user add --file: %d %s %s' % (r.returncode, r.stdout, r.stderr))
    no_secret(c, r.stdout + r.stderr, 'usm user add --file')
    time.sleep(1)
    st1 = ctl(a.ctl, sock, 'stats')
    traps = stat_of(st1, 'snmp', 'traps', 'v2c') - stat_of(st0, 'snmp', 'traps', 'v2c')
    informs = stat_of(st1, 'snmp', 'informs', 'v3') - stat_of(st0, 'snmp', 'informs', 'v3')
    acked = stat_of(st1, 'snmp', 'informs_acked') - stat_of(st0, 'snmp', 'informs_acked')
    drops = {k: stat_of(st1, 'snmp', 'drops', k) - stat_of(st0, 'snmp', 'drops', k)
             for k in ('no_slot', 'no_big_slot', 'ring_full', 'malformed')}
    c.check(traps == sent['traps'], 'every trap journaled: %d of %d (drops %s)'
            % (traps, sent['traps'], drops))
    c.check(not sent['inform_fail'] and informs == sent['informs'] and acked >= sent['informs'],
            'every inform answered: %d sent, %d journaled, %d acked, failures %s'
            % (sent['informs'], informs, acked, sent['inform_fail'][:3]))
    users = ctl(a.ctl, sock, 'usm', 'user', 'list').get('users', [])
    c.check(len(users) == n + 2, 'users listed: %d' % len(users))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    ap.add_argument('--zones', default=os.path.join(HERE, '..', 'data', 'zones'))
    ap.add_argument('--many', type=int, default=0, help='also add this many users under load')
    a = ap.parse_args()
    for tool in ('snmptrap', 'snmpinform'):
        if not shutil.which(tool):
            lr_e2e.skip('%s (Debian snmp) not installed' % tool)
    c = Checks()
    tmp = tempfile.mkdtemp(prefix='lr-usm-')
    paths = {k: os.path.join(tmp, v) for k, v in
             (('sock', 'control.sock'), ('users', 'users.yaml'), ('journal', 'journal'),
              ('jsonl', 'traps.jsonl'))}
    with open(paths['users'], 'w') as f:
        f.write(USERS.format(pw=FILE_PW))
    zone = os.path.abspath(os.path.join(a.zones, 'example.com.zone'))
    try:
        with lr_e2e.environment('lru') as ns:
            config = CONFIG.format(dev=ns.dev_d, v4=V4, zone=zone, engine=OUR_ENGINE, **paths)
            d = first_run(c, a, tmp, paths, ns, config)
            no_secret(c, d.stderr(), "the daemon's log")
            lr_e2e.sanitizer_clean(c, d.stderr())
            store = os.path.join(paths['journal'], 'usm.keys')
            mode = stat.S_IMODE(os.stat(store).st_mode) if os.path.exists(store) else None
            c.check(mode == 0o600, 'key store %s mode %s' % (store, oct(mode or 0)))
            with open(store, 'rb') as f:
                data = f.read()
            c.check(not any(s.encode() in data for s in SECRETS), 'no password in the key store')
            # a restart: the users are there, nothing is hashed again
            if DECLARED:
                time.sleep(max(0, RESTART_GAP - (time.time() - DECLARED[KEPT_ENGINE][2])))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                st = ctl(a.ctl, paths['sock'], 'stats')
                log('after restart: %s' % json.dumps(st.get('usm')))
                c.check(stat_of(st, 'usm', 'hashes') == 0 and
                        stat_of(st, 'usm', 'loaded_users') >= 1,
                        'restart: no password hashed again: %s' % st.get('usm'))
                users = users_by_name(a.ctl, paths['sock'])
                c.check('ctluser' in users and 'fileuser' in users,
                        'restart: users kept: %s' % sorted(users)[:5])
                cu = users.get('ctluser', {})
                c.check(KEY_IDS and (cu.get('auth_key_id'), cu.get('priv_key_id')) ==
                        (KEY_IDS.get('auth'), KEY_IDS.get('priv')),
                        'restart: key IDs kept (%s): %s' % (KEY_IDS, cu))
                rc, out = inform(tmp, 'ctluser', 'after-restart', CTL_AUTH_PW, CTL_PRIV_PW)
                c.check(rc == 0, 'restart: inform acknowledged: exit %d: %s' % (rc, out))
                engines = engines_after_restart(c, a, tmp, paths['sock'])
            finally:
                d.kill()  # kill -9: what the commands changed must be on disk already
            no_secret(c, d.stderr(), "the daemon's log after restart")
            c.check(re.search(r'0 passwords hashed', d.stderr()),
                    'restart: the start line says 0 hashed: %s'
                    % [ln for ln in d.stderr().splitlines() if 'hashed' in ln])
            lr_e2e.sanitizer_clean(c, d.stderr())
            # after kill -9: the engine removed is gone, the one added is there
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                after = engines_of(a.ctl, paths['sock'])
                d.stop()
            finally:
                d.kill()
            c.check(after == engines and GONE_ENGINE not in after,
                    'after kill -9: engines as the commands left them: %s, before %s'
                    % (after, engines))
            lr_e2e.sanitizer_clean(c, d.stderr())
            # a key store others may read is refused, kept aside, replaced
            os.chmod(store, 0o644)
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                st = ctl(a.ctl, paths['sock'], 'stats')
                users = users_by_name(a.ctl, paths['sock'])
                rc, out = inform(tmp, 'fileuser', 'after-refused-store', FILE_PW, FILE_PW,
                                 auth='SHA')
                d.stop()
            finally:
                d.kill()
            c.check('mode 0644' in d.stderr() and os.path.exists(store + '.refused'),
                    'a 0644 key store refused and moved aside: %s'
                    % [ln for ln in d.stderr().splitlines() if 'key store' in ln])
            c.check(stat_of(st, 'usm', 'hashes') == 1 and 'fileuser' in users and
                    'ctluser' not in users and rc == 0,
                    'without the store: the file user hashed again and served (%s), '
                    'ctl users not loaded: %s' % (out, sorted(users)))
            c.check(stat.S_IMODE(os.stat(store).st_mode) == 0o600, 'the new store is 0600')
            no_secret(c, d.stderr(), "the daemon's log with a refused store")
            lr_e2e.sanitizer_clean(c, d.stderr())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_usm')


if __name__ == '__main__':
    sys.exit(main())
