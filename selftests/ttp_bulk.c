// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_bulk: bulk transfers for the reliable-transfer selftests.
 *
 *   ttp_bulk server [-T] -p PORT [-b ADDR] [-c CONNS] [-R RCVBUF]
 *                   [-S SNDBUF] [-w SLOW] [-P MS]
 *   ttp_bulk client [-T] -a ADDR -p PORT [-n CONNS] [-u BYTES] [-d BYTES]
 *                   [-R RCVBUF] [-S SNDBUF] [-w SLOW] [-P MS] [-G]
 *
 * Each client connection sends a header (its number, the bytes it will
 * upload, the bytes it wants downloaded), then uploads and downloads at
 * the same time, one thread each way.  Every byte is pseudo-random, from
 * a stream that depends on the connection and the direction, and the
 * receiving side compares each one with what it must be.  -R sets
 * SO_RCVBUF of the sockets, -S their SO_SNDBUF (either fixes the size:
 * no autotuning); -w SLOW reads the first SLOW bytes of each
 * stream 1 KiB every 10 ms (a slow reader), the rest at full speed;
 * -P MS waits MS milliseconds before reading anything (a stopped reader).
 * -G makes the client, once connected, wait for a byte (or the end) of its
 * standard input before it sends anything: the test then changes the path
 * between the handshake and the data, whatever the speed of the machine.
 * -T does the same over TCP, for comparison.
 *
 * The server serves CONNS connections (0: until killed) and exits 0 if all
 * of them verified.  The client prints the time its connections took and
 * exits 0 if everything verified; on a socket error it prints the errno
 * name and exits 5 for ETIMEDOUT, 6 for ECONNRESET, 1 for anything else;
 * 2 means bad arguments.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ttp_common.h"

#define CHUNK		65536
#define MAGIC		0x54545042u	/* "TTPB" */

struct hdr {
	uint32_t magic;
	uint32_t id;
	uint64_t up;	/* client to server */
	uint64_t down;	/* server to client */
};

/* Byte @off of stream @s: a word of splitmix64 per 8 bytes. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void fill(unsigned char *buf, uint64_t s, uint64_t off, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint64_t w = mix((s << 40) ^ ((off + i) >> 3));
		unsigned int b = (off + i) & 7;

		for (; b < 8 && i < len; b++, i++)
			buf[i] = w >> (b * 8);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int slow_bytes;
static int pause_ms;
static int rcvbuf;
static int sndbuf;
static int use_tcp;

/* A stream socket of TTP, or of TCP with -T, and its address. */
static int bulk_socket(void)
{
	return socket(use_tcp ? AF_INET : ttp_family(), SOCK_STREAM, 0);
}

static socklen_t bulk_addr(struct sockaddr_storage *ss, const char *ip,
			   int port)
{
	memset(ss, 0, sizeof(*ss));
	if (use_tcp) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		inet_pton(AF_INET, ip, &in->sin_addr);
		return sizeof(*in);
	}
	*(struct sockaddr_ttp *)ss = ttp_addr(ip, port);
	return sizeof(struct sockaddr_ttp);
}

/* The status a socket error @e makes the program exit with. */
static int err_status(int e)
{
	return e == ETIMEDOUT ? 5 : e == ECONNRESET ? 6 : 1;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t r = write(fd, c, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += r;
		n -= r;
	}
	return 0;
}

struct stream {
	int fd;
	uint64_t s, len;
	const char *what;
	int status;
};

static void *send_stream(void *arg)
{
	struct stream *st = arg;
	unsigned char *buf = malloc(CHUNK);
	uint64_t off = 0;

	while (off < st->len) {
		size_t n = st->len - off < CHUNK ? st->len - off : CHUNK;

		fill(buf, st->s, off, n);
		if (write_all(st->fd, buf, n)) {
			fprintf(stderr, "ttp_bulk: %s: write at %llu: %s (%s)\n",
				st->what, (unsigned long long)off,
				strerror(errno), strerrorname_np(errno));
			st->status = err_status(errno);
			free(buf);
			return NULL;
		}
		off += n;
	}
	if (shutdown(st->fd, SHUT_WR)) {
		fprintf(stderr, "ttp_bulk: %s: shutdown: %s\n", st->what,
			strerror(errno));
		st->status = 1;
	}
	free(buf);
	return NULL;
}

/*
 * The slow reader's clock: one read every 10 ms, on a schedule that does
 * not drift with the time the reads take, and that starts again from now
 * after a delay of more than a tick.
 */
