// SPDX-License-Identifier: GPL-2.0-only
/*
 * The socket API of TTP connections, call by call: bind, connect, listen
 * and accept, the data calls, poll and epoll, the names of both ends, and
 * TTP_INFO with the connection states a program can see.
 *
 * Every test runs in a network namespace of its own (ttp_private_netns()),
 * over its loopback: ports never collide between tests, and the net.ttp.*
 * settings a test changes (short TIME_WAIT, a short initial RTO) vanish
 * with the namespace, so nothing has to be restored and no connection is
 * left behind to keep the module loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ttp_common.h"
#include "ttp_harness.h"

/* A routed address nobody answers: the dummy device drops what it sends. */
#define SILENT_DEV	"ttpsilent0"
#define SILENT_NET	"10.99.99.1/24"
#define SILENT_PEER	"10.99.99.2"

/* net.ttp.ephemeral_port_range */
static void ephemeral_range(struct __test_metadata *_metadata, int *lo,
			    int *hi)
{
	char buf[64];

	ASSERT_EQ(0, ttp_sysctl_read("ephemeral_port_range", buf, sizeof(buf)));
	ASSERT_EQ(2, sscanf(buf, "%d %d", lo, hi));
	ASSERT_LE(*lo, *hi);
}

/* ---- helpers ---- */

static struct sockaddr_ttp name_of(int fd, bool peer)
{
	struct sockaddr_ttp a;
	socklen_t len = sizeof(a);

	memset(&a, 0xff, sizeof(a));
	if ((peer ? getpeername : getsockname)(fd, SA(&a), &len) ||
	    len != sizeof(a))
		memset(&a, 0xff, sizeof(a));
	return a;
}

static bool same_endpoint(const struct sockaddr_ttp *a,
			  const struct sockaddr_ttp *b)
{
	return a->sttp_family == b->sttp_family &&
	       a->sttp_ipfamily == b->sttp_ipfamily &&
	       a->sttp_port == b->sttp_port &&
	       a->sttp_addr.v4 == b->sttp_addr.v4;
}

static int unread(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n))
		return -1;
	return n;
}

static int unacked(int fd)
{
	int n = -1;

	if (ioctl(fd, TIOCOUTQ, &n))
		return -1;
	return n;
}

/* Read exactly @len bytes, waiting up to @timeout_ms in all. */
static ssize_t read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	long long end = ttp_now_ms() + timeout_ms;
	size_t got = 0;

	while (got < len) {
		long long left = end - ttp_now_ms();
		ssize_t n;

		if (left < 0 || !(poll_one(fd, POLLIN, left) & POLLIN))
			break;
		n = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

static void fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + seed + (i >> 8));
}

/*
 * Child @pid sends @len bytes on its copy of a connection; read them from
 * @fd within @timeout_ms, then reap the child (killed if the bytes did not
 * all come) and check that it succeeded.  On failure, log the counters that
 * tell a dropped segment from a stalled sender.
 */
static void receive_from_child(struct __test_metadata *_metadata, int fd,
			       void *buf, size_t len, pid_t pid,
			       int timeout_ms)
{
	ssize_t got = read_full(fd, buf, len, timeout_ms);
	int status;

	if (got != (ssize_t)len)
		kill(pid, SIGKILL);
	EXPECT_EQ((ssize_t)len, got)
		TH_LOG("in %d ms; TtpRcvQDrops %ld TtpInOfoDrops %ld "
		       "TtpRetransSegs %ld TtpTimeouts %ld", timeout_ms,
		       ttp_stat("TtpRcvQDrops"), ttp_stat("TtpInOfoDrops"),
		       ttp_stat("TtpRetransSegs"), ttp_stat("TtpTimeouts"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (got == (ssize_t)len)
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("the sending child failed");
}

/*
 * Close with a RST (SO_LINGER {1, 0}): after a transfer that failed, no
 * orphan retransmitting what is left outlives the test and keeps ttp.ko
 * loaded.
 */
static void abort_close(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/*
 * A connection over loopback: *@l listens on 127.0.0.1 (ephemeral port),
 * *@c connected to it, *@a the socket accept() returned.
 */
/* ---- bind ---- */

TEST(bind_to_loopback_is_reported_by_getsockname)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5001), got;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a))) TH_LOG("%s", strerror(errno));
	got = name_of(fd, false);
	EXPECT_EQ(ttp_family(), got.sttp_family);
	EXPECT_EQ(AF_INET, got.sttp_ipfamily);
	EXPECT_EQ(htons(5001), got.sttp_port);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), got.sttp_addr.v4);
	EXPECT_EQ(0, got.sttp_reserved1);
	EXPECT_EQ(0u, got.sttp_reserved2);
	EXPECT_EQ(0u, got.sttp_scope_id);
	close(fd);
}

TEST(bind_to_any_address_accepts_connections_to_loopback)
{
	struct sockaddr_ttp a = ttp_addr("0.0.0.0", 5002), got;
	int l, c, s;

	setup_netns(_metadata);
	l = ttp_socket();
	ASSERT_LE(0, l);
	ASSERT_EQ(0, bind(l, SA(&a), sizeof(a))) TH_LOG("%s", strerror(errno));
	got = name_of(l, false);
	EXPECT_EQ(htonl(INADDR_ANY), got.sttp_addr.v4);
	EXPECT_EQ(htons(5002), got.sttp_port);
	ASSERT_EQ(0, listen(l, 4));
	c = ttp_connect_to("127.0.0.1", 5002);
	ASSERT_LE(0, c) TH_LOG("connect: %s", strerror(errno));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	/* The accepted connection has the address the client used. */
	got = name_of(s, false);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), got.sttp_addr.v4);
	EXPECT_EQ(htons(5002), got.sttp_port);
	close(s);
	close(c);
	close(l);
}

TEST(bind_port_zero_picks_distinct_ports_in_ephemeral_range)
{
	enum { N = 20 };
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);
	int fds[N], ports[N], i, j, lo, hi;

	setup_netns(_metadata);
	ephemeral_range(_metadata, &lo, &hi);
	for (i = 0; i < N; i++) {
		fds[i] = ttp_socket();
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, bind(fds[i], SA(&a), sizeof(a)))
			TH_LOG("%s", strerror(errno));
		ports[i] = ttp_local_port(fds[i]);
		EXPECT_LE(lo, ports[i]);
		EXPECT_GE(hi, ports[i]);
		for (j = 0; j < i; j++)
			EXPECT_NE(ports[j], ports[i]);
	}
	for (i = 0; i < N; i++)
		close(fds[i]);
}

TEST(bind_port_zero_follows_range_and_fails_when_exhausted)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);
	int fd[3], p0, p1, i;

	setup_netns(_metadata);
	ASSERT_EQ(0, ttp_sysctl_write("ephemeral_port_range", "40000 40001"));
	for (i = 0; i < 3; i++) {
		fd[i] = ttp_socket();
		ASSERT_LE(0, fd[i]);
	}
	ASSERT_EQ(0, bind(fd[0], SA(&a), sizeof(a)));
	ASSERT_EQ(0, bind(fd[1], SA(&a), sizeof(a)));
	p0 = ttp_local_port(fd[0]);
	p1 = ttp_local_port(fd[1]);
	EXPECT_TRUE((p0 == 40000 && p1 == 40001) || (p0 == 40001 && p1 == 40000))
		TH_LOG("ports %d and %d", p0, p1);
	EXPECT_ERRNO(EADDRNOTAVAIL, bind(fd[2], SA(&a), sizeof(a)));
	/* A port given back can be picked again. */
	close(fd[0]);
	EXPECT_EQ(0, bind(fd[2], SA(&a), sizeof(a))) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(p0, ttp_local_port(fd[2]));
	close(fd[1]);
	close(fd[2]);
}

TEST(bind_to_port_in_use_gets_eaddrinuse_until_it_is_closed)
{
	struct sockaddr_ttp lo = ttp_addr("127.0.0.1", 5003);
	struct sockaddr_ttp any = ttp_addr("0.0.0.0", 5003);
	int a, b;

	setup_netns(_metadata);
	a = ttp_socket();
	b = ttp_socket();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, bind(a, SA(&lo), sizeof(lo)));
	EXPECT_ERRNO(EADDRINUSE, bind(b, SA(&lo), sizeof(lo)));
	/* The wildcard address overlaps 127.0.0.1. */
	EXPECT_ERRNO(EADDRINUSE, bind(b, SA(&any), sizeof(any)));
	close(a);
	EXPECT_EQ(0, bind(b, SA(&lo), sizeof(lo))) TH_LOG("%s", strerror(errno));
	close(b);
}

TEST(reuseaddr_shares_a_port_between_non_listeners_only)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5004);
	int s1, s2, s3;
	int plain;

	setup_netns(_metadata);
	s1 = ttp_socket();
	s2 = ttp_socket();
	s3 = ttp_socket();
	plain = ttp_socket();
	ASSERT_LE(0, s1);
	ASSERT_LE(0, s2);
	ASSERT_LE(0, s3);
	ASSERT_LE(0, plain);
	ASSERT_EQ(0, set_int(s1, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, set_int(s3, SOL_SOCKET, SO_REUSEADDR, 1));

	ASSERT_EQ(0, bind(s1, SA(&a), sizeof(a)));
	EXPECT_EQ(0, bind(s2, SA(&a), sizeof(a)))
		TH_LOG("second SO_REUSEADDR bind: %s", strerror(errno));
	/* Both sockets must have asked for sharing. */
	EXPECT_ERRNO(EADDRINUSE, bind(plain, SA(&a), sizeof(a)));

	EXPECT_EQ(0, listen(s1, 4)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(TTP_LISTEN, ttp_state(s1));
	EXPECT_ERRNO(EADDRINUSE, listen(s2, 4));
	EXPECT_NE(TTP_LISTEN, ttp_state(s2));
	/* Nor does a new socket join a port that has a listener. */
	EXPECT_ERRNO(EADDRINUSE, bind(s3, SA(&a), sizeof(a)));
	close(s1);
	close(s2);
	close(s3);
	close(plain);
}

TEST(bind_twice_gets_einval)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5005);
	struct sockaddr_ttp b = ttp_addr("127.0.0.1", 5006);
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&b), sizeof(b)));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), sizeof(a)));
	EXPECT_EQ(5005, ttp_local_port(fd));
	close(fd);
}

TEST(bind_with_other_family_gets_eafnosupport)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5007);
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	a.sttp_family = AF_INET;
	EXPECT_ERRNO(EAFNOSUPPORT, bind(fd, SA(&a), sizeof(a)));
	a.sttp_family = AF_UNSPEC;
	EXPECT_ERRNO(EAFNOSUPPORT, bind(fd, SA(&a), sizeof(a)));
	/* Nothing was bound: the right family still works. */
	a.sttp_family = ttp_family();
	EXPECT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	close(fd);
}

TEST(bind_with_short_addrlen_gets_einval)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5008);
	static const int lens[] = {
		0, sizeof(sa_family_t), 8, sizeof(struct sockaddr_ttp) - 1,
	};
	unsigned int i;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		int ret = bind(fd, SA(&a), lens[i]), err = errno;

		EXPECT_EQ(-1, ret) TH_LOG("addrlen %d accepted", lens[i]);
		EXPECT_EQ(EINVAL, err) TH_LOG("addrlen %d: %s", lens[i],
					      strerror(err));
	}
	EXPECT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	close(fd);
}

TEST(bind_with_nonzero_reserved_fields_gets_einval)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5009);
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	a.sttp_reserved1 = 1;
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), sizeof(a)));
	a.sttp_reserved1 = 0;
	a.sttp_reserved2 = 0x80000000u;
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), sizeof(a)));
	a.sttp_reserved2 = 0;
	EXPECT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	close(fd);
}

TEST(bind_to_non_local_address_gets_eaddrnotavail)
{
	struct sockaddr_ttp a = ttp_addr("192.0.2.1", 5010);
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EADDRNOTAVAIL, bind(fd, SA(&a), sizeof(a)));
	close(fd);
}

