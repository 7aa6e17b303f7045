package milvus

// #include <milvus.h>
import "C"

import (
	"context"
	"errors"
	"fmt"
)

// Status is a libmilvus status code (docs/errors.md). The numbers never change.
type Status int32

// The statuses, taken from include/milvus.h; scripts/check_statuses.sh (make check) fails
// when this list and the header's differ.
const (
	StatusOK                  Status = C.MILVUS_OK
	StatusNullArgument        Status = C.MILVUS_ERR_NULL_ARGUMENT
	StatusInvalidUTF8         Status = C.MILVUS_ERR_INVALID_UTF8
	StatusInvalidJSON         Status = C.MILVUS_ERR_INVALID_JSON
	StatusInvalidArgument     Status = C.MILVUS_ERR_INVALID_ARGUMENT
	StatusInvalidURI          Status = C.MILVUS_ERR_INVALID_URI
	StatusDimensionMismatch   Status = C.MILVUS_ERR_DIMENSION_MISMATCH
	StatusMissingField        Status = C.MILVUS_ERR_MISSING_FIELD
	StatusUnknownMethod       Status = C.MILVUS_ERR_UNKNOWN_METHOD
	StatusRowCountMismatch    Status = C.MILVUS_ERR_ROW_COUNT_MISMATCH
	StatusTypeMismatch        Status = C.MILVUS_ERR_TYPE_MISMATCH
	StatusClosed              Status = C.MILVUS_ERR_CLOSED
	StatusConnect             Status = C.MILVUS_ERR_CONNECT
	StatusTimeout             Status = C.MILVUS_ERR_TIMEOUT
	StatusUnavailable         Status = C.MILVUS_ERR_UNAVAILABLE
	StatusUnauthenticated     Status = C.MILVUS_ERR_UNAUTHENTICATED
	StatusPermissionDenied    Status = C.MILVUS_ERR_PERMISSION_DENIED
	StatusUnimplemented       Status = C.MILVUS_ERR_UNIMPLEMENTED
	StatusCancelled           Status = C.MILVUS_ERR_CANCELLED
	StatusTLS                 Status = C.MILVUS_ERR_TLS
	StatusTransport           Status = C.MILVUS_ERR_TRANSPORT
	StatusServer              Status = C.MILVUS_ERR_SERVER
	StatusCollectionNotFound  Status = C.MILVUS_ERR_COLLECTION_NOT_FOUND
	StatusRateLimited         Status = C.MILVUS_ERR_RATE_LIMITED
	StatusDatabaseNotFound    Status = C.MILVUS_ERR_DATABASE_NOT_FOUND
	StatusIndexNotFound       Status = C.MILVUS_ERR_INDEX_NOT_FOUND
	StatusCollectionNotLoaded Status = C.MILVUS_ERR_COLLECTION_NOT_LOADED
	StatusPartitionNotFound   Status = C.MILVUS_ERR_PARTITION_NOT_FOUND
	StatusPanic               Status = C.MILVUS_ERR_PANIC
	StatusRuntime             Status = C.MILVUS_ERR_RUNTIME
	StatusInternal            Status = C.MILVUS_ERR_INTERNAL
)

// String is the constant's C name, e.g. "MILVUS_ERR_TIMEOUT".
func (s Status) String() string {
	return C.GoString(C.milvus_status_str(C.milvus_status(s)))
}

// Error is a failed call: everything the library's milvus_error carries. Use errors.As to
// get it from an error returned by this package.
type Error struct {
	Status     Status // never StatusOK
	GRPCCode   int32  // gRPC code for transport failures, else 0
	ServerCode int32  // Milvus Status.code (or legacy error_code), else 0
	Retriable  bool   // repeating the call later may succeed
	Message    string // names the argument, row, field or RPC at fault

	// The context error when the call ended because its context was done, so that
	// errors.Is(err, context.DeadlineExceeded / context.Canceled) holds.
	ctxErr error
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "milvus: " + e.Status.String()
	}
	return fmt.Sprintf("milvus: %s: %s", e.Status, e.Message)
}

// Unwrap returns the context's error when the call ended because its context was done.
func (e *Error) Unwrap() error { return e.ctxErr }

// ErrClosed is returned by calls on a closed Client.
var ErrClosed = errors.New("milvus: client is closed")

// takeError converts and frees a milvus_error; a NULL error keeps the status only.
func takeError(st C.milvus_status, e *C.milvus_error) *Error {
	out := &Error{Status: Status(st)}
	if e != nil {
		out.GRPCCode = int32(C.milvus_error_grpc_code(e))
		out.ServerCode = int32(C.milvus_error_server_code(e))
		out.Retriable = bool(C.milvus_error_retriable(e))
		out.Message = C.GoString(C.milvus_error_message(e))
		C.milvus_error_free(e)
	}
	return out
}

// StatusOf returns the status of a libmilvus error, StatusOK for nil, and for other errors
// StatusTimeout / StatusCancelled when they are context errors, else StatusInternal.
func StatusOf(err error) Status {
	if err == nil {
		return StatusOK
	}
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Status
	case errors.Is(err, context.DeadlineExceeded):
		return StatusTimeout
	case errors.Is(err, context.Canceled):
		return StatusCancelled
	}
	return StatusInternal
}

// IsNotFound: a collection, database, index or partition does not exist.
func IsNotFound(err error) bool {
	switch StatusOf(err) {
	case StatusCollectionNotFound, StatusDatabaseNotFound, StatusIndexNotFound, StatusPartitionNotFound:
		return true
	}
	return false
}

// IsTimeout: the call's deadline passed (library timeout or context deadline).
func IsTimeout(err error) bool { return StatusOf(err) == StatusTimeout }

// IsCancelled: the call was cancelled (by its context).
func IsCancelled(err error) bool { return StatusOf(err) == StatusCancelled }

// IsRetriable: repeating the call later may succeed.
func IsRetriable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retriable
}
