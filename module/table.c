// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TTP port table of a network namespace.
 *
 * Three hash tables, written under ttp_tables.lock, read under RCU:
 * - bhash, by local port: every socket that holds a port (bound sockets,
 *   listeners, connections, accepted children).  bind() and the ephemeral
 *   port search look here; only writers use it, under the lock.
 * - lhash, by local port: listeners.  A SYN finds its listener here.
 * - ehash, by 4-tuple: connections in every state but LISTEN and CLOSED.
 *   Every other segment finds its socket here.  It starts with 256
 *   buckets and doubles, up to 2^20, when it holds more sockets than
 *   buckets (ttp_ehash_grow()), so that a lookup costs the same with one
 *   connection or a million and an idle namespace costs 2 KiB.
 * A socket in lhash or ehash holds a reference for the table.
 *
 * Port reuse rules (Documentation/protocol.rst, "Ports"): a port is taken
 * by a socket bound to the same or a wildcard address, unless both sockets
 * set SO_REUSEADDR and neither is a listener, or both set SO_REUSEPORT and
 * belong to one user; a connection's own 4-tuple is unique.
 *
 * Listeners that share a port by SO_REUSEPORT on one address form a group,
 * the kernel's struct sock_reuseport (net/core/sock_reuseport.c, as TCP's
 * and UDP's): a SYN finds one member in lhash, and the group picks the
 * listener by a hash of the 4-tuple (or by the group's BPF program,
 * SO_ATTACH_REUSEPORT_CBPF).  A listener joins its group in lhash and
 * leaves it as it leaves lhash, both under ttp_tables.lock; the group has
 * its own lock (reuseport_lock), taken inside ours.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/sock_reuseport.h>

#include "ttp.h"

static struct ttp_tables *ttp_tables_of(const struct sock *sk)
{
	return ttp_pernet(sock_net(sk))->tables;
}

static u32 ttp_ehashfn(const struct net *net, __be32 laddr, u16 lport,
		       __be32 raddr, __be16 rport)
{
	static u32 ttp_ehash_secret __read_mostly;

	net_get_random_once(&ttp_ehash_secret, sizeof(ttp_ehash_secret));
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((u32)lport << 16) | (__force u16)rport,
			    ttp_ehash_secret + net_hash_mix(net));
}

static struct hlist_head *ttp_ehead(struct ttp_ehash *eh, u32 hash)
{
	return &eh->heads[hash & eh->mask];
}

/* The buckets, for a writer (who holds t->lock). */
static struct ttp_ehash *ttp_ehash_locked(struct ttp_tables *t)
{
	return rcu_dereference_protected(t->ehash, lockdep_is_held(&t->lock));
}

static struct ttp_ehash *ttp_ehash_alloc(unsigned int bits)
{
	struct ttp_ehash *eh;
	u32 i, n = 1U << bits;

	eh = kvmalloc(struct_size(eh, heads, n), GFP_KERNEL);
	if (!eh)
		return NULL;
	eh->mask = n - 1;
	for (i = 0; i < n; i++)
		INIT_HLIST_HEAD(&eh->heads[i]);
	return eh;
}

/*
 * ehash holds more sockets than buckets: move them all to an array large
 * enough for twice as many, in process context since the array may be
 * megabytes (the socket that passed the mark may have been hashed in
 * softirq).  Lookups run meanwhile, under RCU and without the lock: a
 * lookup that walked a chain while its sockets moved may have been led
 * into another, and missed its socket; ehash_seq tells it to look again
 * (ttp_lookup_established()).  The old array goes after a grace period.
 */
static void ttp_ehash_grow(struct work_struct *work)
{
	struct ttp_tables *t = container_of(work, struct ttp_tables, ehash_grow);
	struct ttp_ehash *old, *new;
	unsigned int bits;
	u32 i;

	/* Only this work replaces the array: it is stable here. */
	old = rcu_dereference_protected(t->ehash, 1);
	bits = ilog2(old->mask + 1);
	while (bits < TTP_EHASH_MAX_BITS &&
	       READ_ONCE(t->ehash_count) >= 1U << bits)
		bits++;
	if (bits == ilog2(old->mask + 1))
		return;
	new = ttp_ehash_alloc(bits + (bits < TTP_EHASH_MAX_BITS));
	if (!new)
		return;	/* longer chains; the next insertion tries again */

	spin_lock_bh(&t->lock);
	write_seqcount_begin(&t->ehash_seq);
	for (i = 0; i <= old->mask; i++) {
		struct hlist_node *next;
		struct sock *sk;

		sk_for_each_safe(sk, next, &old->heads[i]) {
			hlist_del_rcu(&sk->sk_node);
			hlist_add_head_rcu(&sk->sk_node,
					   ttp_ehead(new, sk->sk_hash));
		}
	}
	rcu_assign_pointer(t->ehash, new);
	write_seqcount_end(&t->ehash_seq);
	spin_unlock_bh(&t->lock);

	synchronize_rcu();
	kvfree(old);
}

