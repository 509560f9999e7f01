/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include <linerate/dns_err.h>
#include <linerate/dns_name.h>
#include <linerate/dns_rdata.h>

// Criterion runs each parameter in a fresh process: params carry their
// strings inline, not as pointers into the parent's memory.
struct vector {
	uint16_t type;
	char text[400];	  // presentation form read
	char hex[600];	  // its uncompressed wire form
	char expect[400]; // printed form when it differs from text
};

// One or more vectors for every registry type. The wire bytes and printed
// forms come from dnspython 2.3 for every type it implements; for the types
// it prints only in RFC 3597 form (MD, MF, MB, MG, MR, MINFO, SIG, KEY, NXT,
// EID, NIMLOC, ATMA, A6, SINK, UINFO, UID, GID, TA) they follow the RFCs and
// BIND, checked by hand.
static const struct vector vectors[] = {
	// Generated from dnspython 2.3 output where dnspython knows the type;
	{1, "192.0.2.1", "c0000201", ""},
	{2, "ns1.example.com.", "036e7331076578616d706c6503636f6d00", ""},
	{5, "Www.Example.com.", "03577777074578616d706c6503636f6d00", ""},
	{6, "ns.example. admin.example. 2024010101 3600 900 604800 86400",
	 "026e73076578616d706c65000561646d696e076578616d706c650078a3f17500000e100000038400093a80000"
	 "15180",
	 ""},
	{6, "ns.example. admin.example. 1 1h 15m 1w 1d",
	 "026e73076578616d706c65000561646d696e076578616d706c65000000000100000e100000038400093a80000"
	 "15180",
	 "ns.example. admin.example. 1 3600 900 604800 86400"},
	{11, "192.0.2.1 6 25 80 443",
	 "c0000201060000004000000000000080000000000000000000000000000000000000000000000000000000000"
	 "000000000000000000000000000000010",
	 ""},
	{11, "192.0.2.1 17 53", "c00002011100000000000004", ""},
	{11, "10.0.0.1 tcp 0 1 7", "0a00000106c1", "10.0.0.1 6 0 1 7"},
	{12, "host.example.", "04686f7374076578616d706c6500", ""},
	{13, "\"PC\" \"Linux 6\"", "025043074c696e75782036", ""},
	{15, "10 mail.example.", "000a046d61696c076578616d706c6500", ""},
	{16, "\"hello world\" \"second\"", "0b68656c6c6f20776f726c64067365636f6e64", ""},
	{16, "unquoted", "08756e71756f746564", "\"unquoted\""},
	{16, "\"\"", "00", ""},
	{17, "mbox.example. txt.example.", "046d626f78076578616d706c650003747874076578616d706c6500",
	 ""},
	{18, "1 afs.example.", "000103616673076578616d706c6500", ""},
	{19, "\"311061700956\"", "0c333131303631373030393536", ""},
	{20, "\"150862028003217\" \"004\"", "0f31353038363230323830303332313703303034", ""},
	{20, "\"150862028003217\"", "0f313530383632303238303033323137", ""},
	{21, "10 relay.example.", "000a0572656c6179076578616d706c6500", ""},
	{22, "0x47000580005a0000000001e133ffffff00016100",
	 "47000580005a0000000001e133ffffff00016100", ""},
	{23, "foo.example.", "03666f6f076578616d706c6500", ""},
	{26, "10 map822.example. mapx400.example.",
	 "000a066d6170383232076578616d706c6500076d617078343030076578616d706c6500", ""},
	{27, "-32.6882 116.8652 10.0", "082d33322e36383832083131362e383635320431302e30", ""},
	{28, "2001:db8::1", "20010db8000000000000000000000001", ""},
	{28, "::ffff:192.0.2.1", "00000000000000000000ffffc0000201", ""},
	{28, "::", "00000000000000000000000000000000", ""},
	{28, "2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001", ""},
	{29, "60 9 0.000 N 24 39 0.000 E 10.00m 20.00m 2000.00m 20.00m",
	 "002325238ce82360854a10a000989a68", ""},
	{29, "42 21 54.500 N 71 6 18.000 W -24.00m", "0012161389172fc470be15f000988d20", ""},
	{29, "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000.00m 10.00m",
	 "000016138b3cf018810cbce0009895b8", ""},
	{29, "0 0 0.000 N 0 0 0.000 E 0.00m", "00121613800000008000000000989680", ""},
	{29, "90 0 0.000 S 180 0 0.000 W 42849672.95m 90000000.00m 90000000.00m 90000000.00m",
	 "009999996cb0270059604e00ffffffff", ""},
	{29, "1 N 2 E 3", "001216138036ee80806ddd00009897ac", "1 0 0.000 N 2 0 0.000 E 3.00m"},
	{29, "1 2 N 2 3 E 3m", "001216138038c34080709c20009897ac", "1 2 0.000 N 2 3 0.000 E 3.00m"},
	{29, "1 2 3.5 S 2 3 4.25 W -0.5m 1m", "001216137fc72f147f8f53460098964e",
	 "1 2 3.500 S 2 3 4.250 W -0.50m"},
	{33, "0 5 5060 sip.example.", "0000000513c403736970076578616d706c6500", ""},
	{35, "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.",
	 "0064000a0153075349502b44325500045f736970045f756470076578616d706c6500", ""},
	{35, "100 50 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .",
	 "006400320175074532552b7369701b215e2e2a24217369703a696e666f406578616d706c652e636f6d2100",
	 ""},
	{36, "10 kx.example.", "000a026b78076578616d706c6500", ""},
	{37, "PKIX 12345 RSASHA256 MIIBCgKCAQEA", "00013039083082010a0282010100", ""},
	{37, "65000 1 200 AAAA", "fde80001c8000000", ""},
	{39, "target.example.", "06746172676574076578616d706c6500", ""},
	{42, "1:192.168.32.0/21 !1:192.168.38.0/28", "00011503c0a82000011c83c0a826", ""},
	{42, "2:2001:db8::/32 1:0.0.0.0/0", "0002200420010db800010000", ""},
	{43, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
	 "ec4505012bb183af5f22588179a53b0a98631fad1a292118",
	 "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"},
	{44, "1 1 123456789abcdef67890123456789abcdef67890",
	 "0101123456789abcdef67890123456789abcdef67890", ""},
	{45, "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	 "0a0102c0000226010351537986ed35533b6064478eeeb27b5bd74dae149b6e81ba3a0521af82ab7801",
	 "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtu gbo6BSGvgqt4AQ=="},
	{45, "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	 "0a0002010351537986ed35533b6064478eeeb27b5bd74dae149b6e81ba3a0521af82ab7801",
	 "10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtu gbo6BSGvgqt4AQ=="},
	{45, "10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	 "0a0302096d7967617465776179076578616d706c6503636f6d00010351537986ed35533b6064478eeeb27b5bd"
	 "74dae149b6e81ba3a0521af82ab7801",
	 "10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb102uFJtu gbo6BSGvgqt4AQ=="},
	{45, "10 2 2 2001:db8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",
	 "0a020220010db8000080020000000020000001010351537986ed35533b6064478eeeb27b5bd74dae149b6e81b"
	 "a3a0521af82ab7801",
	 "10 2 2 2001:db8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb102uFJtu gbo6BSGvgqt4AQ=="},
	{46,
	 "A 8 3 86400 20240201000000 20240101000000 12345 example.com. "
	 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	 "000108030001518065badf00659200803039076578616d706c6503636f6d00000000000000000000000000000"
	 "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	 "0000000000000000",
	 "A 8 3 86400 20240201000000 20240101000000 12345 example.com. "
	 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "
	 "AAAAAAAAAAAAAAAAAAAAAAAA"},
	{47, "host.example.com. A MX RRSIG NSEC TYPE1234",
	 "04686f7374076578616d706c6503636f6d000006400100000003041b000000000000000000000000000000000"
	 "000000000000000000020",
	 ""},
	{47, "a.example. NS SOA CAA TYPE65534",
	 "0161076578616d706c6500000122010140ff20000000000000000000000000000000000000000000000000000"
	 "0000000000002",
	 ""},
	{48,
	 "257 3 8 "
	 "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/"
	 "RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/"
	 "Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV"
	 "6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+"
	 "ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=",
	 "0101030803010001a80020a95566ba42e886bb804cda84e47ef56dbd7aec612615552cec906d2116d0ef20702"
	 "8c51554144dfeafe7c7cb8f005dd18234133ac0710a81182ce1fd14ad2283bc83435f9df2f6313251931a176d"
	 "f0da51e54f42e604860dfb359580250f559cc543c4ffd51cbe3de8cfd06719237f9fc47ee729da06835fa452e"
	 "825e9a18ebc2ecbcf563474652c33cf56a9033bcdf5d973121797ec8089041b6e03a1b72d0a735b984e036873"
	 "09332324f27c2dba85e9db15e83a0143382e974b0621c18e625ecec907577d9e7bade95241a81ebbe8a901d4d"
	 "3276e40b114c0a2e6fc38d19c2e6aab02644b2813f575fc21601e0dee49cd9ee96a43103e524d62873d",
	 "257 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29 euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v "
	 "58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8 g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37 "
	 "NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/E fucp2gaDX6RS6CXpoY68LsvPVjR0ZSwz "
	 "z1apAzvN9dlzEheX7ICJBBtuA6G3LQpz W5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgu "
	 "l0sGIcGOYl7OyQdXfZ57relSQageu+ip AdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1 "
	 "dfwhYB4N7knNnulqQxA+Uk1ihz0="},
	{48,
	 "256 3 13 "
	 "oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWzJaOau8XNEZeqCYKD5ar0IRd8KqXXFJkqmVfRvMGPmM1x8fGAa2XhSA==",
	 "0100030da09311112cf9138818cd2feae970ebbd4d6a30f6088c25b325a39abbc5cd1197aa098283e5aaf4211"
	 "77c2aa5d714992a9957d1bcc18f98cd71f1f1806b65e148",
	 "256 3 13 oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWz JaOau8XNEZeqCYKD5ar0IRd8KqXXFJkq "
	 "mVfRvMGPmM1x8fGAa2XhSA=="},
	{49, "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
	 "000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17cdb95000da48c40",
	 "AAIBY2/AuCccgoJbsaxcQc9TUapptP69 lOjxfNuVAA2kjEA="},
	{50, "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG",
	 "0101000c04aabbccdd14174eb2409fe28bcb4887a1836f957f0a8425e27b000722010000000290",
	 "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM"},
	{50, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr",
	 "010000000014174eb2409fe28bcb4887a1836f957f0a8425e27b", ""},
	{51, "1 0 12 aabbccdd", "0100000c04aabbccdd", ""},
	{51, "1 0 0 -", "0100000000", ""},
	{52, "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
	 "0301010c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6", ""},
	{53, "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
	 "0301010c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6", ""},
	{55,
	 "2 200100107b1a74df365639cc39f1d578 "
	 "AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+"
	 "CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+"
	 "bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs.example.com.",
	 "10020084200100107b1a74df365639cc39f1d57803010001b771ca136e4aeb5ce44333c53b3d2c13c22243851"
	 "fc708bcce29f7e2eb5787b5f56ccad34f8223acc10904ddb56b2ec4a6d6232f3b50ea094f0914b3b941bbe529"
	 "af582c36bbadefdaf2adaf9b4911906f5b2522603c615272b880ec8fb930cc6ee39c444daa75b1678f005a4b2"
	 "499d1da5433f805c7a5ad3237acc5dd5c5e4303727673076578616d706c6503636f6d00",
	 ""},
	{59, "0 0 0 00", "0000000000", ""},
	{60, "0 3 0 AA==", "0000030000", ""},
	{61, "mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq",
	 "99020d0458adda3b011000eb6e5e6f8d5c587801348342036020691e2aefd528e5ab1c79823b4f85bd9886fc8"
	 "33178ea",
	 ""},
	{62, "66 3 A NS AAAA", "000000420003000460000008", ""},
	{63,
	 "2018031900 1 1 "
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	 "aaaaaaa",
	 "7848b91c0101aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	 "aaaaaaaaaaaaaaaaaaa",
	 ""},
	{99, "\"v=spf1 -all\"", "0b763d73706631202d616c6c", ""},
	{108, "00-00-5e-00-53-2a", "00005e00532a", ""},
	{109, "00-00-5e-ef-10-00-00-2a", "00005eef1000002a", ""},
	{249, "gss-tsig. 1700000000 1700003600 3 0 AAEC",
	 "086773732d74736967006553f1006553ff100003000000030001020000", ""},
	{249, "gss-tsig. 1 2 3 0 AAEC BAUG",
	 "086773732d747369670000000001000000020003000000030001020003040506", ""},
	{250, "hmac-sha256. 1700000000 300 4 AAECAw== 1234 NOERROR 0",
	 "0b686d61632d7368613235360000006553f100012c00040001020304d200000000", ""},
	{250, "hmac-sha256. 1700000000 300 4 AAECAw== 1234 BADTIME 6 AAAAAAAA",
	 "0b686d61632d7368613235360000006553f100012c00040001020304d200120006000000000000", ""},
	{256, "10 1 \"ftp://ftp1.example.com/public\"",
	 "000a00016674703a2f2f667470312e6578616d706c652e636f6d2f7075626c6963", ""},
	{257, "0 issue \"ca.example.net\"", "0005697373756563612e6578616d706c652e6e6574", ""},
	{257, "128 tbs \"Unknown\"", "8003746273556e6b6e6f776e", ""},
	{257, "0 issue \"\"", "00056973737565", ""},
	{32769, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
	 "ec4505012bb183af5f22588179a53b0a98631fad1a292118",
	 "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"},
	{65534, "\\# 3 abcdef", "abcdef", ""},
	{10, "\\# 4 01020304", "01020304", ""},
	{3, "madname.example.", "076d61646e616d65076578616d706c6500", ""},
	{4, "mf.example.", "026d66076578616d706c6500", ""},
	{7, "mb.example.", "026d62076578616d706c6500", ""},
	{8, "mg.example.", "026d67076578616d706c6500", ""},
	{9, "mr.example.", "026d72076578616d706c6500", ""},
	{14, "rmail.example. email.example.",
	 "05726d61696c076578616d706c650005656d61696c076578616d706c6500", ""},
	{24, "A 8 3 86400 20240201000000 20240101000000 12345 example.com. AAECAwQF",
	 "000108030001518065badf00659200803039076578616d706c6503636f6d00000102030405", ""},
	{25, "256 3 5 AQAB", "01000305010001", ""},
	// Knot and ldns print SIG and KEY base64 in one word
	{25,
	 "256 3 8 "
	 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QA==",
	 "010003080102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627282"
	 "92a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40",
	 ""},
	{30, "b.example. A MX SIG NXT", "0162076578616d706c650040010082", ""},
	{31, "0123456789abcdef", "0123456789abcdef", ""},
	{32, "32 42 75 83 6a 78", "324275836a78", "324275836a78"},
	{34, "47000580005a0000000001e133ffffff00016100",
	 "0047000580005a0000000001e133ffffff00016100", ""},
	{34, "+14155551212", "013134313535353531323132", ""},
	{38, "0 2001:db8::1", "0020010db8000000000000000000000001", ""},
	{38, "64 ::1:2:3:4 prefix.example.", "40000100020003000406707265666978076578616d706c6500",
	 ""},
	{38, "128 prefix.example.", "8006707265666978076578616d706c6500", ""},
	{38, "60 ::a:b:c:d:e prefix.example.",
	 "3c0a000b000c000d000e06707265666978076578616d706c6500", ""},
	{40, "1 2 3 AAEC", "010203000102", ""},
	{40, "1 2 3", "010203", ""},
	{41, "\\# 4 000a0000", "000a0000", ""},
	{100, "\"some info\"", "09736f6d6520696e666f", ""},
	{101, "1000", "000003e8", ""},
	{102, "4294967295", "ffffffff", ""},
	{103, "\\# 2 abcd", "abcd", ""},
	{251, "\\# 0", "", ""},
	{252, "\\# 0", "", ""},
	{253, "\\# 0", "", ""},
	{254, "\\# 0", "", ""},
	{255, "\\# 1 ff", "ff", ""},
	{32768, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
	 "ec4505012bb183af5f22588179a53b0a98631fad1a292118",
	 "60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"},
	{42, "", "", ""},
	{47, "a.example.", "0161076578616d706c6500", ""},
	{11, "192.0.2.1 6", "c000020106", ""}, // no ports, no octets (dnspython, BIND)
	{16, "\"a b\" c\\032d", "0361206203632064", "\"a b\" \"c d\""},
	{46, "TYPE65534 253 0 0 19700101000000 21060207062815 0 . AA==",
	 "fffefd000000000000000000ffffffff00000000", ""},
	{65534, "\\# 0", "", ""},
	{1, "\\# 4 c0000201", "c0000201", "192.0.2.1"},
	{15, "\\# 3 000a 00", "000a00", "10 ."},
	{10, "\\# 0", "", ""},
};

