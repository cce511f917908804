// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttpperf: measure TTP and TCP side by side, like iperf and netperf.
 *
 *   ttpperf -s [-p PORT] [--proto ttp|tcp] [-B ADDR]
 *   ttpperf -c HOST [-p PORT] [--proto ttp|tcp] [--test bulk|rr|crr]
 *           [-P STREAMS] [-R] [-t SECONDS] [--req BYTES] [--resp BYTES]
 *           [--json]
 *
 * Both protocols go through the same code: only the socket's family, its
 * address and the level of the no-delay option differ (struct proto).
 * Each connection opens with a header that tells the server what to do:
 *
 *   bulk  the client sends for the duration, half-closes and reads the
 *         byte count the server received (-R: the server sends, the client
 *         counts); throughput is bytes over the time until the count (or
 *         the end of stream) arrived;
 *   rr    request/response transactions, one at a time, on one connection
 *         (netperf's TCP_RR): transactions per second and the latency of
 *         each, from the request's write to the response's last byte;
 *   crr   a new connection for each transaction (TCP_CRR): connect, request,
 *         response, the server closes.
 *
 * Documentation/tools.rst and ttpperf(1) describe the output.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ttp.h>

#include "cli.h"
#include "perfstat.h"

#define EXIT_NET	1
#define EXIT_NOTTP	3

#define PERF_MAGIC	0x54545050u	/* "TTPP" */
#define PERF_VERSION	1
#define BULK_BUF	(128 * 1024)
#define MAX_STREAMS	64
#define MAX_MSG		(1 << 20)

enum test { TEST_BULK, TEST_RR, TEST_CRR };

static const char * const test_names[] = { "bulk", "rr", "crr" };

/* What a connection asks of the server, in network byte order. */
struct perf_hdr {
	uint32_t magic;
	uint8_t version;
	uint8_t test;		/* enum test */
	uint8_t reverse;	/* bulk: the server sends */
	uint8_t pad;
	uint32_t duration_ms;	/* bulk -R: how long the server sends */
	uint32_t req, resp;	/* rr, crr: message sizes */
	uint32_t reserved;
};

/* What differs between TTP and TCP; everything else is shared. */
struct proto {
	const char *name;
	int family;
	int nodelay_level, nodelay_opt;
	struct sockaddr_storage addr;
	socklen_t addrlen;
};

struct config {
	struct proto proto;
	enum test test;
	int streams, reverse, json;
	double seconds;
	uint32_t req, resp;
};

static const char *prog = "ttpperf";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s -s [-p PORT] [--proto ttp|tcp] [-B ADDR]\n"
		"       %s -c HOST [-p PORT] [--proto ttp|tcp] [--test bulk|rr|crr]\n"
		"               [-P STREAMS] [-R] [-t SECONDS] [--req BYTES]\n"
		"               [--resp BYTES] [--json]\n"
		"Measure TTP, or TCP for comparison, through one code path.\n"
		"\n"
		"  -s, --server        serve tests until killed\n"
		"  -c, --client HOST   run a test against the server on HOST\n"
		"  -p, --port PORT     port (default 5201)\n"
		"      --proto P       ttp (default) or tcp\n"
		"  -B, --bind ADDR     server: listen on ADDR only\n"
		"  -T, --test TEST     bulk: throughput (default); rr: request/\n"
		"                      response transactions on one connection;\n"
		"                      crr: a connection per transaction\n"
		"  -P, --parallel N    N connections at once (1..%d, default 1)\n"
		"  -R, --reverse       bulk: the server sends, the client receives\n"
		"  -t, --time SECONDS  length of the test (default 5)\n"
		"      --req BYTES     rr, crr: request size (default 1)\n"
		"      --resp BYTES    rr, crr: response size (default 1)\n"
		"  -j, --json          print the result as one JSON object\n"
		"  -h, --help          print this help\n"
		"      --version       print the version\n"
		"\n"
		"Bulk reports Mbit/s; rr and crr transactions per second and the\n"
		"latency's min, mean, p50, p90, p99 and max in microseconds.\n"
		"Exit status: 0 success, 1 network error, 2 bad arguments,\n"
		"3 TTP is not available (ttp.ko not loaded).\n",
		prog, prog, MAX_STREAMS);
	return status;
}

