// Package milvus is a Go client of the Milvus vector database over libmilvus's C ABI
// (include/milvus.h).
//
// A Client is safe for concurrent use by many goroutines; it shares one HTTP/2 connection.
// Calls wait in Go, not in an OS thread (they use the library's non-blocking calls), so
// thousands of goroutines may call at once without the process growing a thread for each.
// Every method takes a context: its deadline becomes the call's timeout, and cancelling it
// cancels the call in the library. Failures are *Error values (use errors.As), which also
// match context.DeadlineExceeded / context.Canceled with errors.Is when the context ended
// the call.
//
// The typed methods (Search, Query, Insert, ...) cover the common calls; Call reaches every
// JSON method of the library by name with pymilvus's keyword arguments.
package milvus

// #include <stdlib.h>
// #include <milvus.h>
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Config says where and how to connect.
type Config struct {
	// URI: http://host:port, https://host:port (TLS), host:port, tcp://..., unix:/path.
	// user:password@ in it is used as the token; a path segment selects the database.
	URI      string
	User     string
	Password string
	Token    string // an API key or "user:password"; wins over User and Password
	// Timeout bounds connecting and is the deadline of every call whose context has none
	// (0: none; connecting then gives up after 10 s).
	Timeout time.Duration
	DBName  string     // database to use ("" = the URI's, else "default")
	TLS     *TLSConfig // nil: plain, unless the URI is https://
}

// TLSConfig: certificate files (PEM) for TLS and mutual TLS.
type TLSConfig struct {
	CAPemPath     string // CA that signed the server's certificate ("" = system roots)
	ClientPemPath string // client certificate, for mutual TLS
	ClientKeyPath string // its private key
	ServerName    string // name to verify the server's certificate against
}

// Client is a connection to one Milvus server. Safe for concurrent use. Close it when done;
// a finalizer closes a forgotten one.
type Client struct {
	mu  sync.RWMutex // read-held by every call, write-held by Close
	ptr *C.milvus_client
}

var callSeq uint64

// Version is the libmilvus version, e.g. "0.1.0".
func Version() string { return C.GoString(C.milvus_version()) }

// Methods lists the library's JSON methods: the names Call accepts.
func Methods() []string {
	n := int(C.milvus_method_count())
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if p := C.milvus_method_name(C.size_t(i)); p != nil {
			out = append(out, C.GoString(p))
		}
	}
	return out
}

