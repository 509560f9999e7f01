#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""kill -9 of linerated during a burst of informs loses no acknowledged
inform (issue #6, acceptance).

linerated --config (linerated_traps.py's configuration: journal with a
1 ms group commit, the file sink) in a namespace pair; from the client
namespace, at once:
  * a v2c sender (pysnmp's message API over one UDP socket, up to WINDOW
    informs outstanding, retransmitting each until acknowledged or out of
    tries): V2C_INFORMS InformRequests, request-id RID_BASE + i, with
    varbind SEQ_OBJ = i; it records which request-ids got a Response with
    error-status 0 that echoes their SEQ_OBJ;
  * V3_INFORMS net-snmp `snmpinform` processes, V3_PARALLEL at a time, v3
    authPriv SHA/AES-128 (an any-engine user, discovery every time), with
    SEQ_OBJ = V3_BASE + i; exit 0 means their Response came.
The moment the sender reads the KILL_AFTERth v2c Response (its loop reads
request-ids with a small BER walk to keep pace with the daemon; pysnmp
decodes every answer afterwards), it SIGKILLs linerated by its PID with
informs still outstanding: an acknowledgement sent before its record was
written would show now (a linerated made to acknowledge at append lost
acknowledged informs in 2 of 3 runs of this test). The journal's last
segment is then read here: a torn tail the kill left is noted, and half of
a record is appended to it as a crash in the middle of a write would leave
it. The
daemon restarts with the same configuration (journal directory, sink
cursor); it must cut exactly those octets and say so in its log. The
senders carry on; the file sink catches up (lag 0); SIGTERM.

Checked: every acknowledged inform (v2c by request-id and SEQ_OBJ, v3 by
SEQ_OBJ) is in the JSON Lines file and in the journal's segments (parsed
and CRC32C-checked here, independently of the C reader) -- acknowledged
but missing must be 0; unacknowledged informs are allowed and counted,
as are records delivered twice (a retransmission the daemon had already
journaled, or a sink batch replayed from its cursor after the kill).
Bounded: the senders stop at BURST_DEADLINE seconds (an inform not sent or
not acknowledged by then is an unacknowledged one), the sink gets CATCH_UP.

    linerated_trap_crash.py --linerated PATH --ctl PATH/linerate-ctl

Exit 0 all good; 1 a failure; 77 not root / no netns / no net-snmp tools.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import lr_e2e  # noqa: E402
from lr_e2e import V4, Checks, log  # noqa: E402

lr_e2e.require_netns('linerated_trap_crash')
# pylint: disable=wrong-import-position
import linerated_traps as lt  # noqa: E402  (its configuration, users, journal CRC)

V2C_INFORMS = 3000
V3_INFORMS = 200
V3_PARALLEL = 4
WINDOW = 64              # v2c informs outstanding at once
RETRY_AFTER = 0.5        # seconds before a v2c inform is sent again
TRIES = 16               # sends of one v2c inform at most
KILL_AFTER = 1000        # v2c informs acknowledged before the kill
KILL_WAIT = 20.0         # seconds the burst may take to get there
BURST_DEADLINE = 60.0    # seconds for the senders in all
CATCH_UP = 20.0          # seconds for the file sink to reach lag 0
RID_BASE = 0x10000000
V3_BASE = 1000000
SEQ_OBJ = '1.3.6.1.4.1.8072.9999.3.0'
SYS_UPTIME, SNMP_TRAP_OID = '1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.1.1.4.1.0'
SEG_HDR, REC_HDR = 32, 16   # control/journal.h: segment header, record frame


def ber_at(data, off):
    """(tag, contents start, contents end) of the BER TLV at off (X.690
    §8.1; definite lengths), or None when it does not fit."""
    if off + 2 > len(data):
        return None
    tag, ln, pos = data[off], data[off + 1], off + 2
    if ln & 0x80:
        n = ln & 0x7f
        if n == 0 or n > 4 or pos + n > len(data):
            return None
        ln, pos = int.from_bytes(data[pos:pos + n], 'big'), pos + n
    return (tag, pos, pos + ln) if pos + ln <= len(data) else None


