// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of libttp's parsing, formatting and address conversions,
 * and of the tools' pure functions; no module needed.
 *
 *   libttp_test --list     the test names, one a line
 *   libttp_test NAME       run one: exit 0 pass, 1 fail (with the reason)
 *
 * tests/run runs each in a process of its own and prints TAP.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ttp.h>
#include "procnet.h"
#include "tcpinfo.h"
#include "perfstat.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		failures++;						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || strcmp(_a, _b)) {					\
		fprintf(stderr, "%s:%d: \"%s\" is not \"%s\"\n",	\
			__FILE__, __LINE__, _a ? _a : "(null)", _b);	\
		failures++;						\
	}								\
} while (0)

/* The call fails with errno E. */
#define CHECK_ERR(call, e) do {						\
	errno = 0;							\
	if ((call) != -1 || errno != (e)) {				\
		fprintf(stderr, "%s:%d: %s: errno %d (%s), want %s\n",	\
			__FILE__, __LINE__, #call, errno,		\
			strerror(errno), #e);				\
		failures++;						\
	}								\
} while (0)

static unsigned int ip4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static int reserved_zero(const struct sockaddr_ttp *a)
{
	return a->sttp_reserved1 == 0 && a->sttp_reserved2 == 0;
}

static void t_family_default_without_module(void)
{
	if (!access(TTP_FAMILY_PATH, F_OK)) {
		printf("SKIP: ttp.ko is loaded here\n");
		exit(4);
	}
	CHECK(ttp_family() == AF_TTP);
	CHECK(ttp_family() == 13);
}

static void t_parse_ipv4_host_port(void)
{
	struct sockaddr_ttp a;

	memset(&a, 0xa5, sizeof(a));
	CHECK(ttp_addr_parse("10.0.0.1:80", &a) == 0);
	CHECK(a.sttp_family == ttp_family());
	CHECK(a.sttp_ipfamily == AF_INET);
	CHECK(a.sttp_addr.v4 == ip4("10.0.0.1"));
	CHECK(ntohs(a.sttp_port) == 80);
	CHECK(a.sttp_scope_id == 0);
	CHECK(reserved_zero(&a));
	CHECK(ttp_addr_parse("192.168.200.254:65535", &a) == 0);
	CHECK(ntohs(a.sttp_port) == 65535);
	CHECK(a.sttp_addr.v4 == ip4("192.168.200.254"));
	CHECK(ttp_addr_parse("1.2.3.4:0", &a) == 0);
	CHECK(a.sttp_port == 0);
}

static void t_parse_any_address(void)
{
	const char *forms[] = { ":8080", "*:8080", "0.0.0.0:8080" };
	struct sockaddr_ttp a;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		memset(&a, 0xa5, sizeof(a));
		CHECK(ttp_addr_parse(forms[i], &a) == 0);
		CHECK(a.sttp_ipfamily == AF_INET);
		CHECK(a.sttp_addr.v4 == htonl(INADDR_ANY));
		CHECK(ntohs(a.sttp_port) == 8080);
		CHECK(reserved_zero(&a));
	}
	CHECK(ttp_addr_resolve(NULL, "7", &a) == 0);
	CHECK(a.sttp_addr.v4 == 0 && ntohs(a.sttp_port) == 7);
	CHECK(ttp_addr_resolve("", "7", &a) == 0);
	CHECK(a.sttp_addr.v4 == 0);
}

static void t_parse_names_and_services(void)
{
	struct sockaddr_ttp a;

	/* /etc/hosts and /etc/services (netbase) hold these everywhere. */
	CHECK(ttp_addr_parse("localhost:http", &a) == 0);
	CHECK(a.sttp_ipfamily == AF_INET);
	CHECK(a.sttp_addr.v4 == ip4("127.0.0.1"));
	CHECK(ntohs(a.sttp_port) == 80);
	CHECK(ttp_addr_resolve("localhost", "ssh", &a) == 0);
	CHECK(ntohs(a.sttp_port) == 22);
	CHECK_ERR(ttp_addr_resolve("localhost", "no-such-service-here", &a),
		  ENOENT);
}

