// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libttp: the family number, addresses, and the calls a TTP program makes.
 *
 * The only state is the family number, cached in an atomic int once read
 * from the module: every other function works on what it is given, so that
 * any thread may call any function at any time.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "ttp.h"

/* The kernel takes families 1 .. AF_MAX - 1; AF_MAX is 46 in 6.1 and 6.12. */
#define TTP_FAMILY_MAX	45

static atomic_int ttp_cached_family;

int ttp_family(void)
{
	int family = atomic_load_explicit(&ttp_cached_family,
					  memory_order_relaxed);
	char buf[16];
	ssize_t n;
	int fd;

	if (family > 0)
		return family;
	/* open/read rather than stdio: no allocation, usable from a shim. */
	fd = open(TTP_FAMILY_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return AF_TTP;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return AF_TTP;
	buf[n] = '\0';
	family = atoi(buf);
	if (family < 1 || family > TTP_FAMILY_MAX)
		return AF_TTP;
	/* Every thread reads the same file: any of them may store it. */
	atomic_store_explicit(&ttp_cached_family, family, memory_order_relaxed);
	return family;
}

int ttp_open(int flags)
{
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	return socket(ttp_family(), SOCK_STREAM | flags, 0);
}

void ttp_addr_ipv4(struct sockaddr_ttp *addr, unsigned int ip_be,
		   unsigned short port)
{
	memset(addr, 0, sizeof(*addr));
	addr->sttp_family = ttp_family();
	addr->sttp_ipfamily = AF_INET;
	addr->sttp_port = htons(port);
	addr->sttp_addr.v4 = ip_be;
}

static void ttp_addr_ipv6(struct sockaddr_ttp *addr, const struct in6_addr *ip,
			  unsigned short port_be, unsigned int scope)
{
	memset(addr, 0, sizeof(*addr));
	addr->sttp_family = ttp_family();
	addr->sttp_ipfamily = AF_INET6;
	addr->sttp_port = port_be;
	memcpy(addr->sttp_addr.v6, ip, sizeof(addr->sttp_addr.v6));
	addr->sttp_scope_id = scope;
}

static int gai_errno(int err)
{
	switch (err) {
	case EAI_SYSTEM:
		return errno;
	case EAI_MEMORY:
		return ENOMEM;
	case EAI_AGAIN:
		return EAGAIN;
	case EAI_FAMILY:
	case EAI_ADDRFAMILY:
		return EAFNOSUPPORT;
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_SERVICE:
		return ENOENT;
	default:
		return EINVAL;
	}
}

/* A decimal port 0..65535, or -1 if PORT is not one. */
static int parse_port(const char *port)
{
	long v = 0;
	const char *p;

	if (!*port || strlen(port) > 5)
		return -1;
	for (p = port; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= 65535 ? (int)v : -1;
}

/*
 * Resolve PORT to a number in network order: decimal, or a service name
 * from the services database (as TCP knows it).
 */
static int resolve_port(const char *port, unsigned short *port_be)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE };
	struct addrinfo *res;
	int p, err;

	if (!port || !*port) {
		errno = EINVAL;
		return -1;
	}
	p = parse_port(port);
	if (p >= 0) {
		*port_be = htons(p);
		return 0;
	}
	if (!((*port >= 'a' && *port <= 'z') || (*port >= 'A' && *port <= 'Z'))) {
		errno = EINVAL;	/* a number out of range, or not a name */
		return -1;
	}
	err = getaddrinfo(NULL, port, &hints, &res);
	if (err) {
		errno = gai_errno(err);
		return -1;
	}
	*port_be = ((struct sockaddr_in *)res->ai_addr)->sin_port;
	freeaddrinfo(res);
	return 0;
}

static int is_any(const char *host)
{
	return !host || !*host || !strcmp(host, "*");
}

/*
 * The addresses of HOST: a literal gives one, a name as many as it has
 * (IPv4 only, as the module speaks IPv4).  Returns how many were stored in
 * addrs (at most max), or -1.
 */
