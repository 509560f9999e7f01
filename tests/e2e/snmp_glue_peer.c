/* SPDX-License-Identifier: BSD-3-Clause */
// The receive glue as a UDP peer, for tests with senders no one here wrote
// (snmp_glue_peers.py: pysnmp and net-snmp's snmpinform): each datagram
// through snmp_rx_process, a Report when one is due, the Response to an
// accepted inform. Loopback only, bounded in time and messages.
//
//   snmp_glue_peer --users FILE --engine-id HEX [--seconds N]
//
// Prints "port N" once bound to 127.0.0.1, then per datagram one line:
//   rx STATUS OUTCOME PDU           what the glue made of it
//   tx report|response HEX           what it sent back (the whole message)
// and ends after N seconds (default 60) or 1000 datagrams.
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linerate/snmp_v3.h>

#include "ctl_usm_users.h"

#define MAX_DATAGRAMS 1000
#define BUF	      65536
#define VB_MAX	      512

static uint64_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static void print_hex(const char *what, const uint8_t *p, int n)
{
	printf("tx %s ", what);
	for (int i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"users", required_argument, NULL, 'u'},
		{"engine-id", required_argument, NULL, 'e'},
		{"seconds", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	const char *users_path = NULL, *engine = NULL;
	long seconds = 60;
	int c;
	while ((c = getopt_long(argc, argv, "u:e:s:", opts, NULL)) != -1) {
		if (c == 'u')
			users_path = optarg;
		else if (c == 'e')
			engine = optarg;
		else if (c == 's')
			seconds = strtol(optarg, NULL, 10);
		else
			return 2;
	}
	struct usm_local local = {.boots = 1};
	size_t elen = 0;
	if (!users_path || !engine ||
	    !OPENSSL_hexstr2buf_ex(local.engine_id, sizeof(local.engine_id), &elen, engine, '\0') ||
	    usm_engine_id_check(local.engine_id, elen)) {
		fprintf(stderr,
			"usage: snmp_glue_peer --users FILE --engine-id HEX [--seconds N]\n");
		return 2;
	}
	local.engine_len = (uint8_t)elen;
	char err[512];
	struct ctl_usm_users *users = ctl_usm_users_load_file(users_path, err, sizeof(err));
	struct usm_table *table =
		users ? ctl_usm_table_build(users, local.engine_id, elen, 16, err, sizeof(err))
		      : NULL;
	struct usm_ctx *usm = usm_ctx_new(64);
	if (!table || !usm) {
		fprintf(stderr, "snmp_glue_peer: %s\n", err);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl)) {
		perror("snmp_glue_peer");
		return 2;
	}
	printf("port %u\n", ntohs(sa.sin_port));
	fflush(stdout);
	uint64_t start = now_s();
	local.time_base = start - 100; // snmpEngineTime starts at 100
	struct snmp_rx_env env = {.usm = usm, .users = table, .local = &local};
	static uint8_t in[BUF], plain[BUF], out[BUF];
	static struct snmp_varbind vb[VB_MAX];
	uint32_t counters[USM_OUTCOME_COUNT] = {0};
	for (int n = 0; n < MAX_DATAGRAMS && now_s() - start < (uint64_t)seconds; n++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 200) <= 0)
			continue;
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t len = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from, &fl);
		if (len < 0)
			continue;
		struct snmp_rx rx;
		uint64_t now = now_s();
		enum snmp_rx_status st = snmp_rx_process(&env, now, in, (size_t)len, plain,
							 sizeof(plain), vb, VB_MAX, &rx);
		printf("rx %s %s %s\n", snmp_rx_status_name(st), usm_outcome_name(rx.usm.outcome),
		       rx.msg.pdu_decoded ? snmp_pdu_type_name(rx.msg.pdu.type) : "-");
		int m = 0;
		const char *what = NULL;
		if (rx.report) {
			m = snmp_rx_report(&env, now, &rx, ++counters[rx.usm.outcome], out,
					   sizeof(out));
			what = "report";
		} else if (st == SNMP_RX_OK && rx.msg.pdu_decoded &&
			   rx.msg.pdu.type == SNMP_PDU_INFORM) {
			m = snmp_rx_inform_response(&env, now, &rx, out, sizeof(out));
			what = "response";
		}
		if (what && m > 0) {
			print_hex(what, out, m);
			sendto(fd, out, (size_t)m, 0, (struct sockaddr *)&from, fl);
		} else if (what) {
			printf("tx-error %s %s\n", what, snmp_strerror_sym(m));
		}
		fflush(stdout);
	}
	close(fd);
	usm_ctx_free(usm);
	usm_table_free(table);
	ctl_usm_users_free(users);
	return 0;
}
