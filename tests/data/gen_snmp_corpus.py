#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Interop corpus: SNMP traps and informs from implementations no one here
wrote, captured as pcaps with a manifest.

    /usr/bin/python3 tests/data/gen_snmp_corpus.py [OUTDIR]

(default OUTDIR tests/data/snmp_corpus). Needs Debian's snmp, snmptrapd and
python3-pysnmp4 (tools/setup.sh). Everything runs on 127.0.0.1; the one
snmptrapd it starts is stopped by its PID.

Senders:
  net-snmp snmptrap    v1, v2c, v3 at every auth × priv it supports
  net-snmp snmpinform  v2c, v3 at every auth × priv, to snmptrapd
  pysnmp               v3 traps at every auth × priv it supports (3DES and
                       both AES-192/256 key extensions), and v3 informs
A recorder stands between sender and receiver: a UDP relay on an ephemeral
port that writes every datagram both ways to a pcap (Ethernet/IPv4/UDP as
scapy builds them: the addresses and ports the sender saw), and forwards
informs to snmptrapd. Traps are only recorded.

users.yaml: every user of the corpus in the users-file form of issue #5
(linerate-snmp decode --users, the daemon's SNMP users): the net-snmp trap
senders' users with the agent's engine ID, the others for any engine (so
they are localised for each engine that names them); AES-192/256 in compat
auto. It is written from MANIFEST.tsv alone by

    /usr/bin/python3 tests/data/gen_snmp_corpus.py --users-only [OUTDIR]

MANIFEST.tsv: one row per frame, tab-separated:
  file frame tool dir version pdu name level auth priv auth_password
  priv_password engine boots time auth_off auth_len salt_off salt_len
  data_off data_len plain_len plain_sha256 varbinds
dir is to_manager (sender → receiver) or from_manager; name is the
community (v1/v2c) or the USM user; engine is msgAuthoritativeEngineID in
hex; the offsets are into the UDP payload (the value octets of
msgAuthenticationParameters, msgPrivacyParameters and the encryptedPDU, or
of the plaintext scopedPDU); plain_len and plain_sha256 describe the
scopedPDU as pysnmp decrypts and decodes it, and varbinds lists what
pysnmp decoded (oid=type:value, ';'-separated). Priv names are ours
(snmp_usm.h): aes192 is the Blumenthal key extension, aes192c Reeder's.
"""
import hashlib
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from pyasn1.codec.ber import decoder
from pyasn1.type import univ
# rfc3414's service imports the eso modules: load it first (circular import)
from pysnmp.proto.secmod.rfc3414 import service  # noqa: F401
from pysnmp.proto.secmod.eso.priv import aes192, aes256, des3
from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
from pysnmp.proto.secmod.rfc3414.priv import des
from pysnmp.proto.secmod.rfc3826.priv import aes
from pysnmp.proto.secmod.rfc7860.auth import hmacsha2
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message, ScopedPDU
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters
from pysnmp.proto import api
from scapy.all import IP, UDP, Ether, Raw, wrpcap

from gen_usm_vectors import AUTH_ID

AUTH_PW = "maplesyrup-auth"
PRIV_PW = "maplesyrup-priv"
COMMUNITY = "corpus"
AGENT_ENGINE = "8000000903" + "0242c0000201"  # ours-looking: enterprise 9, MAC format
TRAPD_ENGINE = "80001f8804" + b"trapd-corpus".hex()  # net-snmp, text format
PYSNMP_ENGINE = "80004fb805" + b"pysnmp-agent".hex()

# our name → (net-snmp -a, pysnmp service, pysnmp protocol name)
AUTHS = {
    "md5": ("MD5", hmacmd5.HmacMd5(), "usmHMACMD5AuthProtocol"),
    "sha": ("SHA", hmacsha.HmacSha(), "usmHMACSHAAuthProtocol"),
    "sha224": ("SHA-224", hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha224ServiceID),
               "usmHMAC128SHA224AuthProtocol"),
    "sha256": ("SHA-256", hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha256ServiceID),
               "usmHMAC192SHA256AuthProtocol"),
    "sha384": ("SHA-384", hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha384ServiceID),
               "usmHMAC256SHA384AuthProtocol"),
    "sha512": ("SHA-512", hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha512ServiceID),
               "usmHMAC384SHA512AuthProtocol"),
}
# our name → (net-snmp -x or None, pysnmp service class, pysnmp protocol name)
PRIVS = {
    "des": ("DES", des.Des, "usmDESPrivProtocol"),
    "3des": (None, des3.Des3, "usm3DESEDEPrivProtocol"),
    "aes128": ("AES", aes.Aes, "usmAesCfb128Protocol"),
    "aes192": ("AES-192", aes192.AesBlumenthal192, "usmAesBlumenthalCfb192Protocol"),
    "aes256": ("AES-256", aes256.AesBlumenthal256, "usmAesBlumenthalCfb256Protocol"),
    "aes192c": ("AES-192-C", aes192.Aes192, "usmAesCfb192Protocol"),
    "aes256c": ("AES-256-C", aes256.Aes256, "usmAesCfb256Protocol"),
}
TRAP_OID = "1.3.6.1.6.3.1.1.5.4"  # linkUp
VB_NAME = "1.3.6.1.4.1.8072.9999.1.0"
VB_NUM = "1.3.6.1.4.1.8072.9999.2.0"
MANAGER = ("127.0.0.1", 162)  # what the pcaps say the manager is


class Recorder:
    """A UDP relay recording both directions; forwards to upstream if set."""

    def __init__(self, upstream=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.upstream = upstream
        self.frames = []  # (dir, client addr, payload)
        self.clients = {}  # client addr → relay socket to upstream
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            socks = [self.sock] + list(self.clients.values())
            ready, _, _ = select.select(socks, [], [], 0.05)
            for s in ready:
                if s is self.sock:
                    data, client = s.recvfrom(65535)
                    self.frames.append(("to_manager", client, data))
                    if self.upstream:
                        if client not in self.clients:
                            up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                            up.bind(("127.0.0.1", 0))
                            self.clients[client] = up
                        self.clients[client].sendto(data, self.upstream)
                else:
                    data, _ = s.recvfrom(65535)
                    client = next(c for c, u in self.clients.items() if u is s)
                    self.frames.append(("from_manager", client, data))
                    self.sock.sendto(data, client)

    def take(self):
        time.sleep(0.2)  # stragglers (retransmissions) land in this run
        frames, self.frames = self.frames, []
        return frames

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()
        for s in self.clients.values():
            s.close()


def run(cmd, env):
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=30)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stdout.decode(errors="replace")))


# --- decoding what was captured (pysnmp/pyasn1: the independent reading) ---

PDU_NAMES = {0xa0: "get", 0xa1: "getnext", 0xa2: "response", 0xa3: "set", 0xa4: "trap-v1",
             0xa5: "getbulk", 0xa6: "inform", 0xa7: "trap", 0xa8: "report"}


def varbinds_of(pdu):
    out = []
    if "enterprise" in pdu:  # the v1 trap header
        out.append("enterprise=%s;agent-addr=%s;generic=%s;specific=%s" % (
            pdu["enterprise"].prettyPrint(),
            ".".join(str(b) for b in pdu["agent-addr"].getComponent().asNumbers()),
            int(pdu["generic-trap"]), int(pdu["specific-trap"])))
    for vb in pdu["variable-bindings"]:
        name, v = vb[0], vb[1]
        while isinstance(v, univ.Choice):
            v = v.getComponent()
        kind = v.__class__.__name__
        if isinstance(v, univ.OctetString):
            raw = v.asOctets()
            shown = raw.decode() if all(32 <= c < 127 for c in raw) else "0x" + raw.hex()
        else:
            shown = v.prettyPrint()
        out.append("%s=%s:%s" % (name.prettyPrint(), kind, shown))
    return ";".join(out)


def span(whole, part):
    """Offset of part's octets in whole, which must be unique."""
    if not part:
        return -1
    off = whole.find(part)
    if off < 0 or whole.find(part, off + 1) >= 0:
        raise RuntimeError("cannot place %d octets uniquely" % len(part))
    return off


class Users:
    """What each capture's user means: protocols, passwords, variant."""

    def __init__(self):
        self.by_name = {}

    def add(self, name, auth, priv):
        self.by_name[name] = (auth, priv)


def decrypt_v3(payload, usm, user):
    """The scopedPDU as pysnmp reads it: decrypted when authPriv."""
    auth, priv = user
    msg, _ = decoder.decode(payload, asn1Spec=SNMPv3Message())
    spdu = msg["msgData"]
    if priv == "none" or spdu.getName() == "plaintext":
        raw = spdu["plaintext"]
        return raw, None
    svc = PRIVS[priv][1]()
    ku = svc.hashPassphrase(AUTH_ID[auth], PRIV_PW)
    key = svc.localizeKey(AUTH_ID[auth], ku, usm["msgAuthoritativeEngineId"])
    plain = svc.decryptData(key, (usm["msgAuthoritativeEngineBoots"],
                                  usm["msgAuthoritativeEngineTime"],
                                  usm["msgPrivacyParameters"]),
                            spdu["encryptedPDU"])
    plain = bytes(plain)
    obj, rest = decoder.decode(plain, asn1Spec=ScopedPDU())
    return obj, plain[:len(plain) - len(rest)]


def describe(payload, users):
    """Manifest fields of one frame."""
    f = dict(version="", pdu="", name="", level="", auth="", priv="", auth_password="",
             priv_password="", engine="", boots="", time="", auth_off=-1, auth_len=0,
             salt_off=-1, salt_len=0, data_off=-1, data_len=0, plain_len=0,
             plain_sha256="", varbinds="")
    ver = int(decoder.decode(payload)[0][0])
    if ver in (0, 1):
        proto = api.protoModules[ver]
        msg, _ = decoder.decode(payload, asn1Spec=proto.Message())
        f["version"] = "1" if ver == 0 else "2c"
        f["name"] = str(msg["community"])
        pdu = msg["data"].getComponent()
        f["pdu"] = PDU_NAMES.get(pdu.tagSet[0][2] | 0xa0, "?")
        f["varbinds"] = varbinds_of(pdu)
        return f
    msg, _ = decoder.decode(payload, asn1Spec=SNMPv3Message())
    usm, _ = decoder.decode(bytes(msg["msgSecurityParameters"]), asn1Spec=UsmSecurityParameters())
    flags = bytes(msg["msgGlobalData"]["msgFlags"])[0]
    f["version"] = "3"
    name = bytes(usm["msgUserName"]).decode()
    f["name"] = name
    f["level"] = ["noAuthNoPriv", "authNoPriv", "?", "authPriv"][flags & 3]
    f["engine"] = bytes(usm["msgAuthoritativeEngineId"]).hex()
    f["boots"] = int(usm["msgAuthoritativeEngineBoots"])
    f["time"] = int(usm["msgAuthoritativeEngineTime"])
    user = users.by_name.get(name, ("none", "none"))
    auth, priv = user
    if flags & 1:
        f["auth"], f["auth_password"] = auth, AUTH_PW
        mac = bytes(usm["msgAuthenticationParameters"])
        f["auth_off"], f["auth_len"] = span(payload, mac), len(mac)
    spdu = msg["msgData"]
    if flags & 2:
        f["priv"], f["priv_password"] = priv, PRIV_PW
        salt = bytes(usm["msgPrivacyParameters"])
        f["salt_off"], f["salt_len"] = span(payload, salt), len(salt)
        enc = bytes(spdu["encryptedPDU"])
        # the encryptedPDU is the message's last element
        f["data_off"], f["data_len"] = len(payload) - len(enc), len(enc)
        assert payload[f["data_off"]:] == enc
        obj, plain = decrypt_v3(payload, usm, user)
        f["plain_len"] = len(plain)
        f["plain_sha256"] = hashlib.sha256(plain).hexdigest()
    else:
        obj = spdu["plaintext"]
    pdu = obj["data"].getComponent()
    f["pdu"] = PDU_NAMES.get(pdu.tagSet[0][2] | 0xa0, "?")
    f["varbinds"] = varbinds_of(pdu)
    return f


COLUMNS = ["file", "frame", "tool", "dir", "version", "pdu", "name", "level", "auth", "priv",
           "auth_password", "priv_password", "engine", "boots", "time", "auth_off", "auth_len",
           "salt_off", "salt_len", "data_off", "data_len", "plain_len", "plain_sha256",
           "varbinds"]


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.users = Users()
        self.pcaps = {}  # file → [packets]
        self.rows = []

    def record(self, file, tool, frames, port):
        pkts = self.pcaps.setdefault(file, [])
        for direction, client, payload in frames:
            if direction == "to_manager":
                ip = IP(src=client[0], dst=MANAGER[0]) / UDP(sport=client[1], dport=port)
            else:
                ip = IP(src=MANAGER[0], dst=client[0]) / UDP(sport=port, dport=client[1])
            pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / ip / Raw(payload)
            pkt.time = 1700000000 + len(pkts) * 0.001
            f = describe(payload, self.users)
            f.update(file=file, frame=len(pkts), tool=tool, dir=direction)
            self.rows.append(f)
            pkts.append(pkt)

    def write(self):
        os.makedirs(self.outdir, exist_ok=True)
        for file, pkts in self.pcaps.items():
            wrpcap(os.path.join(self.outdir, file), pkts)
        with open(os.path.join(self.outdir, "MANIFEST.tsv"), "w") as m:
            m.write("# generated by tests/data/gen_snmp_corpus.py; do not edit\n")
            m.write("\t".join(COLUMNS) + "\n")
            for r in self.rows:
                m.write("\t".join(str(r[c]) for c in COLUMNS) + "\n")


def netsnmp_common(env_dir):
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=env_dir, SNMPCONFPATH=env_dir)
    return env


