/*
 * filtered_search.c: vector search restricted by a boolean filter on scalar fields.
 *
 *     filtered_search [uri]          (default: http://127.0.0.1:19530)
 *
 * Creates a collection with an explicit schema (id, category, price, in_stock, vector),
 * inserts 500 products, then:
 *   1. searches among the books cheaper than 10 (a filter on two scalar fields);
 *   2. searches among the products that are out of stock, with a `like` prefix match;
 *   3. counts the music products with query + "count(*)".
 * Each answer is checked against what was inserted; the program exits with 1 if a hit
 * breaks its filter or a count is wrong.
 *
 * Build: cc -std=c11 -Iinclude examples/c/filtered_search.c -Ltarget/release -lmilvus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

#define COLLECTION "filtered_search_demo"
#define DIM 8
#define NROWS 500

static const char *const CATEGORIES[] = {"books", "music", "games"};

/* The inserted data, so the results can be checked. */
static const char *category_of(int i) { return CATEGORIES[i % 3]; }
static double price_of(int i) { return (i % 50) + 0.5; }
static int in_stock(int i) { return i % 4 != 0; }
static float element(int i, int j) { return (float)((i * 31 + j * 17) % 101) / 101.0f; }

/* Runs one JSON method; prints the error and returns NULL on failure. Free with free(). */
static char *call(milvus_client *client, const char *method, const char *args) {
    milvus_buffer out = {NULL, 0};
    milvus_error *error = NULL;
    milvus_status status = milvus_client_call(client, method, args, &out, &error);
    if (status != MILVUS_OK) {
        fprintf(stderr, "filtered_search: %s: %s: %s\n", method, milvus_status_str(status),
                milvus_error_message(error));
        milvus_error_free(error);
        return NULL;
    }
    char *copy = malloc(out.len + 1);
    if (copy != NULL) memcpy(copy, out.data, out.len + 1);
    milvus_buffer_free(&out);
    return copy;
}

/* Checks every hit of a search result: each "id" must satisfy `want(id)`. Returns the
 * number of hits, or -1 when one breaks the filter. */
static int check_hits(const char *json, int (*want)(int)) {
    int hits = 0;
    for (const char *p = strstr(json, "{\"id\":"); p != NULL; p = strstr(p + 1, "{\"id\":")) {
        int id = atoi(p + strlen("{\"id\":"));
        if (!want(id)) {
            fprintf(stderr, "filtered_search: hit %d does not match the filter\n", id);
            return -1;
        }
        hits++;
    }
    return hits;
}