// NewClient connects and performs the handshake. If ctx ends first, NewClient returns its
// error at once (the connection being set up is closed when it completes).
func NewClient(ctx context.Context, cfg Config) (*Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	if cfg.Timeout < 0 {
		return nil, &Error{Status: StatusInvalidArgument, Message: "Config.Timeout is negative"}
	}
	type result struct {
		ptr *C.milvus_client
		err error
	}
	done := make(chan result, 1)
	go func() {
		ptr, err := connect(cfg)
		done <- result{ptr, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		go func() {
			if r := <-done; r.ptr != nil {
				C.milvus_client_free(r.ptr)
			}
		}()
		return nil, ctxError(ctx.Err())
	}
	if r.err != nil {
		return nil, r.err
	}
	c := &Client{ptr: r.ptr}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close frees the connection after the calls in flight have returned. Later calls fail
// with ErrClosed. Closing twice is harmless.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		C.milvus_client_free(c.ptr)
		c.ptr = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// Call invokes the JSON method `method` (see Methods and include/milvus.h) with args, any
// value encoding/json turns into an object of pymilvus keyword arguments (nil = none), and
// returns the JSON result. Unless args sets "timeout" itself, the context's deadline is
// sent as the call's timeout.
func (c *Client) Call(ctx context.Context, method string, args any) (json.RawMessage, error) {
	var raw []byte
	switch a := args.(type) {
	case nil:
		raw = []byte("{}")
	case json.RawMessage:
		raw = a
	case []byte:
		raw = a
	default:
		var err error
		if raw, err = json.Marshal(args); err != nil {
			return nil, &Error{Status: StatusInvalidArgument, Message: "encoding args: " + err.Error()}
		}
	}
	return c.callJSON(ctx, method, raw, true)
}

// callJSON runs one JSON method. args is a JSON object; mayHaveKeys says whether it may
// already hold "timeout" or "call_id" (the caller's own keys win).
func (c *Client) callJSON(ctx context.Context, method string, args []byte, mayHaveKeys bool) ([]byte, error) {
	var out []byte
	err := c.run(ctx, true, func(cl *C.milvus_client, o callOpts) error {
		comp, err := await(ctx, cl, o.callID, startJSON(cl, method, o.addTo(args, mayHaveKeys)))
		if err != nil {
			return err
		}
		out, err = takeJSON(comp)
		return err
	})
	return out, err
}

// callOpts: what the Go call adds to the library call's arguments.
type callOpts struct {
	timeout float64 // seconds; 0 = the client's default
	callID  string  // "" = not cancellable
}

// addTo inserts "timeout" and "call_id" into a JSON object.
func (o callOpts) addTo(args []byte, mayHaveKeys bool) []byte {
	if o.timeout == 0 && o.callID == "" {
		return args
	}
	i := 0
	for i < len(args) && (args[i] == ' ' || args[i] == '\t' || args[i] == '\n' || args[i] == '\r') {
		i++
	}
	if i == len(args) || args[i] != '{' {
		return args // not an object: the library reports it
	}
	if mayHaveKeys {
		var keys map[string]json.RawMessage
		if json.Unmarshal(args, &keys) != nil {
			return args // malformed: the library names the problem
		}
		if _, ok := keys["timeout"]; ok {
			o.timeout = 0
		}
		if _, ok := keys["call_id"]; ok {
			o.callID = ""
		}
	}
	var b []byte
	b = append(b, '{')
	if o.timeout != 0 {
		b = append(b, `"timeout":`...)
		b = strconv.AppendFloat(b, o.timeout, 'g', -1, 64)
		b = append(b, ',')
	}
	if o.callID != "" {
		b = append(b, `"call_id":`...)
		b = strconv.AppendQuote(b, o.callID)
		b = append(b, ',')
	}
	if len(b) == 1 {
		return args
	}
	rest := args[i+1:]
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '\n' || rest[j] == '\r') {
		j++
	}
	if j < len(rest) && rest[j] == '}' {
		b = b[:len(b)-1] // empty object: drop the trailing comma
	}
	return append(b, rest...)
}

// run executes one library call: the context's deadline becomes its timeout, the context's
// cancellation cancels it (a cancellable call gets a call_id for await to cancel it by), and
// context-ended failures carry the context's error. The client stays open until f returns.
func (c *Client) run(ctx context.Context, cancellable bool, f func(*C.milvus_client, callOpts) error) error {
	if err := ctx.Err(); err != nil {
		return ctxError(err)
	}
	var o callOpts
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left <= 0 {
			return ctxError(context.DeadlineExceeded)
		}
		if left < 1e8*time.Second { // the library refuses 1e9 s and more: no deadline, really
			o.timeout = left.Seconds()
		}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return ErrClosed
	}
	if cancellable && ctx.Done() != nil { // context.Background and the like never end
		o.callID = newCallID()
	}
	err := f(c.ptr, o)
	if err == nil {
		return nil
	}
	// A call that failed once its context was done failed because of it, whatever the
	// status says (a server can answer a passed deadline with its own error code).
	var e *Error
	if errors.As(err, &e) && e.ctxErr == nil {
		e.ctxErr = ctx.Err()
		if e.Status == StatusTimeout && o.timeout != 0 {
			// The library's timer was the context's deadline; it may fire a hair before
			// the context's own.
			e.ctxErr = context.DeadlineExceeded
		}
		if e.ctxErr == context.DeadlineExceeded && e.Status == StatusCancelled {
			e.Status = StatusTimeout // the watcher's cancel raced the library's own timeout
		}
	}
	return err
}

// ctxError is the *Error of a call that its context ended before it started.
func ctxError(err error) *Error {
	st := StatusCancelled
	if errors.Is(err, context.DeadlineExceeded) {
		st = StatusTimeout
	}
	return &Error{Status: st, Message: err.Error(), ctxErr: err}
}

// newCallID: unique within the process, which is what cancellation needs.
func newCallID() string {
	return "go-" + strconv.FormatUint(atomic.AddUint64(&callSeq, 1), 10)
}

// cString: a NUL-terminated copy of s in Go memory, valid to pass to C for one call (the
// library only reads it during the call and keeps nothing).
func cString(s string) *C.char {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// cBytes: as cString, for JSON text already in a byte slice.
func cBytes(s []byte) *C.char {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// takeBuffer copies a library buffer into Go memory and frees it.
func takeBuffer(buf *C.milvus_buffer) []byte {
	n := int(buf.len)
	out := make([]byte, n)
	if n > 0 {
		copy(out, unsafe.Slice((*byte)(unsafe.Pointer(buf.data)), n))
	}
	C.milvus_buffer_free(buf)
	return out
}
