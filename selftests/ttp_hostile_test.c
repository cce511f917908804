// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile system calls: every socket call with wrong lengths, NULL and
 * unmapped pointers, wrong families and huge values; every socket option
 * with short and long buffers; calls in states where they make no sense;
 * then a randomized fuzzer of all of them from several threads at once,
 * bounded in time.  Each gets the errno Documentation/ttp-uapi.rst gives
 * it, and the kernel stays healthy (scripts/vm-run fails the run on any
 * kernel report, and the debug lane looks for leaks afterwards).
 *
 * Every test runs in a network namespace of its own (setup_netns()).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/sockios.h>

#include "kselftest_harness.h"
#include "ttp_common.h"
#include "ttp_harness.h"

/* A page that faults on any access, and one that faults on writes. */
static void *bad_page(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * A network where nobody answers: a dummy device drops what it is sent, so
 * a SYN to SILENT_HOST leaves the socket in SYN_SENT.  0, or non-zero when
 * the device cannot be made.
 */
#define SILENT_HOST	"10.99.99.2"

static int silent_net_up(void)
{
	return system("ip link add ttpsilent0 type dummy && "
		      "ip addr add 10.99.99.1/24 dev ttpsilent0 && "
		      "ip link set ttpsilent0 up");
}

#define UNMAPPED()	bad_page(PROT_NONE)
#define READ_ONLY()	bad_page(PROT_READ)

static int nb_socket(void)
{
	return socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
}

/* ---- socket calls TTP does not have ---- */

TEST(socketpair_gets_eopnotsupp)
{
	int sv[2];

	setup_netns(_metadata);
	EXPECT_ERRNO(EOPNOTSUPP, socketpair(ttp_family(), SOCK_STREAM, 0, sv));
}

TEST(mmap_of_a_socket_gets_enodev)
{
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
}

/* ---- addresses: bind() and connect() ---- */

TEST(bind_with_null_or_unmapped_address_gets_efault)
{
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EFAULT, bind(fd, NULL, sizeof(struct sockaddr_ttp)));
	EXPECT_ERRNO(EFAULT, bind(fd, UNMAPPED(), sizeof(struct sockaddr_ttp)));
	/* Still unbound: a correct bind() works. */
	{
		struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);

		EXPECT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	}
	close(fd);
}

TEST(bind_with_zero_negative_or_huge_length_gets_einval)
{
	struct sockaddr_storage big;
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), 0));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), 1));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), (socklen_t)-1));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), sizeof(big) + 1));
	EXPECT_ERRNO(EINVAL, bind(fd, SA(&a), INT_MAX));
	close(fd);
}

TEST(bind_with_a_longer_buffer_reads_the_first_32_bytes)
{
	struct sockaddr_storage big;
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);
	int fd;

	setup_netns(_metadata);
	memset(&big, 0xee, sizeof(big));
	memcpy(&big, &a, sizeof(a));
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, bind(fd, SA(&big), sizeof(big)));
	EXPECT_LT(0, ttp_local_port(fd));
	close(fd);
}

TEST(address_with_ipv6_or_unknown_ip_family_gets_eafnosupport)
{
	static const unsigned short ipfamilies[] = {
		AF_INET6, AF_UNSPEC, AF_UNIX, 0xffff,
	};
	unsigned int i;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(ipfamilies) / sizeof(ipfamilies[0]); i++) {
		struct sockaddr_ttp a = ttp_addr("127.0.0.1", 4000);

		a.sttp_ipfamily = ipfamilies[i];
		EXPECT_ERRNO(EAFNOSUPPORT, bind(fd, SA(&a), sizeof(a)));
		EXPECT_ERRNO(EAFNOSUPPORT, connect(fd, SA(&a), sizeof(a)));
	}
	close(fd);
}

TEST(bind_after_connect_or_listen_gets_einval)
{
	struct sockaddr_ttp any = ttp_addr("127.0.0.1", 0);
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_ERRNO(EINVAL, bind(c, SA(&any), sizeof(any)));
	EXPECT_ERRNO(EINVAL, bind(a, SA(&any), sizeof(any)));
	EXPECT_ERRNO(EINVAL, bind(l, SA(&any), sizeof(any)));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	close(a);
	close(c);
	close(l);
}

TEST(connect_with_bad_address_buffers_gets_efault_or_einval)
{
	struct sockaddr_ttp to;
	int fd;

	setup_netns(_metadata);
	to = ttp_addr("127.0.0.1", closed_port(_metadata));
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EFAULT, connect(fd, NULL, sizeof(to)));
	EXPECT_ERRNO(EFAULT, connect(fd, UNMAPPED(), sizeof(to)));
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), 0));
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), 1));
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), sizeof(to) - 1));
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), (socklen_t)-1));
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), INT_MAX));
	to.sttp_family = AF_INET;
	EXPECT_ERRNO(EAFNOSUPPORT, connect(fd, SA(&to), sizeof(to)));
	to.sttp_family = AF_UNSPEC;
	EXPECT_ERRNO(EOPNOTSUPP, connect(fd, SA(&to), sizeof(to)));
	to = ttp_addr("127.0.0.1", 4000);
	to.sttp_reserved2 = 1;
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), sizeof(to)));
	/* None of it moved the socket: it still connects (and is refused). */
	EXPECT_EQ(TTP_CLOSED, ttp_state(fd));
	to = ttp_addr("127.0.0.1", closed_port(_metadata));
	EXPECT_ERRNO(ECONNREFUSED, connect(fd, SA(&to), sizeof(to)));
	close(fd);
}

TEST(connect_to_port_zero_broadcast_or_multicast_fails)
{
	struct sockaddr_ttp to;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	to = ttp_addr("127.0.0.1", 0);
	EXPECT_ERRNO(EINVAL, connect(fd, SA(&to), sizeof(to)));
	to = ttp_addr("255.255.255.255", 80);
	EXPECT_ERRNO(ENETUNREACH, connect(fd, SA(&to), sizeof(to)));
	to = ttp_addr("224.0.0.1", 80);
	EXPECT_ERRNO(ENETUNREACH, connect(fd, SA(&to), sizeof(to)));
	/* Not reachable from a namespace with only a loopback. */
	to = ttp_addr("192.0.2.1", 80);
	EXPECT_ERRNO(ENETUNREACH, connect(fd, SA(&to), sizeof(to)));
	EXPECT_EQ(TTP_CLOSED, ttp_state(fd));
	EXPECT_EQ(0, ttp_local_port(fd));
	close(fd);
}

TEST(refused_socket_may_connect_again)
{
	struct sockaddr_ttp to;
	int l, fd, a;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	to = ttp_addr("127.0.0.1", closed_port(_metadata));
	ASSERT_ERRNO(ECONNREFUSED, connect(fd, SA(&to), sizeof(to)));
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	EXPECT_EQ(0, connect(fd, SA(&to), sizeof(to)))
		TH_LOG("second connect: %s", strerror(errno));
	a = accept(l, NULL, NULL);
	EXPECT_LE(0, a);
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(fd));
	close(a);
	close(fd);
	close(l);
}

/* ---- listen() and accept() ---- */

TEST(listen_on_a_connection_gets_einval)
{
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_ERRNO(EINVAL, listen(c, 4));
	EXPECT_ERRNO(EINVAL, listen(a, 4));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(a));
	/* Nor once it has ended. */
	close(a);
	ASSERT_EQ(0, shutdown(c, SHUT_WR));
	close(l);
	EXPECT_ERRNO(EINVAL, listen(c, 4));
	close(c);
}

