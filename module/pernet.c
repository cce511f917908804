// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per network namespace state of TTP, set up and torn down here for each
 * namespace: counters and their /proc file, the port table, the sysctls
 * (sysctl.c; read through the ttp_sysctl_*() getters of ttp.h) and the
 * control socket.
 *
 * /proc/net/ttp_stats prints one "Name value" pair a line, the counters
 * summed over CPUs.  The names are stable: scripts grep for them.
 */
#include <kunit/visibility.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/inet_common.h>
#include <net/ip.h>

#include "ttp.h"

unsigned int ttp_net_id __read_mostly;
/* ttp_pernet() in the KUnit tests. */
EXPORT_SYMBOL_IF_KUNIT(ttp_net_id);

static const char * const ttp_mib_names[TTP_MIB_MAX] = {
	[TTP_MIB_INSEGS]		= "TtpInSegs",
	[TTP_MIB_OUTSEGS]		= "TtpOutSegs",
	[TTP_MIB_OUTLARGESEGS]		= "TtpOutLargeSegs",
	[TTP_MIB_INHDRERRORS]		= "TtpInHdrErrors",
	[TTP_MIB_INCSUMERRORS]		= "TtpInCsumErrors",
	[TTP_MIB_INVERSIONERRORS]	= "TtpInVersionErrors",
	[TTP_MIB_INNOPORTS]		= "TtpInNoPorts",
	[TTP_MIB_INICMPERRORS]		= "TtpInIcmpErrors",
	[TTP_MIB_OUTRSTS]		= "TtpOutRsts",
	[TTP_MIB_INRSTS]		= "TtpInRsts",
	[TTP_MIB_ACTIVEOPENS]		= "TtpActiveOpens",
	[TTP_MIB_PASSIVEOPENS]		= "TtpPassiveOpens",
	[TTP_MIB_ESTABRESETS]		= "TtpEstabResets",
	[TTP_MIB_ATTEMPTFAILS]		= "TtpAttemptFails",
	[TTP_MIB_LISTENOVERFLOWS]	= "TtpListenOverflows",
	[TTP_MIB_LISTENDROPS]		= "TtpListenDrops",
	[TTP_MIB_RETRANSSEGS]		= "TtpRetransSegs",
	[TTP_MIB_TIMEOUTS]		= "TtpTimeouts",
	[TTP_MIB_OUTOFWINDOW]		= "TtpInOutOfWindow",
	[TTP_MIB_DUPSEGS]		= "TtpInDupSegs",
	[TTP_MIB_OFOSEGS]		= "TtpInOfoDrops",
	[TTP_MIB_RCVQDROP]		= "TtpRcvQDrops",
	[TTP_MIB_FASTRETRANS]		= "TtpFastRetrans",
	[TTP_MIB_SACKRECOVERY]		= "TtpSackRecoveries",
	[TTP_MIB_RENORECOVERY]		= "TtpRenoRecoveries",
	[TTP_MIB_ZWPROBES]		= "TtpZeroWindowProbes",
	[TTP_MIB_OFOQUEUED]		= "TtpInOfoSegs",
	[TTP_MIB_DELAYEDACKS]		= "TtpDelayedAcks",
	[TTP_MIB_SACKBLOCKS]		= "TtpInSackBlocks",
	[TTP_MIB_SYNCOOKIESSENT]	= "TtpSynCookiesSent",
	[TTP_MIB_SYNCOOKIESRECV]	= "TtpSynCookiesRecv",
	[TTP_MIB_SYNCOOKIESFAILED]	= "TtpSynCookiesFailed",
	[TTP_MIB_CHALLENGEACKS]		= "TtpChallengeAcks",
	[TTP_MIB_CHALLENGEACKSSKIPPED]	= "TtpChallengeAcksSkipped",
	[TTP_MIB_OUTRSTSSKIPPED]	= "TtpOutRstsSkipped",
	[TTP_MIB_PAWSDROPS]		= "TtpPAWSDrops",
	[TTP_MIB_ICMPOUTOFWINDOW]	= "TtpInIcmpOutOfWindow",
	[TTP_MIB_PMTUREDUCED]		= "TtpPmtuReductions",
	[TTP_MIB_KEEPALIVEPROBES]	= "TtpKeepAliveProbes",
	[TTP_MIB_KEEPALIVETIMEOUTS]	= "TtpKeepAliveTimeouts",
	[TTP_MIB_AUTHGOOD]		= "TtpAuthGood",
	[TTP_MIB_AUTHBAD]		= "TtpAuthBad",
	[TTP_MIB_AUTHKEYNOTFOUND]	= "TtpAuthKeyNotFound",
	[TTP_MIB_AUTHREQUIRED]		= "TtpAuthRequired",
	[TTP_MIB_AUTHICMPDROPS]		= "TtpAuthIcmpDrops",
	[TTP_MIB_CORKEXPIRED]		= "TtpCorkExpired",
};

