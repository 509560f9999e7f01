#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden SNMP messages encoded by pysnmp/pyasn1, not by us.

Run with Debian's interpreter (python3-pysnmp4 4.4 is installed for it):

    /usr/bin/python3 tests/data/gen_snmp_golden.py

Writes tests/data/snmp_golden.tsv, one message a line:

    name <TAB> message hex <TAB> facts

pysnmp builds each message from the values below and pyasn1's BER encoder
writes it, so the octets are theirs. Facts are `key=value` joined by `;`:

  version (0, 1, 3); community (hex) for v1/v2c; for v3 msgid, maxsize,
  flags, secmodel, engine (hex), boots, time, user (hex), auth (hex), authoff
  (offset of the auth parameters in the message, found by searching for
  their distinct octets), priv (hex), then either encrypted (hex) or
  ctxengine (hex) and ctxname (hex); pdu (our type name); reqid, errstat,
  errindex, or for trap-v1 enterprise, agent, generic, specific, timestamp;
  vbs (count) and vb0, vb1, ... as oid|type|value, where value is decimal
  for numbers, hex for strings, dotted for OIDs and IpAddress, empty for
  NULL and the exceptions.

NsapAddress and UInteger32 are not in pysnmp's v2c value CHOICE, so the one
message that carries them is built from plain pyasn1 types with the
application tags of RFC 1442.
"""

import os

from pyasn1.codec.ber import encoder
from pyasn1.type import namedtype, tag, univ
from pysnmp.proto import rfc1902, rfc1905
from pysnmp.proto.api import v1, v2c
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message, ScopedPDU
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "snmp_golden.tsv")

U32 = 2**32 - 1
U64 = 2**64 - 1


def oidtext(o):
    return ".".join(str(x) for x in o)


# (oid, value object, our type name, value text)
def vb_integer(o, v):
    return (o, rfc1902.Integer32(v), "integer", str(v))


def vb_string(o, b):
    return (o, rfc1902.OctetString(b), "octet-string", b.hex())


def vb_null(o):
    return (o, rfc1902.Null(""), "null", "")


def vb_oid(o, v):
    return (o, rfc1902.ObjectIdentifier(v), "oid", oidtext(v))


def vb_ip(o, v):
    return (o, rfc1902.IpAddress(v), "ipaddress", v)


def vb_counter32(o, v):
    return (o, rfc1902.Counter32(v), "counter32", str(v))


def vb_gauge32(o, v):
    return (o, rfc1902.Gauge32(v), "gauge32", str(v))


def vb_ticks(o, v):
    return (o, rfc1902.TimeTicks(v), "timeticks", str(v))


def vb_opaque(o, b):
    return (o, rfc1902.Opaque(b), "opaque", b.hex())


def vb_counter64(o, v):
    return (o, rfc1902.Counter64(v), "counter64", str(v))


def vb_exc(o, which):
    obj = {"no-such-object": rfc1905.noSuchObject, "no-such-instance": rfc1905.noSuchInstance,
           "end-of-mib-view": rfc1905.endOfMibView}[which]
    return (o, obj, which, "")


SYS_UPTIME = (1, 3, 6, 1, 2, 1, 1, 3, 0)
TRAP_OID = (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)
IF_INDEX = (1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2)
ENT = (1, 3, 6, 1, 4, 1, 8072, 2, 3)


def notification_head(uptime, trap):
    return [vb_ticks(SYS_UPTIME, uptime), vb_oid(TRAP_OID, trap)]


def every_v2_type():
    return [
        vb_integer((1, 3, 6, 1, 4, 1, 99, 1), 0),
        vb_integer((1, 3, 6, 1, 4, 1, 99, 2), -1),
        vb_integer((1, 3, 6, 1, 4, 1, 99, 3), 2**31 - 1),
        vb_integer((1, 3, 6, 1, 4, 1, 99, 4), -(2**31)),
        vb_integer((1, 3, 6, 1, 4, 1, 99, 5), 128),
        vb_string((1, 3, 6, 1, 4, 1, 99, 6), b"link down on ge-0/0/1"),
        vb_string((1, 3, 6, 1, 4, 1, 99, 7), b""),
        vb_string((1, 3, 6, 1, 4, 1, 99, 8), bytes(range(256))),  # long form length
        vb_null((1, 3, 6, 1, 4, 1, 99, 9)),
        vb_oid((1, 3, 6, 1, 4, 1, 99, 10), (1, 3, 6, 1, 4, 1, 4294967295, 0)),
        vb_oid((1, 3, 6, 1, 4, 1, 99, 11), (2, 999, 3)),
        vb_ip((1, 3, 6, 1, 4, 1, 99, 12), "192.0.2.1"),
        vb_counter32((1, 3, 6, 1, 4, 1, 99, 13), U32),
        vb_counter32((1, 3, 6, 1, 4, 1, 99, 14), 0),
        vb_gauge32((1, 3, 6, 1, 4, 1, 99, 15), 128),
        vb_ticks((1, 3, 6, 1, 4, 1, 99, 16), 123456789),
        vb_opaque((1, 3, 6, 1, 4, 1, 99, 17), bytes.fromhex("9f780441200000")),
        vb_counter64((1, 3, 6, 1, 4, 1, 99, 18), U64),
        vb_counter64((1, 3, 6, 1, 4, 1, 99, 19), 2**32),
    ]


def v1_types():
    return [
        vb_integer((1, 3, 6, 1, 4, 1, 99, 1), -5),
        vb_string((1, 3, 6, 1, 4, 1, 99, 2), b"v1"),
        vb_null((1, 3, 6, 1, 4, 1, 99, 3)),
        vb_oid((1, 3, 6, 1, 4, 1, 99, 4), (1, 3, 6, 1)),
        vb_ip((1, 3, 6, 1, 4, 1, 99, 5), "198.51.100.7"),
        vb_counter32((1, 3, 6, 1, 4, 1, 99, 6), 4000000000),
        vb_gauge32((1, 3, 6, 1, 4, 1, 99, 7), 7),
        vb_ticks((1, 3, 6, 1, 4, 1, 99, 8), 100),
        vb_opaque((1, 3, 6, 1, 4, 1, 99, 9), bytes.fromhex("0401ff")),
    ]


V1_VALUE = {  # pysnmp's v1 module has its own value classes (RFC 1155)
    "integer": v1.Integer, "octet-string": v1.OctetString, "null": v1.Null,
    "oid": v1.ObjectIdentifier, "ipaddress": v1.IpAddress, "counter32": v1.Counter,
    "gauge32": v1.Gauge, "timeticks": v1.TimeTicks, "opaque": v1.Opaque,
}


def vb_facts(vbs):
    f = [("vbs", str(len(vbs)))]
    for i, (o, _, t, text) in enumerate(vbs):
        f.append(("vb%d" % i, "%s|%s|%s" % (oidtext(o), t, text)))
    return f


PDU_NAMES = {
    v2c.GetRequestPDU: "get", v2c.GetNextRequestPDU: "getnext", v2c.ResponsePDU: "response",
    v2c.SetRequestPDU: "set", v2c.GetBulkRequestPDU: "getbulk",
    v2c.InformRequestPDU: "inform", v2c.SNMPv2TrapPDU: "trap-v2", v2c.ReportPDU: "report",
}


def v2_pdu(cls, reqid, vbs, errstat=0, errindex=0):
    pdu = cls()
    if cls is v2c.GetBulkRequestPDU:
        v2c.apiBulkPDU.setDefaults(pdu)
        v2c.apiBulkPDU.setNonRepeaters(pdu, errstat)
        v2c.apiBulkPDU.setMaxRepetitions(pdu, errindex)
    else:
        v2c.apiPDU.setDefaults(pdu)
        v2c.apiPDU.setErrorStatus(pdu, errstat)
        v2c.apiPDU.setErrorIndex(pdu, errindex)
    v2c.apiPDU.setRequestID(pdu, reqid)
    v2c.apiPDU.setVarBinds(pdu, [(o, v) for o, v, _, _ in vbs])
    facts = [("pdu", PDU_NAMES[cls]), ("reqid", str(reqid)), ("errstat", str(errstat)),
             ("errindex", str(errindex))] + vb_facts(vbs)
    return pdu, facts


def v1_pdu(cls, name, reqid, vbs, errstat=0, errindex=0):
    pdu = cls()
    v1.apiPDU.setDefaults(pdu)
    v1.apiPDU.setRequestID(pdu, reqid)
    v1.apiPDU.setErrorStatus(pdu, errstat)
    v1.apiPDU.setErrorIndex(pdu, errindex)
    v1.apiPDU.setVarBinds(pdu, [(o, V1_VALUE[t](v)) for o, v, t, _ in vbs])
    facts = [("pdu", name), ("reqid", str(reqid)), ("errstat", str(errstat)),
             ("errindex", str(errindex))] + vb_facts(vbs)
    return pdu, facts


def v1_trap(enterprise, agent, generic, specific, ts, vbs):
    pdu = v1.TrapPDU()
    v1.apiTrapPDU.setDefaults(pdu)
    v1.apiTrapPDU.setEnterprise(pdu, enterprise)
    v1.apiTrapPDU.setAgentAddr(pdu, agent)
    v1.apiTrapPDU.setGenericTrap(pdu, generic)
    v1.apiTrapPDU.setSpecificTrap(pdu, specific)
    v1.apiTrapPDU.setTimeStamp(pdu, ts)
    v1.apiTrapPDU.setVarBinds(pdu, [(o, V1_VALUE[t](v)) for o, v, t, _ in vbs])
    facts = [("pdu", "trap-v1"), ("enterprise", oidtext(enterprise)), ("agent", agent),
             ("generic", str(generic)), ("specific", str(specific)), ("timestamp", str(ts))]
    return pdu, facts + vb_facts(vbs)


def community_msg(api, version, community, pdu_facts):
    pdu, facts = pdu_facts
    msg = api.Message()
    api.apiMessage.setDefaults(msg)
    api.apiMessage.setCommunity(msg, community)
    api.apiMessage.setPDU(msg, pdu)
    return encoder.encode(msg), [("version", str(version)), ("community", community.hex())] + facts


def v3_msg(msgid, maxsize, flags, engine, boots, time, user, auth, priv, pdu_facts=None,
           ctxengine=b"", ctxname=b"", encrypted=None):
    usm = UsmSecurityParameters()
    usm.setComponentByPosition(0, engine)
    usm.setComponentByPosition(1, boots)
    usm.setComponentByPosition(2, time)
    usm.setComponentByPosition(3, user)
    usm.setComponentByPosition(4, auth)
    usm.setComponentByPosition(5, priv)
    msg = SNMPv3Message()
    msg.setComponentByPosition(0, 3)
    hdr = msg.setComponentByPosition(1).getComponentByPosition(1)
    hdr.setComponentByPosition(0, msgid)
    hdr.setComponentByPosition(1, maxsize)
    hdr.setComponentByPosition(2, bytes([flags]))
    hdr.setComponentByPosition(3, 3)
    msg.setComponentByPosition(2, encoder.encode(usm))
    data = msg.setComponentByPosition(3).getComponentByPosition(3)
    facts = [("version", "3"), ("msgid", str(msgid)), ("maxsize", str(maxsize)),
             ("flags", str(flags)), ("secmodel", "3"), ("engine", engine.hex()),
             ("boots", str(boots)), ("time", str(time)), ("user", user.hex()),
             ("auth", auth.hex())]
    if encrypted is not None:
        data.setComponentByName("encryptedPDU", encrypted)
    else:
        scoped = ScopedPDU()
        scoped.setComponentByPosition(0, ctxengine)
        scoped.setComponentByPosition(1, ctxname)
        pdu, pfacts = pdu_facts
        scoped.setComponentByPosition(2).getComponentByPosition(2).setComponentByType(
            pdu.tagSet, pdu)
        data.setComponentByName("plaintext", scoped)
    wire = encoder.encode(msg)
    if auth:
        assert wire.count(auth) == 1
        facts.append(("authoff", str(wire.index(auth))))
    facts.append(("priv", priv.hex()))
    if encrypted is not None:
        facts.append(("encrypted", encrypted.hex()))
    else:
        facts += [("ctxengine", ctxengine.hex()), ("ctxname", ctxname.hex())] + pfacts
    return wire, facts


# RFC 1442 NsapAddress [APPLICATION 5] and UInteger32 [APPLICATION 7], and
# a v2c message around them, in plain pyasn1.
class AnyVarBind(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("name", univ.ObjectIdentifier()),
        namedtype.NamedType("value", univ.Any()))


class AnyVarBindList(univ.SequenceOf):
    componentType = AnyVarBind()


class AnyTrapPDU(univ.Sequence):
    tagSet = univ.Sequence.tagSet.tagImplicitly(
        tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 7))
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("request-id", univ.Integer()),
        namedtype.NamedType("error-status", univ.Integer()),
        namedtype.NamedType("error-index", univ.Integer()),
        namedtype.NamedType("variable-bindings", AnyVarBindList()))


class AnyMessage(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("version", univ.Integer()),
        namedtype.NamedType("community", univ.OctetString()),
        namedtype.NamedType("data", AnyTrapPDU()))


def app_tagged(base, num, value):
    t = base.subtype(implicitTag=tag.Tag(tag.tagClassApplication, tag.tagFormatSimple, num))
    return encoder.encode(t.clone(value))


def rfc1442_types_msg():
    nsap = bytes.fromhex("470005800005")
    rows = [((1, 3, 6, 1, 4, 1, 99, 20), app_tagged(univ.OctetString(), 5, nsap),
             "nsapaddress", nsap.hex()),
            ((1, 3, 6, 1, 4, 1, 99, 21), app_tagged(univ.Integer(), 7, U32), "uinteger32", str(U32)),
            ((1, 3, 6, 1, 4, 1, 99, 22), app_tagged(univ.Integer(), 7, 5), "uinteger32", "5")]
    vbl = AnyVarBindList()
    for i, (o, enc, _, _) in enumerate(rows):
        vb = AnyVarBind()
        vb.setComponentByName("name", o)
        vb.setComponentByName("value", univ.Any(enc))
        vbl.setComponentByPosition(i, vb)
    pdu = AnyTrapPDU()
    pdu.setComponentByName("request-id", 77)
    pdu.setComponentByName("error-status", 0)
    pdu.setComponentByName("error-index", 0)
    pdu.setComponentByName("variable-bindings", vbl)
    msg = AnyMessage()
    msg.setComponentByName("version", 1)
    msg.setComponentByName("community", b"public")
    msg.setComponentByName("data", pdu)
    facts = [("version", "1"), ("community", b"public".hex()), ("pdu", "trap-v2"), ("reqid", "77"),
             ("errstat", "0"), ("errindex", "0")] + vb_facts(rows)
    return encoder.encode(msg), facts


ENGINE = bytes.fromhex("800000090300c0ffee000001")
USM_UNKNOWN_ENGINE_IDS = (1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0)


def messages():
    yield "v1_trap_coldstart", community_msg(
        v1, 0, b"public", v1_trap(ENT, "192.0.2.10", 0, 0, 4711, []))
    yield "v1_trap_linkdown", community_msg(
        v1, 0, b"public", v1_trap(ENT, "192.0.2.10", 2, 0, 99, [vb_integer(IF_INDEX, 2)]))
    yield "v1_trap_enterprise_every_type", community_msg(
        v1, 0, b"secret", v1_trap(ENT, "198.51.100.1", 6, 17, 4294967295, v1_types()))
    yield "v1_get", community_msg(v1, 0, b"public", v1_pdu(
        v1.GetRequestPDU, "get", 1, [vb_null(SYS_UPTIME)]))
    yield "v1_getnext", community_msg(v1, 0, b"public", v1_pdu(
        v1.GetNextRequestPDU, "getnext", 2, [vb_null((1, 3, 6, 1, 2, 1))]))
    yield "v1_set", community_msg(v1, 0, b"private", v1_pdu(
        v1.SetRequestPDU, "set", 3, [vb_string((1, 3, 6, 1, 2, 1, 1, 5, 0), b"rtr1")]))
    yield "v1_response_error", community_msg(v1, 0, b"public", v1_pdu(
        v1.GetResponsePDU, "response", -4, [vb_null(SYS_UPTIME)], errstat=2, errindex=1))
    yield "v2c_trap_every_type", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.SNMPv2TrapPDU, 1234567,
        notification_head(360000, (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)) + every_v2_type()))
    yield "v2c_trap_linkup", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.SNMPv2TrapPDU, -2147483648,
        notification_head(1, (1, 3, 6, 1, 6, 3, 1, 1, 5, 4)) + [vb_integer(IF_INDEX, 2)]))
    yield "v2c_inform", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.InformRequestPDU, 42,
        notification_head(500, ENT + (0, 1)) + [vb_string((1, 3, 6, 1, 4, 1, 99, 1), b"x")]))
    yield "v2c_response_exceptions", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.ResponsePDU, 43, [vb_exc((1, 3, 6, 1, 4, 1, 99, 1), "no-such-object"),
                              vb_exc((1, 3, 6, 1, 4, 1, 99, 2), "no-such-instance"),
                              vb_exc((1, 3, 6, 1, 4, 1, 99, 3), "end-of-mib-view")]))
    yield "v2c_report", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.ReportPDU, 44, [vb_counter32(USM_UNKNOWN_ENGINE_IDS, 17)]))
    yield "v2c_get", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.GetRequestPDU, 45, [vb_null(SYS_UPTIME), vb_null((1, 3, 6, 1, 2, 1, 1, 5, 0))]))
    yield "v2c_getnext", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.GetNextRequestPDU, 46, [vb_null((1, 3, 6, 1, 2, 1, 2))]))
    yield "v2c_getbulk", community_msg(v2c, 1, b"public", v2_pdu(
        v2c.GetBulkRequestPDU, 47, [vb_null((1, 3, 6, 1, 2, 1, 2, 2))], errstat=1, errindex=25))
    yield "v2c_set", community_msg(v2c, 1, b"private", v2_pdu(
        v2c.SetRequestPDU, 48, [vb_integer((1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 2), 2)]))
    yield "v2c_trap_no_varbinds", community_msg(v2c, 1, b"", v2_pdu(v2c.SNMPv2TrapPDU, 0, []))
    yield "v2c_trap_rfc1442_types", rfc1442_types_msg()
    yield "v3_noauth_inform", v3_msg(
        1001, 65507, 0x04, ENGINE, 3, 86400, b"alice", b"", b"",
        v2_pdu(v2c.InformRequestPDU, 7, notification_head(77, ENT + (0, 9))),
        ctxengine=ENGINE, ctxname=b"")
    yield "v3_auth_trap", v3_msg(
        2147483647, 484, 0x01, ENGINE, 2147483647, 0, b"bob",
        bytes(range(0xa0, 0xac)), b"",
        v2_pdu(v2c.SNMPv2TrapPDU, 9, notification_head(12, (1, 3, 6, 1, 6, 3, 1, 1, 5, 1))),
        ctxengine=ENGINE, ctxname=b"ctx")
    yield "v3_authpriv_encrypted", v3_msg(
        5, 1500, 0x07, ENGINE, 1, 2, b"carol", bytes(range(0xb0, 0xd0)),
        bytes.fromhex("0000000100000002"), encrypted=bytes(range(64, 164)))
    yield "v3_discovery", v3_msg(
        0x1234, 65507, 0x04, b"", 0, 0, b"", b"", b"",
        v2_pdu(v2c.GetRequestPDU, 0x4321, []), ctxengine=b"", ctxname=b"")
    yield "v3_report_unknown_engine", v3_msg(
        0x1234, 65507, 0x00, ENGINE, 9, 1000, b"", b"", b"",
        v2_pdu(v2c.ReportPDU, 0x4321, [vb_counter32(USM_UNKNOWN_ENGINE_IDS, 3)]),
        ctxengine=ENGINE, ctxname=b"")


def main():
    import pysnmp
    lines = ["# Generated by tests/data/gen_snmp_golden.py (pysnmp %s); do not edit." %
             pysnmp.__version__, "# name\tmessage hex\tfacts (key=value;...)"]
    for name, (wire, facts) in messages():
        for k, v in facts:
            assert not any(c in k + v for c in ";=\t"), (name, k, v)
        lines.append("%s\t%s\t%s" % (name, wire.hex(), ";".join("%s=%s" % kv for kv in facts)))
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d messages to %s" % (len(lines) - 2, OUT))


if __name__ == "__main__":
    main()