static struct hlist_head *ttp_lhead(struct ttp_tables *t, u16 port)
{
	return &t->lhash[hash_32(port, TTP_LHASH_BITS)];
}

static struct hlist_head *ttp_bhead(struct ttp_tables *t, u16 port)
{
	return &t->bhash[hash_32(port, TTP_BHASH_BITS)];
}

/**
 * ttp_tables_init() - allocate the port tables of a namespace
 * @tn: the namespace's TTP state
 *
 * Return: 0, or -ENOMEM.
 */
int ttp_tables_init(struct ttp_net *tn)
{
	struct ttp_tables *t = kvzalloc(sizeof(*t), GFP_KERNEL);
	struct ttp_ehash *eh = ttp_ehash_alloc(TTP_EHASH_MIN_BITS);

	if (!t || !eh) {
		kvfree(t);
		kvfree(eh);
		return -ENOMEM;
	}
	spin_lock_init(&t->lock);
	seqcount_spinlock_init(&t->ehash_seq, &t->lock);
	RCU_INIT_POINTER(t->ehash, eh);
	INIT_WORK(&t->ehash_grow, ttp_ehash_grow);
	t->ephemeral_next = get_random_u32();
	tn->tables = t;
	return 0;
}

/**
 * ttp_tables_exit() - free the port tables of a namespace
 * @tn: the namespace's TTP state
 */
void ttp_tables_exit(struct ttp_net *tn)
{
	struct ttp_tables *t = tn->tables;

	/* Every socket holds its namespace: none can be left here. */
	cancel_work_sync(&t->ehash_grow);
	kvfree(rcu_dereference_protected(t->ehash, 1));
	kvfree(t);
}

/*
 * Do @a and @b, bound to the same port, conflict?  @uid is @a's owner;
 * @reuseport says whether SO_REUSEPORT may let them share (not when
 * looking for an ephemeral port, as TCP's).
 */
static bool ttp_bind_conflict(const struct sock *a, struct sock *b,
			      kuid_t uid, bool reuseport)
{
	__be32 aa = inet_sk(a)->inet_rcv_saddr;
	__be32 ba = inet_sk(b)->inet_rcv_saddr;

	if (aa && ba && aa != ba)
		return false;
	/* SO_REUSEADDR lets a new socket take a port from TIME_WAIT. */
	if (a->sk_reuse && b->sk_state == TTP_TIME_WAIT)
		return false;
	if (a->sk_bound_dev_if && b->sk_bound_dev_if &&
	    a->sk_bound_dev_if != b->sk_bound_dev_if)
		return false;
	/* SO_REUSEADDR on both, and no listener among them. */
	if (a->sk_reuse && b->sk_reuse && a->sk_state != TTP_LISTEN &&
	    b->sk_state != TTP_LISTEN)
		return false;
	/*
	 * SO_REUSEPORT on both, and one owner (the same uid as the socket
	 * files' owners, sock_i_uid(), as TCP's rule): another user cannot
	 * take a share of a server's connections.
	 */
	if (reuseport && a->sk_reuseport && b->sk_reuseport &&
	    (b->sk_state == TTP_TIME_WAIT || uid_eq(uid, sock_i_uid(b))))
		return false;
	return true;
}

/* Under t->lock: is @port free for @sk, owned by @uid? */
static bool ttp_port_free(struct ttp_tables *t, struct sock *sk, u16 port,
			  kuid_t uid, bool reuseport)
{
	struct sock *o;

	sk_for_each_bound(o, ttp_bhead(t, port)) {
		if (o != sk && inet_sk(o)->inet_num == port &&
		    ttp_bind_conflict(sk, o, uid, reuseport))
			return false;
	}
	return true;
}

