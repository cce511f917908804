// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_attack: hostile traffic for the TTP selftests, from raw IP sockets.
 *
 *   ttp_attack flood -d ADDR -p PORT -n COUNT [-s NET] [-S SEED]
 *	COUNT SYNs to ADDR:PORT from forged sources: random addresses of the
 *	/16 NET (default 10.99.0.0), random ports and sequence numbers.
 *   ttp_attack connect -d ADDR -p PORT [-n MIN] [-w PID] [-b BYTES] [-t SECS]
 *	A legitimate client: connects to an echo server again and again,
 *	sends BYTES, checks the echo, closes; at least MIN times and, with
 *	-w, until process PID has exited.  Each connection gets SECS (60).
 *   ttp_attack blind -d ADDR -p PORT -s ADDR -P PORT [-n COUNT] [-q STEP]
 *		      [-c] [-S SEED]
 *	An off-path attacker that knows a connection's addresses and ports
 *	but not its sequence numbers: RSTs, data and SYNs from -s:-P to
 *	-d:-p, COUNT of each at random sequence and acknowledgment numbers,
 *	then RSTs and data swept over the whole sequence space in steps of
 *	STEP (default 65536).  -c: data with CRC32C, as the connection
 *	negotiated.
 *   ttp_attack inwindow -i IFACE -d ADDR -p PORT -s ADDR -P PORT -n COUNT
 *		      [-c]
 *	An attacker that sees the connection's segments on IFACE: it learns
 *	where -d expects the next byte (answer to a probe), then sends COUNT
 *	RSTs inside its window but not exactly there.  Each deserves a
 *	challenge ACK.
 *   ttp_attack pace -r BYTES_PER_SEC
 *	Copies standard input to standard output at most that fast.
 *
 * Every segment goes out through one IP_HDRINCL raw socket, so its source
 * can be any address.  Prints what it sent.  Exit status: 0 done (for
 * connect: every connection verified), 1 failure, 2 bad arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sys/socket.h>

#include "ttp_common.h"

#define TTPF_FIN	0x01
#define TTPF_SYN	0x02
#define TTPF_RST	0x04
#define TTPF_PSH	0x08
#define TTPF_ACK	0x10
#define TTPF_CRC	0x20

#define SEG_MAX		1500
#define BATCH		64

static int ipproto = 253;

/* ---- random numbers: xorshift64*, seeded so that a run can be repeated ---- */

static uint64_t rng_state = 88172645463325252ULL;

static void rng_seed(uint64_t seed)
{
	rng_state = seed * 2685821657736338717ULL + 1;
	if (!rng_state)
		rng_state = 1;
}

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

/* ---- checksums (Documentation/protocol.rst, "Checksums") ---- */

static uint32_t crc32c_table[256];

static void crc32c_init(void)
{
	uint32_t i, c;
	int k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		crc32c_table[i] = c;
	}
}

