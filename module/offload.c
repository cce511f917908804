// SPDX-License-Identifier: GPL-2.0-only
/*
 * Large segments (GSO).  TTP hands IP segments of up to 64 KiB, several
 * MSS of data behind one header (output.c), as TCP does: the stack below
 * pays its per-packet cost once for all of them, and loopback and veth
 * carry them whole to a receiver that takes them whole (input.c).
 *
 * No device knows protocol 253, so the segments are typed SKB_GSO_SCTP, a
 * type that loopback, veth and the other software devices accept whole
 * (NETIF_F_GSO_SOFTWARE) and that no network card claims to segment
 * (none sets NETIF_F_GSO_SCTP): before such a segment reaches a device
 * that cannot carry it, or netem, or a qdisc that must see real packets,
 * the stack calls ttp_gso_segment(), through IP's offload table, to cut it
 * into segments of at most the MSS with headers and checksums of their
 * own.  The types real cards segment in hardware (TCPV4, TCPV6, UDP_L4)
 * are never used: a card would cut TTP's segments as TCP's.
 *
 * Documentation/protocol.rst, "Large segments", is the specification.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>

#include "compat.h"
#include "ttp.h"

/* Only what output.c makes: SKB_GSO_SCTP, maybe from an untrusted source. */
static bool ttp_gso_type_ok(const struct sk_buff *skb)
{
	return (skb_shinfo(skb)->gso_type & ~SKB_GSO_DODGY) == SKB_GSO_SCTP;
}

/*
 * The headers of the segments are copies of the large one's; what differs
 * is fixed here: sequence numbers, FIN and PSH on the last only, and the
 * checksum, computed in software in the negotiated algorithm.
 */
static void ttp_gso_fix(struct sk_buff *segs, u32 seq, unsigned int mss,
			u8 last_flags)
{
	struct sk_buff *seg;

	for (seg = segs; seg; seg = seg->next) {
		struct ttphdr *th = (struct ttphdr *)skb_transport_header(seg);
		unsigned int off = skb_transport_offset(seg);
		const struct iphdr *iph = ip_hdr(seg);

		th->seq = htonl(seq);
		if (seg->next)
			th->flags &= ~(TTPF_FIN | TTPF_PSH);
		else
			th->flags |= last_flags;
		seq += seg->len - off - ttp_hdr_len(th);
		ttp_csum_fill_at(seg, off, seg->len - off, iph->saddr,
				 iph->daddr, (th->flags & TTPF_CRC) ?
				 TTP_CSUM_CRC32C : TTP_CSUM_INET);
	}
}

/**
 * ttp_gso_segment() - cut a large TTP segment into segments of the MSS
 * @skb: the large segment, skb->data at the TTP header
 * @features: what the device below can do
 *
 * The last defence: what this returns goes to the device unchecked.  A
 * large segment of another type, or with a header that does not parse, is
 * refused (and dropped by the caller).  One from an untrusted source that
 * the device can take whole only has its segment count recomputed.
 *
 * Return: the list of segments, NULL if @skb may go whole, or an ERR_PTR().
 */
static struct sk_buff *ttp_gso_segment(struct sk_buff *skb,
				       netdev_features_t features)
{
	struct sk_buff *segs = ERR_PTR(-EINVAL);
	unsigned int hlen, mss;
	struct ttphdr *th;
	u8 last_flags;
	u32 seq;

	if (!ttp_gso_type_ok(skb) || !pskb_may_pull(skb, TTP_HDR_LEN))
		goto out;
	th = (struct ttphdr *)skb->data;
	hlen = ttp_hdr_len(th);
	if (ttp_hdr_version(th) != TTP_VERSION || hlen < TTP_HDR_LEN ||
	    (th->flags & (TTPF_SYN | TTPF_RST)) || !pskb_may_pull(skb, hlen))
		goto out;
	th = (struct ttphdr *)skb->data;
	mss = skb_shinfo(skb)->gso_size;
	if (!mss || skb->len - hlen <= mss)
		goto out;
	seq = ntohl(th->seq);
	last_flags = th->flags & (TTPF_FIN | TTPF_PSH);

	__skb_pull(skb, hlen);
	if (skb_gso_ok(skb, features | NETIF_F_GSO_ROBUST)) {
		skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(skb->len, mss);
		segs = NULL;
		goto out;
	}
	/*
	 * skb_segment() copies the headers and splits the data; with
	 * NETIF_F_HW_CSUM it computes no checksum (ttp_gso_fix() does, in
	 * TTP's algorithm), and without GSO features it cuts every segment
	 * to the MSS (a card's partial GSO would take them for TCP's).
	 */
	segs = skb_segment(skb, (features & ~NETIF_F_GSO_MASK) |
				NETIF_F_HW_CSUM);
	if (!IS_ERR(segs))
		ttp_gso_fix(segs, seq, mss, last_flags);
out:
	return segs;
}

static const struct net_offload ttp_offload = {
	.callbacks = {
		.gso_segment = ttp_gso_segment,
	},
};

/**
 * ttp_offload_init() - register TTP's segmentation with IPv4
 *
 * Return: 0, or -EEXIST if protocol @ttp_ipproto has an offload already.
 */
int ttp_offload_init(void)
{
	return inet_add_offload(&ttp_offload, ttp_ipproto) ? -EEXIST : 0;
}

/**
 * ttp_offload_exit() - unregister it
 *
 * inet_del_offload() waits for a grace period: no segmentation is running
 * when it returns.  Large segments still queued somewhere below are cut by
 * nobody after that and dropped by the stack (skb_mac_gso_segment() finds
 * no offload), to be sent again by a socket that no longer exists: by then
 * every TTP socket is gone.
 */
void ttp_offload_exit(void)
{
	inet_del_offload(&ttp_offload, ttp_ipproto);
}