static int cheap_book(int i) { return strcmp(category_of(i), "books") == 0 && price_of(i) < 10.0; }
static int out_of_stock_game(int i) { return !in_stock(i) && strcmp(category_of(i), "games") == 0; }

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_status status = milvus_client_new(uri, NULL, NULL, NULL, 60.0, &client, &error);
    if (status != MILVUS_OK) {
        fprintf(stderr, "filtered_search: connect: %s\n", milvus_error_message(error));
        milvus_error_free(error);
        return 1;
    }
    int exit_code = 1;
    char *result = NULL;
    size_t cap = (size_t)NROWS * 200 + 1024;
    char *args = malloc(cap);
    if (args == NULL) goto done;

    /* An explicit schema, and an index so that the collection is created loaded. */
    free(call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}"));
    result = call(client, "create_collection",
                  "{\"collection_name\": \"" COLLECTION "\", \"schema\": {\"fields\": ["
                  "{\"name\": \"id\", \"type\": \"INT64\", \"is_primary\": true},"
                  "{\"name\": \"category\", \"type\": \"VARCHAR\", \"params\": {\"max_length\": 32}},"
                  "{\"name\": \"price\", \"type\": \"DOUBLE\"},"
                  "{\"name\": \"in_stock\", \"type\": \"BOOL\"},"
                  "{\"name\": \"vector\", \"type\": \"FLOAT_VECTOR\", \"params\": {\"dim\": 8}}]},"
                  " \"index_params\": [{\"field_name\": \"vector\", \"index_type\": \"AUTOINDEX\","
                  " \"metric_type\": \"L2\"}]}");
    if (result == NULL) goto done;
    free(result);

    /* 500 rows as one JSON list. */
    size_t len = (size_t)snprintf(args, cap, "{\"collection_name\": \"" COLLECTION "\", \"data\": [");
    for (int i = 0; i < NROWS; i++) {
        len += (size_t)snprintf(args + len, cap - len,
                                "%s{\"id\": %d, \"category\": \"%s\", \"price\": %.1f, \"in_stock\": %s, \"vector\": [",
                                i ? "," : "", i, category_of(i), price_of(i), in_stock(i) ? "true" : "false");
        for (int j = 0; j < DIM; j++)
            len += (size_t)snprintf(args + len, cap - len, "%s%.6f", j ? "," : "", (double)element(i, j));
        len += (size_t)snprintf(args + len, cap - len, "]}");
    }
    snprintf(args + len, cap - len, "]}");
    result = call(client, "insert", args);
    if (result == NULL) goto done;
    printf("insert: %s\n", strstr(result, "\"insert_count\"") ? strstr(result, "\"insert_count\"") : result);
    free(result);

    /* 1. Books under 10: every hit must be one. Strong consistency sees the rows just written. */
    snprintf(args, cap,
             "{\"collection_name\": \"" COLLECTION "\", \"data\": [[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]],"
             " \"filter\": \"category == \\\"books\\\" and price < 10.0\", \"limit\": 5,"
             " \"output_fields\": [\"category\", \"price\"], \"consistency_level\": \"Strong\"}");
    result = call(client, "search", args);
    if (result == NULL) goto done;
    printf("\nbooks under 10:\n%s\n", result);
    int hits = check_hits(result, cheap_book);
    free(result);
    if (hits != 5) {
        fprintf(stderr, "filtered_search: expected 5 cheap books, got %d\n", hits);
        goto done;
    }

    /* 2. Out-of-stock games, the category matched by a prefix. */
    snprintf(args, cap,
             "{\"collection_name\": \"" COLLECTION "\", \"data\": [[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]],"
             " \"filter\": \"in_stock == false and category like \\\"gam%%\\\"\", \"limit\": 3,"
             " \"output_fields\": [\"category\", \"in_stock\"], \"consistency_level\": \"Strong\"}");
    result = call(client, "search", args);
    if (result == NULL) goto done;
    printf("\nout-of-stock games:\n%s\n", result);
    hits = check_hits(result, out_of_stock_game);
    free(result);
    if (hits != 3) {
        fprintf(stderr, "filtered_search: expected 3 out-of-stock games, got %d\n", hits);
        goto done;
    }

    /* 3. Count the music products: rows with i % 3 == 1. */
    int expected = 0;
    for (int i = 0; i < NROWS; i++) expected += strcmp(category_of(i), "music") == 0;
    result = call(client, "query",
                  "{\"collection_name\": \"" COLLECTION "\", \"filter\": \"category == \\\"music\\\"\","
                  " \"output_fields\": [\"count(*)\"], \"consistency_level\": \"Strong\"}");
    if (result == NULL) goto done;
    printf("\nmusic products: %s\n", result);
    snprintf(args, cap, "[{\"count(*)\":%d}]", expected);
    int count_ok = strcmp(result, args) == 0;
    free(result);
    if (!count_ok) {
        fprintf(stderr, "filtered_search: expected %s\n", args);
        goto done;
    }

    free(call(client, "drop_collection", "{\"collection_name\": \"" COLLECTION "\"}"));
    printf("\nfiltered_search: ok\n");
    exit_code = 0;
done:
    free(args);
    milvus_client_free(client);
    return exit_code;
}
