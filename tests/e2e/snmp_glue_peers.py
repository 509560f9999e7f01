#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The receive glue (snmp_v3.h) against senders no one here wrote, on
127.0.0.1: pysnmp and net-snmp's snmpinform send informs to snmp_glue_peer
(the glue as a UDP peer) and must get through discovery (our
unknownEngineIDs Report), time synchronisation (our authenticated
notInTimeWindows Report) and our Response, at every level they speak; a
wrong password, a wrong privacy password, an unknown user and a level the
user is not configured for must each come back to them as the error their
own code makes of our Report. Then every Report and Response we sent is
decoded again with pysnmp's message classes, its MAC checked and its
encryption undone with pysnmp's USM services.

    snmp_glue_peers.py --peer build/tests/e2e/snmp_glue_peer

Exits 77 (skipped) only when pysnmp or snmpinform is not installed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading

SKIP = 77
ENGINE = "80001f88046c696e65726174652d65326500"  # "linerate-e2e\0", text format
SECONDS = 90  # the peer's own limit: it ends even if nobody stops it
PW = "maplesyrup-"
# name → (auth, priv, pysnmp auth, pysnmp priv, net-snmp -a, net-snmp -x)
USERS = {
    "alice": ("sha256", "aes128", "usmHMAC192SHA256AuthProtocol", "usmAesCfb128Protocol",
              "SHA-256", "AES"),
    "bob": ("md5", "des", "usmHMACMD5AuthProtocol", "usmDESPrivProtocol", "MD5", "DES"),
    "carol": ("sha", None, "usmHMACSHAAuthProtocol", None, "SHA", None),
    "dave": (None, None, None, None, None, None),
    "erin": ("sha512", "aes256", "usmHMAC384SHA512AuthProtocol",
             "usmAesBlumenthalCfb256Protocol", "SHA-512", "AES-256"),
    "frank": ("sha224", "3des", "usmHMAC128SHA224AuthProtocol", "usm3DESEDEPrivProtocol",
              "SHA-224", None),
}
USM_STATS = {(1, 3, 6, 1, 6, 3, 15, 1, 1, i, 0): name for i, name in enumerate(
    ["unsupportedSecLevels", "notInTimeWindows", "unknownUserNames", "unknownEngineIDs",
     "wrongDigests", "decryptionErrors"], 1)}


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)


def users_yaml(path):
    with open(path, "w") as f:
        f.write("users:\n")
        for name, (auth, priv, *_rest) in USERS.items():
            f.write("  - name: %s\n    auth: %s\n" % (name, auth or "none"))
            if auth:
                f.write('    auth_password: "%sauth"\n' % PW)
            if priv:
                f.write('    priv: %s\n    priv_password: "%spriv"\n' % (priv, PW))


class Peer:
    """snmp_glue_peer, its output read as it comes."""

    def __init__(self, exe, users):
        self.proc = subprocess.Popen([exe, "--users", users, "--engine-id", ENGINE,
                                      "--seconds", str(SECONDS)], stdout=subprocess.PIPE,
                                     text=True)
        first = self.proc.stdout.readline().split()
        if len(first) != 2 or first[0] != "port":
            raise RuntimeError("snmp_glue_peer did not start: %r" % first)
        self.port = int(first[1])
        self.lines = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.proc.stdout:
            self.lines.append(line.split())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # ours, by PID
        self.proc.wait(timeout=10)
        self.reader.join(timeout=10)


def pysnmp_inform(port, user, auth_pw=PW + "auth", priv_pw=PW + "priv", level=None):
    """Send an inform as pysnmp does; returns its errorIndication (None: a
    Response came back and was accepted)."""
    from pysnmp import hlapi as h
    auth, priv, pauth, ppriv = USERS.get(user, ("sha", None, "usmHMACSHAAuthProtocol",
                                                None, None, None))[:4]
    kw = {}
    if level != "noAuthNoPriv" and pauth:
        kw.update(authKey=auth_pw, authProtocol=getattr(h, pauth))
        if level != "authNoPriv":
            if ppriv:
                kw.update(privKey=priv_pw, privProtocol=getattr(h, ppriv))
            elif level == "authPriv":  # more than the user is configured for
                kw.update(privKey=priv_pw, privProtocol=h.usmAesCfb128Protocol)
    engine = h.SnmpEngine()
    ntf = h.NotificationType(h.ObjectIdentity("1.3.6.1.6.3.1.1.5.4")).addVarBinds(
        h.ObjectType(h.ObjectIdentity("1.3.6.1.4.1.8072.9999.1.0"),
                     h.OctetString("glue-" + user)))
    err, status, _, _ = next(h.sendNotification(
        engine, h.UsmUserData(user, **kw),
        h.UdpTransportTarget(("127.0.0.1", port), timeout=2, retries=0),
        h.ContextData(), "inform", ntf))
    return err if err else (status.prettyPrint() if status else None)