TEST(listen_while_connecting_gets_einval)
{
	struct sockaddr_ttp to;
	int fd;

	setup_netns(_metadata);
	if (silent_net_up())
		SKIP(return, "no dummy network device (CONFIG_DUMMY)");
	fd = nb_socket();
	ASSERT_LE(0, fd);
	to = ttp_addr(SILENT_HOST, 80);
	ASSERT_ERRNO(EINPROGRESS, connect(fd, SA(&to), sizeof(to)));
	EXPECT_ERRNO(EINVAL, listen(fd, 4));
	EXPECT_ERRNO(EALREADY, connect(fd, SA(&to), sizeof(to)));
	EXPECT_EQ(TTP_SYN_SENT, ttp_state(fd));
	close(fd);
}

TEST(listen_backlog_below_zero_or_huge_is_clamped)
{
	struct sockaddr_ttp to;
	int l, c, a;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, -1);
	ASSERT_LE(0, l) TH_LOG("listen(-1): %s", strerror(errno));
	/* A backlog of 0 still holds one connection, as TCP's does. */
	to = ttp_addr("127.0.0.1", ttp_local_port(l));
	c = ttp_connect_to("127.0.0.1", ntohs(to.sttp_port));
	ASSERT_LE(0, c);
	a = accept(l, NULL, NULL);
	EXPECT_LE(0, a);
	EXPECT_EQ(0, listen(l, INT_MAX));
	EXPECT_EQ(0, listen(l, INT_MIN));
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	close(a);
	close(c);
	close(l);
}

TEST(accept_with_bad_address_pointers_gets_efault_and_keeps_listening)
{
	struct sockaddr_ttp peer;
	socklen_t len;
	int l, c, a, c2;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 8);
	ASSERT_LE(0, l);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	len = sizeof(peer);
	EXPECT_ERRNO(EFAULT, accept(l, UNMAPPED(), &len));
	/* The connection it took is closed: the client reads the end. */
	EXPECT_TRUE(poll_one(c, POLLIN, 5000) & POLLIN);
	EXPECT_EQ(0, recv(c, &peer, sizeof(peer), MSG_DONTWAIT));
	c2 = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c2);
	EXPECT_ERRNO(EFAULT, accept(l, SA(&peer), UNMAPPED()));
	/* The listener is fine: a third connection is accepted. */
	close(c);
	close(c2);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	len = sizeof(peer);
	a = accept(l, SA(&peer), &len);
	EXPECT_LE(0, a) TH_LOG("accept: %s", strerror(errno));
	EXPECT_EQ(sizeof(peer), len);
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	close(a);
	close(c);
	close(l);
}

TEST(accept_with_negative_length_or_bad_flags_gets_einval)
{
	struct sockaddr_ttp peer;
	socklen_t len = (socklen_t)-1;
	int l, c;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 8);
	ASSERT_LE(0, l);
	c = ttp_connect_to("127.0.0.1", ttp_local_port(l));
	ASSERT_LE(0, c);
	EXPECT_ERRNO(EINVAL, accept4(l, NULL, NULL, 0x7fff0000));
	EXPECT_ERRNO(EINVAL, accept(l, SA(&peer), &len));
	close(c);
	close(l);
}

TEST(accept_on_connection_or_closed_socket_gets_einval)
{
	int l, c, a, fd;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_ERRNO(EINVAL, accept(c, NULL, NULL));
	EXPECT_ERRNO(EINVAL, accept(a, NULL, NULL));
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EINVAL, accept(fd, NULL, NULL));
	close(fd);
	close(a);
	close(c);
	close(l);
}

/* ---- getsockname() and getpeername() ---- */

TEST(names_with_bad_pointers_get_efault_or_einval)
{
	struct sockaddr_ttp name;
	socklen_t len;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	len = sizeof(name);
	EXPECT_ERRNO(EFAULT, getsockname(c, UNMAPPED(), &len));
	EXPECT_ERRNO(EFAULT, getpeername(c, UNMAPPED(), &len));
	EXPECT_ERRNO(EFAULT, getsockname(c, SA(&name), NULL));
	EXPECT_ERRNO(EFAULT, getpeername(c, SA(&name), UNMAPPED()));
	EXPECT_ERRNO(EFAULT, getsockname(c, READ_ONLY(), &len));
	len = (socklen_t)-1;
	EXPECT_ERRNO(EINVAL, getsockname(c, SA(&name), &len));
	/* A zero length: nothing written, the full length reported. */
	len = 0;
	EXPECT_EQ(0, getpeername(c, NULL, &len));
	EXPECT_EQ(sizeof(name), len);
	close(a);
	close(c);
	close(l);
}

TEST(getpeername_on_listener_or_connecting_socket_gets_enotconn)
{
	struct sockaddr_ttp name, to;
	socklen_t len = sizeof(name);
	int l, fd;

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	EXPECT_ERRNO(ENOTCONN, getpeername(l, SA(&name), &len));
	if (silent_net_up())
		SKIP(return, "no dummy network device (CONFIG_DUMMY)");
	fd = nb_socket();
	ASSERT_LE(0, fd);
	to = ttp_addr(SILENT_HOST, 80);
	ASSERT_ERRNO(EINPROGRESS, connect(fd, SA(&to), sizeof(to)));
	EXPECT_ERRNO(ENOTCONN, getpeername(fd, SA(&name), &len));
	close(fd);
	close(l);
}

/* ---- socket options ---- */

/*
 * The options of SOL_TTP that take an int (and TTP_INFO), and numbers that
 * are no option.  TTP_CONGESTION (a name) and the TTP_AUTH_* options (a
 * struct each) have tests of their own (ttp_api_test, ttp_auth_test).
 */
static const int ttp_opts[] = {
	TTP_INFO, TTP_NODELAY, TTP_MAXSEG, TTP_CSUM_ALGO,
	TTP_USER_TIMEOUT, TTP_SYNCNT, TTP_WINDOW_CLAMP, TTP_KEEPIDLE,
	TTP_KEEPINTVL, TTP_KEEPCNT, TTP_NOTSENT_LOWAT, TTP_CORK, TTP_REUSEPORT,
};
static const int no_opts[] = { 0, 62, 63, 64, 1000, -1, INT_MAX, INT_MIN };

/* What setsockopt() of a value of 1 gives on a socket not connected. */
static int set_ok_errno(int opt)
{
	switch (opt) {
	case TTP_NODELAY:
	case TTP_USER_TIMEOUT:
	case TTP_SYNCNT:
	case TTP_KEEPIDLE:
	case TTP_KEEPINTVL:
	case TTP_KEEPCNT:
	case TTP_WINDOW_CLAMP:
	case TTP_NOTSENT_LOWAT:
	case TTP_CORK:
	case TTP_REUSEPORT:
		return 0;
	case TTP_MAXSEG:		/* 1 is below TTP_MIN_MSS */
	case TTP_CSUM_ALGO:		/* 1 is TTP_CSUM_CRC32C: valid */
		return opt == TTP_MAXSEG ? EINVAL : 0;
	default:			/* TTP_INFO, reserved ones */
		return ENOPROTOOPT;
	}
}

