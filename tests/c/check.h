/*
 * check.h: a tiny header-only test harness for the C tests of libmilvus (C11).
 *
 *   CHECK(cond)                   counts a pass or a failure; on failure prints file:line and
 *                                 the condition. Evaluates to cond's truth value, so
 *                                 `if (!CHECK(p != NULL)) return;` works.
 *   CHECK_STATUS(expr, expected)  evaluates expr (a milvus_status) once and compares it with
 *                                 expected; on failure prints both status names and, when expr
 *                                 was called with CHECK_ERR as its error_out, the error's
 *                                 message. Evaluates to the actual status.
 *   CHECK_ERR                     an error_out argument owned by the harness (one slot per
 *                                 thread): CHECK_STATUS(milvus_client_flush(c, a, &b, CHECK_ERR),
 *                                 MILVUS_OK). CHECK_LAST_ERROR() reads it until the next
 *                                 CHECK_STATUS; the harness frees it. Threads other than main
 *                                 call CHECK_THREAD_END() before they return.
 *   CHECK_JSON_HAS(buf, text)     the buffer contains text (plain strstr: the library writes
 *   CHECK_JSON_EQ(buf, text)      compact JSON) / is exactly text. Print the JSON on failure.
 *   CHECK_SUMMARY()               prints the one line `c-tests <program>: N passed, M failed`
 *                                 and evaluates to the exit code (0 only if M == 0).
 *   check_env(name, fallback)     an environment variable, or fallback when unset or empty.
 *   check_failures()              the number of failed checks so far.
 *
 * The counters are atomic, so CHECK* may be used from several threads.
 */
#ifndef MILVUS_TESTS_CHECK_H
#define MILVUS_TESTS_CHECK_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvus.h"

static atomic_int check_passed_;
static atomic_int check_failed_;
static _Thread_local milvus_error *check_err_;

static inline void check_err_clear_(void) {
    milvus_error_free(check_err_);
    check_err_ = NULL;
}

#define CHECK_ERR (check_err_clear_(), &check_err_)
#define CHECK_LAST_ERROR() ((const milvus_error *)check_err_)
#define CHECK_THREAD_END() check_err_clear_()

static inline int check_report_(int ok, const char *file, int line, const char *what) {
    if (ok) {
        atomic_fetch_add(&check_passed_, 1);
    } else {
        atomic_fetch_add(&check_failed_, 1);
        printf("FAIL %s:%d: %s\n", file, line, what);
        fflush(stdout);
    }
    return ok;
}

static inline milvus_status check_status_(milvus_status got, milvus_status want, const char *file,
                                          int line, const char *expr) {
    if (got == want) {
        atomic_fetch_add(&check_passed_, 1);
        return got;
    }
    atomic_fetch_add(&check_failed_, 1);
    printf("FAIL %s:%d: %s\n     expected %s (%d), got %s (%d)", file, line, expr,
           milvus_status_str(want), (int)want, milvus_status_str(got), (int)got);
    if (check_err_ != NULL) printf(": %s", milvus_error_message(check_err_));
    printf("\n");
    fflush(stdout);
    return got;
}

static inline int check_json_(const milvus_buffer *b, const char *text, int exact,
                              const char *file, int line, const char *expr) {
    const char *json = (b != NULL && b->data != NULL) ? (const char *)b->data : NULL;
    int ok = json != NULL && (exact ? strcmp(json, text) == 0 : strstr(json, text) != NULL);
    if (!check_report_(ok, file, line, expr)) {
        printf("     wanted %s: %s\n     JSON: %.2000s%s\n", exact ? "exactly" : "to contain",
               text, json != NULL ? json : "(no buffer)",
               (json != NULL && strlen(json) > 2000) ? "..." : "");
        fflush(stdout);
    }
    return ok;
}

#define CHECK(cond) check_report_((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
#define CHECK_STATUS(expr, expected) \
    check_status_((check_err_clear_(), (expr)), (expected), __FILE__, __LINE__, #expr)
#define CHECK_JSON_HAS(buf, text) \
    check_json_((buf), (text), 0, __FILE__, __LINE__, "CHECK_JSON_HAS(" #buf ", " #text ")")
#define CHECK_JSON_EQ(buf, text) \
    check_json_((buf), (text), 1, __FILE__, __LINE__, "CHECK_JSON_EQ(" #buf ", " #text ")")

static inline const char *check_env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

static inline int check_summary_(const char *file) {
    char name[256];
    const char *base = strrchr(file, '/');
    base = base != NULL ? base + 1 : file;
    snprintf(name, sizeof name, "%s", base);
    char *dot = strrchr(name, '.');
    if (dot != NULL) *dot = '\0';
    check_err_clear_();
    int passed = atomic_load(&check_passed_), failed = atomic_load(&check_failed_);
    printf("c-tests %s: %d passed, %d failed\n", name, passed, failed);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}

#define CHECK_SUMMARY() check_summary_(__FILE__)

/* The number of failed checks so far (e.g. for the exit code of a forked child). */
static inline int check_failures(void) { return atomic_load(&check_failed_); }

#endif /* MILVUS_TESTS_CHECK_H */
