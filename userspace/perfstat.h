/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Latency statistics of ttpperf: a growing list of samples, then the
 * figures of its distribution.
 */
#ifndef TTP_PERFSTAT_H
#define TTP_PERFSTAT_H

#include <stddef.h>

struct perf_samples {
	double *v;		/* microseconds */
	size_t n, cap;
};

struct perf_summary {
	size_t n;
	double min, mean, p50, p90, p99, max;
};

/* 0, or -1 with errno ENOMEM. */
int perf_add(struct perf_samples *s, double us);

/* Append all of src to dst.  0 or -1. */
int perf_merge(struct perf_samples *dst, const struct perf_samples *src);

/*
 * Sort the samples and summarise them.  Percentiles are by nearest rank:
 * the smallest sample with at least q of the samples at or below it.
 * All zero when there is none.
 */
void perf_summarise(struct perf_samples *s, struct perf_summary *sum);

/* The q-quantile (0 < q <= 1) of n sorted samples, nearest rank. */
double perf_quantile(const double *sorted, size_t n, double q);

void perf_free(struct perf_samples *s);

#endif /* TTP_PERFSTAT_H */
