// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segments arriving from IP.
 *
 * ttp_v4_rcv() checks what can be checked without a socket (length,
 * version, checksum, options), finds the socket, and hands the segment to
 * ttp_rcv() under the socket's lock, or to the socket's backlog when a
 * process holds the lock (never a listener's: its segments do not wait).
 * ttp_rcv() then follows the state of the socket: a listener makes a child
 * for a SYN, SYN_SENT completes the handshake, and the synchronised states
 * take the segment through the steps of RFC 793, "SEGMENT ARRIVES"
 * (sequence number, RST, SYN, ACK, data, FIN), one function per step,
 * called in order by ttp_rcv_synchronized().
 *
 * Whatever is dropped is counted in /proc/net/ttp_stats.
 */
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include <kunit/visibility.h>

#include "trace.h"
#include "auth.h"
#include "ttp.h"

/* What the input path needs of a segment, kept in skb->cb. */
struct ttp_rcv_cb {
	struct ttp_skb_cb	q;	/* seq, end_seq as in queues */
	u32			ack_seq;
	u16			window;
	u8			th_flags;
	struct ttp_opts		opts;
};

#define TTP_RCV_CB(skb)	((struct ttp_rcv_cb *)&((skb)->cb[0]))

static_assert(sizeof(struct ttp_rcv_cb) <= sizeof_field(struct sk_buff, cb));

static void ttp_drop(struct sock *sk, struct sk_buff *skb, int field)
{
	trace_ttp_drop(skb, field);
	TTP_INC_STATS(sock_net(sk), field);
	kfree_skb(skb);
}

/* ---- LISTEN ---- */

static void ttp_rcv_synchronized(struct sock *sk, struct sk_buff *skb);

/*
 * Open a connection of listener @sk for the peer that sent @skb: a SYN, or
 * with @cookie the ACK of a SYN cookie (syncookie.c), which then completes
 * the handshake at once.  @irs is the peer's initial sequence number, @iss
 * ours; @peer what the peer's SYN offered.  Consumes @skb.
 */
static void ttp_listen_open(struct sock *sk, struct sk_buff *skb, u32 irs,
			    u32 iss, const struct ttp_opts *peer, bool cookie)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct net *net = sock_net(sk);
	const struct iphdr *iph = ip_hdr(skb);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	struct ttp_sock *tsk;
	struct inet_sock *inet;
	struct sock *child;

	child = ttp_child_alloc(sk, GFP_ATOMIC);
	if (!child) {
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		goto drop;
	}
	tsk = ttp_sk(child);
	inet = inet_sk(child);
	/*
	 * ttp_v4_rcv() holds the listener at SINGLE_DEPTH_NESTING: the new
	 * child, of the same lock class, takes subclass 0 (as TCP's do).
	 */
	bh_lock_sock(child);

	inet->inet_saddr = iph->daddr;
	inet->inet_rcv_saddr = iph->daddr;
	inet->inet_daddr = iph->saddr;
	inet->inet_dport = th->source;
	ttp_bind_child(sk, child);

	ttp_init_rcv_seq(child, irs);
	ttp_init_snd_seq(child, iss);
	/*
	 * Signed, so with a key the listener holds for the peer (as
	 * ttp_auth_check() saw): the child takes its copies of them.
	 */
	if (cb->opts.has_auth) {
		const u8 *opt = (const u8 *)(th + 1) + cb->opts.auth_off;

		if (ttp_auth_inherit(sk, child, opt[2], opt[3])) {
			bh_unlock_sock(child);
			TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
			ttp_done(child);
			goto drop;
		}
	}
	tsk->snd_wnd = cb->window;
	tsk->snd_wl1 = irs;
	tsk->snd_wl2 = iss;
	tsk->ts_off = ttp_ts_offset(iph->daddr, iph->saddr);

	if (ttp_hash_established(child)) {
		/* A twin for this 4-tuple is being set up on another CPU. */
		bh_unlock_sock(child);
		ttp_done(child);
		goto drop;
	}
	ttp_transition(child, TTP_EV_RCV_SYN);
	/* The route decides our MSS: take it before negotiating. */
	if (!__sk_dst_get(child)) {
		struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
		struct rtable *rt;

		rt = ip_route_output_ports(net, fl4, child, inet->inet_daddr,
					   inet->inet_saddr, inet->inet_dport,
					   inet->inet_sport, ttp_ipproto, 0,
					   child->sk_bound_dev_if);
		if (!IS_ERR(rt))
			sk_setup_caps(child, &rt->dst);
	}
	ttp_negotiate(child, peer, false, ttp_choose_wscale(child));
	if (!ttp_child_attach(sk, child)) {
		/* The listener closed meanwhile (its process did not wait). */
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		ttp_transition(child, TTP_EV_ABORT);
		ttp_done(child);
		bh_unlock_sock(child);
		goto drop;
	}
	TTP_INC_STATS(net, TTP_MIB_PASSIVEOPENS);
	if (cookie) {
		ttp_syncookie_init_child(sk, child, peer);
		ttp_rcv_synchronized(child, skb);
		bh_unlock_sock(child);
		return;
	}
	if (ttp_send_synack(child)) {
		ttp_transition(child, TTP_EV_ABORT);
		ttp_done(child);
	}
	bh_unlock_sock(child);
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

static void ttp_rcv_listen(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *ptsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	const struct iphdr *iph = ip_hdr(skb);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	struct ttp_opts peer;
	bool syn_queue_full;
	int ret;

	if (cb->th_flags & TTPF_RST)
		goto drop;
	if ((cb->th_flags & (TTPF_SYN | TTPF_ACK)) == TTPF_ACK) {
		/* The ACK of a SYN+ACK sent without state? */
		ret = ttp_syncookie_check(sk, skb, &peer);
		if (ret < 0)
			goto drop;
		if (ret) {
			/*
			 * Our SYN+ACK offered timestamps only if the SYN did
			 * and we do: an ACK that carries them agreed.
			 */
			if (cb->opts.has_ts && ptsk->ts_offer) {
				peer.has_ts = 1;
				peer.tsval = cb->opts.tsval;
			}
			ttp_listen_open(sk, skb, cb->q.seq - 1, cb->ack_seq - 1,
					&peer, true);
			return;
		}
	}
	if ((cb->th_flags & TTPF_ACK) || !(cb->th_flags & TTPF_SYN)) {
		TTP_INC_STATS(net, TTP_MIB_INNOPORTS);
		ttp_send_reset_reply(net, skb);
		goto drop;
	}

	if (sk_acceptq_is_full(sk)) {
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		goto drop;
	}
	syn_queue_full = READ_ONCE(ptsk->syn_queue_len) >=
			 ttp_sysctl_max_syn_backlog(net);
	if (ttp_syncookie_wanted(sk, syn_queue_full)) {
		ttp_syncookie_send(sk, skb, &cb->opts);
		consume_skb(skb);
		return;
	}
	if (syn_queue_full) {
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		goto drop;
	}
	ttp_listen_open(sk, skb, cb->q.seq,
			ttp_isn(iph->daddr, iph->saddr, th->dest, th->source),
			&cb->opts, false);
	return;
drop:
	kfree_skb(skb);
}

/* ---- SYN_SENT ---- */

/*
 * SYN_RECV entered from SYN_SENT: a simultaneous open, in a socket that
 * connect() made.  A listener's child keeps its listener until accept()
 * takes it, which it does only once the child is ESTABLISHED (listen.c).
 */
static bool ttp_simultaneous_open(const struct sock *sk)
{
	return sk->sk_state == TTP_SYN_RECV && !ttp_sk(sk)->parent;
}

/*
 * A SYN+ACK that acknowledges our SYN exactly, in SYN_SENT, or in SYN_RECV
 * after a simultaneous open when it is not the SYN we took (below): the
 * connection is open.  The peer's SYN+ACK names what it chose from our
 * offer, which we take as a client.
 */
static void ttp_rcv_synack(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);
	enum ttp_event ev = sk->sk_state == TTP_SYN_SENT ? TTP_EV_RCV_SYNACK :
							    TTP_EV_RCV_ACK;

	ttp_init_rcv_seq(sk, cb->q.seq);
	ttp_negotiate(sk, &cb->opts, true, tsk->syn_wscale);
	tsk->snd_wnd = cb->window;	/* unscaled in a SYN */
	tsk->snd_wl1 = cb->q.seq;
	tsk->snd_wl2 = cb->ack_seq;
	ttp_ack_update(sk, cb->ack_seq);
	ttp_transition(sk, ev);
	ttp_send_ack(sk);
	sk->sk_state_change(sk);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	ttp_push(sk);
	consume_skb(skb);
}

