// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_churn: the load of the lifecycle tests (ttp_lifecycle.sh).
 *
 *   ttp_churn states -s NETNS -c NETNS -a ADDR [-n PER_STATE] [-k]
 *	Between a server and a client network namespace (names under
 *	/run/netns) joined by a link where the script set up "tc qdisc ... netem
 *	loss 100%" on the server's device, to be switched on and off here
 *	through the file named by -l, put PER_STATE sockets (default 60) in
 *	each TTP state: CLOSED (unbound and bound), LISTEN, SYN_SENT,
 *	SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE_WAIT,
 *	LAST_ACK, CLOSING.  Prints "ready N" (N sockets this process holds),
 *	then waits for a line on its standard input: "close" closes every
 *	socket and exits 0; end of input exits at once, leaving the sockets
 *	to the kernel (orphans).  The TIME_WAIT sockets have SO_LINGER of
 *	zero: however long net.ttp.time_wait_ms, closing them (or exiting)
 *	ends them.
 *
 *   ttp_churn cycles -n COUNT [-s BYTES]
 *	COUNT times, over loopback in the current namespace: connect to an
 *	echo server (a thread of this process), send BYTES (default 100),
 *	read them back, close.  Prints "cycles N in S s (R per second)".
 *
 * Exit status: 0 done, 1 a call failed (it says which), 2 bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "ttp_common.h"

#define SA(a)	((struct sockaddr *)(a))

static void die(const char *what)
{
	fprintf(stderr, "ttp_churn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ttp_churn states -s NETNS -c NETNS -a ADDR -l LOSSCMD [-n PER_STATE]\n"
		"       ttp_churn cycles -n COUNT [-s BYTES]\n");
	exit(2);
}

/* ---- states ---- */

static int ns_fd[2];	/* server, client */
static int *fds;
static int nfds, cap;
static int family;

static void keep(int fd)
{
	if (nfds == cap) {
		cap = cap ? 2 * cap : 1024;
		fds = realloc(fds, cap * sizeof(*fds));
		if (!fds)
			die("realloc");
	}
	fds[nfds++] = fd;
}

static void enter(int which)
{
	if (setns(ns_fd[which], CLONE_NEWNET))
		die("setns");
}

static struct sockaddr_ttp addr_of(const char *ip, unsigned short port)
{
	struct sockaddr_ttp a;

	memset(&a, 0, sizeof(a));
	a.sttp_family = family;
	a.sttp_ipfamily = AF_INET;
	a.sttp_port = htons(port);
	if (inet_pton(AF_INET, ip, &a.sttp_addr.v4) != 1) {
		fprintf(stderr, "ttp_churn: bad address %s\n", ip);
		exit(2);
	}
	return a;
}

static int new_socket(int flags)
{
	int fd = socket(family, SOCK_STREAM | flags, 0);

	if (fd < 0)
		die("socket");
	keep(fd);
	return fd;
}

/* A listener in the server namespace on @ip:@port, backlog @backlog. */
static int listener(const char *ip, unsigned short port, int backlog)
{
	struct sockaddr_ttp a = addr_of(ip, port);
	int fd;

	enter(0);
	fd = new_socket(0);
	if (bind(fd, SA(&a), sizeof(a)) || listen(fd, backlog))
		die("listener");
	return fd;
}

/* @n connections from the client namespace to @l: clients in @c, accepted in @s. */
static void pairs(int l, const char *ip, unsigned short port, int n, int *c,
		  int *s)
{
	struct sockaddr_ttp a = addr_of(ip, port);
	int i;

	enter(1);
	for (i = 0; i < n; i++) {
		c[i] = new_socket(0);
		if (connect(c[i], SA(&a), sizeof(a)))
			die("connect");
	}
	for (i = 0; i < n; i++) {
		s[i] = accept(l, NULL, NULL);
		if (s[i] < 0)
			die("accept");
		keep(s[i]);
	}
}

static void shut(const int *fd, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (shutdown(fd[i], SHUT_WR))
			die("shutdown");
}

/*
 * SO_LINGER of zero on @n sockets from @fd: closing them (or exiting)
 * aborts them at once.  For TIME_WAIT, which then lasts as long as the
 * script needs (it makes net.ttp.time_wait_ms long), and ends as soon as
 * the sockets are closed, however slow the machine.
 */
static void abort_on_close(const int *fd, int n)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	int i;

	for (i = 0; i < n; i++)
		if (setsockopt(fd[i], SOL_SOCKET, SO_LINGER, &l, sizeof(l)))
			die("SO_LINGER");
}