static int bad_args(const char *msg, const char *arg)
{
	return cli_bad_args(prog, msg, arg);
}

/* --- the protocol-specific part ------------------------------------ */

static int proto_init(struct proto *p, const char *name, const char *host,
		      const char *port)
{
	memset(&p->addr, 0, sizeof(p->addr));
	if (!strcmp(name, "ttp")) {
		struct sockaddr_ttp a;

		if (ttp_addr_resolve(host, port, &a))
			return -1;
		p->name = "ttp";
		p->family = ttp_family();
		p->nodelay_level = SOL_TTP;
		p->nodelay_opt = TTP_NODELAY;
		memcpy(&p->addr, &a, sizeof(a));
		p->addrlen = sizeof(a);
		return 0;
	}
	if (!strcmp(name, "tcp")) {
		struct addrinfo hints = { .ai_family = AF_INET,
					  .ai_socktype = SOCK_STREAM,
					  .ai_flags = AI_PASSIVE };
		struct addrinfo *res;
		int err = getaddrinfo(host, port, &hints, &res);

		if (err) {
			errno = err == EAI_SYSTEM ? errno : ENOENT;
			return -1;
		}
		p->name = "tcp";
		p->family = AF_INET;
		p->nodelay_level = IPPROTO_TCP;
		p->nodelay_opt = TCP_NODELAY;
		memcpy(&p->addr, res->ai_addr, res->ai_addrlen);
		p->addrlen = res->ai_addrlen;
		freeaddrinfo(res);
		return 0;
	}
	errno = EPROTONOSUPPORT;
	return -1;
}

static int proto_socket(const struct proto *p)
{
	return socket(p->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

static void proto_nodelay(const struct proto *p, int fd)
{
	setsockopt(fd, p->nodelay_level, p->nodelay_opt, &(int){ 1 },
		   sizeof(int));
}

/* --- shared from here on ------------------------------------------- */

static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = ECONNRESET;	/* early end of stream */
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int connect_to(const struct proto *p)
{
	int fd = proto_socket(p), e;

	if (fd < 0)
		return -1;
	if (!connect(fd, (const struct sockaddr *)&p->addr, p->addrlen))
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

static void hdr_fill(struct perf_hdr *h, const struct config *c)
{
	memset(h, 0, sizeof(*h));
	h->magic = htonl(PERF_MAGIC);
	h->version = PERF_VERSION;
	h->test = c->test;
	h->reverse = c->reverse;
	h->duration_ms = htonl((uint32_t)(c->seconds * 1000));
	h->req = htonl(c->req);
	h->resp = htonl(c->resp);
}

/* --- server -------------------------------------------------------- */

static void serve_bulk(int fd, const struct perf_hdr *h)
{
	static char sink[BULK_BUF];
	char *buf;
	uint64_t total = 0, be;
	ssize_t n;

	if (!h->reverse) {
		while ((n = read(fd, sink, sizeof(sink))) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return;
			}
			total += n;
		}
		be = htobe64(total);
		write_full(fd, &be, sizeof(be));
		return;
	}
	buf = calloc(1, BULK_BUF);
	if (buf) {
		double end = now() + ntohl(h->duration_ms) / 1000.0;

		while (now() < end && !write_full(fd, buf, BULK_BUF))
			;
		free(buf);
	}
	shutdown(fd, SHUT_WR);
	/* Wait for the client's close, so that nothing is reset. */
	while (read(fd, sink, sizeof(sink)) > 0)
		;
}

static void serve_rr(int fd, const struct perf_hdr *h, int once)
{
	uint32_t req = ntohl(h->req), resp = ntohl(h->resp);
	char *in = malloc(req), *out = calloc(1, resp);

	if (in && out) {
		do {
			if (read_full(fd, in, req) || write_full(fd, out, resp))
				break;
		} while (!once);
	}
	free(in);
	free(out);
}

static void *serve_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct perf_hdr h;

	if (!read_full(fd, &h, sizeof(h)) && ntohl(h.magic) == PERF_MAGIC &&
	    h.version == PERF_VERSION && ntohl(h.req) <= MAX_MSG &&
	    ntohl(h.resp) <= MAX_MSG && ntohl(h.req) && ntohl(h.resp)) {
		switch (h.test) {
		case TEST_BULK:
			serve_bulk(fd, &h);
			break;
		case TEST_RR:
			serve_rr(fd, &h, 0);
			break;
		case TEST_CRR:
			/* The server closes first: its TIME_WAITs do not
			 * hold the client's ephemeral ports.
			 */
			serve_rr(fd, &h, 1);
			break;
		}
	}
	close(fd);
	return NULL;
}

static int run_server(struct proto *p)
{
	pthread_attr_t attr;
	int fd, e;

	fd = proto_socket(p);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&p->addr, p->addrlen) ||
	    listen(fd, 128))
		goto fail;
	fprintf(stderr, "%s: %s server listening\n", prog, p->name);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		pthread_t th;

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			goto fail;
		}
		proto_nodelay(p, c);
		if (pthread_create(&th, &attr, serve_conn, (void *)(intptr_t)c))
			close(c);
	}