static void t_parse_ipv6_literals(void)
{
	struct sockaddr_ttp a;
	struct in6_addr want;

	inet_pton(AF_INET6, "2001:db8::7", &want);
	CHECK(ttp_addr_parse("[2001:db8::7]:443", &a) == 0);
	CHECK(a.sttp_ipfamily == AF_INET6);
	CHECK(!memcmp(a.sttp_addr.v6, &want, 16));
	CHECK(ntohs(a.sttp_port) == 443);
	CHECK(reserved_zero(&a));
	CHECK(ttp_addr_resolve("::1", "9", &a) == 0);
	CHECK(a.sttp_ipfamily == AF_INET6);
	CHECK(a.sttp_addr.v6[15] == 1);
	CHECK(ttp_addr_resolve("[::1]", "9", &a) == 0);
	CHECK(a.sttp_addr.v6[15] == 1);
}

static void t_parse_rejects_bad_strings(void)
{
	static const char * const bad[] = {
		"10.0.0.1",		/* no port */
		"10.0.0.1:",		/* empty port */
		"10.0.0.1:65536",	/* port too large */
		"10.0.0.1:-1",
		"10.0.0.1:+80",
		"10.0.0.1:8o",		/* digits then junk */
		"10.0.0.1:123456",
		"::1:80",		/* IPv6 without brackets */
		"[::1]80",
		"[::1:80",
		"[zz::1]:80",
		"a[b]:80",
		"",
	};
	struct sockaddr_ttp a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (ttp_addr_parse(bad[i], &a) != -1 || errno != EINVAL) {
			fprintf(stderr, "\"%s\": errno %d, not EINVAL\n",
				bad[i], errno);
			failures++;
		}
	}
	CHECK_ERR(ttp_addr_parse(NULL, &a), EINVAL);
	CHECK_ERR(ttp_addr_resolve("10.0.0.1", NULL, &a), EINVAL);
	CHECK_ERR(ttp_addr_resolve("10.0.0.1", "", &a), EINVAL);
}

static void t_format_ipv4_and_ipv6(void)
{
	struct sockaddr_ttp a;
	char buf[TTP_ADDRSTRLEN];

	ttp_addr_ipv4(&a, ip4("10.0.0.1"), 80);
	CHECK_STR(ttp_addr_format(&a, buf, sizeof(buf)), "10.0.0.1:80");
	ttp_addr_ipv4(&a, 0, 0);
	CHECK_STR(ttp_addr_format(&a, buf, sizeof(buf)), "0.0.0.0:0");
	ttp_addr_ipv4(&a, ip4("255.255.255.255"), 65535);
	CHECK_STR(ttp_addr_format(&a, buf, sizeof(buf)),
		  "255.255.255.255:65535");
	CHECK(ttp_addr_parse("[2001:db8::7]:443", &a) == 0);
	CHECK_STR(ttp_addr_format(&a, buf, sizeof(buf)), "[2001:db8::7]:443");
	/* The longest IPv6 text fits in TTP_ADDRSTRLEN. */
	CHECK(ttp_addr_parse("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535",
			     &a) == 0);
	CHECK(ttp_addr_format(&a, buf, sizeof(buf)) == buf);
}

static void t_format_errors(void)
{
	struct sockaddr_ttp a;
	char buf[TTP_ADDRSTRLEN];

	ttp_addr_ipv4(&a, ip4("10.0.0.1"), 80);
	errno = 0;
	CHECK(ttp_addr_format(&a, buf, 11) == NULL && errno == ENOSPC);
	CHECK_STR(ttp_addr_format(&a, buf, 12), "10.0.0.1:80");
	a.sttp_ipfamily = 99;
	errno = 0;
	CHECK(ttp_addr_format(&a, buf, sizeof(buf)) == NULL &&
	      errno == EAFNOSUPPORT);
}

static void t_format_parse_round_trip(void)
{
	static const char * const strs[] = {
		"127.0.0.1:1", "10.77.0.2:40000", "0.0.0.0:80",
		"[fe80::1]:22", "[::]:8080",
	};
	struct sockaddr_ttp a, b;
	char buf[TTP_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		CHECK(ttp_addr_parse(strs[i], &a) == 0);
		CHECK_STR(ttp_addr_format(&a, buf, sizeof(buf)), strs[i]);
		CHECK(ttp_addr_parse(buf, &b) == 0);
		CHECK(!memcmp(&a, &b, sizeof(a)));
	}
}