def response_rid(data):
    """The request-id of a v2c Response, read quickly (the sender's loop
    must keep pace with the daemon); pysnmp decodes every answer after."""
    msg = ber_at(data, 0)
    if not msg or msg[0] != 0x30:
        return None
    version = ber_at(data, msg[1])
    community = version and ber_at(data, version[2])
    pdu = community and ber_at(data, community[2])
    rid = pdu and pdu[0] == 0xa2 and ber_at(data, pdu[1])
    if not rid or rid[0] != 0x02:
        return None
    return int.from_bytes(data[rid[1]:rid[2]], 'big', signed=True)


class V2cSender:
    """InformRequests over one socket, WINDOW outstanding; a Response stops
    an inform's retransmissions, and on_ack() is called at the KILL_AFTERth.
    After the run, verify() decodes every answer with pysnmp: acked holds
    the request-ids whose Response came (error-status 0, SEQ_OBJ echoed)."""

    def __init__(self, n):
        from pysnmp.proto import api
        from pyasn1.codec.ber import decoder, encoder
        self.api, self.decoder = api.protoModules[api.protoVersion2c], decoder
        p = self.api
        self.wire = {}
        for i in range(n):
            pdu = p.InformRequestPDU()
            p.apiPDU.setDefaults(pdu)
            p.apiPDU.setRequestID(pdu, RID_BASE + i)
            p.apiPDU.setVarBinds(pdu, [(SYS_UPTIME, p.TimeTicks(i)),
                                       (SNMP_TRAP_OID, p.ObjectIdentifier(lt.LINK_DOWN)),
                                       (SEQ_OBJ, p.Integer(i))])
            msg = p.Message()
            p.apiMessage.setDefaults(msg)
            p.apiMessage.setCommunity(msg, 'public')
            p.apiMessage.setPDU(msg, pdu)
            self.wire[RID_BASE + i] = encoder.encode(msg)
        self.acked, self.bad = set(), []
        self.answers = []            # every datagram that answered an inform
        self.n_answered = 0
        self.sent = 0                # datagrams, retransmissions included
        self.outstanding = 0
        self.gave_up = 0

    def answer(self, data):
        """The request-id a Response acknowledges, or None."""
        p = self.api
        try:
            msg, _ = self.decoder.decode(data, asn1Spec=p.Message())
            pdu = p.apiMessage.getPDU(msg)
            rid = int(p.apiPDU.getRequestID(pdu))
            status = int(p.apiPDU.getErrorStatus(pdu))
            vbs = {str(o): v for o, v in p.apiPDU.getVarBinds(pdu)}
        except Exception as e:  # pylint: disable=broad-except
            self.bad.append('undecodable answer (%s): %s' % (e, data[:40].hex()))
            return None
        if not pdu.isSameTypeWith(p.ResponsePDU()) or status != 0 or \
                SEQ_OBJ not in vbs or int(vbs[SEQ_OBJ]) != rid - RID_BASE:
            self.bad.append('answer to %#x: status %d, varbinds %s' % (rid, status, vbs))
            return None
        return rid

    def run(self, deadline, on_ack):
        todo = collections.deque(sorted(self.wire))
        out = {}                     # rid -> (last send, sends)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        try:
            while (todo or out) and time.monotonic() < deadline:
                now = time.monotonic()
                for rid, (at, n) in list(out.items()):
                    if now - at >= RETRY_AFTER:
                        if n >= TRIES:
                            del out[rid]
                            self.gave_up += 1
                        else:
                            self.send(s, rid)
                            out[rid] = (now, n + 1)
                while todo and len(out) < WINDOW:
                    rid = todo.popleft()
                    self.send(s, rid)
                    out[rid] = (now, 1)
                self.outstanding = len(out)
                r, _, _ = select.select([s], [], [], 0.01)
                while r:
                    try:
                        data = s.recv(65535)
                    except (BlockingIOError, ConnectionRefusedError):
                        break
                    rid = response_rid(data)
                    if rid is None or out.pop(rid, None) is None:
                        self.answers.append(data)   # stray or late: verify() says
                        continue
                    self.answers.append(data)
                    self.n_answered += 1
                    if self.n_answered == KILL_AFTER:
                        on_ack()
        finally:
            s.close()
            self.outstanding = len(out)

    def send(self, s, rid):
        try:
            s.sendto(self.wire[rid], (V4, 162))
            self.sent += 1
        except (BlockingIOError, ConnectionRefusedError):
            pass

    def verify(self):
        for data in self.answers:
            rid = self.answer(data)
            if rid is not None:
                self.acked.add(rid)

    def n_acked(self):
        return len(self.acked) if self.acked else self.n_answered


