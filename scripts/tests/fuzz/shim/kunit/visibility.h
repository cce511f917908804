/* SPDX-License-Identifier: GPL-2.0-only */
/* module/wire.c in userspace: no KUnit, nothing to export for it. */
#ifndef TTP_SHIM_KUNIT_VISIBILITY_H
#define TTP_SHIM_KUNIT_VISIBILITY_H

#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif
