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
 *   ttp_attack pace -r BYTES_PER_SEC [-u FILE] [-o COPY]
 *	Copies standard input to standard output at most that fast, until
 *	the input ends or, with -u, until FILE exists (checked before each
 *	block: a transfer that lasts as long as something else does, however
 *	fast the machine).  -o: every byte written also goes to the file
 *	COPY, which then holds exactly what was sent.
 *   ttp_attack fuzz -i IFACE -d ADDR -s ADDR -L PORT -p PORT -P PORT
 *		     -n COUNT [-c] [-S SEED]
 *	COUNT hostile segments to host -d from -s (this host): truncated
 *	headers, versions, header lengths and checksums that lie, malformed
 *	and bogus options, every flag combination, garbage with a correct
 *	checksum; at ports where nobody listens, at the listener on -L, and
 *	at the connection -s:-P to -d:-p (CRC32C with -c), whose sequence
 *	numbers it follows on IFACE.  Segments that the connection could
 *	take for its own (data in the window with a plausible ACK, a RST
 *	that might be at rcv_nxt) are never sent: only a peer may send
 *	those.  Prints how many of each kind went, and how many the
 *	receiver must count as header, version and checksum errors.
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
#include "ttp_spec.h"

#define TTPF_FIN	0x01
#define TTPF_SYN	0x02
#define TTPF_RST	0x04
#define TTPF_PSH	0x08
#define TTPF_ACK	0x10
#define TTPF_CRC	0x20

#define SEG_MAX		1500
#define BATCH		64
#define ATTACK_TTL	63
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

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
	unsigned long lport;		/* -L */
	const char *daddr_str, *iface;	/* -d, -i */
	const char *until, *copy;	/* -u, -o */
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
		if (n < 20 || (pkt[0] >> 4) != 4 || pkt[9] != ipproto)
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

/*
 * Open the sniffer on -i and the sender, and send the connection -s:-P to
 * -d:-p a probe: one byte of data at a random sequence number (almost
 * surely out of the window) and a random ACK.  -d drops it and answers
 * with an ACK of where it is.  Returns the sniffer, or -1.
 */
