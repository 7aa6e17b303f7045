/* Non-blocking calls through the C ABI: milvus_client_start / _start_typed / _start_columns
 * with a completion queue (its eventfd watched with epoll) and with a callback. Against
 * Milvus Lite 2.5.1 (MILVUS_LITE_URI): results read back, 10,000 calls in flight from one
 * thread with the thread count and memory bounded and every completion delivered exactly once.
 * Against the scripted server that never answers (scripts/scripted_milvus.py stall): deadlines,
 * cancellation by call_id, and freeing the client with calls in flight (each completes with
 * MILVUS_ERR_CANCELLED before milvus_client_free returns). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static long proc_status(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, n) == 0 && line[n] == ':') {
            v = atol(line + n + 1);
            break;
        }
    }
    fclose(f);
    return v;
}

static int start_scripted(const char *mode, FILE **pipe_out) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "exec .venv/bin/python scripts/scripted_milvus.py %s", mode);
    FILE *p = popen(cmd, "r");
    if (p == NULL) return 0;
    int port = 0;
    if (fscanf(p, "PORT %d", &port) != 1) port = 0;
    *pipe_out = p;
    return port;
}

/* Takes a completion's JSON outcome; returns its status, *out the JSON (caller frees). */
static milvus_status take_json(milvus_completion *c, milvus_buffer *out) {
    milvus_error *err = NULL;
    milvus_status st = milvus_completion_take(c, out, NULL, &err);
    if (st != MILVUS_OK && err != NULL) {
        printf("     completion failed: %s (%s)\n", milvus_status_str(st), milvus_error_message(err));
    }
    milvus_error_free(err);
    return st;
}

