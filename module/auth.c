// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segment authentication, the cryptography (auth.h).
 *
 * HMAC-SHA256 (RFC 2104) is built here on the SHA-256 library that both
 * kernels export (sha256_update(), sha256_final()), not on a crypto API
 * transform: a transform is allocated, may sleep and holds one key at a
 * time, while a connection needs its own traffic keys in softirq.  A key is
 * absorbed once, into two hash states (struct ttp_hmac); a MAC then copies
 * them and hashes the message.
 *
 * Traffic keys come from the master key as RFC 5926 derives TCP-AO's:
 * HMAC(master, 0x01 || "TTP-AUTH" || context || 256 as 16 bits), where the
 * context is both addresses, both ports and both initial sequence numbers,
 * the sending end's first.  Keys thus differ per connection and per
 * direction, and a segment of one connection is worthless in another.
 */
#include <linux/skbuff.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "auth.h"
#include "wire.h"

#define TTP_HMAC_IPAD	0x36
#define TTP_HMAC_OPAD	0x5c

/**
 * ttp_hmac_setkey() - absorb an HMAC-SHA256 key
 * @h: the keyed states to fill
 * @key: the key; one longer than a SHA-256 block is hashed first (RFC 2104)
 * @len: its length in bytes
 */
void ttp_hmac_setkey(struct ttp_hmac *h, const u8 *key, unsigned int len)
{
	u8 block[SHA256_BLOCK_SIZE] = {};
	unsigned int i;

	if (len > SHA256_BLOCK_SIZE)
		sha256(key, len, block);
	else
		memcpy(block, key, len);

	for (i = 0; i < sizeof(block); i++)
		block[i] ^= TTP_HMAC_IPAD;
	sha256_init(&h->inner);
	sha256_update(&h->inner, block, sizeof(block));

	for (i = 0; i < sizeof(block); i++)
		block[i] ^= TTP_HMAC_IPAD ^ TTP_HMAC_OPAD;
	sha256_init(&h->outer);
	sha256_update(&h->outer, block, sizeof(block));

	memzero_explicit(block, sizeof(block));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_hmac_setkey);

/**
 * ttp_hmac_end() - finish a MAC begun with ttp_hmac_begin()
 * @h: the key it was begun with
 * @st: the inner state, with the whole message hashed in; wiped after
 * @out: the 32-byte MAC
 */
void ttp_hmac_end(const struct ttp_hmac *h, struct sha256_state *st,
		  u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_state outer = h->outer;
	u8 inner[SHA256_DIGEST_SIZE];

	sha256_final(st, inner);
	sha256_update(&outer, inner, sizeof(inner));
	sha256_final(&outer, out);
	memzero_explicit(inner, sizeof(inner));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_hmac_end);

/**
 * ttp_hmac() - HMAC-SHA256 of one buffer
 * @h: the key
 * @data: the message
 * @len: its length
 * @out: the 32-byte MAC
 */
void ttp_hmac(const struct ttp_hmac *h, const void *data, unsigned int len,
	      u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_state st;

	ttp_hmac_begin(h, &st);
	sha256_update(&st, data, len);
	ttp_hmac_end(h, &st, out);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_hmac);

/**
 * ttp_auth_traffic_key() - the traffic key of one direction of a connection
 * @master: the master key, absorbed
 * @ctx: the addresses, ports and initial sequence numbers it is bound to
 * @out: the traffic key, TTP_AUTH_TRAFFIC_LEN bytes
 */