static void ttp_bind_locked(struct ttp_tables *t, struct sock *sk, u16 port)
{
	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
	sk_add_bind_node(sk, ttp_bhead(t, port));
	ttp_sk(sk)->bound = 1;
}

/**
 * ttp_bind_port() - give @sk a local address and port
 * @sk: the socket
 * @addr: the local address, 0 for any
 * @port: the port, in host order (0: pick an ephemeral one)
 *
 * On failure @sk is left without an address.
 *
 * Return: 0, -EADDRINUSE, or -EADDRNOTAVAIL when no ephemeral port is
 * free.
 */
int ttp_bind_port(struct sock *sk, __be32 addr, u16 port)
{
	struct ttp_net *tn = ttp_pernet(sock_net(sk));
	struct ttp_tables *t = tn->tables;
	kuid_t uid = sock_i_uid(sk);
	int err = 0;

	inet_sk(sk)->inet_rcv_saddr = addr;
	inet_sk(sk)->inet_saddr = addr;

	spin_lock_bh(&t->lock);
	if (port) {
		if (ttp_port_free(t, sk, port, uid, true))
			ttp_bind_locked(t, sk, port);
		else
			err = -EADDRINUSE;
	} else {
		int lo, hi;
		u32 n, i;

		ttp_sysctl_ephemeral_ports(sock_net(sk), &lo, &hi);
		if (lo > hi)
			swap(lo, hi);
		n = hi - lo + 1;
		err = -EADDRNOTAVAIL;
		/*
		 * Start where the last search ended, plus a random step, so
		 * that ports are neither predictable nor searched from the
		 * same place each time.
		 */
		t->ephemeral_next += get_random_u32_below(8) + 1;
		for (i = 0; i < n; i++) {
			u16 p = lo + (t->ephemeral_next + i) % n;

			if (ttp_port_free(t, sk, p, uid, false)) {
				ttp_bind_locked(t, sk, p);
				t->ephemeral_next += i;
				err = 0;
				break;
			}
		}
	}
	spin_unlock_bh(&t->lock);

	if (err) {
		inet_sk(sk)->inet_rcv_saddr = 0;
		inet_sk(sk)->inet_saddr = 0;
	}
	return err;
}

/**
 * ttp_autobind() - bind @sk to an ephemeral port if it has none yet
 * @sk: the socket
 *
 * Return: 0, or what ttp_bind_port() returned.
 */
int ttp_autobind(struct sock *sk)
{
	if (ttp_sk(sk)->bound)
		return 0;
	return ttp_bind_port(sk, inet_sk(sk)->inet_rcv_saddr, 0);
}

/**
 * ttp_unbind() - give back the port @sk holds
 * @sk: the socket
 *
 * It leaves bhash; nothing happens if it holds no port.
 */
void ttp_unbind(struct sock *sk)
{
	struct ttp_tables *t = ttp_tables_of(sk);

	if (!ttp_sk(sk)->bound)
		return;
	spin_lock_bh(&t->lock);
	__sk_del_bind_node(sk);
	ttp_sk(sk)->bound = 0;
	spin_unlock_bh(&t->lock);
}

/**
 * ttp_bind_child() - a listener's child takes the listener's port (softirq)
 * @parent: the listener
 * @child: its new child
 */
void ttp_bind_child(struct sock *parent, struct sock *child)
{
	struct ttp_tables *t = ttp_tables_of(parent);
	u16 port = inet_sk(parent)->inet_num;

	spin_lock(&t->lock);
	ttp_bind_locked(t, child, port);
	spin_unlock(&t->lock);
}

/*
 * Under t->lock: put listener @sk, owned by @uid, in the SO_REUSEPORT group
 * of the port's listeners on the same address and device of the same
 * owner (TCP's rule, inet_reuseport_add_sock()), or in a group of its own.
 */
static int ttp_reuseport_join(struct ttp_tables *t, struct sock *sk,
			      kuid_t uid)
{
	__be32 addr = inet_sk(sk)->inet_rcv_saddr;
	u16 port = inet_sk(sk)->inet_num;
	struct sock *o;

	sk_for_each(o, ttp_lhead(t, port)) {
		if (inet_sk(o)->inet_num == port && o->sk_reuseport &&
		    inet_sk(o)->inet_rcv_saddr == addr &&
		    o->sk_bound_dev_if == sk->sk_bound_dev_if &&
		    uid_eq(uid, sock_i_uid(o)))
			return reuseport_add_sock(sk, o, !addr);
	}
	return reuseport_alloc(sk, !addr);
}

