/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cryptography of segment authentication (TTPOPT_AUTH): HMAC-SHA256 on
 * the kernel's SHA-256 library, the traffic keys a connection derives from
 * a master key, and the MAC of one segment.  No allocation and no sleeping:
 * every function may run in softirq, on memory the caller owns.
 * Documentation/protocol.rst, "Segment authentication", is the
 * specification; the names here are the names there.
 */
#ifndef _TTP_AUTH_H
#define _TTP_AUTH_H

#include <crypto/sha2.h>
#include <linux/types.h>
#include <uapi/linux/ttp.h>

struct sk_buff;
struct ttphdr;

#define TTP_AUTH_TRAFFIC_LEN	SHA256_DIGEST_SIZE

/*
 * HMAC-SHA256 with its key already absorbed: the hash states after the
 * first block of (key ^ ipad) and of (key ^ opad), so that a MAC costs the
 * message and two blocks, and a key is set up once.
 */
struct ttp_hmac {
	struct sha256_state	inner;
	struct sha256_state	outer;
};

void ttp_hmac_setkey(struct ttp_hmac *h, const u8 *key, unsigned int len);

static inline void ttp_hmac_begin(const struct ttp_hmac *h,
				  struct sha256_state *st)
{
	*st = h->inner;
}

void ttp_hmac_end(const struct ttp_hmac *h, struct sha256_state *st,
		  u8 out[SHA256_DIGEST_SIZE]);
void ttp_hmac(const struct ttp_hmac *h, const void *data, unsigned int len,
	      u8 out[SHA256_DIGEST_SIZE]);

/*
 * What a traffic key is bound to.  The addresses and ports are the sending
 * end's first; isn_s is the sender's initial sequence number, isn_r the
 * receiver's (0 for the keys of a SYN, when it is not yet known).
 */
struct ttp_auth_ctx {
	const u8	*saddr;
	const u8	*daddr;
	unsigned int	alen;		/* 4 (IPv4) or 16 (IPv6) */
	__be16		sport;
	__be16		dport;
	u32		isn_s;
	u32		isn_r;
};

void ttp_auth_traffic_key(const struct ttp_hmac *master,
			  const struct ttp_auth_ctx *ctx,
			  u8 out[TTP_AUTH_TRAFFIC_LEN]);

int ttp_auth_mac(const struct ttp_hmac *traffic, u32 sne, const void *pseudo,
		 unsigned int pseudo_len, const struct ttphdr *th,
		 unsigned int mac_off, unsigned int maclen,
		 struct sk_buff *skb, unsigned int pay_off,
		 unsigned int pay_len, u8 *out);

#endif /* _TTP_AUTH_H */
