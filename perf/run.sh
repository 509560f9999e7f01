#!/usr/bin/env bash
# The one entry to the benchmarks.
#
#   perf/run.sh          list the benchmarks, one line each
#   perf/run.sh NAME     build (release, build-perf/) and run one
#
# A benchmark's last line reads "NAME: VALUE UNIT". One measured against a
# peer (another implementation run in the same invocation) prints
# "NAME ratio: X" (ours / peer) just before it. Record results in
# perf/RESULTS.md.
#
# Adding a benchmark: one line in BENCHES ("name|description") and a
# function bench_<name with - as _> that builds what it needs and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${PERF_BUILD:-build-perf}

BENCHES=(
	"dns-parse|DNS questions (and 3-answer responses) parsed per second on one core"
	"zone-compile|zone records compiled into the image per second on one core, octets per record"
	"answer-engine|answers per second on one core: template hits, NXDOMAIN, wildcard, referral"
	"dns-fastpath|queries per second per core through linerated's worker loop on a net_ring port"
	"snmp-decode|v2c SNMPv2-Traps decoded (all varbinds) per second on one core"
	"mib-compile|ms to build the MIB table from Debian's MIB set, its size, lookups per second"
	"dns-vs-peers|linerated vs knotd (UDP, XDP) and nsd on one veth pair: dnsperf and kxdpgun (root)"
	"usm-keys|USM key localisation per user and hash; 10k users per hash on the 2-thread pool (100k: USM_KEYS_100K=1, or =sha,sha256); 1M users loaded from the key store"
	"usm-authpriv-crypto|USM lookup + HMAC-SHA-256 verify + AES-128 decrypt of 300-octet messages per second"
	"usm-authpriv|v3 authPriv (SHA-256 + AES-128) ~300-octet traps through the receive glue per second, and v2c"
	"trap-fastpath|traps per second per core through linerated's worker trap stage into the ring: v2c, v3 authPriv"
	"trap-burst|100,000 v2c traps in one second (pcap_blast, veth) into linerated: traps lost, each drop counter (root)"
	"traps-vs-snmptrapd|v2c traps replayed at rising rates into linerated and snmptrapd: highest zero-loss rate (root)"
)

# Release with link-time optimisation, as tools/demo.sh builds linerated:
# the worker's lane crosses from linerated into dataplane/pkt and proto,
# and LTO inlines across them (dns-fastpath: ~10 cycles a query).
build() {
	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" -Dbuildtype=release -Db_lto=true -Dtests=disabled >/dev/null
	elif ! meson introspect --buildoptions "$BUILD" | grep -q "\"name\": \"b_lto\", \"value\": true"; then
		meson configure "$BUILD" -Db_lto=true >/dev/null # a build dir from before
	fi
	ninja -C "$BUILD" "$@" >/dev/null
}

# Run on one core, away from core 0 where interrupts and housekeeping land.
pinned() {
	if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
		taskset -c 1 "$@"
	else
		"$@"
	fi
}

bench_dns_parse() {
	build perf/dns_parse
	pinned "$BUILD/perf/dns_parse"
}

bench_zone_compile() {
	build perf/zone_compile
	pinned "$BUILD/perf/zone_compile"
}

bench_answer_engine() {
	build perf/answer_engine
	pinned "$BUILD/perf/answer_engine"
}

bench_snmp_decode() {
	build perf/snmp_decode
	pinned "$BUILD/perf/snmp_decode"
}

bench_usm_keys() {
	build perf/usm_keys
	# not pinned: the hashing pool's two threads want both cores
	"$BUILD/perf/usm_keys"
}

bench_usm_authpriv_crypto() {
	build perf/usm_authpriv_crypto
	pinned "$BUILD/perf/usm_authpriv_crypto"
}

bench_mib_compile() {
	build perf/mib_compile
	pinned "$BUILD/perf/mib_compile"
}

bench_usm_authpriv() {
	build perf/usm_authpriv
	pinned "$BUILD/perf/usm_authpriv"
}

bench_dns_fastpath() {
	build perf/dns_fastpath
	# one lcore (core 1), no hugepages, no runtime files
	taskset -c 1 "$BUILD/perf/dns_fastpath" --no-huge --no-shconf -m 512 --no-pci -l 1 \
		--log-level=lib.eal:error 2>&1 | grep -v '^TELEMETRY'
}

bench_trap_fastpath() {
	build perf/trap_fastpath
	# one lcore (core 1), no hugepages, no runtime files
	taskset -c 1 "$BUILD/perf/trap_fastpath" --no-huge --no-shconf -m 512 --no-pci -l 1 \
		--log-level=lib.eal:error 2>&1 | grep -v '^TELEMETRY'
}

bench_dns_vs_peers() {
	build dataplane/linerated/linerated
	# root: namespaces, a veth pair, XDP; its header says what it runs
	/usr/bin/python3 perf/dns_vs_peers.py --build "$BUILD"
}

bench_trap_burst() {
	build dataplane/linerated/linerated tools/linerate-ctl perf/pcap_blast
	# root: namespaces, a veth pair, pcap_blast (or tcpreplay); its header says what it runs
	/usr/bin/python3 perf/traps_bench.py --build "$BUILD" burst
}

bench_traps_vs_snmptrapd() {
	build dataplane/linerated/linerated tools/linerate-ctl perf/pcap_blast
	/usr/bin/python3 perf/traps_bench.py --build "$BUILD" vs-snmptrapd
}

if [ $# -eq 0 ]; then
	for b in "${BENCHES[@]}"; do
		printf '%-16s %s\n' "${b%%|*}" "${b#*|}"
	done
	exit 0
fi

name=$1
for b in "${BENCHES[@]}"; do
	if [ "${b%%|*}" = "$name" ]; then
		"bench_${name//-/_}"
		exit 0
	fi
done
echo "perf: no benchmark named '$name' (perf/run.sh lists them)" >&2
exit 2