/**
 * ttp_hash_listener() - put a listener in lhash
 * @sk: the socket, bound
 *
 * SO_REUSEADDR does not let two listeners share an address; SO_REUSEPORT
 * does, and makes @sk a member of the port's group (ttp_reuseport_join()).
 *
 * Return: 0, -EADDRINUSE if a listener that conflicts with @sk holds the
 * port already, or -ENOMEM if the group could not grow.
 */
int ttp_hash_listener(struct sock *sk)
{
	struct ttp_tables *t = ttp_tables_of(sk);
	u16 port = inet_sk(sk)->inet_num;
	kuid_t uid = sock_i_uid(sk);
	struct sock *o;
	int err = 0;

	spin_lock_bh(&t->lock);
	/* SO_REUSEADDR does not let two listeners share an address. */
	sk_for_each_bound(o, ttp_bhead(t, port)) {
		if (o != sk && inet_sk(o)->inet_num == port &&
		    o->sk_state == TTP_LISTEN &&
		    ttp_bind_conflict(sk, o, uid, true)) {
			err = -EADDRINUSE;
			break;
		}
	}
	if (!err && sk->sk_reuseport)
		err = ttp_reuseport_join(t, sk, uid);
	if (!err) {
		sk_add_node_rcu(sk, ttp_lhead(t, port));
		ttp_sk(sk)->hashed = 1;
	}
	spin_unlock_bh(&t->lock);
	return err;
}

/**
 * ttp_hash_established() - put a connection in ehash
 * @sk: the connection
 *
 * Return: 0, or -EADDRINUSE if its 4-tuple is already there (two connect()
 * calls from one address and port to one peer).
 */
int ttp_hash_established(struct sock *sk)
{
	struct ttp_tables *t = ttp_tables_of(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct hlist_head *head;
	struct sock *o;
	int err = 0;

	/* Kept for ttp_ehash_grow(), which moves it without the 4-tuple. */
	sk->sk_hash = ttp_ehashfn(sock_net(sk), inet->inet_rcv_saddr,
				  inet->inet_num, inet->inet_daddr,
				  inet->inet_dport);
	spin_lock_bh(&t->lock);
	head = ttp_ehead(ttp_ehash_locked(t), sk->sk_hash);
	sk_for_each(o, head) {
		if (inet_sk(o)->inet_rcv_saddr == inet->inet_rcv_saddr &&
		    inet_sk(o)->inet_num == inet->inet_num &&
		    inet_sk(o)->inet_daddr == inet->inet_daddr &&
		    inet_sk(o)->inet_dport == inet->inet_dport) {
			err = -EADDRINUSE;
			break;
		}
	}
	if (!err) {
		sk_add_node_rcu(sk, head);
		ttp_sk(sk)->hashed = 1;
		ttp_sk(sk)->ehashed = 1;
		/* More sockets than buckets: time for more buckets. */
		if (++t->ehash_count > ttp_ehash_locked(t)->mask + 1 &&
		    ttp_ehash_locked(t)->mask + 1 < 1U << TTP_EHASH_MAX_BITS)
			schedule_work(&t->ehash_grow);
	}
	spin_unlock_bh(&t->lock);
	return err;
}

/* Under t->lock: @sk leaves lhash or ehash. */
static void ttp_unhash_locked(struct ttp_tables *t, struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!tsk->hashed)
		return;
	/*
	 * A listener leaves its group with lhash: a SYN that still finds
	 * it (under RCU) sees it closed and is dropped, and its peer's next
	 * SYN finds the others.
	 */
	if (rcu_access_pointer(sk->sk_reuseport_cb))
		reuseport_detach_sock(sk);
	sk_del_node_init_rcu(sk);
	tsk->hashed = 0;
	if (tsk->ehashed) {
		tsk->ehashed = 0;
		t->ehash_count--;
	}
}

/**
 * ttp_unhash() - remove @sk from lhash/ehash and bhash
 * @sk: the socket
 *
 * Safe to call more than once.
 */
void ttp_unhash(struct sock *sk)
{
	struct ttp_tables *t = ttp_tables_of(sk);
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!tsk->hashed && !tsk->bound)
		return;
	spin_lock_bh(&t->lock);
	ttp_unhash_locked(t, sk);
	if (tsk->bound) {
		__sk_del_bind_node(sk);
		tsk->bound = 0;
	}
	spin_unlock_bh(&t->lock);
}

