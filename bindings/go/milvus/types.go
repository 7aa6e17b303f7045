package milvus

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// DataType names a field type as the JSON schema writes it.
type DataType string

// Field types.
const (
	TypeBool          DataType = "BOOL"
	TypeInt8          DataType = "INT8"
	TypeInt16         DataType = "INT16"
	TypeInt32         DataType = "INT32"
	TypeInt64         DataType = "INT64"
	TypeFloat         DataType = "FLOAT"
	TypeDouble        DataType = "DOUBLE"
	TypeVarChar       DataType = "VARCHAR"
	TypeJSON          DataType = "JSON"
	TypeArray         DataType = "ARRAY"
	TypeFloatVector   DataType = "FLOAT_VECTOR"
	TypeBinaryVector  DataType = "BINARY_VECTOR"
	TypeFloat16Vector DataType = "FLOAT16_VECTOR"
	TypeSparseVector  DataType = "SPARSE_FLOAT_VECTOR"
)

// Schema is a collection schema (pymilvus CollectionSchema.to_dict()).
type Schema struct {
	Fields             []Field          `json:"fields"`
	AutoID             bool             `json:"auto_id,omitempty"`
	EnableDynamicField bool             `json:"enable_dynamic_field,omitempty"`
	Description        string           `json:"description,omitempty"`
	Functions          []map[string]any `json:"functions,omitempty"`
}

// Field is one field of a schema. DescribeCollection fills the same type (dimension and
// lengths then in Params).
type Field struct {
	Name           string         `json:"name"`
	Type           DataType       `json:"type"`
	Description    string         `json:"description,omitempty"`
	IsPrimary      bool           `json:"is_primary,omitempty"`
	AutoID         bool           `json:"auto_id,omitempty"`
	Dim            int            `json:"dim,omitempty"`        // vector fields
	MaxLength      int            `json:"max_length,omitempty"` // VARCHAR (and ARRAY of VARCHAR)
	ElementType    DataType       `json:"element_type,omitempty"`
	MaxCapacity    int            `json:"max_capacity,omitempty"` // ARRAY
	Nullable       bool           `json:"nullable,omitempty"`
	DefaultValue   any            `json:"default_value,omitempty"`
	IsPartitionKey bool           `json:"is_partition_key,omitempty"`
	Params         map[string]any `json:"params,omitempty"`
}

// IndexParam describes one index (create_index's index_params entries).
type IndexParam struct {
	FieldName  string         `json:"field_name"`
	IndexType  string         `json:"index_type,omitempty"` // "AUTOINDEX", "HNSW", "IVF_FLAT", ...
	IndexName  string         `json:"index_name,omitempty"`
	MetricType string         `json:"metric_type,omitempty"` // "COSINE", "L2", "IP", ...
	Params     map[string]any `json:"params,omitempty"`
}

// CreateCollectionRequest: either Dimension (quick setup: an id and a vector field, an
// AUTOINDEX index, loaded) or Schema (with IndexParams to index and load it).
type CreateCollectionRequest struct {
	CollectionName string `json:"collection_name"`

	// Quick setup.
	Dimension        int    `json:"dimension,omitempty"`
	PrimaryFieldName string `json:"primary_field_name,omitempty"` // "id"
	IDType           string `json:"id_type,omitempty"`            // "int" (default) or "string"
	MaxLength        int    `json:"max_length,omitempty"`         // string ids
	VectorFieldName  string `json:"vector_field_name,omitempty"`  // "vector"
	MetricType       string `json:"metric_type,omitempty"`        // "COSINE"
	AutoID           bool   `json:"auto_id,omitempty"`

	// Full form.
	Schema      *Schema      `json:"schema,omitempty"`
	IndexParams []IndexParam `json:"index_params,omitempty"`

	EnableDynamicField *bool          `json:"enable_dynamic_field,omitempty"` // quick setup: true
	ConsistencyLevel   string         `json:"consistency_level,omitempty"`    // "Bounded"
	NumShards          int            `json:"num_shards,omitempty"`
	Properties         map[string]any `json:"properties,omitempty"`
}

// CollectionInfo is describe_collection's answer; Raw holds all of it.
type CollectionInfo struct {
	Name               string          `json:"collection_name"`
	CollectionID       int64           `json:"collection_id"`
	Description        string          `json:"description"`
	AutoID             bool            `json:"auto_id"`
	NumShards          int             `json:"num_shards"`
	Fields             []Field         `json:"fields"`
	EnableDynamicField bool            `json:"enable_dynamic_field"`
	ConsistencyLevel   string          `json:"consistency_level_name"`
	Raw                json.RawMessage `json:"-"`
}

