/* libmilvus through its typed path (docs/typed-api.md) as a bench client: columns from C
 * arrays in, results read through accessors. The measured part of an insert includes
 * building the columns (that is where the library copies the caller's data to wire bytes). */
#define _GNU_SOURCE
#include <milvus.h>
#include <pthread.h>

#include "bench.h"

static milvus_client *client;
static const char *coll;
static const char *SEARCH_OPTS = "{\"limit\":10,\"output_fields\":[\"tag\"]}";

typedef struct {
    size_t n, dim;
    int64_t *ids;
    const char **tags;
    float *vecs;
} batch_data;

static char tag_names[1000][12];

static batch_data make_batch(int64_t start, size_t n, size_t dim, uint64_t seed) {
    batch_data b = {n, dim, xmalloc(n * sizeof(int64_t)), xmalloc(n * sizeof(char *)),
                    xmalloc(n * dim * sizeof(float))};
    rng r = rng_new(seed);
    for (size_t i = 0; i < n; i++) {
        b.ids[i] = start + (int64_t)i;
        b.tags[i] = tag_names[((b.ids[i] % 1000) + 1000) % 1000];
    }
    for (size_t i = 0; i < n * dim; i++) b.vecs[i] = rng_next(&r);
    return b;
}

static void check(milvus_status st, const char *what, milvus_error *err) {
    if (st != MILVUS_OK) fail(what, err ? milvus_error_message(err) : milvus_status_str(st));
}

static void do_insert(const batch_data *b) {
    milvus_error *err = NULL;
    milvus_columns *cols = NULL;
    milvus_result *res = NULL;
    check(milvus_columns_new(b->n, &cols, &err), "columns_new", err);
    check(milvus_columns_add_int64(cols, "id", b->ids, b->n, NULL, &err), "add id", err);
    check(milvus_columns_add_float_vector(cols, "vec", b->vecs, b->n, b->dim, &err), "add vec", err);
    check(milvus_columns_add_varchar(cols, "tag", b->tags, NULL, b->n, NULL, &err), "add tag", err);
    check(milvus_client_insert_columns(client, coll, cols, NULL, &res, &err), "insert_columns", err);
    if (milvus_result_write_count(res) != b->n) fail("insert", "wrong write count");
    milvus_result_free(res);
    milvus_columns_free(cols);
}

static void insert(int memory) {
    size_t rows = arg_num("rows", 50000), batch = arg_num("batch", 5000), dim = arg_num("dim", 128);
    size_t nb = rows / batch;
    batch_data warm = make_batch(-16, 16, dim, 2);
    do_insert(&warm);
    if (memory) {
        batch_data b = make_batch(0, batch, dim, 1);
        long base = rss_baseline_kb();
        double t0 = now_s(), c0 = cpu_s();
        for (size_t i = 0; i < nb; i++) do_insert(&b);
        double wall = now_s() - t0, cpu = cpu_s() - c0;
        printf("{\"ok\":true,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f,\"rss_base_kb\":%ld,\"rss_peak_kb\":%ld}\n",
               nb * batch, wall, cpu, base, peak_rss_kb());
        return;
    }
    batch_data *bs = xmalloc(nb * sizeof *bs);
    for (size_t i = 0; i < nb; i++) bs[i] = make_batch((int64_t)(i * batch), batch, dim, i + 1);
    double t0 = now_s(), c0 = cpu_s();
    for (size_t i = 0; i < nb; i++) do_insert(&bs[i]);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", nb * batch, wall, cpu);
}

static float *g_qs;
static size_t g_nq, g_dim, g_per;

static void search_one(size_t i, int check_tag) {
    milvus_error *err = NULL;
    milvus_result *res = NULL;
    check(milvus_client_search_float(client, coll, "vec", g_qs + (i % g_nq) * g_dim, 1, g_dim, SEARCH_OPTS,
                                     &res, &err),
          "search_float", err);
    if (milvus_result_num_queries(res) != 1 || milvus_result_hit_count(res, 0) != 10)
        fail("search", "expected 1 query with 10 hits");
    if (check_tag) {
        size_t col;
        const char *p;
        size_t len;
        check(milvus_result_column_index(res, "tag", &col, &err), "column_index tag", err);
        check(milvus_result_column_string(res, col, 0, &p, &len, &err), "column_string", err);
        if (len < 5 || strncmp(p, "tag-", 4) != 0) fail("search", "bad tag value");
    }
    milvus_result_free(res);
}

static void load_queries(void) {
    g_dim = arg_num("dim", 128);
    g_nq = read_queries(arg_str("queries", NULL), g_dim, &g_qs);
    if (!g_nq) fail("queries", "empty file");
}

static void search(void) {
    size_t n = arg_num("n", 1000);
    load_queries();
    for (size_t i = 0; i < 20; i++) search_one(i, 1);
    double *lat = xmalloc(n * sizeof *lat);
    double t0 = now_s(), c0 = cpu_s();
    for (size_t i = 0; i < n; i++) {
        double t = now_s();
        search_one(i, 0);
        lat[i] = (now_s() - t) * 1e6;
    }
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    double p50 = percentile(lat, n, 50), p99 = percentile(lat, n, 99);
    printf("{\"ok\":true,\"ops\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n", n,
           wall, cpu, p50, p99);
}

