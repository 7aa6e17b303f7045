/* Cancellation and deadlines through the C ABI: milvus_client_cancel() from another pthread
 * ends a blocked call with MILVUS_ERR_CANCELLED within 50 ms; "call_id" is accepted by every
 * JSON method (also by strict ones, and by milvus_client_call); "timeout" ends a call to a
 * server that never answers. The never-answering server is scripts/scripted_milvus.py (a real
 * Milvus cannot stall on demand); "call_id" on a real method is checked against MILVUS_URI. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct {
    milvus_client *client;
    const char *method; /* NULL: milvus_client_list_collections */
    const char *args;
    milvus_status status;
    double ended;
} blocked_call;

static void *run_call(void *p) {
    blocked_call *b = p;
    milvus_buffer out = {0};
    milvus_error *err = NULL;
    b->status = b->method == NULL
                    ? milvus_client_list_collections(b->client, b->args, &out, &err)
                    : milvus_client_call(b->client, b->method, b->args, &out, &err);
    b->ended = now_s();
    if (b->status == MILVUS_ERR_CANCELLED) {
        CHECK(strstr(milvus_error_message(err), "cancelled") != NULL);
    }
    milvus_error_free(err);
    milvus_buffer_free(&out);
    return NULL;
}

/* Starts the scripted server in MODE; returns its port, or 0. */
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

static void cancel_from_another_thread(milvus_client *c) {
    blocked_call a = {c, NULL, "{\"call_id\": \"job-1\"}", -1, 0};
    blocked_call b = {c, "list_collections", "{\"call_id\": \"job-1\", \"timeout\": 60}", -1, 0};
    blocked_call other = {c, NULL, "{\"call_id\": \"job-2\", \"timeout\": 1.5}", -1, 0};
    pthread_t ta, tb, to;
    pthread_create(&ta, NULL, run_call, &a);
    pthread_create(&tb, NULL, run_call, &b);
    pthread_create(&to, NULL, run_call, &other);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL); /* all three are blocked on the stalled server */
    double start = now_s();
    CHECK_STATUS(milvus_client_cancel(c, "job-1", CHECK_ERR), MILVUS_OK);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.status == MILVUS_ERR_CANCELLED);
    CHECK(b.status == MILVUS_ERR_CANCELLED);
    printf("cancel: returned after %.1f ms and %.1f ms\n", (a.ended - start) * 1e3,
           (b.ended - start) * 1e3);
    CHECK(a.ended - start < 0.050);
    CHECK(b.ended - start < 0.050);
    /* The call with another id is untouched: it ends by its own deadline. */
    pthread_join(to, NULL);
    CHECK(other.status == MILVUS_ERR_TIMEOUT);
    CHECK(other.ended - start >= 1.5 - 0.3 - 0.05);
}

static void deadlines_and_arguments(milvus_client *c) {
    milvus_buffer out = {0};
    double t = now_s();
    CHECK_STATUS(milvus_client_list_collections(c, "{\"timeout\": 0.3}", &out, CHECK_ERR),
                 MILVUS_ERR_TIMEOUT);
    double took = now_s() - t;
    CHECK(took >= 0.3 && took < 0.8);
    /* Nothing in flight with that id: OK, and no effect on a later call. */
    CHECK_STATUS(milvus_client_cancel(c, "nobody", CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_cancel(c, "", CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_cancel(c, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_cancel(NULL, "x", CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_cancel(NULL, "x", NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_list_collections(c, "{\"call_id\": 7}", &out, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(CHECK_LAST_ERROR() != NULL &&
          strstr(milvus_error_message(CHECK_LAST_ERROR()), "call_id") != NULL);
}

static void call_id_on_a_real_server(void) {
    const char *uri = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 30, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    milvus_buffer out = {0};
    /* has_collection's arguments are strict (an unknown key is refused), call_id is not one. */
    CHECK_STATUS(milvus_client_has_collection(
                     c, "{\"collection_name\": \"no_such_c_cancel\", \"call_id\": \"q\"}", &out,
                     CHECK_ERR),
                 MILVUS_OK);
    CHECK_JSON_EQ(&out, "false");
    milvus_buffer_free(&out);
    CHECK_STATUS(milvus_client_call(c, "has_collection",
                                    "{\"call_id\": \"q\", \"collection_name\": \"no_such_c_cancel\"}",
                                    &out, CHECK_ERR),
                 MILVUS_OK);
    CHECK_JSON_EQ(&out, "false");
    milvus_buffer_free(&out);
    CHECK_STATUS(milvus_client_has_collection(
                     c, "{\"collection_name\": \"x\", \"call_id\": \"q\", \"colour\": 1}", &out,
                     CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    milvus_client_free(c);
}

int main(void) {
    FILE *server = NULL;
    int port = start_scripted("stall", &server);
    if (CHECK(port > 0)) {
        char uri[64];
        snprintf(uri, sizeof uri, "http://127.0.0.1:%d", port);
        milvus_client *c = NULL;
        /* timeout 0: no default deadline, so only a cancel ends the blocked calls */
        if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 0, &c, CHECK_ERR), MILVUS_OK) ==
            MILVUS_OK) {
            cancel_from_another_thread(c);
            deadlines_and_arguments(c);
            milvus_client_free(c);
        }
    }
    call_id_on_a_real_server();
    int rc = CHECK_SUMMARY();
    /* The server exits with us (it watches its parent); pclose would wait for it. */
    (void)server;
    return rc;
}
