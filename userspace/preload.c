// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libttp-preload.so: run an unmodified TCP program over TTP (ttprun(1)).
 *
 * Loaded with LD_PRELOAD, it wraps the socket calls that carry addresses or
 * options.  A stream socket of AF_INET (or AF_INET6) with protocol 0 or
 * IPPROTO_TCP is created as a TTP socket instead; on such a socket bind()
 * and connect() translate struct sockaddr_in/sockaddr_in6 into struct
 * sockaddr_ttp, accept(), getsockname() and getpeername() translate back,
 * and setsockopt()/getsockopt() map TCP's options onto TTP's (or accept and
 * ignore them).  Every other socket and call goes to libc untouched.
 *
 * Which sockets are TTP's is asked of the kernel (SO_DOMAIN), not
 * remembered, so that descriptors may be duplicated, inherited or passed
 * without bookkeeping.  The one thing remembered is which TTP sockets the
 * program created as AF_INET6, so that their addresses are reported back
 * as IPv6 (v4-mapped): a byte per descriptor.
 *
 * Documentation/tools.rst lists every mapping.
 *
 * Environment: TTP_PRELOAD_IPV6=0 leaves AF_INET6 sockets to TCP;
 * TTP_PRELOAD_DEBUG=1 logs each translation on stderr.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ttp.h>
#include "tcpinfo.h"

#define EXPORT __attribute__((visibility("default")))

/* The libc functions this file wraps, found once with dlsym(RTLD_NEXT). */
struct real_calls {
	int (*socket)(int, int, int);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	int (*accept)(int, struct sockaddr *, socklen_t *);
	int (*accept4)(int, struct sockaddr *, socklen_t *, int);
	int (*getsockname)(int, struct sockaddr *, socklen_t *);
	int (*getpeername)(int, struct sockaddr *, socklen_t *);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
	int (*getsockopt)(int, int, int, void *, socklen_t *);
	ssize_t (*sendto)(int, const void *, size_t, int,
			  const struct sockaddr *, socklen_t);
	ssize_t (*sendmsg)(int, const struct msghdr *, int);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
};

static struct real_calls real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

/* Settings read from the environment once; -1: not read yet. */
static atomic_int opt_ipv6 = -1, opt_debug = -1;

/* Which TTP descriptors the program created as AF_INET6. */
#define V6_TABLE_SIZE	65536
static atomic_uchar fd_is_v6[V6_TABLE_SIZE];

static void resolve_real_once(void)
{
	struct real_calls r;

	r.socket = dlsym(RTLD_NEXT, "socket");
	r.bind = dlsym(RTLD_NEXT, "bind");
	r.connect = dlsym(RTLD_NEXT, "connect");
	r.accept = dlsym(RTLD_NEXT, "accept");
	r.accept4 = dlsym(RTLD_NEXT, "accept4");
	r.getsockname = dlsym(RTLD_NEXT, "getsockname");
	r.getpeername = dlsym(RTLD_NEXT, "getpeername");
	r.setsockopt = dlsym(RTLD_NEXT, "setsockopt");
	r.getsockopt = dlsym(RTLD_NEXT, "getsockopt");
	r.sendto = dlsym(RTLD_NEXT, "sendto");
	r.sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	r.dup = dlsym(RTLD_NEXT, "dup");
	r.dup2 = dlsym(RTLD_NEXT, "dup2");
	r.dup3 = dlsym(RTLD_NEXT, "dup3");
	if (!r.socket || !r.bind || !r.connect || !r.accept || !r.accept4 ||
	    !r.getsockname || !r.getpeername || !r.setsockopt ||
	    !r.getsockopt || !r.sendto || !r.sendmsg || !r.dup || !r.dup2 ||
	    !r.dup3) {
		static const char msg[] =
			"libttp-preload: libc's socket calls not found\n";

		if (write(2, msg, sizeof(msg) - 1) < 0)
			abort();
		abort();
	}
	real = r;
}

/* Every wrapper starts here; after the first call, one atomic load. */
static void resolve_real(void)
{
	pthread_once(&real_once, resolve_real_once);
}

static int env_flag(atomic_int *cache, const char *name, int dflt)
{
	int v = atomic_load_explicit(cache, memory_order_relaxed);
	const char *s;

	if (v >= 0)
		return v;
	s = getenv(name);
	v = s && *s ? strcmp(s, "0") != 0 : dflt;
	atomic_store_explicit(cache, v, memory_order_relaxed);
	return v;
}

