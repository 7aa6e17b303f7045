/*
 * milvus.h: the C API of libmilvus, a client of the Milvus vector database.
 *
 * CONVENTIONS
 *
 * Status. Every fallible call returns a milvus_status: MILVUS_OK (0) or a MILVUS_ERR_* code.
 *   1xx: the arguments (checked before anything is sent); 2xx: transport (gRPC, TLS,
 *   deadlines); 3xx: the server refused the request; 9xx: internal. Numbers never change.
 *   milvus_status_str() names a code.
 *
 * Errors. The last parameter of a fallible call is `milvus_error **error_out`. It may be
 *   NULL ("status only"). Otherwise *error_out is set to NULL on success and to an owned
 *   milvus_error on failure, which carries the status, a message saying what went wrong
 *   (naming the argument, row or field), the gRPC code, the Milvus server code and whether
 *   a retry may succeed. Free it with milvus_error_free(). Errors never live in
 *   thread-local state. Messages never contain credentials.
 *
 * Outputs are trailing out-parameters, written only on success.
 *
 * Ownership. Input strings are NUL-terminated UTF-8, borrowed for the duration of the call
 *   only. Invalid UTF-8 is MILVUS_ERR_INVALID_UTF8, never altered. Every owned output has
 *   one free function (milvus_client_free, milvus_buffer_free, milvus_error_free,
 *   milvus_columns_free, milvus_result_free); freeing
 *   NULL is a no-op; never pass library memory to free(). Strings returned by accessors of
 *   an object are valid until that object is freed.
 *
 * JSON methods. For each pymilvus MilvusClient method NAME there is
 *     milvus_status milvus_client_NAME(const milvus_client *client, const char *args_json,
 *                                      milvus_buffer *result_out, milvus_error **error_out);
 *   args_json is a JSON object whose keys are pymilvus's keyword arguments for NAME (NULL,
 *   "" or "{}" = none); an unknown key is MILVUS_ERR_INVALID_ARGUMENT naming the key. Every method
 *   also takes "timeout" (seconds) to override the client's default deadline, and "call_id"
 *   (a string) to make it cancellable with milvus_client_cancel(). On success
 *   *result_out receives UTF-8 JSON shaped like pymilvus's return value (`null` where
 *   pymilvus returns None), owned by the caller: release it with milvus_buffer_free().
 *   Floats are written in the shortest form that reads back to the same float32/float64.
 *   milvus_client_call() reaches the same methods by name.
 *
 * Iterators. Paged reads are the one exception to that shape: milvus_client_query_iterator(),
 *   milvus_client_search_iterator() and milvus_client_dump_messages() take the same kind of
 *   args_json and hand back a milvus_iterator, read page by page with milvus_iterator_next()
 *   (a JSON list of rows, hits or messages; "[]" at the end) and freed with
 *   milvus_iterator_free(). milvus_client_session() likewise hands back a milvus_client (a
 *   session: the same connection, its reads tagged with a cluster id), freed with
 *   milvus_client_free().
 *
 * Typed path. For hot data, without JSON text (docs/typed-api.md): build columns with
 *   milvus_columns_new() and milvus_columns_add_*() (each copies the caller's array once,
 *   straight into wire bytes), then milvus_client_insert_columns() / _upsert_columns(), or
 *   search with milvus_client_search_float() / _search_texts() / _search_columns() /
 *   _hybrid_search_columns().
 *   milvus_client_search_typed(), _query_typed(), _get_typed() and milvus_iterator_next_typed()
 *   take the JSON methods' arguments. All of them hand back a milvus_result, read with the
 *   milvus_result_*() accessors: ids, distances, and each column's values, strings and
 *   vectors as borrowed views into the decoded reply (no copy; valid until
 *   milvus_result_free()). milvus_result_to_json() renders the JSON the JSON method returns.
 *   milvus_result_export_arrow() hands a result out as an Arrow record batch and
 *   milvus_columns_add_arrow() takes one in, through the Arrow C Data Interface (struct
 *   ArrowSchema / struct ArrowArray, declared below under ARROW_C_DATA_INTERFACE).
 *
 * Threads. A milvus_client may be used from many threads at once: it holds one HTTP/2
 *   connection shared by all calls. Freeing a client while another thread is still using it
 *   is the caller's error (undefined behaviour, like any use after free): make sure every
 *   call on it has returned first (milvus_client_cancel() can hurry them). Errors, buffers
 *   and results belong to the caller and need no locking. Calls block the calling thread;
 *   a call made from a libmilvus thread or from inside a callback (the log and completion
 *   callbacks must not call blocking functions) fails with MILVUS_ERR_RUNTIME. A blocking
 *   call does its own work on the calling thread: encoding, the connection's I/O, decoding,
 *   with no hand-off to another thread; when several threads call at once, one of them moves
 *   the connection's frames for all until its call ends. One libmilvus thread, created on the
 *   first call and shared by all clients, runs the non-blocking calls and their callbacks and
 *   looks after idle connections (keepalive). The environment variable MILVUS_RUNTIME=io
 *   (read at the first call) selects the other model instead: MILVUS_IO_THREADS (1 to 64,
 *   default 1) I/O threads move every frame, and callers encode and decode.
 *
 * Deadlines, retries, cancellation (docs/errors.md). Every call ends by its deadline (its
 *   "timeout", else the client's), retries included, even when the server stops answering:
 *   MILVUS_ERR_TIMEOUT. Rate limits and transient transport failures are retried with
 *   backoff inside that deadline; a write is never sent twice unless the first attempt
 *   certainly did not reach the server. milvus_client_cancel() ends calls by their
 *   "call_id" from any thread (MILVUS_ERR_CANCELLED). A client reconnects by itself after
 *   its server comes back.
 *
 * Logging (docs/guide.md "Diagnose"). Silent by default. The environment variable MILVUS_LOG
 *   (error, warn, info, debug, trace, and/or target=level pairs such as "milvus=debug,h2=warn"),
 *   read once at first use, writes lines to stderr. milvus_log_set_callback() sends the
 *   records to the application instead (any thread, any time; it overrides MILVUS_LOG's
 *   output while set). Records cover connects and reconnects, retries and their backoff,
 *   deadlines, cancellations, server errors, slow calls (milvus_log_set_slow_call_threshold())
 *   and, at debug, each call's method, duration and sizes; never request contents or
 *   credentials. With nothing listening, logging costs nothing measurable.
 *
 * fork(). A child process forked before the first libmilvus call may use the library as
 *   usual. In a child forked after it, the I/O threads do not exist (fork copies only the
 *   calling thread), so every blocking call, milvus_client_new() included, fails at once
 *   with MILVUS_ERR_RUNTIME instead of hanging; milvus_client_free() there only forgets the
 *   client. Use libmilvus in such a child only after exec(). The parent is unaffected.
 *
 * Shutdown. Free every client. The library's I/O threads are created on first use and live
 *   until the process exits; nothing else needs tearing down. milvus_client_close() (pymilvus
 *   close) is optional and frees nothing: it makes every later call of the client, its
 *   sessions and its iterators fail with MILVUS_ERR_CLOSED, may run while other threads call
 *   (calls already sent finish), and is how to stop a client that other threads still hold;
 *   milvus_client_free() must still come after every call has returned.
 *
 * Safety. No argument can crash the process: NULL pointers are reported as
 *   MILVUS_ERR_NULL_ARGUMENT, and an internal bug as MILVUS_ERR_PANIC; an accessor that
 *   returns a value instead of a status returns its NULL-argument value (0, NULL, false)
 *   then. Pointers that are not NULL must be valid (a freed client, or a dangling pointer,
 *   cannot be detected).
 */


#ifndef MILVUS_H
#define MILVUS_H

/* Generated by tools/header (make header) with cbindgen from src/ffi. Do not edit. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MILVUS_VERSION_MAJOR 0
#define MILVUS_VERSION_MINOR 1
#define MILVUS_VERSION_PATCH 0
#define MILVUS_VERSION_STRING "0.1.0"
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  /* Array type description */
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  /* Release callback */
  void (*release)(struct ArrowSchema*);
  /* Opaque producer-specific data */
  void* private_data;
};

