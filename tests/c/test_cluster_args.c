/*
 * test_cluster_args.c: the argument checks of the snapshot, replication, external collection
 * and file resource methods, through each one's export and through milvus_client_call: a
 * missing, mistyped or out-of-range argument and an unknown key are refused before anything
 * is sent, with the status pymilvus's refusal maps to; a NULL client or result is
 * MILVUS_ERR_NULL_ARGUMENT, bad UTF-8 MILVUS_ERR_INVALID_UTF8, bad JSON MILVUS_ERR_INVALID_JSON.
 * Valid arguments reach the server: the three test servers predate these RPCs and answer
 * MILVUS_ERR_UNIMPLEMENTED. Runs against MILVUS_URI, MILVUS_LITE_URI and MILVUS_LITE3_URI.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

typedef milvus_status (*method_fn)(const milvus_client *, const char *, milvus_buffer *,
                                   milvus_error **);

static const struct {
    const char *name;
    method_fn fn;
    const char *valid; /* arguments the server gets to judge */
} METHODS[] = {
    {"create_snapshot", milvus_client_create_snapshot,
     "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"db_name\":\"d\",\"description\":\"x\","
     "\"compaction_protection_seconds\":60,\"timeout\":30}"},
    {"drop_snapshot", milvus_client_drop_snapshot,
     "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"db_name\":\"d\"}"},
    {"list_snapshots", milvus_client_list_snapshots, "{}"},
    {"describe_snapshot", milvus_client_describe_snapshot,
     "{\"snapshot_name\":\"s\",\"collection_name\":\"c\"}"},
    {"restore_snapshot", milvus_client_restore_snapshot,
     "{\"snapshot_name\":\"s\",\"source_collection_name\":\"c\",\"target_collection_name\":\"t\","
     "\"source_db_name\":\"a\",\"target_db_name\":\"b\"}"},
    {"get_restore_snapshot_state", milvus_client_get_restore_snapshot_state, "{\"job_id\":1}"},
    {"list_restore_snapshot_jobs", milvus_client_list_restore_snapshot_jobs,
     "{\"collection_name\":null,\"db_name\":null}"},
    {"pin_snapshot_data", milvus_client_pin_snapshot_data,
     "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"ttl_seconds\":0}"},
    {"unpin_snapshot_data", milvus_client_unpin_snapshot_data, "{\"pin_id\":9}"},
    {"update_replicate_configuration", milvus_client_update_replicate_configuration,
     "{\"clusters\":[{\"cluster_id\":\"a\",\"connection_param\":{\"uri\":\"http://a\"}}],"
     "\"cross_cluster_topology\":[],\"force_promote\":false}"},
    {"get_replicate_configuration", milvus_client_get_replicate_configuration, NULL},
    {"get_replicate_info", milvus_client_get_replicate_info,
     "{\"source_cluster_id\":\"a\",\"target_pchannel\":\"p\"}"},
    {"refresh_external_collection", milvus_client_refresh_external_collection,
     "{\"collection_name\":\"c\",\"external_source\":\"s3://b/\",\"external_spec\":\"{}\","
     "\"db_name\":\"d\"}"},
    {"get_refresh_external_collection_progress",
     milvus_client_get_refresh_external_collection_progress, "{\"job_id\":0}"},
    {"list_refresh_external_collection_jobs", milvus_client_list_refresh_external_collection_jobs,
     ""},
    {"add_file_resource", milvus_client_add_file_resource, "{\"name\":\"f\",\"path\":\"/f\"}"},
    {"remove_file_resource", milvus_client_remove_file_resource, "{\"name\":\"f\"}"},
    {"list_file_resources", milvus_client_list_file_resources, " { } "},
};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

static const milvus_client *client;

static method_fn export_of(const char *name) {
    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(METHODS[i].name, name) == 0) return METHODS[i].fn;
    return NULL;
}

static char sentinel_byte;
#define SENTINEL_DATA ((uint8_t *)&sentinel_byte)
#define SENTINEL_LEN ((size_t)4242)

/* The method called directly and by name: both give `want`, the buffer is untouched on
 * failure, and the error names the same status. */
static void expect_at(const char *name, const char *args, milvus_status want, int line) {
    method_fn fn = export_of(name);
    if (!CHECK(fn != NULL)) return;
    for (int by_name = 0; by_name < 2; by_name++) {
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        milvus_error *err = NULL;
        milvus_status s = by_name ? milvus_client_call(client, name, args, &b, &err)
                                  : fn(client, args, &b, &err);
        if (!CHECK(s == want))
            printf("     test_cluster_args.c:%d: %s%s(%s): expected %s, got %s: %s\n", line,
                   by_name ? "call " : "", name, args ? args : "NULL", milvus_status_str(want),
                   milvus_status_str(s), err ? milvus_error_message(err) : "");
        if (s == MILVUS_OK) {
            milvus_buffer_free(&b);
            continue;
        }
        CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
        if (CHECK(err != NULL)) {
            CHECK(milvus_error_status(err) == s);
            CHECK(milvus_error_message(err)[0] != '\0');
        }
        milvus_error_free(err);
    }
}
#define EXPECT(name, args, want) expect_at((name), (args), (want), __LINE__)

/* No client, no result, bad text: the same for every method. */
static void test_boundaries(void) {
    for (size_t i = 0; i < NMETHODS; i++) {
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(METHODS[i].fn(NULL, METHODS[i].valid, &b, CHECK_ERR),
                     MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(METHODS[i].fn(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(METHODS[i].fn(client, "{}", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(b.data == SENTINEL_DATA);
        const char *name = METHODS[i].name;
        EXPECT(name, "{\"timeout\":1,\"\xc3\x28\":1}", MILVUS_ERR_INVALID_UTF8);
        EXPECT(name, "{\"timeout\":", MILVUS_ERR_INVALID_JSON);
        EXPECT(name, "{} x", MILVUS_ERR_INVALID_JSON);
        EXPECT(name, "[]", MILVUS_ERR_INVALID_ARGUMENT);
        EXPECT(name, "\"x\"", MILVUS_ERR_INVALID_ARGUMENT);
        EXPECT(name, "{\"timeout\":-1}", MILVUS_ERR_INVALID_ARGUMENT);
        EXPECT(name, "{\"colour\":1}", MILVUS_ERR_INVALID_ARGUMENT);
    }
}

/* What pymilvus refuses before sending (ParamError, or a missing argument), and mistyped
 * values: MILVUS_ERR_INVALID_ARGUMENT, nothing sent. */
static void test_refusals(void) {
    static const struct {
        const char *name, *args;
    } bad[] = {
        {"create_snapshot", "{\"collection_name\":\"c\"}"},
        {"create_snapshot", "{\"snapshot_name\":\"s\"}"},
        {"create_snapshot", "{\"snapshot_name\":\"\",\"collection_name\":\"c\"}"},
        {"create_snapshot", "{\"snapshot_name\":\"s\",\"collection_name\":\"\"}"},
        {"create_snapshot", "{\"snapshot_name\":5,\"collection_name\":\"c\"}"},
        {"create_snapshot",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"compaction_protection_seconds\":-1}"},
        {"create_snapshot",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"compaction_protection_seconds\":1.5}"},
        {"create_snapshot",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"compaction_protection_seconds\":null}"},
        {"create_snapshot",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"compaction_protection_seconds\":true}"},
        {"create_snapshot", "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"db_name\":1}"},
        {"create_snapshot",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"description\":[]}"},
        {"drop_snapshot", "{\"snapshot_name\":\"s\"}"},
        {"drop_snapshot", "{\"snapshot_name\":\"\",\"collection_name\":\"c\"}"},
        {"describe_snapshot", "{\"collection_name\":\"c\"}"},
        {"describe_snapshot", "{\"snapshot_name\":\"s\",\"collection_name\":\"\"}"},
        {"list_snapshots", "{\"collection_name\":1}"},
        {"list_snapshots", "{\"db_name\":[]}"},
        {"restore_snapshot", "{\"snapshot_name\":\"s\",\"source_collection_name\":\"c\"}"},
        {"restore_snapshot", "{\"snapshot_name\":\"s\",\"target_collection_name\":\"t\"}"},
        {"restore_snapshot",
         "{\"snapshot_name\":\"\",\"source_collection_name\":\"c\",\"target_collection_name\":\"t\"}"},
        {"restore_snapshot",
         "{\"snapshot_name\":\"s\",\"source_collection_name\":\"\",\"target_collection_name\":\"t\"}"},
        {"restore_snapshot",
         "{\"snapshot_name\":\"s\",\"source_collection_name\":\"c\",\"target_collection_name\":\"\"}"},
        {"restore_snapshot",
         "{\"snapshot_name\":\"s\",\"source_collection_name\":\"c\",\"target_collection_name\":\"t\","
         "\"collection_name\":\"c\"}"},
        {"get_restore_snapshot_state", "{}"},
        {"get_restore_snapshot_state", "{\"job_id\":0}"},
        {"get_restore_snapshot_state", "{\"job_id\":-1}"},
        {"get_restore_snapshot_state", "{\"job_id\":\"1\"}"},
        {"get_restore_snapshot_state", "{\"job_id\":9223372036854775808}"},
        {"list_restore_snapshot_jobs", "{\"collection_name\":{}}"},
        {"pin_snapshot_data", "{\"snapshot_name\":\"s\"}"},
        {"pin_snapshot_data", "{\"snapshot_name\":\"s\",\"collection_name\":\"\"}"},
        {"pin_snapshot_data", "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"ttl_seconds\":-1}"},
        {"pin_snapshot_data",
         "{\"snapshot_name\":\"s\",\"collection_name\":\"c\",\"ttl_seconds\":\"60\"}"},
        {"unpin_snapshot_data", "{}"},
        {"unpin_snapshot_data", "{\"pin_id\":0}"},
        {"unpin_snapshot_data", "{\"pin_id\":true}"},
        {"update_replicate_configuration", "{}"},
        {"update_replicate_configuration", "{\"clusters\":null}"},
        {"update_replicate_configuration", "{\"clusters\":{}}"},
        {"update_replicate_configuration", "{\"clusters\":[{\"connection_param\":{\"uri\":\"u\"}}]}"},
        {"update_replicate_configuration", "{\"clusters\":[{\"cluster_id\":\"a\"}]}"},
        {"update_replicate_configuration",
         "{\"clusters\":[{\"cluster_id\":\"a\",\"connection_param\":{\"token\":\"t\"}}]}"},
        {"update_replicate_configuration",
         "{\"clusters\":[{\"cluster_id\":\"a\",\"connection_param\":{\"uri\":\"u\"},\"pchannels\":\"p\"}]}"},
        {"update_replicate_configuration",
         "{\"clusters\":[],\"cross_cluster_topology\":[{\"source_cluster_id\":\"a\"}]}"},
        {"update_replicate_configuration",
         "{\"clusters\":[],\"cross_cluster_topology\":[{\"target_cluster_id\":\"b\"}]}"},
        {"update_replicate_configuration", "{\"clusters\":[],\"force_promote\":1}"},
        {"get_replicate_configuration", "{\"collection_name\":\"c\"}"},
        {"get_replicate_info", "{}"},
        {"get_replicate_info", "{\"source_cluster_id\":\"a\"}"},
        {"get_replicate_info", "{\"source_cluster_id\":\"\",\"target_pchannel\":\"p\"}"},
        {"get_replicate_info", "{\"source_cluster_id\":\"a\",\"target_pchannel\":\"\"}"},
        {"get_replicate_info", "{\"source_cluster_id\":null,\"target_pchannel\":\"p\"}"},
        {"refresh_external_collection", "{}"},
        {"refresh_external_collection", "{\"collection_name\":null}"},
        {"refresh_external_collection", "{\"collection_name\":\"c\",\"external_source\":5}"},
        {"get_refresh_external_collection_progress", "{}"},
        {"get_refresh_external_collection_progress", "{\"job_id\":1.5}"},
        {"list_refresh_external_collection_jobs", "{\"collection_name\":5}"},
        {"add_file_resource", "{\"name\":\"f\"}"},
        {"add_file_resource", "{\"path\":\"/f\"}"},
        {"add_file_resource", "{\"name\":null,\"path\":\"/f\"}"},
        {"remove_file_resource", "{}"},
        {"remove_file_resource", "{\"name\":[\"f\"]}"},
        {"list_file_resources", "{\"name\":\"f\"}"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT(bad[i].name, bad[i].args, MILVUS_ERR_INVALID_ARGUMENT);
}

/* Valid arguments are sent: no test server has these RPCs. */
static void test_sent(void) {
    for (size_t i = 0; i < NMETHODS; i++)
        EXPECT(METHODS[i].name, METHODS[i].valid, MILVUS_ERR_UNIMPLEMENTED);
}

int main(void) {
    const char *uris[] = {
        check_env("MILVUS_URI", "http://127.0.0.1:19530"),
        check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531"),
        check_env("MILVUS_LITE3_URI", "http://127.0.0.1:19532"),
    };
    /* Every method of these families is in the table, and the table only lists methods. */
    size_t listed = 0;
    for (size_t m = 0; m < milvus_method_count(); m++)
        listed += export_of(milvus_method_name(m)) != NULL;
    CHECK(listed == NMETHODS);

    for (size_t u = 0; u < sizeof uris / sizeof uris[0]; u++) {
        milvus_client *c = NULL;
        if (CHECK_STATUS(milvus_client_new(uris[u], NULL, NULL, NULL, 60, &c, CHECK_ERR),
                         MILVUS_OK) != MILVUS_OK)
            continue;
        client = c;
        if (u == 0) {
            test_boundaries();
            test_refusals();
        }
        test_sent();
        milvus_client_free(c);
    }
    return CHECK_SUMMARY();
}
