// quickstart.cpp: libmilvus from C++ with the header-only wrapper milvus.hpp.
//
//     quickstart [uri]          (default: http://127.0.0.1:19530)
//
// Connects, creates a collection, inserts 1,000 rows from C++ containers through the typed
// path (no JSON), searches with raw float vectors and reads the hits through typed
// accessors, runs a filtered query through the JSON path, and drops the collection. Any
// failure is a milvus::Error exception: the program prints it and exits with 1.
//
// Build (after `cargo build --release`):
//     c++ -std=c++17 -Iinclude examples/cpp/quickstart.cpp -Ltarget/release -lmilvus
// or, against an installed copy: c++ -std=c++17 quickstart.cpp $(pkg-config --cflags --libs milvus)
#include <milvus.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kDim = 8;
constexpr std::size_t kRows = 1000;
const std::string kCollection = "cpp_quickstart_demo";

// Element j of row i's vector: deterministic, spread over [0, 1).
float element(std::size_t i, std::size_t j) { return float((i * 7919 + j * 104729) % 1000) / 1000.0f; }

}  // namespace

int main(int argc, char **argv) {
    const char *uri = argc > 1 ? argv[1] : "http://127.0.0.1:19530";
    const std::string name = R"("collection_name": ")" + kCollection + "\"";
    try {
        // 1. Connect; 30 s bounds connecting and is every call's default deadline.
        milvus::Client client(uri);
        std::printf("libmilvus %s, connected to %s\n", std::string(milvus::version()).c_str(), uri);

        // 2. A collection with an explicit schema and an index (so it is created loaded).
        client.drop_collection("{" + name + "}");
        client.create_collection("{" + name + R"(, "schema": {"fields": [)"
                                 R"({"name": "id", "type": "INT64", "is_primary": true},)"
                                 R"({"name": "title", "type": "VARCHAR", "params": {"max_length": 64}},)"
                                 R"({"name": "vector", "type": "FLOAT_VECTOR", "params": {"dim": 8}}]},)"
                                 R"( "index_params": [{"field_name": "vector", "index_type": "AUTOINDEX",)"
                                 R"( "metric_type": "L2"}]})");

        // 3. Insert from C++ containers: the vectors go from `vectors` to the wire without JSON.
        std::vector<std::int64_t> ids(kRows);
        std::vector<std::string> titles(kRows);
        std::vector<float> vectors(kRows * kDim);
        for (std::size_t i = 0; i < kRows; i++) {
            ids[i] = std::int64_t(i);
            titles[i] = "Document " + std::to_string(i);
            for (std::size_t j = 0; j < kDim; j++) vectors[i * kDim + j] = element(i, j);
        }
        milvus::Columns columns(kRows);
        columns.add_int64("id", ids).add_varchar("title", titles).add_float_vector("vector", vectors, kDim);
        milvus::Result written = client.insert_columns(kCollection, columns);
        std::printf("inserted %llu rows\n", (unsigned long long)written.write_count());

        // 4. Search with the vectors of rows 17 and 523: each finds itself first, at distance 0.
        std::vector<float> queries(vectors.begin() + 17 * kDim, vectors.begin() + 18 * kDim);
        queries.insert(queries.end(), vectors.begin() + 523 * kDim, vectors.begin() + 524 * kDim);
        milvus::Result hits = client.search_float(
            kCollection, "vector", queries, kDim,
            R"({"limit": 3, "output_fields": ["title"], "consistency_level": "Strong"})");
        std::size_t title = hits.column_index("title");
        auto hit_ids = hits.int64_ids();
        auto distances = hits.distances();
        for (std::size_t q = 0; q < hits.num_queries(); q++) {
            std::printf("\nquery %zu:\n", q);
            for (std::size_t k = 0; k < hits.hit_count(q); k++) {
                std::size_t row = hits.hit_offset(q) + k;
                std::string_view t = hits.column_string(title, row);
                std::printf("  id %lld  distance %.4f  %.*s\n", (long long)hit_ids[row], distances[row],
                            int(t.size()), t.data());
            }
        }
        if (hit_ids[hits.hit_offset(0)] != 17 || hit_ids[hits.hit_offset(1)] != 523 ||
            distances[hits.hit_offset(0)] != 0.0f) {
            std::fprintf(stderr, "quickstart: unexpected nearest hits\n");
            return 1;
        }

        // 5. A filtered query through the JSON path: any pymilvus keyword argument works.
        std::string rows = client.query("{" + name + R"(, "filter": "id in [3, 998]",)"
                                        R"( "output_fields": ["title"], "consistency_level": "Strong"})");
        std::printf("\nquery: %s\n", rows.c_str());

        // 6. Clean up.
        client.drop_collection("{" + name + "}");
        std::printf("\nquickstart: ok\n");
    } catch (const milvus::Error &e) {
        std::fprintf(stderr, "quickstart: %s (gRPC code %d, server code %d%s)\n", e.what(), e.grpc_code(),
                     e.server_code(), e.retriable() ? ", retriable" : "");
        return 1;
    }
    return 0;
}
