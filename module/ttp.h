/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TTP internals shared by the files of ttp.ko.
 *
 * Locking, in one place:
 * - A socket's protocol state (everything in struct ttp_sock, its queues
 *   and timers) is protected by the socket lock: lock_sock() in process
 *   context, bh_lock_sock() in softirq context.  Segments that arrive while
 *   a process owns the socket wait in the socket backlog and are processed
 *   by release_sock() through ttp_prot.backlog_rcv; but a listener's are
 *   processed at once, under bh_lock_sock() only, even while its process
 *   owns it (input.c): what a listener's segments change has locks of its
 *   own (the child queues, the port tables).
 * - The port tables of a network namespace (struct ttp_tables) are
 *   protected by ttp_tables.lock for writers; readers walk the hash chains
 *   under RCU and take a reference with refcount_inc_not_zero().  Sockets
 *   are freed after an RCU grace period (SOCK_RCU_FREE) for that reason.
 * - A listener's queues of children (syn_queue, accept_queue) are
 *   protected by its accept_lock, taken inside a child's socket lock, never
 *   the other way round.
 */
#ifndef _TTP_H
#define _TTP_H

#include <linux/types.h>
#include <linux/skbuff.h>
#include <net/inet_sock.h>
#include <net/netns/generic.h>
#include <net/snmp.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

#include "cc.h"
#include "compat.h"
#include "wire.h"

/* The numbers in use, set once by module parameters (main.c). */
extern int ttp_family;
extern int ttp_ipproto;

/*
 * Per network namespace counters, named as /proc/net/ttp_stats prints them
 * (ttp_mib_names in pernet.c follows this order).
 */
enum ttp_mib_field {
	TTP_MIB_INSEGS,		/* TtpInSegs: segments handed to TTP by IP */
	TTP_MIB_OUTSEGS,	/* TtpOutSegs: segments sent */
	TTP_MIB_OUTLARGESEGS,	/* TtpOutLargeSegs: large segments sent */
	TTP_MIB_INHDRERRORS,	/* TtpInHdrErrors: malformed headers */
	TTP_MIB_INCSUMERRORS,	/* TtpInCsumErrors: bad checksums */
	TTP_MIB_INVERSIONERRORS, /* TtpInVersionErrors: unknown version */
	TTP_MIB_INNOPORTS,	/* TtpInNoPorts: no socket for the segment */
	TTP_MIB_INICMPERRORS,	/* TtpInIcmpErrors: ICMP errors for TTP */
	TTP_MIB_OUTRSTS,	/* TtpOutRsts: resets sent */
	TTP_MIB_INRSTS,		/* TtpInRsts: resets accepted */
	TTP_MIB_ACTIVEOPENS,	/* TtpActiveOpens: connect() sent a SYN */
	TTP_MIB_PASSIVEOPENS,	/* TtpPassiveOpens: a listener got a SYN */
	TTP_MIB_ESTABRESETS,	/* TtpEstabResets: resets of open conns */
	TTP_MIB_ATTEMPTFAILS,	/* TtpAttemptFails: connects that failed */
	TTP_MIB_LISTENOVERFLOWS, /* TtpListenOverflows: accept queue full */
	TTP_MIB_LISTENDROPS,	/* TtpListenDrops: SYNs a listener dropped */
	TTP_MIB_RETRANSSEGS,	/* TtpRetransSegs: segments sent again */
	TTP_MIB_TIMEOUTS,	/* TtpTimeouts: retransmission timer expiries */
	TTP_MIB_OUTOFWINDOW,	/* TtpInOutOfWindow: segments outside window */
	TTP_MIB_DUPSEGS,	/* TtpInDupSegs: data received twice */
	TTP_MIB_OFOSEGS,	/* TtpInOfoDrops: out-of-order data dropped */
	TTP_MIB_RCVQDROP,	/* TtpRcvQDrops: data dropped, no buffer */
	TTP_MIB_FASTRETRANS,	/* TtpFastRetrans: sent again in recovery */
	TTP_MIB_SACKRECOVERY,	/* TtpSackRecoveries: recoveries with SACK */
	TTP_MIB_RENORECOVERY,	/* TtpRenoRecoveries: recoveries without */
	TTP_MIB_ZWPROBES,	/* TtpZeroWindowProbes: persist probes sent */
	TTP_MIB_OFOQUEUED,	/* TtpInOfoSegs: out-of-order data queued */
	TTP_MIB_DELAYEDACKS,	/* TtpDelayedAcks: ACKs sent by the timer */
	TTP_MIB_SACKBLOCKS,	/* TtpInSackBlocks: SACK blocks accepted */
	TTP_MIB_SYNCOOKIESSENT,	/* TtpSynCookiesSent: SYN+ACKs of cookies */
	TTP_MIB_SYNCOOKIESRECV,	/* TtpSynCookiesRecv: cookies that opened */
	TTP_MIB_SYNCOOKIESFAILED, /* TtpSynCookiesFailed: invalid cookies */
	TTP_MIB_CHALLENGEACKS,	/* TtpChallengeAcks: challenge ACKs sent */
	TTP_MIB_CHALLENGEACKSSKIPPED, /* TtpChallengeAcksSkipped: over limit */
	TTP_MIB_OUTRSTSSKIPPED,	/* TtpOutRstsSkipped: replies over limit */
	TTP_MIB_PAWSDROPS,	/* TtpPAWSDrops: TSval older than TS.Recent */
	TTP_MIB_ICMPOUTOFWINDOW, /* TtpInIcmpOutOfWindow: ICMP quoting a
				  * sequence number not in flight
				  */
	TTP_MIB_PMTUREDUCED,	/* TtpPmtuReductions: MSS lowered by ICMP */
	TTP_MIB_KEEPALIVEPROBES, /* TtpKeepAliveProbes: probes sent */
	TTP_MIB_KEEPALIVETIMEOUTS, /* TtpKeepAliveTimeouts: peers found gone */
	TTP_MIB_AUTHGOOD,	/* TtpAuthGood: segments whose MAC verified */
	TTP_MIB_AUTHBAD,	/* TtpAuthBad: a key's id, a bad MAC */
	TTP_MIB_AUTHKEYNOTFOUND, /* TtpAuthKeyNotFound: signed, no such key */
	TTP_MIB_AUTHREQUIRED,	/* TtpAuthRequired: unsigned, a key required */
	TTP_MIB_AUTHICMPDROPS,	/* TtpAuthIcmpDrops: ICMP hard errors
				 * ignored by a connection that signs
				 */
	TTP_MIB_CORKEXPIRED,	/* TtpCorkExpired: corked data sent by the
				 * timer (TTP_CORK_MAX)
				 */
	TTP_MIB_MAX
};