def v3_inform(tmp, seq, deadline):
    """One snmpinform v3 authPriv with SEQ_OBJ = seq: (True, '') when
    acknowledged, (False, what it said) when not, (None, '') when not sent
    (past the deadline)."""
    if time.monotonic() > deadline:
        return None, ''
    # a persistent directory of its own: net-snmp processes sharing one
    # read each other's half-written engine ID ("buffer too small to read
    # octet string"), then discover with an empty one and never inform
    own = os.path.join(tmp, 'net-snmp-%d' % seq)
    os.mkdir(own)
    t = time.monotonic()
    rc, out = lt.run(own, ['snmpinform', '-m', '', '-r', '3', '-t', '1'] +
                     lt.v3_args('informuser', 'authPriv', 'SHA', 'AES') +
                     ['%s:162' % V4, '0', lt.LINK_DOWN, SEQ_OBJ, 'i', str(seq)])
    return rc == 0, '' if rc == 0 else 'exit %d after %.1fs: %s' % (
        rc, time.monotonic() - t, out)


def seg_walk(path):
    """(intact end, file size, last intact record's offset) of a segment:
    records walked by their length and CRC32C (control/journal.h)."""
    with open(path, 'rb') as f:
        data = f.read()
    off, last = SEG_HDR, None
    while off + REC_HDR <= len(data):
        crc, ln, _ = struct.unpack_from('>IIQ', data, off)
        body = data[off + 4:off + REC_HDR + ln]
        if len(body) != REC_HDR - 4 + ln or lt.crc32c(body) != crc:
            break
        last = off
        off += REC_HDR + ln
    return off, len(data), last