struct ArrowArray {
  /* Array data description */
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  /* Release callback */
  void (*release)(struct ArrowArray*);
  /* Opaque producer-specific data */
  void* private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

// The result of every fallible call: `MILVUS_OK` (0) or one of the `MILVUS_ERR_*` codes. In C
// it is an `int32_t`; the numbers are grouped by where the failure came from (1xx arguments,
// 2xx transport, 3xx server, 9xx internal) and never renumbered. This enum is the one place
// they are written: the header, `milvus_status_str`, the Go constants and docs/errors.md
// follow from it (`make check` compares the last two with the header).
enum milvus_status
#if defined(__cplusplus) || __STDC_VERSION__ >= 202311L
  : int32_t
#endif // defined(__cplusplus) || __STDC_VERSION__ >= 202311L
 {
  // Success.
  MILVUS_OK = 0,
  // A required pointer argument was NULL (the message names it).
  MILVUS_ERR_NULL_ARGUMENT = 100,
  // A string argument is not valid UTF-8.
  MILVUS_ERR_INVALID_UTF8 = 101,
  // `args_json` is not well-formed JSON.
  MILVUS_ERR_INVALID_JSON = 102,
  // An argument has a wrong value, a wrong type, or an unknown key (the message names it).
  MILVUS_ERR_INVALID_ARGUMENT = 103,
  // The URI cannot be parsed or uses an unsupported scheme.
  MILVUS_ERR_INVALID_URI = 104,
  // A vector's length does not match the field's dimension (the message names row and field).
  MILVUS_ERR_DIMENSION_MISMATCH = 105,
  // A row lacks a field that has no default and is not nullable (primary key included), or a
  // call lacks both of its alternative arguments (`dimension`/`schema`, `ids`/`filter`,
  // `data`/`ids`).
  MILVUS_ERR_MISSING_FIELD = 106,
  // No such JSON method (`milvus_client_call`).
  MILVUS_ERR_UNKNOWN_METHOD = 107,
  // A typed column or query set holds a different number of rows than the builder was made for.
  MILVUS_ERR_ROW_COUNT_MISMATCH = 108,
  // A typed column's type does not fit its field, or a result accessor was asked for a column
  // of another type.
  MILVUS_ERR_TYPE_MISMATCH = 109,
  // The client (or session) was closed by `milvus_client_close`, or the client a session
  // came from was.
  MILVUS_ERR_CLOSED = 110,
  // The server could not be reached or the connection could not be set up.
  MILVUS_ERR_CONNECT = 200,
  // The call's deadline passed.
  MILVUS_ERR_TIMEOUT = 201,
  // The server became unreachable during the call (gRPC UNAVAILABLE).
  MILVUS_ERR_UNAVAILABLE = 202,
  // The credentials were refused.
  MILVUS_ERR_UNAUTHENTICATED = 203,
  // The user lacks the privilege for this call.
  MILVUS_ERR_PERMISSION_DENIED = 204,
  // The server does not implement this call.
  MILVUS_ERR_UNIMPLEMENTED = 205,
  // The call was cancelled.
  MILVUS_ERR_CANCELLED = 206,
  // TLS could not be set up or the handshake failed.
  MILVUS_ERR_TLS = 207,
  // Any other gRPC failure (the gRPC code is in `milvus_error_grpc_code`).
  MILVUS_ERR_TRANSPORT = 208,
  // The server refused the request (its code is in `milvus_error_server_code`).
  MILVUS_ERR_SERVER = 300,
  // The collection does not exist.
  MILVUS_ERR_COLLECTION_NOT_FOUND = 301,
  // The server's rate limiter refused the call.
  MILVUS_ERR_RATE_LIMITED = 302,
  // The database does not exist.
  MILVUS_ERR_DATABASE_NOT_FOUND = 303,
  // The index does not exist.
  MILVUS_ERR_INDEX_NOT_FOUND = 304,
  // The collection is not loaded.
  MILVUS_ERR_COLLECTION_NOT_LOADED = 305,
  // The partition does not exist.
  MILVUS_ERR_PARTITION_NOT_FOUND = 306,
  // A bug in libmilvus was caught at the boundary; the process is unaffected.
  MILVUS_ERR_PANIC = 900,
  // The I/O runtime could not start, or a blocking call was made from one of its threads.
  MILVUS_ERR_RUNTIME = 901,
  // An unexpected internal failure, including a malformed reply from the server.
  MILVUS_ERR_INTERNAL = 902,
};
#ifndef __cplusplus
#if __STDC_VERSION__ >= 202311L
typedef enum milvus_status milvus_status;
#else
typedef int32_t milvus_status;
#endif // __STDC_VERSION__ >= 202311L
#endif // __cplusplus

// A connection to one Milvus server. Safe to share between threads; see "Threads" above.
typedef struct milvus_client milvus_client;

// Column data for a typed insert or upsert, or the query vectors of a typed search. Build it
// with `milvus_columns_new` and the `milvus_columns_add_*` functions; free it with
// `milvus_columns_free`. Adding columns must not race with other use of the same builder;
// once built it may be sent any number of times, from several threads at once.
typedef struct milvus_columns milvus_columns;

// One finished non-blocking call: its status and its result or error, taken with
// `milvus_completion_take`, then freed with `milvus_completion_free`. Owned by whoever
// received it (the callback, or the caller of `milvus_completion_queue_pop`).
typedef struct milvus_completion milvus_completion;

// A queue of completions the caller owns: started calls push their completions here, and the
// caller pops them (`milvus_completion_queue_pop`, `milvus_completion_queue_wait`) on any
// thread. Its file descriptor (`milvus_completion_queue_fd`) is readable while the queue holds
// a completion, for epoll, kqueue, poll or libuv. Free it with `milvus_completion_queue_free`.
typedef struct milvus_completion_queue milvus_completion_queue;

// An owned error. Read it with the `milvus_error_*` accessors; free it with `milvus_error_free`.
// An accessor gives the same value for a NULL error as for an internal error.
typedef struct milvus_error milvus_error;

// A position in a paged read. Pages come from `milvus_iterator_next`; free it with
// `milvus_iterator_free`. It keeps its own reference to the connection, so it stays usable
// after `milvus_client_free`. Calls on one iterator are serialised.
typedef struct milvus_iterator milvus_iterator;

// A typed result: search hits, query rows, or the outcome of a write. Read it with the
// `milvus_result_*` accessors; free it with `milvus_result_free`. Immutable: it may be read
// from several threads at once. An accessor that returns a value rather than a status gives
// the same value for a NULL result as for an internal error (0, NULL, false,
// `MILVUS_ID_NONE`, `MILVUS_TYPE_NONE`).
typedef struct milvus_result milvus_result;

// Owned bytes returned by the library (UTF-8 JSON for the JSON methods). `data[len]` is a NUL
// byte that is not counted in `len`, so `data` can be used as a C string. Free it with
// `milvus_buffer_free`; do not change `data` or `len`.
typedef struct milvus_buffer {
  uint8_t *data;
  size_t len;
} milvus_buffer;

// Called once per started call, on a libmilvus I/O thread (named `libmilvus-io`), with the
// completion (the callee owns it: free it with `milvus_completion_free`, there or later) and
// the `user_data` given when the call was started. Completions of different calls may arrive
// in any order, one at a time per I/O thread. The callback must return quickly and must not
// block: while it runs, no other call on its I/O thread makes progress. It may take and free
// the completion, start more non-blocking calls and signal the application's own threads; a
// blocking libmilvus call made from it fails with `MILVUS_ERR_RUNTIME`.
typedef void (*milvus_completion_callback)(struct milvus_completion *completion, void *user_data);

// A record's severity (`milvus_log_callback`'s `level`).
typedef int32_t milvus_log_level;

// Receives one log record. `target` names where it comes from (`"milvus::client::retry"`,
// `"h2::proto::connection"`, ...); `message` is the record's UTF-8 text; `method` (e.g.
// `"search"`) and `call_id` (the call's `"call_id"` argument) are NULL outside a call, and
// `call_id` also when the call has none. The strings are valid only during the callback.
//
// It runs on the thread that emitted the record: a thread that is making a call, or one of
// the library's I/O threads (connections, reconnects). It may run on several threads at
// once. It must not call any libmilvus function (a call from an I/O thread would fail with
// MILVUS_ERR_RUNTIME, and changing the callback from inside it is refused); it should return
// quickly, as the call that emitted the record waits for it.
typedef void (*milvus_log_callback)(void *user_data, milvus_log_level level, const char *target, const char *message, const char *method, const char *call_id);

// A column's type (`milvus_result_column_type`): Milvus's DataType numbers.
typedef int32_t milvus_data_type;

// How a result identifies its rows (`milvus_result_id_type`).
typedef int32_t milvus_id_type;

#define MILVUS_LOG_ERROR 1

#define MILVUS_LOG_WARN 2

#define MILVUS_LOG_INFO 3

#define MILVUS_LOG_DEBUG 4

#define MILVUS_LOG_TRACE 5

// The result carries no ids (query and get results: read the primary key as a column).
#define MILVUS_ID_NONE 0

// INT64 primary keys: `milvus_result_int64_ids`.
#define MILVUS_ID_INT64 1

// VARCHAR primary keys: `milvus_result_string_id`.
#define MILVUS_ID_STRING 2

#define MILVUS_TYPE_NONE 0

#define MILVUS_TYPE_BOOL 1

#define MILVUS_TYPE_INT8 2

#define MILVUS_TYPE_INT16 3

#define MILVUS_TYPE_INT32 4

#define MILVUS_TYPE_INT64 5

#define MILVUS_TYPE_FLOAT 10

#define MILVUS_TYPE_DOUBLE 11

#define MILVUS_TYPE_STRING 20

#define MILVUS_TYPE_VARCHAR 21

#define MILVUS_TYPE_ARRAY 22

#define MILVUS_TYPE_JSON 23

#define MILVUS_TYPE_GEOMETRY 24

#define MILVUS_TYPE_TEXT 25

#define MILVUS_TYPE_TIMESTAMPTZ 26

#define MILVUS_TYPE_BINARY_VECTOR 100

#define MILVUS_TYPE_FLOAT_VECTOR 101

#define MILVUS_TYPE_FLOAT16_VECTOR 102

#define MILVUS_TYPE_BFLOAT16_VECTOR 103

#define MILVUS_TYPE_SPARSE_FLOAT_VECTOR 104

#define MILVUS_TYPE_INT8_VECTOR 105

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

// Frees the bytes of a buffer and sets it to `{NULL, 0}`. NULL, or a buffer whose `data` is
// NULL, is a no-op, so freeing twice is harmless.
void milvus_buffer_free(struct milvus_buffer *buffer);

// Adds a field to an existing collection. Args: `collection_name`, `field_name`, `data_type`
// (a name like "INT64" or its number), optional `desc` and the field keys of a schema field
// (`nullable`, `default_value`, `max_length`, `dim`, ...). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_collection_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds a schema function. Args: `collection_name`, `function` (as an entry of a schema's
// `functions`). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_collection_function(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds a nullable struct field, an array of up to `max_capacity` structs (pymilvus
// `add_collection_struct_field`). Args: `collection_name`, `field_name`, `struct_schema`
// (`{"fields": [field objects as in a schema, no primary/partition/clustering key, nullable,
// auto_id or default], "description", "params"}`), `max_capacity`, optional `desc`,
// `nullable` (only true), `mmap_enabled`, `warmup`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_collection_struct_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Registers a file resource. Args: `name`, `path`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_file_resource(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds a field filled by a function, with its index, in one schema change (pymilvus
// `add_function_field`). Args: `collection_name`, `field_schema` (a field object:
// SPARSE_FLOAT_VECTOR for BM25, BINARY_VECTOR for MinHash), `func` (a function object as in a
// schema's `functions`), `index_params` (exactly one index, with `index_type`, for that field).
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_function_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds privileges to a privilege group. Args: `group_name`, `privileges` (a non-empty list
// of names). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_add_privileges_to_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Points an existing alias at another collection. Args: `collection_name`, `alias`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_alias(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Changes a field's parameters. Args: `collection_name`, `field_name`, `field_params` (e.g.
// `{"max_length": 512}`). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_collection_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Replaces a schema function. Args: `collection_name`, `function_name`, `function`. Result:
// `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_collection_function(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Sets collection properties. Args: `collection_name`, `properties` (an object, e.g.
// `{"collection.ttl.seconds": 3600}`). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_collection_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Sets properties of a database. Args: `db_name`, `properties` (an object; values other than
// strings are sent as their JSON text). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_database_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Sets index properties. Args: `collection_name`, `index_name`, `properties` (e.g.
// `{"mmap.enabled": true}`). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_index_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Sets a role's description (newer servers). Args: `role_name`, `description`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_alter_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Calls the JSON method named `method` (e.g. `"search"`), exactly as
// `milvus_client_<method>` would. An unknown name is `MILVUS_ERR_UNKNOWN_METHOD`. For
// bindings that dispatch by name.
milvus_status milvus_client_call(const struct milvus_client *client, const char *method, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Cancels every call of `client` that is in flight with `"call_id": call_id` in its
// arguments (or its `options_json`): each returns `MILVUS_ERR_CANCELLED` promptly, from
// whichever thread made it. May be called from any thread, while those calls run.
//
// Cancelling an id with no call in flight (not started yet, or already finished) is
// `MILVUS_OK` and does nothing: it does not affect a later call with that id. A cancelled
// write may or may not have been applied by the server (the request may already have been
// sent); read back to find out. Iterators do not take a call id.
//
// `call_id` is borrowed for the call only. `client` must not be freed during this call.
milvus_status milvus_client_cancel(const struct milvus_client *client, const char *call_id, struct milvus_error **error_out);

// Closes the client (pymilvus `close`). Args: none. Result: `null`. Afterwards every call of
// this client that would reach the server (and `get_server_type`) fails with
// `MILVUS_ERR_CLOSED`, as do its sessions and iterators; calls already sent finish, and a call
// of several requests (a wait, a paged read) fails at its next request. Closing twice is fine;
// closing a session ends only that session. It frees nothing: `milvus_client_free` still
// releases the handle (the connection closes when the handle and its sessions and iterators are
// freed).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_close(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Starts a compaction of a collection. Args: `collection_name`, optional `is_clustering`,
// `is_l0`, `target_size` with `target_size_unit` ("b", "kb", "mb" (default), "gb", "tb",
// "pb"; at least 1 MB in all). Result: the job id (a number) for get_compaction_state.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_compact(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Connects to Milvus with options given as a JSON object, and performs the handshake. The
// keys are pymilvus's connection arguments; only `uri` is required, `null` means absent:
//
// - `uri` (string): as for `milvus_client_new`. `https://` uses TLS.
// - `user`, `password` (strings): sent as the token `user:password`.
// - `token` (string): an API key or `user:password`; wins over `user` + `password`, which
//   win over credentials in the URI.
// - `db_name` (string): the database of every call (wins over the URI's path).
// - `timeout` (seconds): as `timeout_seconds` of `milvus_client_new`; 0 = none.
// - `secure` (bool): `true` uses TLS on an `http://` or `host:port` URI; `false` with an
//   `https://` URI is `MILVUS_ERR_INVALID_ARGUMENT`.
// - `server_pem_path`, `ca_pem_path` (paths): PEM file of the CA certificate(s) to trust
//   instead of the system roots (pymilvus uses the first name for one-way TLS and the
//   second with a client certificate; here both mean the same, and both may be given).
// - `client_pem_path` + `client_key_path` (paths): client certificate and private key (PEM)
//   for servers that require mutual TLS; one without the other is invalid.
// - `server_name` (string): the name the server's certificate must be valid for, when it
//   differs from the URI's host.
// - `keepalive_time` (seconds, default 10; 0 = no pings) and `keepalive_timeout` (seconds,
//   default 5): HTTP/2 pings that detect a dead connection while idle.
// - `retry` (object): the retry policy, `{"max_retries", "initial_backoff", "max_backoff",
//   "backoff_multiplier"}` (backoffs in seconds); `max_retries: 0` disables retries.
//
// TLS files or `server_name` without TLS (an `http://` URI and no `secure: true`) are
// `MILVUS_ERR_INVALID_ARGUMENT` rather than silently ignored.
//
// Errors: malformed JSON is `MILVUS_ERR_INVALID_JSON`; an unknown key (named in the message),
// a missing `uri` or a wrong type is `MILVUS_ERR_INVALID_ARGUMENT`; a bad URI is
// `MILVUS_ERR_INVALID_URI`. An unreadable or empty certificate/key file, an untrusted server
// certificate (wrong CA), a certificate not valid for the server name, and a server that
// demands a client certificate (or refuses the one given) are `MILVUS_ERR_TLS`, with a
// message saying which. Refused credentials are `MILVUS_ERR_UNAUTHENTICATED`. Passwords and
// tokens never appear in error messages.
//
// On success `*client_out` receives a client owned by the caller, to be released with
// `milvus_client_free`. On failure `*client_out` is left untouched. `options_json` is only
// read during the call; certificate files are read while connecting.
milvus_status milvus_client_connect(const char *options_json, struct milvus_client **client_out, struct milvus_error **error_out);

// Gives a collection another name. Args: `collection_name`, `alias`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_alias(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a collection. Quick setup: `collection_name`, `dimension`, and optionally
// `primary_field_name` ("id"), `id_type` ("int" or "string"), `max_length` (65535, string keys),
// `vector_field_name` ("vector"), `metric_type` ("COSINE"), `auto_id` (false),
// `enable_dynamic_field` (true), `description`, `enable_namespace`: creates the fields, an
// AUTOINDEX index, and loads it.
// Full form: `schema` as pymilvus's `CollectionSchema.to_dict()` gives it (`fields` with
// `name`, `type` as a name like "FLOAT_VECTOR" or its number, `params`, `is_primary`, ...),
// `functions` (e.g. `{"name", "type": "BM25", "input_field_names", "output_field_names"}`),
// optionally `index_params` (a list of `{field_name, index_type, index_name, metric_type,
// params}`; the collection is then indexed and loaded). Both: `consistency_level` ("Bounded"),
// `num_shards` (or `shards_num`), `num_partitions` (partition-key collections), `properties`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a database. Args: `db_name`, optional `properties` (an object; values other than
// strings are sent as their JSON text). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_database(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates indexes and waits until they are built. Args: `collection_name`, `index_params` (a
// list of `{field_name, index_type, index_name, metric_type, params}`; whatever index the server
// accepts: AUTOINDEX, FLAT, IVF_*, HNSW, DISKANN, scalar indexes ...), optional `sync` (false:
// return once the server has the request, without waiting). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_index(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a partition. Args: `collection_name`, `partition_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_partition(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a privilege group (newer servers). Args: `group_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_privilege_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a resource group. Args: `name`, optional `config` (a resource group config; servers
// before 2.4 ignore it). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_resource_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a role. Args: `role_name`, optional `description`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a snapshot of a collection. Args: `snapshot_name`, `collection_name`, optional
// `db_name`, `description`, `compaction_protection_seconds` (an integer >= 0; 0 = no
// protection). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_snapshot(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Creates a user. Args: `user_name`, `password`, optional `description` (newer servers).
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_create_user(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Deletes rows by primary key or by filter. Args: `collection_name` and either `ids` (a key or
// a list of keys) or `filter` (a boolean expression, with `filter_params` for its `{name}`
// placeholders), optional `partition_name`, `consistency_level` (of the filter's evaluation).
// Result: `{"delete_count": n, "cost": n}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_delete(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes an alias. Args: `alias`. Result: `{"alias", "collection_name", "db_name"}`
// (the last two only when the server names them).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_alias(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a collection. Args: `collection_name`. Result: pymilvus's dict (`collection_name`,
// `fields` with type names as strings, `enable_dynamic_field`, `consistency_level`, ...); its
// `fields` can be given back to create_collection as a schema.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a database. Args: `db_name`. Result: pymilvus's dict: `name` and one key per
// property, its value as the string the server stores.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_database(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes one index. Args: `collection_name`, `index_name`, optional `timestamp` (the state
// as of that hybrid timestamp). Result: `{"index_type",
// "metric_type", "params", "field_name", "index_name", "total_rows", "indexed_rows",
// "pending_index_rows", "state"}` (the server's parameters flattened), or `null` when there is
// no such index.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_index(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The replicas of a loaded collection. Args: `collection_name`. Result: `[{"id", "shards":
// [{"channel_name", "shard_nodes": [node ids], "shard_leader"}], "group_nodes": [node ids],
// "resource_group", "num_outbound_node": {resource group: n}}]`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_replica(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a resource group. Args: `name`. Result: `{"name", "capacity",
// "num_available_node", "num_loaded_replica": {collection: n}, "num_outgoing_node": {...},
// "num_incoming_node": {...}, "config": {...}, "nodes": [{"node_id", "address",
// "hostname"}]}` (`config` holds only the fields the server set).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_resource_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a role and its grants. Args: `role_name`, optional `db_name`. Result:
// `{"role", "description", "privileges": [{"object_type", "object_name", "db_name",
// "role_name", "privilege", "grantor_name"}]}` (`db_name` and `grantor_name` only when set).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a snapshot. Args: `snapshot_name`, `collection_name`, optional `db_name`. Result:
// `{"name", "description", "collection_name", "partition_names": [...], "create_ts",
// "s3_location"}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_snapshot(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Describes a user. Args: `user_name`. Result: `{"user_name", "roles": [names],
// "description"}`, or `{}` when the server knows no such user.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_describe_user(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes an alias (not its collection). Args: `alias`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_alias(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a collection. Args: `collection_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a field from a collection. Args: `collection_name` and `field_name` or `field_id`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_collection_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a schema function. Args: `collection_name`, `function_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_collection_function(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes collection properties. Args: `collection_name`, `property_keys` (a list). Result:
// `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_collection_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a database. Args: `db_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_database(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes properties of a database. Args: `db_name`, `property_keys` (a list of keys).
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_database_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a function and the field it fills (pymilvus `drop_function_field`). Args:
// `collection_name`, `function_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_function_field(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops an index. Args: `collection_name`, `index_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_index(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes index properties. Args: `collection_name`, `index_name`, `property_keys`. Result:
// `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_index_properties(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a partition and its data (release it first). Args: `collection_name`,
// `partition_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_partition(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a privilege group. Args: `group_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_privilege_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops an empty resource group. Args: `name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_resource_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a role. Args: `role_name`, optional `force_drop` (newer servers: drop even with
// privileges granted). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Drops a snapshot. Args: `snapshot_name`, `collection_name`, optional `db_name`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_snapshot(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Deletes a user. Args: `user_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_drop_user(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Starts reading a WAL range (pymilvus `dump_messages`, a server-streaming call). Args:
// `pchannel`, `start_message_id` (`{"id": string, "wal_name": "Unknown", "RocksMQ",
// "Pulsar", "Kafka", "WoodPecker" or "Test"}`, e.g. get_replicate_info's
// `salvage_checkpoint.message_id`), optional `start_timetick`, `end_timetick` (0 = no end:
// the stream lasts until the deadline or `milvus_iterator_free`), `timeout` (seconds, for
// the whole stream). Each page from `milvus_iterator_next` is a JSON list of messages
// `{"message_id": {"id", "wal_name"} or null, "payload": base64 of the bytes, "properties":
// {string: string}}`: it waits for one message, then takes those already received (up to
// 1000); `[]` once the stream has ended. A server error in the stream fails that page
// (after the messages received before it) and ends the stream.
//
// Ownership as `milvus_client_query_iterator`.
milvus_status milvus_client_dump_messages(const struct milvus_client *client, const char *args_json, struct milvus_iterator **iterator_out, struct milvus_error **error_out);

// Seals and persists a collection's pending writes, waiting until done. Args: `collection_name`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_flush(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Flushes every collection and waits until done. Args: optional `db` (that database's
// collections only). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_flush_all(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Frees the client (a session too); the connection closes once the client, its sessions and
// its iterators are all freed. NULL is a no-op. Must not race with calls on the same client
// (`milvus_client_close` may); results and errors obtained from it stay valid. Its
// non-blocking calls still in flight complete with `MILVUS_ERR_CANCELLED`, and this waits
// until each has been delivered (not when called from a completion callback, which cannot
// wait).
void milvus_client_free(struct milvus_client *client);

// Reads rows by primary key. Args: `collection_name`, `ids`, optional `output_fields`
// (default all), `partition_names`, `consistency_level`. Result: a list of row objects.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// A collection's statistics. Args: `collection_name`. Result: `{"row_count": n}` (the server's
// keys; row_count as a number). Counts flushed rows.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_collection_stats(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The plans of a compaction job. Args: `job_id`. Result: `{"compaction_id", "collection_name",
// "state", "plans": [{"sources": [segment ids], "target", "plan_id", "trigger_id",
// "collection_id", "partition_id", "channel", "compaction_type", "state", "failure_reason",
// "targets"}]}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_compaction_plans(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The state of a compaction job. Args: `job_id`. Result: `"Executing"`, `"Completed"` or
// `"UndefiedState"`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_compaction_state(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Whether everything written before a flush_all is flushed. Args: optional `flush_all_ts`
// (default: this client's last flush_all, else now), `db` (as given to flush_all). Result:
// `true` or `false`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_flush_all_state(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Whether a collection (or one partition) is loaded. Args: `collection_name`, optional
// `partition_name`. Result: `{"state": "NotExist" | "NotLoad" | "Loading" | "Loaded"}`, plus
// `"progress"` (0-100) while loading.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_load_state(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// A partition's statistics. Args: `collection_name`, `partition_name`. Result: one key per
// statistic, e.g. `{"row_count": 100}` (row_count as a number; it counts persisted rows:
// flush first for an exact count).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_partition_stats(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// A refresh job. Args: `job_id`. Result: `{"job_id", "collection_name", "state", "progress",
// "reason", "external_source", "start_time", "end_time", "external_spec"}`, `state` one of
// `"RefreshPending"`, `"RefreshInProgress"`, `"RefreshCompleted"`, `"RefreshFailed"`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_refresh_external_collection_progress(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The replication configuration. Args: none. Result: `{"clusters": [{"cluster_id",
// "connection_param": {"uri", "token"}, "pchannels"}], "cross_cluster_topology":
// [{"source_cluster_id", "target_cluster_id"}]}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_replicate_configuration(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The replication checkpoints this cluster holds for a source cluster's channel. Args:
// `source_cluster_id`, `target_pchannel` (the source cluster's pchannel), both non-empty.
// Result: `{"checkpoint", "salvage_checkpoint"}`, each `null` or `{"cluster_id", "pchannel",
// "message_id": {"id", "wal_name"} or null, "time_tick"}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_replicate_info(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// A restore job's state. Args: `job_id` (> 0). Result: `{"job_id", "snapshot_name", "db_name",
// "collection_name", "state", "progress", "reason", "start_time", "time_cost"}`, `state` one of
// `"RestoreSnapshotNone"`, `"RestoreSnapshotPending"`, `"RestoreSnapshotExecuting"`,
// `"RestoreSnapshotCompleted"`, `"RestoreSnapshotFailed"`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_restore_snapshot_state(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// `"zilliz"` when the host name names Zilliz Cloud, else `"milvus"`. Args: none.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_server_type(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The server's version. Args: optional `detail`. Result: a JSON string, e.g. `"v2.3.5"`; with
// `detail` true, `{"version", "build_time", "git_commit", "go_version", "deploy_mode"}` as the
// server gave them when this client connected.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_get_server_version(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// `milvus_client_get`'s arguments, answered as a typed result. Otherwise as
// `milvus_client_search_typed`.
milvus_status milvus_client_get_typed(const struct milvus_client *client, const char *args_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Grants a privilege on an object to a role. Args: `role_name`, `object_type`
// ("Global", "Collection", "User", ...), `privilege`, `object_name` ("*" for all), optional
// `db_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_grant_privilege(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Grants a privilege or privilege group on a collection ("*" for all) to a role (newer
// servers). Args: `role_name`, `privilege`, `collection_name`, optional `db_name`.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_grant_privilege_v2(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds a user to a role. Args: `user_name`, `role_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_grant_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Whether a collection exists. Args: `collection_name`. Result: `true` or `false`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_has_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Whether a partition exists. Args: `collection_name`, `partition_name`. Result: `true` or
// `false`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_has_partition(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Several vector searches fused by a ranker. Args: `collection_name`, `reqs` (a list of
// `{"data", "anns_field", "param", "limit", "expr"}` (or `filter` for `expr`), with
// `expr_params` for the filter's placeholders, each with the same number of query vectors),
// `ranker` (`{"strategy": "rrf", "params": {"k": 60}}` or `{"strategy": "weighted",
// "params": {"weights": [...], "norm_score": true}}`; as in pymilvus, `k` is 60 and `norm_score`
// true unless given), optional `limit` (10), `output_fields`, `partition_names`, `round_decimal`
// (of the ranking and of each request), `consistency_level`. Result: as search.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_hybrid_search(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Hybrid search: `options_json` holds the JSON method's arguments other than
// `collection_name` (`reqs`, `ranker`, `limit`, `output_fields`, ...), and each request of
// `reqs` (without `data`) takes its query vectors from the column of `queries` named by its
// `anns_field` (a missing one is `MILVUS_ERR_MISSING_FIELD`).
milvus_status milvus_client_hybrid_search_columns(const struct milvus_client *client, const char *collection_name, const struct milvus_columns *queries, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// `milvus_client_hybrid_search`'s arguments, answered as a typed result. Otherwise as
// `milvus_client_search_typed`.
milvus_status milvus_client_hybrid_search_typed(const struct milvus_client *client, const char *args_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Inserts rows. Args: `collection_name`, `data` (a row object or a list of them: field name →
// value; keys that are not fields go to the dynamic field), optional `partition_name`. Every
// row is checked against the schema before anything is sent. Result:
// `{"insert_count": n, "ids": [...], "cost": n}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_insert(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Inserts the rows held by `columns` into `collection_name`. Each column is matched to the
// field of its name; a field without a column gets its default value, or null when
// nullable, else the call fails with `MILVUS_ERR_MISSING_FIELD` (an auto_id primary key is
// left to the server). A column the schema lacks is `MILVUS_ERR_INVALID_ARGUMENT`, a column
// of the wrong type `MILVUS_ERR_TYPE_MISMATCH`, a vector of the wrong dimension
// `MILVUS_ERR_DIMENSION_MISMATCH`; nothing is sent then. The column bytes go to the socket
// without another copy.
//
// `options_json`: NULL or `{"partition_name": ..., "timeout": seconds}`.
// On success `*result_out` receives a result owned by the caller (free with
// `milvus_result_free`): `milvus_result_write_count` and the ids. `columns` stays the
// caller's, unchanged.
milvus_status milvus_client_insert_columns(const struct milvus_client *client, const char *collection_name, const struct milvus_columns *columns, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Lists aliases. Args: optional `collection_name` (absent or "": every alias of the database),
// `db_name` (another database's; default: the client's). Result: `{"aliases": [names],
// "collection_name", "db_name"}` (the last two only when the server names them).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_aliases(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The collections of the current database. Args: none. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_collections(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The compaction tasks the server still keeps for a collection. Args: `collection_name`.
// Result: as get_compaction_plans (servers before 2.6 list none).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_compaction_tasks(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The databases of the server. Args: none. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_databases(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The file resources. Args: none. Result: `[{"name", "path"}]`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_file_resources(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The names of a collection's indexes. Args: `collection_name`, optional `field_name`. Result:
// a list of names (empty when there is none).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_indexes(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The segments of a collection loaded for search. Args: `collection_name`. Result: a list of
// `{"segment_id", "collection_id", "collection_name", "partition_id", "num_rows", "mem_size",
// "index_name", "index_id", "node_ids", "state", "level", "is_sorted"}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_loaded_segments(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The partitions of a collection. Args: `collection_name`. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_partitions(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The stored segments of a collection. Args: `collection_name`, optional `states` (a list of
// SegmentState names such as `"Growing"`, `"Flushed"`; the server's default filter when absent).
// Result: a list of
// `{"segment_id", "collection_id", "partition_id", "num_rows", "state", "level", "is_sorted",
// "storage_version"}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_persistent_segments(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The privilege groups. Args: none. Result: `[{"privilege_group", "privileges": [names]}]`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_privilege_groups(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The refresh jobs. Args: optional `collection_name` (all when left out), `db_name`. Result:
// a list of objects as get_refresh_external_collection_progress's.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_refresh_external_collection_jobs(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The resource group names. Args: none. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_resource_groups(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The restore jobs. Args: optional `collection_name` (the target collection; all when left
// out), `db_name`. Result: a list of objects as get_restore_snapshot_state's.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_restore_snapshot_jobs(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The role names of the server. Args: none. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_roles(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The segments of a collection still kept in the given states (pymilvus `list_segments`). Args:
// `collection_name`, optional `states` (a list of "Growing", "Sealed", "Flushed", "Flushing",
// "Dropped", "Importing" or their numbers; default all but "SegmentStateNone" and "NotExist").
// Result: a list of `{"segment_id", "collection_id", "collection_name", "num_rows",
// "is_sorted", "state", "level", "storage_version", "partition_id", "insert_channel",
// "compaction_from"}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_segments(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The snapshot names. Args: optional `collection_name` (all collections when left out),
// `db_name`. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_snapshots(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The user names of the server. Args: none. Result: a list of names.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_list_users(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Loads a collection into memory and waits until it is searchable. Args: `collection_name`,
// optional `replica_number`, `load_fields` (only these fields), `skip_load_dynamic_field`,
// `resource_groups`, `refresh`, `priority` (sent as the `load_priority` load parameter; each
// option but `priority` is also read under its older name with a leading `_`, as pymilvus
// reads it). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_load_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Loads partitions into memory and waits until they are searchable. Args: `collection_name`,
// `partition_names` (a name or a list of names), and load_collection's options (`replica_number`,
// `load_fields`, `skip_load_dynamic_field`, `resource_groups`, `refresh`, `priority`). Result:
// `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_load_partitions(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Connects to Milvus and performs the handshake.
//
// `uri`: `http://host:port`, `https://host:port` (TLS, default port 443), `host:port`,
// `tcp://host:port` or `unix:/path/to/socket`; `user:password@` in the URI is used as the
// token and a path segment (`http://host:19530/mydb`) selects the database. `user`,
// `password` and `token` may be NULL or empty; an explicit `token` wins over `user` +
// `password`, which win over the URI's credentials.
//
// `timeout_seconds`: when > 0, connecting must finish within it and it is the default
// deadline of every later call (a call's own `"timeout"` argument overrides it). 0 means no
// default deadline (connecting then gives up after 10 s). Negative, NaN or infinite values,
// and values of 1e9 or more, are `MILVUS_ERR_INVALID_ARGUMENT`.
//
// The same as `milvus_client_connect` with only these five options; use that for TLS files,
// a server name, the database, keepalive and the other options.
//
// On success `*client_out` receives a client owned by the caller, to be released with
// `milvus_client_free`. On failure `*client_out` is left untouched. The strings are only
// read during the call.
milvus_status milvus_client_new(const char *uri, const char *user, const char *password, const char *token, double timeout_seconds, struct milvus_client **client_out, struct milvus_error **error_out);

// Merges a collection's segments toward `target_size` (pymilvus `optimize`): waits for its
// vector indexes, compacts, waits for the compaction and the index rebuild, then refreshes the
// load of a loaded collection, polling every 0.5 s. Args: `collection_name`, optional
// `target_size` (bytes as a number, or text such as "512MB", "1.5gb"; at least 1 MB; default
// no limit), `wait` (default true; false returns once the compaction is started), `timeout`
// (seconds for the whole of it: `MILVUS_ERR_TIMEOUT` when it passes). Result: `{"status":
// "success" (or "started" without wait), "collection_name", "compaction_id", "target_size"
// (as given, or null), "progress": [the stages passed]}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_optimize(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Keeps a snapshot's data from garbage collection (while it is copied out). Args:
// `snapshot_name`, `collection_name`, optional `db_name`, `ttl_seconds` (an integer >= 0; 0 =
// the server's default). Result: the pin id (a number).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_pin_snapshot_data(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Reads rows matching a filter. Args: `collection_name`, `filter` (with `filter_params`) or
// `ids`, optional `output_fields` (default `["*"]`; `["count(*)"]` counts), `limit`,
// `offset`, `partition_names`, `consistency_level`, `ignore_growing`, `group_by_fields`,
// `order_by_fields` (or `order_by`: a list of `{"field", "order"}` objects or `"field:order"`
// texts), `reduce_stop_for_best`, `timezone`, `time_fields`. Result: a list of row objects.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_query(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Starts a query iterator (pymilvus `query_iterator`). Args: `collection_name`, optional
// `batch_size` (1000, at most 16384), `limit` (-1 = all rows), `filter`, `output_fields`,
// `partition_names`, `offset`, `timeout` (per page). Rows come in primary-key order, each
// exactly once; every page waits for the writes made before the iterator started.
//
// On success `*iterator_out` receives an iterator owned by the caller (free it with
// `milvus_iterator_free`); on failure it is left untouched.
milvus_status milvus_client_query_iterator(const struct milvus_client *client, const char *args_json, struct milvus_iterator **iterator_out, struct milvus_error **error_out);

// `milvus_client_query`'s arguments, answered as a typed result (one "query" whose rows
// are the matching entities). Otherwise as `milvus_client_search_typed`.
milvus_status milvus_client_query_typed(const struct milvus_client *client, const char *args_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Starts refreshing an external collection's data. Args: `collection_name`, optional
// `external_source`, `external_spec` (new source and spec), `db_name`. Result: the refresh
// job id (a number).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_refresh_external_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Loads data flushed since a collection was loaded, and waits. Args: `collection_name` and
// load_collection's options. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_refresh_load(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Releases a collection from memory. Args: `collection_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_release_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Releases partitions from memory. Args: `collection_name`, `partition_names` (a name or a
// list of names). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_release_partitions(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes a file resource. Args: `name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_remove_file_resource(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes privileges from a privilege group. Args: `group_name`, `privileges` (a non-empty
// list of names). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_remove_privileges_from_group(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Renames a collection. Args: `old_name`, `new_name`, optional `target_db` (moves it to that
// database). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_rename_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Starts restoring a snapshot into a new collection. Args: `snapshot_name`,
// `source_collection_name`, `target_collection_name`, optional `source_db_name`,
// `target_db_name`. Result: the restore job id (a number).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_restore_snapshot(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Revokes a privilege granted with grant_privilege. Args: as grant_privilege. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_revoke_privilege(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Revokes a privilege granted with grant_privilege_v2. Args: as grant_privilege_v2.
// Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_revoke_privilege_v2(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes a user from a role. Args: `user_name`, `role_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_revoke_role(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Runs a text analyzer. Args: `texts` (a string or a list), optional `analyzer_params` (an
// object or its JSON text), `with_hash`, `with_detail`, `collection_name` + `field_name` (use
// that field's analyzer), `analyzer_names`. Result: `{"tokens": [...]}` for one text, a list
// of those for a list; tokens are strings, or objects with offsets and positions (`with_detail`)
// and `hash` (`with_hash`).
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_run_analyzer(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Vector similarity search. Args: `collection_name`, `data` (one float vector or a list of
// them; sparse vectors as `{"index": value}` objects; texts for full-text search) or `ids` (primary keys of rows whose vectors to search with; Milvus 2.6+), optional `filter` (with `filter_params`), `limit` (10), `offset`, `output_fields`, `search_params`
// (`{"metric_type": ..., "params": {...}}`), `anns_field`, `partition_names`, `round_decimal`,
// `consistency_level`, `ignore_growing`, `group_by_field` with `group_size` and
// `strict_group_size`, `group_by_fields`, `order_by_fields` (a list of `{"field", "order"}`
// objects), `page_retain_order`, `json_path` with `json_type` (a data type: BOOL, INT8 to
// INT64 or VARCHAR) and `strict_cast` (group-by on a JSON field), `timezone`, `time_fields`.
// Result: one
// list per query vector of hits `{"id": key, "distance": score, "entity": {field: value, ...}}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_search(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Searches `collection_name` with the one vector column of `queries` (one row per query; the
// column's name is the anns_field, "" for the collection's only vector field).
//
// `options_json`: NULL or the keyword arguments of the JSON method `search` other than
// `collection_name`, `data`, `ids` and `anns_field`: `filter`, `limit`, `output_fields`,
// `search_params`, `partition_names`, `group_by_field`, `consistency_level`, `timeout`, ...
// On success `*result_out` receives a result owned by the caller (`milvus_result_free`).
milvus_status milvus_client_search_columns(const struct milvus_client *client, const char *collection_name, const struct milvus_columns *queries, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Searches with `nq` float query vectors of `dim` floats each, row-major at `vectors`.
// `anns_field` may be NULL or "" (the collection's only vector field). Otherwise as
// `milvus_client_search_columns`.
milvus_status milvus_client_search_float(const struct milvus_client *client, const char *collection_name, const char *anns_field, const float *vectors, size_t nq, size_t dim, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Starts a search iterator (pymilvus `search_iterator`): the nearest rows to one query vector,
// in distance order, page by page. Args: `collection_name`, `data` (one vector), optional
// `batch_size` (1000), `limit` (-1 = all), `filter`, `output_fields`, `search_params`
// (`metric_type` defaults to the index's), `anns_field`, `partition_names`, `round_decimal`,
// `timeout` (per page). Each page is a JSON list of hits `{"id", "distance", "entity"}`; each row comes once.
//
// Ownership as `milvus_client_query_iterator`.
milvus_status milvus_client_search_iterator(const struct milvus_client *client, const char *args_json, struct milvus_iterator **iterator_out, struct milvus_error **error_out);

// Full-text search: `nq` query texts for a field fed by a BM25 function (`anns_field`, its
// SPARSE_FLOAT_VECTOR output; NULL or "" lets the server pick, as pymilvus does). Each text
// is `lengths[i]` bytes of UTF-8 (`MILVUS_ERR_INVALID_UTF8` otherwise), or NUL-terminated when
// `lengths` is NULL; a text of length 0 may be NULL. `options_json` holds `search`'s other
// arguments (`limit`, `filter`, `output_fields`, `search_params`, ..., `timeout`, `call_id`;
// naming `collection_name`, `anns_field`, `data` or `ids` is `MILVUS_ERR_INVALID_ARGUMENT`).
//
// On success `*result_out` receives a result owned by the caller (`milvus_result_free`), as
// from `milvus_client_search_float`; errors as for the JSON method `milvus_client_search`.
milvus_status milvus_client_search_texts(const struct milvus_client *client, const char *collection_name, const char *anns_field, const char *const *texts, const size_t *lengths, size_t nq, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// `milvus_client_search`'s arguments, answered as a typed result.
//
// On success `*result_out` receives a result owned by the caller (`milvus_result_free`);
// errors as for the JSON method.
milvus_status milvus_client_search_typed(const struct milvus_client *client, const char *args_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Starts a session (pymilvus `session`). Args: `cluster_id` (a string). The session is a
// `milvus_client` that shares this client's connection, credentials, database and default
// deadline, and sends `cluster_id` in the parameters of its `search`, `hybrid_search`,
// `query`, `get` and iterator pages (`search_params`, `rank_params`, `query_params`), as
// pymilvus's session does. Every other method works on it as on the client. Sends nothing.
//
// `milvus_client_close` on the session ends only the session; closed, or with the client it
// came from closed, its calls fail with `MILVUS_ERR_CLOSED`. A session on a closed client is
// `MILVUS_ERR_CLOSED`.
//
// On success `*session_out` receives a client owned by the caller: release it with
// `milvus_client_free`, before or after the client it came from (each keeps the connection
// alive). On failure it is left untouched.
milvus_status milvus_client_session(const struct milvus_client *client, const char *args_json, struct milvus_client **session_out, struct milvus_error **error_out);

// Starts the JSON method named `method` (e.g. `"search"`) with `args_json`, as
// `milvus_client_call` would make it, without waiting for it. Its completion goes to exactly
// one of `queue` (pushed there) or `callback` (called with it and `user_data`); give one and
// leave the other NULL.
//
// A call that was started completes exactly once, with the status, result or error its
// blocking form would give: argument checks that need the server, deadlines (`"timeout"`),
// cancellation by `"call_id"` (`milvus_client_cancel`) and retries all apply. Freeing the
// client completes the calls still in flight with `MILVUS_ERR_CANCELLED`, and waits until
// every one has been delivered, so no callback runs after `milvus_client_free` returns
// (unless it is called from a callback, which cannot wait). When this returns an error,
// nothing was started and nothing will be delivered: an unknown method
// (`MILVUS_ERR_UNKNOWN_METHOD`), a NULL client, both or neither of queue and callback,
// arguments that are not a JSON object (`MILVUS_ERR_INVALID_JSON`) or a bad `call_id`.
// `method` and `args_json` are only read during this call. `user_data` is passed through.
milvus_status milvus_client_start(const struct milvus_client *client, const char *method, const char *args_json, struct milvus_completion_queue *queue, milvus_completion_callback callback, void *user_data, struct milvus_error **error_out);

// As `milvus_client_start`, for the calls that send columns: `method` is `"insert"`,
// `"upsert"`, `"search"` or `"hybrid_search"`, and the arguments are those of
// `milvus_client_<method>_columns`. The call holds its own reference to the columns: the
// caller may free `columns` as soon as this returns, but may not add to it until the call has
// completed (adding then is `MILVUS_ERR_INVALID_ARGUMENT`). The completion holds a
// `milvus_result`. Another method is `MILVUS_ERR_UNKNOWN_METHOD`.
milvus_status milvus_client_start_columns(const struct milvus_client *client, const char *method, const char *collection_name, const struct milvus_columns *columns, const char *options_json, struct milvus_completion_queue *queue, milvus_completion_callback callback, void *user_data, struct milvus_error **error_out);

// As `milvus_client_start`, for the calls with a typed result: `method` is `"search"`,
// `"hybrid_search"`, `"query"` or `"get"`, with the JSON arguments of that method (as
// `milvus_client_<method>_typed` takes them), and the completion holds a `milvus_result`
// (`milvus_completion_take`'s `typed_out`). Another method is `MILVUS_ERR_UNKNOWN_METHOD`.
milvus_status milvus_client_start_typed(const struct milvus_client *client, const char *method, const char *args_json, struct milvus_completion_queue *queue, milvus_completion_callback callback, void *user_data, struct milvus_error **error_out);

// Moves replicas of a loaded collection between resource groups. Args: `source_group`,
// `target_group`, `collection_name`, `num_replicas`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_transfer_replica(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Removes every row of a collection and keeps its schema. Args: `collection_name`. Result:
// `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_truncate_collection(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Releases a pin made by milvus_client_pin_snapshot_data. Args: `pin_id` (> 0). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_unpin_snapshot_data(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Changes a user's password. Args: `user_name`, `old_password`, `new_password`, optional
// `description`, optional `reset_connection` (only `false`: this client keeps the
// credentials it was created with). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_update_password(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Replaces the replication configuration. Args: `clusters` (a list of `{"cluster_id",
// "connection_param": {"uri", "token" (optional)}, "pchannels": [...] (optional)}`), optional
// `cross_cluster_topology` (a list of `{"source_cluster_id", "target_cluster_id"}`),
// `force_promote` (boolean: make this secondary cluster a standalone primary). Result: the
// server's status as pymilvus returns it, `{"error_code", "reason", "code", "retriable",
// "detail", "extra_info": {...}}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_update_replicate_configuration(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Changes resource group configs (newer servers). Args: `configs` (an object: resource
// group name -> config). Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_update_resource_groups(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Sets a user's description (newer servers). Args: `user_name`, `description`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_update_user(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Inserts rows, replacing those whose primary key exists. Args as insert, plus
// `partial_update` (rows then carry the primary key and the same subset of fields in every
// row, and only those are replaced; Milvus 2.6+, refused before). Result:
// `{"upsert_count": n, "ids": [...], "cost": n}`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_upsert(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// As `milvus_client_insert_columns`, replacing rows with the same primary keys (the primary
// key column is required).
milvus_status milvus_client_upsert_columns(const struct milvus_client *client, const char *collection_name, const struct milvus_columns *columns, const char *options_json, struct milvus_result **result_out, struct milvus_error **error_out);

// Checks that a database exists (DescribeDatabase, or ListDatabases on servers without it), then
// sends it with every later call of this client (all threads). Args: `db_name`. Result: `null`.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_use_database(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// pymilvus's deprecated name of use_database; same arguments and result.
//
// Shared contract: see "JSON methods" at the top of this header.
milvus_status milvus_client_using_database(const struct milvus_client *client, const char *args_json, struct milvus_buffer *result_out, struct milvus_error **error_out);

// Adds every child of an Arrow struct array (a record batch) as the column of the same name,
// as the `milvus_columns_add_*` functions would (types as docs/typed-api.md maps them:
// utf8, large_utf8 and utf8_view for VARCHAR; the `arrow.json` extension or the name
// `"$meta"` for JSON; fixed_size_binary for BINARY_VECTOR, or BFLOAT16_VECTOR when the
// child's metadata `milvus.type` says so; list and large_list for ARRAY). The batch must
// have the builder's row count (`MILVUS_ERR_ROW_COUNT_MISMATCH`); nulls become the validity
// of nullable fields. All columns are added or none.
//
// Takes ownership of both structs, as Arrow's importers do, whatever the outcome: each
// non-NULL one is moved out (the caller's copy is marked released) and released by the
// library. A released struct, a malformed array (checked in full), or a type with no Milvus
// counterpart is `MILVUS_ERR_INVALID_ARGUMENT` or `MILVUS_ERR_TYPE_MISMATCH` naming the
// child.
milvus_status milvus_columns_add_arrow(struct milvus_columns *columns, struct ArrowSchema *schema, struct ArrowArray *array, struct milvus_error **error_out);

// Adds a BFLOAT16_VECTOR column: `data` holds `n` rows of `dim` bfloat16 bit patterns.
// Otherwise as `milvus_columns_add_float_vector`.
milvus_status milvus_columns_add_bfloat16_vector(struct milvus_columns *columns, const char *field, const uint16_t *data, size_t n, size_t dim, struct milvus_error **error_out);

// Adds a BINARY_VECTOR column: `dim` is in bits (a multiple of 8); `data` holds `n` rows of
// `dim / 8` bytes. Otherwise as `milvus_columns_add_float_vector`.
milvus_status milvus_columns_add_binary_vector(struct milvus_columns *columns, const char *field, const uint8_t *data, size_t n, size_t dim, struct milvus_error **error_out);

// Adds a BOOL column.
//
// `values` holds `n` elements (`n` must equal the builder's row count:
// `MILVUS_ERR_ROW_COUNT_MISMATCH`). `validity` is NULL (every row valid) or a bitmap of
// `(n + 7) / 8` bytes whose bit i (LSB first) is set when row i is not null; only nullable
// fields take one, and the values of null rows are ignored. The data is copied during the
// call; a field added twice is `MILVUS_ERR_INVALID_ARGUMENT`.
milvus_status milvus_columns_add_bool(struct milvus_columns *columns, const char *field, const bool *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds a DOUBLE column. Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_double(struct milvus_columns *columns, const char *field, const double *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds a FLOAT column. Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_float(struct milvus_columns *columns, const char *field, const float *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds a FLOAT16_VECTOR column: `data` holds `n` rows of `dim` IEEE half-precision bit
// patterns. Otherwise as `milvus_columns_add_float_vector`.
milvus_status milvus_columns_add_float16_vector(struct milvus_columns *columns, const char *field, const uint16_t *data, size_t n, size_t dim, struct milvus_error **error_out);

// Adds a FLOAT_VECTOR column: `data` holds `n` rows of `dim` floats, row-major and
// contiguous. The floats are copied once, straight into the request's wire bytes. For a
// search, `field` names the anns_field ("" = the collection's only vector field).
milvus_status milvus_columns_add_float_vector(struct milvus_columns *columns, const char *field, const float *data, size_t n, size_t dim, struct milvus_error **error_out);

// Adds an INT16 column (also fits INT32 fields). Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_int16(struct milvus_columns *columns, const char *field, const int16_t *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds an INT32 column. Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_int32(struct milvus_columns *columns, const char *field, const int32_t *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds an INT64 column (primary keys included). Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_int64(struct milvus_columns *columns, const char *field, const int64_t *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds an INT8 column (also fits INT16 and INT32 fields). Arguments as for `milvus_columns_add_bool`.
milvus_status milvus_columns_add_int8(struct milvus_columns *columns, const char *field, const int8_t *values, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds an INT8_VECTOR column: `data` holds `n` rows of `dim` int8 values. Otherwise as
// `milvus_columns_add_float_vector`.
milvus_status milvus_columns_add_int8_vector(struct milvus_columns *columns, const char *field, const int8_t *data, size_t n, size_t dim, struct milvus_error **error_out);

// Adds a JSON column: each value a JSON document (checked: `MILVUS_ERR_INVALID_ARGUMENT`).
// The field `"$meta"` is the dynamic fields, one JSON object per row. Otherwise as
// `milvus_columns_add_varchar`.
milvus_status milvus_columns_add_json(struct milvus_columns *columns, const char *field, const char *const *values, const size_t *lengths, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Adds a SPARSE_FLOAT_VECTOR column in CSR form: `indptr` holds `n + 1` offsets, and row i
// is the pairs `indices[k], values[k]` for `indptr[i] <= k < indptr[i + 1]` (any order; an
// index twice in a row is `MILVUS_ERR_INVALID_ARGUMENT`). `indices` and `values` hold
// `indptr[n]` elements.
milvus_status milvus_columns_add_sparse_vector(struct milvus_columns *columns, const char *field, const uint64_t *indptr, const uint32_t *indices, const float *values, size_t n, struct milvus_error **error_out);

// Adds a VARCHAR column: `values` holds `n` strings, each of `lengths[i]` bytes, or
// NUL-terminated when `lengths` is NULL. Strings must be UTF-8 (`MILVUS_ERR_INVALID_UTF8`).
// `validity` as for the numeric columns. The strings are copied during the call.
milvus_status milvus_columns_add_varchar(struct milvus_columns *columns, const char *field, const char *const *values, const size_t *lengths, size_t n, const uint8_t *validity, struct milvus_error **error_out);

// Frees a builder. NULL is a no-op. Results of calls that used it stay valid.
void milvus_columns_free(struct milvus_columns *columns);

// Makes an empty builder for columns of `num_rows` rows (at least 1).
//
// On success `*columns_out` receives a builder owned by the caller, freed with
// `milvus_columns_free`.
milvus_status milvus_columns_new(size_t num_rows, struct milvus_columns **columns_out, struct milvus_error **error_out);

// Frees a completion and whatever of its outcome was not taken. NULL is a no-op.
void milvus_completion_free(struct milvus_completion *completion);

// A file descriptor that reads as ready (readable) while the queue holds a completion; -1
// for NULL. Watch it for readability (level-triggered: it stays ready until the queue is
// empty), then pop until `milvus_completion_queue_pop` gives NULL. Do not read, write or close
// it: it belongs to the queue and is closed by `milvus_completion_queue_free`.
int32_t milvus_completion_queue_fd(const struct milvus_completion_queue *queue);

// Frees the queue and the completions still in it. Calls started with it and still in
// flight complete as usual, and their completions are freed as they arrive. NULL is a no-op.
// Must not race with other use of the same queue.
void milvus_completion_queue_free(struct milvus_completion_queue *queue);

// Makes an empty completion queue. On success `*queue_out` receives a queue owned by the
// caller, freed with `milvus_completion_queue_free`.
milvus_status milvus_completion_queue_new(struct milvus_completion_queue **queue_out, struct milvus_error **error_out);

// The oldest completion in the queue, without waiting: NULL when it is empty (or NULL). The
// caller owns what it gets (`milvus_completion_free`). Any thread may pop.
struct milvus_completion *milvus_completion_queue_pop(struct milvus_completion_queue *queue);

// As `milvus_completion_queue_pop`, waiting up to `timeout_seconds` for a completion to
// arrive (0: not at all; a negative, NaN or infinite value waits as long as it takes). NULL
// when none came in time.
struct milvus_completion *milvus_completion_queue_wait(struct milvus_completion_queue *queue, double timeout_seconds);

// The status of the call (`MILVUS_OK` when it succeeded); `MILVUS_ERR_NULL_ARGUMENT` for NULL.
milvus_status milvus_completion_status(const struct milvus_completion *completion);

// Takes the call's outcome, as the blocking form of the call would have returned it: the
// call's status; on success the result moved to `*result_out` (calls started with
// `milvus_client_start`: a JSON buffer, free with `milvus_buffer_free`) or `*typed_out`
// (calls started with `milvus_client_start_typed` or `milvus_client_start_columns`: free with
// `milvus_result_free`); on failure the error moved to `*error_out` (may be NULL to drop it).
// The out-parameter the call's kind does not use may be NULL. Taking twice is
// `MILVUS_ERR_INVALID_ARGUMENT`; a NULL out-parameter the result needs is
// `MILVUS_ERR_NULL_ARGUMENT`, and the result stays in the completion.
milvus_status milvus_completion_take(struct milvus_completion *completion, struct milvus_buffer *result_out, struct milvus_result **typed_out, struct milvus_error **error_out);

// The `user_data` given when the call was started; NULL for NULL.
void *milvus_completion_user_data(const struct milvus_completion *completion);

// Frees an error. NULL is a no-op. Any string obtained from it becomes invalid.
void milvus_error_free(struct milvus_error *error);

// The gRPC status code (1 = CANCELLED ... 16 = UNAUTHENTICATED) when the call failed at the
// gRPC layer; 0 otherwise, and for NULL.
int32_t milvus_error_grpc_code(const struct milvus_error *error);

// What went wrong, in UTF-8; `""` for NULL. Valid until `milvus_error_free(error)`.
const char *milvus_error_message(const struct milvus_error *error);

// Whether the same call may succeed if repeated later (rate limits, unavailable servers);
// false for NULL.
bool milvus_error_retriable(const struct milvus_error *error);

// The Milvus server's error code (`Status.code`, or the legacy `error_code` when that is 0);
// 0 when the server did not answer with an error, and for NULL.
int32_t milvus_error_server_code(const struct milvus_error *error);

// The status of the failed call; `MILVUS_OK` for NULL.
milvus_status milvus_error_status(const struct milvus_error *error);

// Frees an iterator. NULL is a no-op. Must not race with `milvus_iterator_next` on it.
void milvus_iterator_free(struct milvus_iterator *iterator);

// Reads the next page: `*result_out` receives a JSON list (query rows, or search hits),
// `[]` once every row has been read. Free it with `milvus_buffer_free`. After a failure the
// same page can be asked for again.
milvus_status milvus_iterator_next(struct milvus_iterator *iterator, struct milvus_buffer *result_out, struct milvus_error **error_out);

// The next page of an iterator as a typed result; a result with no rows once the iterator
// is exhausted. On success `*result_out` receives a result owned by the caller.
milvus_status milvus_iterator_next_typed(struct milvus_iterator *iterator, struct milvus_result **result_out, struct milvus_error **error_out);

// Sends the library's log records to `callback` (with `user_data`), replacing any callback
// set before; a NULL `callback` removes it. While a callback is set, `MILVUS_LOG` writes
// nothing to stderr; after removal it does again (when set).
//
// `filter` chooses the records, as `MILVUS_LOG` does: a level (`"error"`, `"warn"`,
// `"info"`, `"debug"`, `"trace"`, `"off"`) and/or `target=level` pairs, comma-separated
// (`"info,milvus=debug,h2=off"`); NULL means `"info"`. A bad filter is
// `MILVUS_ERR_INVALID_ARGUMENT` and leaves the current callback in place.
//
// May be called at any time, from any thread. When it returns, the callback it replaced is
// not running on any thread and is never called again, so its `user_data` may be freed.
// Called from inside the callback it is `MILVUS_ERR_INVALID_ARGUMENT` (it would wait for
// itself). The records never contain passwords, tokens, authorization headers or the
// credentials of a URI. See `milvus_log_callback` for the thread it runs on.
milvus_status milvus_log_set_callback(const char *filter, milvus_log_callback callback, void *user_data, struct milvus_error **error_out);

// Calls that take `seconds` or longer are logged at warn level with their duration (default
// 1 s, or the environment variable `MILVUS_LOG_SLOW_MS` in milliseconds, read at first use).
// A negative, NaN or infinite value is `MILVUS_ERR_INVALID_ARGUMENT`. Any thread, any time.
milvus_status milvus_log_set_slow_call_threshold(double seconds, struct milvus_error **error_out);

// How many JSON methods the library has (each reachable as `milvus_client_<name>` and by
// `milvus_client_call`). With `milvus_method_name`, for bindings that enumerate them.
size_t milvus_method_count(void);

// The name of JSON method `index` (0 <= index < `milvus_method_count()`), e.g. `"search"`;
// NULL beyond. The string is static: never free it.
const char *milvus_method_name(size_t index);

// The values of a BOOL column.
//
// `*values_out` receives a borrowed array of `*len_out` values (one per row; for a nullable
// column, see `milvus_result_column_validity`), valid until `milvus_result_free`.
// `MILVUS_ERR_TYPE_MISMATCH` for a column of another type, `MILVUS_ERR_INVALID_ARGUMENT` for a
// column out of range.
milvus_status milvus_result_column_bool(const struct milvus_result *result, size_t column, const bool **values_out, size_t *len_out, struct milvus_error **error_out);

// Number of columns (output fields; `"$meta"` holds the dynamic fields).
size_t milvus_result_column_count(const struct milvus_result *result);

// The values of a DOUBLE column. Otherwise as `milvus_result_column_bool`.
milvus_status milvus_result_column_double(const struct milvus_result *result, size_t column, const double **values_out, size_t *len_out, struct milvus_error **error_out);

// The values of a FLOAT column. Otherwise as `milvus_result_column_bool`.
milvus_status milvus_result_column_float(const struct milvus_result *result, size_t column, const float **values_out, size_t *len_out, struct milvus_error **error_out);

// Finds the column named `name`: `*index_out` receives its index. `MILVUS_ERR_MISSING_FIELD`
// when there is none.
milvus_status milvus_result_column_index(const struct milvus_result *result, const char *name, size_t *index_out, struct milvus_error **error_out);

// The values of an INT8, INT16 or INT32 column, as int32 (as they travel). Otherwise as `milvus_result_column_bool`.
milvus_status milvus_result_column_int32(const struct milvus_result *result, size_t column, const int32_t **values_out, size_t *len_out, struct milvus_error **error_out);

// The values of an INT64 column. Otherwise as `milvus_result_column_bool`.
milvus_status milvus_result_column_int64(const struct milvus_result *result, size_t column, const int64_t **values_out, size_t *len_out, struct milvus_error **error_out);

// Whether column `column` holds the dynamic fields (`"$meta"`, a JSON object per row).
bool milvus_result_column_is_dynamic(const struct milvus_result *result, size_t column);

// The name of column `column` (NUL-terminated), NULL when out of range. Borrowed: valid until
// `milvus_result_free`.
const char *milvus_result_column_name(const struct milvus_result *result, size_t column);

// Row `row` of a SPARSE_FLOAT_VECTOR column: `*pairs_out` points to `*nnz_out` pairs of
// (uint32 index, float value), 8 bytes each, little-endian and sorted by index (not
// necessarily aligned: read with memcpy). Borrowed: valid until `milvus_result_free`.
milvus_status milvus_result_column_sparse(const struct milvus_result *result, size_t column, size_t row, const uint8_t **pairs_out, size_t *nnz_out, struct milvus_error **error_out);

// The value of row `row` of a VARCHAR, JSON or `"$meta"` column (JSON as its text) as `*ptr`
// (not NUL-terminated) and `*len` bytes. Borrowed: valid until `milvus_result_free`.
milvus_status milvus_result_column_string(const struct milvus_result *result, size_t column, size_t row, const char **ptr, size_t *len, struct milvus_error **error_out);

// The type of column `column` (`MILVUS_TYPE_*`); `MILVUS_TYPE_NONE` when out of range.
milvus_data_type milvus_result_column_type(const struct milvus_result *result, size_t column);

// Which rows of a nullable column hold a value: `*valid_out` receives `*len_out` flags (one
// per row), or NULL and 0 when the column is not nullable (every row valid). Borrowed: valid
// until `milvus_result_free`.
milvus_status milvus_result_column_validity(const struct milvus_result *result, size_t column, const bool **valid_out, size_t *len_out, struct milvus_error **error_out);

// The vectors of a dense vector column, row-major and contiguous: `*data_out` points to
// `num_rows * dim` floats (FLOAT_VECTOR), `num_rows * dim` uint16 bit patterns
// (FLOAT16/BFLOAT16), `num_rows * dim` int8 (INT8_VECTOR) or `num_rows * dim / 8` bytes
// (BINARY_VECTOR, dim in bits); `*dim_out` receives the dimension. Borrowed, no copy: valid
// until `milvus_result_free`.
milvus_status milvus_result_column_vectors(const struct milvus_result *result, size_t column, const void **data_out, size_t *dim_out, struct milvus_error **error_out);

// The `num_rows` distances (scores) of a search, grouped by query; NULL for other results.
// Borrowed: valid until `milvus_result_free`.
const float *milvus_result_distances(const struct milvus_result *result);

// Exports a result as one Arrow struct array (a record batch) through the Arrow C Data
// Interface.
//
// Query and get: one row per entity, a child per output field. Search, hybrid search and
// search iterator pages: one row per hit, grouped by query, with the children `query_index`
// (int64), `id` (int64 or utf8) and `distance` (float32) first, then the output fields.
// Insert and upsert results: the `id` column. The types are mapped as docs/typed-api.md
// lists (each child's metadata `milvus.type` names its Milvus type); a column with no
// mapping is `MILVUS_ERR_TYPE_MISMATCH` naming it.
//
// On success `*schema_out` and `*array_out` (caller-allocated, their previous contents
// ignored) receive structs owned by the caller, who releases each with its `release`
// callback. They stay valid after `milvus_result_free`: vector columns, ids, distances and
// 32/64-bit numeric columns share the result's memory without a copy and keep it alive until
// released. Nothing is written on failure.
milvus_status milvus_result_export_arrow(const struct milvus_result *result, struct ArrowSchema *schema_out, struct ArrowArray *array_out, struct milvus_error **error_out);

// Frees a result; every view obtained from it becomes invalid. NULL is a no-op.
void milvus_result_free(struct milvus_result *result);

// How many hits query `query` has: its rows are `[offset, offset + count)`. 0 when out of
// range.
size_t milvus_result_hit_count(const struct milvus_result *result, size_t query);

// The first row of query `query`'s hits (rows of a search are grouped by query). 0 when out
// of range.
size_t milvus_result_hit_offset(const struct milvus_result *result, size_t query);

// How the rows are identified: `MILVUS_ID_INT64`, `MILVUS_ID_STRING`, or `MILVUS_ID_NONE`
// (query results, which carry the primary key as a column).
milvus_id_type milvus_result_id_type(const struct milvus_result *result);

// The `num_rows` INT64 ids, or NULL when the ids are not INT64 (or there are no rows).
// Borrowed: valid until `milvus_result_free`.
const int64_t *milvus_result_int64_ids(const struct milvus_result *result);

// Number of queries: a search's nq; 1 for query, get, iterator pages and writes. 0 for NULL.
size_t milvus_result_num_queries(const struct milvus_result *result);

// Number of rows: all hits of all queries, the rows of a query, or the ids of a write.
size_t milvus_result_num_rows(const struct milvus_result *result);

// The VARCHAR id of row `row` as `*ptr` (not NUL-terminated) and `*len` bytes. Borrowed:
// valid until `milvus_result_free`. `MILVUS_ERR_TYPE_MISMATCH` when the ids are not strings.
milvus_status milvus_result_string_id(const struct milvus_result *result, size_t row, const char **ptr, size_t *len, struct milvus_error **error_out);

// Renders the result as the JSON the JSON method returns (search and hybrid search: hits per
// query; query and get: rows; iterator pages: the page; writes: counts and ids). On success
// `*json_out` receives a buffer owned by the caller (`milvus_buffer_free`).
milvus_status milvus_result_to_json(const struct milvus_result *result, struct milvus_buffer *json_out, struct milvus_error **error_out);

// Rows written by an insert or upsert (0 for other results).
uint64_t milvus_result_write_count(const struct milvus_result *result);

// The name of a status code, e.g. `"MILVUS_ERR_TIMEOUT"`; `"MILVUS_ERR_UNKNOWN_STATUS"` for a
// number that is not a status. The string is static: never free it.
const char *milvus_status_str(int32_t status);

// The library's version, e.g. `"0.1.0"` (`MILVUS_VERSION_STRING` at build time). Static.
const char *milvus_version(void);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* MILVUS_H */
