#!/usr/bin/env bash
# Install every Debian package linerate needs to build, test, fuzz and
# benchmark. Idempotent: packages already present are skipped, and apt-get
# update runs only when something is missing. Later issues add their
# packages to PACKAGES below, never by hand.
set -euo pipefail

PACKAGES=(
	# build
	build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
	# proto
	libssl-dev libidn2-dev
	# tests
	libcriterion-dev python3-dnspython python3-scapy knot-dnsutils ldnsutils bind9-dnsutils
	# SNMP golden messages and interop (tests/data/gen_snmp_golden.py): pysnmp
	# for Debian's /usr/bin/python3, net-snmp's command-line tools
	python3-pysnmp4 snmp
	# end-to-end reference server (the differential test of issue #3)
	knot
	# the demo and the end-to-end tests: namespaces, veth offloads, ping
	iproute2 ethtool iputils-ping
	# the reload-under-load test and the benchmarks against peers
	dnsperf
	# a second peer for perf/run.sh dns-vs-peers (knotd is the first)
	nsd
	# dataplane and control plane (later issues rely on these)
	libdpdk-dev libpcap-dev libyaml-dev libjansson-dev
	# SNMPv3 USM peers no one here wrote: net-snmp's snmptrap/snmpinform and
	# snmptrapd, and pysnmp (3DES, both AES-192/256 key extensions), for the
	# known answers and the interop corpus in tests/data
	snmp snmptrapd python3-pysnmp4
	# the trap sinks' OID names: libsmi parses the MIBs (control/mib_smi.c);
	# libsnmp-base (with snmp above) ships net-snmp's MIBs; pysnmp's compiled
	# IETF MIBs check our base modules (tests/control/mib_base_vs_pysnmp.py)
	libsmi2-dev libsnmp-base python3-pysnmp4-mibs
	# metrics (issue #7): curl scrapes the Prometheus endpoint; promtool
	# checks the exposition (Debian ships it only in the prometheus package:
	# we use promtool, never the server); dpdk-telemetry.py (in dpdk-dev)
	# reads our telemetry commands
	curl prometheus dpdk-dev
	# the Kafka sink (control/sink_kafka.c): librdkafka, whose mock cluster
	# (rdkafka_mock.h) the sink's tests run against
	librdkafka-dev
	# a syslog receiver no one here wrote, for the syslog sink's interop
	# test (started by the test on loopback, by PID; no service is enabled)
	rsyslog
	# linerate-ctl trace (issue #7): tshark is the independent dissector that
	# reads the pcapng files the daemon writes (tests/e2e/linerated_ops.py)
	tshark
	# perf/run.sh trap-burst and traps-vs-snmptrapd: the same pcap of traps
	# replayed at a fixed rate onto a veth pair into linerated and snmptrapd
	tcpreplay
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PACKAGES[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