TEST(setsockopt_with_short_buffers_gets_einval)
{
	unsigned int i, len;
	int fd, one = 1;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(ttp_opts) / sizeof(ttp_opts[0]); i++)
		for (len = 0; len < sizeof(int); len++)
			EXPECT_ERRNO_AT(EINVAL, setsockopt(fd, SOL_TTP, ttp_opts[i],
							&one, len),
				"option %d, optlen %u", ttp_opts[i], len);
	close(fd);
}

TEST(setsockopt_with_long_buffers_reads_one_int)
{
	static char big[65536];
	unsigned int i;
	int fd, err;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	memset(big, 0, sizeof(big));
	for (i = 0; i < sizeof(ttp_opts) / sizeof(ttp_opts[0]); i++) {
		*(int *)big = 1;
		err = setsockopt(fd, SOL_TTP, ttp_opts[i], big, sizeof(big)) ?
		      errno : 0;
		EXPECT_EQ(set_ok_errno(ttp_opts[i]), err)
			TH_LOG("option %d: %s", ttp_opts[i], strerror(err));
		err = setsockopt(fd, SOL_TTP, ttp_opts[i], big, INT_MAX) ?
		      errno : 0;
		EXPECT_EQ(set_ok_errno(ttp_opts[i]), err)
			TH_LOG("option %d, optlen INT_MAX: %s", ttp_opts[i],
			       strerror(err));
	}
	EXPECT_ERRNO(EINVAL, setsockopt(fd, SOL_TTP, TTP_NODELAY, big, -1));
	close(fd);
}

TEST(setsockopt_with_null_or_unmapped_value_gets_efault)
{
	unsigned int i;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(ttp_opts) / sizeof(ttp_opts[0]); i++) {
		EXPECT_ERRNO(EFAULT, setsockopt(fd, SOL_TTP, ttp_opts[i], NULL,
						sizeof(int)));
		EXPECT_ERRNO(EFAULT, setsockopt(fd, SOL_TTP, ttp_opts[i],
						UNMAPPED(), sizeof(int)));
	}
	close(fd);
}

TEST(unknown_options_and_levels_get_enoprotoopt)
{
	socklen_t len = sizeof(int);
	static const int levels[] = {
		SOL_IP, IPPROTO_TCP, IPPROTO_UDP, 254, 12345, -1, INT_MAX,
	};
	unsigned int i;
	int fd, val = 1;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(no_opts) / sizeof(no_opts[0]); i++) {
		EXPECT_ERRNO_AT(ENOPROTOOPT, setsockopt(fd, SOL_TTP, no_opts[i],
						     &val, sizeof(val)),
				"option %d", no_opts[i]);
		len = sizeof(val);
		EXPECT_ERRNO_AT(ENOPROTOOPT, getsockopt(fd, SOL_TTP, no_opts[i],
						     &val, &len),
				"option %d", no_opts[i]);
	}
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		EXPECT_ERRNO_AT(ENOPROTOOPT, setsockopt(fd, levels[i], TTP_NODELAY,
						     &val, sizeof(val)),
				"level %d", levels[i]);
		len = sizeof(val);
		EXPECT_ERRNO_AT(ENOPROTOOPT, getsockopt(fd, levels[i], TTP_NODELAY,
						     &val, &len),
				"level %d", levels[i]);
	}
	close(fd);
}

TEST(option_values_out_of_range_get_einval)
{
	static const struct { int opt, val; } bad[] = {
		{ TTP_MAXSEG, 1 }, { TTP_MAXSEG, 63 }, { TTP_MAXSEG, 65536 },
		{ TTP_MAXSEG, -1 }, { TTP_MAXSEG, INT_MAX },
		{ TTP_CSUM_ALGO, -1 }, { TTP_CSUM_ALGO, 2 },
		{ TTP_CSUM_ALGO, INT_MAX },
		{ TTP_USER_TIMEOUT, -1 }, { TTP_USER_TIMEOUT, INT_MIN },
		{ TTP_SYNCNT, 0 }, { TTP_SYNCNT, 128 }, { TTP_SYNCNT, -1 },
		{ TTP_SYNCNT, INT_MAX },
		{ TTP_KEEPIDLE, 0 }, { TTP_KEEPIDLE, 32768 },
		{ TTP_KEEPIDLE, INT_MIN }, { TTP_KEEPINTVL, 0 },
		{ TTP_KEEPINTVL, INT_MAX }, { TTP_KEEPCNT, 0 },
		{ TTP_KEEPCNT, 128 }, { TTP_WINDOW_CLAMP, -1 },
		{ TTP_WINDOW_CLAMP, INT_MIN }, { TTP_NOTSENT_LOWAT, -1 },
		{ TTP_NOTSENT_LOWAT, INT_MIN },
	};
	static const struct { int opt, val; } good[] = {
		{ TTP_MAXSEG, 0 }, { TTP_MAXSEG, 64 }, { TTP_MAXSEG, 65535 },
		{ TTP_CSUM_ALGO, TTP_CSUM_INET },
		{ TTP_CSUM_ALGO, TTP_CSUM_CRC32C },
		{ TTP_USER_TIMEOUT, 0 }, { TTP_USER_TIMEOUT, INT_MAX },
		{ TTP_SYNCNT, 1 }, { TTP_SYNCNT, 127 },
		{ TTP_NODELAY, INT_MIN }, { TTP_NODELAY, INT_MAX },
		{ TTP_KEEPIDLE, 1 }, { TTP_KEEPINTVL, 32767 }, { TTP_KEEPCNT, 127 },
		{ TTP_WINDOW_CLAMP, 0 }, { TTP_WINDOW_CLAMP, 1 },
		{ TTP_NOTSENT_LOWAT, 0 }, { TTP_NOTSENT_LOWAT, INT_MAX },
		{ TTP_CORK, INT_MAX }, { TTP_CORK, INT_MIN },
	};
	unsigned int i;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_ERRNO_AT(EINVAL, set_int(fd, SOL_TTP, bad[i].opt, bad[i].val),
				"option %d = %d", bad[i].opt, bad[i].val);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_EQ(0, set_int(fd, SOL_TTP, good[i].opt, good[i].val))
			TH_LOG("option %d = %d: %s", good[i].opt, good[i].val,
			       strerror(errno));
	EXPECT_EQ(INT_MAX, get_int(fd, SOL_TTP, TTP_USER_TIMEOUT));
	EXPECT_EQ(127, get_int(fd, SOL_TTP, TTP_SYNCNT));
	EXPECT_EQ(1, get_int(fd, SOL_TTP, TTP_NODELAY));
	/* A clamp of 1 is raised to half the smallest receive buffer. */
	EXPECT_LT(1000, get_int(fd, SOL_TTP, TTP_WINDOW_CLAMP));
	EXPECT_EQ(INT_MAX, get_int(fd, SOL_TTP, TTP_NOTSENT_LOWAT));
	EXPECT_EQ(1, get_int(fd, SOL_TTP, TTP_CORK));
	close(fd);
}