/*
 * A SYN without ACK in SYN_SENT, for our 4-tuple exactly (the lookup saw
 * to that): the peer connected to us as we connected to it, a
 * simultaneous open (RFC 9293, 3.5, figure 7).  Its SYN offered what our
 * SYN offered it: we choose from the two offers as a listener does, which
 * the peer, taking our SYN, does too, so both ends agree.  SYN_RECV, and
 * our SYN goes again as a SYN+ACK naming the choice.  Data in the SYN is
 * left for the peer to send again, as a listener leaves it.
 */
static void ttp_rcv_simultaneous_syn(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);

	ttp_init_rcv_seq(sk, cb->q.seq);
	ttp_negotiate(sk, &cb->opts, false, tsk->syn_wscale);
	tsk->snd_wnd = cb->window;	/* unscaled in a SYN */
	tsk->snd_wl1 = cb->q.seq;
	tsk->snd_wl2 = tsk->iss;
	ttp_transition(sk, TTP_EV_RCV_SYN);
	ttp_send_synack_for_syn(sk);
	consume_skb(skb);
}

static void ttp_rcv_synsent(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);

	if (cb->th_flags & TTPF_ACK) {
		/* It must acknowledge our SYN, exactly. */
		if (cb->ack_seq != tsk->iss + 1) {
			ttp_send_reset_reply(net, skb);
			ttp_drop(sk, skb, TTP_MIB_OUTOFWINDOW);
			return;
		}
		if (cb->th_flags & TTPF_RST) {
			/* Nobody listens there (or the listener refused). */
			TTP_INC_STATS(net, TTP_MIB_INRSTS);
			ttp_transition(sk, TTP_EV_RCV_RST);
			ttp_set_error_and_done(sk, ECONNREFUSED);
			kfree_skb(skb);
			return;
		}
	}
	switch (cb->th_flags & (TTPF_SYN | TTPF_ACK | TTPF_RST)) {
	case TTPF_SYN | TTPF_ACK:
		ttp_rcv_synack(sk, skb);
		break;
	case TTPF_SYN:
		ttp_rcv_simultaneous_syn(sk, skb);
		break;
	default:
		/* A RST without ACK, or a bare ACK: no business here. */
		ttp_drop(sk, skb, TTP_MIB_OUTOFWINDOW);
		break;
	}
}