static void pace(struct timespec *next)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	next->tv_nsec += 10000000;
	if (next->tv_nsec >= 1000000000) {
		next->tv_nsec -= 1000000000;
		next->tv_sec++;
	}
	if (next->tv_sec < now.tv_sec ||
	    (next->tv_sec == now.tv_sec && next->tv_nsec < now.tv_nsec)) {
		*next = now;
		return;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

static void *recv_stream(void *arg)
{
	struct stream *st = arg;
	unsigned char *buf = malloc(CHUNK), *want = malloc(CHUNK);
	struct timespec next;
	uint64_t off = 0;

	if (pause_ms)
		usleep(pause_ms * 1000);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		size_t ask = off < (uint64_t)slow_bytes ? 1024 : CHUNK;
		ssize_t r = read(st->fd, buf, ask);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ttp_bulk: %s: read at %llu: %s (%s)\n",
				st->what, (unsigned long long)off,
				strerror(errno), strerrorname_np(errno));
			st->status = err_status(errno);
			break;
		}
		if (r == 0) {
			if (off != st->len) {
				fprintf(stderr, "ttp_bulk: %s: ended at %llu of %llu bytes\n",
					st->what, (unsigned long long)off,
					(unsigned long long)st->len);
				st->status = 1;
			}
			break;
		}
		if (off + r > st->len) {
			fprintf(stderr, "ttp_bulk: %s: more than %llu bytes\n",
				st->what, (unsigned long long)st->len);
			st->status = 1;
			break;
		}
		fill(want, st->s, off, r);
		if (memcmp(buf, want, r)) {
			ssize_t i = 0;

			while (buf[i] == want[i])
				i++;
			fprintf(stderr, "ttp_bulk: %s: byte %llu differs\n",
				st->what, (unsigned long long)(off + i));
			st->status = 1;
			break;
		}
		off += r;
		if (ask == 1024)
			pace(&next);
	}
	free(buf);
	free(want);
	return NULL;
}

/* Upload and download of one connection at once; 0 if both verified. */
static int transfer(int fd, uint32_t id, uint64_t out, uint64_t in,
		    int client)
{
	struct stream tx = { fd, ((uint64_t)id << 1) | !client, out, "send", 0 };
	struct stream rx = { fd, ((uint64_t)id << 1) | client, in, "receive", 0 };
	pthread_t t;

	if (pthread_create(&t, NULL, send_stream, &tx))
		return 1;
	recv_stream(&rx);
	pthread_join(t, NULL);
	return rx.status ? rx.status : tx.status;
}

static int set_rcvbuf(int fd)
{
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf))) {
		perror("ttp_bulk: SO_RCVBUF");
		return -1;
	}
	if (sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
				 sizeof(sndbuf))) {
		perror("ttp_bulk: SO_SNDBUF");
		return -1;
	}
	return 0;
}

/* ---- server ---- */

