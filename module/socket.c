// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AF_TTP socket family: creating and releasing TTP sockets.
 *
 * Module lifetime: every socket holds a reference on ttp.ko, taken by the
 * socket layer through ttp_stream_ops.owner and by sk_alloc() through
 * ttp_prot.owner, so the module cannot be removed while a socket exists.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/sock.h>

#include "ttp.h"

struct proto ttp_prot = {
	.name		= "TTP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct ttp_sock),
};

static int ttp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	sk->sk_state = TTP_CLOSED;
	sock_orphan(sk);
	release_sock(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);

	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static const struct proto_ops ttp_stream_ops = {
	.family		= AF_TTP,	/* informational: sock->sk says which */
	.owner		= THIS_MODULE,
	.release	= ttp_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= sock_no_getname,
	.poll		= datagram_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
	.mmap		= sock_no_mmap,
};

static int ttp_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct sock *sk;

	if (protocol && protocol != ttp_ipproto)
		return -EPROTONOSUPPORT;
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;

	sk = sk_alloc(net, ttp_family, GFP_KERNEL, &ttp_prot, kern);
	if (!sk)
		return -ENOMEM;

	sock_init_data(sock, sk);
	sock->ops = &ttp_stream_ops;
	sock->state = SS_UNCONNECTED;
	sk->sk_protocol = ttp_ipproto;
	sk->sk_state = TTP_CLOSED;
	sock_prot_inuse_add(net, &ttp_prot, 1);
	return 0;
}

const struct net_proto_family ttp_family_ops = {
	.family	= AF_TTP,	/* replaced by the family parameter at init */
	.create	= ttp_create,
	.owner	= THIS_MODULE,
};