fail:
	e = errno;
	fprintf(stderr, "%s: %s server: %s\n", prog, p->name, strerror(e));
	return e == EAFNOSUPPORT ? EXIT_NOTTP : EXIT_NET;
}

/* --- client -------------------------------------------------------- */

struct stream {
	pthread_t th;
	const struct config *c;
	uint64_t bytes;
	double elapsed;
	uint64_t transactions;
	struct perf_samples lat;
	int err;		/* errno of a failure, or 0 */
	const char *what;	/* which step failed */
};

static void *bulk_stream(void *arg)
{
	struct stream *s = arg;
	const struct config *c = s->c;
	struct perf_hdr h;
	double start, end;
	char *buf = NULL;
	uint64_t be;
	ssize_t n;
	int fd;

	s->what = "connect";
	fd = connect_to(&c->proto);
	if (fd < 0)
		goto fail;
	hdr_fill(&h, c);
	start = now();
	s->what = "send";
	if (write_full(fd, &h, sizeof(h)))
		goto fail;
	buf = calloc(1, BULK_BUF);
	if (!buf)
		goto fail;
	if (c->reverse) {
		s->what = "receive";
		while ((n = read(fd, buf, BULK_BUF)) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				goto fail;
			}
			s->bytes += n;
		}
	} else {
		end = start + c->seconds;
		while (now() < end)
			if (write_full(fd, buf, BULK_BUF))
				goto fail;
		shutdown(fd, SHUT_WR);
		s->what = "read the server's count";
		if (read_full(fd, &be, sizeof(be)))
			goto fail;
		s->bytes = be64toh(be);
	}
	s->elapsed = now() - start;
	free(buf);
	close(fd);
	return NULL;
fail:
	s->err = errno ? errno : EIO;
	free(buf);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* One transaction on fd: request out, response in; its latency in us. */
static int transact(int fd, char *req, uint32_t reqlen, char *resp,
		    uint32_t resplen, double t0, struct stream *s)
{
	if (write_full(fd, req, reqlen) || read_full(fd, resp, resplen))
		return -1;
	s->transactions++;
	return perf_add(&s->lat, (now() - t0) * 1e6);
}

