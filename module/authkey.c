// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segment authentication, the keys and their use: the master keys a socket holds
 * (TTP_AUTH_KEY, TTP_AUTH_DEL_KEY, TTP_AUTH_GET_KEYS), the ones a
 * connection signs with and asks its peer for (TTP_AUTH_SELECT), and what a
 * listener's child inherits.  Documentation/ttp-uapi.rst describes the
 * options, Documentation/protocol.rst ("Segment authentication") the rules.
 *
 * The keys of a socket are an RCU list: a listener's segments are read in
 * softirq while its process may be adding or deleting keys under the
 * socket lock (input.c does not wait for a listener's owner).  A
 * connection's choices (current, rnext, the traffic keys) change only
 * under the socket lock.  Memory is allocated in process context, but for
 * the copies a child takes of its listener's keys, made with the child in
 * softirq (GFP_ATOMIC), as the child itself is.
 */
#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "auth.h"
#include "ttp.h"

/* The keys of @tsk, NULL until the first is added. */
static struct ttp_auth_info *ttp_auth_info_get(struct sock *sk, gfp_t gfp)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_auth_info *ai;

	ai = rcu_dereference_protected(tsk->auth, lockdep_sock_is_held(sk));
	if (ai)
		return ai;
	ai = kzalloc(sizeof(*ai), gfp);
	if (!ai)
		return NULL;
	INIT_LIST_HEAD(&ai->keys);
	rcu_assign_pointer(tsk->auth, ai);
	return ai;
}

/* Does @key serve the peer at @addr, @port? */
static bool ttp_auth_key_matches(const struct ttp_auth_mkt *key, __be32 addr,
				 __be16 port)
{
	__be32 mask = key->prefix ? htonl(~0U << (32 - key->prefix)) : 0;

	if (key->port && key->port != port)
		return false;
	return !((addr ^ key->addr) & mask);
}

/* Do @a and @b serve one peer at least, whatever their ids? */
static bool ttp_auth_keys_overlap(const struct ttp_auth_mkt *a,
				  const struct ttp_auth_mkt *b)
{
	u8 prefix = min(a->prefix, b->prefix);
	__be32 mask = prefix ? htonl(~0U << (32 - prefix)) : 0;

	if (a->port && b->port && a->port != b->port)
		return false;
	return !((a->addr ^ b->addr) & mask);
}

/**
 * ttp_auth_find() - the key for a peer and a key id
 * @ai: the keys of a socket
 * @addr: the peer's address
 * @port: its port
 * @sndid: the key id we sign with, or -1 for any
 * @rcvid: the key id the peer signs with, or -1 for any
 *
 * Under the socket lock or rcu_read_lock().
 *
 * Return: the first key that matches, or NULL.
 */
struct ttp_auth_mkt *ttp_auth_find(struct ttp_auth_info *ai, __be32 addr,
				   __be16 port, int sndid, int rcvid)
{
	struct ttp_auth_mkt *key;

	if (!ai)
		return NULL;
	list_for_each_entry_rcu(key, &ai->keys, node, true) {
		if (!ttp_auth_key_matches(key, addr, port))
			continue;
		if ((sndid < 0 || key->sndid == sndid) &&
		    (rcvid < 0 || key->rcvid == rcvid))
			return key;
	}
	return NULL;
}

/* A key of the user's, checked: 0, or the errno the option returns. */
static int ttp_auth_key_from_user(const struct ttp_auth_key *uk,
				  struct ttp_auth_mkt *key)
{
	const struct sockaddr_ttp *a = &uk->ttpak_peer;
	__be32 mask;

