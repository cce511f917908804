/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the TTP selftests written on kselftest_harness.h (include it,
 * and ttp_common.h, first): errno checks, a network namespace per test,
 * socket options as ints, a connection over loopback.
 */
#ifndef TTP_HARNESS_H
#define TTP_HARNESS_H

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

/*
 * Check that @call fails with errno @err.  errno is saved before the
 * harness may print (and clobber it).
 */
#define EXPECT_ERRNO(err, call) do {					\
	int ret_ = (call);						\
	int errno_ = errno;						\
	EXPECT_EQ(-1, ret_) TH_LOG("%s succeeded", #call);		\
	EXPECT_EQ(err, errno_) TH_LOG("%s: %s, wanted %s", #call,	\
				      strerror(errno_), strerror(err));	\
} while (0)

#define ASSERT_ERRNO(err, call) do {					\
	int ret_ = (call);						\
	int errno_ = errno;						\
	ASSERT_EQ(-1, ret_) TH_LOG("%s succeeded", #call);		\
	ASSERT_EQ(err, errno_) TH_LOG("%s: %s, wanted %s", #call,	\
				      strerror(errno_), strerror(err));	\
} while (0)

/* The same, saying more in the log: printf-style @fmt and its arguments. */
#define EXPECT_ERRNO_AT(err, call, fmt, ...) do {			\
	int ret_ = (call);						\
	int errno_ = errno;						\
	EXPECT_EQ(-1, ret_) TH_LOG("%s succeeded (" fmt ")", #call,	\
				   ##__VA_ARGS__);			\
	EXPECT_EQ(err, errno_) TH_LOG("%s: %s, wanted %s (" fmt ")",	\
				      #call, strerror(errno_),		\
				      strerror(err), ##__VA_ARGS__);	\
} while (0)

#define SA(a)	((struct sockaddr *)(a))

/*
 * Every test begins here: a network namespace of its own with short
 * TIME_WAIT and FIN_WAIT2 timeouts, so that closed connections are gone
 * when the test ends.  Sockets must be created after it.
 */
static inline void setup_netns(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, ttp_private_netns())
		TH_LOG("a network namespace of its own: %s", strerror(errno));
	ASSERT_EQ(0, ttp_sysctl_write("time_wait_ms", "200"));
	ASSERT_EQ(0, ttp_sysctl_write("fin_timeout_ms", "200"));
}

static inline int set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static inline int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int val = -12345;

	if (getsockopt(fd, level, opt, &val, &len))
		return -12345;
	return val;
}

static inline int so_error(int fd)
{
	return get_int(fd, SOL_SOCKET, SO_ERROR);
}

static inline short poll_one(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, timeout_ms) < 0)
		return -1;
	return p.revents;
}

/* A connection over loopback: listener @l, client @c, accepted @a. */
static inline void make_conn(struct __test_metadata *_metadata, int *l,
			     int *c, int *a)
{
	int port;

	*l = ttp_listen_on("127.0.0.1", 0, 8);
	ASSERT_LE(0, *l) TH_LOG("listener: %s", strerror(errno));
	port = ttp_local_port(*l);
	ASSERT_LT(0, port);
	*c = ttp_connect_to("127.0.0.1", port);
	ASSERT_LE(0, *c) TH_LOG("connect: %s", strerror(errno));
	*a = accept(*l, NULL, NULL);
	ASSERT_LE(0, *a) TH_LOG("accept: %s", strerror(errno));
}

/* A port on 127.0.0.1 with no listener: one bound, then released. */
static inline unsigned short closed_port(struct __test_metadata *_metadata)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", 0);
	int fd = ttp_socket(), port;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	port = ttp_local_port(fd);
	ASSERT_LT(0, port);
	close(fd);
	return port;
}

#endif /* TTP_HARNESS_H */
