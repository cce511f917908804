/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What module/wire.c takes from <linux/kernel.h>, for compiling it in
 * userspace as it is: min_t() and ALIGN().
 */
#ifndef TTP_SHIM_LINUX_KERNEL_H
#define TTP_SHIM_LINUX_KERNEL_H

#include <linux/types.h>

#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define ALIGN(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

#endif