	if (a->sttp_family != ttp_family)
		return -EAFNOSUPPORT;
	if (a->sttp_ipfamily == AF_INET6)
		return -EAFNOSUPPORT;	/* IPv4 only, as the sockets */
	if (a->sttp_ipfamily != AF_INET)
		return -EAFNOSUPPORT;
	if (a->sttp_reserved1 || a->sttp_reserved2 || a->sttp_scope_id ||
	    uk->ttpak_reserved)
		return -EINVAL;
	if (uk->ttpak_prefix > 32)
		return -EINVAL;
	mask = uk->ttpak_prefix ? htonl(~0U << (32 - uk->ttpak_prefix)) : 0;
	/* Bits past the prefix would be ignored: refuse, as TCP-AO does. */
	if (a->sttp_addr.v4 & ~mask)
		return -EINVAL;
	if (uk->ttpak_alg != TTP_AUTH_ALG_HMAC_SHA256)
		return -ENOENT;
	if (uk->ttpak_maclen && uk->ttpak_maclen < TTP_AUTH_MACLEN_MIN)
		return -EINVAL;
	if (uk->ttpak_maclen > TTP_AUTH_MACLEN_MAX)
		return -EMSGSIZE;
	if (!uk->ttpak_keylen || uk->ttpak_keylen > TTP_AUTH_KEY_MAXLEN)
		return -EINVAL;
	if (uk->ttpak_flags & ~(TTP_AUTH_F_CURRENT | TTP_AUTH_F_RNEXT))
		return -EINVAL;

	key->addr = a->sttp_addr.v4;
	key->port = a->sttp_port;
	key->prefix = uk->ttpak_prefix;
	key->sndid = uk->ttpak_sndid;
	key->rcvid = uk->ttpak_rcvid;
	key->alg = uk->ttpak_alg;
	key->maclen = uk->ttpak_maclen ?: TTP_AUTH_MACLEN_DEFAULT;
	ttp_hmac_setkey(&key->master, uk->ttpak_key, uk->ttpak_keylen);
	return 0;
}

static void ttp_auth_forget_slots(struct ttp_auth_info *ai,
				  const struct ttp_auth_mkt *key)
{
	unsigned int i;

	if (ai->tx.key == key)
		ai->tx.key = NULL;
	for (i = 0; i < ARRAY_SIZE(ai->rx); i++)
		if (ai->rx[i].key == key)
			ai->rx[i].key = NULL;
}

/* Is @sk a connection, or on its way to one (its peer known)? */
static bool ttp_auth_connected(const struct sock *sk)
{
	return !ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) |
			     TTP_STATEBIT(TTP_LISTEN));
}

static int ttp_auth_add(struct sock *sk, const struct ttp_auth_key *uk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_auth_mkt *key, *old;
	struct ttp_auth_info *ai;
	int err;

	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	err = ttp_auth_key_from_user(uk, key);
	if (err)
		goto free;

	/* A connection signs or not from its first segment to its last. */
	if (ttp_auth_connected(sk) && !tsk->auth_on) {
		err = -EISCONN;
		goto free;
	}
	ai = ttp_auth_info_get(sk, GFP_KERNEL);
	err = -ENOMEM;
	if (!ai)
		goto free;
	err = -ENOSPC;
	if (ai->nkeys >= TTP_AUTH_MAX_KEYS)
		goto free;
	/* For a peer, a key id names one key each way (RFC 5925 3.1). */
	err = -EEXIST;
	list_for_each_entry(old, &ai->keys, node)
		if (ttp_auth_keys_overlap(old, key) &&
		    (old->sndid == key->sndid || old->rcvid == key->rcvid))
			goto free;
	if (ttp_auth_connected(sk) &&
	    (uk->ttpak_flags & (TTP_AUTH_F_CURRENT | TTP_AUTH_F_RNEXT)) &&
	    !ttp_auth_key_matches(key, inet->inet_daddr, inet->inet_dport)) {
		err = -EINVAL;
		goto free;
	}

	key->flags = uk->ttpak_flags;
	list_add_tail_rcu(&key->node, &ai->keys);
	ai->nkeys++;
	if (ttp_auth_connected(sk)) {
		if (key->flags & TTP_AUTH_F_CURRENT)
			ai->cur = key;
		if (key->flags & TTP_AUTH_F_RNEXT)
			ai->rnext = key;
	}
	return 0;
free:
	kfree_sensitive(key);
	return err;
}

static void ttp_auth_key_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct ttp_auth_mkt, rcu));
}

static void ttp_auth_info_free_rcu(struct rcu_head *head)
{
	/* The traffic keys go with it: wiped. */
	kfree_sensitive(container_of(head, struct ttp_auth_info, rcu));
}

