/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TTP internals shared by the files of ttp.ko.
 */
#ifndef _TTP_H
#define _TTP_H

#include <linux/types.h>
#include <net/inet_sock.h>
#include <net/netns/generic.h>
#include <net/snmp.h>
#include <uapi/linux/ttp.h>

/* The numbers in use, set once by module parameters (main.c). */
extern int ttp_family;
extern int ttp_ipproto;

/*
 * Per network namespace counters, named as /proc/net/ttp_stats prints them
 * (see ttp_mib_names in mib.c; the two lists must stay in the same order).
 */
enum ttp_mib_field {
	TTP_MIB_INSEGS,		/* TtpInSegs: segments handed to TTP by IP */
	TTP_MIB_INHDRERRORS,	/* TtpInHdrErrors: malformed headers */
	TTP_MIB_INCSUMERRORS,	/* TtpInCsumErrors: bad checksums */
	TTP_MIB_INNOPORTS,	/* TtpInNoPorts: no socket for the segment */
	TTP_MIB_INICMPERRORS,	/* TtpInIcmpErrors: ICMP errors for TTP */
	TTP_MIB_MAX
};

struct ttp_mib {
	unsigned long mibs[TTP_MIB_MAX];
};

/* State of TTP in one network namespace. */
struct ttp_net {
	DEFINE_SNMP_STAT(struct ttp_mib, mib);
};

/* A TTP socket.  It begins with inet_sock: the IP output path needs that. */
struct ttp_sock {
	struct inet_sock inet;
};

static inline struct ttp_sock *ttp_sk(const struct sock *sk)
{
	return (struct ttp_sock *)sk;
}

/* mib.c */
extern unsigned int ttp_net_id;

static inline struct ttp_net *ttp_pernet(const struct net *net)
{
	return net_generic(net, ttp_net_id);
}

#define TTP_INC_STATS(net, field) \
	SNMP_INC_STATS(ttp_pernet(net)->mib, field)

int ttp_pernet_register(void);
void ttp_pernet_unregister(void);

/* socket.c */
extern struct proto ttp_prot;
extern const struct net_proto_family ttp_family_ops;

/* input.c */
int ttp_v4_rcv(struct sk_buff *skb);
int ttp_v4_err(struct sk_buff *skb, u32 info);

#endif /* _TTP_H */
