/* fork(): a child forked before the first libmilvus call may use the library normally; a
 * child forked after it gets MILVUS_ERR_RUNTIME from every blocking call at once (the runtime's
 * I/O threads do not exist there, so a call would otherwise hang forever, deadlines included),
 * and the parent is unaffected. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static milvus_status list(milvus_client *c) {
    milvus_buffer b = {0};
    milvus_status s = milvus_client_list_collections(c, "{\"timeout\": 5}", &b, CHECK_ERR);
    milvus_buffer_free(&b);
    return s;
}

/* Runs body in a child, which reports its failures through its exit code. */
static void in_child(void (*body)(const char *), const char *uri) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        alarm(20); /* a hang is a failure, not a stuck test run */
        body(uri);
        fflush(stdout);
        _exit(check_failures() == 0 ? 0 : 1);
    }
    int st = 0;
    CHECK(p > 0 && waitpid(p, &st, 0) == p);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void fresh_child(const char *uri) {
    milvus_client *c = NULL;
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 10, &c, CHECK_ERR), MILVUS_OK) !=
        MILVUS_OK)
        return;
    CHECK_STATUS(list(c), MILVUS_OK);
    milvus_client_free(c);
}

static milvus_client *inherited;

static void child_after_use(const char *uri) {
    CHECK_STATUS(list(inherited), MILVUS_ERR_RUNTIME);
    CHECK(CHECK_LAST_ERROR() != NULL &&
          strstr(milvus_error_message(CHECK_LAST_ERROR()), "fork") != NULL);
    milvus_client *c = NULL;
    CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 2, &c, CHECK_ERR), MILVUS_ERR_RUNTIME);
    CHECK(c == NULL);
    milvus_client_free(inherited); /* returns; frees nothing the parent needs */
}

int main(void) {
    const char *uri = check_env("MILVUS_URI", "http://127.0.0.1:19530");
    in_child(fresh_child, uri); /* nothing used yet in this process */
    if (CHECK_STATUS(milvus_client_new(uri, NULL, NULL, NULL, 10, &inherited, CHECK_ERR),
                     MILVUS_OK) == MILVUS_OK) {
        CHECK_STATUS(list(inherited), MILVUS_OK);
        in_child(child_after_use, uri);
        CHECK_STATUS(list(inherited), MILVUS_OK); /* the parent carries on */
        milvus_client_free(inherited);
    }
    return CHECK_SUMMARY();
}
