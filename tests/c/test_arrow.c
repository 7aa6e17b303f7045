/* The Arrow C Data Interface through the C ABI: a batch made here in C (the producer) inserted
 * with milvus_columns_add_arrow; typed query and search results exported with
 * milvus_result_export_arrow and read after milvus_result_free (the exported batch owns what
 * it needs), the FLOAT_VECTOR child sharing the result's memory; and bad input (NULL
 * pointers, released structs, malformed or unmappable columns), each with its exact status,
 * every struct handed over released exactly once. On Milvus 2.3.5 and Milvus Lite. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define N 50
#define DIM 8

static int released_schemas, released_arrays;

/* The children belong to their parent, which releases them. */
static void release_child_schema(struct ArrowSchema *s) { s->release = NULL; }
static void release_child_array(struct ArrowArray *a) { a->release = NULL; }

static void release_schema(struct ArrowSchema *s) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (s->children[i]->release) s->children[i]->release(s->children[i]);
    s->release = NULL;
    released_schemas++;
}

static void release_array(struct ArrowArray *a) {
    for (int64_t i = 0; i < a->n_children; i++)
        if (a->children[i] && a->children[i]->release) a->children[i]->release(a->children[i]);
    a->release = NULL;
    released_arrays++;
}

/* One batch of N rows: id int64, vec fixed_size_list<float32>[DIM], tag utf8. */
struct batch {
    struct ArrowSchema schema, kids[3], item;
    struct ArrowSchema *kid_ptrs[3], *item_ptr;
    struct ArrowArray array, cols[3], items;
    struct ArrowArray *col_ptrs[3], *items_ptr;
    const void *top_bufs[1], *id_bufs[2], *vec_bufs[1], *item_bufs[2], *tag_bufs[3];
    int64_t ids[N];
    float vecs[N * DIM];
    int32_t tag_offsets[N + 1];
    char tags[N * 8];
};

static float vec_value(int64_t id, int k) { return (float)id + (float)k / 8.0f + 0.25f; }

static void make_batch(struct batch *b, int64_t first_id) {
    memset(b, 0, sizeof *b);
    int32_t at = 0;
    for (int i = 0; i < N; i++) {
        b->ids[i] = first_id + i;
        for (int k = 0; k < DIM; k++) b->vecs[i * DIM + k] = vec_value(first_id + i, k);
        b->tag_offsets[i] = at;
        at += snprintf(b->tags + at, 8, "t%d", i % 7);
    }
    b->tag_offsets[N] = at;

    static const char *names[3] = {"id", "vec", "tag"};
    static const char *formats[3] = {"l", "+w:8", "u"};
    for (int i = 0; i < 3; i++) {
        b->kids[i] = (struct ArrowSchema){.format = formats[i], .name = names[i],
                                          .release = release_child_schema};
        b->kid_ptrs[i] = &b->kids[i];
    }
    b->item = (struct ArrowSchema){.format = "f", .name = "item", .release = release_child_schema};
    b->item_ptr = &b->item;
    b->kids[1].n_children = 1;
    b->kids[1].children = &b->item_ptr;
    b->schema = (struct ArrowSchema){.format = "+s", .name = "", .n_children = 3,
                                     .children = b->kid_ptrs, .release = release_schema};

    b->id_bufs[1] = b->ids;
    b->item_bufs[1] = b->vecs;
    b->tag_bufs[1] = b->tag_offsets;
    b->tag_bufs[2] = b->tags;
    b->cols[0] = (struct ArrowArray){.length = N, .n_buffers = 2, .buffers = b->id_bufs,
                                     .release = release_child_array};
    b->items = (struct ArrowArray){.length = N * DIM, .n_buffers = 2, .buffers = b->item_bufs,
                                   .release = release_child_array};
    b->items_ptr = &b->items;
    b->cols[1] = (struct ArrowArray){.length = N, .n_buffers = 1, .buffers = b->vec_bufs,
                                     .n_children = 1, .children = &b->items_ptr,
                                     .release = release_child_array};
    b->cols[2] = (struct ArrowArray){.length = N, .n_buffers = 3, .buffers = b->tag_bufs,
                                     .release = release_child_array};
    for (int i = 0; i < 3; i++) b->col_ptrs[i] = &b->cols[i];
    b->array = (struct ArrowArray){.length = N, .n_buffers = 1, .buffers = b->top_bufs,
                                   .n_children = 3, .children = b->col_ptrs,
                                   .release = release_array};
}

