/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the command-line tools (ttpcat, ttpstat, ttpperf) answer the same
 * way: bad arguments, --version, the exit status of a usage error.
 */
#ifndef _TTP_CLI_H
#define _TTP_CLI_H

#define EXIT_USAGE	2	/* bad arguments, for every tool */

/* "PROG: MSG[: ARG]" and the hint to --help on stderr; EXIT_USAGE. */
int cli_bad_args(const char *prog, const char *msg, const char *arg);

/* The hint to --help alone (getopt printed the error); EXIT_USAGE. */
int cli_try_help(const char *prog);

/* "PROG (libttp VERSION)" on stdout; 0. */
int cli_version(const char *prog);

#endif /* _TTP_CLI_H */