#define NVEC (sizeof(vectors) / sizeof(vectors[0]))

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void tohex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

ParameterizedTestParameters(dns_rdata, text_wire_text_round_trips)
{
	return cr_make_param_array(struct vector, (void *)vectors, NVEC);
}

ParameterizedTest(struct vector *v, dns_rdata, text_wire_text_round_trips)
{
	uint8_t w[DNS_RDATA_MAXLEN], w2[DNS_RDATA_MAXLEN], ew[DNS_RDATA_MAXLEN];
	char hex[2 * sizeof(w) + 1], text[4096];
	size_t eo = 99;
	int n = dns_rdata_from_text(v->type, v->text, strlen(v->text), NULL, w, sizeof(w), &eo);
	cr_assert_geq(n, 0, "%u [%s]: %s at %zu", v->type, v->text, dns_strerror_sym(n), eo);
	tohex(w, (size_t)n, hex);
	cr_assert_str_eq(hex, v->hex, "%u [%s]", v->type, v->text);
	cr_assert_eq(dns_rdata_check(v->type, w, (size_t)n), 0);

	size_t en = unhex(v->hex, ew);
	int t = dns_rdata_to_text(v->type, ew, en, text, sizeof(text));
	cr_assert_geq(t, 0, "%u: %s", v->type, dns_strerror_sym(t));
	cr_assert_eq((size_t)t, strlen(text));
	cr_assert_str_eq(text, v->expect[0] ? v->expect : v->text, "%u", v->type);

	// and the printed form reads back to the same octets
	int n2 = dns_rdata_from_text(v->type, text, strlen(text), NULL, w2, sizeof(w2), NULL);
	cr_assert_eq(n2, (int)en, "%u [%s]: %s", v->type, text, dns_strerror_sym(n2));
	cr_assert_arr_eq(w2, ew, en);
}