def tear_tail(jdir):
    """Octets of torn record(s) at the last segment's end now: what the kill
    left, plus half of its last intact record appended (a write cut in the
    middle)."""
    seg = sorted(glob.glob(os.path.join(jdir, '*.seg')))[-1]
    end, size, last = seg_walk(seg)
    log('after the kill: %s intact to %d of %d octets (%d torn by the kill)'
        % (os.path.basename(seg), end, size, size - end))
    if last is None:
        return size - end
    with open(seg, 'rb') as f:
        f.seek(last)
        rec = f.read(end - last)
    with open(seg, 'ab') as f:
        f.write(rec[:len(rec) // 2])
    return size - end + len(rec) // 2


def journal_informs(c, jdir):
    """{SEQ_OBJ value: [request-id, ...]} of the inform records in the
    segments, each CRC32C-checked; nothing may follow the last intact one."""
    found = collections.defaultdict(list)
    for seg in sorted(glob.glob(os.path.join(jdir, '*.seg'))):
        end, size, _ = seg_walk(seg)
        c.check(end == size, '%s: %d octets past the last intact record after restart'
                % (seg, size - end))
        with open(seg, 'rb') as f:
            data = f.read(end)
        off = SEG_HDR
        while off < end:
            (ln,) = struct.unpack_from('>I', data, off + 4)
            rec = data[off + REC_HDR:off + REC_HDR + ln]
            off += REC_HDR + ln
            if rec[1] != 0xa6:
                continue
            (rid,) = struct.unpack_from('>i', rec, 56)
            seq = varbind_int(rec, SEQ_OBJ)
            if seq is not None:
                found[seq].append(rid)
    return found


def varbind_int(rec, name):
    """The INTEGER value of varbind `name` (dotted) in a record."""
    pos = strings_end(rec)
    (count,) = struct.unpack_from('>H', rec, 76)
    for _ in range(count):
        (n,) = struct.unpack_from('>H', rec, pos)
        oid = rec[pos + 2:pos + 2 + n]
        pos += 2 + n
        (vlen,) = struct.unpack_from('>H', rec, pos + 1)
        value = rec[pos + 3:pos + 3 + vlen]
        pos += 3 + vlen
        if vlen == 4 and lt.oid_text(oid) == name:
            return struct.unpack('>i', value)[0]
    return None


def strings_end(rec):
    """Where a record's varbinds start: after the header and its five
    strings (proto/include/linerate/trap_record.h)."""
    pos = 80
    for _ in range(5):
        (n,) = struct.unpack_from('>H', rec, pos)
        pos += 2 + n
    return pos


def jsonl_informs(path):
    """{(version, SEQ_OBJ value): [request-id, ...]} of the inform lines."""
    found = collections.defaultdict(list)
    for o in lt.read_jsonl(path):
        if o.get('pdu') != 'inform':
            continue
        for vb in o.get('varbinds', []):
            if vb.get('oid') == SEQ_OBJ and vb.get('type') == 'integer':
                found[(o.get('version'), vb.get('value'))].append(o.get('request_id'))
    return found


def sink_caught_up(tool, sock):
    deadline = time.monotonic() + CATCH_UP
    while time.monotonic() < deadline:
        st = lt.ctl(tool, sock, 'stats')
        sinks = (st.get('snmp') or {}).get('sinks') or []
        if sinks and all(sk.get('lag_records') == 0 for sk in sinks):
            return st
        time.sleep(0.2)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--linerated', required=True)
    ap.add_argument('--ctl', required=True)
    a = ap.parse_args()
    if not shutil.which('snmpinform'):
        lr_e2e.skip('snmpinform (Debian snmp) not installed')
    c = Checks()
    tmp, paths = lt.work_files('lr-crash-')
    v2c = V2cSender(V2C_INFORMS)
    try:
        with lr_e2e.environment('lrk') as ns:
            config = lt.config_for(ns, os.path.join(lr_e2e.SOURCE_ROOT, 'tests', 'data', 'zones'),
                                   paths)
            d = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
            d2 = None
            pool = concurrent.futures.ThreadPoolExecutor(V3_PARALLEL)
            try:
                t0 = time.monotonic()
                killed = threading.Event()

                def kill():
                    # from the sender's thread, the moment the KILL_AFTERth
                    # Response is read: records acknowledged just before
                    # are the ones a premature acknowledgement would lose
                    os.kill(d.pid, signal.SIGKILL)
                    killed.set()

                sender = threading.Thread(target=v2c.run, args=(t0 + BURST_DEADLINE, kill))
                sender.start()
                v3 = {V3_BASE + i: pool.submit(v3_inform, tmp, V3_BASE + i,
                                               t0 + BURST_DEADLINE)
                      for i in range(V3_INFORMS)}
                killed.wait(KILL_WAIT)
                acked_before, outstanding = v2c.n_acked(), v2c.outstanding
                v3_done = sum(f.done() for f in v3.values())
                if not killed.is_set():
                    os.kill(d.pid, signal.SIGKILL)
                d.proc.wait(5)
                log('SIGKILL at %.2fs: v2c %d acknowledged, %d outstanding, %d datagrams '
                    'sent; v3 %d of %d finished'
                    % (time.monotonic() - t0, acked_before, outstanding, v2c.sent, v3_done,
                       V3_INFORMS))
                c.check(killed.is_set() and outstanding > 0 and v3_done < V3_INFORMS,
                        'the kill came mid-burst: v2c %d acknowledged (want %d), %d outstanding; '
                        'v3 %d of %d done' % (acked_before, KILL_AFTER, outstanding, v3_done,
                                              V3_INFORMS))
                lr_e2e.sanitizer_clean(c, d.stderr(), 'the killed linerated')
                torn = tear_tail(paths['journal'])
                d2 = lr_e2e.start_daemon_config(ns, a.linerated, config, 'example.com.', (V4,))
                log('restarted at %.2fs' % (time.monotonic() - t0))
                sender.join(BURST_DEADLINE + 5)
                v2c.verify()
                v3_res = {seq: f.result(BURST_DEADLINE) for seq, f in v3.items()}
                v3_acked = {seq for seq, (ok, _) in v3_res.items() if ok}
                said = [why for ok, why in v3_res.values() if ok is False]
                log('v3 informs unacknowledged: %d, e.g. %s' % (len(said), said[:3]))
                log('senders done at %.2fs: v2c %d of %d acknowledged (%d gave up, %d '
                    'datagrams), v3 %d of %d (%d not sent: past the deadline)'
                    % (time.monotonic() - t0, v2c.n_acked(), V2C_INFORMS, v2c.gave_up,
                       v2c.sent, len(v3_acked), V3_INFORMS,
                       sum(ok is None for ok, _ in v3_res.values())))
                c.check(not sender.is_alive(), 'the v2c sender ended')
                c.check(not v2c.bad, 'answers that acknowledge nothing sent: %s' % v2c.bad[:3])
                c.check(v2c.n_acked() > acked_before,
                        'informs acknowledged after the restart: %d -> %d'
                        % (acked_before, v2c.n_acked()))
                cut = re.findall(r'journal: cut (\d+) octets of torn record', d2.stderr())
                c.check(cut == [str(torn)], 'restart cut %s octets of torn tail, expected %d'
                        % (cut, torn))
                st = sink_caught_up(a.ctl, paths['sock'])
                c.check(st is not None, 'the file sink caught up within %.0fs' % CATCH_UP)
                if st:
                    log('after the restart: %s' % json.dumps(st.get('snmp')))
                d2.stop()
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                d.kill()
                if d2 is not None:
                    d2.kill()
            lr_e2e.sanitizer_clean(c, d2.stderr(), 'the restarted linerated')
        verify(c, v2c, v3_acked, paths)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.finish('linerated_trap_crash')


def verify(c, v2c, v3_acked, paths):
    """Every acknowledged inform in the JSON Lines file and in the journal."""
    lines = jsonl_informs(paths['jsonl'])
    journal = journal_informs(c, paths['journal'])
    missing = []
    for rid in sorted(v2c.acked):
        seq = rid - RID_BASE
        if rid not in lines.get(('v2c', seq), []):
            missing.append('v2c %#x (seq %d) not in the JSON lines' % (rid, seq))
        if rid not in journal.get(seq, []):
            missing.append('v2c %#x (seq %d) not in the journal' % (rid, seq))
    for seq in sorted(v3_acked):
        if not lines.get(('v3', seq)):
            missing.append('v3 seq %d not in the JSON lines' % seq)
        if not journal.get(seq):
            missing.append('v3 seq %d not in the journal' % seq)
    sent_seqs = set(range(V2C_INFORMS)) | set(range(V3_BASE, V3_BASE + V3_INFORMS))
    stray = [k for k in lines if k[1] not in sent_seqs]
    twice = sum(len(v) - 1 for v in lines.values())
    unacked = V2C_INFORMS - len(v2c.acked) + V3_INFORMS - len(v3_acked)
    log('acknowledged %d (v2c %d, v3 %d), unacknowledged %d (allowed), acknowledged but '
        'missing %d, records delivered twice %d, stray %d'
        % (len(v2c.acked) + len(v3_acked), len(v2c.acked), len(v3_acked), unacked,
           len(missing), twice, len(stray)))
    c.check(not missing, 'acknowledged but missing: %d: %s' % (len(missing), missing[:5]))
    c.check(not stray, 'records of informs never sent: %s' % stray[:5])
    c.check(len(v3_acked) > 0, 'v3 informs acknowledged: %d' % len(v3_acked))


if __name__ == '__main__':
    sys.exit(main())
