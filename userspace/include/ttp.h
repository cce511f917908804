/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libttp: TTP sockets in a line or two.
 *
 * The kernel's interface is <linux/ttp.h> (struct sockaddr_ttp, struct
 * ttp_info, the options); this library hides what a program should not have
 * to know: which family number the loaded module uses, how an address is
 * laid out, how a name is resolved.  Every function is thread-safe, reports
 * errors as -1 (or NULL) with errno set, and keeps no state except the family
 * number, read once from the module.  Documentation/libttp.rst and libttp(3)
 * describe each call.
 */
#ifndef _LIBTTP_H
#define _LIBTTP_H

#include <stddef.h>
#include <sys/socket.h>
#include <linux/ttp.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBTTP_VERSION		"1.0"

/* Room for any address ttp_addr_format() writes: "[v6 address]:65535". */
#define TTP_ADDRSTRLEN		64

/* Where the loaded module publishes the family number it registered. */
#define TTP_FAMILY_PATH		"/sys/module/ttp/parameters/family"

/*
 * The socket family of TTP: the number the loaded module registered, read
 * from TTP_FAMILY_PATH and cached; AF_TTP, the header's default, while no
 * module is loaded (not cached, so that a module loaded later is seen).
 */
int ttp_family(void);

/*
 * A TTP stream socket: socket(ttp_family(), SOCK_STREAM | flags, 0); flags
 * may hold SOCK_NONBLOCK and SOCK_CLOEXEC (else EINVAL).
 */
int ttp_open(int flags);

/*
 * Fill *addr with HOST and PORT.  HOST: a dotted quad, a bracketed or bare
 * IPv6 literal, or a name (getaddrinfo, IPv4 addresses only); NULL, "" or
 * "*" mean any address.  PORT: a number 0..65535 or a service name.
 * Errors: EINVAL (bad port or address), ENOENT (no such host or service),
 * EAGAIN (the name server did not answer), ENOMEM, EAFNOSUPPORT.
 */
int ttp_addr_resolve(const char *host, const char *port,
		     struct sockaddr_ttp *addr);

/* "HOST:PORT", "[V6]:PORT", ":PORT" or "*:PORT": as ttp_addr_resolve(). */
int ttp_addr_parse(const char *str, struct sockaddr_ttp *addr);

/*
 * "10.0.0.1:80" or "[2001:db8::1]:80" into buf (TTP_ADDRSTRLEN is enough);
 * returns buf, or NULL with errno ENOSPC (too small) or EAFNOSUPPORT.
 */
char *ttp_addr_format(const struct sockaddr_ttp *addr, char *buf, size_t size);

/* An IPv4 address (network order) and port (host order) as a TTP address. */
void ttp_addr_ipv4(struct sockaddr_ttp *addr, unsigned int ip_be,
		   unsigned short port);

/*
 * Conversions with the addresses of IP sockets, for programs (and the
 * preload shim) that speak struct sockaddr_in / sockaddr_in6.
 *
 * ttp_addr_from_inet(): AF_INET, or AF_INET6 where the unspecified address
 * becomes 0.0.0.0 and a v4-mapped one (::ffff:a.b.c.d) its IPv4 address;
 * other IPv6 addresses stay IPv6.  EINVAL if len is too short for the
 * family, EAFNOSUPPORT for another family.
 *
 * ttp_addr_to_inet(): into a sockaddr_in (family AF_INET) or a
 * sockaddr_in6 (AF_INET6: 0.0.0.0 as ::, other IPv4 addresses v4-mapped).
 * Returns the length written, or 0 with errno EAFNOSUPPORT.
 */
int ttp_addr_from_inet(struct sockaddr_ttp *dst, const struct sockaddr *src,
		       socklen_t len);
socklen_t ttp_addr_to_inet(const struct sockaddr_ttp *src, int family,
			   struct sockaddr_storage *dst);

/*
 * A listener on HOST:PORT (HOST NULL: every address), SO_REUSEADDR set, or
 * -1.  flags as ttp_open().
 */
int ttp_listen(const char *host, const char *port, int backlog, int flags);

/*
 * A connection to HOST:PORT, each address of HOST tried in turn, or -1
 * with the errno of the last attempt.  With SOCK_NONBLOCK in flags the
 * handshake may still be under way (connect()'s EINPROGRESS is not an
 * error here): wait for POLLOUT, then read SO_ERROR.
 */
int ttp_connect(const char *host, const char *port, int flags);

/* getsockname()/getpeername() of a TTP socket.  0 or -1. */
int ttp_local_addr(int fd, struct sockaddr_ttp *addr);
int ttp_peer_addr(int fd, struct sockaddr_ttp *addr);

/*
 * getsockopt(SOL_TTP, TTP_INFO): zero-fills *info and returns the number
 * of bytes the kernel filled (a module older than this header fills less),
 * or -1.
 */
int ttp_conn_info(int fd, struct ttp_info *info);

/*
 * Names for printing: "ESTABLISHED"...; "open", "disorder", "recovery",
 * "loss"; "internet", "crc32c".  "UNKNOWN"/"unknown" for other numbers.
 */
const char *ttp_state_name(int state);
const char *ttp_ca_state_name(int ca_state);
const char *ttp_csum_name(int algo);

/*
 * Segment authentication keys (Documentation/libttp.rst), one a line:
 *
 *   PEER[/PREFIX][:PORT] SNDID RCVID SECRET [maclen=N] [current] [rnext]
 *
 * PEER an IPv4 address, PREFIX 0..32 (32), PORT 0..65535 (0: any); the
 * ids 0..255; SECRET "hex:" and hex digits, or the text itself, 1 to 80
 * bytes; HMAC-SHA256.  "#" starts a comment.
 *
 * ttp_auth_key_parse(): 1 and *key filled, 0 for a blank or comment line,
 * or -1 with errno EINVAL.
 *
 * ttp_auth_key_file(): add every key of the file to the socket fd
 * (setsockopt TTP_AUTH_KEY); the number added, or -1 with errno (from
 * fopen(), EINVAL for a line that does not parse, or setsockopt's), and
 * the number of the line at fault in *bad_line (0 if none).
 */
int ttp_auth_key_parse(const char *line, struct ttp_auth_key *key);
int ttp_auth_key_file(int fd, const char *path, int *bad_line);

#ifdef __cplusplus
}
#endif

#endif /* _LIBTTP_H */