static int ttp_auth_del(struct sock *sk, const struct ttp_auth_del *ud)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_auth_info *ai;
	struct ttp_auth_mkt *key;
	__be32 addr = ud->ttpad_peer.sttp_addr.v4;

	if (ud->ttpad_peer.sttp_family != ttp_family ||
	    ud->ttpad_peer.sttp_ipfamily != AF_INET)
		return -EAFNOSUPPORT;
	if (memchr_inv(ud->ttpad_reserved, 0, sizeof(ud->ttpad_reserved)))
		return -EINVAL;
	ai = rcu_dereference_protected(tsk->auth, lockdep_sock_is_held(sk));
	if (!ai)
		return -ENOENT;
	list_for_each_entry(key, &ai->keys, node) {
		if (key->addr != addr || key->prefix != ud->ttpad_prefix ||
		    key->port != ud->ttpad_peer.sttp_port ||
		    key->sndid != ud->ttpad_sndid ||
		    key->rcvid != ud->ttpad_rcvid)
			continue;
		/* The keys a connection signs with or asks for stay. */
		if (key == ai->cur || key == ai->rnext)
			return -EBUSY;
		ttp_auth_forget_slots(ai, key);
		list_del_rcu(&key->node);
		ai->nkeys--;
		call_rcu(&key->rcu, ttp_auth_key_free_rcu);
		return 0;
	}
	return -ENOENT;
}

static int ttp_auth_select(struct sock *sk, const struct ttp_auth_select *us)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_auth_mkt *cur = NULL, *rnext = NULL;
	struct ttp_auth_info *ai;

	if (us->ttpas_reserved || us->ttpas_peer_rnext ||
	    (us->ttpas_flags & ~(TTP_AUTH_F_CURRENT | TTP_AUTH_F_RNEXT)))
		return -EINVAL;
	if (!ttp_auth_connected(sk))
		return -ENOTCONN;
	ai = rcu_dereference_protected(tsk->auth, lockdep_sock_is_held(sk));
	if (!tsk->auth_on || !ai)
		return -ENOENT;
	if (us->ttpas_flags & TTP_AUTH_F_CURRENT) {
		cur = ttp_auth_find(ai, inet->inet_daddr, inet->inet_dport,
				    us->ttpas_sndid, -1);
		if (!cur)
			return -ENOENT;
	}
	if (us->ttpas_flags & TTP_AUTH_F_RNEXT) {
		rnext = ttp_auth_find(ai, inet->inet_daddr, inet->inet_dport,
				      -1, us->ttpas_rcvid);
		if (!rnext)
			return -ENOENT;
	}
	if (cur)
		ai->cur = cur;
	if (rnext)
		ai->rnext = rnext;
	return 0;
}

/**
 * ttp_auth_setsockopt() - TTP_AUTH_KEY, TTP_AUTH_DEL_KEY, TTP_AUTH_SELECT
 * @sk: the socket, locked
 * @optname: which
 * @optval: its struct
 * @optlen: at least the struct's size
 *
 * Return: 0, or the errno of Documentation/ttp-uapi.rst.
 */
