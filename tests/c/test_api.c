/*
 * test_api.c: every function of include/milvus.h, used through the header, against the three
 * real servers (MILVUS_URI: Milvus 2.3.5 standalone, MILVUS_LITE_URI: Milvus Lite 2.5.1,
 * MILVUS_LITE3_URI: Milvus Lite 3.2.2).
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "milvus.h"

#define DIM 8
#define NROWS 300
#define NTHREADS 8
#define SEARCHES_PER_THREAD 20

typedef milvus_status (*method_fn)(const milvus_client *, const char *, milvus_buffer *,
                                   milvus_error **);

static const struct {
    const char *name;
    method_fn fn;
} METHODS[] = {
    {"get_server_version", milvus_client_get_server_version},
    {"list_collections", milvus_client_list_collections},
    {"has_collection", milvus_client_has_collection},
    {"create_collection", milvus_client_create_collection},
    {"describe_collection", milvus_client_describe_collection},
    {"drop_collection", milvus_client_drop_collection},
    {"load_collection", milvus_client_load_collection},
    {"release_collection", milvus_client_release_collection},
    {"flush", milvus_client_flush},
    {"insert", milvus_client_insert},
    {"delete", milvus_client_delete},
    {"get", milvus_client_get},
    {"query", milvus_client_query},
    {"search", milvus_client_search},
};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

/* Pointers the library must never write or dereference: they mark "left untouched". */
static char sentinel_byte;
#define SENTINEL_ERR ((milvus_error *)(void *)&sentinel_byte)
#define SENTINEL_CLIENT ((milvus_client *)(void *)&sentinel_byte)
#define SENTINEL_DATA ((uint8_t *)&sentinel_byte)
#define SENTINEL_LEN ((size_t)12345)

/* ---- a growable string, for building JSON arguments ---- */

typedef struct {
    char *p;
    size_t len, cap;
} strbuf;

