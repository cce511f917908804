// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTP connection state machine, as one table.
 *
 * ttp_transitions[state][event] is the state a connection moves to when
 * @event happens in @state; 0 means the event is not allowed there.  The
 * table is the whole state diagram of Documentation/protocol.rst, with the
 * same names.  ttp_transition() records the new state and does what
 * entering it entails whoever raised the event, as tcp_set_state() does:
 * the timers of TIME_WAIT and of an orphan's FIN_WAIT2, and the counters
 * of connections opened, failed and reset.  Sending segments and waking
 * the application are left to the code that raises the event.
 */
#include <linux/kernel.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "trace.h"
#include "ttp.h"

/* The states an ABORT resets a connection from, with a RST sent. */
#define TTP_STATES_ABORT_RESETS						\
	(TTP_STATEBIT(TTP_ESTABLISHED) | TTP_STATEBIT(TTP_CLOSE_WAIT) |	\
	 TTP_STATEBIT(TTP_FIN_WAIT1) | TTP_STATEBIT(TTP_FIN_WAIT2) |	\
	 TTP_STATEBIT(TTP_CLOSING) | TTP_STATEBIT(TTP_LAST_ACK))

static const u8 ttp_transitions[TTP_MAX_STATES][TTP_EV_MAX] = {
	[TTP_CLOSED] = {
		[TTP_EV_CONNECT]	= TTP_SYN_SENT,
		[TTP_EV_LISTEN]		= TTP_LISTEN,
		[TTP_EV_RCV_SYN]	= TTP_SYN_RECV,	/* a new child */
		[TTP_EV_CLOSE]		= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
	},
	[TTP_LISTEN] = {
		[TTP_EV_CLOSE]		= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
	},
	[TTP_SYN_SENT] = {
		[TTP_EV_RCV_SYNACK]	= TTP_ESTABLISHED,
		[TTP_EV_RCV_SYN]	= TTP_SYN_RECV,	/* simultaneous open */
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_CLOSE]		= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
		[TTP_EV_RCV_ICMP]	= TTP_CLOSED,
	},
	[TTP_SYN_RECV] = {
		[TTP_EV_RCV_ACK]	= TTP_ESTABLISHED,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_CLOSE]		= TTP_FIN_WAIT1,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_ESTABLISHED] = {
		[TTP_EV_CLOSE]		= TTP_FIN_WAIT1,
		[TTP_EV_RCV_FIN]	= TTP_CLOSE_WAIT,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_FIN_WAIT1] = {
		[TTP_EV_FIN_ACKED]	= TTP_FIN_WAIT2,
		[TTP_EV_RCV_FIN]	= TTP_CLOSING,	/* simultaneous close */
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_FIN_WAIT2] = {
		[TTP_EV_RCV_FIN]	= TTP_TIME_WAIT,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,	/* orphan, fin_timeout */
	},
	[TTP_CLOSING] = {
		[TTP_EV_FIN_ACKED]	= TTP_TIME_WAIT,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_TIME_WAIT] = {
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_CLOSE_WAIT] = {
		[TTP_EV_CLOSE]		= TTP_LAST_ACK,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
	[TTP_LAST_ACK] = {
		[TTP_EV_FIN_ACKED]	= TTP_CLOSED,
		[TTP_EV_RCV_RST]	= TTP_CLOSED,
		[TTP_EV_ABORT]		= TTP_CLOSED,
		[TTP_EV_TIMEOUT]	= TTP_CLOSED,
	},
};

static const char * const ttp_state_names[TTP_MAX_STATES] = {
	[0]			= "UNKNOWN",
	[TTP_ESTABLISHED]	= "ESTABLISHED",
	[TTP_SYN_SENT]		= "SYN_SENT",
	[TTP_SYN_RECV]		= "SYN_RECV",
	[TTP_FIN_WAIT1]		= "FIN_WAIT1",
	[TTP_FIN_WAIT2]		= "FIN_WAIT2",
	[TTP_TIME_WAIT]		= "TIME_WAIT",
	[TTP_CLOSED]		= "CLOSED",
	[TTP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TTP_LAST_ACK]		= "LAST_ACK",
	[TTP_LISTEN]		= "LISTEN",
	[TTP_CLOSING]		= "CLOSING",
};

static const char * const ttp_event_names[TTP_EV_MAX] = {
	[TTP_EV_CONNECT]	= "CONNECT",
	[TTP_EV_LISTEN]		= "LISTEN",
	[TTP_EV_CLOSE]		= "CLOSE",
	[TTP_EV_ABORT]		= "ABORT",
	[TTP_EV_RCV_SYN]	= "RCV_SYN",
	[TTP_EV_RCV_SYNACK]	= "RCV_SYNACK",
	[TTP_EV_RCV_ACK]	= "RCV_ACK",
	[TTP_EV_RCV_FIN]	= "RCV_FIN",
	[TTP_EV_FIN_ACKED]	= "FIN_ACKED",
	[TTP_EV_RCV_RST]	= "RCV_RST",
	[TTP_EV_TIMEOUT]	= "TIMEOUT",
	[TTP_EV_RCV_ICMP]	= "RCV_ICMP",
};

/**
 * ttp_next_state() - look up a transition in the table
 * @state: the current state, TTP_*
 * @ev: the event
 *
 * Return: the state @ev leads to from @state, or 0 if @ev is not allowed
 * there (or either is out of range).
 */
int ttp_next_state(int state, enum ttp_event ev)
{
	if (state <= 0 || state >= TTP_MAX_STATES || ev >= TTP_EV_MAX)
		return 0;
	return ttp_transitions[state][ev];
}
EXPORT_SYMBOL_IF_KUNIT(ttp_next_state);

