/*
 * test_close.c: milvus_client_close and sessions. After close every call of the client (and
 * of its sessions and iterators) fails with MILVUS_ERR_CLOSED, a call racing with close either
 * finishes or fails CLOSED, and milvus_client_free after close releases everything (run under
 * ASan/LSan by `make c-tests-sanitized`). Needs Milvus at MILVUS_URI.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "milvus.h"

static milvus_status call(const milvus_client *c, const char *method, const char *args) {
    milvus_buffer b = {0};
    milvus_status s = milvus_client_call(c, method, args, &b, CHECK_ERR);
    milvus_buffer_free(&b);
    return s;
}

/* The error of a call after close: its status, and a message that says so. */
static void check_closed(const milvus_client *c, const char *method, const char *args,
                         const char *says) {
    CHECK_STATUS(call(c, method, args), MILVUS_ERR_CLOSED);
    const milvus_error *e = CHECK_LAST_ERROR();
    if (CHECK(e != NULL)) {
        CHECK(milvus_error_status(e) == MILVUS_ERR_CLOSED);
        CHECK(!milvus_error_retriable(e));
        if (!CHECK(strstr(milvus_error_message(e), says) != NULL))
            printf("     %s: %s\n", method, milvus_error_message(e));
    }
}

static void test_close_then_calls_fail(const char *uri, const char *coll) {
    milvus_client *c = NULL, *s = NULL, *s2 = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    char args[256];
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"batch_size\":1}", coll);
    milvus_iterator *it = NULL;
    CHECK_STATUS(milvus_client_query_iterator(c, args, &it, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"a\"}", &s, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"b\"}", &s2, CHECK_ERR), MILVUS_OK);

    /* Closing a session leaves the client open. */
    milvus_buffer b = {0};
    CHECK_STATUS(milvus_client_close(s2, NULL, &b, CHECK_ERR), MILVUS_OK);
    CHECK_JSON_EQ(&b, "null");
    milvus_buffer_free(&b);
    check_closed(s2, "list_collections", NULL, "the session is closed");
    CHECK_STATUS(call(c, "list_collections", NULL), MILVUS_OK);
    CHECK_STATUS(call(s, "list_collections", NULL), MILVUS_OK);

    /* close: "{}", NULL and "" are no arguments; anything else is refused and closes nothing. */
    CHECK_STATUS(milvus_client_close(c, "{\"timeout\":1}", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(call(c, "list_collections", NULL), MILVUS_OK);
    CHECK_STATUS(milvus_client_close(c, "{}", &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);

    check_closed(c, "list_collections", NULL, "the client is closed");
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll);
    check_closed(c, "describe_collection", args, "the client is closed");
    check_closed(c, "get_server_type", NULL, "the client is closed");
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"data\":[[1,2,3,4]]}", coll);
    check_closed(c, "search", args, "the client is closed");
    check_closed(s, "list_collections", NULL, "the client this session came from is closed");
    /* The exported function itself, not only milvus_client_call. */
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll);
    CHECK_STATUS(milvus_client_has_collection(c, args, &b, CHECK_ERR), MILVUS_ERR_CLOSED);
    CHECK(b.data == NULL);

    /* New sessions, iterators and typed calls: refused too. */
    milvus_client *s3 = NULL;
    CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"c\"}", &s3, CHECK_ERR),
                 MILVUS_ERR_CLOSED);
    CHECK(s3 == NULL);
    milvus_iterator *it2 = NULL;
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll);
    CHECK_STATUS(milvus_client_query_iterator(c, args, &it2, CHECK_ERR), MILVUS_ERR_CLOSED);
    CHECK(it2 == NULL);
    CHECK_STATUS(milvus_client_dump_messages(
                     c, "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Pulsar\"}}",
                     &it2, CHECK_ERR),
                 MILVUS_ERR_CLOSED);
    milvus_result *r = NULL;
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"filter\":\"id > 0\"}", coll);
    CHECK_STATUS(milvus_client_query_typed(c, args, &r, CHECK_ERR), MILVUS_ERR_CLOSED);
    CHECK(r == NULL);
    if (it != NULL) {
        CHECK_STATUS(milvus_iterator_next(it, &b, CHECK_ERR), MILVUS_ERR_CLOSED);
        CHECK(b.data == NULL);
    }

    /* Closing again is fine; free releases it all (the sanitizers check nothing leaks). */
    CHECK_STATUS(milvus_client_close(c, NULL, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
    milvus_iterator_free(it);
    milvus_client_free(c);
    milvus_client_free(s); /* after its client: it keeps the connection alive itself */
    milvus_client_free(s2);
}

struct racer {
    const milvus_client *c;
    atomic_int *closed_seen;
    int bad;
};

static void *race(void *p) {
    struct racer *r = p;
    int closed = 0;
    for (int i = 0; i < 300; i++) {
        milvus_status s = call(r->c, "list_collections", NULL);
        if (s == MILVUS_ERR_CLOSED) closed++;
        /* Once closed, no call succeeds again; nothing else fails. */
        else if (s != MILVUS_OK || closed) r->bad++;
    }
    atomic_fetch_add(r->closed_seen, closed);
    CHECK_THREAD_END();
    return NULL;
}

static void test_close_races_with_calls(const char *uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    enum { N = 4 };
    pthread_t tids[N];
    struct racer racers[N];
    atomic_int closed_seen = 0;
    int started = 0;
    for (int i = 0; i < N; i++) {
        racers[i] = (struct racer){c, &closed_seen, 0};
        if (CHECK(pthread_create(&tids[i], NULL, race, &racers[i]) == 0)) started++;
    }
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    milvus_buffer b = {0};
    CHECK_STATUS(milvus_client_close(c, NULL, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
    CHECK_STATUS(call(c, "list_collections", NULL), MILVUS_ERR_CLOSED);
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
        CHECK(racers[i].bad == 0);
    }
    CHECK(atomic_load(&closed_seen) > 0);
    /* free only after every call has returned, as the header requires. */
    milvus_client_free(c);
}

static void test_session_garbage(const char *uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    milvus_client *sentinel = (milvus_client *)(void *)&c, *s = sentinel;
    CHECK_STATUS(milvus_client_session(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_session(NULL, "{\"cluster_id\":\"a\"}", &s, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"a\"}", NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_session(c, NULL, &s, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_session(c, "{", &s, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"\xff\"}", &s, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    const char *bad[] = {"{}", "{\"cluster_id\":5}", "{\"cluster_id\":null}", "[\"a\"]",
                         "{\"cluster_id\":\"a\",\"x\":1}", "{\"cluster_id\":\"a\",\"timeout\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_STATUS(milvus_client_session(c, bad[i], &s, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(s == sentinel);
    /* An empty cluster id is a string, as pymilvus accepts it. */
    if (CHECK_STATUS(milvus_client_session(c, "{\"cluster_id\":\"\"}", &s, CHECK_ERR), MILVUS_OK) ==
        MILVUS_OK)
        milvus_client_free(s);
    milvus_client_free(c);
}

int main(void) {
    const char *uri = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    char coll[64], args[256];
    snprintf(coll, sizeof coll, "close_%ld", (long)getpid());

    milvus_client *admin = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60, &admin, CHECK_ERR),
                     MILVUS_OK) != MILVUS_OK)
        return CHECK_SUMMARY();
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"dimension\":4}", coll);
    CHECK_STATUS(call(admin, "create_collection", args), MILVUS_OK);
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"data\":[{\"id\":1,\"vector\":[1,2,3,4]}]}", coll);
    CHECK_STATUS(call(admin, "insert", args), MILVUS_OK);

    test_close_then_calls_fail(uri, coll);
    test_close_races_with_calls(uri);
    test_session_garbage(uri);

    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll);
    CHECK_STATUS(call(admin, "drop_collection", args), MILVUS_OK);
    milvus_client_free(admin);
    return CHECK_SUMMARY();
}
