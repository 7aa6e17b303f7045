/*
 * async_epoll.c: non-blocking calls driven by an epoll loop.
 *
 *     async_epoll [uri]          (default: http://127.0.0.1:19530)
 *
 * Starts an insert without waiting for it, then, once it has completed, a batch of searches
 * at once; one thread waits on a completion queue's file descriptor with epoll (as any event
 * loop would, next to its sockets and timers) and prints each result as it arrives. Calls
 * complete in whatever order the server answers them. See docs/guide.md, "Non-blocking
 * calls".
 *
 * Build (from the repository root, after `cargo build --release`):
 *
 *     cc -std=c11 -Iinclude examples/c/async_epoll.c -o async_epoll \
 *        -Ltarget/release -lmilvus -Wl,-rpath,$PWD/target/release
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "milvus.h"

#define DIM 4
#define NROWS 50
#define NSEARCHES 8

/* What each started call is, passed as its user_data and handed back on completion. */
struct call {
    const char *method;
    int row; /* searches: the row whose vector is the query */
};

static char collection[64];

/* Row i's vector as JSON: distinct directions, so each row is its own nearest neighbour. */
static void vector_json(char *out, size_t cap, int i) {
    snprintf(out, cap, "[%d, %d, %d, 1]", i % 7, i / 7, (i * 3) % 5);
}

/* Starts a JSON method whose completion goes to the queue. Returns 1 if it started. */
static int start(milvus_client *client, milvus_completion_queue *queue, struct call *call,
                 const char *args) {
    milvus_error *error = NULL;
    milvus_status st = milvus_client_start(client, call->method, args, queue, NULL, call, &error);
    if (st != MILVUS_OK)
        fprintf(stderr, "async_epoll: starting %s: %s: %s\n", call->method, milvus_status_str(st),
                milvus_error_message(error));
    milvus_error_free(error);
    return st == MILVUS_OK;
}

/* Starts the batch of searches; returns how many started. */
static int start_searches(milvus_client *client, milvus_completion_queue *queue,
                          struct call *searches) {
    int k;
    for (k = 0; k < NSEARCHES; k++) {
        char vec[64], args[256];
        searches[k] = (struct call){"search", k * 6};
        vector_json(vec, sizeof vec, searches[k].row);
        snprintf(args, sizeof args,
                 "{\"collection_name\": \"%s\", \"data\": [%s], \"limit\": 2,"
                 " \"consistency_level\": \"Strong\"}", collection, vec);
        if (!start(client, queue, &searches[k], args)) break;
    }
    return k;
}

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    milvus_client *client = NULL;
    milvus_completion_queue *queue = NULL;
    milvus_error *error = NULL;
    milvus_buffer out = {NULL, 0};
    int ep = -1, exit_code = 1;
    char args[NROWS * 64 + 128];
    snprintf(collection, sizeof collection, "async_epoll_demo_%d", (int)getpid());

    milvus_status st = milvus_client_new(uri, NULL, NULL, NULL, 30.0, &client, &error);
    if (st == MILVUS_OK) st = milvus_completion_queue_new(&queue, &error);
    if (st != MILVUS_OK) {
        fprintf(stderr, "async_epoll: %s: %s\n", milvus_status_str(st), milvus_error_message(error));
        goto done;
    }
    snprintf(args, sizeof args, "{\"collection_name\": \"%s\", \"dimension\": %d}", collection, DIM);
    if ((st = milvus_client_create_collection(client, args, &out, &error)) != MILVUS_OK) {
        fprintf(stderr, "async_epoll: create_collection: %s\n", milvus_error_message(error));
        goto done;
    }
    milvus_buffer_free(&out);

    /* The queue's descriptor is readable while completions wait in it (level-triggered). */
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event want = {.events = EPOLLIN};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, milvus_completion_queue_fd(queue), &want) != 0) {
        perror("async_epoll: epoll");
        goto done;
    }

    /* The insert first; the searches start when it has completed (the loop below). */
    size_t len = (size_t)snprintf(args, sizeof args, "{\"collection_name\": \"%s\", \"data\": [", collection);
    for (int i = 0; i < NROWS; i++) {
        char vec[64];
        vector_json(vec, sizeof vec, i);
        len += (size_t)snprintf(args + len, sizeof args - len, "%s{\"id\": %d, \"vector\": %s}",
                                i ? ", " : "", i, vec);
    }
    snprintf(args + len, sizeof args - len, "]}");
    struct call insert = {"insert", -1}, searches[NSEARCHES];
    if (!start(client, queue, &insert, args)) goto done;
    printf("Started an insert of %d rows\n", NROWS);

    int in_flight = 1, failures = 0;
    while (in_flight > 0) {
        struct epoll_event ev;
        int n = epoll_wait(ep, &ev, 1, 30000);
        if (n == 0) {
            fprintf(stderr, "async_epoll: nothing completed in 30 s\n");
            goto done;
        }
        if (n < 0) continue; /* EINTR */
        milvus_completion *c;
        while ((c = milvus_completion_queue_pop(queue)) != NULL) {
            in_flight--;
            struct call *call = milvus_completion_user_data(c);
            st = milvus_completion_take(c, &out, NULL, &error);
            milvus_completion_free(c);
            if (st != MILVUS_OK) {
                fprintf(stderr, "async_epoll: %s failed: %s: %s\n", call->method,
                        milvus_status_str(st), milvus_error_message(error));
                milvus_error_free(error);
                error = NULL;
                failures++;
                continue;
            }
            if (call == &insert) {
                printf("insert completed: %.40s...\n", (const char *)out.data);
                int started = start_searches(client, queue, searches);
                in_flight += started;
                failures += started < NSEARCHES;
                printf("Started %d searches\n", started);
            } else {
                /* The nearest hit is the query's own row (cosine similarity 1). */
                char own[32];
                snprintf(own, sizeof own, "[[{\"id\":%d,", call->row);
                int found = strncmp((const char *)out.data, own, strlen(own)) == 0;
                failures += !found;
                printf("search for row %2d completed%s: %s\n", call->row,
                       found ? "" : " WITHOUT ITS OWN ROW FIRST", (const char *)out.data);
            }
            milvus_buffer_free(&out);
        }
    }
    exit_code = failures > 0;

done:
    if (ep >= 0) close(ep);
    milvus_error_free(error);
    if (client != NULL) {
        snprintf(args, sizeof args, "{\"collection_name\": \"%s\"}", collection);
        if (milvus_client_drop_collection(client, args, &out, NULL) == MILVUS_OK) milvus_buffer_free(&out);
    }
    /* Freeing the client would cancel any call still in flight and wait for its completion;
     * the queue, freed last, drops completions that were never popped. */
    milvus_client_free(client);
    milvus_completion_queue_free(queue);
    return exit_code;
}
