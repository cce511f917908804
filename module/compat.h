/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Differences between the kernels TTP builds against (6.1 and 6.12), in one
 * place.  Kbuild probes the kernel headers and defines TTP_HAVE_* for each
 * feature; nothing here compares version numbers.  It includes only the
 * headers that moved, and outside userspace builds only the unaligned
 * accessors' one, so that wire.c, which needs nothing else of the
 * kernel's, builds in userspace too (scripts/tests/fuzz/).
 */
#ifndef _TTP_COMPAT_H
#define _TTP_COMPAT_H

#ifdef TTP_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_frag_unref() and the like: linux/skbuff_ref.h on 6.12, skbuff.h on 6.1. */
#ifdef TTP_HAVE_LINUX_SKBUFF_REF_H
#include <linux/skbuff_ref.h>
#endif

/*
 * proto_ops.accept: 6.12 passes struct proto_accept_arg, 6.1 passes flags
 * and kern.  Declare the function with TTP_ACCEPT_ARGS and read them with
 * TTP_ACCEPT_FLAGS and TTP_ACCEPT_KERN.
 */
#ifdef TTP_HAVE_PROTO_ACCEPT_ARG
#define TTP_ACCEPT_ARGS		struct proto_accept_arg *arg
#define TTP_ACCEPT_FLAGS	(arg->flags)
#define TTP_ACCEPT_KERN		(arg->kern)
#else
#define TTP_ACCEPT_ARGS		int flags, bool kern
#define TTP_ACCEPT_FLAGS	(flags)
#define TTP_ACCEPT_KERN		(kern)
#endif

/*
 * SOL_SOCKET options: 6.12's socket layer hands them to proto_ops.setsockopt
 * when the socket has SOCK_CUSTOM_SOCKOPT, so that TTP can take
 * SO_REUSEPORT, which sock_setsockopt() refuses to families other than
 * AF_INET and AF_INET6.  6.1's takes them all itself: TTP_REUSEPORT is the
 * only way there.
 */
#ifdef TTP_HAVE_SOCK_CUSTOM_SOCKOPT
#define ttp_take_sol_socket(sock) \
	set_bit(SOCK_CUSTOM_SOCKOPT, &(sock)->flags)
#else
#define ttp_take_sol_socket(sock)	((void)(sock))
#endif

/*
 * Per-namespace sysctl tables: 6.12 takes the number of entries, 6.1 a
 * table ending with an empty entry.  Tables here always have that entry,
 * not counted in @n.  (Macros: this header declares nothing of its own.)
 */
#ifdef TTP_HAVE_REGISTER_NET_SYSCTL_SZ
#define ttp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define ttp_register_net_sysctl(net, path, table, n) \
	({ (void)(n); register_net_sysctl(net, path, table); })
#endif

/*
 * A sysctl's proc_handler: 6.12 gives it a const table, 6.1 not.
 */
#ifdef TTP_HAVE_CONST_CTL_TABLE
#define TTP_CTL_TABLE	const struct ctl_table
#else
#define TTP_CTL_TABLE	struct ctl_table
#endif

/*
 * A string field of a trace event: 6.12's __assign_str() takes the value
 * from the field's __string(), 6.1's takes it again (module/trace.h).
 */
#ifdef TTP_HAVE_ASSIGN_STR_ONE_ARG
#define ttp_assign_str(dst, src)	\
	do { (void)(src); __assign_str(dst); } while (0)
#else
#define ttp_assign_str(dst, src)	__assign_str(dst, src)
#endif

#endif /* _TTP_COMPAT_H */