def netsnmp_inform(port, user, tmp, auth_pw=PW + "auth", priv_pw=PW + "priv", level=None,
                   priv_proto=None):
    auth, priv, _, _, nauth, npriv = USERS.get(user, ("sha", None, None, None, "SHA", None))
    args = ["snmpinform", "-m", "", "-r", "0", "-t", "3", "-v3", "-u", user]
    level = level or ("noAuthNoPriv" if not auth else "authNoPriv" if not priv else "authPriv")
    args += ["-l", level]
    if level != "noAuthNoPriv":
        args += ["-a", nauth, "-A", auth_pw]
    if level == "authPriv":
        args += ["-x", priv_proto or npriv, "-X", priv_pw]
    env = dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=tmp, SNMPCONFPATH=tmp)
    r = subprocess.run(args + ["127.0.0.1:%d" % port, "0", "1.3.6.1.6.3.1.1.5.4",
                               "1.3.6.1.4.1.8072.9999.1.0", "s", "glue-" + user],
                       env=env, capture_output=True, text=True, timeout=30)
    return r.returncode, r.stderr.strip()


def decode_sent(c, lines):
    """Every message the peer sent, through pysnmp's decoders and USM."""
    from pyasn1.codec.ber import decoder
    from pysnmp.proto.secmod.rfc3414 import service  # noqa: F401 (import order)
    from pysnmp.proto.secmod.eso.priv import aes256, des3
    from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
    from pysnmp.proto.secmod.rfc3414.priv import des
    from pysnmp.proto.secmod.rfc3826.priv import aes
    from pysnmp.proto.secmod.rfc7860.auth import hmacsha2
    from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message, ScopedPDU
    from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters
    from pysnmp.proto.api import v2c
    from pyasn1.type import univ

    auths = {"md5": hmacmd5.HmacMd5(), "sha": hmacsha.HmacSha(),
             "sha224": hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha224ServiceID),
             "sha256": hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha256ServiceID),
             "sha512": hmacsha2.HmacSha2(hmacsha2.HmacSha2.sha512ServiceID)}
    auth_ids = {"md5": hmacmd5.HmacMd5.serviceID, "sha": hmacsha.HmacSha.serviceID,
                "sha224": hmacsha2.HmacSha2.sha224ServiceID,
                "sha256": hmacsha2.HmacSha2.sha256ServiceID,
                "sha512": hmacsha2.HmacSha2.sha512ServiceID}
    privs = {"des": des.Des(), "aes128": aes.Aes(), "aes256": aes256.AesBlumenthal256(),
             "3des": des3.Des3()}
    engine = bytes.fromhex(ENGINE)
    eid = univ.OctetString(engine)
    seen = {"report": {}, "response": 0, "verified": 0, "decrypted": 0}
    for words in lines:
        if words[0] != "tx":
            continue
        kind, wire = words[1], bytes.fromhex(words[2])
        msg, rest = decoder.decode(wire, asn1Spec=SNMPv3Message())
        c.check(not rest, "pysnmp decodes the whole %s" % kind)
        usm, _ = decoder.decode(bytes(msg["msgSecurityParameters"]),
                                asn1Spec=UsmSecurityParameters())
        c.check(bytes(usm["msgAuthoritativeEngineId"]) == engine, "%s: our engine ID" % kind)
        c.check(int(usm["msgAuthoritativeEngineBoots"]) == 1, "%s: our boots" % kind)
        c.check(100 <= int(usm["msgAuthoritativeEngineTime"]) < 100 + SECONDS + 5,
                "%s: our time" % kind)
        flags = bytes(msg["msgGlobalData"]["msgFlags"])[0]
        c.check(not flags & 4, "%s: not reportable" % kind)
        user = bytes(usm["msgUserName"]).decode()
        auth, priv = USERS.get(user, (None, None))[:2]
        if flags & 1:
            key = univ.OctetString(auths[auth].localizeKey(
                auths[auth].hashPassphrase(PW + "auth"), eid))
            try:
                auths[auth].authenticateIncomingMsg(key, usm["msgAuthenticationParameters"],
                                                    wire)
                seen["verified"] += 1
            except Exception as e:  # pysnmp's StatusInformation
                c.check(False, "%s for %s: pysnmp refuses the MAC: %s" % (kind, user, e))
        data = msg["msgData"]
        if flags & 2:
            svc = privs[priv]
            ku = svc.hashPassphrase(auth_ids[auth], PW + "priv")
            key = univ.OctetString(svc.localizeKey(auth_ids[auth], ku, eid))
            plain = bytes(svc.decryptData(key, (usm["msgAuthoritativeEngineBoots"],
                                                usm["msgAuthoritativeEngineTime"],
                                                usm["msgPrivacyParameters"]),
                                          data["encryptedPDU"]))
            scoped, _ = decoder.decode(plain, asn1Spec=ScopedPDU())
            seen["decrypted"] += 1
        else:
            scoped = data["plaintext"]
        pdu = scoped["data"].getComponent()
        vbs = v2c.apiPDU.getVarBinds(pdu)
        if kind == "report":
            c.check(pdu.tagSet == v2c.ReportPDU.tagSet, "a Report PDU")
            c.check(bytes(scoped["contextEngineId"]) == engine, "Report context: our engine")
            name = USM_STATS.get(tuple(vbs[0][0]), "?")
            c.check(name != "?", "Report varbind %s is a usmStats counter" % vbs[0][0])
            c.check(bool(flags & 1) == (name == "notInTimeWindows"),
                    "%s Report at the level RFC 3414 says" % name)
            seen["report"][name] = seen["report"].get(name, 0) + 1
        else:
            c.check(pdu.tagSet == v2c.ResponsePDU.tagSet, "a Response PDU")
            c.check(any(bytes(v[1]) == ("glue-" + user).encode() for v in vbs
                        if v[1].tagSet == v2c.OctetString.tagSet),
                    "the Response echoes %s's varbinds" % user)
            seen["response"] += 1
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", required=True)
    args = ap.parse_args()
    try:
        import pysnmp.hlapi  # noqa: F401
    except ImportError:
        print("skip: pysnmp (python3-pysnmp4) not installed")
        return SKIP
    if not shutil.which("snmpinform"):
        print("skip: snmpinform (snmp) not installed")
        return SKIP
    c = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        users = os.path.join(tmp, "users.yaml")
        users_yaml(users)
        peer = Peer(args.peer, users)
        try:
            # every user, at its level, through discovery and time sync
            for user in USERS:
                err = pysnmp_inform(peer.port, user)
                c.check(err is None, "pysnmp inform as %s: %s" % (user, err))
                if USERS[user][5] or not USERS[user][1]:  # net-snmp lacks 3DES
                    rc, out = netsnmp_inform(peer.port, user, tmp)
                    c.check(rc == 0, "snmpinform as %s: %s" % (user, out))
            # each failure comes back as the sender's own error
            cases = [
                ("wrong password", dict(user="alice", auth_pw="not-the-password"),
                 "WrongDigest", "Authentication failure"),
                ("wrong privacy password", dict(user="bob", priv_pw="not-the-password"),
                 "DecryptionError", "Decryption error"),
                ("unknown user", dict(user="mallory"), "UnknownUserName", "Unknown user name"),
                ("level below the user's", dict(user="alice", level="authNoPriv"),
                 "UnsupportedSecurityLevel", "Unsupported security level"),
                ("level above the user's", dict(user="carol", level="authPriv"),
                 "UnsupportedSecurityLevel", "Unsupported security level"),
            ]
            for what, kw, py_err, ns_err in cases:
                err = pysnmp_inform(peer.port, **kw)
                c.check(type(err).__name__ == py_err,
                        "pysnmp, %s: %s (want %s)" % (what, err, py_err))
                ns = dict(kw)
                if ns.get("level") == "authPriv":
                    ns["priv_proto"] = "AES"
                rc, out = netsnmp_inform(peer.port, tmp=tmp, **ns)
                c.check(rc != 0 and ns_err in out, "snmpinform, %s: %d %s" % (what, rc, out))
        finally:
            peer.stop()
        seen = decode_sent(c, peer.lines)
    print("our Reports as pysnmp reads them: %s; %d Responses; %d MACs verified, %d "
          "messages decrypted by pysnmp" % (seen["report"], seen["response"], seen["verified"],
                                            seen["decrypted"]))
    c.check(not [w for w in peer.lines if w[0] == "tx-error"], "every answer was built")
    c.check(not [w for w in peer.lines if w[:2] == ["rx", "malformed"]],
            "every message they sent decoded")
    for name in USM_STATS.values():
        c.check(seen["report"].get(name, 0) > 0, "a %s Report was sent and read" % name)
    c.check(seen["response"] >= 10, "Responses sent")
    print("%d checks, %d failed" % (c.passed + c.failed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
