/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ttp trace system: what the protocol decides, as it decides it.
 *
 *   ttp_state       a connection changes state (old, new)
 *   ttp_send        a segment of a socket leaves (its header, payload
 *                   length, segments of a large one)
 *   ttp_recv        a segment reaches its socket (the same)
 *   ttp_retransmit  a segment goes again, and why: the handshake, fast
 *                   recovery (duplicate ACKs, SACK, RACK), or loss (a
 *                   retransmission timeout, or a smaller path MTU)
 *   ttp_drop        an incoming segment is dropped, with the counter of
 *                   /proc/net/ttp_stats that counts it as the reason
 *   ttp_cwnd        an ACK or a timeout changed the congestion window
 *   ttp_rtt         a round-trip sample, and the estimator after it
 *   ttp_negotiate   the handshake's options: what the peer's SYN or
 *                   SYN+ACK offered, and what the two ends agreed
 *
 * Disabled, each is a static branch not taken.  Enable them through
 * tracefs (events/ttp/), perf (-e 'ttp:*') or trace-cmd (-e ttp).
 * Documentation/protocol.rst, "Tracepoints", gives the fields.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ttp

#if !defined(_TTP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TTP_TRACE_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>
#include <net/inet_sock.h>

#include "compat.h"
#include "ttp.h"

TRACE_DEFINE_ENUM(TTP_ESTABLISHED);
TRACE_DEFINE_ENUM(TTP_SYN_SENT);
TRACE_DEFINE_ENUM(TTP_SYN_RECV);
TRACE_DEFINE_ENUM(TTP_FIN_WAIT1);
TRACE_DEFINE_ENUM(TTP_FIN_WAIT2);
TRACE_DEFINE_ENUM(TTP_TIME_WAIT);
TRACE_DEFINE_ENUM(TTP_CLOSED);
TRACE_DEFINE_ENUM(TTP_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TTP_LAST_ACK);
TRACE_DEFINE_ENUM(TTP_LISTEN);
TRACE_DEFINE_ENUM(TTP_CLOSING);
TRACE_DEFINE_ENUM(TTP_RTX_HANDSHAKE);
TRACE_DEFINE_ENUM(TTP_RTX_RECOVERY);
TRACE_DEFINE_ENUM(TTP_RTX_LOSS);
TRACE_DEFINE_ENUM(TTP_CSUM_INET);
TRACE_DEFINE_ENUM(TTP_CSUM_CRC32C);

#define ttp_show_state(s)						\
	__print_symbolic(s,						\
			 { TTP_ESTABLISHED, "ESTABLISHED" },		\
			 { TTP_SYN_SENT, "SYN_SENT" },			\
			 { TTP_SYN_RECV, "SYN_RECV" },			\
			 { TTP_FIN_WAIT1, "FIN_WAIT1" },		\
			 { TTP_FIN_WAIT2, "FIN_WAIT2" },		\
			 { TTP_TIME_WAIT, "TIME_WAIT" },		\
			 { TTP_CLOSED, "CLOSED" },			\
			 { TTP_CLOSE_WAIT, "CLOSE_WAIT" },		\
			 { TTP_LAST_ACK, "LAST_ACK" },			\
			 { TTP_LISTEN, "LISTEN" },			\
			 { TTP_CLOSING, "CLOSING" })

#define ttp_show_flags(f)						\
	__print_flags(f, "|",						\
		      { TTPF_FIN, "FIN" }, { TTPF_SYN, "SYN" },		\
		      { TTPF_RST, "RST" }, { TTPF_PSH, "PSH" },		\
		      { TTPF_ACK, "ACK" }, { TTPF_CRC, "CRC" })

#define ttp_show_why(w)							\
	__print_symbolic(w,						\
			 { TTP_RTX_HANDSHAKE, "handshake" },		\
			 { TTP_RTX_RECOVERY, "recovery" },		\
			 { TTP_RTX_LOSS, "loss" })

/* A socket's ends and state: the first fields of the socket events. */
#define TTP_SOCK_ASSIGN(skp)						\
	do {								\
		const struct inet_sock *in__ = inet_sk(skp);		\
									\
		memcpy(__entry->saddr, &in__->inet_saddr, 4);		\
		memcpy(__entry->daddr, &in__->inet_daddr, 4);		\
		__entry->sport = ntohs(in__->inet_sport);		\
		__entry->dport = ntohs(in__->inet_dport);		\
		__entry->state = READ_ONCE(in__->sk.sk_state);		\
	} while (0)

#define TTP_SOCK_FMT	"%pI4:%u %pI4:%u %s"