def netsnmp_v3_args(user, auth, priv):
    args = ["-v3", "-u", user]
    if auth == "none":
        return args + ["-l", "noAuthNoPriv"]
    args += ["-a", AUTHS[auth][0], "-A", AUTH_PW]
    if priv == "none":
        return args + ["-l", "authNoPriv"]
    return args + ["-l", "authPriv", "-x", PRIVS[priv][0], "-X", PRIV_PW]


VARBINDS = [VB_NAME, "s", None, VB_NUM, "i", "42"]


def vbs(tag):
    v = list(VARBINDS)
    v[2] = "corpus-" + tag
    return v


def combos(priv_tool):
    yield "none", "none"
    for a in AUTHS:
        yield a, "none"
        for p, spec in PRIVS.items():
            if priv_tool(spec):
                yield a, p


def netsnmp_traps(c, tmp):
    env = netsnmp_common(tmp)
    rec = Recorder()
    dst = "127.0.0.1:%d" % rec.port
    base = ["snmptrap", "-m", "", "-r", "0"]
    run(base + ["-v1", "-c", COMMUNITY, dst, "1.3.6.1.4.1.8072.9999", "192.0.2.1", "6", "17",
                "12345"] + vbs("v1"), env)
    c.record("netsnmp-traps.pcap", "net-snmp", rec.take(), rec.port)
    run(base + ["-v2c", "-c", COMMUNITY, dst, "12345", TRAP_OID] + vbs("v2c"), env)
    c.record("netsnmp-traps.pcap", "net-snmp", rec.take(), rec.port)
    for auth, priv in combos(lambda spec: spec[0]):
        user = "ns-%s-%s" % (auth, priv)
        c.users.add(user, auth, priv)
        run(base + netsnmp_v3_args(user, auth, priv) + ["-e", "0x" + AGENT_ENGINE, dst,
                                                          "12345", TRAP_OID] + vbs(user), env)
        c.record("netsnmp-traps.pcap", "net-snmp", rec.take(), rec.port)
    rec.close()