/* ---- synchronised states ---- */

/* The peer's FIN is the next thing in sequence: take it. */
static void ttp_rcv_fin(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->rcv_nxt++;
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	ttp_transition(sk, TTP_EV_RCV_FIN);
	ttp_send_ack(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

/*
 * The synchronised states take a segment through the steps of
 * Documentation/protocol.rst, "Processing a segment" (RFC 793, "SEGMENT
 * ARRIVES"), one function each.  A step may take parts of the segment away
 * (a closed window drops its data and FIN but keeps its ACK), so the steps
 * share what is left of it in a struct ttp_seg.  Each step returns what the
 * driver does next.
 */
struct ttp_seg {
	u32	seq;
	u32	len;		/* payload, header pulled */
	u8	flags;		/* TTPF_*, FIN cleared with the data */
	u16	segs;		/* segments it came in (large: offload.c) */
	bool	had_ofo;	/* step 5 to 6: a hole was filling */
	bool	queued;		/* step 5 to 6: the skb is the queue's now */
};

enum ttp_step {
	TTP_STEP_NEXT,		/* go on to the next step */
	TTP_STEP_DONE,		/* the segment is done with: free it */
	TTP_STEP_KEPT,		/* a queue took the skb, or freed it */
};

/*
 * Before step 1: two repeats that lie before rcv_nxt, which the sequence
 * check would misjudge.
 */
static enum ttp_step ttp_rcv_repeat(struct sock *sk, struct sk_buff *skb,
				    struct ttp_seg *s)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);

	if (ttp_simultaneous_open(sk) &&
	    (s->flags & (TTPF_SYN | TTPF_ACK | TTPF_RST)) ==
	    (TTPF_SYN | TTPF_ACK)) {
		if (cb->ack_seq != tsk->iss + 1) {
			/* Not an answer to our SYN: as any such ACK here. */
			ttp_send_reset_reply(sock_net(sk), skb);
			TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTOFWINDOW);
			return TTP_STEP_DONE;
		}
		if (s->seq != tsk->irs) {
			/*
			 * Only who received our SYN knows its number: the SYN
			 * we took before was not this peer's (forged, or an
			 * old one).  Start again from this SYN+ACK.
			 */
			ttp_rcv_synack(sk, skb);
			return TTP_STEP_KEPT;
		}
		/*
		 * The peer's SYN+ACK, which crossed ours: its SYN we have,
		 * its ACK completes the handshake.  The rest of the segment
		 * goes through the steps as the ACK that follows the SYN; its
		 * data and FIN, which no TTP sends with a SYN, are left for the
		 * peer to send again.
		 */
		s->seq++;
		s->flags &= ~(TTPF_SYN | TTPF_FIN);
		s->len = 0;
		return TTP_STEP_NEXT;
	}
	if (sk->sk_state == TTP_SYN_RECV && (s->flags & TTPF_SYN) &&
	    s->seq == tsk->irs && !(s->flags & TTPF_RST)) {
		/* The peer's SYN again: our SYN+ACK was lost. */
		ttp_retransmit_head(sk);
		return TTP_STEP_DONE;
	}
	if (sk->sk_state == TTP_TIME_WAIT && (s->flags & TTPF_FIN) &&
	    !(s->flags & TTPF_RST) && s->seq + s->len + 1 == tsk->rcv_nxt) {
		/* The peer's FIN again: our last ACK was lost.  Answer, and
		 * wait the whole TIME_WAIT again (RFC 793).
		 */
		ttp_send_ack(sk);
		ttp_arm_misc(sk, ttp_sysctl_time_wait_ms(sock_net(sk)));
		return TTP_STEP_DONE;
	}
	return TTP_STEP_NEXT;
}

