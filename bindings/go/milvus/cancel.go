package milvus

// #include <milvus.h>
import "C"

import (
	"context"
	"time"
)

// watch makes a call cancellable through its context: it gives the call a call_id, and once
// the context is done, milvus_client_cancel cancels it from another goroutine. The returned
// func ends the watch; it returns only when the watcher no longer touches the client, so
// Close cannot free it under a pending cancel.
func (c *Client) watch(ctx context.Context, ptr *C.milvus_client, o *callOpts) (stop func()) {
	if ctx.Done() == nil {
		return func() {} // context.Background and the like can never be cancelled
	}
	o.callID = newCallID()
	id := cString(o.callID)
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		// The call may not have registered its id yet (cancelling an id that is not in
		// flight does nothing), so repeat until the call has returned.
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			C.milvus_client_cancel(ptr, id, nil)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}
