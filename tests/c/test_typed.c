/* The typed path through the C ABI: column builders, typed writes and searches, every result
 * accessor with exact values, the JSON rendering against the JSON path, and the error paths.
 * Scalars and float vectors on both servers; float16/bfloat16/binary/sparse vectors and hybrid
 * search on Milvus Lite (Milvus 2.3.5 has neither). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define N 300
#define DIM 8

static void call_ok(milvus_client *c, const char *method, const char *args) {
    milvus_buffer b = {0};
    CHECK_STATUS(milvus_client_call(c, method, args, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
}

/* The same JSON text up to the order of keys: Milvus 2.3.5 returns output fields in an order
 * that can change between two calls, so two renderings are compared as byte multisets
 * (equal length and equal byte counts) after an exact comparison fails. */
static int same_json(const milvus_buffer *a, const milvus_buffer *b) {
    if (a->data == NULL || b->data == NULL || a->len != b->len) return 0;
    if (memcmp(a->data, b->data, a->len) == 0) return 1;
    size_t ca[256] = {0}, cb[256] = {0};
    for (size_t i = 0; i < a->len; i++) {
        ca[a->data[i]]++;
        cb[b->data[i]]++;
    }
    return memcmp(ca, cb, sizeof ca) == 0;
}

static int str_eq(const char *p, size_t len, const char *want) {
    return p != NULL && len == strlen(want) && memcmp(p, want, len) == 0;
}

