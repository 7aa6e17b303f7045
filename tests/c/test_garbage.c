/*
 * test_garbage.c: every exported function called with NULL and garbage arguments. The process
 * must survive every call, and each call must return the status the header promises: never
 * MILVUS_OK where the call should fail, never MILVUS_ERR_PANIC. Needs Milvus at MILVUS_URI.
 */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "milvus.h"

/* Expectation: any failure except MILVUS_ERR_PANIC (the server decides which). */
#define ANY_FAILURE (-1)
/* Expectation: any status except MILVUS_ERR_PANIC, success included. */
#define NOT_PANIC (-2)
/* Expectation: a vector that is wrong in shape and in element type; either status names it. */
#define DIM_OR_TYPE (-3)

#define MB (1024 * 1024)

typedef milvus_status (*method_fn)(const milvus_client *, const char *, milvus_buffer *,
                                   milvus_error **);

static const struct {
    const char *name;
    method_fn fn;
} METHODS[] = {
    {"get_server_version", milvus_client_get_server_version},
    {"list_collections", milvus_client_list_collections},
    {"has_collection", milvus_client_has_collection},
    {"create_collection", milvus_client_create_collection},
    {"describe_collection", milvus_client_describe_collection},
    {"drop_collection", milvus_client_drop_collection},
    {"load_collection", milvus_client_load_collection},
    {"release_collection", milvus_client_release_collection},
    {"flush", milvus_client_flush},
    {"insert", milvus_client_insert},
    {"delete", milvus_client_delete},
    {"get", milvus_client_get},
    {"query", milvus_client_query},
    {"search", milvus_client_search},
};
#define NMETHODS (sizeof METHODS / sizeof METHODS[0])

static char sentinel_byte;
#define SENTINEL_ERR ((milvus_error *)(void *)&sentinel_byte)
#define SENTINEL_CLIENT ((milvus_client *)(void *)&sentinel_byte)
#define SENTINEL_DATA ((uint8_t *)&sentinel_byte)
#define SENTINEL_LEN ((size_t)12345)

static const milvus_client *client;  /* the live client of the method tests */
static char coll[64];                /* a collection with dim 4 and a few rows */
static char coll_new[64];            /* a name create_collection may (wrongly) create */

/*
 * The exported `milvus_client_<name>` of a JSON method, looked up by name at run time, so
 * every method the library lists is called directly as well as through milvus_client_call
 * (scripts/check_garbage_coverage.sh relies on this). NULL when the symbol is missing.
 */
static method_fn export_named(const char *name) {
    static void *self;
    if (self == NULL) self = dlopen(NULL, RTLD_NOW);
    char sym[160];
    if (self == NULL || snprintf(sym, sizeof sym, "milvus_client_%s", name) >= (int)sizeof sym)
        return NULL;
    method_fn fn;
    void *p = dlsym(self, sym);
    memcpy(&fn, &p, sizeof fn); /* POSIX: a data pointer from dlsym holds the function */
    return p != NULL ? fn : NULL;
}

/* The direct entry point of a method: from METHODS, else looked up by name. */
static method_fn method_named(const char *name) {
    for (size_t i = 0; i < NMETHODS; i++)
        if (strcmp(METHODS[i].name, name) == 0) return METHODS[i].fn;
    return export_named(name);
}

/* `s` repeated to n bytes, between prefix and suffix; malloc'ed. */
static char *big(const char *prefix, const char *s, size_t n, const char *suffix) {
    size_t lp = strlen(prefix), ls = strlen(s), lx = strlen(suffix);
    char *p = malloc(lp + n + lx + 1);
    if (p == NULL) abort();
    memcpy(p, prefix, lp);
    for (size_t i = 0; i < n; i++) p[lp + i] = s[i % ls];
    memcpy(p + lp + n, suffix, lx + 1);
    return p;
}

