// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_leak.ko: leaks memory on purpose, for scripts/tests/run to check that
 * a leak fails a run on the debug kernel (kmemleak, scripts/vm-stage2).
 * Never part of TTP.
 */
#include <linux/module.h>
#include <linux/slab.h>

/*
 * Not __init: the backtrace kmemleak prints must still name the function
 * after the module's init code is freed.
 */
static noinline int ttp_leak_alloc(void)
{
	void *p = kmalloc(1024, GFP_KERNEL);

	/* Allocated, then forgotten: nothing refers to it any more. */
	return p ? 0 : -ENOMEM;
}

static int __init ttp_leak_init(void)
{
	return ttp_leak_alloc();
}
module_init(ttp_leak_init);

MODULE_DESCRIPTION("A module that leaks 1 KiB, to test leak detection");
MODULE_LICENSE("GPL");