static void debug(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (!env_flag(&opt_debug, "TTP_PRELOAD_DEBUG", 0))
		return;
	n = snprintf(buf, sizeof(buf), "ttprun[%d]: ", (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		return;
}

static void set_v6(int fd, int v6)
{
	if (fd >= 0 && fd < V6_TABLE_SIZE)
		atomic_store_explicit(&fd_is_v6[fd], v6, memory_order_relaxed);
}

static int is_v6(int fd)
{
	if (fd < 0 || fd >= V6_TABLE_SIZE)
		return 0;
	return atomic_load_explicit(&fd_is_v6[fd], memory_order_relaxed);
}

/* The family the program believes fd has. */
static int inet_family(int fd)
{
	return is_v6(fd) ? AF_INET6 : AF_INET;
}

/* Is fd a TTP socket?  Errors (not a socket, bad fd) say no. */
static int is_ttp(int fd)
{
	int domain;
	socklen_t len = sizeof(domain);
	int e = errno;

	if (real.getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len)) {
		errno = e;
		return 0;
	}
	return domain == ttp_family();
}

static int is_tcp_request(int domain, int type, int protocol)
{
	if (domain != AF_INET &&
	    !(domain == AF_INET6 && env_flag(&opt_ipv6, "TTP_PRELOAD_IPV6", 1)))
		return 0;
	if ((type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM)
		return 0;
	return protocol == 0 || protocol == IPPROTO_TCP;
}

/*
 * TTP_KEY_FILE (ttprun --key-file): every socket gets the segment
 * authentication keys of the file, so that the program's connections with
 * the peers they name are signed.  A file that cannot be used fails the
 * socket, with a message: rather no connection than an unsigned one.
 */
static int give_keys(int fd)
{
	const char *path = getenv("TTP_KEY_FILE");
	int line, n;

	if (!path || !*path)
		return 0;
	n = ttp_auth_key_file(fd, path, &line);
	if (n > 0) {
		debug("socket %d: %d keys from %s", fd, n, path);
		return 0;
	}
	if (n == 0)
		errno = EINVAL;
	if (line)
		fprintf(stderr, "libttp-preload: %s, line %d: %s\n", path, line,
			errno == EINVAL ? "not a valid key" : strerror(errno));
	else
		fprintf(stderr, "libttp-preload: %s: %s\n", path,
			n == 0 ? "no key in the file" : strerror(errno));
	return -1;
}

EXPORT int socket(int domain, int type, int protocol)
{
	int fd;

	resolve_real();
	if (!is_tcp_request(domain, type, protocol))
		return real.socket(domain, type, protocol);
	fd = real.socket(ttp_family(), type, 0);
	if (fd >= 0)
		set_v6(fd, domain == AF_INET6);
	debug("socket(%s, SOCK_STREAM) -> TTP socket %d%s",
	      domain == AF_INET6 ? "AF_INET6" : "AF_INET", fd,
	      fd < 0 ? " failed" : "");
	if (fd >= 0 && give_keys(fd)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * The TTP address for what the program passed to bind() or connect().
 * AF_UNSPEC with a sockaddr_in's length is taken as AF_INET, as Linux's
 * inet_bind() does for INADDR_ANY.  0 or -1 with errno.
 */
static int to_ttp(const struct sockaddr *addr, socklen_t len,
		  struct sockaddr_ttp *ta)
{
	struct sockaddr_in sin;

	if (!addr) {
		errno = EFAULT;
		return -1;
	}
	if (len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC &&
	    len >= sizeof(sin)) {
		memcpy(&sin, addr, sizeof(sin));
		sin.sin_family = AF_INET;
		return ttp_addr_from_inet(ta, (struct sockaddr *)&sin,
					  sizeof(sin));
	}
	return ttp_addr_from_inet(ta, addr, len);
}

static void log_addr(const char *call, int fd, const struct sockaddr_ttp *ta)
{
	char s[TTP_ADDRSTRLEN];

	if (ttp_addr_format(ta, s, sizeof(s)))
		debug("%s(%d, %s)", call, fd, s);
}

EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sockaddr_ttp ta;

	resolve_real();
	if (!is_ttp(fd))
		return real.bind(fd, addr, len);
	if (to_ttp(addr, len, &ta))
		return -1;
	log_addr("bind", fd, &ta);
	return real.bind(fd, (struct sockaddr *)&ta, sizeof(ta));
}

EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sockaddr_ttp ta;

	resolve_real();
	if (!is_ttp(fd))
		return real.connect(fd, addr, len);
	/* AF_UNSPEC "disconnects": TTP refuses it as TCP does (EOPNOTSUPP
	 * for a stream socket), so pass it as it is.
	 */
	if (addr && len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC)
		return real.connect(fd, addr, len);
	if (to_ttp(addr, len, &ta))
		return -1;
	log_addr("connect", fd, &ta);
	return real.connect(fd, (struct sockaddr *)&ta, sizeof(ta));
}

/*
 * Give the program a TTP address in its own family: copy at most *len
 * bytes, store the full length in *len, as the kernel does.
 */
static void report(const struct sockaddr_ttp *ta, int family,
		   struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_storage ss;
	socklen_t n;

	if (!addr || !len)
		return;
	n = ttp_addr_to_inet(ta, family, &ss);
	memcpy(addr, &ss, n < *len ? n : *len);
	*len = n;
}

static int do_accept(int fd, struct sockaddr *addr, socklen_t *len,
		     int flags, int four)
{
	struct sockaddr_ttp ta;
	socklen_t tl = sizeof(ta);
	int nfd;

	if (!is_ttp(fd))
		return four ? real.accept4(fd, addr, len, flags) :
			      real.accept(fd, addr, len);
	memset(&ta, 0, sizeof(ta));
	nfd = four ? real.accept4(fd, (struct sockaddr *)&ta, &tl, flags) :
		     real.accept(fd, (struct sockaddr *)&ta, &tl);
	if (nfd < 0)
		return nfd;
	set_v6(nfd, is_v6(fd));
	log_addr("accept", nfd, &ta);
	report(&ta, inet_family(fd), addr, len);
	return nfd;
}

EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	resolve_real();
	return do_accept(fd, addr, len, 0, 0);
}

EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	resolve_real();
	return do_accept(fd, addr, len, flags, 1);
}

static int get_name(int fd, struct sockaddr *addr, socklen_t *len, int peer)
{
	int (*call)(int, struct sockaddr *, socklen_t *) =
		peer ? real.getpeername : real.getsockname;
	struct sockaddr_ttp ta;
	socklen_t tl = sizeof(ta);

	if (!is_ttp(fd))
		return call(fd, addr, len);
	if (!addr || !len) {
		errno = EFAULT;
		return -1;
	}
	if (call(fd, (struct sockaddr *)&ta, &tl))
		return -1;
	report(&ta, inet_family(fd), addr, len);
	return 0;
}

EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	resolve_real();
	return get_name(fd, addr, len, 0);
}

EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	resolve_real();
	return get_name(fd, addr, len, 1);
}

/* TCP option -> TTP option, or 0 if TTP has none. */
static int ttp_opt_of_tcp(int optname)
{
	switch (optname) {
	case TCP_NODELAY:
		return TTP_NODELAY;
	case TCP_CORK:
		return TTP_CORK;
	case TCP_MAXSEG:
		return TTP_MAXSEG;
	case TCP_USER_TIMEOUT:
		return TTP_USER_TIMEOUT;
	case TCP_SYNCNT:
		return TTP_SYNCNT;
	case TCP_KEEPIDLE:		/* seconds, as TTP's */
		return TTP_KEEPIDLE;
	case TCP_KEEPINTVL:
		return TTP_KEEPINTVL;
	case TCP_KEEPCNT:
		return TTP_KEEPCNT;
	case TCP_WINDOW_CLAMP:		/* bytes, as TTP's */
		return TTP_WINDOW_CLAMP;
	case TCP_NOTSENT_LOWAT:
		return TTP_NOTSENT_LOWAT;
	default:
		return 0;
	}
}

/*
 * TCP_CONGESTION is TTP_CONGESTION, by the same names but one: TCP's
 * "reno" is TTP's "newreno" (Reno's window with NewReno's or SACK's
 * recovery, as TCP's "reno" is), both ways.
 */
static int set_congestion(int fd, const void *val, socklen_t len)
{
	if (val && len >= 4 && !memcmp(val, "reno", 4) &&
	    (len == 4 || !((const char *)val)[4]))
		return real.setsockopt(fd, SOL_TTP, TTP_CONGESTION, "newreno",
				       7);
	return real.setsockopt(fd, SOL_TTP, TTP_CONGESTION, val, len);
}