Test(dns_rdata, vectors_cover_every_registry_type)
{
	size_t n;
	const struct dns_type_desc *all = dns_type_all(&n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < NVEC && !found; j++)
			found = vectors[j].type == all[i].type;
		cr_assert(found, "no vector for %s", all[i].mnemonic);
	}
}

struct bad_text {
	uint16_t type;
	char text[120];
	int err;
	int err_off; // -1: not checked
};

ParameterizedTestParameters(dns_rdata, rejects_bad_text)
{
	static struct bad_text cases[] = {
		{DNS_TYPE_DNSKEY, "256 3 8 AwEA!", DNS_EBASE64, 8},
		{DNS_TYPE_DNSKEY, "256 3 8 AwE=A", DNS_EBASE64, 8},
		{DNS_TYPE_DNSKEY, "256 3 8 AwE", DNS_EBASE64, -1},
		{DNS_TYPE_MX, "65536 mail.example.", DNS_ENUMBER, 0},
		{DNS_TYPE_MX, "-1 mail.example.", DNS_ENUMBER, 0},
		{DNS_TYPE_AAAA, "2001:db8::g", DNS_EADDR, 0},
		{DNS_TYPE_A, "192.0.2.256", DNS_EADDR, 0},
		{DNS_TYPE_RRSIG,
		 "BOGUS 8 3 86400 20240201000000 20240101000000 1 a. AA==", DNS_ETYPE, 0},
		{DNS_TYPE_NSEC, "a. A BOGUS", DNS_ETYPE, 5},
		{DNS_TYPE_CERT, "PKIXX 1 8 AAAA", DNS_ENUMBER, 0},
		{DNS_TYPE_MX, "10", DNS_EMISSING, 2},
		{DNS_TYPE_SOA, "ns. admin. 1 2 3 4", DNS_EMISSING, 18},
		{DNS_TYPE_HINFO, "\"a\"", DNS_EMISSING, 3},
		{DNS_TYPE_MX, "10 a. b.", DNS_EEXTRA, 6},
		{DNS_TYPE_A, "192.0.2.1 x", DNS_EEXTRA, 10},
		{DNS_TYPE_NSEC3, "1 0 0 - zz", DNS_EBASE32, 8},
		{DNS_TYPE_DS, "1 8 2 abc", DNS_EHEX, -1},
		{DNS_TYPE_DS, "1 8 2 xy", DNS_EHEX, 6},
		{DNS_TYPE_TXT, "\"abc", DNS_ETEXT_QUOTE, 0},
		{DNS_TYPE_TXT, "a\\25", DNS_ETEXT_ESCAPE, 0},
		{DNS_TYPE_RRSIG, "A 8 3 86400 20241301000000 20240101000000 1 a. AA==", DNS_ETIME,
		 12},
		{DNS_TYPE_RRSIG, "A 8 3 86400 21060207062816 20240101000000 1 a. AA==", DNS_ETIME,
		 12},
		{65534, "abcdef", DNS_ENOTYPE, 0},
		{65534, "\\# 4 abcdef", DNS_EGENERIC, 3},
		{65534, "\\# x", DNS_EGENERIC, 3},
		{DNS_TYPE_ANY, "foo", DNS_ENOTYPE, 0},
		{DNS_TYPE_OPT, "foo", DNS_ENOTYPE, 0},
		{DNS_TYPE_NULL, "foo", DNS_ENOTYPE, 0},
		{DNS_TYPE_A, "\\# 3 c00002", DNS_ERDATA_SHORT, 0},
		{DNS_TYPE_EUI48, "00-00-5e-00-53", DNS_EHEX, 0},
		{DNS_TYPE_EUI48, "00:00:5e:00:53:2a", DNS_EHEX, 0},
		{DNS_TYPE_CAA, "0 is-sue \"x\"", DNS_ERDATA_FIELD, 2},
		{DNS_TYPE_LOC, "91 N 0 E 0", DNS_ENUMBER, 0},
		{DNS_TYPE_LOC, "90 1 N 0 E 0", DNS_ENUMBER, 5},
		{DNS_TYPE_LOC, "1 X 0 E 0", DNS_ESYNTAX, 2},
		{DNS_TYPE_IPSECKEY, "1 4 2 . AAAA", DNS_ERDATA_FIELD, 6},
		{DNS_TYPE_IPSECKEY, "1 0 2 x AAAA", DNS_ESYNTAX, 6},
		{DNS_TYPE_TSIG, "hmac. 1 300 5 AAECAw== 1 NOERROR 0", DNS_ESYNTAX, 14},
		{DNS_TYPE_APL, "3:zz/8", DNS_EHEX, 0},
		{DNS_TYPE_APL, "1:192.0.2.0/33", DNS_ENUMBER, 0},
		{DNS_TYPE_WKS, "192.0.2.1 6 65536", DNS_ENUMBER, 12},
		{DNS_TYPE_NAPTR, "1 1 \"\" \"\" \"\" a..b", DNS_ENAME_EMPTY_LABEL, 13},
		{DNS_TYPE_URI, "1 1 \"\"", DNS_ERDATA_FIELD, 4},
		{DNS_TYPE_NXT, "a. AAAA CAA", DNS_ERDATA_FIELD, 8},
		{DNS_TYPE_GPOS, "1.0 2.x 3", DNS_ERDATA_FIELD, 4},
		{DNS_TYPE_SOA, "ns. admin. 1 1h5 3 4 5", DNS_ENUMBER, 13},
	};
	return cr_make_param_array(struct bad_text, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_text *c, dns_rdata, rejects_bad_text)
{
	uint8_t w[DNS_RDATA_MAXLEN];
	size_t eo = 9999;
	int rc = dns_rdata_from_text(c->type, c->text, strlen(c->text), NULL, w, sizeof(w), &eo);
	cr_assert_eq(rc, c->err, "%u [%s]: got %s", c->type, c->text, dns_strerror_sym(rc));
	if (c->err_off >= 0)
		cr_assert_eq(eo, (size_t)c->err_off, "%u [%s]: offset %zu", c->type, c->text, eo);
}

Test(dns_rdata, rejects_256_octet_string)
{
	char text[300];
	uint8_t w[600];
	text[0] = '"';
	memset(text + 1, 'x', 256);
	strcpy(text + 257, "\"");
	cr_assert_eq(
		dns_rdata_from_text(DNS_TYPE_TXT, text, strlen(text), NULL, w, sizeof(w), NULL),
		DNS_ESTRING_LEN);
	text[256] = '"'; // 255 octets is the limit (RFC 1035 §3.3)
	text[257] = 0;
	cr_assert_eq(
		dns_rdata_from_text(DNS_TYPE_TXT, text, strlen(text), NULL, w, sizeof(w), NULL),
		256);
}

struct bad_wire {
	uint16_t type;
	char hex[80];
	int err;
};

ParameterizedTestParameters(dns_rdata, rejects_malformed_wire)
{
	static struct bad_wire cases[] = {
		{DNS_TYPE_A, "c00002", DNS_ERDATA_SHORT},
		{DNS_TYPE_A, "c000020100", DNS_ERDATA_LONG},
		{DNS_TYPE_MX, "000a", DNS_ERDATA_SHORT},
		{DNS_TYPE_MX, "000a03616263", DNS_ERDATA_SHORT},
		{DNS_TYPE_MX, "000a0000", DNS_ERDATA_LONG},
		{DNS_TYPE_MX, "000a40", DNS_ELABEL_TYPE},
		{DNS_TYPE_NSEC, "000000", DNS_ERDATA_FIELD},	       // empty window
		{DNS_TYPE_NSEC, "00010140000140", DNS_ERDATA_FIELD},   // windows out of order
		{DNS_TYPE_NSEC, "0000014000014000", DNS_ERDATA_FIELD}, // repeated window
		{DNS_TYPE_NSEC, "0000024000", DNS_ERDATA_FIELD},       // trailing zero octet
		{DNS_TYPE_NSEC, "00000180", DNS_ERDATA_FIELD},	       // type 0
		{DNS_TYPE_NSEC, "000002400", DNS_ERDATA_SHORT},
		{DNS_TYPE_NSEC, "00000340", DNS_ERDATA_SHORT},
		{DNS_TYPE_NSEC, "c00c000140", DNS_EPTR_FORBIDDEN},
		{DNS_TYPE_KX, "000ac00c", DNS_EPTR_FORBIDDEN},
		{DNS_TYPE_LOC, "01121613800000008000000000989680", DNS_ERDATA_FIELD},
		{DNS_TYPE_LOC, "00a21613800000008000000000989680", DNS_ERDATA_FIELD},
		{DNS_TYPE_LOC, "0012161380000000800000000098", DNS_ERDATA_SHORT},
		{DNS_TYPE_TXT, "", DNS_ERDATA_SHORT},
		{DNS_TYPE_TXT, "05616263", DNS_ERDATA_SHORT},
		{DNS_TYPE_SOA, "00000000000100000002", DNS_ERDATA_SHORT},
		{DNS_TYPE_NSEC3, "01000000000000", DNS_ERDATA_FIELD},
		{DNS_TYPE_CAA, "000061", DNS_ERDATA_FIELD},
		{DNS_TYPE_DS, "00010802", DNS_ERDATA_SHORT},
		{DNS_TYPE_IPSECKEY, "0104020000", DNS_ERDATA_FIELD},
		{DNS_TYPE_APL, "0001200501020304ff", DNS_ERDATA_FIELD},
		// RFC 3123 §4: no trailing zero address octets, in any family
		{DNS_TYPE_APL, "000118040a000000", DNS_ERDATA_FIELD},
		{DNS_TYPE_APL, "0002400420010000", DNS_ERDATA_FIELD},
		{DNS_TYPE_APL, "0003080301ff00", DNS_ERDATA_FIELD},
		{DNS_TYPE_NXT, "0080", DNS_ERDATA_FIELD},
		{DNS_TYPE_NXT, "004000", DNS_ERDATA_FIELD},
		{DNS_TYPE_NXT, "00c0", DNS_ERDATA_FIELD},
		{DNS_TYPE_A6, "81", DNS_ERDATA_FIELD},
		{DNS_TYPE_HIP, "0008000000", DNS_ERDATA_FIELD},
		{DNS_TYPE_TSIG, "00000000000000000000000000", DNS_ERDATA_SHORT},
		{DNS_TYPE_ATMA, "0231", DNS_ERDATA_FIELD},
		{DNS_TYPE_GPOS, "01780131013", DNS_ERDATA_FIELD},
	};
	return cr_make_param_array(struct bad_wire, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_wire *c, dns_rdata, rejects_malformed_wire)
{
	uint8_t w[64];
	char text[256];
	size_t n = unhex(c->hex, w);
	int rc = dns_rdata_check(c->type, w, n);
	cr_assert_eq(rc, c->err, "%u %s: got %s", c->type, c->hex, dns_strerror_sym(rc));
	// printing falls back to the generic form
	cr_assert_gt(dns_rdata_to_text(c->type, w, n, text, sizeof(text)), 0);
	cr_assert_eq(strncmp(text, "\\# ", 3), 0, "%s", text);
}

// Valid wire rdata whose field-by-field text cannot say everything (found by
// fuzz_msg_parse): each must still print to text that reads back to the same
// octets, in its own form or the generic one.
struct exact_case {
	uint16_t type;
	char hex[80];
	char text[120];
};

ParameterizedTestParameters(dns_rdata, wire_text_wire_is_exact)
{
	static struct exact_case cases[] = {
		// WKS bitmap with trailing zero octets (all zero included)
		{DNS_TYPE_WKS, "c00002010640000000", "\\# 9 c00002010640000000"},
		{DNS_TYPE_WKS, "c000020106", "192.0.2.1 6"},
		{DNS_TYPE_WKS, "c00002010600", "\\# 6 c00002010600"},
		{DNS_TYPE_WKS, "c0000201064000", "\\# 7 c0000201064000"},
		// LOC size 0 × 10² is zero centimetres, but not the octet of "0.00m"
		{DNS_TYPE_LOC, "0002166289e22a3b7e03f6a400989680",
		 "\\# 16 0002166289e22a3b7e03f6a400989680"},
		{DNS_TYPE_LOC, "0000166289e22a3b7e03f6a400989680",
		 "46 3 36.891 N 9 14 54.684 W 0.00m 0.00m 10000.00m 6.00m"},
		// TKEY with no key but other data: the text would shift it into the key
		{DNS_TYPE_TKEY, "0000000001000000020003001000000002abcd",
		 "\\# 19 00000000010000000200030010000000 02abcd"},
		{DNS_TYPE_TKEY, "0000000001000000020003001000000000", ". 1 2 3 16"},
		// ISDN: a present empty subaddress differs from an absent one
		{DNS_TYPE_ISDN, "0131", "\"1\""},
		{DNS_TYPE_ISDN, "013100", "\"1\" \"\""},
		// TSIG/TKEY error is 16 bits; above the 12-bit rcodes it is a number
		{DNS_TYPE_TSIG,
		 "00000000000001012c0000000171000000",
		 ". 1 300 0 1 28928 0"},
		{DNS_TYPE_TSIG,
		 "00000000000001012c000000010fff0000",
		 ". 1 300 0 1 RCODE4095 0"},
	};
	return cr_make_param_array(struct exact_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct exact_case *c, dns_rdata, wire_text_wire_is_exact)
{
	uint8_t w[64], back[64];
	char text[256];
	size_t n = unhex(c->hex, w);
	cr_assert_eq(dns_rdata_check(c->type, w, n), 0, "%u %s", c->type, c->hex);
	int t = dns_rdata_to_text(c->type, w, n, text, sizeof(text));
	cr_assert_geq(t, 0);
	cr_assert_str_eq(text, c->text);
	size_t eo = 0;
	int m = dns_rdata_from_text(c->type, text, strlen(text), NULL, back, sizeof(back), &eo);
	cr_assert_eq(m, (int)n, "[%s]: %s at %zu", text, dns_strerror_sym(m), eo);
	cr_assert_arr_eq(back, w, n);
}

Test(dns_rdata, field_walk_names_mx_fields)
{
	uint8_t w[64];
	char t[64];
	struct dns_field_view f;
	int n = dns_rdata_from_text(DNS_TYPE_MX, "10 mail.example.", 16, NULL, w, sizeof(w), NULL);
	cr_assert_eq(n, 16);
	cr_assert_eq(dns_rdata_field(DNS_TYPE_MX, w, (size_t)n, 0, &f), 0);
	cr_assert_str_eq(f.name, "PREFERENCE");
	cr_assert_eq(f.kind, DNS_FIELD_U16);
	cr_assert_eq(f.off, 0);
	cr_assert_eq(f.len, 2);
	cr_assert_eq(dns_rdata_field(DNS_TYPE_MX, w, (size_t)n, 1, &f), 0);
	cr_assert_str_eq(f.name, "EXCHANGE");
	cr_assert_eq(f.kind, DNS_FIELD_NAME);
	cr_assert_eq(f.off, 2);
	cr_assert_eq(f.len, 14);
	cr_assert_eq(dns_rdata_field(DNS_TYPE_MX, w, (size_t)n, 2, &f), DNS_EINVAL);
	cr_assert_eq(dns_rdata_field_to_text(DNS_TYPE_MX, w, (size_t)n, 1, t, sizeof(t)), 13);
	cr_assert_str_eq(t, "mail.example.");
	cr_assert_eq(dns_rdata_field(DNS_TYPE_MX, w, 3, 1, &f), DNS_ERDATA_SHORT);
}

Test(dns_rdata, field_walk_finds_soa_fields_by_name)
{
	static const char *names[] = {"MNAME", "RNAME",	 "SERIAL", "REFRESH",
				      "RETRY", "EXPIRE", "MINIMUM"};
	static const char *values[] = {"ns.example.", "admin.example.", "2024010101", "3600",
				       "900",	      "604800",		"86400"};
	const char *text = "ns.example. admin.example. 2024010101 1h 15m 1w 1d";
	uint8_t w[128];
	char t[64];
	struct dns_field_view f;
	int n = dns_rdata_from_text(DNS_TYPE_SOA, text, strlen(text), NULL, w, sizeof(w), NULL);
	cr_assert_gt(n, 0);
	for (int i = 0; i < 7; i++) {
		cr_assert_eq(dns_rdata_field_by_name(DNS_TYPE_SOA, w, (size_t)n, names[i], &f), i);
		cr_assert_str_eq(f.name, names[i]);
		dns_rdata_field_to_text(DNS_TYPE_SOA, w, (size_t)n, i, t, sizeof(t));
		cr_assert_str_eq(t, values[i]);
	}
	cr_assert_eq(dns_rdata_field_by_name(DNS_TYPE_SOA, w, (size_t)n, "TTL", &f), DNS_EINVAL);
}

Test(dns_rdata, unknown_types_have_one_rdata_field)
{
	uint8_t w[8];
	char t[64];
	struct dns_field_view f;
	int n = dns_rdata_from_text(65534, "\\# 3 abcdef", 11, NULL, w, sizeof(w), NULL);
	cr_assert_eq(n, 3);
	cr_assert_eq(dns_rdata_field_by_name(65534, w, 3, "rdata", &f), 0);
	cr_assert_eq(f.kind, DNS_FIELD_OPAQUE);
	cr_assert_eq(f.len, 3);
	cr_assert_gt(dns_rdata_to_text(65534, w, 3, t, sizeof(t)), 0);
	cr_assert_str_eq(t, "\\# 3 abcdef");
}

Test(dns_rdata, generic_form_of_a_known_type)
{
	uint8_t w[16];
	char t[128];
	int n = dns_rdata_from_text(DNS_TYPE_A, "192.0.2.1", 9, NULL, w, sizeof(w), NULL);
	cr_assert_eq(n, 4);
	cr_assert_eq(dns_rdata_to_generic(w, 4, t, sizeof(t)), 13);
	cr_assert_str_eq(t, "\\# 4 c0000201");
	cr_assert_eq(dns_rdata_to_generic(w, 0, t, sizeof(t)), 4);
	cr_assert_str_eq(t, "\\# 0");
	// dnspython's 32-digit words
	uint8_t big[20] = {0};
	cr_assert_gt(dns_rdata_to_generic(big, sizeof(big), t, sizeof(t)), 0);
	cr_assert_str_eq(t, "\\# 20 00000000000000000000000000000000 00000000");
	uint8_t w2[32];
	cr_assert_eq(dns_rdata_from_text(DNS_TYPE_A, t, strlen(t), NULL, w2, sizeof(w2), NULL),
		     DNS_ERDATA_LONG);
}

Test(dns_rdata, relative_names_take_the_origin)
{
	uint8_t origin[DNS_NAME_MAXLEN], w[64];
	char t[128];
	dns_name_from_text("example.org.", 12, NULL, origin);
	int n = dns_rdata_from_text(DNS_TYPE_MX, "10 mail", 7, origin, w, sizeof(w), NULL);
	cr_assert_gt(n, 0);
	dns_rdata_to_text(DNS_TYPE_MX, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "10 mail.example.org.");
	n = dns_rdata_from_text(DNS_TYPE_NS, "@", 1, origin, w, sizeof(w), NULL);
	dns_rdata_to_text(DNS_TYPE_NS, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "example.org.");
}

Test(dns_rdata, outputs_respect_capacity)
{
	uint8_t w[64];
	char t[64];
	int n = dns_rdata_from_text(DNS_TYPE_MX, "10 mail.example.", 16, NULL, w, sizeof(w), NULL);
	cr_assert_eq(dns_rdata_to_text(DNS_TYPE_MX, w, (size_t)n, t, 16), DNS_ENOSPACE);
	cr_assert_eq(dns_rdata_to_text(DNS_TYPE_MX, w, (size_t)n, t, 17), 16);
	cr_assert_eq(dns_rdata_to_text(DNS_TYPE_MX, w, (size_t)n, t, 0), DNS_ENOSPACE);
	cr_assert_eq(dns_rdata_to_generic(w, (size_t)n, t, 8), DNS_ENOSPACE);
	cr_assert_eq(dns_rdata_from_text(DNS_TYPE_MX, "10 mail.example.", 16, NULL, w, 15, NULL),
		     DNS_ENOSPACE);
	cr_assert_eq(dns_rdata_from_text(DNS_TYPE_TXT, "\"abc\"", 5, NULL, w, 3, NULL),
		     DNS_ENOSPACE);
	cr_assert_eq(dns_rdata_from_text(DNS_TYPE_CAA, "0 issue \"abcdef\"", 16, NULL, w, 10, NULL),
		     DNS_ENOSPACE);
}

// A message: 12-byte header, "example.com." at 12, then the rdata under test.
static size_t message(const char *rdata_hex, uint8_t *msg)
{
	memset(msg, 0, 12);
	memcpy(msg + 12, "\7example\3com\0", 13);
	return 25 + unhex(rdata_hex, msg + 25);
}

Test(dns_rdata, unpack_decompresses_only_rfc3597_types)
{
	uint8_t msg[128], out[64];
	char t[128];
	size_t len = message("000ac00c", msg);
	int n = dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_MX, out, sizeof(out));
	cr_assert_eq(n, 15);
	dns_rdata_to_text(DNS_TYPE_MX, out, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "10 example.com.");
	// SOA: two compressed names around fixed fields
	len = message("0161c00c0162c00c0000000100000002000000030000000400000005", msg);
	n = dns_rdata_unpack(msg, len, 25, (uint16_t)(len - 25), DNS_TYPE_SOA, out, sizeof(out));
	cr_assert_gt(n, 0, "%s", dns_strerror_sym(n));
	dns_rdata_to_text(DNS_TYPE_SOA, out, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "a.example.com. b.example.com. 1 2 3 4 5");
	// KX is not in RFC 3597's list: a pointer there is an error
	len = message("000ac00c", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_KX, out, sizeof(out)),
		     DNS_EPTR_FORBIDDEN);
	len = message("c00c000140", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 5, DNS_TYPE_NSEC, out, sizeof(out)),
		     DNS_EPTR_FORBIDDEN);
}