struct ttp_mib {
	unsigned long mibs[TTP_MIB_MAX];
};

#define TTP_EHASH_MIN_BITS	8
#define TTP_EHASH_MAX_BITS	20
#define TTP_LHASH_BITS	8
#define TTP_BHASH_BITS	10

/* The buckets of ehash: a power of two of them, replaced as it grows. */
struct ttp_ehash {
	u32			mask;	/* buckets - 1 */
	struct hlist_head	heads[];
};

/* The port table of one network namespace (table.c). */
struct ttp_tables {
	spinlock_t		lock;	/* writers of the three tables */
	/* Odd while ehash's sockets move to a larger array. */
	seqcount_spinlock_t	ehash_seq;
	struct ttp_ehash __rcu	*ehash;		/* connections by 4-tuple */
	unsigned int		ehash_count;	/* sockets in ehash */
	struct work_struct	ehash_grow;	/* makes ehash larger */
	struct hlist_head	lhash[1 << TTP_LHASH_BITS]; /* listeners by port */
	struct hlist_head	bhash[1 << TTP_BHASH_BITS]; /* all bound, by port */
	u32			ephemeral_next;	/* where the next search starts */
};

/* The largest TTP_KEEPIDLE and TTP_KEEPINTVL, seconds (TCP's too). */
#define TTP_KEEPALIVE_MAX_S	32767

/* Tunables of one network namespace: net.ttp.* (sysctl.c). */
struct ttp_sysctl {
	int	ephemeral_ports[2];	/* ephemeral_port_range */
	int	time_wait_ms;		/* time_wait_ms */
	int	fin_timeout_ms;		/* fin_timeout_ms */
	int	syn_retries;		/* syn_retries */
	int	retries;		/* retries */
	int	max_syn_backlog;	/* max_syn_backlog, half-open per listener */
	int	rto_min_ms;		/* rto_min_ms */
	int	rto_max_ms;		/* rto_max_ms */
	int	rto_initial_ms;		/* rto_initial_ms */
	int	crc32c;			/* offer CRC32C in handshakes */
	int	default_mss;		/* mss when the peer says nothing */
	int	sack;			/* offer SACK in handshakes */
	int	timestamps;		/* offer timestamps in handshakes */
	int	delack_ms;		/* longest an ACK waits for company */
	int	syncookies;		/* syncookies: 0 off, 1 on overflow, 2 always */
	int	challenge_ack_limit;	/* challenge_ack_limit, per second */
	int	rst_limit;		/* rst_limit: replies per second */
	int	keepalive_time_ms;	/* idle before keepalive probes */
	int	keepalive_intvl_ms;	/* between keepalive probes */
	int	keepalive_probes;	/* unanswered probes before ETIMEDOUT */
	int	gso;			/* gso: large segments (offload.c) */
	int	rcvbuf_max;		/* rcvbuf_max: autotuning's bound */
	int	sndbuf_max;		/* sndbuf_max: autotuning's bound */
	int	notsent_lowat;		/* notsent_lowat: TTP_NOTSENT_LOWAT's default */
	/* congestion_control: the controller of new sockets, its module
	 * held (congestion.c)
	 */
	const struct ttp_cc_ops __rcu *cc;
};

