// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttpcat: a netcat for TTP, on libttp.
 *
 *   ttpcat [-v] HOST PORT            connect, then copy stdin to the
 *   ttpcat [-v] HOST:PORT            connection and the connection to stdout
 *   ttpcat [-v] [-k] -l [HOST] PORT  listen (on HOST, default every
 *                                    address), accept one connection
 *                                    (-k: one after another)
 *
 * --key-file FILE gives the socket the segment authentication keys of
 * FILE (libttp(3), ttp_auth_key_file()): connections with a peer a key
 * matches are signed.
 *
 * End of input half-closes the connection (shutdown(SHUT_WR)); ttpcat ends
 * when the peer has closed its side too.  -v prints, on stderr, the
 * addresses and what the handshake negotiated.
 *
 * Exit status: 0 success, 1 connection error (refused, reset, timed out,
 * name not found), 2 bad arguments, 3 TTP unavailable (ttp.ko not loaded).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <ttp.h>

#include "cli.h"

#define EXIT_CONN	1
#define EXIT_NOTTP	3

static const char *prog = "ttpcat";
static const char *key_file;

static int usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s [-v] [--key-file FILE] HOST PORT\n"
		"       %s [-v] [--key-file FILE] HOST:PORT\n"
		"       %s [-v] [-k] [--key-file FILE] -l [HOST] PORT\n"
		"Copy standard input to a TTP connection and the connection to\n"
		"standard output. At the end of the input, half-close the\n"
		"connection; exit once the peer has closed its side too.\n"
		"\n"
		"  -l, --listen     listen on PORT (of HOST, default every address)\n"
		"                   and serve one connection\n"
		"  -k, --keep-open  with -l, accept another connection after each\n"
		"      --key-file FILE\n"
		"                   sign the segments of connections with a peer\n"
		"                   that a key of FILE matches (one key a line:\n"
		"                   PEER[/PREFIX][:PORT] SNDID RCVID SECRET)\n"
		"  -v, --verbose    print the addresses and what the handshake\n"
		"                   negotiated on standard error\n"
		"  -h, --help       print this help\n"
		"      --version    print the version\n"
		"\n"
		"HOST is a name or an IPv4 address; PORT a number or service name.\n"
		"Exit status: 0 success, 1 connection error, 2 bad arguments,\n"
		"3 TTP is not available (ttp.ko not loaded).\n",
		prog, prog, prog);
	return status;
}

static int bad_args(const char *msg, const char *arg)
{
	return cli_bad_args(prog, msg, arg);
}

static const char *addr_error(int e)
{
	return e == ENOENT ? "no such host or service" : strerror(e);
}

static void print_conn(int fd)
{
	struct sockaddr_ttp l, r;
	char ls[TTP_ADDRSTRLEN], rs[TTP_ADDRSTRLEN];
	struct ttp_info info;
	int len;

	if (ttp_local_addr(fd, &l) || ttp_peer_addr(fd, &r) ||
	    !ttp_addr_format(&l, ls, sizeof(ls)) ||
	    !ttp_addr_format(&r, rs, sizeof(rs)))
		return;
	fprintf(stderr, "%s: connected %s -> %s\n", prog, ls, rs);
	len = ttp_conn_info(fd, &info);
	if (len <= 0)
		return;
	/* A ttp.ko older than the controller's name in TTP_INFO: "-". */
	if (len < (int)sizeof(info.ttpi_ca_name) +
		  (int)offsetof(struct ttp_info, ttpi_ca_name))
		strcpy(info.ttpi_ca_name, "-");
	info.ttpi_ca_name[sizeof(info.ttpi_ca_name) - 1] = '\0';
	fprintf(stderr,
		"%s: mss %u, window scale %u/%u, checksum %s, sack %s, congestion control %s\n",
		prog, info.ttpi_mss, info.ttpi_snd_wscale,
		info.ttpi_rcv_wscale, ttp_csum_name(info.ttpi_csum_algo),
		info.ttpi_options & TTPI_OPT_SACK ? "on" : "off",
		info.ttpi_ca_name);
	if (info.ttpi_options & TTPI_OPT_AUTH) {
		struct ttp_auth_select sel;
		socklen_t len = sizeof(sel);

		if (!getsockopt(fd, SOL_TTP, TTP_AUTH_SELECT, &sel, &len))
			fprintf(stderr, "%s: segments signed, key id %u\n",
				prog, sel.ttpas_sndid);
	}
}

/* The keys of --key-file for fd: 0, or -1 after a message. */
static int load_keys(int fd)
{
	int line, n;

	if (!key_file)
		return 0;
	n = ttp_auth_key_file(fd, key_file, &line);
	if (n < 0 && line)
		fprintf(stderr, "%s: %s, line %d: %s\n", prog, key_file, line,
			errno == EINVAL ? "not a valid key" : strerror(errno));
	else if (n < 0)
		fprintf(stderr, "%s: %s: %s\n", prog, key_file,
			strerror(errno));
	else if (n == 0)
		fprintf(stderr, "%s: %s: no key in the file\n", prog,
			key_file);
	return n > 0 ? 0 : -1;
}