static void read_eof(const int *fd, int n)
{
	char buf[16];
	int i;

	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = fd[i], .events = POLLIN };

		if (poll(&p, 1, 60000) != 1 || recv(fd[i], buf, sizeof(buf), 0))
			die("waiting for the peer's FIN");
	}
}

/*
 * Until each of @n sockets from @fd is in @state: the segments that take it
 * there have landed.  60 s at most, for a hung run only (what is missing
 * then shows in the script's table of states).
 */
static void settle(const int *fd, int n, int state)
{
	long long end = ttp_now_ms() + 60000;
	int i;

	for (i = 0; i < n; i++)
		while (ttp_state(fd[i]) != state && ttp_now_ms() < end)
			usleep(5 * 1000);
}

/* Sockets in state @st (as /proc/net/ttp prints it) on local port @port. */
static int count_state(unsigned short port, unsigned int st)
{
	FILE *f = fopen("/proc/self/net/ttp", "r");
	char line[512], local[64];
	unsigned int lport, state;
	int n = 0;

	if (!f)
		die("/proc/self/net/ttp");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %63s %*s %x", local, &state) == 2 &&
		    strchr(local, ':') &&
		    sscanf(strchr(local, ':') + 1, "%x", &lport) == 1 &&
		    lport == port && state == st)
			n++;
	fclose(f);
	return n;
}

static void run(const char *cmd)
{
	if (system(cmd)) {
		fprintf(stderr, "ttp_churn: '%s' failed\n", cmd);
		exit(1);
	}
}

static int states(int argc, char **argv)
{
	const char *sns = NULL, *cns = NULL, *ip = NULL, *loss = NULL;
	int n = 60, opt, i, l, *c, *s;
	char path[256], line[64];

	while ((opt = getopt(argc, argv, "s:c:a:l:n:")) != -1) {
		switch (opt) {
		case 's': sns = optarg; break;
		case 'c': cns = optarg; break;
		case 'a': ip = optarg; break;
		case 'l': loss = optarg; break;
		case 'n': n = atoi(optarg); break;
		default: usage();
		}
	}
	if (!sns || !cns || !ip || !loss || n < 1)
		usage();
	/* 18 descriptors a state and more: past the usual limit of 1024. */
	{
		struct rlimit r = { 32 * n + 64, 32 * n + 64 };

		if (setrlimit(RLIMIT_NOFILE, &r))
			die("setrlimit");
	}
	family = ttp_family();
	snprintf(path, sizeof(path), "/run/netns/%s", sns);
	ns_fd[0] = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s", cns);
	ns_fd[1] = open(path, O_RDONLY);
	if (ns_fd[0] < 0 || ns_fd[1] < 0)
		die("open netns");
	c = calloc(8 * n, sizeof(int));
	s = calloc(8 * n, sizeof(int));
	if (!c || !s)
		die("calloc");

	/* CLOSED: unbound, and bound (these are in /proc/net/ttp). */
	enter(1);
	for (i = 0; i < n; i++)
		new_socket(0);
	for (i = 0; i < n; i++) {
		struct sockaddr_ttp a = addr_of("0.0.0.0", 0);

		if (bind(new_socket(0), SA(&a), sizeof(a)))
			die("bind");
	}
	/* LISTEN */
	for (i = 0; i < n; i++)
		listener(ip, 30000 + i, 4);

	/*
	 * Connections, each group of n for one pair of states.  Groups 0-2
	 * end their close with the link working: ESTABLISHED both ends;
	 * FIN_WAIT2 / CLOSE_WAIT; TIME_WAIT (the server closed all the way).
	 */
	l = listener(ip, 29000, 8 * n);
	pairs(l, ip, 29000, 7 * n, c, s);
	shut(c + n, n);
	shut(c + 2 * n, n);
	shut(s + 2 * n, n);
	read_eof(c + 2 * n, n);
	/* The last ACKs land: FIN_WAIT2 and TIME_WAIT are reached. */
	settle(c + n, n, TTP_FIN_WAIT2);
	settle(s + n, n, TTP_CLOSE_WAIT);
	settle(c + 2 * n, n, TTP_TIME_WAIT);
	abort_on_close(c + 2 * n, n);

	/*
	 * Then the server's segments are lost: FIN_WAIT1 / CLOSE_WAIT (the
	 * client's FIN arrives, its ACK does not); LAST_ACK (the server
	 * closes after it); CLOSING (the server's FIN is lost, the client's
	 * crosses it); SYN_SENT / SYN_RECV (the SYN+ACK is lost).
	 */
	run(loss);
	shut(c + 3 * n, n);
	shut(c + 4 * n, n);
	/* The client's FINs arrive (the server's ACKs do not come back). */
	settle(s + 3 * n, 2 * n, TTP_CLOSE_WAIT);
	shut(s + 4 * n, n);
	shut(s + 5 * n, n);
	/* The server's FIN leaves first: the client's crosses it. */
	settle(s + 5 * n, n, TTP_FIN_WAIT1);
	shut(c + 5 * n, n);
	listener(ip, 29001, 8 * n);
	enter(1);
	for (i = 0; i < n; i++) {
		struct sockaddr_ttp a = addr_of(ip, 29001);
		int fd = new_socket(SOCK_NONBLOCK);

		if (!connect(fd, SA(&a), sizeof(a)) || errno != EINPROGRESS)
			die("non-blocking connect");
	}
	/*
	 * The SYNs arrive: SYN_RECV there (its SYN+ACKs are lost).  Group 6
	 * stays ESTABLISHED, through the loss.
	 */
	enter(0);
	for (i = 0; i < 12000 && count_state(29001, TTP_SYN_RECV) < n; i++)
		usleep(5 * 1000);
	enter(1);

	printf("ready %d\n", nfds);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		_exit(0);	/* no close(): the kernel orphans them */
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	printf("closed %d\n", nfds);
	return 0;
}

