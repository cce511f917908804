// SPDX-License-Identifier: GPL-2.0-only
/*
 * The answers every TTP command-line tool gives alike (cli.h).
 */
#include <stdio.h>

#include <ttp.h>

#include "cli.h"

int cli_try_help(const char *prog)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	return EXIT_USAGE;
}

int cli_bad_args(const char *prog, const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, msg, arg ? ": " : "",
		arg ? arg : "");
	return cli_try_help(prog);
}

int cli_version(const char *prog)
{
	printf("%s (libttp %s)\n", prog, LIBTTP_VERSION);
	return 0;
}