static void *rr_stream(void *arg)
{
	struct stream *s = arg;
	const struct config *c = s->c;
	char *req = calloc(1, c->req), *resp = malloc(c->resp);
	struct perf_hdr h;
	double start, end;
	int fd = -1;

	hdr_fill(&h, c);
	if (!req || !resp)
		goto fail;
	start = now();
	end = start + c->seconds;
	if (c->test == TEST_RR) {
		s->what = "connect";
		fd = connect_to(&c->proto);
		if (fd < 0)
			goto fail;
		proto_nodelay(&c->proto, fd);
		s->what = "send";
		if (write_full(fd, &h, sizeof(h)))
			goto fail;
		s->what = "transaction";
		while (now() < end)
			if (transact(fd, req, c->req, resp, c->resp, now(), s))
				goto fail;
	} else {
		while (now() < end) {
			double t0 = now();
			char eof;

			s->what = "connect";
			fd = connect_to(&c->proto);
			if (fd < 0)
				goto fail;
			proto_nodelay(&c->proto, fd);
			s->what = "transaction";
			if (write_full(fd, &h, sizeof(h)) ||
			    transact(fd, req, c->req, resp, c->resp, t0, s))
				goto fail;
			/* The server closes: wait for its end of stream. */
			if (read(fd, &eof, 1) != 0)
				goto fail;
			close(fd);
			fd = -1;
		}
	}
	s->elapsed = now() - start;
	if (fd >= 0)
		close(fd);
	free(req);
	free(resp);
	return NULL;
fail:
	s->err = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	free(req);
	free(resp);
	return NULL;
}

static void print_result(const struct config *c, struct stream *st)
{
	uint64_t bytes = 0, trans = 0;
	struct perf_samples all = { 0 };
	struct perf_summary sum;
	double elapsed = 0;
	int i;

	for (i = 0; i < c->streams; i++) {
		bytes += st[i].bytes;
		trans += st[i].transactions;
		if (st[i].elapsed > elapsed)
			elapsed = st[i].elapsed;
		perf_merge(&all, &st[i].lat);
	}
	if (elapsed <= 0)
		elapsed = 1e-9;
	perf_summarise(&all, &sum);
	if (c->json) {
		printf("{\"proto\": \"%s\", \"test\": \"%s\", \"streams\": %d, "
		       "\"reverse\": %s, \"seconds\": %.3f",
		       c->proto.name, test_names[c->test], c->streams,
		       c->reverse ? "true" : "false", elapsed);
		if (c->test == TEST_BULK)
			printf(", \"bytes\": %llu, \"mbit_per_s\": %.3f",
			       (unsigned long long)bytes,
			       bytes * 8 / elapsed / 1e6);
		else
			printf(", \"req\": %u, \"resp\": %u, "
			       "\"transactions\": %llu, \"per_s\": %.1f, "
			       "\"latency_us\": {\"min\": %.1f, \"mean\": %.1f, "
			       "\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, "
			       "\"max\": %.1f}",
			       c->req, c->resp, (unsigned long long)trans,
			       trans / elapsed, sum.min, sum.mean, sum.p50,
			       sum.p90, sum.p99, sum.max);
		printf("}\n");
	} else if (c->test == TEST_BULK) {
		printf("%s bulk, %d stream%s, %s, %.2f s: %.2f Mbit/s "
		       "(%llu bytes)\n", c->proto.name, c->streams,
		       c->streams > 1 ? "s" : "",
		       c->reverse ? "server to client" : "client to server",
		       elapsed, bytes * 8 / elapsed / 1e6,
		       (unsigned long long)bytes);
	} else {
		printf("%s %s, %d stream%s, %u/%u bytes, %.2f s: %llu "
		       "transactions, %.1f/s\n", c->proto.name,
		       test_names[c->test], c->streams,
		       c->streams > 1 ? "s" : "", c->req, c->resp, elapsed,
		       (unsigned long long)trans, trans / elapsed);
		printf("latency us: min %.1f mean %.1f p50 %.1f p90 %.1f "
		       "p99 %.1f max %.1f\n", sum.min, sum.mean, sum.p50,
		       sum.p90, sum.p99, sum.max);
	}
	perf_free(&all);
}

