// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/net/ttp: the TTP sockets of a network namespace, one a line, with
 * the first columns of /proc/net/tcp (TTP has no timer columns yet):
 *
 *   sl  local_address rem_address   st tx_queue rx_queue uid inode
 *    0: 7F000001:1388 00000000:0000 0A 00000000:00000000 0 12345
 *
 * Addresses are the IPv4 address as a hex word in the usual reading order
 * (127.0.0.1 is 7F000001, unlike /proc/net/tcp on x86), then the port;
 * st is the state (TTP_ESTABLISHED = 01 ... TTP_CLOSING = 0B); tx_queue is
 * the bytes not yet acknowledged, rx_queue the bytes not yet read (for a
 * listener: the accept queue length).
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
	u32 tx, rx;

	if (state == TTP_LISTEN) {
		tx = 0;
		rx = READ_ONCE(sk->sk_ack_backlog);
	} else {
		tx = READ_ONCE(tsk->write_seq) - READ_ONCE(tsk->snd_una);
		rx = READ_ONCE(tsk->rcv_nxt) - READ_ONCE(tsk->copied_seq);
		/* The peer's FIN takes a number but is no data to read. */
		if (rx && sock_flag(sk, SOCK_DONE))
			rx--;
	}
	seq_printf(seq, "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %5u %8lu\n",
		   n, ntohl(inet->inet_rcv_saddr), inet->inet_num,
		   ntohl(inet->inet_daddr), ntohs(inet->inet_dport), state,
		   tx, rx,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   sock_i_ino(sk));
}

static int ttp_proc_show(struct seq_file *seq, void *v)
{
	struct ttp_tables *t = ttp_pernet(seq_file_single_net(seq))->tables;
	struct sock *sk;
	int i, n = 0;

	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue   uid    inode\n");
	/* Every socket that holds a port is in bhash, once. */
	spin_lock_bh(&t->lock);
	for (i = 0; i < ARRAY_SIZE(t->bhash); i++)
		sk_for_each_bound(sk, &t->bhash[i])
			ttp_proc_sock(seq, sk, n++);
	spin_unlock_bh(&t->lock);
	return 0;
}

int ttp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("ttp", 0444, net->proc_net, ttp_proc_show,
				    NULL))
		return -ENOMEM;
	return 0;
}

void ttp_proc_exit_net(struct net *net)
{
	remove_proc_entry("ttp", net->proc_net);
}