static int get_congestion(int fd, void *val, socklen_t *len)
{
	char name[TTP_CA_NAME_MAX] = "";
	socklen_t n = sizeof(name);

	if (!val || !len) {
		errno = EFAULT;
		return -1;
	}
	if (real.getsockopt(fd, SOL_TTP, TTP_CONGESTION, name, &n))
		return -1;
	name[sizeof(name) - 1] = '\0';
	if (!strcmp(name, "newreno")) {
		/* NUL-padded, as the kernel's names are. */
		memset(name, 0, sizeof(name));
		strcpy(name, "reno");
	}
	n = *len < sizeof(name) ? *len : sizeof(name);
	memcpy(val, name, n);
	*len = n;
	return 0;
}

/* TCP options accepted and ignored: they tune what TTP does by itself. */
static int tcp_opt_ignored(int optname)
{
	switch (optname) {
	case TCP_QUICKACK:
	case TCP_DEFER_ACCEPT:
	case TCP_LINGER2:
	case TCP_FASTOPEN:
	case TCP_FASTOPEN_CONNECT:
	case TCP_THIN_LINEAR_TIMEOUTS:
		return 1;
	default:
		return 0;
	}
}

/*
 * IPV6_V6ONLY=1: the program wants an IPv6-only socket, which TTP (IPv4)
 * cannot be; it would also take the IPv4 port that the program's AF_INET
 * socket will bind next.  Put a real TCP socket of AF_INET6 in its place,
 * with the options a server sets before this one.
 */
static int make_v6only_tcp(int fd, const void *val, socklen_t len)
{
	static const int copied[] = { SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE };
	int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD), tcp, i, e;

	tcp = real.socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (tcp < 0)
		return -1;
	for (i = 0; i < (int)(sizeof(copied) / sizeof(copied[0])); i++) {
		int v = 0;
		socklen_t vl = sizeof(v);

		if (!real.getsockopt(fd, SOL_SOCKET, copied[i], &v, &vl) && v)
			real.setsockopt(tcp, SOL_SOCKET, copied[i], &v, vl);
	}
	if (real.setsockopt(tcp, IPPROTO_IPV6, IPV6_V6ONLY, val, len) ||
	    (fl >= 0 && fcntl(tcp, F_SETFL, fl) < 0) ||
	    real.dup3(tcp, fd, fdfl >= 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
		e = errno;
		close(tcp);
		errno = e;
		return -1;
	}
	close(tcp);
	set_v6(fd, 0);
	debug("setsockopt(%d, IPV6_V6ONLY, 1): now an IPv6-only TCP socket", fd);
	return 0;
}

EXPORT int setsockopt(int fd, int level, int optname, const void *val,
		      socklen_t len)
{
	int opt;

	resolve_real();
	/*
	 * SO_REUSEPORT (nginx's "listen ... reuseport") at TTP's level: the
	 * socket layer of 6.1 refuses it to a family other than AF_INET and
	 * AF_INET6; TTP_REUSEPORT sets the same flag on every kernel.
	 */
	if (level == SOL_SOCKET && optname == SO_REUSEPORT && is_ttp(fd))
		return real.setsockopt(fd, SOL_TTP, TTP_REUSEPORT, val, len);
	if (level == SOL_SOCKET || !is_ttp(fd))
		return real.setsockopt(fd, level, optname, val, len);
	if (level == IPPROTO_TCP) {
		opt = ttp_opt_of_tcp(optname);
		/* TCP takes TCP_MAXSEG in any state, TTP only before the
		 * handshake: later, like TCP, say yes (it changes nothing
		 * on a connection whose MSS is agreed).
		 */
		if (opt == TTP_MAXSEG) {
			int ret = real.setsockopt(fd, SOL_TTP, opt, val, len);

			return ret && errno == EISCONN ? 0 : ret;
		}
		if (opt)
			return real.setsockopt(fd, SOL_TTP, opt, val, len);
		if (optname == TCP_CONGESTION)
			return set_congestion(fd, val, len);
		if (tcp_opt_ignored(optname)) {
			if (len < sizeof(int)) {
				errno = EINVAL;
				return -1;
			}
			debug("setsockopt(%d, IPPROTO_TCP, %d) ignored", fd,
			      optname);
			return 0;
		}
		errno = ENOPROTOOPT;
		return -1;
	}
	if (level == IPPROTO_IPV6 && optname == IPV6_V6ONLY && is_v6(fd) &&
	    val && len >= sizeof(int) && *(const int *)val)
		return make_v6only_tcp(fd, val, len);
	if (level == IPPROTO_IPV6 && !is_v6(fd)) {
		errno = ENOPROTOOPT;	/* as on a TCP socket of AF_INET */
		return -1;
	}
	if (level == IPPROTO_IP || level == IPPROTO_IPV6) {
		/* TOS, TTL, PMTU discovery, IPV6_V6ONLY=0 and the like. */
		debug("setsockopt(%d, %s, %d) ignored", fd,
		      level == IPPROTO_IP ? "IPPROTO_IP" : "IPPROTO_IPV6",
		      optname);
		return 0;
	}
	return real.setsockopt(fd, level, optname, val, len);
}