/* In a child that became uid 65534 (nobody) and so lost every capability. */
static int bind_as_nobody(void)
{
	struct sockaddr_ttp low = ttp_addr("127.0.0.1", 80);
	struct sockaddr_ttp high = ttp_addr("127.0.0.1", 5011);
	int fd;

	if (setgid(65534) || setuid(65534))
		return 10;
	fd = ttp_socket();
	if (fd < 0)
		return 11;
	if (bind(fd, SA(&low), sizeof(low)) != -1)
		return 12;	/* a port below 1024 was granted */
	if (errno != EACCES)
		return 13;
	if (bind(fd, SA(&high), sizeof(high)))
		return 14;	/* even an ordinary port was refused */
	return 0;
}

TEST(bind_below_1024_without_cap_net_bind_service_gets_eacces)
{
	struct sockaddr_ttp low = ttp_addr("127.0.0.1", 80);
	int status, fd;
	pid_t pid;

	setup_netns(_metadata);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(bind_as_nobody());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10-11: setup failed, 12: port 80 granted to nobody, "
		       "13: other errno than EACCES, 14: port 5011 refused");
	/* With the capability (root), the same port is fine. */
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, bind(fd, SA(&low), sizeof(low))) TH_LOG("%s", strerror(errno));
	close(fd);
}

/* ---- SO_REUSEPORT ---- */

/*
 * Does setsockopt(SOL_SOCKET, SO_REUSEPORT) reach TTP?  From 6.7 on (6.12)
 * the socket layer hands SOL_SOCKET to TTP; 6.1's refuses SO_REUSEPORT to
 * every family but AF_INET and AF_INET6, and TTP_REUSEPORT stands in.
 */
static bool sol_socket_reuseport_reaches_ttp(void)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return true;
	return major > 6 || (major == 6 && minor >= 7);
}

static int set_reuseport(int fd)
{
	if (sol_socket_reuseport_reaches_ttp())
		return set_int(fd, SOL_SOCKET, SO_REUSEPORT, 1);
	return set_int(fd, SOL_TTP, TTP_REUSEPORT, 1);
}

/* A member of the SO_REUSEPORT group of 127.0.0.1:@port, or -1. */
static int reuseport_listener(unsigned short port)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", port);
	int fd = ttp_socket();

	if (fd < 0)
		return -1;
	if (set_reuseport(fd) || bind(fd, SA(&a), sizeof(a)) ||
	    listen(fd, 128)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

TEST(so_reuseport_is_set_at_sol_socket_and_as_ttp_reuseport)
{
	int a, b;

	setup_netns(_metadata);
	a = ttp_socket();
	b = ttp_socket();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	EXPECT_EQ(0, get_int(a, SOL_SOCKET, SO_REUSEPORT));
	EXPECT_EQ(0, get_int(a, SOL_TTP, TTP_REUSEPORT));
	ASSERT_EQ(0, set_int(a, SOL_TTP, TTP_REUSEPORT, 1));
	EXPECT_EQ(1, get_int(a, SOL_SOCKET, SO_REUSEPORT));
	EXPECT_EQ(1, get_int(a, SOL_TTP, TTP_REUSEPORT));
	ASSERT_EQ(0, set_int(a, SOL_TTP, TTP_REUSEPORT, 0));
	EXPECT_EQ(0, get_int(a, SOL_SOCKET, SO_REUSEPORT));
	if (sol_socket_reuseport_reaches_ttp()) {
		EXPECT_EQ(0, set_int(b, SOL_SOCKET, SO_REUSEPORT, 1))
			TH_LOG("%s", strerror(errno));
		EXPECT_EQ(1, get_int(b, SOL_TTP, TTP_REUSEPORT));
		/* The socket layer still has every other SOL_SOCKET option. */
		EXPECT_EQ(0, set_int(b, SOL_SOCKET, SO_KEEPALIVE, 1));
		EXPECT_EQ(1, get_int(b, SOL_SOCKET, SO_KEEPALIVE));
	} else {
		EXPECT_ERRNO(EOPNOTSUPP, set_int(b, SOL_SOCKET, SO_REUSEPORT, 1));
	}
	close(a);
	close(b);
}

/* Accept on @l until it stops listening; echo 8 bytes on each. */
static int reuseport_serve(int l, int idx, int report)
{
	unsigned int rec[2] = { idx, 0 };
	char buf[8];
	int a;

	while ((a = accept(l, NULL, NULL)) >= 0) {
		if (read_full(a, buf, sizeof(buf), 10000) != sizeof(buf) ||
		    write(a, buf, sizeof(buf)) != sizeof(buf))
			return 2;
		close(a);
		rec[1]++;
	}
	/* EINVAL once the parent shut the listener down. */
	if (errno != EINVAL)
		return 3;
	return write(report, rec, sizeof(rec)) == sizeof(rec) ? 0 : 4;
}

/*
 * Four processes, each accepting on its own listener of one group, and
 * 1,000 connections (250 on the debug lane): each listener gets a share
 * (the 4-tuple's hash picks it, so about a quarter), and every connection
 * echoes its own bytes.
 */
TEST(reuseport_spreads_connections_over_four_listeners)
{
	const char *lane = getenv("TTP_LANE");
	unsigned int n = lane && !strcmp(lane, "debug") ? 250 : 1000;
	unsigned int got[4] = { 0 }, total = 0, k, rec[2];
	struct timeval tv = { .tv_sec = 20 };
	int l[4], pipefd[2], i, status;
	pid_t pid[4];

	setup_netns(_metadata);
	for (i = 0; i < 4; i++) {
		l[i] = reuseport_listener(5020);
		ASSERT_LE(0, l[i]) TH_LOG("listener %d: %s", i, strerror(errno));
		/* A child left alone by a failed test gives up. */
		ASSERT_EQ(0, setsockopt(l[i], SOL_SOCKET, SO_RCVTIMEO, &tv,
					sizeof(tv)));
	}
	ASSERT_EQ(0, pipe(pipefd));
	for (i = 0; i < 4; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			close(pipefd[0]);
			_exit(reuseport_serve(l[i], i, pipefd[1]));
		}
	}
	close(pipefd[1]);

	for (k = 0; k < n; k++) {
		char out[9], in[8];
		int c = ttp_connect_to("127.0.0.1", 5020);

		ASSERT_LE(0, c) TH_LOG("connection %u: %s", k, strerror(errno));
		snprintf(out, sizeof(out), "%08u", k);
		ASSERT_EQ(8, write(c, out, 8));
		ASSERT_EQ(8, read_full(c, in, 8, 10000))
			TH_LOG("connection %u: no echo", k);
		ASSERT_EQ(0, memcmp(in, out, 8));
		close(c);
	}

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, shutdown(l[i], SHUT_RDWR));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("server %d: status %#x (2: no echo, 3: accept "
			       "failed, 4: no report)", i, status);
	}
	while (read(pipefd[0], rec, sizeof(rec)) == sizeof(rec) && rec[0] < 4)
		got[rec[0]] = rec[1];
	for (i = 0; i < 4; i++) {
		/* A quarter is n / 4; n / 16 is over 10 deviations below. */
		EXPECT_LE(n / 16, got[i])
			TH_LOG("listener %d accepted %u of %u", i, got[i], n);
		total += got[i];
	}
	EXPECT_EQ(n, total);
	TH_LOG("%u connections: %u, %u, %u and %u per listener", n, got[0],
	       got[1], got[2], got[3]);
	close(pipefd[0]);
	for (i = 0; i < 4; i++)
		close(l[i]);
}

/* In a child that became uid 65534: join the group on @port. */
static int reuseport_join_as_nobody(unsigned short port, unsigned short free)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", port);
	struct sockaddr_ttp f = ttp_addr("127.0.0.1", free);
	int fd, fd2;

	if (setgid(65534) || setuid(65534))
		return 10;
	fd = ttp_socket();
	fd2 = ttp_socket();
	if (fd < 0 || fd2 < 0 || set_reuseport(fd) || set_reuseport(fd2))
		return 11;
	if (bind(fd, SA(&a), sizeof(a)) != -1)
		return 12;	/* another user joined root's group */
	if (errno != EADDRINUSE)
		return 13;
	if (bind(fd2, SA(&f), sizeof(f)) || listen(fd2, 4))
		return 14;	/* nobody cannot even use a free port */
	return 0;
}

TEST(reuseport_group_refuses_sockets_without_it_and_other_users)
{
	struct sockaddr_ttp lo = ttp_addr("127.0.0.1", 5021);
	struct sockaddr_ttp any = ttp_addr("0.0.0.0", 5021);
	struct sockaddr_ttp lo2 = ttp_addr("127.0.0.1", 5022);
	int l1, l2, plain, late, status;
	pid_t pid;

	setup_netns(_metadata);
	l1 = reuseport_listener(5021);
	ASSERT_LE(0, l1) TH_LOG("%s", strerror(errno));
	l2 = reuseport_listener(5021);
	ASSERT_LE(0, l2) TH_LOG("second member: %s", strerror(errno));

	/* Without SO_REUSEPORT: the port is taken, address by address. */
	plain = ttp_socket();
	ASSERT_LE(0, plain);
	EXPECT_ERRNO(EADDRINUSE, bind(plain, SA(&lo), sizeof(lo)));
	EXPECT_ERRNO(EADDRINUSE, bind(plain, SA(&any), sizeof(any)));
	/* SO_REUSEADDR is not SO_REUSEPORT. */
	ASSERT_EQ(0, set_int(plain, SOL_SOCKET, SO_REUSEADDR, 1));
	EXPECT_ERRNO(EADDRINUSE, bind(plain, SA(&lo), sizeof(lo)));

	/* Another user, SO_REUSEPORT set: EADDRINUSE too. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(reuseport_join_as_nobody(5021, 5023));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10-11: setup failed, 12: nobody joined root's group, "
		       "13: other errno than EADDRINUSE, 14: port 5023 refused");

	/* Both must have it: a plain listener's port takes no group. */
	ASSERT_EQ(0, bind(plain, SA(&lo2), sizeof(lo2)));
	ASSERT_EQ(0, listen(plain, 4));
	late = ttp_socket();
	ASSERT_LE(0, late);
	ASSERT_EQ(0, set_reuseport(late));
	EXPECT_ERRNO(EADDRINUSE, bind(late, SA(&lo2), sizeof(lo2)));
	close(late);
	close(plain);
	close(l1);
	close(l2);
}

/*
 * One listener of four closes while a connection waits on its accept
 * queue: that connection is reset, as TCP's are (net.ipv4.tcp_migrate_req
 * off, its default), and the three others take every new connection.
 */
TEST(closing_a_reuseport_listener_resets_its_queue_and_the_rest_accept)
{
	struct pollfd p[4];
	int l[4], per[4] = { 0 }, i, k, c, a, queued = -1;
	char b;

	setup_netns(_metadata);
	for (i = 0; i < 4; i++) {
		l[i] = reuseport_listener(5024);
		ASSERT_LE(0, l[i]) TH_LOG("listener %d: %s", i, strerror(errno));
		p[i].fd = l[i];
		p[i].events = POLLIN;
	}
	/* Connect until one waits on l[0]; the others are accepted. */
	for (k = 0; k < 200 && queued < 0; k++) {
		c = ttp_connect_to("127.0.0.1", 5024);
		ASSERT_LE(0, c) TH_LOG("%s", strerror(errno));
		ASSERT_EQ(1, poll(p, 4, 5000));
		if (p[0].revents & POLLIN) {
			queued = c;
			break;
		}
		for (i = 1; i < 4 && !(p[i].revents & POLLIN); i++)
			;
		ASSERT_LT(i, 4);
		a = accept(l[i], NULL, NULL);
		ASSERT_LE(0, a);
		abort_close(a);
		abort_close(c);
	}
	ASSERT_LE(0, queued) TH_LOG("no connection reached listener 0");

	close(l[0]);
	ASSERT_TRUE(poll_one(queued, POLLIN, 5000) & (POLLIN | POLLERR));
	EXPECT_ERRNO(ECONNRESET, recv(queued, &b, 1, 0));
	close(queued);

	for (k = 0; k < 48; k++) {
		c = ttp_connect_to("127.0.0.1", 5024);
		ASSERT_LE(0, c) TH_LOG("after the close, connection %d: %s", k,
				       strerror(errno));
		ASSERT_EQ(1, poll(p + 1, 3, 5000))
			TH_LOG("connection %d accepted by none", k);
		for (i = 1; i < 4 && !(p[i].revents & POLLIN); i++)
			;
		ASSERT_LT(i, 4);
		a = accept(l[i], NULL, NULL);
		ASSERT_LE(0, a);
		ASSERT_EQ(1, write(c, "x", 1));
		ASSERT_EQ(1, read_full(a, &b, 1, 5000));
		per[i]++;
		close(a);
		close(c);
	}
	for (i = 1; i < 4; i++) {
		EXPECT_LT(0, per[i]) TH_LOG("listener %d accepted none", i);
		close(l[i]);
	}
}

