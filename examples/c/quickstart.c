/*
 * quickstart.c: a first tour of libmilvus, the Milvus client for C.
 *
 *     quickstart [uri]          (default: http://127.0.0.1:19530)
 *
 * Connects to Milvus, creates a collection, inserts 300 rows, runs a vector search and a
 * filtered query, prints their results and drops the collection. On any failure it prints
 * the error and exits with status 1.
 *
 * Build (from the repository root, after `cargo build --release`):
 *
 *     cc -std=c11 -Iinclude examples/c/quickstart.c -o quickstart \
 *        -Ltarget/release -lmilvus -Wl,-rpath,$PWD/target/release
 *
 * Every call follows the same pattern (see the top of include/milvus.h):
 *   - it returns a milvus_status: MILVUS_OK, or a MILVUS_ERR_* code;
 *   - its last argument, if not NULL, receives a milvus_error describing a failure, which
 *     you free with milvus_error_free();
 *   - the JSON methods (milvus_client_<name>) take pymilvus's MilvusClient keyword arguments
 *     as a JSON object and return pymilvus's result as JSON in a milvus_buffer, which you
 *     free with milvus_buffer_free().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

#define COLLECTION "quickstart_demo"
#define DIM 8
#define NROWS 300

/*
 * Reports a failed call. Returns 1 if `status` is a failure (after printing why), 0 if it is
 * MILVUS_OK. Either way the error is freed and *error reset to NULL.
 */
static int failed(const char *what, milvus_status status, milvus_error **error) {
    if (status != MILVUS_OK)
        fprintf(stderr, "quickstart: %s failed: %s: %s\n", what, milvus_status_str(status),
                milvus_error_message(*error));
    milvus_error_free(*error);
    *error = NULL;
    return status != MILVUS_OK;
}

/* Element j of row `row`'s vector: a pseudo-random number in [0, 1) with three decimals. */
static double element(int row, int j) {
    unsigned h = (unsigned)(row * DIM + j + 1) * 2654435761u;
    return (double)((h >> 16) % 1000) / 1000.0;
}

/* Appends printf-style text to buf (capacity cap, *len used so far). Returns 0 if it is full. */
static int appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len) return 0;
    *len += (size_t)n;
    return 1;
}

/* Appends the JSON list of row `row`'s vector. */
static int append_vector(char *buf, size_t cap, size_t *len, int row) {
    int ok = appendf(buf, cap, len, "[");
    for (int j = 0; j < DIM; j++) ok = ok && appendf(buf, cap, len, "%s%.3f", j ? "," : "", element(row, j));
    return ok && appendf(buf, cap, len, "]");
}

/*
 * Prints compact JSON readably: one element per line for the outer `depth` levels of
 * nesting, deeper values kept on one line.
 */
