/*
 * hybrid_search.c: one search over two vector fields, the two hit lists fused by a ranker.
 *
 *     hybrid_search [uri [hybrid-uri]]
 *
 * Hybrid search needs Milvus 2.4 or later (collections with several vector fields). The
 * server is the second argument, else $MILVUS_LITE_URI (`make test` runs Milvus Lite 2.5
 * there), else the first argument, else http://127.0.0.1:19531. On a server without hybrid
 * search the program says so and exits 0.
 *
 * A collection of products with a text embedding and an image embedding is searched with a
 * text query and an image query at once:
 *   1. fused by Reciprocal Rank Fusion (RRF): the product that ranks well in both comes first;
 *   2. fused by a weighted sum that only counts the image field: the image ranking comes back.
 * Exits with 1 if the order is not the expected one.
 *
 * Build: cc -std=c11 -Iinclude examples/c/hybrid_search.c -Ltarget/release -lmilvus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

#define COLLECTION "hybrid_search_demo"

/* The id of hit `n` (0-based) of the first query in a search result, or -1. */
static long hit_id(const char *json, int n) {
    const char *p = json;
    for (int i = 0; i <= n; i++) {
        p = strstr(p, "{\"id\":");
        if (p == NULL) return -1;
        p += strlen("{\"id\":");
    }
    return strtol(p, NULL, 10);
}

/* Runs one JSON method into *out; prints the failure unless it is `quiet_status`. */
static milvus_status call(milvus_client *c, const char *method, const char *args, milvus_buffer *out,
                          milvus_status quiet_status) {
    milvus_error *error = NULL;
    milvus_status status = milvus_client_call(c, method, args, out, &error);
    if (status != MILVUS_OK && status != quiet_status)
        fprintf(stderr, "hybrid_search: %s: %s: %s\n", method, milvus_status_str(status), milvus_error_message(error));
    milvus_error_free(error);
    return status;
}