/*
 * A classic BPF program attached to the group (SO_ATTACH_REUSEPORT_CBPF)
 * picks the member, as for TCP: this one always the second listener.
 */
TEST(reuseport_cbpf_program_picks_the_listener)
{
	struct sock_filter code[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
	struct sock_fprog prog = { .len = 1, .filter = code };
	struct pollfd p[3];
	int l[3], i, k, c, a;

	setup_netns(_metadata);
	for (i = 0; i < 3; i++) {
		l[i] = reuseport_listener(5025);
		ASSERT_LE(0, l[i]) TH_LOG("listener %d: %s", i, strerror(errno));
		p[i].fd = l[i];
		p[i].events = POLLIN;
	}
	ASSERT_EQ(0, setsockopt(l[2], SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF,
				&prog, sizeof(prog)))
		TH_LOG("%s", strerror(errno));
	for (k = 0; k < 24; k++) {
		c = ttp_connect_to("127.0.0.1", 5025);
		ASSERT_LE(0, c) TH_LOG("%s", strerror(errno));
		ASSERT_EQ(1, poll(p, 3, 5000));
		ASSERT_EQ(POLLIN, p[1].revents)
			TH_LOG("connection %d went to another listener", k);
		for (i = 0; i < 3 && !(p[i].revents & POLLIN); i++)
			;
		ASSERT_LT(i, 3);
		a = accept(l[i], NULL, NULL);
		ASSERT_LE(0, a);
		abort_close(a);
		abort_close(c);
	}
	for (i = 0; i < 3; i++)
		close(l[i]);
}

/* ---- connect ---- */

TEST(connect_blocking_establishes_both_ends)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_wait_state(a, TTP_ESTABLISHED, 1000));
	EXPECT_EQ(0, so_error(c));
	close(a);
	close(c);
	close(l);
}

TEST(connect_from_bound_socket_keeps_its_address_and_port)
{
	struct sockaddr_ttp me = ttp_addr("127.0.0.1", 5012), got;
	int l, c, a;
	struct sockaddr_ttp to;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	c = ttp_socket();
	ASSERT_LE(0, l);
	ASSERT_LE(0, c);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	ASSERT_EQ(0, bind(c, SA(&me), sizeof(me)));
	ASSERT_EQ(0, connect(c, SA(&to), sizeof(to))) TH_LOG("%s", strerror(errno));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	got = name_of(a, true);
	EXPECT_TRUE(same_endpoint(&me, &got));
	close(a);
	close(c);
	close(l);
}

TEST(connect_to_port_without_listener_gets_econnrefused)
{
	unsigned short port;
	int fd;

	setup_netns(_metadata);
	port = closed_port(_metadata);
	errno = 0;
	fd = ttp_connect_to("127.0.0.1", port);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
}

TEST(connect_nonblocking_gets_einprogress_then_pollout_and_no_error)
{
	int l, c, a;
	struct sockaddr_ttp to;
	short ev;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	c = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, c);
	EXPECT_ERRNO(EINPROGRESS, connect(c, SA(&to), sizeof(to)));
	ev = poll_one(c, POLLOUT, 2000);
	EXPECT_TRUE(ev & POLLOUT) TH_LOG("revents 0x%x", ev);
	EXPECT_FALSE(ev & (POLLERR | POLLHUP)) TH_LOG("revents 0x%x", ev);
	EXPECT_EQ(0, so_error(c));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	/*
	 * As for TCP, the next connect() reports the outcome of the attempt
	 * (success), and the one after that finds the socket connected.
	 */
	EXPECT_EQ(0, connect(c, SA(&to), sizeof(to))) TH_LOG("%s", strerror(errno));
	EXPECT_ERRNO(EISCONN, connect(c, SA(&to), sizeof(to)));
	a = accept(l, NULL, NULL);
	EXPECT_LE(0, a);
	close(a);
	close(c);
	close(l);
}

TEST(connect_nonblocking_to_closed_port_reports_econnrefused)
{
	struct sockaddr_ttp to;
	int c;
	short ev;

	setup_netns(_metadata);
	to = ttp_addr("127.0.0.1", closed_port(_metadata));
	c = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, c);
	EXPECT_ERRNO(EINPROGRESS, connect(c, SA(&to), sizeof(to)));
	ev = poll_one(c, POLLOUT, 2000);
	EXPECT_TRUE(ev & POLLERR) TH_LOG("revents 0x%x", ev);
	EXPECT_EQ(ECONNREFUSED, so_error(c));
	/* SO_ERROR clears the error it reports. */
	EXPECT_EQ(0, so_error(c));
	EXPECT_EQ(TTP_CLOSED, ttp_state(c));
	close(c);
}

/*
 * A socket's own SYN comes back to it in SYN_SENT: a simultaneous open
 * with itself, as in TCP.  It is connected to itself, at once (no
 * retransmission), and reads what it sends.
 */
TEST(connect_to_its_own_address_connects_it_to_itself)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0), peer;
	socklen_t len = sizeof(a);
	char buf[16] = "";
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	ASSERT_EQ(0, getsockname(fd, SA(&a), &len));
	ASSERT_EQ(0, connect(fd, SA(&a), sizeof(a)));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(fd));
	peer = name_of(fd, true);
	EXPECT_TRUE(same_endpoint(&a, &peer));
	EXPECT_EQ(4, send(fd, "ping", 4, 0));
	EXPECT_EQ(4, read_full(fd, buf, 4, 2000));
	EXPECT_STREQ("ping", buf);
	EXPECT_EQ(0, ttp_stat("TtpRetransSegs"));
	EXPECT_EQ(0, ttp_stat("TtpOutRsts"));
	close(fd);
}

/* Send all of @len bytes on the non-blocking @fd, within @timeout_ms. */
static size_t send_full(int fd, const void *buf, size_t len, int timeout_ms)
{
	long long end = ttp_now_ms() + timeout_ms;
	size_t sent = 0;

	while (sent < len && ttp_now_ms() < end) {
		ssize_t n = send(fd, (const char *)buf + sent, len - sent,
				 MSG_DONTWAIT);

		if (n > 0)
			sent += n;
		else if (n < 0 && errno == EAGAIN)
			poll_one(fd, POLLOUT, end - ttp_now_ms());
		else
			break;
	}
	return sent;
}

/*
 * Two sockets connect() to each other at once (RFC 9293, 3.5, figure 7).
 * 200 ms of delay on loopback keeps each SYN on its way until both are
 * sent, so each arrives in SYN_SENT: both ends go through SYN_RECV, and
 * each end's SYN+ACK completes the other's handshake.  The two ends agree
 * on what they negotiated (one offers a smaller MSS), name each other as
 * peers, and carry data both ways; nothing is counted as retransmitted,
 * refused or passive.
 */
TEST(simultaneous_open_establishes_both_ends_and_carries_data_both_ways)
{
	enum { LEN = 50000 };
	static unsigned char out[2][LEN], in[2][LEN];
	struct sockaddr_ttp name[2], peer;
	struct ttp_info info[2];
	socklen_t len = sizeof(name[0]);
	int fd[2], i;

	setup_netns(_metadata);
	if (system("modprobe -q sch_netem && tc qdisc add dev lo root netem delay 200ms"))
		SKIP(return, "no netem to delay loopback");
	for (i = 0; i < 2; i++) {
		fd[i] = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, fd[i]);
		name[i] = ttp_addr("127.0.0.1", 0);
		ASSERT_EQ(0, bind(fd[i], SA(&name[i]), sizeof(name[i])));
		ASSERT_EQ(0, getsockname(fd[i], SA(&name[i]), &len));
	}
	ASSERT_EQ(0, set_int(fd[0], SOL_TTP, TTP_MAXSEG, 1200));
	for (i = 0; i < 2; i++)
		EXPECT_ERRNO(EINPROGRESS, connect(fd[i], SA(&name[!i]),
						  sizeof(name[!i])));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(TTP_SYN_RECV, ttp_wait_state(fd[i], TTP_SYN_RECV, 5000))
			TH_LOG("socket %d did not take the other's SYN in SYN_SENT", i);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(TTP_ESTABLISHED,
			  ttp_wait_state(fd[i], TTP_ESTABLISHED, 5000));
		EXPECT_TRUE(poll_one(fd[i], POLLOUT, 2000) & POLLOUT);
		EXPECT_EQ(0, so_error(fd[i]));
		peer = name_of(fd[i], true);
		EXPECT_TRUE(same_endpoint(&name[!i], &peer));
		ASSERT_EQ(0, ttp_get_info(fd[i], &info[i]));
	}
	EXPECT_EQ(TTP_CSUM_CRC32C, info[0].ttpi_csum_algo);
	EXPECT_EQ(info[0].ttpi_csum_algo, info[1].ttpi_csum_algo);
	EXPECT_EQ(1200, info[0].ttpi_mss);
	EXPECT_EQ(1200, info[1].ttpi_mss);
	EXPECT_EQ(info[0].ttpi_options, info[1].ttpi_options);
	EXPECT_EQ(info[0].ttpi_snd_wscale, info[1].ttpi_rcv_wscale);
	EXPECT_EQ(info[1].ttpi_snd_wscale, info[0].ttpi_rcv_wscale);
	EXPECT_EQ(0, ttp_stat("TtpRetransSegs"));
	EXPECT_EQ(2, ttp_stat("TtpActiveOpens"));
	EXPECT_EQ(0, ttp_stat("TtpPassiveOpens"));
	EXPECT_EQ(0, ttp_stat("TtpOutRsts"));
	EXPECT_EQ(0, ttp_stat("TtpAttemptFails"));

	for (i = 0; i < 2; i++) {
		fill_pattern(out[i], LEN, 7 + i);
		EXPECT_EQ((size_t)LEN, send_full(fd[i], out[i], LEN, 10000));
	}
	for (i = 0; i < 2; i++) {
		EXPECT_EQ((ssize_t)LEN, read_full(fd[!i], in[!i], LEN, 10000));
		EXPECT_EQ(0, memcmp(out[i], in[!i], LEN))
			TH_LOG("bytes from socket %d differ", i);
	}
	close(fd[0]);
	close(fd[1]);
}

TEST(connect_twice_gets_eisconn)
{
	int l, c, a;
	struct sockaddr_ttp to;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	EXPECT_ERRNO(EISCONN, connect(c, SA(&to), sizeof(to)));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	close(a);
	close(c);
	close(l);
}

TEST(connect_on_listener_gets_einval)
{
	int l;
	struct sockaddr_ttp to;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	EXPECT_ERRNO(EINVAL, connect(l, SA(&to), sizeof(to)));
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	close(l);
}

TEST(connect_to_silent_host_times_out_after_syncnt_retries)
{
	struct sockaddr_ttp to = ttp_addr(SILENT_PEER, 7);
	long long t0, ms;
	int c, b;
	short ev;

	setup_netns(_metadata);
	if (system("ip link add " SILENT_DEV " type dummy && "
		   "ip addr add " SILENT_NET " dev " SILENT_DEV " && "
		   "ip link set " SILENT_DEV " up"))
		SKIP(return, "no dummy network device (CONFIG_DUMMY)");
	/* SYN at 0, again at 100 ms, given up at 300 ms (100 + 200). */
	ASSERT_EQ(0, ttp_sysctl_write("rto_initial_ms", "100"));

	c = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_SYNCNT, 1));
	EXPECT_EQ(1, get_int(c, SOL_TTP, TTP_SYNCNT));
	t0 = ttp_now_ms();
	ASSERT_ERRNO(EINPROGRESS, connect(c, SA(&to), sizeof(to)));
	EXPECT_EQ(TTP_SYN_SENT, ttp_state(c));
	ev = poll_one(c, POLLOUT, 0);
	EXPECT_FALSE(ev & POLLOUT) TH_LOG("writable while SYN_SENT: 0x%x", ev);
	ev = poll_one(c, POLLOUT, 5000);
	ms = ttp_now_ms() - t0;
	EXPECT_TRUE(ev & POLLERR) TH_LOG("revents 0x%x after %lld ms", ev, ms);
	EXPECT_EQ(ETIMEDOUT, so_error(c));
	EXPECT_LE(250, ms);
	EXPECT_GE(2500, ms);
	close(c);

	b = ttp_socket();
	ASSERT_LE(0, b);
	ASSERT_EQ(0, set_int(b, SOL_TTP, TTP_SYNCNT, 1));
	t0 = ttp_now_ms();
	EXPECT_ERRNO(ETIMEDOUT, connect(b, SA(&to), sizeof(to)));
	ms = ttp_now_ms() - t0;
	EXPECT_LE(250, ms);
	EXPECT_GE(2500, ms) TH_LOG("TTP_SYNCNT=1 took %lld ms", ms);
	close(b);
}

