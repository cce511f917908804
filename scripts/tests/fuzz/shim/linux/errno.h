/* SPDX-License-Identifier: GPL-2.0-only */
/* EINVAL, for module/wire.c in userspace: the UAPI header has it. */
#ifndef TTP_SHIM_LINUX_ERRNO_H
#define TTP_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
