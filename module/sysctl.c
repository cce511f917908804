// SPDX-License-Identifier: GPL-2.0-only
/*
 * net.ttp.* sysctls, one set per network namespace.  Each is documented in
 * Documentation/ttp-uapi.rst with its default and why.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "ttp.h"

static int ttp_port_min = 1;
static int ttp_port_max = 65535;
static int ttp_retries_max = 127;
static int ttp_ms_max = 3600 * 1000;
/* What TTP_KEEPIDLE and TTP_KEEPINTVL take, in ms: 1 s to 32767 s. */
static int ttp_ka_ms_min = 1000;
static int ttp_ka_ms_max = TTP_KEEPALIVE_MAX_S * 1000;
static int ttp_mss_min = TTP_MIN_MSS;
static int ttp_mss_max = 65535;
static int ttp_backlog_max = 65535;
static int ttp_delack_max = 500;	/* RFC 1122 4.2.3.2 */
static int ttp_buf_min = SOCK_MIN_RCVBUF;
static int ttp_buf_max = 1 << 30;	/* 1 GiB: what window scale 14 reaches */

/**
 * ttp_sysctl_defaults() - the defaults of net.ttp.*
 * @s: the tunables of a new namespace
 *
 * Documentation/ttp-uapi.rst says why each.
 */
void ttp_sysctl_defaults(struct ttp_sysctl *s)
{
	s->ephemeral_ports[0] = 32768;
	s->ephemeral_ports[1] = 60999;
	s->time_wait_ms = 60000;
	s->fin_timeout_ms = 60000;
	s->syn_retries = 6;
	s->retries = 15;
	s->max_syn_backlog = 256;
	s->rto_min_ms = 200;
	s->rto_max_ms = 120000;
	s->rto_initial_ms = 1000;
	s->crc32c = 1;
	s->default_mss = 536;
	s->sack = 1;
	s->timestamps = 1;
	s->delack_ms = 40;
	s->syncookies = 1;
	s->challenge_ack_limit = 1000;
	s->rst_limit = 1000;
	s->keepalive_time_ms = 7200 * 1000;	/* as TCP's: 2 hours, */
	s->keepalive_intvl_ms = 75 * 1000;	/* 75 s, */
	s->keepalive_probes = 9;		/* 9 probes */
	s->gso = 1;
	s->rcvbuf_max = 6 << 20;	/* as tcp_rmem[2] */
	s->sndbuf_max = 4 << 20;	/* as tcp_wmem[2] */
	s->notsent_lowat = INT_MAX;	/* as TCP's: no mark */
}

/*
 * .data holds the offset of the field in struct ttp_sysctl until a
 * namespace copies the table and points it at its own.
 */