/*
 * A budget of answers per second (blind.c), drawn at random around a
 * limit each second.
 */
struct ttp_ratelimit {
	spinlock_t	lock;		/* the two fields below */
	unsigned long	start;		/* jiffies when this second began */
	u32		left;		/* answers left in it */
};

/* State of TTP in one network namespace. */
struct ttp_net {
	DEFINE_SNMP_STAT(struct ttp_mib, mib);
	struct ttp_tables	*tables;
	struct ttp_sysctl	sysctl;
	struct ctl_table_header	*sysctl_hdr;
	struct sock		*ctl_sk;	/* sends resets that have no socket */
	struct ttp_ratelimit	challenge_rl;	/* challenge ACKs */
	struct ttp_ratelimit	rst_rl;		/* resets sent by ctl_sk */
};

/* Per-skb data of TTP segments in queues. */
struct ttp_skb_cb {
	u32	seq;		/* first sequence number */
	u32	end_seq;	/* seq + data + SYN + FIN */
	u32	sent_us;	/* ttp_clock_us() of the last transmission */
	u8	flags;		/* TTPF_SYN / TTPF_FIN carried */
	u8	retrans;	/* times sent again */
	u8	sacked;		/* TTP_SACKED, TTP_LOST, TTP_RETRANS */
};

/* The scoreboard of a sent segment (ttp_skb_cb.sacked). */
#define TTP_SACKED	0x01	/* the peer holds it (SACK) */
#define TTP_LOST	0x02	/* taken for lost: to be sent again */
#define TTP_RETRANS	0x04	/* sent again, in flight (retrans_out) */

#define TTP_SKB_CB(skb)	((struct ttp_skb_cb *)&((skb)->cb[0]))

/* Headroom for the IP and link layer headers below TTP's. */
#define TTP_MAX_HEADER	(MAX_HEADER + 128 + TTP_MAX_HDR_LEN)

/* A TTP socket.  It begins with inet_sock: the IP output path needs that. */
struct ttp_auth_info;
struct ttp_auth_mkt;

struct ttp_sock {
	struct inet_sock	inet;

	/* Send sequence space (RFC 793 names). */
	u32	iss;		/* initial send sequence number */
	u32	snd_una;	/* oldest unacknowledged */
	u32	snd_nxt;	/* next to send */
	u32	write_seq;	/* next to queue (end of the write queue) */
	u32	snd_sml;	/* end of the last segment sent short of
				 * whole MSS (Nagle, Minshall's variant)
				 */
	unsigned long	held_since;	/* jiffies: a cork began to hold
					 * data with nothing in flight, 0 =
					 * none (TTP_CORK_MAX)
					 */
	u32	snd_wnd;	/* peer's window, bytes, scaled */
	u32	snd_wl1;	/* seq of the segment that last set snd_wnd */
	u32	snd_wl2;	/* ack of the segment that last set snd_wnd */
	struct sk_buff *send_head; /* first queued segment not yet sent */

	/* Receive sequence space. */
	u32	irs;		/* initial receive sequence number */
	u32	rcv_nxt;	/* next expected */
	u32	rcv_wup;	/* rcv_nxt when the window was last sent */
	u32	rcv_wnd;	/* window last advertised, bytes */
	u32	copied_seq;	/* next byte the application will read */
	u16	rcv_ratio;	/* payload / truesize of received skbs, x256 */

	/* Receive buffer autotuning (receiver.c). */
	u32	rcv_rtt_us;	/* round trip seen by the receiver, 0 = none */
	u32	rcvq_space;	/* bytes read in the last measured round trip */
	u32	rcvq_seq;	/* copied_seq when the measure began */
	u32	rcvq_us;	/* ttp_clock_us() when it began */

	/* Negotiated in the handshake. */
	u16	mss;		/* largest payload we send: mss_agreed less
				 * the options every segment carries
				 */
	u16	mss_agreed;	/* what the handshake chose */
	u16	mss_clamp;	/* TTP_MAXSEG, 0 = none */
	u8	snd_wscale;	/* shift of the peer's windows */
	u8	rcv_wscale;	/* shift of our windows */
	u8	syn_wscale;	/* the shift our SYN offered */
	u8	csum_algo;	/* TTP_CSUM_* */
	u8	csum_offer;	/* algorithms offered in our SYN */
	u16	opts;		/* TTPI_OPT_* */