int ttp_auth_setsockopt(struct sock *sk, int optname, sockptr_t optval,
			unsigned int optlen)
{
	union {
		struct ttp_auth_key key;
		struct ttp_auth_del del;
		struct ttp_auth_select sel;
	} u;
	unsigned int len;
	int err;

	switch (optname) {
	case TTP_AUTH_KEY:
		len = sizeof(u.key);
		break;
	case TTP_AUTH_DEL_KEY:
		len = sizeof(u.del);
		break;
	case TTP_AUTH_SELECT:
		len = sizeof(u.sel);
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (optlen < len)
		return -EINVAL;
	if (copy_from_sockptr(&u, optval, len))
		return -EFAULT;

	switch (optname) {
	case TTP_AUTH_KEY:
		err = ttp_auth_add(sk, &u.key);
		break;
	case TTP_AUTH_DEL_KEY:
		err = ttp_auth_del(sk, &u.del);
		break;
	default:
		err = ttp_auth_select(sk, &u.sel);
		break;
	}
	memzero_explicit(&u, sizeof(u));
	return err;
}

static void ttp_auth_key_info(const struct ttp_auth_info *ai,
			      const struct ttp_auth_mkt *key,
			      struct ttp_auth_key_info *ki)
{
	memset(ki, 0, sizeof(*ki));
	ki->ttpaki_peer.sttp_family = ttp_family;
	ki->ttpaki_peer.sttp_ipfamily = AF_INET;
	ki->ttpaki_peer.sttp_port = key->port;
	ki->ttpaki_peer.sttp_addr.v4 = key->addr;
	ki->ttpaki_prefix = key->prefix;
	ki->ttpaki_sndid = key->sndid;
	ki->ttpaki_rcvid = key->rcvid;
	ki->ttpaki_alg = key->alg;
	ki->ttpaki_maclen = key->maclen;
	if (key == ai->cur)
		ki->ttpaki_flags |= TTP_AUTH_F_CURRENT;
	if (key == ai->rnext)
		ki->ttpaki_flags |= TTP_AUTH_F_RNEXT;
	if (key == ai->cur || key == ai->rnext)
		ki->ttpaki_flags |= TTP_AUTH_F_IN_USE;
	ki->ttpaki_good = atomic64_read(&key->good);
	ki->ttpaki_bad = atomic64_read(&key->bad);
}

static int ttp_auth_get_keys(struct sock *sk, char __user *optval, int len)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_auth_keys hdr;
	struct ttp_auth_key_info ki;
	struct ttp_auth_info *ai;
	struct ttp_auth_mkt *key;
	u32 i = 0;

	if (len < (int)sizeof(hdr))
		return -EINVAL;
	if (copy_from_user(&hdr, optval, sizeof(hdr)))
		return -EFAULT;
	if (hdr.ttpaks_reserved)
		return -EINVAL;
	/* Room for as many entries as the buffer holds and the count says. */
	hdr.ttpaks_count = min_t(u32, hdr.ttpaks_count,
				 (len - sizeof(hdr)) / sizeof(ki));
	ai = rcu_dereference_protected(tsk->auth, lockdep_sock_is_held(sk));
	if (ai) {
		list_for_each_entry(key, &ai->keys, node) {
			if (i < hdr.ttpaks_count) {
				ttp_auth_key_info(ai, key, &ki);
				if (copy_to_user(optval + sizeof(hdr) +
						 i * sizeof(ki), &ki,
						 sizeof(ki)))
					return -EFAULT;
			}
			i++;
		}
	}
	hdr.ttpaks_count = i;
	if (copy_to_user(optval, &hdr, sizeof(hdr)))
		return -EFAULT;
	return 0;
}

/**
 * ttp_auth_getsockopt() - TTP_AUTH_SELECT, TTP_AUTH_GET_KEYS
 * @sk: the socket, locked
 * @optname: which
 * @optval: the user's buffer
 * @len: its length
 *
 * Return: the length written (>= 0), or an errno.
 */
