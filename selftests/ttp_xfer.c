// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_xfer: the data mover of the TTP selftests.
 *
 *   ttp_xfer server [-b ADDR] -p PORT [-c CONNS] [-t SECS]
 *	An echo server: accepts connections and sends every byte back;
 *	exits 0 after CONNS connections ended cleanly (0: never).
 *   ttp_xfer client -a ADDR -p PORT [-n CONNS] [-s BYTES] [-S SEED] [-t SECS]
 *	Opens CONNS connections at once; each sends BYTES of a pattern
 *	unique to it, half-closes, and checks that the echo is the same
 *	bytes in the same order.  Exits 0 if every connection verified.
 *
 * One process, non-blocking sockets and epoll, so hundreds of connections
 * cost nothing.  Exit status: 0 all good, 1 data or protocol error, 2 bad
 * arguments, 3 connect failed (the errno is printed).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "ttp_common.h"

#define PATTERN_LEN	65536
#define CHUNK		65536

static unsigned char pattern[PATTERN_LEN];

static void pattern_init(unsigned int seed)
{
	uint64_t x = seed * 2654435761ULL + 88172645463325252ULL;
	int i;

	for (i = 0; i < PATTERN_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pattern[i] = x;
	}
}

/* Byte @i of connection @c: shifted per connection and per 64 KiB block. */
static unsigned char pattern_at(unsigned int c, uint64_t i)
{
	return pattern[(i + c * 7919ULL) % PATTERN_LEN] ^ (unsigned char)(i / PATTERN_LEN);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ttp_xfer server [-b ADDR] -p PORT [-c CONNS] [-t SECS]\n"
		"       ttp_xfer client -a ADDR -p PORT [-n CONNS] [-s BYTES] [-S SEED] [-t SECS]\n");
	return 2;
}

/* ---- server ---- */

struct sconn {
	int fd;
	unsigned char buf[CHUNK];
	size_t len, off;	/* bytes waiting to be echoed */
	int eof;
};

