#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write dns_msg_dnspython.txt: messages made by dnspython (an independent
implementation, Debian's python3-dnspython 2.3) with compression, EDNS
options and TSIG, each followed by what dnspython says it holds, for
test_dns_msg.c to parse and compare. Run with /usr/bin/python3 from this
folder; the output is committed so the tests do not need Python.

Format, one item per line:
  msg <label> <hex>
  rr <section 0-3> <owner> <type> <ttl> <uncompressed rdata hex or ->
  edns <payload> <ext-rcode> <version> <flags>
  opt <code> <hex or ->
  end
"""
import os

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsigkeyring


def rrset(name, ttl, rdtype, *rdatas):
    return dns.rrset.from_text(name, ttl, "IN", rdtype, *rdatas)


def response():
    q = dns.message.make_query("www.example.com.", "A", use_edns=0, want_dnssec=True)
    q.id = 0x4242
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA
    r.answer = [
        rrset("www.example.com.", 3600, "CNAME", "web.example.com."),
        rrset("web.example.com.", 60, "A", "192.0.2.1", "192.0.2.2"),
        rrset("example.com.", 300, "MX", "10 mail.example.com.", "20 mx.example.net."),
        rrset("_sip._udp.example.com.", 300, "SRV", "0 5 5060 sip.example.com."),
    ]
    r.authority = [
        rrset("example.com.", 86400, "NS", "ns1.example.com.", "ns2.example.com."),
        rrset("example.com.", 300, "SOA", "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300"),
    ]
    r.additional = [
        rrset("ns1.example.com.", 3600, "A", "192.0.2.53"),
        rrset("ns1.example.com.", 3600, "AAAA", "2001:db8::53"),
    ]
    r.use_edns(0, dns.flags.DO, 1232, options=[
        dns.edns.GenericOption(dns.edns.NSID, b"ns1"),
        dns.edns.GenericOption(dns.edns.COOKIE, bytes(range(1, 17))),
        dns.edns.ECSOption("192.0.2.0", 24, 24),
        dns.edns.GenericOption(dns.edns.PADDING, bytes(8)),
        dns.edns.GenericOption(65001, b"\xab\xcd"),
    ])
    return r


def query_ecs_v6():
    q = dns.message.make_query("_ldap._tcp.Example.ORG.", "SRV", use_edns=0, payload=1232, options=[
        dns.edns.ECSOption("2001:db8:1234::", 56, 0),
        dns.edns.GenericOption(dns.edns.COOKIE, bytes(range(8))),
    ])
    q.id = 0x0102
    return q


def badcookie():
    q = dns.message.make_query("example.com.", "A", use_edns=0)
    q.id = 0x0bad
    r = dns.message.make_response(q)
    r.set_rcode(dns.rcode.BADCOOKIE)
    r.authority = [rrset("example.com.", 300, "SOA",
                         "ns1.example.com. hostmaster.example.com. 2 7200 900 1209600 300")]
    return r


def tsig_query():
    keyring = dns.tsigkeyring.from_text({"key.example.": "c2VjcmV0c2VjcmV0c2VjcmV0"})
    q = dns.message.make_query("example.com.", "SOA", use_edns=0)
    q.id = 0x7515
    q.use_tsig(keyring, "key.example.")
    return q


def dump(out, label, msg):
    wire = msg.to_wire()
    out.write("msg %s %s\n" % (label, wire.hex()))
    # read it back so the listing is what the wire holds, TSIG included
    back = dns.message.from_wire(wire, keyring=getattr(msg, "keyring", None))
    sections = [back.question, back.answer, back.authority, back.additional]
    for s, rrsets in enumerate(sections):
        for rs in rrsets:
            if s == 0:
                out.write("rr 0 %s %d 0 -\n" % (rs.name.to_text(), rs.rdtype))
                continue
            for rd in rs:
                out.write("rr %d %s %d %d %s\n" % (s, rs.name.to_text(), rs.rdtype, rs.ttl,
                                                    rd.to_wire().hex() or "-"))
    if back.tsig:
        rd = back.tsig[0]
        out.write("rr 3 %s %d 0 %s\n" % (back.keyname.to_text(), dns.rdatatype.TSIG, rd.to_wire().hex()))
    if back.edns >= 0:
        ext = (back.rcode() >> 4) & 0xff
        out.write("edns %d %d %d %d\n" % (back.payload, ext, back.edns, back.ednsflags & 0xffff))
        for o in back.options:
            out.write("opt %d %s\n" % (o.otype, o.to_wire().hex() or "-"))
    out.write("end\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "dns_msg_dnspython.txt"), "w") as out:
        out.write("# made by dns_msg_gen.py with dnspython %s; do not edit\n" % dns.version.version)
        dump(out, "response", response())
        dump(out, "query_ecs_v6", query_ecs_v6())
        dump(out, "badcookie", badcookie())
        dump(out, "tsig_query", tsig_query())


if __name__ == "__main__":
    import dns.version
    main()