static void t_from_inet_ipv4(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(8000) };
	struct sockaddr_ttp a;

	sin.sin_addr.s_addr = ip4("10.1.2.3");
	CHECK(ttp_addr_from_inet(&a, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK(a.sttp_family == ttp_family() && a.sttp_ipfamily == AF_INET);
	CHECK(a.sttp_addr.v4 == ip4("10.1.2.3"));
	CHECK(ntohs(a.sttp_port) == 8000);
	CHECK(reserved_zero(&a));
	CHECK_ERR(ttp_addr_from_inet(&a, (struct sockaddr *)&sin,
				     sizeof(sin) - 1), EINVAL);
	CHECK_ERR(ttp_addr_from_inet(&a, NULL, 0), EINVAL);
	sin.sin_family = AF_UNIX;
	CHECK_ERR(ttp_addr_from_inet(&a, (struct sockaddr *)&sin, sizeof(sin)),
		  EAFNOSUPPORT);
}

static void t_from_inet_ipv6_maps_to_ipv4(void)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(443) };
	struct sockaddr_ttp a;

	/* "::" (any) is 0.0.0.0: a dual-stack listener listens on IPv4. */
	CHECK(ttp_addr_from_inet(&a, (struct sockaddr *)&s6, sizeof(s6)) == 0);
	CHECK(a.sttp_ipfamily == AF_INET && a.sttp_addr.v4 == 0);
	CHECK(ntohs(a.sttp_port) == 443);
	inet_pton(AF_INET6, "::ffff:10.0.0.9", &s6.sin6_addr);
	CHECK(ttp_addr_from_inet(&a, (struct sockaddr *)&s6, sizeof(s6)) == 0);
	CHECK(a.sttp_ipfamily == AF_INET && a.sttp_addr.v4 == ip4("10.0.0.9"));
	/* Real IPv6 stays IPv6, scope included. */
	inet_pton(AF_INET6, "fe80::2", &s6.sin6_addr);
	s6.sin6_scope_id = 3;
	CHECK(ttp_addr_from_inet(&a, (struct sockaddr *)&s6, sizeof(s6)) == 0);
	CHECK(a.sttp_ipfamily == AF_INET6 && a.sttp_scope_id == 3);
	CHECK(a.sttp_addr.v6[0] == 0xfe && a.sttp_addr.v6[15] == 2);
	CHECK_ERR(ttp_addr_from_inet(&a, (struct sockaddr *)&s6,
				     sizeof(struct sockaddr_in)), EINVAL);
}

static void t_to_inet_both_families(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	struct sockaddr_ttp a;
	char buf[INET6_ADDRSTRLEN];

	ttp_addr_ipv4(&a, ip4("10.0.0.2"), 40000);
	CHECK(ttp_addr_to_inet(&a, AF_INET, &ss) == sizeof(*sin));
	CHECK(sin->sin_family == AF_INET);
	CHECK(sin->sin_addr.s_addr == ip4("10.0.0.2"));
	CHECK(ntohs(sin->sin_port) == 40000);

	CHECK(ttp_addr_to_inet(&a, AF_INET6, &ss) == sizeof(*s6));
	CHECK(s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == 40000);
	CHECK_STR(inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf)),
		  "::ffff:10.0.0.2");
	ttp_addr_ipv4(&a, 0, 80);
	CHECK(ttp_addr_to_inet(&a, AF_INET6, &ss) == sizeof(*s6));
	CHECK_STR(inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf)), "::");

	CHECK(ttp_addr_parse("[2001:db8::1]:5", &a) == 0);
	errno = 0;
	CHECK(ttp_addr_to_inet(&a, AF_INET, &ss) == 0 && errno == EAFNOSUPPORT);
	CHECK(ttp_addr_to_inet(&a, AF_INET6, &ss) == sizeof(*s6));
	CHECK_STR(inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf)),
		  "2001:db8::1");
	errno = 0;
	CHECK(ttp_addr_to_inet(&a, AF_UNIX, &ss) == 0 && errno == EAFNOSUPPORT);
}

