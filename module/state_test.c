// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the connection state machine (state.c): the transition
 * table against the one Documentation/protocol.rst specifies, written out
 * again here from the document, and properties every protocol state
 * machine must have.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "ttp.h"

/* Documentation/protocol.rst, "Transition table", row for row. */
static const struct {
	u8 state, event, next;
} spec[] = {
	{ TTP_CLOSED,      TTP_EV_CONNECT,    TTP_SYN_SENT },
	{ TTP_CLOSED,      TTP_EV_LISTEN,     TTP_LISTEN },
	{ TTP_CLOSED,      TTP_EV_RCV_SYN,    TTP_SYN_RECV },
	{ TTP_CLOSED,      TTP_EV_CLOSE,      TTP_CLOSED },
	{ TTP_CLOSED,      TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_LISTEN,      TTP_EV_CLOSE,      TTP_CLOSED },
	{ TTP_LISTEN,      TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_SYN_SENT,    TTP_EV_RCV_SYNACK, TTP_ESTABLISHED },
	{ TTP_SYN_SENT,    TTP_EV_RCV_SYN,    TTP_SYN_RECV },
	{ TTP_SYN_SENT,    TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_SYN_SENT,    TTP_EV_CLOSE,      TTP_CLOSED },
	{ TTP_SYN_SENT,    TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_SYN_SENT,    TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_SYN_SENT,    TTP_EV_RCV_ICMP,   TTP_CLOSED },
	{ TTP_SYN_RECV,    TTP_EV_RCV_ACK,    TTP_ESTABLISHED },
	{ TTP_SYN_RECV,    TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_SYN_RECV,    TTP_EV_CLOSE,      TTP_FIN_WAIT1 },
	{ TTP_SYN_RECV,    TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_SYN_RECV,    TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_ESTABLISHED, TTP_EV_CLOSE,      TTP_FIN_WAIT1 },
	{ TTP_ESTABLISHED, TTP_EV_RCV_FIN,    TTP_CLOSE_WAIT },
	{ TTP_ESTABLISHED, TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_ESTABLISHED, TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_ESTABLISHED, TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_FIN_WAIT1,   TTP_EV_FIN_ACKED,  TTP_FIN_WAIT2 },
	{ TTP_FIN_WAIT1,   TTP_EV_RCV_FIN,    TTP_CLOSING },
	{ TTP_FIN_WAIT1,   TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_FIN_WAIT1,   TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_FIN_WAIT1,   TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_FIN_WAIT2,   TTP_EV_RCV_FIN,    TTP_TIME_WAIT },
	{ TTP_FIN_WAIT2,   TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_FIN_WAIT2,   TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_FIN_WAIT2,   TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_CLOSING,     TTP_EV_FIN_ACKED,  TTP_TIME_WAIT },
	{ TTP_CLOSING,     TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_CLOSING,     TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_CLOSING,     TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_TIME_WAIT,   TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_TIME_WAIT,   TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_TIME_WAIT,   TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_CLOSE_WAIT,  TTP_EV_CLOSE,      TTP_LAST_ACK },
	{ TTP_CLOSE_WAIT,  TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_CLOSE_WAIT,  TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_CLOSE_WAIT,  TTP_EV_TIMEOUT,    TTP_CLOSED },
	{ TTP_LAST_ACK,    TTP_EV_FIN_ACKED,  TTP_CLOSED },
	{ TTP_LAST_ACK,    TTP_EV_RCV_RST,    TTP_CLOSED },
	{ TTP_LAST_ACK,    TTP_EV_ABORT,      TTP_CLOSED },
	{ TTP_LAST_ACK,    TTP_EV_TIMEOUT,    TTP_CLOSED },
};

/* What the specification says @ev does in @state: the next state or 0. */
static int spec_next(int state, int ev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spec); i++)
		if (spec[i].state == state && spec[i].event == ev)
			return spec[i].next;
	return 0;
}

static void every_pair_does_what_the_specification_says(struct kunit *test)
{
	int s, ev;

	for (s = 1; s < TTP_MAX_STATES; s++)
		for (ev = 0; ev < TTP_EV_MAX; ev++)
			KUNIT_EXPECT_EQ_MSG(test, ttp_next_state(s, ev),
					    spec_next(s, ev), "%s + %s",
					    ttp_state_name(s), ttp_event_name(ev));
}

/* Walk @n events from @state, checking each state reached. */
static void walk(struct kunit *test, int state, const u8 (*steps)[2],
		 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int next = ttp_next_state(state, steps[i][0]);

		KUNIT_EXPECT_EQ_MSG(test, next, steps[i][1], "step %u: %s + %s",
				    i, ttp_state_name(state),
				    ttp_event_name(steps[i][0]));
		state = next;
	}
}

