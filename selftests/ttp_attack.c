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
 *
 * ttp_raw.c holds what the modes share, ttp_fuzz.c the fuzz mode.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "ttp_common.h"
#include "ttp_raw.h"

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
