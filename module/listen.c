// SPDX-License-Identifier: GPL-2.0-only
/*
 * Listeners: listen(), accept(), and the queues of a listener's children
 * (SYN_RECV, then ESTABLISHED until accepted).  What a listener does with a
 * SYN is in input.c (ttp_rcv_listen()) and syncookie.c.
 */
#include <linux/net.h>
#include <net/sock.h>

#include "ttp.h"

/**
 * ttp_listen() - listen(): a CLOSED socket becomes a listener
 * @sock: the socket
 * @backlog: the accept queue's bound, capped at net.core.somaxconn; on a
 *	listener, only the bound changes
 *
 * Return: 0, -EINVAL if the socket is connected or not CLOSED, or what
 * binding a port returned (-EADDRINUSE).
 */
int ttp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = 0;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED) {
		err = -EINVAL;
		goto out;
	}
	backlog = clamp_t(int, backlog, 0,
			  READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (sk->sk_state == TTP_LISTEN)
		goto out;	/* a new backlog only */
	if (sk->sk_state != TTP_CLOSED) {
		err = -EINVAL;
		goto out;
	}
	err = ttp_autobind(sk);
	if (err)
		goto out;
	err = ttp_hash_listener(sk);
	if (err) {
		/* Give back a port listen() itself picked. */
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			ttp_unbind(sk);
		goto out;
	}
	ttp_transition(sk, TTP_EV_LISTEN);
out:
	release_sock(sk);
	return err;
}

/**
 * ttp_child_attach() - put a new child on its listener's syn_queue
 * @parent: the listener
 * @child: the child, in SYN_RECV, under its lock
 *
 * A listener's children wait on its syn_queue (SYN_RECV) then its
 * accept_queue (ESTABLISHED), each holding a reference on the listener.
 * A child leaves by ttp_child_detach(), under its own lock, exactly once:
 * when accept() takes it, when it dies first, or when the listener closes.
 *
 * Return: false if @parent no longer listens; @child is then on no queue.
 */
bool ttp_child_attach(struct sock *parent, struct sock *child)
{
	struct ttp_sock *ptsk = ttp_sk(parent);
	bool ok;

	/*
	 * Segments reach a listener while its process may hold it
	 * (ttp_v4_rcv()): a close() that left LISTEN before this lock was
	 * taken has, or will have, reset every child it could see, so none
	 * may join after it.
	 */
	spin_lock(&ptsk->accept_lock);
	ok = READ_ONCE(parent->sk_state) == TTP_LISTEN;
	if (ok) {
		sock_hold(parent);
		ttp_sk(child)->parent = parent;
		list_add_tail(&ttp_sk(child)->child_node, &ptsk->syn_queue);
		ptsk->syn_queue_len++;
	}
	spin_unlock(&ptsk->accept_lock);
	return ok;
}

/**
 * ttp_child_detach() - take a child off its listener's queue
 * @child: the child, under its lock
 *
 * It drops the reference on the listener that ttp_child_attach() took.
 * Nothing happens to a child that has no listener.
 */
void ttp_child_detach(struct sock *child)
{
	struct ttp_sock *tsk = ttp_sk(child);
	struct sock *parent = tsk->parent;
	struct ttp_sock *ptsk;

	if (!parent)
		return;
	ptsk = ttp_sk(parent);
	spin_lock_bh(&ptsk->accept_lock);
	if (!list_empty(&tsk->child_node)) {
		list_del_init(&tsk->child_node);
		if (tsk->in_accept_queue)
			sk_acceptq_removed(parent);
		else
			ptsk->syn_queue_len--;
	}
	tsk->in_accept_queue = 0;
	spin_unlock_bh(&ptsk->accept_lock);
	tsk->parent = NULL;
	sock_put(parent);
}

/**
 * ttp_child_established() - move a child to its listener's accept queue
 * @child: the child, in SYN_RECV
 *
 * The ACK of the child's SYN+ACK arrived.  Under the child's lock; the
 * listener is woken once the child is on its accept queue.
 *
 * Return: true if it moved; false if the accept queue is full (the ACK is
 * then ignored, and the SYN+ACK sent again later), or the listener closed.
 */