/* ---- listen and accept ---- */

TEST(accept_returns_socket_whose_peer_is_the_client)
{
	struct sockaddr_ttp cl_local, cl_peer, ac_local, ac_peer, from;
	socklen_t len = sizeof(from);
	int l, c, a, lo, hi;

	setup_netns(_metadata);
	ephemeral_range(_metadata, &lo, &hi);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	memset(&from, 0xff, sizeof(from));
	a = accept(l, SA(&from), &len);
	ASSERT_LE(0, a);
	EXPECT_EQ(sizeof(from), len);

	cl_local = name_of(c, false);
	cl_peer = name_of(c, true);
	ac_local = name_of(a, false);
	ac_peer = name_of(a, true);
	EXPECT_TRUE(same_endpoint(&cl_local, &ac_peer));
	EXPECT_TRUE(same_endpoint(&ac_local, &cl_peer));
	EXPECT_TRUE(same_endpoint(&cl_local, &from));
	EXPECT_EQ(ttp_family(), from.sttp_family);
	EXPECT_EQ(0, from.sttp_reserved1);
	EXPECT_EQ(0u, from.sttp_reserved2);
	EXPECT_EQ(ttp_local_port(l), ntohs(ac_local.sttp_port));
	EXPECT_NE(cl_local.sttp_port, ac_local.sttp_port);
	/* The client, which did not bind, got an ephemeral port. */
	EXPECT_LE(lo, ntohs(cl_local.sttp_port));
	EXPECT_GE(hi, ntohs(cl_local.sttp_port));
	EXPECT_EQ(htonl(INADDR_LOOPBACK), cl_local.sttp_addr.v4);
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(a));
	close(a);
	close(c);
	close(l);
}

/*
 * A connection reset while it waits in the backlog leaves it: no process
 * saw it, and accept() returns the next one, with that one's peer.  (One
 * reset after accept() took it is returned: ttp_state_names_peer().)
 */
TEST(connection_reset_in_the_backlog_leaves_it_and_accept_gets_the_next)
{
	struct sockaddr_ttp second, from;
	socklen_t len = sizeof(from);
	long long end;
	int l, c1, c2, a;
	long rsts;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	c1 = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c1);
	c2 = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c2);
	second = name_of(c2, false);
	rsts = ttp_stat("TtpInRsts");
	ASSERT_LE(0, rsts);
	abort_close(c1);
	/* The reset reaches the child in softirq: wait until it has. */
	end = ttp_now_ms() + 10000;
	while (ttp_stat("TtpInRsts") == rsts && ttp_now_ms() < end)
		usleep(1000);
	ASSERT_LT(rsts, ttp_stat("TtpInRsts"));
	memset(&from, 0xff, sizeof(from));
	ASSERT_EQ(0, fcntl(l, F_SETFL, O_NONBLOCK));
	a = accept(l, SA(&from), &len);
	ASSERT_LE(0, a) TH_LOG("accept: %s", strerror(errno));
	EXPECT_EQ(sizeof(from), len);
	EXPECT_TRUE(same_endpoint(&second, &from));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(a));
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	close(a);
	close(c2);
	close(l);
}

TEST(accept4_sets_nonblock_and_cloexec_on_new_socket)
{
	int l, c, a, b;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	a = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_LE(0, a);
	EXPECT_TRUE(fcntl(a, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(a, F_GETFD) & FD_CLOEXEC);
	/* Non-blocking indeed: nothing to read is EAGAIN, not a wait. */
	EXPECT_ERRNO(EAGAIN, (int)recv(a, &b, 1, 0));
	/* And plain accept() sets neither. */
	close(c);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	b = accept(l, NULL, NULL);
	ASSERT_LE(0, b);
	EXPECT_FALSE(fcntl(b, F_GETFL) & O_NONBLOCK);
	EXPECT_FALSE(fcntl(b, F_GETFD) & FD_CLOEXEC);
	close(b);
	close(a);
	close(c);
	close(l);
}

TEST(accept_nonblocking_with_nothing_pending_gets_eagain)
{
	int l, c, a;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, fcntl(l, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(EAGAIN, accept(l, NULL, NULL));
	EXPECT_FALSE(poll_one(l, POLLIN, 0) & POLLIN);
	/* Once a connection waits, the same call returns it. */
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	EXPECT_TRUE(poll_one(l, POLLIN, 1000) & POLLIN);
	a = accept(l, NULL, NULL);
	EXPECT_LE(0, a) TH_LOG("%s", strerror(errno));
	EXPECT_ERRNO(EAGAIN, accept(l, NULL, NULL));
	close(a);
	close(c);
	close(l);
}

TEST(accept_on_non_listening_socket_gets_einval)
{
	struct sockaddr_ttp me = ttp_addr("127.0.0.1", 5013);
	int fresh, bound, l, c, a;

	setup_netns(_metadata);
	fresh = ttp_socket();
	bound = ttp_socket();
	ASSERT_LE(0, fresh);
	ASSERT_LE(0, bound);
	ASSERT_EQ(0, bind(bound, SA(&me), sizeof(me)));
	EXPECT_ERRNO(EINVAL, accept(fresh, NULL, NULL));
	EXPECT_ERRNO(EINVAL, accept(bound, NULL, NULL));
	make_conn(_metadata, &l, &c, &a);
	EXPECT_ERRNO(EINVAL, accept(c, NULL, NULL));
	EXPECT_ERRNO(EINVAL, accept(a, NULL, NULL));
	/* Nor does a connected socket become a listener. */
	EXPECT_ERRNO(EINVAL, listen(c, 4));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	close(a);
	close(c);
	close(l);
	close(bound);
	close(fresh);
}

TEST(listen_backlog_holds_backlog_plus_one_until_accept_makes_room)
{
	enum { BACKLOG = 2, N = BACKLOG + 3 };
	struct sockaddr_ttp to;
	int l, c[N], a[N], i, n;
	long timeouts, end;

	setup_netns(_metadata);
	/* Refused SYNs are sent again soon: 100, 200, 400 ms... */
	ASSERT_EQ(0, ttp_sysctl_write("rto_initial_ms", "100"));
	timeouts = ttp_stat("TtpTimeouts");
	ASSERT_LE(0, timeouts);
	l = ttp_listen_on("127.0.0.1", 0, BACKLOG);
	ASSERT_LE(0, l);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));

	for (i = 0; i < N; i++) {
		c[i] = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, c[i]);
		errno = 0;
		if (connect(c[i], SA(&to), sizeof(to)))
			ASSERT_EQ(EINPROGRESS, errno);
		if (i <= BACKLOG)
			EXPECT_EQ(TTP_ESTABLISHED,
				  ttp_wait_state(c[i], TTP_ESTABLISHED, 2000))
				TH_LOG("connection %d of backlog %d", i, BACKLOG);
	}
	/*
	 * Until the SYNs of the others were sent again, twice each (their
	 * retransmission timer counts in this namespace's TtpTimeouts).
	 */
	end = ttp_now_ms() + 60000;
	while (ttp_stat("TtpTimeouts") < timeouts + 2 * (N - BACKLOG - 1) &&
	       ttp_now_ms() < end)
		usleep(10 * 1000);
	EXPECT_LE(timeouts + 2 * (N - BACKLOG - 1), ttp_stat("TtpTimeouts"));
	for (i = BACKLOG + 1; i < N; i++) {
		EXPECT_EQ(TTP_SYN_SENT, ttp_state(c[i]))
			TH_LOG("connection %d established beyond backlog %d",
			       i, BACKLOG);
		EXPECT_FALSE(poll_one(c[i], POLLOUT, 0) & POLLOUT);
	}
	/* One waits no longer: the next to try takes the free place. */
	close(c[N - 1]);
	a[0] = accept(l, NULL, NULL);
	ASSERT_LE(0, a[0]);
	EXPECT_EQ(TTP_ESTABLISHED,
		  ttp_wait_state(c[BACKLOG + 1], TTP_ESTABLISHED, 4000))
		TH_LOG("connection %d after accept made room", BACKLOG + 1);

	ASSERT_EQ(0, fcntl(l, F_SETFL, O_NONBLOCK));
	for (n = 1; n < N; n++) {
		a[n] = accept(l, NULL, NULL);
		if (a[n] < 0)
			break;
	}
	EXPECT_EQ(BACKLOG + 2, n) TH_LOG("accepted %d", n);
	EXPECT_EQ(EAGAIN, errno);
	for (i = 0; i < n; i++)
		close(a[i]);
	for (i = 0; i < N - 1; i++)
		close(c[i]);
	close(l);
}

/* ---- data ---- */

TEST(send_and_recv_carry_bytes_both_ways)
{
	char out[] = "request 1", back[] = "response to 1", buf[64];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ((ssize_t)sizeof(out), send(c, out, sizeof(out), 0));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(out), read_full(a, buf, sizeof(out), 2000));
	EXPECT_EQ(0, memcmp(buf, out, sizeof(out)));
	ASSERT_EQ((ssize_t)sizeof(back), send(a, back, sizeof(back), 0));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(back), read_full(c, buf, sizeof(back), 2000));
	EXPECT_EQ(0, memcmp(buf, back, sizeof(back)));
	close(a);
	close(c);
	close(l);
}

TEST(write_and_read_carry_bytes)
{
	static unsigned char out[100000], in[100000];
	long long end;
	size_t got = 0;
	int l, c, a, status;
	pid_t pid;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	fill_pattern(out, sizeof(out), 7);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		size_t sent = 0;

		while (sent < sizeof(out)) {
			ssize_t n = write(c, out + sent, sizeof(out) - sent);

			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	end = ttp_now_ms() + 5000;
	while (got < sizeof(in) && ttp_now_ms() < end) {
		ssize_t n;

		if (!(poll_one(a, POLLIN, 100) & POLLIN))
			continue;
		n = read(a, in + got, sizeof(in) - got);
		if (n <= 0)
			break;
		got += n;
	}
	if (got != sizeof(in))
		kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(sizeof(in), got);
	EXPECT_EQ(0, memcmp(in, out, sizeof(out)));
	abort_close(a);
	abort_close(c);
	close(l);
}

/*
 * Segments smaller than the MSS, faster than the reader reads: whatever
 * the receiver advertised as its window it must take, not drop for want of
 * buffer; and 150 KB must cross loopback in well under 3 s, not in one
 * retransmission timeout per segment.
 */
TEST(small_writes_to_a_late_reader_are_not_dropped_and_arrive_promptly)
{
	static unsigned char out[150000], in[150000];
	int l, c, a, outq, prev;
	long long end;
	long drops;
	pid_t pid;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	fill_pattern(out, sizeof(out), 5);
	drops = ttp_stat("TtpRcvQDrops");
	ASSERT_LE(0, drops);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		size_t sent = 0;

		while (sent < sizeof(out)) {
			size_t n = sizeof(out) - sent < 4096 ?
				   sizeof(out) - sent : 4096;
			ssize_t r = send(c, out + sent, n, 0);

			if (r <= 0)
				_exit(1);
			sent += r;
		}
		_exit(0);
	}
	/* The reader starts late: once the sender is stuck on a full window. */
	prev = -1;
	end = ttp_now_ms() + 2000;
	while (((outq = unacked(c)) != prev || outq <= 0) &&
	       ttp_now_ms() < end) {
		prev = outq;
		usleep(100 * 1000);
	}
	receive_from_child(_metadata, a, in, sizeof(in), pid, 3000);
	EXPECT_EQ(0, memcmp(in, out, sizeof(out)));
	EXPECT_EQ(drops, ttp_stat("TtpRcvQDrops"))
		TH_LOG("data inside the advertised window dropped");
	abort_close(a);
	abort_close(c);
	close(l);
}

