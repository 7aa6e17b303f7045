/*
 * bulk_insert.c: loading many rows fast through the typed path (no JSON).
 *
 *     bulk_insert [uri]          (default: http://127.0.0.1:19530)
 *
 * Inserts 100,000 rows (an int64 id, a category string, a price and a 64-dimension float
 * vector) in batches of 10,000. Each batch is a milvus_columns builder filled from plain C
 * arrays: the library copies each array once, straight into the request, and the builder
 * goes out with milvus_client_insert_columns. Then it counts the rows back (query
 * "count(*)"), checks one row's values, and searches with a raw float vector
 * (milvus_client_search_float), reading the hits with the milvus_result accessors.
 * Exits with 1 if a count or a value is wrong.
 *
 * Build: cc -std=c11 -Iinclude examples/c/bulk_insert.c -Ltarget/release -lmilvus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "milvus.h"

#define COLLECTION "bulk_insert_demo"
#define DIM 64
#define TOTAL 100000
#define BATCH 10000

static const char *const CATEGORIES[] = {"red", "green", "blue", "yellow"};

/* Element j of row `row`'s vector: a hash in [0, 1), so that no two rows are alike. */
static float element(long row, int j) {
    uint32_t h = (uint32_t)(row * DIM + j) * 2654435761u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return (float)(h % 1000003u) / 1000003.0f;
}

