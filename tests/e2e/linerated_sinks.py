#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerated's sinks end to end (issue #6): one daemon, four sinks from
snmp.sinks, each reading the journal with its own cursor:

  * file: JSON Lines;
  * syslog over UDP and over TCP (RFC 5424; TCP with RFC 6587 octet
    counting) to listeners this test opens on the daemon namespace's
    loopback (127.0.0.1), parsed here;
  * Kafka against librdkafka's in-process mock cluster (the sink's
    property test.mock.num.brokers): its deliveries counted by
    `linerate-ctl sink list`.

Operator MIBs: snmp.mib_dirs names a directory holding a module that
names the trap OID used here (its name shows in the JSON) and a broken
file (skipped, with a warning); SIGHUP rebuilds the MIB table: a module
added to the directory names the next traps.

Checked: every trap sent (net-snmp's snmptrap, v2c) arrives in every sink;
with the TCP listener closed the TCP sink lags (sink list: lag_records,
state) while the others deliver, and once the listener is back it catches
up in order (`sink flush tcp` returns 0), every record present; `sink list`
prints a table with each sink and --json gives the counters. SIGHUP with a
new users file: an SNMPv3 user added is accepted (snmpinform exits 0), the
one removed is refused. After a restart every sink resumes from its cursor:
the file sink gets only the new records (no record twice) and the new
mock cluster only those too.

    linerated_sinks.py --linerated PATH --ctl PATH/linerate-ctl [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import json
import os
import re
import shutil
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from sink_e2e import (LINK_DOWN, TEST_OBJ, SyslogTcp, SyslogUdp, ctl,  # noqa: E402
                      free_port, msg_json, seqs_of, sinks_by_name, tags_of,
                      wait_appended, wait_until)
from lr_e2e import V4, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_sinks')

OUR_ENGINE = '80001f88046c7273696e6b'  # text "lrsink"
PW_AUTH, PW_PRIV = 'auth-pass-123', 'priv-pass-456'
VENDOR_TRAP = '1.3.6.1.4.1.32473.0.1'   # RFC 5612's documentation enterprise
LATER_TRAP = '1.3.6.1.4.1.32475.0.1'

# An operator's MIB module (SMIv2, RFC 2578) naming VENDOR_TRAP, one added
# before a reload naming LATER_TRAP, and a file that is no MIB at all.
MIB = '''{name}-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, NOTIFICATION-TYPE, enterprises FROM SNMPv2-SMI;
{lc} MODULE-IDENTITY
    LAST-UPDATED "202611220000Z"
    ORGANIZATION "linerate tests"
    CONTACT-INFO "none"
    DESCRIPTION "linerated_sinks.py"
    ::= {{ enterprises {pen} }}
{lc}Traps OBJECT IDENTIFIER ::= {{ {lc} 0 }}
{lc}Trap NOTIFICATION-TYPE
    STATUS current
    DESCRIPTION "a test notification"
    ::= {{ {lc}Traps 1 }}
END
'''
BROKEN_MIB = 'BROKEN-MIB DEFINITIONS ::= BEGIN\nIMPORTS nothing FROM NOWHERE;\n{ ::= }\n'

USER = '''  - name: {name}
    auth: sha
    auth_password: "{pa}"
    priv: aes128
    priv_password: "{pp}"
'''

SNMP_YAML = '''
snmp:
  enabled: true
  communities: [public]
  engine_id: "0x{engine}"
  users_file: {users}
  journal: {{dir: {journal}, sync_interval_us: 1000, when_full: drop_oldest}}
  mib_dirs: [{mibs}]
  sinks:
    - {{name: file, type: file, path: {jsonl}, fsync: batch}}
    - {{name: udp, type: syslog, transport: udp, address: "127.0.0.1:{udp_port}",
       facility: local3, app_name: lr-e2e}}
    - {{name: tcp, type: syslog, transport: tcp, address: "127.0.0.1:{tcp_port}"}}
    - name: kafka
      type: kafka
      brokers: "127.0.0.1:9"
      topic: lr-traps
      properties: {{test.mock.num.brokers: "1"}}
'''


run = lr_e2e.net_snmp_run
read_jsonl = lr_e2e.read_jsonl


def trap(tmp, tag, oid=LINK_DOWN):
    return run(tmp, ['snmptrap', '-m', '', '-v', '2c', '-c', 'public', '%s:162' % V4, '0',
                     oid, TEST_OBJ, 's', tag])


def inform(tmp, user, tag):
    return run(tmp, ['snmpinform', '-m', '', '-r', '1', '-t', '3', '-v', '3', '-u', user,
                     '-l', 'authPriv', '-a', 'SHA', '-A', PW_AUTH, '-x', 'AES', '-X', PW_PRIV,
                     '%s:162' % V4, '0', LINK_DOWN, TEST_OBJ, 's', tag])


def write_users(path, names):
    with open(path, 'w') as f:
        f.write('users:\n' + ''.join(USER.format(name=n, pa=PW_AUTH, pp=PW_PRIV)
                                     for n in names))


def main():
    a = lr_e2e.trap_test_args('linerated_sinks')
    c = Checks()
    tmp, paths = lr_e2e.scratch('lr-sinks-', (('sock', 'control.sock'), ('users', 'users.yaml'),
                                              ('journal', 'journal'), ('jsonl', 'traps.jsonl'),
                                              ('mibs', 'mibs')))
    write_users(paths['users'], ['alice'])
    os.mkdir(paths['mibs'])
    with open(os.path.join(paths['mibs'], 'LR-VENDOR-MIB.txt'), 'w') as f:
        f.write(MIB.format(name='LR-VENDOR', lc='lrVendor', pen=32473))
    with open(os.path.join(paths['mibs'], 'BROKEN-MIB.txt'), 'w') as f:
        f.write(BROKEN_MIB)
    sock = paths['sock']
    try:
        with lr_e2e.environment('lrs') as ns:
            udp_sock, udp_port = free_port(ns.d, socket.SOCK_DGRAM)
            probe, tcp_port = free_port(ns.d, socket.SOCK_STREAM)
            probe.close()
            udp = SyslogUdp(udp_sock)
            tcp = SyslogTcp(ns.d, tcp_port)
            tcp.listen()
            config = lr_e2e.daemon_config(ns, a.zones, sock, SNMP_YAML.format(
                engine=OUR_ENGINE, udp_port=udp_port, tcp_port=tcp_port, **paths))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                # 1. every trap into every sink
                first = ['t%d' % i for i in range(5)]
                for tag in first:
                    rc, out = trap(tmp, tag, VENDOR_TRAP if tag == 't4' else LINK_DOWN)
                    c.check(rc == 0, '%s: snmptrap exit %d: %s' % (tag, rc, out))
                c.check(wait_appended(a.ctl, sock, 5), 'journal: 5 appended')
                c.check(ctl(a.ctl, sock, 'sink', 'flush').get('ok') is True,
                        'sink flush: every sink caught up')
                objs = read_jsonl(paths['jsonl'])
                c.check(tags_of(objs) == first, 'file sink: %s' % tags_of(objs))
                c.check(objs and objs[-1].get('trap_oid') == VENDOR_TRAP and
                        objs[-1].get('trap_name') == 'lrVendorTrap',
                        'the operator MIB names the vendor trap: %s' % (objs[-1:],))
                c.check(objs and objs[0].get('trap_name') == 'linkDown', 'linkDown named')
                c.check(wait_until(lambda: len(udp.msgs) >= 5) and
                        tags_of(msg_json(m) for m in udp.msgs) == first,
                        'syslog udp: %s' % udp.msgs[:2])
                c.check(all(b' lr-e2e ' in m and m.startswith(b'<157>1 ') for m in udp.msgs),
                        'syslog udp: PRI local3.notice, APP-NAME lr-e2e: %r' % udp.msgs[:1])
                c.check(wait_until(lambda: len(tcp.msgs) >= 5) and
                        tags_of(msg_json(m) for m in tcp.msgs) == first,
                        'syslog tcp: %s' % tcp.msgs[:2])
                sl = sinks_by_name(a.ctl, sock)
                log('sink list: %s' % json.dumps(sl))
                c.check(sorted(sl) == ['file', 'kafka', 'tcp', 'udp'], 'sinks %s' % sorted(sl))
                for name, s in sl.items():
                    c.check(s.get('delivered') == 5 and s.get('lag_records') == 0 and
                            s.get('state') == 'caught-up' and s.get('errors') == 0,
                            '%s: 5 delivered, no lag: %s' % (name, s))
                c.check(sl.get('kafka', {}).get('sent') == 5, 'kafka: the mock cluster '
                        'acknowledged 5: %s' % sl.get('kafka'))
                # a file's own counters; null for the other kinds
                f = sl.get('file', {})
                c.check(f.get('lines') == 5 and f.get('octets', 0) > 5 * 50 and
                        f.get('torn_cut') == 0 and f.get('write_errors') == 0,
                        'file sink counters: %s' % f)
                c.check(all(sl[n].get('lines', 0) is None for n in ('udp', 'tcp', 'kafka')),
                        'no file counters for the others: %s' % sl)
                rc, text = ctl(a.ctl, sock, 'sink', 'list', as_json=False)
                c.check(rc == 0 and re.search(r'name +type +cursor +lag_records +lag_seconds '
                                              r'+delivered +errors +state', text) and
                        re.search(r'\n +kafka +kafka +6 +0 +0 +5 +0 +caught-up', text),
                        'sink list prints a table:\n%s' % text)

                c.check('warning: MIB' in d.stderr() and 'BROKEN-MIB' in d.stderr(),
                        'the broken MIB skipped with a warning: %s'
                        % [ln for ln in d.stderr().splitlines() if 'MIB' in ln])

                # 2. the TCP destination down: that sink lags, the others go on
                tcp.close()
                second = ['d%d' % i for i in range(5)]
                for tag in second:
                    rc, out = trap(tmp, tag)
                    c.check(rc == 0, '%s: snmptrap exit %d: %s' % (tag, rc, out))
                c.check(wait_appended(a.ctl, sock, 10), 'journal: 10 appended')
                c.check(ctl(a.ctl, sock, 'sink', 'flush', 'file').get('ok') is True,
                        'sink flush file')
                c.check(wait_until(lambda: sinks_by_name(a.ctl, sock)['tcp']['lag_records'] > 0
                                   and sinks_by_name(a.ctl, sock)['tcp']['state'] != 'caught-up'),
                        'tcp sink lags while down: %s' % sinks_by_name(a.ctl, sock).get('tcp'))
                rc, _ = ctl(a.ctl, sock, 'sink', 'flush', 'tcp', as_json=False, timeout_ms=3000)
                c.check(rc == 1, 'sink flush tcp fails while its destination is down (%d)' % rc)
                sl = sinks_by_name(a.ctl, sock)
                c.check(sl['file']['delivered'] == 10 and sl['udp']['delivered'] == 10 and
                        wait_until(lambda: sinks_by_name(a.ctl, sock)['kafka']['delivered']
                                   == 10),
                        'the other sinks delivered all 10: %s' % sl)
                c.check(sl['tcp']['delivered'] <= 5, 'tcp: not more than before: %s' % sl['tcp'])
                # 3. back: it catches up, in order
                tcp.listen()
                c.check(ctl(a.ctl, sock, 'sink', 'flush', 'tcp').get('ok') is True,
                        'sink flush tcp once its listener is back')
                c.check(wait_until(lambda: set(first + second) <=
                                   set(tags_of(msg_json(m) for m in tcp.msgs))),
                        'tcp: every record after the outage: %s'
                        % tags_of(msg_json(m) for m in tcp.msgs))
                got = seqs_of(tcp.msgs)
                # at least once: records the dead connection took may come
                # again, never out of order after the first of each
                firsts = [s for i, s in enumerate(got) if s not in got[:i]]
                c.check(firsts == sorted(firsts) and len(firsts) == 10,
                        'tcp: in order, each once at least: %s' % got)

                # 4. SIGHUP with a new users file: bob in, alice out
                rc, out = inform(tmp, 'alice', 'alice-1')
                c.check(rc == 0, 'alice inform before the reload: exit %d: %s' % (rc, out))
                rc, out = inform(tmp, 'bob', 'bob-0')
                c.check(rc != 0, 'bob unknown before the reload: exit %d' % rc)
                write_users(paths['users'], ['bob'])
                with open(os.path.join(paths['mibs'], 'LR-LATER-MIB.txt'), 'w') as f:
                    f.write(MIB.format(name='LR-LATER', lc='lrLater', pen=32475))
                d.hup('reloaded')
                c.check(wait_until(lambda: 'MIB table reloaded' in d.stderr()),
                        'MIB table reloaded')
                # usm_keys.c: bob's password is new, so exactly one is hashed
                c.check('SNMPv3 users reloaded: ' in d.stderr() and
                        '1 password hashed' in d.stderr(),
                        'reload line: %s' % [ln for ln in d.stderr().splitlines()
                                             if 'users reloaded' in ln])
                rc, out = inform(tmp, 'bob', 'bob-1')
                c.check(rc == 0, 'bob inform after the reload: exit %d: %s' % (rc, out))
                rc, out = trap(tmp, 'later', LATER_TRAP)
                c.check(rc == 0, 'later: exit %d: %s' % (rc, out))
                # snmptrap returns once sent: wait for the line, not a flush
                wait_until(lambda: 'later' in tags_of(read_jsonl(paths['jsonl'])))
                later = [o for o in read_jsonl(paths['jsonl']) if tags_of([o]) == ['later']]
                c.check(later and later[0].get('trap_name') == 'lrLaterTrap',
                        'after the reload the new MIB names its trap: %s' % later)
                rc, out = inform(tmp, 'alice', 'alice-2')
                c.check(rc != 0, 'alice refused after the reload: exit %d: %s' % (rc, out))
                # a broken users file: the old table stays
                with open(paths['users'], 'w') as f:
                    f.write('users: [{name: x, auth: md7}]\n')
                d.hup('reloaded')
                c.check('the old SNMPv3 users stay' in d.stderr(), 'broken users file refused')
                rc, out = inform(tmp, 'bob', 'bob-2')
                c.check(rc == 0, 'bob still accepted: exit %d: %s' % (rc, out))
                write_users(paths['users'], ['bob'])  # for the restart
                c.check(ctl(a.ctl, sock, 'sink', 'flush').get('ok') is True, 'flush all')
                stats = ctl(a.ctl, sock, 'stats')
                drops = stats.get('snmp', {}).get('journal', {}).get('drops', {})
                c.check(drops and all(v == 0 for v in drops.values()),
                        'no journal drops: %s' % drops)
                d.stop()
            finally:
                d.kill()
            lr_e2e.sanitizer_clean(c, d.stderr())
            before = read_jsonl(paths['jsonl'])
            want = first + second + ['alice-1', 'bob-1', 'later', 'bob-2']
            c.check(tags_of(before) == want, 'file sink after the first run: %s'
                    % tags_of(before))

            # 5. a restart: every sink resumes from its cursor; the file's
            # tail torn as by a crash mid-line is cut before it appends
            torn = b'{"torn by a crash": '
            with open(paths['jsonl'], 'ab') as fh:
                fh.write(torn)
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            try:
                rc, out = trap(tmp, 'r0')
                c.check(rc == 0, 'r0: exit %d: %s' % (rc, out))
                c.check(wait_appended(a.ctl, sock, 1), 'journal: r0 appended')
                c.check(ctl(a.ctl, sock, 'sink', 'flush').get('ok') is True,
                        'flush after the restart')
                sl = sinks_by_name(a.ctl, sock)
                log('after the restart: %s' % json.dumps(sl))
                c.check(all(s['delivered'] == 1 for s in sl.values()),
                        'after the restart each sink delivered the new record only: %s' % sl)
                c.check(sl['kafka']['sent'] == 1, 'the new mock cluster got 1: %s'
                        % sl['kafka'])
                c.check(sl['file']['torn_cut'] == len(torn) and sl['file']['lines'] == 1,
                        'the torn tail cut (%d octets) and one line written: %s'
                        % (len(torn), sl['file']))
                d.stop()
            finally:
                d.kill()
            objs = read_jsonl(paths['jsonl'])
            c.check(tags_of(objs) == want + ['r0'], 'file sink: %s' % tags_of(objs))
            seqs = [o['seq'] for o in objs]
            c.check(seqs == sorted(set(seqs)), 'file sink: no record twice: %s' % seqs)
            udp.stop = True
            udp.t.join()
            c.check(tags_of(msg_json(m) for m in udp.msgs) == want + ['r0'],
                    'syslog udp: %s' % tags_of(msg_json(m) for m in udp.msgs))
            tcp.close()
            udp_sock.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_sinks')


if __name__ == '__main__':
    sys.exit(main())