/*
 * 1. Sequence number: PAWS (timestamp.c), then acceptability.  An
 * unacceptable segment gets an ACK telling where we are, unless it is a
 * RST or a bare ACK: two ends that both answered bare ACKs could answer
 * each other forever.
 */
static enum ttp_step ttp_rcv_step_seq(struct sock *sk, struct sk_buff *skb,
				      struct ttp_seg *s)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	bool answer = s->len || (s->flags & (TTPF_SYN | TTPF_FIN));
	int field;

	if (!ttp_ts_acceptable(sk, &TTP_RCV_CB(skb)->opts, s->flags)) {
		/* An old duplicate with data is answered, as below. */
		if (answer)
			ttp_send_ack(sk);
		return TTP_STEP_DONE;
	}
	if (ttp_seq_acceptable(tsk, s->seq, s->len + !!(s->flags & TTPF_FIN))) {
		/* The peer is there: keepalive starts counting again. */
		WRITE_ONCE(tsk->rcv_tstamp, jiffies);
		tsk->ka_probes = 0;
		return TTP_STEP_NEXT;
	}
	/*
	 * A closed window still takes the ACK and window of a segment that
	 * starts where we are (RFC 793): only its data goes.
	 */
	if (s->seq == tsk->rcv_nxt && !(s->flags & (TTPF_RST | TTPF_SYN))) {
		if (s->len)
			trace_ttp_drop(skb, TTP_MIB_RCVQDROP);
		TTP_INC_STATS(net, TTP_MIB_RCVQDROP);
		s->len = 0;
		s->flags &= ~TTPF_FIN;
		ttp_send_ack(sk);
		return TTP_STEP_NEXT;
	}
	/* Data we have all of is a duplicate; the rest is out of the window. */
	field = s->len && !(s->flags & (TTPF_RST | TTPF_SYN)) &&
		!ttp_seq_after(s->seq + s->len, tsk->rcv_nxt) ?
		TTP_MIB_DUPSEGS : TTP_MIB_OUTOFWINDOW;
	trace_ttp_drop(skb, field);
	TTP_INC_STATS(net, field);
	if (!(s->flags & TTPF_RST) && answer)
		ttp_send_ack(sk);
	return TTP_STEP_DONE;
}

/* 2. RST: only at exactly rcv_nxt (RFC 5961), else a challenge. */
static enum ttp_step ttp_rcv_step_rst(struct sock *sk, const struct ttp_seg *s)
{
	struct net *net = sock_net(sk);
	bool time_wait;
	int err;