static int resolve_all(const char *host, const char *port,
		       struct sockaddr_ttp *addrs, int max)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	unsigned short port_be;
	struct in6_addr ip6;
	struct in_addr ip4;
	char lit[INET6_ADDRSTRLEN];
	size_t len;
	int n = 0, err;

	if (resolve_port(port, &port_be))
		return -1;
	if (is_any(host)) {
		ttp_addr_ipv4(&addrs[0], htonl(INADDR_ANY), ntohs(port_be));
		return 1;
	}
	if (inet_pton(AF_INET, host, &ip4) == 1) {
		ttp_addr_ipv4(&addrs[0], ip4.s_addr, ntohs(port_be));
		return 1;
	}
	len = strlen(host);
	if (host[0] == '[' && len > 2 && host[len - 1] == ']' &&
	    len - 2 < sizeof(lit)) {
		memcpy(lit, host + 1, len - 2);
		lit[len - 2] = '\0';
		host = lit;
		if (inet_pton(AF_INET6, host, &ip6) != 1) {
			errno = EINVAL;
			return -1;
		}
	}
	if (inet_pton(AF_INET6, host, &ip6) == 1) {
		ttp_addr_ipv6(&addrs[0], &ip6, port_be, 0);
		return 1;
	}
	if (strchr(host, ':') || strchr(host, '[') || strchr(host, ']')) {
		errno = EINVAL;
		return -1;
	}
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err) {
		errno = gai_errno(err);
		return -1;
	}
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		const struct sockaddr_in *sin = (void *)ai->ai_addr;

		if (ai->ai_family != AF_INET)
			continue;
		ttp_addr_ipv4(&addrs[n++], sin->sin_addr.s_addr,
			      ntohs(port_be));
	}
	freeaddrinfo(res);
	if (!n) {
		errno = ENOENT;
		return -1;
	}
	return n;
}

int ttp_addr_resolve(const char *host, const char *port,
		     struct sockaddr_ttp *addr)
{
	return resolve_all(host, port, addr, 1) < 0 ? -1 : 0;
}

/* Split "HOST:PORT" at its last colon, outside brackets.  0 or -1. */
static int split_host_port(const char *str, char *host, size_t hsize,
			   const char **port)
{
	const char *colon;
	size_t hlen;

	if (!str) {
		errno = EINVAL;
		return -1;
	}
	if (str[0] == '[') {
		const char *close = strchr(str, ']');

		if (!close || close[1] != ':') {
			errno = EINVAL;
			return -1;
		}
		colon = close + 1;
	} else {
		colon = strrchr(str, ':');
		/* A bare IPv6 address has colons but no port: say so. */
		if (!colon || memchr(str, ':', colon - str)) {
			errno = EINVAL;
			return -1;
		}
	}
	hlen = colon - str;
	if (hlen >= hsize) {
		errno = EINVAL;
		return -1;
	}
	memcpy(host, str, hlen);
	host[hlen] = '\0';
	*port = colon + 1;
	return 0;
}

int ttp_addr_parse(const char *str, struct sockaddr_ttp *addr)
{
	char host[NI_MAXHOST];
	const char *port;

	if (split_host_port(str, host, sizeof(host), &port))
		return -1;
	return ttp_addr_resolve(host, port, addr);
}

char *ttp_addr_format(const struct sockaddr_ttp *addr, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	switch (addr->sttp_ipfamily) {
	case AF_INET:
		inet_ntop(AF_INET, &addr->sttp_addr.v4, ip, sizeof(ip));
		n = snprintf(buf, size, "%s:%u", ip, ntohs(addr->sttp_port));
		break;
	case AF_INET6:
		inet_ntop(AF_INET6, addr->sttp_addr.v6, ip, sizeof(ip));
		n = snprintf(buf, size, "[%s]:%u", ip, ntohs(addr->sttp_port));
		break;
	default:
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return NULL;
	}
	return buf;
}

int ttp_addr_from_inet(struct sockaddr_ttp *dst, const struct sockaddr *src,
		       socklen_t len)
{
	if (!src || len < sizeof(sa_family_t)) {
		errno = EINVAL;
		return -1;
	}
	if (src->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)src;

		if (len < sizeof(*sin)) {
			errno = EINVAL;
			return -1;
		}
		ttp_addr_ipv4(dst, sin->sin_addr.s_addr, ntohs(sin->sin_port));
		return 0;
	}
	if (src->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)src;
		const struct in6_addr *a = &sin6->sin6_addr;
		unsigned int v4;

		if (len < sizeof(*sin6)) {
			errno = EINVAL;
			return -1;
		}
		if (IN6_IS_ADDR_UNSPECIFIED(a)) {
			ttp_addr_ipv4(dst, htonl(INADDR_ANY),
				      ntohs(sin6->sin6_port));
		} else if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(&v4, &a->s6_addr[12], sizeof(v4));
			ttp_addr_ipv4(dst, v4, ntohs(sin6->sin6_port));
		} else {
			ttp_addr_ipv6(dst, a, sin6->sin6_port,
				      sin6->sin6_scope_id);
		}
		return 0;
	}
	errno = EAFNOSUPPORT;
	return -1;
}

