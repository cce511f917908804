// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/net/ttp: the TTP sockets of a network namespace, one a line.  The
 * first ten columns are those of /proc/net/tcp, TTP's own follow:
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when
 *   retrnsmt   uid  timeout inode rto srtt rttvar cwnd ssthresh snd_wnd
 *   rcv_wnd mss retrans ca
 *
 * (one line in the file).  Addresses are the IPv4 address as a hex word
 * in the usual reading order (127.0.0.1 is 7F000001, unlike /proc/net/tcp
 * on x86), then the port; st is the state (TTP_ESTABLISHED = 01 ...
 * TTP_CLOSING = 0B); tx_queue is the bytes not yet acknowledged, rx_queue
 * the bytes not yet read (for a listener: the accept queue length); tr the
 * pending timer (0 none, 1 retransmission, 3 TIME_WAIT or FIN_WAIT2, 4
 * zero-window probe) and tm->when the clock ticks until it fires; retrnsmt
 * the timer expiries since the last progress; timeout is always 0.  Then,
 * in decimal: rto, srtt and rttvar in microseconds; cwnd, ssthresh,
 * snd_wnd and rcv_wnd in bytes; mss; retrans, the segments sent again in
 * all; ca, the congestion state (TTP_CA_*).  Documentation/ttp-uapi.rst
 * has an example.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "ttp.h"

static void ttp_proc_sock(struct seq_file *seq, struct sock *sk, int n)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct ttp_sock *tsk = ttp_sk(sk);
	int state = READ_ONCE(sk->sk_state);
	unsigned long when = jiffies;
	u32 tx = 0, rx, una, nxt;
	int tr = 0;

	una = READ_ONCE(tsk->snd_una);
	nxt = READ_ONCE(tsk->snd_nxt);
	if (state == TTP_LISTEN) {
		rx = READ_ONCE(sk->sk_ack_backlog);
	} else {
		tx = READ_ONCE(tsk->write_seq) - una;
		rx = READ_ONCE(tsk->rcv_nxt) - READ_ONCE(tsk->copied_seq);
		/* The peer's FIN takes a number but is no data to read. */
		if (rx && sock_flag(sk, SOCK_DONE))
			rx--;
	}
	if (timer_pending(&tsk->rtx_timer)) {
		tr = una == nxt ? 4 : 1;
		when = READ_ONCE(tsk->rtx_timer.expires);
	} else if (timer_pending(&tsk->misc_timer)) {
		/* TIME_WAIT and FIN_WAIT2's end, else keepalive (as TCP's). */
		tr = (state == TTP_TIME_WAIT ||
		      (state == TTP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))) ? 3 : 2;
		when = READ_ONCE(tsk->misc_timer.expires);
	}
	seq_printf(seq, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu",
		   n, ntohl(inet->inet_rcv_saddr), inet->inet_num,
		   ntohl(inet->inet_daddr), ntohs(inet->inet_dport), state,
		   tx, rx, tr, jiffies_delta_to_clock_t(when - jiffies),
		   max(READ_ONCE(tsk->retries), READ_ONCE(tsk->probes)),
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk));
	if (state == TTP_LISTEN) {
		seq_puts(seq, " 0 0 0 0 0 0 0 0 0 0\n");
		return;
	}
	seq_printf(seq, " %u %u %u %u %u %u %u %u %u %u\n",
		   jiffies_to_usecs(READ_ONCE(tsk->rto)),
		   READ_ONCE(tsk->rtt.srtt_us), READ_ONCE(tsk->rtt.rttvar_us),
		   READ_ONCE(tsk->cc.cwnd), READ_ONCE(tsk->cc.ssthresh),
		   READ_ONCE(tsk->snd_wnd), READ_ONCE(tsk->rcv_wnd),
		   READ_ONCE(tsk->mss), READ_ONCE(tsk->total_retrans),
		   READ_ONCE(tsk->ca_state));
}

static int ttp_proc_show(struct seq_file *seq, void *v)
{
	struct ttp_tables *t = ttp_pernet(seq_file_single_net(seq))->tables;
	struct sock *sk;
	int i, n = 0;

	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode rto srtt rttvar cwnd ssthresh snd_wnd rcv_wnd mss retrans ca\n");
	/* Every socket that holds a port is in bhash, once. */
	spin_lock_bh(&t->lock);
	for (i = 0; i < ARRAY_SIZE(t->bhash); i++)
		sk_for_each_bound(sk, &t->bhash[i])
			ttp_proc_sock(seq, sk, n++);
	spin_unlock_bh(&t->lock);
	return 0;
}

/**
 * ttp_proc_init_net() - create /proc/net/ttp in a namespace
 * @net: the namespace
 *
 * Return: 0, or -ENOMEM.
 */
int ttp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("ttp", 0444, net->proc_net, ttp_proc_show,
				    NULL))
		return -ENOMEM;
	return 0;
}

/**
 * ttp_proc_exit_net() - remove /proc/net/ttp from a namespace
 * @net: the namespace
 */
void ttp_proc_exit_net(struct net *net)
{
	remove_proc_entry("ttp", net->proc_net);
}
