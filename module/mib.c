// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per network namespace state of TTP: counters and their /proc file.
 *
 * /proc/net/ttp_stats prints one "Name value" pair a line, the counters
 * summed over CPUs.  The names are stable: scripts grep for them.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/ip.h>

#include "ttp.h"

unsigned int ttp_net_id __read_mostly;

static const char * const ttp_mib_names[TTP_MIB_MAX] = {
	[TTP_MIB_INSEGS]	= "TtpInSegs",
	[TTP_MIB_INHDRERRORS]	= "TtpInHdrErrors",
	[TTP_MIB_INCSUMERRORS]	= "TtpInCsumErrors",
	[TTP_MIB_INNOPORTS]	= "TtpInNoPorts",
	[TTP_MIB_INICMPERRORS]	= "TtpInIcmpErrors",
};

static int ttp_stats_show(struct seq_file *seq, void *v)
{
	struct ttp_net *tn = ttp_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < TTP_MIB_MAX; i++)
		seq_printf(seq, "%-24s %lu\n", ttp_mib_names[i],
			   snmp_fold_field(tn->mib, i));
	return 0;
}

static int __net_init ttp_net_init(struct net *net)
{
	struct ttp_net *tn = ttp_pernet(net);

	tn->mib = alloc_percpu(struct ttp_mib);
	if (!tn->mib)
		return -ENOMEM;

	if (!proc_create_net_single("ttp_stats", 0444, net->proc_net,
				    ttp_stats_show, NULL)) {
		free_percpu(tn->mib);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit ttp_net_exit(struct net *net)
{
	remove_proc_entry("ttp_stats", net->proc_net);
	free_percpu(ttp_pernet(net)->mib);
}

static struct pernet_operations ttp_net_ops = {
	.init	= ttp_net_init,
	.exit	= ttp_net_exit,
	.id	= &ttp_net_id,
	.size	= sizeof(struct ttp_net),
};

int ttp_pernet_register(void)
{
	return register_pernet_subsys(&ttp_net_ops);
}

void ttp_pernet_unregister(void)
{
	unregister_pernet_subsys(&ttp_net_ops);
}