// IDs holds primary keys: Int for INT64 keys, Str for VARCHAR keys (one of them is set).
type IDs struct {
	Int []int64
	Str []string
}

// Len is the number of keys.
func (ids IDs) Len() int { return len(ids.Int) + len(ids.Str) }

// At returns key i as int64 or string.
func (ids IDs) At(i int) any {
	if ids.Str != nil {
		return ids.Str[i]
	}
	return ids.Int[i]
}

// Int64IDs and StringIDs build key lists.
func Int64IDs(ids ...int64) IDs   { return IDs{Int: ids} }
func StringIDs(ids ...string) IDs { return IDs{Str: ids} }

// MarshalJSON writes a JSON list.
func (ids IDs) MarshalJSON() ([]byte, error) {
	if ids.Str != nil {
		return json.Marshal(ids.Str)
	}
	if ids.Int == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(ids.Int)
}

// UnmarshalJSON reads a list of integers or of strings (int64 exactly).
func (ids *IDs) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*ids = IDs{}
	if len(raw) == 0 {
		ids.Int = []int64{}
		return nil
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw[0]), []byte(`"`)) {
		return json.Unmarshal(b, &ids.Str)
	}
	return json.Unmarshal(b, &ids.Int)
}

// WriteResult: what insert, upsert and delete report.
type WriteResult struct {
	Count int64 // rows written (or deleted)
	IDs   IDs   // keys written (empty for delete)
}

// Row is one entity: field name → value. From Query and Get, numbers are json.Number
// (exact for 64-bit ids) and vectors []any of json.Number; QueryInto decodes rows into your
// own structs instead.
type Row = map[string]any

// InsertRequest is an insert or upsert. Give rows (any value encoding/json turns into a
// list of objects, e.g. []Row or a slice of tagged structs) or columns (the typed path).
type InsertRequest struct {
	CollectionName string
	PartitionName  string
	Rows           any
	Columns        []Column
}

// DeleteRequest deletes by keys or by filter.
type DeleteRequest struct {
	CollectionName string         `json:"collection_name"`
	IDs            *IDs           `json:"ids,omitempty"`
	Filter         string         `json:"filter,omitempty"`
	FilterParams   map[string]any `json:"filter_params,omitempty"`
	PartitionName  string         `json:"partition_name,omitempty"`
}

// GetRequest reads rows by primary key.
type GetRequest struct {
	CollectionName   string   `json:"collection_name"`
	IDs              IDs      `json:"ids"`
	OutputFields     []string `json:"output_fields,omitempty"`
	PartitionNames   []string `json:"partition_names,omitempty"`
	ConsistencyLevel string   `json:"consistency_level,omitempty"`
}

// QueryRequest reads rows matching a filter.
type QueryRequest struct {
	CollectionName   string         `json:"collection_name"`
	Filter           string         `json:"filter,omitempty"`
	FilterParams     map[string]any `json:"filter_params,omitempty"`
	OutputFields     []string       `json:"output_fields,omitempty"` // default all; "count(*)" counts
	Limit            int            `json:"limit,omitempty"`
	Offset           int            `json:"offset,omitempty"`
	PartitionNames   []string       `json:"partition_names,omitempty"`
	ConsistencyLevel string         `json:"consistency_level,omitempty"` // "Strong", "Session", "Bounded", "Eventually"
}

// SearchRequest is a vector similarity search with one or more query vectors.
type SearchRequest struct {
	CollectionName   string
	Vectors          [][]float32 // the query vectors, all of one dimension
	AnnsField        string      // "" = the only vector field
	Filter           string
	FilterParams     map[string]any
	Limit            int // 10 when 0
	Offset           int
	OutputFields     []string
	SearchParams     map[string]any // {"metric_type": ..., "params": {...}}
	PartitionNames   []string
	ConsistencyLevel string
	GroupByField     string
}

// SearchResult holds the hits of one query vector, best first, as columns.
type SearchResult struct {
	IDs       IDs
	Distances []float32
	// Output fields by name, one value per hit. Column types: []bool, []int32 (INT8/16/32),
	// []int64, []float32, []float64, []string (VARCHAR), []json.RawMessage (JSON, ARRAY,
	// dynamic fields), [][]float32 (FLOAT_VECTOR), [][]byte (other vectors).
	Fields map[string]any
}

// Len is the number of hits.
func (r SearchResult) Len() int { return len(r.Distances) }

func (r SearchResult) String() string {
	return fmt.Sprintf("SearchResult{%d hits}", r.Len())
}