TEST(getsockopt_with_short_long_or_bad_buffers)
{
	char big[4096];
	struct ttp_info info;
	socklen_t len;
	unsigned int i;
	int fd;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(ttp_opts) / sizeof(ttp_opts[0]); i++) {
		int opt = ttp_opts[i];

		/* Long: an int option fills one int, TTP_INFO its size. */
		len = sizeof(big);
		EXPECT_EQ(0, getsockopt(fd, SOL_TTP, opt, big, &len));
		EXPECT_EQ(opt == TTP_INFO ? sizeof(info) : sizeof(int), len)
			TH_LOG("option %d", opt);
		/* Short: TTP_INFO gives a prefix, int options refuse. */
		len = 3;
		if (opt == TTP_INFO) {
			EXPECT_EQ(0, getsockopt(fd, SOL_TTP, opt, big, &len));
			EXPECT_EQ(3U, len);
			len = 0;
			EXPECT_EQ(0, getsockopt(fd, SOL_TTP, opt, NULL, &len));
			EXPECT_EQ(0U, len);
		} else {
			EXPECT_ERRNO(EINVAL, getsockopt(fd, SOL_TTP, opt, big,
							&len));
		}
		len = (socklen_t)-1;
		EXPECT_ERRNO_AT(EINVAL, getsockopt(fd, SOL_TTP, opt, big, &len),
				"option %d, optlen -1", opt);
		len = sizeof(int);
		EXPECT_ERRNO_AT(EFAULT, getsockopt(fd, SOL_TTP, opt, NULL, &len),
				"option %d, NULL optval", opt);
		len = sizeof(int);
		EXPECT_ERRNO_AT(EFAULT, getsockopt(fd, SOL_TTP, opt, UNMAPPED(),
						&len),
				"option %d, unmapped optval", opt);
		len = sizeof(int);
		EXPECT_ERRNO_AT(EFAULT, getsockopt(fd, SOL_TTP, opt, READ_ONLY(),
						&len),
				"option %d, read-only optval", opt);
		EXPECT_ERRNO_AT(EFAULT, getsockopt(fd, SOL_TTP, opt, big, NULL),
				"option %d, NULL optlen", opt);
		EXPECT_ERRNO_AT(EFAULT, getsockopt(fd, SOL_TTP, opt, big,
						UNMAPPED()),
				"option %d, unmapped optlen", opt);
	}
	close(fd);
}

TEST(options_in_every_state_leave_the_connection_working)
{
	struct ttp_info info;
	int l, c, a, opt, val;
	char buf[8];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	/* The connection is set up: these may not change any more. */
	EXPECT_ERRNO(EISCONN, set_int(c, SOL_TTP, TTP_MAXSEG, 1000));
	EXPECT_ERRNO(EISCONN, set_int(a, SOL_TTP, TTP_CSUM_ALGO,
				      TTP_CSUM_INET));
	/* Every option, every value of a small set, on all three sockets. */
	for (opt = TTP_INFO; opt <= TTP_CORK; opt++) {
		for (val = -2; val <= 2; val++) {
			set_int(l, SOL_TTP, opt, val);
			set_int(c, SOL_TTP, opt, val);
			set_int(a, SOL_TTP, opt, val);
		}
	}
	ASSERT_EQ(0, set_int(c, SOL_TTP, TTP_USER_TIMEOUT, 0));
	ASSERT_EQ(0, set_int(a, SOL_TTP, TTP_USER_TIMEOUT, 0));
	EXPECT_EQ(5, send(c, "hello", 5, 0));
	EXPECT_EQ(5, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, ttp_get_info(c, &info));
	EXPECT_EQ(TTP_ESTABLISHED, info.ttpi_state);
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	close(a);
	close(c);
	close(l);
}

/* ---- ioctl() ---- */

TEST(ioctl_with_bad_pointers_gets_efault)
{
	static const unsigned long cmds[] = { SIOCINQ, SIOCOUTQ, SIOCOUTQNSD };
	unsigned int i;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_ERRNO(EFAULT, ioctl(c, cmds[i], NULL));
		EXPECT_ERRNO(EFAULT, ioctl(c, cmds[i], UNMAPPED()));
		EXPECT_ERRNO(EFAULT, ioctl(c, cmds[i], READ_ONLY()));
		EXPECT_ERRNO_AT(EINVAL, ioctl(l, cmds[i], NULL),
				"a listener has no queues: %lx", cmds[i]);
	}
	close(a);
	close(c);
	close(l);
}

TEST(unknown_ioctl_gets_enotty)
{
	static const unsigned long cmds[] = {
		0x5401 /* TCGETS */, SIOCATMARK, 0xdeadbeef, 0,
	};
	unsigned int i;
	int l, c, a, n;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		EXPECT_ERRNO_AT(ENOTTY, ioctl(c, cmds[i], &n),
				"ioctl %lx", cmds[i]);
	close(a);
	close(c);
	close(l);
}

/* ---- shutdown() ---- */

TEST(shutdown_with_bad_how_gets_einval)
{
	static const int hows[] = { -1, 3, 4, INT_MAX, INT_MIN };
	unsigned int i;
	int l, c, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	for (i = 0; i < sizeof(hows) / sizeof(hows[0]); i++) {
		EXPECT_ERRNO_AT(EINVAL, shutdown(c, hows[i]),
				"how %d", hows[i]);
		EXPECT_ERRNO_AT(EINVAL, shutdown(l, hows[i]),
				"how %d", hows[i]);
	}
	EXPECT_EQ(TTP_ESTABLISHED, ttp_state(c));
	EXPECT_EQ(TTP_LISTEN, ttp_state(l));
	/* Twice the same: the second does nothing and succeeds. */
	EXPECT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(0, shutdown(c, SHUT_WR));
	EXPECT_EQ(0, shutdown(c, SHUT_RDWR));
	close(a);
	close(c);
	close(l);
}

/* ---- the data calls with bad buffers ---- */

TEST(send_from_bad_buffers_gets_efault_and_sends_nothing)
{
	int l, c, a, n = -1;
	char buf[16];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_ERRNO(EFAULT, send(c, NULL, 100, 0));
	EXPECT_ERRNO(EFAULT, send(c, UNMAPPED(), 100, 0));
	EXPECT_EQ(0, send(c, NULL, 0, 0));
	ASSERT_EQ(0, ioctl(c, SIOCOUTQ, &n));
	EXPECT_EQ(0, n);
	/* The connection carries data as before. */
	EXPECT_EQ(3, send(c, "abc", 3, 0));
	EXPECT_EQ(3, recv(a, buf, sizeof(buf), 0));
	close(a);
	close(c);
	close(l);
}

TEST(recv_into_bad_buffers_gets_efault_and_keeps_the_data)
{
	int l, c, a;
	char buf[16];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(5, send(c, "hello", 5, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 5000) & POLLIN);
	EXPECT_ERRNO(EFAULT, recv(a, NULL, sizeof(buf), 0));
	EXPECT_ERRNO(EFAULT, recv(a, UNMAPPED(), sizeof(buf), 0));
	EXPECT_ERRNO(EFAULT, recv(a, READ_ONLY(), sizeof(buf), 0));
	EXPECT_ERRNO(EFAULT, recv(a, UNMAPPED(), sizeof(buf), MSG_PEEK));
	/* Nothing was consumed. */
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	close(a);
	close(c);
	close(l);
}