static void scalars_and_float_vectors(milvus_client *c, const char *label) {
    char name[64], args[2048];
    snprintf(name, sizeof name, "c_typed_%s_%ld", label, (long)getpid());
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"schema\":{\"enable_dynamic_field\":true,\"fields\":["
             "{\"name\":\"id\",\"type\":\"INT64\",\"is_primary\":true},"
             "{\"name\":\"vec\",\"type\":\"FLOAT_VECTOR\",\"dim\":%d},"
             "{\"name\":\"tag\",\"type\":\"VARCHAR\",\"max_length\":32},"
             "{\"name\":\"b\",\"type\":\"BOOL\"},"
             "{\"name\":\"i8\",\"type\":\"INT8\"},"
             "{\"name\":\"i16\",\"type\":\"INT16\"},"
             "{\"name\":\"i32\",\"type\":\"INT32\"},"
             "{\"name\":\"f\",\"type\":\"FLOAT\"},"
             "{\"name\":\"d\",\"type\":\"DOUBLE\"},"
             "{\"name\":\"js\",\"type\":\"JSON\"},"
             "{\"name\":\"dflt\",\"type\":\"INT32\",\"default_value\":-7}]},"
             "\"index_params\":[{\"field_name\":\"vec\",\"index_type\":\"FLAT\",\"metric_type\":\"L2\"}]}",
             name, DIM);
    call_ok(c, "create_collection", args);

    static int64_t ids[N];
    static float vecs[N * DIM];
    static bool bs[N];
    static int8_t i8s[N];
    static int16_t i16s[N];
    static int32_t i32s[N];
    static float fs[N];
    static double ds[N];
    static char tagbuf[N][16], jsbuf[N][48], metabuf[N][32];
    static const char *tags[N], *jss[N], *metas[N];
    for (int i = 0; i < N; i++) {
        ids[i] = 1000 + i;
        for (int k = 0; k < DIM; k++) vecs[i * DIM + k] = (float)i + (float)k / 8.0f + 0.1f;
        bs[i] = i % 3 == 0;
        i8s[i] = (int8_t)(i % 256 - 128);
        i16s[i] = (int16_t)(i * 100 - 20000);
        i32s[i] = i * 1000003;
        fs[i] = (float)i / 3.0f;
        ds[i] = (double)i / 7.0;
        snprintf(tagbuf[i], sizeof tagbuf[i], "t%d", i);
        tags[i] = tagbuf[i];
        snprintf(jsbuf[i], sizeof jsbuf[i], "{\"n\":%d,\"s\":\"x\"}", i);
        jss[i] = jsbuf[i];
        snprintf(metabuf[i], sizeof metabuf[i], "{\"extra\":%d}", i * 2);
        metas[i] = metabuf[i];
    }

    milvus_columns *cols = NULL;
    CHECK_STATUS(milvus_columns_new(N, &cols, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_int64(cols, "id", ids, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "vec", vecs, N, DIM, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_varchar(cols, "tag", tags, NULL, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_bool(cols, "b", bs, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_int8(cols, "i8", i8s, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_int16(cols, "i16", i16s, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_int32(cols, "i32", i32s, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_float(cols, "f", fs, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_double(cols, "d", ds, N, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_json(cols, "js", jss, NULL, N, NULL, CHECK_ERR), MILVUS_OK);

    /* Errors while building: nothing is added. */
    CHECK_STATUS(milvus_columns_add_int64(cols, "x", ids, N - 1, NULL, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
    CHECK_STATUS(milvus_columns_add_int64(cols, "id", ids, N, NULL, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int64(cols, "x", NULL, N, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int64(NULL, "x", ids, N, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int64(cols, NULL, ids, N, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "y", vecs, N, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "y", vecs, N - 1, DIM, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
    CHECK_STATUS(milvus_columns_add_json(cols, "z", tags, NULL, N, NULL, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_json(cols, "$meta", tags, NULL, N, NULL, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_json(cols, "$meta", metas, NULL, N, NULL, CHECK_ERR), MILVUS_OK);
    milvus_columns *none = (milvus_columns *)&ids;
    CHECK_STATUS(milvus_columns_new(0, &none, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(none == (milvus_columns *)&ids);
    CHECK_STATUS(milvus_columns_new(1, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);

    /* Schema checks before sending: a missing field, an unknown one, a wrong type, a wrong dim. */
    milvus_result *r = NULL;
    {
        milvus_columns *bad = NULL;
        CHECK_STATUS(milvus_columns_new(2, &bad, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int64(bad, "id", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_client_insert_columns(c, name, bad, NULL, &r, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
        CHECK_STATUS(milvus_columns_add_float_vector(bad, "vec", vecs, 3, DIM, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_float_vector(bad, "vec", vecs, 2, DIM, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_varchar(bad, "tag", tags, NULL, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_bool(bad, "b", bs, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int8(bad, "i8", i8s, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int16(bad, "i16", i16s, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int8(bad, "i32", i8s, 2, NULL, CHECK_ERR), MILVUS_OK); /* int8 fits INT32 */
        CHECK_STATUS(milvus_columns_add_float(bad, "f", fs, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_float(bad, "d", fs, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_json(bad, "js", jss, NULL, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_client_insert_columns(c, name, bad, NULL, &r, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        milvus_columns_free(bad);
        bad = NULL;
        CHECK_STATUS(milvus_columns_new(2, &bad, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int64(bad, "id", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_float_vector(bad, "vec", vecs, 2, DIM - 1, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_client_insert_columns(c, name, bad, NULL, &r, CHECK_ERR), MILVUS_ERR_DIMENSION_MISMATCH);
        milvus_columns *unknown = NULL;
        CHECK_STATUS(milvus_columns_new(2, &unknown, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int64(unknown, "nosuch", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_client_insert_columns(c, name, unknown, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        milvus_columns_free(unknown);
        CHECK_STATUS(milvus_client_insert_columns(c, "c_typed_missing_x", bad, NULL, &r, CHECK_ERR),
                     MILVUS_ERR_COLLECTION_NOT_FOUND);
        CHECK_STATUS(milvus_client_insert_columns(c, name, NULL, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_insert_columns(c, name, bad, "{\"bogus\":1}", &r, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_insert_columns(c, name, bad, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_insert_columns(NULL, name, bad, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(r == NULL);
        milvus_columns_free(bad);
    }

    CHECK_STATUS(milvus_client_insert_columns(c, name, cols, NULL, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_write_count(r) == N);
    CHECK(milvus_result_id_type(r) == MILVUS_ID_INT64);
    CHECK(milvus_result_num_rows(r) == N);
    const int64_t *wid = milvus_result_int64_ids(r);
    CHECK(wid != NULL && wid[0] == 1000 && wid[N - 1] == 1000 + N - 1);
    milvus_buffer b = {0};
    CHECK_STATUS(milvus_result_to_json(r, &b, CHECK_ERR), MILVUS_OK);
    CHECK_JSON_HAS(&b, "\"insert_count\":300");
    CHECK_JSON_HAS(&b, "\"ids\":[1000,1001,");
    milvus_buffer_free(&b);
    milvus_result_free(r);

    /* Query back every column, values exact. */
    r = NULL;
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"filter\":\"id >= 1000\",\"output_fields\":[\"*\"],"
             "\"consistency_level\":\"Strong\",\"limit\":1000}",
             name);
    CHECK_STATUS(milvus_client_query_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_queries(r) == 1);
    CHECK(milvus_result_num_rows(r) == N);
    CHECK(milvus_result_id_type(r) == MILVUS_ID_NONE);
    CHECK(milvus_result_distances(r) == NULL);
    size_t ci = 0, len = 0;
    const int64_t *qid = NULL;
    CHECK_STATUS(milvus_result_column_index(r, "id", &ci, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, ci) == MILVUS_TYPE_INT64);
    CHECK(strcmp(milvus_result_column_name(r, ci), "id") == 0);
    CHECK_STATUS(milvus_result_column_int64(r, ci, &qid, &len, CHECK_ERR), MILVUS_OK);
    CHECK(len == N);
    /* Rows come back in any order: index them by id. */
    int pos[N];
    for (int i = 0; i < N; i++) pos[i] = -1;
    for (size_t i = 0; i < len; i++)
        if (qid[i] >= 1000 && qid[i] < 1000 + N) pos[qid[i] - 1000] = (int)i;
    int all = 1;
    for (int i = 0; i < N; i++) all &= pos[i] >= 0;
    CHECK(all);
    if (!all) goto out;

    size_t cv = 0, dim = 0;
    const void *vp = NULL;
    CHECK_STATUS(milvus_result_column_index(r, "vec", &cv, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, cv) == MILVUS_TYPE_FLOAT_VECTOR);
    CHECK_STATUS(milvus_result_column_vectors(r, cv, &vp, &dim, CHECK_ERR), MILVUS_OK);
    CHECK(dim == DIM);
    int exact = vp != NULL;
    for (int i = 0; exact && i < N; i++)
        exact &= memcmp((const float *)vp + (size_t)pos[i] * DIM, vecs + i * DIM, DIM * sizeof(float)) == 0;
    CHECK(exact);

    size_t ct = 0;
    CHECK_STATUS(milvus_result_column_index(r, "tag", &ct, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, ct) == MILVUS_TYPE_VARCHAR);
    int tags_ok = 1;
    for (int i = 0; i < N; i++) {
        const char *p = NULL;
        size_t l = 0;
        tags_ok &= milvus_result_column_string(r, ct, (size_t)pos[i], &p, &l, NULL) == MILVUS_OK &&
                   str_eq(p, l, tags[i]);
    }
    CHECK(tags_ok);

    const bool *bv = NULL;
    const int32_t *iv = NULL;
    const float *fv = NULL;
    const double *dv = NULL;
    size_t cb, c8, c16, c32, cf, cd, cj, cm, cdf;
    CHECK_STATUS(milvus_result_column_index(r, "b", &cb, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_bool(r, cb, &bv, &len, CHECK_ERR), MILVUS_OK);
    int ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= bv[pos[i]] == bs[i];
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "i8", &c8, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, c8) == MILVUS_TYPE_INT8);
    CHECK_STATUS(milvus_result_column_int32(r, c8, &iv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= iv[pos[i]] == i8s[i];
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "i16", &c16, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_int32(r, c16, &iv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= iv[pos[i]] == i16s[i];
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "i32", &c32, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_int32(r, c32, &iv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= iv[pos[i]] == i32s[i];
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "dflt", &cdf, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_int32(r, cdf, &iv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= iv[i] == -7;
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "f", &cf, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_float(r, cf, &fv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= memcmp(&fv[pos[i]], &fs[i], sizeof(float)) == 0;
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "d", &cd, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_double(r, cd, &dv, &len, CHECK_ERR), MILVUS_OK);
    ok = len == N;
    for (int i = 0; ok && i < N; i++) ok &= memcmp(&dv[pos[i]], &ds[i], sizeof(double)) == 0;
    CHECK(ok);
    CHECK_STATUS(milvus_result_column_index(r, "js", &cj, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, cj) == MILVUS_TYPE_JSON);
    {
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_column_string(r, cj, (size_t)pos[5], &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "{\"n\":5,\"s\":\"x\"}"));
    }
    CHECK_STATUS(milvus_result_column_index(r, "$meta", &cm, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_is_dynamic(r, cm));
    CHECK(!milvus_result_column_is_dynamic(r, cj));
    {
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_column_string(r, cm, (size_t)pos[7], &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "{\"extra\":14}"));
    }
    const bool *valid = (const bool *)&ok;
    CHECK_STATUS(milvus_result_column_validity(r, cj, &valid, &len, CHECK_ERR), MILVUS_OK);
    CHECK(valid == NULL && len == 0);

    /* Accessor errors: wrong type, out of range, unknown name, NULL outputs. */
    CHECK_STATUS(milvus_result_column_float(r, ci, &fv, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    CHECK_STATUS(milvus_result_column_int64(r, 999, &qid, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_result_column_int64(r, ci, NULL, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_column_index(r, "nosuch", &ci, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
    CHECK_STATUS(milvus_result_column_vectors(r, ct, &vp, &dim, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    {
        const char *sp = NULL;
        CHECK_STATUS(milvus_result_column_string(r, ct, N, &sp, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_string_id(r, 0, &sp, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    }
    CHECK(milvus_result_column_name(r, 999) == NULL);
    CHECK(milvus_result_column_type(r, 999) == MILVUS_TYPE_NONE);
    CHECK(milvus_result_num_rows(NULL) == 0 && milvus_result_int64_ids(NULL) == NULL);

    /* The typed result renders exactly as the JSON method answers. */
    milvus_buffer jt = {0}, jj = {0};
    CHECK_STATUS(milvus_result_to_json(r, &jt, CHECK_ERR), MILVUS_OK);
    milvus_result_free(r);
    r = NULL;
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"ids\":[1003,1001],\"output_fields\":[\"tag\",\"vec\",\"extra\"]}",
             name);
    CHECK_STATUS(milvus_client_get_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_rows(r) == 2);
    milvus_buffer_free(&jt);
    CHECK_STATUS(milvus_result_to_json(r, &jt, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_client_get(c, args, &jj, CHECK_ERR), MILVUS_OK);
    CHECK(same_json(&jt, &jj));
    CHECK_JSON_HAS(&jt, "\"extra\":2");
    milvus_buffer_free(&jt);
    milvus_buffer_free(&jj);
    milvus_result_free(r);

    /* Search: two queries, top 5, output tag; compare with the JSON path. */
    r = NULL;
    const char *opts = "{\"limit\":5,\"output_fields\":[\"tag\"],\"consistency_level\":\"Strong\"}";
    CHECK_STATUS(milvus_client_search_float(c, name, "vec", vecs + 10 * DIM, 2, DIM, opts, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_queries(r) == 2);
    CHECK(milvus_result_num_rows(r) == 10);
    CHECK(milvus_result_hit_offset(r, 0) == 0 && milvus_result_hit_count(r, 0) == 5);
    CHECK(milvus_result_hit_offset(r, 1) == 5 && milvus_result_hit_count(r, 1) == 5);
    CHECK(milvus_result_hit_count(r, 2) == 0);
    const int64_t *sid = milvus_result_int64_ids(r);
    const float *dist = milvus_result_distances(r);
    CHECK(sid != NULL && sid[0] == 1010 && sid[5] == 1011);
    CHECK(dist != NULL && dist[0] == 0.0f && dist[1] > 0.0f);
    CHECK_STATUS(milvus_result_column_index(r, "tag", &ct, CHECK_ERR), MILVUS_OK);
    {
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_column_string(r, ct, 5, &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "t11"));
    }
    CHECK_STATUS(milvus_result_to_json(r, &jt, CHECK_ERR), MILVUS_OK);
    milvus_result_free(r);
    {
        char sargs[1024];
        int n = snprintf(sargs, sizeof sargs, "{\"collection_name\":\"%s\",\"anns_field\":\"vec\",\"limit\":5,"
                         "\"output_fields\":[\"tag\"],\"consistency_level\":\"Strong\",\"data\":[", name);
        for (int q = 0; q < 2; q++) {
            n += snprintf(sargs + n, sizeof sargs - (size_t)n, "%s[", q ? "," : "");
            for (int k = 0; k < DIM; k++)
                n += snprintf(sargs + n, sizeof sargs - (size_t)n, "%s%.9g", k ? "," : "", (double)vecs[(10 + q) * DIM + k]);
            n += snprintf(sargs + n, sizeof sargs - (size_t)n, "]");
        }
        snprintf(sargs + n, sizeof sargs - (size_t)n, "]}");
        CHECK_STATUS(milvus_client_search(c, sargs, &jj, CHECK_ERR), MILVUS_OK);
        CHECK(same_json(&jt, &jj));
        r = NULL;
        CHECK_STATUS(milvus_client_search_typed(c, sargs, &r, CHECK_ERR), MILVUS_OK);
        CHECK(milvus_result_num_rows(r) == 10 && milvus_result_int64_ids(r)[5] == 1011);
        milvus_result_free(r);
    }
    milvus_buffer_free(&jt);
    milvus_buffer_free(&jj);

    /* Search errors: wrong dim (the schema is cached), no vectors, data in options. */
    r = NULL;
    CHECK_STATUS(milvus_client_search_float(c, name, "vec", vecs, 1, DIM + 1, opts, &r, CHECK_ERR),
                 MILVUS_ERR_DIMENSION_MISMATCH);
    CHECK_STATUS(milvus_client_search_float(c, name, "vec", NULL, 1, DIM, opts, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(c, name, "vec", vecs, 0, DIM, opts, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(c, name, "vec", vecs, 1, DIM, "{\"data\":[[1]]}", &r, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_columns(c, name, cols, opts, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(r == NULL);

    /* Upsert: the same builder type replaces rows by primary key. */
    {
        milvus_columns *up = NULL;
        const char *newtags[2] = {"up0", "up1"};
        CHECK_STATUS(milvus_columns_new(2, &up, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int64(up, "id", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_float_vector(up, "vec", vecs, 2, DIM, CHECK_ERR), MILVUS_OK);
        size_t lens[2] = {3, 3};
        CHECK_STATUS(milvus_columns_add_varchar(up, "tag", newtags, lens, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_bool(up, "b", bs, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int8(up, "i8", i8s, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int16(up, "i16", i16s, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_int32(up, "i32", i32s, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_float(up, "f", fs, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_double(up, "d", ds, 2, NULL, CHECK_ERR), MILVUS_OK);
        CHECK_STATUS(milvus_columns_add_json(up, "js", jss, NULL, 2, NULL, CHECK_ERR), MILVUS_OK);
        r = NULL;
        CHECK_STATUS(milvus_client_upsert_columns(c, name, up, NULL, &r, CHECK_ERR), MILVUS_OK);
        CHECK(milvus_result_write_count(r) == 2);
        milvus_result_free(r);
        milvus_columns_free(up);
        snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"ids\":[1000],\"output_fields\":[\"tag\"],\"consistency_level\":\"Strong\"}", name);
        r = NULL;
        CHECK_STATUS(milvus_client_get_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
        CHECK(milvus_result_num_rows(r) == 1);
        CHECK_STATUS(milvus_result_column_index(r, "tag", &ct, CHECK_ERR), MILVUS_OK);
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_column_string(r, ct, 0, &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "up0"));
        milvus_result_free(r);
    }

    /* A query iterator read as typed pages. */
    {
        milvus_iterator *it = NULL;
        snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"batch_size\":128,\"output_fields\":[\"id\"]}", name);
        CHECK_STATUS(milvus_client_query_iterator(c, args, &it, CHECK_ERR), MILVUS_OK);
        size_t total = 0, pages = 0;
        for (;;) {
            r = NULL;
            if (CHECK_STATUS(milvus_iterator_next_typed(it, &r, CHECK_ERR), MILVUS_OK) != MILVUS_OK) break;
            size_t n = milvus_result_num_rows(r);
            milvus_result_free(r);
            r = NULL;
            if (n == 0) break;
            total += n;
            pages++;
        }
        CHECK(total == N);
        CHECK(pages == 3);
        milvus_iterator_free(it);
    }

out:
    milvus_result_free(r);
    milvus_columns_free(cols);
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", name);
    call_ok(c, "drop_collection", args);
}

/* float16 / bfloat16 / binary / sparse vectors and hybrid search: Milvus Lite only. */
static void newer_vectors(milvus_client *c) {
    char name[64], args[2048];
    snprintf(name, sizeof name, "c_typed_vec_%ld", (long)getpid());
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"schema\":{\"fields\":["
             "{\"name\":\"pk\",\"type\":\"VARCHAR\",\"max_length\":16,\"is_primary\":true},"
             "{\"name\":\"h\",\"type\":\"FLOAT16_VECTOR\",\"dim\":4},"
             "{\"name\":\"bh\",\"type\":\"BFLOAT16_VECTOR\",\"dim\":4},"
             "{\"name\":\"bin\",\"type\":\"BINARY_VECTOR\",\"dim\":16},"
             "{\"name\":\"sp\",\"type\":\"SPARSE_FLOAT_VECTOR\"}]},"
             "\"index_params\":["
             "{\"field_name\":\"h\",\"index_type\":\"FLAT\",\"metric_type\":\"L2\"},"
             "{\"field_name\":\"bh\",\"index_type\":\"FLAT\",\"metric_type\":\"L2\"},"
             "{\"field_name\":\"bin\",\"index_type\":\"BIN_FLAT\",\"metric_type\":\"HAMMING\"},"
             "{\"field_name\":\"sp\",\"index_type\":\"SPARSE_INVERTED_INDEX\",\"metric_type\":\"IP\"}]}",
             name);
    call_ok(c, "create_collection", args);
    enum { M = 3 };
    const char *pks[M] = {"a", "b", "c"};
    /* 1.0, -2.5, 0.5, 2.0 in IEEE half; rows differ by their first element. */
    uint16_t h[M * 4], bh[M * 4];
    for (int i = 0; i < M; i++) {
        uint16_t hv[4] = {(uint16_t)(0x3C00 + i), 0xC100, 0x3800, 0x4000};
        uint16_t bv[4] = {(uint16_t)(0x3F80 + i), 0xC020, 0x3F00, 0x4000};
        memcpy(h + i * 4, hv, sizeof hv);
        memcpy(bh + i * 4, bv, sizeof bv);
    }
    uint8_t bin[M * 2] = {0x0F, 0xF0, 0xFF, 0x00, 0xAA, 0x55};
    uint64_t indptr[M + 1] = {0, 2, 3, 5};
    uint32_t idx[5] = {9, 1, 4, 2, 3};
    float val[5] = {0.5f, 0.25f, 1.0f, 2.0f, 3.0f};
    milvus_columns *cols = NULL;
    CHECK_STATUS(milvus_columns_new(M, &cols, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_varchar(cols, "pk", pks, NULL, M, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_float16_vector(cols, "h", h, M, 4, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_bfloat16_vector(cols, "bh", bh, M, 4, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_binary_vector(cols, "bin", bin, M, 12, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_binary_vector(cols, "bin", bin, M, 16, CHECK_ERR), MILVUS_OK);
    uint64_t badptr[M + 1] = {0, 2, 1, 5};
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "sp", badptr, idx, val, M, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "sp", indptr, idx, val, M, CHECK_ERR), MILVUS_OK);
    milvus_result *r = NULL;
    CHECK_STATUS(milvus_client_insert_columns(c, name, cols, NULL, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_id_type(r) == MILVUS_ID_STRING);
    {
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_string_id(r, 2, &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "c"));
        CHECK_STATUS(milvus_result_string_id(r, 3, &p, &l, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    }
    milvus_result_free(r);

    r = NULL;
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"ids\":[\"a\",\"b\",\"c\"],\"output_fields\":[\"*\"],"
             "\"consistency_level\":\"Strong\"}", name);
    CHECK_STATUS(milvus_client_get_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_rows(r) == M);
    size_t cp = 0, ch = 0, cbh = 0, cbin = 0, csp = 0, len = 0, dim = 0;
    CHECK_STATUS(milvus_result_column_index(r, "pk", &cp, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_index(r, "h", &ch, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_index(r, "bh", &cbh, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_index(r, "bin", &cbin, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_index(r, "sp", &csp, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_column_type(r, ch) == MILVUS_TYPE_FLOAT16_VECTOR);
    CHECK(milvus_result_column_type(r, csp) == MILVUS_TYPE_SPARSE_FLOAT_VECTOR);
    int pos[M] = {-1, -1, -1};
    for (size_t i = 0; i < M; i++) {
        const char *p = NULL;
        size_t l = 0;
        if (milvus_result_column_string(r, cp, i, &p, &l, NULL) == MILVUS_OK && l == 1) pos[p[0] - 'a'] = (int)i;
    }
    CHECK(pos[0] >= 0 && pos[1] >= 0 && pos[2] >= 0);
    if (pos[0] >= 0 && pos[1] >= 0 && pos[2] >= 0) {
        const void *vp = NULL;
        CHECK_STATUS(milvus_result_column_vectors(r, ch, &vp, &dim, CHECK_ERR), MILVUS_OK);
        CHECK(dim == 4);
        int ok = 1;
        for (int i = 0; i < M; i++) ok &= memcmp((const uint16_t *)vp + pos[i] * 4, h + i * 4, 8) == 0;
        CHECK(ok);
        CHECK_STATUS(milvus_result_column_vectors(r, cbh, &vp, &dim, CHECK_ERR), MILVUS_OK);
        ok = dim == 4;
        for (int i = 0; i < M; i++) ok &= memcmp((const uint16_t *)vp + pos[i] * 4, bh + i * 4, 8) == 0;
        CHECK(ok);
        CHECK_STATUS(milvus_result_column_vectors(r, cbin, &vp, &dim, CHECK_ERR), MILVUS_OK);
        ok = dim == 16;
        for (int i = 0; i < M; i++) ok &= memcmp((const uint8_t *)vp + pos[i] * 2, bin + i * 2, 2) == 0;
        CHECK(ok);
        const uint8_t *pairs = NULL;
        CHECK_STATUS(milvus_result_column_sparse(r, csp, (size_t)pos[0], &pairs, &len, CHECK_ERR), MILVUS_OK);
        CHECK(len == 2);
        if (len == 2) {
            uint32_t i0, i1;
            float v0, v1;
            memcpy(&i0, pairs, 4);
            memcpy(&v0, pairs + 4, 4);
            memcpy(&i1, pairs + 8, 4);
            memcpy(&v1, pairs + 12, 4);
            CHECK(i0 == 1 && v0 == 0.25f && i1 == 9 && v1 == 0.5f);
        }
        CHECK_STATUS(milvus_result_column_sparse(r, ch, 0, &pairs, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    }
    milvus_result_free(r);

    /* Search with a sparse query column and with a float16 one; then hybrid over both. */
    milvus_columns *q = NULL;
    uint64_t qptr[2] = {0, 1};
    uint32_t qidx[1] = {3};
    float qval[1] = {1.0f};
    CHECK_STATUS(milvus_columns_new(1, &q, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_sparse_vector(q, "sp", qptr, qidx, qval, 1, CHECK_ERR), MILVUS_OK);
    r = NULL;
    CHECK_STATUS(milvus_client_search_columns(c, name, q, "{\"limit\":3}", &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_rows(r) == 1);
    {
        const char *p = NULL;
        size_t l = 0;
        CHECK_STATUS(milvus_result_string_id(r, 0, &p, &l, CHECK_ERR), MILVUS_OK);
        CHECK(str_eq(p, l, "c"));
        const float *d = milvus_result_distances(r);
        CHECK(d != NULL && d[0] == 3.0f);
    }
    milvus_result_free(r);
    CHECK_STATUS(milvus_columns_add_float16_vector(q, "h", h + 4, 1, 4, CHECK_ERR), MILVUS_OK);
    r = NULL;
    CHECK_STATUS(milvus_client_search_columns(c, name, q, "{\"limit\":3}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    const char *hopts =
        "{\"reqs\":[{\"anns_field\":\"h\",\"limit\":3},{\"anns_field\":\"sp\",\"limit\":3}],"
        "\"ranker\":{\"strategy\":\"rrf\",\"params\":{\"k\":60}},\"limit\":2,\"output_fields\":[\"pk\"]}";
    CHECK_STATUS(milvus_client_hybrid_search_columns(c, name, q, hopts, &r, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_num_queries(r) == 1);
    CHECK(milvus_result_num_rows(r) == 2);
    CHECK(milvus_result_id_type(r) == MILVUS_ID_STRING);
    milvus_result_free(r);
    r = NULL;
    const char *missing =
        "{\"reqs\":[{\"anns_field\":\"bh\",\"limit\":3}],\"ranker\":{\"strategy\":\"rrf\"}}";
    CHECK_STATUS(milvus_client_hybrid_search_columns(c, name, q, missing, &r, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
    CHECK(r == NULL);
    milvus_columns_free(q);
    milvus_columns_free(cols);
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", name);
    call_ok(c, "drop_collection", args);
}

int main(void) {
    const char *uris[] = {check_env("MILVUS_URI", "http://127.0.0.1:19530"),
                          check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531")};
    const char *labels[] = {"standalone", "lite"};
    for (size_t i = 0; i < 2; i++) {
        printf("== %s\n", uris[i]);
        milvus_client *c = NULL;
        CHECK_STATUS(milvus_client_new(uris[i], NULL, NULL, NULL, 60.0, &c, CHECK_ERR), MILVUS_OK);
        if (!c) continue;
        scalars_and_float_vectors(c, labels[i]);
        if (i == 1) newer_vectors(c);
        milvus_client_free(c);
    }
    return CHECK_SUMMARY();
}