void ttp_auth_traffic_key(const struct ttp_hmac *master,
			  const struct ttp_auth_ctx *ctx,
			  u8 out[TTP_AUTH_TRAFFIC_LEN])
{
	static const u8 label[] = "\x01TTP-AUTH";
	__be16 bits = htons(TTP_AUTH_TRAFFIC_LEN * 8);
	__be32 isn_s = htonl(ctx->isn_s);
	__be32 isn_r = htonl(ctx->isn_r);
	struct sha256_state st;

	ttp_hmac_begin(master, &st);
	/* The label without its terminating NUL. */
	sha256_update(&st, label, sizeof(label) - 1);
	sha256_update(&st, ctx->saddr, ctx->alen);
	sha256_update(&st, ctx->daddr, ctx->alen);
	sha256_update(&st, (const u8 *)&ctx->sport, sizeof(ctx->sport));
	sha256_update(&st, (const u8 *)&ctx->dport, sizeof(ctx->dport));
	sha256_update(&st, (const u8 *)&isn_s, sizeof(isn_s));
	sha256_update(&st, (const u8 *)&isn_r, sizeof(isn_r));
	sha256_update(&st, (const u8 *)&bits, sizeof(bits));
	ttp_hmac_end(master, &st, out);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_auth_traffic_key);

/* Hash bytes [@from, @to) of @skb, wherever they lie. */
static void ttp_auth_hash_skb(struct sha256_state *st, struct sk_buff *skb,
			      unsigned int from, unsigned int to)
{
	struct skb_seq_state seq;
	unsigned int consumed = 0, n;
	const u8 *data;

	skb_prepare_seq_read(skb, from, to, &seq);
	while ((n = skb_seq_read(consumed, &data, &seq))) {
		sha256_update(st, data, n);
		consumed += n;
	}
}

/**
 * ttp_auth_mac() - the MAC of one segment
 * @traffic: the traffic key of the segment's direction, absorbed
 * @sne: the sequence number extension: how often the sender's sequence
 *	numbers wrapped before this segment's
 * @pseudo: the pseudo-header of the checksums, as the family builds it
 * @pseudo_len: its length
 * @th: the header and options, ttp_hdr_len(@th) bytes in a row
 * @mac_off: where the MAC field is, from @th: in the options
 * @maclen: its length, TTP_AUTH_MACLEN_MIN to TTP_AUTH_MACLEN_MAX
 * @skb: holds the payload; not written (it may be shared)
 * @pay_off: where the payload is, from @skb->data
 * @pay_len: its length
 * @out: the MAC, truncated to @maclen bytes
 *
 * The MAC covers @sne, the pseudo-header, the header with its checksum and
 * the MAC field taken as zero, the rest of the options, and the payload.
 *
 * Return: 0, or -EINVAL if the MAC field is not in the options or the
 * payload not in @skb.
 */
int ttp_auth_mac(const struct ttp_hmac *traffic, u32 sne, const void *pseudo,
		 unsigned int pseudo_len, const struct ttphdr *th,
		 unsigned int mac_off, unsigned int maclen,
		 struct sk_buff *skb, unsigned int pay_off,
		 unsigned int pay_len, u8 *out)
{
	static const u8 zero[TTP_AUTH_MACLEN_MAX];
	const unsigned int check = offsetof(struct ttphdr, check);
	const unsigned int hlen = ttp_hdr_len(th);
	const u8 *hdr = (const u8 *)th;
	u8 mac[SHA256_DIGEST_SIZE];
	struct sha256_state st;
	__be32 be_sne;

	if (maclen < TTP_AUTH_MACLEN_MIN || maclen > TTP_AUTH_MACLEN_MAX ||
	    mac_off < TTP_HDR_LEN || mac_off + maclen > hlen ||
	    pay_off > skb->len || pay_len > skb->len - pay_off)
		return -EINVAL;

	be_sne = htonl(sne);
	ttp_hmac_begin(traffic, &st);
	sha256_update(&st, (const u8 *)&be_sne, sizeof(be_sne));
	sha256_update(&st, pseudo, pseudo_len);
	sha256_update(&st, hdr, check);
	sha256_update(&st, zero, sizeof(th->check));
	sha256_update(&st, hdr + check + sizeof(th->check),
		      mac_off - check - sizeof(th->check));
	sha256_update(&st, zero, maclen);
	sha256_update(&st, hdr + mac_off + maclen, hlen - mac_off - maclen);
	if (pay_len)
		ttp_auth_hash_skb(&st, skb, pay_off, pay_off + pay_len);
	ttp_hmac_end(traffic, &st, mac);

	memcpy(out, mac, maclen);
	memzero_explicit(mac, sizeof(mac));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_auth_mac);
