// app.cpp: a C++ program built outside the source tree against an installed libmilvus and
// milvus.hpp (tests/install/run.sh builds it with pkg-config and with CMake, shared and
// static).
//
//     app_cpp URI COLLECTION
//
// Connects, creates COLLECTION, inserts 3 rows (typed path), searches (typed and JSON paths),
// checks the hits exactly, drops COLLECTION. Prints "app.cpp: ok" and exits 0 only if all of that worked.
#include <milvus.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: app_cpp URI COLLECTION\n");
        return 2;
    }
    const std::string name = std::string(R"("collection_name": ")") + argv[2] + "\"";
    try {
        milvus::Client c(argv[1]);
        c.drop_collection("{" + name + "}");
        c.create_collection("{" + name + R"(, "dimension": 2, "metric_type": "L2"})");
        // The typed path: columns from C++ containers, a typed search result.
        const std::vector<std::int64_t> ids = {1, 2, 3};
        const std::vector<float> vectors = {0, 1, 3, 4, -1, 0.5f};
        milvus::Columns cols(ids.size());
        cols.add_int64("id", ids).add_float_vector("vector", vectors, 2);
        std::uint64_t written = c.insert_columns(argv[2], cols).write_count();
        const float query[] = {-1, 1};
        milvus::Result hits = c.search_float(argv[2], "vector", query, 2,
                                             R"({"limit": 2, "consistency_level": "Strong"})");
        // The JSON path.
        std::string json = c.search("{" + name + R"(, "data": [[-1, 1]], "limit": 1,)"
                                    R"( "consistency_level": "Strong"})");
        c.drop_collection("{" + name + "}");
        // Nearest to (-1, 1): row 3 at 0.25, then row 1 at 1.
        bool ok = written == 3 && hits.num_rows() == 2 && hits.int64_ids()[0] == 3 &&
                  hits.distances()[0] == 0.25f && hits.int64_ids()[1] == 1 &&
                  hits.distances()[1] == 1.0f && json == R"([[{"id":3,"distance":0.25,"entity":{}}]])";
        if (!ok) {
            std::fprintf(stderr, "app.cpp: written %llu, typed hits %s, JSON hits %s\n",
                         (unsigned long long)written, hits.to_json().c_str(), json.c_str());
            return 1;
        }
    } catch (const milvus::Error &e) {
        std::fprintf(stderr, "app.cpp: %s (server code %d)\n", e.what(), e.server_code());
        return 1;
    }
    std::printf("app.cpp: ok\n");
    return 0;
}
