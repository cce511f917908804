// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segment authentication from a program's side: the key options and their
 * errors, connections between matching keys, the refusals (a wrong key, a
 * missing one, an unsigned peer) and the counters that say why, a listener
 * that serves unkeyed peers unsigned, SYN cookies, and key rollover in the
 * middle of a transfer.  Each test runs in a network namespace of its own,
 * over loopback.  Documentation/protocol.rst, "Segment authentication".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "kselftest_harness.h"
#include "ttp_common.h"
#include "ttp_harness.h"

#define PORT	7400

static struct ttp_auth_key key_for(const char *ip, int prefix, int port,
				   int sndid, int rcvid, const char *secret)
{
	struct ttp_auth_key k;

	memset(&k, 0, sizeof(k));
	k.ttpak_peer = ttp_addr(ip, port);
	k.ttpak_prefix = prefix;
	k.ttpak_sndid = sndid;
	k.ttpak_rcvid = rcvid;
	k.ttpak_alg = TTP_AUTH_ALG_HMAC_SHA256;
	k.ttpak_keylen = strlen(secret);
	memcpy(k.ttpak_key, secret, k.ttpak_keylen);
	return k;
}

static int add_key(int fd, const struct ttp_auth_key *k)
{
	return setsockopt(fd, SOL_TTP, TTP_AUTH_KEY, k, sizeof(*k));
}

/* setsockopt's errno for @k, 0 if it was taken. */
static int add_key_errno(int fd, const struct ttp_auth_key *k)
{
	return add_key(fd, k) ? errno : 0;
}

static int del_key(int fd, const char *ip, int prefix, int port, int sndid,
		   int rcvid)
{
	struct ttp_auth_del d;

	memset(&d, 0, sizeof(d));
	d.ttpad_peer = ttp_addr(ip, port);
	d.ttpad_prefix = prefix;
	d.ttpad_sndid = sndid;
	d.ttpad_rcvid = rcvid;
	return setsockopt(fd, SOL_TTP, TTP_AUTH_DEL_KEY, &d, sizeof(d)) ?
	       errno : 0;
}

static int get_select(int fd, struct ttp_auth_select *s)
{
	socklen_t len = sizeof(*s);

	memset(s, 0, sizeof(*s));
	return getsockopt(fd, SOL_TTP, TTP_AUTH_SELECT, s, &len) ? errno : 0;
}

static int set_select(int fd, int flags, int sndid, int rcvid)
{
	struct ttp_auth_select s;

	memset(&s, 0, sizeof(s));
	s.ttpas_flags = flags;
	s.ttpas_sndid = sndid;
	s.ttpas_rcvid = rcvid;
	return setsockopt(fd, SOL_TTP, TTP_AUTH_SELECT, &s, sizeof(s)) ?
	       errno : 0;
}

/* A listener on 127.0.0.1:PORT holding @k (if not NULL). */
static int keyed_listener(struct __test_metadata *_metadata,
			  const struct ttp_auth_key *k)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", PORT);
	int fd = ttp_socket();

	ASSERT_LE(0, fd);
	if (k)
		ASSERT_EQ(0, add_key(fd, k)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, bind(fd, SA(&a), sizeof(a)));
	ASSERT_EQ(0, listen(fd, 16));
	return fd;
}

/*
 * Connect to the listener with @k (if not NULL), giving up after one SYN
 * retransmission.  The socket, connected or not: *err is connect's errno.
 */
static int keyed_connect(struct __test_metadata *_metadata,
			 const struct ttp_auth_key *k, int *err)
{
	struct sockaddr_ttp a = ttp_addr("127.0.0.1", PORT);
	int fd = ttp_socket(), one = 1;

	ASSERT_LE(0, fd);
	if (k)
		ASSERT_EQ(0, add_key(fd, k)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, setsockopt(fd, SOL_TTP, TTP_SYNCNT, &one, sizeof(one)));
	*err = connect(fd, SA(&a), sizeof(a)) ? errno : 0;
	return fd;
}

static bool has_auth(int fd)
{
	struct ttp_info info;

	return !ttp_get_info(fd, &info) && (info.ttpi_options & TTPI_OPT_AUTH);
}

/* Send @n bytes of a pattern from @from on @fd, read them back on @to. */
static void exchange(struct __test_metadata *_metadata, int from, int to,
		     size_t n, unsigned int seed)
{
	static unsigned char out[65536], in[65536];
	size_t sent = 0, got = 0, i;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 31 + seed);
	while (got < n) {
		if (sent < n) {
			size_t off = sent % sizeof(out);
			size_t len = n - sent < sizeof(out) - off ? n - sent :
							sizeof(out) - off;
			ssize_t w = send(from, out + off, len, MSG_DONTWAIT);

			if (w > 0)
				sent += w;
			else
				ASSERT_EQ(EAGAIN, errno);
		}
		ssize_t r = recv(to, in, sizeof(in), sent < n ? MSG_DONTWAIT : 0);

		if (r < 0) {
			ASSERT_EQ(EAGAIN, errno);
			continue;
		}
		ASSERT_LT(0, r) TH_LOG("end of file after %zu of %zu bytes",
				       got, n);
		for (i = 0; i < (size_t)r; i++)
			ASSERT_EQ((unsigned char)((got + i) % sizeof(out) * 31 +
						  seed), in[i])
				TH_LOG("byte %zu", got + i);
		got += r;
	}
}

/* Poll until counters @a and @b are equal (and not 0). */
static bool wait_counters_meet(const char *a, const char *b)
{
	long long end = ttp_now_ms() + 10000;

	while (ttp_now_ms() < end) {
		long x = ttp_stat(a);

		if (x > 0 && x == ttp_stat(b))
			return true;
		usleep(1000);
	}
	return false;
}

TEST(key_options_refuse_bad_arguments_with_precise_errnos)
{
	struct ttp_auth_select sel;
	struct ttp_auth_key k;
	int fd, i;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);

	k = key_for("10.0.0.0", 33, 0, 1, 1, "secret");
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("prefix 33");
	k = key_for("10.0.0.1", 24, 0, 1, 1, "secret");
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("bits past the prefix");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_alg = 99;
	EXPECT_EQ(ENOENT, add_key_errno(fd, &k)) TH_LOG("unknown algorithm");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_maclen = TTP_AUTH_MACLEN_MIN - 1;
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("MAC too short");
	k.ttpak_maclen = TTP_AUTH_MACLEN_MAX + 1;
	EXPECT_EQ(EMSGSIZE, add_key_errno(fd, &k)) TH_LOG("MAC too long");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "");
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("empty key");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_keylen = TTP_AUTH_KEY_MAXLEN + 1;
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("key too long");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_reserved = 1;
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("reserved byte");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_flags = 0x80;
	EXPECT_EQ(EINVAL, add_key_errno(fd, &k)) TH_LOG("unknown flag");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	k.ttpak_peer.sttp_ipfamily = 1;
	EXPECT_EQ(EAFNOSUPPORT, add_key_errno(fd, &k)) TH_LOG("address family");
	k = key_for("10.0.0.0", 24, 0, 1, 1, "secret");
	EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, TTP_AUTH_KEY, &k, sizeof(k) - 1));
	EXPECT_EQ(EINVAL, errno) TH_LOG("short option");
	EXPECT_EQ(-1, setsockopt(fd, SOL_TTP, TTP_AUTH_KEY, NULL, sizeof(k)));
	EXPECT_EQ(EFAULT, errno) TH_LOG("no buffer");
	/* A getsockopt() of a set-only option: none such. */
	{
		socklen_t len = sizeof(k);

		EXPECT_EQ(-1, getsockopt(fd, SOL_TTP, TTP_AUTH_KEY, &k, &len));
		EXPECT_EQ(ENOPROTOOPT, errno);
	}

	/* A key id names one key each way for a peer. */
	EXPECT_EQ(0, add_key_errno(fd, &k));
	k = key_for("10.0.0.5", 32, 0, 1, 9, "other");
	EXPECT_EQ(EEXIST, add_key_errno(fd, &k)) TH_LOG("send id taken");
	k = key_for("10.0.0.0", 16, 0, 9, 1, "other");
	EXPECT_EQ(EEXIST, add_key_errno(fd, &k)) TH_LOG("receive id taken");
	k = key_for("10.1.0.0", 16, 0, 1, 1, "other");
	EXPECT_EQ(0, add_key_errno(fd, &k)) TH_LOG("other peers, same ids");

	/* At most TTP_AUTH_MAX_KEYS (64) keys; two are there. */
	for (i = 0; i < 62; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "10.2.%d.0", i);
		k = key_for(ip, 24, 0, 1, 1, "many");
		ASSERT_EQ(0, add_key_errno(fd, &k)) TH_LOG("key %d", i);
	}
	k = key_for("10.3.0.0", 24, 0, 1, 1, "one too many");
	EXPECT_EQ(ENOSPC, add_key_errno(fd, &k));

	EXPECT_EQ(ENOENT, del_key(fd, "10.0.0.0", 24, 0, 1, 2));
	EXPECT_EQ(0, del_key(fd, "10.0.0.0", 24, 0, 1, 1));
	EXPECT_EQ(ENOENT, del_key(fd, "10.0.0.0", 24, 0, 1, 1));

	/* Choosing keys is for a connection. */
	EXPECT_EQ(ENOTCONN, set_select(fd, TTP_AUTH_F_CURRENT, 1, 1));
	EXPECT_EQ(ENOTCONN, get_select(fd, &sel));
	close(fd);
}

TEST(keys_are_listed_without_their_secret)
{
	struct {
		struct ttp_auth_keys h;
		struct ttp_auth_key_info k[3];
	} buf;
	struct ttp_auth_key k;
	socklen_t len;
	int fd, i;

	setup_netns(_metadata);
	fd = ttp_socket();
	ASSERT_LE(0, fd);
	k = key_for("10.0.0.0", 8, 80, 4, 5, "first");
	k.ttpak_maclen = 8;
	ASSERT_EQ(0, add_key(fd, &k));
	for (i = 0; i < 3; i++) {
		char ip[32];

		snprintf(ip, sizeof(ip), "192.168.%d.1", i);
		k = key_for(ip, 32, 0, 1, 1, "more");
		ASSERT_EQ(0, add_key(fd, &k));
	}

	/* Room for two entries: two filled, the count says four. */
	memset(&buf, 0xff, sizeof(buf));
	buf.h.ttpaks_count = 2;
	buf.h.ttpaks_reserved = 0;
	len = sizeof(buf);
	ASSERT_EQ(0, getsockopt(fd, SOL_TTP, TTP_AUTH_GET_KEYS, &buf, &len))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(4U, buf.h.ttpaks_count);
	EXPECT_EQ(8, buf.k[0].ttpaki_prefix);
	EXPECT_EQ(htons(80), buf.k[0].ttpaki_peer.sttp_port);
	EXPECT_EQ(4, buf.k[0].ttpaki_sndid);
	EXPECT_EQ(5, buf.k[0].ttpaki_rcvid);
	EXPECT_EQ(8, buf.k[0].ttpaki_maclen);
	EXPECT_EQ(TTP_AUTH_ALG_HMAC_SHA256, buf.k[0].ttpaki_alg);
	EXPECT_EQ(0ULL, buf.k[0].ttpaki_good);
	EXPECT_EQ(32, buf.k[1].ttpaki_prefix);
	/* The third entry was not written. */
	EXPECT_EQ(0xff, buf.k[2].ttpaki_prefix);

	buf.h.ttpaks_reserved = 1;
	EXPECT_EQ(-1, getsockopt(fd, SOL_TTP, TTP_AUTH_GET_KEYS, &buf, &len));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST(matching_keys_connect_and_sign_every_segment)
{
	struct ttp_auth_key k = key_for("127.0.0.1", 32, 0, 3, 3, "shared key");
	struct ttp_auth_select s;
	struct ttp_info info;
	long good;
	int l, c, a, err;

	setup_netns(_metadata);
	l = keyed_listener(_metadata, &k);
	c = keyed_connect(_metadata, &k, &err);
	ASSERT_EQ(0, err) TH_LOG("connect: %s", strerror(err));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_TRUE(has_auth(c));
	EXPECT_TRUE(has_auth(a));

	exchange(_metadata, c, a, 1 << 20, 1);
	exchange(_metadata, a, c, 1 << 20, 2);

	ASSERT_EQ(0, get_select(c, &s));
	EXPECT_EQ(3, s.ttpas_sndid);
	EXPECT_EQ(3, s.ttpas_rcvid);
	EXPECT_EQ(3, s.ttpas_peer_rnext);
	/*
	 * Every segment that arrived was verified: in this namespace, the
	 * counters of all received segments and of good MACs meet once the
	 * last ACKs are in (or never, if a kind of segment went unsigned).
	 */
	ASSERT_EQ(0, ttp_get_info(c, &info));
	EXPECT_TRUE(wait_counters_meet("TtpInSegs", "TtpAuthGood"))
		TH_LOG("%ld segments in, %ld verified", ttp_stat("TtpInSegs"),
		       ttp_stat("TtpAuthGood"));
	good = ttp_stat("TtpAuthGood");
	/* A megabyte each way: at least that many full segments. */
	EXPECT_LE(2 * (1 << 20) / (long)info.ttpi_snd_mss, good);
	EXPECT_EQ(0, ttp_stat("TtpAuthBad"));
	EXPECT_EQ(0, ttp_stat("TtpAuthRequired"));
	EXPECT_EQ(0, ttp_stat("TtpAuthKeyNotFound"));
	/* The key in use cannot go. */
	EXPECT_EQ(EBUSY, del_key(c, "127.0.0.1", 32, 0, 3, 3));
	close(a);
	close(c);
	close(l);
}

/* A connection that fails: ETIMEDOUT, nothing to accept, @counter moved. */
static void expect_refused(struct __test_metadata *_metadata,
			   const struct ttp_auth_key *server,
			   const struct ttp_auth_key *client,
			   const char *counter)
{
	int l, c, err, flags;

	setup_netns(_metadata);
	l = keyed_listener(_metadata, server);
	c = keyed_connect(_metadata, client, &err);
	EXPECT_EQ(ETIMEDOUT, err) TH_LOG("connect: %s", strerror(err));
	flags = fcntl(l, F_GETFL);
	ASSERT_EQ(0, fcntl(l, F_SETFL, flags | O_NONBLOCK));
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);
	/* The SYN and its retransmission, each dropped unanswered. */
	EXPECT_LE(2, ttp_stat(counter)) TH_LOG("%s", counter);
	EXPECT_EQ(0, ttp_stat("TtpAuthGood"));
	EXPECT_EQ(0, ttp_stat("TtpOutRsts"));
	close(c);
	close(l);
}

TEST(a_wrong_key_fails_to_connect_and_counts_bad)
{
	struct ttp_auth_key s = key_for("127.0.0.1", 32, 0, 1, 1, "right");
	struct ttp_auth_key c = key_for("127.0.0.1", 32, 0, 1, 1, "wrong");

	expect_refused(_metadata, &s, &c, "TtpAuthBad");
}

TEST(an_unsigned_peer_fails_to_connect_and_counts_required)
{
	struct ttp_auth_key s = key_for("127.0.0.1", 32, 0, 1, 1, "secret");

	expect_refused(_metadata, &s, NULL, "TtpAuthRequired");
}

TEST(a_signed_peer_without_our_key_fails_and_counts_key_not_found)
{
	struct ttp_auth_key c = key_for("127.0.0.1", 32, 0, 1, 1, "secret");

	expect_refused(_metadata, NULL, &c, "TtpAuthKeyNotFound");
}

TEST(a_key_id_we_do_not_have_fails_and_counts_key_not_found)
{
	struct ttp_auth_key s = key_for("127.0.0.1", 32, 0, 1, 1, "secret");
	struct ttp_auth_key c = key_for("127.0.0.1", 32, 0, 2, 1, "secret");

	expect_refused(_metadata, &s, &c, "TtpAuthKeyNotFound");
}

TEST(a_listener_serves_peers_without_a_key_unsigned)
{
	struct ttp_auth_key k = key_for("10.9.9.9", 32, 0, 1, 1, "elsewhere");
	int l, c, a, err;

	setup_netns(_metadata);
	l = keyed_listener(_metadata, &k);
	c = keyed_connect(_metadata, NULL, &err);
	ASSERT_EQ(0, err) TH_LOG("connect: %s", strerror(err));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_FALSE(has_auth(c));
	EXPECT_FALSE(has_auth(a));
	exchange(_metadata, c, a, 65536, 3);
	EXPECT_EQ(0, ttp_stat("TtpAuthGood"));
	/* Its keys do not apply: adding one now is too late. */
	k = key_for("127.0.0.1", 32, 0, 1, 1, "late");
	EXPECT_EQ(EISCONN, add_key_errno(a, &k));
	close(a);
	close(c);
	close(l);
}

TEST(syn_cookies_carry_authentication)
{
	struct ttp_auth_key k = key_for("127.0.0.0", 8, 0, 7, 7, "cookies");
	int l, c, a, err;

	setup_netns(_metadata);
	ASSERT_EQ(0, ttp_sysctl_write("syncookies", "2"));
	l = keyed_listener(_metadata, &k);
	c = keyed_connect(_metadata, &k, &err);
	ASSERT_EQ(0, err) TH_LOG("connect: %s", strerror(err));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	EXPECT_LE(1, ttp_stat("TtpSynCookiesRecv"));
	EXPECT_TRUE(has_auth(c));
	EXPECT_TRUE(has_auth(a));
	exchange(_metadata, c, a, 65536, 4);
	exchange(_metadata, a, c, 65536, 5);
	EXPECT_EQ(0, ttp_stat("TtpAuthBad"));
	close(a);
	close(c);
	close(l);
}

/* Poll until @fd signs with key id @sndid. */
static bool wait_current(int fd, int sndid)
{
	long long end = ttp_now_ms() + 10000;
	struct ttp_auth_select s;

	while (ttp_now_ms() < end) {
		if (!get_select(fd, &s) && s.ttpas_sndid == sndid)
			return true;
		usleep(1000);
	}
	return false;
}

TEST(rollover_switches_keys_without_losing_a_byte)
{
	struct ttp_auth_key k1 = key_for("127.0.0.1", 32, 0, 1, 1, "old key");
	struct ttp_auth_key k2 = key_for("127.0.0.1", 32, 0, 2, 2, "new key");
	struct ttp_auth_select s;
	int l, c, a, err;

	setup_netns(_metadata);
	l = keyed_listener(_metadata, &k1);
	ASSERT_EQ(0, add_key(l, &k2));
	c = keyed_connect(_metadata, &k1, &err);
	ASSERT_EQ(0, err) TH_LOG("connect: %s", strerror(err));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	/* The client learns the new key while connected. */
	ASSERT_EQ(0, add_key(c, &k2));
	exchange(_metadata, c, a, 256 << 10, 6);

	/* The server asks for key 2: the client switches to it. */
	ASSERT_EQ(0, set_select(a, TTP_AUTH_F_RNEXT, 0, 2));
	exchange(_metadata, a, c, 64 << 10, 7);
	ASSERT_TRUE(wait_current(c, 2));
	exchange(_metadata, c, a, 256 << 10, 8);

	/* And the other way: the client asks for key 2. */
	ASSERT_EQ(0, set_select(c, TTP_AUTH_F_RNEXT, 0, 2));
	exchange(_metadata, c, a, 64 << 10, 9);
	ASSERT_TRUE(wait_current(a, 2));
	ASSERT_EQ(0, get_select(a, &s));
	EXPECT_EQ(2, s.ttpas_rcvid);
	EXPECT_EQ(2, s.ttpas_peer_rnext);

	/* Key 1 is no longer in use at either end: it can go. */
	EXPECT_EQ(0, del_key(c, "127.0.0.1", 32, 0, 1, 1));
	EXPECT_EQ(0, del_key(a, "127.0.0.1", 32, 0, 1, 1));
	/* Key 2 cannot. */
	EXPECT_EQ(EBUSY, del_key(a, "127.0.0.1", 32, 0, 2, 2));
	exchange(_metadata, a, c, 256 << 10, 10);
	exchange(_metadata, c, a, 256 << 10, 11);
	EXPECT_EQ(0, ttp_stat("TtpAuthBad"));
	EXPECT_EQ(0, ttp_stat("TtpAuthKeyNotFound"));
	close(a);
	close(c);
	close(l);
}

TEST_HARNESS_MAIN
