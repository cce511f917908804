// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data calls of a TTP socket: sendmsg() queues what the process
 * writes as segments of up to ttp_size_goal() (several MSS when large
 * segments are on, in page fragments), recvmsg() hands over what arrived in
 * order, poll() says which of the two would not block.
 */
#include <linux/net.h>
#include <linux/poll.h>
#include <net/sock.h>

#include "ttp.h"

/* ---- data ---- */

/* Wait until the handshake ends; 0 when the connection may carry data. */
static int ttp_wait_established(struct sock *sk, long *timeo)
{
	if (ttp_state_in(sk, TTP_STATEBIT(TTP_SYN_SENT) |
			 TTP_STATEBIT(TTP_SYN_RECV))) {
		int err = ttp_wait_connect(sk, timeo);

		if (err)
			return err == -EINPROGRESS ? -EAGAIN : err;
	}
	return 0;
}

/*
 * Copy up to @n bytes of @msg to the end of @skb, into the page fragment
 * of the socket or task (as tcp_sendmsg_locked() does): one copy, and no
 * allocation but a page now and then.  Return: the bytes copied, at least
 * one, or a negative errno.
 */
static int ttp_copy_to_frags(struct sock *sk, struct sk_buff *skb,
			     struct msghdr *msg, size_t n)
{
	struct page_frag *pfrag = sk_page_frag(sk);
	int i = skb_shinfo(skb)->nr_frags;
	bool merge;
	int err;

	if (!sk_page_frag_refill(sk, pfrag))
		return -ENOBUFS;
	merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
	n = min_t(size_t, n, pfrag->size - pfrag->offset);
	/* Charges the socket for the bytes (sk_wmem_queued). */
	err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
				       pfrag->offset, n);
	if (err)
		return err;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], n);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, n);
		get_page(pfrag->page);
	}
	pfrag->offset += n;
	return n;
}

/**
 * ttp_sendmsg() - send(), write() and the like: queue data and send it
 * @sock: the socket
 * @msg: the data and flags
 * @size: its length
 *
 * A partial last segment may wait for more data: Nagle's algorithm, the
 * cork, and MSG_MORE decide (ttp_nagle_hold()).
 *
 * Return: the bytes queued, or a negative errno.
 */
int ttp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	int flags = msg->msg_flags;
	size_t copied = 0, goal;
	unsigned int fresh = 0, nonagle;
	bool frags;
	long timeo;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;	/* TTP has no urgent data */

	lock_sock(sk);
	/*
	 * Control messages are checked as TCP checks them: a SOL_SOCKET type
	 * the socket layer does not know, or a malformed header, is refused;
	 * the rest are ignored.
	 */
	if (msg->msg_controllen) {
		struct sockcm_cookie sockc;

		sockcm_init(&sockc, sk);
		if (sock_cmsg_send(sk, msg, &sockc)) {
			err = -EINVAL;
			goto out_err;
		}
	}
	/* MSG_MORE: more is coming, hold a partial segment as a cork does. */
	nonagle = ttp_nonagle(sk) | ((flags & MSG_MORE) ? TTP_NAGLE_CORK : 0);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	err = ttp_wait_established(sk, &timeo);
	if (err)
		goto out_err;
	/* Data in page fragments where the device takes them, as TCP's. */
	frags = !!(sk->sk_route_caps & NETIF_F_SG);

	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		size_t room, n;

		/* Again each time: the MSS may fall while the lock was let go. */
		goal = frags ? ttp_size_goal(sk) : tsk->mss;

		err = -EPIPE;
		if (sk->sk_err) {
			err = sock_error(sk);
			goto out_err;
		}
		if ((sk->sk_shutdown & SEND_SHUTDOWN) ||
		    !ttp_state_in(sk, TTP_STATEBIT(TTP_ESTABLISHED) |
				  TTP_STATEBIT(TTP_CLOSE_WAIT))) {
			if (sock->state == SS_UNCONNECTED)
				err = -ENOTCONN;
			goto out_err;
		}

		/* Fill the last queued segment if it is not sent yet. */
		if (skb && tsk->send_head && skb->len < goal &&
		    !(TTP_SKB_CB(skb)->flags & (TTPF_SYN | TTPF_FIN)) &&
		    (frags ? skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS :
			     skb_tailroom(skb) > 0)) {
			room = goal - skb->len;
			if (!frags)
				room = min_t(size_t, room, skb_tailroom(skb));
		} else {
			if (!sk_stream_memory_free(sk)) {
				/* A full buffer has nothing to wait for. */
				__ttp_push(sk, copied ? TTP_NAGLE_PUSH :
						    ttp_nonagle(sk));
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				err = sk_stream_wait_memory(sk, &timeo);
				if (err)
					goto out_err;
				continue;
			}
			/*
			 * A long write takes in, every 16 new segments, what
			 * waited in the backlog meanwhile: the ACKs that open
			 * the window for what is queued.
			 */
			if (++fresh % 16 == 0 && sk_flush_backlog(sk))
				continue;
			skb = ttp_queue_alloc(sk, frags ? 0 : goal, 0,
					      sk->sk_allocation);
			if (!skb) {
				err = -ENOBUFS;
				goto out_err;
			}
			room = goal;
		}

		n = min(room, msg_data_left(msg));
		if (frags) {
			err = ttp_copy_to_frags(sk, skb, msg, n);
			if (err < 0)
				goto out_err;
			n = err;
		} else if (copy_from_iter(skb_put(skb, n), n,
					  &msg->msg_iter) != n) {
			skb_trim(skb, skb->len - n);
			err = -EFAULT;
			goto out_err;
		}
		TTP_SKB_CB(skb)->end_seq += n;
		tsk->write_seq += n;
		copied += n;
		if (skb->len >= goal)
			ttp_push(sk);
	}
	__ttp_push(sk, nonagle);
	release_sock(sk);
	return copied;