/**
 * ttp_unhash_keep_port() - leave ehash/lhash but keep the port bind() gave
 * @sk: the socket
 */
void ttp_unhash_keep_port(struct sock *sk)
{
	struct ttp_tables *t = ttp_tables_of(sk);

	if (!ttp_sk(sk)->hashed)
		return;
	spin_lock_bh(&t->lock);
	ttp_unhash_locked(t, sk);
	spin_unlock_bh(&t->lock);
}

/*
 * The socket of the 4-tuple in chain @hash of @eh, with a reference;
 * ERR_PTR(-ENOENT) if it was found going away (no need to look again).
 */
static struct sock *ttp_ehash_find(struct ttp_ehash *eh, u32 hash,
				   __be32 saddr, __be16 sport, __be32 daddr,
				   u16 lport)
{
	struct sock *sk;

	sk_for_each_rcu(sk, ttp_ehead(eh, hash)) {
		struct inet_sock *inet = inet_sk(sk);

		if (inet->inet_num != lport || inet->inet_dport != sport ||
		    inet->inet_daddr != saddr || inet->inet_rcv_saddr != daddr)
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			return ERR_PTR(-ENOENT);
		/* It may have been freed and reused meanwhile: check again. */
		if (unlikely(inet->inet_num != lport ||
			     inet->inet_dport != sport ||
			     inet->inet_daddr != saddr ||
			     inet->inet_rcv_saddr != daddr)) {
			sock_put(sk);
			return ERR_PTR(-ENOENT);
		}
		return sk;
	}
	return NULL;
}

/**
 * ttp_lookup_established() - the connection a segment belongs to
 * @net: the namespace the segment arrived in
 * @saddr: its source address
 * @sport: its source port
 * @daddr: its destination address
 * @dport: its destination port
 *
 * The connection of a segment from @saddr:@sport to @daddr:@dport.
 * Called under rcu_read_lock().  A walk that ttp_ehash_grow() crossed
 * may have missed its socket: it looks again.
 *
 * Return: the socket, with a reference, or NULL.
 */
struct sock *ttp_lookup_established(struct net *net, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport)
{
	struct ttp_tables *t = ttp_pernet(net)->tables;
	u16 lport = ntohs(dport);
	u32 hash = ttp_ehashfn(net, daddr, lport, saddr, sport);
	struct sock *sk;
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&t->ehash_seq);
		sk = ttp_ehash_find(rcu_dereference(t->ehash), hash, saddr,
				    sport, daddr, lport);
	} while (!sk && read_seqcount_retry(&t->ehash_seq, seq));
	return IS_ERR(sk) ? NULL : sk;
}

/**
 * ttp_lookup_listener() - the listener for a SYN to @daddr:@dport
 * @net: the namespace the SYN arrived in
 * @skb: the SYN, its data at the TTP header
 * @hlen: the length of that header
 * @saddr: its source address
 * @sport: its source port
 * @daddr: its destination address
 * @dport: its destination port
 *
 * A listener bound to @daddr wins over a wildcard one; in an SO_REUSEPORT
 * group, the hash of the 4-tuple (the one ehash uses) or the group's BPF
 * program, which sees the segment's data, picks the member.  Called under
 * rcu_read_lock().
 *
 * Return: the listener, with a reference, or NULL.
 */
struct sock *ttp_lookup_listener(struct net *net, struct sk_buff *skb,
				 int hlen, __be32 saddr, __be16 sport,
				 __be32 daddr, __be16 dport)
{
	struct ttp_tables *t = ttp_pernet(net)->tables;
	u16 lport = ntohs(dport);
	struct sock *sk, *best = NULL;

	sk_for_each_rcu(sk, ttp_lhead(t, lport)) {
		__be32 rcv = inet_sk(sk)->inet_rcv_saddr;

		if (inet_sk(sk)->inet_num != lport)
			continue;
		if (rcv == daddr) {
			best = sk;
			break;
		}
		if (!rcv && !best)
			best = sk;
	}
	if (best && rcu_access_pointer(best->sk_reuseport_cb)) {
		u32 hash = ttp_ehashfn(net, daddr, lport, saddr, sport);

		sk = reuseport_select_sock(best, hash, skb, hlen);
		if (sk)
			best = sk;
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	return best;
}
