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
 * Who computes them (Documentation/protocol.rst, "Checksum offload"):
 * - A segment alone is checksummed here, in software; but the Internet
 *   checksum is left to the device (CHECKSUM_PARTIAL) when it can complete
 *   any checksum (NETIF_F_HW_CSUM), as loopback and veth can.
 * - A large segment (offload.c) carries CHECKSUM_PARTIAL whatever the
 *   algorithm: a device that takes it whole (loopback, veth) delivers it
 *   inside this machine without a checksum, as TCP's are; one that cannot
 *   has it cut into segments by ttp_gso_segment(), which checksums each in
 *   software with ttp_csum_fill_at().  No device is ever asked to compute
 *   CRC32C, nor a checksum at an offset it might take for TCP's.
 * - On receipt, a segment that never left this machine with its checksum
 *   unfinished (CHECKSUM_PARTIAL: loopback, veth) is taken as intact, as
 *   TCP takes it; every other one is verified in full.  Not even
 *   CHECKSUM_UNNECESSARY is trusted: no device knows TTP's checksum, so a
 *   device that sets it on a TTP packet verified something else, and the
 *   stack sets it on packets it loops back unlooked at
 *   (dev_loopback_xmit()).
 */
#include <linux/crc32c.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <kunit/visibility.h>

#include "ttp.h"

/* CRC32C of bytes [@from, @to) of @skb, wherever they lie. */
static u32 ttp_crc32c_bytes(struct sk_buff *skb, unsigned int from,
			    unsigned int to, u32 crc)
{
	struct skb_seq_state st;
	unsigned int consumed = 0, n;
	const u8 *data;

	skb_prepare_seq_read(skb, from, to, &st);
	while ((n = skb_seq_read(consumed, &data, &st))) {
		crc = crc32c(crc, data, n);
		consumed += n;
	}
	return crc;
}

/*
 * CRC32C of the segment at byte @off of @skb, @len bytes long, its
 * checksum field taken as zero (the field is skipped rather than cleared:
 * a received skb may be shared with a packet socket and must not be
 * written).  The fixed header is in the linear part; the rest may not be.
 */
static u32 ttp_crc32c(struct sk_buff *skb, unsigned int off, unsigned int len,
		      __be32 saddr, __be32 daddr)
{
	static const u8 zero[4];
	struct ttp_pseudo4 ph = {
		.saddr = saddr,
		.daddr = daddr,
		.proto = ttp_ipproto,
		.len = htons(len),
	};
	unsigned int check = offsetof(struct ttphdr, check);
	u32 crc = crc32c(~0U, &ph, sizeof(ph));

	crc = crc32c(crc, skb->data + off, check);
	crc = crc32c(crc, zero, sizeof(zero));
	crc = ttp_crc32c_bytes(skb, off + check + 4, off + len, crc);
	return ~crc;
}

/**
 * ttp_csum_fill_at() - compute and store the checksum of a segment in @skb
 * @skb: holds the segment from byte @off, its header in the linear part
 * @off: where the TTP header is, from skb->data
 * @len: the TTP length: header, options and payload
 * @saddr: the source address, for the pseudo-header
 * @daddr: the destination address, for the pseudo-header
 * @algo: TTP_CSUM_INET, or TTP_CSUM_CRC32C, which also sets TTPF_CRC
 *
 * In software, whatever the device could do: @skb is CHECKSUM_NONE after.
 */