/* An int option's value into the caller's buffer, as the kernel does. */
static int put_int(void *val, socklen_t *len, int v)
{
	if (!val || !len || *len < sizeof(int)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(int);
	return 0;
}

static int get_tcp_opt(int fd, int optname, void *val, socklen_t *len)
{
	struct ttp_info ti;
	int opt = ttp_opt_of_tcp(optname);

	if (opt)
		return real.getsockopt(fd, SOL_TTP, opt, val, len);
	switch (optname) {
	case TCP_INFO:
		if (!val || !len) {
			errno = EFAULT;
			return -1;
		}
		if (ttp_conn_info(fd, &ti) < 0)
			return -1;
		*len = ttp_tcp_info(&ti, val, *len);
		return 0;
	case TCP_QUICKACK:
		return put_int(val, len, 1);
	case TCP_DEFER_ACCEPT:
	case TCP_FASTOPEN:
		return put_int(val, len, 0);
	case TCP_CONGESTION:
		return get_congestion(fd, val, len);
	default:
		errno = ENOPROTOOPT;
		return -1;
	}
}

EXPORT int getsockopt(int fd, int level, int optname, void *val,
		      socklen_t *len)
{
	resolve_real();
	if (!is_ttp(fd))
		return real.getsockopt(fd, level, optname, val, len);
	if (level == SOL_SOCKET && optname == SO_DOMAIN)
		return put_int(val, len, inet_family(fd));
	if (level == SOL_SOCKET && optname == SO_PROTOCOL)
		return put_int(val, len, IPPROTO_TCP);
	if (level == IPPROTO_TCP)
		return get_tcp_opt(fd, optname, val, len);
	if (level == IPPROTO_IPV6 && optname == IPV6_V6ONLY && is_v6(fd))
		return put_int(val, len, 0);
	return real.getsockopt(fd, level, optname, val, len);
}

/*
 * On a connected stream socket TCP ignores a destination address; TTP
 * might not, and could not read an AF_INET one: drop it.
 */
EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
		      const struct sockaddr *addr, socklen_t len)
{
	resolve_real();
	if (addr && is_ttp(fd)) {
		addr = NULL;
		len = 0;
	}
	return real.sendto(fd, buf, n, flags, addr, len);
}

EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct msghdr m;

	resolve_real();
	if (msg && msg->msg_name && is_ttp(fd)) {
		m = *msg;
		m.msg_name = NULL;
		m.msg_namelen = 0;
		return real.sendmsg(fd, &m, flags);
	}
	return real.sendmsg(fd, msg, flags);
}

/* A duplicate of a TTP socket keeps the family the program gave it. */
EXPORT int dup(int fd)
{
	int nfd;

	resolve_real();
	nfd = real.dup(fd);
	if (nfd >= 0)
		set_v6(nfd, is_v6(fd));
	return nfd;
}

EXPORT int dup2(int fd, int nfd)
{
	int ret;

	resolve_real();
	ret = real.dup2(fd, nfd);
	if (ret >= 0 && fd != nfd)
		set_v6(ret, is_v6(fd));
	return ret;
}

EXPORT int dup3(int fd, int nfd, int flags)
{
	int ret;

	resolve_real();
	ret = real.dup3(fd, nfd, flags);
	if (ret >= 0)
		set_v6(ret, is_v6(fd));
	return ret;
}
