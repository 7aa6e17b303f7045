/*
 * iterators.c: reading more rows than one call should return, page by page.
 *
 *     iterators [uri]          (default: http://127.0.0.1:19530)
 *
 * Inserts 2,500 rows, then
 *   1. reads every row with a query iterator, 1,000 rows a page (pages follow the primary
 *      key; each row comes exactly once);
 *   2. reads the 120 nearest rows to a vector with a search iterator, at most 50 hits a
 *      page (hits come in distance order across pages).
 * Checks both and exits with 1 if a row is missing, repeated or out of order.
 *
 * Build: cc -std=c11 -Iinclude examples/c/iterators.c -Ltarget/release -lmilvus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

#define COLLECTION "iterators_demo"
#define DIM 4
#define NROWS 2500

static int fail(const char *what, milvus_status status, milvus_error *error) {
    fprintf(stderr, "iterators: %s: %s: %s\n", what, milvus_status_str(status), milvus_error_message(error));
    milvus_error_free(error);
    return 1;
}

/* Reads every page of `it`, calling `row` for each `"key":` number found in a page (a
 * row's id or a hit's distance). Returns the number of pages, or -1 on error. */
static int read_pages(milvus_iterator *it, const char *key, int (*row)(double value, void *ctx), void *ctx) {
    int pages = 0;
    for (;;) {
        milvus_buffer page = {NULL, 0};
        milvus_error *error = NULL;
        milvus_status status = milvus_iterator_next(it, &page, &error);
        if (status != MILVUS_OK) return -fail("milvus_iterator_next", status, error);
        int done = strcmp((const char *)page.data, "[]") == 0; /* the end */
        int ok = 1;
        for (const char *p = strstr((const char *)page.data, key); p != NULL && ok; p = strstr(p + 1, key))
            ok = row(strtod(p + strlen(key), NULL), ctx);
        milvus_buffer_free(&page);
        if (!ok) return -1;
        if (done) return pages;
        pages++;
    }
}

struct ids { int next; };
/* Query pages: ids must be 0, 1, 2, ... with no gap or repetition. */
static int next_id(double id, void *ctx) {
    struct ids *s = ctx;
    if ((int)id != s->next) {
        fprintf(stderr, "iterators: expected row %d, got %d\n", s->next, (int)id);
        return 0;
    }
    s->next++;
    return 1;
}

struct distances { int count; double last; };
/* Search pages: distances never decrease across pages. */
static int next_distance(double d, void *ctx) {
    struct distances *s = ctx;
    if (s->count > 0 && d < s->last) {
        fprintf(stderr, "iterators: distance %g after %g\n", d, s->last);
        return 0;
    }
    s->last = d;
    s->count++;
    return 1;
}

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_buffer out = {NULL, 0};
    milvus_iterator *it = NULL;
    milvus_status status = milvus_client_new(uri, NULL, NULL, NULL, 60.0, &client, &error);
    if (status != MILVUS_OK) return fail("connect", status, error);
    int exit_code = 1;
    size_t cap = (size_t)NROWS * 80 + 256, len = 0;
    char *args = malloc(cap);
    if (args == NULL) goto done;

    milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}", &out, NULL);
    milvus_buffer_free(&out);
    status = milvus_client_create_collection(
        client, "{\"collection_name\": \"" COLLECTION "\", \"dimension\": 4, \"metric_type\": \"L2\"}", &out, &error);
    if (status != MILVUS_OK) { fail("create_collection", status, error); goto done; }
    milvus_buffer_free(&out);

    /* Row i has the vector (i, 0, 0, 0), so its L2 distance to (0,0,0,0) is i². */
    len = (size_t)snprintf(args, cap, "{\"collection_name\": \"" COLLECTION "\", \"data\": [");
    for (int i = 0; i < NROWS; i++)
        len += (size_t)snprintf(args + len, cap - len, "%s{\"id\": %d, \"vector\": [%d, 0, 0, 0]}", i ? "," : "", i, i);
    snprintf(args + len, cap - len, "]}");
    status = milvus_client_insert(client, args, &out, &error);
    if (status != MILVUS_OK) { fail("insert", status, error); goto done; }
    milvus_buffer_free(&out);

    /* 1. Every row, 1000 a page: pages of 1000, 1000 and 500. */
    status = milvus_client_query_iterator(
        client, "{\"collection_name\": \"" COLLECTION "\", \"batch_size\": 1000, \"output_fields\": [\"id\"]}",
        &it, &error);
    if (status != MILVUS_OK) { fail("query_iterator", status, error); goto done; }
    struct ids ids = {0};
    int pages = read_pages(it, "{\"id\":", next_id, &ids);
    milvus_iterator_free(it);
    it = NULL;
    printf("query iterator: %d rows in %d pages\n", ids.next, pages);
    if (pages != 3 || ids.next != NROWS) {
        fprintf(stderr, "iterators: expected %d rows in 3 pages\n", NROWS);
        goto done;
    }

    /* 2. The 120 nearest rows to (0,0,0,0), 50 a page: rows 0..119 at distances 0, 1, 4, ... */
    status = milvus_client_search_iterator(
        client, "{\"collection_name\": \"" COLLECTION "\", \"data\": [0, 0, 0, 0], \"batch_size\": 50,"
                " \"limit\": 120, \"search_params\": {\"metric_type\": \"L2\"}}",
        &it, &error);
    if (status != MILVUS_OK) { fail("search_iterator", status, error); goto done; }
    struct distances d = {0, 0.0};
    pages = read_pages(it, "\"distance\":", next_distance, &d);
    printf("search iterator: %d hits in %d pages, the farthest at distance %g\n", d.count, pages, d.last);
    /* A page holds at most batch_size hits (later pages may hold fewer). */
    if (pages < 3 || d.count != 120 || d.last != 119.0 * 119.0) {
        fprintf(stderr, "iterators: expected 120 hits in 3 or more pages, the last at %g\n", 119.0 * 119.0);
        goto done;
    }

    milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}", &out, NULL);
    printf("iterators: ok\n");
    exit_code = 0;
done:
    milvus_buffer_free(&out);
    milvus_iterator_free(it);
    free(args);
    milvus_client_free(client);
    return exit_code;
}
