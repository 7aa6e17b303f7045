//go:build go1.21

package milvus_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

// SlogLogger writes the records through a slog handler, with their attributes.
func TestSlogLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	h := slog.NewTextHandler(&lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug})
	if err := milvus.SetLogger("milvus=debug", milvus.SlogLogger(h)); err != nil {
		t.Fatal(err)
	}
	c := connect(t, servers()[0].uri)
	if _, err := c.ListCollections(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := milvus.SetLogger("", nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, want := range []string{
		"level=INFO msg=\"connected to ", "target=milvus::client",
		"level=DEBUG", "method=list_collections",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