static uint32_t crc32c_update(uint32_t c, const uint8_t *p, size_t n)
{
	while (n--)
		c = crc32c_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c;
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	while (n > 1) {
		s += (p[0] << 8) | p[1];
		p += 2;
		n -= 2;
	}
	if (n)
		s += p[0] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* The pseudo-header: addresses (network order), protocol, TTP length. */
static void pseudo(uint8_t ph[12], uint32_t saddr, uint32_t daddr, size_t len)
{
	memcpy(ph, &saddr, 4);
	memcpy(ph + 4, &daddr, 4);
	ph[8] = 0;
	ph[9] = ipproto;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
}

/*
 * Checksum the TTP segment @seg of @len bytes (>= 20) in place: CRC32C if
 * its TTPF_CRC flag is set, else the Internet checksum.
 */
static void ttp_checksum(uint8_t *seg, size_t len, uint32_t saddr,
			 uint32_t daddr)
{
	uint8_t ph[12];

	pseudo(ph, saddr, daddr, len);
	memset(seg + 16, 0, 4);
	if (seg[13] & TTPF_CRC) {
		uint32_t c = crc32c_update(~0U, ph, 12);

		c = ~crc32c_update(c, seg, len);
		seg[16] = c >> 24;
		seg[17] = c >> 16;
		seg[18] = c >> 8;
		seg[19] = c;
	} else {
		uint16_t c = fold(sum16(sum16(0, ph, 12), seg, len));

		seg[16] = c >> 8;
		seg[17] = c & 0xff;
	}
}

/* ---- segments ---- */

struct seg {
	uint32_t saddr, daddr;	/* network order */
	size_t len;		/* TTP bytes in buf */
	uint8_t buf[SEG_MAX];
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A well-formed segment, checksummed; @opt of @optlen (a multiple of 4). */
static void seg_build(struct seg *s, uint16_t sport, uint16_t dport,
		      uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window,
		      const uint8_t *opt, size_t optlen, const uint8_t *data,
		      size_t datalen)
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

/* Sends segments in batches through an IP_HDRINCL raw socket. */
struct sender {
	int fd;
	unsigned int n;
	uint8_t pkts[BATCH][20 + SEG_MAX];
	struct sockaddr_in to[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	unsigned long sent, errors;
	int last_errno;
};

static int sender_open(struct sender *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (t->fd < 0) {
		perror("ttp_attack: raw socket");
		return -1;
	}
	return 0;
}

static void sender_flush(struct sender *t)
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
static void sender_add(struct sender *t, const struct seg *s)
{
	uint8_t *p = t->pkts[t->n];
	struct iphdr *ip = (struct iphdr *)p;

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(20 + s->len);
	ip->ttl = 64;
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

static void sender_report(const struct sender *t, const char *what)
{
	if (t->errors)
		printf("%s: %lu segments not sent (last error: %s)\n", what,
		       t->errors, strerror(t->last_errno));
}

static double now_s(void)
{
	return ttp_now_ms() / 1000.0;
}

/* The command line of every mode; each takes the letters it needs. */
struct args {
	uint32_t daddr, saddr;		/* -d, -s (network order) */
	unsigned long dport, sport;	/* -p, -P */
	unsigned long n, step, seed;	/* -n, -q, -S */
	unsigned long pid, bytes, secs;	/* -w, -b, -t */
	unsigned long rate;		/* -r */
	const char *daddr_str, *iface;	/* -d, -i */
	int crc;			/* -c */
	unsigned char given[128];	/* the letters seen */
};

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
static int parse_args(int argc, char **argv, const char *letters,
		      struct args *a)
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
		case 'i':
			a->iface = optarg;
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
static int need(const struct args *a, const char *mode, const char *letters)
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

/* ---- flood: SYNs from forged sources ---- */

static int do_flood(int argc, char **argv)
{
	/* MSS 1460, WSCALE 7, CSUM both, as a TTP client would send. */
	static const uint8_t opt[12] = { 2, 4, 0x05, 0xb4, 3, 3, 7, 4, 3, 3,
					 1, 1 };
	struct sender t;
	struct args a;
	unsigned long i;
	struct seg s;
	double t0;

	if (parse_args(argc, argv, "d:p:n:s:S:", &a) || need(&a, "flood", "dp"))
		return 2;
	rng_seed(a.seed);
	if (sender_open(&t))
		return 1;
	t0 = now_s();
	s.daddr = a.daddr;
	for (i = 0; i < a.n; i++) {
		/* Hosts 1..254 of each /24 of the /16. */
		uint32_t host = ((rnd() % 256) << 8) | (1 + rnd() % 254);

		s.saddr = htonl((ntohl(a.saddr) & 0xffff0000) | host);
		seg_build(&s, 1024 + rnd() % 64512, a.dport, rnd(), 0, TTPF_SYN,
			  65535, opt, sizeof(opt), NULL, 0);
		sender_add(&t, &s);
	}
	sender_flush(&t);
	sender_report(&t, "flood");
	printf("flood: %lu SYNs sent in %.1f s\n", t.sent, now_s() - t0);
	return t.sent ? 0 : 1;
}

/* ---- connect: a legitimate client of an echo server ---- */

/* One connection: connect, send @bytes, read them back.  0 or an errno. */
static int one_connection(const char *addr, int port, size_t bytes, int secs,
			  unsigned int n)
{
	struct timeval tv = { .tv_sec = secs };
	struct sockaddr_ttp a = ttp_addr(addr, port);
	unsigned char *out = malloc(bytes), *in = malloc(bytes + 1);
	size_t got = 0, i;
	int fd, err = 0;
	ssize_t r;

	if (!out || !in) {
		free(out);
		free(in);
		return ENOMEM;
	}
	for (i = 0; i < bytes; i++)
		out[i] = (unsigned char)(i * 7 + n * 13);
	fd = ttp_socket();
	if (fd < 0) {
		err = errno;
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    send(fd, out, bytes, MSG_NOSIGNAL) != (ssize_t)bytes ||
	    shutdown(fd, SHUT_WR)) {
		err = errno;
		goto out;
	}
	while ((r = recv(fd, in + got, bytes + 1 - got, 0)) > 0) {
		got += r;
		if (got > bytes)
			break;
	}
	if (r < 0)
		err = errno;
	else if (got != bytes || memcmp(in, out, bytes))
		err = EBADMSG;
out:
	if (fd >= 0)
		close(fd);
	free(out);
	free(in);
	return err;
}

static int do_connect(int argc, char **argv)
{
	unsigned long tries = 0, ok = 0;
	double t0 = now_s();
	struct args a;

	if (parse_args(argc, argv, "d:p:n:w:b:t:", &a) ||
	    need(&a, "connect", "dp"))
		return 2;
	while (tries < a.n || (a.pid && kill(a.pid, 0) == 0)) {
		double t1 = now_s();
		int err = one_connection(a.daddr_str, a.dport, a.bytes, a.secs,
					 tries);

		tries++;
		if (!err)
			ok++;
		else
			printf("connect: connection %lu failed after %.1f s: %s\n",
			       tries, now_s() - t1, strerror(err));
	}
	printf("connect: %lu of %lu connections verified in %.1f s\n", ok,
	       tries, now_s() - t0);
	return ok == tries ? 0 : 1;
}

/* ---- blind: an off-path attacker ---- */

/* Data of blind and in-window segments: recognisable in a capture. */
static const uint8_t junk[64] = "TTP-ATTACK-INJECTED-DATA-TTP-ATTACK-INJECTED-DATA-TTP-ATTACK-INJ";

static int do_blind(int argc, char **argv)
{
	unsigned long rst = 0, data = 0, syn = 0, i, sweep;
	uint8_t dflags;
	struct sender t;
	struct args a;
	struct seg s;
	double t0;

	if (parse_args(argc, argv, "d:p:s:P:n:q:cS:", &a) ||
	    need(&a, "blind", "dpsP"))
		return 2;
	rng_seed(a.seed);
	if (sender_open(&t))
		return 1;
	dflags = TTPF_ACK | TTPF_PSH | (a.crc ? TTPF_CRC : 0);
	s.saddr = a.saddr;
	s.daddr = a.daddr;
	t0 = now_s();
	/* At random: neither number is known. */
	for (i = 0; i < a.n; i++) {
		seg_build(&s, a.sport, a.dport, rnd(), 0, TTPF_RST, 0, NULL, 0,
			  NULL, 0);
		sender_add(&t, &s);
		seg_build(&s, a.sport, a.dport, rnd(), rnd(), dflags, 65535,
			  NULL, 0, junk, 1 + rnd() % sizeof(junk));
		sender_add(&t, &s);
		seg_build(&s, a.sport, a.dport, rnd(), 0, TTPF_SYN, 65535, NULL,
			  0, NULL, 0);
		sender_add(&t, &s);
		rst++;
		data++;
		syn++;
	}
	/* Swept: some land in the window, whatever it is. */
	sweep = (1ULL << 32) / a.step;
	for (i = 0; i < sweep; i++) {
		uint32_t seq = (uint32_t)(i * a.step);

		seg_build(&s, a.sport, a.dport, seq, 0, TTPF_RST, 0, NULL, 0,
			  NULL, 0);
		sender_add(&t, &s);
		seg_build(&s, a.sport, a.dport, seq, rnd(), dflags, 65535, NULL,
			  0, junk, sizeof(junk));
		sender_add(&t, &s);
		rst++;
		data++;
	}
	sender_flush(&t);
	sender_report(&t, "blind");
	printf("blind: %lu RSTs, %lu data segments, %lu SYNs (%lu segments sent) in %.1f s\n",
	       rst, data, syn, t.sent, now_s() - t0);
	return t.errors ? 1 : 0;
}

/* ---- inwindow: an attacker that sees the connection ---- */

/*
 * A packet socket on @iface that sees every IPv4 packet, or -1.  SOCK_DGRAM:
 * the link header is removed.
 */
static int sniffer_open(const char *iface)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_IP));

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

/* What a TTP segment seen on the wire said. */
struct seen {
	uint32_t saddr, daddr, seq, ack;
	uint16_t sport, dport, window, len;	/* len: of the data */
	uint8_t flags;
};

/*
 * The next TTP segment from @saddr:@sport to @daddr:@dport on @fd, within
 * @ms milliseconds.  0, or -1 if none came.
 */
static int sniff(int fd, uint32_t saddr, uint16_t sport, uint32_t daddr,
		 uint16_t dport, int ms, struct seen *out)
{
	long long end = ttp_now_ms() + ms;
	uint8_t pkt[2048];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = end - ttp_now_ms();
		const uint8_t *h;
		unsigned int ihl;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		n = recv(fd, pkt, sizeof(pkt), 0);
		if (n < 20 || pkt[9] != ipproto)
			continue;
		ihl = (pkt[0] & 15) * 4;
		if (n < ihl + 20)
			continue;
		h = pkt + ihl;
		memcpy(&out->saddr, pkt + 12, 4);
		memcpy(&out->daddr, pkt + 16, 4);
		out->sport = h[0] << 8 | h[1];
		out->dport = h[2] << 8 | h[3];
		if (out->saddr != saddr || out->daddr != daddr ||
		    out->sport != sport || out->dport != dport)
			continue;
		out->seq = (uint32_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];
		out->ack = (uint32_t)h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11];
		out->flags = h[13];
		out->window = h[14] << 8 | h[15];
		out->len = n - ihl - (h[12] & 15) * 4;
		return 0;
	}
}

