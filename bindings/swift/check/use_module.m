// Imports CMilvus the way Swift does (as a Clang module) and uses a type, a function, a
// macro constant, a typed-path declaration and the completion callback type from it. Compiled with -fsyntax-only by
// check_modulemap.sh: a broken module map or header fails here.
@import CMilvus;

/* A completion callback as the Swift wrapper's async calls use one. */
static void completed(milvus_completion *completion, void *user_data) {
    milvus_buffer out = {0, 0};
    milvus_error *error = 0;
    if (milvus_completion_take(completion, &out, 0, &error) == MILVUS_OK && user_data != 0)
        milvus_buffer_free(&out);
    milvus_error_free(error);
    milvus_completion_free(completion);
}

int use_module(void);
int use_module(void) {
    milvus_completion_callback callback = completed;
    milvus_client_start(0, "search", "{}", 0, callback, 0, 0);
    milvus_client *client = 0;
    milvus_buffer buffer = {0, 0};
    milvus_status status = milvus_client_call(client, "list_collections", "{}", &buffer, 0);
    milvus_buffer_free(&buffer);
    return status == MILVUS_OK && MILVUS_VERSION_MAJOR >= 0 && milvus_method_count() > 0;
}