TRACE_EVENT(ttp_state,
	    TP_PROTO(const struct sock *sk, int old, int new),
	    TP_ARGS(sk, old, new),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(int, old)),
	    TP_fast_assign(TTP_SOCK_ASSIGN(sk);
			   __entry->state = new;
			   __entry->old = old;),
	    TP_printk("%pI4:%u %pI4:%u %s -> %s", __entry->saddr,
		      __entry->sport, __entry->daddr, __entry->dport,
		      ttp_show_state(__entry->old),
		      ttp_show_state(__entry->state)));

/*
 * A segment whose TTP header is at the skb's transport header, from
 * @saddr to @daddr, @len bytes of payload; @sk's state.
 */
DECLARE_EVENT_CLASS(ttp_segment,
		    TP_PROTO(const struct sock *sk, const struct sk_buff *skb,
			     __be32 saddr, __be32 daddr, unsigned int len),
		    TP_ARGS(sk, skb, saddr, daddr, len),
		    TP_STRUCT__entry(__array(__u8, saddr, 4)
				     __array(__u8, daddr, 4)
				     __field(__u16, sport)
				     __field(__u16, dport)
				     __field(int, state)
				     __field(__u32, seq)
				     __field(__u32, ack)
				     __field(__u8, flags)
				     __field(__u16, window)
				     __field(unsigned int, len)
				     __field(__u16, segs)),
		    TP_fast_assign(const struct ttphdr *th__ =
					(const void *)skb_transport_header(skb);

				   memcpy(__entry->saddr, &saddr, 4);
				   memcpy(__entry->daddr, &daddr, 4);
				   __entry->sport = ntohs(th__->source);
				   __entry->dport = ntohs(th__->dest);
				   __entry->state = READ_ONCE(sk->sk_state);
				   __entry->seq = ntohl(th__->seq);
				   __entry->ack = ntohl(th__->ack_seq);
				   __entry->flags = th__->flags;
				   __entry->window = ntohs(th__->window);
				   __entry->len = len;
				   __entry->segs = skb_is_gso(skb) ?
					skb_shinfo(skb)->gso_segs : 1;),
		    TP_printk("%pI4:%u > %pI4:%u %s flags %s seq %u ack %u win %u len %u segs %u",
			      __entry->saddr, __entry->sport, __entry->daddr,
			      __entry->dport, ttp_show_state(__entry->state),
			      ttp_show_flags(__entry->flags), __entry->seq,
			      __entry->ack, __entry->window, __entry->len,
			      __entry->segs));

DEFINE_EVENT(ttp_segment, ttp_send,
	     TP_PROTO(const struct sock *sk, const struct sk_buff *skb,
		      __be32 saddr, __be32 daddr, unsigned int len),
	     TP_ARGS(sk, skb, saddr, daddr, len));

DEFINE_EVENT(ttp_segment, ttp_recv,
	     TP_PROTO(const struct sock *sk, const struct sk_buff *skb,
		      __be32 saddr, __be32 daddr, unsigned int len),
	     TP_ARGS(sk, skb, saddr, daddr, len));

TRACE_EVENT(ttp_retransmit,
	    TP_PROTO(const struct sock *sk, const struct sk_buff *skb, int why),
	    TP_ARGS(sk, skb, why),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u32, seq)
			     __field(__u32, len)
			     __field(__u8, tries)
			     __field(int, why)),
	    TP_fast_assign(const struct ttp_skb_cb *cb__ = TTP_SKB_CB(skb);

			   TTP_SOCK_ASSIGN(sk);
			   __entry->seq = cb__->seq;
			   __entry->len = cb__->end_seq - cb__->seq;
			   __entry->tries = cb__->retrans;
			   __entry->why = why;),
	    TP_printk(TTP_SOCK_FMT " seq %u len %u tries %u why %s",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, ttp_show_state(__entry->state),
		      __entry->seq, __entry->len, __entry->tries,
		      ttp_show_why(__entry->why)));

/* @skb as IP handed it to TTP; @field is a TTP_MIB_* counter. */
TRACE_EVENT(ttp_drop,
	    TP_PROTO(const struct sk_buff *skb, int field),
	    TP_ARGS(skb, field),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __string(reason, ttp_mib_name(field))),
	    TP_fast_assign(const struct iphdr *iph__ = ip_hdr(skb);

			   memcpy(__entry->saddr, &iph__->saddr, 4);
			   memcpy(__entry->daddr, &iph__->daddr, 4);
			   ttp_assign_str(reason, ttp_mib_name(field));),
	    TP_printk("%pI4 > %pI4 reason %s", __entry->saddr,
		      __entry->daddr, __get_str(reason)));

