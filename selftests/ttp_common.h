/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the TTP selftests.
 */
#ifndef TTP_COMMON_H
#define TTP_COMMON_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ttp.h>
/* libttp: ttp_family(), the family the loaded module registered. */
#include <ttp.h>

/* Sockets of the TTP protocol counted in /proc/net/protocols, or -1. */
static inline int ttp_proto_sockets(void)
{
	char line[512], name[64];
	FILE *f = fopen("/proc/net/protocols", "r");
	int n = -1, count;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*u %d", name, &count) == 2 &&
		    !strcmp(name, "TTP"))
			n = count;
	}
	fclose(f);
	return n;
}

/* A TTP address: IPv4 @ip (dotted quad), @port in host order. */
static inline struct sockaddr_ttp ttp_addr(const char *ip, unsigned short port)
{
	struct sockaddr_ttp a;

	memset(&a, 0, sizeof(a));
	a.sttp_family = ttp_family();
	a.sttp_ipfamily = AF_INET;
	a.sttp_port = htons(port);
	inet_pton(AF_INET, ip, &a.sttp_addr.v4);
	return a;
}

static inline int ttp_socket(void)
{
	return socket(ttp_family(), SOCK_STREAM, 0);
}

/* A listener on @ip:@port (0: ephemeral); returns the fd or -1. */
static inline int ttp_listen_on(const char *ip, unsigned short port,
				int backlog)
{
	struct sockaddr_ttp a = ttp_addr(ip, port);
	int fd = ttp_socket();

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Port a socket is bound to, host order, or -1. */
static inline int ttp_local_port(int fd)
{
	struct sockaddr_ttp a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	return ntohs(a.sttp_port);
}

static inline int ttp_connect_to(const char *ip, unsigned short port)
{
	struct sockaddr_ttp a = ttp_addr(ip, port);
	int fd = ttp_socket();

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Milliseconds on the monotonic clock. */
static inline long long ttp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Read net.ttp.@name (/proc/sys/net/ttp/@name, as the calling process's
 * network namespace sees it) into @buf, without the newline.  0 or -1.
 */
static inline int ttp_sysctl_read(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* Write @value to net.ttp.@name.  0 or -1 with errno. */
static inline int ttp_sysctl_write(const char *name, const char *value)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/proc/sys/net/ttp/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fputs(value, f) < 0 ? -1 : 0;
	if (fclose(f))
		ret = -1;
	return ret;
}

/*
 * Move the calling process into a network namespace of its own with its
 * loopback interface up.  A test that does this neither sees nor disturbs
 * the ports of others, and its net.ttp.* settings vanish with it: nothing
 * to restore.  0 or -1 with errno.
 */
static inline int ttp_private_netns(void)
{
	struct ifreq ifr;
	int fd, ret;

	if (unshare(CLONE_NEWNET))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!ret) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

/* getsockopt(SOL_TTP, TTP_INFO) in full.  0 or -1 with errno. */
static inline int ttp_get_info(int fd, struct ttp_info *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return getsockopt(fd, SOL_TTP, TTP_INFO, info, &len);
}

/* The TTP_* state of @fd's connection, or -1. */
static inline int ttp_state(int fd)
{
	struct ttp_info info;

	if (ttp_get_info(fd, &info))
		return -1;
	return info.ttpi_state;
}

/*
 * Wait up to @timeout_ms for @fd to reach TTP_* @state (states change in
 * softirq, after the call that caused them has returned).  Return the state
 * last seen: @state on success.
 */
static inline int ttp_wait_state(int fd, int state, int timeout_ms)
{
	long long end = ttp_now_ms() + timeout_ms;
	int s;

	while ((s = ttp_state(fd)) != state && ttp_now_ms() < end)
		usleep(1000);
	return s;
}

/* Counter @name of /proc/net/ttp_stats (this namespace's), or -1. */
static inline long ttp_stat(const char *name)
{
	char line[256], key[64];
	FILE *f = fopen("/proc/net/ttp_stats", "r");
	long v, n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld", key, &v) == 2 && !strcmp(key, name))
			n = v;
	}
	fclose(f);
	return n;
}

#endif /* TTP_COMMON_H */