static void t_names_of_states(void)
{
	CHECK_STR(ttp_state_name(TTP_ESTABLISHED), "ESTABLISHED");
	CHECK_STR(ttp_state_name(TTP_LISTEN), "LISTEN");
	CHECK_STR(ttp_state_name(TTP_CLOSING), "CLOSING");
	CHECK_STR(ttp_state_name(TTP_TIME_WAIT), "TIME_WAIT");
	CHECK_STR(ttp_state_name(0), "UNKNOWN");
	CHECK_STR(ttp_state_name(TTP_MAX_STATES), "UNKNOWN");
	CHECK_STR(ttp_state_name(-1), "UNKNOWN");
	CHECK_STR(ttp_ca_state_name(TTP_CA_RECOVERY), "recovery");
	CHECK_STR(ttp_ca_state_name(TTP_CA_LOSS), "loss");
	CHECK_STR(ttp_ca_state_name(9), "unknown");
	CHECK_STR(ttp_csum_name(TTP_CSUM_CRC32C), "crc32c");
	CHECK_STR(ttp_csum_name(TTP_CSUM_INET), "internet");
}

static void t_calls_reject_bad_arguments(void)
{
	CHECK_ERR(ttp_open(0x4), EINVAL);
	CHECK_ERR(ttp_connect(NULL, "80", 0), EINVAL);
	CHECK_ERR(ttp_connect("*", "80", 0), EINVAL);
	CHECK_ERR(ttp_connect("10.0.0.1", "99999", 0), EINVAL);
	CHECK_ERR(ttp_listen(NULL, "http-not-a-service", 1, 0), ENOENT);
}

