// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_xfer: the data mover of the TTP selftests.
 *
 *   ttp_xfer server [-b ADDR] -p PORT [-c CONNS] [-t SECS]
 *	An echo server: accepts connections and sends every byte back;
 *	exits 0 after CONNS connections ended cleanly (0: never).
 *   ttp_xfer client -a ADDR [-b ADDR[,ADDR...]] -p PORT [-n CONNS]
 *		    [-s BYTES] [-S SEED] [-t SECS]
 *	Opens CONNS connections at once, from the local addresses of -b in
 *	turn if it is given; each sends BYTES of a pattern unique to it,
 *	half-closes, and checks that the echo is the same bytes in the
 *	same order.  Exits 0 if every connection verified.
 *
 * One process, non-blocking sockets and epoll, so hundreds of connections
 * cost nothing.  Exit status: 0 all good, 1 data or protocol error, 2 bad
 * arguments, 3 connect failed (the errno is printed), 4 a lost wakeup.
 *
 * A lost wakeup is a socket that poll() finds ready but that epoll (level
 * triggered) does not report through two whole idle seconds: the socket
 * changed state without waking its wait queue.  Both modes check for it
 * whenever epoll_wait() returns nothing, so such a bug fails the test at
 * once instead of hanging it until its time limit.
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

/*
 * One idle second's check of a socket epoll has not reported: poll() it
 * for the events it is registered for.  @stale counts consecutive idle
 * seconds it was ready; returns 1 at the second (a wakeup still on its way
 * when the first poll ran has arrived by then).
 */
static int lost_wakeup(int fd, short events, int *stale)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, 0) != 1) {
		*stale = 0;
		return 0;
	}
	return ++*stale >= 2;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ttp_xfer server [-b ADDR] -p PORT [-c CONNS] [-t SECS]\n"
		"       ttp_xfer client -a ADDR [-b ADDR[,ADDR...]] -p PORT [-n CONNS] [-s BYTES] [-S SEED] [-t SECS]\n");
	return 2;
}

/* ---- server ---- */

struct sconn {
	int fd;
	/* Bytes waiting to be echoed: a buffer only while there are some,
	 * so that 100,000 open connections do not need 6 GiB.
	 */
	unsigned char *buf;
	size_t len, off;
	int eof;
	unsigned int events;	/* what epoll waits for on it */
	int stale;		/* idle seconds poll() found it ready */
	struct sconn *prev, *next;	/* the open connections */
};

static struct sconn *sconns;