static void call_ok(milvus_client *c, const char *method, const char *args) {
    milvus_buffer b = {0};
    CHECK_STATUS(milvus_client_call(c, method, args, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
}

/* The exported child named `name`, or NULL. */
static int child(const struct ArrowSchema *s, const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0) return (int)i;
    return -1;
}

static int has(const char *message, const char *part) {
    return message != NULL && strstr(message, part) != NULL;
}

static void insert_and_read_back(milvus_client *c, const char *label) {
    char name[64], args[1024];
    snprintf(name, sizeof name, "c_arrow_%s_%ld", label, (long)getpid());
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"schema\":{\"fields\":["
             "{\"name\":\"id\",\"type\":\"INT64\",\"is_primary\":true},"
             "{\"name\":\"vec\",\"type\":\"FLOAT_VECTOR\",\"dim\":%d},"
             "{\"name\":\"tag\",\"type\":\"VARCHAR\",\"max_length\":16}]},"
             "\"index_params\":[{\"field_name\":\"vec\",\"index_type\":\"FLAT\",\"metric_type\":\"L2\"}]}",
             name, DIM);
    call_ok(c, "create_collection", args);

    static struct batch b;
    make_batch(&b, 1000);
    milvus_columns *cols = NULL;
    CHECK_STATUS(milvus_columns_new(N, &cols, CHECK_ERR), MILVUS_OK);
    int rs = released_schemas, ra = released_arrays;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_OK);
    CHECK(b.schema.release == NULL && b.array.release == NULL); /* moved */
    CHECK(released_schemas == rs + 1 && released_arrays == ra + 1);
    milvus_result *w = NULL;
    CHECK_STATUS(milvus_client_insert_columns(c, name, cols, NULL, &w, CHECK_ERR), MILVUS_OK);
    CHECK(milvus_result_write_count(w) == N);
    milvus_result_free(w);
    milvus_columns_free(cols);

    /* Query: read after the result is freed. */
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"filter\":\"id >= 0\",\"output_fields\":[\"id\",\"vec\",\"tag\"],"
             "\"limit\":100,\"consistency_level\":\"Strong\"}",
             name);
    milvus_result *r = NULL;
    CHECK_STATUS(milvus_client_query_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
    struct ArrowSchema s;
    struct ArrowArray a;
    CHECK_STATUS(milvus_result_export_arrow(r, &s, &a, CHECK_ERR), MILVUS_OK);
    milvus_result_free(r);
    CHECK(strcmp(s.format, "+s") == 0);
    CHECK(a.length == N && a.n_children == s.n_children);
    int ci = child(&s, "id"), cv = child(&s, "vec"), ct = child(&s, "tag");
    if (CHECK(ci >= 0 && cv >= 0 && ct >= 0)) {
        CHECK(strcmp(s.children[ci]->format, "l") == 0);
        CHECK(strcmp(s.children[cv]->format, "+w:8") == 0);
        CHECK(strcmp(s.children[cv]->children[0]->format, "f") == 0);
        CHECK(strcmp(s.children[ct]->format, "u") == 0);
        const int64_t *ids = a.children[ci]->buffers[1];
        const float *vecs = a.children[cv]->children[0]->buffers[1];
        const int32_t *offs = a.children[ct]->buffers[1];
        const char *tags = a.children[ct]->buffers[2];
        int good = 0;
        for (int i = 0; i < N; i++) {
            int64_t id = ids[i], row = id - 1000;
            char want[8];
            snprintf(want, sizeof want, "t%d", (int)(row % 7));
            bool ok = row >= 0 && row < N && (size_t)(offs[i + 1] - offs[i]) == strlen(want) &&
                      memcmp(tags + offs[i], want, strlen(want)) == 0;
            for (int k = 0; ok && k < DIM; k++) ok = vecs[i * DIM + k] == vec_value(id, k);
            good += ok;
        }
        CHECK(good == N);
    }
    s.release(&s);
    a.release(&a);
    CHECK(s.release == NULL && a.release == NULL);

    /* Search: the FLOAT_VECTOR child and the distances share the result's memory. */
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"data\":[[1003.25,1003.375,1003.5,1003.625,1003.75,"
             "1003.875,1004,1004.125]],\"limit\":5,\"output_fields\":[\"vec\"],"
             "\"consistency_level\":\"Strong\"}",
             name);
    r = NULL;
    CHECK_STATUS(milvus_client_search_typed(c, args, &r, CHECK_ERR), MILVUS_OK);
    size_t col = 0, dim = 0;
    const void *shared = NULL;
    CHECK_STATUS(milvus_result_column_index(r, "vec", &col, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_result_column_vectors(r, col, &shared, &dim, CHECK_ERR), MILVUS_OK);
    const float *distances = milvus_result_distances(r);
    int64_t first_id = milvus_result_num_rows(r) > 0 ? milvus_result_int64_ids(r)[0] : -1;
    CHECK_STATUS(milvus_result_export_arrow(r, &s, &a, CHECK_ERR), MILVUS_OK);
    milvus_result_free(r);
    CHECK(a.length == 5 && s.n_children == 4);
    if (CHECK(a.length == 5 && s.n_children == 4)) {
        CHECK(strcmp(s.children[0]->name, "query_index") == 0);
        CHECK(strcmp(s.children[1]->name, "id") == 0);
        CHECK(strcmp(s.children[2]->name, "distance") == 0);
        CHECK(strcmp(s.children[3]->name, "vec") == 0);
        CHECK(a.children[3]->children[0]->buffers[1] == shared); /* no copy */
        CHECK(a.children[2]->buffers[1] == (const void *)distances);
        const int64_t *q = a.children[0]->buffers[1];
        const int64_t *ids = a.children[1]->buffers[1];
        const float *d = a.children[2]->buffers[1];
        const float *v = a.children[3]->children[0]->buffers[1];
        CHECK(q[0] == 0 && q[4] == 0);
        CHECK(ids[0] == 1003 && first_id == 1003);
        CHECK(d[0] == 0.0f && d[1] > 0.0f);
        CHECK(v[0] == vec_value(1003, 0) && v[DIM - 1] == vec_value(1003, DIM - 1));
    }
    s.release(&s);
    a.release(&a);

    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", name);
    call_ok(c, "drop_collection", args);
}