Test(dns_rdata, unpack_rejects_bad_pointers_and_lengths)
{
	uint8_t msg[128], out[64];
	size_t len = message("000ac01d", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_MX, out, sizeof(out)),
		     DNS_EPTR_FORWARD);
	len = message("000ac002", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_MX, out, sizeof(out)),
		     DNS_EPTR_HEADER);
	// the name runs past rdlength into the next bytes of the message
	len = message("000a01610000", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_MX, out, sizeof(out)),
		     DNS_ERDATA_SHORT);
	len = message("000ac00c00", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 5, DNS_TYPE_MX, out, sizeof(out)),
		     DNS_ERDATA_LONG);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 40, DNS_TYPE_MX, out, sizeof(out)), DNS_ERDLEN);
	len = message("000ac00c", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_MX, out, 10), DNS_ENOSPACE);
	len = message("c0000201", msg);
	cr_assert_eq(dns_rdata_unpack(msg, len, 25, 4, DNS_TYPE_A, out, sizeof(out)), 4);
}

Test(dns_rdata, canonical_form_lowers_listed_types_only)
{
	uint8_t w[128];
	char t[256];
	int n = dns_rdata_from_text(DNS_TYPE_MX, "10 MAIL.Example.", 16, NULL, w, sizeof(w), NULL);
	cr_assert_eq(dns_rdata_canonicalize(DNS_TYPE_MX, w, (size_t)n), 0);
	dns_rdata_to_text(DNS_TYPE_MX, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "10 mail.example.");
	// RFC 6840 §5.1: NSEC's next name keeps its case
	n = dns_rdata_from_text(DNS_TYPE_NSEC, "Host.Example. A", 15, NULL, w, sizeof(w), NULL);
	cr_assert_eq(dns_rdata_canonicalize(DNS_TYPE_NSEC, w, (size_t)n), 0);
	dns_rdata_to_text(DNS_TYPE_NSEC, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "Host.Example. A");
	const char *sig = "A 8 2 300 20240201000000 20240101000000 1 Example.COM. AAAA";
	n = dns_rdata_from_text(DNS_TYPE_RRSIG, sig, strlen(sig), NULL, w, sizeof(w), NULL);
	dns_rdata_canonicalize(DNS_TYPE_RRSIG, w, (size_t)n);
	dns_rdata_to_text(DNS_TYPE_RRSIG, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "A 8 2 300 20240201000000 20240101000000 1 example.com. AAAA");
	n = dns_rdata_from_text(DNS_TYPE_A6, "64 ::1 P.Example.", 17, NULL, w, sizeof(w), NULL);
	dns_rdata_canonicalize(DNS_TYPE_A6, w, (size_t)n);
	dns_rdata_to_text(DNS_TYPE_A6, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "64 ::1 p.example.");
	cr_assert_eq(dns_rdata_canonicalize(DNS_TYPE_MX, w, 2), DNS_ERDATA_SHORT);
}

Test(dns_rdata, reads_mnemonic_algorithms_and_plain_times)
{
	uint8_t w[128];
	char t[256];
	const char *sig = "NSEC3PARAM ECDSAP256SHA256 1 60 1706745600 1704067200 1 a. AAAA";
	int n = dns_rdata_from_text(DNS_TYPE_RRSIG, sig, strlen(sig), NULL, w, sizeof(w), NULL);
	cr_assert_gt(n, 0, "%s", dns_strerror_sym(n));
	dns_rdata_to_text(DNS_TYPE_RRSIG, w, (size_t)n, t, sizeof(t));
	cr_assert_str_eq(t, "NSEC3PARAM 13 1 60 20240201000000 20240101000000 1 a. AAAA");
	n = dns_rdata_from_text(DNS_TYPE_DS, "1 RSASHA256 2 00", 16, NULL, w, sizeof(w), NULL);
	cr_assert_eq(n, 5);
	cr_assert_eq(w[2], 8);
}
