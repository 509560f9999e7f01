#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""linerated's journal-full policy end to end (issue #6): a 1 MiB journal
(snmp.journal.max_bytes) with when_full: refuse, and one sink, syslog over
TCP to a listener that is not there yet, so nothing is released.

Thousands of v2c traps (built here, sent over UDP from the client
namespace) fill the journal: new traps are refused and counted
(stats snmp.journal.drops.traps_refused_full), an inform gets no Response
(snmpinform fails; informs_refused_full grows), and the daemon logs the
drops summed, a few lines, never one per record. Every trap is either
journaled or counted. Then the listener opens: the sink delivers every
journaled trap, in order, the oldest ones (refuse keeps what it has), and
once released the journal takes traps and informs again.

    linerated_journal_full.py --linerated PATH --ctl PATH/linerate-ctl [--zones DIR]

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import os
import shutil
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import V4, Checks, log  # noqa: E402
import sink_e2e as se  # noqa: E402
from lr_e2e import ber_int, ber_oid, ber_tlv as tlv  # noqa: E402

TRAPS = 10000
BURST = 100

SNMP_YAML = '''
snmp:
  enabled: true
  communities: [public]
  journal: {{dir: {journal}, max_bytes: 1048576, when_full: refuse, sync_interval_us: 1000}}
  sinks:
    - {{name: tcp, type: syslog, transport: tcp, address: "127.0.0.1:{tcp_port}"}}
'''





def v2c_trap(n):
    """An SNMPv2-Trap-PDU (RFC 3416 §4.2.6), community public, request-id
    n, our test object = "j<n>"."""
    vbs = (tlv(0x30, ber_oid('1.3.6.1.2.1.1.3.0') + tlv(0x43, b'\x00')) +
           tlv(0x30, ber_oid('1.3.6.1.6.3.1.1.4.1.0') + ber_oid(se.LINK_DOWN)) +
           tlv(0x30, ber_oid(se.TEST_OBJ) + tlv(0x04, b'j%d' % n)))
    pdu = tlv(0xa7, ber_int(n) + ber_int(0) + ber_int(0) + tlv(0x30, vbs))
    return tlv(0x30, ber_int(1) + tlv(0x04, b'public') + pdu)


snmp = lr_e2e.snmp_counter


def main():
    a = lr_e2e.trap_test_args('linerated_journal_full')
    c = Checks()
    tmp, paths = lr_e2e.scratch('lr-jfull-', (('sock', 'control.sock'), ('journal', 'journal')))
    sock = paths['sock']
    try:
        with lr_e2e.environment('ljf') as ns:
            probe, tcp_port = se.free_port(ns.d, socket.SOCK_STREAM)
            probe.close()  # nobody listens yet: the sink is down
            config = lr_e2e.daemon_config(ns, a.zones, sock,
                                          SNMP_YAML.format(tcp_port=tcp_port, **paths))
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            tcp = se.SyslogTcp(ns.d, tcp_port)
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                for first in range(0, TRAPS, BURST):  # bounded: TRAPS datagrams, paced
                    for n in range(first, first + BURST):
                        s.sendto(v2c_trap(n), (V4, 162))
                    time.sleep(0.02)
                s.close()
                se.wait_until(lambda: se.appended(a.ctl, sock) +
                              snmp(se.ctl(a.ctl, sock, 'stats'), 'journal', 'drops',
                                   'traps_refused_full') >= TRAPS, 10)
                st = se.ctl(a.ctl, sock, 'stats')
                jr = st.get('snmp', {}).get('journal', {})
                log('full: %s' % jr)
                accepted = jr.get('appended', 0)
                refused = snmp(st, 'journal', 'drops', 'traps_refused_full')
                worker = sum(snmp(st, 'drops', k) for k in ('no_slot', 'no_big_slot', 'ring_full'))
                c.check(jr.get('full') == 1, 'the journal says it is full')
                c.check(refused > 0 and accepted > 1000, 'traps refused when full: %d '
                        'refused, %d journaled' % (refused, accepted))
                # the workers count what they pass on (traps.v2c); the
                # journal keeps or refuses each
                c.check(accepted + refused + worker == TRAPS and
                        snmp(st, 'traps', 'v2c') == accepted + refused,
                        'every trap journaled or counted: %d + %d + %d of %d'
                        % (accepted, refused, worker, TRAPS))
                c.check(snmp(st, 'journal', 'drops', 'dropped_oldest') == 0,
                        'refuse deletes nothing unread')
                rc, out = lr_e2e.net_snmp_run(tmp, ['snmpinform', '-m', '', '-r', '1', '-t', '1', '-v', '2c',
                                       '-c', 'public', '%s:162' % V4, '0', se.LINK_DOWN,
                                       se.TEST_OBJ, 's', 'inform-full'])
                st = se.ctl(a.ctl, sock, 'stats')
                c.check(rc != 0 and snmp(st, 'journal', 'drops', 'informs_refused_full') >= 1,
                        'an inform while full is not acknowledged: exit %d, %s'
                        % (rc, st.get('snmp', {}).get('journal', {}).get('drops')))
                sl = se.sinks_by_name(a.ctl, sock)['tcp']
                c.check(sl['state'] == 'down' and sl['lag_records'] == accepted,
                        'the sink is down and lags by everything: %s' % sl)
                # the drops are logged summed: a few lines, not one per record
                time.sleep(10.5)  # the daemon's DROP_LOG_S, and a little
                lines = [ln for ln in d.stderr().splitlines() if 'journal drops' in ln]
                c.check(1 <= len(lines) <= 3 and 'traps refused: journal full' in lines[0],
                        'drops logged, summed: %s' % lines)
                c.check('journal: full' in d.stderr(), 'the journal logged that it is full')

                # the destination is back: everything journaled arrives, in order
                tcp.listen()
                c.check(se.ctl(a.ctl, sock, 'sink', 'flush', 'tcp').get('ok') is True,
                        'sink flush tcp: caught up')
                c.check(se.wait_until(lambda: len(tcp.msgs) >= accepted),
                        'tcp: %d of %d messages' % (len(tcp.msgs), accepted))
                got = se.seqs_of(tcp.msgs)
                c.check(got == list(range(1, accepted + 1)),
                        'tcp: seqs 1..%d in order, each once (got %d, first %s, last %s)'
                        % (accepted, len(got), got[:3], got[-3:]))
                tags = se.tags_of(se.msg_json(m) for m in tcp.msgs)
                c.check(tags[:3] == ['j0', 'j1', 'j2'] and len(set(tags)) == len(tags),
                        'the oldest traps kept: %s ...' % tags[:3])
                # released: room again, an inform is acknowledged
                rc, out = lr_e2e.net_snmp_run(tmp, ['snmpinform', '-m', '', '-r', '2', '-t', '2', '-v', '2c',
                                       '-c', 'public', '%s:162' % V4, '0', se.LINK_DOWN,
                                       se.TEST_OBJ, 's', 'inform-after'])
                c.check(rc == 0, 'after the catch-up an inform is acknowledged: exit %d: %s'
                        % (rc, out))
                d.stop()
            finally:
                d.kill()
                if tcp.lsock:
                    tcp.close()
            lr_e2e.sanitizer_clean(c, d.stderr())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_journal_full')


if __name__ == '__main__':
    sys.exit(main())
