package milvus

// The completion callback of non-blocking calls. A file with an //export keeps its cgo
// preamble to declarations (cgo's rule), so the C side of starting calls is in async.go.

// #include <milvus.h>
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// milvusGoComplete is the callback of every call this package starts: libmilvus calls it once
// per call on one of its I/O threads, with user_data the cgo.Handle of the channel the call's
// goroutine waits on. It only hands the completion over: the channel has room for it, so this
// never blocks the I/O thread.
//
//export milvusGoComplete
func milvusGoComplete(completion *C.milvus_completion, userData unsafe.Pointer) {
	h := cgo.Handle(uintptr(userData))
	done := h.Value().(chan *C.milvus_completion)
	h.Delete()
	done <- completion
}
