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
#include <linux/rcupdate.h>
#include <linux/sockptr.h>
#include <linux/types.h>
#include <uapi/linux/ttp.h>

#include "wire.h"

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

/* The keys of a socket (authkey.c). */
#define TTP_AUTH_MAX_KEYS	64

/* A master key, as TTP_AUTH_KEY gave it. */
struct ttp_auth_mkt {
	struct list_head	node;	/* in ttp_auth_info.keys, RCU */
	struct rcu_head		rcu;
	__be32			addr;	/* the peers': address, prefix, port */
	__be16			port;	/* 0: any */
	u8			prefix;
	u8			sndid;	/* the key id we sign with */
	u8			rcvid;	/* the key id the peer signs with */
	u8			alg;	/* TTP_AUTH_ALG_* */
	u8			maclen;
	u8			flags;	/* TTP_AUTH_F_CURRENT, _RNEXT as given */
	atomic64_t		good;	/* segments it verified */
	atomic64_t		bad;	/* segments with its id, bad MAC */
	struct ttp_hmac		master;
};

/* A traffic key derived from @key, for one direction of a connection. */
struct ttp_auth_slot {
	const struct ttp_auth_mkt	*key;	/* NULL: empty */
	u32				isn_s;	/* the ISNs it is bound to */
	u32				isn_r;
	struct ttp_hmac			traffic;
};

/*
 * Room the AUTH option takes in every segment of a connection that signs:
 * the longest MAC's, so that a rollover to a key with another MAC length
 * does not change the MSS.
 */
#define TTP_AUTH_SPACE	ALIGN(TTPOLEN_AUTH_HDR + TTP_AUTH_MACLEN_MAX, 4)

struct ttp_auth_info {
	struct list_head	keys;
	unsigned int		nkeys;
	struct rcu_head		rcu;
	/* A connection's, under the socket lock. */
	struct ttp_auth_mkt	*cur;		/* signs with it */
	struct ttp_auth_mkt	*rnext;		/* asks the peer for it */
	u8			peer_rnext;	/* the id the peer asks for */
	struct ttp_auth_slot	tx;		/* current's traffic key */
	struct ttp_auth_slot	rx[2];		/* the peer's, by key id */
	u8			rx_next;	/* the rx slot to take next */
};

struct sock;
struct ttp_auth_mkt *ttp_auth_find(struct ttp_auth_info *ai, __be32 addr,
				   __be16 port, int sndid, int rcvid);
int ttp_auth_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			unsigned int optlen);
int ttp_auth_getsockopt(struct sock *sk, int optname, char __user *optval,
			int len);
bool ttp_auth_start(struct sock *sk);
int ttp_auth_inherit(struct sock *parent, struct sock *child, u8 keyid,
		     u8 rnext);
void ttp_auth_free(struct sock *sk);
void ttp_auth_sign(struct sock *sk, struct sk_buff *skb, struct ttphdr *th,
		   unsigned int opt_off);
const struct ttp_auth_mkt *ttp_auth_reply_key(struct sock *sk, __be32 addr,
					      __be16 port, u8 keyid, u8 rnext);
void ttp_auth_sign_reply(struct sk_buff *skb, struct ttphdr *th,
			 unsigned int opt_off, const struct ttp_auth_mkt *key,
			 u8 rnext, __be32 saddr, __be32 daddr);
struct ttp_opts;
int ttp_auth_check(struct sock *sk, struct sk_buff *skb,
		   const struct ttp_opts *opts);

#endif /* _TTP_AUTH_H */
