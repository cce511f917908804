// SPDX-License-Identifier: GPL-2.0-only
/*
 * Latency statistics of ttpperf (perfstat.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perfstat.h"

int perf_add(struct perf_samples *s, double us)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		double *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = us;
	return 0;
}

int perf_merge(struct perf_samples *dst, const struct perf_samples *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (perf_add(dst, src->v[i]))
			return -1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double perf_quantile(const double *sorted, size_t n, double q)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void perf_summarise(struct perf_samples *s, struct perf_summary *sum)
{
	double total = 0;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	for (i = 0; i < s->n; i++)
		total += s->v[i];
	sum->n = s->n;
	sum->min = s->v[0];
	sum->max = s->v[s->n - 1];
	sum->mean = total / (double)s->n;
	sum->p50 = perf_quantile(s->v, s->n, 0.50);
	sum->p90 = perf_quantile(s->v, s->n, 0.90);
	sum->p99 = perf_quantile(s->v, s->n, 0.99);
}

void perf_free(struct perf_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
