/* The log callback through the C ABI, against MILVUS_URI: records arrive with their level,
 * target, method and call_id; the filter chooses them; removal stops them, and once
 * milvus_log_set_callback() has returned the old callback is never running or called again,
 * even while other threads are making calls; the callback cannot change the callback; the
 * slow-call threshold; and no credential in any record while connections with each form of
 * credential fail (a closed port: no server needed for that part). */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define MAX_RECORDS 4096

typedef struct {
    milvus_log_level level;
    char target[128];
    char message[512];
    char method[64];  /* "" when NULL */
    char call_id[64]; /* "" when NULL */
    int has_method, has_call_id;
} record;

static record records[MAX_RECORDS];
static int n_records;
static int bad_user_data;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int tag; /* its address is the user_data */

static void copy(char *dst, size_t cap, const char *src) {
    snprintf(dst, cap, "%s", src != NULL ? src : "");
}

static void collect(void *user_data, milvus_log_level level, const char *target,
                    const char *message, const char *method, const char *call_id) {
    pthread_mutex_lock(&lock);
    if (user_data != &tag) bad_user_data++;
    if (n_records < MAX_RECORDS) {
        record *r = &records[n_records++];
        r->level = level;
        copy(r->target, sizeof r->target, target);
        copy(r->message, sizeof r->message, message);
        copy(r->method, sizeof r->method, method);
        copy(r->call_id, sizeof r->call_id, call_id);
        r->has_method = method != NULL;
        r->has_call_id = call_id != NULL;
    }
    pthread_mutex_unlock(&lock);
}

static void clear(void) {
    pthread_mutex_lock(&lock);
    n_records = 0;
    pthread_mutex_unlock(&lock);
}

/* The first record whose message contains `text` (and, when given, of `method`), or NULL. */
static const record *find(const char *text, const char *method) {
    for (int i = 0; i < n_records; i++) {
        if (strstr(records[i].message, text) != NULL &&
            (method == NULL || strcmp(records[i].method, method) == 0))
            return &records[i];
    }
    return NULL;
}

static void dump(void) {
    for (int i = 0; i < n_records; i++) {
        printf("     [%d] %s %s [%s %s] %s\n", records[i].level, records[i].target,
               records[i].has_method ? "" : "-", records[i].method, records[i].call_id,
               records[i].message);
    }
}

static milvus_status call(milvus_client *c, const char *method, const char *args) {
    milvus_buffer out = {0};
    milvus_error *err = NULL;
    milvus_status s = milvus_client_call(c, method, args, &out, &err);
    milvus_buffer_free(&out);
    milvus_error_free(err);
    return s;
}