	if (!(s->flags & TTPF_RST))
		return TTP_STEP_NEXT;
	if (s->seq != ttp_sk(sk)->rcv_nxt) {
		ttp_send_challenge_ack(sk);
		TTP_INC_STATS(net, TTP_MIB_OUTOFWINDOW);
		return TTP_STEP_DONE;
	}
	TTP_INC_STATS(net, TTP_MIB_INRSTS);
	/*
	 * In TIME_WAIT both ends had finished: the RST only ends the wait.
	 * What the process has yet to read stays readable, then end of
	 * file; no error (the peer, gone, answered an ACK of ours with it).
	 */
	time_wait = sk->sk_state == TTP_TIME_WAIT;
	/* connect() learns that its simultaneous open was refused. */
	err = ttp_simultaneous_open(sk) ? ECONNREFUSED : ECONNRESET;
	ttp_transition(sk, TTP_EV_RCV_RST);
	if (sk->sk_state == TTP_CLOSED && !time_wait &&
	    !sock_flag(sk, SOCK_DEAD))
		ttp_set_error_and_done(sk, err);
	else
		ttp_done(sk);
	return TTP_STEP_DONE;
}

/* 3. A SYN in the window: old or forged.  Challenge (RFC 5961, 4.2). */
static enum ttp_step ttp_rcv_step_syn(struct sock *sk, const struct ttp_seg *s)
{
	if (!(s->flags & TTPF_SYN))
		return TTP_STEP_NEXT;
	ttp_send_challenge_ack(sk);
	TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTOFWINDOW);
	return TTP_STEP_DONE;
}

/* The window a segment advertises: scaled, except in a SYN's. */
static u32 ttp_seg_window(const struct sock *sk, const struct sk_buff *skb)
{
	const struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);

	if (cb->th_flags & TTPF_SYN)
		return cb->window;
	return (u32)cb->window << ttp_sk(sk)->snd_wscale;
}

/*
 * 4a. SYN_RECV: the ACK of our SYN+ACK completes the handshake; after a
 * simultaneous open, so does the peer's SYN+ACK (ttp_rcv_repeat()).
 */
static enum ttp_step ttp_rcv_handshake_ack(struct sock *sk, struct sk_buff *skb,
					   const struct ttp_seg *s)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);
	bool active = ttp_simultaneous_open(sk);

	if (cb->ack_seq != tsk->iss + 1) {
		ttp_send_reset_reply(sock_net(sk), skb);
		return TTP_STEP_DONE;
	}
	if (!active && !ttp_child_established(sk))
		return TTP_STEP_DONE;	/* accept queue full: SYN+ACK again */
	tsk->snd_wnd = ttp_seg_window(sk, skb);
	tsk->snd_wl1 = s->seq;
	tsk->snd_wl2 = cb->ack_seq;
	ttp_ack_update(sk, cb->ack_seq);
	ttp_transition(sk, TTP_EV_RCV_ACK);
	if (active) {
		/* connect() waits (a listener was woken above). */
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
	return TTP_STEP_NEXT;
}

/**
 * ttp_rcv_window() - step 4b: the peer's window, from the newest segment
 * @sk: the connection
 * @seq: the segment's sequence number
 * @ack: its acknowledgment number
 * @win: its window, scaled
 *
 * RFC 793 SND.WL1/WL2 say whether the segment is newer than the last one
 * that set the window.  A window that opens ends the persist timer and
 * its backoff, as TCP's icsk_backoff ends when the window takes the head
 * of the queue: the timer's next expiry was the next probe's, doubled by
 * every probe up to rto_max, and the data that now goes must be timed by
 * the round trip (ttp_push() starts the timer again).  Otherwise a segment
 * lost just after a long wait behind a closed window waited as long as
 * the next probe would have, up to two minutes.
 */
void ttp_rcv_window(struct sock *sk, u32 seq, u32 ack, u32 win)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	bool persist = ttp_window_closed(sk);

	if (ttp_seq_before(tsk->snd_wl1, seq) ||
	    (tsk->snd_wl1 == seq && !ttp_seq_before(ack, tsk->snd_wl2))) {
		tsk->snd_wnd = win;
		tsk->snd_wl1 = seq;
		tsk->snd_wl2 = ack;
	}
	/* An answer from the peer: its window is worth probing further. */
	if (tsk->probes) {
		tsk->probes = 0;
		if (tsk->snd_una == tsk->snd_nxt)
			tsk->rtx_start = 0;
	}
	if (persist && !ttp_window_closed(sk)) {
		ttp_reset_rto(sk);
		sk_stop_timer(sk, &tsk->rtx_timer);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ttp_rcv_window);