static void argument_checks(milvus_client *c) {
    milvus_completion_queue *q = NULL;
    CHECK_STATUS(milvus_completion_queue_new(&q, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_completion_queue_new(NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(milvus_completion_queue_fd(q) >= 0);
    CHECK(milvus_completion_queue_fd(NULL) == -1);
    CHECK(milvus_completion_queue_pop(q) == NULL);
    CHECK(milvus_completion_queue_pop(NULL) == NULL);
    CHECK(milvus_completion_queue_wait(q, 0.01) == NULL);
    CHECK(milvus_completion_queue_wait(NULL, 1) == NULL);

    CHECK_STATUS(milvus_client_start(NULL, "list_collections", NULL, q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start(c, NULL, NULL, q, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start(c, "no_such_method", NULL, q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_UNKNOWN_METHOD);
    CHECK_STATUS(milvus_client_start(c, "list_collections", NULL, NULL, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start(c, "list_collections", "{\"call_id\": 5}", q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_start(c, "list_collections", "\xff", q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_start_typed(c, "list_collections", NULL, q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_UNKNOWN_METHOD);
    CHECK_STATUS(milvus_client_start_columns(c, "query", "c", NULL, NULL, q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    /* Nothing was started by any of these. */
    CHECK(milvus_completion_queue_wait(q, 0.05) == NULL);

    /* A completion's accessors for NULL. */
    CHECK(milvus_completion_status(NULL) == MILVUS_ERR_NULL_ARGUMENT);
    CHECK(milvus_completion_user_data(NULL) == NULL);
    CHECK_STATUS(milvus_completion_take(NULL, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    milvus_completion_free(NULL);
    milvus_completion_queue_free(NULL);
    milvus_completion_queue_free(q);
}

/* Waits on the queue's descriptor with epoll, as an event loop would. */
static milvus_completion *epoll_next(milvus_completion_queue *q, int ep) {
    for (int spins = 0; spins < 300; spins++) {
        milvus_completion *c = milvus_completion_queue_pop(q);
        if (c != NULL) return c;
        struct epoll_event ev;
        epoll_wait(ep, &ev, 1, 100);
    }
    return NULL;
}

static void queue_with_epoll(milvus_client *c) {
    milvus_completion_queue *q = NULL;
    if (CHECK_STATUS(milvus_completion_queue_new(&q, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    int ep = epoll_create1(0);
    struct epoll_event want = {.events = EPOLLIN};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, milvus_completion_queue_fd(q), &want) == 0);

    const char *name = "async_c_items";
    char args[512];
    snprintf(args, sizeof args, "{\"collection_name\": \"%s\"}", name);
    milvus_buffer out = {0};
    milvus_client_drop_collection(c, args, &out, NULL);
    milvus_buffer_free(&out);
    snprintf(args, sizeof args, "{\"collection_name\": \"%s\", \"dimension\": 2}", name);
    CHECK_STATUS(milvus_client_create_collection(c, args, &out, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&out);

    /* Rows by the JSON method, then a typed read: both started without blocking. */
    snprintf(args, sizeof args,
             "{\"collection_name\": \"%s\", \"data\": [{\"id\": 1, \"vector\": [0.5, 1]},"
             " {\"id\": 2, \"vector\": [2, 3]}]}", name);
    int tag = 7;
    CHECK_STATUS(milvus_client_start(c, "insert", args, q, NULL, &tag, CHECK_ERR), MILVUS_OK);
    milvus_completion *done = epoll_next(q, ep);
    if (CHECK(done != NULL)) {
        CHECK(milvus_completion_user_data(done) == &tag);
        CHECK(milvus_completion_status(done) == MILVUS_OK);
        milvus_result *typed = NULL;
        /* A JSON call's result needs result_out: it stays in the completion meanwhile. */
        CHECK_STATUS(milvus_completion_take(done, NULL, &typed, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(take_json(done, &out) == MILVUS_OK);
        CHECK_JSON_HAS(&out, "\"insert_count\":2");
        milvus_buffer_free(&out);
        CHECK_STATUS(milvus_completion_take(done, &out, NULL, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        milvus_completion_free(done);
    }
    snprintf(args, sizeof args,
             "{\"collection_name\": \"%s\", \"ids\": [2], \"output_fields\": [\"vector\"],"
             " \"consistency_level\": \"Strong\"}", name);
    CHECK_STATUS(milvus_client_start_typed(c, "get", args, q, NULL, NULL, CHECK_ERR), MILVUS_OK);
    done = epoll_next(q, ep);
    if (CHECK(done != NULL)) {
        milvus_result *r = NULL;
        CHECK_STATUS(milvus_completion_take(done, &out, &r, CHECK_ERR), MILVUS_OK);
        CHECK(out.data == NULL); /* a typed call fills typed_out only */
        CHECK(milvus_result_num_rows(r) == 1);
        size_t col = 0;
        CHECK_STATUS(milvus_result_column_index(r, "vector", &col, CHECK_ERR), MILVUS_OK);
        const void *vec = NULL;
        size_t dim = 0;
        CHECK_STATUS(milvus_result_column_vectors(r, col, &vec, &dim, CHECK_ERR), MILVUS_OK);
        CHECK(dim == 2 && vec != NULL && ((const float *)vec)[0] == 2.0f &&
              ((const float *)vec)[1] == 3.0f);
        milvus_result_free(r);
        milvus_completion_free(done);
    }

    /* Columns: freed by the caller right after the start; the call keeps its own reference. */
    milvus_columns *cols = NULL;
    const int64_t ids[2] = {3, 4};
    const float vecs[4] = {1, 1, 4, 4};
    CHECK_STATUS(milvus_columns_new(2, &cols, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_int64(cols, "id", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "vector", vecs, 2, 2, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_start_columns(c, "insert", name, cols, NULL, q, NULL, NULL, CHECK_ERR),
                 MILVUS_OK);
    milvus_columns_free(cols);
    done = epoll_next(q, ep);
    if (CHECK(done != NULL)) {
        milvus_result *r = NULL;
        CHECK_STATUS(milvus_completion_take(done, NULL, &r, CHECK_ERR), MILVUS_OK);
        CHECK(milvus_result_write_count(r) == 2);
        milvus_result_free(r);
        milvus_completion_free(done);
    }
    /* Failures come back as the blocking call's status and message: a server's, and an
     * argument check made inside the call. */
    const char *failing[][2] = {{"describe_collection", "{\"collection_name\": \"async_c_missing\"}"},
                                {"list_collections", "[1]"},
                                {"insert", "{\"collection_name\": \"async_c_items\", \"data\": 5}"}};
    for (size_t i = 0; i < sizeof failing / sizeof failing[0]; i++) {
        milvus_error *want = NULL, *got = NULL;
        milvus_status st = milvus_client_call(c, failing[i][0], failing[i][1], &out, &want);
        CHECK(st != MILVUS_OK && want != NULL);
        CHECK_STATUS(milvus_client_start(c, failing[i][0], failing[i][1], q, NULL, NULL, CHECK_ERR),
                     MILVUS_OK);
        done = epoll_next(q, ep);
        if (CHECK(done != NULL)) {
            CHECK(milvus_completion_take(done, &out, NULL, &got) == st);
            CHECK(out.data == NULL);
            CHECK(got != NULL && want != NULL &&
                  strcmp(milvus_error_message(got), milvus_error_message(want)) == 0 &&
                  milvus_error_server_code(got) == milvus_error_server_code(want));
            milvus_completion_free(done);
        }
        milvus_error_free(want);
        milvus_error_free(got);
    }
    snprintf(args, sizeof args, "{\"collection_name\": \"%s\"}", name);
    milvus_client_drop_collection(c, args, &out, NULL);
    milvus_buffer_free(&out);
    close(ep);
    milvus_completion_queue_free(q);
}

/* ---- callbacks ---- */

typedef struct {
    atomic_int delivered;
    atomic_int ok;
    atomic_int cancelled;
    atomic_int other;
    atomic_int blocking_refused;
    atomic_int after_free; /* set by the test once milvus_client_free has returned */
    atomic_int late;       /* callbacks that ran after that */
    unsigned char *seen;   /* one byte per call: exactly-once check */
    int n;
} tally;

static tally T;

static void on_done(milvus_completion *c, void *user_data) {
    int i = (int)(intptr_t)user_data;
    if (i >= 0 && i < T.n) T.seen[i]++;
    if (atomic_load(&T.after_free)) atomic_fetch_add(&T.late, 1);
    milvus_status st = milvus_completion_status(c);
    if (st == MILVUS_OK) {
        atomic_fetch_add(&T.ok, 1);
    } else if (st == MILVUS_ERR_CANCELLED) {
        atomic_fetch_add(&T.cancelled, 1);
    } else {
        atomic_fetch_add(&T.other, 1);
    }
    milvus_completion_free(c);
    atomic_fetch_add(&T.delivered, 1);
}

static void on_done_blocking(milvus_completion *c, void *client) {
    /* A blocking call from a callback would stall the I/O thread: it is refused. */
    milvus_buffer out = {0};
    milvus_error *err = NULL;
    if (milvus_client_list_collections(client, NULL, &out, &err) == MILVUS_ERR_RUNTIME) {
        atomic_fetch_add(&T.blocking_refused, 1);
    }
    milvus_error_free(err);
    milvus_buffer_free(&out);
    milvus_completion_free(c);
    atomic_fetch_add(&T.delivered, 1);
}

static void tally_reset(int n) {
    free(T.seen);
    memset(&T, 0, sizeof T);
    T.n = n;
    T.seen = calloc((size_t)n, 1);
}

static int wait_delivered(int n, double seconds) {
    for (int i = 0; i < (int)(seconds * 100) && atomic_load(&T.delivered) < n; i++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return atomic_load(&T.delivered);
}

/* 10,000 calls in flight from this one thread, completed through a callback. */
static void ten_thousand_in_flight(milvus_client *c) {
    enum { N = 10000 };
    tally_reset(N);
    /* One call first, so that the runtime's threads exist before counting. */
    CHECK_STATUS(milvus_client_start(c, "has_collection", "{\"collection_name\": \"x\"}", NULL,
                                     on_done, (void *)(intptr_t)-1, CHECK_ERR), MILVUS_OK);
    wait_delivered(1, 30);
    tally_reset(N);
    long threads_before = proc_status("Threads"), rss_before = proc_status("VmRSS");
    long threads_max = threads_before, rss_max = rss_before;
    for (int i = 0; i < N; i++) {
        if (milvus_client_start(c, "has_collection", "{\"collection_name\": \"async_c_none\"}", NULL,
                                on_done, (void *)(intptr_t)i, NULL) != MILVUS_OK) {
            CHECK(!"a start failed");
            break;
        }
        if (i % 1000 == 0) {
            long t = proc_status("Threads"), m = proc_status("VmRSS");
            if (t > threads_max) threads_max = t;
            if (m > rss_max) rss_max = m;
        }
    }
    int got = wait_delivered(N, 120);
    long rss_after = proc_status("VmRSS");
    if (rss_after > rss_max) rss_max = rss_after;
    printf("     10000 in flight: threads %ld -> max %ld, VmRSS %ld kB -> max %ld kB\n",
           threads_before, threads_max, rss_before, rss_max);
    CHECK(got == N);
    CHECK(atomic_load(&T.ok) == N);
    int once = 1;
    for (int i = 0; i < N; i++) once &= T.seen[i] == 1;
    CHECK(once);
    CHECK(threads_max <= threads_before); /* no thread per call */
#ifdef __SANITIZE_ADDRESS__
    /* AddressSanitizer keeps freed memory in quarantine and pads every allocation. */
    CHECK(rss_max - rss_before < 1024 * 1024);
#else
    CHECK(rss_max - rss_before < 256 * 1024); /* well under 26 kB per call in flight */
#endif
}

static void blocking_call_from_callback(milvus_client *c) {
    tally_reset(1);
    CHECK_STATUS(milvus_client_start(c, "has_collection", "{\"collection_name\": \"x\"}", NULL,
                                     on_done_blocking, c, CHECK_ERR), MILVUS_OK);
    CHECK(wait_delivered(1, 30) == 1);
    CHECK(atomic_load(&T.blocking_refused) == 1);
}

/* ---- a server that never answers ---- */

static void stalled_server(void) {
    FILE *server = NULL;
    int port = start_scripted("stall", &server);
    if (!CHECK(port > 0)) return;
    char uri[64];
    snprintf(uri, sizeof uri, "http://127.0.0.1:%d", port);
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 0, &c, CHECK_ERR), MILVUS_OK) != MILVUS_OK) {
        return;
    }
    milvus_completion_queue *q = NULL;
    CHECK_STATUS(milvus_completion_queue_new(&q, CHECK_ERR), MILVUS_OK);

    /* A deadline and a cancellation by call_id, as for blocking calls. */
    CHECK_STATUS(milvus_client_start(c, "list_collections", "{\"timeout\": 0.2}", q, NULL, NULL,
                                     CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_start(c, "list_collections", "{\"call_id\": \"a1\"}", q, NULL, NULL,
                                     CHECK_ERR), MILVUS_OK);
    milvus_completion *first = milvus_completion_queue_wait(q, 10);
    if (CHECK(first != NULL)) {
        CHECK(milvus_completion_status(first) == MILVUS_ERR_TIMEOUT);
        milvus_completion_free(first);
    }
    CHECK(milvus_completion_queue_wait(q, 0.1) == NULL); /* the other waits on */
    CHECK_STATUS(milvus_client_cancel(c, "a1", CHECK_ERR), MILVUS_OK);
    milvus_completion *second = milvus_completion_queue_wait(q, 10);
    if (CHECK(second != NULL)) {
        CHECK(milvus_completion_status(second) == MILVUS_ERR_CANCELLED);
        milvus_completion_free(second);
    }

    /* Freeing the client: every call in flight completes, cancelled, before free returns. */
    enum { N = 64 };
    tally_reset(N);
    for (int i = 0; i < N; i++) {
        CHECK_STATUS(milvus_client_start(c, "list_collections", NULL, NULL, on_done,
                                         (void *)(intptr_t)i, CHECK_ERR), MILVUS_OK);
    }
    /* And some to the queue, which is freed before they complete. */
    for (int i = 0; i < 8; i++) {
        CHECK_STATUS(milvus_client_start(c, "list_collections", NULL, q, NULL, NULL, CHECK_ERR),
                     MILVUS_OK);
    }
    milvus_completion_queue_free(q);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    CHECK(atomic_load(&T.delivered) == 0);
    milvus_client_free(c);
    atomic_store(&T.after_free, 1);
    CHECK(atomic_load(&T.delivered) == N);
    CHECK(atomic_load(&T.cancelled) == N);
    nanosleep(&pause, NULL);
    CHECK(atomic_load(&T.late) == 0);
    int once = 1;
    for (int i = 0; i < N; i++) once &= T.seen[i] == 1;
    CHECK(once);
    (void)server; /* it exits with this process (it watches its parent); pclose would wait */
}

int main(void) {
    const char *uri = check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531");
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60, &c, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        argument_checks(c);
        queue_with_epoll(c);
        ten_thousand_in_flight(c);
        blocking_call_from_callback(c);
        milvus_client_free(c);
    }
    stalled_server();
    free(T.seen);
    return CHECK_SUMMARY();
}
