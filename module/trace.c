// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ttp trace system's events, defined once (module/trace.h).
 */
#include "ttp.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