/**
 * ttp_mib_name() - the name of a counter in /proc/net/ttp_stats
 * @field: a TTP_MIB_*
 *
 * Return: the name, or "?" for a number out of range.
 */
const char *ttp_mib_name(int field)
{
	return field >= 0 && field < TTP_MIB_MAX ? ttp_mib_names[field] : "?";
}

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
	int err = -ENOMEM;

	ttp_sysctl_defaults(&tn->sysctl);
	ttp_cc_net_init(&tn->sysctl);
	ttp_ratelimit_init(&tn->challenge_rl);
	ttp_ratelimit_init(&tn->rst_rl);
	tn->mib = alloc_percpu(struct ttp_mib);
	if (!tn->mib) {
		ttp_cc_net_exit(&tn->sysctl);
		return -ENOMEM;
	}
	err = ttp_tables_init(tn);
	if (err)
		goto out_mib;
	/* Sends resets for segments that no socket of ours owns. */
	err = inet_ctl_sock_create(&tn->ctl_sk, PF_INET, SOCK_RAW, ttp_ipproto,
				   net);
	if (err)
		goto out_tables;
	err = ttp_sysctl_register(net);
	if (err)
		goto out_ctl;
	err = -ENOMEM;
	if (!proc_create_net_single("ttp_stats", 0444, net->proc_net,
				    ttp_stats_show, NULL))
		goto out_sysctl;
	err = ttp_proc_init_net(net);
	if (err)
		goto out_stats;
	return 0;

out_stats:
	remove_proc_entry("ttp_stats", net->proc_net);
out_sysctl:
	ttp_sysctl_unregister(net);
out_ctl:
	inet_ctl_sock_destroy(tn->ctl_sk);
out_tables:
	ttp_tables_exit(tn);
out_mib:
	free_percpu(tn->mib);
	ttp_cc_net_exit(&tn->sysctl);
	return err;
}

static void __net_exit ttp_net_exit(struct net *net)
{
	struct ttp_net *tn = ttp_pernet(net);

	ttp_proc_exit_net(net);
	remove_proc_entry("ttp_stats", net->proc_net);
	ttp_sysctl_unregister(net);
	inet_ctl_sock_destroy(tn->ctl_sk);
	ttp_tables_exit(tn);
	free_percpu(tn->mib);
	ttp_cc_net_exit(&tn->sysctl);
}

static struct pernet_operations ttp_net_ops = {
	.init	= ttp_net_init,
	.exit	= ttp_net_exit,
	.id	= &ttp_net_id,
	.size	= sizeof(struct ttp_net),
};

/**
 * ttp_pernet_register() - set up TTP in every network namespace
 *
 * ttp_net_init() runs for each namespace there is, and for each one
 * created later.
 *
 * Return: 0, or a negative errno.
 */
int ttp_pernet_register(void)
{
	return register_pernet_subsys(&ttp_net_ops);
}

/**
 * ttp_pernet_unregister() - undo ttp_pernet_register()
 *
 * ttp_net_exit() runs for each namespace.
 */
void ttp_pernet_unregister(void)
{
	unregister_pernet_subsys(&ttp_net_ops);
}
