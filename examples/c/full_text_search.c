/*
 * full_text_search.c: search documents by their words (BM25), by JSON and by the typed call,
 * and fuse a text search with a vector search.
 *
 *     full_text_search uri
 *
 * Full-text search needs Milvus 2.5 or later: `make test` runs it against Milvus Lite 3.2.2
 * ($MILVUS_LITE3_URI, scripts/servers.sh start lite3). Exits non-zero on any failure,
 * including a server without BM25 functions.
 *
 * A collection of documents whose `sparse` field is computed by the server from `text` by a
 * BM25 function (nothing is inserted into it):
 *   1. JSON search with a query text: the document holding every query word ranks first;
 *   2. the same search with milvus_client_search_texts (typed result, no JSON in or out);
 *   3. hybrid search: a text request and a dense-vector request fused by RRF.
 *
 * Build: cc -std=c11 -Iinclude examples/c/full_text_search.c -Ltarget/release -lmilvus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

#define COLLECTION "full_text_search_demo"

/* The id of hit `n` (0-based) of the first query in a JSON search result, or -1. */
static long hit_id(const char *json, int n) {
    const char *p = json;
    for (int i = 0; i <= n; i++) {
        p = strstr(p, "{\"id\":");
        if (p == NULL) return -1;
        p += strlen("{\"id\":");
    }
    return strtol(p, NULL, 10);
}

