// The official Go SDK (github.com/milvus-io/milvus/client/v2, milvusclient) as a bench
// client: `go-bench WORKLOAD URI COLLECTION key=value...`, one workload per process, one
// JSON line out. See benches/README.md for the workloads.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/milvus-io/milvus/client/v2/entity"
	"github.com/milvus-io/milvus/client/v2/milvusclient"
)

var kv = map[string]string{}

func num(k string, def int) int {
	if v, err := strconv.Atoi(kv[k]); err == nil {
		return v
	}
	return def
}

func report(m map[string]any) {
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
}

func fail(format string, a ...any) {
	report(map[string]any{"ok": false, "error": fmt.Sprintf(format, a...)})
	os.Exit(0)
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func statusKB(key string) int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			f := strings.Fields(l)
			if len(f) > 1 {
				v, _ := strconv.ParseInt(f[1], 10, 64)
				return v
			}
		}
	}
	return 0
}

type meter struct {
	t0 time.Time
	c0 float64
}

func start() meter { return meter{time.Now(), cpuSeconds()} }
func (m meter) stop() (float64, float64) {
	return time.Since(m.t0).Seconds(), cpuSeconds() - m.c0
}

// xorshift floats in [0, 1), as the other drivers make them.
type rng uint64

func newRng(seed uint64) *rng { r := rng(seed*0x9E3779B97F4A7C15 | 1); return &r }
func (r *rng) next() float32 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return float32(x>>40) / float32(1<<24)
}

func vectors(r *rng, n, dim int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		for j := range v {
			v[j] = r.next()
		}
		out[i] = v
	}
	return out
}

func readQueries(path string, dim int) [][]float32 {
	raw, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	n := len(raw) / (dim * 4)
	out := make([][]float32, n)
	for i := 0; i < n; i++ {
		v := make([]float32, dim)
		for j := 0; j < dim; j++ {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[(i*dim+j)*4:]))
		}
		out[i] = v
	}
	return out
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

func main() {
	if len(os.Args) < 4 {
		fail("usage: go-bench WORKLOAD URI COLLECTION key=value...")
	}
	workload, uri, coll := os.Args[1], os.Args[2], os.Args[3]
	for _, a := range os.Args[4:] {
		if k, v, ok := strings.Cut(a, "="); ok {
			kv[k] = v
		}
	}
	ctx := context.Background()
	addr := strings.TrimPrefix(strings.TrimPrefix(uri, "http://"), "tcp://")
	c, err := milvusclient.New(ctx, &milvusclient.ClientConfig{Address: addr})
	if err != nil {
		fail("connect: %v", err)
	}
	defer c.Close(ctx)
	switch workload {
	case "insert", "memory":
		insert(ctx, c, coll, workload == "memory")
	case "search":
		search(ctx, c, coll)
	case "csearch":
		csearch(ctx, c, coll)
	case "query":
		query(ctx, c, coll)
	default:
		fail("unknown workload %s", workload)
	}
}

func doInsert(ctx context.Context, c *milvusclient.Client, coll string, start int64, vecs [][]float32, dim int) {
	ids := make([]int64, len(vecs))
	tags := make([]string, len(vecs))
	for i := range ids {
		ids[i] = start + int64(i)
		tags[i] = "tag-" + strconv.FormatInt((ids[i]%1000+1000)%1000, 10)
	}
	opt := milvusclient.NewColumnBasedInsertOption(coll).
		WithInt64Column("id", ids).WithFloatVectorColumn("vec", dim, vecs).WithVarcharColumn("tag", tags)
	r, err := c.Insert(ctx, opt)
	if err != nil {
		fail("insert: %v", err)
	}
	if r.InsertCount != int64(len(vecs)) {
		fail("insert count %d != %d", r.InsertCount, len(vecs))
	}
}