	/* Retransmission (timer.c) and round-trip time (cc.c). */
	struct timer_list rtx_timer;	/* SYN, data, FIN, zero-window probe */
	struct timer_list misc_timer;	/* TIME_WAIT, FIN_WAIT2 of orphans */
	struct timer_list delack_timer;	/* delayed ACK */
	struct ttp_rtt	rtt;		/* SRTT, RTTVAR (cc.c) */
	u32	rto;		/* jiffies, backed off */
	u8	retries;	/* expiries since the last progress */
	u8	probes;		/* zero-window probes since an answer */
	u8	syn_retries;	/* TTP_SYNCNT, 0 = sysctl */
	u32	user_timeout;	/* TTP_USER_TIMEOUT, ms, 0 = retries */
	u32	mtu_info;	/* next-hop MTU the last ICMP gave (icmp.c) */
	u32	window_clamp;	/* TTP_WINDOW_CLAMP, bytes, 0 = none */
	u32	notsent_lowat;	/* TTP_NOTSENT_LOWAT, 0 = the sysctl's */

	/* Keepalive (SO_KEEPALIVE; timer.c), 0 = the sysctl's. */
	u32	keepidle_ms;	/* TTP_KEEPIDLE */
	u32	keepintvl_ms;	/* TTP_KEEPINTVL */
	u8	keepcnt;	/* TTP_KEEPCNT */
	u8	ka_probes;	/* keepalive probes since an answer */
	unsigned long	rcv_tstamp;	/* jiffies: last acceptable segment */
	unsigned long	deferred;	/* TTP_DEFER_*: work for release_sock() */
	unsigned long	rtx_start;	/* jiffies: first send of what the
					 * timer resends, 0 = none
					 */

	/* Congestion control and loss recovery (cc.c, output.c). */
	struct ttp_cc	cc;		/* cwnd, ssthresh, the controller
					 * (TTP_CONGESTION) and its state
					 */
	u8	ca_state;	/* TTP_CA_* */
	u8	dupacks;	/* duplicate ACKs in a row */
	u32	recover;	/* snd_nxt when recovery began */
	u32	sacked_out;	/* bytes in flight the peer SACKed */
	u32	lost_out;	/* bytes in flight taken for lost */
	u32	retrans_out;	/* bytes sent again and in flight */
	u32	rack_us;	/* sent_us of the newest segment known to
				 * have arrived
				 */
	u32	total_retrans;	/* segments sent again, in all */
	u64	bytes_acked;	/* payload acknowledged */

	/* Timestamps, RFC 7323 (timestamp.c), with TTPI_OPT_TIMESTAMPS. */
	u32	ts_off;		/* added to our clock: ttp_ts_offset() */
	u32	ts_recent;	/* the peer's TSval to echo (TS.Recent) */
	u32	ts_recent_stamp; /* seconds: when ts_recent was taken */
	u32	rx_tsecr;	/* TSecr of the segment at hand, 0 = none */
	u32	ts_rtt_samples;	/* RTT samples taken from an echo */
	u32	paws_drops;	/* segments PAWS refused */

	/* Receiver: reassembly and ACKs (input.c). */
	struct sk_buff_head ofo_queue;	/* out-of-order data, by seq */
	u32	ofo_last;	/* seq of the last segment put there */
	u32	rcv_ofo;	/* segments that arrived out of order */
	u64	bytes_received;	/* payload received in order */
	u8	ack_pending;	/* full segments not acknowledged yet */

	/* Listener and its children (table.c, input.c). */
	spinlock_t	accept_lock;	/* the two queues below */
	struct list_head syn_queue;	/* children in SYN_RECV */
	struct list_head accept_queue;	/* children ready for accept() */
	unsigned int	syn_queue_len;
	struct list_head child_node;	/* entry of a child in a queue */
	struct sock	*parent;	/* listener of a child, until accept */
	unsigned long	cookie_sent;	/* jiffies of the last SYN cookie sent */

	u16	nodelay:1,	/* TTP_NODELAY: Nagle's algorithm off */
		cork:1,		/* TTP_CORK: hold partial segments */
		cwnd_limited:1,	/* the last push stopped at cwnd */
		in_accept_queue:1,	/* child_node is on accept_queue */
		hashed:1,	/* in ehash or lhash */
		ehashed:1,	/* in ehash (and counted in ehash_count) */
		bound:1,	/* in bhash */
		linger_abort:1,	/* close() sent RST: report ECONNRESET */
		sack_offer:1,	/* offer SACK in our SYN */
		ts_offer:1,	/* offer timestamps in our SYN */
		auth_on:1;	/* signs its segments (authkey.c) */