TEST(sendmsg_gathers_and_recvmsg_scatters_iovecs)
{
	char p1[] = "alpha-", p2[] = "beta-", p3[] = "gamma";
	char r1[4], r2[8], r3[32];
	struct iovec out[3] = {
		{ p1, strlen(p1) }, { p2, strlen(p2) }, { p3, strlen(p3) },
	};
	struct iovec in[3] = {
		{ r1, sizeof(r1) }, { r2, sizeof(r2) }, { r3, sizeof(r3) },
	};
	struct msghdr m = { .msg_iov = out, .msg_iovlen = 3 };
	size_t total = strlen(p1) + strlen(p2) + strlen(p3);
	char joined[64];
	int l, c, a;
	ssize_t n;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ((ssize_t)total, sendmsg(c, &m, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	memset(&m, 0, sizeof(m));
	m.msg_iov = in;
	m.msg_iovlen = 3;
	/* 16 bytes across buffers of 4, 8 and 32. */
	n = recvmsg(a, &m, 0);
	EXPECT_EQ((ssize_t)total, n);
	EXPECT_EQ(0, m.msg_flags & MSG_TRUNC);
	memcpy(joined, r1, 4);
	memcpy(joined + 4, r2, 8);
	memcpy(joined + 12, r3, total - 12);
	EXPECT_EQ(0, memcmp(joined, "alpha-beta-gamma", total));
	close(a);
	close(c);
	close(l);
}

TEST(recv_msg_peek_returns_data_without_consuming_it)
{
	char buf[32], again[32];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(10, send(c, "0123456789", 10, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(4, recv(a, buf, 4, MSG_PEEK));
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_EQ(10, recv(a, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(10, unread(a));
	memset(again, 0, sizeof(again));
	EXPECT_EQ(10, recv(a, again, sizeof(again), 0));
	EXPECT_EQ(0, memcmp(again, "0123456789", 10));
	EXPECT_EQ(0, unread(a));
	EXPECT_ERRNO(EAGAIN, (int)recv(a, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT));
	close(a);
	close(c);
	close(l);
}

TEST(recv_msg_waitall_waits_for_the_full_length)
{
	char buf[3000];
	long long t0, ms;
	int l, c, a, status, go[2];
	pid_t pid;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char chunk[1000];
		int i;

		/* The first chunk leaves once the clock runs, not before. */
		close(go[1]);
		if (read(go[0], chunk, 1) != 1)
			_exit(1);
		memset(chunk, 'w', sizeof(chunk));
		for (i = 0; i < 3; i++) {
			if (send(c, chunk, sizeof(chunk), 0) != sizeof(chunk))
				_exit(1);
			usleep(150 * 1000);
		}
		_exit(0);
	}
	close(go[0]);
	t0 = ttp_now_ms();
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	EXPECT_EQ((ssize_t)sizeof(buf), recv(a, buf, sizeof(buf), MSG_WAITALL));
	ms = ttp_now_ms() - t0;
	/* The third chunk leaves 300 ms after the first. */
	EXPECT_LE(250, ms);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(a);
	close(c);
	close(l);
}

TEST(recv_msg_dontwait_with_nothing_to_read_gets_eagain)
{
	char buf[8];
	long long t0;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	t0 = ttp_now_ms();
	EXPECT_ERRNO(EAGAIN, (int)recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_GT(500, ttp_now_ms() - t0);
	/* With data there, the same call returns it. */
	ASSERT_EQ(3, send(c, "abc", 3, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	EXPECT_EQ(3, recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	close(a);
	close(c);
	close(l);
}

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void catch_sigpipe(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigaction(SIGPIPE, &sa, NULL);
	sigpipes = 0;
}

TEST(send_after_shutdown_wr_gets_epipe_and_sigpipe)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	catch_sigpipe();
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_ERRNO(EPIPE, (int)send(c, "x", 1, 0));
	EXPECT_EQ(1, sigpipes);
	EXPECT_ERRNO(EPIPE, (int)write(c, "x", 1));
	EXPECT_EQ(2, sigpipes);
	close(a);
	close(c);
	close(l);
}

TEST(send_msg_nosignal_after_shutdown_wr_gets_epipe_without_signal)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	catch_sigpipe();
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_ERRNO(EPIPE, (int)send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(0, sigpipes);
	close(a);
	close(c);
	close(l);
}

TEST(half_close_peer_reads_eof_and_can_still_send)
{
	char buf[32];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(5, send(c, "last.", 5, 0));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	/* The data before the FIN, then end of file. */
	EXPECT_EQ(5, read_full(a, buf, 5, 2000));
	EXPECT_EQ(0, memcmp(buf, "last.", 5));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0));
	/* The other direction is still open. */
	ASSERT_EQ(6, send(a, "reply!", 6, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(6, read_full(c, buf, 6, 2000));
	EXPECT_EQ(0, memcmp(buf, "reply!", 6));
	close(a);
	close(c);
	close(l);
}

TEST(so_rcvtimeo_makes_recv_fail_with_eagain_after_the_timeout)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200 * 1000 }, got;
	socklen_t len = sizeof(got);
	long long t0, ms;
	char buf[8];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	EXPECT_EQ(0, got.tv_sec);
	EXPECT_LT(150 * 1000, got.tv_usec);
	t0 = ttp_now_ms();
	EXPECT_ERRNO(EAGAIN, (int)recv(a, buf, sizeof(buf), 0));
	ms = ttp_now_ms() - t0;
	EXPECT_LE(180, ms);
	EXPECT_GE(2000, ms);
	close(a);
	close(c);
	close(l);
}

/* A writer whose peer does not read blocks, then gives up after SO_SNDTIMEO. */
TEST(so_sndtimeo_makes_send_fail_with_eagain_when_the_peer_does_not_read)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 300 * 1000 };
	static char buf[65536];
	long long t0 = 0, ms;
	ssize_t n = 0;
	size_t total = 0;
	int l, c, a, i;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	/*
	 * Fill the peer's window and our send buffer.  A send that waited
	 * out the timeout after taking some bytes returns them (a partial
	 * send); while acknowledgments still free room, however slowly they
	 * come, the next takes more.  Once nothing moves, a send waits out
	 * the timeout with nothing and fails.
	 */
	for (i = 0; i < 1000; i++) {
		t0 = ttp_now_ms();
		n = send(c, buf, sizeof(buf), 0);
		ms = ttp_now_ms() - t0;
		if (n < 0)
			break;
		total += n;
	}
	ASSERT_GT(1000, i) TH_LOG("%zu bytes sent and never blocked", total);
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_LE(250, ms);
	EXPECT_GE(3000, ms);
	close(a);
	close(c);
	close(l);
}

TEST(so_sndbuf_and_so_rcvbuf_are_set_and_read_back)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	/* The kernel doubles the value for its bookkeeping, as for TCP. */
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 32768));
	EXPECT_EQ(65536, get_int(c, SOL_SOCKET, SO_SNDBUF));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_RCVBUF, 24576));
	EXPECT_EQ(49152, get_int(c, SOL_SOCKET, SO_RCVBUF));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 65536));
	EXPECT_EQ(131072, get_int(c, SOL_SOCKET, SO_SNDBUF));
	/* The connection still works with its new buffers. */
	ASSERT_EQ(4, send(c, "ping", 4, 0));
	EXPECT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	close(a);
	close(c);
	close(l);
}

/* Bytes written and not sent yet (SIOCOUTQNSD). */
static int unsent(int fd)
{
	int n = -1;

	if (ioctl(fd, SIOCOUTQNSD, &n))
		return -1;
	return n;
}

/*
 * TTP_WINDOW_CLAMP, set on the listener, is inherited by the connection and
 * caps every window it advertises (rounded up to its scale unit), from the
 * SYN-ACK on, while 256 KiB go through: the sender never has more in
 * flight than that and one segment (a segment that starts in the window
 * goes whole when nothing else is in flight, protocol.rst "Data
 * transfer and flow control").  Segments of 1000 bytes, well under the clamp; unclamped, the
 * window over loopback is 64 KiB and more.
 */
TEST(window_clamp_caps_every_advertised_window)
{
	static unsigned char out[262144], in[262144];
	struct ttp_info ci, ai;
	size_t sent = 0, got = 0;
	unsigned int most = 0, cap;
	int l, c, a, port;
	long long end;
	ssize_t n;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 8);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, set_int(l, SOL_TTP, TTP_WINDOW_CLAMP, 10000));
	ASSERT_EQ(0, set_int(l, SOL_TTP, TTP_MAXSEG, 1000));
	port = ttp_local_port(l);
	c = ttp_connect_to("127.0.0.1", port);
	ASSERT_LE(0, c);
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_EQ(10000, get_int(a, SOL_TTP, TTP_WINDOW_CLAMP));
	EXPECT_EQ(0, get_int(c, SOL_TTP, TTP_WINDOW_CLAMP));
	ASSERT_EQ(0, ttp_get_info(a, &ai));
	cap = 10000 + (1U << ai.ttpi_rcv_wscale) - 1;
	fill_pattern(out, sizeof(out), 3);
	end = ttp_now_ms() + 60000;	/* a bound on a hang only */
	while (got < sizeof(out) && ttp_now_ms() < end) {
		while (sent < sizeof(out)) {
			n = send(c, out + sent, sizeof(out) - sent, MSG_DONTWAIT);
			if (n <= 0)
				break;
			sent += n;
		}
		ASSERT_EQ(0, ttp_get_info(c, &ci));
		ASSERT_EQ(0, ttp_get_info(a, &ai));
		EXPECT_GE(cap, ci.ttpi_snd_wnd);
		EXPECT_GE(cap + ci.ttpi_snd_mss, ci.ttpi_unacked);
		EXPECT_GE(cap, ai.ttpi_rcv_wnd);
		if (ci.ttpi_snd_wnd > most)
			most = ci.ttpi_snd_wnd;
		if (!(poll_one(a, POLLIN, 1000) & POLLIN))
			continue;
		n = recv(a, in + got, sizeof(in) - got, MSG_DONTWAIT);
		if (n > 0)
			got += n;
	}
	ASSERT_EQ(sizeof(out), got);
	EXPECT_EQ(0, memcmp(in, out, sizeof(out)));
	EXPECT_LT(0U, most);
	/* As TCP's, only a closed socket may drop its clamp. */
	EXPECT_ERRNO(EINVAL, set_int(a, SOL_TTP, TTP_WINDOW_CLAMP, 0));
	EXPECT_ERRNO(EINVAL, set_int(l, SOL_TTP, TTP_WINDOW_CLAMP, 0));
	close(a);
	close(c);
	close(l);
}

/*
 * TTP_NOTSENT_LOWAT: with the peer's window shut (it reads nothing), the
 * writer stops, and poll() says not writable, once the mark is unsent,
 * although its send buffer has room for ten times as much; reading at the
 * other end lets the unsent go and the writer on.
 */
