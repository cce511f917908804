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
#define TTP_AUTH_KEY		5	/* set: struct ttp_auth_key, add a
					 * master key
					 */
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
#define TTP_CONGESTION		14	/* char[TTP_CA_NAME_MAX]: the
					 * congestion controller ("newreno",
					 * "cubic", ...)
					 */

#define TTP_REUSEPORT		15	/* int: SO_REUSEPORT, for kernels
					 * whose socket layer refuses that
					 * to TTP (6.1)
					 */
#define TTP_AUTH_DEL_KEY	16	/* set: struct ttp_auth_del */
#define TTP_AUTH_SELECT		17	/* set, get: struct ttp_auth_select */
#define TTP_AUTH_GET_KEYS	18	/* get: struct ttp_auth_keys */

/* The longest name of a congestion controller, its NUL included. */
#define TTP_CA_NAME_MAX		16

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

	/* Congestion control (TTP_CONGESTION; Documentation/protocol.rst). */
	char	ttpi_ca_name[TTP_CA_NAME_MAX];	/* the controller, NUL ended */
	__u32	ttpi_ca_wmax;		/* CUBIC's W_max: the window before
					 * the last loss, bytes; 0: none
					 */
	__u32	ttpi_ca_k;		/* CUBIC's K: ms from the last loss
					 * until the window is back at W_max
					 */
};

/* Congestion states of a sender (ttpi_ca_state). */
enum {
	TTP_CA_OPEN = 0,	/* no loss suspected */
	TTP_CA_DISORDER,	/* duplicate ACKs or SACKs: reordering or loss */
	TTP_CA_RECOVERY,	/* fast retransmit and fast recovery */
	TTP_CA_LOSS,		/* after a retransmission timeout */
};

/*
 * Segment authentication (Documentation/protocol.rst, "Segment
 * authentication").  A socket holds master keys, each for the peers of an
 * address prefix, optionally on one port.  A connection with a peer that a
 * key matches signs every segment with it and drops every segment not
 * signed with it, from the first SYN on.
 */
/* ttpak_alg: HMAC-SHA256, its MAC truncated to ttpak_maclen bytes. */
#define TTP_AUTH_ALG_HMAC_SHA256	1

/* Bytes of a master key at most, and of the MAC each segment carries. */
#define TTP_AUTH_KEY_MAXLEN		80
#define TTP_AUTH_MACLEN_MIN		4
#define TTP_AUTH_MACLEN_MAX		12
#define TTP_AUTH_MACLEN_DEFAULT		12

/* ttpak_flags, and ttpak_flags of struct ttp_auth_key_info */
#define TTP_AUTH_F_CURRENT	0x01	/* send with this key from now on */
#define TTP_AUTH_F_RNEXT	0x02	/* ask the peer to send with it */
#define TTP_AUTH_F_IN_USE	0x04	/* (info only) a connection uses it */

/* setsockopt(TTP_AUTH_KEY): a master key. */
struct ttp_auth_key {
	struct sockaddr_ttp ttpak_peer;	/* sttp_ipfamily and address of the
					 * peers it is for; sttp_port: their
					 * port, or 0 for any
					 */
	__u8	ttpak_prefix;		/* leading bits of the address that
					 * must match: 32 (IPv4) or 128 (IPv6)
					 * for one host, 0 for any
					 */
	__u8	ttpak_sndid;		/* key id this end signs with */
	__u8	ttpak_rcvid;		/* key id the peer signs with */
	__u8	ttpak_alg;		/* TTP_AUTH_ALG_* */
	__u8	ttpak_maclen;		/* MAC bytes, TTP_AUTH_MACLEN_MIN..MAX;
					 * 0 for TTP_AUTH_MACLEN_DEFAULT
					 */
	__u8	ttpak_flags;		/* TTP_AUTH_F_CURRENT, TTP_AUTH_F_RNEXT */
	__u8	ttpak_keylen;		/* bytes of ttpak_key, 1..80 */
	__u8	ttpak_reserved;		/* must be 0 */
	__u8	ttpak_key[TTP_AUTH_KEY_MAXLEN];
};

/* setsockopt(TTP_AUTH_DEL_KEY): the key of these peer, prefix and ids. */
struct ttp_auth_del {
	struct sockaddr_ttp ttpad_peer;
	__u8	ttpad_prefix;
	__u8	ttpad_sndid;
	__u8	ttpad_rcvid;
	__u8	ttpad_reserved[5];	/* must be 0 */
};

/*
 * TTP_AUTH_SELECT on a connection: set, the key to sign with from now on
 * (TTP_AUTH_F_CURRENT: ttpas_sndid) and the one to ask the peer for
 * (TTP_AUTH_F_RNEXT: ttpas_rcvid); get, those in use and the one the peer
 * asks for.
 */
struct ttp_auth_select {
	__u8	ttpas_flags;		/* set: what to change */
	__u8	ttpas_sndid;		/* current: the key id we sign with */
	__u8	ttpas_rcvid;		/* the key id we ask the peer for */
	__u8	ttpas_peer_rnext;	/* get: the key id the peer asks for */
	__u32	ttpas_reserved;		/* must be 0 */
};

/* One key as TTP_AUTH_GET_KEYS lists it (the secret is not returned). */
struct ttp_auth_key_info {
	struct sockaddr_ttp ttpaki_peer;
	__u8	ttpaki_prefix;
	__u8	ttpaki_sndid;
	__u8	ttpaki_rcvid;
	__u8	ttpaki_alg;
	__u8	ttpaki_maclen;
	__u8	ttpaki_flags;		/* TTP_AUTH_F_* */
	__u8	ttpaki_pad[2];
	__u64	ttpaki_good;		/* segments it verified */
	__u64	ttpaki_bad;		/* segments with its id and a bad MAC */
};

/*
 * getsockopt(TTP_AUTH_GET_KEYS): ttpaks_count says how many entries follow
 * in the buffer; the kernel fills as many as fit and sets ttpaks_count to
 * the number of keys the socket holds.
 */
struct ttp_auth_keys {
	__u32	ttpaks_count;
	__u32	ttpaks_reserved;	/* must be 0 */
	struct ttp_auth_key_info ttpaks_keys[];
};

#define TTPI_OPT_WSCALE		0x0001
#define TTPI_OPT_SACK		0x0002
#define TTPI_OPT_CRC32C		0x0004
#define TTPI_OPT_AUTH		0x0008
#define TTPI_OPT_SYNCOOKIE	0x0010	/* made from a SYN cookie */
#define TTPI_OPT_TIMESTAMPS	0x0020	/* timestamp option (RFC 7323) */

#endif /* _UAPI_LINUX_TTP_H */