/* 4c. Our FIN is acknowledged when everything queued is. */
static enum ttp_step ttp_rcv_fin_acked(struct sock *sk)
{
	if (ttp_sk(sk)->snd_una != ttp_sk(sk)->write_seq ||
	    !ttp_state_in(sk, TTP_STATEBIT(TTP_FIN_WAIT1) |
			  TTP_STATEBIT(TTP_CLOSING) | TTP_STATEBIT(TTP_LAST_ACK)))
		return TTP_STEP_NEXT;
	switch (ttp_transition(sk, TTP_EV_FIN_ACKED)) {
	case TTP_FIN_WAIT2:
		sk->sk_state_change(sk);	/* close() with SO_LINGER waits */
		break;
	case TTP_CLOSED:
		ttp_done(sk);
		return TTP_STEP_DONE;
	}
	return TTP_STEP_NEXT;
}

/*
 * 4. ACK: required; in SYN_RECV it completes the handshake; it must be
 * plausible (Blind attacks); then it frees what it covers (recovery.c),
 * updates the peer's window, lets more data go, and may end our FIN.
 */
static enum ttp_step ttp_rcv_step_ack(struct sock *sk, struct sk_buff *skb,
				      const struct ttp_seg *s)
{
	struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 win;

	if (!(s->flags & TTPF_ACK)) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTOFWINDOW);
		return TTP_STEP_DONE;
	}
	if (sk->sk_state == TTP_SYN_RECV &&
	    ttp_rcv_handshake_ack(sk, skb, s) != TTP_STEP_NEXT)
		return TTP_STEP_DONE;
	if (!ttp_ack_plausible(sk, cb->ack_seq)) {
		/* Data never sent, or forged (RFC 5961, 5.2; rule above). */
		if (s->len || (s->flags & TTPF_FIN))
			ttp_send_challenge_ack(sk);
		TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTOFWINDOW);
		return TTP_STEP_DONE;
	}
	/*
	 * In the window, with an ACK that makes sense: its TSval may be the
	 * one to echo (not before: a forged segment must not move it).
	 */
	ttp_ts_store(sk, &cb->opts, s->seq);
	win = ttp_seg_window(sk, skb);
	ttp_ack_rcv(sk, cb->ack_seq,
		    !s->len && !(s->flags & TTPF_FIN) && win == tsk->snd_wnd,
		    skb_transport_header(skb) + TTP_HDR_LEN, &cb->opts);
	ttp_rcv_window(sk, s->seq, cb->ack_seq, win);
	/* The ACK or the window may let more data go. */
	if (tsk->send_head || tsk->lost_out > tsk->retrans_out) {
		ttp_push(sk);
		/* What went may leave less than TTP_NOTSENT_LOWAT unsent. */
		sk->sk_write_space(sk);
	}
	return ttp_rcv_fin_acked(sk);
}

/*
 * 5. Data, in the states where the peer may still send: out of order to
 * the out-of-order queue, a repeat acknowledged, in order to the receive
 * queue.
 */
static enum ttp_step ttp_rcv_step_data(struct sock *sk, struct sk_buff *skb,
				       struct ttp_seg *s)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!(s->len || (s->flags & TTPF_FIN)) ||
	    !ttp_state_in(sk, TTP_STATEBIT(TTP_ESTABLISHED) |
			  TTP_STATEBIT(TTP_FIN_WAIT1) |
			  TTP_STATEBIT(TTP_FIN_WAIT2)))
		return TTP_STEP_DONE;
	if (s->len && sock_flag(sk, SOCK_DEAD) && !tsk->parent) {
		/*
		 * Data for a socket closed by its process (not one waiting
		 * for accept(), also without a process): nobody will read
		 * it, and the sender must know (RFC 2525).
		 */
		ttp_abort(sk, TTP_EV_ABORT, 0);
		return TTP_STEP_DONE;
	}
	if (ttp_seq_after(s->seq, tsk->rcv_nxt)) {
		/* A hole before it: keep it, and say so at once. */
		ttp_ofo_queue(sk, skb);
		ttp_send_ack(sk);
		return TTP_STEP_KEPT;
	}
	if (!ttp_seq_after(TTP_RCV_CB(skb)->q.end_seq, tsk->rcv_nxt)) {
		/* All of it arrived before: the sender missed our ACK. */
		if (s->len)
			TTP_INC_STATS(sock_net(sk), TTP_MIB_DUPSEGS);
		ttp_send_ack(sk);
		return TTP_STEP_DONE;
	}
	s->had_ofo = !skb_queue_empty(&tsk->ofo_queue);
	if (s->len)
		ttp_rcv_rtt_sample(sk);
	if (ttp_seq_after(s->seq + s->len, tsk->rcv_nxt)) {
		if (!ttp_rcv_data(sk, skb)) {
			ttp_send_ack(sk);	/* @skb is gone */
			return TTP_STEP_KEPT;
		}
		s->queued = true;
	}
	return TTP_STEP_NEXT;
}