TEST(sendmsg_with_bad_iovecs_fails_cleanly)
{
	struct iovec iov[2], *many;
	struct msghdr m = { 0 };
	int l, c, a, n = -1;
	char buf[3];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = UNMAPPED();
	iov[1].iov_len = 100;
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	/*
	 * Bytes go a segment at a time: the fault is in the first one, so
	 * nothing is sent (TCP does the same).
	 */
	EXPECT_ERRNO(EFAULT, sendmsg(c, &m, 0));
	ASSERT_EQ(0, ioctl(c, SIOCOUTQNSD, &n));
	EXPECT_EQ(0, n);
	EXPECT_FALSE(poll_one(a, POLLIN, 300) & POLLIN);
	EXPECT_EQ(3, send(c, "xyz", 3, 0));
	EXPECT_EQ(3, recv(a, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "xyz", 3));
	m.msg_iov = UNMAPPED();
	EXPECT_ERRNO(EFAULT, sendmsg(c, &m, 0));
	m.msg_iov = iov;
	m.msg_iovlen = IOV_MAX + 1;
	many = calloc(IOV_MAX + 1, sizeof(*many));
	ASSERT_NE(NULL, many);
	m.msg_iov = many;
	EXPECT_ERRNO(EMSGSIZE, sendmsg(c, &m, 0));
	free(many);
	EXPECT_ERRNO(EFAULT, sendmsg(c, NULL, 0));
	EXPECT_ERRNO(EFAULT, recvmsg(a, NULL, 0));
	close(a);
	close(c);
	close(l);
}

/*
 * A control message of SOL_SOCKET that the socket layer does not know, or
 * a malformed one, gets EINVAL and sends nothing; the rest are ignored,
 * as TCP ignores them (SCM_RIGHTS included: no descriptor travels).
 */