static void print_json(const char *json, int depth) {
    int level = 0, in_string = 0;
    for (const char *p = json; *p != '\0'; p++) {
        char c = *p;
        if (in_string) {
            putchar(c);
            if (c == '\\' && p[1] != '\0') putchar(*++p);
            else if (c == '"') in_string = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_string = 1;
            putchar(c);
            break;
        case '[':
        case '{':
            putchar(c);
            level++;
            if (level <= depth && p[1] != ']' && p[1] != '}') printf("\n%*s", 2 * level, "");
            break;
        case ']':
        case '}':
            if (level <= depth && p[-1] != '[' && p[-1] != '{') printf("\n%*s", 2 * (level - 1), "");
            level--;
            putchar(c);
            break;
        case ',':
            putchar(c);
            if (level <= depth) printf("\n%*s", 2 * level, "");
            break;
        default:
            putchar(c);
        }
    }
    putchar('\n');
}

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_buffer result = {NULL, 0}; /* reused by every call; freed before each reuse */
    milvus_status status;
    int ok, exit_code = 1;
    size_t cap = (size_t)NROWS * 160 + 256, len = 0;
    char *args = malloc(cap); /* the JSON arguments of the current call */
    if (args == NULL) {
        fprintf(stderr, "quickstart: out of memory\n");
        return 1;
    }

    /* 1. Connect. 30 s is the connect timeout and the default deadline of every call. */
    status = milvus_client_new(uri, NULL, NULL, NULL, 30.0, &client, &error);
    if (failed("connecting", status, &error)) goto done;
    status = milvus_client_get_server_version(client, NULL, &result, &error);
    if (status == MILVUS_OK) {
        /* result.data is a JSON string such as "v2.3.5": print it without its quotes. */
        printf("Connected to %s, Milvus %.*s\n", uri, (int)result.len - 2,
               (const char *)result.data + 1);
    } else if (status == MILVUS_ERR_UNIMPLEMENTED) {
        /* Milvus Lite does not report its version: not an error worth stopping for. */
        printf("Connected to %s (the server does not report its version)\n", uri);
        milvus_error_free(error);
        error = NULL;
    } else if (failed("get_server_version", status, &error)) {
        goto done;
    }
    milvus_buffer_free(&result);

    /* 2. Create the collection, dropping any left over from an earlier run first. Quick setup
     *    gives it an INT64 primary key "id", a FLOAT_VECTOR field "vector" of DIM dimensions,
     *    a dynamic field for any other key, an index, and loads it. */
    status = milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}",
                                           &result, &error);
    if (failed("drop_collection", status, &error)) goto done;
    milvus_buffer_free(&result);
    snprintf(args, cap,
             "{\"collection_name\": \"" COLLECTION "\", \"dimension\": %d, \"metric_type\": \"L2\"}",
             DIM);
    status = milvus_client_create_collection(client, args, &result, &error);
    if (failed("create_collection", status, &error)) goto done;
    milvus_buffer_free(&result);
    printf("Created collection \"%s\" (dimension %d, L2 distance)\n", COLLECTION, DIM);

    /* 3. Insert NROWS rows: {"id": i, "vector": [...], "title": "Document i"}. "title" is not
     *    a field of the schema, so it is stored in the dynamic field. */
    ok = appendf(args, cap, &len, "{\"collection_name\": \"" COLLECTION "\", \"data\": [");
    for (int i = 0; i < NROWS && ok; i++) {
        ok = appendf(args, cap, &len, "%s{\"id\": %d, \"vector\": ", i ? ", " : "", i) &&
             append_vector(args, cap, &len, i) &&
             appendf(args, cap, &len, ", \"title\": \"Document %d\"}", i);
    }
    if (!ok || !appendf(args, cap, &len, "]}")) {
        fprintf(stderr, "quickstart: the insert arguments do not fit in %zu bytes\n", cap);
        goto done;
    }
    status = milvus_client_insert(client, args, &result, &error);
    if (failed("insert", status, &error)) goto done;
    /* result: {"ids": [0, 1, ...], "insert_count": 300} */
    const char *count = strstr((const char *)result.data, "\"insert_count\":");
    if (count != NULL) printf("Inserted %ld rows\n", strtol(count + strlen("\"insert_count\":"), NULL, 10));
    milvus_buffer_free(&result);

    /* 4. Search with two query vectors: the vectors of rows 17 and 123, so each one's nearest
     *    neighbour is that row itself, at distance 0. "Strong" consistency makes the search
     *    see the rows just inserted. */
    len = 0;
    ok = appendf(args, cap, &len, "{\"collection_name\": \"" COLLECTION "\", \"data\": [") &&
         append_vector(args, cap, &len, 17) && appendf(args, cap, &len, ", ") &&
         append_vector(args, cap, &len, 123) &&
         appendf(args, cap, &len,
                 "], \"limit\": 3, \"output_fields\": [\"title\"],"
                 " \"consistency_level\": \"Strong\"}");
    if (!ok) {
        fprintf(stderr, "quickstart: the search arguments do not fit in %zu bytes\n", cap);
        goto done;
    }
    status = milvus_client_search(client, args, &result, &error);
    if (failed("search", status, &error)) goto done;
    /* result: one list per query vector of {"id", "distance", "entity": {"title"}} hits */
    printf("\nSearch, the 3 nearest rows to rows 17 and 123:\n");
    print_json((const char *)result.data, 2);
    milvus_buffer_free(&result);

    /* 5. Query: the rows that match a filter, with the fields we ask for. */
    status = milvus_client_query(client,
                                 "{\"collection_name\": \"" COLLECTION "\","
                                 " \"filter\": \"id >= 295\","
                                 " \"output_fields\": [\"id\", \"title\"],"
                                 " \"consistency_level\": \"Strong\"}",
                                 &result, &error);
    if (failed("query", status, &error)) goto done;
    printf("\nQuery, the rows with id >= 295:\n");
    print_json((const char *)result.data, 1);
    milvus_buffer_free(&result);

    /* 6. Clean up. */
    status = milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}",
                                           &result, &error);
    if (failed("drop_collection", status, &error)) goto done;
    printf("\nDropped collection \"%s\"\n", COLLECTION);
    exit_code = 0;

done:
    milvus_buffer_free(&result); /* harmless if already freed */
    milvus_client_free(client);  /* harmless if NULL */
    free(args);
    return exit_code;
}
