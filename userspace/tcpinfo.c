// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * struct tcp_info from struct ttp_info (tcpinfo.h).  This file includes
 * <linux/tcp.h>, whose struct tcp_info is the kernel's, larger than
 * glibc's <netinet/tcp.h> one; the two headers cannot be mixed.
 */
#include <string.h>
#include <linux/tcp.h>

#include "tcpinfo.h"

/* TCP_CA_CWR (2) has no TTP counterpart: TTP has no ECN. */
int ttp_tcp_ca_state(int ttp_ca_state)
{
	switch (ttp_ca_state) {
	case TTP_CA_DISORDER:
		return TCP_CA_Disorder;
	case TTP_CA_RECOVERY:
		return TCP_CA_Recovery;
	case TTP_CA_LOSS:
		return TCP_CA_Loss;
	default:
		return TCP_CA_Open;
	}
}

static __u32 segs(__u32 bytes, __u32 mss)
{
	return mss ? (bytes + mss - 1) / mss : 0;
}

size_t ttp_tcp_info(const struct ttp_info *ti, void *buf, size_t len)
{
	struct tcp_info t;
	__u32 mss = ti->ttpi_snd_mss ?: ti->ttpi_mss;

	memset(&t, 0, sizeof(t));
	/* TTP numbers its states as TCP does (<linux/ttp.h>). */
	t.tcpi_state = ti->ttpi_state;
	t.tcpi_ca_state = ttp_tcp_ca_state(ti->ttpi_ca_state);
	t.tcpi_retransmits = ti->ttpi_backoff;
	t.tcpi_backoff = ti->ttpi_backoff;
	if (ti->ttpi_options & TTPI_OPT_SACK)
		t.tcpi_options |= TCPI_OPT_SACK;
	if (ti->ttpi_options & TTPI_OPT_TIMESTAMPS)
		t.tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (ti->ttpi_options & TTPI_OPT_WSCALE) {
		t.tcpi_options |= TCPI_OPT_WSCALE;
		t.tcpi_snd_wscale = ti->ttpi_snd_wscale;
		t.tcpi_rcv_wscale = ti->ttpi_rcv_wscale;
	}
	t.tcpi_rto = ti->ttpi_rto;
	t.tcpi_snd_mss = mss;
	t.tcpi_rcv_mss = mss;
	t.tcpi_advmss = mss;
	t.tcpi_unacked = segs(ti->ttpi_unacked, mss);
	t.tcpi_sacked = segs(ti->ttpi_sacked, mss);
	t.tcpi_lost = segs(ti->ttpi_lost, mss);
	t.tcpi_retrans = segs(ti->ttpi_retrans, mss);
	t.tcpi_rtt = ti->ttpi_rtt;
	t.tcpi_rttvar = ti->ttpi_rttvar;
	/* TCP_INFINITE_SSTHRESH is 0x7fffffff segments. */
	t.tcpi_snd_ssthresh = ti->ttpi_snd_ssthresh == 0xffffffffU ?
			      0x7fffffff : segs(ti->ttpi_snd_ssthresh, mss);
	t.tcpi_snd_cwnd = segs(ti->ttpi_snd_cwnd, mss);
	t.tcpi_reordering = 3;
	t.tcpi_rcv_space = ti->ttpi_rcv_wnd;
	t.tcpi_total_retrans = ti->ttpi_total_retrans;
	t.tcpi_bytes_acked = ti->ttpi_bytes_acked;
	t.tcpi_bytes_received = ti->ttpi_bytes_received;
	t.tcpi_rcv_ooopack = ti->ttpi_rcv_ofo;
	t.tcpi_snd_wnd = ti->ttpi_snd_wnd;
	if (len > sizeof(t))
		len = sizeof(t);
	memcpy(buf, &t, len);
	return len;
}