def start_trapd(tmp, users):
    conf = os.path.join(tmp, "snmptrapd.conf")
    with open(conf, "w") as f:
        f.write("oldEngineID 0x%s\n" % TRAPD_ENGINE)
        f.write("authCommunity log %s\n" % COMMUNITY)
        for user, auth, priv in users:
            line = "createUser %s" % user
            if auth != "none":
                line += " %s %s" % (AUTHS[auth][0], AUTH_PW)
                if priv != "none":
                    line += " %s %s" % (PRIVS[priv][0], PRIV_PW)
            f.write(line + "\n")
            f.write("authUser log %s %s\n" % (user, "noauth" if auth == "none" else
                                              "auth" if priv == "none" else "priv"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    pidfile = os.path.join(tmp, "snmptrapd.pid")
    log = open(os.path.join(tmp, "snmptrapd.log"), "w")
    proc = subprocess.Popen(["snmptrapd", "-f", "-Lo", "-C", "-c", conf, "-m", "", "-p", pidfile,
                             "udp:127.0.0.1:%d" % port], env=netsnmp_common(tmp), stdout=log,
                            stderr=subprocess.STDOUT)
    for _ in range(50):
        if os.path.exists(pidfile):
            break
        time.sleep(0.1)
    time.sleep(0.3)
    return proc, port


def stop(proc):
    os.kill(proc.pid, signal.SIGTERM)  # ours, by PID
    proc.wait(timeout=10)


def informs_via_trapd(c, tmp, prefix, pairs, send, first=None):
    """Register users prefix-auth-priv for pairs, start snmptrapd with
    them, and call first(rec) if given, then send(rec, user, auth, priv)
    for each, through a relay."""
    users = []
    for auth, priv in pairs:
        user = "%s-%s-%s" % (prefix, auth, priv)
        c.users.add(user, auth, priv)
        users.append((user, auth, priv))
    proc, port = start_trapd(tmp, users)
    try:
        rec = Recorder(upstream=("127.0.0.1", port))
        if first:
            first(rec)
        for user, auth, priv in users:
            send(rec, user, auth, priv)
        rec.close()
    finally:
        stop(proc)


def netsnmp_informs(c, tmp):
    base = ["snmpinform", "-m", "", "-r", "1", "-t", "3"]
    env = netsnmp_common(tmp)

    def inform(rec, args, tag):
        run(base + args + ["127.0.0.1:%d" % rec.port, "12345", TRAP_OID] + vbs(tag), env)
        c.record("netsnmp-informs.pcap", "net-snmp", rec.take(), rec.port)

    def v2c(rec):
        inform(rec, ["-v2c", "-c", COMMUNITY], "inform-v2c")

    def send(rec, user, auth, priv):
        inform(rec, netsnmp_v3_args(user, auth, priv), user)

    informs_via_trapd(c, tmp, "ni", combos(lambda spec: spec[0]), send, first=v2c)


def pysnmp_send(kind, port, user, auth, priv, engine_hex, tag):
    from pysnmp import hlapi as h
    engine = h.SnmpEngine(snmpEngineID=univ.OctetString(hexValue=engine_hex))
    if user is None:
        sec = h.CommunityData(COMMUNITY, mpModel=0 if kind == "trap-v1" else 1)
    else:
        kw = {}
        if auth != "none":
            kw.update(authKey=AUTH_PW, authProtocol=getattr(h, AUTHS[auth][2]))
        if priv != "none":
            kw.update(privKey=PRIV_PW, privProtocol=getattr(h, PRIVS[priv][2]))
        if kind == "trap":
            kw.update(securityEngineId=univ.OctetString(hexValue=engine_hex))
        sec = h.UsmUserData(user, **kw)
    ntf = h.NotificationType(h.ObjectIdentity(TRAP_OID)).addVarBinds(
        h.ObjectType(h.ObjectIdentity(VB_NAME), h.OctetString("corpus-" + tag)),
        h.ObjectType(h.ObjectIdentity(VB_NUM), h.Integer32(42)))
    err, status, _, _ = next(h.sendNotification(
        engine, sec, h.UdpTransportTarget(("127.0.0.1", port), timeout=3, retries=1),
        h.ContextData(), "inform" if kind == "inform" else "trap", ntf))
    if err and kind == "inform":
        raise RuntimeError("pysnmp inform %s: %s" % (user, err))


def pysnmp_traps(c):
    rec = Recorder()
    pysnmp_send("trap-v1", rec.port, None, None, None, PYSNMP_ENGINE, "py-v1")
    c.record("pysnmp-traps.pcap", "pysnmp", rec.take(), rec.port)
    pysnmp_send("trap", rec.port, None, None, None, PYSNMP_ENGINE, "py-v2c")
    c.record("pysnmp-traps.pcap", "pysnmp", rec.take(), rec.port)
    for auth, priv in combos(lambda spec: True):
        user = "py-%s-%s" % (auth, priv)
        c.users.add(user, auth, priv)
        pysnmp_send("trap", rec.port, user, auth, priv, PYSNMP_ENGINE, user)
        c.record("pysnmp-traps.pcap", "pysnmp", rec.take(), rec.port)
    rec.close()


def pysnmp_informs(c, tmp):
    def send(rec, user, auth, priv):
        pysnmp_send("inform", rec.port, user, auth, priv, PYSNMP_ENGINE, user)
        c.record("pysnmp-informs.pcap", "pysnmp", rec.take(), rec.port)

    # snmptrapd understands net-snmp's protocols only: no 3DES, no Reeder AES
    pairs = [(a, p) for a in AUTHS for p in ("aes128", "aes256")]
    informs_via_trapd(c, tmp, "pi", pairs, send)


def write_users(outdir, rows):
    """users.yaml from the manifest's rows: one entry per v3 user that sent."""
    seen = {}
    for r in rows:
        if str(r["version"]) == "3" and r["dir"] == "to_manager" and r["name"]:
            seen.setdefault(r["name"], r)
    with open(os.path.join(outdir, "users.yaml"), "w") as f:
        f.write("# generated by tests/data/gen_snmp_corpus.py; do not edit\n")
        f.write("# the interop corpus's SNMPv3 users (passwords in MANIFEST.tsv too)\n")
        f.write("users:\n")
        for name, r in sorted(seen.items()):
            f.write("  - name: %s\n" % name)
            if name.startswith("ns-"):  # net-snmp's traps: one agent, configured
                f.write('    engine_id: "0x%s"\n' % r["engine"])
            f.write("    auth: %s\n" % (r["auth"] or "none"))
            if r["auth"]:
                f.write('    auth_password: "%s"\n' % r["auth_password"])
            if r["priv"]:
                f.write("    priv: %s\n" % r["priv"])
                f.write('    priv_password: "%s"\n' % r["priv_password"])
                if r["priv"] in ("aes192", "aes256"):
                    f.write("    compat: auto\n")


def users_from_manifest(outdir):
    with open(os.path.join(outdir, "MANIFEST.tsv")) as m:
        lines = [line.rstrip("\n").split("\t") for line in m if not line.startswith("#")]
    rows = [dict(zip(lines[0], values)) for values in lines[1:]]
    write_users(outdir, rows)
    return 0


def main():
    args = sys.argv[1:]
    users_only = bool(args) and args[0] == "--users-only"
    if users_only:
        args = args[1:]
    outdir = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "snmp_corpus")
    if users_only:
        return users_from_manifest(outdir)
    c = Corpus(outdir)
    with tempfile.TemporaryDirectory() as tmp:
        netsnmp_traps(c, tmp)
        netsnmp_informs(c, tmp)
        pysnmp_traps(c)
        pysnmp_informs(c, tmp)
    c.write()
    write_users(outdir, c.rows)
    n3 = sum(1 for r in c.rows if r["version"] == "3")
    print("%d frames (%d SNMPv3) in %s" % (len(c.rows), n3, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
