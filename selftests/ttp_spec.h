/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TTP's rules for a segment, written again from Documentation/protocol.rst
 * for the tests, apart from the module's code: where the two disagree, the
 * tests say so.  Used by ttp_attack (what a receiver must count) and by the
 * host fuzzer of the module's option parser (scripts/tests/fuzz).
 */
#ifndef TTP_SPEC_H
#define TTP_SPEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Is the options area @o of @len bytes well-formed ("Options": END stops
 * the walk, NOP is one byte, any other kind has a length of at least 2
 * that fits the area, MSS/WSCALE/CSUM/SACK_OK their exact lengths, SACK
 * one to four blocks of 8 bytes and at most once, TIMESTAMP 10 bytes and
 * at most once, AUTH 8 to 16 bytes (a MAC of 4 to 12) and at most once)?
 */
static inline int ttp_spec_options_ok(const uint8_t *o, size_t len)
{
	size_t i = 0;
	int sacks = 0, stamps = 0, auths = 0;

	while (i < len) {
		uint8_t kind = o[i], olen;

		if (kind == 0)
			return 1;
		if (kind == 1) {
			i++;
			continue;
		}
		if (len - i < 2)
			return 0;
		olen = o[i + 1];
		if (olen < 2 || olen > len - i)
			return 0;
		if ((kind == 2 && olen != 4) || (kind == 3 && olen != 3) ||
		    (kind == 4 && olen != 3) || (kind == 5 && olen != 2))
			return 0;
		if (kind == 6 && (olen < 10 || (olen - 2) % 8 ||
				  (olen - 2) / 8 > 4 || sacks++))
			return 0;
		if (kind == 8 && (olen != 10 || stamps++))
			return 0;
		if (kind == 7 && (olen < 8 || olen > 16 || auths++))
			return 0;
		i += olen;
	}
	return 1;
}

#endif /* TTP_SPEC_H */