static void records_arrive(const char *uri) {
    CHECK_STATUS(milvus_log_set_callback("debug", collect, &tag, CHECK_ERR), MILVUS_OK);
    clear();
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    CHECK_STATUS(call(c, "list_collections", "{\"call_id\": \"log-1\"}"), MILVUS_OK);
    CHECK_STATUS(call(c, "has_collection", "{\"collection_name\": \"log_no_such\"}"), MILVUS_OK);
    pthread_mutex_lock(&lock);
    const record *connected = find("; server version", NULL);
    if (CHECK(connected != NULL)) {
        CHECK(connected->level == MILVUS_LOG_INFO);
        CHECK(strncmp(connected->target, "milvus::", 8) == 0);
        CHECK(!connected->has_method && !connected->has_call_id);
        CHECK(strstr(connected->message, "server version") != NULL);
    }
    const record *done = find("list_collections: done in", "list_collections");
    if (CHECK(done != NULL)) {
        CHECK(done->level == MILVUS_LOG_DEBUG);
        CHECK(strcmp(done->call_id, "log-1") == 0);
        CHECK(strstr(done->message, "response") != NULL);
    }
    /* Inside a call without a call_id: the method, and call_id NULL. */
    const record *rpc = find("server error", "has_collection");
    if (CHECK(rpc != NULL)) CHECK(rpc->has_method && !rpc->has_call_id);
    CHECK(bad_user_data == 0);
    if (check_failures() > 0) dump();
    pthread_mutex_unlock(&lock);

    /* warn: the debug records are filtered out, a server error comes through. */
    CHECK_STATUS(milvus_log_set_callback("warn", collect, &tag, CHECK_ERR), MILVUS_OK);
    clear();
    CHECK_STATUS(call(c, "list_collections", "{}"), MILVUS_OK);
    pthread_mutex_lock(&lock);
    CHECK(n_records == 0);
    pthread_mutex_unlock(&lock);
    CHECK_STATUS(call(c, "describe_collection",
                      "{\"collection_name\": \"log_no_such\", \"call_id\": \"d-1\"}"),
                 MILVUS_ERR_COLLECTION_NOT_FOUND);
    pthread_mutex_lock(&lock);
    const record *server = find("server error", "describe_collection");
    if (CHECK(server != NULL)) {
        CHECK(server->level == MILVUS_LOG_WARN);
        CHECK(strcmp(server->call_id, "d-1") == 0);
    }
    for (int i = 0; i < n_records; i++) CHECK(records[i].level <= MILVUS_LOG_WARN);
    pthread_mutex_unlock(&lock);

    /* Per-target: only milvus::client::retry, at any level. */
    CHECK_STATUS(milvus_log_set_callback("off,milvus::client::retry=trace", collect, &tag,
                                         CHECK_ERR),
                 MILVUS_OK);
    clear();
    CHECK_STATUS(call(c, "describe_collection", "{\"collection_name\": \"log_no_such\"}"),
                 MILVUS_ERR_COLLECTION_NOT_FOUND);
    pthread_mutex_lock(&lock);
    CHECK(n_records > 0);
    for (int i = 0; i < n_records; i++) CHECK(strcmp(records[i].target, "milvus::client::retry") == 0);
    pthread_mutex_unlock(&lock);

    /* Slow calls: a threshold of 0 makes every call slow. */
    CHECK_STATUS(milvus_log_set_callback("warn", collect, &tag, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_slow_call_threshold(0, CHECK_ERR), MILVUS_OK);
    clear();
    CHECK_STATUS(call(c, "list_collections", "{}"), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_slow_call_threshold(1, CHECK_ERR), MILVUS_OK);
    pthread_mutex_lock(&lock);
    const record *slow = find("list_collections: slow call", "list_collections");
    if (CHECK(slow != NULL)) CHECK(slow->level == MILVUS_LOG_WARN);
    pthread_mutex_unlock(&lock);
    clear();
    CHECK_STATUS(call(c, "list_collections", "{}"), MILVUS_OK);
    pthread_mutex_lock(&lock);
    CHECK(n_records == 0);
    pthread_mutex_unlock(&lock);

    /* Removed: nothing more. */
    CHECK_STATUS(milvus_log_set_callback(NULL, NULL, NULL, CHECK_ERR), MILVUS_OK);
    clear();
    CHECK_STATUS(call(c, "describe_collection", "{\"collection_name\": \"log_no_such\"}"),
                 MILVUS_ERR_COLLECTION_NOT_FOUND);
    milvus_client_free(c);
    pthread_mutex_lock(&lock);
    CHECK(n_records == 0);
    pthread_mutex_unlock(&lock);
}

/* Removal while other threads log: after milvus_log_set_callback(NULL) returns, the callback
 * never runs again (it sleeps inside, so a removal usually meets a running callback). */
static atomic_int removed, running, late, delivered, stop;

static void slow_counter(void *user_data, milvus_log_level level, const char *target,
                         const char *message, const char *method, const char *call_id) {
    (void)user_data, (void)level, (void)target, (void)message, (void)method, (void)call_id;
    atomic_fetch_add(&running, 1);
    if (atomic_load(&removed)) atomic_fetch_add(&late, 1);
    atomic_fetch_add(&delivered, 1);
    struct timespec t = {0, 200000};
    nanosleep(&t, NULL);
    if (atomic_load(&removed)) atomic_fetch_add(&late, 1);
    atomic_fetch_sub(&running, 1);
}

static void *busy(void *p) {
    milvus_client *c = p;
    while (!atomic_load(&stop)) call(c, "list_collections", "{\"call_id\": \"busy\"}");
    CHECK_THREAD_END();
    return NULL;
}

static void removal_waits(const char *uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    pthread_t t[4];
    atomic_store(&stop, 0);
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, busy, c);
    for (int round = 0; round < 10; round++) {
        atomic_store(&removed, 0);
        atomic_store(&delivered, 0);
        CHECK_STATUS(milvus_log_set_callback("trace", slow_counter, NULL, CHECK_ERR), MILVUS_OK);
        struct timespec t50 = {0, 50000000};
        nanosleep(&t50, NULL);
        CHECK_STATUS(milvus_log_set_callback(NULL, NULL, NULL, CHECK_ERR), MILVUS_OK);
        atomic_store(&removed, 1);
        CHECK(atomic_load(&running) == 0);
        nanosleep(&t50, NULL);
        CHECK(atomic_load(&delivered) > 0);
    }
    CHECK(atomic_load(&late) == 0);
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    milvus_client_free(c);
}