void ttp_csum_fill_at(struct sk_buff *skb, unsigned int off, unsigned int len,
		      __be32 saddr, __be32 daddr, u8 algo)
{
	struct ttphdr *th = (struct ttphdr *)(skb->data + off);

	th->check = 0;
	if (algo == TTP_CSUM_CRC32C) {
		th->flags |= TTPF_CRC;
		th->check = cpu_to_be32(ttp_crc32c(skb, off, len, saddr,
						   daddr));
	} else {
		__wsum sum = skb_checksum(skb, off, len, 0);
		__sum16 c = csum_tcpudp_magic(saddr, daddr, len, ttp_ipproto,
					      sum);

		/* 0 and 0xffff are the same in ones' complement. */
		put_unaligned(c, (__sum16 *)&th->check);
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/**
 * ttp_csum_fill() - compute and store the checksum of an outgoing segment
 * @skb: the segment, skb->data at the TTP header, @len bytes long
 * @th: its header, with every other field final
 * @len: the TTP length: header, options and payload
 * @saddr: the source address, for the pseudo-header
 * @daddr: the destination address, for the pseudo-header
 * @algo: TTP_CSUM_INET, or TTP_CSUM_CRC32C, which also sets TTPF_CRC
 *
 * In software (ttp_csum_fill_at()).
 */
void ttp_csum_fill(struct sk_buff *skb, struct ttphdr *th, unsigned int len,
		   __be32 saddr, __be32 daddr, u8 algo)
{
	ttp_csum_fill_at(skb, (u8 *)th - skb->data, len, saddr, daddr, algo);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_csum_fill);

/**
 * ttp_csum_offload() - leave the checksum of an outgoing segment to others
 * @skb: the segment, skb->data at the TTP header, @len bytes long
 * @th: its header, with every other field final
 * @len: the TTP length: header, options and payload
 * @saddr: the source address, for the pseudo-header
 * @daddr: the destination address, for the pseudo-header
 * @algo: TTP_CSUM_INET, or TTP_CSUM_CRC32C, which also sets TTPF_CRC
 *
 * CHECKSUM_PARTIAL.  The Internet checksum is seeded with the
 * pseudo-header, as TCP's is, for a device or skb_checksum_help() to
 * complete.  A CRC32C field is left zero: only a large segment may carry
 * one unfinished, and ttp_gso_segment() computes it for each segment if
 * the large one cannot reach its receiver whole.
 */
void ttp_csum_offload(struct sk_buff *skb, struct ttphdr *th, unsigned int len,
		      __be32 saddr, __be32 daddr, u8 algo)
{
	th->check = 0;
	if (algo == TTP_CSUM_CRC32C)
		th->flags |= TTPF_CRC;
	else
		put_unaligned(~csum_tcpudp_magic(saddr, daddr, len,
						 ttp_ipproto, 0),
			      (__sum16 *)&th->check);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u8 *)th - skb->head;
	skb->csum_offset = offsetof(struct ttphdr, check);
}

/**
 * ttp_csum_ok() - verify the checksum of an incoming segment
 * @skb: the segment: skb->data at the TTP header, skb->len the TTP length
 * @saddr: its source address
 * @daddr: its destination address
 *
 * With the algorithm its TTPF_CRC flag names (the socket later checks that
 * it is the negotiated one).  A segment sent by this machine with its
 * checksum unfinished (CHECKSUM_PARTIAL: loopback, veth) is taken as
 * intact.  A device's CHECKSUM_COMPLETE sum serves the Internet checksum.
 * Everything else is verified in full; nothing is linearized.
 *
 * Return: true if the segment is intact.
 */
bool ttp_csum_ok(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct ttphdr *th = (struct ttphdr *)skb->data;
	unsigned int len = skb->len;
	__wsum psum;

	if (th->flags & TTPF_CRC)
		return skb->ip_summed == CHECKSUM_PARTIAL ||
		       ttp_crc32c(skb, 0, len, saddr, daddr) ==
		       be32_to_cpu(th->check);
	/* The second half of the field belongs to CRC32C: zero here. */
	if (((__be16 *)&th->check)[1])
		return false;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return true;
	psum = csum_tcpudp_nofold(saddr, daddr, len, ttp_ipproto, 0);
	if (skb->ip_summed == CHECKSUM_COMPLETE &&
	    !csum_fold(csum_add(psum, skb->csum)))
		return true;
	return !csum_fold(csum_add(psum, skb_checksum(skb, 0, len, 0)));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_csum_ok);
