/* SPDX-License-Identifier: GPL-2.0-only */
/* memset() and friends, for module/wire.c in userspace. */
#ifndef TTP_SHIM_LINUX_STRING_H
#define TTP_SHIM_LINUX_STRING_H

#include <string.h>

#endif