static struct ctl_table ttp_sysctl_template[] = {
	{
		.procname	= "ephemeral_port_range",
		.data		= (void *)offsetof(struct ttp_sysctl, ephemeral_ports),
		.maxlen		= sizeof_field(struct ttp_sysctl, ephemeral_ports),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_port_min,
		.extra2		= &ttp_port_max,
	},
	{
		.procname	= "time_wait_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, time_wait_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, time_wait_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &ttp_ms_max,
	},
	{
		.procname	= "fin_timeout_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, fin_timeout_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, fin_timeout_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_ms_max,
	},
	{
		.procname	= "syn_retries",
		.data		= (void *)offsetof(struct ttp_sysctl, syn_retries),
		.maxlen		= sizeof_field(struct ttp_sysctl, syn_retries),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_retries_max,
	},
	{
		.procname	= "retries",
		.data		= (void *)offsetof(struct ttp_sysctl, retries),
		.maxlen		= sizeof_field(struct ttp_sysctl, retries),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_retries_max,
	},
	{
		.procname	= "max_syn_backlog",
		.data		= (void *)offsetof(struct ttp_sysctl, max_syn_backlog),
		.maxlen		= sizeof_field(struct ttp_sysctl, max_syn_backlog),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_backlog_max,
	},
	{
		.procname	= "rto_min_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, rto_min_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, rto_min_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_ms_max,
	},
	{
		.procname	= "rto_max_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, rto_max_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, rto_max_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_ms_max,
	},
	{
		.procname	= "rto_initial_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, rto_initial_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, rto_initial_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_ms_max,
	},
	{
		.procname	= "crc32c",
		.data		= (void *)offsetof(struct ttp_sysctl, crc32c),
		.maxlen		= sizeof_field(struct ttp_sysctl, crc32c),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "gso",
		.data		= (void *)offsetof(struct ttp_sysctl, gso),
		.maxlen		= sizeof_field(struct ttp_sysctl, gso),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "rcvbuf_max",
		.data		= (void *)offsetof(struct ttp_sysctl, rcvbuf_max),
		.maxlen		= sizeof_field(struct ttp_sysctl, rcvbuf_max),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_buf_min,
		.extra2		= &ttp_buf_max,
	},
	{
		.procname	= "sndbuf_max",
		.data		= (void *)offsetof(struct ttp_sysctl, sndbuf_max),
		.maxlen		= sizeof_field(struct ttp_sysctl, sndbuf_max),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_buf_min,
		.extra2		= &ttp_buf_max,
	},
	{
		.procname	= "default_mss",
		.data		= (void *)offsetof(struct ttp_sysctl, default_mss),
		.maxlen		= sizeof_field(struct ttp_sysctl, default_mss),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_mss_min,
		.extra2		= &ttp_mss_max,
	},
	{
		.procname	= "sack",
		.data		= (void *)offsetof(struct ttp_sysctl, sack),
		.maxlen		= sizeof_field(struct ttp_sysctl, sack),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "timestamps",
		.data		= (void *)offsetof(struct ttp_sysctl, timestamps),
		.maxlen		= sizeof_field(struct ttp_sysctl, timestamps),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "delack_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, delack_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, delack_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_delack_max,
	},
	{
		.procname	= "syncookies",
		.data		= (void *)offsetof(struct ttp_sysctl, syncookies),
		.maxlen		= sizeof_field(struct ttp_sysctl, syncookies),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
	{
		.procname	= "challenge_ack_limit",
		.data		= (void *)offsetof(struct ttp_sysctl, challenge_ack_limit),
		.maxlen		= sizeof_field(struct ttp_sysctl, challenge_ack_limit),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= SYSCTL_INT_MAX,
	},
	{
		.procname	= "rst_limit",
		.data		= (void *)offsetof(struct ttp_sysctl, rst_limit),
		.maxlen		= sizeof_field(struct ttp_sysctl, rst_limit),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= SYSCTL_INT_MAX,
	},
	{
		.procname	= "keepalive_time_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, keepalive_time_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, keepalive_time_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_ka_ms_min,
		.extra2		= &ttp_ka_ms_max,
	},
	{
		.procname	= "keepalive_intvl_ms",
		.data		= (void *)offsetof(struct ttp_sysctl, keepalive_intvl_ms),
		.maxlen		= sizeof_field(struct ttp_sysctl, keepalive_intvl_ms),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &ttp_ka_ms_min,
		.extra2		= &ttp_ka_ms_max,
	},
	{
		.procname	= "keepalive_probes",
		.data		= (void *)offsetof(struct ttp_sysctl, keepalive_probes),
		.maxlen		= sizeof_field(struct ttp_sysctl, keepalive_probes),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_retries_max,
	},
	{
		.procname	= "congestion_control",
		.data		= (void *)offsetof(struct ttp_sysctl, cc),
		.maxlen		= TTP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= ttp_proc_congestion_control,
	},
	{
		/* The same in every namespace: no data. */
		.procname	= "available_congestion_control",
		.maxlen		= TTP_CC_LIST_MAX,
		.mode		= 0444,
		.proc_handler	= ttp_proc_available_cc,
	},
	{
		.procname	= "notsent_lowat",
		.data		= (void *)offsetof(struct ttp_sysctl, notsent_lowat),
		.maxlen		= sizeof_field(struct ttp_sysctl, notsent_lowat),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_INT_MAX,
	},
	{ }
};

/**
 * ttp_sysctl_register() - create net.ttp.* in a namespace
 * @net: the namespace
 *
 * A copy of the template table, pointed at the namespace's tunables.
 *
 * Return: 0, or -ENOMEM.
 */
int ttp_sysctl_register(struct net *net)
{
	struct ttp_net *tn = ttp_pernet(net);
	struct ctl_table *t;
	size_t i, n = ARRAY_SIZE(ttp_sysctl_template) - 1;

	t = kmemdup(ttp_sysctl_template, sizeof(ttp_sysctl_template),
		    GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (t[i].proc_handler != ttp_proc_available_cc)
			t[i].data = (char *)&tn->sysctl + (uintptr_t)t[i].data;
	tn->sysctl_hdr = ttp_register_net_sysctl(net, "net/ttp", t, n);
	if (!tn->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ttp_sysctl_unregister() - remove net.ttp.* from a namespace
 * @net: the namespace
 *
 * And free the table ttp_sysctl_register() made.
 */
void ttp_sysctl_unregister(struct net *net)
{
	struct ttp_net *tn = ttp_pernet(net);
	const struct ctl_table *t = tn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(tn->sysctl_hdr);
	kfree(t);
}