static int fail(const char *what, milvus_status status, milvus_error *error) {
    fprintf(stderr, "bulk_insert: %s: %s: %s\n", what, milvus_status_str(status), milvus_error_message(error));
    milvus_error_free(error);
    return 1;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Inserts rows [first, first + BATCH). Returns 0 on success. */
static int insert_batch(milvus_client *client, long first, int64_t *ids, const char **categories,
                        double *prices, float *vectors) {
    for (long i = 0; i < BATCH; i++) {
        long row = first + i;
        ids[i] = row;
        categories[i] = CATEGORIES[row % 4]; /* NUL-terminated: lengths may be NULL */
        prices[i] = (double)(row % 1000) / 4.0;
        for (int j = 0; j < DIM; j++) vectors[i * DIM + j] = element(row, j);
    }
    milvus_columns *columns = NULL;
    milvus_result *result = NULL;
    milvus_error *error = NULL;
    milvus_status status = milvus_columns_new(BATCH, &columns, &error);
    if (status != MILVUS_OK) return fail("milvus_columns_new", status, error);
    if ((status = milvus_columns_add_int64(columns, "id", ids, BATCH, NULL, &error)) != MILVUS_OK ||
        (status = milvus_columns_add_varchar(columns, "category", categories, NULL, BATCH, NULL, &error)) != MILVUS_OK ||
        (status = milvus_columns_add_double(columns, "price", prices, BATCH, NULL, &error)) != MILVUS_OK ||
        (status = milvus_columns_add_float_vector(columns, "vector", vectors, BATCH, DIM, &error)) != MILVUS_OK) {
        milvus_columns_free(columns);
        return fail("milvus_columns_add_*", status, error);
    }
    status = milvus_client_insert_columns(client, COLLECTION, columns, NULL, &result, &error);
    milvus_columns_free(columns); /* the builder is not needed once sent */
    if (status != MILVUS_OK) return fail("milvus_client_insert_columns", status, error);
    uint64_t written = milvus_result_write_count(result);
    const int64_t *written_ids = milvus_result_int64_ids(result);
    int ok = written == BATCH && written_ids != NULL && written_ids[0] == first &&
             written_ids[BATCH - 1] == first + BATCH - 1;
    milvus_result_free(result);
    if (!ok) fprintf(stderr, "bulk_insert: batch at %ld: the result does not list the rows written\n", first);
    return !ok;
}

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    milvus_client *client = NULL;
    milvus_error *error = NULL;
    milvus_buffer out = {NULL, 0};
    milvus_result *result = NULL;
    milvus_status status = milvus_client_new(uri, NULL, NULL, NULL, 120.0, &client, &error);
    if (status != MILVUS_OK) return fail("connect", status, error);
    int exit_code = 1;
    int64_t *ids = malloc(BATCH * sizeof *ids);
    const char **categories = malloc(BATCH * sizeof *categories);
    double *prices = malloc(BATCH * sizeof *prices);
    float *vectors = malloc((size_t)BATCH * DIM * sizeof *vectors);
    if (ids == NULL || categories == NULL || prices == NULL || vectors == NULL) goto done;

    milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}", &out, NULL);
    milvus_buffer_free(&out);
    status = milvus_client_create_collection(
        client,
        "{\"collection_name\": \"" COLLECTION "\", \"schema\": {\"fields\": ["
        "{\"name\": \"id\", \"type\": \"INT64\", \"is_primary\": true},"
        "{\"name\": \"category\", \"type\": \"VARCHAR\", \"params\": {\"max_length\": 16}},"
        "{\"name\": \"price\", \"type\": \"DOUBLE\"},"
        "{\"name\": \"vector\", \"type\": \"FLOAT_VECTOR\", \"params\": {\"dim\": 64}}]},"
        " \"index_params\": [{\"field_name\": \"vector\", \"index_type\": \"AUTOINDEX\", \"metric_type\": \"L2\"}]}",
        &out, &error);
    if (status != MILVUS_OK) { fail("create_collection", status, error); goto done; }
    milvus_buffer_free(&out);

    double start = now();
    for (long first = 0; first < TOTAL; first += BATCH)
        if (insert_batch(client, first, ids, categories, prices, vectors) != 0) goto done;
    double seconds = now() - start;
    printf("inserted %d rows in %.2f s (%.0f rows/s, %.1f MB of vectors)\n", TOTAL, seconds, TOTAL / seconds,
           (double)TOTAL * DIM * sizeof(float) / 1e6);

    /* Count them back; Strong consistency waits for every write above. */
    status = milvus_client_query(client,
                                 "{\"collection_name\": \"" COLLECTION "\", \"filter\": \"\","
                                 " \"output_fields\": [\"count(*)\"], \"consistency_level\": \"Strong\"}",
                                 &out, &error);
    if (status != MILVUS_OK) { fail("query count(*)", status, error); goto done; }
    printf("count: %s\n", (const char *)out.data);
    if (strcmp((const char *)out.data, "[{\"count(*)\":100000}]") != 0) {
        fprintf(stderr, "bulk_insert: expected 100000 rows\n");
        goto done;
    }
    milvus_buffer_free(&out);

    /* Search with row 54321's vector, reading the hits without JSON. */
    float query[DIM];
    for (int j = 0; j < DIM; j++) query[j] = element(54321, j);
    status = milvus_client_search_float(client, COLLECTION, "vector", query, 1, DIM,
                                        "{\"limit\": 3, \"output_fields\": [\"category\", \"price\"],"
                                        " \"consistency_level\": \"Strong\"}",
                                        &result, &error);
    if (status != MILVUS_OK) { fail("search_float", status, error); goto done; }
    size_t category = 0, price = 0;
    const int64_t *hit_ids = milvus_result_int64_ids(result);
    const float *distances = milvus_result_distances(result);
    const double *prices_out = NULL;
    size_t n = 0;
    if ((status = milvus_result_column_index(result, "category", &category, &error)) != MILVUS_OK ||
        (status = milvus_result_column_index(result, "price", &price, &error)) != MILVUS_OK ||
        (status = milvus_result_column_double(result, price, &prices_out, &n, &error)) != MILVUS_OK) {
        fail("reading the hits", status, error);
        goto done;
    }
    for (size_t i = 0; i < milvus_result_num_rows(result); i++) {
        const char *cat = NULL;
        size_t len = 0;
        if ((status = milvus_result_column_string(result, category, i, &cat, &len, &error)) != MILVUS_OK) {
            fail("milvus_result_column_string", status, error);
            goto done;
        }
        printf("hit %zu: id %lld, distance %g, category %.*s, price %g\n", i, (long long)hit_ids[i],
               (double)distances[i], (int)len, cat, prices_out[i]);
    }
    if (milvus_result_num_rows(result) != 3 || hit_ids[0] != 54321 || distances[0] != 0.0f ||
        prices_out[0] != (double)(54321 % 1000) / 4.0) {
        fprintf(stderr, "bulk_insert: expected row 54321 first, at distance 0, price %g\n",
                (double)(54321 % 1000) / 4.0);
        goto done;
    }

    milvus_client_drop_collection(client, "{\"collection_name\": \"" COLLECTION "\"}", &out, NULL);
    printf("bulk_insert: ok\n");
    exit_code = 0;
done:
    milvus_result_free(result);
    milvus_buffer_free(&out);
    free(ids);
    free(categories);
    free(prices);
    free(vectors);
    milvus_client_free(client);
    return exit_code;
}