/* ---- cycles ---- */

static int cyc_listener;
static size_t cyc_bytes = 100;

static void *echo_server(void *arg)
{
	char buf[65536];

	(void)arg;
	for (;;) {
		size_t got = 0;
		ssize_t r;
		int fd = accept(cyc_listener, NULL, NULL);

		if (fd < 0) {
			if (errno == EINVAL)	/* shut down: the end */
				return NULL;
			die("accept");
		}
		while (got < cyc_bytes) {
			r = recv(fd, buf + got, cyc_bytes - got, 0);
			if (r <= 0)
				die("server recv");
			got += r;
		}
		if (send(fd, buf, got, 0) != (ssize_t)got)
			die("server send");
		/* The server closes first: TIME_WAIT is on its side. */
		close(fd);
	}
}

static int cycles(int argc, char **argv)
{
	long count = 0, i;
	struct sockaddr_ttp a;
	socklen_t len = sizeof(a);
	char out[65536], in[65536];
	long long t0, ms;
	pthread_t t;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n': count = atol(optarg); break;
		case 's': cyc_bytes = atol(optarg); break;
		default: usage();
		}
	}
	if (count < 1 || cyc_bytes < 1 || cyc_bytes > sizeof(out))
		usage();
	family = ttp_family();
	a = addr_of("127.0.0.1", 0);
	cyc_listener = socket(family, SOCK_STREAM, 0);
	if (cyc_listener < 0 || bind(cyc_listener, SA(&a), sizeof(a)) ||
	    listen(cyc_listener, 128) ||
	    getsockname(cyc_listener, SA(&a), &len))
		die("listener");
	if (pthread_create(&t, NULL, echo_server, NULL))
		die("pthread_create");
	for (i = 0; i < (long)cyc_bytes; i++)
		out[i] = (char)(i * 7 + 1);

	t0 = ttp_now_ms();
	for (i = 0; i < count; i++) {
		size_t got = 0;
		ssize_t r;
		int fd = socket(family, SOCK_STREAM, 0);

		if (fd < 0 || connect(fd, SA(&a), sizeof(a)))
			die("connect");
		if (send(fd, out, cyc_bytes, 0) != (ssize_t)cyc_bytes)
			die("send");
		while (got < cyc_bytes) {
			r = recv(fd, in + got, cyc_bytes - got, 0);
			if (r <= 0)
				die("recv");
			got += r;
		}
		if (memcmp(in, out, cyc_bytes)) {
			fprintf(stderr, "ttp_churn: cycle %ld: data differs\n", i);
			return 1;
		}
		r = recv(fd, in, 1, 0);	/* the server's FIN */
		if (r != 0)
			die("waiting for the end of the stream");
		close(fd);
	}
	ms = ttp_now_ms() - t0;
	shutdown(cyc_listener, SHUT_RDWR);
	pthread_join(t, NULL);
	close(cyc_listener);
	printf("cycles %ld in %.1f s (%.0f per second)\n", count, ms / 1000.0,
	       count * 1000.0 / (ms ? ms : 1));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "states"))
		return states(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cycles"))
		return cycles(argc - 1, argv + 1);
	usage();
	return 2;
}