static const char hdr_full[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
	"retrnsmt   uid  timeout inode rto srtt rttvar cwnd ssthresh snd_wnd "
	"rcv_wnd mss retrans ca\n";
static const char hdr_short[] =
	"  sl  local_address rem_address   st tx_queue rx_queue   uid    inode\n";

static void t_procnet_reads_full_layout(void)
{
	struct ttp_proc_layout l;
	struct ttp_proc_sock s;

	CHECK(ttp_proc_parse_header(hdr_full, &l) == 0);
	CHECK(ttp_proc_parse_line(&l,
		"   7: 0A000001:0050 0A000002:8003 01 00001000:00000010 "
		"01:0000001A 00000002     0        0 12345 204000 812 400 14480 "
		"4294967295 65536 87380 1448 3 2\n", &s) == 0);
	CHECK(s.sl == 7);
	CHECK(s.laddr == 0x0A000001 && s.lport == 80);
	CHECK(s.raddr == 0x0A000002 && s.rport == 0x8003);
	CHECK(s.state == TTP_ESTABLISHED);
	CHECK(s.tx_queue == 0x1000 && s.rx_queue == 0x10);
	CHECK(s.timer == 1 && s.when == 0x1A && s.retrnsmt == 2);
	CHECK(s.uid == 0 && s.inode == 12345);
	CHECK(s.rto == 204000 && s.srtt == 812 && s.rttvar == 400);
	CHECK(s.cwnd == 14480 && s.ssthresh == 0xffffffffU);
	CHECK(s.snd_wnd == 65536 && s.rcv_wnd == 87380 && s.mss == 1448);
	CHECK(s.retrans == 3 && s.ca == TTP_CA_RECOVERY);
	CHECK(s.has[COL_RTO] && s.has[COL_CA] && s.has[COL_TRWHEN]);
}

static void t_procnet_reads_older_short_layout(void)
{
	struct ttp_proc_layout l;
	struct ttp_proc_sock s;

	CHECK(ttp_proc_parse_header(hdr_short, &l) == 0);
	CHECK(ttp_proc_parse_line(&l,
		"   1: 0A000001:0050 0A000002:9C40 01 00000000:000004B0  1000    23470\n",
		&s) == 0);
	CHECK(s.state == TTP_ESTABLISHED && s.rx_queue == 1200);
	CHECK(s.uid == 1000 && s.inode == 23470);
	CHECK(!s.has[COL_RTO] && !s.has[COL_TRWHEN] && !s.has[COL_RETRNSMT]);
	/* A line shorter than its header keeps the columns it has. */
	CHECK(ttp_proc_parse_header(hdr_full, &l) == 0);
	CHECK(ttp_proc_parse_line(&l,
		"   0: 00000000:0050 00000000:0000 0A 00000000:00000000\n",
		&s) == 0);
	CHECK(s.state == TTP_LISTEN && !s.has[COL_UID]);
}

static void t_procnet_skips_unknown_columns(void)
{
	struct ttp_proc_layout l;
	struct ttp_proc_sock s;

	CHECK(ttp_proc_parse_header("sl local_address newcol rem_address st "
				    "tx_queue rx_queue later\n", &l) == 0);
	CHECK(ttp_proc_parse_line(&l, "0: 7F000001:1388 zz 00000000:0000 0A "
				  "00000000:00000003 99\n", &s) == 0);
	CHECK(s.laddr == 0x7F000001 && s.lport == 5000);
	CHECK(s.state == TTP_LISTEN && s.rx_queue == 3);
}

static void t_procnet_rejects_bad_input(void)
{
	struct ttp_proc_layout l;
	struct ttp_proc_sock s;

	CHECK_ERR(ttp_proc_parse_header("Name Value\n", &l), EINVAL);
	CHECK_ERR(ttp_proc_parse_header("", &l), EINVAL);
	CHECK(ttp_proc_parse_header(hdr_full, &l) == 0);
	CHECK_ERR(ttp_proc_parse_line(&l, "\n", &s), EINVAL);
	CHECK_ERR(ttp_proc_parse_line(&l, "0 0A000001:0050 00000000:0000 0A\n",
				      &s), EINVAL);	/* sl without ':' */
	CHECK_ERR(ttp_proc_parse_line(&l, "0: 0A000001 00000000:0000 0A\n",
				      &s), EINVAL);	/* no port */
	CHECK_ERR(ttp_proc_parse_line(&l, "0: 0A000001:10000 00000000:0000 0A\n",
				      &s), EINVAL);	/* port > 0xffff */
	CHECK_ERR(ttp_proc_parse_line(&l, "0: 0A000001:0050 00000000:0000 XY\n",
				      &s), EINVAL);
	CHECK_ERR(ttp_proc_parse_line(&l, "0: 0A000001:0050 00000000:0000 01 "
				      "00000000:00000000 00:00000000 00000000 "
				      "0 0 12 -5\n", &s), EINVAL);
}

/* Offsets in Linux's struct tcp_info (<linux/tcp.h>), which this file
 * cannot include beside <netinet/in.h>: the ABI, so fixed.
 */
static unsigned int u32_at(const unsigned char *b, size_t off)
{
	unsigned int v;

	memcpy(&v, b + off, 4);
	return v;
}

static void t_tcp_info_from_ttp_info(void)
{
	struct ttp_info ti = {
		.ttpi_state = TTP_ESTABLISHED, .ttpi_ca_state = TTP_CA_RECOVERY,
		.ttpi_options = TTPI_OPT_SACK | TTPI_OPT_WSCALE,
		.ttpi_snd_wscale = 7, .ttpi_rcv_wscale = 5, .ttpi_mss = 1448,
		.ttpi_rto = 204000, .ttpi_rtt = 812, .ttpi_rttvar = 400,
		.ttpi_snd_cwnd = 14480, .ttpi_snd_ssthresh = 0xffffffffU,
		.ttpi_unacked = 2896, .ttpi_sacked = 1448, .ttpi_lost = 1,
		.ttpi_retrans = 0, .ttpi_total_retrans = 9, .ttpi_backoff = 2,
		.ttpi_rcv_wnd = 87380, .ttpi_snd_wnd = 65536,
		.ttpi_bytes_acked = 123456789, .ttpi_bytes_received = 42,
	};
	unsigned char b[512];
	unsigned long long v;
	size_t n;

	memset(b, 0xee, sizeof(b));
	n = ttp_tcp_info(&ti, b, sizeof(b));
	CHECK(n >= 232 && n < sizeof(b));	/* 6.1's struct: 232 bytes */
	CHECK(b[0] == 1);			/* TCP_ESTABLISHED */
	CHECK(b[1] == 3);			/* TCP_CA_Recovery */
	CHECK(b[2] == 2 && b[4] == 2);		/* retransmits, backoff */
	CHECK(b[5] == (2 | 4));			/* TCPI_OPT_SACK | _WSCALE */
	CHECK((b[6] & 0xf) == 7 && (b[6] >> 4) == 5);
	CHECK(u32_at(b, 8) == 204000);		/* rto */
	CHECK(u32_at(b, 16) == 1448);		/* snd_mss */
	CHECK(u32_at(b, 24) == 2);		/* unacked, segments */
	CHECK(u32_at(b, 28) == 1);		/* sacked */
	CHECK(u32_at(b, 32) == 1);		/* lost: a byte is a segment */
	CHECK(u32_at(b, 68) == 812 && u32_at(b, 72) == 400);
	CHECK(u32_at(b, 76) == 0x7fffffff);	/* no ssthresh yet */
	CHECK(u32_at(b, 80) == 10);		/* cwnd, segments */
	CHECK(u32_at(b, 96) == 87380);		/* rcv_space */
	CHECK(u32_at(b, 100) == 9);		/* total_retrans */
	memcpy(&v, b + 120, 8);
	CHECK(v == 123456789);			/* bytes_acked */
	memcpy(&v, b + 128, 8);
	CHECK(v == 42);				/* bytes_received */
	CHECK(u32_at(b, 228) == 65536);		/* snd_wnd */
	/* A short buffer gets its prefix. */
	memset(b, 0xee, sizeof(b));
	CHECK(ttp_tcp_info(&ti, b, 8) == 8);
	CHECK(b[0] == 1 && b[8] == 0xee);
	CHECK(ttp_tcp_ca_state(TTP_CA_LOSS) == 4);
	CHECK(ttp_tcp_ca_state(TTP_CA_OPEN) == 0);
}

static void t_perf_quantiles_nearest_rank(void)
{
	static const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct perf_samples s = { 0 };
	struct perf_summary sum;
	int i;

	CHECK(perf_quantile(ten, 10, 0.5) == 5);
	CHECK(perf_quantile(ten, 10, 0.9) == 9);
	CHECK(perf_quantile(ten, 10, 0.99) == 10);
	CHECK(perf_quantile(ten, 10, 0.01) == 1);
	CHECK(perf_quantile(ten, 1, 0.99) == 1);
	CHECK(perf_quantile(ten, 0, 0.5) == 0);
	/* 1000 samples given in reverse: sorted, then ranks 500, 900, 990. */
	for (i = 1000; i >= 1; i--)
		CHECK(perf_add(&s, i) == 0);
	perf_summarise(&s, &sum);
	CHECK(sum.n == 1000 && sum.min == 1 && sum.max == 1000);
	CHECK(sum.p50 == 500 && sum.p90 == 900 && sum.p99 == 990);
	CHECK(sum.mean == 500.5);
	perf_free(&s);
	perf_summarise(&s, &sum);
	CHECK(sum.n == 0 && sum.p99 == 0 && sum.mean == 0);
}

static void t_perf_merge_keeps_every_sample(void)
{
	struct perf_samples a = { 0 }, b = { 0 };
	struct perf_summary sum;
	int i;

	for (i = 0; i < 3000; i++)
		CHECK(perf_add(i % 2 ? &a : &b, i) == 0);
	CHECK(perf_merge(&a, &b) == 0);
	perf_summarise(&a, &sum);
	CHECK(sum.n == 3000 && sum.min == 0 && sum.max == 2999);
	perf_free(&a);
	perf_free(&b);
}

/* Many threads parsing and formatting at once get their own results. */
static void *parse_loop(void *arg)
{
	unsigned long id = (unsigned long)arg, i;
	char in[TTP_ADDRSTRLEN], out[TTP_ADDRSTRLEN];
	struct sockaddr_ttp a;

	for (i = 0; i < 20000; i++) {
		snprintf(in, sizeof(in), "10.%lu.%lu.%lu:%lu", id, i % 256,
			 (i / 256) % 256, i % 65536);
		if (ttp_addr_parse(in, &a) ||
		    !ttp_addr_format(&a, out, sizeof(out)) || strcmp(in, out))
			return (void *)1;
	}
	return NULL;
}

static void t_parse_and_format_are_thread_safe(void)
{
	pthread_t th[8];
	unsigned long i;
	void *ret;

	for (i = 0; i < 8; i++)
		CHECK(pthread_create(&th[i], NULL, parse_loop, (void *)i) == 0);
	for (i = 0; i < 8; i++) {
		CHECK(pthread_join(th[i], &ret) == 0);
		CHECK(ret == NULL);
	}
}

static void t_auth_key_lines(void)
{
	struct ttp_auth_key k;

	CHECK(ttp_auth_key_parse("10.0.0.0/8:80 1 2 hex:00ff10 maclen=8 current",
				 &k) == 1);
	CHECK(k.ttpak_peer.sttp_ipfamily == AF_INET);
	CHECK(k.ttpak_peer.sttp_addr.v4 == htonl(0x0a000000));
	CHECK(k.ttpak_peer.sttp_port == htons(80));
	CHECK(k.ttpak_prefix == 8);
	CHECK(k.ttpak_sndid == 1 && k.ttpak_rcvid == 2);
	CHECK(k.ttpak_keylen == 3);
	CHECK(k.ttpak_key[0] == 0x00 && k.ttpak_key[1] == 0xff &&
	      k.ttpak_key[2] == 0x10);
	CHECK(k.ttpak_maclen == 8);
	CHECK(k.ttpak_flags == TTP_AUTH_F_CURRENT);
	CHECK(k.ttpak_alg == TTP_AUTH_ALG_HMAC_SHA256);

	/* One host by default, any port; the secret as text; a comment. */
	CHECK(ttp_auth_key_parse("192.168.1.2 7 7 s3cret rnext # note\n",
				 &k) == 1);
	CHECK(k.ttpak_prefix == 32 && k.ttpak_peer.sttp_port == 0);
	CHECK(k.ttpak_keylen == 6 && !memcmp(k.ttpak_key, "s3cret", 6));
	CHECK(k.ttpak_flags == TTP_AUTH_F_RNEXT && k.ttpak_maclen == 0);
	/* Host bits past the prefix are dropped, as the kernel wants them. */
	CHECK(ttp_auth_key_parse("10.1.2.3/16 1 1 k", &k) == 1);
	CHECK(k.ttpak_peer.sttp_addr.v4 == htonl(0x0a010000));

	CHECK(ttp_auth_key_parse("", &k) == 0);
	CHECK(ttp_auth_key_parse("   # only a comment", &k) == 0);
}

static void t_auth_key_lines_rejected(void)
{
	static const char *const bad[] = {
		"10.0.0.1 1 1",			/* no secret */
		"10.0.0.1/33 1 1 k",		/* prefix */
		"10.0.0.1:65536 1 1 k",		/* port */
		"10.0.0.1 256 1 k",		/* id */
		"10.0.0.1 -1 1 k",
		"10.0.0.1 1 x k",
		"host.example 1 1 k",		/* not an address */
		"10.0.0.1 1 1 hex:abc",		/* odd digits */
		"10.0.0.1 1 1 hex:zz",
		"10.0.0.1 1 1 hex:",
		"10.0.0.1 1 1 k maclen=3",	/* MAC length */
		"10.0.0.1 1 1 k maclen=13",
		"10.0.0.1 1 1 k sometimes",	/* unknown word */
		"10.0.0.1 1 1 "
		"123456789012345678901234567890123456789012345678901234567890"
		"123456789012345678901",		/* 81 bytes */
	};
	struct ttp_auth_key k;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (ttp_auth_key_parse(bad[i], &k) != -1 || errno != EINVAL) {
			fprintf(stderr, "accepted: %s\n", bad[i]);
			failures++;
		}
	}
	CHECK(ttp_auth_key_file(-1, "/nonexistent/keys", NULL) == -1 &&
	      errno == ENOENT);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define T(name) { #name, t_##name }
	T(family_default_without_module),
	T(parse_ipv4_host_port),
	T(parse_any_address),
	T(parse_names_and_services),
	T(parse_ipv6_literals),
	T(parse_rejects_bad_strings),
	T(format_ipv4_and_ipv6),
	T(format_errors),
	T(format_parse_round_trip),
	T(from_inet_ipv4),
	T(from_inet_ipv6_maps_to_ipv4),
	T(to_inet_both_families),
	T(names_of_states),
	T(calls_reject_bad_arguments),
	T(parse_and_format_are_thread_safe),
	T(tcp_info_from_ttp_info),
	T(procnet_reads_full_layout),
	T(perf_quantiles_nearest_rank),
	T(perf_merge_keeps_every_sample),
	T(procnet_reads_older_short_layout),
	T(procnet_skips_unknown_columns),
	T(procnet_rejects_bad_input),
	T(auth_key_lines),
	T(auth_key_lines_rejected),
#undef T
};

int main(int argc, char **argv)
{
	size_t i, n = sizeof(tests) / sizeof(tests[0]);

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < n; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | NAME\n", argv[0]);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[1], tests[i].name))
			continue;
		tests[i].fn();
		return failures ? 1 : 0;
	}
	fprintf(stderr, "%s: no test %s\n", argv[0], argv[1]);
	return 2;
}
