// SPDX-License-Identifier: GPL-2.0-only
/*
 * TTP header options: parsing and writing.
 *
 * Parsing is where bytes from the wire meet the kernel, so every length is
 * checked before it is used: an option must fit in the header it came in,
 * and an option TTP knows must have exactly its length (a SACK option: a
 * whole number of blocks, one to four); SACK and timestamp options come
 * once a segment at most.  Unknown kinds are
 * skipped by their length, so that later versions can add options.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <uapi/linux/ttp.h>

#include "compat.h"
#include "wire.h"

/**
 * ttp_parse_options() - read the options area of a header
 * @opt: the options, after the fixed header
 * @len: their length in bytes
 * @out: what they say; cleared first
 *
 * Return: 0, or -EINVAL when the options are malformed (the segment must
 * then be dropped and counted as a header error).
 */
int ttp_parse_options(const u8 *opt, unsigned int len, struct ttp_opts *out)
{
	unsigned int i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		u8 kind = opt[i];
		u8 olen;

		if (kind == TTPOPT_END)
			break;
		if (kind == TTPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;

		switch (kind) {
		case TTPOPT_MSS:
			if (olen != TTPOLEN_MSS)
				return -EINVAL;
			out->mss = get_unaligned_be16(&opt[i + 2]);
			out->has_mss = 1;
			break;
		case TTPOPT_WSCALE:
			if (olen != TTPOLEN_WSCALE)
				return -EINVAL;
			out->wscale = min_t(u8, opt[i + 2], TTP_MAX_WSCALE);
			out->has_wscale = 1;
			break;
		case TTPOPT_CSUM:
			if (olen != TTPOLEN_CSUM)
				return -EINVAL;
			out->csum_mask = opt[i + 2];
			out->has_csum = 1;
			break;
		case TTPOPT_SACK_OK:
			if (olen != TTPOLEN_SACK_OK)
				return -EINVAL;
			out->sack_ok = 1;
			break;
		case TTPOPT_TIMESTAMP:
			if (olen != TTPOLEN_TIMESTAMP || out->has_ts)
				return -EINVAL;
			out->tsval = get_unaligned_be32(&opt[i + 2]);
			out->tsecr = get_unaligned_be32(&opt[i + 6]);
			out->has_ts = 1;
			break;
		case TTPOPT_SACK:
			/* One to four whole blocks, and one option of them. */
			if (olen < 2 + TTPOLEN_SACK_BLOCK ||
			    (olen - 2) % TTPOLEN_SACK_BLOCK ||
			    (olen - 2) / TTPOLEN_SACK_BLOCK > TTP_MAX_SACKS ||
			    out->num_sacks)
				return -EINVAL;
			out->num_sacks = (olen - 2) / TTPOLEN_SACK_BLOCK;
			out->sack_off = i + 2;
			break;
		case TTPOPT_AUTH:
			/* Its MAC is checked against the key, by auth.c. */
			if (olen < TTPOLEN_AUTH_HDR + TTP_AUTH_MACLEN_MIN ||
			    olen > TTPOLEN_AUTH_HDR + TTP_AUTH_MACLEN_MAX ||
			    out->has_auth)
				return -EINVAL;
			out->auth_off = i;
			out->auth_len = olen;
			out->has_auth = 1;
			break;
		default:
			break;
		}
		i += olen;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_parse_options);

/**
 * ttp_options_len() - the space ttp_write_options() takes for @o
 * @o: the options
 *
 * Return: the bytes ttp_write_options() needs for @o, padded to a multiple
 * of 4.
 */
unsigned int ttp_options_len(const struct ttp_opts *o)
{
	unsigned int len = 0;

	if (o->has_mss)
		len += TTPOLEN_MSS;
	if (o->has_wscale)
		len += TTPOLEN_WSCALE;
	if (o->has_csum)
		len += TTPOLEN_CSUM;
	if (o->sack_ok)
		len += TTPOLEN_SACK_OK;
	if (o->has_ts)
		len += TTPOLEN_TIMESTAMP;
	return ALIGN(len, 4);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_options_len);

/**
 * ttp_write_options() - write @o into @opt, NOP-padded
 * @opt: where the options go
 * @o: the options
 * @len: the bytes to fill, ttp_options_len() of @o
 *
 * SACK blocks are written by ttp_write_sack() instead.
 */
void ttp_write_options(u8 *opt, const struct ttp_opts *o, unsigned int len)
{
	u8 *p = opt;

	if (o->has_mss) {
		*p++ = TTPOPT_MSS;
		*p++ = TTPOLEN_MSS;
		put_unaligned_be16(o->mss, p);
		p += 2;
	}
	if (o->has_wscale) {
		*p++ = TTPOPT_WSCALE;
		*p++ = TTPOLEN_WSCALE;
		*p++ = o->wscale;
	}
	if (o->has_csum) {
		*p++ = TTPOPT_CSUM;
		*p++ = TTPOLEN_CSUM;
		*p++ = o->csum_mask;
	}
	if (o->sack_ok) {
		*p++ = TTPOPT_SACK_OK;
		*p++ = TTPOLEN_SACK_OK;
	}
	if (o->has_ts) {
		*p++ = TTPOPT_TIMESTAMP;
		*p++ = TTPOLEN_TIMESTAMP;
		put_unaligned_be32(o->tsval, p);
		put_unaligned_be32(o->tsecr, p + 4);
		p += 8;
	}
	while (p < opt + len)
		*p++ = TTPOPT_NOP;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_write_options);

/**
 * ttp_read_sack() - block @i of the SACK option found in @opt
 * @opt: the options area that ttp_parse_options() read
 * @o: what it found there
 * @i: the block, below @o->num_sacks
 * @b: set to the block
 */
void ttp_read_sack(const u8 *opt, const struct ttp_opts *o, unsigned int i,
		   struct ttp_sack_block *b)
{
	const u8 *p = opt + o->sack_off + i * TTPOLEN_SACK_BLOCK;

	b->start = get_unaligned_be32(p);
	b->end = get_unaligned_be32(p + 4);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_read_sack);

/**
 * ttp_write_sack() - write a SACK option of @n blocks
 * @opt: where it goes: TTP_SACK_SPACE(@n) bytes
 * @b: the blocks
 * @n: how many, 1 to TTP_MAX_SACKS
 */
void ttp_write_sack(u8 *opt, const struct ttp_sack_block *b, unsigned int n)
{
	unsigned int i;

	*opt++ = TTPOPT_NOP;
	*opt++ = TTPOPT_NOP;
	*opt++ = TTPOPT_SACK;
	*opt++ = 2 + n * TTPOLEN_SACK_BLOCK;
	for (i = 0; i < n; i++, opt += TTPOLEN_SACK_BLOCK) {
		put_unaligned_be32(b[i].start, opt);
		put_unaligned_be32(b[i].end, opt + 4);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ttp_write_sack);

/**
 * ttp_write_ts() - write the timestamp option of a synchronised segment
 * @opt: where it goes: TTP_TS_SPACE bytes
 * @tsval: our clock
 * @tsecr: the TSval echoed
 */
void ttp_write_ts(u8 *opt, u32 tsval, u32 tsecr)
{
	*opt++ = TTPOPT_NOP;
	*opt++ = TTPOPT_NOP;
	*opt++ = TTPOPT_TIMESTAMP;
	*opt++ = TTPOLEN_TIMESTAMP;
	put_unaligned_be32(tsval, opt);
	put_unaligned_be32(tsecr, opt + 4);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_write_ts);
