// SPDX-License-Identifier: GPL-2.0-only
/*
 * TTP checksums.  Both algorithms cover a pseudo-header (source and
 * destination address, protocol number, TTP length), the TTP header with
 * its checksum field zero, and the payload, so that a segment delivered to
 * the wrong host or port, or truncated, is rejected too.
 *
 * TTP_CSUM_INET: the Internet checksum (RFC 1071) in the first two bytes
 *	of the checksum field; the last two are zero.  Summing the segment
 *	with the pseudo-header gives 0xffff when it is intact.
 * TTP_CSUM_CRC32C: CRC32C over the pseudo-header then the segment, stored
 *	big-endian in the whole field, and flagged with TTPF_CRC.
 *
 * Every segment is checked in full: TTP is unknown to network cards, so no
 * hardware verified anything for us.
 */
#include <linux/crc32c.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <kunit/visibility.h>

#include "ttp.h"

struct ttp_pseudo4 {
	__be32	saddr;
	__be32	daddr;
	u8	zero;
	u8	proto;
	__be16	len;
};

/*
 * CRC32C of a linear segment, its checksum field taken as zero (the field is
 * skipped rather than cleared: a received skb may be shared with a packet
 * socket and must not be written).
 */
static u32 ttp_crc32c(const u8 *seg, unsigned int len, __be32 saddr,
		      __be32 daddr)
{
	static const u8 zero[4];
	struct ttp_pseudo4 ph = {
		.saddr = saddr,
		.daddr = daddr,
		.proto = ttp_ipproto,
		.len = htons(len),
	};
	unsigned int off = offsetof(struct ttphdr, check);
	u32 crc = crc32c(~0U, &ph, sizeof(ph));

	crc = crc32c(crc, seg, off);
	crc = crc32c(crc, zero, sizeof(zero));
	crc = crc32c(crc, seg + off + 4, len - off - 4);
	return ~crc;
}

/**
 * ttp_csum_fill() - compute and store the checksum of an outgoing segment
 * @skb: the segment, skb->data at the TTP header, @len bytes long
 * @th: its header, with every other field final
 * @len: the TTP length: header, options and payload
 * @saddr: the source address, for the pseudo-header
 * @daddr: the destination address, for the pseudo-header
 * @algo: TTP_CSUM_INET, or TTP_CSUM_CRC32C, which also sets TTPF_CRC
 */
void ttp_csum_fill(struct sk_buff *skb, struct ttphdr *th, unsigned int len,
		   __be32 saddr, __be32 daddr, u8 algo)
{
	th->check = 0;
	if (algo == TTP_CSUM_CRC32C) {
		th->flags |= TTPF_CRC;
		/* Outgoing segments are built linear (output.c). */
		th->check = cpu_to_be32(ttp_crc32c(skb->data, len, saddr,
						   daddr));
	} else {
		__wsum sum = skb_checksum(skb, 0, len, 0);
		__sum16 c = csum_tcpudp_magic(saddr, daddr, len, ttp_ipproto,
					      sum);

		/* 0 and 0xffff are the same in ones' complement. */
		put_unaligned(c, (__sum16 *)&th->check);
	}
	skb->ip_summed = CHECKSUM_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_csum_fill);

/**
 * ttp_csum_ok() - verify the checksum of an incoming segment
 * @skb: the segment: skb->data at the TTP header, skb->len the TTP length
 * @saddr: its source address
 * @daddr: its destination address
 *
 * With the algorithm its TTPF_CRC flag names (the socket later checks that
 * it is the negotiated one).  A CRC32C segment is linearized first, which
 * may move skb->data.
 *
 * Return: true if the segment is intact; false if not, or if it could not
 * be linearized.
 */
bool ttp_csum_ok(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct ttphdr *th = (struct ttphdr *)skb->data;
	unsigned int len = skb->len;

	if (th->flags & TTPF_CRC) {
		if (skb_linearize(skb))
			return false;
		th = (struct ttphdr *)skb->data;
		return ttp_crc32c(skb->data, len, saddr, daddr) ==
		       be32_to_cpu(th->check);
	}
	/* The second half of the field belongs to CRC32C: zero here. */
	if (((__be16 *)&th->check)[1])
		return false;
	return !csum_tcpudp_magic(saddr, daddr, len, ttp_ipproto,
				  skb_checksum(skb, 0, len, 0));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_csum_ok);