int ttp_auth_getsockopt(struct sock *sk, int optname, char __user *optval,
			int len)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_auth_select sel = {};
	struct ttp_auth_info *ai;
	int err;

	switch (optname) {
	case TTP_AUTH_GET_KEYS:
		err = ttp_auth_get_keys(sk, optval, len);
		return err ?: len;
	case TTP_AUTH_SELECT:
		if (!ttp_auth_connected(sk))
			return -ENOTCONN;
		ai = rcu_dereference_protected(tsk->auth,
					       lockdep_sock_is_held(sk));
		if (!tsk->auth_on || !ai || !ai->cur || !ai->rnext)
			return -ENOENT;
		sel.ttpas_flags = TTP_AUTH_F_CURRENT | TTP_AUTH_F_RNEXT;
		sel.ttpas_sndid = ai->cur->sndid;
		sel.ttpas_rcvid = ai->rnext->rcvid;
		sel.ttpas_peer_rnext = ai->peer_rnext;
		len = min_t(int, len, sizeof(sel));
		if (len < 0)
			return -EINVAL;
		if (copy_to_user(optval, &sel, len))
			return -EFAULT;
		return len;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * ttp_auth_start() - decide whether a connection signs, and with which key
 * @sk: the socket, locked, its peer's address and port set
 *
 * A key that matches the peer makes authentication required: the current
 * key is the one flagged TTP_AUTH_F_CURRENT, else the first that matches;
 * the one asked for, the one flagged TTP_AUTH_F_RNEXT, else the current.
 *
 * Return: true if the connection signs.
 */
bool ttp_auth_start(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_auth_mkt *key, *first = NULL;
	struct ttp_auth_info *ai;

	ai = rcu_dereference_protected(tsk->auth, lockdep_sock_is_held(sk));
	tsk->auth_on = 0;
	if (!ai)
		return false;
	ai->cur = NULL;
	ai->rnext = NULL;
	list_for_each_entry(key, &ai->keys, node) {
		if (!ttp_auth_key_matches(key, inet->inet_daddr,
					  inet->inet_dport))
			continue;
		if (!first)
			first = key;
		if ((key->flags & TTP_AUTH_F_CURRENT) && !ai->cur)
			ai->cur = key;
		if ((key->flags & TTP_AUTH_F_RNEXT) && !ai->rnext)
			ai->rnext = key;
	}
	if (!first)
		return false;
	if (!ai->cur)
		ai->cur = first;
	if (!ai->rnext)
		ai->rnext = ai->cur;
	tsk->auth_on = 1;
	return true;
}

/**
 * ttp_auth_inherit() - a child takes the keys of its listener for its peer
 * @parent: the listener
 * @child: the child, its peer's address and port set
 * @keyid: the key id the peer signed its SYN with
 * @rnext: the key id the peer asked for
 *
 * In softirq.  The child signs with the key the peer asked for, if it has
 * it, and asks for the one the peer signed with.
 *
 * Return: 0, or -ENOMEM.
 */
int ttp_auth_inherit(struct sock *parent, struct sock *child, u8 keyid,
		     u8 rnext)
{
	struct inet_sock *inet = inet_sk(child);
	struct ttp_auth_info *pai, *ai;
	struct ttp_auth_mkt *key, *copy;

	ai = ttp_auth_info_get(child, GFP_ATOMIC);
	if (!ai)
		return -ENOMEM;
	rcu_read_lock();
	pai = rcu_dereference(ttp_sk(parent)->auth);
	/* The listener may be going (ttp_auth_free()) under its process. */
	if (!pai) {
		rcu_read_unlock();
		return -ENOENT;
	}
	list_for_each_entry_rcu(key, &pai->keys, node) {
		if (!ttp_auth_key_matches(key, inet->inet_daddr,
					  inet->inet_dport))
			continue;
		copy = kmemdup(key, sizeof(*key), GFP_ATOMIC);
		if (!copy) {
			rcu_read_unlock();
			return -ENOMEM;
		}
		atomic64_set(&copy->good, 0);
		atomic64_set(&copy->bad, 0);
		list_add_tail(&copy->node, &ai->keys);
		ai->nkeys++;
	}
	rcu_read_unlock();

	ai->cur = ttp_auth_find(ai, inet->inet_daddr, inet->inet_dport, rnext,
				-1);
	ai->rnext = ttp_auth_find(ai, inet->inet_daddr, inet->inet_dport,
				  -1, keyid);
	if (!ai->cur)
		ai->cur = ai->rnext;
	if (!ai->cur)
		return -ENOENT;
	if (!ai->rnext)
		ai->rnext = ai->cur;
	ai->peer_rnext = rnext;
	ttp_sk(child)->auth_on = 1;
	return 0;
}

/**
 * ttp_auth_free() - free the keys of a socket being destroyed
 * @sk: the socket
 */
void ttp_auth_free(struct sock *sk)
{
	struct ttp_auth_info *ai = rcu_dereference_protected(ttp_sk(sk)->auth,
							     true);
	struct ttp_auth_mkt *key, *next;

	if (!ai)
		return;
	RCU_INIT_POINTER(ttp_sk(sk)->auth, NULL);
	list_for_each_entry_safe(key, next, &ai->keys, node) {
		list_del_rcu(&key->node);
		call_rcu(&key->rcu, ttp_auth_key_free_rcu);
	}
	call_rcu(&ai->rcu, ttp_auth_info_free_rcu);
}

/* ---- segments ---- */

/*
 * The SNE of sequence number @seq, from a sequence number near it whose
 * position since the sender's ISN, counted from the ISN's wrap, is @ref:
 * (u32)@ref is that number, @ref >> 32 its SNE.
 */
static u32 ttp_auth_sne(u64 ref, u32 seq)
{
	u32 near = (u32)ref, sne = ref >> 32;

	if (ttp_seq_before(seq, near))
		return seq > near ? sne - 1 : sne;
	return seq < near ? sne + 1 : sne;
}

static void ttp_auth_pseudo(struct ttp_pseudo4 *ph, __be32 saddr,
			    __be32 daddr, unsigned int len)
{
	ph->saddr = saddr;
	ph->daddr = daddr;
	ph->zero = 0;
	ph->proto = ttp_ipproto;
	ph->len = htons(len);
}

/* The traffic key of @key for the sender at @saddr, @sport. */
static void ttp_auth_derive(const struct ttp_auth_mkt *key, __be32 saddr,
			    __be32 daddr, __be16 sport, __be16 dport,
			    u32 isn_s, u32 isn_r, struct ttp_hmac *traffic)
{
	struct ttp_auth_ctx ctx = {
		.saddr = (const u8 *)&saddr, .daddr = (const u8 *)&daddr,
		.alen = sizeof(saddr), .sport = sport, .dport = dport,
		.isn_s = isn_s, .isn_r = isn_r,
	};
	u8 tk[TTP_AUTH_TRAFFIC_LEN];

	ttp_auth_traffic_key(&key->master, &ctx, tk);
	ttp_hmac_setkey(traffic, tk, sizeof(tk));
	memzero_explicit(tk, sizeof(tk));
}

/*
 * Write the AUTH option of @key into the TTP_AUTH_SPACE bytes at @opt,
 * NOPs first if the MAC is shorter than the longest, asking the peer for
 * key id @rnext.  Return: where the option starts (the MAC follows its
 * TTPOLEN_AUTH_HDR bytes).
 */
static u8 *ttp_auth_write_opt(u8 *opt, const struct ttp_auth_mkt *key,
			      u8 rnext)
{
	unsigned int pad = TTP_AUTH_SPACE - TTPOLEN_AUTH_HDR - key->maclen;

	memset(opt, TTPOPT_NOP, pad);
	opt += pad;
	opt[0] = TTPOPT_AUTH;
	opt[1] = TTPOLEN_AUTH_HDR + key->maclen;
	opt[2] = key->sndid;
	opt[3] = rnext;
	return opt;
}

/* A SYN without ACK is signed before the peer's ISN is known. */
static bool ttp_auth_first_syn(const struct ttphdr *th)
{
	return (th->flags & (TTPF_SYN | TTPF_ACK)) == TTPF_SYN;
}

/**
 * ttp_auth_sign() - write the AUTH option of a segment and sign it
 * @sk: the connection, which signs (auth_on), under its lock
 * @skb: the segment, @th at skb->data, the payload after the header
 * @th: its header, every field and option final but the checksum
 * @opt_off: where the TTP_AUTH_SPACE bytes for the option are, from @th
 *
 * The option goes at the end of that room, after NOPs if the MAC is
 * shorter than the longest.
 */
void ttp_auth_sign(struct sock *sk, struct sk_buff *skb, struct ttphdr *th,
		   unsigned int opt_off)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_auth_info *ai = rcu_dereference_protected(tsk->auth, true);
	const struct ttp_auth_mkt *key = ai->cur;
	unsigned int hlen = ttp_hdr_len(th);
	u32 isn_r = ttp_auth_first_syn(th) ? 0 : tsk->irs;
	u8 *opt = (u8 *)th + opt_off;
	struct ttp_pseudo4 ph;
	u32 sne;

	opt = ttp_auth_write_opt(opt, key, ai->rnext->rcvid);

	if (ai->tx.key != key || ai->tx.isn_r != isn_r) {
		ttp_auth_derive(key, inet->inet_saddr, inet->inet_daddr,
				inet->inet_sport, inet->inet_dport, tsk->iss,
				isn_r, &ai->tx.traffic);
		ai->tx.key = key;
		ai->tx.isn_r = isn_r;
	}
	sne = ttp_auth_sne((u64)tsk->iss + 1 + tsk->bytes_acked,
			   ntohl(th->seq));
	ttp_auth_pseudo(&ph, inet->inet_saddr, inet->inet_daddr, skb->len);
	/* Nothing here can be misplaced: the room is in the options. */
	WARN_ON_ONCE(ttp_auth_mac(&ai->tx.traffic, sne, &ph, sizeof(ph), th,
				  opt + TTPOLEN_AUTH_HDR - (u8 *)th,
				  key->maclen, skb, hlen, skb->len - hlen,
				  opt + TTPOLEN_AUTH_HDR));
}