int main(int argc, char **argv) {
    const char *lite = getenv("MILVUS_LITE_URI");
    const char *uri = argc > 2                           ? argv[2]
                      : lite != NULL && lite[0] != '\0' ? lite
                      : argc > 1                         ? argv[1]
                                                         : "http://127.0.0.1:19531";
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_buffer out = {NULL, 0};
    milvus_status status = milvus_client_new(uri, NULL, NULL, NULL, 60.0, &client, &error);
    if (status != MILVUS_OK) {
        fprintf(stderr, "hybrid_search: connect to %s: %s\n", uri, milvus_error_message(error));
        milvus_error_free(error);
        return 1;
    }
    int exit_code = 1;

    /* Servers that report a version before 2.4 cannot hold two vector fields: skip. */
    if (call(client, "get_server_version", NULL, &out, MILVUS_ERR_UNIMPLEMENTED) == MILVUS_OK) {
        int major = 0, minor = 0;
        if (sscanf((const char *)out.data, "\"v%d.%d", &major, &minor) == 2 && (major < 2 || (major == 2 && minor < 4))) {
            /* out.data is a JSON string: print it without its quotes. */
            printf("hybrid_search: skipped: %s has Milvus %.*s, hybrid search needs 2.4 or later\n", uri,
                   (int)out.len - 2, (const char *)out.data + 1);
            exit_code = 0;
            goto done;
        }
    }
    milvus_buffer_free(&out);

    call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}", &out, MILVUS_OK);
    milvus_buffer_free(&out);
    if (call(client, "create_collection",
             "{\"collection_name\": \"" COLLECTION "\", \"schema\": {\"fields\": ["
             "{\"name\": \"id\", \"type\": \"INT64\", \"is_primary\": true},"
             "{\"name\": \"name\", \"type\": \"VARCHAR\", \"params\": {\"max_length\": 64}},"
             "{\"name\": \"text_vector\", \"type\": \"FLOAT_VECTOR\", \"params\": {\"dim\": 4}},"
             "{\"name\": \"image_vector\", \"type\": \"FLOAT_VECTOR\", \"params\": {\"dim\": 4}}]},"
             " \"index_params\": ["
             "{\"field_name\": \"text_vector\", \"index_type\": \"FLAT\", \"metric_type\": \"L2\"},"
             "{\"field_name\": \"image_vector\", \"index_type\": \"FLAT\", \"metric_type\": \"L2\"}]}",
             &out, MILVUS_OK) != MILVUS_OK)
        goto done;
    milvus_buffer_free(&out);

    /* The text query is (1,0,0,0), the image query (0,1,0,0).
     *   1 "red mug":      near in text and in image  -> first with RRF
     *   2 "red cup":      near in text only           -> second by text
     *   3 "mug photo":    near in image only          -> second by image
     *   4 "blue teapot":  far in both */
    if (call(client, "insert",
             "{\"collection_name\": \"" COLLECTION "\", \"data\": ["
             "{\"id\": 1, \"name\": \"red mug\", \"text_vector\": [0.9, 0.1, 0, 0], \"image_vector\": [0.1, 0.9, 0, 0]},"
             "{\"id\": 2, \"name\": \"red cup\", \"text_vector\": [0.8, 0, 0.3, 0], \"image_vector\": [0, 0, 1, 1]},"
             "{\"id\": 3, \"name\": \"mug photo\", \"text_vector\": [0, 0, 1, 1], \"image_vector\": [0, 0.8, 0.3, 0]},"
             "{\"id\": 4, \"name\": \"blue teapot\", \"text_vector\": [0, 1, 1, 1], \"image_vector\": [1, 0, 1, 1]}]}",
             &out, MILVUS_OK) != MILVUS_OK)
        goto done;
    milvus_buffer_free(&out);

    /* 1. RRF over both fields. */
    status = call(client, "hybrid_search",
                  "{\"collection_name\": \"" COLLECTION "\", \"reqs\": ["
                  "{\"data\": [[1, 0, 0, 0]], \"anns_field\": \"text_vector\", \"param\": {\"metric_type\": \"L2\"}, \"limit\": 3},"
                  "{\"data\": [[0, 1, 0, 0]], \"anns_field\": \"image_vector\", \"param\": {\"metric_type\": \"L2\"}, \"limit\": 3}],"
                  " \"ranker\": {\"strategy\": \"rrf\", \"params\": {\"k\": 60}}, \"limit\": 3,"
                  " \"output_fields\": [\"name\"], \"consistency_level\": \"Strong\"}",
                  &out, MILVUS_ERR_UNIMPLEMENTED);
    if (status == MILVUS_ERR_UNIMPLEMENTED) {
        printf("hybrid_search: skipped: the server at %s has no hybrid search\n", uri);
        exit_code = 0;
        goto done;
    }
    if (status != MILVUS_OK) goto done;
    printf("RRF (text + image):\n%s\n", (const char *)out.data);
    if (hit_id((const char *)out.data, 0) != 1) {
        fprintf(stderr, "hybrid_search: expected \"red mug\" (id 1) first\n");
        goto done;
    }
    milvus_buffer_free(&out);

    /* 2. Weighted: the text field counts 0, the image field 1. */
    if (call(client, "hybrid_search",
             "{\"collection_name\": \"" COLLECTION "\", \"reqs\": ["
             "{\"data\": [[1, 0, 0, 0]], \"anns_field\": \"text_vector\", \"param\": {\"metric_type\": \"L2\"}, \"limit\": 3},"
             "{\"data\": [[0, 1, 0, 0]], \"anns_field\": \"image_vector\", \"param\": {\"metric_type\": \"L2\"}, \"limit\": 3}],"
             " \"ranker\": {\"strategy\": \"weighted\", \"params\": {\"weights\": [0.0, 1.0]}}, \"limit\": 2,"
             " \"output_fields\": [\"name\"], \"consistency_level\": \"Strong\"}",
             &out, MILVUS_OK) != MILVUS_OK)
        goto done;
    printf("\nweighted (image only):\n%s\n", (const char *)out.data);
    if (hit_id((const char *)out.data, 0) != 1 || hit_id((const char *)out.data, 1) != 3) {
        fprintf(stderr, "hybrid_search: expected ids 1 then 3\n");
        goto done;
    }
    milvus_buffer_free(&out);

    call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}", &out, MILVUS_OK);
    printf("\nhybrid_search: ok\n");
    exit_code = 0;
done:
    milvus_buffer_free(&out);
    milvus_client_free(client);
    return exit_code;
}