static int do_inwindow(int argc, char **argv)
{
	uint32_t rcv_nxt, wnd;
	struct sender t;
	struct seen ans;
	struct args a;
	unsigned long i;
	struct seg s;
	int fd;

	if (parse_args(argc, argv, "i:d:p:s:P:n:c", &a) ||
	    need(&a, "inwindow", "idpsP"))
		return 2;
	fd = sniffer_open(a.iface);
	if (fd < 0 || sender_open(&t))
		return 1;
	rng_seed(a.seed);
	s.saddr = a.saddr;
	s.daddr = a.daddr;
	/*
	 * A probe: data far from any window and an impossible ACK.  -d
	 * drops it and answers with an ACK of where it is.
	 */
	seg_build(&s, a.sport, a.dport, rnd(), rnd(),
		  TTPF_ACK | (a.crc ? TTPF_CRC : 0), 0, NULL, 0, junk, 1);
	sender_add(&t, &s);
	sender_flush(&t);
	if (sniff(fd, a.daddr, a.dport, a.saddr, a.sport, 5000, &ans)) {
		fprintf(stderr, "ttp_attack inwindow: no answer to the probe\n");
		return 1;
	}
	rcv_nxt = ans.ack;
	/* The window in bytes is at least the field (scales are >= 0). */
	wnd = ans.window;
	if (wnd < 2) {
		fprintf(stderr, "ttp_attack inwindow: the window is closed\n");
		return 1;
	}
	for (i = 0; i < a.n; i++) {
		seg_build(&s, a.sport, a.dport, rcv_nxt + 1 + i % (wnd - 1), 0,
			  TTPF_RST, 0, NULL, 0, NULL, 0);
		sender_add(&t, &s);
	}
	sender_flush(&t);
	sender_report(&t, "inwindow");
	printf("inwindow: rcv_nxt %u, window %u: %lu RSTs sent in the window\n",
	       rcv_nxt, wnd, t.sent - 1);
	return t.errors ? 1 : 0;
}