/* The receive slot of @key and @isn_r, derived if it is not there. */
static const struct ttp_hmac *ttp_auth_rx_key(struct sock *sk,
					      struct ttp_auth_info *ai,
					      const struct ttp_auth_mkt *key,
					      u32 isn_s, u32 isn_r)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_auth_slot *slot;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ai->rx); i++) {
		slot = &ai->rx[i];
		if (slot->key == key && slot->isn_r == isn_r &&
		    slot->isn_s == isn_s)
			return &slot->traffic;
	}
	/* Replace the slot used least recently. */
	slot = &ai->rx[ai->rx_next];
	ai->rx_next = (ai->rx_next + 1) % ARRAY_SIZE(ai->rx);
	ttp_auth_derive(key, inet->inet_daddr, inet->inet_saddr,
			inet->inet_dport, inet->inet_sport, isn_s, isn_r,
			&slot->traffic);
	slot->key = key;
	slot->isn_s = isn_s;
	slot->isn_r = isn_r;
	return &slot->traffic;
}

/**
 * ttp_auth_check() - verify the AUTH option of a segment that arrived
 * @sk: its socket, under its lock (a listener: under RCU only)
 * @skb: the segment, the header pulled (at its transport header)
 * @opts: its options, parsed
 *
 * A connection that signs takes only segments signed with a key of the
 * peer's; one that does not, only unsigned ones.  A listener with a key
 * for the peer takes only a signed SYN, or the signed ACK of a SYN cookie;
 * without one, only unsigned segments.  A good segment also tells which
 * key the peer wants us to sign with: we switch to it if we have it
 * (rollover, RFC 5925 7.4.2).
 *
 * Return: 0 to go on, or the counter (TTP_MIB_AUTH*) to drop @skb with:
 * it is never answered.
 */
