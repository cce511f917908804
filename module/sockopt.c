// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket options and ioctls of TTP sockets: what setsockopt(),
 * getsockopt() (TTP_INFO included) and ioctl() at the TTP level do
 * (Documentation/ttp-uapi.rst).
 */
#include <linux/net.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <net/sock.h>

#include "auth.h"
#include "ttp.h"

/**
 * ttp_ioctl() - ioctl() on a TTP socket: the queue sizes TCP's give
 * @sock: the socket
 * @cmd: SIOCINQ (bytes to read), SIOCOUTQ (bytes not acknowledged) or
 *	SIOCOUTQNSD (bytes not sent yet)
 * @arg: where the int answer goes
 *
 * Return: 0, -EINVAL on a listener, -ENOIOCTLCMD for another @cmd, or
 * -EFAULT.
 */
int ttp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	int n;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		n = tsk->rcv_nxt - tsk->copied_seq;
		/* The FIN takes a sequence number but is not data. */
		if (sock_flag(sk, SOCK_DONE) && n > 0)
			n--;
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		n = ttp_outq(tsk);
		release_sock(sk);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TTP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		n = tsk->write_seq - tsk->snd_nxt;
		release_sock(sk);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(n, (int __user *)arg);
}

/*
 * TTP_CONGESTION: a name of at most TTP_CA_NAME_MAX - 1 bytes (what
 * follows is cut, as TCP's), looked up (and its module loaded) before the
 * socket is locked.
 */
static int ttp_set_congestion(struct sock *sk, sockptr_t optval,
			      unsigned int optlen)
{
	char name[TTP_CA_NAME_MAX];
	const struct ttp_cc_ops *ops;
	long n;

	if (optlen < 1)
		return -EINVAL;
	n = strncpy_from_sockptr(name, optval,
				 min_t(long, sizeof(name) - 1, optlen));
	if (n < 0)
		return -EFAULT;
	name[n] = 0;
	ops = ttp_cc_get(name);
	if (!ops)
		return -ENOENT;
	lock_sock(sk);
	ttp_cc_set(&ttp_sk(sk)->cc, ops, ttp_sk(sk)->mss);
	release_sock(sk);
	return 0;
}

/**
 * ttp_setsockopt() - setsockopt() at level SOL_TTP, and SOL_SOCKET's
 * @sock: the socket
 * @level: SOL_TTP; or SOL_SOCKET, where the kernel lets TTP take those
 *	(compat.h, ttp_take_sol_socket()); else -ENOPROTOOPT
 * @optname: TTP_NODELAY, TTP_CORK, TTP_MAXSEG, TTP_CSUM_ALGO,
 *	TTP_USER_TIMEOUT, TTP_SYNCNT, TTP_KEEPIDLE, TTP_KEEPINTVL,
 *	TTP_KEEPCNT, TTP_WINDOW_CLAMP, TTP_NOTSENT_LOWAT, TTP_REUSEPORT, TTP_CONGESTION,
 *	or the TTP_AUTH_* options (Documentation/ttp-uapi.rst); at
 *	SOL_SOCKET, SO_REUSEPORT is TTP's and every other option the socket
 *	layer's
 * @optval: an int; a name for TTP_CONGESTION; a struct for TTP_AUTH_*
 * @optlen: at least sizeof(int); at least 1 for TTP_CONGESTION; the
 *	struct's size for TTP_AUTH_*
 *
 * Return: 0, -EINVAL for a value out of range, -EISCONN for what only a
 * handshake to come can use, -ENOENT for a congestion controller that is
 * not there, -ENOPROTOOPT, or -EFAULT.
 */
