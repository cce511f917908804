// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttpstat: the TTP sockets of a network namespace, like ss(8) for TCP.
 *
 * Reads /proc/net/ttp (procnet.h says how) and, with -s, the counters of
 * /proc/net/ttp_stats.  Documentation/tools.rst and ttpstat(1) describe
 * the options and the output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <ttp.h>

#include "cli.h"
#include "procnet.h"

#define EXIT_FAIL	1

static const char *prog = "ttpstat";

enum { SHOW_DEFAULT, SHOW_ALL, SHOW_LISTEN };

struct opts {
	int show;
	int info, ext, procs, no_header, stats;
	const char *sockets_file, *stats_file;
};

static int usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s [OPTION]...\n"
		"List the TTP sockets of this network namespace, like ss(8) for TCP.\n"
		"By default: connections, without listeners, TIME_WAIT, SYN_RECV\n"
		"and CLOSED sockets.\n"
		"\n"
		"  -a, --all          every socket\n"
		"  -l, --listening    listeners only\n"
		"  -i, --info         internals of each connection: timers, RTO and\n"
		"                     round trip, windows, congestion, retransmissions\n"
		"  -e, --extended     owner uid and socket inode\n"
		"  -p, --processes    processes that hold each socket (pid, name)\n"
		"  -s, --summary      socket counts by state and the counters of\n"
		"                     /proc/net/ttp_stats\n"
		"  -n, --numeric      accepted for ss compatibility (always numeric)\n"
		"  -H, --no-header    no header line\n"
		"  -N, --net NAME     in network namespace NAME (/run/netns/NAME)\n"
		"      --sockets-file FILE  read FILE instead of /proc/net/ttp\n"
		"      --stats-file FILE    read FILE instead of /proc/net/ttp_stats\n"
		"  -h, --help         print this help\n"
		"      --version      print the version\n"
		"\n"
		"Exit status: 0 success, 1 the files cannot be read (is ttp.ko\n"
		"loaded?), 2 bad arguments.\n", prog);
	return status;
}

static int bad_args(const char *msg, const char *arg)
{
	return cli_bad_args(prog, msg, arg);
}

static int shown(const struct opts *o, int state)
{
	switch (o->show) {
	case SHOW_ALL:
		return 1;
	case SHOW_LISTEN:
		return state == TTP_LISTEN;
	default:
		return state != TTP_LISTEN && state != TTP_TIME_WAIT &&
		       state != TTP_SYN_RECV && state != TTP_CLOSED;
	}
}

static void addr_str(char *buf, size_t size, __u32 ip, unsigned int port)
{
	struct in_addr a = { .s_addr = htonl(ip) };
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, s, sizeof(s));
	if (port || ip)
		snprintf(buf, size, "%s:%u", s, port);
	else
		snprintf(buf, size, "*:*");
}

/* Microseconds as milliseconds, as ss prints them: 204, 0.812, 1.5. */
static void ms(char *buf, size_t size, unsigned int us)
{
	size_t n;

	snprintf(buf, size, "%u.%03u", us / 1000, us % 1000);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
}

static const char *timer_name(int t)
{
	switch (t) {
	case 1:
		return "on";
	case 3:
		return "timewait";
	case 4:
		return "persist";
	default:
		return "off";
	}
}

/* "users:(("name",pid=N),...)" for the processes that hold inode. */
static void print_procs(unsigned long inode)
{
	char want[64], path[600], link[64], comm[64];
	struct dirent *p, *f;
	DIR *proc, *fds;
	int n = 0;

	if (!inode)
		return;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	proc = opendir("/proc");
	if (!proc)
		return;
	while ((p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((f = readdir(fds))) {
			ssize_t len;
			FILE *c;

			snprintf(path, sizeof(path), "/proc/%s/fd/%s",
				 p->d_name, f->d_name);
			len = readlink(path, link, sizeof(link) - 1);
			if (len < 0)
				continue;
			link[len] = '\0';
			if (strcmp(link, want))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
			strcpy(comm, "?");
			c = fopen(path, "r");
			if (c) {
				if (fgets(comm, sizeof(comm), c))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(c);
			}
			printf("%s(\"%s\",pid=%s,fd=%s)", n++ ? "," : " users:(",
			       comm, p->d_name, f->d_name);
		}
		closedir(fds);
	}
	closedir(proc);
	if (n)
		printf(")");
}

static void print_info(const struct ttp_proc_sock *s)
{
	char a[32], b[32];

	printf("\t");
	if (s->has[COL_TRWHEN])
		printf(" timer:(%s,%lums,%u)", timer_name(s->timer),
		       s->timer ? s->when * 1000 / sysconf(_SC_CLK_TCK) : 0UL,
		       s->retrnsmt);
	if (s->state == TTP_LISTEN) {
		printf(" backlog:%u\n", s->rx_queue);
		return;
	}
	if (s->has[COL_RTO]) {
		ms(a, sizeof(a), s->rto);
		printf(" rto:%s", a);
	}
	if (s->has[COL_SRTT] && s->has[COL_RTTVAR]) {
		ms(a, sizeof(a), s->srtt);
		ms(b, sizeof(b), s->rttvar);
		printf(" rtt:%s/%s", a, b);
	}
	if (s->has[COL_MSS])
		printf(" mss:%u", s->mss);
	if (s->has[COL_CWND])
		printf(" cwnd:%u", s->cwnd);
	if (s->has[COL_SSTHRESH]) {
		if (s->ssthresh == 0xffffffffU)
			printf(" ssthresh:-");
		else
			printf(" ssthresh:%u", s->ssthresh);
	}
	if (s->has[COL_SND_WND])
		printf(" snd_wnd:%u", s->snd_wnd);
	if (s->has[COL_RCV_WND])
		printf(" rcv_wnd:%u", s->rcv_wnd);
	if (s->has[COL_RETRANS])
		printf(" retrans:%u", s->retrans);
	if (s->has[COL_CA])
		printf(" ca:%s", ttp_ca_state_name(s->ca));
	if (!s->has[COL_RTO] && !s->has[COL_TRWHEN])
		printf(" (this ttp.ko does not show connection internals)");
	printf("\n");
}

static FILE *open_or_complain(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(errno),
			errno == ENOENT ? " (is ttp.ko loaded?)" : "");
	return f;
}