socklen_t ttp_addr_to_inet(const struct sockaddr_ttp *src, int family,
			   struct sockaddr_storage *dst)
{
	memset(dst, 0, sizeof(*dst));
	if (family == AF_INET && src->sttp_ipfamily == AF_INET) {
		struct sockaddr_in *sin = (void *)dst;

		sin->sin_family = AF_INET;
		sin->sin_port = src->sttp_port;
		sin->sin_addr.s_addr = src->sttp_addr.v4;
		return sizeof(*sin);
	}
	if (family == AF_INET6 && (src->sttp_ipfamily == AF_INET ||
				   src->sttp_ipfamily == AF_INET6)) {
		struct sockaddr_in6 *sin6 = (void *)dst;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = src->sttp_port;
		if (src->sttp_ipfamily == AF_INET6) {
			memcpy(&sin6->sin6_addr, src->sttp_addr.v6, 16);
			sin6->sin6_scope_id = src->sttp_scope_id;
		} else if (src->sttp_addr.v4 != htonl(INADDR_ANY)) {
			sin6->sin6_addr.s6_addr[10] = 0xff;
			sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12],
			       &src->sttp_addr.v4, 4);
		}
		return sizeof(*sin6);
	}
	errno = EAFNOSUPPORT;
	return 0;
}

int ttp_listen(const char *host, const char *port, int backlog, int flags)
{
	struct sockaddr_ttp a;
	int fd, e;

	if (ttp_addr_resolve(host, port, &a))
		return -1;
	fd = ttp_open(flags);
	if (fd < 0)
		return -1;
	/* A restarted server must not wait for its old TIME_WAITs. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog))
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int ttp_connect(const char *host, const char *port, int flags)
{
	struct sockaddr_ttp addrs[16];
	int n, i, fd = -1, e = ECONNREFUSED;

	if (is_any(host)) {
		errno = EINVAL;
		return -1;
	}
	n = resolve_all(host, port, addrs, 16);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		fd = ttp_open(flags);
		if (fd < 0)
			return -1;
		if (!connect(fd, (struct sockaddr *)&addrs[i], sizeof(addrs[i])) ||
		    ((flags & SOCK_NONBLOCK) && errno == EINPROGRESS))
			return fd;
		e = errno;
		close(fd);
	}
	errno = e;
	return -1;
}

static int get_addr(int fd, struct sockaddr_ttp *addr, int peer)
{
	socklen_t len = sizeof(*addr);
	int ret;

	ret = peer ? getpeername(fd, (struct sockaddr *)addr, &len) :
		     getsockname(fd, (struct sockaddr *)addr, &len);
	if (ret)
		return -1;
	if (len < sizeof(*addr) || addr->sttp_family != ttp_family()) {
		errno = EAFNOSUPPORT;	/* not a TTP socket */
		return -1;
	}
	return 0;
}

int ttp_local_addr(int fd, struct sockaddr_ttp *addr)
{
	return get_addr(fd, addr, 0);
}

int ttp_peer_addr(int fd, struct sockaddr_ttp *addr)
{
	return get_addr(fd, addr, 1);
}

int ttp_conn_info(int fd, struct ttp_info *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (getsockopt(fd, SOL_TTP, TTP_INFO, info, &len))
		return -1;
	return (int)len;
}

const char *ttp_state_name(int state)
{
	static const char * const names[TTP_MAX_STATES] = {
		[TTP_ESTABLISHED] = "ESTABLISHED",
		[TTP_SYN_SENT] = "SYN_SENT",
		[TTP_SYN_RECV] = "SYN_RECV",
		[TTP_FIN_WAIT1] = "FIN_WAIT1",
		[TTP_FIN_WAIT2] = "FIN_WAIT2",
		[TTP_TIME_WAIT] = "TIME_WAIT",
		[TTP_CLOSED] = "CLOSED",
		[TTP_CLOSE_WAIT] = "CLOSE_WAIT",
		[TTP_LAST_ACK] = "LAST_ACK",
		[TTP_LISTEN] = "LISTEN",
		[TTP_CLOSING] = "CLOSING",
	};

	if (state <= 0 || state >= TTP_MAX_STATES)
		return "UNKNOWN";
	return names[state];
}

const char *ttp_ca_state_name(int ca_state)
{
	switch (ca_state) {
	case TTP_CA_OPEN:
		return "open";
	case TTP_CA_DISORDER:
		return "disorder";
	case TTP_CA_RECOVERY:
		return "recovery";
	case TTP_CA_LOSS:
		return "loss";
	default:
		return "unknown";
	}
}