static void active_open_and_close_ends_in_time_wait_then_closed(struct kunit *test)
{
	static const u8 steps[][2] = {
		{ TTP_EV_CONNECT,    TTP_SYN_SENT },
		{ TTP_EV_RCV_SYNACK, TTP_ESTABLISHED },
		{ TTP_EV_CLOSE,      TTP_FIN_WAIT1 },
		{ TTP_EV_FIN_ACKED,  TTP_FIN_WAIT2 },
		{ TTP_EV_RCV_FIN,    TTP_TIME_WAIT },
		{ TTP_EV_TIMEOUT,    TTP_CLOSED },
	};

	walk(test, TTP_CLOSED, steps, ARRAY_SIZE(steps));
}

static void passive_open_and_close_goes_through_close_wait(struct kunit *test)
{
	static const u8 steps[][2] = {
		{ TTP_EV_RCV_SYN,   TTP_SYN_RECV },
		{ TTP_EV_RCV_ACK,   TTP_ESTABLISHED },
		{ TTP_EV_RCV_FIN,   TTP_CLOSE_WAIT },
		{ TTP_EV_CLOSE,     TTP_LAST_ACK },
		{ TTP_EV_FIN_ACKED, TTP_CLOSED },
	};

	walk(test, TTP_CLOSED, steps, ARRAY_SIZE(steps));
}

/*
 * Each end's SYN reaches the other in SYN_SENT; the SYN+ACK (or ACK) that
 * answers ours completes it, as the ACK of a listener's SYN+ACK does.
 */
static void simultaneous_open_goes_through_syn_recv(struct kunit *test)
{
	static const u8 steps[][2] = {
		{ TTP_EV_CONNECT,   TTP_SYN_SENT },
		{ TTP_EV_RCV_SYN,   TTP_SYN_RECV },
		{ TTP_EV_RCV_ACK,   TTP_ESTABLISHED },
		{ TTP_EV_CLOSE,     TTP_FIN_WAIT1 },
	};

	walk(test, TTP_CLOSED, steps, ARRAY_SIZE(steps));
	/* A simultaneous open that is refused or unanswered ends. */
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_SYN_RECV, TTP_EV_RCV_RST),
			TTP_CLOSED);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_SYN_RECV, TTP_EV_TIMEOUT),
			TTP_CLOSED);
	/* A second SYN is no transition: SYN_RECV takes none. */
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_SYN_RECV, TTP_EV_RCV_SYN), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_SYN_RECV, TTP_EV_RCV_SYNACK),
			0);
}

static void simultaneous_close_goes_through_closing(struct kunit *test)
{
	static const u8 steps[][2] = {
		{ TTP_EV_CLOSE,     TTP_FIN_WAIT1 },
		{ TTP_EV_RCV_FIN,   TTP_CLOSING },
		{ TTP_EV_FIN_ACKED, TTP_TIME_WAIT },
		{ TTP_EV_TIMEOUT,   TTP_CLOSED },
	};

	walk(test, TTP_ESTABLISHED, steps, ARRAY_SIZE(steps));
}

static void abort_closes_from_every_state(struct kunit *test)
{
	int s;

	for (s = 1; s < TTP_MAX_STATES; s++)
		KUNIT_EXPECT_EQ_MSG(test, ttp_next_state(s, TTP_EV_ABORT),
				    TTP_CLOSED, "%s", ttp_state_name(s));
}

static void reset_closes_every_state_that_has_a_peer(struct kunit *test)
{
	int s;

	for (s = 1; s < TTP_MAX_STATES; s++) {
		int want = s == TTP_CLOSED || s == TTP_LISTEN ? 0 : TTP_CLOSED;

		KUNIT_EXPECT_EQ_MSG(test, ttp_next_state(s, TTP_EV_RCV_RST),
				    want, "%s", ttp_state_name(s));
	}
}

static void application_calls_are_refused_where_they_make_no_sense(struct kunit *test)
{
	int s;

	/* connect() and listen() only from CLOSED. */
	for (s = 1; s < TTP_MAX_STATES; s++) {
		if (s == TTP_CLOSED)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, ttp_next_state(s, TTP_EV_CONNECT), 0,
				    "%s", ttp_state_name(s));
		KUNIT_EXPECT_EQ_MSG(test, ttp_next_state(s, TTP_EV_LISTEN), 0,
				    "%s", ttp_state_name(s));
	}
	/* Closing twice sends no second FIN. */
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_FIN_WAIT1, TTP_EV_CLOSE), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_LAST_ACK, TTP_EV_CLOSE), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_TIME_WAIT, TTP_EV_CLOSE), 0);
}

