package milvus

// #include <milvus.h>
import "C"

import "sync"

// LogLevel is a log record's severity.
type LogLevel int

const (
	LogError LogLevel = 1
	LogWarn  LogLevel = 2
	LogInfo  LogLevel = 3
	LogDebug LogLevel = 4
	LogTrace LogLevel = 5
)

// LogRecord is one record of the library's log (docs/guide.md, "Diagnose").
type LogRecord struct {
	Level LogLevel
	// Target names where it comes from: "milvus::client::retry", "h2::proto::connection", ...
	Target  string
	Message string
	// Method (e.g. "search") and CallID are those of the call the record was emitted in;
	// "" outside a call. Calls whose context can be cancelled get a generated CallID.
	Method string
	CallID string
}

var (
	logMu sync.RWMutex
	logFn func(LogRecord)
)

// SetLogger sends the library's log records to f; a nil f stops them. filter chooses the
// records as the MILVUS_LOG environment variable does: a level ("error", "warn", "info",
// "debug", "trace", "off") and/or target=level pairs ("info,milvus=debug,h2=off"); "" means
// "info". While a logger is set, MILVUS_LOG writes nothing to stderr.
//
// f may be called from any goroutine, several at once, and must not call the library. When
// SetLogger returns, the logger it replaced is no longer running and is never called again.
// Records never contain passwords, tokens or URI credentials. See SlogLogger for log/slog.
func SetLogger(filter string, f func(LogRecord)) error {
	// Swapped before the library's callback changes, so that once this returns the old f is
	// never called again (the library waits for callbacks already running).
	logMu.Lock()
	previous := logFn
	logFn = f
	logMu.Unlock()
	var err *C.milvus_error
	var st C.milvus_status
	if f == nil {
		st = setCallback(nil, false, &err)
	} else {
		var cf *C.char
		if filter != "" {
			cf = cString(filter)
		}
		st = setCallback(cf, true, &err)
	}
	if st != C.MILVUS_OK {
		// A refused filter leaves the previous logger in place.
		logMu.Lock()
		logFn = previous
		logMu.Unlock()
		return takeError(st, err)
	}
	return nil
}

//export milvusGoLog
func milvusGoLog(_ *C.void, level C.milvus_log_level, target, message, method, callID *C.char) {
	logMu.RLock()
	f := logFn
	logMu.RUnlock()
	if f == nil {
		return
	}
	str := func(p *C.char) string {
		if p == nil {
			return ""
		}
		return C.GoString(p)
	}
	f(LogRecord{
		Level:   LogLevel(level),
		Target:  str(target),
		Message: str(message),
		Method:  str(method),
		CallID:  str(callID),
	})
}