/* Runs one JSON method into *out, printing the failure. */
static milvus_status call(milvus_client *c, const char *method, const char *args, milvus_buffer *out) {
    milvus_error *error = NULL;
    milvus_status status = milvus_client_call(c, method, args, out, &error);
    if (status != MILVUS_OK)
        fprintf(stderr, "full_text_search: %s: %s: %s\n", method, milvus_status_str(status),
                milvus_error_message(error));
    milvus_error_free(error);
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s uri   (a Milvus 2.5+ server, e.g. Milvus Lite 3.2.2)\n", argv[0]);
        return 2;
    }
    const char *uri = argv[1];
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_buffer out = {NULL, 0};
    milvus_result *result = NULL;
    if (milvus_client_new(uri, NULL, NULL, NULL, 60.0, &client, &error) != MILVUS_OK) {
        fprintf(stderr, "full_text_search: connect to %s: %s\n", uri, milvus_error_message(error));
        milvus_error_free(error);
        return 1;
    }
    int exit_code = 1;

    milvus_client_call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}", &out, NULL);
    milvus_buffer_free(&out);
    /* `text` is analyzed; the BM25 function writes its term weights into `sparse`. */
    if (call(client, "create_collection",
             "{\"collection_name\": \"" COLLECTION "\", \"schema\": {\"fields\": ["
             "{\"name\": \"id\", \"type\": \"INT64\", \"is_primary\": true},"
             "{\"name\": \"text\", \"type\": \"VARCHAR\", \"max_length\": 1000, \"enable_analyzer\": true},"
             "{\"name\": \"sparse\", \"type\": \"SPARSE_FLOAT_VECTOR\"},"
             "{\"name\": \"dense\", \"type\": \"FLOAT_VECTOR\", \"dim\": 2}],"
             " \"functions\": [{\"name\": \"bm25\", \"type\": \"BM25\","
             " \"input_field_names\": [\"text\"], \"output_field_names\": [\"sparse\"]}]},"
             " \"index_params\": ["
             "{\"field_name\": \"sparse\", \"index_type\": \"SPARSE_INVERTED_INDEX\", \"metric_type\": \"BM25\"},"
             "{\"field_name\": \"dense\", \"index_type\": \"FLAT\", \"metric_type\": \"L2\"}]}",
             &out) != MILVUS_OK)
        goto done;
    milvus_buffer_free(&out);

    if (call(client, "insert",
             "{\"collection_name\": \"" COLLECTION "\", \"data\": ["
             "{\"id\": 1, \"text\": \"vector database for AI\", \"dense\": [1, 0]},"
             "{\"id\": 2, \"text\": \"the quick brown fox\", \"dense\": [0, 1]},"
             "{\"id\": 3, \"text\": \"milvus is a vector database\", \"dense\": [1, 1]},"
             "{\"id\": 4, \"text\": \"cooking pasta at home\", \"dense\": [5, 5]}]}",
             &out) != MILVUS_OK)
        goto done;
    milvus_buffer_free(&out);

    /* 1. JSON: texts in `data` search the BM25 field. Only documents 3 and 1 hold a query word;
     *    3 holds all three. */
    if (call(client, "search",
             "{\"collection_name\": \"" COLLECTION "\", \"data\": [\"milvus vector database\"],"
             " \"anns_field\": \"sparse\", \"limit\": 3, \"output_fields\": [\"text\"],"
             " \"consistency_level\": \"Strong\"}",
             &out) != MILVUS_OK)
        goto done;
    printf("search \"milvus vector database\":\n%s\n", (const char *)out.data);
    if (hit_id((const char *)out.data, 0) != 3 || hit_id((const char *)out.data, 1) != 1 ||
        hit_id((const char *)out.data, 2) != -1) {
        fprintf(stderr, "full_text_search: expected ids 3 then 1\n");
        goto done;
    }
    milvus_buffer_free(&out);

    /* 2. Typed: two query texts, given with their lengths (no NUL needed). */
    {
        const char *texts[2] = {"brown fox", "pasta"};
        const size_t lengths[2] = {strlen(texts[0]), strlen(texts[1])};
        if (milvus_client_search_texts(client, COLLECTION, "sparse", texts, lengths, 2,
                                       "{\"limit\": 3, \"consistency_level\": \"Strong\"}", &result,
                                       &error) != MILVUS_OK) {
            fprintf(stderr, "full_text_search: search_texts: %s\n", milvus_error_message(error));
            milvus_error_free(error);
            goto done;
        }
        const int64_t *ids = milvus_result_int64_ids(result);
        const float *distances = milvus_result_distances(result);
        long want[2] = {2, 4};
        if (milvus_result_num_queries(result) != 2 || ids == NULL) {
            fprintf(stderr, "full_text_search: search_texts: expected 2 queries of int64 ids\n");
            goto done;
        }
        for (size_t q = 0; q < 2; q++) {
            size_t first = milvus_result_hit_offset(result, q), n = milvus_result_hit_count(result, q);
            printf("search_texts \"%s\": %zu hit(s), first id %lld (score %g)\n", texts[q], n,
                   n ? (long long)ids[first] : -1LL, n ? distances[first] : 0.0f);
            if (n != 1 || ids[first] != want[q]) {
                fprintf(stderr, "full_text_search: search_texts \"%s\": expected only id %ld\n", texts[q], want[q]);
                goto done;
            }
        }
        milvus_result_free(result);
        result = NULL;
    }

    /* 3. Hybrid: "brown fox" ranks 2 first; the vector (0, 1) is document 2 exactly, then 3:
     *    fused by RRF, 2 comes first. */
    if (call(client, "hybrid_search",
             "{\"collection_name\": \"" COLLECTION "\", \"reqs\": ["
             "{\"data\": [\"brown fox\"], \"anns_field\": \"sparse\", \"limit\": 3},"
             "{\"data\": [[0, 1]], \"anns_field\": \"dense\", \"param\": {\"metric_type\": \"L2\"}, \"limit\": 3}],"
             " \"ranker\": {\"strategy\": \"rrf\", \"params\": {\"k\": 60}}, \"limit\": 2,"
             " \"output_fields\": [\"text\"], \"consistency_level\": \"Strong\"}",
             &out) != MILVUS_OK)
        goto done;
    printf("\nhybrid \"brown fox\" + (0, 1), RRF:\n%s\n", (const char *)out.data);
    if (hit_id((const char *)out.data, 0) != 2) {
        fprintf(stderr, "full_text_search: expected id 2 first\n");
        goto done;
    }
    milvus_buffer_free(&out);

    if (call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}", &out) != MILVUS_OK) goto done;
    printf("\nfull_text_search: ok\n");
    exit_code = 0;
done:
    milvus_result_free(result);
    milvus_buffer_free(&out);
    milvus_client_free(client);
    return exit_code;
}
