/*
 * app.c: a C program built outside the source tree against an installed libmilvus
 * (tests/install/run.sh builds it with pkg-config and with CMake, shared and static).
 *
 *     app URI COLLECTION
 *
 * Connects, creates COLLECTION, inserts 3 rows, searches, checks the nearest hit exactly,
 * drops COLLECTION. Prints "app.c: ok" and exits 0 only if all of that worked.
 */
#include <milvus.h>
#include <stdio.h>
#include <string.h>

static int call(milvus_client *c, const char *method, const char *args, const char *want) {
    milvus_buffer out = {0};
    milvus_error *err = NULL;
    milvus_status st = milvus_client_call(c, method, args, &out, &err);
    if (st != MILVUS_OK) {
        fprintf(stderr, "app.c: %s: %s: %s\n", method, milvus_status_str(st), milvus_error_message(err));
        milvus_error_free(err);
        return 0;
    }
    int ok = want == NULL || strcmp((const char *)out.data, want) == 0;
    if (!ok) fprintf(stderr, "app.c: %s returned %s, expected %s\n", method, (const char *)out.data, want);
    milvus_buffer_free(&out);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: app URI COLLECTION\n");
        return 2;
    }
    if (strcmp(milvus_version(), MILVUS_VERSION_STRING) != 0) {
        fprintf(stderr, "app.c: header %s, library %s\n", MILVUS_VERSION_STRING, milvus_version());
        return 1;
    }
    milvus_client *c = NULL;
    milvus_error *err = NULL;
    milvus_status st = milvus_client_new(argv[1], NULL, NULL, NULL, 30.0, &c, &err);
    if (st != MILVUS_OK) {
        fprintf(stderr, "app.c: connect: %s: %s\n", milvus_status_str(st), milvus_error_message(err));
        milvus_error_free(err);
        return 1;
    }
    char name[256], args[1024];
    snprintf(name, sizeof name, "\"collection_name\": \"%s\"", argv[2]);
    int ok = 1;
    snprintf(args, sizeof args, "{%s}", name);
    ok = ok && call(c, "drop_collection", args, "null");
    snprintf(args, sizeof args, "{%s, \"dimension\": 2, \"metric_type\": \"L2\"}", name);
    ok = ok && call(c, "create_collection", args, "null");
    snprintf(args, sizeof args,
             "{%s, \"data\": [{\"id\": 1, \"vector\": [0, 1]}, {\"id\": 2, \"vector\": [3, 4]},"
             " {\"id\": 3, \"vector\": [-1, 0.5]}]}", name);
    ok = ok && call(c, "insert", args, "{\"cost\":0,\"ids\":[1,2,3],\"insert_count\":3}");
    snprintf(args, sizeof args,
             "{%s, \"data\": [[3, 3.5]], \"limit\": 1, \"consistency_level\": \"Strong\"}", name);
    ok = ok && call(c, "search", args, "[[{\"id\":2,\"distance\":0.25,\"entity\":{}}]]");
    snprintf(args, sizeof args, "{%s}", name);
    ok = call(c, "drop_collection", args, "null") && ok;
    milvus_client_free(c);
    if (ok) printf("app.c: ok\n");
    return ok ? 0 : 1;
}