/* From inside the callback, changing the callback is refused instead of waiting forever. */
static atomic_int reentry_status = -1;

static void reenter(void *user_data, milvus_log_level level, const char *target,
                    const char *message, const char *method, const char *call_id) {
    (void)user_data, (void)level, (void)target, (void)message, (void)method, (void)call_id;
    milvus_error *err = NULL;
    atomic_store(&reentry_status, milvus_log_set_callback(NULL, NULL, NULL, &err));
    milvus_error_free(err);
}

static void reentry_refused(const char *uri) {
    CHECK_STATUS(milvus_log_set_callback("info", reenter, NULL, CHECK_ERR), MILVUS_OK);
    milvus_client *c = NULL;
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_callback(NULL, NULL, NULL, CHECK_ERR), MILVUS_OK);
    CHECK(atomic_load(&reentry_status) == MILVUS_ERR_INVALID_ARGUMENT);
    milvus_client_free(c);
}

/* Each credential form, against a port where nothing listens: every record at trace level,
 * and none holds a secret or its base64. */
static void no_secrets_when_connecting_fails(void) {
    CHECK_STATUS(milvus_log_set_callback("trace", collect, &tag, CHECK_ERR), MILVUS_OK);
    clear();
    const char *closed = "http://127.0.0.1:1";
    milvus_client *c = NULL;
    CHECK_STATUS(milvus_client_new(closed, "alice", "Pw-s3cret-C1", NULL, 2, &c, CHECK_ERR),
                 MILVUS_ERR_CONNECT);
    CHECK_STATUS(milvus_client_new(closed, NULL, NULL, "tok-s3cret-C2", 2, &c, CHECK_ERR),
                 MILVUS_ERR_CONNECT);
    CHECK_STATUS(milvus_client_new("http://bob:Uri-s3cret-C3@127.0.0.1:1", NULL, NULL, NULL, 2,
                                   &c, CHECK_ERR),
                 MILVUS_ERR_CONNECT);
    CHECK_STATUS(milvus_log_set_callback(NULL, NULL, NULL, CHECK_ERR), MILVUS_OK);
    /* The secrets, and base64 of the tokens built from them (as sent in `authorization`). */
    const char *secrets[] = {"s3cret", "alice:Pw", "YWxpY2U6UHctczNjcmV0LUMx",
                             "dG9rLXMzY3JldC1DMg", "Ym9iOlVyaS1zM2NyZXQtQzM"};
    pthread_mutex_lock(&lock);
    CHECK(find("connecting to 127.0.0.1:1", NULL) != NULL);
    CHECK(n_records >= 3);
    for (int i = 0; i < n_records; i++) {
        for (size_t k = 0; k < sizeof secrets / sizeof *secrets; k++) {
            if (!CHECK(strstr(records[i].message, secrets[k]) == NULL))
                printf("     secret %s in: %s\n", secrets[k], records[i].message);
        }
    }
    pthread_mutex_unlock(&lock);
}

int main(void) {
    const char *uri = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    records_arrive(uri);
    removal_waits(uri);
    reentry_refused(uri);
    no_secrets_when_connecting_fails();
    return CHECK_SUMMARY();
}