TRACE_EVENT(ttp_cwnd,
	    TP_PROTO(const struct sock *sk, u32 old_cwnd),
	    TP_ARGS(sk, old_cwnd),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u32, old_cwnd)
			     __field(__u32, cwnd)
			     __field(__u32, ssthresh)
			     __field(__u32, in_flight)
			     __field(__u8, ca_state)),
	    TP_fast_assign(const struct ttp_sock *tsk__ = ttp_sk(sk);

			   TTP_SOCK_ASSIGN(sk);
			   __entry->old_cwnd = old_cwnd;
			   __entry->cwnd = tsk__->cc.cwnd;
			   __entry->ssthresh = tsk__->cc.ssthresh;
			   __entry->in_flight = tsk__->snd_nxt - tsk__->snd_una;
			   __entry->ca_state = tsk__->ca_state;),
	    TP_printk(TTP_SOCK_FMT " cwnd %u -> %u ssthresh %u in_flight %u ca_state %u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, ttp_show_state(__entry->state),
		      __entry->old_cwnd, __entry->cwnd, __entry->ssthresh,
		      __entry->in_flight, __entry->ca_state));

TRACE_EVENT(ttp_rtt,
	    TP_PROTO(const struct sock *sk, u32 sample_us),
	    TP_ARGS(sk, sample_us),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u32, sample_us)
			     __field(__u32, srtt_us)
			     __field(__u32, rttvar_us)),
	    TP_fast_assign(const struct ttp_sock *tsk__ = ttp_sk(sk);

			   TTP_SOCK_ASSIGN(sk);
			   __entry->sample_us = sample_us;
			   __entry->srtt_us = tsk__->rtt.srtt_us;
			   __entry->rttvar_us = tsk__->rtt.rttvar_us;),
	    TP_printk(TTP_SOCK_FMT " sample %u us srtt %u us rttvar %u us",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, ttp_show_state(__entry->state),
		      __entry->sample_us, __entry->srtt_us,
		      __entry->rttvar_us));

/*
 * @peer: what the peer's SYN (at a listener) or SYN+ACK (at a client)
 * offered, the options it did not send as 0 (a window scale as -1); then
 * what ttp_negotiate() agreed on for @sk.
 */
TRACE_EVENT(ttp_negotiate,
	    TP_PROTO(const struct sock *sk, const struct ttp_opts *peer),
	    TP_ARGS(sk, peer),
	    TP_STRUCT__entry(__array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u16, peer_mss)
			     __field(int, peer_wscale)
			     __field(__u8, peer_csum)
			     __field(__u8, peer_sack)
			     __field(__u8, peer_ts)
			     __field(__u16, mss)
			     __field(__u8, snd_wscale)
			     __field(__u8, rcv_wscale)
			     __field(int, csum)
			     __field(__u16, opts)),
	    TP_fast_assign(const struct ttp_sock *tsk__ = ttp_sk(sk);

			   TTP_SOCK_ASSIGN(sk);
			   __entry->peer_mss = peer->has_mss ? peer->mss : 0;
			   __entry->peer_wscale = peer->has_wscale ?
						  peer->wscale : -1;
			   __entry->peer_csum = peer->has_csum ?
						peer->csum_mask : 0;
			   __entry->peer_sack = peer->sack_ok;
			   __entry->peer_ts = peer->has_ts;
			   __entry->mss = tsk__->mss_agreed;
			   __entry->snd_wscale = tsk__->snd_wscale;
			   __entry->rcv_wscale = tsk__->rcv_wscale;
			   __entry->csum = tsk__->csum_algo;
			   __entry->opts = tsk__->opts;),
	    TP_printk(TTP_SOCK_FMT " offered mss %u wscale %d csum 0x%x sack %u ts %u agreed mss %u wscale %s %u/%u csum %s sack %u ts %u",
		      __entry->saddr, __entry->sport, __entry->daddr,
		      __entry->dport, ttp_show_state(__entry->state),
		      __entry->peer_mss, __entry->peer_wscale,
		      __entry->peer_csum, __entry->peer_sack, __entry->peer_ts,
		      __entry->mss,
		      __entry->opts & TTPI_OPT_WSCALE ? "on" : "off",
		      __entry->snd_wscale, __entry->rcv_wscale,
		      __print_symbolic(__entry->csum,
				       { TTP_CSUM_INET, "inet" },
				       { TTP_CSUM_CRC32C, "crc32c" }),
		      !!(__entry->opts & TTPI_OPT_SACK),
		      !!(__entry->opts & TTPI_OPT_TIMESTAMPS)));

#endif /* _TTP_TRACE_H */

/* This part must be outside the protection. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
