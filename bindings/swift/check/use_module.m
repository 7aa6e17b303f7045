// Imports CMilvus the way Swift does (as a Clang module) and uses a type, a function, a
// macro constant and a typed-path declaration from it. Compiled with -fsyntax-only by
// check_modulemap.sh: a broken module map or header fails here.
@import CMilvus;

int use_module(void);
int use_module(void) {
    milvus_client *client = 0;
    milvus_buffer buffer = {0, 0};
    milvus_status status = milvus_client_call(client, "list_collections", "{}", &buffer, 0);
    milvus_buffer_free(&buffer);
    return status == MILVUS_OK && MILVUS_VERSION_MAJOR >= 0 && milvus_method_count() > 0;
}
