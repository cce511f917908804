// SPDX-License-Identifier: GPL-2.0-only
/*
 * A libFuzzer target for TTP's header and option parser: module/wire.c,
 * compiled as it is, with shim/ standing in for the kernel's headers.
 *
 * Beyond what AddressSanitizer and UBSan catch (a read past the options
 * area, an overflow), it checks for every input:
 *   - ttp_parse_options() accepts exactly the areas the rules of
 *     Documentation/protocol.rst accept (selftests/ttp_spec.h, written
 *     apart from the module);
 *   - what it reports stays in bounds: a window scale of at most 14, at
 *     most four SACK blocks, all inside the area;
 *   - what it read survives writing and reading again: the options of a
 *     SYN made from it (ttp_write_options()) and a SACK option of its
 *     blocks (ttp_write_sack()) and a timestamp option of its clock
 *     values (ttp_write_ts()) parse back to the same values.
 * Any failure aborts, which libFuzzer reports with the input.
 *
 * Built with -DWIRE_FUZZ_WRONG_SPEC, the specification it compares with
 * is wrong on purpose (an MSS option of 5 bytes is taken as well-formed):
 * scripts/tests/run checks that the fuzzer then finds the difference.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "ttp_spec.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "wire_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static int spec_options_ok(const u8 *opt, unsigned int len)
{
#ifdef WIRE_FUZZ_WRONG_SPEC
	unsigned int i;

	for (i = 0; i + 1 < len && opt[i] != 0; i += opt[i] == 1 ? 1 : opt[i + 1]) {
		if (opt[i] == 2 && opt[i + 1] == 5)
			return 1;
		if (opt[i] != 1 && opt[i + 1] < 2)
			break;
	}
#endif
	return ttp_spec_options_ok(opt, len);
}

/* The SACK blocks of @o read back from @opt equal @b. */
static void check_sacks(const u8 *opt, const struct ttp_opts *o,
			const struct ttp_sack_block *b)
{
	struct ttp_sack_block c;
	unsigned int i;

	for (i = 0; i < o->num_sacks; i++) {
		ttp_read_sack(opt, o, i, &c);
		CHECK(c.start == b[i].start && c.end == b[i].end);
	}
}

static void check_area(const u8 *opt, unsigned int len)
{
	struct ttp_opts o, back;
	u8 buf[TTP_MAX_OPT_LEN];
	unsigned int i, n;
	int r;

	r = ttp_parse_options(opt, len, &o);
	CHECK(r == 0 || r == -EINVAL);
	CHECK((r == 0) == !!spec_options_ok(opt, len));
	if (r)
		return;
	CHECK(!o.has_wscale || o.wscale <= TTP_MAX_WSCALE);
	CHECK(o.num_sacks <= TTP_MAX_SACKS);

	if (o.num_sacks) {
		struct ttp_sack_block b[TTP_MAX_SACKS];

		CHECK(o.sack_off >= 2 &&
		      o.sack_off + o.num_sacks * TTPOLEN_SACK_BLOCK <= len);
		for (i = 0; i < o.num_sacks; i++)
			ttp_read_sack(opt, &o, i, &b[i]);
		n = TTP_SACK_SPACE(o.num_sacks);
		CHECK(n <= sizeof(buf));
		ttp_write_sack(buf, b, o.num_sacks);
		CHECK(!ttp_parse_options(buf, n, &back));
		CHECK(back.num_sacks == o.num_sacks);
		check_sacks(buf, &back, b);
	}

	if (o.has_ts) {
		ttp_write_ts(buf, o.tsval, o.tsecr);
		CHECK(!ttp_parse_options(buf, TTP_TS_SPACE, &back));
		CHECK(back.has_ts && back.tsval == o.tsval &&
		      back.tsecr == o.tsecr && !back.num_sacks);
	}

	/* The options of a SYN that says what these said. */
	n = ttp_options_len(&o);
	CHECK(n % 4 == 0 && n <= sizeof(buf));
	ttp_write_options(buf, &o, n);
	CHECK(!ttp_parse_options(buf, n, &back));
	CHECK(back.has_mss == o.has_mss && back.mss == (o.has_mss ? o.mss : 0));
	CHECK(back.has_wscale == o.has_wscale &&
	      back.wscale == (o.has_wscale ? o.wscale : 0));
	CHECK(back.has_csum == o.has_csum &&
	      back.csum_mask == (o.has_csum ? o.csum_mask : 0));
	CHECK(back.sack_ok == o.sack_ok && back.num_sacks == 0);
	CHECK(back.has_ts == o.has_ts &&
	      back.tsval == (o.has_ts ? o.tsval : 0) &&
	      back.tsecr == (o.has_ts ? o.tsecr : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact copy: ASan catches any read past its end. */
	u8 *seg = malloc(size ? size : 1);

	CHECK(seg);
	memcpy(seg, data, size);
	/* As a segment: the options its header says it has, as input.c. */
	if (size >= TTP_HDR_LEN) {
		const struct ttphdr *th = (const struct ttphdr *)seg;
		unsigned int hlen = ttp_hdr_len(th);

		CHECK(hlen <= TTP_MAX_HDR_LEN && hlen % 4 == 0);
		if (ttp_hdr_version(th) == TTP_VERSION &&
		    hlen >= TTP_HDR_LEN && hlen <= size)
			check_area(seg + TTP_HDR_LEN, hlen - TTP_HDR_LEN);
	}
	/* As a bare options area of any length: the parser must not care. */
	check_area(seg, size > 255 ? 255 : size);
	free(seg);
	return 0;
}
