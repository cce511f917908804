/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading /proc/net/ttp, for ttpstat and its tests.
 *
 * The file has a header line naming the columns, then a socket a line.
 * Its first ten columns are /proc/net/tcp's (two of them, "tx_queue
 * rx_queue" and "tr tm->when", are one field each in the lines, joined by
 * a colon); TTP's own follow.  The parser goes by the header, so that it
 * reads the older, shorter layout (without the timer columns and TTP's
 * extras) and ignores columns added later.  Documentation/tools.rst
 * lists what it relies on.
 */
#ifndef TTP_PROCNET_H
#define TTP_PROCNET_H

#include <linux/types.h>

enum ttp_proc_col {
	COL_UNKNOWN, COL_SL, COL_LOCAL, COL_REMOTE, COL_ST, COL_TXRX,
	COL_TRWHEN, COL_RETRNSMT, COL_UID, COL_TIMEOUT, COL_INODE, COL_RTO,
	COL_SRTT, COL_RTTVAR, COL_CWND, COL_SSTHRESH, COL_SND_WND,
	COL_RCV_WND, COL_MSS, COL_RETRANS, COL_CA, COL_MAX
};

#define TTP_PROC_MAXCOLS	64

struct ttp_proc_layout {
	int ncols;
	enum ttp_proc_col col[TTP_PROC_MAXCOLS];
};

/* One socket.  has[COL_x] says whether the line had column x. */
struct ttp_proc_sock {
	unsigned char has[COL_MAX];
	unsigned int sl;
	__u32 laddr, raddr;		/* IPv4, host order */
	unsigned int lport, rport;
	int state;
	unsigned int tx_queue, rx_queue;
	int timer;			/* 0 none, 1 rtx, 3 TIME_WAIT/FIN_WAIT2, 4 probe */
	unsigned long when;		/* clock ticks (USER_HZ) until it fires */
	unsigned int retrnsmt;
	unsigned int uid;
	unsigned long inode;
	unsigned int rto, srtt, rttvar;	/* microseconds */
	unsigned int cwnd, ssthresh, snd_wnd, rcv_wnd, mss;
	unsigned int retrans, ca;
};

/* 0, or -1 (EINVAL) if the line is not a header with sl, addresses, st. */
int ttp_proc_parse_header(const char *line, struct ttp_proc_layout *layout);

/* 0, or -1 (EINVAL) if a column the layout names cannot be read. */
int ttp_proc_parse_line(const struct ttp_proc_layout *layout, const char *line,
			struct ttp_proc_sock *s);

#endif /* TTP_PROCNET_H */
