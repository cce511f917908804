/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * TTP, the Toy Transport Protocol: the contract between the ttp.ko kernel
 * module and the programs that use it.
 *
 * Documentation/ttp-uapi.rst explains every definition in this file.
 */
#ifndef _UAPI_LINUX_TTP_H
#define _UAPI_LINUX_TTP_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * The socket address family.  Linux has no spare family numbers above
 * AF_MAX, so TTP borrows one that no kernel implements (13, once
 * AF_NETBEUI).  The module takes another with "insmod ttp.ko family=N";
 * libttp reads the one in use from /sys/module/ttp/parameters/family.
 */
#define AF_TTP		13
#define PF_TTP		AF_TTP

/* IP protocol number: 253 is reserved for experimentation (RFC 3692). */
#define IPPROTO_TTP	253

/* Option level for setsockopt()/getsockopt(), chosen like SOL_TCP. */
#define SOL_TTP		253

/*
 * A TTP endpoint: an IP address and a port.
 *
 * One layout serves IPv4 and IPv6, so that IPv6 does not change the ABI:
 * sttp_ipfamily says which address sttp_addr holds.  Every reserved field
 * must be zero; the kernel rejects an address whose reserved fields are not,
 * which keeps them free for later use.
 */
struct sockaddr_ttp {
	__kernel_sa_family_t	sttp_family;	/* AF_TTP */
	__be16			sttp_port;	/* network byte order */
	__u16			sttp_ipfamily;	/* AF_INET (2) or AF_INET6 (10) */
	__u16			sttp_reserved1;	/* must be 0 */
	union {
		__be32		v4;		/* IPv4 address */
		__u8		v6[16];		/* IPv6 address */
	} sttp_addr;
	__u32			sttp_scope_id;	/* IPv6 link-local scope, or 0 */
	__u32			sttp_reserved2;	/* must be 0 */
};

/* Connection states, numbered as TCP's so that tools can share tables. */
enum {
	TTP_ESTABLISHED = 1,
	TTP_SYN_SENT,
	TTP_SYN_RECV,
	TTP_FIN_WAIT1,
	TTP_FIN_WAIT2,
	TTP_TIME_WAIT,
	TTP_CLOSED,
	TTP_CLOSE_WAIT,
	TTP_LAST_ACK,
	TTP_LISTEN,
	TTP_CLOSING,
	TTP_MAX_STATES
};

/*
 * Socket options at level SOL_TTP.  Numbers 1..63 are reserved for TTP;
 * those not yet implemented fail with ENOPROTOOPT.
 */
#define TTP_INFO		1	/* get: struct ttp_info */
#define TTP_NODELAY		2	/* int: Nagle's algorithm off: send
					 * small segments at once
					 */
#define TTP_MAXSEG		3	/* int: cap on the MSS offered */
#define TTP_CSUM_ALGO		4	/* int: TTP_CSUM_INET offers only the
					 * Internet checksum, TTP_CSUM_CRC32C
					 * both (the default)
					 */
#define TTP_AUTH_KEY		5	/* struct ttp_auth_key (reserved) */
#define TTP_USER_TIMEOUT	6	/* unsigned int, ms before ETIMEDOUT */
#define TTP_SYNCNT		7	/* int: SYN retransmissions */
#define TTP_WINDOW_CLAMP	8	/* int: cap on the advertised window,
					 * bytes (0: none)
					 */
#define TTP_KEEPIDLE		9	/* int: seconds idle before keepalive
					 * probes (SO_KEEPALIVE), 1..32767
					 */
#define TTP_KEEPINTVL		10	/* int: seconds between probes */
#define TTP_KEEPCNT		11	/* int: probes unanswered before
					 * ETIMEDOUT, 1..127
					 */
