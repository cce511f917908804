/* SPDX-License-Identifier: GPL-2.0-only */
/* The tests' one reference of TTP's segment checksums, Internet and CRC32C. */
#ifndef _TTP_REF_CSUM_H
#define _TTP_REF_CSUM_H

/*
 * Written here from the definitions (Documentation/protocol.rst,
 * "Checksums": RFC 1071 one word at a time, CRC32C one bit at a time)
 * rather than with the kernel's helpers that checksum.c uses, so that the
 * tests compare checksum.c with something independent of it.  Pure C,
 * calling nothing, for the kernel and for userspace alike: the KUnit tests
 * (checksum_test.c), ttp_attack (selftests/ttp_raw.c) and, through
 * selftests/ttp_csum.so, ttp_wire.py include it.  Sums and CRCs are
 * unsigned int, 32 bits on every ABI Linux has (plain C types: the
 * kernel's u32 is not in userspace, uint32_t not to checkpatch's taste).
 */
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif

/* The offset of the Checksum field in the TTP header, and its size. */
#define TTP_REF_CHECK_OFF	16
#define TTP_REF_CHECK_LEN	4
/* The pseudo-header's size. */
#define TTP_REF_PSEUDO_LEN	12

/*
 * ttp_ref_inet_add() - add @len bytes at @p, as big-endian 16-bit words (an
 * odd last byte padded with a zero), to the ones' complement sum @sum
 * (0xffff at most), the carry folded back in after each word.
 * Return: the sum, 0xffff at most.
 */
static inline unsigned int ttp_ref_inet_add(unsigned int sum,
					    const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 2) {
		sum += (unsigned int)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

/*
 * ttp_ref_inet_fold() - the Internet checksum of the ones' complement sum
 * @sum: folded to 16 bits, then complemented.
 * Return: the 16-bit checksum.
 */
static inline unsigned int ttp_ref_inet_fold(unsigned int sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/*
 * ttp_ref_crc32c() - continue the CRC32C (Castagnoli, reflected polynomial
 * 0x82f63b78) @crc over @len bytes at @p, one bit at a time.  A CRC starts
 * at 0xffffffff and is inverted at the end: ~ttp_ref_crc32c(~0U, p, len).
 * Return: the CRC so far.
 */
static inline unsigned int ttp_ref_crc32c(unsigned int crc,
					  const unsigned char *p, size_t len)
{
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return crc;
}

/*
 * ttp_ref_pseudo() - the pseudo-header @ph of a segment of @len bytes from
 * @saddr to @daddr (4 bytes each, network order) with IP protocol @proto:
 * source address, destination address, zero, protocol, TTP length.
 */
static inline void ttp_ref_pseudo(unsigned char ph[TTP_REF_PSEUDO_LEN],
				  const void *saddr, const void *daddr,
				  unsigned int proto, size_t len)
{
	const unsigned char *s = saddr, *d = daddr;
	int i;

	for (i = 0; i < 4; i++) {
		ph[i] = s[i];
		ph[4 + i] = d[i];
	}
	ph[8] = 0;
	ph[9] = proto & 0xff;
	ph[10] = (len >> 8) & 0xff;
	ph[11] = len & 0xff;
}

/*
 * ttp_ref_seg_csum() - what TTP puts in the Checksum field of the segment
 * @seg of @len bytes (20 at least) with the pseudo-header @ph, the field
 * taken as zero whatever it holds: with @crc32c, the CRC32C of @ph then
 * @seg; else the Internet checksum of both in the upper 16 bits, the lower
 * 16 zero.  The field holds the value big-endian.
 * Return: the value of the field.
 */
static inline unsigned int
ttp_ref_seg_csum(const unsigned char ph[TTP_REF_PSEUDO_LEN],
		 const unsigned char *seg, size_t len, int crc32c)
{
	static const unsigned char zero[TTP_REF_CHECK_LEN];
	const unsigned char *rest = seg + TTP_REF_CHECK_OFF + TTP_REF_CHECK_LEN;
	size_t rlen = len - TTP_REF_CHECK_OFF - TTP_REF_CHECK_LEN;
	unsigned int v;

	if (crc32c) {
		v = ttp_ref_crc32c(~0U, ph, TTP_REF_PSEUDO_LEN);
		v = ttp_ref_crc32c(v, seg, TTP_REF_CHECK_OFF);
		v = ttp_ref_crc32c(v, zero, sizeof(zero));
		return ~ttp_ref_crc32c(v, rest, rlen);
	}
	/* The field starts at an even offset: skipping it adds zero words. */
	v = ttp_ref_inet_add(0, ph, TTP_REF_PSEUDO_LEN);
	v = ttp_ref_inet_add(v, seg, TTP_REF_CHECK_OFF);
	return ttp_ref_inet_fold(ttp_ref_inet_add(v, rest, rlen)) << 16;
}

#endif /* _TTP_REF_CSUM_H */