bool ttp_child_established(struct sock *child)
{
	struct ttp_sock *tsk = ttp_sk(child);
	struct sock *parent = tsk->parent;
	struct ttp_sock *ptsk;
	bool ok = false;

	if (!parent)
		return false;
	ptsk = ttp_sk(parent);
	spin_lock(&ptsk->accept_lock);
	if (parent->sk_state == TTP_LISTEN && !sk_acceptq_is_full(parent) &&
	    !list_empty(&tsk->child_node)) {
		list_move_tail(&tsk->child_node, &ptsk->accept_queue);
		ptsk->syn_queue_len--;
		tsk->in_accept_queue = 1;
		sk_acceptq_added(parent);
		ok = true;
	}
	spin_unlock(&ptsk->accept_lock);
	if (ok)
		parent->sk_data_ready(parent);
	else if (parent->sk_state == TTP_LISTEN)
		TTP_INC_STATS(sock_net(child), TTP_MIB_LISTENOVERFLOWS);
	return ok;
}

/* First child of @list with a reference, or NULL. */
static struct sock *ttp_first_child(struct sock *parent,
				    struct list_head *list)
{
	struct ttp_sock *ptsk = ttp_sk(parent);
	struct sock *child = NULL;

	spin_lock_bh(&ptsk->accept_lock);
	if (!list_empty(list)) {
		child = &list_first_entry(list, struct ttp_sock,
					  child_node)->inet.sk;
		sock_hold(child);
	}
	spin_unlock_bh(&ptsk->accept_lock);
	return child;
}

/**
 * ttp_accept_impl() - accept(): the first connection of the accept queue
 * @sock: the listener
 * @newsock: the socket that takes the connection
 * @flags: O_NONBLOCK, or not
 * @kern: a socket of the kernel's own
 *
 * Return: 0, -EINVAL if @sock does not listen, -EAGAIN without a
 * connection and O_NONBLOCK, or -ERESTARTSYS/-EINTR on a signal.
 */
int ttp_accept_impl(struct socket *sock, struct socket *newsock, int flags,
		    bool kern)
{
	struct sock *sk = sock->sk, *child;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	long timeo;
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state != TTP_LISTEN) {
		err = -EINVAL;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
again:
	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	while (!(child = ttp_first_child(sk, &ttp_sk(sk)->accept_queue))) {
		if (sk->sk_state != TTP_LISTEN) {
			err = -EINVAL;
			break;
		}
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		sk_wait_event(sk, &timeo,
			      !list_empty(&ttp_sk(sk)->accept_queue) ||
			      sk->sk_state != TTP_LISTEN, &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	if (err)
		goto out;

	lock_sock_nested(child, SINGLE_DEPTH_NESTING);
	if (ttp_sk(child)->parent != sk) {
		/* It died (and was freed of its queue) meanwhile. */
		release_sock(child);
		sock_put(child);
		goto again;
	}
	ttp_child_detach(child);
	sock_reset_flag(child, SOCK_DEAD);
	sock_graft(child, newsock);
	newsock->ops = sock->ops;
	newsock->state = SS_CONNECTED;
	ttp_take_sol_socket(newsock);
	release_sock(child);
	sock_put(child);
out:
	release_sock(sk);
	return err;
}

/**
 * ttp_close_children() - reset the connections queued on a listener
 * @sk: the listener, whose state left LISTEN, under its socket lock
 *
 * No process will ever accept them.  A child that a SYN creates meanwhile
 * finds the listener closed (ttp_child_attach()) and joins no queue.
 */
void ttp_close_children(struct sock *sk)
{
	struct ttp_sock *ptsk = ttp_sk(sk);
	struct sock *child;

	while ((child = ttp_first_child(sk, &ptsk->accept_queue)) ||
	       (child = ttp_first_child(sk, &ptsk->syn_queue))) {
		local_bh_disable();
		bh_lock_sock_nested(child);
		if (ttp_sk(child)->parent == sk) {
			ttp_child_detach(child);
			/* An orphan: destroyed by ttp_done() */
			if (child->sk_state != TTP_CLOSED)
				ttp_abort(child, TTP_EV_ABORT, 0);
			else
				ttp_done(child);
		}
		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);
	}
}