static int run_client(const struct config *c)
{
	struct stream *st = calloc(c->streams, sizeof(*st));
	int i, rc = 0, started = 0;

	if (!st)
		return EXIT_NET;
	for (i = 0; i < c->streams; i++) {
		st[i].c = c;
		if (pthread_create(&st[i].th, NULL,
				   c->test == TEST_BULK ? bulk_stream : rr_stream,
				   &st[i]))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(st[i].th, NULL);
	for (i = 0; i < started; i++) {
		if (!st[i].err)
			continue;
		fprintf(stderr, "%s: stream %d: %s: %s\n", prog, i, st[i].what,
			strerror(st[i].err));
		rc = st[i].err == EAFNOSUPPORT ? EXIT_NOTTP : EXIT_NET;
	}
	if (started < c->streams) {
		fprintf(stderr, "%s: cannot start %d streams\n", prog,
			c->streams);
		rc = EXIT_NET;
	}
	if (!rc)
		print_result(c, st);
	for (i = 0; i < c->streams; i++)
		perf_free(&st[i].lat);
	free(st);
	return rc;
}

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v < min || *v > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", no_argument, NULL, 's' },
		{ "client", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "proto", required_argument, NULL, 'X' },
		{ "bind", required_argument, NULL, 'B' },
		{ "test", required_argument, NULL, 'T' },
		{ "parallel", required_argument, NULL, 'P' },
		{ "reverse", no_argument, NULL, 'R' },
		{ "time", required_argument, NULL, 't' },
		{ "req", required_argument, NULL, 'q' },
		{ "resp", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct config c = { .test = TEST_BULK, .streams = 1, .seconds = 5,
			    .req = 1, .resp = 1 };
	const char *host = NULL, *bind_addr = NULL, *port = "5201";
	const char *proto = "ttp";
	int server = 0, opt, i;
	unsigned long v;
	char *end;

	while ((opt = getopt_long(argc, argv, "sc:p:B:T:P:Rt:jh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			server = 1;
			break;
		case 'c':
			host = optarg;
			break;
		case 'p':
			if (parse_uint(optarg, 1, 65535, &v))
				return bad_args("bad port (1..65535)", optarg);
			port = optarg;
			break;
		case 'X':
			if (strcmp(optarg, "ttp") && strcmp(optarg, "tcp"))
				return bad_args("--proto must be ttp or tcp",
						optarg);
			proto = optarg;
			break;
		case 'B':
			bind_addr = optarg;
			break;
		case 'T':
			for (i = 0; i < 3; i++)
				if (!strcmp(optarg, test_names[i]))
					break;
			if (i == 3)
				return bad_args("--test must be bulk, rr or crr",
						optarg);
			c.test = i;
			break;
		case 'P':
			if (parse_uint(optarg, 1, MAX_STREAMS, &v))
				return bad_args("bad number of streams", optarg);
			c.streams = v;
			break;
		case 'R':
			c.reverse = 1;
			break;
		case 't':
			c.seconds = strtod(optarg, &end);
			if (*end || end == optarg || !(c.seconds >= 0.1) ||
			    c.seconds > 3600)
				return bad_args("bad time (0.1..3600 seconds)",
						optarg);
			break;
		case 'q':
		case 'r':
			if (parse_uint(optarg, 1, MAX_MSG, &v))
				return bad_args("bad message size (1..1048576)",
						optarg);
			if (opt == 'q')
				c.req = v;
			else
				c.resp = v;
			break;
		case 'j':
			c.json = 1;
			break;
		case 'h':
			return usage(0);
		case 'V':
			return cli_version(prog);
		default:
			return cli_try_help(prog);
		}
	}
	if (optind < argc)
		return bad_args("unexpected argument", argv[optind]);
	if (server == !!host)
		return bad_args("give either -s or -c HOST", NULL);
	if (server && (c.reverse || c.streams > 1 || c.json))
		return bad_args("-R, -P and --json are client options", NULL);
	if (host && bind_addr)
		return bad_args("-B is a server option", NULL);
	if (c.reverse && c.test != TEST_BULK)
		return bad_args("-R applies to the bulk test", NULL);
	if (proto_init(&c.proto, proto, server ? bind_addr : host, port)) {
		fprintf(stderr, "%s: %s: %s\n", prog,
			server ? (bind_addr ? bind_addr : "*") : host,
			errno == ENOENT ? "no such host" : strerror(errno));
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	if (server)
		return run_server(&c.proto);
	return run_client(&c);
}
