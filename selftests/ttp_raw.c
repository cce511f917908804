// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_raw: what the modes of ttp_attack share to make and send raw TTP
 * segments, parse their command lines and probe a connection.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "../module/ref_csum.h"
#include "ttp_common.h"
#include "ttp_raw.h"

int ipproto = 253;

/* ---- random numbers: xorshift64*, seeded so that a run can be repeated ---- */

static uint64_t rng_state = 88172645463325252ULL;

void rng_seed(uint64_t seed)
{
	rng_state = seed * 2685821657736338717ULL + 1;
	if (!rng_state)
		rng_state = 1;
}

uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

/* ---- checksums: module/ref_csum.h's, which the KUnit tests use too ---- */

/*
 * Checksum the TTP segment @seg of @len bytes (>= 20) in place: CRC32C if
 * its TTPF_CRC flag is set, else the Internet checksum.
 */
void ttp_checksum(uint8_t *seg, size_t len, uint32_t saddr, uint32_t daddr)
{
	uint8_t ph[TTP_REF_PSEUDO_LEN];

	ttp_ref_pseudo(ph, &saddr, &daddr, ipproto, len);
	put32(seg + TTP_REF_CHECK_OFF,
	      ttp_ref_seg_csum(ph, seg, len, seg[13] & TTPF_CRC));
}

/* ---- segments ---- */

void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A well-formed segment, checksummed; @opt of @optlen (a multiple of 4). */
void seg_build(struct seg *s, uint16_t sport, uint16_t dport, uint32_t seq,
	       uint32_t ack, uint8_t flags, uint16_t window, const uint8_t *opt,
	       size_t optlen, const uint8_t *data, size_t datalen)
{
	uint8_t *h = s->buf;

	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, seq);
	put32(h + 8, ack);
	h[12] = (1 << 4) | ((20 + optlen) / 4);
	h[13] = flags;
	put16(h + 14, window);
	memcpy(h + 20, opt, optlen);
	memcpy(h + 20 + optlen, data, datalen);
	s->len = 20 + optlen + datalen;
	ttp_checksum(h, s->len, s->saddr, s->daddr);
}

int sender_open(struct sender *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (t->fd < 0) {
		perror("ttp_attack: raw socket");
		return -1;
	}
	return 0;
}

void sender_flush(struct sender *t)
{
	unsigned int done = 0;

	while (done < t->n) {
		int r = sendmmsg(t->fd, t->msg + done, t->n - done, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS and the like: count the one lost, go on. */
			t->last_errno = errno;
			t->errors++;
			done++;
			continue;
		}
		t->sent += r;
		done += r;
	}
	t->n = 0;
}

/* Queue @s (its TTP bytes) in an IPv4 packet; sent when the batch fills. */
void sender_add(struct sender *t, const struct seg *s)
{
	uint8_t *p = t->pkts[t->n];
	struct iphdr *ip = (struct iphdr *)p;

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(20 + s->len);
	/* Not 64, what TTP sends with: a sniffer tells ours apart. */
	ip->ttl = ATTACK_TTL;
	ip->protocol = ipproto;
	ip->saddr = s->saddr;
	ip->daddr = s->daddr;
	memcpy(p + 20, s->buf, s->len);

	t->to[t->n].sin_family = AF_INET;
	t->to[t->n].sin_addr.s_addr = s->daddr;
	t->iov[t->n].iov_base = p;
	t->iov[t->n].iov_len = 20 + s->len;
	memset(&t->msg[t->n], 0, sizeof(t->msg[t->n]));
	t->msg[t->n].msg_hdr.msg_name = &t->to[t->n];
	t->msg[t->n].msg_hdr.msg_namelen = sizeof(t->to[t->n]);
	t->msg[t->n].msg_hdr.msg_iov = &t->iov[t->n];
	t->msg[t->n].msg_hdr.msg_iovlen = 1;
	if (++t->n == BATCH)
		sender_flush(t);
}

void sender_report(const struct sender *t, const char *what)
{
	if (t->errors)
		printf("%s: %lu segments not sent (last error: %s)\n", what,
		       t->errors, strerror(t->last_errno));
}

double now_s(void)
{
	return ttp_now_ms() / 1000.0;
}

/* ---- the command line ---- */

static int parse_addr(const char *s, uint32_t *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1) {
		fprintf(stderr, "ttp_attack: '%s' is not an IPv4 address\n", s);
		return -1;
	}
	*a = in.s_addr;
	return 0;
}

