package milvus

// The Arrow C Data Interface (docs/typed-api.md): typed results out, and columns in, as
// struct ArrowSchema / struct ArrowArray pairs given as raw pointers. Any Arrow library for Go
// reads and writes them, e.g. arrow-go's cdata package (CArrowSchema, CArrowArray,
// ImportCRecordBatch, ExportArrowRecordBatch), so this package needs no Arrow dependency.
//
// The structs may live in C memory or in Go memory holding no Go pointers (the library writes
// C pointers into them and keeps no pointer to them after the call).

// #include <stdlib.h>
// #include <milvus.h>
//
// static void milvus_go_release_arrow(struct ArrowSchema *s, struct ArrowArray *a) {
//     if (s != NULL && s->release != NULL) s->release(s);
//     if (a != NULL && a->release != NULL) a->release(a);
// }
import "C"

import (
	"context"
	"unsafe"
)

// QueryArrow runs a query (as Query) and writes its rows into *schema and *array as one Arrow
// struct array (a record batch), a child per output field. The caller owns them and releases
// them (ReleaseArrow, or the Arrow library that imports them). Vector columns are not copied:
// the batch shares the decoded reply, kept alive until it is released.
func (c *Client) QueryArrow(ctx context.Context, req QueryRequest, schema, array unsafe.Pointer) error {
	return c.typedArrow(ctx, "query", mustJSON(req), schema, array)
}

// SearchArrow runs a search (as Search) and writes its hits as one Arrow struct array: one row
// per hit, grouped by query, with the children query_index, id and distance first, then the
// output fields. Ownership as for QueryArrow.
func (c *Client) SearchArrow(ctx context.Context, req SearchRequest, schema, array unsafe.Pointer) error {
	if len(req.Vectors) == 0 {
		return &Error{Status: StatusMissingField, Message: "search: no query vectors"}
	}
	args := struct {
		searchArgs
		Data [][]float32 `json:"data"`
	}{req.args(), req.Vectors}
	return c.typedArrow(ctx, "search", mustJSON(args), schema, array)
}

func (c *Client) typedArrow(ctx context.Context, method string, args []byte, schema, array unsafe.Pointer) error {
	if schema == nil || array == nil {
		return &Error{Status: StatusNullArgument, Message: method + ": the Arrow schema and array must not be nil"}
	}
	return c.run(ctx, true, func(cl *C.milvus_client, o callOpts) error {
		comp, err := await(ctx, cl, o.callID, startTyped(cl, method, o.addTo(args, false)))
		if err != nil {
			return err
		}
		r, err := takeTyped(comp)
		if err != nil {
			return err
		}
		defer C.milvus_result_free(r)
		var cerr *C.milvus_error
		st := C.milvus_result_export_arrow(r, (*C.struct_ArrowSchema)(schema), (*C.struct_ArrowArray)(array), &cerr)
		if st != C.MILVUS_OK {
			return takeError(st, cerr)
		}
		return nil
	})
}

// InsertArrow inserts the rows of an Arrow struct array (a record batch): each child is the
// column of the same name (see docs/typed-api.md for the types). It takes ownership of both
// structs, as Arrow's importers do, whatever the outcome: they are left released.
func (c *Client) InsertArrow(ctx context.Context, collection string, schema, array unsafe.Pointer) (*WriteResult, error) {
	return c.writeArrow(ctx, "insert", collection, schema, array)
}

// UpsertArrow is InsertArrow replacing rows with the same primary keys.
func (c *Client) UpsertArrow(ctx context.Context, collection string, schema, array unsafe.Pointer) (*WriteResult, error) {
	return c.writeArrow(ctx, "upsert", collection, schema, array)
}

func (c *Client) writeArrow(ctx context.Context, method, collection string, schema, array unsafe.Pointer) (*WriteResult, error) {
	s, a := (*C.struct_ArrowSchema)(schema), (*C.struct_ArrowArray)(array)
	n := C.size_t(1) // a released or empty array: the library names the problem
	if a != nil && a.release != nil && a.length > 0 {
		n = C.size_t(a.length)
	}
	var b *C.milvus_columns
	var cerr *C.milvus_error
	if st := C.milvus_columns_new(n, &b, &cerr); st != C.MILVUS_OK {
		C.milvus_go_release_arrow(s, a)
		return nil, takeError(st, cerr)
	}
	defer C.milvus_columns_free(b)
	if st := C.milvus_columns_add_arrow(b, s, a, &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	return c.writeBuilt(ctx, method, InsertRequest{CollectionName: collection}, b)
}

// ReleaseArrow calls the release callbacks of a struct ArrowSchema and a struct ArrowArray
// that are not released yet (Go cannot call a C function pointer itself). Either may be nil.
func ReleaseArrow(schema, array unsafe.Pointer) {
	C.milvus_go_release_arrow((*C.struct_ArrowSchema)(schema), (*C.struct_ArrowArray)(array))
}