	/* Segment authentication: the keys (authkey.c), NULL if none. */
	struct ttp_auth_info __rcu *auth;
};

static inline struct ttp_sock *ttp_sk(const struct sock *sk)
{
	return (struct ttp_sock *)sk;
}

/*
 * A set of states, for ttp_state_in(): TTP_STATEBIT(TTP_SYN_SENT) |
 * TTP_STATEBIT(TTP_SYN_RECV).  (TTPF_ names the header's flags only.)
 */
#define TTP_STATEBIT(s)	(1 << (s))

static inline bool ttp_state_in(const struct sock *sk, unsigned int mask)
{
	return (1 << sk->sk_state) & mask;
}

/* Bytes queued but not acknowledged, and queued but not yet read. */
static inline u32 ttp_outq(const struct ttp_sock *tsk)
{
	return tsk->write_seq - tsk->snd_una;
}

/*
 * Sequence space in flight (RFC 6675 "pipe"): sent and not acknowledged,
 * less what the peer SACKed and what is lost, plus what was sent again.
 */
static inline u32 ttp_in_flight(const struct ttp_sock *tsk)
{
	s64 n = (s64)(tsk->snd_nxt - tsk->snd_una) - tsk->sacked_out -
		tsk->lost_out + tsk->retrans_out;

	return n > 0 ? n : 0;
}

/* The clock of round-trip samples (ttp_skb_cb.sent_us): microseconds. */
static inline u32 ttp_clock_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/* Duplicate ACKs, or segments SACKed above a hole, that mean a loss. */
#define TTP_DUPTHRESH	3

/* pernet.c */
extern unsigned int ttp_net_id;

static inline struct ttp_net *ttp_pernet(const struct net *net)
{
	return net_generic(net, ttp_net_id);
}

#define TTP_INC_STATS(net, field) \
	SNMP_INC_STATS(ttp_pernet(net)->mib, field)
#define TTP_ADD_STATS(net, field, n) \
	SNMP_ADD_STATS(ttp_pernet(net)->mib, field, n)
const char *ttp_mib_name(int field);

/*
 * net.ttp.* of a namespace, as the rest of TTP reads them: one getter per
 * setting, each a single READ_ONCE() (a sysctl may change at any time).
 * sysctl.c owns the table, its bounds and the defaults.
 */
static inline int ttp_sysctl_time_wait_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.time_wait_ms);
}

static inline int ttp_sysctl_fin_timeout_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.fin_timeout_ms);
}

static inline int ttp_sysctl_syn_retries(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.syn_retries);
}

static inline int ttp_sysctl_retries(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.retries);
}

static inline int ttp_sysctl_max_syn_backlog(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.max_syn_backlog);
}

static inline int ttp_sysctl_rto_min_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.rto_min_ms);
}

static inline int ttp_sysctl_rto_max_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.rto_max_ms);
}

static inline int ttp_sysctl_rto_initial_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.rto_initial_ms);
}

static inline int ttp_sysctl_crc32c(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.crc32c);
}

static inline int ttp_sysctl_default_mss(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.default_mss);
}

static inline int ttp_sysctl_sack(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.sack);
}

static inline int ttp_sysctl_timestamps(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.timestamps);
}

static inline int ttp_sysctl_delack_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.delack_ms);
}

static inline int ttp_sysctl_syncookies(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.syncookies);
}

static inline int ttp_sysctl_challenge_ack_limit(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.challenge_ack_limit);
}

static inline int ttp_sysctl_rst_limit(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.rst_limit);
}

static inline int ttp_sysctl_keepalive_time_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.keepalive_time_ms);
}

static inline int ttp_sysctl_keepalive_intvl_ms(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.keepalive_intvl_ms);
}

static inline int ttp_sysctl_keepalive_probes(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.keepalive_probes);
}

static inline int ttp_sysctl_gso(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.gso);
}

static inline int ttp_sysctl_notsent_lowat(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.notsent_lowat);
}

static inline int ttp_sysctl_rcvbuf_max(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.rcvbuf_max);
}

static inline int ttp_sysctl_sndbuf_max(const struct net *net)
{
	return READ_ONCE(ttp_pernet(net)->sysctl.sndbuf_max);
}

/* The ephemeral port range: two reads, which a write may come between. */
static inline void ttp_sysctl_ephemeral_ports(const struct net *net, int *lo,
					      int *hi)
{
	*lo = READ_ONCE(ttp_pernet(net)->sysctl.ephemeral_ports[0]);
	*hi = READ_ONCE(ttp_pernet(net)->sysctl.ephemeral_ports[1]);
}

