// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttp_attack fuzz: hostile segments of every kind, at closed ports, at a
 * listener and at a connection it follows on the wire.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "ttp_raw.h"
#include "ttp_spec.h"

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

int do_fuzz(int argc, char **argv)
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