/* Bad input: the exact status, the column named, every struct released once. */
static void bad_input(void) {
    static struct batch b;
    milvus_columns *cols = NULL;
    CHECK_STATUS(milvus_columns_new(N, &cols, CHECK_ERR), MILVUS_OK);

    int rs = released_schemas, ra = released_arrays;
    make_batch(&b, 0);
    CHECK_STATUS(milvus_columns_add_arrow(NULL, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "columns"));
    CHECK(released_schemas == rs + 1 && released_arrays == ra + 1);
    make_batch(&b, 0);
    CHECK_STATUS(milvus_columns_add_arrow(cols, NULL, &b.array, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(released_arrays == ra + 2 && b.array.release == NULL);
    make_batch(&b, 0);
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(released_schemas == rs + 2 && b.schema.release == NULL);
    b.array.release(&b.array);
    ra++;

    /* Already released (moved) structs. */
    make_batch(&b, 0);
    b.array.release(&b.array);
    ra++;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "released"));
    CHECK(released_schemas == rs + 3 && released_arrays == ra + 2);

    /* A type with no Milvus counterpart (date64), named. */
    make_batch(&b, 0);
    b.kids[0].format = "tdm";
    b.kids[0].name = "when";
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "\"when\""));

    /* Not a struct array. */
    make_batch(&b, 0);
    b.schema.format = "l";
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);

    /* Malformed data, found by the full validation and named: offsets going backwards, then a
     * string that is not UTF-8, then a NULL child. */
    make_batch(&b, 0);
    b.tag_offsets[3] = 1000;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "\"tag\""));
    make_batch(&b, 0);
    b.tags[0] = (char)0xff;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "\"tag\""));
    make_batch(&b, 0);
    b.col_ptrs[2] = NULL;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "\"tag\""));
    make_batch(&b, 0);
    b.kids[1].n_children = -1;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "\"vec\""));
    make_batch(&b, 0);
    b.cols[0].length = N - 1;
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);

    /* Another row count than the builder's. */
    make_batch(&b, 0);
    milvus_columns *other = NULL;
    CHECK_STATUS(milvus_columns_new(N + 1, &other, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_arrow(other, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
    milvus_columns_free(other);

    /* Each failure above left the builder empty: the good batch still goes in, once. */
    make_batch(&b, 0);
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_OK);
    make_batch(&b, 0);
    CHECK_STATUS(milvus_columns_add_arrow(cols, &b.schema, &b.array, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(has(milvus_error_message(CHECK_LAST_ERROR()), "already added"));
    /* 13 calls handed over a live schema, 12 a live array. */
    CHECK(released_schemas == rs + 13);
    CHECK(released_arrays == ra + 12);
    CHECK(b.schema.release == NULL && b.array.release == NULL);

    /* Export: NULL arguments. */
    struct ArrowSchema s;
    struct ArrowArray a;
    CHECK_STATUS(milvus_result_export_arrow(NULL, &s, &a, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    milvus_columns_free(cols);
}

int main(void) {
    bad_input();
    const char *uris[] = {check_env("MILVUS_URI", "http://127.0.0.1:19530"),
                          check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531")};
    const char *labels[] = {"standalone", "lite"};
    for (size_t i = 0; i < 2; i++) {
        printf("== %s\n", uris[i]);
        milvus_client *c = NULL;
        CHECK_STATUS(milvus_client_new(uris[i], NULL, NULL, NULL, 60.0, &c, CHECK_ERR), MILVUS_OK);
        if (!c) continue;
        insert_and_read_back(c, labels[i]);
        milvus_client_free(c);
    }
    return CHECK_SUMMARY();
}