static int probe_connection(const struct args *a, struct sender *t,
			    struct seg *s)
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
	fd = probe_connection(&a, &t, &s);
	if (fd < 0)
		return 1;
	if (sniff(fd, a.daddr, a.dport, a.saddr, a.sport, 60000, &ans)) {
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

/* ---- fuzz: hostile segments of every kind ---- */

/*
 * What the sniffer knows of the connection, from the segments it saw.
 * The server's rcv_nxt is at least srv_ack (it acknowledged that much)
 * and at most cli_snd (the client sent no more).
 */
struct fz_conn {
	uint32_t srv_ack;	/* highest acknowledgment from the server */
	uint32_t srv_snd;	/* server's highest sequence number sent + 1 */
	uint32_t cli_snd;	/* client's highest sequence number sent + 1 */
	uint32_t wnd;		/* the server's last window field */
	int seen_srv, seen_cli;
};

static int after32(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/* Take in what the sniffer saw since the last call; never waits. */
static void fz_track(int fd, const struct args *a, struct fz_conn *k)
{
	uint8_t pkt[2048];
	ssize_t n;

	while ((n = recv(fd, pkt, sizeof(pkt), MSG_DONTWAIT)) > 0) {
		unsigned int ihl = (pkt[0] & 15) * 4, hl;
		uint32_t sa, da, seq, ack, end;
		uint16_t sp, dp;
		const uint8_t *h;

		if (n < 40 || (pkt[0] >> 4) != 4 || pkt[9] != ipproto ||
		    pkt[8] == ATTACK_TTL || n < ihl + 20)
			continue;
		h = pkt + ihl;
		hl = (h[12] & 15) * 4;
		if (n < ihl + hl)
			continue;
		memcpy(&sa, pkt + 12, 4);
		memcpy(&da, pkt + 16, 4);
		sp = h[0] << 8 | h[1];
		dp = h[2] << 8 | h[3];
		seq = (uint32_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];
		ack = (uint32_t)h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11];
		end = seq + (n - ihl - hl) + !!(h[13] & TTPF_SYN) +
		      !!(h[13] & TTPF_FIN);
		if (sa == a->daddr && sp == a->dport && da == a->saddr &&
		    dp == a->sport) {
			if ((h[13] & TTPF_ACK) &&
			    (!k->seen_srv || after32(ack, k->srv_ack)))
				k->srv_ack = ack;
			if (!k->seen_srv || after32(end, k->srv_snd))
				k->srv_snd = end;
			k->wnd = h[14] << 8 | h[15];
			k->seen_srv = 1;
		} else if (sa == a->saddr && sp == a->sport &&
			   da == a->daddr && dp == a->dport) {
			if (!k->seen_cli || after32(end, k->cli_snd))
				k->cli_snd = end;
			k->seen_cli = 1;
		}
	}
}

static void fill_random(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

/*
 * Well-formed options in @o, from @len up to @stop bytes: known and
 * unknown kinds, repeated, in any order, with random values; an END
 * followed by garbage only if @end_ok.  @sack: bit 0 set once a SACK
 * option is written, bit 1 once a TIMESTAMP is (each comes once at most).
 * Returns the new length.
 */
static size_t fz_good_options(uint8_t *o, size_t len, size_t stop,
			      int end_ok, int *sack)
{
	while (len < stop) {
		size_t left = stop - len;
		unsigned int pick = rnd() % 10;
		uint8_t *p = o + len;

		if (pick == 0 || left < 2) {
			*p = 1;					/* NOP */
			len++;
		} else if (pick == 1 && left >= 4) {
			p[0] = 2;				/* MSS */
			p[1] = 4;
			fill_random(p + 2, 2);
			len += 4;
		} else if (pick == 2 && left >= 3) {
			p[0] = 3;				/* WSCALE */
			p[1] = 3;
			p[2] = rnd() % 20;
			len += 3;
		} else if (pick == 3 && left >= 3) {
			p[0] = 4;				/* CSUM */
			p[1] = 3;
			p[2] = rnd();
			len += 3;
		} else if (pick == 4) {
			p[0] = 5;				/* SACK_OK */
			p[1] = 2;
			len += 2;
		} else if (pick == 5 && !(*sack & 1) && left >= 10) {
			size_t nb = 1 + rnd() % ((left - 2) / 8 < 4 ?
						 (left - 2) / 8 : 4);

			p[0] = 6;				/* SACK */
			p[1] = 2 + 8 * nb;
			fill_random(p + 2, 8 * nb);
			len += 2 + 8 * nb;
			*sack |= 1;
		} else if (pick == 7 && !(*sack & 2) && left >= 10) {
			p[0] = 8;				/* TIMESTAMP */
			p[1] = 10;
			fill_random(p + 2, 8);
			len += 10;
			*sack |= 2;
		} else if (pick == 6 && end_ok) {
			*p = 0;		/* END, then anything: not looked at */
			fill_random(p + 1, left - 1);
			len = stop;
		} else {
			size_t l = 2 + rnd() % (left - 1);	/* unknown kind */

			do	/* known kinds have their lengths */
				p[0] = 7 + rnd() % 249;
			while (p[0] == 8);
			p[1] = l;
			fill_random(p + 2, l - 2);
			len += l;
		}
	}
	return len;
}

/*
 * An options area of at most 40 bytes, a multiple of 4, in @o: well-formed
 * options, and with @bad one broken option where the parser reaches it
 * (nothing after it matters).  Returns its length.
 */
static size_t fz_options(uint8_t *o, int bad)
{
	static const uint8_t wrong_len[][2] = {	/* kind, wrong length */
		{ 2, 3 }, { 2, 5 }, { 3, 2 }, { 3, 4 }, { 4, 2 }, { 4, 4 },
		{ 5, 3 }, { 6, 2 }, { 6, 3 }, { 6, 9 }, { 6, 11 }, { 8, 9 },
		{ 8, 11 },
	};
	size_t len, area;
	int sack = 0;
	uint8_t *p;

	if (!bad) {
		area = 4 * (rnd() % 11);
		return fz_good_options(o, 0, area, 1, &sack);
	}
	/* Room for the broken option: up to 12 bytes. */
	len = fz_good_options(o, 0, rnd() % 29, 0, &sack);
	p = o + len;
	switch (rnd() % 5) {
	case 0: {			/* a known kind, the wrong length */
		const uint8_t *w = wrong_len[rnd() % ARRAY_LEN(wrong_len)];

		p[0] = w[0];
		p[1] = w[1];
		fill_random(p + 2, w[1] - 2);
		len += w[1];
		break;
	}
	case 1:				/* a length below 2 */
		p[0] = 2 + rnd() % 254;
		p[1] = rnd() % 2;
		len += 2;
		break;
	case 2:		/* a second SACK or TIMESTAMP, if there is one */
		if (sack & 2) {
			p[0] = 8;
			p[1] = 10;
			fill_random(p + 2, 8);
			len += 10;
			break;
		}
		if (sack & 1) {
			p[0] = 6;
			p[1] = 10;
			fill_random(p + 2, 8);
			len += 10;
			break;
		}
		/* fall through */
	case 3:				/* a length past the end of the area */
		area = (len + 2 + 3) / 4 * 4;
		p[0] = 2 + rnd() % 254;
		p[1] = area - len + 1 + rnd() % 8;
		len += 2;
		break;
	default:			/* a kind in the last byte, no length */
		while ((len + 1) % 4)
			o[len++] = 1;
		o[len++] = 2 + rnd() % 254;
		return len;
	}
	while (len % 4)
		o[len++] = 1;
	return len;
}

/* The segment's checksum, computed right, then perhaps made wrong. */
static void fz_corrupt_checksum(uint8_t *seg)
{
	if (seg[13] & TTPF_CRC) {
		seg[16 + rnd() % 4] ^= 1 + rnd() % 255;
	} else if (rnd() % 2) {
		seg[16 + rnd() % 2] ^= 1 + rnd() % 255;
	} else {
		/* Right sum, but the half that belongs to CRC32C not zero. */
		seg[18] = 1 + rnd() % 255;
	}
}

enum fz_kind { FZ_TRUNC, FZ_VERSION, FZ_DOFF, FZ_CSUM, FZ_BADOPT, FZ_SHAPED,
	       FZ_GARBAGE, FZ_NKINDS };
enum fz_target { FZ_CLOSED, FZ_LISTENER, FZ_CONN, FZ_NTARGETS };

struct fz_stats {
	unsigned long kind[FZ_NKINDS], target[FZ_NTARGETS];
	unsigned long hdr, version, csum, nocrc, passed;
	unsigned long passed_to[FZ_NTARGETS];
	unsigned long flags_seen[256];
	unsigned long in_window, out_window, bad_ack;
};

/*
 * Sequence and acknowledgment numbers for a segment with @flags at the
 * connection, in the window or out of it, such that the connection can
 * take nothing from it: a RST never where rcv_nxt may be, and an ACK that
 * comes with an acceptable sequence number always one that could not be
 * the peer's.
 */
static void fz_conn_numbers(const struct fz_conn *k, uint8_t flags,
			    size_t len, uint32_t *seq, uint32_t *ack,
			    struct fz_stats *st)
{
	uint32_t wnd = k->wnd ? k->wnd : 1;
	/* Far: half the sequence space away from the window. */
	uint32_t far = k->srv_ack + (1U << 31) + rnd() % (1U << 29);
	/* Behind: wholly before what the server has acknowledged. */
	uint32_t behind = k->srv_ack - len - 1 - rnd() % (1U << 20);
	/* Ahead: well beyond anything the client has sent. */
	uint32_t ahead = k->cli_snd + 65536 + rnd() % (1U << 16);
	/* In the window, as the server last advertised it. */
	uint32_t inwnd = k->srv_ack + rnd() % wnd;
	/* An ACK no peer could send: beyond snd_nxt by 1 to 2 GiB. */
	uint32_t bad = k->srv_snd + (1U << 30) + rnd() % (1U << 30);
	unsigned int r = rnd() % 4;

	*ack = rnd();
	if (flags & TTPF_RST) {
		/* Never in [srv_ack, cli_snd], where rcv_nxt may be. */
		*seq = r == 0 ? behind : r == 1 ? far : ahead;
	} else if (flags & TTPF_SYN) {
		*seq = r == 0 ? behind : r == 1 ? far : inwnd;
	} else if (flags & TTPF_ACK) {
		if (rnd() % 2) {
			*seq = r == 0 ? behind : r == 1 ? far : inwnd;
			*ack = bad;
			st->bad_ack++;
		} else {
			*seq = r % 2 ? behind : far;
			*ack = k->srv_snd;	/* plausible */
		}
	} else {
		*seq = r == 0 ? behind : r == 1 ? far : inwnd;
	}
	if (*seq == inwnd)
		st->in_window++;
	else
		st->out_window++;
}

/*
 * One hostile segment for @target into @s (ports and addresses set here).
 * Counts in @st what the receiver must make of it before it looks for a
 * socket.
 */
static void fz_segment(struct seg *s, const struct args *a,
		       const struct fz_conn *k, enum fz_target target,
		       enum fz_kind kind, uint8_t flags, struct fz_stats *st)
{
	uint8_t opt[40], data[1400], *h = s->buf;
	uint16_t sport, dport;
	size_t optlen = 0, dlen;
	uint32_t seq = rnd(), ack = rnd();

	switch (target) {
	case FZ_CLOSED:
		sport = 30000 + rnd() % 10000;
		do
			dport = 1 + rnd() % 65535;
		while (dport == a->dport || dport == a->lport);
		break;
	case FZ_LISTENER:
		sport = 20000 + rnd() % 10000;
		dport = a->lport;
		break;
	default:
		sport = a->sport;
		dport = a->dport;
		break;
	}
	/* Mostly small, sometimes a full segment. */
	dlen = rnd() % 4 ? rnd() % 64 : rnd() % (sizeof(data) - 60);
	fill_random(data, dlen);

	if (kind == FZ_GARBAGE) {
		/* Random bytes; version 1 mostly, a header that fits. */
		size_t hl;

		fill_random(h, 20);
		h[12] = (rnd() % 10 ? 0x10 : rnd() & 0xf0) | (5 + rnd() % 11);
		hl = (h[12] & 15) * 4;
		fill_random(h + 20, hl - 20);
		memcpy(h + hl, data, dlen);
		s->len = hl + dlen;
		put16(h, sport);
		put16(h + 2, dport);
		flags = h[13];
		if (target == FZ_CONN) {
			fz_conn_numbers(k, flags, dlen, &seq, &ack, st);
			put32(h + 4, seq);
			put32(h + 8, ack);
		}
		ttp_checksum(h, s->len, s->saddr, s->daddr);
		goto classify;
	}

	if (kind == FZ_BADOPT)
		optlen = fz_options(opt, 1);
	else if (kind != FZ_TRUNC && rnd() % 2)
		optlen = fz_options(opt, 0);
	if (target == FZ_CONN)
		fz_conn_numbers(k, flags, dlen, &seq, &ack, st);
	seg_build(s, sport, dport, seq, ack, flags, rnd(), opt, optlen, data,
		  dlen);
	switch (kind) {
	case FZ_TRUNC:
		s->len = rnd() % 20;
		break;
	case FZ_VERSION: {
		unsigned int v = rnd() % 15;	/* 0, 2 .. 15 */

		h[12] = (v ? v + 1 : 0) << 4 | (h[12] & 15);
		ttp_checksum(h, s->len, s->saddr, s->daddr);
		break;
	}
	case FZ_DOFF:
		if (rnd() % 2 || s->len >= 60)
			h[12] = 0x10 | rnd() % 5;	/* below 5 */
		else	/* longer than the segment */
			h[12] = 0x10 | (s->len / 4 + 1 + rnd() % (15 - s->len / 4));
		ttp_checksum(h, s->len, s->saddr, s->daddr);
		break;
	case FZ_CSUM:
		fz_corrupt_checksum(h);
		break;
	default:
		break;
	}

classify:
	st->kind[kind]++;
	st->target[target]++;
	if (s->len < 20) {
		st->hdr++;
	} else if ((h[12] >> 4) != 1) {
		st->version++;
	} else if ((h[12] & 15) < 5 || (size_t)(h[12] & 15) * 4 > s->len) {
		st->hdr++;
	} else if (kind == FZ_CSUM) {
		st->csum++;
	} else if (!ttp_spec_options_ok(h + 20, (h[12] & 15) * 4 - 20)) {
		st->hdr++;
	} else if (target == FZ_CONN && a->crc && !(h[13] & TTPF_CRC) &&
		   !(h[13] & (TTPF_SYN | TTPF_RST))) {
		/* A connection that agreed on CRC32C takes nothing weaker. */
		st->csum++;
		st->nocrc++;
	} else {
		st->passed++;
		st->passed_to[target]++;
		st->flags_seen[h[13]]++;
	}
}

static int do_fuzz(int argc, char **argv)
{
	static const unsigned int kind_weight[FZ_NKINDS] = {
		[FZ_TRUNC] = 4, [FZ_VERSION] = 6, [FZ_DOFF] = 6, [FZ_CSUM] = 12,
		[FZ_BADOPT] = 8, [FZ_SHAPED] = 44, [FZ_GARBAGE] = 20,
	};
	struct fz_stats st = { 0 };
	struct fz_conn k = { 0 };
	unsigned int flags = 0, combos = 0, j;
	struct sender t;
	struct args a;
	unsigned long i;
	struct seg s;
	double t0;
	int fd;

	if (parse_args(argc, argv, "i:d:s:L:p:P:n:cS:", &a) ||
	    need(&a, "fuzz", "idsLpP"))
		return 2;
	/*
	 * Learn the connection's numbers: the probe draws an ACK, and the
	 * transfer goes on.  60 s at most, for a hung connection only.
	 */
	fd = probe_connection(&a, &t, &s);
	if (fd < 0)
		return 1;
	for (j = 0; j < 600 && !(k.seen_srv && k.seen_cli); j++) {
		usleep(100000);
		fz_track(fd, &a, &k);
	}
	if (!k.seen_srv || !k.seen_cli) {
		fprintf(stderr, "ttp_attack fuzz: the connection is silent\n");
		return 1;
	}
	t.sent = 0;
	t0 = now_s();
	for (i = 0; i < a.n; i++) {
		unsigned int w = rnd() % 100, kind = 0;
		enum fz_target target = rnd() % 10 < 4 ? FZ_CONN :
					rnd() % 2 ? FZ_LISTENER : FZ_CLOSED;

		while (w >= kind_weight[kind])
			w -= kind_weight[kind++];
		if (i % BATCH == 0)
			fz_track(fd, &a, &k);
		fz_segment(&s, &a, &k, target, kind, flags++ & 0xff, &st);
		sender_add(&t, &s);
	}
	sender_flush(&t);
	sender_report(&t, "fuzz");
	for (j = 0; j < 256; j++)
		combos += !!st.flags_seen[j];
	printf("fuzz: %lu segments sent in %.1f s: %lu truncated, %lu bad version, %lu lying header length, %lu bad checksum, %lu bad options, %lu shaped, %lu garbage\n",
	       t.sent, now_s() - t0, st.kind[FZ_TRUNC], st.kind[FZ_VERSION],
	       st.kind[FZ_DOFF], st.kind[FZ_CSUM], st.kind[FZ_BADOPT],
	       st.kind[FZ_SHAPED], st.kind[FZ_GARBAGE]);
	printf("fuzz: at closed ports %lu, at the listener %lu, at the connection %lu (%lu in its window, %lu out, %lu with an impossible ACK)\n",
	       st.target[FZ_CLOSED], st.target[FZ_LISTENER],
	       st.target[FZ_CONN], st.in_window, st.out_window, st.bad_ack);
	printf("fuzz: %u flag combinations passed the header checks\n", combos);
	printf("fuzz: expect hdr=%lu version=%lu csum=%lu (nocrc=%lu) passed=%lu closed=%lu listener=%lu conn=%lu\n",
	       st.hdr, st.version, st.csum, st.nocrc, st.passed,
	       st.passed_to[FZ_CLOSED], st.passed_to[FZ_LISTENER],
	       st.passed_to[FZ_CONN]);
	return t.errors ? 1 : 0;
}

/* ---- pace: a slow sender ---- */

static int do_pace(int argc, char **argv)
{
	double t0 = now_s();
	unsigned long total = 0;
	struct args a;
	char buf[4096];
	FILE *copy = NULL;
	ssize_t n = 0;

	if (parse_args(argc, argv, "r:u:o:", &a) || need(&a, "pace", "r"))
		return 2;
	if (a.copy) {
		copy = fopen(a.copy, "w");
		if (!copy) {
			perror("ttp_attack pace: -o");
			return 1;
		}
	}
	while (!(a.until && !access(a.until, F_OK)) &&
	       (n = read(0, buf, sizeof(buf))) > 0) {
		double due;

		if (write(1, buf, n) != n) {
			perror("ttp_attack pace: write");
			return 1;
		}
		if (copy && fwrite(buf, 1, n, copy) != (size_t)n) {
			perror("ttp_attack pace: -o");
			return 1;
		}
		total += n;
		due = t0 + (double)total / a.rate - now_s();
		if (due > 0)
			usleep(due * 1e6);
	}
	if (copy && fclose(copy)) {
		perror("ttp_attack pace: -o");
		return 1;
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
		"       ttp_attack pace -r BYTES_PER_SEC [-u FILE] [-o COPY]\n"
		"       ttp_attack fuzz -i IFACE -d ADDR -s ADDR -L PORT -p PORT -P PORT -n COUNT [-c] [-S SEED]\n");
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
	if (!strcmp(argv[1], "fuzz"))
		return do_fuzz(argc - 1, argv + 1);
	return usage();
}
