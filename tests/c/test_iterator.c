/* query_iterator through the C ABI: pages, the end, errors, and an iterator that outlives
 * its client. Runs against the three test servers (MILVUS_URI, MILVUS_LITE_URI,
 * MILVUS_LITE3_URI). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static void run(const char *uri) {
    milvus_client *c = NULL;
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60.0, &c, CHECK_ERR), MILVUS_OK);
    if (!c) return;
    char name[64], args[512];
    snprintf(name, sizeof name, "c_iter_%ld", (long)getpid());
    milvus_buffer b = {0};

    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"dimension\":2}", name);
    CHECK_STATUS(milvus_client_create_collection(c, args, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);

    /* 2500 rows: ids 0..2499. */
    static char rows[2500 * 48 + 256];
    size_t n = (size_t)snprintf(rows, sizeof rows, "{\"collection_name\":\"%s\",\"data\":[", name);
    for (int i = 0; i < 2500; i++)
        n += (size_t)snprintf(rows + n, sizeof rows - n, "%s{\"id\":%d,\"vector\":[1,%d]}", i ? "," : "", i, i);
    snprintf(rows + n, sizeof rows - n, "]}");
    CHECK_STATUS(milvus_client_insert(c, rows, &b, CHECK_ERR), MILVUS_OK);
    CHECK_JSON_HAS(&b, "\"insert_count\":2500");
    milvus_buffer_free(&b);

    /* Search iterator: the 1500 rows nearest to (1, 0), i.e. ids 0..1499, in pages of 600. */
    milvus_iterator *it = NULL;
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"data\":[1,0],\"batch_size\":600,\"limit\":1500}", name);
    CHECK_STATUS(milvus_client_search_iterator(c, args, &it, CHECK_ERR), MILVUS_OK);
    int hits = 0, search_pages = 0;
    for (;;) {
        milvus_buffer page = {0};
        if (CHECK_STATUS(milvus_iterator_next(it, &page, CHECK_ERR), MILVUS_OK) != MILVUS_OK) break;
        int empty = page.len == 2 && memcmp(page.data, "[]", 2) == 0;
        for (const char *p = (const char *)page.data; (p = strstr(p, "\"distance\":")) != NULL; p++) hits++;
        milvus_buffer_free(&page);
        if (empty) break;
        search_pages++;
    }
    CHECK(search_pages == 3);
    CHECK(hits == 1500);
    milvus_iterator_free(it);
    CHECK_STATUS(milvus_client_search_iterator(c, "{\"collection_name\":\"x\",\"data\":[[1,0],[0,1]]}", &it,
                                               CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);

    it = NULL;
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"batch_size\":1000,\"output_fields\":[\"id\"]}", name);
    CHECK_STATUS(milvus_client_query_iterator(c, args, &it, CHECK_ERR), MILVUS_OK);
    /* The iterator keeps the connection: the client handle may go first. */
    milvus_client_free(c);
    int pages = 0, rows_seen = 0, expected_id = 0, in_order = 1;
    for (;;) {
        milvus_buffer page = {0};
        if (CHECK_STATUS(milvus_iterator_next(it, &page, CHECK_ERR), MILVUS_OK) != MILVUS_OK) break;
        if (page.len == 2 && memcmp(page.data, "[]", 2) == 0) {
            milvus_buffer_free(&page);
            break;
        }
        pages++;
        const char *p = (const char *)page.data;
        while ((p = strstr(p, "\"id\":")) != NULL) {
            p += 5;
            int id = atoi(p);
            in_order &= id == expected_id;
            expected_id++;
            rows_seen++;
        }
        milvus_buffer_free(&page);
    }
    CHECK(pages == 3);
    CHECK(rows_seen == 2500);
    CHECK(in_order);
    milvus_buffer page = {0};
    CHECK_STATUS(milvus_iterator_next(it, &page, CHECK_ERR), MILVUS_OK);
    CHECK_JSON_EQ(&page, "[]");
    milvus_buffer_free(&page);
    milvus_iterator_free(it);

    /* Errors: outputs untouched, statuses exact. */
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60.0, &c, CHECK_ERR), MILVUS_OK);
    milvus_iterator *sentinel = (milvus_iterator *)&page;
    it = sentinel;
    CHECK_STATUS(milvus_client_query_iterator(NULL, args, &it, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(c, args, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(c, "{\"collection_name\":", &it, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_query_iterator(c, "{\"collection_name\":\"x\",\"batch_size\":0}", &it, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(c, "{\"collection_name\":\"c_iter_missing_x\"}", &it, CHECK_ERR),
                 MILVUS_ERR_COLLECTION_NOT_FOUND);
    CHECK(it == sentinel);
    CHECK_STATUS(milvus_iterator_next(NULL, &page, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    milvus_iterator_free(NULL);

    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", name);
    CHECK_STATUS(milvus_client_drop_collection(c, args, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
    milvus_client_free(c);
}

int main(void) {
    const char *uris[] = {check_env("MILVUS_URI", "http://127.0.0.1:19530"),
                          check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531"),
                          check_env("MILVUS_LITE3_URI", "http://127.0.0.1:19532")};
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        printf("== %s\n", uris[i]);
        run(uris[i]);
    }
    return CHECK_SUMMARY();
}