TEST(notsent_lowat_stops_the_writer_at_the_mark)
{
	static char buf[4096], sink[65536];
	const int mark = 16384;
	size_t written = 0, got = 0;
	struct ttp_info ci;
	int l, c, a, left;
	long long end;
	ssize_t n;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, set_int(a, SOL_SOCKET, SO_RCVBUF, 65536));
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 1 << 20));
	ASSERT_LE(20 * mark, get_int(c, SOL_SOCKET, SO_SNDBUF));
	EXPECT_EQ(0, get_int(c, SOL_TTP, TTP_NOTSENT_LOWAT));
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_NOTSENT_LOWAT, mark));
	EXPECT_EQ(mark, get_int(c, SOL_TTP, TTP_NOTSENT_LOWAT));
	/*
	 * Write until nothing more can go: the peer's window is shut (or so
	 * narrow that what went past it waits for the retransmission timer,
	 * which has expired: ttpi_backoff).
	 */
	end = ttp_now_ms() + 60000;	/* a bound on a hang only */
	for (;;) {
		while ((n = send(c, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			written += n;
		ASSERT_EQ(EAGAIN, errno);
		ASSERT_EQ(0, ttp_get_info(c, &ci));
		if ((!ci.ttpi_snd_wnd && !ci.ttpi_unacked) || ci.ttpi_backoff)
			break;
		ASSERT_GT(end, ttp_now_ms()) TH_LOG("the window never shut");
		poll_one(c, POLLOUT, 100);
	}
	left = unsent(c);
	/*
	 * At the mark, past it by what the last segments took (a write fills
	 * the last queued segment up to 64 KiB before the mark is checked,
	 * as TCP's does), far under the send buffer.
	 */
	EXPECT_LE(mark, left);
	EXPECT_GE(mark + 2 * 65536 + (int)sizeof(buf), left);
	EXPECT_EQ(0, poll_one(c, POLLOUT, 0) & POLLOUT);
	/* Read until the writer may go on: under the mark unsent. */
	while (!(poll_one(c, POLLOUT, 0) & POLLOUT)) {
		ASSERT_TRUE(poll_one(a, POLLIN, 10000) & POLLIN);
		n = recv(a, sink, sizeof(sink), MSG_DONTWAIT);
		if (n > 0)
			got += n;
	}
	EXPECT_GT(mark, unsent(c));
	while (got < written && (poll_one(a, POLLIN, 10000) & POLLIN)) {
		n = recv(a, sink, sizeof(sink), MSG_DONTWAIT);
		if (n > 0)
			got += n;
	}
	EXPECT_EQ(written, got);
	close(a);
	close(c);
	close(l);
}

/*
 * The smallest buffers there are (SO_RCVBUF and SO_SNDBUF of 1 give the
 * kernel's minimum, about 2 and 4 KiB) are narrower than one loopback
 * segment (MSS about 32 KiB): data still moves, a segment at a time, and
 * without waiting for the retransmission timer.
 */
TEST(buffers_narrower_than_one_segment_still_carry_data)
{
	static unsigned char out[262144], in[262144];
	struct sockaddr_ttp sa;
	int l, c, a, port;
	long timeouts;
	pid_t pid;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 8);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, set_int(l, SOL_SOCKET, SO_RCVBUF, 1));	/* inherited */
	port = ttp_local_port(l);
	c = ttp_socket();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, set_int(c, SOL_SOCKET, SO_SNDBUF, 1));
	sa = ttp_addr("127.0.0.1", port);
	ASSERT_EQ(0, connect(c, SA(&sa), sizeof(sa)));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	ASSERT_GT(4096, get_int(a, SOL_SOCKET, SO_RCVBUF));
	timeouts = ttp_stat("TtpTimeouts");
	fill_pattern(out, sizeof(out), 9);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(send(c, out, sizeof(out), 0) == sizeof(out) ? 0 : 1);
	receive_from_child(_metadata, a, in, sizeof(in), pid, 20000);
	EXPECT_EQ(0, memcmp(in, out, sizeof(out)));
	EXPECT_EQ(timeouts, ttp_stat("TtpTimeouts"));
	close(a);
	close(c);
	close(l);
}

TEST(fionread_reports_unread_bytes_without_the_fin)
{
	static char data[1000], buf[1000];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(0, unread(a));
	ASSERT_EQ((ssize_t)sizeof(data), send(c, data, sizeof(data), 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	EXPECT_EQ(1000, unread(a));
	ASSERT_EQ(400, recv(a, buf, 400, 0));
	EXPECT_EQ(600, unread(a));
	/* The peer's FIN takes a sequence number but is no byte to read. */
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(TTP_CLOSE_WAIT, ttp_wait_state(a, TTP_CLOSE_WAIT, 2000));
	EXPECT_EQ(600, unread(a));
	EXPECT_EQ(600, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, unread(a));
	close(a);
	close(c);
	close(l);
}

TEST(tiocoutq_reports_bytes_not_yet_acknowledged)
{
	static unsigned char out[1 << 16], in[1 << 16];
	long long end;
	size_t sent = 0, got = 0;
	int l, c, a, outq = -1, inq = -1, outq2;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(0, unacked(c));
	ASSERT_EQ(0, fcntl(c, F_SETFL, O_NONBLOCK));
	/* Fill the receiver, which does not read, and the send buffer. */
	fill_pattern(out, sizeof(out), 3);
	for (;;) {
		ssize_t n = send(c, out, sizeof(out), 0);

		if (n < 0) {
			ASSERT_EQ(EAGAIN, errno) TH_LOG("%s", strerror(errno));
			if (!(poll_one(c, POLLOUT, 300) & POLLOUT))
				break;
			continue;
		}
		sent += n;
		ASSERT_GT(64u << 20, sent) TH_LOG("the window never closed");
	}
	/* Settled: every byte is either read-able there or unacked here. */
	end = ttp_now_ms() + 2000;
	do {
		outq = unacked(c);
		inq = unread(a);
		outq2 = unacked(c);
	} while ((outq != outq2 || (size_t)(outq + inq) != sent) &&
		 ttp_now_ms() < end && !usleep(10 * 1000));
	EXPECT_LT(0, outq) TH_LOG("sent %zu, unread there %d", sent, inq);
	EXPECT_EQ(sent, (size_t)(outq + inq))
		TH_LOG("unacked %d + unread %d", outq, inq);

	/* Reading everything lets every byte be acknowledged. */
	while (got < sent) {
		size_t want = sent - got < sizeof(in) ? sent - got : sizeof(in);
		ssize_t n = read_full(a, in, want, 3000);

		if (n <= 0)
			break;
		got += n;
		if ((size_t)n < want)
			break;
	}
	EXPECT_EQ(sent, got);
	end = ttp_now_ms() + 3000;
	while (unacked(c) && ttp_now_ms() < end)
		usleep(5 * 1000);
	EXPECT_EQ(0, unacked(c));
	abort_close(a);
	abort_close(c);
	close(l);
}

TEST(sendfile_delivers_the_file_bytes)
{
	static unsigned char data[150000], in[150000];
	char path[] = "/tmp/ttp_api_sendfile_XXXXXX";
	int l, c, a, f;
	pid_t pid;

	setup_netns(_metadata);
	fill_pattern(data, sizeof(data), 11);
	f = mkstemp(path);
	ASSERT_LE(0, f);
	unlink(path);
	ASSERT_EQ((ssize_t)sizeof(data), write(f, data, sizeof(data)));
	make_conn(_metadata, &l, &c, &a);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		off_t off = 0;

		while (off < (off_t)sizeof(data)) {
			ssize_t n = sendfile(c, f, &off, sizeof(data) - off);

			if (n <= 0)
				_exit(1);
		}
		_exit(0);
	}
	receive_from_child(_metadata, a, in, sizeof(in), pid, 5000);
	EXPECT_EQ(0, memcmp(in, data, sizeof(data)));
	close(f);
	abort_close(a);
	abort_close(c);
	close(l);
}

/* ---- poll and epoll ---- */

TEST(poll_reports_pollout_once_connected_and_pollin_when_data_arrives)
{
	short ev;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ev = poll_one(c, POLLIN | POLLOUT, 0);
	EXPECT_EQ(POLLOUT, ev);
	ev = poll_one(a, POLLIN | POLLOUT, 1000);
	EXPECT_EQ(POLLOUT, ev);
	ASSERT_EQ(3, send(c, "abc", 3, 0));
	ev = poll_one(a, POLLIN, 2000);
	EXPECT_EQ(POLLIN, ev);
	close(a);
	close(c);
	close(l);
}

TEST(poll_reports_pollrdhup_after_peer_shutdown_wr)
{
	short ev;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(0, poll_one(a, POLLIN | POLLRDHUP, 0));
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ev = poll_one(a, POLLIN | POLLRDHUP, 2000);
	EXPECT_TRUE(ev & POLLRDHUP) TH_LOG("revents 0x%x", ev);
	EXPECT_TRUE(ev & POLLIN) TH_LOG("revents 0x%x", ev);
	/* Half-closed only: no hang-up yet, and writable. */
	EXPECT_FALSE(ev & (POLLHUP | POLLERR)) TH_LOG("revents 0x%x", ev);
	EXPECT_TRUE(poll_one(a, POLLOUT, 0) & POLLOUT);
	close(a);
	close(c);
	close(l);
}

TEST(epoll_reports_data_then_peer_shutdown)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, got;
	char buf[8];
	int l, c, a, ep;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ev.data.fd = a;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));

	ASSERT_EQ(2, send(c, "hi", 2, 0));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 2000));
	EXPECT_EQ(a, got.data.fd);
	EXPECT_EQ((uint32_t)EPOLLIN, got.events);
	ASSERT_EQ(2, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, epoll_wait(ep, &got, 1, 0));

	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(1, epoll_wait(ep, &got, 1, 2000));
	EXPECT_EQ((uint32_t)(EPOLLIN | EPOLLRDHUP), got.events);
	close(ep);
	close(a);
	close(c);
	close(l);
}

/* The peer of @c reset the connection: check what @c sees. */
static void expect_reset(struct __test_metadata *_metadata, int c)
{
	char buf[8];
	ssize_t n;
	short ev;
	int err;

	ev = poll_one(c, POLLIN, 2000);
	EXPECT_TRUE(ev & POLLHUP) TH_LOG("revents 0x%x", ev);
	EXPECT_TRUE(ev & POLLERR) TH_LOG("revents 0x%x", ev);
	EXPECT_EQ(TTP_CLOSED, ttp_state(c));
	n = recv(c, buf, sizeof(buf), 0);
	err = errno;
	EXPECT_EQ(-1, n) TH_LOG("recv returned %zd, SO_ERROR then: %s", n,
				strerror(so_error(c)));
	EXPECT_EQ(ECONNRESET, err) TH_LOG("recv: %s", strerror(err));
}

TEST(close_with_unread_data_resets_the_peer)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(4, send(c, "lost", 4, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	ASSERT_EQ(4, unread(a));
	close(a);
	expect_reset(_metadata, c);
	close(c);
	close(l);
}

TEST(close_with_zero_linger_resets_the_peer)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(a);
	expect_reset(_metadata, c);
	close(c);
	close(l);
}

/*
 * The peer closed and its socket is gone (its FIN_WAIT2 timed out): what
 * we send reaches no socket there, and the RST that answers it must end
 * our connection, whichever checksum the connection negotiated.
 */
static void expect_vanished_peer_resets(struct __test_metadata *_metadata,
					bool crc32c)
{
	struct ttp_info info;
	int l, c, a, s;
	long long end;
	short ev;

	ASSERT_EQ(0, ttp_sysctl_write("crc32c", crc32c ? "1" : "0"));
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, ttp_get_info(c, &info));
	ASSERT_EQ(crc32c ? TTP_CSUM_CRC32C : TTP_CSUM_INET, info.ttpi_csum_algo);
	close(a);
	ASSERT_EQ(TTP_CLOSE_WAIT, ttp_wait_state(c, TTP_CLOSE_WAIT, 2000));
	/*
	 * fin_timeout_ms is 200 here: then the orphan is gone, and data we
	 * send is answered by a RST.  Until then the orphan takes it: send
	 * again a while, in case its timer runs late.
	 */
	usleep(300 * 1000);
	end = ttp_now_ms() + 3000;
	do {
		if (send(c, "x", 1, MSG_NOSIGNAL) != 1)
			break;
		s = ttp_wait_state(c, TTP_CLOSED, 300);
	} while (s != TTP_CLOSED && ttp_now_ms() < end);
	s = ttp_state(c);
	EXPECT_EQ(TTP_CLOSED, s)
		TH_LOG("TtpOutRsts %ld TtpInRsts %ld TtpInCsumErrors %ld",
		       ttp_stat("TtpOutRsts"), ttp_stat("TtpInRsts"),
		       ttp_stat("TtpInCsumErrors"));
	ev = poll_one(c, POLLOUT, 0);
	EXPECT_TRUE(ev & POLLHUP) TH_LOG("revents 0x%x", ev);
	EXPECT_EQ(-1, send(c, "y", 1, MSG_NOSIGNAL));
	abort_close(c);
	close(l);
}

