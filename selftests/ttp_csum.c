// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_csum.so: the reference checksums of module/ref_csum.h for
 * ttp_wire.py, which loads it with ctypes, so that the segments it crafts
 * are checksummed by the code the KUnit tests and ttp_attack use.
 */
#include <stddef.h>
#include <stdint.h>

#include "../module/ref_csum.h"

/*
 * What TTP puts in the Checksum field (big-endian) of the segment @seg of
 * @len bytes (>= 20) from @saddr to @daddr (4 bytes each, network order)
 * with IP protocol @proto: its CRC32C if @crc32c, else its Internet
 * checksum in the upper 16 bits.  The field itself is taken as zero.
 */
uint32_t ttp_csum_seg(const uint8_t *saddr, const uint8_t *daddr,
		      unsigned int proto, const uint8_t *seg, size_t len,
		      int crc32c)
{
	uint8_t ph[TTP_REF_PSEUDO_LEN];

	ttp_ref_pseudo(ph, saddr, daddr, proto, len);
	return ttp_ref_seg_csum(ph, seg, len, crc32c);
}
