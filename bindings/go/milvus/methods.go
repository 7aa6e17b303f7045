package milvus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// invoke marshals args (a struct of this package: no "timeout"/"call_id" keys), calls the
// JSON method and decodes the result into out (nil: ignore it).
func (c *Client) invoke(ctx context.Context, method string, args any, out any) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return &Error{Status: StatusInvalidArgument, Message: method + ": encoding args: " + err.Error()}
	}
	res, err := c.callJSON(ctx, method, raw, false)
	if err != nil || out == nil {
		return err
	}
	return decode(method, res, out)
}

func decode(method string, res []byte, out any) error {
	d := json.NewDecoder(bytes.NewReader(res))
	d.UseNumber()
	if err := d.Decode(out); err != nil {
		return &Error{Status: StatusInternal, Message: fmt.Sprintf("%s: decoding the result: %v", method, err)}
	}
	return nil
}

type collectionArg struct {
	CollectionName string `json:"collection_name"`
}

// CreateCollection creates a collection (see CreateCollectionRequest).
func (c *Client) CreateCollection(ctx context.Context, req CreateCollectionRequest) error {
	return c.invoke(ctx, "create_collection", req, nil)
}

// DropCollection drops a collection and its data.
func (c *Client) DropCollection(ctx context.Context, name string) error {
	return c.invoke(ctx, "drop_collection", collectionArg{name}, nil)
}

// HasCollection says whether a collection exists.
func (c *Client) HasCollection(ctx context.Context, name string) (bool, error) {
	var ok bool
	err := c.invoke(ctx, "has_collection", collectionArg{name}, &ok)
	return ok, err
}

// ListCollections names the collections of the current database.
func (c *Client) ListCollections(ctx context.Context) ([]string, error) {
	var names []string
	err := c.invoke(ctx, "list_collections", struct{}{}, &names)
	return names, err
}

// DescribeCollection describes a collection's schema and settings.
func (c *Client) DescribeCollection(ctx context.Context, name string) (*CollectionInfo, error) {
	raw, err := c.callJSON(ctx, "describe_collection", mustJSON(collectionArg{name}), false)
	if err != nil {
		return nil, err
	}
	info := &CollectionInfo{Raw: raw}
	if err := json.Unmarshal(raw, info); err != nil {
		return nil, &Error{Status: StatusInternal, Message: "describe_collection: decoding the result: " + err.Error()}
	}
	return info, nil
}

// CreateIndex creates indexes on a collection and waits until they are built.
func (c *Client) CreateIndex(ctx context.Context, collection string, params ...IndexParam) error {
	return c.invoke(ctx, "create_index", struct {
		CollectionName string       `json:"collection_name"`
		IndexParams    []IndexParam `json:"index_params"`
	}{collection, params}, nil)
}

// LoadCollection loads a collection and waits until it is searchable.
func (c *Client) LoadCollection(ctx context.Context, name string) error {
	return c.invoke(ctx, "load_collection", collectionArg{name}, nil)
}

// ReleaseCollection releases a collection from memory.
func (c *Client) ReleaseCollection(ctx context.Context, name string) error {
	return c.invoke(ctx, "release_collection", collectionArg{name}, nil)
}

// Flush persists a collection's pending writes and waits until done.
func (c *Client) Flush(ctx context.Context, name string) error {
	return c.invoke(ctx, "flush", collectionArg{name}, nil)
}

// Insert writes rows or columns.
func (c *Client) Insert(ctx context.Context, req InsertRequest) (*WriteResult, error) {
	return c.write(ctx, "insert", req)
}

// Upsert writes rows or columns, replacing rows whose primary key exists.
func (c *Client) Upsert(ctx context.Context, req InsertRequest) (*WriteResult, error) {
	return c.write(ctx, "upsert", req)
}

type writeArgs struct {
	CollectionName string `json:"collection_name"`
	PartitionName  string `json:"partition_name,omitempty"`
	Data           any    `json:"data"`
}

type writeReply struct {
	InsertCount *int64 `json:"insert_count"`
	UpsertCount *int64 `json:"upsert_count"`
	DeleteCount *int64 `json:"delete_count"`
	IDs         IDs    `json:"ids"`
}

func (w writeReply) result() *WriteResult {
	r := &WriteResult{IDs: w.IDs}
	for _, n := range []*int64{w.InsertCount, w.UpsertCount, w.DeleteCount} {
		if n != nil {
			r.Count = *n
		}
	}
	return r
}

