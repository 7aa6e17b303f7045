package milvus_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

// The logger receives records with their level, target, method and call_id; the filter
// chooses them; a bad filter is refused; removal stops them. Against MILVUS_URI.
func TestLogger(t *testing.T) {
	var mu sync.Mutex
	var got []milvus.LogRecord
	collect := func(r milvus.LogRecord) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
	}
	snapshot := func() []milvus.LogRecord {
		mu.Lock()
		defer mu.Unlock()
		return append([]milvus.LogRecord(nil), got...)
	}
	if err := milvus.SetLogger("loud", collect); milvus.StatusOf(err) != milvus.StatusInvalidArgument {
		t.Fatalf("a bad filter: %v", err)
	}
	if err := milvus.SetLogger("debug", collect); err != nil {
		t.Fatal(err)
	}
	defer milvus.SetLogger("", nil)
	c := connect(t, servers()[0].uri)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := c.ListCollections(ctx); err != nil {
		t.Fatal(err)
	}
	var connected, done bool
	for _, r := range snapshot() {
		if r.Level == milvus.LogInfo && strings.HasPrefix(r.Target, "milvus::") &&
			strings.Contains(r.Message, "connected to") && r.Method == "" {
			connected = true
		}
		if r.Level == milvus.LogDebug && r.Method == "list_collections" && r.CallID != "" &&
			strings.Contains(r.Message, "list_collections: done in") {
			done = true
		}
	}
	if !connected || !done {
		t.Fatalf("connected %v, call done %v in %+v", connected, done, snapshot())
	}

	if err := milvus.SetLogger("warn", collect); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got = nil
	mu.Unlock()
	if _, err := c.ListCollections(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := snapshot(); len(r) != 0 {
		t.Fatalf("warn lets debug records through: %+v", r)
	}
	if err := milvus.SetLogger("", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeCollection(context.Background(), unique("none")); err == nil {
		t.Fatal("describing a missing collection succeeded")
	}
	if r := snapshot(); len(r) != 0 {
		t.Fatalf("records after removal: %+v", r)
	}
}
