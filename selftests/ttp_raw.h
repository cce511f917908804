/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The raw-segment toolkit of ttp_attack (ttp_raw.c), shared by its modes,
 * and the modes that have files of their own.
 */
#ifndef TTP_RAW_H
#define TTP_RAW_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

/* TTP's IP protocol number: ttp.ko's protocol parameter, or 253. */
extern int ipproto;

/* Data of blind and in-window segments: recognisable in a capture. */
extern const uint8_t junk[64];

/* ---- random numbers ---- */

/* Start the sequence: the same @seed, the same numbers. */
void rng_seed(uint64_t seed);
/* The next random number of the sequence. */
uint32_t rnd(void);

/* ---- checksums ---- */

/* Checksum the segment @seg of @len bytes in place, as its flags say. */
void ttp_checksum(uint8_t *seg, size_t len, uint32_t saddr, uint32_t daddr);

/* ---- segments ---- */

struct seg {
	uint32_t saddr, daddr;	/* network order */
	size_t len;		/* TTP bytes in buf */
	uint8_t buf[SEG_MAX];
};

/* Store @v in the two bytes at @p, in network order. */
void put16(uint8_t *p, uint16_t v);
/* Store @v in the four bytes at @p, in network order. */
void put32(uint8_t *p, uint32_t v);
/* A well-formed segment, checksummed; @opt of @optlen (a multiple of 4). */
void seg_build(struct seg *s, uint16_t sport, uint16_t dport, uint32_t seq,
	       uint32_t ack, uint8_t flags, uint16_t window, const uint8_t *opt,
	       size_t optlen, const uint8_t *data, size_t datalen);

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

/* Open @t's raw socket.  0, or -1. */
int sender_open(struct sender *t);
/* Send what is queued in @t. */
void sender_flush(struct sender *t);
/* Queue @s (its TTP bytes) in an IPv4 packet; sent when the batch fills. */
void sender_add(struct sender *t, const struct seg *s);
/* Print how many segments @t could not send, if any, after @what. */
void sender_report(const struct sender *t, const char *what);

/* Seconds on the monotonic clock. */
double now_s(void);

/* ---- the command line ---- */

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

/* Parse the options @letters (getopt syntax) into @a.  0, or -1. */
int parse_args(int argc, char **argv, const char *letters, struct args *a);
/* Fail unless every option of @need (letters) was given. */
int need(const struct args *a, const char *mode, const char *letters);

/* ---- the probe ---- */

/* Sniff on -i, open @t, and probe the connection.  The sniffer, or -1. */
int probe_connection(const struct args *a, struct sender *t, struct seg *s);

/* ---- the modes in files of their own ---- */

/* fuzz (ttp_fuzz.c): hostile segments of every kind.  The exit status. */
int do_fuzz(int argc, char **argv);

#endif /* TTP_RAW_H */