/*
 * 6. The application is told; then the FIN, now that all data before it
 * has arrived, or else the ACK that the data calls for.
 */
static enum ttp_step ttp_rcv_step_fin(struct sock *sk, const struct ttp_seg *s)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	if (s->flags & TTPF_FIN) {
		__skb_queue_purge(&tsk->ofo_queue);	/* nothing follows */
		ttp_rcv_fin(sk);	/* it acknowledges */
	} else if (s->had_ofo) {
		/* At once, whatever filled: the sender is recovering. */
		if (ttp_ofo_drain(sk))
			ttp_rcv_fin(sk);	/* it acknowledges */
		else
			ttp_send_ack(sk);
	} else {
		ttp_ack_schedule(sk, s->segs);
	}
	/* A FIN alone was queued nowhere. */
	return s->queued ? TTP_STEP_KEPT : TTP_STEP_DONE;
}

/* The driver: the spec's steps in its order, until one ends the segment. */
static void ttp_rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_seg s = {
		.seq	= TTP_RCV_CB(skb)->q.seq,
		.len	= skb->len,
		.flags	= TTP_RCV_CB(skb)->th_flags,
		/* A count from the sender's stack, or from a tap: bounded. */
		.segs	= skb_is_gso(skb) ?
			  clamp_t(u16, skb_shinfo(skb)->gso_segs, 1, U8_MAX) : 1,
	};
	enum ttp_step step;

	step = ttp_rcv_repeat(sk, skb, &s);
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_seq(sk, skb, &s);		/* 1 */
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_rst(sk, &s);		/* 2 */
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_syn(sk, &s);		/* 3 */
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_ack(sk, skb, &s);		/* 4 */
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_data(sk, skb, &s);		/* 5 */
	if (step == TTP_STEP_NEXT)
		step = ttp_rcv_step_fin(sk, &s);		/* 6 */
	if (step != TTP_STEP_KEPT)
		consume_skb(skb);
}

/* Process one segment for @sk, under its lock. */
static int ttp_rcv(struct sock *sk, struct sk_buff *skb)
{
	const struct ttp_rcv_cb *cb = TTP_RCV_CB(skb);
	int drop;

	/* Signed as the connection requires, or dropped unanswered. */
	drop = ttp_auth_check(sk, skb, &cb->opts);
	if (drop) {
		ttp_drop(sk, skb, drop);
		return 0;
	}

	/* The echo an ACK carries, for a round-trip sample (timestamp.c). */
	ttp_sk(sk)->rx_tsecr = cb->opts.has_ts && (cb->th_flags & TTPF_ACK) ?
			       cb->opts.tsecr : 0;
	switch (sk->sk_state) {
	case TTP_LISTEN:
		ttp_rcv_listen(sk, skb);
		break;
	case TTP_SYN_SENT:
		ttp_rcv_synsent(sk, skb);
		break;
	case TTP_CLOSED:
		/* It closed while the segment waited in the backlog. */
		ttp_drop(sk, skb, TTP_MIB_INNOPORTS);
		break;
	default:
		ttp_rcv_synchronized(sk, skb);
		break;
	}
	return 0;
}

/**
 * ttp_backlog_rcv() - process a segment that waited in the backlog
 * @sk: the socket
 * @skb: the segment, consumed
 *
 * Called by release_sock(), in process context.  Processing takes
 * spinlocks that softirqs take too (a child's lock, a listener's
 * accept_lock, the port table): keep softirqs off this CPU meanwhile, as
 * they are when ttp_v4_rcv() runs.
 *
 * Return: 0.
 */
int ttp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	local_bh_disable();
	ttp_rcv(sk, skb);
	local_bh_enable();
	return 0;
}

/**
 * ttp_v4_rcv() - a segment arrived from IP
 * @skb: the segment, skb->data at the TTP header; consumed
 *
 * The IP protocol handler, in softirq.  Checks what can be checked without
 * a socket (length, version, checksum, options) and finds the connection,
 * or for a SYN or the ACK of a SYN cookie the listener; a segment that no
 * socket owns is answered with a RST (ttp_send_reset_reply()).  The
 * segment is processed under the socket's lock at once, or waits in the
 * backlog while a process owns the socket (never a listener's).  Whatever
 * is dropped is counted.
 *
 * Return: 0.
 */
