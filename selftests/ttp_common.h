/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the TTP selftests.
 */
#ifndef TTP_COMMON_H
#define TTP_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/ttp.h>

/* The family the loaded module registered, or the header's default. */
static inline int ttp_family(void)
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

#endif /* TTP_COMMON_H */
