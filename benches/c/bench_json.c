/* libmilvus through its JSON path as a bench client: requests are JSON text rendered before
 * the clock starts (the application's form of its data); the measured part is the library
 * turning that text into requests and the replies into JSON text. Replies are not parsed
 * here beyond a check of the warm-up reply. */
#define _GNU_SOURCE
#include <milvus.h>
#include <pthread.h>

#include "bench.h"

static milvus_client *client;
static const char *coll;

typedef struct { char *p; size_t len, cap; } sbuf;
static void sb_grow(sbuf *b, size_t need) {
    if (b->len + need + 1 <= b->cap) return;
    while (b->len + need + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
    b->p = realloc(b->p, b->cap);
    if (!b->p) fail("realloc", "out of memory");
}
static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void sb_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    sb_grow(b, 64);
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < b->cap - b->len) { b->len += (size_t)n; return; }
        sb_grow(b, (size_t)n + 1);
    }
}
static void sb_vec(sbuf *b, const float *v, size_t dim) {
    sb_printf(b, "[");
    for (size_t j = 0; j < dim; j++) sb_printf(b, j ? ",%.9g" : "%.9g", (double)v[j]);
    sb_printf(b, "]");
}

static char *insert_args(int64_t start, size_t n, const float *vecs, size_t dim) {
    sbuf b = {0};
    sb_printf(&b, "{\"collection_name\":\"%s\",\"data\":[", coll);
    for (size_t i = 0; i < n; i++) {
        int64_t id = start + (int64_t)i;
        sb_printf(&b, "%s{\"id\":%lld,\"vec\":", i ? "," : "", (long long)id);
        sb_vec(&b, vecs + i * dim, dim);
        sb_printf(&b, ",\"tag\":\"tag-%lld\"}", (long long)(((id % 1000) + 1000) % 1000));
    }
    sb_printf(&b, "]}");
    return b.p;
}

static size_t count(const milvus_buffer *out, const char *needle) {
    size_t k = 0;
    for (const char *s = (const char *)out->data; (s = strstr(s, needle)); s++) k++;
    return k;
}

static void call(milvus_status (*fn)(const milvus_client *, const char *, milvus_buffer *, milvus_error **),
                 const char *what, const char *args, milvus_buffer *out) {
    milvus_error *err = NULL;
    if (fn(client, args, out, &err) != MILVUS_OK) fail(what, milvus_error_message(err));
}

static void do_insert(const char *args, size_t n) {
    milvus_buffer out = {0};
    call(milvus_client_insert, "insert", args, &out);
    char want[64];
    snprintf(want, sizeof want, "\"insert_count\":%zu", n);
    if (!strstr((const char *)out.data, want)) fail("insert", (const char *)out.data);
    milvus_buffer_free(&out);
}

static float *random_vectors(uint64_t seed, size_t n, size_t dim) {
    rng r = rng_new(seed);
    float *v = xmalloc(n * dim * sizeof *v);
    for (size_t i = 0; i < n * dim; i++) v[i] = rng_next(&r);
    return v;
}

static void insert(int memory) {
    size_t rows = arg_num("rows", 50000), batch = arg_num("batch", 5000), dim = arg_num("dim", 128);
    size_t nb = rows / batch;
    float *warm = random_vectors(2, 16, dim);
    char *wargs = insert_args(-16, 16, warm, dim);
    do_insert(wargs, 16);
    free(wargs);
    free(warm);
    if (memory) {
        float *v = random_vectors(1, batch, dim);
        char *args = insert_args(0, batch, v, dim);
        free(v);
        long base = rss_baseline_kb();
        double t0 = now_s(), c0 = cpu_s();
        for (size_t b = 0; b < nb; b++) do_insert(args, batch);
        double wall = now_s() - t0, cpu = cpu_s() - c0;
        printf("{\"ok\":true,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f,\"rss_base_kb\":%ld,\"rss_peak_kb\":%ld}\n",
               nb * batch, wall, cpu, base, peak_rss_kb());
        return;
    }
    char **args = xmalloc(nb * sizeof *args);
    for (size_t b = 0; b < nb; b++) {
        float *v = random_vectors(b + 1, batch, dim);
        args[b] = insert_args((int64_t)(b * batch), batch, v, dim);
        free(v);
    }
    double t0 = now_s(), c0 = cpu_s();
    for (size_t b = 0; b < nb; b++) do_insert(args[b], batch);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", nb * batch, wall, cpu);
}

