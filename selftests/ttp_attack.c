// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_attack: hostile traffic for the TTP selftests, from raw IP sockets.
 *
 *   ttp_attack flood -d ADDR -p PORT -n COUNT [-s NET] [-S SEED]
 *	COUNT SYNs to ADDR:PORT from forged sources: random addresses of the
 *	/16 NET (default 10.99.0.0), random ports and sequence numbers.
 *   ttp_attack connect -a ADDR -p PORT [-n MIN] [-w PID] [-b BYTES] [-t SECS]
 *	A legitimate client: connects to an echo server again and again,
 *	sends BYTES, checks the echo, closes; at least MIN times and, with
 *	-w, until process PID has exited.  Each connection gets SECS (60).
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

/* ---- flood: SYNs from forged sources ---- */

static int do_flood(int argc, char **argv)
{
	/* MSS 1460, WSCALE 7, CSUM both, as a TTP client would send. */
	static const uint8_t opt[12] = { 2, 4, 0x05, 0xb4, 3, 3, 7, 4, 3, 3,
					 1, 1 };
	unsigned long n = 0, port = 0, seed = time(NULL), i;
	uint32_t daddr = 0, net = htonl(0x0a630000);
	struct sender t;
	struct seg s;
	double t0;
	int c;

	while ((c = getopt(argc, argv, "d:p:n:s:S:")) != -1) {
		switch (c) {
		case 'd':
			if (parse_addr(optarg, &daddr))
				return 2;
			break;
		case 'p':
			if (parse_num(optarg, 65535, &port))
				return 2;
			break;
		case 'n':
			if (parse_num(optarg, 100000000, &n))
				return 2;
			break;
		case 's':
			if (parse_addr(optarg, &net))
				return 2;
			break;
		case 'S':
			if (parse_num(optarg, ~0UL, &seed))
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (!daddr || !port || !n) {
		fprintf(stderr, "ttp_attack flood: -d, -p and -n are needed\n");
		return 2;
	}
	rng_seed(seed);
	if (sender_open(&t))
		return 1;
	t0 = now_s();
	s.daddr = daddr;
	for (i = 0; i < n; i++) {
		/* Hosts 1..254 of each /24 of the /16. */
		uint32_t host = ((rnd() % 256) << 8) | (1 + rnd() % 254);

		s.saddr = htonl((ntohl(net) & 0xffff0000) | host);
		seg_build(&s, 1024 + rnd() % 64512, port, rnd(), 0, TTPF_SYN,
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
	unsigned long min = 1, port = 0, pid = 0, bytes = 1000, secs = 60;
	unsigned long tries = 0, ok = 0;
	const char *addr = NULL;
	double t0 = now_s();
	int c;

	while ((c = getopt(argc, argv, "a:p:n:w:b:t:")) != -1) {
		switch (c) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			if (parse_num(optarg, 65535, &port))
				return 2;
			break;
		case 'n':
			if (parse_num(optarg, 10000000, &min))
				return 2;
			break;
		case 'w':
			if (parse_num(optarg, 1 << 30, &pid))
				return 2;
			break;
		case 'b':
			if (parse_num(optarg, 1 << 24, &bytes))
				return 2;
			break;
		case 't':
			if (parse_num(optarg, 3600, &secs))
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (!addr || !port) {
		fprintf(stderr, "ttp_attack connect: -a and -p are needed\n");
		return 2;
	}
	while (tries < min || (pid && kill(pid, 0) == 0)) {
		double t1 = now_s();
		int err = one_connection(addr, port, bytes, secs, tries);

		tries++;
		if (!err)
			ok++;
		else
			printf("connect: connection %lu failed after %.1f s: %s\n",
			       tries, now_s() - t1, strerror(err));
		fflush(stdout);
	}
	printf("connect: %lu of %lu connections verified in %.1f s\n", ok,
	       tries, now_s() - t0);
	return ok == tries ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ttp_attack flood -d ADDR -p PORT -n COUNT [-s NET] [-S SEED]\n"
		"       ttp_attack connect -a ADDR -p PORT [-n MIN] [-w PID] [-b BYTES] [-t SECS]\n");
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
	return usage();
}