int ttp_setsockopt(struct socket *sock, int level, int optname,
		   sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	int val, err = 0;

	if (level == SOL_SOCKET) {
		/*
		 * sock_setsockopt() refuses SO_REUSEPORT to a family that is
		 * not AF_INET or AF_INET6; TTP's port table shares ports as
		 * TCP's does (table.c), so it takes that one itself.
		 */
		if (optname != SO_REUSEPORT)
			return sock_setsockopt(sock, level, optname, optval,
					       optlen);
		optname = TTP_REUSEPORT;
	} else if (level != SOL_TTP) {
		return -ENOPROTOOPT;
	}
	if (optname == TTP_CONGESTION)
		return ttp_set_congestion(sk, optval, optlen);
	if (optname == TTP_AUTH_KEY || optname == TTP_AUTH_DEL_KEY ||
	    optname == TTP_AUTH_SELECT) {
		lock_sock(sk);
		err = ttp_auth_setsockopt(sk, optname, optval, optlen);
		release_sock(sk);
		return err;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case TTP_NODELAY:
		/* As TCP: turning it on sends what waits, even corked. */
		tsk->nodelay = !!val;
		if (val)
			__ttp_push(sk, TTP_NAGLE_PUSH);
		break;
	case TTP_CORK:
		/* Uncorked, what waits goes as Nagle's algorithm allows. */
		tsk->cork = !!val;
		if (!val)
			__ttp_push(sk, ttp_nonagle(sk) |
				   (tsk->nodelay ? TTP_NAGLE_PUSH : 0));
		break;
	case TTP_MAXSEG:
		if (val && (val < TTP_MIN_MSS || val > U16_MAX))
			err = -EINVAL;
		else if (!ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) |
				       TTP_STATEBIT(TTP_LISTEN)))
			err = -EISCONN;
		else
			tsk->mss_clamp = val;
		break;
	case TTP_CSUM_ALGO:
		if (val != TTP_CSUM_INET && val != TTP_CSUM_CRC32C)
			err = -EINVAL;
		else if (!ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) |
				       TTP_STATEBIT(TTP_LISTEN)))
			err = -EISCONN;
		else
			tsk->csum_offer = (1 << TTP_CSUM_INET) | (1 << val);
		break;
	case TTP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			tsk->user_timeout = val;
		break;
	case TTP_SYNCNT:
		if (val < 1 || val > 127)
			err = -EINVAL;
		else
			tsk->syn_retries = val;
		break;
	case TTP_KEEPIDLE:
		if (val < 1 || val > TTP_KEEPALIVE_MAX_S) {
			err = -EINVAL;
			break;
		}
		tsk->keepidle_ms = val * MSEC_PER_SEC;
		if (sock_flag(sk, SOCK_KEEPOPEN))
			ttp_keepalive_reset(sk, true);
		break;
	case TTP_KEEPINTVL:
		if (val < 1 || val > TTP_KEEPALIVE_MAX_S)
			err = -EINVAL;
		else
			tsk->keepintvl_ms = val * MSEC_PER_SEC;
		break;
	case TTP_KEEPCNT:
		if (val < 1 || val > 127)
			err = -EINVAL;
		else
			tsk->keepcnt = val;
		break;
	case TTP_WINDOW_CLAMP:
		/* As TCP: no less than half the smallest buffer, and taken
		 * off (0) only before a connection.
		 */
		if (val < 0 || (!val && sk->sk_state != TTP_CLOSED))
			err = -EINVAL;
		else
			WRITE_ONCE(tsk->window_clamp,
				   val ? max_t(int, val, SOCK_MIN_RCVBUF / 2) : 0);
		break;
	case TTP_NOTSENT_LOWAT:
		if (val < 0) {
			err = -EINVAL;
			break;
		}
		WRITE_ONCE(tsk->notsent_lowat, val);
		sk->sk_write_space(sk);	/* a writer may go on now */
		break;
	case TTP_REUSEPORT:
		/* Looked at by bind() and listen(), as TCP's (table.c). */
		sk->sk_reuseport = !!val;
		break;
	default:
		err = -ENOPROTOOPT;
	}
	release_sock(sk);
	return err;
}

/**
 * ttp_set_keepalive() - SO_KEEPALIVE was set or cleared (proto.keepalive)
 * @sk: the socket, locked
 * @val: its new value
 *
 * A connection starts its keepalive timer, or stops it.
 */
void ttp_set_keepalive(struct sock *sk, int val)
{
	ttp_keepalive_reset(sk, val);
}