/**
 * ttp_state_name() - the name of a state, for messages
 * @state: the state, TTP_*
 *
 * Return: its name, such as "ESTABLISHED"; "UNKNOWN" if @state is none.
 */
const char *ttp_state_name(int state)
{
	if (state <= 0 || state >= TTP_MAX_STATES)
		return ttp_state_names[0];
	return ttp_state_names[state];
}
EXPORT_SYMBOL_IF_KUNIT(ttp_state_name);

/**
 * ttp_event_name() - the name of an event, for messages
 * @ev: the event
 *
 * Return: its name, such as "RCV_SYN"; "UNKNOWN" if @ev is none.
 */
const char *ttp_event_name(enum ttp_event ev)
{
	return ev < TTP_EV_MAX ? ttp_event_names[ev] : "UNKNOWN";
}
EXPORT_SYMBOL_IF_KUNIT(ttp_event_name);

/**
 * ttp_state_names_peer() - does a connection name its peer to getpeername()?
 * @state: the connection's state
 * @accepting: accept() asks
 *
 * From the handshake's answer until it is closed.  accept() (@accepting)
 * asks for the connection it has just taken: that one had a peer in every
 * state, and a RST that closed it since is for the calls that follow to
 * report, not a reason to fail accept() and lose a connection the process
 * never saw.
 *
 * Return: true if the peer is to be named.
 */
bool ttp_state_names_peer(int state, bool accepting)
{
	if (state <= 0 || state >= TTP_MAX_STATES)
		return false;
	return accepting ||
	       !(TTP_STATEBIT(state) & (TTP_STATEBIT(TTP_CLOSED) |
				      TTP_STATEBIT(TTP_LISTEN) |
				      TTP_STATEBIT(TTP_SYN_SENT)));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_state_names_peer);

/*
 * The counters of Documentation/protocol.rst, "Counters", that a state
 * change makes (RFC 1213's tcpActiveOpens, tcpAttemptFails and
 * tcpEstabResets, for TTP's events).
 */
static void ttp_count_transition(struct sock *sk, int old,
				 enum ttp_event ev, int next)
{
	struct net *net = sock_net(sk);

	if (ev == TTP_EV_CONNECT) {
		TTP_INC_STATS(net, TTP_MIB_ACTIVEOPENS);
		return;
	}
	if (next != TTP_CLOSED)
		return;
	/*
	 * Refused, or unanswered; not a close() before the answer.  Also
	 * from SYN_RECV after a simultaneous open (a socket connect() made:
	 * a listener's child has its listener).
	 */
	if ((old == TTP_SYN_SENT ||
	     (old == TTP_SYN_RECV && !ttp_sk(sk)->parent)) &&
	    (ev == TTP_EV_RCV_RST || ev == TTP_EV_TIMEOUT ||
	     ev == TTP_EV_RCV_ICMP))
		TTP_INC_STATS(net, TTP_MIB_ATTEMPTFAILS);
	/* Reset by the peer while open, or by us, with a RST, once open. */
	else if ((ev == TTP_EV_RCV_RST &&
		  (TTP_STATEBIT(old) & (TTP_STATEBIT(TTP_ESTABLISHED) |
					TTP_STATEBIT(TTP_CLOSE_WAIT)))) ||
		 (ev == TTP_EV_ABORT &&
		  (TTP_STATEBIT(old) & TTP_STATES_ABORT_RESETS)))
		TTP_INC_STATS(net, TTP_MIB_ESTABRESETS);
}

/*
 * The timers a state starts with: keepalive's in ESTABLISHED
 * (SO_KEEPALIVE), TIME_WAIT's, which replaces the retransmission timer
 * (nothing is left to send), and FIN_WAIT2's for a socket no process
 * holds, which would otherwise wait for the peer's FIN forever.  A socket
 * orphaned later in FIN_WAIT2 gets its timer from ttp_release().
 */
static void ttp_enter_state(struct sock *sk, int state)
{
	struct net *net = sock_net(sk);

	switch (state) {
	case TTP_ESTABLISHED:
		WRITE_ONCE(ttp_sk(sk)->rcv_tstamp, jiffies);
		if (sock_flag(sk, SOCK_KEEPOPEN))
			ttp_keepalive_reset(sk, true);
		break;
	case TTP_FIN_WAIT2:
		if (sock_flag(sk, SOCK_DEAD))
			ttp_arm_misc(sk, ttp_sysctl_fin_timeout_ms(net));
		break;
	case TTP_TIME_WAIT:
		sk_stop_timer(sk, &ttp_sk(sk)->rtx_timer);
		ttp_arm_misc(sk, ttp_sysctl_time_wait_ms(net));
		break;
	}
}

/**
 * ttp_transition() - apply @ev to @sk
 * @sk: the socket
 * @ev: the event
 *
 * The new state, its timers and its counters (ttp_enter_state(),
 * ttp_count_transition()).  Under the socket lock.
 *
 * Return: the new state, or -EINVAL if @ev is not allowed in the current
 * state (the socket is left as it was: the caller's bug, or a segment that
 * must be ignored).
 */
int ttp_transition(struct sock *sk, enum ttp_event ev)
{
	int old = sk->sk_state;
	int next = ttp_next_state(old, ev);

	if (!next) {
		net_dbg_ratelimited("ttp: %s not allowed in %s\n",
				    ttp_event_name(ev), ttp_state_name(old));
		return -EINVAL;
	}
	/* Readers such as poll() and /proc look without the lock. */
	inet_sk_set_state(sk, next);
	trace_ttp_state(sk, old, next);
	ttp_count_transition(sk, old, ev, next);
	ttp_enter_state(sk, next);
	return next;
}
