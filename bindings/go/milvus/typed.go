package milvus

// The typed path (docs/typed-api.md): columns go to the library as raw arrays and results
// are read through accessors, with no JSON text for the data.
//
// Go memory handed to the library (numeric slices, vector blocks) holds no Go pointers and is
// only read during the call, as the cgo pointer rules require. Strings are different: the
// library takes an array of pointers, which may not point into Go memory from C memory, so
// they are packed into one C allocation first. Result views are borrowed from the
// milvus_result; everything is copied into Go slices once, before the result is freed.

// #include <stdlib.h>
// #include <milvus.h>
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"unsafe"
)

// buildColumns makes a milvus_columns from Go columns. The caller frees it.
func buildColumns(cols []Column) (*C.milvus_columns, error) {
	n, err := checkColumns(cols)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, &Error{Status: StatusInvalidArgument, Message: "the columns have no rows"}
	}
	var b *C.milvus_columns
	var cerr *C.milvus_error
	if st := C.milvus_columns_new(C.size_t(n), &b, &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	for _, col := range cols {
		if err := addColumn(b, col); err != nil {
			C.milvus_columns_free(b)
			return nil, err
		}
	}
	return b, nil
}

func addColumn(b *C.milvus_columns, col Column) error {
	name := cString(col.Name())
	n := C.size_t(col.Len())
	var st C.milvus_status
	var cerr *C.milvus_error
	switch c := col.(type) {
	case *column[bool]:
		st = C.milvus_columns_add_bool(b, name, (*C.bool)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[int8]:
		st = C.milvus_columns_add_int8(b, name, (*C.int8_t)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[int16]:
		st = C.milvus_columns_add_int16(b, name, (*C.int16_t)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[int32]:
		st = C.milvus_columns_add_int32(b, name, (*C.int32_t)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[int64]:
		st = C.milvus_columns_add_int64(b, name, (*C.int64_t)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[float32]:
		st = C.milvus_columns_add_float(b, name, (*C.float)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[float64]:
		st = C.milvus_columns_add_double(b, name, (*C.double)(unsafe.Pointer(&c.data[0])), n, nil, &cerr)
	case *column[string]:
		strs := packStrings(len(c.data), func(i int) string { return c.data[i] })
		defer strs.free()
		st = C.milvus_columns_add_varchar(b, name, strs.ptrs, strs.lens, n, nil, &cerr)
	case *column[json.RawMessage]:
		strs := packStrings(len(c.data), func(i int) string { return string(c.data[i]) })
		defer strs.free()
		st = C.milvus_columns_add_json(b, name, strs.ptrs, strs.lens, n, nil, &cerr)
	case *floatVectors:
		st = C.milvus_columns_add_float_vector(b, name, (*C.float)(unsafe.Pointer(&c.data[0])), n, C.size_t(c.dim), &cerr)
	default:
		return &Error{Status: StatusInvalidArgument, Message: fmt.Sprintf("column %q: unsupported column type %T", col.Name(), col)}
	}
	if st != C.MILVUS_OK {
		return takeError(st, cerr)
	}
	return nil
}

// cStrings: n strings in one C block: pointers, lengths, then the bytes.
type cStrings struct {
	block unsafe.Pointer
	ptrs  **C.char
	lens  *C.size_t
}

func packStrings(n int, at func(int) string) cStrings {
	total := 0
	for i := 0; i < n; i++ {
		total += len(at(i))
	}
	ptrSize := int(unsafe.Sizeof((*C.char)(nil)))
	lenSize := int(unsafe.Sizeof(C.size_t(0)))
	block := C.malloc(C.size_t(n*(ptrSize+lenSize) + total + 1))
	ptrs := unsafe.Slice((**C.char)(block), n)
	lens := unsafe.Slice((*C.size_t)(unsafe.Add(block, n*ptrSize)), n)
	data := unsafe.Slice((*byte)(unsafe.Add(block, n*(ptrSize+lenSize))), total+1)
	off := 0
	for i := 0; i < n; i++ {
		s := at(i)
		copy(data[off:], s)
		ptrs[i] = (*C.char)(unsafe.Pointer(&data[off]))
		lens[i] = C.size_t(len(s))
		off += len(s)
	}
	return cStrings{block, (**C.char)(block), (*C.size_t)(unsafe.Add(block, n*ptrSize))}
}

func (s cStrings) free() { C.free(s.block) }

// writeOptions: options_json of insert_columns / upsert_columns.
type writeOptions struct {
	PartitionName string `json:"partition_name,omitempty"`
}

func (c *Client) writeColumns(ctx context.Context, method string, req InsertRequest) (*WriteResult, error) {
	b, err := buildColumns(req.Columns)
	if err != nil {
		return nil, err
	}
	defer C.milvus_columns_free(b)
	return c.writeBuilt(ctx, method, req, b)
}

// writeBuilt sends built columns (req.Columns is not read).
func (c *Client) writeBuilt(ctx context.Context, method string, req InsertRequest, b *C.milvus_columns) (*WriteResult, error) {
	opts := mustJSON(writeOptions{req.PartitionName})
	var out *WriteResult
	if method != "upsert" {
		method = "insert"
	}
	err := c.run(ctx, true, func(cl *C.milvus_client, o callOpts) error {
		comp, err := await(ctx, cl, o.callID, startColumns(cl, method, req.CollectionName, b, o.addTo(opts, false)))
		if err != nil {
			return err
		}
		r, err := takeTyped(comp)
		if err != nil {
			return err
		}
		defer C.milvus_result_free(r)
		ids, err := resultIDs(r)
		if err != nil {
			return err
		}
		out = &WriteResult{Count: int64(C.milvus_result_write_count(r)), IDs: ids}
		return nil
	})
	return out, err
}

func (c *Client) searchFloat(ctx context.Context, req SearchRequest) ([]SearchResult, error) {
	dim := len(req.Vectors[0])
	if dim == 0 {
		return nil, &Error{Status: StatusInvalidArgument, Message: "search: an empty query vector"}
	}
	flat := req.Vectors[0]
	if len(req.Vectors) > 1 { // one block for the library; a single vector needs no copy
		flat = make([]float32, 0, dim*len(req.Vectors))
		for i, v := range req.Vectors {
			if len(v) != dim {
				return nil, &Error{Status: StatusDimensionMismatch, Message: fmt.Sprintf(
					"search: query vector %d has %d elements, vector 0 has %d", i, len(v), dim)}
			}
			flat = append(flat, v...)
		}
	}
	a := req.args()
	a.CollectionName, a.AnnsField = "", "" // given as the call's own arguments
	opts := mustJSON(a)
	// The query vectors as a column named by the anns_field ("" = the only vector field),
	// copied once by the library: the started call holds it, not Go memory.
	var b *C.milvus_columns
	var cerr *C.milvus_error
	if st := C.milvus_columns_new(C.size_t(len(req.Vectors)), &b, &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	defer C.milvus_columns_free(b)
	if st := C.milvus_columns_add_float_vector(b, cString(req.AnnsField), (*C.float)(unsafe.Pointer(&flat[0])),
		C.size_t(len(req.Vectors)), C.size_t(dim), &cerr); st != C.MILVUS_OK {
		return nil, takeError(st, cerr)
	}
	var out []SearchResult
	err := c.run(ctx, true, func(cl *C.milvus_client, o callOpts) error {
		comp, err := await(ctx, cl, o.callID, startColumns(cl, "search", req.CollectionName, b, o.addTo(opts, false)))
		if err != nil {
			return err
		}
		r, err := takeTyped(comp)
		if err != nil {
			return err
		}
		defer C.milvus_result_free(r)
		out, err = searchResults(r)
		return err
	})
	return out, err
}

// resultIDs copies a result's ids.
func resultIDs(r *C.milvus_result) (IDs, error) {
	n := int(C.milvus_result_num_rows(r))
	switch C.milvus_result_id_type(r) {
	case C.MILVUS_ID_INT64:
		ids := make([]int64, n)
		if n > 0 {
			copy(ids, unsafe.Slice((*int64)(unsafe.Pointer(C.milvus_result_int64_ids(r))), n))
		}
		return IDs{Int: ids}, nil
	case C.MILVUS_ID_STRING:
		ids := make([]string, n)
		for i := range ids {
			var p *C.char
			var l C.size_t
			var cerr *C.milvus_error
			if st := C.milvus_result_string_id(r, C.size_t(i), &p, &l, &cerr); st != C.MILVUS_OK {
				return IDs{}, takeError(st, cerr)
			}
			ids[i] = C.GoStringN(p, C.int(l))
		}
		return IDs{Str: ids}, nil
	}
	return IDs{Int: []int64{}}, nil
}

// searchResults copies every column of a search result once, then splits it by query.
func searchResults(r *C.milvus_result) ([]SearchResult, error) {
	n := int(C.milvus_result_num_rows(r))
	ids, err := resultIDs(r)
	if err != nil {
		return nil, err
	}
	dist := make([]float32, n)
	if n > 0 {
		copy(dist, unsafe.Slice((*float32)(unsafe.Pointer(C.milvus_result_distances(r))), n))
	}
	fields := map[string]column2{}
	for col := 0; col < int(C.milvus_result_column_count(r)); col++ {
		if err := readColumn(r, col, n, fields); err != nil {
			return nil, err
		}
	}
	nq := int(C.milvus_result_num_queries(r))
	out := make([]SearchResult, nq)
	for q := range out {
		lo := int(C.milvus_result_hit_offset(r, C.size_t(q)))
		hi := lo + int(C.milvus_result_hit_count(r, C.size_t(q)))
		res := SearchResult{Distances: dist[lo:hi:hi], Fields: make(map[string]any, len(fields))}
		if ids.Str != nil {
			res.IDs.Str = ids.Str[lo:hi:hi]
		} else {
			res.IDs.Int = ids.Int[lo:hi:hi]
		}
		for name, c := range fields {
			res.Fields[name] = c.slice(lo, hi)
		}
		out[q] = res
	}
	return out, nil
}

// column2 is a copied result column that can be cut into per-query parts.
type column2 interface{ slice(lo, hi int) any }

type sliceCol[T any] []T

func (s sliceCol[T]) slice(lo, hi int) any { return []T(s[lo:hi:hi]) }

// rawCol: JSON values, typed like the JSON path's columns once cut.
type rawCol []json.RawMessage

func (s rawCol) slice(lo, hi int) any { return jsonColumn(s[lo:hi:hi]) }

// readColumn copies column col (n rows) into fields; "$meta" becomes one column per key.
func readColumn(r *C.milvus_result, col, n int, fields map[string]column2) error {
	name := C.GoString(C.milvus_result_column_name(r, C.size_t(col)))
	var cerr *C.milvus_error
	var l C.size_t
	fail := func(st C.milvus_status) error { return takeError(st, cerr) }
	cc := C.size_t(col)
	switch t := C.milvus_result_column_type(r, cc); {
	case bool(C.milvus_result_column_is_dynamic(r, cc)):
		rows, err := stringRows(r, col, n)
		if err != nil {
			return err
		}
		for i, row := range rows {
			var m map[string]json.RawMessage
			if json.Unmarshal([]byte(row), &m) != nil {
				continue
			}
			for k, v := range m {
				c, ok := fields[k].(rawCol)
				if !ok {
					c = make(rawCol, n)
					for j := range c {
						c[j] = json.RawMessage("null")
					}
				}
				c[i] = v
				fields[k] = c
			}
		}
	case t == C.MILVUS_TYPE_BOOL:
		var p *C.bool
		if st := C.milvus_result_column_bool(r, cc, &p, &l, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		fields[name] = sliceCol[bool](copyOut((*bool)(unsafe.Pointer(p)), int(l)))
	case t == C.MILVUS_TYPE_INT8 || t == C.MILVUS_TYPE_INT16 || t == C.MILVUS_TYPE_INT32:
		var p *C.int32_t
		if st := C.milvus_result_column_int32(r, cc, &p, &l, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		fields[name] = sliceCol[int32](copyOut((*int32)(unsafe.Pointer(p)), int(l)))
	case t == C.MILVUS_TYPE_INT64:
		var p *C.int64_t
		if st := C.milvus_result_column_int64(r, cc, &p, &l, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		fields[name] = sliceCol[int64](copyOut((*int64)(unsafe.Pointer(p)), int(l)))
	case t == C.MILVUS_TYPE_FLOAT:
		var p *C.float
		if st := C.milvus_result_column_float(r, cc, &p, &l, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		fields[name] = sliceCol[float32](copyOut((*float32)(unsafe.Pointer(p)), int(l)))
	case t == C.MILVUS_TYPE_DOUBLE:
		var p *C.double
		if st := C.milvus_result_column_double(r, cc, &p, &l, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		fields[name] = sliceCol[float64](copyOut((*float64)(unsafe.Pointer(p)), int(l)))
	case t == C.MILVUS_TYPE_VARCHAR || t == C.MILVUS_TYPE_STRING || t == C.MILVUS_TYPE_TEXT:
		rows, err := stringRows(r, col, n)
		if err != nil {
			return err
		}
		fields[name] = sliceCol[string](rows)
	case t == C.MILVUS_TYPE_JSON:
		rows, err := stringRows(r, col, n)
		if err != nil {
			return err
		}
		raw := make([]json.RawMessage, n)
		for i, s := range rows {
			raw[i] = json.RawMessage(s)
		}
		fields[name] = sliceCol[json.RawMessage](raw)
	case t == C.MILVUS_TYPE_FLOAT_VECTOR:
		var p unsafe.Pointer
		var dim C.size_t
		if st := C.milvus_result_column_vectors(r, cc, &p, &dim, &cerr); st != C.MILVUS_OK {
			return fail(st)
		}
		d := int(dim)
		flat := copyOut((*float32)(p), n*d)
		rows := make([][]float32, n)
		for i := range rows {
			rows[i] = flat[i*d : (i+1)*d : (i+1)*d]
		}
		fields[name] = sliceCol[[]float32](rows)
	default:
		// Other types (ARRAY, other vectors, ...) come through the result's JSON rendering.
		return readViaJSON(r, name, n, fields)
	}
	return nil
}

func copyOut[T any](p *T, n int) []T {
	out := make([]T, n)
	if n > 0 {
		copy(out, unsafe.Slice(p, n))
	}
	return out
}

func stringRows(r *C.milvus_result, col, n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		var p *C.char
		var l C.size_t
		var cerr *C.milvus_error
		if st := C.milvus_result_column_string(r, C.size_t(col), C.size_t(i), &p, &l, &cerr); st != C.MILVUS_OK {
			return nil, takeError(st, cerr)
		}
		out[i] = C.GoStringN(p, C.int(l))
	}
	return out, nil
}

// readViaJSON takes one field's values from milvus_result_to_json (search hits).
func readViaJSON(r *C.milvus_result, name string, n int, fields map[string]column2) error {
	var buf C.milvus_buffer
	var cerr *C.milvus_error
	if st := C.milvus_result_to_json(r, &buf, &cerr); st != C.MILVUS_OK {
		return takeError(st, cerr)
	}
	var lists [][]jsonHit
	if err := json.Unmarshal(takeBuffer(&buf), &lists); err != nil {
		return &Error{Status: StatusInternal, Message: "search: decoding the result: " + err.Error()}
	}
	col := make(rawCol, 0, n)
	for _, hits := range lists {
		for _, h := range hits {
			v, ok := h.Entity[name]
			if !ok {
				v = json.RawMessage("null")
			}
			col = append(col, v)
		}
	}
	if len(col) != n {
		return &Error{Status: StatusInternal, Message: fmt.Sprintf("search: field %q: %d values for %d hits", name, len(col), n)}
	}
	fields[name] = col
	return nil
}
