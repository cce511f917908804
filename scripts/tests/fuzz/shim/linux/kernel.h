/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What module/wire.c takes from the kernel's headers, for compiling it in
 * userspace as it is: min_t(), ALIGN() and the unaligned big-endian
 * accessors.  (In the module they come through ttp.h, which the fuzzer's
 * build skips by defining its include guard, _TTP_H.)
 */
#ifndef TTP_SHIM_LINUX_KERNEL_H
#define TTP_SHIM_LINUX_KERNEL_H

#include <linux/types.h>

#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif
