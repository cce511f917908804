/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the TTP selftests.
 */
#ifndef TTP_COMMON_H
#define TTP_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ttp.h>

/* The family the loaded module registered, or the header's default. */
static inline int ttp_family(void)
{
	FILE *f = fopen("/sys/module/ttp/parameters/family", "r");
	int family = AF_TTP;

	if (f) {
		if (fscanf(f, "%d", &family) != 1)
			family = AF_TTP;
		fclose(f);
	}
	return family;
}

/* Sockets of the TTP protocol counted in /proc/net/protocols, or -1. */
static inline int ttp_proto_sockets(void)
{
	char line[512], name[64];
	FILE *f = fopen("/proc/net/protocols", "r");
	int n = -1, count;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*u %d", name, &count) == 2 &&
		    !strcmp(name, "TTP"))
			n = count;
	}
	fclose(f);
	return n;
}

#endif /* TTP_COMMON_H */
