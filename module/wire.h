/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TTP wire format: the header, its flags and options, and the pure
 * functions that read and write them.  Nothing here touches a socket, so
 * it can be tested on plain buffers.  Documentation/protocol.rst is the
 * specification; the names here are the names there.
 */
#ifndef _TTP_WIRE_H
#define _TTP_WIRE_H

#include <linux/types.h>

#define TTP_VERSION		1

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                     Acknowledgment Number                     |
 * +-------+-------+---------------+-------------------------------+
 * |Version| Doff  |     Flags     |            Window             |
 * +-------+-------+---------------+-------------------------------+
 * |                           Checksum                            |
 * +---------------------------------------------------------------+
 * |                 Options (Doff * 4 - 20 bytes)                 |
 */
struct ttphdr {
	__be16	source;
	__be16	dest;
	__be32	seq;
	__be32	ack_seq;
	__u8	ver_doff;	/* version << 4 | header length in words */
	__u8	flags;
	__be16	window;
	__be32	check;
};

#define TTP_HDR_LEN		20
#define TTP_MAX_HDR_LEN		60
#define TTP_MAX_OPT_LEN		(TTP_MAX_HDR_LEN - TTP_HDR_LEN)

/* Flags */
#define TTPF_FIN	0x01	/* no more data from the sender */
#define TTPF_SYN	0x02	/* synchronise sequence numbers */
#define TTPF_RST	0x04	/* reset the connection */
#define TTPF_PSH	0x08	/* deliver without waiting for more */
#define TTPF_ACK	0x10	/* the acknowledgment number is valid */
#define TTPF_CRC	0x20	/* the checksum is CRC32C, not Internet */
#define TTPF_RESERVED	0xc0	/* sent as 0, ignored on receipt */

/* The IPv4 pseudo-header both checksums and the MAC cover. */
struct ttp_pseudo4 {
	__be32	saddr;
	__be32	daddr;
	u8	zero;
	u8	proto;
	__be16	len;		/* header, options and payload */
};

/* Options: kind, length (of the whole option), value. */
enum {
	TTPOPT_END	= 0,	/* end of options, rest is padding */
	TTPOPT_NOP	= 1,	/* one byte of padding */
	TTPOPT_MSS	= 2,	/* len 4: u16 largest segment we accept */
	TTPOPT_WSCALE	= 3,	/* len 3: u8 shift of our windows */
	TTPOPT_CSUM	= 4,	/* len 3: u8 algorithms (SYN) or choice */
	TTPOPT_SACK_OK	= 5,	/* len 2: selective acks understood */
	TTPOPT_SACK	= 6,	/* len 2 + 8n: received blocks */
	TTPOPT_AUTH	= 7,	/* len 4 + MAC: key id, next key id, MAC */
	TTPOPT_TIMESTAMP = 8,	/* len 10: u32 TSval, u32 TSecr */
};

#define TTPOLEN_MSS		4
#define TTPOLEN_WSCALE		3
#define TTPOLEN_CSUM		3
#define TTPOLEN_SACK_OK		2
#define TTPOLEN_SACK_BLOCK	8	/* per block: start, end */
#define TTPOLEN_TIMESTAMP	10
#define TTPOLEN_AUTH_HDR	4	/* kind, length, key id, next key id */
/* Space the timestamp option takes after the SYN: two NOPs, the option. */
#define TTP_TS_SPACE		(2 + TTPOLEN_TIMESTAMP)
#define TTP_MAX_SACKS		4	/* blocks that fit the options */
/* ... and beside the timestamp option: (40 - 12 - 4) / 8. */
#define TTP_MAX_SACKS_TS	3
/* Space a SACK option of @n blocks takes: two NOPs, kind, length, blocks. */
#define TTP_SACK_SPACE(n)	(4 + (n) * TTPOLEN_SACK_BLOCK)

#define TTP_MAX_WSCALE		14
#define TTP_MIN_MSS		64

/* Bits of the TTPOPT_CSUM value: 1 << TTP_CSUM_* */
#define TTP_CSUM_MASK_ALL	((1 << TTP_CSUM_INET) | (1 << TTP_CSUM_CRC32C))

/*
 * What the options of one segment said.  has_* tell which were present.
 * SACK blocks stay in the header: num_sacks of them, from byte sack_off of
 * the options (read them with ttp_read_sack()).
 */
struct ttp_opts {
	u32	tsval;		/* TTPOPT_TIMESTAMP: the sender's clock */
	u32	tsecr;		/* and the TSval it echoes */
	u16	mss;
	u8	wscale;
	u8	csum_mask;	/* TTPOPT_CSUM value */
	u8	num_sacks;
	u8	sack_off;
	u8	auth_off;	/* TTPOPT_AUTH: where, from the options */
	u8	auth_len;	/* and its length */
	u8	has_mss:1,
		has_wscale:1,
		has_csum:1,
		sack_ok:1,
		has_ts:1,
		has_auth:1;
};

/* A block of a SACK option: the peer holds [start, end). */
struct ttp_sack_block {
	u32	start;
	u32	end;
};

static inline unsigned int ttp_hdr_version(const struct ttphdr *th)
{
	return th->ver_doff >> 4;
}

static inline unsigned int ttp_hdr_len(const struct ttphdr *th)
{
	return (th->ver_doff & 0x0f) * 4;
}

int ttp_parse_options(const u8 *opt, unsigned int len, struct ttp_opts *out);
unsigned int ttp_options_len(const struct ttp_opts *o);
void ttp_write_options(u8 *opt, const struct ttp_opts *o, unsigned int len);
void ttp_read_sack(const u8 *opt, const struct ttp_opts *o, unsigned int i,
		   struct ttp_sack_block *b);
void ttp_write_sack(u8 *opt, const struct ttp_sack_block *b, unsigned int n);
void ttp_write_ts(u8 *opt, u32 tsval, u32 tsecr);

/* Sequence arithmetic, modulo 2^32 (RFC 1982). */
static inline bool ttp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

#define ttp_seq_after(a, b)	ttp_seq_before(b, a)

/* a <= b <= c, modulo 2^32 */
static inline bool ttp_seq_between(u32 a, u32 b, u32 c)
{
	return c - a >= b - a;
}

#endif /* _TTP_WIRE_H */