int ttp_auth_check(struct sock *sk, struct sk_buff *skb,
		   const struct ttp_opts *opts)
{
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct ttp_sock *tsk = ttp_sk(sk);
	const struct ttp_hmac *traffic = NULL;
	struct ttp_hmac stack_key;
	struct ttp_auth_mkt *key;
	struct ttp_auth_info *ai;
	u8 mac[TTP_AUTH_MACLEN_MAX];
	u32 seq = ntohl(th->seq), isn_s, isn_r, sne;
	unsigned int hlen = ttp_hdr_len(th), maclen;
	struct ttp_pseudo4 ph;
	const u8 *opt;
	int ret = 0;

	rcu_read_lock();
	ai = rcu_dereference(tsk->auth);
	if (sk->sk_state == TTP_LISTEN) {
		if (!ttp_auth_find(ai, iph->saddr, th->source, -1, -1)) {
			ret = opts->has_auth ? TTP_MIB_AUTHKEYNOTFOUND : 0;
			goto out;
		}
	} else if (!tsk->auth_on) {
		ret = opts->has_auth ? TTP_MIB_AUTHKEYNOTFOUND : 0;
		goto out;
	}
	if (!opts->has_auth) {
		ret = TTP_MIB_AUTHREQUIRED;
		goto out;
	}
	opt = (const u8 *)(th + 1) + opts->auth_off;
	key = ttp_auth_find(ai, iph->saddr, th->source, -1, opt[2]);
	if (!key) {
		ret = TTP_MIB_AUTHKEYNOTFOUND;
		goto out;
	}
	maclen = opts->auth_len - TTPOLEN_AUTH_HDR;
	if (maclen != key->maclen)
		goto bad;

	/* The ISNs: ours known but for a listener, the peer's in a SYN. */
	isn_r = ttp_auth_first_syn(th) ? 0 : tsk->iss;
	if (sk->sk_state == TTP_LISTEN || sk->sk_state == TTP_SYN_SENT) {
		/* A SYN, or a cookie's ACK: ISNs one before its numbers. */
		isn_s = (th->flags & TTPF_SYN) ? seq : seq - 1;
		if (sk->sk_state == TTP_LISTEN && !(th->flags & TTPF_SYN))
			isn_r = ntohl(th->ack_seq) - 1;
		else if (sk->sk_state == TTP_LISTEN)
			isn_r = 0;
		ttp_auth_derive(key, iph->saddr, iph->daddr, th->source,
				th->dest, isn_s, isn_r, &stack_key);
		traffic = &stack_key;
		sne = ttp_auth_sne((u64)isn_s + 1, seq);
	} else {
		isn_s = tsk->irs;
		traffic = ttp_auth_rx_key(sk, ai, key, isn_s, isn_r);
		sne = ttp_auth_sne((u64)isn_s + 1 + tsk->bytes_received, seq);
	}
	ttp_auth_pseudo(&ph, iph->saddr, iph->daddr, hlen + skb->len);
	if (ttp_auth_mac(traffic, sne, &ph, sizeof(ph), th,
			 opt + TTPOLEN_AUTH_HDR - (const u8 *)th, maclen, skb,
			 0, skb->len, mac) ||
	    crypto_memneq(mac, opt + TTPOLEN_AUTH_HDR, maclen))
		goto bad;

	atomic64_inc(&key->good);
	ret = 0;
	if (sk->sk_state != TTP_LISTEN) {
		ai->peer_rnext = opt[3];
		if (ai->cur->sndid != opt[3]) {
			struct ttp_auth_mkt *next;

			next = ttp_auth_find(ai, iph->saddr, th->source,
					     opt[3], -1);
			if (next)
				ai->cur = next;
		}
	}
	TTP_INC_STATS(sock_net(sk), TTP_MIB_AUTHGOOD);
	goto out;
bad:
	atomic64_inc(&key->bad);
	ret = TTP_MIB_AUTHBAD;
out:
	rcu_read_unlock();
	if (traffic == &stack_key)
		memzero_explicit(&stack_key, sizeof(stack_key));
	memzero_explicit(mac, sizeof(mac));
	return ret;
}