static int failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *serve_one(void *arg)
{
	int fd = (intptr_t)arg, st;
	struct hdr h;
	size_t got = 0;

	while (got < sizeof(h)) {
		ssize_t r = read(fd, (char *)&h + got, sizeof(h) - got);

		if (r <= 0) {
			fprintf(stderr, "ttp_bulk: server: no header\n");
			st = 1;
			goto out;
		}
		got += r;
	}
	if (h.magic != MAGIC) {
		fprintf(stderr, "ttp_bulk: server: bad header\n");
		st = 1;
		goto out;
	}
	st = transfer(fd, h.id, h.down, h.up, 0);
	if (!st) {
		struct ttp_info info = { 0 };

		/* The MSS at the end: path MTU discovery may have lowered it. */
		if (!use_tcp)
			ttp_get_info(fd, &info);
		info.ttpi_ca_name[TTP_CA_NAME_MAX - 1] = '\0';
		printf("server: conn %u: %llu bytes in, %llu out, verified, cc %s, mss %u\n",
		       h.id, (unsigned long long)h.up,
		       (unsigned long long)h.down,
		       info.ttpi_ca_name[0] ? info.ttpi_ca_name : "-",
		       info.ttpi_mss);
	}
out:
	close(fd);
	pthread_mutex_lock(&lock);
	failed += !!st;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int server(const char *addr, int port, int conns)
{
	struct sockaddr_storage ss;
	socklen_t alen = bulk_addr(&ss, addr, port);
	int l = bulk_socket(), one = 1, i;
	pthread_t *t;

	/* Accepted sockets inherit the listener's buffer size. */
	if (l < 0 || set_rcvbuf(l) ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&ss, alen) || listen(l, 1024)) {
		fprintf(stderr, "ttp_bulk: listen on %s:%d: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	printf("listening %s:%d\n", addr, port);
	fflush(stdout);
	t = calloc(conns ? conns : 1, sizeof(*t));
	for (i = 0; !conns || i < conns; i++) {
		int fd = accept(l, NULL, NULL);

		if (fd < 0) {
			perror("ttp_bulk: accept");
			return 1;
		}
		if (pthread_create(&t[conns ? i : 0], NULL, serve_one,
				   (void *)(intptr_t)fd))
			return 1;
		if (!conns)
			pthread_detach(t[0]);
	}
	for (i = 0; i < conns; i++)
		pthread_join(t[i], NULL);
	printf("server: %d connections, %d failed\n", conns, failed);
	return failed ? 1 : 0;
}

/* ---- client ---- */

static int go_wait;
static pthread_mutex_t go_lock = PTHREAD_MUTEX_INITIALIZER;

/* -G: the first connection to get here reads the go byte, for them all. */
static void wait_for_go(void)
{
	static int gone;
	char c;

	pthread_mutex_lock(&go_lock);
	while (!gone && read(0, &c, 1) < 0 && errno == EINTR)
		;
	gone = 1;
	pthread_mutex_unlock(&go_lock);
}

struct cjob {
	const char *addr;
	int port, status;
	uint32_t id;
	uint64_t up, down;
	unsigned int mss;	/* at the end, TTP only */
	char cc[TTP_CA_NAME_MAX];	/* its congestion control, TTP only */
};

static void *client_one(void *arg)
{
	struct cjob *j = arg;
	struct hdr h = { MAGIC, j->id, j->up, j->down };
	struct sockaddr_storage ss;
	socklen_t alen = bulk_addr(&ss, j->addr, j->port);
	int fd = bulk_socket();

	if (fd < 0 || set_rcvbuf(fd)) {
		j->status = 1;
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&ss, alen)) {
		fprintf(stderr, "ttp_bulk: connect %s:%d: %s\n", j->addr,
			j->port, strerror(errno));
		j->status = err_status(errno);
		close(fd);
		return NULL;
	}
	if (go_wait)
		wait_for_go();
	if (write_all(fd, &h, sizeof(h))) {
		j->status = err_status(errno);
		close(fd);
		return NULL;
	}
	j->status = transfer(fd, j->id, j->up, j->down, 1);
	if (!use_tcp) {
		struct ttp_info info;

		if (!ttp_get_info(fd, &info)) {
			j->mss = info.ttpi_mss;
			memcpy(j->cc, info.ttpi_ca_name, sizeof(j->cc));
			j->cc[sizeof(j->cc) - 1] = '\0';
		}
	}
	close(fd);
	return NULL;
}

static int client(const char *addr, int port, int conns, uint64_t up,
		  uint64_t down)
{
	struct cjob *j = calloc(conns, sizeof(*j));
	pthread_t *t = calloc(conns, sizeof(*t));
	double start = now();
	int i, st = 0;

	for (i = 0; i < conns; i++) {
		j[i] = (struct cjob){ .addr = addr, .port = port, .id = i,
				     .up = up, .down = down };
		if (pthread_create(&t[i], NULL, client_one, &j[i]))
			return 1;
	}
	for (i = 0; i < conns; i++) {
		pthread_join(t[i], NULL);
		if (j[i].status && !st)
			st = j[i].status;
	}
	if (!st)
		printf("client: %d connections, %llu bytes up, %llu down each, verified in %.2f s, cc %s, mss %u\n",
		       conns, (unsigned long long)up,
		       (unsigned long long)down, now() - start,
		       j[0].cc[0] ? j[0].cc : "-", j[0].mss);
	return st;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ttp_bulk server [-T] -p PORT [-b ADDR] [-c CONNS] [-R RCVBUF] [-S SNDBUF]\n"
		"                       [-w SLOW] [-P MS]\n"
		"       ttp_bulk client [-T] -a ADDR -p PORT [-n CONNS] [-u BYTES] [-d BYTES]\n"
		"                       [-R RCVBUF] [-S SNDBUF] [-w SLOW] [-P MS] [-G]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *addr = "0.0.0.0";
	int port = -1, conns = 1, opt, srv;
	uint64_t up = 0, down = 0;
	char *end;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "server"))
		srv = 1;
	else if (!strcmp(argv[1], "client"))
		srv = 0;
	else
		return usage();
	if (srv)
		conns = 0;
	argv++;
	argc--;
	while ((opt = getopt(argc, argv, "GTa:b:p:c:n:u:d:R:S:w:P:")) != -1) {
		switch (opt) {
		case 'G':
			go_wait = 1;
			break;
		case 'T':
			use_tcp = 1;
			break;
		case 'a':
		case 'b':
			addr = optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port < 0 || port > 65535)
				return usage();
			break;
		case 'c':
		case 'n':
			conns = strtol(optarg, &end, 10);
			if (*end || conns < 0)
				return usage();
			break;
		case 'u':
			up = strtoull(optarg, &end, 10);
			if (*end)
				return usage();
			break;
		case 'd':
			down = strtoull(optarg, &end, 10);
			if (*end)
				return usage();
			break;
		case 'R':
			rcvbuf = strtol(optarg, &end, 10);
			if (*end || rcvbuf < 0)
				return usage();
			break;
		case 'S':
			sndbuf = strtol(optarg, &end, 10);
			if (*end || sndbuf < 0)
				return usage();
			break;
		case 'w':
			slow_bytes = strtol(optarg, &end, 10);
			if (*end || slow_bytes < 0)
				return usage();
			break;
		case 'P':
			pause_ms = strtol(optarg, &end, 10);
			if (*end || pause_ms < 0)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (port < 0 || (!srv && conns < 1))
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	return srv ? server(addr, port, conns) :
		     client(addr, port, conns, up, down);
}