out_err:
	if (copied) {
		__ttp_push(sk, nonagle);
		release_sock(sk);
		return copied;
	}
	if (err == -EPIPE && !(flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	release_sock(sk);
	return err;
}

/**
 * ttp_recvmsg() - recv(), read() and the like: take data in order
 * @sock: the socket
 * @msg: where the data goes
 * @len: at most this much
 * @flags: MSG_*
 *
 * Return: the bytes copied, 0 at the end of the stream, or a negative
 * errno.
 */
int ttp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 peek_seq, *seq;
	size_t copied = 0;
	long timeo;
	int target, err = 0;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;

	lock_sock(sk);
	if (sk->sk_state == TTP_LISTEN) {
		err = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	err = ttp_wait_established(sk, &timeo);
	if (err)
		goto out;
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = tsk->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &tsk->copied_seq;

	while (copied < len) {
		struct sk_buff *skb, *last = NULL;
		bool found = false;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			u32 off = *seq - TTP_SKB_CB(skb)->seq;
			size_t n;

			last = skb;
			if (off >= skb->len)
				continue;
			found = true;
			n = min_t(size_t, len - copied, skb->len - off);
			if (!(flags & MSG_TRUNC) &&
			    skb_copy_datagram_msg(skb, off, msg, n)) {
				if (!copied)
					copied = -EFAULT;
				goto out_copied;
			}
			*seq += n;
			copied += n;
			break;
		}
		/* Free what was read (not when peeking). */
		while ((skb = skb_peek(&sk->sk_receive_queue)) &&
		       !ttp_seq_before(tsk->copied_seq,
				       TTP_SKB_CB(skb)->seq + skb->len)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
		if (found)
			continue;

		if (copied >= target && !READ_ONCE(sk->sk_backlog.tail))
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TTP_CLOSED ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			/* End of data, then a reset, then a shutdown: as TCP. */
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TTP_CLOSED) {
				if (sock->state == SS_UNCONNECTED)
					copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		ttp_cleanup_rbuf(sk);
		/*
		 * With enough in hand, only take in what waited in the
		 * backlog: sleeping here for data that may never come (the
		 * backlog held only ACKs, the peer waits for our answer)
		 * would keep what was read from the application.
		 */
		if (copied >= target)
			sk_flush_backlog(sk);
		else
			sk_wait_data(sk, &timeo, last);
	}
out_copied:
	if (!(flags & MSG_PEEK)) {
		ttp_rcv_space_adjust(sk);
		ttp_cleanup_rbuf(sk);
	}
	release_sock(sk);
	return copied;
out:
	release_sock(sk);
	return err;
}

/**
 * ttp_stream_memory_free() - may more be written (proto.stream_memory_free)
 * @sk: the connection
 * @wake: 1 when deciding whether to wake a writer: then only once less
 *	than half the mark waits
 *
 * Below the send buffer (checked by the caller), whether the bytes not
 * sent yet are under TTP_NOTSENT_LOWAT, as TCP's tcp_stream_memory_free().
 * Return: true if they are, or no mark is set.
 */
bool ttp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	u32 lowat = READ_ONCE(tsk->notsent_lowat) ?:
		    ttp_sysctl_notsent_lowat(sock_net(sk));
	u32 notsent = READ_ONCE(tsk->write_seq) - READ_ONCE(tsk->snd_nxt);

	if (lowat == INT_MAX)
		return true;	/* the default: no mark */
	return ((u64)notsent << wake) < lowat;
}

/* ---- poll ---- */

/**
 * ttp_poll() - poll(), select() and epoll on a TTP socket
 * @file: the file
 * @sock: its socket
 * @wait: the poll table
 *
 * Return: the events ready.
 */
__poll_t ttp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	/*
	 * On the wait queue first, then read the state: a handshake that
	 * completes between the two is then either seen here or wakes us.
	 * Read the other way round, epoll_ctl() racing a SYN-ACK on another
	 * CPU saw SYN_SENT and missed the wakeup, and the socket was never
	 * reported writable.
	 */
	sock_poll_wait(file, sock, wait);
	state = READ_ONCE(sk->sk_state);

	if (state == TTP_LISTEN)
		return READ_ONCE(sk->sk_ack_backlog) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TTP_CLOSED)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != TTP_SYN_SENT && state != TTP_SYN_RECV &&
	    state != TTP_CLOSED) {
		if (READ_ONCE(tsk->rcv_nxt) != READ_ONCE(tsk->copied_seq) ||
		    !skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* Race with an ACK freeing space: recheck. */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			/* write() will not block: it fails with EPIPE. */
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	return mask;
}
