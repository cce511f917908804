// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segments arriving from IP.
 *
 * Until the connection code lands there is no socket a segment could belong
 * to: every segment is counted and dropped, as a protocol must do with
 * segments for a port nobody listens on.
 */
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>

#include "ttp.h"

int ttp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	TTP_INC_STATS(net, TTP_MIB_INSEGS);
	TTP_INC_STATS(net, TTP_MIB_INNOPORTS);
	kfree_skb(skb);
	return 0;
}

int ttp_v4_err(struct sk_buff *skb, u32 info)
{
	TTP_INC_STATS(dev_net(skb->dev), TTP_MIB_INICMPERRORS);
	return 0;
}
