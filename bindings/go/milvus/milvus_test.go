package milvus_test

// Against the real servers: MILVUS_URI (Milvus 2.3.5 standalone) and MILVUS_LITE_URI
// (Milvus Lite 2.5.1).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

const dim = 8

type server struct{ name, uri string }

func servers() []server {
	get := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	return []server{
		{"standalone", get("MILVUS_URI", "http://127.0.0.1:19530")},
		{"lite", get("MILVUS_LITE_URI", "http://127.0.0.1:19531")},
	}
}

var seq int64

func unique(prefix string) string {
	return fmt.Sprintf("go_%s_%d_%d_%d", prefix, os.Getpid(), atomic.AddInt64(&seq, 1), time.Now().UnixNano()%100000)
}

func connect(t *testing.T, uri string) *milvus.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := milvus.NewClient(ctx, milvus.Config{URI: uri, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatalf("connecting to %s: %v", uri, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// vec is row i's vector: distinct directions, so each row is its own nearest neighbour.
func vec(i int) []float32 {
	v := make([]float32, dim)
	for j := range v {
		v[j] = float32(math.Sin(float64(i*dim+j) + 1))
	}
	return v
}

// newCollection: quick setup (id INT64, vector, dynamic field), L2, dropped at the end.
func newCollection(t *testing.T, c *milvus.Client) string {
	t.Helper()
	ctx := context.Background()
	name := unique("c")
	err := c.CreateCollection(ctx, milvus.CreateCollectionRequest{
		CollectionName: name, Dimension: dim, MetricType: "L2", ConsistencyLevel: "Strong",
	})
	if err != nil {
		t.Fatalf("create_collection: %v", err)
	}
	t.Cleanup(func() { _ = c.DropCollection(context.Background(), name) })
	return name
}

func num(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a json.Number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func forEachServer(t *testing.T, f func(t *testing.T, c *milvus.Client)) {
	for _, s := range servers() {
		s := s
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			f(t, connect(t, s.uri))
		})
	}
}

func TestMethodsAndVersion(t *testing.T) {
	if !strings.Contains(milvus.Version(), ".") {
		t.Fatalf("version %q", milvus.Version())
	}
	m := milvus.Methods()
	for _, want := range []string{"search", "query", "insert", "create_collection", "list_indexes",
		"list_segments", "optimize", "add_function_field", "drop_function_field",
		"add_collection_struct_field", "close"} {
		found := false
		for _, n := range m {
			found = found || n == want
		}
		if !found {
			t.Errorf("Methods() lacks %q (has %d)", want, len(m))
		}
	}
	if milvus.StatusClosed.String() != "MILVUS_ERR_CLOSED" {
		t.Errorf("status name %q", milvus.StatusClosed.String())
	}
	if milvus.StatusCollectionNotFound.String() != "MILVUS_ERR_COLLECTION_NOT_FOUND" {
		t.Errorf("status name %q", milvus.StatusCollectionNotFound.String())
	}
}

func TestCollectionLifecycle(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		name := unique("life")
		schema := &milvus.Schema{Fields: []milvus.Field{
			{Name: "pk", Type: milvus.TypeVarChar, IsPrimary: true, MaxLength: 64},
			{Name: "score", Type: milvus.TypeDouble},
			{Name: "emb", Type: milvus.TypeFloatVector, Dim: dim},
		}}
		if err := c.CreateCollection(ctx, milvus.CreateCollectionRequest{CollectionName: name, Schema: schema}); err != nil {
			t.Fatal(err)
		}
		defer c.DropCollection(ctx, name)
		ok, err := c.HasCollection(ctx, name)
		if err != nil || !ok {
			t.Fatalf("has_collection: %v %v", ok, err)
		}
		names, err := c.ListCollections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sort.StringSlice(names).Len() == 0 || !contains(names, name) {
			t.Fatalf("list_collections %v lacks %s", names, name)
		}
		info, err := c.DescribeCollection(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if info.Name != name || len(info.Fields) != 3 || info.Fields[0].Name != "pk" ||
			!info.Fields[0].IsPrimary || info.Fields[2].Type != milvus.TypeFloatVector ||
			fmt.Sprint(info.Fields[2].Params["dim"]) != fmt.Sprint(dim) {
			t.Fatalf("describe_collection: %+v", info)
		}
		err = c.CreateIndex(ctx, name, milvus.IndexParam{FieldName: "emb", IndexType: "FLAT", MetricType: "IP"})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.LoadCollection(ctx, name); err != nil {
			t.Fatal(err)
		}
		res, err := c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.VarCharColumn("pk", []string{"a", "b"}),
			milvus.DoubleColumn("score", []float64{0.5, 1.5}),
			milvus.FloatVectorsColumn("emb", [][]float32{vec(1), vec(2)}),
		}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != 2 || fmt.Sprint(res.IDs.Str) != "[a b]" {
			t.Fatalf("insert: %+v", res)
		}
		if err := c.Flush(ctx, name); err != nil {
			t.Fatal(err)
		}
		rows, err := c.Get(ctx, milvus.GetRequest{CollectionName: name, IDs: milvus.StringIDs("b"), OutputFields: []string{"score"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0]["pk"] != "b" || rows[0]["score"].(json.Number).String() != "1.5" {
			t.Fatalf("get: %v", rows)
		}
		sr, err := c.Search(ctx, milvus.SearchRequest{CollectionName: name, AnnsField: "emb",
			Vectors: [][]float32{vec(2)}, Limit: 2, OutputFields: []string{"score"},
			SearchParams: map[string]any{"metric_type": "IP"}})
		if err != nil {
			t.Fatal(err)
		}
		scores, _ := sr[0].Fields["score"].([]float64)
		if fmt.Sprint(sr[0].IDs.Str) != "[b a]" || fmt.Sprint(scores) != "[1.5 0.5]" || sr[0].Distances[0] < sr[0].Distances[1] {
			t.Fatalf("search by string keys: %+v", sr[0])
		}
		// Typed upsert replaces "a".
		up, err := c.Upsert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.VarCharColumn("pk", []string{"a"}),
			milvus.DoubleColumn("score", []float64{7}),
			milvus.FloatVectorColumn("emb", dim, vec(1)),
		}})
		if err != nil || up.Count != 1 || fmt.Sprint(up.IDs.Str) != "[a]" {
			t.Fatalf("typed upsert: %+v %v", up, err)
		}
		rows, err = c.Query(ctx, milvus.QueryRequest{CollectionName: name, Filter: `pk == "a"`,
			OutputFields: []string{"score"}, ConsistencyLevel: "Strong"})
		if err != nil || len(rows) != 1 || fmt.Sprint(rows[0]["score"]) != "7.0" {
			t.Fatalf("after typed upsert: %v %v", rows, err)
		}
		// Column errors found before sending.
		_, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.VarCharColumn("pk", []string{"x"}),
			milvus.DoubleColumn("score", []float64{1}),
			milvus.FloatVectorColumn("emb", dim-1, vec(1)[:dim-1]),
		}})
		if milvus.StatusOf(err) != milvus.StatusDimensionMismatch {
			t.Fatalf("short vector column: %v", err)
		}
		_, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.VarCharColumn("pk", []string{"x", "y"}),
			milvus.DoubleColumn("score", []float64{1}),
		}})
		if milvus.StatusOf(err) != milvus.StatusInvalidArgument {
			t.Fatalf("ragged columns: %v", err)
		}
		if err := c.ReleaseCollection(ctx, name); err != nil {
			t.Fatal(err)
		}
		if err := c.DropCollection(ctx, name); err != nil {
			t.Fatal(err)
		}
		if ok, err := c.HasCollection(ctx, name); err != nil || ok {
			t.Fatalf("has_collection after drop: %v %v", ok, err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDataRoundTrip(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		name := newCollection(t, c)

		// Rows as structs through the JSON path, ids 0..9.
		type row struct {
			ID     int64     `json:"id"`
			Vector []float32 `json:"vector"`
			Color  string    `json:"color"`
		}
		var rows []row
		for i := 0; i < 10; i++ {
			rows = append(rows, row{int64(i), vec(i), []string{"red", "blue"}[i%2]})
		}
		res, err := c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != 10 || len(res.IDs.Int) != 10 || res.IDs.Int[9] != 9 {
			t.Fatalf("insert rows: %+v", res)
		}
		// Columns, ids 10..19, with a large id to check int64 exactness.
		ids := make([]int64, 10)
		flat := make([]float32, 0, 10*dim)
		meta := make([]json.RawMessage, 10)
		for i := range ids {
			ids[i] = int64(10 + i)
			flat = append(flat, vec(10+i)...)
			meta[i] = json.RawMessage(fmt.Sprintf(`{"color": "green", "n": %d}`, i))
		}
		ids[9] = 1<<62 + 7
		res, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.Int64Column("id", ids),
			milvus.FloatVectorColumn("vector", dim, flat),
			milvus.JSONColumn("$meta", meta),
		}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != 10 || res.IDs.Int[9] != 1<<62+7 {
			t.Fatalf("insert columns: %+v", res)
		}

		// Search: each query's nearest row is the row it was made from.
		sr, err := c.Search(ctx, milvus.SearchRequest{
			CollectionName: name, Vectors: [][]float32{vec(3), vec(15)}, Limit: 3,
			OutputFields: []string{"color"}, ConsistencyLevel: "Strong",
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(sr) != 2 || sr[0].Len() != 3 || sr[1].Len() != 3 {
			t.Fatalf("search: %v", sr)
		}
		if sr[0].IDs.Int[0] != 3 || sr[1].IDs.Int[0] != 15 {
			t.Fatalf("search nearest: %v %v", sr[0].IDs, sr[1].IDs)
		}
		if sr[0].Distances[0] > 1e-5 || sr[0].Distances[1] < sr[0].Distances[0] {
			t.Fatalf("search distances: %v", sr[0].Distances)
		}
		colors, ok := sr[0].Fields["color"].([]string)
		if !ok || colors[0] != "blue" {
			t.Fatalf("search color column: %#v", sr[0].Fields)
		}
		if c2, _ := sr[1].Fields["color"].([]string); len(c2) == 0 || c2[0] != "green" {
			t.Fatalf("search dynamic color: %#v", sr[1].Fields)
		}
		// Filtered search.
		sr, err = c.Search(ctx, milvus.SearchRequest{
			CollectionName: name, Vectors: [][]float32{vec(3)}, Limit: 20, Filter: `color == "red"`,
		})
		if err != nil {
			t.Fatal(err)
		}
		if sr[0].Len() != 5 {
			t.Fatalf("filtered search: %d hits, want 5", sr[0].Len())
		}
		for _, id := range sr[0].IDs.Int {
			if id%2 != 0 || id >= 10 {
				t.Fatalf("filtered search returned id %d", id)
			}
		}

		// Query with a filter and a typed decode.
		got, err := c.Query(ctx, milvus.QueryRequest{
			CollectionName: name, Filter: "id >= 10", OutputFields: []string{"id", "n"},
			ConsistencyLevel: "Strong",
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 10 {
			t.Fatalf("query: %d rows", len(got))
		}
		big := false
		for _, r := range got {
			big = big || num(t, r["id"]) == 1<<62+7
		}
		if !big {
			t.Fatalf("query lost the large id: %v", got)
		}
		var typed []row
		if err := c.QueryInto(ctx, milvus.QueryRequest{CollectionName: name, Filter: "id in [4]",
			OutputFields: []string{"*"}}, &typed); err != nil {
			t.Fatal(err)
		}
		if len(typed) != 1 || typed[0].Color != "red" || typed[0].Vector[2] != vec(4)[2] {
			t.Fatalf("query into structs: %+v", typed)
		}
		count, err := c.Query(ctx, milvus.QueryRequest{CollectionName: name, OutputFields: []string{"count(*)"}})
		if err != nil || num(t, count[0]["count(*)"]) != 20 {
			t.Fatalf("count: %v %v", count, err)
		}

		// Upsert changes row 2, delete removes rows 0 and 1.
		ur, err := c.Upsert(ctx, milvus.InsertRequest{CollectionName: name, Rows: []milvus.Row{
			{"id": 2, "vector": vec(2), "color": "purple"},
		}})
		if err != nil || ur.Count != 1 || ur.IDs.Int[0] != 2 {
			t.Fatalf("upsert: %+v %v", ur, err)
		}
		n, err := c.Delete(ctx, milvus.DeleteRequest{CollectionName: name, IDs: &milvus.IDs{Int: []int64{0, 1}}})
		if err != nil || n != 2 {
			t.Fatalf("delete: %d %v", n, err)
		}
		g, err := c.Get(ctx, milvus.GetRequest{CollectionName: name, IDs: milvus.Int64IDs(0, 1, 2),
			OutputFields: []string{"color"}, ConsistencyLevel: "Strong"})
		if err != nil {
			t.Fatal(err)
		}
		if len(g) != 1 || num(t, g[0]["id"]) != 2 || g[0]["color"] != "purple" {
			t.Fatalf("get after upsert/delete: %v", g)
		}
		// Delete by filter.
		n, err = c.Delete(ctx, milvus.DeleteRequest{CollectionName: name, Filter: "id >= 10"})
		if err != nil {
			t.Fatal(err)
		}
		count, err = c.Query(ctx, milvus.QueryRequest{CollectionName: name, OutputFields: []string{"count(*)"},
			ConsistencyLevel: "Strong"})
		if err != nil || num(t, count[0]["count(*)"]) != 8 {
			t.Fatalf("count after deletes (delete said %d): %v %v", n, count, err)
		}
	})
}

func TestErrors(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		missing := unique("missing")
		_, err := c.DescribeCollection(ctx, missing)
		var e *milvus.Error
		if !errors.As(err, &e) {
			t.Fatalf("describe missing: %v is not a *milvus.Error", err)
		}
		if e.Status != milvus.StatusCollectionNotFound || !milvus.IsNotFound(err) || e.Retriable {
			t.Fatalf("describe missing: %+v", e)
		}
		if !strings.Contains(e.Message, missing) && e.ServerCode == 0 {
			t.Fatalf("describe missing: neither the name nor a server code: %+v", e)
		}
		_, err = c.Search(ctx, milvus.SearchRequest{CollectionName: missing, Vectors: [][]float32{vec(0)}})
		if milvus.StatusOf(err) != milvus.StatusCollectionNotFound {
			t.Fatalf("search missing: %v", err)
		}
		// Bad arguments are found before sending.
		name := newCollection(t, c)
		_, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Rows: []milvus.Row{{"id": 1, "vector": []float32{1, 2}}}})
		if milvus.StatusOf(err) != milvus.StatusDimensionMismatch {
			t.Fatalf("short vector: %v", err)
		}
		_, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name})
		if milvus.StatusOf(err) != milvus.StatusInvalidArgument {
			t.Fatalf("insert without data: %v", err)
		}
		_, err = c.Call(ctx, "no_such_method", nil)
		if milvus.StatusOf(err) != milvus.StatusUnknownMethod {
			t.Fatalf("unknown method: %v", err)
		}
		_, err = c.Call(ctx, "has_collection", map[string]any{"collection_name": name, "colour": 1})
		if !errors.As(err, &e) || e.Status != milvus.StatusInvalidArgument || !strings.Contains(e.Message, "colour") {
			t.Fatalf("unknown key: %v", err)
		}
	})
}

