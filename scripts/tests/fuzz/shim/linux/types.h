/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's types, for compiling module/wire.c in userspace: the UAPI
 * header has the __u8 and __be16 kind, the kernel adds u8 and bool.
 */
#ifndef TTP_SHIM_LINUX_TYPES_H
#define TTP_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;

#endif