static char **search_args(size_t *nq_out) {
    size_t dim = arg_num("dim", 128);
    float *qs;
    size_t nq = read_queries(arg_str("queries", NULL), dim, &qs);
    if (!nq) fail("queries", "empty file");
    char **args = xmalloc(nq * sizeof *args);
    for (size_t i = 0; i < nq; i++) {
        sbuf b = {0};
        sb_printf(&b, "{\"collection_name\":\"%s\",\"data\":[", coll);
        sb_vec(&b, qs + i * dim, dim);
        sb_printf(&b, "],\"limit\":10,\"output_fields\":[\"tag\"],\"anns_field\":\"vec\"}");
        args[i] = b.p;
    }
    free(qs);
    *nq_out = nq;
    return args;
}

static void search_one(const char *args, int check) {
    milvus_buffer out = {0};
    call(milvus_client_search, "search", args, &out);
    if (check && (count(&out, "\"id\":") != 10 || count(&out, "\"tag\":") != 10))
        fail("search: expected 10 hits with tag", (const char *)out.data);
    milvus_buffer_free(&out);
}

static void search(void) {
    size_t n = arg_num("n", 1000), nq;
    char **args = search_args(&nq);
    for (size_t i = 0; i < 20; i++) search_one(args[i % nq], 1);
    double *lat = xmalloc(n * sizeof *lat);
    double t0 = now_s(), c0 = cpu_s();
    for (size_t i = 0; i < n; i++) {
        double t = now_s();
        search_one(args[i % nq], 0);
        lat[i] = (now_s() - t) * 1e6;
    }
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    double p50 = percentile(lat, n, 50), p99 = percentile(lat, n, 99);
    printf("{\"ok\":true,\"ops\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n", n,
           wall, cpu, p50, p99);
}

static char **g_args;
static size_t g_nq, g_per;
static void *worker(void *p) {
    size_t t = (size_t)p;
    for (size_t i = 0; i < g_per; i++) search_one(g_args[(t * g_per + i) % g_nq], 0);
    return NULL;
}

static void csearch(void) {
    size_t n = arg_num("n", 2000), threads = arg_num("threads", 8);
    g_args = search_args(&g_nq);
    for (size_t i = 0; i < 20; i++) search_one(g_args[i % g_nq], 1);
    g_per = n / threads;
    pthread_t th[64];
    if (threads > 64) threads = 64;
    double t0 = now_s(), c0 = cpu_s();
    for (size_t t = 0; t < threads; t++) pthread_create(&th[t], NULL, worker, (void *)t);
    for (size_t t = 0; t < threads; t++) pthread_join(th[t], NULL);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"ops\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", g_per * threads, wall, cpu);
}

static void query(void) {
    size_t n = arg_num("n", 10), expect = arg_num("expect", 10000);
    char args[512];
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"filter\":\"id < %zu\",\"output_fields\":[\"tag\",\"vec\"]}", coll,
             expect);
    milvus_buffer out = {0};
    call(milvus_client_query, "query", args, &out);
    if (count(&out, "\"vec\":[") != expect) fail("query", "wrong row count");
    milvus_buffer_free(&out);
    double t0 = now_s(), c0 = cpu_s();
    for (size_t i = 0; i < n; i++) {
        milvus_buffer o = {0};
        call(milvus_client_query, "query", args, &o);
        milvus_buffer_free(&o);
    }
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"ops\":%zu,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", n, n * expect, wall, cpu);
}

int main(int argc, char **argv) {
    g_argc = argc;
    g_argv = argv;
    if (argc < 4) fail("usage", "bench_json WORKLOAD URI COLLECTION key=value...");
    coll = argv[3];
    milvus_error *err = NULL;
    if (milvus_client_new(argv[2], NULL, NULL, NULL, 120.0, &client, &err) != MILVUS_OK)
        fail("connect", milvus_error_message(err));
    const char *w = argv[1];
    if (!strcmp(w, "insert")) insert(0);
    else if (!strcmp(w, "memory")) insert(1);
    else if (!strcmp(w, "search")) search();
    else if (!strcmp(w, "csearch")) csearch();
    else if (!strcmp(w, "query")) query();
    else fail("usage", "unknown workload");
    milvus_client_free(client);
    return 0;
}