static void sb_printf(strbuf *s, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = s->cap - s->len;
        int n = vsnprintf(s->p != NULL ? s->p + s->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) abort();
        if ((size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        s->cap = (s->cap + (size_t)n + 1) * 2;
        s->p = realloc(s->p, s->cap);
        if (s->p == NULL) abort();
    }
}

static void sb_free(strbuf *s) {
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
}

/* ---- test data ---- */

/* Row i's vector: distinct for every row, with values that need all 24 mantissa bits. */
static void row_vector(int i, float v[DIM]) {
    for (int j = 0; j < DIM; j++)
        v[j] = (float)((i * 7 + j * 13) % 23) / 3.0f - 3.5f + (float)i / 1000.0f * (float)(j + 1);
}

/* A float vector as JSON; %.9g reads back to the same float32. */
static void sb_vector(strbuf *s, const float v[DIM]) {
    sb_printf(s, "[");
    for (int j = 0; j < DIM; j++) sb_printf(s, "%s%.9g", j ? "," : "", (double)v[j]);
    sb_printf(s, "]");
}

static const char *tag_of(int i) {
    static const char *const tags[] = {"t0", "t1", "t2", "t3", "t4"};
    return tags[i % 5];
}

/* Parses the floats of the first `"vector":[...]` in json into out; returns how many. */
static int parse_vector(const char *json, float *out, int max) {
    const char *p = json != NULL ? strstr(json, "\"vector\":[") : NULL;
    if (p == NULL) return -1;
    p += strlen("\"vector\":[");
    int n = 0;
    while (n < max) {
        char *end;
        out[n++] = strtof(p, &end);
        if (end == p) return -1;
        if (*end == ']') return n;
        if (*end != ',') return -1;
        p = end + 1;
    }
    return -1;
}

static int count_of(const char *haystack, const char *needle) {
    int n = 0;
    for (const char *p = haystack; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Frees an error unless it is the sentinel (which the library was supposed to overwrite). */
static void free_err(milvus_error *e) {
    if (e != SENTINEL_ERR) milvus_error_free(e);
}

static const char *json_of(const milvus_buffer *b) {
    return b->data != NULL ? (const char *)b->data : "";
}

/* ---- library-wide functions: no server needed ---- */

static void test_static_functions(void) {
    CHECK(strcmp(milvus_version(), MILVUS_VERSION_STRING) == 0);
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", MILVUS_VERSION_MAJOR, MILVUS_VERSION_MINOR,
             MILVUS_VERSION_PATCH);
    CHECK(strcmp(v, MILVUS_VERSION_STRING) == 0);
    CHECK(milvus_version() == milvus_version());

    static const struct {
        milvus_status status;
        const char *name;
    } names[] = {
#define N(x) {x, #x}
        N(MILVUS_OK),
        N(MILVUS_ERR_NULL_ARGUMENT),
        N(MILVUS_ERR_INVALID_UTF8),
        N(MILVUS_ERR_INVALID_JSON),
        N(MILVUS_ERR_INVALID_ARGUMENT),
        N(MILVUS_ERR_INVALID_URI),
        N(MILVUS_ERR_DIMENSION_MISMATCH),
        N(MILVUS_ERR_MISSING_FIELD),
        N(MILVUS_ERR_UNKNOWN_METHOD),
        N(MILVUS_ERR_ROW_COUNT_MISMATCH),
        N(MILVUS_ERR_TYPE_MISMATCH),
        N(MILVUS_ERR_CLOSED),
        N(MILVUS_ERR_CONNECT),
        N(MILVUS_ERR_TIMEOUT),
        N(MILVUS_ERR_UNAVAILABLE),
        N(MILVUS_ERR_UNAUTHENTICATED),
        N(MILVUS_ERR_PERMISSION_DENIED),
        N(MILVUS_ERR_UNIMPLEMENTED),
        N(MILVUS_ERR_CANCELLED),
        N(MILVUS_ERR_TLS),
        N(MILVUS_ERR_TRANSPORT),
        N(MILVUS_ERR_SERVER),
        N(MILVUS_ERR_COLLECTION_NOT_FOUND),
        N(MILVUS_ERR_RATE_LIMITED),
        N(MILVUS_ERR_DATABASE_NOT_FOUND),
        N(MILVUS_ERR_INDEX_NOT_FOUND),
        N(MILVUS_ERR_COLLECTION_NOT_LOADED),
        N(MILVUS_ERR_PARTITION_NOT_FOUND),
        N(MILVUS_ERR_PANIC),
        N(MILVUS_ERR_RUNTIME),
        N(MILVUS_ERR_INTERNAL),
#undef N
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *got = milvus_status_str(names[i].status);
        if (!CHECK(got != NULL && strcmp(got, names[i].name) == 0))
            printf("     milvus_status_str(%d) = %s, want %s\n", (int)names[i].status,
                   got != NULL ? got : "(null)", names[i].name);
    }
    const milvus_status unknown[] = {-1, 1, 99, 111, 199, 209, 299, 307, 899, 903, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *got = milvus_status_str(unknown[i]);
        CHECK(got != NULL && strcmp(got, "MILVUS_ERR_UNKNOWN_STATUS") == 0);
    }

    /* Error accessors on NULL. */
    CHECK(milvus_error_status(NULL) == MILVUS_OK);
    CHECK(milvus_error_message(NULL) != NULL && strcmp(milvus_error_message(NULL), "") == 0);
    CHECK(milvus_error_server_code(NULL) == 0);
    CHECK(milvus_error_grpc_code(NULL) == 0);
    CHECK(milvus_error_retriable(NULL) == false);
    milvus_error_free(NULL);

    /* Buffers: NULL, empty, and freeing twice. */
    milvus_buffer_free(NULL);
    milvus_buffer empty = {NULL, 0};
    milvus_buffer_free(&empty);
    CHECK(empty.data == NULL && empty.len == 0);
    milvus_client_free(NULL);
}

/* ---- milvus_client_new ---- */

static void test_client_new(const char *uri) {
    milvus_client *c = SENTINEL_CLIENT;
    milvus_error *err = SENTINEL_ERR;

    /* A URI that cannot be parsed. Nothing is resolved or contacted. */
    CHECK_STATUS(milvus_client_new("ftp://x", NULL, NULL, NULL, 3, &c, &err),
                 MILVUS_ERR_INVALID_URI);
    CHECK(c == SENTINEL_CLIENT);
    CHECK(err != SENTINEL_ERR && err != NULL);
    CHECK(milvus_error_status(err) == MILVUS_ERR_INVALID_URI);
    CHECK(strstr(milvus_error_message(err), "ftp://x") != NULL);
    CHECK(milvus_error_server_code(err) == 0 && milvus_error_grpc_code(err) == 0);
    CHECK(!milvus_error_retriable(err));
    free_err(err);

    /* error_out == NULL: the status alone. */
    CHECK_STATUS(milvus_client_new("ftp://x", NULL, NULL, NULL, 3, &c, NULL),
                 MILVUS_ERR_INVALID_URI);
    CHECK(c == SENTINEL_CLIENT);

    /* Nothing listens on port 1: the connection is refused at once. */
    err = SENTINEL_ERR;
    CHECK_STATUS(milvus_client_new("http://127.0.0.1:1", NULL, NULL, NULL, 3, &c, &err),
                 MILVUS_ERR_CONNECT);
    CHECK(c == SENTINEL_CLIENT);
    CHECK(err != SENTINEL_ERR && milvus_error_status(err) == MILVUS_ERR_CONNECT);
    CHECK(strstr(milvus_error_message(err), "127.0.0.1:1") != NULL);
    free_err(err);

    /* A loopback port that accepts connections but never answers: the connect timeout. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addr_len = sizeof addr;
    if (CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
              listen(fd, 8) == 0 &&
              getsockname(fd, (struct sockaddr *)&addr, &addr_len) == 0)) {
        char silent[64];
        snprintf(silent, sizeof silent, "http://127.0.0.1:%d", (int)ntohs(addr.sin_port));
        CHECK_STATUS(milvus_client_new(silent, NULL, NULL, NULL, 0.5, &c, CHECK_ERR),
                     MILVUS_ERR_TIMEOUT);
        CHECK(c == SENTINEL_CLIENT);
        /* Not a gRPC CANCELLED (1): the deadline passed before any RPC answered. */
        int grpc = milvus_error_grpc_code(CHECK_LAST_ERROR());
        if (!CHECK(grpc == 0 || grpc == 4)) printf("     grpc_code %d\n", grpc);
    }
    if (fd >= 0) close(fd);

    /* Bad timeouts. */
    err = SENTINEL_ERR;
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, -1, &c, &err),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(c == SENTINEL_CLIENT);
    CHECK(strstr(milvus_error_message(err), "timeout") != NULL);
    free_err(err);

    /* NULL arguments. */
    err = SENTINEL_ERR;
    CHECK_STATUS(milvus_client_new(NULL, NULL, NULL, NULL, 3, &c, &err), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(c == SENTINEL_CLIENT);
    CHECK(strstr(milvus_error_message(err), "uri") != NULL);
    free_err(err);
    err = SENTINEL_ERR;
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 3, NULL, &err), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(strstr(milvus_error_message(err), "client_out") != NULL);
    free_err(err);

    /* Invalid UTF-8 in a string argument. */
    CHECK_STATUS(milvus_client_new("http://127.0.0.1:1\xff", NULL, NULL, NULL, 3, &c, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_new(uri, "user\xff", "pw", NULL, 3, &c, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    CHECK(c == SENTINEL_CLIENT);

    /* Success sets *error_out to NULL; empty user/password/token are allowed. */
    err = SENTINEL_ERR;
    c = NULL;
    CHECK_STATUS(milvus_client_new(uri, "", "", "", 30, &c, &err), MILVUS_OK);
    CHECK(err == NULL);
    CHECK(c != NULL && c != SENTINEL_CLIENT);
    free_err(err);
    if (c != SENTINEL_CLIENT) milvus_client_free(c);
}

/* ---- the JSON methods: argument errors that need no collection ---- */

static void test_argument_errors(const milvus_client *c) {
    for (size_t i = 0; i < NMETHODS; i++) {
        const char *name = METHODS[i].name;
        method_fn fn = METHODS[i].fn;
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        milvus_error *err = SENTINEL_ERR;

        /* NULL client. */
        CHECK_STATUS(fn(NULL, "{}", &b, &err), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
        CHECK(err != SENTINEL_ERR && strstr(milvus_error_message(err), "client") != NULL);
        free_err(err);
        CHECK_STATUS(milvus_client_call(NULL, name, "{}", &b, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);

        /* NULL result_out. */
        err = SENTINEL_ERR;
        CHECK_STATUS(fn(c, "{}", NULL, &err), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(err != SENTINEL_ERR && strstr(milvus_error_message(err), "result_out") != NULL);
        free_err(err);
        CHECK_STATUS(milvus_client_call(c, name, "{}", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);

        /* Malformed JSON, also with error_out == NULL. */
        CHECK_STATUS(fn(c, "{\"timeout\": ", &b, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(fn(c, "{\"timeout\": 5", &b, NULL), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(fn(c, "[", &b, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(milvus_client_call(c, name, "{,}", &b, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);

        /* An unknown key: named in the message. */
        CHECK_STATUS(fn(c, "{\"colour_xyz\": 1}", &b, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "colour_xyz") != NULL);
        CHECK_STATUS(milvus_client_call(c, name, "{\"colour_xyz\": 1}", &b, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "colour_xyz") != NULL);

        /* Invalid UTF-8 in args_json. */
        CHECK_STATUS(fn(c, "{\"collection_name\": \"\xff\"}", &b, CHECK_ERR),
                     MILVUS_ERR_INVALID_UTF8);
        CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "args_json") != NULL);
        CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
    }

    milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};

    /* Text that is not well-formed JSON is MILVUS_ERR_INVALID_JSON, whatever its keys hold. */
    CHECK_STATUS(milvus_client_list_collections(c, "{\"colour_xyz\": ", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_has_collection(c, "{\"colour_xyz\": 1", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_has_collection(c, "{\"timeout\": 5} x", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_JSON);

    /* milvus_client_call: names. */
    CHECK_STATUS(milvus_client_call(c, "no_such_method", "{}", &b, CHECK_ERR),
                 MILVUS_ERR_UNKNOWN_METHOD);
    CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "no_such_method") != NULL);
    CHECK_STATUS(milvus_client_call(c, "Search", "{}", &b, NULL), MILVUS_ERR_UNKNOWN_METHOD);
    CHECK_STATUS(milvus_client_call(c, "", "{}", &b, CHECK_ERR), MILVUS_ERR_UNKNOWN_METHOD);
    CHECK_STATUS(milvus_client_call(c, NULL, "{}", &b, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "method") != NULL);
    CHECK_STATUS(milvus_client_call(c, "search\xff", "{}", &b, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);

    /* A per-call timeout that is not positive. */
    CHECK_STATUS(milvus_client_list_collections(c, "{\"timeout\": -1}", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "timeout") != NULL);
}

/* ---- searches from many threads on one client ---- */

typedef struct {
    const milvus_client *client;
    const char *collection;
    int thread;
    int ok;
} search_job;

static void *search_thread(void *arg) {
    search_job *job = arg;
    for (int k = 0; k < SEARCHES_PER_THREAD; k++) {
        int row = job->thread * SEARCHES_PER_THREAD + k; /* 0 .. 159, all present by now */
        float v[DIM];
        row_vector(row, v);
        strbuf args = {0};
        sb_printf(&args, "{\"collection_name\":\"%s\",\"data\":[", job->collection);
        sb_vector(&args, v);
        sb_printf(&args, "],\"limit\":2,\"consistency_level\":\"Strong\"}");
        char want[64];
        snprintf(want, sizeof want, "[[{\"id\":%d,\"distance\":0.0,", row);
        milvus_buffer b = {0};
        if (CHECK_STATUS(milvus_client_search(job->client, args.p, &b, CHECK_ERR), MILVUS_OK) ==
                MILVUS_OK &&
            CHECK(strncmp(json_of(&b), want, strlen(want)) == 0))
            job->ok++;
        milvus_buffer_free(&b);
        sb_free(&args);
    }
    CHECK_THREAD_END();
    return NULL;
}

static void test_threads(const milvus_client *c, const char *collection) {
    pthread_t tids[NTHREADS];
    search_job jobs[NTHREADS];
    int started = 0;
    for (int t = 0; t < NTHREADS; t++) {
        jobs[t] = (search_job){c, collection, t, 0};
        if (CHECK(pthread_create(&tids[t], NULL, search_thread, &jobs[t]) == 0)) started++;
        else break;
    }
    int ok = 0;
    for (int t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
        ok += jobs[t].ok;
    }
    CHECK(ok == NTHREADS * SEARCHES_PER_THREAD);
}

/* ---- the whole life of a collection on one server ---- */

/* Runs a JSON method on args and checks its status; the result lands in *b (freed first). */
static milvus_status run(const milvus_client *c, method_fn fn, const char *args, milvus_buffer *b,
                         milvus_status want, int line) {
    milvus_buffer_free(b);
    milvus_status s = CHECK_STATUS(fn(c, args, b, CHECK_ERR), want);
    if (s != want) printf("     (test_api.c:%d) args: %.300s\n", line, args);
    return s;
}
#define RUN(fn, args, want) run(c, (fn), (args), &b, (want), __LINE__)

/* is_lite: 0 Milvus 2.3.5 standalone, 1 Milvus Lite 2.5.1, 2 Milvus Lite 3.2.2. */
static void test_server(const char *label, const char *uri, int is_lite) {
    printf("== %s %s\n", label, uri);
    fflush(stdout);
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;

    milvus_buffer b = {0};
    strbuf a = {0};
    char name[96], args[512], want[512];
    snprintf(name, sizeof name, "capi_%ld_%s", (long)getpid(), label);
#define ARGS(...) (snprintf(args, sizeof args, __VA_ARGS__), args)

    /* get_server_version: Milvus Lite 2.5.1 has no GetVersion RPC and reports no version at
     * Connect; Milvus Lite 3.2.2 answers with its own name and version. */
    if (is_lite == 2) {
        if (RUN(milvus_client_get_server_version, NULL, MILVUS_OK) == MILVUS_OK)
            CHECK_JSON_EQ(&b, "\"milvus_lite-3.2.2\"");
    } else if (is_lite) {
        milvus_buffer v = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(milvus_client_get_server_version(c, NULL, &v, CHECK_ERR),
                     MILVUS_ERR_UNIMPLEMENTED);
        CHECK(v.data == SENTINEL_DATA && v.len == SENTINEL_LEN);
        CHECK_STATUS(milvus_client_call(c, "get_server_version", "{}", &v, CHECK_ERR),
                     MILVUS_ERR_UNIMPLEMENTED);
        CHECK(milvus_error_server_code(CHECK_LAST_ERROR()) == 0);
        CHECK(!milvus_error_retriable(CHECK_LAST_ERROR()));
    } else {
        if (RUN(milvus_client_get_server_version, NULL, MILVUS_OK) == MILVUS_OK) {
            CHECK(strncmp(json_of(&b), "\"v2.3.5", 7) == 0);
            CHECK(b.len == strlen(json_of(&b)) && json_of(&b)[b.len - 1] == '"');
        }
        milvus_buffer v = {0};
        CHECK_STATUS(milvus_client_call(c, "get_server_version", "{}", &v, CHECK_ERR), MILVUS_OK);
        CHECK(v.data != NULL && b.data != NULL && strcmp(json_of(&v), json_of(&b)) == 0);
        milvus_buffer_free(&v);
    }

    test_argument_errors(c);

    /* A missing collection. */
    const char *missing = "{\"collection_name\":\"capi_no_such_collection_xyz\"}";
    if (RUN(milvus_client_has_collection, missing, MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "false");
    RUN(milvus_client_describe_collection, missing, MILVUS_ERR_COLLECTION_NOT_FOUND);
    CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), "capi_no_such_collection_xyz") != NULL ||
          milvus_error_server_code(CHECK_LAST_ERROR()) != 0);
    RUN(milvus_client_load_collection, missing, MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_release_collection, missing, MILVUS_ERR_COLLECTION_NOT_FOUND);
    /* Both servers drop a missing collection without complaint, as pymilvus does. */
    if (RUN(milvus_client_drop_collection, missing, MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "null");
    /* Milvus Lite flushes a missing collection without complaint. */
    RUN(milvus_client_flush, missing, is_lite ? MILVUS_OK : MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_insert,
        "{\"collection_name\":\"capi_no_such_collection_xyz\",\"data\":[{\"id\":1}]}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_delete,
        "{\"collection_name\":\"capi_no_such_collection_xyz\",\"ids\":[1]}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_delete,
        "{\"collection_name\":\"capi_no_such_collection_xyz\",\"filter\":\"id > 0\"}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_get, "{\"collection_name\":\"capi_no_such_collection_xyz\",\"ids\":[1]}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_query,
        "{\"collection_name\":\"capi_no_such_collection_xyz\",\"filter\":\"id > 0\"}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    RUN(milvus_client_search,
        "{\"collection_name\":\"capi_no_such_collection_xyz\",\"data\":[[1,2,3,4,5,6,7,8]]}",
        MILVUS_ERR_COLLECTION_NOT_FOUND);

    /* create_collection, quick setup. Strong consistency makes every read see earlier writes. */
    if (RUN(milvus_client_create_collection,
            ARGS("{\"collection_name\":\"%s\",\"dimension\":%d,\"metric_type\":\"L2\","
                 "\"consistency_level\":\"Strong\"}",
                 name, DIM),
            MILVUS_OK) != MILVUS_OK)
        goto out;
    CHECK_JSON_EQ(&b, "null");
    CHECK(b.len == 4);
    {
        /* Success sets *error_out to NULL. */
        milvus_error *err = SENTINEL_ERR;
        milvus_buffer_free(&b);
        CHECK_STATUS(milvus_client_has_collection(c, ARGS("{\"collection_name\":\"%s\"}", name),
                                                  &b, &err),
                     MILVUS_OK);
        CHECK(err == NULL);
        CHECK_JSON_EQ(&b, "true");
        free_err(err);
    }
    if (RUN(milvus_client_list_collections, NULL, MILVUS_OK) == MILVUS_OK) {
        snprintf(want, sizeof want, "\"%s\"", name);
        CHECK(json_of(&b)[0] == '[');
        CHECK_JSON_HAS(&b, want);
    }

    /* describe_collection: field names and types. */
    if (RUN(milvus_client_describe_collection, ARGS("{\"collection_name\":\"%s\"}", name),
            MILVUS_OK) == MILVUS_OK) {
        snprintf(want, sizeof want, "\"collection_name\":\"%s\"", name);
        CHECK_JSON_HAS(&b, want);
        CHECK_JSON_HAS(&b, "\"is_primary\":true,\"name\":\"id\",\"params\":{},\"type\":\"INT64\"");
        snprintf(want, sizeof want,
                 "\"name\":\"vector\",\"params\":{\"dim\":%d},\"type\":\"FLOAT_VECTOR\"", DIM);
        CHECK_JSON_HAS(&b, want);
        CHECK_JSON_HAS(&b, "\"enable_dynamic_field\":true");
        CHECK_JSON_HAS(&b, "\"consistency_level_name\":\"Strong\"");
        milvus_buffer d = {0};
        CHECK_STATUS(milvus_client_call(c, "describe_collection", args, &d, CHECK_ERR), MILVUS_OK);
        CHECK(d.data != NULL && strcmp(json_of(&d), json_of(&b)) == 0);
        milvus_buffer_free(&d);
    }

    /* insert: NROWS rows with a dynamic field `tag`. */
    sb_printf(&a, "{\"collection_name\":\"%s\",\"data\":[", name);
    for (int i = 0; i < NROWS; i++) {
        float v[DIM];
        row_vector(i, v);
        sb_printf(&a, "%s{\"id\":%d,\"vector\":", i ? "," : "", i);
        sb_vector(&a, v);
        sb_printf(&a, ",\"tag\":\"%s\"}", tag_of(i));
    }
    sb_printf(&a, "]}");
    if (RUN(milvus_client_insert, a.p, MILVUS_OK) == MILVUS_OK) {
        snprintf(want, sizeof want, "\"insert_count\":%d", NROWS);
        CHECK_JSON_HAS(&b, want);
        strbuf ids = {0};
        sb_printf(&ids, "\"ids\":[");
        for (int i = 0; i < NROWS; i++) sb_printf(&ids, "%s%d", i ? "," : "", i);
        sb_printf(&ids, "]");
        CHECK_JSON_HAS(&b, ids.p);
        sb_free(&ids);
        CHECK(b.len == strlen(json_of(&b)));
    }
    a.len = 0;

    /* Rows the schema refuses: nothing is sent. */
    {
        strbuf bad = {0};
        float v[DIM];
        row_vector(0, v);
        sb_printf(&bad, "{\"collection_name\":\"%s\",\"data\":[", name);
        for (int i = 0; i < 3; i++) {
            sb_printf(&bad, "{\"id\":%d,\"vector\":", 5000 + i);
            sb_vector(&bad, v);
            sb_printf(&bad, "},");
        }
        sb_printf(&bad, "{\"id\":5003,\"vector\":[1,2,3]}]}");
        milvus_buffer r = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(milvus_client_insert(c, bad.p, &r, CHECK_ERR), MILVUS_ERR_DIMENSION_MISMATCH);
        const char *msg = milvus_error_message(CHECK_LAST_ERROR());
        if (!CHECK(strstr(msg, "row 3") != NULL && strstr(msg, "vector") != NULL))
            printf("     message: %s\n", msg);
        CHECK(r.data == SENTINEL_DATA && r.len == SENTINEL_LEN);
        sb_free(&bad);

        sb_printf(&bad, "{\"collection_name\":\"%s\",\"data\":[{\"vector\":", name);
        sb_vector(&bad, v);
        sb_printf(&bad, ",\"tag\":\"no id\"}]}");
        CHECK_STATUS(milvus_client_insert(c, bad.p, &r, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
        msg = milvus_error_message(CHECK_LAST_ERROR());
        if (!CHECK(strstr(msg, "\"id\"") != NULL && strstr(msg, "row 0") != NULL))
            printf("     message: %s\n", msg);
        CHECK(r.data == SENTINEL_DATA && r.len == SENTINEL_LEN);
        sb_free(&bad);
    }

    if (RUN(milvus_client_flush, ARGS("{\"collection_name\":\"%s\"}", name), MILVUS_OK) ==
        MILVUS_OK)
        CHECK_JSON_EQ(&b, "null");

    /* search: each query vector is a stored row, which is its own nearest neighbour. */
    {
        float v17[DIM], v123[DIM];
        row_vector(17, v17);
        row_vector(123, v123);
        sb_printf(&a, "{\"collection_name\":\"%s\",\"data\":[", name);
        sb_vector(&a, v17);
        sb_printf(&a, ",");
        sb_vector(&a, v123);
        sb_printf(&a, "],\"limit\":3,\"output_fields\":[\"tag\"],\"consistency_level\":\"Strong\"}");
        if (RUN(milvus_client_search, a.p, MILVUS_OK) == MILVUS_OK) {
            const char *j = json_of(&b);
            const char *first = "[[{\"id\":17,\"distance\":0.0,\"entity\":{\"tag\":\"t2\"}}";
            CHECK(strncmp(j, first, strlen(first)) == 0);
            CHECK_JSON_HAS(&b, "],[{\"id\":123,\"distance\":0.0,\"entity\":{\"tag\":\"t3\"}}");
            CHECK(count_of(j, "{\"id\":") == 6);
            CHECK(count_of(j, "\"entity\":{\"tag\":\"t") == 6);
            CHECK(strcmp(j + strlen(j) - 2, "]]") == 0);
        }
        a.len = 0;
        /* The same search through milvus_client_call, one vector given flat. */
        sb_printf(&a, "{\"collection_name\":\"%s\",\"data\":", name);
        sb_vector(&a, v123);
        sb_printf(&a, ",\"limit\":1,\"consistency_level\":\"Strong\"}");
        milvus_buffer_free(&b);
        if (CHECK_STATUS(milvus_client_call(c, "search", a.p, &b, CHECK_ERR), MILVUS_OK) ==
            MILVUS_OK)
        {
            /* Milvus Lite 3.2.2 returns every field when none are asked for, as Milvus 2.5+. */
            if (is_lite == 2)
                CHECK_JSON_HAS(&b, "[[{\"id\":123,\"distance\":0.0,\"entity\":{\"vector\":[");
            else
                CHECK_JSON_EQ(&b, "[[{\"id\":123,\"distance\":0.0,\"entity\":{}}]]");
        }
        a.len = 0;
    }

    /* query: filters and count(*). */
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"filter\":\"id < 100\","
                 "\"output_fields\":[\"count(*)\"],\"consistency_level\":\"Strong\"}",
                 name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[{\"count(*)\":100}]");
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"filter\":\"tag == \\\"t1\\\"\","
                 "\"output_fields\":[\"count(*)\"]}",
                 name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[{\"count(*)\":60}]");
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"output_fields\":[\"count(*)\"]}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[{\"count(*)\":300}]");
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"filter\":\"id in [5, 6, 7]\","
                 "\"output_fields\":[\"id\",\"tag\"]}",
                 name),
            MILVUS_OK) == MILVUS_OK) {
        const char *j = json_of(&b);
        CHECK(count_of(j, "\"id\":") == 3 && count_of(j, "\"tag\":") == 3);
        CHECK_JSON_HAS(&b, "\"id\":5");
        CHECK_JSON_HAS(&b, "\"id\":6");
        CHECK_JSON_HAS(&b, "\"id\":7");
        CHECK_JSON_HAS(&b, "\"tag\":\"t0\"");
        CHECK_JSON_HAS(&b, "\"tag\":\"t1\"");
        CHECK_JSON_HAS(&b, "\"tag\":\"t2\"");
        CHECK(strstr(j, "vector") == NULL);
    }
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"filter\":\"id >= 0\",\"limit\":4,"
                 "\"output_fields\":[\"id\"]}",
                 name),
            MILVUS_OK) == MILVUS_OK)
        CHECK(count_of(json_of(&b), "{\"id\":") == 4);
    {
        milvus_buffer q = {0};
        snprintf(args, sizeof args,
                 "{\"collection_name\":\"%s\",\"filter\":\"id < 100\","
                 "\"output_fields\":[\"count(*)\"]}",
                 name);
        CHECK_STATUS(milvus_client_call(c, "query", args, &q, CHECK_ERR), MILVUS_OK);
        CHECK_JSON_EQ(&q, "[{\"count(*)\":100}]");
        milvus_buffer_free(&q);
    }

    /* get: the stored vector comes back bit for bit. */
    if (RUN(milvus_client_get, ARGS("{\"collection_name\":\"%s\",\"ids\":[42]}", name),
            MILVUS_OK) == MILVUS_OK) {
        float want_v[DIM], got_v[DIM];
        row_vector(42, want_v);
        CHECK_JSON_HAS(&b, "\"id\":42");
        CHECK_JSON_HAS(&b, "\"tag\":\"t2\"");
        CHECK(count_of(json_of(&b), "\"id\":") == 1);
        CHECK(parse_vector(json_of(&b), got_v, DIM) == DIM);
        if (!CHECK(memcmp(want_v, got_v, sizeof want_v) == 0)) printf("     JSON: %s\n", json_of(&b));
    }
    if (RUN(milvus_client_get,
            ARGS("{\"collection_name\":\"%s\",\"ids\":[299, 0, 123456],\"output_fields\":[\"id\"]}",
                 name),
            MILVUS_OK) == MILVUS_OK) {
        CHECK(count_of(json_of(&b), "{\"id\":") == 2);
        CHECK_JSON_HAS(&b, "{\"id\":299}");
        CHECK_JSON_HAS(&b, "{\"id\":0}");
    }
    if (RUN(milvus_client_get, ARGS("{\"collection_name\":\"%s\",\"ids\":123456}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[]");

    /* Floats at the edges of float32 survive the round trip (one row object, not a list). */
    {
        static const float edge[DIM] = {1e-7f, -0.0f, 3.40282347e38f, 1.17549435e-38f,
                                        1.40129846e-45f, -1.0f / 3.0f, 16777217.0f, 0.1f};
        sb_printf(&a, "{\"collection_name\":\"%s\",\"data\":{\"id\":1000,\"vector\":", name);
        sb_vector(&a, edge);
        sb_printf(&a, "}}");
        if (RUN(milvus_client_insert, a.p, MILVUS_OK) == MILVUS_OK)
            CHECK_JSON_EQ(&b, "{\"cost\":0,\"ids\":[1000],\"insert_count\":1}");
        a.len = 0;
        if (RUN(milvus_client_get, ARGS("{\"collection_name\":\"%s\",\"ids\":[1000]}", name),
                MILVUS_OK) == MILVUS_OK) {
            float got_v[DIM];
            CHECK(parse_vector(json_of(&b), got_v, DIM) == DIM);
            if (!CHECK(memcmp(edge, got_v, sizeof edge) == 0)) printf("     JSON: %s\n", json_of(&b));
            CHECK_JSON_HAS(&b, "-0.0");
        }
    }

    /* Many threads, one client. */
    test_threads(c, name);

    /* delete by ids, then by filter. */
    if (RUN(milvus_client_delete, ARGS("{\"collection_name\":\"%s\",\"ids\":[0,1,2]}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "{\"cost\":0,\"delete_count\":3}");
    if (RUN(milvus_client_delete, ARGS("{\"collection_name\":\"%s\",\"ids\":1000}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "{\"cost\":0,\"delete_count\":1}");
    if (RUN(milvus_client_delete,
            ARGS("{\"collection_name\":\"%s\",\"filter\":\"id >= 290\"}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "{\"cost\":0,\"delete_count\":10}");
    RUN(milvus_client_delete, ARGS("{\"collection_name\":\"%s\"}", name), MILVUS_ERR_MISSING_FIELD);
    RUN(milvus_client_delete,
        ARGS("{\"collection_name\":\"%s\",\"ids\":[3],\"filter\":\"id > 0\"}", name),
        MILVUS_ERR_INVALID_ARGUMENT);
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"output_fields\":[\"count(*)\"]}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[{\"count(*)\":287}]");
    if (RUN(milvus_client_get, ARGS("{\"collection_name\":\"%s\",\"ids\":[1,2,3]}", name),
            MILVUS_OK) == MILVUS_OK) {
        CHECK(count_of(json_of(&b), "\"id\":") == 1);
        CHECK_JSON_HAS(&b, "\"id\":3");
    }

    /* release, then load. */
    if (RUN(milvus_client_release_collection, ARGS("{\"collection_name\":\"%s\"}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "null");
    /* Milvus Lite keeps serving a released collection. */
    RUN(milvus_client_query,
        ARGS("{\"collection_name\":\"%s\",\"output_fields\":[\"count(*)\"]}", name),
        is_lite ? MILVUS_OK : MILVUS_ERR_COLLECTION_NOT_LOADED);
    if (RUN(milvus_client_load_collection, ARGS("{\"collection_name\":\"%s\"}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "null");
    if (RUN(milvus_client_query,
            ARGS("{\"collection_name\":\"%s\",\"output_fields\":[\"count(*)\"]}", name),
            MILVUS_OK) == MILVUS_OK)
        CHECK_JSON_EQ(&b, "[{\"count(*)\":287}]");
    {
        float v[DIM];
        row_vector(200, v);
        sb_printf(&a, "{\"collection_name\":\"%s\",\"data\":[", name);
        sb_vector(&a, v);
        sb_printf(&a, "],\"limit\":1,\"output_fields\":[\"id\"]}");
        if (RUN(milvus_client_search, a.p, MILVUS_OK) == MILVUS_OK)
            CHECK_JSON_EQ(&b, "[[{\"id\":200,\"distance\":0.0,\"entity\":{\"id\":200}}]]");
        a.len = 0;
    }

out:
    /* drop_collection, then it is gone. */
    if (RUN(milvus_client_drop_collection, ARGS("{\"collection_name\":\"%s\"}", name), MILVUS_OK) ==
        MILVUS_OK)
        CHECK_JSON_EQ(&b, "null");
    if (RUN(milvus_client_has_collection, ARGS("{\"collection_name\":\"%s\"}", name), MILVUS_OK) ==
        MILVUS_OK)
        CHECK_JSON_EQ(&b, "false");
    RUN(milvus_client_describe_collection, ARGS("{\"collection_name\":\"%s\"}", name),
        MILVUS_ERR_COLLECTION_NOT_FOUND);
    {
        milvus_buffer h = {0};
        CHECK_STATUS(milvus_client_call(c, "has_collection", args, &h, CHECK_ERR), MILVUS_OK);
        CHECK_JSON_EQ(&h, "false");
        milvus_buffer_free(&h);
    }
#undef ARGS

    milvus_buffer_free(&b);
    milvus_buffer_free(&b); /* twice is harmless */
    CHECK(b.data == NULL && b.len == 0);
    sb_free(&a);
    milvus_client_free(c);
}

int main(void) {
    const char *standalone = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    const char *lite = check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531");
    const char *lite3 = check_env("MILVUS_LITE3_URI", "http://127.0.0.1:19532");

    test_static_functions();
    test_client_new(standalone);
    test_server("standalone", standalone, 0);
    test_server("lite", lite, 1);
    test_server("lite3", lite3, 2);
    return CHECK_SUMMARY();
}
