package milvus

import (
	"encoding/json"
	"fmt"
)

// Column is one field's values for Insert/Upsert, built by the *Column functions. Its slices
// are only read during the call (and not modified).
type Column interface {
	Name() string
	Len() int
	column() // only this package's columns
}

type column[T any] struct {
	name string
	data []T
}

func (c *column[T]) Name() string { return c.name }
func (c *column[T]) Len() int     { return len(c.data) }
func (c *column[T]) column()      {}

// Scalar columns (INT8/16/32 fields also take narrower integer columns).
func BoolColumn(name string, v []bool) Column      { return &column[bool]{name, v} }
func Int8Column(name string, v []int8) Column      { return &column[int8]{name, v} }
func Int16Column(name string, v []int16) Column    { return &column[int16]{name, v} }
func Int32Column(name string, v []int32) Column    { return &column[int32]{name, v} }
func Int64Column(name string, v []int64) Column    { return &column[int64]{name, v} }
func FloatColumn(name string, v []float32) Column  { return &column[float32]{name, v} }
func DoubleColumn(name string, v []float64) Column { return &column[float64]{name, v} }
func VarCharColumn(name string, v []string) Column { return &column[string]{name, v} }

// JSONColumn: each value one JSON document. Name "$meta" gives the dynamic fields, each row
// a JSON object.
func JSONColumn(name string, v []json.RawMessage) Column {
	return &column[json.RawMessage]{name, v}
}

// floatVectors: n rows of dim floats, row-major in one slice.
type floatVectors struct {
	name string
	dim  int
	data []float32
}

func (c *floatVectors) Name() string { return c.name }
func (c *floatVectors) column()      {}
func (c *floatVectors) Len() int {
	if c.dim == 0 {
		return 0
	}
	return len(c.data) / c.dim
}

// FloatVectorColumn: vectors of dim floats each, row-major and contiguous in data (passed to
// the library without a copy on the Go side). len(data) must be a multiple of dim.
func FloatVectorColumn(name string, dim int, data []float32) Column {
	return &floatVectors{name, dim, data}
}

// FloatVectorsColumn: as FloatVectorColumn from one slice per row (copied into one block).
func FloatVectorsColumn(name string, rows [][]float32) Column {
	dim := 0
	if len(rows) > 0 {
		dim = len(rows[0])
	}
	flat := make([]float32, 0, dim*len(rows))
	for _, r := range rows {
		flat = append(flat, r...)
	}
	if dim == 0 {
		return &floatVectors{name, 0, nil}
	}
	return &floatVectors{name, dim, flat}
}

// checkColumns: columns of one length, vectors of whole rows.
func checkColumns(cols []Column) (int, error) {
	if len(cols) == 0 {
		return 0, &Error{Status: StatusInvalidArgument, Message: "no columns"}
	}
	n := cols[0].Len()
	for _, c := range cols {
		if v, ok := c.(*floatVectors); ok && (v.dim <= 0 || len(v.data)%v.dim != 0) {
			return 0, &Error{Status: StatusDimensionMismatch, Message: fmt.Sprintf(
				"column %q: %d floats are not whole vectors of dim %d", c.Name(), len(v.data), v.dim)}
		}
		if c.Len() != n {
			return 0, &Error{Status: StatusInvalidArgument, Message: fmt.Sprintf(
				"column %q has %d rows, column %q has %d", c.Name(), c.Len(), cols[0].Name(), n)}
		}
	}
	return n, nil
}