static int server(const char *addr, int port, int conns, int secs)
{
	int l = ttp_listen_on(addr, port, 65535), ep, done = 0, failed = 0;
	struct epoll_event ev, evs[64];
	double deadline = now() + secs;

	if (l < 0) {
		fprintf(stderr, "ttp_xfer: listen on %s:%d: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	set_nonblock(l);
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	printf("listening %s:%d\n", addr, ttp_local_port(l));
	fflush(stdout);

	while (!conns || done < conns) {
		int n, i;

		if (now() > deadline) {
			fprintf(stderr, "ttp_xfer: server timed out (%d of %d done)\n",
				done, conns);
			return 1;
		}
		n = epoll_wait(ep, evs, 64, 1000);
		for (i = 0; i < n; i++) {
			struct sconn *c = evs[i].data.ptr;
			ssize_t r;

			if (!c) {
				int fd;

				while ((fd = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					c = calloc(1, sizeof(*c));
					c->fd = fd;
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			/* Echo what is pending, then read more. */
			while (c->off < c->len) {
				r = write(c->fd, c->buf + c->off, c->len - c->off);
				if (r < 0)
					break;
				c->off += r;
			}
			if (c->off < c->len) {
				if (errno != EAGAIN) {
					fprintf(stderr, "ttp_xfer: server write: %s\n",
						strerror(errno));
					goto bad;
				}
				ev.events = EPOLLOUT;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				continue;
			}
			c->len = c->off = 0;
			if (!c->eof) {
				r = read(c->fd, c->buf, sizeof(c->buf));
				if (r > 0) {
					c->len = r;
					ev.events = EPOLLOUT;
				} else if (r == 0) {
					c->eof = 1;
				} else if (errno == EAGAIN) {
					ev.events = EPOLLIN;
				} else {
					fprintf(stderr, "ttp_xfer: server read: %s\n",
						strerror(errno));
					goto bad;
				}
				if (!c->eof) {
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
					continue;
				}
			}
			/* The client finished and has its echo: we finish. */
			shutdown(c->fd, SHUT_WR);
			close(c->fd);
			free(c);
			done++;
			continue;
bad:
			close(c->fd);
			free(c);
			done++;
			failed++;
		}
	}
	close(l);
	printf("server: %d connections, %d failed\n", done, failed);
	return failed ? 1 : 0;
}

/* ---- client ---- */

struct cconn {
	int fd, idx;
	uint64_t sent, rcvd;
	int connected, wr_done, ok;
};

static int client(const char *addr, int port, int conns, uint64_t bytes,
		  int secs)
{
	struct cconn *cs = calloc(conns, sizeof(*cs));
	struct sockaddr_ttp a = ttp_addr(addr, port);
	struct epoll_event ev, evs[64];
	double start = now(), deadline = start + secs;
	int ep = epoll_create1(0), left = conns, bad = 0, i;
	unsigned char *buf = malloc(CHUNK);

	for (i = 0; i < conns; i++) {
		struct cconn *c = &cs[i];

		c->idx = i;
		c->fd = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (c->fd < 0) {
			perror("ttp_xfer: socket");
			return 1;
		}
		if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) &&
		    errno != EINPROGRESS) {
			fprintf(stderr, "ttp_xfer: connect %s:%d: %s\n", addr,
				port, strerror(errno));
			return 3;
		}
		ev.events = EPOLLIN | EPOLLOUT;
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	}

	while (left) {
		int n;

		if (now() > deadline) {
			fprintf(stderr, "ttp_xfer: timed out, %d connections unfinished\n",
				left);
			return 1;
		}
		n = epoll_wait(ep, evs, 64, 1000);
		for (i = 0; i < n; i++) {
			struct cconn *c = evs[i].data.ptr;
			uint64_t k;
			ssize_t r;

			if (!c->connected) {
				int err = 0;
				socklen_t len = sizeof(err);

				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err) {
					fprintf(stderr, "ttp_xfer: connect %s:%d: %s\n",
						addr, port, strerror(err));
					return 3;
				}
				c->connected = 1;
			}
			while (!c->wr_done) {
				size_t chunk = bytes - c->sent < CHUNK ?
					       bytes - c->sent : CHUNK;

				if (!chunk) {
					shutdown(c->fd, SHUT_WR);
					c->wr_done = 1;
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
					break;
				}
				for (k = 0; k < chunk; k++)
					buf[k] = pattern_at(c->idx, c->sent + k);
				r = write(c->fd, buf, chunk);
				if (r < 0) {
					if (errno == EAGAIN)
						break;
					fprintf(stderr, "ttp_xfer: conn %d write: %s\n",
						c->idx, strerror(errno));
					return 1;
				}
				c->sent += r;
			}
			for (;;) {
				r = read(c->fd, buf, CHUNK);
				if (r < 0) {
					if (errno == EAGAIN)
						break;
					fprintf(stderr, "ttp_xfer: conn %d read: %s\n",
						c->idx, strerror(errno));
					return 1;
				}
				if (r == 0) {
					if (c->rcvd != bytes) {
						fprintf(stderr,
							"ttp_xfer: conn %d: echo ended at %llu of %llu bytes\n",
							c->idx,
							(unsigned long long)c->rcvd,
							(unsigned long long)bytes);
						bad++;
					}
					epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					close(c->fd);
					left--;
					break;
				}
				for (k = 0; k < (uint64_t)r; k++) {
					if (buf[k] != pattern_at(c->idx, c->rcvd + k)) {
						fprintf(stderr,
							"ttp_xfer: conn %d: byte %llu differs\n",
							c->idx,
							(unsigned long long)(c->rcvd + k));
						return 1;
					}
				}
				c->rcvd += r;
			}
		}
	}
	printf("client: %d connections x %llu bytes echoed and verified in %.2f s\n",
	       conns, (unsigned long long)bytes, now() - start);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *addr = "0.0.0.0";
	int port = -1, conns = 1, secs = 120, opt, srv;
	unsigned int seed = 1;
	uint64_t bytes = 65536;
	char *end;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "server"))
		srv = 1;
	else if (!strcmp(argv[1], "client"))
		srv = 0;
	else
		return usage();
	if (srv)
		conns = 0;
	argv++;
	argc--;
	while ((opt = getopt(argc, argv, "a:b:p:c:n:s:S:t:")) != -1) {
		switch (opt) {
		case 'a':
		case 'b':
			addr = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port < 0 || port > 65535)
				return usage();
			break;
		case 'c':
		case 'n':
			conns = strtol(optarg, &end, 10);
			if (*end || conns < 0)
				return usage();
			break;
		case 's':
			bytes = strtoull(optarg, &end, 10);
			if (*end)
				return usage();
			break;
		case 'S':
			seed = strtoul(optarg, &end, 10);
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*end || secs <= 0)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (port < 0 || (!srv && conns < 1))
		return usage();
	signal(SIGPIPE, SIG_IGN);
	/* Thousands of connections need as many descriptors. */
	{
		struct rlimit r = { 65536, 65536 };

		if (setrlimit(RLIMIT_NOFILE, &r))
			perror("ttp_xfer: setrlimit");
	}
	pattern_init(seed);
	return srv ? server(addr, port, conns, secs) :
		     client(addr, port, conns, bytes, secs);
}