static void peer_is_named_while_synchronized_and_always_to_accept(struct kunit *test)
{
	int s;

	for (s = 1; s < TTP_MAX_STATES; s++) {
		bool named = s != TTP_CLOSED && s != TTP_LISTEN &&
			     s != TTP_SYN_SENT;

		KUNIT_EXPECT_EQ_MSG(test, ttp_state_names_peer(s, false), named,
				    "%s", ttp_state_name(s));
		/* Even a connection a RST closed before accept() named it. */
		KUNIT_EXPECT_TRUE_MSG(test, ttp_state_names_peer(s, true),
				      "%s", ttp_state_name(s));
	}
	KUNIT_EXPECT_TRUE(test, ttp_state_names_peer(TTP_SYN_RECV, false));
	KUNIT_EXPECT_FALSE(test, ttp_state_names_peer(0, true));
	KUNIT_EXPECT_FALSE(test, ttp_state_names_peer(TTP_MAX_STATES, true));
}

static void out_of_range_states_and_events_are_refused(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_next_state(0, TTP_EV_CONNECT), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(-1, TTP_EV_ABORT), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_MAX_STATES, TTP_EV_ABORT), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(255, TTP_EV_ABORT), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_CLOSED, TTP_EV_MAX), 0);
	KUNIT_EXPECT_EQ(test, ttp_next_state(TTP_CLOSED, (enum ttp_event)1000),
			0);
}

/* No state is a trap or unreachable: each reached from CLOSED and back. */
static void every_state_is_reachable_and_can_reach_closed(struct kunit *test)
{
	bool from_closed[TTP_MAX_STATES] = {}, to_closed[TTP_MAX_STATES] = {};
	bool changed = true;
	int s, ev, n;

	from_closed[TTP_CLOSED] = true;
	to_closed[TTP_CLOSED] = true;
	while (changed) {
		changed = false;
		for (s = 1; s < TTP_MAX_STATES; s++) {
			for (ev = 0; ev < TTP_EV_MAX; ev++) {
				n = ttp_next_state(s, ev);
				if (!n)
					continue;
				if (from_closed[s] && !from_closed[n]) {
					from_closed[n] = true;
					changed = true;
				}
				if (to_closed[n] && !to_closed[s]) {
					to_closed[s] = true;
					changed = true;
				}
			}
		}
	}
	for (s = 1; s < TTP_MAX_STATES; s++) {
		KUNIT_EXPECT_TRUE_MSG(test, from_closed[s], "%s unreachable",
				      ttp_state_name(s));
		KUNIT_EXPECT_TRUE_MSG(test, to_closed[s], "%s never closes",
				      ttp_state_name(s));
	}
}

static void names_are_distinct_and_unknown_outside_the_range(struct kunit *test)
{
	int s, t;

	for (s = 1; s < TTP_MAX_STATES; s++) {
		KUNIT_EXPECT_STRNEQ(test, ttp_state_name(s), "UNKNOWN");
		for (t = 1; t < s; t++)
			KUNIT_EXPECT_STRNEQ(test, ttp_state_name(s),
					    ttp_state_name(t));
	}
	KUNIT_EXPECT_STREQ(test, ttp_state_name(TTP_ESTABLISHED), "ESTABLISHED");
	KUNIT_EXPECT_STREQ(test, ttp_state_name(TTP_CLOSING), "CLOSING");
	KUNIT_EXPECT_STREQ(test, ttp_state_name(0), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, ttp_state_name(TTP_MAX_STATES), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, ttp_state_name(-3), "UNKNOWN");
	for (s = 0; s < TTP_EV_MAX; s++) {
		KUNIT_EXPECT_NOT_NULL(test, ttp_event_name(s));
		KUNIT_EXPECT_STRNEQ(test, ttp_event_name(s), "UNKNOWN");
	}
	KUNIT_EXPECT_STREQ(test, ttp_event_name(TTP_EV_RCV_SYNACK), "RCV_SYNACK");
	KUNIT_EXPECT_STREQ(test, ttp_event_name(TTP_EV_MAX), "UNKNOWN");
}

static struct kunit_case ttp_state_cases[] = {
	KUNIT_CASE(every_pair_does_what_the_specification_says),
	KUNIT_CASE(active_open_and_close_ends_in_time_wait_then_closed),
	KUNIT_CASE(passive_open_and_close_goes_through_close_wait),
	KUNIT_CASE(simultaneous_open_goes_through_syn_recv),
	KUNIT_CASE(simultaneous_close_goes_through_closing),
	KUNIT_CASE(abort_closes_from_every_state),
	KUNIT_CASE(reset_closes_every_state_that_has_a_peer),
	KUNIT_CASE(application_calls_are_refused_where_they_make_no_sense),
	KUNIT_CASE(peer_is_named_while_synchronized_and_always_to_accept),
	KUNIT_CASE(out_of_range_states_and_events_are_refused),
	KUNIT_CASE(every_state_is_reachable_and_can_reach_closed),
	KUNIT_CASE(names_are_distinct_and_unknown_outside_the_range),
	{}
};

static struct kunit_suite ttp_state_suite = {
	.name = "ttp_state",
	.test_cases = ttp_state_cases,
};

kunit_test_suite(ttp_state_suite);
