// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_kunit.ko: the KUnit tests of TTP's pure protocol logic, one suite per
 * file beside the code it tests (wire_test.c, checksum_test.c,
 * state_test.c, cc_test.c, timestamp_test.c, receiver_test.c, auth_test.c,
 * negotiate_test.c, syncookie_test.c, recovery_test.c, gso_test.c,
 * nagle_test.c).
 * Kbuild builds it only against a kernel with CONFIG_KUNIT, and ttp.ko
 * then exports what the tests call, in the EXPORTED_FOR_KUNIT_TESTING
 * namespace (EXPORT_SYMBOL_IF_KUNIT() beside each function; on other
 * kernels the macro is empty).  Loading the module runs the suites; their results are
 * in the kernel log (KTAP) and in /sys/kernel/debug/kunit/<suite>/results
 * (selftests/ttp_kunit.sh reads them).
 *
 * To test another function: export it with EXPORT_SYMBOL_IF_KUNIT(), write
 * its cases in <file>_test.c with a kunit_test_suite() of their own, and add
 * the object to ttp_kunit-y in Kbuild.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests of the Toy Transport Protocol");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
