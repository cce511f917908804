// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttpcat: a netcat for TTP.
 *
 *   ttpcat [-v] HOST PORT        connect, then copy stdin to the connection
 *                                and the connection to stdout
 *   ttpcat [-v] [-k] -l [HOST] PORT
 *                                listen (on HOST, default every address),
 *                                accept one connection (-k: one after another)
 *
 * End of input half-closes the connection (shutdown(SHUT_WR)); ttpcat ends
 * when the peer has closed its side too.  -v prints, on stderr, the
 * addresses and what the handshake negotiated.
 *
 * Exit status: 0 success, 1 connection error (refused, reset, timed out),
 * 2 bad arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/ttp.h>

static const char *prog = "ttpcat";

static int ttp_family(void)
{
	FILE *f = fopen("/sys/module/ttp/parameters/family", "r");
	int family = AF_TTP;

	if (f) {
		if (fscanf(f, "%d", &family) != 1)
			family = AF_TTP;
		fclose(f);
	}
	return family;
}

static int usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-v] HOST PORT\n"
		"       %s [-v] [-k] -l [HOST] PORT\n"
		"Copy standard input to a TTP connection and the connection to\n"
		"standard output.\n"
		"  -l  listen for a connection instead of connecting\n"
		"  -k  with -l, accept another connection after each one\n"
		"  -v  print addresses and negotiated parameters on stderr\n"
		"  -h  this help\n", prog, prog);
	return status;
}

/* Resolve HOST (name or dotted quad, NULL = any) and PORT. */
static int make_addr(const char *host, const char *port,
		     struct sockaddr_ttp *a)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	char *end;
	long p = strtol(port, &end, 10);
	int err;

	if (!*port || *end || p < 0 || p > 65535) {
		fprintf(stderr, "%s: bad port '%s'\n", prog, port);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->sttp_family = ttp_family();
	a->sttp_ipfamily = AF_INET;
	a->sttp_port = htons(p);
	if (!host)
		return 0;
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", prog, host, gai_strerror(err));
		return -1;
	}
	a->sttp_addr.v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	freeaddrinfo(res);
	return 0;
}

static void print_conn(int fd)
{
	struct sockaddr_ttp l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	struct ttp_info info;
	socklen_t il = sizeof(info);
	char ls[INET_ADDRSTRLEN], rs[INET_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&l, &ll) ||
	    getpeername(fd, (struct sockaddr *)&r, &rl))
		return;
	inet_ntop(AF_INET, &l.sttp_addr.v4, ls, sizeof(ls));
	inet_ntop(AF_INET, &r.sttp_addr.v4, rs, sizeof(rs));
	fprintf(stderr, "%s: connected %s:%u -> %s:%u\n", prog, ls,
		ntohs(l.sttp_port), rs, ntohs(r.sttp_port));
	if (!getsockopt(fd, SOL_TTP, TTP_INFO, &info, &il))
		fprintf(stderr, "%s: mss %u, window scale %u/%u, checksum %s\n",
			prog, info.ttpi_mss, info.ttpi_snd_wscale,
			info.ttpi_rcv_wscale,
			info.ttpi_csum_algo == TTP_CSUM_CRC32C ? "crc32c" :
			"internet");
}

/*
 * Copy both ways until both directions have finished: our input reached
 * its end (then we half-close) and the peer half-closed.  Returns 0 or -1.
 */
static int pump(int fd)
{
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
			       { .fd = fd, .events = POLLIN } };
	char buf[65536];
	int in_open = 1, sock_open = 1;

	while (in_open || sock_open) {
		ssize_t n;

		p[0].fd = in_open ? 0 : -1;
		p[1].fd = sock_open ? fd : -1;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[0].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				in_open = 0;
				shutdown(fd, SHUT_WR);
			} else {
				char *q = buf;

				while (n > 0) {
					ssize_t w = write(fd, q, n);

					if (w < 0) {
						fprintf(stderr, "%s: send: %s\n",
							prog, strerror(errno));
						return -1;
					}
					q += w;
					n -= w;
				}
			}
		}
		if (p[1].revents) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0) {
				fprintf(stderr, "%s: receive: %s\n", prog,
					strerror(errno));
				return -1;
			}
			if (n == 0) {
				sock_open = 0;	/* the peer finished */
				continue;
			}
			if (fwrite(buf, 1, n, stdout) != (size_t)n ||
			    fflush(stdout))
				return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int listen_mode = 0, keep = 0, verbose = 0, opt, fd, rc = 0;
	const char *host = NULL, *port;
	struct sockaddr_ttp a;

	while ((opt = getopt(argc, argv, "lkvh")) != -1) {
		switch (opt) {
		case 'l':
			listen_mode = 1;
			break;
		case 'k':
			keep = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			return usage(0);
		default:
			return usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (listen_mode ? (argc < 1 || argc > 2) : argc != 2)
		return usage(2);
	if (keep && !listen_mode) {
		fprintf(stderr, "%s: -k needs -l\n", prog);
		return 2;
	}
	if (argc == 2)
		host = argv[0];
	port = argv[argc - 1];
	if (make_addr(host, port, &a))
		return 2;
	signal(SIGPIPE, SIG_IGN);

	fd = socket(ttp_family(), SOCK_STREAM, 0);
	if (fd < 0) {
		fprintf(stderr, "%s: socket: %s (is ttp.ko loaded?)\n", prog,
			strerror(errno));
		return 1;
	}
	if (!listen_mode) {
		if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "%s: connect to %s:%s: %s\n", prog, host,
				port, strerror(errno));
			return 1;
		}
		if (verbose)
			print_conn(fd);
		rc = pump(fd) ? 1 : 0;
		close(fd);
		return rc;
	}

	/* A server restarted on its port must not wait for old TIME_WAITs. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		fprintf(stderr, "%s: listen on port %s: %s\n", prog, port,
			strerror(errno));
		return 1;
	}
	if (verbose)
		fprintf(stderr, "%s: listening on port %s\n", prog, port);
	do {
		int c = accept(fd, NULL, NULL);

		if (c < 0) {
			fprintf(stderr, "%s: accept: %s\n", prog,
				strerror(errno));
			return 1;
		}
		if (verbose)
			print_conn(c);
		rc = pump(c) ? 1 : 0;
		close(c);
	} while (keep);
	close(fd);
	return rc;
}