int ttp_pernet_register(void);
void ttp_pernet_unregister(void);

/* proc.c */
int ttp_proc_init_net(struct net *net);
void ttp_proc_exit_net(struct net *net);

/* sysctl.c */
void ttp_sysctl_defaults(struct ttp_sysctl *s);

/* congestion.c */
struct ctl_table;
void ttp_cc_set_default(struct sock *sk);
void ttp_cc_inherit(struct sock *child, const struct sock *parent);
void ttp_cc_net_init(struct ttp_sysctl *s);
void ttp_cc_net_exit(struct ttp_sysctl *s);
int ttp_proc_congestion_control(TTP_CTL_TABLE *ctl, int write, void *buffer,
				size_t *lenp, loff_t *ppos);
int ttp_proc_available_cc(TTP_CTL_TABLE *ctl, int write, void *buffer,
			  size_t *lenp, loff_t *ppos);
int ttp_sysctl_register(struct net *net);
void ttp_sysctl_unregister(struct net *net);

/* state.c */
enum ttp_event {
	TTP_EV_CONNECT,		/* application: connect() */
	TTP_EV_LISTEN,		/* application: listen() */
	TTP_EV_CLOSE,		/* application: close() or shutdown(SHUT_WR) */
	TTP_EV_ABORT,		/* application or error: abortive close */
	TTP_EV_RCV_SYN,		/* a listener's child, or SYN_SENT, received a SYN */
	TTP_EV_RCV_SYNACK,	/* SYN_SENT received an acceptable SYN+ACK */
	TTP_EV_RCV_ACK,		/* SYN_RECV received the ACK of its SYN */
	TTP_EV_RCV_FIN,		/* the peer's FIN arrived in order */
	TTP_EV_FIN_ACKED,	/* the peer acknowledged our FIN */
	TTP_EV_RCV_RST,		/* an acceptable RST arrived */
	TTP_EV_TIMEOUT,		/* TIME_WAIT or FIN_WAIT2 timer, retries */
	TTP_EV_RCV_ICMP,	/* SYN_SENT received a hard ICMP error */
	TTP_EV_MAX
};

int ttp_next_state(int state, enum ttp_event ev);
const char *ttp_state_name(int state);
bool ttp_state_names_peer(int state, bool accepting);
const char *ttp_event_name(enum ttp_event ev);
int ttp_transition(struct sock *sk, enum ttp_event ev);

/* table.c */
int ttp_tables_init(struct ttp_net *tn);
void ttp_tables_exit(struct ttp_net *tn);
int ttp_bind_port(struct sock *sk, __be32 addr, u16 port);
int ttp_autobind(struct sock *sk);
void ttp_unbind(struct sock *sk);
void ttp_bind_child(struct sock *parent, struct sock *child);
int ttp_hash_listener(struct sock *sk);
int ttp_hash_established(struct sock *sk);
void ttp_unhash(struct sock *sk);
void ttp_unhash_keep_port(struct sock *sk);
struct sock *ttp_lookup_established(struct net *net, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport);
struct sock *ttp_lookup_listener(struct net *net, struct sk_buff *skb,
				 int hlen, __be32 saddr, __be16 sport,
				 __be32 daddr, __be16 dport);

/* checksum.c */
void ttp_csum_fill(struct sk_buff *skb, struct ttphdr *th, unsigned int len,
		   __be32 saddr, __be32 daddr, u8 algo);
void ttp_csum_fill_at(struct sk_buff *skb, unsigned int off, unsigned int len,
		      __be32 saddr, __be32 daddr, u8 algo);
void ttp_csum_offload(struct sk_buff *skb, struct ttphdr *th, unsigned int len,
		      __be32 saddr, __be32 daddr, u8 algo);
bool ttp_csum_ok(struct sk_buff *skb, __be32 saddr, __be32 daddr);

/* recovery.c */

/* Why a segment goes again (the ttp_retransmit tracepoint). */
enum ttp_rtx_why {
	TTP_RTX_HANDSHAKE,	/* a SYN or SYN+ACK not answered */
	TTP_RTX_RECOVERY,	/* fast recovery: duplicate ACKs, SACK, RACK */
	TTP_RTX_LOSS,		/* a retransmission timeout, a smaller PMTU */
};

void ttp_update_rto(struct sock *sk);
void ttp_reset_rto(struct sock *sk);
u32 ttp_ack_update(struct sock *sk, u32 ack);
bool ttp_ack_state(struct sock *sk, u32 ack, bool dup, const u8 *opt,
		   const struct ttp_opts *o);
void ttp_ack_rcv(struct sock *sk, u32 ack, bool dup, const u8 *opt,
		 const struct ttp_opts *o);