TEST(sendmsg_with_unknown_or_malformed_control_messages_gets_einval)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = "abc", .iov_len = 3 };
	struct msghdr m = { 0 };
	int l, c, a, n = -1, fd = 0;
	char buf[3];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	memset(&cm, 0, sizeof(cm));
	cm.h.cmsg_level = SOL_SOCKET;
	cm.h.cmsg_type = SCM_RIGHTS;
	cm.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&cm.h), &fd, sizeof(fd));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = &cm;
	m.msg_controllen = sizeof(cm);
	cm.h.cmsg_type = 999;
	EXPECT_ERRNO(EINVAL, sendmsg(c, &m, 0));
	cm.h.cmsg_type = SCM_RIGHTS;
	cm.h.cmsg_len = 9999;			/* longer than the buffer */
	EXPECT_ERRNO(EINVAL, sendmsg(c, &m, 0));
	ASSERT_EQ(0, ioctl(c, SIOCOUTQNSD, &n));
	EXPECT_EQ(0, n);
	EXPECT_FALSE(poll_one(a, POLLIN, 200) & POLLIN);
	cm.h.cmsg_len = CMSG_LEN(sizeof(int));
	EXPECT_EQ(3, sendmsg(c, &m, 0));
	EXPECT_EQ(3, recv(a, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	cm.h.cmsg_level = IPPROTO_IP;
	cm.h.cmsg_type = IP_TTL;
	EXPECT_EQ(3, sendmsg(c, &m, 0));
	EXPECT_EQ(3, recv(a, buf, sizeof(buf), MSG_WAITALL));
	close(a);
	close(c);
	close(l);
}

/*
 * Calls from the edges of the socket API: splice() both ways, zero-copy
 * sends, the error queue, a receive low-water mark larger than any buffer
 * and a negative one.  Each behaves as Documentation/ttp-uapi.rst says,
 * and the connection still carries data afterwards.
 */
TEST(splice_zerocopy_errqueue_and_rcvlowat_extremes)
{
	struct msghdr m = { 0 };
	struct iovec iov;
	int l, c, a, p[2];
	char buf[16];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	ASSERT_EQ(0, pipe(p));
	/* socket -> pipe, pipe -> socket */
	ASSERT_EQ(5, send(c, "hello", 5, 0));
	ASSERT_TRUE(poll_one(a, POLLIN, 2000) & POLLIN);
	EXPECT_EQ(5, splice(a, NULL, p[1], NULL, 5, SPLICE_F_NONBLOCK));
	EXPECT_EQ(5, read(p[0], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(5, write(p[1], "world", 5));
	EXPECT_EQ(5, splice(p[0], NULL, c, NULL, 5, 0));
	EXPECT_EQ(5, recv(a, buf, 5, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	/* Zero copy is for inet sockets: MSG_ZEROCOPY alone copies. */
	EXPECT_ERRNO(EOPNOTSUPP, set_int(c, SOL_SOCKET, SO_ZEROCOPY, 1));
	EXPECT_EQ(3, send(c, "abc", 3, MSG_ZEROCOPY));
	EXPECT_EQ(3, recv(a, buf, 3, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	EXPECT_ERRNO(EOPNOTSUPP, recvmsg(c, &m, MSG_ERRQUEUE | MSG_DONTWAIT));
	/*
	 * A low-water mark above anything that can come: a read waits for
	 * it until SO_RCVTIMEO, then returns what there is.  A negative one
	 * is taken as INT_MAX, as the socket layer does.
	 */
	ASSERT_EQ(0, set_int(a, SOL_SOCKET, SO_RCVLOWAT, 1 << 30));
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_RCVTIMEO,
				&(struct timeval){ .tv_usec = 300000 },
				sizeof(struct timeval)));
	ASSERT_EQ(4, send(c, "wxyz", 4, 0));
	EXPECT_EQ(4, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, set_int(a, SOL_SOCKET, SO_RCVLOWAT, -5));
	EXPECT_EQ(INT_MAX, get_int(a, SOL_SOCKET, SO_RCVLOWAT));
	ASSERT_EQ(0, set_int(a, SOL_SOCKET, SO_RCVLOWAT, 1));
	ASSERT_EQ(4, send(c, "ping", 4, 0));
	EXPECT_EQ(4, recv(a, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	close(p[0]);
	close(p[1]);
	close(a);
	close(c);
	close(l);
}

TEST(sendto_ignores_the_address_on_a_connection)
{
	struct sockaddr_ttp elsewhere = ttp_addr("127.0.0.9", 9);
	struct sockaddr_in in = { .sin_family = AF_INET };
	int l, c, a;
	char buf[8];

	setup_netns(_metadata);
	make_conn(_metadata, &l, &c, &a);
	EXPECT_EQ(2, sendto(c, "hi", 2, 0, SA(&elsewhere), sizeof(elsewhere)));
	EXPECT_EQ(2, sendto(c, "hi", 2, 0, SA(&in), sizeof(in)));
	/* The socket layer copies it in all the same. */
	EXPECT_ERRNO(EFAULT, sendto(c, "hi", 2, 0, UNMAPPED(), sizeof(in)));
	EXPECT_EQ(4, recv(a, buf, 4, MSG_WAITALL));
	close(a);
	close(c);
	close(l);
}

TEST(data_calls_on_listener_or_unconnected_socket_get_enotconn)
{
	int l, fd;
	char buf[8];

	setup_netns(_metadata);
	l = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, l);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(ENOTCONN, send(l, "x", 1, MSG_NOSIGNAL));
	EXPECT_ERRNO(ENOTCONN, recv(l, buf, sizeof(buf), 0));
	EXPECT_ERRNO(ENOTCONN, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_ERRNO(ENOTCONN, recv(fd, buf, sizeof(buf), 0));
	EXPECT_ERRNO(EOPNOTSUPP, send(fd, "x", 1, MSG_OOB));
	EXPECT_ERRNO(EOPNOTSUPP, recv(l, buf, sizeof(buf), MSG_OOB));
	EXPECT_ERRNO(EOPNOTSUPP, recv(l, buf, sizeof(buf), MSG_ERRQUEUE));
	close(fd);
	close(l);
}

/* ---- another thread blocked in a call while the socket is shut ---- */

struct blocked {
	int fd;
	int ret;
	int err;
	int tid;
	int (*call)(int fd);
};

static void *run_blocked(void *arg)
{
	struct blocked *b = arg;

	__atomic_store_n(&b->tid, (int)gettid(), __ATOMIC_SEQ_CST);
	b->ret = b->call(b->fd);
	b->err = errno;
	return NULL;
}

static int do_accept(int fd)
{
	return accept(fd, NULL, NULL);
}

static int do_recv(int fd)
{
	char buf[8];

	return recv(fd, buf, sizeof(buf), 0);
}

static int do_connect_silent(int fd)
{
	struct sockaddr_ttp to = ttp_addr(SILENT_HOST, 80);

	return connect(fd, SA(&to), sizeof(to));
}

/* Whether thread @tid of this process sleeps (state S: blocked in a call). */
static bool task_sleeps(int tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');	/* the name may hold anything */
	return p && p[1] == ' ' && p[2] == 'S';
}

/*
 * Start @b's call, wait until it blocks (its thread sleeps), check that it
 * has not returned, shut the socket, join within 5 s.
 */
static void shut_under(struct __test_metadata *_metadata, struct blocked *b,
		       int how)
{
	long long t0, end;
	pthread_t t;
	int tid = 0;

	b->ret = -2;
	b->tid = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, run_blocked, b));
	end = ttp_now_ms() + 60000;
	while (ttp_now_ms() < end &&
	       !((tid = __atomic_load_n(&b->tid, __ATOMIC_SEQ_CST)) && task_sleeps(tid)))
		usleep(10 * 1000);
	EXPECT_TRUE(tid && task_sleeps(tid)) TH_LOG("the call's thread never slept");
	EXPECT_EQ(-2, b->ret) TH_LOG("the call did not block");
	t0 = ttp_now_ms();
	EXPECT_EQ(0, shutdown(b->fd, how)) TH_LOG("shutdown: %s", strerror(errno));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_GT(5000, ttp_now_ms() - t0);
}

TEST(shutdown_wakes_accept_with_einval)
{
	struct blocked b = { .call = do_accept };

	setup_netns(_metadata);
	b.fd = ttp_listen_on("127.0.0.1", 0, 4);
	ASSERT_LE(0, b.fd);
	shut_under(_metadata, &b, SHUT_RDWR);
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(EINVAL, b.err) TH_LOG("accept: %s", strerror(b.err));
	close(b.fd);
}

TEST(shutdown_rd_wakes_recv_with_end_of_stream)
{
	struct blocked b = { .call = do_recv };
	int l, a;

	setup_netns(_metadata);
	make_conn(_metadata, &l, &b.fd, &a);
	shut_under(_metadata, &b, SHUT_RD);
	EXPECT_EQ(0, b.ret) TH_LOG("recv: %s", strerror(b.err));
	close(a);
	close(b.fd);
	close(l);
}

TEST(shutdown_abandons_a_blocked_connect_with_econnaborted)
{
	struct blocked b = { .call = do_connect_silent };

	setup_netns(_metadata);
	if (silent_net_up())
		SKIP(return, "no dummy network device (CONFIG_DUMMY)");
	b.fd = ttp_socket();
	ASSERT_LE(0, b.fd);
	shut_under(_metadata, &b, SHUT_RDWR);
	EXPECT_EQ(-1, b.ret);
	EXPECT_EQ(ECONNABORTED, b.err) TH_LOG("connect: %s", strerror(b.err));
	EXPECT_EQ(TTP_CLOSED, ttp_state(b.fd));
	close(b.fd);
}

/* ---- the fuzzer ---- */

/*
 * Threads call the socket calls at random on a shared set of TTP sockets,
 * with arguments drawn from what a buggy or hostile program passes: valid
 * ones, NULL, unmapped and read-only pointers, short, long, negative and
 * huge lengths, unknown flags, options, levels and values.  Every socket
 * is non-blocking and lingers at most 1 s, so no call waits long.  Each
 * call must succeed or fail with an errno the documentation gives it;
 * afterwards every socket must go away.  TTP_FUZZ_SECONDS sets the time
 * (default 20 s, at most FUZZ_MAX_SECONDS), TTP_FUZZ_SEED the seed (the
 * test prints the one it used).
 */
#define FUZZ_THREADS	4
#define FUZZ_SLOTS	12
#define FUZZ_PORTS	4
#define FUZZ_PORT0	20000

static atomic_int fuzz_fd[FUZZ_SLOTS];
static atomic_long fuzz_calls;
/* How deep it went: connections accepted, bytes moved. */
static atomic_long fuzz_accepted, fuzz_sent, fuzz_received;
static atomic_int fuzz_bad;
static long long fuzz_end, fuzz_cap;
static void *fuzz_unmapped, *fuzz_ro;

/*
 * Each thread's data buffer: lengths up to INT_MAX are passed with it, and
 * the kernel rightly copies as much as there is, so it is 4 MiB (more than
 * any socket here holds) and ends in an inaccessible page, where a longer
 * copy stops with EFAULT instead of writing over the thread's stack.
 */
#define FUZZ_IO		4096
#define FUZZ_BIG	(4 << 20)
static __thread char *fuzz_io;
static const unsigned char fuzz_canary[16] = {
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
};

/* xorshift: each thread its own sequence. */
static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define PICK(s, arr)	((arr)[rnd(s) % (sizeof(arr) / sizeof((arr)[0]))])

/* A buffer argument: mostly good, sometimes not. */
static void *fuzz_buf(unsigned int *s, void *good)
{
	switch (rnd(s) % 8) {
	case 0:
		return NULL;
	case 1:
		return fuzz_unmapped;
	case 2:
		return fuzz_ro;
	default:
		return good;
	}
}

static long fuzz_len(unsigned int *s, long good)
{
	static const long lens[] = { 0, 1, 3, 4, 31, 32, 33, 128, 129, 4096,
				     65536, INT_MAX, -1, LONG_MAX };

	return rnd(s) % 2 ? good : PICK(s, lens);
}

/*
 * Read once: ttp_family() opens a file, whose descriptor another thread's
 * stale number would then reach (ENOTSOCK instead of EBADF).
 */
static int fuzz_family;

static struct sockaddr_ttp fuzz_addr(unsigned int *s)
{
	static const in_addr_t ips[] = {
		0x7f000001, 0x7f000002, 0, 0xffffffff, 0xe0000001, 0xc0000201,
	};
	struct sockaddr_ttp a;

	memset(&a, 0, sizeof(a));
	a.sttp_family = fuzz_family;
	a.sttp_ipfamily = AF_INET;
	a.sttp_addr.v4 = htonl(rnd(s) % 4 ? ips[0] : PICK(s, ips));
	a.sttp_port = htons(rnd(s) % 8 ? FUZZ_PORT0 + rnd(s) % FUZZ_PORTS :
				      rnd(s) % 65536);
	switch (rnd(s) % 16) {
	case 0:
		a.sttp_family = rnd(s);
		break;
	case 1:
		a.sttp_ipfamily = rnd(s) % 2 ? AF_INET6 : rnd(s);
		break;
	case 2:
		a.sttp_reserved1 = rnd(s);
		break;
	case 3:
		a.sttp_family = AF_UNSPEC;
		break;
	}
	return a;
}

/* errno sets per call, from Documentation/ttp-uapi.rst. */
static const int e_bind[] = { EINVAL, EAFNOSUPPORT, EADDRINUSE,
			      EADDRNOTAVAIL, EFAULT, 0 };
static const int e_connect[] = { EINVAL, EAFNOSUPPORT, EOPNOTSUPP,
				 ENETUNREACH, EADDRNOTAVAIL, ECONNREFUSED,
				 ETIMEDOUT, EINPROGRESS, EALREADY, EISCONN,
				 ECONNABORTED, ECONNRESET, EFAULT, 0 };
static const int e_listen[] = { EINVAL, EADDRNOTAVAIL, EADDRINUSE, 0 };
static const int e_accept[] = { EINVAL, EAGAIN, EFAULT, 0 };
static const int e_send[] = { EOPNOTSUPP, ECONNRESET, ETIMEDOUT,
			      ECONNREFUSED, ENOTCONN, EPIPE, EAGAIN, EFAULT,
			      EMSGSIZE, EINVAL, 0 };
static const int e_recv[] = { EOPNOTSUPP, ECONNRESET, ETIMEDOUT,
			      ECONNREFUSED, ENOTCONN, EAGAIN, EFAULT,
			      EMSGSIZE, EINVAL, 0 };
/* TTP_AUTH_KEY (5) adds EAFNOSUPPORT, ENOENT, EMSGSIZE, EEXIST, ENOSPC. */
static const int e_sockopt[] = { ENOPROTOOPT, EINVAL, EFAULT, EISCONN,
				 EAFNOSUPPORT, ENOENT, EMSGSIZE, EEXIST,
				 ENOSPC, 0 };
static const int e_ioctl[] = { EINVAL, EFAULT, ENOTTY, 0 };
static const int e_shutdown[] = { EINVAL, ENOTCONN, 0 };
static const int e_name[] = { ENOTCONN, EFAULT, EINVAL, 0 };
static const int e_none[] = { 0 };

/* A call returned @ret: a failure must have an errno of @ok (or EBADF). */
static void fuzz_check(const char *call, long ret, int err, const int *ok,
		       long a1, long a2, long a3)
{
	const int *e;

	atomic_fetch_add(&fuzz_calls, 1);
	if (ret >= 0 || err == EBADF)
		return;
	for (e = ok; *e; e++)
		if (*e == err)
			return;
	if (atomic_fetch_add(&fuzz_bad, 1) < 20)
		fprintf(stderr, "# fuzz: %s(%ld, %ld, %ld): errno %d (%s)\n",
			call, a1, a2, a3, err, strerror(err));
}

#define FUZZ(ok, call, a1, a2, a3) do {					\
	long r_ = (call);						\
	fuzz_check(#call, r_, errno, ok, (long)(a1), (long)(a2),	\
		   (long)(a3));						\
} while (0)

static void fuzz_set_fd(int slot, int fd)
{
	int old = atomic_exchange(&fuzz_fd[slot], fd);

	if (old > 2)
		close(old);
}

static void fuzz_one(unsigned int *s)
{
	static const int flags[] = { 0, MSG_PEEK, MSG_WAITALL, MSG_OOB,
				     MSG_TRUNC, MSG_ERRQUEUE, MSG_MORE,
				     MSG_EOR, 0x7fffffff };
	static const unsigned long cmds[] = { SIOCINQ, SIOCOUTQ, SIOCOUTQNSD,
					      SIOCATMARK, 0x5401, 0xdeadbeef };
	static const int levels[] = { SOL_TTP, SOL_TTP, SOL_TTP, SOL_IP,
				      IPPROTO_TCP, 12345, -1 };
	static const int vals[] = { 0, 1, 2, 63, 64, 127, 128, 1460, 65535,
				    65536, -1, INT_MAX, INT_MIN };
	int slot = rnd(s) % FUZZ_SLOTS;
	int fd = atomic_load(&fuzz_fd[slot]);
	char opt[256];
	struct sockaddr_ttp a;
	socklen_t len;
	long l, r;
	int v, level, name;

	memset(opt, 0, sizeof(opt));
	switch (rnd(s) % 18) {
	case 0:
		fuzz_set_fd(slot, socket(fuzz_family,
					 SOCK_STREAM | SOCK_NONBLOCK, 0));
		break;
	case 1:
		fuzz_set_fd(slot, -1);
		break;
	case 2:
		a = fuzz_addr(s);
		l = fuzz_len(s, sizeof(a));
		FUZZ(e_bind, bind(fd, fuzz_buf(s, &a), l), fd, a.sttp_port, l);
		break;
	case 3:
	case 4:
		a = fuzz_addr(s);
		l = fuzz_len(s, sizeof(a));
		FUZZ(e_connect, connect(fd, fuzz_buf(s, &a), l), fd,
		     a.sttp_port, l);
		break;
	case 5:
		v = PICK(s, vals);
		FUZZ(e_listen, listen(fd, v), fd, v, 0);
		break;
	case 6:
		len = fuzz_len(s, sizeof(a));
		v = accept4(fd, fuzz_buf(s, &a),
			    rnd(s) % 4 ? &len : fuzz_buf(s, &len),
			    SOCK_NONBLOCK | (rnd(s) % 2 ? SOCK_CLOEXEC : 0));
		fuzz_check("accept4", v, errno, e_accept, fd, len, 0);
		if (v >= 0) {
			atomic_fetch_add(&fuzz_accepted, 1);
			fuzz_set_fd(rnd(s) % FUZZ_SLOTS, v);
		}
		break;
	case 7:
	case 8:
		l = fuzz_len(s, rnd(s) % FUZZ_IO);
		if (l > FUZZ_IO && rnd(s) % 2)
			l = FUZZ_IO;
		v = PICK(s, flags) | MSG_NOSIGNAL | MSG_DONTWAIT;
		r = send(fd, fuzz_buf(s, fuzz_io), l, v);
		fuzz_check("send", r, errno, e_send, fd, l, v);
		if (r > 0)
			atomic_fetch_add(&fuzz_sent, r);
		break;
	case 9:
	case 10:
		l = fuzz_len(s, FUZZ_IO);
		if (l > FUZZ_IO && rnd(s) % 2)
			l = FUZZ_IO;
		v = PICK(s, flags) | MSG_DONTWAIT;
		/* What follows the buffer must stay as it was. */
		if (l >= 0 && l <= FUZZ_BIG - 16)
			memset(fuzz_io + l, 0xa5, 16);
		r = recv(fd, fuzz_buf(s, fuzz_io), l, v);
		fuzz_check("recv", r, errno, e_recv, fd, l, v);
		if (l >= 0 && (r > l || (l <= FUZZ_BIG - 16 &&
					 memcmp(fuzz_io + l, fuzz_canary, 16)))) {
			atomic_fetch_add(&fuzz_bad, 1);
			fprintf(stderr, "# fuzz: recv(%d, %ld, %d) wrote past its length\n",
				fd, l, v);
		}
		if (r > 0)
			atomic_fetch_add(&fuzz_received, r);
		break;
	case 11:
		level = PICK(s, levels);
		name = rnd(s) % 14;
		*(int *)opt = PICK(s, vals);
		l = fuzz_len(s, sizeof(int));
		FUZZ(e_sockopt, setsockopt(fd, level, name, fuzz_buf(s, opt), l),
		     fd, name, l);
		break;
	case 12:
		level = PICK(s, levels);
		name = rnd(s) % 14;
		len = fuzz_len(s, sizeof(opt));
		FUZZ(e_sockopt, getsockopt(fd, level, name, fuzz_buf(s, opt),
					   rnd(s) % 8 ? &len : fuzz_buf(s, &len)),
		     fd, name, len);
		break;
	case 13: {
		/* The socket layer's options TTP uses, with sane values. */
		struct linger lg = { rnd(s) % 2, rnd(s) % 2 };

		v = PICK(s, vals) & 0xfffff;
		switch (rnd(s) % 4) {
		case 0:
			FUZZ(e_none, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
						sizeof(lg)), fd, lg.l_onoff, 0);
			break;
		case 1:
			FUZZ(e_none, set_int(fd, SOL_SOCKET, SO_RCVBUF, v), fd,
			     v, 0);
			break;
		case 2:
			FUZZ(e_none, set_int(fd, SOL_SOCKET, SO_SNDBUF, v), fd,
			     v, 0);
			break;
		default:
			FUZZ(e_none, set_int(fd, SOL_SOCKET, SO_REUSEADDR, v & 1),
			     fd, v, 0);
			break;
		}
		break;
	}
	case 14:
		l = PICK(s, cmds);
		FUZZ(e_ioctl, ioctl(fd, l, fuzz_buf(s, &v)), fd, l, 0);
		break;
	case 15:
		v = rnd(s) % 6 - 1;
		FUZZ(e_shutdown, shutdown(fd, v), fd, v, 0);
		break;
	case 16:
		len = fuzz_len(s, sizeof(a));
		if (rnd(s) % 2)
			FUZZ(e_name, getsockname(fd, fuzz_buf(s, &a),
						 rnd(s) % 8 ? &len :
						 fuzz_buf(s, &len)), fd, len, 0);
		else
			FUZZ(e_name, getpeername(fd, fuzz_buf(s, &a),
						 rnd(s) % 8 ? &len :
						 fuzz_buf(s, &len)), fd, len, 0);
		break;
	default: {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT |
				    POLLRDHUP };

		FUZZ(e_none, poll(&p, 1, 0), fd, 0, 0);
		break;
	}
	}
}

static void *fuzz_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	long page = sysconf(_SC_PAGESIZE);
	char *io;

	io = mmap(NULL, FUZZ_BIG + page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (io == MAP_FAILED || mprotect(io + FUZZ_BIG, page, PROT_NONE))
		return (void *)1;
	fuzz_io = io;
	/*
	 * The time given, and then until the calls have reached a connection
	 * and moved data over it, however slow the machine (fuzz_cap ends a
	 * run that never does, which the test then reports).
	 */
	while (ttp_now_ms() < fuzz_end ||
	       ((atomic_load(&fuzz_calls) <= 1000 || !atomic_load(&fuzz_accepted) ||
		 !(atomic_load(&fuzz_sent) + atomic_load(&fuzz_received))) &&
		ttp_now_ms() < fuzz_cap))
		fuzz_one(&seed);
	munmap(io, FUZZ_BIG + page);
	return NULL;
}

/* Only for its time limit: longer runs than the harness's 30 s default. */
FIXTURE(fuzz) {};
FIXTURE_SETUP(fuzz) {}
FIXTURE_TEARDOWN(fuzz) {}

#define FUZZ_MAX_SECONDS	480

TEST_F_TIMEOUT(fuzz, random_calls_from_four_threads_get_documented_errnos_and_leave_nothing,
	       FUZZ_MAX_SECONDS + 100)
{
	const char *env = getenv("TTP_FUZZ_SECONDS");
	const char *env_seed = getenv("TTP_FUZZ_SEED");
	int secs = env ? atoi(env) : 20, i, n = -1;
	unsigned int seed = env_seed ? (unsigned int)strtoul(env_seed, NULL, 0) :
				       (unsigned int)time(NULL);
	pthread_t t[FUZZ_THREADS];
	long long t0;

	ASSERT_GE(FUZZ_MAX_SECONDS, secs) TH_LOG("TTP_FUZZ_SECONDS is at most %d",
						 FUZZ_MAX_SECONDS);
	setup_netns(_metadata);
	/* Connections the fuzzer leaves behind end quickly. */
	ASSERT_EQ(0, ttp_sysctl_write("time_wait_ms", "100"));
	ASSERT_EQ(0, ttp_sysctl_write("fin_timeout_ms", "500"));
	ASSERT_EQ(0, ttp_sysctl_write("retries", "3"));
	ASSERT_EQ(0, ttp_sysctl_write("syn_retries", "2"));
	ASSERT_EQ(0, ttp_sysctl_write("rto_max_ms", "1000"));
	ASSERT_EQ(0, ttp_sysctl_write("rto_initial_ms", "200"));
	signal(SIGPIPE, SIG_IGN);
	fuzz_family = ttp_family();
	fuzz_unmapped = UNMAPPED();
	fuzz_ro = READ_ONLY();
	ASSERT_NE(NULL, fuzz_unmapped);
	ASSERT_NE(NULL, fuzz_ro);
	for (i = 0; i < FUZZ_SLOTS; i++)
		atomic_store(&fuzz_fd[i], -1);
	TH_LOG("%d s, seed %u (TTP_FUZZ_SEED=%u repeats it)", secs, seed, seed);
	fuzz_end = ttp_now_ms() + secs * 1000LL;
	fuzz_cap = fuzz_end + (FUZZ_MAX_SECONDS - secs) * 1000LL;
	for (i = 0; i < FUZZ_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fuzz_thread,
					    (void *)(uintptr_t)(seed * 2654435761U + i + 1)));
	for (i = 0; i < FUZZ_THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		EXPECT_EQ(NULL, ret) TH_LOG("thread %d had no buffer", i);
	}
	for (i = 0; i < FUZZ_SLOTS; i++)
		fuzz_set_fd(i, -1);
	TH_LOG("%ld calls in %lld s; %ld connections accepted, %ld bytes sent, %ld received",
	       atomic_load(&fuzz_calls), (ttp_now_ms() - fuzz_end) / 1000 + secs, atomic_load(&fuzz_accepted),
	       atomic_load(&fuzz_sent), atomic_load(&fuzz_received));
	EXPECT_EQ(0, atomic_load(&fuzz_bad));
	EXPECT_LT(1000, atomic_load(&fuzz_calls));
	/*
	 * It reached connections, not only calls refused at the door, and
	 * moved data over them (which way is up to the seed: on the slow
	 * debug kernel a run may receive nothing).
	 */
	EXPECT_LT(0, atomic_load(&fuzz_accepted));
	EXPECT_LT(0, atomic_load(&fuzz_sent) + atomic_load(&fuzz_received));

	/* Every socket goes: orphans finish their close, TIME_WAIT ends. */
	t0 = ttp_now_ms();
	while (ttp_now_ms() - t0 < 60000) {
		n = ttp_proto_sockets();
		if (n == 0)
			break;
		usleep(100 * 1000);
	}
	EXPECT_EQ(0, n) TH_LOG("%d TTP sockets left after 60 s", n);
	if (n)
		system("cat /proc/net/ttp >&2");
}

TEST_HARNESS_MAIN