func insert(ctx context.Context, c *milvusclient.Client, coll string, memory bool) {
	rows, batch, dim := num("rows", 50000), num("batch", 5000), num("dim", 128)
	r := newRng(1)
	doInsert(ctx, c, coll, -16, vectors(r, 16, dim), dim)
	nb := rows / batch
	if memory {
		data := vectors(r, batch, dim)
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		base := statusKB("VmRSS:")
		m := start()
		for b := 0; b < nb; b++ {
			doInsert(ctx, c, coll, 0, data, dim)
		}
		wall, cpu := m.stop()
		report(map[string]any{"ok": true, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu,
			"rss_base_kb": base, "rss_peak_kb": statusKB("VmHWM:")})
		return
	}
	batches := make([][][]float32, nb)
	for b := range batches {
		batches[b] = vectors(r, batch, dim)
	}
	m := start()
	for b, vecs := range batches {
		doInsert(ctx, c, coll, int64(b*batch), vecs, dim)
	}
	wall, cpu := m.stop()
	report(map[string]any{"ok": true, "rows": nb * batch, "wall_s": wall, "cpu_s": cpu})
}

func searchOne(ctx context.Context, c *milvusclient.Client, coll string, q []float32) error {
	rs, err := c.Search(ctx, milvusclient.NewSearchOption(coll, 10, []entity.Vector{entity.FloatVector(q)}).
		WithANNSField("vec").WithOutputFields("tag"))
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if len(rs) != 1 || rs[0].ResultCount != 10 || rs[0].GetColumn("tag") == nil {
		return fmt.Errorf("search: expected 1 query with 10 hits and tag")
	}
	return nil
}

func search(ctx context.Context, c *milvusclient.Client, coll string) {
	n, dim := num("n", 1000), num("dim", 128)
	qs := readQueries(kv["queries"], dim)
	for i := 0; i < 20; i++ {
		if err := searchOne(ctx, c, coll, qs[i%len(qs)]); err != nil {
			fail("%v", err)
		}
	}
	lat := make([]float64, 0, n)
	m := start()
	for i := 0; i < n; i++ {
		t := time.Now()
		if err := searchOne(ctx, c, coll, qs[i%len(qs)]); err != nil {
			fail("%v", err)
		}
		lat = append(lat, float64(time.Since(t).Nanoseconds())/1e3)
	}
	wall, cpu := m.stop()
	sort.Float64s(lat)
	report(map[string]any{"ok": true, "ops": n, "wall_s": wall, "cpu_s": cpu,
		"p50_us": percentile(lat, 50), "p99_us": percentile(lat, 99)})
}

func csearch(ctx context.Context, c *milvusclient.Client, coll string) {
	n, dim, threads := num("n", 2000), num("dim", 128), num("threads", 8)
	qs := readQueries(kv["queries"], dim)
	for i := 0; i < 20; i++ {
		if err := searchOne(ctx, c, coll, qs[i%len(qs)]); err != nil {
			fail("%v", err)
		}
	}
	per := n / threads
	errs := make(chan error, threads)
	var wg sync.WaitGroup
	m := start()
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if err := searchOne(ctx, c, coll, qs[(t*per+i)%len(qs)]); err != nil {
					errs <- err
					return
				}
			}
		}(t)
	}
	wg.Wait()
	wall, cpu := m.stop()
	close(errs)
	if err := <-errs; err != nil {
		fail("%v", err)
	}
	report(map[string]any{"ok": true, "ops": per * threads, "wall_s": wall, "cpu_s": cpu})
}

func queryOnce(ctx context.Context, c *milvusclient.Client, coll string, expect int) {
	rs, err := c.Query(ctx, milvusclient.NewQueryOption(coll).
		WithFilter(fmt.Sprintf("id < %d", expect)).WithOutputFields("tag", "vec"))
	if err != nil {
		fail("query: %v", err)
	}
	if rs.ResultCount != expect || rs.GetColumn("vec") == nil {
		fail("query: %d rows, expected %d with vectors", rs.ResultCount, expect)
	}
}

func query(ctx context.Context, c *milvusclient.Client, coll string) {
	n, expect := num("n", 10), num("expect", 10000)
	queryOnce(ctx, c, coll, expect)
	m := start()
	for i := 0; i < n; i++ {
		queryOnce(ctx, c, coll, expect)
	}
	wall, cpu := m.stop()
	report(map[string]any{"ok": true, "ops": n, "rows": n * expect, "wall_s": wall, "cpu_s": cpu})
}
