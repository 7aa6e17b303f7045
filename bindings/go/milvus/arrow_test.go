package milvus_test

import (
	"context"
	"errors"
	"testing"
	"unsafe"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

// The C structs of the Arrow C Data Interface, read from Go.
type cSchema struct {
	format, name, metadata *byte
	flags, nChildren       int64
	children               unsafe.Pointer // struct ArrowSchema **
	dictionary, release    unsafe.Pointer
	private                unsafe.Pointer
}

type cArray struct {
	length, nullCount, offset, nBuffers, nChildren int64
	buffers                                        unsafe.Pointer // const void **
	children                                       unsafe.Pointer // struct ArrowArray **
	dictionary, release, private                   unsafe.Pointer
}

func cstr(p *byte) string {
	var b []byte
	for q := p; *q != 0; q = (*byte)(unsafe.Add(unsafe.Pointer(q), 1)) {
		b = append(b, *q)
	}
	return string(b)
}

// child returns the schema and array of the batch's child named name.
func child(s *cSchema, a *cArray, name string) (*cSchema, *cArray) {
	ss := unsafe.Slice((**cSchema)(s.children), s.nChildren)
	as := unsafe.Slice((**cArray)(a.children), a.nChildren)
	for i := range ss {
		if cstr(ss[i].name) == name {
			return ss[i], as[i]
		}
	}
	return nil, nil
}

func buffer[T any](a *cArray, i int, n int) []T {
	return unsafe.Slice((*T)(unsafe.Slice((*unsafe.Pointer)(a.buffers), a.nBuffers)[i]), n)
}

func TestArrow(t *testing.T) {
	forEachServer(t, func(t *testing.T, c *milvus.Client) {
		ctx := context.Background()
		schema := &milvus.Schema{Fields: []milvus.Field{
			{Name: "pk", Type: milvus.TypeInt64, IsPrimary: true},
			{Name: "s", Type: milvus.TypeVarChar, MaxLength: 16},
			{Name: "v", Type: milvus.TypeFloatVector, Dim: dim},
		}}
		names := []string{unique("arrow"), unique("arrow_in")}
		for _, n := range names {
			err := c.CreateCollection(ctx, milvus.CreateCollectionRequest{CollectionName: n, Schema: schema,
				IndexParams: []milvus.IndexParam{{FieldName: "v", IndexType: "FLAT", MetricType: "L2"}}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.DropCollection(ctx, n)
		}
		const rows = 10
		pks, tags, vs := make([]int64, rows), make([]string, rows), make([][]float32, rows)
		for i := range pks {
			pks[i], tags[i], vs[i] = int64(i), string(rune('a'+i)), vec(i)
		}
		if _, err := c.Insert(ctx, milvus.InsertRequest{CollectionName: names[0], Columns: []milvus.Column{
			milvus.Int64Column("pk", pks), milvus.VarCharColumn("s", tags), milvus.FloatVectorsColumn("v", vs),
		}}); err != nil {
			t.Fatal(err)
		}

		// Out: the rows as one struct array, read through the C structs.
		var s cSchema
		var a cArray
		err := c.QueryArrow(ctx, milvus.QueryRequest{CollectionName: names[0], Filter: "pk >= 0", Limit: 100,
			OutputFields: []string{"pk", "s", "v"}, ConsistencyLevel: "Strong"}, unsafe.Pointer(&s), unsafe.Pointer(&a))
		if err != nil {
			t.Fatal(err)
		}
		if cstr(s.format) != "+s" || a.length != rows || a.nChildren != 3 {
			t.Fatalf("batch: format %q, %d rows, %d children", cstr(s.format), a.length, a.nChildren)
		}
		_, pkA := child(&s, &a, "pk")
		vS, vA := child(&s, &a, "v")
		if pkA == nil || vA == nil || cstr(vS.format) != "+w:8" {
			t.Fatal("children pk and v (fixed_size_list<float32>[8]) expected")
		}
		ids := buffer[int64](pkA, 1, rows)
		items := buffer[float32](unsafe.Slice((**cArray)(vA.children), 1)[0], 1, rows*dim)
		for r, id := range ids {
			for k := 0; k < dim; k++ {
				if items[r*dim+k] != vec(int(id))[k] {
					t.Fatalf("row %d (pk %d) element %d: %v, want %v", r, id, k, items[r*dim+k], vec(int(id))[k])
				}
			}
		}

		// In: the same batch inserted into the second collection; the structs are taken over.
		w, err := c.InsertArrow(ctx, names[1], unsafe.Pointer(&s), unsafe.Pointer(&a))
		if err != nil || w.Count != rows {
			t.Fatalf("InsertArrow: %+v, %v", w, err)
		}
		if s.release != nil || a.release != nil {
			t.Fatal("InsertArrow left the structs unreleased")
		}
		back, err := c.Query(ctx, milvus.QueryRequest{CollectionName: names[1], Filter: "pk >= 0", Limit: 100,
			OutputFields: []string{"s"}, ConsistencyLevel: "Strong"})
		if err != nil || len(back) != rows {
			t.Fatalf("read back: %d rows, %v", len(back), err)
		}

		// A search: one row per hit, query_index, id and distance first.
		err = c.SearchArrow(ctx, milvus.SearchRequest{CollectionName: names[0], Vectors: [][]float32{vec(3)},
			Limit: 2, ConsistencyLevel: "Strong"}, unsafe.Pointer(&s), unsafe.Pointer(&a))
		if err != nil {
			t.Fatal(err)
		}
		first := unsafe.Slice((**cSchema)(s.children), s.nChildren)
		_, idA := child(&s, &a, "id")
		if a.length != 2 || cstr(first[0].name) != "query_index" || idA == nil || buffer[int64](idA, 1, 2)[0] != 3 {
			t.Fatalf("search batch: %d rows, first child %q", a.length, cstr(first[0].name))
		}
		milvus.ReleaseArrow(unsafe.Pointer(&s), unsafe.Pointer(&a))
		if s.release != nil || a.release != nil {
			t.Fatal("ReleaseArrow left the structs unreleased")
		}

		// Released structs and nil pointers are refused with their statuses.
		var e *milvus.Error
		if _, err := c.InsertArrow(ctx, names[1], unsafe.Pointer(&s), unsafe.Pointer(&a)); !errors.As(err, &e) ||
			e.Status != milvus.StatusInvalidArgument {
			t.Fatalf("released structs: %v", err)
		}
		if _, err := c.InsertArrow(ctx, names[1], nil, nil); !errors.As(err, &e) || e.Status != milvus.StatusNullArgument {
			t.Fatalf("nil structs: %v", err)
		}
		if err := c.QueryArrow(ctx, milvus.QueryRequest{CollectionName: names[0]}, nil, nil); !errors.As(err, &e) ||
			e.Status != milvus.StatusNullArgument {
			t.Fatalf("nil out-structs: %v", err)
		}
	})
}
