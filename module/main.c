// SPDX-License-Identifier: GPL-2.0-only
/*
 * TTP, the Toy Transport Protocol: module entry points.
 *
 * Loading registers, in this order, the socket slab (struct proto), the
 * per network namespace state, IP protocol ttp_ipproto and the socket family
 * ttp_family; unloading undoes it in reverse.  The socket family comes last
 * so that no socket can be created before everything it relies on exists.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/protocol.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "ttp.h"

int ttp_family = AF_TTP;
module_param_named(family, ttp_family, int, 0444);
MODULE_PARM_DESC(family, "socket address family number (default 13)");

int ttp_ipproto = IPPROTO_TTP;
EXPORT_SYMBOL_IF_KUNIT(ttp_ipproto);
module_param_named(protocol, ttp_ipproto, int, 0444);
MODULE_PARM_DESC(protocol, "IP protocol number (default 253)");

static const struct net_protocol ttp_v4_protocol = {
	.handler	= ttp_v4_rcv,
	.err_handler	= ttp_v4_err,
	.no_policy	= 1,
};

/* sock_register() reads the family number from the ops it is given. */
static struct net_proto_family ttp_family_reg;

static int __init ttp_init(void)
{
	int err;

	if (ttp_family <= 0 || ttp_family >= NPROTO) {
		pr_err("ttp: family=%d is outside 1..%d\n", ttp_family,
		       NPROTO - 1);
		return -EINVAL;
	}
	if (ttp_ipproto <= 0 || ttp_ipproto >= IPPROTO_RAW) {
		pr_err("ttp: protocol=%d is outside 1..%d\n", ttp_ipproto,
		       IPPROTO_RAW - 1);
		return -EINVAL;
	}

	err = ttp_cc_builtin_register();
	if (err)
		return err;

	err = proto_register(&ttp_prot, 1);
	if (err)
		goto out_cc;

	err = ttp_pernet_register();
	if (err)
		goto out_proto;

	if (inet_add_protocol(&ttp_v4_protocol, ttp_ipproto) < 0) {
		pr_err("ttp: IP protocol %d is already taken\n", ttp_ipproto);
		err = -EEXIST;
		goto out_pernet;
	}

	/* Before the first socket: large segments need it below IP. */
	err = ttp_offload_init();
	if (err) {
		pr_err("ttp: IP protocol %d has an offload already\n",
		       ttp_ipproto);
		goto out_inet;
	}

	ttp_family_reg = ttp_family_ops;
	ttp_family_reg.family = ttp_family;
	err = sock_register(&ttp_family_reg);
	if (err) {
		pr_err("ttp: address family %d is not available (%d)\n",
		       ttp_family, err);
		goto out_offload;
	}

	pr_info("ttp: loaded, address family %d, IP protocol %d\n",
		ttp_family, ttp_ipproto);
	return 0;

out_offload:
	ttp_offload_exit();
out_inet:
	inet_del_protocol(&ttp_v4_protocol, ttp_ipproto);
out_pernet:
	ttp_pernet_unregister();
out_proto:
	proto_unregister(&ttp_prot);
out_cc:
	ttp_cc_builtin_unregister();
	return err;
}

static void __exit ttp_exit(void)
{
	sock_unregister(ttp_family);
	/* inet_del_protocol() waits for receivers already running. */
	inet_del_protocol(&ttp_v4_protocol, ttp_ipproto);
	ttp_pernet_unregister();
	/* Sockets are freed after a grace period (SOCK_RCU_FREE). */
	rcu_barrier();
	ttp_offload_exit();
	proto_unregister(&ttp_prot);
	ttp_cc_builtin_unregister();
	pr_info("ttp: unloaded\n");
}

module_init(ttp_init);
module_exit(ttp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TTP, the Toy Transport Protocol");
/* The same as dkms.conf's PACKAGE_VERSION (scripts/dkms checks). */
MODULE_VERSION("0.9.0");
MODULE_ALIAS_NETPROTO(AF_TTP);