static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *v > max) {
		fprintf(stderr, "ttp_attack: bad number '%s'\n", s);
		return -1;
	}
	return 0;
}

/* Parse the options @letters (getopt syntax) into @a.  0, or -1. */
int parse_args(int argc, char **argv, const char *letters, struct args *a)
{
	int c, err = 0;

	memset(a, 0, sizeof(*a));
	a->seed = time(NULL);
	a->step = 65536;
	a->secs = 60;
	a->n = 1;
	a->bytes = 1000;
	a->saddr = htonl(0x0a630000);	/* 10.99.0.0, flood's network */
	while (!err && (c = getopt(argc, argv, letters)) != -1) {
		a->given[c & 127] = 1;
		switch (c) {
		case 'd':
			a->daddr_str = optarg;
			err = parse_addr(optarg, &a->daddr);
			break;
		case 's':
			err = parse_addr(optarg, &a->saddr);
			break;
		case 'p':
			err = parse_num(optarg, 65535, &a->dport);
			break;
		case 'P':
			err = parse_num(optarg, 65535, &a->sport);
			break;
		case 'n':
			err = parse_num(optarg, 100000000, &a->n);
			break;
		case 'q':
			err = parse_num(optarg, 1UL << 31, &a->step);
			err = err ?: a->step ? 0 : -1;
			break;
		case 'S':
			err = parse_num(optarg, ~0UL, &a->seed);
			break;
		case 'w':
			err = parse_num(optarg, 1 << 30, &a->pid);
			break;
		case 'b':
			err = parse_num(optarg, 1 << 24, &a->bytes);
			break;
		case 't':
			err = parse_num(optarg, 3600, &a->secs);
			break;
		case 'r':
			err = parse_num(optarg, 1UL << 30, &a->rate);
			break;
		case 'L':
			err = parse_num(optarg, 65535, &a->lport);
			break;
		case 'i':
			a->iface = optarg;
			break;
		case 'u':
			a->until = optarg;
			break;
		case 'o':
			a->copy = optarg;
			break;
		case 'c':
			a->crc = 1;
			break;
		default:
			err = -1;
		}
	}
	if (!err && optind < argc) {
		fprintf(stderr, "ttp_attack: unexpected '%s'\n", argv[optind]);
		err = -1;
	}
	return err;
}

/* Fail unless every option of @need (letters) was given. */
int need(const struct args *a, const char *mode, const char *letters)
{
	const char *l;

	for (l = letters; *l; l++) {
		if (!a->given[*l & 127]) {
			fprintf(stderr, "ttp_attack %s: -%c is needed\n", mode, *l);
			return -1;
		}
	}
	return 0;
}

/* ---- the probe: a connection shows its numbers ---- */

/* Data of blind and in-window segments: recognisable in a capture. */
const uint8_t junk[64] = "TTP-ATTACK-INJECTED-DATA-TTP-ATTACK-INJECTED-DATA-TTP-ATTACK-INJ";

/*
 * A packet socket on @iface that sees every packet, received or sent (a
 * socket of one protocol would see only those received), or -1.
 * SOCK_DGRAM: the link header is removed.
 */
static int sniffer_open(const char *iface)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));

	if (fd < 0) {
		perror("ttp_attack: packet socket");
		return -1;
	}
	ll.sll_ifindex = if_nametoindex(iface);
	if (!ll.sll_ifindex || bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		fprintf(stderr, "ttp_attack: interface %s: %s\n", iface,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Open the sniffer on -i and the sender, and send the connection -s:-P to
 * -d:-p a probe: one byte of data at a random sequence number (almost
 * surely out of the window) and a random ACK.  -d drops it and answers
 * with an ACK of where it is.  Returns the sniffer, or -1.
 */
int probe_connection(const struct args *a, struct sender *t, struct seg *s)
{
	int fd = sniffer_open(a->iface);

	if (fd < 0 || sender_open(t))
		return -1;
	rng_seed(a->seed);
	s->saddr = a->saddr;
	s->daddr = a->daddr;
	seg_build(s, a->sport, a->dport, rnd(), rnd(),
		  TTPF_ACK | (a->crc ? TTPF_CRC : 0), 0, NULL, 0, junk, 1);
	sender_add(t, s);
	sender_flush(t);
	return fd;
}