func (c *Client) write(ctx context.Context, method string, req InsertRequest) (*WriteResult, error) {
	if (req.Rows == nil) == (req.Columns == nil) {
		return nil, &Error{Status: StatusInvalidArgument, Message: method + ": give either Rows or Columns"}
	}
	if req.Columns != nil {
		return c.writeColumns(ctx, method, req)
	}
	var reply writeReply
	if err := c.invoke(ctx, method, writeArgs{req.CollectionName, req.PartitionName, req.Rows}, &reply); err != nil {
		return nil, err
	}
	return reply.result(), nil
}

// Delete removes rows by keys or filter and returns how many the server counted.
func (c *Client) Delete(ctx context.Context, req DeleteRequest) (int64, error) {
	var reply writeReply
	if err := c.invoke(ctx, "delete", req, &reply); err != nil {
		return 0, err
	}
	return reply.result().Count, nil
}

// Get reads rows by primary key (see Row for the value types).
func (c *Client) Get(ctx context.Context, req GetRequest) ([]Row, error) {
	var rows []Row
	err := c.invoke(ctx, "get", req, &rows)
	return rows, err
}

// Query reads rows matching a filter (see Row for the value types).
func (c *Client) Query(ctx context.Context, req QueryRequest) ([]Row, error) {
	var rows []Row
	err := c.invoke(ctx, "query", req, &rows)
	return rows, err
}

// QueryInto is Query decoding the rows with encoding/json into dst, e.g. a *[]MyRow.
func (c *Client) QueryInto(ctx context.Context, req QueryRequest, dst any) error {
	raw, err := c.callJSON(ctx, "query", mustJSON(req), false)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return &Error{Status: StatusInternal, Message: "query: decoding the rows: " + err.Error()}
	}
	return nil
}

type searchArgs struct {
	CollectionName   string         `json:"collection_name,omitempty"`
	AnnsField        string         `json:"anns_field,omitempty"`
	Filter           string         `json:"filter,omitempty"`
	FilterParams     map[string]any `json:"filter_params,omitempty"`
	Limit            int            `json:"limit,omitempty"`
	Offset           int            `json:"offset,omitempty"`
	OutputFields     []string       `json:"output_fields,omitempty"`
	SearchParams     map[string]any `json:"search_params,omitempty"`
	PartitionNames   []string       `json:"partition_names,omitempty"`
	ConsistencyLevel string         `json:"consistency_level,omitempty"`
	GroupByField     string         `json:"group_by_field,omitempty"`
}

func (r SearchRequest) args() searchArgs {
	a := searchArgs{
		CollectionName: r.CollectionName, AnnsField: r.AnnsField, Filter: r.Filter,
		FilterParams: r.FilterParams, Limit: r.Limit, Offset: r.Offset,
		OutputFields: r.OutputFields, SearchParams: r.SearchParams,
		PartitionNames: r.PartitionNames, ConsistencyLevel: r.ConsistencyLevel,
		GroupByField: r.GroupByField,
	}
	return a
}

// Search finds the nearest rows to each query vector: one SearchResult per vector.
func (c *Client) Search(ctx context.Context, req SearchRequest) ([]SearchResult, error) {
	if len(req.Vectors) == 0 {
		return nil, &Error{Status: StatusMissingField, Message: "search: no query vectors"}
	}
	return c.searchFloat(ctx, req)
}

type jsonHit struct {
	ID       json.RawMessage            `json:"id"`
	Distance float32                    `json:"distance"`
	Entity   map[string]json.RawMessage `json:"entity"`
}

// jsonColumn types a column of JSON values (dynamic fields, other types): integers, numbers,
// strings, booleans and float lists as typed slices, anything else as JSON text.
func jsonColumn(vals []json.RawMessage) any {
	try := func(dst any) bool { return json.Unmarshal(mustJSON(vals), dst) == nil }
	var ints []int64
	var floats []float64
	var strs []string
	var bools []bool
	var vecs [][]float32
	switch {
	case try(&ints):
		return ints
	case try(&floats):
		return floats
	case try(&strs):
		return strs
	case try(&bools):
		return bools
	case try(&vecs):
		return vecs
	}
	return vals
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only used on values that always encode
	}
	return b
}