static int list_sockets(const struct opts *o)
{
	struct ttp_proc_layout layout;
	struct ttp_proc_sock s;
	char line[1024], l[40], r[40];
	int lineno = 1;
	FILE *f;

	f = open_or_complain(o->sockets_file);
	if (!f)
		return EXIT_FAIL;
	if (!fgets(line, sizeof(line), f) ||
	    ttp_proc_parse_header(line, &layout)) {
		fprintf(stderr, "%s: %s: not a TTP socket table (no header)\n",
			prog, o->sockets_file);
		fclose(f);
		return EXIT_FAIL;
	}
	if (!o->no_header) {
		printf("%-12s %6s %6s %-21s %-*s", "State", "Recv-Q", "Send-Q",
		       "Local Address:Port", o->ext || o->procs ? 21 : 0,
		       "Peer Address:Port");
		if (o->ext)
			printf(" %5s %8s", "Uid", "Inode");
		printf("%s\n", o->procs ? " Process" : "");
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (ttp_proc_parse_line(&layout, line, &s)) {
			fprintf(stderr, "%s: %s:%d: cannot read this line\n",
				prog, o->sockets_file, lineno);
			continue;
		}
		if (!shown(o, s.state))
			continue;
		addr_str(l, sizeof(l), s.laddr, s.lport);
		addr_str(r, sizeof(r), s.raddr, s.rport);
		if (!s.laddr)
			snprintf(l, sizeof(l), "*:%u", s.lport);
		printf("%-12s %6u %6u %-21s %-*s", ttp_state_name(s.state),
		       s.rx_queue, s.tx_queue, l, o->ext || o->procs ? 21 : 0, r);
		if (o->ext)
			printf(" %5u %8lu", s.uid, s.inode);
		if (o->procs)
			print_procs(s.inode);
		printf("\n");
		if (o->info)
			print_info(&s);
	}
	fclose(f);
	return 0;
}

static int summary(const struct opts *o)
{
	unsigned int count[TTP_MAX_STATES] = { 0 }, total = 0;
	struct ttp_proc_layout layout;
	struct ttp_proc_sock s;
	char line[1024];
	int i, first = 1;
	FILE *f;

	f = open_or_complain(o->sockets_file);
	if (!f)
		return EXIT_FAIL;
	if (fgets(line, sizeof(line), f) && !ttp_proc_parse_header(line, &layout))
		while (fgets(line, sizeof(line), f))
			if (!ttp_proc_parse_line(&layout, line, &s)) {
				total++;
				if (s.state > 0 && s.state < TTP_MAX_STATES)
					count[s.state]++;
			}
	fclose(f);
	printf("Sockets: %u", total);
	for (i = 1; i < TTP_MAX_STATES; i++) {
		if (!count[i])
			continue;
		printf("%s%s %u", first ? " (" : ", ", ttp_state_name(i),
		       count[i]);
		first = 0;
	}
	printf("%s\n\n", first ? "" : ")");

	f = open_or_complain(o->stats_file);
	if (!f)
		return EXIT_FAIL;
	printf("Counters:\n");
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long long v;

		if (sscanf(line, "%63s %llu", name, &v) == 2)
			printf("  %-24s %llu\n", name, v);
	}
	fclose(f);
	return 0;
}

static int enter_netns(const char *name)
{
	char path[300];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "%s: network namespace %s: %s\n", prog, name,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "listening", no_argument, NULL, 'l' },
		{ "info", no_argument, NULL, 'i' },
		{ "extended", no_argument, NULL, 'e' },
		{ "processes", no_argument, NULL, 'p' },
		{ "summary", no_argument, NULL, 's' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "net", required_argument, NULL, 'N' },
		{ "sockets-file", required_argument, NULL, 'S' },
		{ "stats-file", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .sockets_file = "/proc/net/ttp",
			  .stats_file = "/proc/net/ttp_stats" };
	const char *netns = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "aliepsnHN:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'a':
			o.show = SHOW_ALL;
			break;
		case 'l':
			o.show = SHOW_LISTEN;
			break;
		case 'i':
			o.info = 1;
			break;
		case 'e':
			o.ext = 1;
			break;
		case 'p':
			o.procs = 1;
			break;
		case 's':
			o.stats = 1;
			break;
		case 'n':
			break;
		case 'H':
			o.no_header = 1;
			break;
		case 'N':
			netns = optarg;
			break;
		case 'S':
			o.sockets_file = optarg;
			break;
		case 'T':
			o.stats_file = optarg;
			break;
		case 'h':
			return usage(0);
		case 'V':
			return cli_version(prog);
		default:
			return cli_try_help(prog);
		}
	}
	if (optind < argc)
		return bad_args("unexpected argument", argv[optind]);
	if (netns && enter_netns(netns))
		return EXIT_FAIL;
	if (o.stats)
		return summary(&o);
	return list_sockets(&o);
}