static void *worker(void *p) {
    size_t t = (size_t)p;
    for (size_t i = 0; i < g_per; i++) search_one(t * g_per + i, 0);
    return NULL;
}

static void csearch(void) {
    size_t n = arg_num("n", 2000), threads = arg_num("threads", 8);
    load_queries();
    for (size_t i = 0; i < 20; i++) search_one(i, 1);
    if (threads > 64) threads = 64;
    g_per = n / threads;
    pthread_t th[64];
    double t0 = now_s(), c0 = cpu_s();
    for (size_t t = 0; t < threads; t++) pthread_create(&th[t], NULL, worker, (void *)t);
    for (size_t t = 0; t < threads; t++) pthread_join(th[t], NULL);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"ops\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", g_per * threads, wall, cpu);
}

static void query_once(const char *args, size_t expect, int check_vec) {
    milvus_error *err = NULL;
    milvus_result *res = NULL;
    check(milvus_client_query_typed(client, args, &res, &err), "query_typed", err);
    if (milvus_result_num_rows(res) != expect) fail("query", "wrong row count");
    if (check_vec) {
        size_t col, dim;
        const void *data;
        check(milvus_result_column_index(res, "vec", &col, &err), "column_index vec", err);
        check(milvus_result_column_vectors(res, col, &data, &dim, &err), "column_vectors", err);
        if (dim != 128 || !data) fail("query", "bad vector column");
    }
    milvus_result_free(res);
}

static void query(void) {
    size_t n = arg_num("n", 10), expect = arg_num("expect", 10000);
    char args[512];
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"filter\":\"id < %zu\",\"output_fields\":[\"tag\",\"vec\"]}", coll,
             expect);
    query_once(args, expect, 1);
    double t0 = now_s(), c0 = cpu_s();
    for (size_t i = 0; i < n; i++) query_once(args, expect, 0);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    printf("{\"ok\":true,\"ops\":%zu,\"rows\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f}\n", n, n * expect, wall, cpu);
}

/* W6: W2's searches on this thread while another thread repeats W4's query on the same
 * client: a long reply must not hold the searches up. */
static _Atomic int g_stop;
static size_t g_reads;
static char g_qargs[512];
static size_t g_qexpect;

static void *reader(void *p) {
    (void)p;
    while (!g_stop) {
        query_once(g_qargs, g_qexpect, 0);
        g_reads++;
    }
    return NULL;
}

static void mixed(void) {
    size_t n = arg_num("n", 1000);
    g_qexpect = arg_num("expect", 10000);
    snprintf(g_qargs, sizeof g_qargs,
             "{\"collection_name\":\"%s\",\"filter\":\"id < %zu\",\"output_fields\":[\"tag\",\"vec\"]}", coll,
             g_qexpect);
    load_queries();
    for (size_t i = 0; i < 20; i++) search_one(i, 1);
    query_once(g_qargs, g_qexpect, 1);
    double *lat = xmalloc(n * sizeof *lat);
    pthread_t th;
    pthread_create(&th, NULL, reader, NULL);
    double t0 = now_s(), c0 = cpu_s(), worst = 0;
    for (size_t i = 0; i < n; i++) {
        double t = now_s();
        search_one(i, 0);
        lat[i] = (now_s() - t) * 1e6;
        if (lat[i] > worst) worst = lat[i];
    }
    g_stop = 1;
    pthread_join(th, NULL);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    double p50 = percentile(lat, n, 50), p99 = percentile(lat, n, 99);
    printf("{\"ok\":true,\"ops\":%zu,\"wall_s\":%.6f,\"cpu_s\":%.6f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
           "\"max_us\":%.1f,\"reads\":%zu}\n",
           n, wall, cpu, p50, p99, worst, g_reads);
}

int main(int argc, char **argv) {
    g_argc = argc;
    g_argv = argv;
    if (argc < 4) fail("usage", "bench_typed WORKLOAD URI COLLECTION key=value...");
    coll = argv[3];
    for (int i = 0; i < 1000; i++) snprintf(tag_names[i], sizeof tag_names[i], "tag-%d", i);
    milvus_error *err = NULL;
    check(milvus_client_new(argv[2], NULL, NULL, NULL, 120.0, &client, &err), "connect", err);
    const char *w = argv[1];
    if (!strcmp(w, "insert")) insert(0);
    else if (!strcmp(w, "memory")) insert(1);
    else if (!strcmp(w, "search")) search();
    else if (!strcmp(w, "csearch")) csearch();
    else if (!strcmp(w, "query")) query();
    else if (!strcmp(w, "mixed")) mixed();
    else fail("usage", "unknown workload");
    milvus_client_free(client);
    return 0;
}
