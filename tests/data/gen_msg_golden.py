#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Golden DNS messages built and read back by dnspython.

Run with Debian's interpreter (python3-dnspython 2.3 is installed for it):

    /usr/bin/python3 tests/data/gen_msg_golden.py

Writes tests/data/msg_golden.tsv, one message a line:

    name <TAB> message hex <TAB> facts

dnspython builds each message (its own name compression across sections,
its own EDNS encoding) and the facts are what dnspython reads back from the
wire, so neither side is ours. Facts are `key=value` joined by `;`:

  id, flags (the 16-bit header word, 0x hex), qd an ns ar (header counts),
  qname qtype qclass (first question), rcode (full 12-bit rcode mnemonic,
  extended bits included), edns (0/1); with EDNS also udp, ednsver, do (0/1),
  opts (number of options), and per option present: nsid (hex, may be
  empty), cookie (hex), padding (length), ecs (family/source/scope/address),
  then unknown (number of options other than those four).
  Records: an0, an1, ... ns0 ... ar0 ... (OPT excluded) as
  owner|TYPE|CLASS|ttl|rdata text, the rdata text as in rdata_golden.tsv
  (dnspython's to_text()).

No value contains ';' or '|' or a tab (asserted).
"""

import ipaddress
import os

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.version

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "msg_golden.tsv")

KEY = "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0="
SIG = "ZbgFCbUJzAIZa5sSCzYaU7sk1vWUdKe1B3czW38yfG1Z2RRBVXvJq2OP6pFJbd/vE2vYiFtdQU3/Ukl5hPI5vKzlJg9HpoPfPt3s1ByrMbo2h4EtwrkWWO9W7rgsB9tWCAhFaxMhKZSPgnDmQFaRJ2jYRyAk+rlb3N6Rpn4Y1A6C8kpnVeB3AqKlZ4xd4Pwyk6pDrWZXhn+Hb7Nr/vhhCA=="


def q(name, rdtype="A", rdclass="IN", qid=0x1234, edns=-1, payload=1232, do=False, options=(),
      flags=dns.flags.RD):
    m = dns.message.make_query(name, rdtype, rdclass, use_edns=edns, payload=payload,
                               want_dnssec=do, options=list(options))
    m.id = qid
    m.flags = flags
    return m


def resp(query, rcode=dns.rcode.NOERROR, aa=True, answer=(), authority=(), additional=()):
    r = dns.message.make_response(query)
    if aa:
        r.flags |= dns.flags.AA
    r.set_rcode(rcode)
    for section, rrsets in ((r.answer, answer), (r.authority, authority), (r.additional, additional)):
        for rr in rrsets:
            section.append(dns.rrset.from_text(*rr))
    return r


def opt(code, data):
    return dns.edns.GenericOption(code, data)


ECS4 = dns.edns.ECSOption("192.0.2.0", 22, 0)
ECS6 = dns.edns.ECSOption("2001:db8:1200::", 40, 0)
COOKIE_C = bytes.fromhex("0123456789abcdef")
COOKIE_S = bytes.fromhex("fedcba98765432100011223344556677")


def messages():
    out = []
    add = lambda name, m: out.append((name, m))   # noqa: E731

    add("query_a_no_edns", q("example.com."))
    add("query_aaaa_edns", q("www.example.com.", "AAAA", edns=0))
    add("query_do_4096", q("example.com.", "DNSKEY", edns=0, payload=4096, do=True))
    add("query_nsid", q("example.net.", "SOA", edns=0, options=[opt(dns.edns.NSID, b"")]))
    add("query_cookie_client", q("example.org.", "A", edns=0, options=[opt(10, COOKIE_C)]))
    add("query_cookie_server", q("example.org.", "A", edns=0, options=[opt(10, COOKIE_C + COOKIE_S)]))
    add("query_ecs_v4", q("cdn.example.", "A", edns=0, options=[ECS4]))
    add("query_ecs_v6", q("cdn.example.", "AAAA", edns=0, options=[ECS6]))
    add("query_padding_cookie", q("pad.example.", "A", edns=0,
                                  options=[opt(10, COOKIE_C), opt(dns.edns.PADDING, bytes(23))]))
    add("query_unknown_option", q("x.example.", "TXT", edns=0, payload=512,
                                  options=[opt(65001, b"\x01\x02"), opt(dns.edns.NSID, b"")]))
    add("query_chaos_version", q("version.bind.", "TXT", "CH", qid=0, flags=0))
    add("query_unknown_type", q("Mixed.Case.Example.", "TYPE65280", qid=0xffff, edns=0, payload=65535))

    base = q("www.example.com.", edns=0)
    add("resp_a3_compressed", resp(base,
        answer=[("www.example.com.", 300, "IN", "A", "192.0.2.1", "192.0.2.2", "192.0.2.3")],
        authority=[("example.com.", 86400, "IN", "NS", "ns1.example.com.", "ns2.example.com.")],
        additional=[("ns1.example.com.", 3600, "IN", "A", "192.0.2.53"),
                    ("ns2.example.com.", 3600, "IN", "AAAA", "2001:db8::53")]))
    add("resp_mx_glue", resp(q("example.com.", "MX"),
        answer=[("example.com.", 3600, "IN", "MX", "10 mail.example.com.", "20 mx2.example.net.")],
        additional=[("mail.example.com.", 3600, "IN", "A", "192.0.2.25")]))
    add("resp_soa", resp(q("example.com.", "SOA", edns=0),
        answer=[("example.com.", 3600, "IN", "SOA",
                 "ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300")]))
    add("resp_srv", resp(q("_sip._udp.example.com.", "SRV"),
        answer=[("_sip._udp.example.com.", 60, "IN", "SRV",
                 "10 60 5060 sip1.example.com.", "20 40 5060 sip2.example.com.")],
        additional=[("sip1.example.com.", 60, "IN", "A", "192.0.2.60")]))
    add("resp_naptr", resp(q("4.3.2.1.5.5.5.0.0.8.1.e164.arpa.", "NAPTR"),
        answer=[("4.3.2.1.5.5.5.0.0.8.1.e164.arpa.", 3600, "IN", "NAPTR",
                 '100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .',
                 '102 10 "u" "E2U+email" "!^.*$!mailto:info@example.com!" .')]))
    add("resp_nxdomain_soa", resp(q("nope.example.com.", edns=0), rcode=dns.rcode.NXDOMAIN,
        authority=[("example.com.", 300, "IN", "SOA",
                    "ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300")]))
    tc = resp(q("big.example.com.", "TXT"), answer=[])
    tc.flags |= dns.flags.TC
    add("resp_truncated_tc", tc)
    add("resp_cname_chain_txt", resp(q("alias.example.com.", "TXT"),
        answer=[("alias.example.com.", 300, "IN", "CNAME", "Target.Example.COM."),
                ("Target.Example.COM.", 300, "IN", "TXT", '"v=spf1 -all" "second string"')]))
    bv = resp(q("example.com.", edns=1), rcode=dns.rcode.BADVERS, aa=False)
    add("resp_badvers_extended_rcode", bv)
    nsid = resp(q("example.com.", edns=0, options=[opt(dns.edns.NSID, b"")]),
                answer=[("example.com.", 60, "IN", "A", "192.0.2.7")])
    nsid.use_edns(0, 0, 1232, options=[opt(dns.edns.NSID, b"ns-fra-1")])
    add("resp_nsid", nsid)
    add("resp_dnssec", resp(q("example.com.", "DNSKEY", edns=0, payload=4096, do=True),
        answer=[("example.com.", 3600, "IN", "DNSKEY", "257 3 8 " + KEY),
                ("example.com.", 3600, "IN", "RRSIG",
                 "DNSKEY 8 2 3600 20240201000000 20240101000000 20326 example.com. " + SIG)]))
    add("resp_ptr", resp(q("1.2.0.192.in-addr.arpa.", "PTR"),
        answer=[("1.2.0.192.in-addr.arpa.", 86400, "IN", "PTR", "host.example.com.")]))
    notify = q("example.com.", "SOA", qid=0x4242, flags=dns.flags.AA)
    notify.set_opcode(dns.opcode.NOTIFY)
    notify.answer.append(dns.rrset.from_text("example.com.", 3600, "IN", "SOA",
                         "ns1.example.com. hostmaster.example.com. 2024010102 7200 3600 1209600 300"))
    add("notify_with_soa", notify)
    add("resp_refused_edns", resp(q("other.example.", edns=0),
                                              rcode=dns.rcode.REFUSED, aa=False))
    return out


def rdata_text(rd):
    return rd.to_text(origin=None)


def facts(wire):
    m = dns.message.from_wire(wire)
    # The header word straight from the wire: dnspython splits it into
    # flags, opcode and rcode, and the test compares the word.
    f = [("id", str(m.id)), ("flags", "0x%04x" % int.from_bytes(wire[2:4], "big"))]
    counts = [int.from_bytes(wire[i:i + 2], "big") for i in (4, 6, 8, 10)]
    f += list(zip(("qd", "an", "ns", "ar"), map(str, counts)))
    if m.question:
        qq = m.question[0]
        f += [("qname", qq.name.to_text()), ("qtype", dns.rdatatype.to_text(qq.rdtype)),
              ("qclass", dns.rdataclass.to_text(qq.rdclass))]
    f.append(("rcode", dns.rcode.to_text(m.rcode())))
    f.append(("edns", "1" if m.edns >= 0 else "0"))
    if m.edns >= 0:
        f += [("udp", str(m.payload)), ("ednsver", str(m.edns)),
              ("do", "1" if m.ednsflags & dns.flags.DO else "0"), ("opts", str(len(m.options)))]
        seen = set()
        for o in m.options:
            if o.otype in seen:
                continue
            seen.add(o.otype)
            if o.otype == dns.edns.NSID:
                f.append(("nsid", o.data.hex()))
            elif o.otype == 10:
                f.append(("cookie", o.data.hex()))
            elif o.otype == dns.edns.PADDING:
                f.append(("padding", str(len(o.data))))
            elif o.otype == dns.edns.ECS:
                addr = ipaddress.ip_address(o.address)
                f.append(("ecs", "%d/%d/%d/%s" % (1 if addr.version == 4 else 2, o.srclen,
                                                  o.scopelen, addr)))
        known = {dns.edns.NSID, 10, dns.edns.PADDING, dns.edns.ECS}
        f.append(("unknown", str(sum(1 for o in m.options if o.otype not in known))))
    for tag, section in (("an", m.answer), ("ns", m.authority), ("ar", m.additional)):
        i = 0
        for rrset in section:
            for rd in rrset:
                f.append(("%s%d" % (tag, i), "|".join((
                    rrset.name.to_text(), dns.rdatatype.to_text(rrset.rdtype),
                    dns.rdataclass.to_text(rrset.rdclass), str(rrset.ttl), rdata_text(rd)))))
                i += 1
    for k, v in f:
        assert not set(v) & set(";\t\n") and "|" not in k, (k, v)
    return ";".join("%s=%s" % kv for kv in f)


def main():
    rows = []
    for name, m in messages():
        wire = m.to_wire(want_shuffle=False)   # records in the order given
        rows.append((name, wire.hex(), facts(wire)))
    assert len({r[0] for r in rows}) == len(rows)
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write("# Generated by tests/data/gen_msg_golden.py (dnspython %s); do not edit.\n"
                % dns.version.version)
        f.write("# name\tmessage hex\tfacts (key=value;...)\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("wrote %d messages to %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