func TestCall(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		name := newCollection(t, c)
		raw, err := c.Call(ctx, "get_load_state", map[string]any{"collection_name": name})
		if err != nil {
			t.Fatal(err)
		}
		if string(raw) != `{"state":"Loaded"}` {
			t.Fatalf("get_load_state: %s", raw)
		}
		// The caller's own timeout wins over the context's deadline; a bad one is refused,
		// which shows it reached the library unchanged.
		dctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err = c.Call(dctx, "list_indexes", json.RawMessage(`{"collection_name": "`+name+`", "timeout": -1}`))
		if milvus.StatusOf(err) != milvus.StatusInvalidArgument {
			t.Fatalf("explicit timeout: %v", err)
		}
		raw, err = c.Call(dctx, "list_indexes", map[string]string{"collection_name": name})
		if err != nil || string(raw) != `["vector"]` {
			t.Fatalf("list_indexes: %s %v", raw, err)
		}
		// A deadline beyond what the library takes as a timeout means none.
		far, cancel2 := context.WithDeadline(ctx, time.Now().AddDate(200, 0, 0))
		defer cancel2()
		if ok, err := c.HasCollection(far, name); err != nil || !ok {
			t.Fatalf("far deadline: %v %v", ok, err)
		}
	})
}

func TestContextDeadline(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		// An already-expired context never reaches the server.
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := c.ListCollections(ctx)
		var e *milvus.Error
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &e) || e.Status != milvus.StatusTimeout {
			t.Fatalf("expired context: %v", err)
		}
	})
	// A server that stops answering: the context's deadline becomes the call's timeout. The
	// client's own default (a minute) would otherwise apply.
	for _, s := range servers() {
		s := s
		t.Run("stalled_"+s.name, func(t *testing.T) {
			t.Parallel()
			p := newStallProxy(t, strings.TrimPrefix(s.uri, "http://"))
			c := connect(t, p.uri())
			if _, err := c.ListCollections(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.setStalled(false) })
			p.setStalled(true)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.ListCollections(ctx)
			took := time.Since(start)
			var e *milvus.Error
			if !errors.As(err, &e) || e.Status != milvus.StatusTimeout || !errors.Is(err, context.DeadlineExceeded) || !milvus.IsTimeout(err) {
				t.Fatalf("stalled call: %v (%T)", err, err)
			}
			if e.Message == context.DeadlineExceeded.Error() {
				t.Fatalf("the call never reached the library: %+v", e)
			}
			if took < 250*time.Millisecond || took > 5*time.Second {
				t.Fatalf("the deadline was not applied: the call took %v", took)
			}
			// The connection works again once the server answers.
			p.setStalled(false)
			if _, err := c.ListCollections(context.Background()); err != nil {
				t.Fatalf("after the stall: %v", err)
			}
		})
	}
}