TEST(reset_for_vanished_peer_ends_inet_checksum_connection)
{
	setup_netns(_metadata);
	expect_vanished_peer_resets(_metadata, false);
}

TEST(reset_for_vanished_peer_ends_crc32c_connection)
{
	setup_netns(_metadata);
	expect_vanished_peer_resets(_metadata, true);
}

/* ---- names ---- */

TEST(getpeername_on_unconnected_socket_gets_enotconn)
{
	struct sockaddr_ttp a, me = ttp_addr("127.0.0.1", 5014);
	socklen_t len = sizeof(a);
	int fresh, bound, l;

	setup_netns(_metadata);
	fresh = ttp_socket();
	bound = ttp_socket();
	ASSERT_LE(0, fresh);
	ASSERT_LE(0, bound);
	EXPECT_ERRNO(ENOTCONN, getpeername(fresh, SA(&a), &len));
	ASSERT_EQ(0, bind(bound, SA(&me), sizeof(me)));
	EXPECT_ERRNO(ENOTCONN, getpeername(bound, SA(&a), &len));
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	EXPECT_ERRNO(ENOTCONN, getpeername(l, SA(&a), &len));
	/* getsockname works on all of them. */
	EXPECT_EQ(0, getsockname(fresh, SA(&a), &len));
	EXPECT_EQ(0, a.sttp_port);
	EXPECT_EQ(0, getsockname(bound, SA(&a), &len));
	EXPECT_EQ(htons(5014), a.sttp_port);
	close(l);
	close(bound);
	close(fresh);
}

TEST(getsockname_truncates_to_a_short_buffer)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 5015);
	unsigned char buf[sizeof(struct sockaddr_ttp) + 8];
	socklen_t len = 4;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	memset(buf, 0xaa, sizeof(buf));
	ASSERT_EQ(0, getsockname(fd, SA(buf), &len));
	/* The full length is reported; only 4 bytes are written. */
	EXPECT_EQ(sizeof(struct sockaddr_ttp), len);
	EXPECT_EQ(0, memcmp(buf, &a, 4));
	EXPECT_EQ(0xaa, buf[4]);
	close(fd);
}

/* ---- TTP_CONGESTION and net.ttp.congestion_control ---- */

static void cc_name(struct __test_metadata *_metadata, int fd, char *name)
{
	socklen_t len = TTP_CA_NAME_MAX;

	memset(name, 0, TTP_CA_NAME_MAX);
	ASSERT_EQ(0, getsockopt(fd, SOL_TTP, TTP_CONGESTION, name, &len));
	ASSERT_EQ((socklen_t)TTP_CA_NAME_MAX, len);
}

static int set_cc(int fd, const char *name)
{
	return setsockopt(fd, SOL_TTP, TTP_CONGESTION, name, strlen(name));
}

TEST(congestion_control_is_chosen_by_name_and_unknown_names_get_enoent)
{
	char name[TTP_CA_NAME_MAX], buf[64];
	socklen_t len;
	int fd;

	setup_netns(_metadata);
	ASSERT_EQ(0, ttp_sysctl_read("congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("newreno", buf);
	ASSERT_EQ(0, ttp_sysctl_read("available_congestion_control", buf,
				     sizeof(buf)));
	EXPECT_STREQ("newreno cubic", buf);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	cc_name(_metadata, fd, name);
	EXPECT_STREQ("newreno", name);

	ASSERT_EQ(0, set_cc(fd, "cubic")) TH_LOG("%s", strerror(errno));
	cc_name(_metadata, fd, name);
	EXPECT_STREQ("cubic", name);
	/* As TCP_CONGESTION: a name not registered is ENOENT; nothing changes. */
	EXPECT_EQ(-1, set_cc(fd, "no-such-cc"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, set_cc(fd, "a-name-longer-than-sixteen"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, TTP_CONGESTION, "cubic", 0));
	EXPECT_EQ(EINVAL, errno);
	cc_name(_metadata, fd, name);
	EXPECT_STREQ("cubic", name);
	/* A short buffer gets what fits. */
	memset(buf, 0, sizeof(buf));
	len = 3;
	ASSERT_EQ(0, getsockopt(fd, SOL_TTP, TTP_CONGESTION, buf, &len));
	EXPECT_EQ(3u, len);
	EXPECT_STREQ("cub", buf);
	ASSERT_EQ(0, set_cc(fd, "newreno"));
	cc_name(_metadata, fd, name);
	EXPECT_STREQ("newreno", name);
	close(fd);
}

TEST(congestion_control_sysctl_sets_the_default_of_new_sockets)
{
	struct ttp_info ci, ai;
	char name[TTP_CA_NAME_MAX], buf[64];
	int old, l, c, a;

	setup_netns(_metadata);
	old = ttp_socket();
	ASSERT_LE(0, old);
	EXPECT_EQ(-1, ttp_sysctl_write("congestion_control", "no-such-cc"));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, ttp_sysctl_write("congestion_control", "cubic"));
	ASSERT_EQ(0, ttp_sysctl_read("congestion_control", buf, sizeof(buf)));
	EXPECT_STREQ("cubic", buf);

	/* New sockets take it, both ends of a connection; old ones keep theirs. */
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, ttp_get_info(c, &ci));
	ASSERT_EQ(0, ttp_get_info(a, &ai));
	EXPECT_STREQ("cubic", ci.ttpi_ca_name);
	EXPECT_STREQ("cubic", ai.ttpi_ca_name);
	cc_name(_metadata, old, name);
	EXPECT_STREQ("newreno", name);
	close(a);
	close(c);

	/* A listener's choice passes to its children. */
	ASSERT_EQ(0, set_cc(l, "newreno"));
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ttp_get_info(a, &ai));
	EXPECT_STREQ("newreno", ai.ttpi_ca_name);
	ASSERT_EQ(0, ttp_get_info(c, &ci));
	EXPECT_STREQ("cubic", ci.ttpi_ca_name);
	close(a);
	close(c);
	close(l);
	close(old);
}

/* ---- TTP_INFO and the states ---- */

TEST(ttp_info_reports_states_and_mss)
{
	struct ttp_info ci, ai;
	int fresh, l, c, a;

	setup_netns(_metadata);
	fresh = ttp_socket();
	ASSERT_LE(0, fresh);
	EXPECT_EQ(TTP_CLOSED, ttp_state(fresh));
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	ASSERT_EQ(0, ttp_get_info(c, &ci));
	ASSERT_EQ(0, ttp_get_info(a, &ai));
	EXPECT_EQ(TTP_ESTABLISHED, ci.ttpi_state);
	EXPECT_EQ(TTP_ESTABLISHED, ai.ttpi_state);
	EXPECT_LT(0, ci.ttpi_mss);
	EXPECT_LT(0, ai.ttpi_mss);
	/* Both ends agreed on one checksum. */
	EXPECT_EQ(ci.ttpi_csum_algo, ai.ttpi_csum_algo);
	close(a);
	close(c);
	close(l);
	close(fresh);
}

TEST(ttp_info_short_optlen_gets_a_prefix_and_the_length_used)
{
	unsigned char buf[sizeof(struct ttp_info) + 8];
	struct ttp_info full;
	socklen_t len;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, ttp_get_info(c, &full));

	memset(buf, 0xaa, sizeof(buf));
	len = 1;
	ASSERT_EQ(0, getsockopt(c, SOL_TTP, TTP_INFO, buf, &len));
	EXPECT_EQ(1u, len);
	EXPECT_EQ(TTP_ESTABLISHED, buf[0]);
	EXPECT_EQ(0xaa, buf[1]);

	memset(buf, 0xaa, sizeof(buf));
	len = 6;
	ASSERT_EQ(0, getsockopt(c, SOL_TTP, TTP_INFO, buf, &len));
	EXPECT_EQ(6u, len);
	EXPECT_EQ(0, memcmp(buf, &full, 6));
	EXPECT_EQ(0xaa, buf[6]);

	/*
	 * A larger buffer gets the whole structure, and its size.  What the
	 * handshake negotiated is the same; the counters after it may move.
	 */
	memset(buf, 0xaa, sizeof(buf));
	len = sizeof(buf);
	ASSERT_EQ(0, getsockopt(c, SOL_TTP, TTP_INFO, buf, &len));
	EXPECT_EQ(sizeof(struct ttp_info), len);
	EXPECT_EQ(0, memcmp(buf, &full, offsetof(struct ttp_info, ttpi_rto)));
	EXPECT_EQ(0xaa, buf[sizeof(struct ttp_info)]);
	EXPECT_EQ(0xaa, buf[sizeof(struct ttp_info)]);

	len = 0;
	EXPECT_EQ(0, getsockopt(c, SOL_TTP, TTP_INFO, buf, &len));
	EXPECT_EQ(0u, len);
	close(a);
	close(c);
	close(l);
}

TEST(ttp_info_shows_close_wait_then_closed_after_our_fin)
{
	char buf[8];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	close(c);
	EXPECT_EQ(TTP_CLOSE_WAIT, ttp_wait_state(a, TTP_CLOSE_WAIT, 2000));
	EXPECT_EQ(0, recv(a, buf, sizeof(buf), 0));
	/* Our FIN from CLOSE_WAIT: LAST_ACK, then CLOSED when acknowledged. */
	ASSERT_EQ(0, shutdown(a, SHUT_WR));
	EXPECT_EQ(TTP_CLOSED, ttp_wait_state(a, TTP_CLOSED, 2000));
	close(a);
	close(l);
}

TEST(ttp_info_shows_fin_wait2_then_time_wait_then_closed)
{
	long long t0, ms;
	int l, c, a, s;

	setup_netns(_metadata);
	/* TIME_WAIT lasts 200 ms here (setup_netns()). */
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(TTP_FIN_WAIT2, ttp_wait_state(c, TTP_FIN_WAIT2, 2000));
	EXPECT_EQ(TTP_CLOSE_WAIT, ttp_wait_state(a, TTP_CLOSE_WAIT, 2000));
	close(a);
	s = ttp_wait_state(c, TTP_TIME_WAIT, 2000);
	t0 = ttp_now_ms();
	EXPECT_EQ(TTP_TIME_WAIT, s);
	EXPECT_EQ(TTP_CLOSED, ttp_wait_state(c, TTP_CLOSED, 3000));
	ms = ttp_now_ms() - t0;
	EXPECT_LE(100, ms) TH_LOG("TIME_WAIT lasted %lld ms", ms);
	close(c);
	close(l);
}

/* shutdown(SHUT_RD) stops a listener; it keeps the port bind() gave it. */
TEST(listener_shut_down_keeps_its_bound_port_and_can_listen_again)
{
	int l, port, c;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 5555, 4);	/* a port bind() chose */
	ASSERT_LE(0, l);
	port = ttp_local_port(l);
	ASSERT_EQ(5555, port);
	ASSERT_EQ(0, shutdown(l, SHUT_RD));
	EXPECT_ERRNO(EINVAL, accept(l, NULL, NULL));
	EXPECT_ERRNO(ECONNREFUSED, ttp_connect_to("127.0.0.1", port));
	ASSERT_EQ(0, listen(l, 4));
	EXPECT_EQ(port, ttp_local_port(l));
	c = ttp_connect_to("127.0.0.1", port);
	EXPECT_LE(0, c);
	close(c);
	close(l);
}

/* TTP_CSUM_ALGO reads back the preference, then what was negotiated. */
TEST(csum_algo_reads_back_preference_then_negotiated_choice)
{
	int l, c, a, s;

	setup_netns(_metadata);
	s = ttp_socket();
	ASSERT_LE(0, s);
	EXPECT_EQ(TTP_CSUM_CRC32C, get_int(s, SOL_TTP, TTP_CSUM_ALGO));
	ASSERT_EQ(0, set_int(s, SOL_TTP, TTP_CSUM_ALGO, TTP_CSUM_INET));
	EXPECT_EQ(TTP_CSUM_INET, get_int(s, SOL_TTP, TTP_CSUM_ALGO));
	close(s);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(TTP_CSUM_CRC32C, get_int(c, SOL_TTP, TTP_CSUM_ALGO));
	EXPECT_EQ(TTP_CSUM_CRC32C, get_int(a, SOL_TTP, TTP_CSUM_ALGO));
	close(a);
	close(c);
	close(l);
}

