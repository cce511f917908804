// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AF_TTP socket family: creation, the errnos of what it refuses,
 * closing, and the module reference a socket holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "ttp_common.h"

TEST(family_is_registered)
{
	int fd = socket(ttp_family(), SOCK_STREAM, 0);

	ASSERT_LE(0, fd) TH_LOG("socket(%d): %s", ttp_family(), strerror(errno));
	/* struct proto registration makes TTP a line of /proc/net/protocols. */
	EXPECT_LE(1, ttp_proto_sockets());
	EXPECT_EQ(0, close(fd));
}

TEST(socket_reports_its_domain_type_and_protocol)
{
	int fd = socket(ttp_family(), SOCK_STREAM, IPPROTO_TTP);
	socklen_t len = sizeof(int);
	struct stat st;
	int v;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len));
	EXPECT_EQ(ttp_family(), v);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	EXPECT_EQ(SOCK_STREAM, v);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	EXPECT_EQ(IPPROTO_TTP, v);
	EXPECT_EQ(0, close(fd));
}

TEST(socket_flags_nonblock_and_cloexec_apply)
{
	int fd = socket(ttp_family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, close(fd));
}

TEST(other_protocol_gets_eprotonosupport)
{
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP, 1, 252, 254 };
	unsigned int i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, socket(ttp_family(), SOCK_STREAM, protos[i]));
		EXPECT_EQ(EPROTONOSUPPORT, errno) TH_LOG("protocol %d", protos[i]);
	}
}

TEST(unsupported_type_gets_esocktnosupport)
{
	static const int types[] = { SOCK_DGRAM, SOCK_RAW, SOCK_RDM, SOCK_PACKET };
	unsigned int i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, socket(ttp_family(), types[i], 0));
		EXPECT_EQ(ESOCKTNOSUPPORT, errno) TH_LOG("type %d", types[i]);
	}
}

TEST(many_sockets_are_counted_and_released)
{
	enum { N = 1000 };
	int base = ttp_proto_sockets();
	static int fds[N];
	int i;

	ASSERT_LE(0, base);
	for (i = 0; i < N; i++) {
		fds[i] = socket(ttp_family(), SOCK_STREAM, 0);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(base + N, ttp_proto_sockets());
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, close(fds[i]));
	EXPECT_EQ(base, ttp_proto_sockets());
}

/* Removing ttp.ko must fail while a socket exists and work once it is gone. */
TEST(unload_refused_while_socket_open)
{
	const char *ko = getenv("TTP_KO");
	int fd, kfd, ret, tries;

	if (!ko || !*ko)
		SKIP(return, "TTP_KO is not set: no module file to reload");

	fd = socket(ttp_family(), SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, syscall(SYS_delete_module, "ttp", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	ASSERT_EQ(0, close(fd));

	/*
	 * A socket freed after an RCU grace period drops its reference late:
	 * until it has (60 s at most, for a hang only).
	 */
	for (tries = 0; tries < 600; tries++) {
		ret = syscall(SYS_delete_module, "ttp", O_NONBLOCK);
		if (ret == 0 || errno != EWOULDBLOCK)
			break;
		usleep(100 * 1000);
	}
	EXPECT_EQ(0, ret) TH_LOG("delete_module: %s", strerror(errno));

	errno = 0;
	EXPECT_EQ(-1, access("/sys/module/ttp", F_OK));

	kfd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, kfd);
	ASSERT_EQ(0, syscall(SYS_finit_module, kfd, "", 0))
		TH_LOG("reloading %s: %s", ko, strerror(errno));
	close(kfd);

	fd = socket(ttp_family(), SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