static void sconn_unlink(struct sconn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		sconns = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* Set what epoll waits for on @c. */
static void sconn_wait(int ep, struct sconn *c, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	c->events = events;
	c->stale = 0;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* After an idle second: 1 if the listener or a connection lost a wakeup. */
static int server_lost_wakeup(int l, int *lstale)
{
	struct sconn *c;

	if (lost_wakeup(l, POLLIN, lstale)) {
		fprintf(stderr, "ttp_xfer: lost wakeup: the listener has a connection to accept, epoll did not say so\n");
		return 1;
	}
	for (c = sconns; c; c = c->next) {
		if (lost_wakeup(c->fd, c->events, &c->stale)) {
			fprintf(stderr, "ttp_xfer: lost wakeup: a server connection is ready (events %#x), epoll did not say so\n",
				c->events);
			return 1;
		}
	}
	return 0;
}

static int server(const char *addr, int port, int conns, int secs)
{
	int l = ttp_listen_on(addr, port, 65535), ep, done = 0, failed = 0;
	int lstale = 0;
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
		if (!n && server_lost_wakeup(l, &lstale))
			return 4;
		for (i = 0; i < n; i++) {
			struct sconn *c = evs[i].data.ptr;
			ssize_t r;

			if (!c) {
				int fd;

				lstale = 0;
				while ((fd = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					c = calloc(1, sizeof(*c));
					c->fd = fd;
					c->events = EPOLLIN;
					c->next = sconns;
					if (sconns)
						sconns->prev = c;
					sconns = c;
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			c->stale = 0;
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
				sconn_wait(ep, c, EPOLLOUT);
				continue;
			}
			c->len = c->off = 0;
			if (!c->eof) {
				unsigned int want = EPOLLIN;
				int err;

				if (!c->buf)
					c->buf = malloc(CHUNK);
				if (!c->buf) {
					fprintf(stderr, "ttp_xfer: server: out of memory\n");
					goto bad;
				}
				r = read(c->fd, c->buf, CHUNK);
				err = errno;
				if (r <= 0) {
					free(c->buf);
					c->buf = NULL;
				}
				if (r > 0) {
					c->len = r;
					want = EPOLLOUT;
				} else if (r == 0) {
					c->eof = 1;
				} else if (err != EAGAIN) {
					fprintf(stderr, "ttp_xfer: server read: %s\n",
						strerror(err));
					goto bad;
				}
				if (!c->eof) {
					sconn_wait(ep, c, want);
					continue;
				}
			}
			/* The client finished and has its echo: we finish. */
			shutdown(c->fd, SHUT_WR);
			close(c->fd);
			sconn_unlink(c);
			free(c->buf);
			free(c);
			done++;
			continue;
bad:
			close(c->fd);
			sconn_unlink(c);
			free(c->buf);
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
	int connected, wr_done, closed;
	int stale;		/* idle seconds poll() found it ready */
};

static const char *cconn_phase(const struct cconn *c)
{
	if (!c->connected)
		return "connecting";
	return c->wr_done ? "reading the echo" : "writing";
}

/*
 * After an idle second: 1 if a connection lost a wakeup.  @unfinished
 * lists the connections still open (the first ten), for a timeout.
 */
static int client_check(struct cconn *cs, int conns, int unfinished)
{
	int i, shown = 0;

	for (i = 0; i < conns; i++) {
		struct cconn *c = &cs[i];

		if (c->closed)
			continue;
		if (unfinished) {
			if (shown++ < 10)
				fprintf(stderr, "ttp_xfer: conn %d %s: %llu bytes sent, %llu echoed\n",
					c->idx, cconn_phase(c),
					(unsigned long long)c->sent,
					(unsigned long long)c->rcvd);
			continue;
		}
		if (lost_wakeup(c->fd, c->wr_done ? POLLIN : POLLIN | POLLOUT,
				&c->stale)) {
			fprintf(stderr, "ttp_xfer: lost wakeup: conn %d %s is ready, epoll did not say so\n",
				c->idx, cconn_phase(c));
			return 1;
		}
	}
	return 0;
}

/*
 * The local addresses of -b, comma-separated, into @la (at most @max);
 * returns how many, or -1 for one that is not an address.
 */
static int local_addrs(char *list, struct sockaddr_ttp *la, int max)
{
	char *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(list, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save)) {
		struct in_addr in;

		if (inet_pton(AF_INET, tok, &in) != 1)
			return -1;
		la[n++] = ttp_addr(tok, 0);
	}
	return n;
}

/*
 * Connection i is bound to local address i % nla first (if there are
 * any): each address has its own ephemeral ports, so that more
 * connections than one address has ports can be open at once.
 */
static int client(const char *addr, const struct sockaddr_ttp *la, int nla,
		  int port, int conns, uint64_t bytes, int secs)
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
		if (nla && bind(c->fd, (const struct sockaddr *)&la[i % nla],
				sizeof(la[0]))) {
			perror("ttp_xfer: bind");
			return 3;
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
			client_check(cs, conns, 1);
			return 1;
		}
		n = epoll_wait(ep, evs, 64, 1000);
		if (!n && client_check(cs, conns, 0))
			return 4;
		for (i = 0; i < n; i++) {
			struct cconn *c = evs[i].data.ptr;
			uint64_t k;
			ssize_t r;

			c->stale = 0;
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
					c->closed = 1;
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
	char *local = NULL;
	struct sockaddr_ttp la[16];
	int port = -1, conns = 1, secs = 120, opt, srv, nla = 0;
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
			addr = optarg;
			break;
		case 'b':	/* the server's address, the client's own */
			if (srv)
				addr = optarg;
			else
				local = optarg;
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
	if (local) {
		nla = local_addrs(local, la, sizeof(la) / sizeof(la[0]));
		if (nla <= 0)
			return usage();
	}
	/* Thousands of connections need as many descriptors. */
	{
		rlim_t n = conns + 64 > 65536 ? conns + 64 : 65536;
		struct rlimit r = { n, n };

		if (setrlimit(RLIMIT_NOFILE, &r))
			perror("ttp_xfer: setrlimit");
	}
	pattern_init(seed);
	return srv ? server(addr, port, conns, secs) :
		     client(addr, la, nla, port, conns, bytes, secs);
}