void ttp_loss_state(struct sock *sk);
bool ttp_mtu_loss_state(struct sock *sk);
void ttp_mtu_lost(struct sock *sk);
void ttp_enter_loss(struct sock *sk);

/* timestamp.c */
u32 ttp_ts_offset(__be32 laddr, __be32 raddr);
u32 ttp_ts_clock(void);
bool ttp_paws_reject(u32 ts_recent, u32 tsval, u32 recent_age_s);
u32 ttp_ts_rtt_us(u32 now, u32 tsecr, u32 max_ms);
bool ttp_ts_acceptable(struct sock *sk, const struct ttp_opts *o, u8 flags);
void ttp_ts_store(struct sock *sk, const struct ttp_opts *o, u32 seq);
void ttp_ts_init(struct sock *sk, const struct ttp_opts *peer);
bool ttp_ts_rtt_sample(struct sock *sk, u32 resent_us);

/* Our clock as the peer sees it in our TSvals. */
static inline u32 ttp_ts_now(const struct ttp_sock *tsk)
{
	return ttp_ts_clock() + tsk->ts_off;
}

static inline bool ttp_ts_on(const struct ttp_sock *tsk)
{
	return tsk->opts & TTPI_OPT_TIMESTAMPS;
}

/* output.c */
struct flowi4;
struct rtable;
u32 ttp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
int ttp_send_syn(struct sock *sk);
int ttp_send_synack(struct sock *sk);
void ttp_send_synack_for_syn(struct sock *sk);
void ttp_send_ack(struct sock *sk);
void ttp_send_fin(struct sock *sk);
void ttp_send_active_rst(struct sock *sk, gfp_t gfp);
void ttp_send_reset_reply(struct net *net, struct sk_buff *skb);
struct rtable *ttp_reply_route(struct net *net, struct sk_buff *in,
			       struct flowi4 *fl4);
void ttp_send_reply(struct net *net, struct sk_buff *in, struct rtable *rt,
		    u32 seq, u32 ack, u8 flags, u16 window,
		    const struct ttp_opts *o, const struct ttp_auth_mkt *key,
		    u8 rnext);
/*
 * How ttp_push() treats a partial segment at the tail of the write queue
 * (TCP's TCP_NAGLE_*): held by Nagle's algorithm unless OFF, held
 * whatever is in flight with CORK (TTP_CORK, MSG_MORE), sent now with
 * PUSH.
 */
#define TTP_NAGLE_OFF	0x1
#define TTP_NAGLE_CORK	0x2
#define TTP_NAGLE_PUSH	0x4

/* The longest a cork or MSG_MORE holds a partial segment, as TCP's. */
#define TTP_CORK_MAX	(HZ / 5)

bool ttp_nagle_hold(u32 len, u32 mss, unsigned int nonagle, u32 snd_una,
		    u32 snd_nxt, u32 snd_sml);
unsigned int ttp_nonagle(const struct sock *sk);
void __ttp_push(struct sock *sk, unsigned int nonagle);
void ttp_push(struct sock *sk);
int ttp_retransmit_head(struct sock *sk);
void ttp_retransmit_lost(struct sock *sk, bool force);
bool ttp_window_closed(const struct sock *sk);
void ttp_rcv_window(struct sock *sk, u32 seq, u32 ack, u32 win);
void ttp_send_keepalive_probe(struct sock *sk);
void ttp_send_window_probe(struct sock *sk);
struct sk_buff *ttp_queue_alloc(struct sock *sk, unsigned int size, u8 flag,
				gfp_t gfp);
int ttp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, gfp_t gfp);
int ttp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len);
unsigned int ttp_size_goal(struct sock *sk);
bool ttp_stream_memory_free(const struct sock *sk, int wake);

/* offload.c */
int ttp_offload_init(void);
void ttp_offload_exit(void);
void ttp_init_snd_seq(struct sock *sk, u32 iss);

/* timer.c */
void ttp_init_timers(struct sock *sk);
void ttp_clear_timers(struct sock *sk);
void ttp_arm_rtx(struct sock *sk);
void ttp_arm_misc(struct sock *sk, unsigned int ms);
void ttp_keepalive_reset(struct sock *sk, bool on);
unsigned int ttp_keepidle_ms(const struct sock *sk);
unsigned int ttp_keepintvl_ms(const struct sock *sk);
unsigned int ttp_keepcnt(const struct sock *sk);
void ttp_arm_delack(struct sock *sk);

/* input.c */
int ttp_v4_rcv(struct sk_buff *skb);
int ttp_backlog_rcv(struct sock *sk, struct sk_buff *skb);