/* Data that arrives before accept() waits for the process that accepts. */
TEST(data_sent_before_accept_is_delivered_after_it)
{
	static unsigned char out[20000], in[20000];
	long long end;
	int l, c, a;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	fill_pattern(out, sizeof(out), 7);
	ASSERT_EQ((ssize_t)sizeof(out), send(c, out, sizeof(out), 0));
	/* Accepted only once all of it arrived: the peer acknowledged it. */
	end = ttp_now_ms() + 60000;
	while (unacked(c) && ttp_now_ms() < end)
		usleep(5 * 1000);
	EXPECT_EQ(0, unacked(c));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(a));
	ASSERT_EQ((ssize_t)sizeof(in), read_full(a, in, sizeof(in), 3000));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	close(a);
	close(c);
	close(l);
}

/*
 * Both ends close at once: each FIN crosses the other, both go through
 * FIN_WAIT1 -> CLOSING -> TIME_WAIT (in a plain close only one end waits).
 * 100 ms of delay on loopback makes the FINs cross for certain.
 */
TEST(simultaneous_close_goes_through_closing_to_time_wait_on_both_ends)
{
	int l, c, a, sc, sa;

	setup_netns(_metadata);
	ASSERT_EQ(0, ttp_sysctl_write("time_wait_ms", "600"));
	if (system("modprobe -q sch_netem && tc qdisc add dev lo root netem delay 100ms"))
		SKIP(return, "no netem to delay loopback");
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	ASSERT_EQ(0, shutdown(a, SHUT_WR));
	EXPECT_EQ(TTP_FIN_WAIT1, ttp_state(c));
	EXPECT_EQ(TTP_FIN_WAIT1, ttp_state(a));
	/* Each FIN arrives in FIN_WAIT1 (CLOSING), then its ACK. */
	EXPECT_EQ(TTP_CLOSING, ttp_wait_state(c, TTP_CLOSING, 1000));
	sc = ttp_wait_state(c, TTP_TIME_WAIT, 1000);
	sa = ttp_wait_state(a, TTP_TIME_WAIT, 1000);
	EXPECT_EQ(TTP_TIME_WAIT, sc);
	EXPECT_EQ(TTP_TIME_WAIT, sa);
	close(a);
	close(c);
	close(l);
}

/* ---- Nagle's algorithm, TTP_NODELAY, TTP_CORK and MSG_MORE ---- */

#define SMALL_WRITES	100

/* SIOCOUTQNSD: bytes queued and not sent yet. */
static int notsent(int fd)
{
	int n = -1;

	if (ioctl(fd, SIOCOUTQNSD, &n))
		return -1;
	return n;
}

/* Bytes sent and not acknowledged (TTP_INFO). */
static int in_flight(int fd)
{
	struct ttp_info info;

	if (ttp_get_info(fd, &info))
		return -1;
	return info.ttpi_unacked;
}

/* Segments of this namespace, not counting those sent again. */
static long new_segs(void)
{
	return ttp_stat("TtpOutSegs") - ttp_stat("TtpRetransSegs");
}

/*
 * Loopback drops every packet: what is sent stays in flight, without an
 * ACK, for as long as the test needs, however slow the machine.
 */
static bool lo_drops_all(void)
{
	return !system("modprobe -q sch_netem && "
		       "tc qdisc add dev lo root netem loss 100%");
}

static void lo_delivers(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, system("tc qdisc del dev lo root"));
}

/*
 * Nagle's algorithm is on by default: with one small segment in flight,
 * the small writes that follow wait for its ACK in one segment, and go
 * as one when it comes.
 */
TEST(nagle_coalesces_small_writes_while_a_small_segment_is_in_flight)
{
	char in[SMALL_WRITES];
	long segs;
	int l, c, a, i;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(0, get_int(c, SOL_TTP, TTP_NODELAY));
	if (!lo_drops_all())
		SKIP(return, "no netem to drop on loopback");
	segs = new_segs();
	for (i = 0; i < SMALL_WRITES; i++)
		ASSERT_EQ(1, write(c, "n", 1));
	EXPECT_EQ(1, in_flight(c));
	EXPECT_EQ(SMALL_WRITES - 1, notsent(c));
	lo_delivers(_metadata);
	ASSERT_EQ(SMALL_WRITES, read_full(a, in, sizeof(in), 10000));
	EXPECT_EQ(0, memcmp(in, "nnnnnnnnnn", 10));
	/* The first segment, the rest in one, and the ACKs of the two. */
	segs = new_segs() - segs;
	EXPECT_GT(SMALL_WRITES / 10, segs)
		TH_LOG("%d writes went in %ld segments", SMALL_WRITES, segs);
	close(a);
	close(c);
	close(l);
}

/* With TTP_NODELAY, each small write is a segment of its own at once. */
TEST(nodelay_sends_each_small_write_as_its_own_segment)
{
	char in[SMALL_WRITES];
	long segs;
	int l, c, a, i;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_NODELAY, 1));
	EXPECT_EQ(1, get_int(c, SOL_TTP, TTP_NODELAY));
	if (!lo_drops_all())
		SKIP(return, "no netem to drop on loopback");
	segs = new_segs();
	for (i = 0; i < SMALL_WRITES; i++) {
		ASSERT_EQ(1, write(c, "d", 1));
		ASSERT_EQ(0, notsent(c)) TH_LOG("write %d waited", i);
	}
	EXPECT_EQ(SMALL_WRITES, in_flight(c));
	EXPECT_LE(SMALL_WRITES, new_segs() - segs);
	lo_delivers(_metadata);
	ASSERT_EQ(SMALL_WRITES, read_full(a, in, sizeof(in), 10000));
	close(a);
	close(c);
	close(l);
}

/* As TCP_NODELAY: setting it sends what Nagle's algorithm holds, at once. */
TEST(setting_nodelay_sends_what_nagle_holds)
{
	char in[3];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	if (!lo_drops_all())
		SKIP(return, "no netem to drop on loopback");
	ASSERT_EQ(1, write(c, "a", 1));
	ASSERT_EQ(1, write(c, "b", 1));
	ASSERT_EQ(1, write(c, "c", 1));
	EXPECT_EQ(2, notsent(c));
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_NODELAY, 1));
	EXPECT_EQ(0, notsent(c));
	EXPECT_EQ(3, in_flight(c));
	lo_delivers(_metadata);
	ASSERT_EQ(3, read_full(a, in, sizeof(in), 10000));
	EXPECT_EQ(0, memcmp(in, "abc", 3));
	close(a);
	close(c);
	close(l);
}

/*
 * TTP_CORK holds a partial segment with nothing in flight, and a full one
 * goes: nothing below an MSS reaches the wire until uncorked, then all of
 * it at once.  The cork gives way by itself after 200 ms: a check that
 * comes later than that (a slow machine) proves nothing and is skipped.
 */
TEST(cork_holds_partial_segments_until_uncorked)
{
	static char out[1 << 17], in[1 << 17];
	struct ttp_info info;
	long long t0;
	int l, c, a, i, mss, held;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, ttp_get_info(c, &info));
	mss = info.ttpi_snd_mss;
	ASSERT_GT((int)sizeof(out), mss + 100);
	fill_pattern((unsigned char *)out, sizeof(out), 7);
	EXPECT_EQ(0, get_int(c, SOL_TTP, TTP_CORK));
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_CORK, 1));
	EXPECT_EQ(1, get_int(c, SOL_TTP, TTP_CORK));

	t0 = ttp_now_ms();
	for (i = 0; i < 10; i++)
		ASSERT_EQ(10, write(c, out + 10 * i, 10));
	held = notsent(c);
	if (ttp_now_ms() - t0 < 200) {
		EXPECT_EQ(100, held);
		EXPECT_EQ(0, in_flight(c));
	}
	/* A full MSS goes, corked or not; the partial rest waits. */
	t0 = ttp_now_ms();
	ASSERT_EQ(mss, write(c, out + 100, mss));
	held = notsent(c);
	if (ttp_now_ms() - t0 < 200)
		EXPECT_EQ(100, held) TH_LOG("MSS %d", mss);

	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_CORK, 0));
	EXPECT_EQ(0, notsent(c));
	ASSERT_EQ(mss + 100, read_full(a, in, mss + 100, 10000));
	EXPECT_EQ(0, memcmp(in, out, mss + 100));
	close(a);
	close(c);
	close(l);
}

/* TCP's ceiling: corked data goes by itself after 200 ms. */
TEST(cork_gives_way_after_200_ms)
{
	long long t0, ms;
	long expired;
	char in[10];
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_CORK, 1));
	expired = ttp_stat("TtpCorkExpired");
	t0 = ttp_now_ms();
	ASSERT_EQ(10, write(c, "corked....", 10));
	ASSERT_EQ(10, read_full(a, in, sizeof(in), 10000));
	ms = ttp_now_ms() - t0;
	EXPECT_EQ(0, memcmp(in, "corked....", 10));
	/* 200 ms in jiffies, from the tick the write fell in. */
	EXPECT_LE(190, ms);
	EXPECT_EQ(expired + 1, ttp_stat("TtpCorkExpired"));
	EXPECT_EQ(1, get_int(c, SOL_TTP, TTP_CORK));
	close(a);
	close(c);
	close(l);
}

/* MSG_MORE holds a partial segment as the cork does, for that call. */
TEST(msg_more_holds_a_partial_segment_until_a_send_without_it)
{
	char in[60];
	long long t0;
	int l, c, a, i, held;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	t0 = ttp_now_ms();
	for (i = 0; i < 5; i++)
		ASSERT_EQ(10, send(c, "0123456789", 10, MSG_MORE));
	held = notsent(c);
	if (ttp_now_ms() - t0 < 200) {
		EXPECT_EQ(50, held);
		EXPECT_EQ(0, in_flight(c));
	}
	ASSERT_EQ(10, send(c, "abcdefghij", 10, 0));
	EXPECT_EQ(0, notsent(c));
	ASSERT_EQ(60, read_full(a, in, sizeof(in), 10000));
	EXPECT_EQ(0, memcmp(in + 40, "0123456789abcdefghij", 20));
	close(a);
	close(c);
	close(l);
}

/*
 * A request and a response of a full segment and a partial one each,
 * written in two calls, with Nagle's algorithm on.  RFC 896 would hold the
 * partial segment until the full one is acknowledged, which the receiver,
 * acknowledging every second segment, does only when its delayed ACK
 * fires.  Minshall's variant (as TCP's) holds it only behind a partial
 * segment in flight: it goes at once, on both sides, in every exchange.
 */
TEST(request_response_with_nagle_does_not_wait_for_delayed_acks)
{
	static char req[1 << 17], resp[1 << 17], in[1 << 17];
	struct ttp_info info;
	int l, c, a, i, mss;

	setup_netns(_metadata);
	/* A stall would last long enough for nothing else to end it. */
	ASSERT_EQ(0, ttp_sysctl_write("delack_ms", "500"));
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, ttp_get_info(c, &info));
	mss = info.ttpi_snd_mss;
	ASSERT_GT((int)sizeof(req), mss + mss / 2);
	fill_pattern((unsigned char *)req, sizeof(req), 1);
	fill_pattern((unsigned char *)resp, sizeof(resp), 2);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(mss, write(c, req, mss));
		ASSERT_EQ(mss / 2, write(c, req + mss, mss / 2));
		EXPECT_EQ(0, notsent(c)) TH_LOG("request %d held", i);
		ASSERT_EQ(mss + mss / 2, read_full(a, in, mss + mss / 2, 10000));
		EXPECT_EQ(0, memcmp(in, req, mss + mss / 2));
		ASSERT_EQ(mss, write(a, resp, mss));
		ASSERT_EQ(mss / 2, write(a, resp + mss, mss / 2));
		EXPECT_EQ(0, notsent(a)) TH_LOG("response %d held", i);
		ASSERT_EQ(mss + mss / 2, read_full(c, in, mss + mss / 2, 10000));
		EXPECT_EQ(0, memcmp(in, resp, mss + mss / 2));
	}
	close(a);
	close(c);
	close(l);
}

TEST_HARNESS_MAIN
