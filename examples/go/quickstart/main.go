// Quickstart: connect, create a collection, insert rows, search, query, clean up.
//
//	go run ./quickstart [uri]      (from examples/go; default http://127.0.0.1:19530)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/libmilvus/libmilvus/bindings/go/milvus"
)

func main() {
	uri := "http://127.0.0.1:19530"
	if len(os.Args) > 1 {
		uri = os.Args[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	client, err := milvus.NewClient(ctx, milvus.Config{URI: uri, Timeout: 30 * time.Second})
	if err != nil {
		log.Fatalf("connect: %v", err)
	}
	defer client.Close()
	fmt.Println("libmilvus", milvus.Version())

	name := fmt.Sprintf("go_quickstart_%d", os.Getpid())
	// Quick setup: an INT64 "id", a 4-dimensional "vector", dynamic fields, indexed and loaded.
	err = client.CreateCollection(ctx, milvus.CreateCollectionRequest{
		CollectionName: name, Dimension: 4, MetricType: "L2", ConsistencyLevel: "Strong",
	})
	if err != nil {
		log.Fatalf("create_collection: %v", err)
	}
	defer client.DropCollection(context.Background(), name)

	// Columns: the vectors go to the library as one block of float32.
	res, err := client.Insert(ctx, milvus.InsertRequest{
		CollectionName: name,
		Columns: []milvus.Column{
			milvus.Int64Column("id", []int64{1, 2, 3}),
			milvus.FloatVectorColumn("vector", 4, []float32{
				0.1, 0.2, 0.3, 0.4,
				0.9, 0.8, 0.7, 0.6,
				0.5, 0.5, 0.5, 0.5,
			}),
			// Dynamic fields: one JSON object per row.
			milvus.JSONColumn("$meta", []json.RawMessage{
				json.RawMessage(`{"color": "red"}`),
				json.RawMessage(`{"color": "green"}`),
				json.RawMessage(`{"color": "blue"}`),
			}),
		},
	})
	if err != nil {
		log.Fatalf("insert: %v", err)
	}
	fmt.Printf("inserted %d rows, ids %v\n", res.Count, res.IDs.Int)

	hits, err := client.Search(ctx, milvus.SearchRequest{
		CollectionName: name,
		Vectors:        [][]float32{{0.1, 0.2, 0.3, 0.45}},
		Limit:          2,
		OutputFields:   []string{"color"},
	})
	if err != nil {
		log.Fatalf("search: %v", err)
	}
	colors, _ := hits[0].Fields["color"].([]string)
	for i := 0; i < hits[0].Len(); i++ {
		fmt.Printf("hit id=%v distance=%.4f color=%s\n", hits[0].IDs.At(i), hits[0].Distances[i], colors[i])
	}
	if hits[0].IDs.At(0) != int64(1) {
		log.Fatalf("expected id 1 first, got %v", hits[0].IDs.At(0))
	}

	rows, err := client.Query(ctx, milvus.QueryRequest{
		CollectionName: name, Filter: `color in ["green", "blue"]`, OutputFields: []string{"id", "color"},
	})
	if err != nil {
		log.Fatalf("query: %v", err)
	}
	fmt.Printf("query: %d rows: %v\n", len(rows), rows)

	// Errors are *milvus.Error values with a fixed status.
	_, err = client.DescribeCollection(ctx, name+"_missing")
	var merr *milvus.Error
	if errors.As(err, &merr) {
		fmt.Printf("missing collection: %s (not found: %v)\n", merr.Status, milvus.IsNotFound(err))
	}
	if !milvus.IsNotFound(err) {
		log.Fatalf("expected a not-found error, got %v", err)
	}
}