/* icmp.c */
enum {
	TTP_DEFER_MTU_REDUCED,	/* ttp_sock.deferred: an MTU to apply */
	TTP_DEFER_HARD_ERROR,	/* a hard error in sk_err_soft ends SYN_SENT */
};

int ttp_v4_err(struct sk_buff *skb, u32 info);
void ttp_mtu_reduced(struct sock *sk);
void ttp_release_cb(struct sock *sk);

/* negotiate.c */
u16 ttp_mtu_mss(unsigned int mtu);
u16 ttp_route_mss(struct sock *sk);
u8 ttp_choose_wscale(const struct sock *sk);
void ttp_syn_options(struct sock *sk, struct ttp_opts *o, bool synack);
void ttp_negotiate(struct sock *sk, const struct ttp_opts *peer,
		   bool we_are_client, u8 ours_wscale);
#define TTP_COOKIE_DATA_BITS	9	/* what a SYN cookie keeps of a SYN */
u32 ttp_cookie_encode(const struct sock *sk, const struct ttp_opts *peer);
void ttp_cookie_decode(u32 data, struct ttp_opts *peer);

/* receiver.c */
void ttp_init_rcv_seq(struct sock *sk, u32 irs);
bool ttp_seq_acceptable(const struct ttp_sock *tsk, u32 seq, u32 len);
bool ttp_rcv_data(struct sock *sk, struct sk_buff *skb);
void ttp_ofo_queue(struct sock *sk, struct sk_buff *skb);
bool ttp_ofo_drain(struct sock *sk);
unsigned int ttp_sack_blocks(const struct sock *sk, struct ttp_sack_block *b);
void ttp_ack_schedule(struct sock *sk, unsigned int segs);
u32 ttp_select_window_peek(const struct sock *sk);
u32 ttp_select_window(struct sock *sk);
void ttp_cleanup_rbuf(struct sock *sk);
void ttp_rcv_rtt_sample(struct sock *sk);
void ttp_rcv_space_adjust(struct sock *sk);
void ttp_sndbuf_expand(struct sock *sk);

/* syncookie.c */
bool ttp_syncookie_wanted(struct sock *sk, bool syn_queue_full);
void ttp_syncookie_send(struct sock *sk, struct sk_buff *skb,
			const struct ttp_opts *peer);
int ttp_syncookie_check(struct sock *sk, struct sk_buff *skb,
			struct ttp_opts *peer);
void ttp_syncookie_init_child(struct sock *sk, struct sock *child,
			      const struct ttp_opts *peer);
u64 ttp_cookie_hash(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport,
		    u32 peer_isn);
u32 ttp_cookie_make(u64 h, u32 t, u32 data);
bool ttp_cookie_open(u64 h, u32 t, u32 cookie, u32 *data);

/*
 * A segment that no connection owns goes to a listener if it is a SYN, or
 * an ACK that may complete a SYN cookie's handshake; never a RST.
 */
static inline bool ttp_for_listener(u8 flags)
{
	flags &= TTPF_SYN | TTPF_ACK | TTPF_RST;
	return flags == TTPF_SYN || flags == TTPF_ACK;
}

/* blind.c */
void ttp_ratelimit_init(struct ttp_ratelimit *rl);
bool ttp_ratelimit_allow(struct ttp_ratelimit *rl, int limit);
void ttp_send_challenge_ack(struct sock *sk);
bool ttp_ack_plausible(const struct sock *sk, u32 ack);

/* socket.c */
extern struct proto ttp_prot;
extern const struct net_proto_family ttp_family_ops;
struct sock *ttp_child_alloc(struct sock *parent, gfp_t gfp);
void ttp_done(struct sock *sk);
void ttp_set_error_and_done(struct sock *sk, int err);
void ttp_abort(struct sock *sk, enum ttp_event ev, int err);
int ttp_wait_connect(struct sock *sk, long *timeo);

/* stream.c */
int ttp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int ttp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags);
__poll_t ttp_poll(struct file *file, struct socket *sock, poll_table *wait);

/* listen.c */
int ttp_listen(struct socket *sock, int backlog);
int ttp_accept_impl(struct socket *sock, struct socket *newsock, int flags,
		    bool kern);
bool ttp_child_attach(struct sock *parent, struct sock *child);
void ttp_child_detach(struct sock *child);
bool ttp_child_established(struct sock *child);
void ttp_close_children(struct sock *sk);

/* sockopt.c */
int ttp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
void ttp_set_keepalive(struct sock *sk, int val);
int ttp_setsockopt(struct socket *sock, int level, int optname,
		   sockptr_t optval, unsigned int optlen);
int ttp_getsockopt(struct socket *sock, int level, int optname,
		   char __user *optval, int __user *optlen);

#endif /* _TTP_H */