/**
 * ttp_auth_reply_key() - the key a listener answers a signed SYN with
 * @sk: the listener, under RCU
 * @addr: the peer's address
 * @port: its port
 * @keyid: the key id the SYN was signed with
 * @rnext: the key id the SYN asked for
 *
 * As its child would (ttp_auth_inherit()): the key asked for if we have
 * it, else the one the SYN was signed with.
 *
 * Return: the key, or NULL.
 */
const struct ttp_auth_mkt *ttp_auth_reply_key(struct sock *sk, __be32 addr,
					      __be16 port, u8 keyid, u8 rnext)
{
	struct ttp_auth_info *ai = rcu_dereference(ttp_sk(sk)->auth);
	const struct ttp_auth_mkt *key;

	key = ttp_auth_find(ai, addr, port, rnext, -1);
	return key ?: ttp_auth_find(ai, addr, port, -1, keyid);
}

/**
 * ttp_auth_sign_reply() - sign a segment sent without a connection
 * @skb: the segment, @th at skb->data, no payload
 * @th: its header, all but the checksum final: a SYN+ACK
 * @opt_off: where the TTP_AUTH_SPACE bytes for the option are, from @th
 * @key: the key
 * @rnext: the key id to ask the peer for
 * @saddr: our address
 * @daddr: the peer's
 *
 * The SYN+ACK of a SYN cookie: its ISN is its sequence number, the peer's
 * one before its acknowledgment number.
 */
void ttp_auth_sign_reply(struct sk_buff *skb, struct ttphdr *th,
			 unsigned int opt_off, const struct ttp_auth_mkt *key,
			 u8 rnext, __be32 saddr, __be32 daddr)
{
	u32 isn = ntohl(th->seq);
	u8 *opt = (u8 *)th + opt_off;
	struct ttp_hmac traffic;
	struct ttp_pseudo4 ph;

	opt = ttp_auth_write_opt(opt, key, rnext);
	ttp_auth_derive(key, saddr, daddr, th->source, th->dest, isn,
			ntohl(th->ack_seq) - 1, &traffic);
	ttp_auth_pseudo(&ph, saddr, daddr, skb->len);
	WARN_ON_ONCE(ttp_auth_mac(&traffic, ttp_auth_sne((u64)isn + 1, isn),
				  &ph, sizeof(ph), th,
				  opt + TTPOLEN_AUTH_HDR - (u8 *)th,
				  key->maclen, skb, skb->len, 0,
				  opt + TTPOLEN_AUTH_HDR));
	memzero_explicit(&traffic, sizeof(traffic));
}