const char *ttp_csum_name(int algo)
{
	switch (algo) {
	case TTP_CSUM_INET:
		return "internet";
	case TTP_CSUM_CRC32C:
		return "crc32c";
	default:
		return "unknown";
	}
}

/* ---- segment authentication keys ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A number 0..max from the whole of s, or -1. */
static long small_number(const char *s, long max)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max)
		return -1;
	return v;
}

/* PEER[/PREFIX][:PORT] into the key. */
static int key_peer(const char *s, struct ttp_auth_key *key)
{
	char buf[64], *slash, *colon;
	struct in_addr ip;
	long prefix = 32, port = 0;
	unsigned int mask;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		port = small_number(colon + 1, 65535);
		if (port < 0)
			return -1;
	}
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		prefix = small_number(slash + 1, 32);
		if (prefix < 0)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &ip) != 1)
		return -1;
	mask = prefix ? htonl(~0U << (32 - prefix)) : 0;
	ttp_addr_ipv4(&key->ttpak_peer, ip.s_addr & mask,
		      (unsigned short)port);
	key->ttpak_prefix = (unsigned char)prefix;
	return 0;
}

/* SECRET: "hex:" and an even number of hex digits, or the text itself. */
static int key_secret(const char *s, struct ttp_auth_key *key)
{
	size_t n, i;

	if (!strncmp(s, "hex:", 4)) {
		s += 4;
		n = strlen(s);
		if (!n || n % 2 || n / 2 > TTP_AUTH_KEY_MAXLEN)
			return -1;
		for (i = 0; i < n / 2; i++) {
			int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

			if (hi < 0 || lo < 0)
				return -1;
			key->ttpak_key[i] = (unsigned char)(hi << 4 | lo);
		}
		key->ttpak_keylen = (unsigned char)(n / 2);
		return 0;
	}
	n = strlen(s);
	if (!n || n > TTP_AUTH_KEY_MAXLEN)
		return -1;
	memcpy(key->ttpak_key, s, n);
	key->ttpak_keylen = (unsigned char)n;
	return 0;
}

int ttp_auth_key_parse(const char *line, struct ttp_auth_key *key)
{
	char buf[512], *save = NULL, *tok;
	long v;
	int field = 0;

	memset(key, 0, sizeof(*key));
	if (!line || strlen(line) >= sizeof(buf))
		goto bad;
	strcpy(buf, line);
	buf[strcspn(buf, "#\n")] = '\0';
	key->ttpak_alg = TTP_AUTH_ALG_HMAC_SHA256;
	for (tok = strtok_r(buf, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save), field++) {
		switch (field) {
		case 0:
			if (key_peer(tok, key))
				goto bad;
			break;
		case 1:
		case 2:
			v = small_number(tok, 255);
			if (v < 0)
				goto bad;
			if (field == 1)
				key->ttpak_sndid = (unsigned char)v;
			else
				key->ttpak_rcvid = (unsigned char)v;
			break;
		case 3:
			if (key_secret(tok, key))
				goto bad;
			break;
		default:
			if (!strcmp(tok, "current")) {
				key->ttpak_flags |= TTP_AUTH_F_CURRENT;
			} else if (!strcmp(tok, "rnext")) {
				key->ttpak_flags |= TTP_AUTH_F_RNEXT;
			} else if (!strncmp(tok, "maclen=", 7)) {
				v = small_number(tok + 7, TTP_AUTH_MACLEN_MAX);
				if (v < TTP_AUTH_MACLEN_MIN)
					goto bad;
				key->ttpak_maclen = (unsigned char)v;
			} else {
				goto bad;
			}
		}
	}
	if (field == 0)
		return 0;	/* blank or a comment */
	if (field < 4)
		goto bad;
	return 1;
bad:
	memset(key, 0, sizeof(*key));
	errno = EINVAL;
	return -1;
}

int ttp_auth_key_file(int fd, const char *path, int *bad_line)
{
	struct ttp_auth_key key;
	char line[512];
	int n = 0, lineno = 0, ret, e;
	FILE *f;

	if (bad_line)
		*bad_line = 0;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		ret = ttp_auth_key_parse(line, &key);
		if (ret > 0)
			ret = setsockopt(fd, SOL_TTP, TTP_AUTH_KEY, &key,
					 sizeof(key)) ? -1 : 1;
		memset(&key, 0, sizeof(key));
		if (ret < 0) {
			e = errno;
			if (bad_line)
				*bad_line = lineno;
			fclose(f);
			errno = e;
			return -1;
		}
		n += ret;
	}
	fclose(f);
	return n;
}
