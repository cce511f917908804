/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct tcp_info from struct ttp_info, for programs that ask a TTP socket
 * (under the preload shim) for getsockopt(IPPROTO_TCP, TCP_INFO).
 */
#ifndef TTP_TCPINFO_H
#define TTP_TCPINFO_H

#include <stddef.h>
#include <linux/ttp.h>

/*
 * Write Linux's struct tcp_info (<linux/tcp.h>) made from *ti into buf,
 * at most len bytes; return how many were written.  Windows and queues
 * in segments are TTP's bytes divided by the MSS; states and congestion
 * states are renumbered as TCP's.
 */
size_t ttp_tcp_info(const struct ttp_info *ti, void *buf, size_t len);

/* TCP_CA_* of a TTP_CA_* congestion state. */
int ttp_tcp_ca_state(int ttp_ca_state);

#endif /* TTP_TCPINFO_H */
