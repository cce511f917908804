// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading /proc/net/ttp by its header (procnet.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procnet.h"

static const struct {
	const char *name;
	enum ttp_proc_col col;
} ttp_proc_names[] = {
	{ "sl", COL_SL }, { "local_address", COL_LOCAL },
	{ "rem_address", COL_REMOTE }, { "st", COL_ST },
	{ "retrnsmt", COL_RETRNSMT }, { "uid", COL_UID },
	{ "timeout", COL_TIMEOUT }, { "inode", COL_INODE },
	{ "rto", COL_RTO }, { "srtt", COL_SRTT }, { "rttvar", COL_RTTVAR },
	{ "cwnd", COL_CWND }, { "ssthresh", COL_SSTHRESH },
	{ "snd_wnd", COL_SND_WND }, { "rcv_wnd", COL_RCV_WND },
	{ "mss", COL_MSS }, { "retrans", COL_RETRANS }, { "ca", COL_CA },
};

/* The next blank-separated token of *p into tok (at most size - 1 bytes). */
static int next_token(const char **p, char *tok, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return 0;
	while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
		if (n + 1 < size)
			tok[n++] = *s;
		s++;
	}
	tok[n] = '\0';
	*p = s;
	return 1;
}

int ttp_proc_parse_header(const char *line, struct ttp_proc_layout *layout)
{
	char tok[64], prev[64] = "";
	int seen = 0;
	size_t i;

	layout->ncols = 0;
	while (next_token(&line, tok, sizeof(tok))) {
		enum ttp_proc_col col = COL_UNKNOWN;

		/* Two header words, one field in the lines. */
		if (!strcmp(tok, "rx_queue") && !strcmp(prev, "tx_queue"))
			goto next;
		if (!strcmp(tok, "tm->when") && !strcmp(prev, "tr"))
			goto next;
		if (!strcmp(tok, "tx_queue"))
			col = COL_TXRX;
		else if (!strcmp(tok, "tr"))
			col = COL_TRWHEN;
		for (i = 0; i < sizeof(ttp_proc_names) / sizeof(ttp_proc_names[0]); i++)
			if (!strcmp(tok, ttp_proc_names[i].name))
				col = ttp_proc_names[i].col;
		if (layout->ncols == TTP_PROC_MAXCOLS)
			break;
		if (col == COL_SL || col == COL_LOCAL || col == COL_REMOTE ||
		    col == COL_ST)
			seen++;
		layout->col[layout->ncols++] = col;
next:
		strcpy(prev, tok);
	}
	if (seen != 4) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* "HHHH" or "HHHH:HHHH" in hex: 0 or -1. */
static int hex_pair(const char *tok, unsigned long *a, unsigned long *b)
{
	char *end;

	*a = strtoul(tok, &end, 16);
	if (end == tok)
		return -1;
	if (!b)
		return *end ? -1 : 0;
	if (*end != ':' || !end[1])
		return -1;
	tok = end + 1;
	*b = strtoul(tok, &end, 16);
	return *end ? -1 : 0;
}

static int dec(const char *tok, unsigned long *v)
{
	char *end;

	if (*tok == '-')
		return -1;
	*v = strtoul(tok, &end, 10);
	return end == tok || *end ? -1 : 0;
}

int ttp_proc_parse_line(const struct ttp_proc_layout *layout, const char *line,
			struct ttp_proc_sock *s)
{
	unsigned long a, b;
	char tok[64];
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < layout->ncols; i++) {
		enum ttp_proc_col col = layout->col[i];
		size_t len;
		int bad = 0;

		if (!next_token(&line, tok, sizeof(tok)))
			break;	/* a shorter line: the columns it has */
		switch (col) {
		case COL_UNKNOWN:
			continue;
		case COL_SL:
			len = strlen(tok);
			if (len < 2 || tok[len - 1] != ':')
				goto bad;
			tok[len - 1] = '\0';
			bad = dec(tok, &a);
			s->sl = a;
			break;
		case COL_LOCAL:
		case COL_REMOTE:
			bad = hex_pair(tok, &a, &b) || a > 0xffffffffUL ||
			      b > 0xffff;
			if (col == COL_LOCAL) {
				s->laddr = a;
				s->lport = b;
			} else {
				s->raddr = a;
				s->rport = b;
			}
			break;
		case COL_ST:
			bad = hex_pair(tok, &a, NULL) || a > 0xff;
			s->state = a;
			break;
		case COL_TXRX:
			bad = hex_pair(tok, &a, &b);
			s->tx_queue = a;
			s->rx_queue = b;
			break;
		case COL_TRWHEN:
			bad = hex_pair(tok, &a, &b);
			s->timer = a;
			s->when = b;
			break;
		case COL_RETRNSMT:
			bad = hex_pair(tok, &a, NULL);
			s->retrnsmt = a;
			break;
		default:
			bad = dec(tok, &a);
			switch (col) {
			case COL_UID: s->uid = a; break;
			case COL_INODE: s->inode = a; break;
			case COL_RTO: s->rto = a; break;
			case COL_SRTT: s->srtt = a; break;
			case COL_RTTVAR: s->rttvar = a; break;
			case COL_CWND: s->cwnd = a; break;
			case COL_SSTHRESH: s->ssthresh = a; break;
			case COL_SND_WND: s->snd_wnd = a; break;
			case COL_RCV_WND: s->rcv_wnd = a; break;
			case COL_MSS: s->mss = a; break;
			case COL_RETRANS: s->retrans = a; break;
			case COL_CA: s->ca = a; break;
			default: break;
			}
		}
		if (bad)
			goto bad;
		s->has[col] = 1;
	}
	if (!s->has[COL_SL] || !s->has[COL_LOCAL] || !s->has[COL_REMOTE] ||
	    !s->has[COL_ST])
		goto bad;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