/* ---- pace: a slow sender ---- */

static int do_pace(int argc, char **argv)
{
	double t0 = now_s();
	unsigned long total = 0;
	struct args a;
	char buf[4096];
	ssize_t n;

	if (parse_args(argc, argv, "r:", &a) || need(&a, "pace", "r"))
		return 2;
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		double due;

		if (write(1, buf, n) != n) {
			perror("ttp_attack pace: write");
			return 1;
		}
		total += n;
		due = t0 + (double)total / a.rate - now_s();
		if (due > 0)
			usleep(due * 1e6);
	}
	return n < 0 ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ttp_attack flood -d ADDR -p PORT -n COUNT [-s NET] [-S SEED]\n"
		"       ttp_attack connect -d ADDR -p PORT [-n MIN] [-w PID] [-b BYTES] [-t SECS]\n"
		"       ttp_attack blind -d ADDR -p PORT -s ADDR -P PORT [-n COUNT] [-q STEP] [-c] [-S SEED]\n"
		"       ttp_attack inwindow -i IFACE -d ADDR -p PORT -s ADDR -P PORT -n COUNT [-c]\n"
		"       ttp_attack pace -r BYTES_PER_SEC\n");
	return 2;
}

int main(int argc, char **argv)
{
	FILE *f = fopen("/sys/module/ttp/parameters/protocol", "r");

	if (f) {
		if (fscanf(f, "%d", &ipproto) != 1)
			ipproto = 253;
		fclose(f);
	}
	crc32c_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "flood"))
		return do_flood(argc - 1, argv + 1);
	if (!strcmp(argv[1], "connect"))
		return do_connect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "blind"))
		return do_blind(argc - 1, argv + 1);
	if (!strcmp(argv[1], "inwindow"))
		return do_inwindow(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pace"))
		return do_pace(argc - 1, argv + 1);
	return usage();
}