// Cancelling the context cancels the call in the library, even with no deadline.
func TestContextCancel(t *testing.T) {
	for _, s := range servers() {
		s := s
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			p := newStallProxy(t, strings.TrimPrefix(s.uri, "http://"))
			c := connect(t, p.uri())
			name := newCollection(t, c)
			t.Cleanup(func() { p.setStalled(false) }) // before the drop, even on failure
			p.setStalled(true)
			calls := map[string]func(ctx context.Context) error{
				"list_collections": func(ctx context.Context) error { _, err := c.ListCollections(ctx); return err },
				"search": func(ctx context.Context) error {
					_, err := c.Search(ctx, milvus.SearchRequest{CollectionName: name, Vectors: [][]float32{vec(1)}})
					return err
				},
			}
			for what, call := range calls {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(200*time.Millisecond, cancel)
				start := time.Now()
				err := call(ctx)
				took := time.Since(start)
				var e *milvus.Error
				if !errors.As(err, &e) || e.Status != milvus.StatusCancelled || !errors.Is(err, context.Canceled) || !milvus.IsCancelled(err) {
					t.Fatalf("%s: cancelled call: %v", what, err)
				}
				if took < 150*time.Millisecond || took > 5*time.Second {
					t.Fatalf("%s: cancelled after %v", what, took)
				}
			}
			p.setStalled(false)
			if ok, err := c.HasCollection(context.Background(), name); err != nil || !ok {
				t.Fatalf("after cancelling: %v %v", ok, err)
			}
		})
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		name := newCollection(t, c)
		var rows []milvus.Row
		for i := 0; i < 64; i++ {
			rows = append(rows, milvus.Row{"id": i, "vector": vec(i)})
		}
		if _, err := c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Rows: rows}); err != nil {
			t.Fatal(err)
		}
		const workers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for k := 0; k < each; k++ {
					i := (w*each + k) % 64
					sr, err := c.Search(ctx, milvus.SearchRequest{CollectionName: name,
						Vectors: [][]float32{vec(i)}, Limit: 1, ConsistencyLevel: "Strong"})
					if err != nil {
						errs <- err
						continue
					}
					if sr[0].Len() != 1 || sr[0].IDs.Int[0] != int64(i) {
						errs <- fmt.Errorf("worker %d: nearest to %d is %v", w, i, sr[0].IDs)
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// Close while goroutines are calling: each call succeeds or reports ErrClosed.
func TestCloseUnderLoad(t *testing.T) {
	c := connect(t, servers()[1].uri)
	var wg sync.WaitGroup
	var ok, closed int64
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := c.ListCollections(context.Background())
				switch {
				case err == nil:
					atomic.AddInt64(&ok, 1)
				case errors.Is(err, milvus.ErrClosed):
					atomic.AddInt64(&closed, 1)
					return
				default:
					t.Errorf("call during close: %v", err)
					return
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	c.Close()
	wg.Wait()
	if ok == 0 || closed != 6 {
		t.Fatalf("%d calls succeeded, %d goroutines saw ErrClosed", ok, closed)
	}
}

func TestClose(t *testing.T) {
	c := connect(t, servers()[0].uri)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListCollections(context.Background()); !errors.Is(err, milvus.ErrClosed) {
		t.Fatalf("call after close: %v", err)
	}
}

func TestConnectErrors(t *testing.T) {
	ctx := context.Background()
	_, err := milvus.NewClient(ctx, milvus.Config{URI: "ftp://127.0.0.1:1"})
	if milvus.StatusOf(err) != milvus.StatusInvalidURI {
		t.Fatalf("bad scheme: %v", err)
	}
	// Nothing listens on port 1.
	_, err = milvus.NewClient(ctx, milvus.Config{URI: "http://127.0.0.1:1", Timeout: 2 * time.Second})
	if milvus.StatusOf(err) != milvus.StatusConnect {
		t.Fatalf("closed port: %v", err)
	}
	// A context that ends first wins.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = milvus.NewClient(cctx, milvus.Config{URI: servers()[0].uri})
	if !errors.Is(err, context.Canceled) || !milvus.IsCancelled(err) {
		t.Fatalf("cancelled connect: %v", err)
	}
	// TLS options reach the library: an unreadable CA file is a TLS error, named.
	_, err = milvus.NewClient(ctx, milvus.Config{URI: servers()[0].uri, Timeout: 5 * time.Second,
		TLS: &milvus.TLSConfig{CAPemPath: "/nonexistent/ca.pem"}})
	var e *milvus.Error
	if !errors.As(err, &e) || e.Status != milvus.StatusTLS || !strings.Contains(e.Message, "/nonexistent/ca.pem") {
		t.Fatalf("unreadable CA: %v", err)
	}
	// A database that does not exist: the server says so at the first call.
	c, err := milvus.NewClient(ctx, milvus.Config{URI: servers()[0].uri, DBName: unique("nodb")})
	if err == nil {
		defer c.Close()
		_, err = c.ListCollections(ctx)
	}
	if milvus.StatusOf(err) != milvus.StatusDatabaseNotFound {
		t.Fatalf("missing database: %v", err)
	}
}

// Config.DBName selects the database of every call.
func TestDatabase(t *testing.T) {
	ctx := context.Background()
	uri := servers()[0].uri
	admin := connect(t, uri)
	db := unique("db")
	if _, err := admin.Call(ctx, "create_database", map[string]string{"db_name": db}); err != nil {
		t.Fatal(err)
	}
	defer admin.Call(ctx, "drop_database", map[string]string{"db_name": db})
	c, err := milvus.NewClient(ctx, milvus.Config{URI: uri, DBName: db, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name := unique("indb")
	if err := c.CreateCollection(ctx, milvus.CreateCollectionRequest{CollectionName: name, Dimension: dim}); err != nil {
		t.Fatal(err)
	}
	defer c.DropCollection(ctx, name)
	in, err := c.ListCollections(ctx)
	if err != nil || fmt.Sprint(in) != fmt.Sprint([]string{name}) {
		t.Fatalf("collections of %s: %v %v", db, in, err)
	}
	if ok, err := admin.HasCollection(ctx, name); err != nil || ok {
		t.Fatalf("the default database has %s: %v %v", name, ok, err)
	}
}

// Every scalar column type goes in through the typed path and comes back typed from search.
func TestTypedColumns(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		name := unique("typed")
		schema := &milvus.Schema{Fields: []milvus.Field{
			{Name: "pk", Type: milvus.TypeInt64, IsPrimary: true},
			{Name: "b", Type: milvus.TypeBool},
			{Name: "i8", Type: milvus.TypeInt8},
			{Name: "i16", Type: milvus.TypeInt16},
			{Name: "i32", Type: milvus.TypeInt32},
			{Name: "f", Type: milvus.TypeFloat},
			{Name: "d", Type: milvus.TypeDouble},
			{Name: "s", Type: milvus.TypeVarChar, MaxLength: 32},
			{Name: "j", Type: milvus.TypeJSON},
			{Name: "v", Type: milvus.TypeFloatVector, Dim: dim},
		}}
		err := c.CreateCollection(ctx, milvus.CreateCollectionRequest{CollectionName: name, Schema: schema,
			IndexParams: []milvus.IndexParam{{FieldName: "v", IndexType: "FLAT", MetricType: "L2"}}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.DropCollection(ctx, name)
		_, err = c.Insert(ctx, milvus.InsertRequest{CollectionName: name, Columns: []milvus.Column{
			milvus.Int64Column("pk", []int64{-5, 6, 7}),
			milvus.BoolColumn("b", []bool{true, false, true}),
			milvus.Int8Column("i8", []int8{-128, 0, 127}),
			milvus.Int16Column("i16", []int16{-32768, 1, 32767}),
			milvus.Int32Column("i32", []int32{-1 << 31, 2, 1<<31 - 1}),
			milvus.FloatColumn("f", []float32{0.25, 1.5, -3}),
			milvus.DoubleColumn("d", []float64{1e300, 2, 3}),
			milvus.VarCharColumn("s", []string{"héllo", "", "x\x00y"}),
			milvus.JSONColumn("j", []json.RawMessage{[]byte(`{"a": [1, 2]}`), []byte(`{}`), []byte(`{"t": true}`)}),
			milvus.FloatVectorsColumn("v", [][]float32{vec(0), vec(1), vec(2)}),
		}})
		if err != nil {
			t.Fatal(err)
		}
		sr, err := c.Search(ctx, milvus.SearchRequest{CollectionName: name, Vectors: [][]float32{vec(0)}, Limit: 1,
			OutputFields: []string{"b", "i8", "i16", "i32", "f", "d", "s", "j", "v"}, ConsistencyLevel: "Strong"})
		if err != nil {
			t.Fatal(err)
		}
		r := sr[0]
		if r.Len() != 1 || r.IDs.Int[0] != -5 {
			t.Fatalf("hits: %+v", r)
		}
		var j bytes.Buffer
		if err := json.Compact(&j, r.Fields["j"].([]json.RawMessage)[0]); err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%v %v %v %v %v %v %q %s", r.Fields["b"], r.Fields["i8"], r.Fields["i16"], r.Fields["i32"],
			r.Fields["f"], r.Fields["d"], r.Fields["s"], j.String())
		want := `[true] [-128] [-32768] [-2147483648] [0.25] [1e+300] ["héllo"] {"a":[1,2]}`
		if got != want {
			t.Fatalf("fields:\n got %s\nwant %s", got, want)
		}
		if v := r.Fields["v"].([][]float32); len(v) != 1 || fmt.Sprint(v[0]) != fmt.Sprint(vec(0)) {
			t.Fatalf("vector: %v", v)
		}
		// An interior NUL and the empty string survive the string packing.
		rows, err := c.Query(ctx, milvus.QueryRequest{CollectionName: name, Filter: "pk > 0", OutputFields: []string{"s"},
			ConsistencyLevel: "Strong"})
		if err != nil {
			t.Fatal(err)
		}
		ss := []string{fmt.Sprint(rows[0]["s"]), fmt.Sprint(rows[1]["s"])}
		sort.Strings(ss)
		if fmt.Sprintf("%q", ss) != `["" "x\x00y"]` {
			t.Fatalf("strings: %q", ss)
		}
	})
}
