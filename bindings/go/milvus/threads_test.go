package milvus_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

// osThreads is the process's OS thread count (/proc/self/status "Threads"), -1 if unknown.
func osThreads() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// 512 goroutines × 4 searches on one client: the calls wait in Go, not in OS threads, so the
// process's thread count stays small (a blocking cgo call pins one thread per call in flight).
func TestManyGoroutinesFewThreads(t *testing.T) {
	if osThreads() < 0 {
		t.Skip("no /proc/self/status")
	}
	c := connect(t, servers()[0].uri)
	ctx := context.Background()
	name := newCollection(t, c)
	const rows = 64
	var data []milvus.Row
	for i := 0; i < rows; i++ {
		data = append(data, milvus.Row{"id": i, "vector": vec(i)})
	}
	if _, err := c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Rows: data}); err != nil {
		t.Fatal(err)
	}
	before := osThreads()
	var peak int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if n := int64(osThreads()); n > atomic.LoadInt64(&peak) {
				atomic.StoreInt64(&peak, n)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	const goroutines, each = 512, 4
	var wg sync.WaitGroup
	var failures int64
	errs := make(chan error, 8)
	began := time.Now()
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < each; k++ {
				i := (g*each + k) % rows
				sr, err := c.Search(ctx, milvus.SearchRequest{CollectionName: name,
					Vectors: [][]float32{vec(i)}, Limit: 1, ConsistencyLevel: "Strong"})
				if err == nil && (len(sr) != 1 || sr[0].Len() != 1 || sr[0].IDs.Int[0] != int64(i)) {
					err = fmt.Errorf("goroutine %d: nearest to %d is %v", g, i, sr)
				}
				if err != nil {
					atomic.AddInt64(&failures, 1)
					select {
					case errs <- err:
					default:
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d searches in %v: OS threads %d before, peak %d, %d after; %d failed",
		goroutines*each, time.Since(began).Round(time.Millisecond), before, peak, osThreads(), failures)
	if peak >= 40 {
		t.Fatalf("the process reached %d OS threads (want < 40)", peak)
	}
}