/* ttp_connect(), with the keys given first. */
static int keyed_connect(const char *host, const char *port)
{
	struct sockaddr_ttp a;
	int fd, e;

	if (!key_file)
		return ttp_connect(host, port, SOCK_CLOEXEC);
	if (ttp_addr_resolve(host, port, &a))
		return -1;
	fd = ttp_open(SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (load_keys(fd)) {
		close(fd);
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* ttp_listen(), with the keys given first. */
static int keyed_listen(const char *host, const char *port)
{
	struct sockaddr_ttp a;
	int fd, e, one = 1;

	if (!key_file)
		return ttp_listen(host, port, 16, SOCK_CLOEXEC);
	if (ttp_addr_resolve(host, port, &a))
		return -1;
	fd = ttp_open(SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (load_keys(fd)) {
		close(fd);
		exit(2);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * A buffer of one direction: bytes [off, len) wait to be written; a read
 * appends at len while there is room.
 */
struct xbuf {
	char data[65536];
	size_t off, len;
};

static size_t xbuf_room(const struct xbuf *b)
{
	return sizeof(b->data) - b->len;
}

/* Read from fd into b: the bytes read, 0 at the end, -1 with errno. */
static ssize_t xbuf_fill(int fd, struct xbuf *b)
{
	return read(fd, b->data + b->len, xbuf_room(b));
}

/* Write at most max bytes of b to fd: the bytes written, or -1 with errno. */
static ssize_t xbuf_drain(int fd, struct xbuf *b, size_t max)
{
	size_t n = b->len - b->off;
	ssize_t w;

	w = write(fd, b->data + b->off, n < max ? n : max);
	if (w > 0) {
		b->off += w;
		if (b->off == b->len)
			b->off = b->len = 0;
	}
	return w;
}

static int again(void)
{
	return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK;
}

/* The socket's pending error (SO_ERROR), or 0. */
static int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

enum { P_IN, P_OUT, P_SOCK };

/*
 * Copy both ways until both directions have finished: our input reached
 * its end, all of it was sent and we half-closed; and the peer half-closed
 * and all it sent was written out.  0 or -1.
 *
 * No call blocks while another direction could progress (OpenBSD nc's
 * readwrite()): the socket is non-blocking, and each direction has one
 * fixed buffer, so poll() waits for standard input only while its buffer
 * has room, for the socket's POLLOUT only while that buffer holds data,
 * for the socket's POLLIN only while the other buffer has room and for
 * standard output's POLLOUT only while it holds data.  A peer that does
 * not read while it sends, or a slow reader of our output, stops one
 * direction for as long as it lasts, never the other.  Standard input and
 * output keep their blocking mode (it belongs to a file description other
 * processes may share): a read after POLLIN does not block, and a write to
 * a pipe after POLLOUT does not either when it is at most PIPE_BUF bytes.
 */
static int pump(int fd)
{
	static struct xbuf tx, rx;	/* stdin -> socket, socket -> stdout */
	struct pollfd p[3] = {
		[P_IN] = { .fd = 0, .events = POLLIN },
		[P_OUT] = { .fd = 1, .events = POLLOUT },
		[P_SOCK] = { .fd = fd },
	};
	int in_open = 1, sent_all = 0, sock_open = 1, fl;
	size_t out_max = SIZE_MAX;
	struct stat st;
	ssize_t n;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK)) {
		fprintf(stderr, "%s: non-blocking socket: %s\n", prog,
			strerror(errno));
		return -1;
	}
	if (!fstat(1, &st) && S_ISFIFO(st.st_mode))
		out_max = PIPE_BUF;
	tx.off = tx.len = rx.off = rx.len = 0;

	for (;;) {
		if (!in_open && !sent_all && !tx.len) {
			shutdown(fd, SHUT_WR);	/* the end of our input */
			sent_all = 1;
		}
		if (sent_all && !sock_open && !rx.len)
			return 0;
		p[P_IN].fd = in_open && xbuf_room(&tx) ? 0 : -1;
		p[P_OUT].fd = rx.len ? 1 : -1;
		p[P_SOCK].events = (sock_open && xbuf_room(&rx) ? POLLIN : 0) |
				   (tx.len ? POLLOUT : 0);
		/* Nothing to do with it: no POLLHUP to wake for either. */
		p[P_SOCK].fd = p[P_SOCK].events ? fd : -1;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", prog,
				strerror(errno));
			return -1;
		}

		if (p[P_SOCK].revents & POLLERR) {
			int err = sock_error(fd);

			if (err) {
				fprintf(stderr, "%s: connection: %s\n", prog,
					strerror(err));
				return -1;
			}
			/* Taken by now: the calls below see what is left. */
		}
		if (p[P_SOCK].revents & (POLLIN | POLLHUP | POLLERR) &&
		    p[P_SOCK].events & POLLIN) {
			n = xbuf_fill(fd, &rx);
			if (n > 0) {
				rx.len += n;
			} else if (n == 0) {
				sock_open = 0;	/* the peer finished */
			} else if (!again()) {
				fprintf(stderr, "%s: receive: %s\n", prog,
					strerror(errno));
				return -1;
			}
		}
		if (p[P_SOCK].revents & (POLLOUT | POLLHUP | POLLERR) &&
		    p[P_SOCK].events & POLLOUT) {
			if (xbuf_drain(fd, &tx, SIZE_MAX) < 0 && !again()) {
				fprintf(stderr, "%s: send: %s\n", prog,
					strerror(errno));
				return -1;
			}
		}
		if (p[P_IN].revents) {
			n = xbuf_fill(0, &tx);
			if (n > 0)
				tx.len += n;
			else if (n == 0 || !again())
				in_open = 0;	/* an error ends the input too */
		}
		if (p[P_OUT].revents) {
			if (xbuf_drain(1, &rx, out_max) < 0 && !again()) {
				fprintf(stderr, "%s: standard output: %s\n",
					prog, strerror(errno));
				return -1;
			}
		}
	}
}

static int no_ttp(const char *what)
{
	fprintf(stderr, "%s: %s: %s (is ttp.ko loaded?)\n", prog, what,
		strerror(errno));
	return EXIT_NOTTP;
}

static int run_client(const char *host, const char *port, int verbose)
{
	int fd, rc;

	fd = keyed_connect(host, port);
	if (fd < 0) {
		if (errno == EAFNOSUPPORT)
			return no_ttp("socket");
		fprintf(stderr, "%s: connect to %s port %s: %s\n", prog, host,
			port, addr_error(errno));
		return EXIT_CONN;
	}
	if (verbose)
		print_conn(fd);
	rc = pump(fd) ? EXIT_CONN : 0;
	close(fd);
	return rc;
}

static int run_server(const char *host, const char *port, int keep,
		      int verbose)
{
	int fd, rc = 0;

	fd = keyed_listen(host, port);
	if (fd < 0) {
		if (errno == EAFNOSUPPORT)
			return no_ttp("socket");
		fprintf(stderr, "%s: listen on %s port %s: %s\n", prog,
			host ? host : "*", port, addr_error(errno));
		return EXIT_CONN;
	}
	if (verbose) {
		struct sockaddr_ttp a;
		char s[TTP_ADDRSTRLEN];

		if (!ttp_local_addr(fd, &a) && ttp_addr_format(&a, s, sizeof(s)))
			fprintf(stderr, "%s: listening on %s\n", prog, s);
	}
	do {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: accept: %s\n", prog,
				strerror(errno));
			return EXIT_CONN;
		}
		if (verbose)
			print_conn(c);
		rc = pump(c) ? EXIT_CONN : 0;
		close(c);
	} while (keep);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", no_argument, NULL, 'l' },
		{ "keep-open", no_argument, NULL, 'k' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int listen_mode = 0, keep = 0, verbose = 0, opt;
	const char *host = NULL, *port;
	struct sockaddr_ttp a;
	char hostbuf[256];

	while ((opt = getopt_long(argc, argv, "lkvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			listen_mode = 1;
			break;
		case 'k':
			keep = 1;
			break;
		case 'K':
			key_file = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			return usage(0);
		case 'V':
			return cli_version(prog);
		default:
			return cli_try_help(prog);
		}
	}
	argc -= optind;
	argv += optind;
	if (keep && !listen_mode)
		return bad_args("-k needs -l", NULL);
	if (argc == 1 && !listen_mode) {
		/* HOST:PORT in one argument. */
		const char *colon = strrchr(argv[0], ':');

		if (!colon || colon == argv[0] ||
		    (size_t)(colon - argv[0]) >= sizeof(hostbuf))
			return bad_args("expected HOST PORT or HOST:PORT",
					argv[0]);
		memcpy(hostbuf, argv[0], colon - argv[0]);
		hostbuf[colon - argv[0]] = '\0';
		if (hostbuf[0] == '[' && colon[-1] == ']') {
			memmove(hostbuf, hostbuf + 1, strlen(hostbuf));
			hostbuf[strlen(hostbuf) - 1] = '\0';
		}
		host = hostbuf;
		port = colon + 1;
	} else if (argc == 2) {
		host = argv[0];
		port = argv[1];
	} else if (argc == 1 && listen_mode) {
		port = argv[0];
	} else if (argc == 0) {
		return bad_args(listen_mode ? "missing PORT" :
				"missing HOST and PORT", NULL);
	} else {
		return bad_args("too many arguments", argv[2]);
	}
	/* Check the address now, so that a typo is a usage error. */
	if (ttp_addr_resolve(NULL, port, &a))
		return bad_args(errno == ENOENT ? "unknown service" :
				"bad port (0..65535 or a service name)", port);
	if (listen_mode && ttp_addr_resolve(host, port, &a))
		return bad_args(errno == ENOENT ? "unknown host" :
				"bad address to listen on", host);
	if (!listen_mode && !strcmp(port, "0"))
		return bad_args("cannot connect to port 0", NULL);
	signal(SIGPIPE, SIG_IGN);
	if (listen_mode)
		return run_server(host, port, keep, verbose);
	return run_client(host, port, verbose);
}