/* args with every "$C" replaced by coll and "$N" by coll_new; malloc'ed. */
static char *expand(const char *args) {
    size_t n = strlen(args) + 1;
    for (const char *p = args; (p = strchr(p, '$')) != NULL; p++) n += sizeof coll;
    char *out = malloc(n), *o = out;
    if (out == NULL) abort();
    for (const char *p = args; *p;) {
        if (p[0] == '$' && (p[1] == 'C' || p[1] == 'N')) {
            const char *name = p[1] == 'C' ? coll : coll_new;
            o += sprintf(o, "%s", name);
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static int status_matches(milvus_status got, milvus_status want) {
    if (want == ANY_FAILURE) return got != MILVUS_OK && got != MILVUS_ERR_PANIC;
    if (want == NOT_PANIC) return got != MILVUS_ERR_PANIC;
    if (want == DIM_OR_TYPE)
        return got == MILVUS_ERR_DIMENSION_MISMATCH || got == MILVUS_ERR_INVALID_ARGUMENT;
    return got == want;
}

static const char *want_name(milvus_status want) {
    return want == ANY_FAILURE ? "any failure but PANIC"
           : want == NOT_PANIC ? "anything but PANIC"
           : want == DIM_OR_TYPE ? "DIMENSION_MISMATCH or INVALID_ARGUMENT"
                               : milvus_status_str(want);
}

/*
 * Calls method `name` on args (NULL allowed), directly and through milvus_client_call, and
 * checks the status and the contract around it: on success *error_out is NULL and the buffer
 * is NUL-terminated JSON; on failure the buffer is untouched and the error matches the status.
 * Returns the status of the direct call.
 */
static milvus_status expect_at(const char *name, const char *args, milvus_status want, int line) {
    method_fn fn = method_named(name);
    milvus_status first = MILVUS_OK;
    for (int via_call = 0; via_call < 2; via_call++) {
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        milvus_error *err = SENTINEL_ERR;
        milvus_status s = (via_call || fn == NULL) ? milvus_client_call(client, name, args, &b, &err)
                                                   : fn(client, args, &b, &err);
        if (!via_call) first = s;
        int status_as_expected = status_matches(s, want);
        if (!CHECK(status_as_expected))
            printf("     test_garbage.c:%d: %s%s(%.160s%s): expected %s, got %s: %.300s\n", line,
                   via_call ? "call " : "", name, args != NULL ? args : "NULL",
                   (args != NULL && strlen(args) > 160) ? "..." : "", want_name(want),
                   milvus_status_str(s), err != SENTINEL_ERR ? milvus_error_message(err) : "");
        if (s == MILVUS_OK) {
            CHECK(err == NULL);
            CHECK(b.data != NULL && b.data != SENTINEL_DATA && b.data[b.len] == '\0' &&
                  strlen((const char *)b.data) == b.len);
            milvus_buffer_free(&b);
        } else {
            CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
            if (CHECK(err != NULL && err != SENTINEL_ERR)) {
                CHECK(milvus_error_status(err) == s);
                CHECK(milvus_error_message(err)[0] != '\0');
                milvus_error_free(err);
            }
        }
    }
    return first;
}
#define EXPECT(name, args, want) expect_at((name), (args), (want), __LINE__)

/* As EXPECT, with $C / $N in args replaced by the collection names. */
static void expect_x(const char *name, const char *args, milvus_status want, int line) {
    char *a = expand(args);
    expect_at(name, a, want, line);
    free(a);
}
#define EXPECT_X(name, args, want) expect_x((name), (args), (want), __LINE__)

/* ---- no client needed ---- */

static void test_null_everywhere(void) {
    milvus_buffer_free(NULL);
    milvus_buffer b = {NULL, 77}; /* data NULL: a no-op whatever len says */
    milvus_buffer_free(&b);
    milvus_error_free(NULL);
    milvus_client_free(NULL);

    CHECK(milvus_error_status(NULL) == MILVUS_OK);
    CHECK(strcmp(milvus_error_message(NULL), "") == 0);
    CHECK(milvus_error_server_code(NULL) == 0);
    CHECK(milvus_error_grpc_code(NULL) == 0);
    CHECK(!milvus_error_retriable(NULL));
    CHECK(milvus_version() != NULL && milvus_version()[0] != '\0');
    const milvus_status odd[] = {INT32_MIN, INT32_MIN + 1, -100, -1, 1, 2, 50, 111, 150, 250,
                                 301000, 999, 1000, INT32_MAX};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        CHECK(strcmp(milvus_status_str(odd[i]), "MILVUS_ERR_UNKNOWN_STATUS") == 0);

    /* milvus_client_new: NULL uri / client_out, with and without error_out. */
    milvus_client *c = SENTINEL_CLIENT;
    CHECK_STATUS(milvus_client_new(NULL, NULL, NULL, NULL, 0, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_new(NULL, NULL, NULL, NULL, 0, &c, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_new(NULL, NULL, NULL, NULL, 0, &c, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_new("ftp://x", NULL, NULL, NULL, 0, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_new("\xff", "\xff", "\xff", "\xff", NAN, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK(c == SENTINEL_CLIENT);

    /* The method list: every name is callable by name and refuses a NULL client. */
    size_t count = milvus_method_count();
    CHECK(count >= NMETHODS);
    CHECK(milvus_method_name(count) == NULL);
    CHECK(milvus_method_name((size_t)-1) == NULL);
    for (size_t i = 0; i < count; i++) {
        const char *name = milvus_method_name(i);
        if (!CHECK(name != NULL && name[0] != '\0')) continue;
        for (size_t j = 0; j < i; j++) CHECK(strcmp(name, milvus_method_name(j)) != 0);
        milvus_buffer out = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(milvus_client_call(NULL, name, "{}", &out, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(out.data == SENTINEL_DATA && out.len == SENTINEL_LEN);
        /* Its own export, found by name: every pointer NULL, and a NULL client. */
        method_fn fn = export_named(name);
        if (!CHECK(fn != NULL)) {
            printf("     milvus_client_%s is not exported\n", name);
            continue;
        }
        CHECK_STATUS(fn(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(fn(NULL, "\xff", &out, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(out.data == SENTINEL_DATA && out.len == SENTINEL_LEN);
    }
    for (size_t i = 0; i < NMETHODS; i++) {
        int listed = 0;
        for (size_t j = 0; j < count; j++) listed |= strcmp(METHODS[i].name, milvus_method_name(j)) == 0;
        CHECK(listed);
    }

    /* milvus_client_call and every method with a NULL client. */
    CHECK_STATUS(milvus_client_call(NULL, NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_call(NULL, NULL, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_call(NULL, "search", NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    for (size_t i = 0; i < NMETHODS; i++) {
        milvus_buffer out = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(METHODS[i].fn(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(METHODS[i].fn(NULL, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(METHODS[i].fn(NULL, "{", &out, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(METHODS[i].fn(NULL, "\xff", &out, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_call(NULL, METHODS[i].name, "{}", &out, CHECK_ERR),
                     MILVUS_ERR_NULL_ARGUMENT);
        CHECK(out.data == SENTINEL_DATA && out.len == SENTINEL_LEN);
    }
}

/* milvus_client_new with garbage; on failure *client_out stays untouched. */
static void new_at(const char *uri, const char *user, const char *password, const char *token,
                   double timeout, milvus_status want, int line) {
    milvus_client *c = SENTINEL_CLIENT;
    milvus_error *err = SENTINEL_ERR;
    milvus_status s = milvus_client_new(uri, user, password, token, timeout, &c, &err);
    if (!CHECK(status_matches(s, want)))
        printf("     test_garbage.c:%d: milvus_client_new(%.80s, timeout %g): expected %s, got %s: "
               "%.300s\n",
               line, uri != NULL ? uri : "NULL", timeout, want_name(want), milvus_status_str(s),
               err != SENTINEL_ERR ? milvus_error_message(err) : "");
    if (s == MILVUS_OK) {
        CHECK(err == NULL && c != NULL && c != SENTINEL_CLIENT);
        if (c != SENTINEL_CLIENT) milvus_client_free(c);
    } else {
        CHECK(c == SENTINEL_CLIENT);
        if (CHECK(err != NULL && err != SENTINEL_ERR)) {
            CHECK(milvus_error_status(err) == s);
            milvus_error_free(err);
        }
    }
}
#define NEW(uri, user, password, token, timeout, want) \
    new_at((uri), (user), (password), (token), (timeout), (want), __LINE__)

static void test_client_new_garbage(const char *uri) {
    /* Only loopback and unparseable addresses: nothing else is ever contacted. */
    const char *bad_uris[] = {
        "ftp://127.0.0.1:19530", "gopher://x", "://127.0.0.1", "http://:0",
        "http://127.0.0.1:0", "http://127.0.0.1:65536", "http://127.0.0.1:99999",
        "http://127.0.0.1:-1", "http://127.0.0.1:abc", "http://[::1",
        "http://[::1]x", "unix:", "unix://", "milvus.db", "./data/milvus.db",
    };
    for (size_t i = 0; i < sizeof bad_uris / sizeof bad_uris[0]; i++)
        NEW(bad_uris[i], NULL, NULL, NULL, 3, MILVUS_ERR_INVALID_URI);
    char *long_port = big("http://127.0.0.1:", "9", 100000, "");
    NEW(long_port, NULL, NULL, NULL, 3, MILVUS_ERR_INVALID_URI);
    free(long_port);

    /* Invalid UTF-8 in each string argument. */
    NEW("http://127.0.0.1:19530\xff", NULL, NULL, NULL, 3, MILVUS_ERR_INVALID_UTF8);
    NEW("\xc0\xaf", NULL, NULL, NULL, 3, MILVUS_ERR_INVALID_UTF8);
    NEW(uri, "\xff", NULL, NULL, 3, MILVUS_ERR_INVALID_UTF8);
    NEW(uri, "root", "\xed\xa0\x80", NULL, 3, MILVUS_ERR_INVALID_UTF8);
    NEW(uri, NULL, NULL, "tok\xe2\x82", 3, MILVUS_ERR_INVALID_UTF8);

    /* Timeouts. */
    const double bad_timeouts[] = {NAN, -NAN, INFINITY, -INFINITY, -1, -1e-300, -DBL_MAX, 1e300,
                                   DBL_MAX};
    for (size_t i = 0; i < sizeof bad_timeouts / sizeof bad_timeouts[0]; i++)
        NEW(uri, NULL, NULL, NULL, bad_timeouts[i], MILVUS_ERR_INVALID_ARGUMENT);
    NEW(uri, NULL, NULL, NULL, -0.0, MILVUS_OK);
    NEW(uri, NULL, NULL, NULL, 1e-300, ANY_FAILURE); /* a deadline that has already passed */

    /* Nowhere to connect. */
    NEW("http://127.0.0.1:1", NULL, NULL, NULL, 3, MILVUS_ERR_CONNECT);
    NEW("unix:/nonexistent/libmilvus-test.sock", NULL, NULL, NULL, 3, MILVUS_ERR_CONNECT);

    /* Odd credentials for a server without authentication: whatever it says, no panic. */
    char *long_token = big("", "t", 64 * 1024, "");
    NEW(uri, NULL, NULL, long_token, 10, NOT_PANIC);
    free(long_token);
    NEW(uri, "", "", "", 10, MILVUS_OK);
    NEW(uri, "user", "", NULL, 10, NOT_PANIC);
    NEW(uri, "us:er\"\n", "pa\x01ss", NULL, 10, NOT_PANIC);
}

/* ---- the JSON methods ---- */

/* Garbage any method must refuse the same way. */
static void test_generic_garbage(void) {
    static const char *const invalid_json[] = {
        "{", "[", "}", "]", ",", "{\"timeout\"", "{\"timeout\":}", "{\"timeout\":1,}",
        "{'timeout':1}", "{timeout:1}", "nul", "tru",
        "\x01", "{\"timeout\":1e400}", "{\"timeout\":-}", "{\"timeout\":01}", "{\"timeout\":.5}",
        "{\"timeout\":0x10}", "{\"timeout\":NaN}", "{\"timeout\":Infinity}", "/* */ {}",
        "{\"timeout\":\"\\q\"}", "{\"timeout\":1 \"timeout\":1}",
    };
    static const char *const invalid_argument[] = {
        "null", "42", "-1", "\"{}\"", "true", "[]", "{\"timeout\":\"1\"}",
        "{\"timeout\":[]}", "{\"timeout\":{}}", "{\"timeout\":true}", "{\"timeout\":-1}",
        "{\"timeout\":0}", "{\"timeout\":-0.0}", "{\"timeout\":1e300}", "{\"timeout\":-1e-300}",
        "{\"timeout\":1,\"timeout\":2}", "{\"\":1}", "{\"TIMEOUT\":1}", "{\" timeout\":1}",
        "{\"timeout\\u0000\":1}", "{\"collection_name\":5}", "{\"collection_name\":null}",
        "{\"collection_name\":[]}", "{\"collection_name\":{}}", "{\"collection_name\":true}",
    };
    static const char *const invalid_utf8[] = {
        "\xff", "{\"timeout\":1,\"\xc3\x28\":1}", "\xc0\xaf", "{\"collection_name\":\"\xed\xa0\x80\"}",
        "{\"collection_name\":\"\xe2\x82\"}", "{\"collection_name\":\"\xf4\x90\x80\x80\"}",
        "{\"collection_name\":\"ok\"}\x80",
    };
    char *deep_obj = big("", "{", 100000, "");
    char *deep_arr = big("", "[", 100000, "");

    /* Every JSON method the library has, not only those listed in METHODS. */
    for (size_t m = 0; m < milvus_method_count(); m++) {
        const char *name = milvus_method_name(m);
        for (size_t i = 0; i < sizeof invalid_json / sizeof invalid_json[0]; i++)
            EXPECT(name, invalid_json[i], MILVUS_ERR_INVALID_JSON);
        /* Where collection_name is optional, null means "not given" and is accepted. */
        int optional_collection = strcmp(name, "list_aliases") == 0 || strcmp(name, "run_analyzer") == 0 ||
                                  strcmp(name, "list_snapshots") == 0 ||
                                  strcmp(name, "list_restore_snapshot_jobs") == 0 ||
                                  strcmp(name, "list_refresh_external_collection_jobs") == 0;
        for (size_t i = 0; i < sizeof invalid_argument / sizeof invalid_argument[0]; i++) {
            if (optional_collection && strcmp(invalid_argument[i], "{\"collection_name\":null}") == 0) continue;
            EXPECT(name, invalid_argument[i], MILVUS_ERR_INVALID_ARGUMENT);
        }
        for (size_t i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++)
            EXPECT(name, invalid_utf8[i], MILVUS_ERR_INVALID_UTF8);
        EXPECT(name, deep_obj, MILVUS_ERR_INVALID_JSON);
    }
    /* Trailing garbage after complete arguments. */
    const char *trailing[] = {"{\"timeout\":1}}", "{} {}", "{}]", "{\"timeout\":1}\x01", "{}x"};
    for (size_t i = 0; i < sizeof trailing / sizeof trailing[0]; i++)
        EXPECT("list_collections", trailing[i], MILVUS_ERR_INVALID_JSON);

    /*
     * Library bugs (see the report): text that is not well-formed JSON is reported as
     * MILVUS_ERR_INVALID_ARGUMENT when a missing/unknown/mistyped key is noticed before the
     * syntax error; and a JSON array is accepted as the arguments' fields in order.
     */
    EXPECT("has_collection", "{}}", MILVUS_ERR_INVALID_JSON);
    EXPECT("has_collection", deep_arr, MILVUS_ERR_INVALID_JSON);
    EXPECT("has_collection", "[\"x\", null]", MILVUS_ERR_INVALID_ARGUMENT);
    EXPECT("list_collections", "[1]", MILVUS_ERR_INVALID_ARGUMENT);
    free(deep_obj);
    free(deep_arr);

    /* NULL, empty and blank args mean "no arguments". */
    const char *none[] = {NULL, "", " ", "\n\t ", "{}", " { } "};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        EXPECT("list_collections", none[i], MILVUS_OK);
        EXPECT("has_collection", none[i], MILVUS_ERR_INVALID_ARGUMENT); /* needs collection_name */
        EXPECT("search", none[i], MILVUS_ERR_INVALID_ARGUMENT);
    }

    /* milvus_client_call: names that are not methods. */
    const char *names[] = {"", " ", "search ", " search", "Search", "SEARCH", "search\n",
                           "milvus_client_search", "call", "new", "free", "upsert_", "../search",
                           "search\t", "has_collection\x01"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(milvus_client_call(client, names[i], "{}", &b, CHECK_ERR),
                     MILVUS_ERR_UNKNOWN_METHOD);
        CHECK(b.data == SENTINEL_DATA);
    }
    char *long_name = big("", "search", MB, "");
    milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
    CHECK_STATUS(milvus_client_call(client, long_name, "{}", &b, CHECK_ERR),
                 MILVUS_ERR_UNKNOWN_METHOD);
    free(long_name);
    CHECK_STATUS(milvus_client_call(client, "search\xff", "{}", &b, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_call(client, "\xff", NULL, NULL, NULL), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_call(client, NULL, "{}", &b, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_call(client, "search", "{}", NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
}

/*
 * Each argument of each method given a value of the wrong JSON type: MILVUS_ERR_INVALID_ARGUMENT,
 * checked before anything is sent. `base` is a valid call; the bad key is appended to it.
 */
static void test_wrong_types(void) {
    enum { STR, INT, I32, FLT, BOOL, LIST, MAP };
    static const char *const wrong[][8] = {
        [STR] = {"1", "true", "[]", "{}", "[\"x\"]", "1.5", NULL},
        [INT] = {"\"1\"", "1.5", "true", "[]", "{}", "1e300", "9223372036854775808", NULL},
        [I32] = {"\"1\"", "1.5", "true", "[]", "2147483648", "-2147483649", "1e10", NULL},
        [FLT] = {"\"1\"", "true", "[]", "{}", "[1]", NULL},
        [BOOL] = {"\"true\"", "1", "0", "[]", "{}", "\"yes\"", NULL},
        [LIST] = {"\"x\"", "1", "[1]", "{}", "[null]", "[[\"x\"]]", "true", NULL},
        [MAP] = {"\"x\"", "1", "[]", "[{}]", "true", NULL},
    };
    static const struct {
        const char *method, *base;
        struct {
            const char *key;
            int type;
        } keys[16];
    } cases[] = {
        {"get_server_version", "{", {{"timeout", FLT}}},
        {"list_collections", "{", {{"timeout", FLT}}},
        {"has_collection", "{\"collection_name\":\"$C\"", {{"timeout", FLT}}},
        {"describe_collection", "{\"collection_name\":\"$C\"", {{"timeout", FLT}}},
        {"drop_collection", "{\"collection_name\":\"$N\"", {{"timeout", FLT}}},
        {"release_collection", "{\"collection_name\":\"$N\"", {{"timeout", FLT}}},
        {"flush", "{\"collection_name\":\"$C\"", {{"timeout", FLT}}},
        {"load_collection",
         "{\"collection_name\":\"$C\"",
         {{"timeout", FLT}, {"replica_number", I32}}},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4",
         {{"timeout", FLT},
          {"primary_field_name", STR},
          {"id_type", STR},
          {"vector_field_name", STR},
          {"metric_type", STR},
          {"auto_id", BOOL},
          {"enable_dynamic_field", BOOL},
          {"num_shards", I32},
          {"max_length", INT},
          {"properties", MAP}}},
        {"create_collection", "{\"collection_name\":\"$N\"", {{"dimension", INT}}},
        {"insert",
         "{\"collection_name\":\"$C\",\"data\":[{\"id\":7,\"vector\":[1,2,3,4]}]",
         {{"timeout", FLT}, {"partition_name", STR}}},
        {"delete",
         "{\"collection_name\":\"$C\",\"ids\":[123456789]",
         {{"timeout", FLT}, {"partition_name", STR}}},
        {"delete", "{\"collection_name\":\"$C\"", {{"filter", STR}}},
        {"get",
         "{\"collection_name\":\"$C\",\"ids\":[1]",
         {{"timeout", FLT}, {"output_fields", LIST}, {"partition_names", LIST}}},
        {"query",
         "{\"collection_name\":\"$C\",\"filter\":\"id > 0\"",
         {{"timeout", FLT},
          {"output_fields", LIST},
          {"limit", INT},
          {"offset", INT},
          {"partition_names", LIST}}},
        {"query", "{\"collection_name\":\"$C\"", {{"filter", STR}}},
        {"search",
         "{\"collection_name\":\"$C\",\"data\":[1,2,3,4]",
         {{"timeout", FLT},
          {"filter", STR},
          {"limit", INT},
          {"offset", INT},
          {"output_fields", LIST},
          {"search_params", MAP},
          {"anns_field", STR},
          {"partition_names", LIST},
          {"round_decimal", INT}}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t k = 0; k < 16 && cases[i].keys[k].key != NULL; k++) {
            const char *const *values = wrong[cases[i].keys[k].type];
            for (size_t v = 0; values[v] != NULL; v++) {
                char args[512];
                int has_base = strcmp(cases[i].base, "{") != 0;
                snprintf(args, sizeof args, "%s%s\"%s\":%s}", cases[i].base, has_base ? "," : "",
                         cases[i].keys[k].key, values[v]);
                EXPECT_X(cases[i].method, args, MILVUS_ERR_INVALID_ARGUMENT);
            }
        }
        /* The required collection_name, of the wrong type or absent. */
        if (strstr(cases[i].base, "collection_name") != NULL) {
            const char *bad[] = {"1", "null", "[]", "{}", "true", "[\"$C\"]"};
            for (size_t v = 0; v < sizeof bad / sizeof bad[0]; v++) {
                char args[512];
                snprintf(args, sizeof args, "{\"collection_name\":%s}", bad[v]);
                EXPECT_X(cases[i].method, args, MILVUS_ERR_INVALID_ARGUMENT);
            }
        }
    }
}

/* Values of the right JSON type but wrong, per method. */
static void test_bad_values(void) {
    static const struct {
        const char *method, *args;
        milvus_status want;
    } cases[] = {
        /* create_collection */
        {"create_collection", "{\"collection_name\":\"$N\"}", MILVUS_ERR_MISSING_FIELD},
        {"create_collection", "{\"collection_name\":\"\",\"dimension\":4}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":0}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":-1}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":-9223372036854775808}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":32769}", ANY_FAILURE},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":9223372036854775807}",
         ANY_FAILURE},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"id_type\":\"float\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"id_type\":\"\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4,\"consistency_level\":\"Nope\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4,\"consistency_level\":99}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4,\"consistency_level\":-1}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4,\"consistency_level\":[]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"schema\":{}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":5}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":\"x\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":[]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":{}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":{\"fields\":5}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"schema\":{\"fields\":[5]}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"BOGUS\"}]}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":99999}]}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"index_params\":5}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"index_params\":[5]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection", "{\"collection_name\":\"$N\",\"dimension\":4,\"index_params\":[{}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"create_collection",
         "{\"collection_name\":\"$N\",\"dimension\":4,\"index_params\":[{\"field_name\":\"nope\"}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        /* insert */
        {"insert", "{\"collection_name\":\"$C\"}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":\"x\"}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":1}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":null}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":true}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[1]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[null]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[[]]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{}]}", MILVUS_ERR_MISSING_FIELD},
        {"insert", "{\"collection_name\":\"$C\",\"data\":{\"id\":1}}", MILVUS_ERR_MISSING_FIELD},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":\"x\",\"vector\":[1,2,3,4]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1.5,\"vector\":[1,2,3,4]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":null,\"vector\":[1,2,3,4]}]}",
         ANY_FAILURE},
        {"insert",
         "{\"collection_name\":\"$C\",\"data\":[{\"id\":18446744073709551615,\"vector\":[1,2,3,4]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert",
         "{\"collection_name\":\"$C\",\"data\":[{\"id\":-9223372036854775809,\"vector\":[1,2,3,4]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,\"4\"]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,null]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,[4]]}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":\"abcd\"}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":{}}]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[]}]}",
         MILVUS_ERR_DIMENSION_MISMATCH},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,4,5]}]}",
         MILVUS_ERR_DIMENSION_MISMATCH},
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[[1,2],[3,4]]}]}",
         DIM_OR_TYPE},
        /* A number no float32 can hold. */
        {"insert", "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,1e39]}]}",
         ANY_FAILURE},
        {"insert",
         "{\"collection_name\":\"$C\",\"data\":[{\"id\":1,\"vector\":[1,2,3,4]}],"
         "\"partition_name\":\"no_such_partition\"}",
         ANY_FAILURE},
        {"insert", "{\"collection_name\":\"no_such_collection_garbage\",\"data\":[{\"id\":1}]}",
         MILVUS_ERR_COLLECTION_NOT_FOUND},
        /* search */
        {"search", "{\"collection_name\":\"$C\"}", MILVUS_ERR_MISSING_FIELD},
        {"search", "{\"collection_name\":\"$C\",\"data\":[]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":\"x\"}", MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":{}}", MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":null}", MILVUS_ERR_MISSING_FIELD},
        {"search", "{\"collection_name\":\"$C\",\"data\":[[1,2,3,\"4\"]]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[[1,2,3,null]]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[[]]}", MILVUS_ERR_DIMENSION_MISMATCH},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2]}", MILVUS_ERR_DIMENSION_MISMATCH},
        {"search", "{\"collection_name\":\"$C\",\"data\":[[1,2,3,4],[1,2]]}",
         MILVUS_ERR_DIMENSION_MISMATCH},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,1e39]}", ANY_FAILURE},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"limit\":0}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"limit\":-1}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"limit\":-9223372036854775808}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"limit\":9223372036854775807}",
         ANY_FAILURE},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"filter\":\"((((\"}",
         ANY_FAILURE},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"anns_field\":\"nope\"}",
         ANY_FAILURE},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"round_decimal\":100}",
         ANY_FAILURE},
        {"search",
         "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"search_params\":{\"params\":5}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"consistency_level\":\"Nope\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"consistency_level\":99}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search", "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"consistency_level\":{}}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"search",
         "{\"collection_name\":\"$C\",\"data\":[1,2,3,4],\"partition_names\":[\"no_such\"]}",
         ANY_FAILURE},
        /* query / get / delete */
        {"query", "{\"collection_name\":\"$C\",\"filter\":\"id >\"}", ANY_FAILURE},
        {"query", "{\"collection_name\":\"$C\",\"ids\":[]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"query", "{\"collection_name\":\"$C\",\"ids\":{}}", MILVUS_ERR_INVALID_ARGUMENT},
        {"query", "{\"collection_name\":\"$C\",\"ids\":[\"a\"]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"query", "{\"collection_name\":\"$C\",\"ids\":[1],\"filter\":\"id > 0\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"query", "{\"collection_name\":\"$C\",\"filter\":\"id > 0\",\"consistency_level\":\"x\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\"}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":null}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[1.5]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[true]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[[1]]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[18446744073709551615]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"get", "{\"collection_name\":\"$C\",\"ids\":[\"1\\\"] or id > 0 or id in [\\\"\"]}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"delete", "{\"collection_name\":\"$C\"}", MILVUS_ERR_MISSING_FIELD},
        {"delete", "{\"collection_name\":\"$C\",\"filter\":\"\"}", MILVUS_ERR_MISSING_FIELD},
        {"delete", "{\"collection_name\":\"$C\",\"ids\":[]}", MILVUS_ERR_INVALID_ARGUMENT},
        {"delete", "{\"collection_name\":\"$C\",\"ids\":\"x\"}", MILVUS_ERR_INVALID_ARGUMENT},
        {"delete", "{\"collection_name\":\"$C\",\"ids\":{}}", MILVUS_ERR_INVALID_ARGUMENT},
        {"delete", "{\"collection_name\":\"$C\",\"ids\":[1],\"filter\":\"id > 0\"}",
         MILVUS_ERR_INVALID_ARGUMENT},
        {"delete", "{\"collection_name\":\"$C\",\"filter\":\"((\"}", ANY_FAILURE},
        /* collection names the server refuses */
        {"has_collection", "{\"collection_name\":\"\"}", ANY_FAILURE},
        {"has_collection", "{\"collection_name\":\"a\\u0000b\"}", ANY_FAILURE},
        {"describe_collection", "{\"collection_name\":\"no such collection!\"}", ANY_FAILURE},
        {"load_collection", "{\"collection_name\":\"$C\",\"replica_number\":1.5}",
         MILVUS_ERR_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        EXPECT_X(cases[i].method, cases[i].args, cases[i].want);
    /* Whatever slipped through above must not leave a collection behind. */
    EXPECT_X("drop_collection", "{\"collection_name\":\"$N\"}", MILVUS_OK);
}

/* Arguments of 10 MB. */
static void test_big_args(void) {
    char prefix[256];

    /* Valid JSON padded with whitespace. */
    snprintf(prefix, sizeof prefix, "{\"collection_name\":\"%s\"", coll);
    char *a = big(prefix, " \n\t\r", 10 * MB, "}");
    EXPECT("has_collection", a, MILVUS_OK);
    free(a);

    /* A 10 MB collection name: the server refuses it. */
    a = big("{\"collection_name\":\"", "a", 10 * MB, "\"}");
    EXPECT("has_collection", a, ANY_FAILURE);
    free(a);

    /* 10 MB of '{', and of a long string that ends in invalid UTF-8. */
    a = big("", "{", 10 * MB, "");
    EXPECT("query", a, MILVUS_ERR_INVALID_JSON);
    free(a);
    a = big("{\"collection_name\":\"", "x", 10 * MB, "\xff\"}");
    EXPECT("query", a, MILVUS_ERR_INVALID_UTF8);
    free(a);

    /* 10 MB of rows whose last one has a wrong dimension: refused before anything is sent. */
    const char *row = "{\"id\":1,\"vector\":[0.5,0.25,0.125,1]},";
    size_t nrows = 10 * MB / strlen(row);
    snprintf(prefix, sizeof prefix, "{\"collection_name\":\"%s\",\"data\":[", coll);
    a = big(prefix, row, nrows * strlen(row), "{\"id\":2,\"vector\":[1,2,3]}]}");
    milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
    CHECK_STATUS(milvus_client_insert(client, a, &b, CHECK_ERR), MILVUS_ERR_DIMENSION_MISMATCH);
    char want[64];
    snprintf(want, sizeof want, "row %zu", nrows);
    CHECK(strstr(milvus_error_message(CHECK_LAST_ERROR()), want) != NULL);
    CHECK(b.data == SENTINEL_DATA);
    free(a);

    /* Nesting deeper than any argument needs, well-formed or not. */
    snprintf(prefix, sizeof prefix, "{\"collection_name\":\"%s\",\"data\":", coll);
    char *open = big(prefix, "[", 100000, "");
    char *closed = big(open, "]", 100000, "}");
    EXPECT("insert", open, MILVUS_ERR_INVALID_JSON);
    EXPECT("insert", closed, MILVUS_ERR_INVALID_JSON);
    free(open);
    free(closed);

    /* 10 MB of nested arrays inside a vector. */
    snprintf(prefix, sizeof prefix, "{\"collection_name\":\"%s\",\"data\":[{\"id\":1,\"vector\":", coll);
    a = big(prefix, "[", 10 * MB, "");
    EXPECT("insert", a, MILVUS_ERR_INVALID_JSON);
    free(a);
}

/* ---- the exports that are not JSON methods ---- */

#define SENTINEL_RESULT ((milvus_result *)(void *)&sentinel_byte)
#define SENTINEL_COLUMNS ((milvus_columns *)(void *)&sentinel_byte)
#define SENTINEL_ITER ((milvus_iterator *)(void *)&sentinel_byte)

/* Every JSON method's export with a live client: NULL result_out, and args that are not UTF-8. */
static void test_exports_live_client(void) {
    for (size_t m = 0; m < milvus_method_count(); m++) {
        method_fn fn = export_named(milvus_method_name(m));
        if (fn == NULL) continue; /* reported by test_null_everywhere */
        milvus_buffer out = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(fn(client, "{}", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(fn(client, "\xc3\x28", &out, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK(out.data == SENTINEL_DATA && out.len == SENTINEL_LEN);
    }
}

static void test_cancel_connect_garbage(const char *uri) {
    CHECK_STATUS(milvus_client_cancel(NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_cancel(NULL, "id", CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_cancel(client, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_cancel(client, "\xff", CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_cancel(client, "no call has this id", CHECK_ERR), MILVUS_OK);
    char *long_id = big("", "x", MB, "");
    CHECK_STATUS(milvus_client_cancel(client, long_id, CHECK_ERR), MILVUS_OK);
    free(long_id);

    milvus_client *c = SENTINEL_CLIENT;
    CHECK_STATUS(milvus_client_connect(NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_connect(NULL, &c, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_connect("{}", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_connect("\xff", &c, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    static const char *const bad_json[] = {"{", "[", "{\"uri\":}", "{uri:1}", "{}}"};
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++)
        CHECK_STATUS(milvus_client_connect(bad_json[i], &c, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    static const char *const bad_args[] = {
        "{}", "null", "[]", "5", "{\"uri\":5}", "{\"uri\":null}", "{\"uri\":[]}",
        "{\"uri\":\"$U\",\"no_such_option\":1}", "{\"uri\":\"$U\",\"timeout\":-1}",
        "{\"uri\":\"$U\",\"timeout\":\"5\"}", "{\"uri\":\"$U\",\"secure\":\"yes\"}",
        "{\"uri\":\"$U\",\"ca_pem_path\":\"/nonexistent.pem\"}",
        "{\"uri\":\"$U\",\"client_pem_path\":\"/nonexistent.pem\",\"secure\":true}",
        "{\"uri\":\"$U\",\"keepalive_time\":-1}", "{\"uri\":\"$U\",\"db_name\":7}",
    };
    for (size_t i = 0; i < sizeof bad_args / sizeof bad_args[0]; i++) {
        char opts[512];
        const char *at = strstr(bad_args[i], "$U");
        if (at != NULL)
            snprintf(opts, sizeof opts, "%.*s%s%s", (int)(at - bad_args[i]), bad_args[i], uri, at + 2);
        else
            snprintf(opts, sizeof opts, "%s", bad_args[i]);
        if (CHECK_STATUS(milvus_client_connect(opts, &c, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT) !=
            MILVUS_ERR_INVALID_ARGUMENT)
            printf("     options: %s\n", opts);
    }
    CHECK_STATUS(milvus_client_connect("{\"uri\":\"ftp://127.0.0.1:1\"}", &c, CHECK_ERR),
                 MILVUS_ERR_INVALID_URI);
    CHECK(c == SENTINEL_CLIENT);
    char opts[256];
    snprintf(opts, sizeof opts, "{\"uri\":\"%s\",\"timeout\":30,\"user\":null}", uri);
    if (CHECK_STATUS(milvus_client_connect(opts, &c, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK(c != NULL && c != SENTINEL_CLIENT);
        milvus_client_free(c);
    }
}

static void test_iterator_garbage(void) {
    milvus_iterator *it = SENTINEL_ITER;
    char args[256];
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"batch_size\":1}", coll);
    CHECK_STATUS(milvus_client_query_iterator(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(NULL, args, &it, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(client, args, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_query_iterator(client, "{", &it, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_query_iterator(client, "\xff", &it, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_query_iterator(client, "{\"collection_name\":1}", &it, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_iterator(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_iterator(NULL, args, &it, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_iterator(client, args, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_iterator(client, "[", &it, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_search_iterator(client, "\xff", &it, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_search_iterator(client, args, &it, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT); /* no data */
    CHECK(it == SENTINEL_ITER);

    milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
    milvus_result *r = SENTINEL_RESULT;
    CHECK_STATUS(milvus_iterator_next(NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_iterator_next(NULL, &b, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_iterator_next_typed(NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_iterator_next_typed(NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    milvus_iterator_free(NULL);
    it = NULL;
    if (CHECK_STATUS(milvus_client_query_iterator(client, args, &it, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK_STATUS(milvus_iterator_next(it, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_iterator_next_typed(it, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        /* The pages are still all there after those refusals: 2 rows, one per page, then []. */
        int rows = 0;
        for (int page = 0; page < 5; page++) {
            if (CHECK_STATUS(milvus_iterator_next(it, &b, CHECK_ERR), MILVUS_OK) != MILVUS_OK) break;
            int empty = strcmp((const char *)b.data, "[]") == 0;
            milvus_buffer_free(&b);
            if (empty) break;
            rows++;
        }
        CHECK(rows == 2);
        CHECK(b.data == NULL);
        milvus_iterator_free(it);
    }
}

static void test_columns_garbage(void) {
    milvus_columns *cols = SENTINEL_COLUMNS;
    CHECK_STATUS(milvus_columns_new(0, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_new(1, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_new(0, &cols, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(cols == SENTINEL_COLUMNS);
    milvus_columns_free(NULL);

    if (CHECK_STATUS(milvus_columns_new(2, &cols, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    const bool bs[2] = {true, false};
    const int8_t i8[2] = {1, 2};
    const int16_t i16[2] = {1, 2};
    const int32_t i32[2] = {1, 2};
    const int64_t i64[2] = {1, 2};
    const float f[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double d[2] = {1, 2};
    const uint16_t h[8] = {0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00};
    const uint8_t bits[2] = {0xff, 0x0f};
    const uint8_t valid[1] = {0x01};
    const char *strs[2] = {"a", "b"};
    const char *bad_utf8[2] = {"a", "\xff"};
    const char *bad_json[2] = {"{}", "{"};
    const size_t lens[2] = {1, 1};
    const uint64_t indptr[3] = {0, 1, 2}, bad_indptr[3] = {0, 2, 1}, far_indptr[3] = {0, 1, SIZE_MAX};
    const uint32_t idx[2] = {3, 4}, dup_idx[2] = {3, 3};

    /* Each adder: NULL builder, NULL field, field not UTF-8, NULL data, wrong row count. */
#define ADDER_GARBAGE(call_with)                                                            \
    do {                                                                                    \
        CHECK_STATUS(call_with(NULL, "x"), MILVUS_ERR_NULL_ARGUMENT);                      \
        CHECK_STATUS(call_with(cols, NULL), MILVUS_ERR_NULL_ARGUMENT);                     \
        CHECK_STATUS(call_with(cols, "\xff"), MILVUS_ERR_INVALID_UTF8);                    \
    } while (0)
#define A_BOOL(c, n) milvus_columns_add_bool((c), (n), bs, 2, NULL, CHECK_ERR)
#define A_I8(c, n) milvus_columns_add_int8((c), (n), i8, 2, NULL, CHECK_ERR)
#define A_I16(c, n) milvus_columns_add_int16((c), (n), i16, 2, NULL, CHECK_ERR)
#define A_I32(c, n) milvus_columns_add_int32((c), (n), i32, 2, NULL, CHECK_ERR)
#define A_I64(c, n) milvus_columns_add_int64((c), (n), i64, 2, NULL, CHECK_ERR)
#define A_F(c, n) milvus_columns_add_float((c), (n), f, 2, NULL, CHECK_ERR)
#define A_D(c, n) milvus_columns_add_double((c), (n), d, 2, NULL, CHECK_ERR)
#define A_VC(c, n) milvus_columns_add_varchar((c), (n), strs, lens, 2, NULL, CHECK_ERR)
#define A_JS(c, n) milvus_columns_add_json((c), (n), strs, NULL, 2, NULL, CHECK_ERR)
#define A_FV(c, n) milvus_columns_add_float_vector((c), (n), f, 2, 4, CHECK_ERR)
#define A_BV(c, n) milvus_columns_add_binary_vector((c), (n), bits, 2, 8, CHECK_ERR)
#define A_HV(c, n) milvus_columns_add_float16_vector((c), (n), h, 2, 4, CHECK_ERR)
#define A_BFV(c, n) milvus_columns_add_bfloat16_vector((c), (n), h, 2, 4, CHECK_ERR)
#define A_I8V(c, n) milvus_columns_add_int8_vector((c), (n), i8, 2, 1, CHECK_ERR)
#define A_SV(c, n) milvus_columns_add_sparse_vector((c), (n), indptr, idx, f, 2, CHECK_ERR)
    ADDER_GARBAGE(A_BOOL);
    ADDER_GARBAGE(A_I8);
    ADDER_GARBAGE(A_I16);
    ADDER_GARBAGE(A_I32);
    ADDER_GARBAGE(A_I64);
    ADDER_GARBAGE(A_F);
    ADDER_GARBAGE(A_D);
    ADDER_GARBAGE(A_VC);
    ADDER_GARBAGE(A_JS);
    ADDER_GARBAGE(A_FV);
    ADDER_GARBAGE(A_BV);
    ADDER_GARBAGE(A_HV);
    ADDER_GARBAGE(A_BFV);
    ADDER_GARBAGE(A_I8V);
    ADDER_GARBAGE(A_SV);

    /* NULL data, with and without rows to read. */
    CHECK_STATUS(milvus_columns_add_bool(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int8(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int16(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int32(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int64(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_double(cols, "x", NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_varchar(cols, "x", NULL, NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_json(cols, "x", NULL, lens, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "x", NULL, 2, 4, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_binary_vector(cols, "x", NULL, 2, 8, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float16_vector(cols, "x", NULL, 2, 4, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_bfloat16_vector(cols, "x", NULL, 2, 4, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int8_vector(cols, "x", NULL, 2, 4, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", NULL, idx, f, 2, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", indptr, NULL, f, 2, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", indptr, idx, NULL, 2, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);

    /* Wrong row counts (the arrays hold 3 rows, so every count here is readable). Counts too
     * large for any buffer are in absurd_sizes(). */
    const bool bs3[3] = {true, false, true};
    const int64_t i64_3[3] = {1, 2, 3};
    const double d3[3] = {1, 2, 3};
    const char *strs3[3] = {"a", "b", "c"};
    const size_t lens3[3] = {1, 1, 1};
    const uint64_t indptr3[4] = {0, 1, 2, 2};
    const size_t counts[] = {0, 1, 3};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        size_t n = counts[i];
        CHECK_STATUS(milvus_columns_add_bool(cols, "x", bs3, n, NULL, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_int64(cols, "x", i64_3, n, NULL, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_double(cols, "x", d3, n, NULL, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_varchar(cols, "x", strs3, lens3, n, NULL, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_float_vector(cols, "x", f, n, 2, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
        CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", indptr3, idx, f, n, CHECK_ERR), MILVUS_ERR_ROW_COUNT_MISMATCH);
    }
    /* Dimension 0, and bits that are not whole bytes. */
    CHECK_STATUS(milvus_columns_add_float_vector(cols, "x", f, 2, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_binary_vector(cols, "x", bits, 2, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_float16_vector(cols, "x", h, 2, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_bfloat16_vector(cols, "x", h, 2, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int8_vector(cols, "x", i8, 2, 0, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_binary_vector(cols, "x", bits, 2, 7, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    /* Strings and JSON that are not what they claim; CSR offsets that go backwards, repeat an
     * index, or point far past the arrays. */
    CHECK_STATUS(milvus_columns_add_varchar(cols, "x", bad_utf8, NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_columns_add_json(cols, "x", bad_json, NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    /* Not UTF-8 is not JSON either: either status names the problem. */
    milvus_status js = milvus_columns_add_json(cols, "x", bad_utf8, NULL, 2, NULL, CHECK_ERR);
    CHECK(js == MILVUS_ERR_INVALID_UTF8 || js == MILVUS_ERR_INVALID_ARGUMENT);
    const char *null_str[2] = {"a", NULL};
    CHECK_STATUS(milvus_columns_add_varchar(cols, "x", null_str, NULL, 2, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", bad_indptr, idx, f, 2, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    const uint64_t one_row_two[3] = {0, 2, 2}; /* row 0: index 3 twice */
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", one_row_two, dup_idx, f, 2, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_sparse_vector(cols, "x", far_indptr, idx, f, 2, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);

    /* Valid columns, each added once; a second add of the same field is refused. */
    CHECK_STATUS(A_I64(cols, "id"), MILVUS_OK);
    CHECK_STATUS(A_I64(cols, "id"), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_columns_add_int32(cols, "n", i32, 2, valid, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(A_SV(cols, "sv"), MILVUS_OK);
    CHECK_STATUS(A_SV(cols, "sv"), MILVUS_ERR_INVALID_ARGUMENT);
    milvus_columns_free(cols);
}

/* Column views of a result: every accessor with NULL, out-of-range and wrong-type arguments. */
static void result_views_garbage(const milvus_result *r) {
    size_t cols = milvus_result_column_count(r), len = 12345, idx = 12345;
    const void *data = SENTINEL_DATA;
    const bool *bools = (const bool *)SENTINEL_DATA;
    const int32_t *i32 = (const int32_t *)(void *)SENTINEL_DATA;
    const int64_t *i64 = (const int64_t *)(void *)SENTINEL_DATA;
    const float *f = (const float *)(void *)SENTINEL_DATA;
    const double *d = (const double *)(void *)SENTINEL_DATA;
    const char *str = (const char *)SENTINEL_DATA;
    const uint8_t *pairs = SENTINEL_DATA;
    CHECK(milvus_result_column_name(r, cols) == NULL);
    CHECK(milvus_result_column_name(r, SIZE_MAX) == NULL);
    CHECK(milvus_result_column_type(r, cols) == MILVUS_TYPE_NONE);
    CHECK(!milvus_result_column_is_dynamic(r, SIZE_MAX));
    CHECK(milvus_result_hit_offset(r, SIZE_MAX) == 0 && milvus_result_hit_count(r, SIZE_MAX) == 0);
    CHECK_STATUS(milvus_result_column_index(r, NULL, &idx, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_column_index(r, "id", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_column_index(r, "\xff", &idx, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_result_column_index(r, "no such column", &idx, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
    CHECK(idx == 12345);
    const size_t bad_cols[] = {cols, SIZE_MAX};
    for (size_t i = 0; i < 2; i++) {
        size_t c = bad_cols[i];
        CHECK_STATUS(milvus_result_column_bool(r, c, &bools, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_int32(r, c, &i32, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_int64(r, c, &i64, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_float(r, c, &f, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_double(r, c, &d, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_string(r, c, 0, &str, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_vectors(r, c, &data, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_sparse(r, c, 0, &pairs, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_result_column_validity(r, c, &bools, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    }
    CHECK(len == 12345 && data == SENTINEL_DATA && str == (const char *)SENTINEL_DATA);
    /* NULL out-pointers, and the wrong accessor for each column's type. */
    for (size_t c = 0; c < cols; c++) {
        milvus_data_type t = milvus_result_column_type(r, c);
        /* NULL out-pointers: refused; for another type's accessor the type may be named first. */
        milvus_status st = milvus_result_column_int64(r, c, NULL, &len, CHECK_ERR);
        CHECK(st == MILVUS_ERR_NULL_ARGUMENT || (t != MILVUS_TYPE_INT64 && st == MILVUS_ERR_TYPE_MISMATCH));
        st = milvus_result_column_int64(r, c, &i64, NULL, CHECK_ERR);
        CHECK(st == MILVUS_ERR_NULL_ARGUMENT || (t != MILVUS_TYPE_INT64 && st == MILVUS_ERR_TYPE_MISMATCH));
        st = milvus_result_column_vectors(r, c, NULL, &len, CHECK_ERR);
        CHECK(st == MILVUS_ERR_NULL_ARGUMENT || (t < MILVUS_TYPE_BINARY_VECTOR && st == MILVUS_ERR_TYPE_MISMATCH));
        st = milvus_result_column_string(r, c, 0, NULL, &len, CHECK_ERR);
        CHECK(st == MILVUS_ERR_NULL_ARGUMENT || st == MILVUS_ERR_TYPE_MISMATCH);
        st = milvus_result_column_sparse(r, c, 0, &pairs, NULL, CHECK_ERR);
        CHECK(st == MILVUS_ERR_NULL_ARGUMENT || (t != MILVUS_TYPE_SPARSE_FLOAT_VECTOR && st == MILVUS_ERR_TYPE_MISMATCH));
        CHECK_STATUS(milvus_result_column_validity(r, c, NULL, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        if (t != MILVUS_TYPE_BOOL)
            CHECK_STATUS(milvus_result_column_bool(r, c, &bools, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        if (t != MILVUS_TYPE_INT8 && t != MILVUS_TYPE_INT16 && t != MILVUS_TYPE_INT32)
            CHECK_STATUS(milvus_result_column_int32(r, c, &i32, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        if (t != MILVUS_TYPE_FLOAT)
            CHECK_STATUS(milvus_result_column_float(r, c, &f, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        if (t != MILVUS_TYPE_DOUBLE)
            CHECK_STATUS(milvus_result_column_double(r, c, &d, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        if (t != MILVUS_TYPE_SPARSE_FLOAT_VECTOR)
            CHECK_STATUS(milvus_result_column_sparse(r, c, 0, &pairs, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
        if (t == MILVUS_TYPE_VARCHAR || t == MILVUS_TYPE_JSON || milvus_result_column_is_dynamic(r, c))
            CHECK_STATUS(milvus_result_column_string(r, c, SIZE_MAX, &str, &len, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        else
            CHECK_STATUS(milvus_result_column_string(r, c, 0, &str, &len, CHECK_ERR), MILVUS_ERR_TYPE_MISMATCH);
    }
    CHECK_STATUS(milvus_result_string_id(r, 0, NULL, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_string_id(r, 0, &str, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_to_json(r, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    /* Arrow export: NULL out-structs refused, nothing written; a live result exports. */
    struct ArrowSchema as = {0};
    struct ArrowArray aa = {0};
    CHECK_STATUS(milvus_result_export_arrow(NULL, &as, &aa, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_export_arrow(r, NULL, &aa, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_result_export_arrow(r, &as, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(as.release == NULL && aa.release == NULL);
    if (CHECK_STATUS(milvus_result_export_arrow(r, &as, &aa, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK(aa.length == (int64_t)milvus_result_num_rows(r));
        as.release(&as);
        aa.release(&aa);
    }
    /* Arrow import: every pointer NULL, and zeroed (released) structs. */
    CHECK_STATUS(milvus_columns_add_arrow(NULL, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    milvus_columns *ac = NULL;
    if (CHECK_STATUS(milvus_columns_new(1, &ac, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK_STATUS(milvus_columns_add_arrow(ac, &as, &aa, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        milvus_columns_free(ac);
    }
    milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
    if (CHECK_STATUS(milvus_result_to_json(r, &b, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK(b.data != SENTINEL_DATA && b.data[b.len] == '\0');
        milvus_buffer_free(&b);
    }
}

static void test_typed_calls_garbage(void) {
    milvus_result *r = SENTINEL_RESULT;
    milvus_columns *cols_rows = NULL;
    const int64_t ids[2] = {101, 102};
    const float vecs[8] = {1, 1, 1, 1, 2, 2, 2, 2};
    if (CHECK_STATUS(milvus_columns_new(2, &cols_rows, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    CHECK_STATUS(milvus_columns_add_int64(cols_rows, "id", ids, 2, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_columns_add_float_vector(cols_rows, "vector", vecs, 2, 4, CHECK_ERR), MILVUS_OK);

    /* The results: NULL everywhere (counts 0, views NULL, statuses NULL_ARGUMENT). */
    milvus_result_free(NULL);
    CHECK(milvus_result_num_queries(NULL) == 0 && milvus_result_num_rows(NULL) == 0);
    CHECK(milvus_result_hit_offset(NULL, 0) == 0 && milvus_result_hit_count(NULL, 0) == 0);
    CHECK(milvus_result_write_count(NULL) == 0);
    CHECK(milvus_result_id_type(NULL) == MILVUS_ID_NONE);
    CHECK(milvus_result_int64_ids(NULL) == NULL && milvus_result_distances(NULL) == NULL);
    CHECK(milvus_result_column_count(NULL) == 0 && milvus_result_column_name(NULL, 0) == NULL);
    CHECK(milvus_result_column_type(NULL, 0) == MILVUS_TYPE_NONE);
    CHECK(!milvus_result_column_is_dynamic(NULL, 0));
    {
        size_t len = 0, idx = 0;
        const void *v = NULL;
        const char *s = NULL;
        const uint8_t *p = NULL;
        const bool *bo = NULL;
        const int32_t *i3 = NULL;
        const int64_t *i6 = NULL;
        const float *fl = NULL;
        const double *db = NULL;
        milvus_buffer b = {SENTINEL_DATA, SENTINEL_LEN};
        CHECK_STATUS(milvus_result_string_id(NULL, 0, &s, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_index(NULL, "id", &idx, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_bool(NULL, 0, &bo, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_int32(NULL, 0, &i3, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_int64(NULL, 0, &i6, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_float(NULL, 0, &fl, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_double(NULL, 0, &db, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_string(NULL, 0, 0, &s, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_vectors(NULL, 0, &v, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_sparse(NULL, 0, 0, &p, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_column_validity(NULL, 0, &bo, &len, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_result_to_json(NULL, &b, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK(b.data == SENTINEL_DATA && b.len == SENTINEL_LEN);
    }

    /* Writes from columns: NULL client, collection, columns, result_out; bad options. */
    typedef milvus_status (*write_fn)(const milvus_client *, const char *, const milvus_columns *,
                                      const char *, milvus_result **, milvus_error **);
    write_fn writes[] = {milvus_client_insert_columns, milvus_client_upsert_columns,
                         milvus_client_search_columns, milvus_client_hybrid_search_columns};
    milvus_columns *qcols = NULL; /* the query vectors of a search: one vector column */
    if (CHECK_STATUS(milvus_columns_new(2, &qcols, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    CHECK_STATUS(milvus_columns_add_float_vector(qcols, "vector", vecs, 2, 4, CHECK_ERR), MILVUS_OK);
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        write_fn w = writes[i];
        const milvus_columns *cols = i < 2 ? cols_rows : qcols;
        CHECK_STATUS(w(NULL, NULL, NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(w(NULL, coll, cols, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(w(client, NULL, cols, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(w(client, coll, NULL, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(w(client, coll, cols, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(w(client, "\xff", cols, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(w(client, coll, cols, "\xff", &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(w(client, coll, cols, "{", &r, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(w(client, coll, cols, "{\"no_such_option\":1}", &r, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(w(client, coll, cols, "{\"timeout\":-1}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(r == SENTINEL_RESULT);
    }
    CHECK_STATUS(milvus_client_search_float(NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(NULL, coll, NULL, vecs, 1, 4, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, NULL, NULL, vecs, 1, 4, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, NULL, 1, 4, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, 1, 4, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, "\xff", vecs, 1, 4, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, 1, 4, "[", &r, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, 0, 4, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, 1, 0, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, SIZE_MAX, SIZE_MAX, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(milvus_client_search_float(client, coll, NULL, vecs, 2, 3, NULL, &r, CHECK_ERR), MILVUS_ERR_DIMENSION_MISMATCH);
    CHECK(r == SENTINEL_RESULT);

    /* Full-text search: NULL pointers, no texts, bad UTF-8, options naming the call's own arguments. */
    {
        const char *texts[2] = {"vector database", "brown fox"};
        const char *bad_texts[2] = {"ok", "\xff\xfe"};
        const char *null_text[2] = {"ok", NULL};
        const size_t lens[2] = {2, 2};
        const size_t long_lens[2] = {6, SIZE_MAX};
        CHECK_STATUS(milvus_client_search_texts(NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(NULL, coll, "sparse", texts, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, NULL, "sparse", texts, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", NULL, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", null_text, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, NULL, NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 0, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, SIZE_MAX, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, long_lens, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, "\xff", "sparse", texts, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "\xff", texts, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", bad_texts, NULL, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", bad_texts, lens, 2, NULL, &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "\xff", &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "[", &r, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "[1]", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "{\"data\":[\"x\"]}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "{\"anns_field\":\"x\"}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "{\"no_such_option\":1}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "{\"timeout\":-1}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(milvus_client_search_texts(client, coll, "sparse", texts, NULL, 2, "{\"limit\":0}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(r == SENTINEL_RESULT);
    }

    /* Typed JSON-argument calls: as the JSON methods, with a result object instead. */
    typedef milvus_status (*typed_fn)(const milvus_client *, const char *, milvus_result **, milvus_error **);
    typed_fn typed[] = {milvus_client_search_typed, milvus_client_hybrid_search_typed,
                        milvus_client_query_typed, milvus_client_get_typed};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        CHECK_STATUS(typed[i](NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(typed[i](NULL, "{}", &r, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(typed[i](client, "{}", NULL, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
        CHECK_STATUS(typed[i](client, "\xff", &r, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
        CHECK_STATUS(typed[i](client, "{", &r, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
        CHECK_STATUS(typed[i](client, "{\"collection_name\":1}", &r, CHECK_ERR), MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(r == SENTINEL_RESULT);
    }

    /* Real results, whose views are then asked for with garbage. */
    r = NULL;
    if (CHECK_STATUS(milvus_client_insert_columns(client, coll, cols_rows, NULL, &r, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK(milvus_result_write_count(r) == 2);
        result_views_garbage(r);
        milvus_result_free(r);
    }
    r = NULL;
    char args[256];
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"filter\":\"id > 0\",\"output_fields\":[\"*\"],"
             "\"consistency_level\":\"Strong\"}", coll);
    if (CHECK_STATUS(milvus_client_query_typed(client, args, &r, CHECK_ERR), MILVUS_OK) == MILVUS_OK) {
        CHECK(milvus_result_num_rows(r) == 4); /* rows 1, 2 and 101, 102 */
        result_views_garbage(r);
        milvus_result_free(r);
    }
    r = NULL;
    if (CHECK_STATUS(milvus_client_search_float(client, coll, "", vecs, 2, 4,
                                                "{\"limit\":3,\"output_fields\":[\"vector\"]}", &r,
                                                CHECK_ERR),
                     MILVUS_OK) == MILVUS_OK) {
        CHECK(milvus_result_num_queries(r) == 2);
        CHECK(milvus_result_hit_count(r, 2) == 0);
        result_views_garbage(r);
        milvus_result_free(r);
    }
    milvus_columns_free(cols_rows);
    milvus_columns_free(qcols);
}

/*
 * Runs fn in a child process, so that a crash (an abort, a signal) is reported as a failure
 * instead of ending this program. Must be called before this process uses the library: the
 * child starts the library's I/O threads afresh.
 */
static void isolated(const char *what, void (*fn)(const char *uri), const char *uri) {
    fflush(stdout);
    int failures_before = check_failures(); /* the child inherits the counters */
    pid_t pid = fork();
    if (pid < 0) {
        CHECK(pid >= 0);
        return;
    }
    if (pid == 0) {
        fn(uri);
        fflush(stdout);
        _exit(check_failures() == failures_before ? 0 : 1);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
    }
    if (!CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        if (WIFSIGNALED(st))
            printf("     %s: the process was killed by signal %d\n", what, WTERMSIG(st));
        else
            printf("     %s: failed (exit status %d)\n", what, WEXITSTATUS(st));
    }
}

/*
 * Sizes no buffer can have: row counts and dimensions whose byte size is beyond the address
 * space or overflows. The library must refuse them with a status (the caller's pointer cannot
 * hold that much), not try to copy or allocate that much and abort. Each case runs in its own
 * child process (before this process uses the library), so one abort names its case.
 */
static const bool ab_bools[2] = {true, false};
static const float ab_f[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint8_t ab_bits[2] = {0xff, 0x0f};
static const uint16_t ab_h[2] = {0x3c00, 0x3c00};
static const int8_t ab_i8[2] = {1, 2};
static const char *ab_strs[2] = {"a", "b"};
static const uint64_t ab_indptr[3] = {0, 1, 2};
static const uint32_t ab_idx[2] = {3, 4};

static milvus_status absurd_case(int i, milvus_columns *c) {
    const size_t big_dims[] = {SIZE_MAX, SIZE_MAX / 2 + 1, SIZE_MAX / 4 + 1, SIZE_MAX / 16 + 8};
    if (i < 4) return milvus_columns_add_float_vector(c, "x", ab_f, 2, big_dims[i], CHECK_ERR);
    if (i < 8) return milvus_columns_add_binary_vector(c, "x", ab_bits, 2, big_dims[i - 4] & ~(size_t)7, CHECK_ERR);
    if (i < 12) return milvus_columns_add_float16_vector(c, "x", ab_h, 2, big_dims[i - 8], CHECK_ERR);
    if (i < 16) return milvus_columns_add_bfloat16_vector(c, "x", ab_h, 2, big_dims[i - 12], CHECK_ERR);
    if (i < 20) return milvus_columns_add_int8_vector(c, "x", ab_i8, 2, big_dims[i - 16], CHECK_ERR);
    const size_t big_counts[] = {SIZE_MAX, SIZE_MAX / 2 + 1};
    if (i < 22) return milvus_columns_add_bool(c, "x", ab_bools, big_counts[i - 20], NULL, CHECK_ERR);
    if (i < 24) return milvus_columns_add_varchar(c, "x", ab_strs, NULL, big_counts[i - 22], NULL, CHECK_ERR);
    if (i < 26) return milvus_columns_add_sparse_vector(c, "x", ab_indptr, ab_idx, ab_f, big_counts[i - 24], CHECK_ERR);
    return MILVUS_OK;
}
#define ABSURD_CASES 26

static void absurd_one(const char *what) {
    int i = atoi(strrchr(what, ' ') + 1);
    milvus_columns *c = NULL;
    if (CHECK_STATUS(milvus_columns_new(2, &c, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    milvus_status s = absurd_case(i, c);
    if (!CHECK(s == MILVUS_ERR_INVALID_ARGUMENT || s == MILVUS_ERR_ROW_COUNT_MISMATCH))
        printf("     absurd size case %d: got %s\n", i, milvus_status_str(s));
    milvus_columns_free(c);
    /* A builder of SIZE_MAX rows: it may be made (nothing is reserved) or refused. */
    milvus_columns *huge = NULL;
    s = milvus_columns_new(SIZE_MAX, &huge, CHECK_ERR);
    CHECK(s == MILVUS_OK || s == MILVUS_ERR_INVALID_ARGUMENT);
    milvus_columns_free(s == MILVUS_OK ? huge : NULL);
    CHECK_THREAD_END();
}

/*
 * A collection of the largest dimension the server allows, and an insert of a million empty
 * rows (3 MB of JSON). Each row lacks the primary key: MILVUS_ERR_MISSING_FIELD, not an abort
 * while reserving room for a million 32768-float vectors (131 GB).
 */
static void big_dimension(const char *uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    char name[64], args[128];
    snprintf(name, sizeof name, "garbage_%ld_bigdim", (long)getppid());
    milvus_buffer b = {0};
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"dimension\":32768}", name);
    if (CHECK_STATUS(milvus_client_create_collection(c, args, &b, CHECK_ERR), MILVUS_OK) ==
        MILVUS_OK) {
        milvus_buffer_free(&b);
        snprintf(args, sizeof args, "{\"collection_name\":\"%s\",\"data\":[{}", name);
        char *a = big(args, ",{}", 3 * 1000000, "]}");
        CHECK_STATUS(milvus_client_insert(c, a, &b, CHECK_ERR), MILVUS_ERR_MISSING_FIELD);
        free(a);
    }
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", name);
    CHECK_STATUS(milvus_client_drop_collection(c, args, &b, CHECK_ERR), MILVUS_OK);
    milvus_buffer_free(&b);
    milvus_client_free(c);
    CHECK_THREAD_END();
}

/*
 * Milvus Lite creates a collection whose dimension is 2^63 - 1 (only its index is refused).
 * Writing to it must fail cleanly, not panic on the size of the vector column.
 */
static void absurd_dimension(const char *lite_uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(lite_uri, NULL, NULL, NULL, 60, &c, CHECK_ERR),
                     MILVUS_OK) != MILVUS_OK)
        return;
    client = c;
    snprintf(coll_new, sizeof coll_new, "garbage_%ld_absurd", (long)getppid());
    EXPECT_X("create_collection", "{\"collection_name\":\"$N\",\"dimension\":9223372036854775807}",
             ANY_FAILURE);
    milvus_buffer b = {0};
    char args[128];
    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll_new);
    if (milvus_client_has_collection(c, args, &b, NULL) == MILVUS_OK && strcmp((char *)b.data, "true") == 0) {
        EXPECT_X("insert", "{\"collection_name\":\"$N\",\"data\":[{\"id\":1,\"vector\":[1]}]}",
                 MILVUS_ERR_DIMENSION_MISMATCH);
        EXPECT_X("insert", "{\"collection_name\":\"$N\",\"data\":[{}]}", MILVUS_ERR_MISSING_FIELD);
    }
    milvus_buffer_free(&b);
    EXPECT_X("drop_collection", "{\"collection_name\":\"$N\"}", MILVUS_OK);
    client = NULL;
    milvus_client_free(c);
    CHECK_THREAD_END();
}

/*
 * The methods pymilvus 3 added (list_segments, optimize, the schema changes, close): wrong
 * types and wrong values, all refused before anything is sent. None of these may succeed (a
 * close that did would end the live client of the later tests). Then dump_messages and
 * session, which hand back an iterator and a client.
 */
static void test_pymilvus3_methods_garbage(void) {
    static const struct {
        const char *method, *args;
    } refused[] = {
        {"list_segments", "{}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":\"Flushed\"}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":{}}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[\"Melted\"]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[99]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[null]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[-1]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"states\":[4294967300]}"},
        {"list_segments", "{\"collection_name\":\"$C\",\"timeout\":\"1\"}"},
        {"optimize", "{}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"abc\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"1KB\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"1 zb\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"1e3mb\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\".5gb\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":0}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":-5}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":1e300}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":\"99999999999999999999pb\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":[]}"},
        {"optimize", "{\"collection_name\":\"$C\",\"target_size\":{}}"},
        {"optimize", "{\"collection_name\":\"$C\",\"wait\":\"yes\"}"},
        {"optimize", "{\"collection_name\":\"$C\",\"wait\":1}"},
        {"optimize", "{\"collection_name\":\"$C\",\"timeout\":-1}"},
        {"drop_function_field", "{\"collection_name\":\"$C\"}"},
        {"drop_function_field", "{\"collection_name\":\"$C\",\"function_name\":\"\"}"},
        {"drop_function_field", "{\"collection_name\":\"$C\",\"function_name\":5}"},
        {"drop_function_field", "{\"function_name\":\"f\"}"},
        {"add_function_field", "{\"collection_name\":\"$C\"}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":5,\"func\":{},\"index_params\":[]}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":{\"name\":\"o\",\"type\":\"SPARSE_FLOAT_VECTOR\"},"
         "\"func\":\"bm25\",\"index_params\":[]}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":{\"name\":\"o\",\"type\":\"SPARSE_FLOAT_VECTOR\"},"
         "\"func\":{\"name\":\"f\",\"type\":\"BM25\",\"input_field_names\":[\"t\"],"
         "\"output_field_names\":[\"o\"]},\"index_params\":[]}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":{\"name\":\"o\",\"type\":\"FLOAT_VECTOR\",\"dim\":4},"
         "\"func\":{\"name\":\"f\",\"type\":\"BM25\",\"input_field_names\":[\"t\"],"
         "\"output_field_names\":[\"o\"]},\"index_params\":[{\"field_name\":\"o\","
         "\"index_type\":\"HNSW\",\"metric_type\":\"L2\"}]}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":{\"name\":\"o\",\"type\":\"SPARSE_FLOAT_VECTOR\"},"
         "\"func\":{\"name\":\"f\",\"type\":\"BM25\",\"input_field_names\":[\"t\"],"
         "\"output_field_names\":[\"o\"]},\"index_params\":[{\"field_name\":\"o\"}]}"},
        {"add_function_field",
         "{\"collection_name\":\"$C\",\"field_schema\":{\"name\":\"o\",\"type\":\"SPARSE_FLOAT_VECTOR\"},"
         "\"func\":{\"name\":\"f\",\"type\":\"BM25\",\"input_field_names\":[\"t\"],"
         "\"output_field_names\":[\"o\"]},\"index_params\":[{\"field_name\":\"x\","
         "\"index_type\":\"AUTOINDEX\"}]}"},
        {"add_collection_struct_field", "{\"collection_name\":\"$C\"}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":[],\"max_capacity\":4}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":[]},"
         "\"max_capacity\":4}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":"
         "[{\"name\":\"a\",\"type\":\"INT64\"}],\"colour\":1},\"max_capacity\":4}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":"
         "[{\"name\":\"a\",\"type\":\"INT64\"}]},\"max_capacity\":\"4\"}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":"
         "[{\"name\":\"a\",\"type\":\"INT64\"}]},\"max_capacity\":4,\"nullable\":false}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":"
         "[{\"name\":\"a\",\"type\":\"NOPE\"}]},\"max_capacity\":4}"},
        {"add_collection_struct_field",
         "{\"collection_name\":\"$C\",\"field_name\":\"s\",\"struct_schema\":{\"fields\":"
         "[{\"name\":\"a\",\"type\":\"INT64\",\"is_primary\":true}]},\"max_capacity\":4}"},
        {"close", "{\"timeout\":1}"},
        {"close", "{\"call_id\":5}"},
        {"close", "[]"},
        {"close", "{\"x\":null}"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        EXPECT_X(refused[i].method, refused[i].args, MILVUS_ERR_INVALID_ARGUMENT);
    /* The client is still open after those closes that were refused. */
    EXPECT("list_collections", NULL, MILVUS_OK);

    milvus_iterator *it = SENTINEL_ITER;
    const char *start = "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Pulsar\"}}";
    CHECK_STATUS(milvus_client_dump_messages(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_dump_messages(NULL, start, &it, CHECK_ERR), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_dump_messages(client, start, NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_dump_messages(client, "{", &it, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_dump_messages(client, "\xff", &it, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    const char *bad_dumps[] = {
        NULL, "{}", "{\"pchannel\":\"\"}", "{\"pchannel\":\"p\"}",
        "{\"pchannel\":\"p\",\"start_message_id\":{}}",
        "{\"pchannel\":\"p\",\"start_message_id\":\"1\"}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"\",\"wal_name\":\"Pulsar\"}}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":1,\"wal_name\":\"Pulsar\"}}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"pulsar\"}}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\"}}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Kafka\"},"
        "\"start_timetick\":-1}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Kafka\"},"
        "\"end_timetick\":\"5\"}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Kafka\"},"
        "\"timeout\":0}",
        "{\"pchannel\":\"p\",\"start_message_id\":{\"id\":\"1\",\"wal_name\":\"Kafka\"},"
        "\"batch_size\":5}",
    };
    for (size_t i = 0; i < sizeof bad_dumps / sizeof bad_dumps[0]; i++)
        CHECK_STATUS(milvus_client_dump_messages(client, bad_dumps[i], &it, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(it == SENTINEL_ITER);

    milvus_client *s = SENTINEL_CLIENT;
    CHECK_STATUS(milvus_client_session(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_session(client, "{\"cluster_id\":\"a\"}", NULL, CHECK_ERR),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_session(client, "[", &s, CHECK_ERR), MILVUS_ERR_INVALID_JSON);
    CHECK_STATUS(milvus_client_session(client, "\xff", &s, CHECK_ERR), MILVUS_ERR_INVALID_UTF8);
    CHECK_STATUS(milvus_client_session(client, "{\"cluster_id\":[]}", &s, CHECK_ERR),
                 MILVUS_ERR_INVALID_ARGUMENT);
    CHECK(s == SENTINEL_CLIENT);
}

/* The non-blocking calls and completion queues: NULL, garbage text and wrong combinations are
 * refused at the start, and nothing is delivered for them. */
static void ignore_completion(milvus_completion *c, void *user_data) {
    (void)user_data;
    milvus_completion_free(c);
}

static void test_async_garbage(void) {
    milvus_completion_queue *q = NULL;
    if (CHECK_STATUS(milvus_completion_queue_new(&q, CHECK_ERR), MILVUS_OK) != MILVUS_OK) return;
    CHECK_STATUS(milvus_completion_queue_new(NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    const char *texts[] = {NULL, "", "\xff\xfe", "no_such", "search\x01"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        milvus_status want = texts[i] == NULL ? MILVUS_ERR_NULL_ARGUMENT
                             : texts[i][0] == '\xff' ? MILVUS_ERR_INVALID_UTF8
                                                    : MILVUS_ERR_UNKNOWN_METHOD;
        CHECK_STATUS(milvus_client_start(client, texts[i], "{}", q, NULL, NULL, CHECK_ERR), want);
        CHECK_STATUS(milvus_client_start_typed(client, texts[i], "{}", q, NULL, NULL, CHECK_ERR), want);
        CHECK_STATUS(milvus_client_start_columns(client, texts[i], coll, NULL, NULL, q, NULL, NULL,
                                                 CHECK_ERR),
                     want == MILVUS_ERR_UNKNOWN_METHOD ? MILVUS_ERR_NULL_ARGUMENT : want);
    }
    for (int both = 0; both < 2; both++) {
        milvus_completion_queue *qq = both ? q : NULL;
        milvus_completion_callback cb = both ? ignore_completion : NULL;
        milvus_status want = both ? MILVUS_ERR_INVALID_ARGUMENT : MILVUS_ERR_NULL_ARGUMENT;
        CHECK_STATUS(milvus_client_start(client, "list_collections", NULL, qq, cb, NULL, CHECK_ERR), want);
        CHECK_STATUS(milvus_client_start_typed(client, "query", "{}", qq, cb, NULL, CHECK_ERR), want);
    }
    CHECK_STATUS(milvus_client_start(NULL, "list_collections", NULL, q, NULL, NULL, NULL),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start_typed(NULL, "query", NULL, q, NULL, NULL, NULL),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start_columns(NULL, "insert", coll, NULL, NULL, q, NULL, NULL, NULL),
                 MILVUS_ERR_NULL_ARGUMENT);
    CHECK_STATUS(milvus_client_start(client, "list_collections", "\xff", q, NULL, NULL, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    CHECK(milvus_completion_queue_wait(q, 0.05) == NULL);
    /* Bad arguments that only the method reads arrive as a completion with its status. */
    CHECK_STATUS(milvus_client_start(client, "query", "{\"collection_name\": 7}", q, NULL, NULL,
                                     CHECK_ERR), MILVUS_OK);
    milvus_completion *done = milvus_completion_queue_wait(q, 30);
    if (CHECK(done != NULL)) {
        milvus_buffer out = {0};
        CHECK_STATUS(milvus_completion_take(done, &out, NULL, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(milvus_completion_status(done) == MILVUS_ERR_INVALID_ARGUMENT);
        CHECK(milvus_completion_user_data(done) == NULL);
        milvus_completion_free(done);
    }
    CHECK(milvus_completion_status(NULL) == MILVUS_ERR_NULL_ARGUMENT);
    CHECK(milvus_completion_user_data(NULL) == NULL);
    CHECK_STATUS(milvus_completion_take(NULL, NULL, NULL, NULL), MILVUS_ERR_NULL_ARGUMENT);
    CHECK(milvus_completion_queue_fd(NULL) == -1);
    CHECK(milvus_completion_queue_pop(NULL) == NULL);
    CHECK(milvus_completion_queue_wait(NULL, -1) == NULL);
    CHECK(milvus_completion_queue_wait(q, -0.0) == NULL);
    milvus_completion_free(NULL);
    milvus_completion_queue_free(NULL);
    milvus_completion_queue_free(q);
}

static void ignore_record(void *user_data, milvus_log_level level, const char *target,
                          const char *message, const char *method, const char *call_id) {
    (void)user_data, (void)level, (void)target, (void)message, (void)method, (void)call_id;
}

/* The logging exports: bad filters and thresholds are refused and change nothing; removing a
 * callback that was never set is fine. (Records themselves: tests/c/test_log.c.) */
static void test_log_garbage(void) {
    CHECK_STATUS(milvus_log_set_callback(NULL, NULL, NULL, NULL), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_callback("\xff", ignore_record, NULL, CHECK_ERR),
                 MILVUS_ERR_INVALID_UTF8);
    const char *bad[] = {"loud", "milvus=", "=debug", "milvus=verbose,info", "a b=info"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_STATUS(milvus_log_set_callback(bad[i], ignore_record, NULL, CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
    }
    CHECK_STATUS(milvus_log_set_callback("off", ignore_record, NULL, CHECK_ERR), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_callback(NULL, NULL, (void *)1, CHECK_ERR), MILVUS_OK);
    const double bad_seconds[] = {-1, -0.001, 0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0, 1e300};
    for (size_t i = 0; i < sizeof bad_seconds / sizeof *bad_seconds; i++) {
        CHECK_STATUS(milvus_log_set_slow_call_threshold(bad_seconds[i], CHECK_ERR),
                     MILVUS_ERR_INVALID_ARGUMENT);
    }
    CHECK_STATUS(milvus_log_set_slow_call_threshold(0, NULL), MILVUS_OK);
    CHECK_STATUS(milvus_log_set_slow_call_threshold(1, CHECK_ERR), MILVUS_OK);
}

int main(void) {
    const char *uri = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    test_log_garbage();
    snprintf(coll, sizeof coll, "garbage_%ld", (long)getpid());
    snprintf(coll_new, sizeof coll_new, "garbage_%ld_new", (long)getpid());

    isolated("big_dimension", big_dimension, uri);
    isolated("absurd_dimension", absurd_dimension,
             check_env("MILVUS_LITE_URI", "http://127.0.0.1:19531"));
    for (int i = 0; i < ABSURD_CASES; i++) {
        char what[32];
        snprintf(what, sizeof what, "absurd size case %d", i);
        isolated(what, absurd_one, what);
    }

    test_null_everywhere();
    test_client_new_garbage(uri);

    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 60, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return CHECK_SUMMARY();
    client = c;

    char args[256];
    snprintf(args, sizeof args,
             "{\"collection_name\":\"%s\",\"dimension\":4,\"metric_type\":\"L2\"}", coll);
    if (EXPECT("create_collection", args, MILVUS_OK) == MILVUS_OK) {
        snprintf(args, sizeof args,
                 "{\"collection_name\":\"%s\",\"data\":[{\"id\":1,\"vector\":[1,2,3,4]},"
                 "{\"id\":2,\"vector\":[4,3,2,1]}]}",
                 coll);
        milvus_buffer b = {0};
        CHECK_STATUS(milvus_client_insert(c, args, &b, CHECK_ERR), MILVUS_OK);
        milvus_buffer_free(&b);

        test_generic_garbage();
        test_wrong_types();
        test_bad_values();
        test_big_args();
        test_exports_live_client();
        test_cancel_connect_garbage(uri);
        test_iterator_garbage();
        test_pymilvus3_methods_garbage();
        test_columns_garbage();
        test_typed_calls_garbage();
        test_async_garbage();
    }

    snprintf(args, sizeof args, "{\"collection_name\":\"%s\"}", coll);
    EXPECT("drop_collection", args, MILVUS_OK);
    snprintf(args, sizeof args, "{\"collection_name\":\"garbage_%ld_bigdim\"}", (long)getpid());
    EXPECT("drop_collection", args, MILVUS_OK); /* in case the child died before dropping it */
    milvus_client_free(c);
    return CHECK_SUMMARY();
}
