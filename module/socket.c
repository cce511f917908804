// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AF_TTP socket family: creating, binding, connecting, shutting down
 * and closing TTP sockets, and their registration.  The data calls are in
 * stream.c, listen() and accept() in listen.c, the options in sockopt.c.
 *
 * Module lifetime: every socket holds a reference on ttp.ko, taken by the
 * socket layer through ttp_stream_ops.owner and by sk_alloc() through
 * ttp_prot.owner, so the module cannot be removed while a socket exists,
 * orphaned connections finishing their close included.
 *
 * Socket lifetime: the reference sk_alloc() returns belongs to the
 * protocol and is dropped by ttp_destroy() once the connection is CLOSED
 * and no process holds the socket any more (SOCK_DEAD): by close() if the
 * connection is already closed then, else by ttp_done() when it closes.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/route.h>
#include <net/sock.h>

#include "auth.h"
#include "ttp.h"

static void ttp_destroy(struct sock *sk)
{
	ttp_clear_timers(sk);
	ttp_unhash(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	__skb_queue_purge(&ttp_sk(sk)->ofo_queue);
	while (!skb_queue_empty(&sk->sk_write_queue)) {
		struct sk_buff *skb = __skb_dequeue(&sk->sk_write_queue);

		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	ttp_sk(sk)->send_head = NULL;
	ttp_cc_release(&ttp_sk(sk)->cc);
	sk_dst_reset(sk);
	ttp_auth_free(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sock_put(sk);
}

/*
 * Leave the tables; keep the port if bind() chose it and a process still
 * holds the socket (it may listen or connect again from there).
 */
static void ttp_release_port(struct sock *sk)
{
	if (sock_flag(sk, SOCK_DEAD) || !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		ttp_unhash(sk);
	else
		ttp_unhash_keep_port(sk);
}

/**
 * ttp_done() - the connection has reached CLOSED
 * @sk: the socket
 *
 * Free what it holds; the socket itself goes once no process holds it.
 * Under the socket lock.
 */
void ttp_done(struct sock *sk)
{
	if (ttp_sk(sk)->parent)
		ttp_child_detach(sk);
	if (sk->sk_state != TTP_CLOSED)
		inet_sk_set_state(sk, TTP_CLOSED);
	ttp_clear_timers(sk);
	/* Out-of-order data will never be in order now. */
	__skb_queue_purge(&ttp_sk(sk)->ofo_queue);
	/* A connection's 4-tuple is free again. */
	ttp_release_port(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;

	if (sock_flag(sk, SOCK_DEAD))
		ttp_destroy(sk);
	else
		sk->sk_state_change(sk);
}

/**
 * ttp_set_error_and_done() - report an error to the process, then ttp_done()
 * @sk: the socket
 * @err: the positive errno for sk_err (ECONNRESET, ETIMEDOUT, ...)
 *
 * Under the socket lock.
 */
void ttp_set_error_and_done(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
	ttp_done(sk);
}

/**
 * ttp_abort() - end a connection at once, with a RST
 * @sk: the connection
 * @ev: TTP_EV_ABORT, or TTP_EV_TIMEOUT when retransmissions ran out
 * @err: the positive errno for the process, or 0 if none is to be told
 *
 * The peer gets a RST (ttp_send_active_rst() says when none is due), the
 * connection moves to CLOSED and is done.  Under the socket lock.
 */
void ttp_abort(struct sock *sk, enum ttp_event ev, int err)
{
	ttp_send_active_rst(sk, GFP_ATOMIC);
	ttp_transition(sk, ev);
	if (err)
		ttp_set_error_and_done(sk, err);
	else
		ttp_done(sk);
}

/*
 * Acknowledged data left the write queue: wake writers once a third of the
 * send buffer is free, and less than half of TTP_NOTSENT_LOWAT waits
 * unsent (__sk_stream_is_writeable(), waking as TCP's), not for every ACK.
 */
static void ttp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !__sk_stream_is_writeable(sk, 1))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/* Fields of a new socket, user-created or a listener's child. */
static void ttp_init_sock_state(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);

	sk->sk_state = TTP_CLOSED;
	sk->sk_protocol = ttp_ipproto;
	sk->sk_write_space = ttp_write_space;
	sk->sk_backlog_rcv = ttp_backlog_rcv;
	sock_set_flag(sk, SOCK_RCU_FREE);
	/* Large segments are of this type; sk_setup_caps() looks (offload.c). */
	sk->sk_gso_type = SKB_GSO_SCTP;

	inet->uc_ttl = -1;
	inet->mc_ttl = 1;
	inet->pmtudisc = IP_PMTUDISC_WANT;

	spin_lock_init(&tsk->accept_lock);
	INIT_LIST_HEAD(&tsk->syn_queue);
	INIT_LIST_HEAD(&tsk->accept_queue);
	INIT_LIST_HEAD(&tsk->child_node);
	tsk->rto = msecs_to_jiffies(ttp_sysctl_rto_initial_ms(net));
	tsk->mss = ttp_sysctl_default_mss(net);
	tsk->mss_agreed = tsk->mss;
	tsk->rcv_ratio = 128;	/* a guess until data arrives: half */
	tsk->csum_offer = 1 << TTP_CSUM_INET;
	if (ttp_sysctl_crc32c(net))
		tsk->csum_offer |= 1 << TTP_CSUM_CRC32C;
	tsk->sack_offer = !!ttp_sysctl_sack(net);
	tsk->ts_offer = !!ttp_sysctl_timestamps(net);
	skb_queue_head_init(&tsk->ofo_queue);
	ttp_cc_set_default(sk);
	ttp_cc_start(&tsk->cc, tsk->mss);
	ttp_init_timers(sk);
	sock_prot_inuse_add(sock_net(sk), &ttp_prot, 1);
}

/**
 * ttp_child_alloc() - a listener's child, for a SYN that arrived (softirq)
 * @parent: the listener
 * @gfp: allocation flags
 *
 * It takes the listener's socket options, and is an orphan (SOCK_DEAD)
 * until accept() takes it.
 *
 * Return: the child, in CLOSED, or NULL without memory.
 */
struct sock *ttp_child_alloc(struct sock *parent, gfp_t gfp)
{
	struct sock *sk = sk_alloc(sock_net(parent), parent->sk_family, gfp,
				   &ttp_prot, parent->sk_kern_sock);
	struct ttp_sock *tsk, *ptsk = ttp_sk(parent);

	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	sk->sk_type = parent->sk_type;
	sk->sk_reuse = parent->sk_reuse;
	sk->sk_reuseport = parent->sk_reuseport;
	sk->sk_mark = parent->sk_mark;
	sk->sk_bound_dev_if = parent->sk_bound_dev_if;
	sk->sk_rcvbuf = parent->sk_rcvbuf;
	sk->sk_sndbuf = parent->sk_sndbuf;
	sk->sk_userlocks = parent->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	sk->sk_rcvtimeo = parent->sk_rcvtimeo;
	sk->sk_sndtimeo = parent->sk_sndtimeo;
	if (sock_flag(parent, SOCK_LINGER)) {
		sock_set_flag(sk, SOCK_LINGER);
		sk->sk_lingertime = parent->sk_lingertime;
	}
	if (sock_flag(parent, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	ttp_init_sock_state(sk);

	tsk = ttp_sk(sk);
	tsk->nodelay = ptsk->nodelay;
	tsk->cork = ptsk->cork;
	tsk->mss_clamp = ptsk->mss_clamp;
	tsk->csum_offer = ptsk->csum_offer;
	tsk->sack_offer = ptsk->sack_offer;
	tsk->ts_offer = ptsk->ts_offer;
	tsk->user_timeout = ptsk->user_timeout;
	tsk->syn_retries = ptsk->syn_retries;
	tsk->keepidle_ms = ptsk->keepidle_ms;
	tsk->keepintvl_ms = ptsk->keepintvl_ms;
	tsk->keepcnt = ptsk->keepcnt;
	tsk->window_clamp = ptsk->window_clamp;
	tsk->notsent_lowat = ptsk->notsent_lowat;
	ttp_cc_inherit(sk, parent);
	/* No process holds it until accept(): an orphan until then. */
	sock_set_flag(sk, SOCK_DEAD);
	return sk;
}

/* ---- addresses ---- */

static int ttp_check_addr(const struct sockaddr *uaddr, int len,
			  struct sockaddr_ttp *out)
{
	if (len < (int)sizeof(struct sockaddr_ttp))
		return -EINVAL;
	memcpy(out, uaddr, sizeof(*out));
	if (out->sttp_family != ttp_family)
		return -EAFNOSUPPORT;
	if (out->sttp_reserved1 || out->sttp_reserved2)
		return -EINVAL;
	if (out->sttp_ipfamily == AF_INET6)
		return -EAFNOSUPPORT;	/* IPv4 only, for now */
	if (out->sttp_ipfamily != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

static int ttp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_ttp *a = (struct sockaddr_ttp *)uaddr;

	memset(a, 0, sizeof(*a));
	a->sttp_family = ttp_family;
	a->sttp_ipfamily = AF_INET;
	if (peer) {
		/* accept() asks with peer 2 (ttp_state_names_peer()). */
		if (!inet->inet_dport ||
		    !ttp_state_names_peer(READ_ONCE(sk->sk_state), peer == 2))
			return -ENOTCONN;
		a->sttp_port = inet->inet_dport;
		a->sttp_addr.v4 = inet->inet_daddr;
	} else {
		a->sttp_port = inet->inet_sport;
		a->sttp_addr.v4 = inet->inet_rcv_saddr ?: inet->inet_saddr;
	}
	return sizeof(*a);
}

static int ttp_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct sockaddr_ttp a;
	u16 port;
	int err;

	err = ttp_check_addr(uaddr, len, &a);
	if (err)
		return err;
	port = ntohs(a.sttp_port);
	if (a.sttp_addr.v4 != htonl(INADDR_ANY) &&
	    inet_addr_type(net, a.sttp_addr.v4) != RTN_LOCAL)
		return -EADDRNOTAVAIL;
	if (port && port < PROT_SOCK &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	if (sk->sk_state != TTP_CLOSED || ttp_sk(sk)->bound) {
		err = -EINVAL;
		goto out;
	}
	err = ttp_bind_port(sk, a.sttp_addr.v4, port);
	if (!err) {
		if (port)
			sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
		if (a.sttp_addr.v4)
			sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	}
out:
	release_sock(sk);
	return err;
}

/* ---- connect ---- */

/**
 * ttp_wait_connect() - wait for the handshake to end
 * @sk: the socket, locked
 * @timeo: how long, in jiffies; what is left of it on return
 *
 * Return: 0 once out of SYN_SENT and SYN_RECV, -EINPROGRESS when @timeo
 * ran out, or the errno of a signal.
 */
int ttp_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (ttp_state_in(sk, TTP_STATEBIT(TTP_SYN_SENT) |
			    TTP_STATEBIT(TTP_SYN_RECV))) {
		if (!*timeo) {
			err = -EINPROGRESS;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo,
			      !ttp_state_in(sk, TTP_STATEBIT(TTP_SYN_SENT) |
					    TTP_STATEBIT(TTP_SYN_RECV)), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static int ttp_do_connect(struct sock *sk, const struct sockaddr_ttp *a)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
	struct rtable *rt;
	int err;

	if (!a->sttp_port)
		return -EINVAL;
	rt = ip_route_output_ports(net, fl4, sk, a->sttp_addr.v4,
				   inet->inet_saddr, a->sttp_port,
				   inet->inet_sport, ttp_ipproto, 0,
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return PTR_ERR(rt) == -ENETUNREACH ? -ENETUNREACH : PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr) {
		inet->inet_saddr = fl4->saddr;
		inet->inet_rcv_saddr = fl4->saddr;
	}
	inet->inet_daddr = a->sttp_addr.v4;
	inet->inet_dport = a->sttp_port;
	sk_setup_caps(sk, &rt->dst);

	err = ttp_autobind(sk);
	if (!err)
		err = ttp_hash_established(sk);
	if (err) {
		/* 4-tuple taken, or no port: leave as before connect(). */
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			ttp_unbind(sk);
		if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
			inet->inet_saddr = 0;
			inet->inet_rcv_saddr = 0;
		}
		inet->inet_daddr = 0;
		inet->inet_dport = 0;
		sk_dst_reset(sk);
		return err == -EADDRINUSE ? -EADDRNOTAVAIL : err;
	}

	ttp_init_snd_seq(sk, ttp_isn(inet->inet_saddr, inet->inet_daddr,
				     inet->inet_sport, inet->inet_dport));
	tsk->ts_off = ttp_ts_offset(inet->inet_saddr, inet->inet_daddr);
	tsk->retries = 0;
	/* A key for this peer: every segment signed, from the SYN on. */
	ttp_auth_start(sk);
	ttp_transition(sk, TTP_EV_CONNECT);
	err = ttp_send_syn(sk);
	if (err) {
		ttp_done(sk);
		return err;
	}
	return 0;
}

static int ttp_connect(struct socket *sock, struct sockaddr *uaddr, int len,
		       int flags)
{
	struct sock *sk = sock->sk;
	struct sockaddr_ttp a;
	long timeo;
	int err;

	if (len >= (int)sizeof(sa_family_t) && uaddr->sa_family == AF_UNSPEC)
		return -EOPNOTSUPP;	/* no disconnect for streams */
	err = ttp_check_addr(uaddr, len, &a);
	if (err)
		return err;

	lock_sock(sk);
	switch (sk->sk_state) {
	case TTP_ESTABLISHED:
	case TTP_CLOSE_WAIT:
	case TTP_FIN_WAIT1:
	case TTP_FIN_WAIT2:
	case TTP_CLOSING:
	case TTP_LAST_ACK:
	case TTP_TIME_WAIT:
		err = sock->state == SS_CONNECTING ? 0 : -EISCONN;
		sock->state = SS_CONNECTED;
		goto out;
	case TTP_SYN_SENT:
	case TTP_SYN_RECV:
		err = -EALREADY;
		if (flags & O_NONBLOCK)
			goto out;
		break;	/* wait below */
	case TTP_LISTEN:
		err = -EINVAL;
		goto out;
	case TTP_CLOSED:
		if (sock->state == SS_CONNECTING) {
			/* The attempt of a non-blocking connect() failed. */
			sock->state = SS_UNCONNECTED;
			err = sock_error(sk) ?: -ECONNABORTED;
			goto out;
		}
		if (sock->state == SS_CONNECTED) {
			/* A connection that ended: no second one here. */
			err = -EISCONN;
			goto out;
		}
		WRITE_ONCE(sk->sk_err, 0);
		sk->sk_shutdown = 0;
		sock_reset_flag(sk, SOCK_DONE);
		err = ttp_do_connect(sk, &a);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	err = ttp_wait_connect(sk, &timeo);
	if (err)
		goto out;
	if (sk->sk_state == TTP_CLOSED) {
		/*
		 * A RST or a timeout left its error; without one, shutdown()
		 * from another thread abandoned the attempt.
		 */
		err = sock_error(sk) ?: -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* accept() as this kernel calls it (compat.h); listen.c does the work. */
static int ttp_accept(struct socket *sock, struct socket *newsock,
		      TTP_ACCEPT_ARGS)
{
	return ttp_accept_impl(sock, newsock, TTP_ACCEPT_FLAGS,
			       TTP_ACCEPT_KERN);
}

/* ---- close and shutdown ---- */

/* Send our FIN if the state calls for one (close() or SHUT_WR). */
static void ttp_shutdown_send(struct sock *sk)
{
	if (ttp_state_in(sk, TTP_STATEBIT(TTP_ESTABLISHED) |
			 TTP_STATEBIT(TTP_SYN_RECV) |
			 TTP_STATEBIT(TTP_CLOSE_WAIT))) {
		ttp_transition(sk, TTP_EV_CLOSE);
		ttp_send_fin(sk);
	}
}

static int ttp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	long timeo;
	bool unread;

	if (!sk)
		return 0;

	sock_hold(sk);
	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;

	unread = !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);

	switch (sk->sk_state) {
	case TTP_LISTEN:
		ttp_transition(sk, TTP_EV_CLOSE);
		/* New SYNs go to the rest of its SO_REUSEPORT group. */
		ttp_unhash_keep_port(sk);
		ttp_close_children(sk);
		break;
	case TTP_CLOSED:
		break;
	case TTP_SYN_SENT:
		ttp_transition(sk, TTP_EV_CLOSE);
		break;
	default:
		/*
		 * Unread data, or SO_LINGER with a zero time: abort, so the
		 * peer learns that data was lost (RFC 2525, 2.17).
		 */
		if (unread || (sock_flag(sk, SOCK_LINGER) &&
			       !sk->sk_lingertime)) {
			/* ttp_abort(), but done once orphaned, below */
			ttp_send_active_rst(sk, sk->sk_allocation);
			ttp_transition(sk, TTP_EV_ABORT);
			break;
		}
		ttp_shutdown_send(sk);
		if (sock_flag(sk, SOCK_LINGER) && sk->sk_lingertime) {
			DEFINE_WAIT_FUNC(wait, woken_wake_function);

			timeo = sk->sk_lingertime;
			add_wait_queue(sk_sleep(sk), &wait);
			while (ttp_state_in(sk, TTP_STATEBIT(TTP_FIN_WAIT1) |
					    TTP_STATEBIT(TTP_CLOSING) |
					    TTP_STATEBIT(TTP_LAST_ACK)) &&
			       timeo && !signal_pending(current))
				sk_wait_event(sk, &timeo,
					      !ttp_state_in(sk,
						TTP_STATEBIT(TTP_FIN_WAIT1) |
						TTP_STATEBIT(TTP_CLOSING) |
						TTP_STATEBIT(TTP_LAST_ACK)),
					      &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
		}
		break;
	}

	sock_orphan(sk);
	if (sk->sk_state == TTP_CLOSED)
		ttp_done(sk);
	else if (sk->sk_state == TTP_FIN_WAIT2)
		ttp_arm_misc(sk, ttp_sysctl_fin_timeout_ms(sock_net(sk)));
	release_sock(sk);
	sock_put(sk);
	sock->sk = NULL;
	return 0;
}

static int ttp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 become RCV_SHUTDOWN 1 .. 3 */
	how++;
	if (how < RCV_SHUTDOWN || how > SHUTDOWN_MASK)
		return -EINVAL;

	lock_sock(sk);
	switch (sk->sk_state) {
	case TTP_CLOSED:
		err = -ENOTCONN;
		break;
	case TTP_LISTEN:
		if (how & RCV_SHUTDOWN) {
			/* Stop listening: accept() returns EINVAL. */
			ttp_transition(sk, TTP_EV_CLOSE);
			ttp_release_port(sk);
			ttp_close_children(sk);
		}
		break;
	case TTP_SYN_SENT:
		ttp_transition(sk, TTP_EV_CLOSE);
		ttp_done(sk);
		break;
	default:
		sk->sk_shutdown |= how;
		if (how & SEND_SHUTDOWN)
			ttp_shutdown_send(sk);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* ---- registration ---- */

struct proto ttp_prot = {
	.name		= "TTP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct ttp_sock),
	.backlog_rcv	= ttp_backlog_rcv,
	.release_cb	= ttp_release_cb,
	.keepalive	= ttp_set_keepalive,
	.stream_memory_free = ttp_stream_memory_free,
};

static const struct proto_ops ttp_stream_ops = {
	.family		= AF_TTP,	/* informational: sock->sk says which */
	.owner		= THIS_MODULE,
	.release	= ttp_release,
	.bind		= ttp_bind,
	.connect	= ttp_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= ttp_accept,
	.getname	= ttp_getname,
	.poll		= ttp_poll,
	.ioctl		= ttp_ioctl,
	.listen		= ttp_listen,
	.shutdown	= ttp_shutdown,
	.setsockopt	= ttp_setsockopt,
	.getsockopt	= ttp_getsockopt,
	.sendmsg	= ttp_sendmsg,
	.recvmsg	= ttp_recvmsg,
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
	ttp_take_sol_socket(sock);
	ttp_init_sock_state(sk);
	return 0;
}

const struct net_proto_family ttp_family_ops = {
	.family	= AF_TTP,	/* replaced by the family parameter at init */
	.create	= ttp_create,
	.owner	= THIS_MODULE,
};