/* TTP_INFO, under the socket lock. */
static void ttp_get_info(struct sock *sk, struct ttp_info *info)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	memset(info, 0, sizeof(*info));
	info->ttpi_state = sk->sk_state;
	info->ttpi_csum_algo = tsk->csum_algo;
	info->ttpi_snd_wscale = tsk->snd_wscale;
	info->ttpi_rcv_wscale = tsk->rcv_wscale;
	info->ttpi_mss = tsk->mss_agreed;
	info->ttpi_options = tsk->opts;
	info->ttpi_rto = jiffies_to_usecs(tsk->rto);
	info->ttpi_rtt = tsk->rtt.srtt_us;
	info->ttpi_rttvar = tsk->rtt.rttvar_us;
	info->ttpi_snd_cwnd = tsk->cc.cwnd;
	info->ttpi_snd_ssthresh = tsk->cc.ssthresh;
	info->ttpi_snd_wnd = tsk->snd_wnd;
	info->ttpi_rcv_wnd = tsk->rcv_wnd;
	info->ttpi_unacked = tsk->snd_nxt - tsk->snd_una;
	info->ttpi_sacked = tsk->sacked_out;
	info->ttpi_lost = tsk->lost_out;
	info->ttpi_retrans = tsk->retrans_out;
	info->ttpi_total_retrans = tsk->total_retrans;
	info->ttpi_backoff = max(tsk->retries, tsk->probes);
	info->ttpi_ca_state = tsk->ca_state;
	info->ttpi_bytes_acked = tsk->bytes_acked;
	info->ttpi_bytes_received = tsk->bytes_received;
	info->ttpi_rcv_ofo = tsk->rcv_ofo;
	info->ttpi_snd_mss = tsk->mss;
	info->ttpi_ts_recent = tsk->ts_recent;
	info->ttpi_ts_rtt_samples = tsk->ts_rtt_samples;
	info->ttpi_paws_drops = tsk->paws_drops;
	ttp_cc_get_info(&tsk->cc, info);
}

/**
 * ttp_getsockopt() - getsockopt() at level SOL_TTP
 * @sock: the socket
 * @level: SOL_TTP, else -ENOPROTOOPT
 * @optname: TTP_INFO (struct ttp_info, as much as @optlen holds),
 *	TTP_CONGESTION (the name, as much as @optlen holds), or an option
 *	ttp_setsockopt() sets
 * @optval: where the value goes
 * @optlen: its room; set to the length written
 *
 * Return: 0, -EINVAL, -ENOPROTOOPT or -EFAULT.
 */
int ttp_getsockopt(struct socket *sock, int level, int optname,
		   char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_info info;
	int len, val;

	if (level != SOL_TTP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	if (optname == TTP_CONGESTION) {
		char name[TTP_CA_NAME_MAX] = { 0 };

		lock_sock(sk);
		strscpy(name, ttp_cc_name(&tsk->cc), sizeof(name));
		release_sock(sk);
		len = min_t(int, len, sizeof(name));
		if (put_user(len, optlen) || copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	}
	if (optname == TTP_AUTH_SELECT || optname == TTP_AUTH_GET_KEYS) {
		lock_sock(sk);
		len = ttp_auth_getsockopt(sk, optname, optval, len);
		release_sock(sk);
		if (len < 0)
			return len;
		return put_user(len, optlen);
	}
	if (optname == TTP_INFO) {
		lock_sock(sk);
		ttp_get_info(sk, &info);
		release_sock(sk);
		len = min_t(int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	}

	switch (optname) {
	case TTP_NODELAY:
		val = tsk->nodelay;
		break;
	case TTP_CORK:
		val = tsk->cork;
		break;
	case TTP_MAXSEG:
		val = tsk->mss_clamp ?: tsk->mss;
		break;
	case TTP_CSUM_ALGO:
		/* Before a handshake: the preference; after: the choice. */
		if (ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) |
				 TTP_STATEBIT(TTP_LISTEN)))
			val = (tsk->csum_offer & (1 << TTP_CSUM_CRC32C)) ?
			      TTP_CSUM_CRC32C : TTP_CSUM_INET;
		else
			val = tsk->csum_algo;
		break;
	case TTP_USER_TIMEOUT:
		val = tsk->user_timeout;
		break;
	case TTP_SYNCNT:
		val = tsk->syn_retries ?:
		      ttp_sysctl_syn_retries(sock_net(sk));
		break;
	case TTP_KEEPIDLE:
		val = ttp_keepidle_ms(sk) / MSEC_PER_SEC;
		break;
	case TTP_KEEPINTVL:
		val = ttp_keepintvl_ms(sk) / MSEC_PER_SEC;
		break;
	case TTP_KEEPCNT:
		val = ttp_keepcnt(sk);
		break;
	case TTP_WINDOW_CLAMP:
		val = READ_ONCE(tsk->window_clamp);
		break;
	case TTP_NOTSENT_LOWAT:
		val = READ_ONCE(tsk->notsent_lowat);
		break;
	case TTP_REUSEPORT:
		val = sk->sk_reuseport;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len < (int)sizeof(int))
		return -EINVAL;
	len = sizeof(int);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
