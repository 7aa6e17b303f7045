/* What the C bench drivers share: arguments, CPU/RSS probes, data, the JSON report.
 * `driver WORKLOAD URI COLLECTION key=value...`; see benches/README.md. */
#ifndef BENCH_H
#define BENCH_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static int g_argc;
static char **g_argv;

static const char *arg_str(const char *key, const char *def) {
    size_t k = strlen(key);
    for (int i = 4; i < g_argc; i++)
        if (strncmp(g_argv[i], key, k) == 0 && g_argv[i][k] == '=') return g_argv[i] + k + 1;
    return def;
}

static size_t arg_num(const char *key, size_t def) {
    const char *v = arg_str(key, NULL);
    return v ? (size_t)strtoull(v, NULL, 10) : def;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long status_kb(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0) v = strtol(line + strlen(key), NULL, 10);
    fclose(f);
    return v;
}

/* Current RSS; resets the peak so peak_rss_kb() measures from here. */
static long rss_baseline_kb(void) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
    return status_kb("VmRSS:");
}

static long peak_rss_kb(void) { return status_kb("VmHWM:"); }

/* xorshift floats in [0, 1), as the Rust and Go drivers make them. */
typedef struct { uint64_t x; } rng;
static rng rng_new(uint64_t seed) { rng r = {seed * 0x9E3779B97F4A7C15ull | 1}; return r; }
static float rng_next(rng *r) {
    r->x ^= r->x << 13;
    r->x ^= r->x >> 7;
    r->x ^= r->x << 17;
    return (float)(r->x >> 40) / (float)(1 << 24);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { printf("{\"ok\":false,\"error\":\"out of memory\"}\n"); exit(0); }
    return p;
}

/* float32 little-endian query vectors written by run.py; returns the count. */
static size_t read_queries(const char *path, size_t dim, float **out) {
    FILE *f = fopen(path ? path : "", "rb");
    if (!f) { printf("{\"ok\":false,\"error\":\"cannot open queries file\"}\n"); exit(0); }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t n = (size_t)len / (dim * 4);
    *out = xmalloc(n * dim * 4);
    if (fread(*out, 4, n * dim, f) != n * dim) n = 0;
    fclose(f);
    return n;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* p-th percentile, nearest rank; sorts v. */
static double percentile(double *v, size_t n, double p) {
    if (!n) return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t rank = (size_t)ceil(p / 100.0 * (double)n);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return v[rank - 1];
}

static void fail(const char *what, const char *msg) {
    printf("{\"ok\":false,\"error\":\"");
    for (const char *s = what; *s; s++) putchar(*s == '"' || *s == '\\' ? '\'' : *s);
    printf(": ");
    for (const char *s = msg ? msg : ""; *s; s++)
        if (*s == '"' || *s == '\\') putchar('\'');
        else if ((unsigned char)*s >= 0x20) putchar(*s);
    printf("\"}\n");
    exit(0);
}

#endif
