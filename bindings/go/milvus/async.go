package milvus

// Calls wait in Go, not in the OS thread: each call is started with milvus_client_start*
// (returning at once) and its goroutine waits on a channel that the completion callback
// (complete.go) fills. A blocking cgo call would pin one OS thread per call in flight.

// #include <stdint.h>
// #include <milvus.h>
//
// void milvusGoComplete(milvus_completion *completion, void *user_data);
//
// static milvus_status milvus_go_start(const milvus_client *c, const char *method,
//         const char *args, uintptr_t done, milvus_error **err) {
//     return milvus_client_start(c, method, args, NULL, milvusGoComplete, (void *)done, err);
// }
//
// static milvus_status milvus_go_start_typed(const milvus_client *c, const char *method,
//         const char *args, uintptr_t done, milvus_error **err) {
//     return milvus_client_start_typed(c, method, args, NULL, milvusGoComplete, (void *)done, err);
// }
//
// static milvus_status milvus_go_start_columns(const milvus_client *c, const char *method,
//         const char *collection, const milvus_columns *cols, const char *options,
//         uintptr_t done, milvus_error **err) {
//     return milvus_client_start_columns(c, method, collection, cols, options, NULL,
//         milvusGoComplete, (void *)done, err);
// }
import "C"

import (
	"context"
	"runtime/cgo"
	"time"
)

// startFunc starts one call whose completion goes to the callback with user_data done.
type startFunc func(done C.uintptr_t, cerr **C.milvus_error) C.milvus_status

// await starts a call and waits for its completion, which the caller then owns. Once ctx is
// done, the call is cancelled by its callID ("" = it cannot be) and its completion (with
// MILVUS_ERR_CANCELLED, or whatever came first) is still awaited: every started call is
// completed exactly once, so nothing leaks and the client is not freed under it.
func await(ctx context.Context, cl *C.milvus_client, callID string, start startFunc) (*C.milvus_completion, error) {
	done := make(chan *C.milvus_completion, 1)
	h := cgo.NewHandle(done)
	var cerr *C.milvus_error
	if st := start(C.uintptr_t(h), &cerr); st != C.MILVUS_OK {
		h.Delete() // nothing was started: the callback will not run
		return nil, takeError(st, cerr)
	}
	select {
	case comp := <-done:
		return comp, nil
	case <-ctx.Done():
	}
	if callID == "" {
		return <-done, nil
	}
	// The call registers its id when it first runs, which may not have happened yet
	// (cancelling an id not in flight does nothing), so repeat until it completes.
	id := cString(callID)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		C.milvus_client_cancel(cl, id, nil)
		select {
		case comp := <-done:
			return comp, nil
		case <-tick.C:
		}
	}
}

// startJSON starts the JSON method `method`.
func startJSON(cl *C.milvus_client, method string, args []byte) startFunc {
	return func(done C.uintptr_t, cerr **C.milvus_error) C.milvus_status {
		return C.milvus_go_start(cl, cString(method), cBytes(args), done, cerr)
	}
}

// startTyped starts search, hybrid_search, query or get with a typed result.
func startTyped(cl *C.milvus_client, method string, args []byte) startFunc {
	return func(done C.uintptr_t, cerr **C.milvus_error) C.milvus_status {
		return C.milvus_go_start_typed(cl, cString(method), cBytes(args), done, cerr)
	}
}

// startColumns starts insert, upsert, search or hybrid_search with columns; the call holds
// its own reference to them, so the caller may free b once this has run.
func startColumns(cl *C.milvus_client, method, collection string, b *C.milvus_columns, options []byte) startFunc {
	return func(done C.uintptr_t, cerr **C.milvus_error) C.milvus_status {
		return C.milvus_go_start_columns(cl, cString(method), cString(collection), b, cBytes(options), done, cerr)
	}
}

// takeJSON takes a JSON call's result (or error) and frees the completion.
func takeJSON(comp *C.milvus_completion) ([]byte, error) {
	defer C.milvus_completion_free(comp)
	var buf C.milvus_buffer
	var cerr *C.milvus_error
	if st := C.milvus_completion_take(comp, &buf, nil, &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	return takeBuffer(&buf), nil
}

// takeTyped takes a typed call's result, owned by the caller (milvus_result_free), or its
// error, and frees the completion.
func takeTyped(comp *C.milvus_completion) (*C.milvus_result, error) {
	defer C.milvus_completion_free(comp)
	var r *C.milvus_result
	var cerr *C.milvus_error
	if st := C.milvus_completion_take(comp, nil, &r, &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	return r, nil
}