int ttp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	struct ttp_rcv_cb *cb;
	const struct iphdr *iph;
	struct ttphdr *th;
	unsigned int hlen;
	struct sock *sk;
	int drop = TTP_MIB_INHDRERRORS;

	/* A large segment counts the segments it was made of, as TCP's. */
	TTP_ADD_STATS(net, TTP_MIB_INSEGS,
		      skb_is_gso(skb) ? max_t(u16, skb_shinfo(skb)->gso_segs, 1) :
					1);
	if (skb->pkt_type != PACKET_HOST)
		goto drop;	/* TTP is unicast only */
	if (!pskb_may_pull(skb, TTP_HDR_LEN))
		goto drop;
	th = (struct ttphdr *)skb->data;
	if (ttp_hdr_version(th) != TTP_VERSION) {
		drop = TTP_MIB_INVERSIONERRORS;
		goto drop;
	}
	hlen = ttp_hdr_len(th);
	if (hlen < TTP_HDR_LEN || hlen > skb->len || !pskb_may_pull(skb, hlen))
		goto drop;

	iph = ip_hdr(skb);
	if (!ttp_csum_ok(skb, iph->saddr, iph->daddr)) {
		drop = TTP_MIB_INCSUMERRORS;
		goto drop;
	}
	/* The checks above may have moved the data. */
	iph = ip_hdr(skb);
	th = (struct ttphdr *)skb->data;
	skb_reset_transport_header(skb);

	cb = TTP_RCV_CB(skb);
	if (ttp_parse_options((u8 *)(th + 1), hlen - TTP_HDR_LEN, &cb->opts))
		goto drop;
	cb->q.seq = ntohl(th->seq);
	cb->q.end_seq = cb->q.seq + skb->len - hlen +
			!!(th->flags & TTPF_SYN) + !!(th->flags & TTPF_FIN);
	cb->q.flags = th->flags & (TTPF_SYN | TTPF_FIN);
	cb->ack_seq = ntohl(th->ack_seq);
	cb->window = ntohs(th->window);
	cb->th_flags = th->flags;

	sk = ttp_lookup_established(net, iph->saddr, th->source, iph->daddr,
				    th->dest);
	/* A SYN, or the ACK of a SYN cookie (syncookie.c), opens one. */
	if (!sk && ttp_for_listener(th->flags))
		sk = ttp_lookup_listener(net, skb, hlen, iph->saddr,
					 th->source, iph->daddr, th->dest);
	if (!sk) {
		trace_ttp_drop(skb, TTP_MIB_INNOPORTS);
		TTP_INC_STATS(net, TTP_MIB_INNOPORTS);
		ttp_send_reset_reply(net, skb);
		kfree_skb(skb);
		return 0;
	}
	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb)) {
		sock_put(sk);
		goto drop;
	}
	/*
	 * A connection that negotiated CRC32C takes nothing weaker, but RSTs:
	 * a peer that lost the connection answers with a RST it cannot know
	 * to protect with CRC32C (its acceptance rules still apply).
	 */
	if (!(th->flags & (TTPF_SYN | TTPF_RST)) &&
	    ttp_sk(sk)->csum_algo == TTP_CSUM_CRC32C &&
	    !(th->flags & TTPF_CRC) && sk->sk_state != TTP_LISTEN) {
		sock_put(sk);
		drop = TTP_MIB_INCSUMERRORS;
		goto drop;
	}
	nf_reset_ct(skb);
	__skb_pull(skb, hlen);
	trace_ttp_recv(sk, skb, iph->saddr, iph->daddr, skb->len);

	bh_lock_sock_nested(sk);
	/*
	 * A listener's segments do not wait for its process, as TCP's do
	 * not: accept() holds the listener often, and a burst of SYNs queued
	 * behind it would pass the backlog's limit and be dropped, each one
	 * costing its connection a retransmission timeout.  What they touch
	 * has locks of its own: the child queues their accept_lock (which
	 * ttp_child_attach() takes to see that the listener still listens),
	 * the port tables theirs.
	 */
	if (sk->sk_state == TTP_LISTEN || !sock_owned_by_user(sk)) {
		ttp_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		bh_unlock_sock(sk);
		sock_put(sk);
		drop = TTP_MIB_RCVQDROP;
		goto drop;
	}
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;

drop:
	trace_ttp_drop(skb, drop);
	TTP_INC_STATS(net, drop);
	kfree_skb(skb);
	return 0;
}