#define TTP_NOTSENT_LOWAT	12	/* int: writable while fewer bytes
					 * than this wait unsent (0: the
					 * sysctl's)
					 */
#define TTP_CORK		13	/* int: hold partial segments until
					 * uncorked (at most 200 ms)
					 */

/* Checksum algorithms, as negotiated in the handshake. */
enum {
	TTP_CSUM_INET = 0,	/* RFC 1071 Internet checksum, pseudo-header */
	TTP_CSUM_CRC32C = 1,	/* CRC32C (Castagnoli), pseudo-header */
};

/*
 * getsockopt(SOL_TTP, TTP_INFO): what a connection negotiated and how it
 * is doing.  Like struct tcp_info it only grows at its end: the kernel
 * copies min(optlen, sizeof(struct ttp_info)) bytes and returns that length,
 * so old programs keep working and new ones see how much was filled.
 */
struct ttp_info {
	__u8	ttpi_state;		/* TTP_ESTABLISHED, ... */
	__u8	ttpi_csum_algo;		/* TTP_CSUM_* in use */
	__u8	ttpi_snd_wscale;	/* shift of the windows the peer sends */
	__u8	ttpi_rcv_wscale;	/* shift of the windows we send */
	__u16	ttpi_mss;		/* negotiated maximum segment size */
	__u16	ttpi_options;		/* TTPI_OPT_* negotiated */

	/* Sender: round trip, timer and congestion (Documentation/protocol.rst). */
	__u32	ttpi_rto;		/* retransmission timeout, us */
	__u32	ttpi_rtt;		/* smoothed round-trip time (SRTT), us */
	__u32	ttpi_rttvar;		/* its mean deviation (RTTVAR), us */
	__u32	ttpi_snd_cwnd;		/* congestion window, bytes */
	__u32	ttpi_snd_ssthresh;	/* slow start threshold, bytes;
					 * 0xffffffff until the first loss
					 */
	__u32	ttpi_snd_wnd;		/* window the peer advertised, bytes */
	__u32	ttpi_rcv_wnd;		/* window we last advertised, bytes */
	__u32	ttpi_unacked;		/* bytes sent, not yet acknowledged */
	__u32	ttpi_sacked;		/* of those: selectively acknowledged */
	__u32	ttpi_lost;		/* of those: taken for lost */
	__u32	ttpi_retrans;		/* of those: sent again, unacknowledged */
	__u32	ttpi_total_retrans;	/* segments sent again, in all */
	__u32	ttpi_backoff;		/* timer expiries since the last progress */
	__u8	ttpi_ca_state;		/* TTP_CA_* */
	__u8	ttpi_pad[3];
	__u64	ttpi_bytes_acked;	/* payload the peer acknowledged */
	__u64	ttpi_bytes_received;	/* payload received in order */
	__u32	ttpi_rcv_ofo;		/* segments received out of order */
	__u32	ttpi_snd_mss;		/* payload of a full segment: ttpi_mss
					 * less the options every segment
					 * carries (timestamps: 12 bytes)
					 */

	/* Timestamps (TTPI_OPT_TIMESTAMPS; Documentation/protocol.rst). */
	__u32	ttpi_ts_recent;		/* the peer's TSval we echo */
	__u32	ttpi_ts_rtt_samples;	/* RTT samples taken from an echo */
	__u32	ttpi_paws_drops;	/* segments PAWS refused */
};

/* Congestion states of a sender (ttpi_ca_state). */
enum {
	TTP_CA_OPEN = 0,	/* no loss suspected */
	TTP_CA_DISORDER,	/* duplicate ACKs or SACKs: reordering or loss */
	TTP_CA_RECOVERY,	/* fast retransmit and fast recovery */
	TTP_CA_LOSS,		/* after a retransmission timeout */
};

#define TTPI_OPT_WSCALE		0x0001
#define TTPI_OPT_SACK		0x0002
#define TTPI_OPT_CRC32C		0x0004
#define TTPI_OPT_AUTH		0x0008
#define TTPI_OPT_SYNCOOKIE	0x0010	/* made from a SYN cookie */
#define TTPI_OPT_TIMESTAMPS	0x0020	/* timestamp option (RFC 7323) */

#endif /* _UAPI_LINUX_TTP_H */
