// Tests of include/milvus.hpp against a real server: the RAII handles, the exceptions and
// their fields, the JSON methods, iterators and the typed path, with values read back
// exactly.
//
//   test_wrapper [uri]     (default: $MILVUS_URI, else http://127.0.0.1:19530)
//
// Built with -fsanitize=address,undefined by `make cpp-tests`, which runs it against both
// servers. Prints one line `cpp-tests <server>: N passed, M failed` last; exit status 0 only
// when nothing failed.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "milvus.hpp"

namespace {

int passed = 0, failed = 0;

bool report(bool ok, int line, const std::string &what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        std::printf("FAIL test_wrapper.cpp:%d: %s\n", line, what.c_str());
        std::fflush(stdout);
    }
    return ok;
}

#define CHECK(cond) report((cond), __LINE__, #cond)
#define CHECK_EQ(a, b)                                                                  \
    [&](const auto &x, const auto &y) {                                                 \
        return report(x == y, __LINE__, std::string(#a " == " #b ": got ") + show(x) + \
                                            " want " + show(y));                        \
    }((a), (b))

template <class T>
std::string show(const T &v) {
    if constexpr (std::is_convertible_v<T, std::string_view>)
        return "\"" + std::string(std::string_view(v)) + "\"";
    else
        return std::to_string(v);
}

// Runs `f`, which must throw milvus::Error with `status`; returns the error for more checks.
milvus::Error expect_error(int line, milvus_status status, const std::function<void()> &f) {
    try {
        f();
    } catch (const milvus::Error &e) {
        report(e.status() == status, line,
               std::string("expected ") + milvus_status_str(status) + ", got " + e.what());
        return e;
    } catch (const std::exception &e) {
        report(false, line, std::string("expected milvus::Error, got ") + e.what());
        return milvus::Error(MILVUS_ERR_INTERNAL, "other exception");
    }
    report(false, line, std::string("expected ") + milvus_status_str(status) + ", nothing thrown");
    return milvus::Error(MILVUS_ERR_INTERNAL, "nothing thrown");
}
#define EXPECT_ERROR(status, body) expect_error(__LINE__, (status), [&] { body; })

// JSON text with every object's keys sorted, for comparing results whose key order is the
// server's: Milvus 2.3 sends output fields in an order that changes between calls. Reads the
// compact JSON the library writes (strings kept verbatim).
std::string canon_at(std::string_view s, size_t &i) {
    if (i >= s.size()) return "<truncated>";
    char c = s[i];
    if (c == '"') {
        size_t start = i++;
        while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
        i++;
        return std::string(s.substr(start, i - start));
    }
    if (c == '[' || c == '{') {
        char close = c == '[' ? ']' : '}';
        std::vector<std::string> items;
        i++;
        while (i < s.size() && s[i] != close) {
            std::string item;
            if (c == '{') {
                item = canon_at(s, i);  // the key
                item += s[i++];         // ':'
            }
            item += canon_at(s, i);
            items.push_back(item);
            if (i < s.size() && s[i] == ',') i++;
        }
        i++;
        if (c == '{') std::sort(items.begin(), items.end());
        std::string out(1, c);
        for (size_t k = 0; k < items.size(); k++) out += (k ? "," : "") + items[k];
        return out + close;
    }
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '}') i++;
    return std::string(s.substr(start, i - start));
}
std::string canon(std::string_view s) {
    size_t i = 0;
    std::string out = canon_at(s, i);
    return i == s.size() ? out : out + "<trailing>";
}
#define CHECK_JSON(a, b) CHECK_EQ(canon(a), canon(b))

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Static properties of the handles: move-only, exceptions derive from runtime_error.
static_assert(!std::is_copy_constructible_v<milvus::Client>);
static_assert(std::is_nothrow_move_constructible_v<milvus::Client>);
static_assert(!std::is_copy_assignable_v<milvus::Buffer>);
static_assert(std::is_nothrow_move_assignable_v<milvus::Buffer>);
static_assert(!std::is_copy_constructible_v<milvus::Iterator>);
static_assert(std::is_base_of_v<std::runtime_error, milvus::Error>);
static_assert(!std::is_copy_constructible_v<milvus::Columns>);
static_assert(!std::is_copy_constructible_v<milvus::Result>);
static_assert(std::is_nothrow_move_constructible_v<milvus::Result>);

void test_library() {
    CHECK_EQ(milvus::version(), std::string_view(MILVUS_VERSION_STRING));
    auto names = milvus::method_names();
    CHECK_EQ(names.size(), milvus_method_count());
    CHECK(std::set<std::string_view>(names.begin(), names.end()).count("search") == 1);
}

void test_connect_errors() {
    auto e = EXPECT_ERROR(MILVUS_ERR_INVALID_URI, milvus::Client("ftp://127.0.0.1:1"));
    CHECK(contains(e.message(), "ftp://"));
    CHECK_EQ(std::string(e.what()), "MILVUS_ERR_INVALID_URI: " + e.message());
    CHECK_EQ(std::string_view(e.status_name()), "MILVUS_ERR_INVALID_URI");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    e = EXPECT_ERROR(MILVUS_ERR_CONNECT, milvus::Client("http://127.0.0.1:1", {}, {}, {}, 5.0));
    CHECK(contains(e.message(), "127.0.0.1:1"));
    CHECK_EQ(e.server_code(), 0);
    // A NUL inside a string_view is refused before the C call.
    using namespace std::string_literals;
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Client("http://127.0.0.1:19530\0x"s));
    CHECK(contains(e.message(), "uri contains a NUL byte"));
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Client("http://x", {}, {}, {}, -1.0));
    // Options as JSON.
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Client::connect(R"({"uri": "http://x", "colour": 1})"));
    CHECK(contains(e.message(), "colour"));
    EXPECT_ERROR(MILVUS_ERR_INVALID_JSON, milvus::Client::connect("{"));
    e = EXPECT_ERROR(MILVUS_ERR_CONNECT, milvus::Client::connect(R"({"uri": "http://127.0.0.1:1", "timeout": 5})"));
}

void test_connect_options(const std::string &uri) {
    milvus::Client c = milvus::Client::connect(R"({"uri": ")" + uri + R"(", "timeout": 30, "db_name": "default"})");
    CHECK(c.handle() != nullptr);
    CHECK(contains(c.list_collections(), "["));
}

void test_json(const milvus::Client &c, const std::string &coll) {
    const std::string name = R"("collection_name":")" + coll + "\"";
    c.drop_collection("{" + name + "}");
    CHECK_EQ(c.has_collection("{" + name + "}"), "false");
    CHECK_EQ(c.create_collection("{" + name + R"(,"dimension":4,"metric_type":"L2"})"), "null");
    CHECK_EQ(c.has_collection("{" + name + "}"), "true");
    CHECK(contains(c.list_collections(), "\"" + coll + "\""));

    CHECK_EQ(c.insert("{" + name + R"(,"data":[)"
                      R"({"id":1,"vector":[0.5,0.25,-1.5,2],"tag":"a"},)"
                      R"({"id":2,"vector":[1,1,1,1],"tag":"b"},)"
                      R"({"id":3,"vector":[0.125,0,0,0]}]})"),
             R"({"cost":0,"ids":[1,2,3],"insert_count":3})");
    CHECK_JSON(c.query("{" + name + R"(,"filter":"id > 0","output_fields":["id","vector","tag"],)"
                     R"("consistency_level":"Strong"})"),
             R"([{"id":1,"vector":[0.5,0.25,-1.5,2.0],"tag":"a"},)"
             R"({"id":2,"vector":[1.0,1.0,1.0,1.0],"tag":"b"},)"
             R"({"id":3,"vector":[0.125,0.0,0.0,0.0]}])");
    // Nearest to (1,1,1,1): row 2 at 0, then row 3 at 0.875² + 3 = 3.765625 (L2 is squared).
    CHECK_EQ(c.search("{" + name + R"(,"data":[[1,1,1,1]],"limit":2,"output_fields":["tag"],)"
                      R"("consistency_level":"Strong"})"),
             R"([[{"id":2,"distance":0.0,"entity":{"tag":"b"}},)"
             R"({"id":3,"distance":3.765625,"entity":{}}]])");
    // The same through call() by name.
    CHECK_EQ(c.call("query", "{" + name + R"(,"ids":[3],"output_fields":["id"]})"), R"([{"id":3}])");
}

void test_json_writes(const milvus::Client &c, const std::string &coll) {
    const std::string name = R"("collection_name":")" + coll + "\"";
    CHECK_EQ(c.upsert("{" + name + R"(,"data":[{"id":2,"vector":[2,2,2,2],"tag":"c"}]})"),
             R"({"cost":0,"ids":[2],"upsert_count":1})");
    CHECK_JSON(c.query("{" + name + R"(,"ids":[2],"output_fields":["tag"],"consistency_level":"Strong"})"),
             R"([{"id":2,"tag":"c"}])");
    CHECK_JSON(c.get("{" + name + R"(,"ids":[2],"consistency_level":"Strong"})"),
               R"([{"id":2,"vector":[2.0,2.0,2.0,2.0],"tag":"c"}])");
    CHECK_EQ(c.remove("{" + name + R"(,"ids":[1,3]})"), R"({"cost":0,"delete_count":2})");
    CHECK_EQ(c.query("{" + name + R"(,"filter":"id > 0","output_fields":["id"],"consistency_level":"Strong"})"),
             R"([{"id":2}])");
}

void test_errors(const milvus::Client &c) {
    auto e = EXPECT_ERROR(MILVUS_ERR_COLLECTION_NOT_FOUND,
                          c.search(R"({"collection_name":"cpp_wrapper_no_such","data":[[1,1,1,1]]})"));
    CHECK_EQ(e.server_code(), 100);
    CHECK_EQ(e.grpc_code(), 0);
    CHECK(!e.retriable());
    CHECK(contains(e.message(), "search: server error 100"));
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_JSON, c.search(R"({"collection_name":)"));
    CHECK(contains(e.message(), "args_json"));
    e = EXPECT_ERROR(MILVUS_ERR_UNKNOWN_METHOD, c.call("no_such_method"));
    CHECK(contains(e.message(), "no_such_method"));
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT,
                     c.search(R"({"collection_name":"x","data":[[1]],"no_such_key":1})"));
    CHECK(contains(e.message(), "no_such_key"));
    // A NUL byte inside args is refused by the wrapper, not truncated.
    std::string with_nul = "{}";
    with_nul.insert(1, 1, '\0');
    e = EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, c.list_collections(with_nul));
    CHECK(contains(e.message(), "args_json contains a NUL byte"));
}

void test_moves(milvus::Client &c) {
    milvus::Client moved = std::move(c);
    // The moved-from client is empty: its calls are the C API's NULL-argument error.
    auto e = EXPECT_ERROR(MILVUS_ERR_NULL_ARGUMENT, c.list_collections());
    EXPECT_ERROR(MILVUS_ERR_NULL_ARGUMENT, c.cancel("x"));
    moved.cancel("no-call-in-flight");  // nothing to cancel: not an error
    CHECK(c.handle() == nullptr);
    CHECK(moved.handle() != nullptr);
    CHECK(contains(moved.list_collections(), "["));
    c = std::move(moved);
    CHECK(c.handle() != nullptr);

    milvus::Buffer a = c.call_buffer("list_collections");
    CHECK(!a.empty() && a.c_str()[a.size()] == '\0');
    milvus::Buffer b = std::move(a);
    CHECK(a.empty() && a.view().empty() && a.c_str()[0] == '\0');
    CHECK(b.view().front() == '[');
}

// session and close: a session reads the collection; after close every call throws CLOSED,
// the session's too, and the destructors free both handles.
void test_session_close(const std::string &uri, const std::string &coll) {
    milvus::Client c(uri);
    milvus::Client s = c.session(R"({"cluster_id":"c1"})");
    CHECK(contains(s.get(R"({"collection_name":")" + coll + R"(","ids":[10]})"), "\"id\":10"));
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, c.session(R"({"cluster_id":1})"));
    c.close();
    c.close();  // twice is fine
    auto e = EXPECT_ERROR(MILVUS_ERR_CLOSED, c.list_collections());
    CHECK(contains(e.message(), "closed"));
    EXPECT_ERROR(MILVUS_ERR_CLOSED, s.list_collections());
    EXPECT_ERROR(MILVUS_ERR_CLOSED, c.session(R"({"cluster_id":"c2"})"));
    EXPECT_ERROR(MILVUS_ERR_CLOSED,
                 c.dump_messages(R"({"pchannel":"p","start_message_id":{"id":"1","wal_name":"Kafka"}})"));
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Client(uri).dump_messages("{}"));
}

void test_iterator(const milvus::Client &c, const std::string &uri, const std::string &coll) {
    const std::string name = R"("collection_name":")" + coll + "\"";
    std::string rows;
    for (int i = 10; i < 30; i++)
        rows += (rows.empty() ? "" : ",") + std::string(R"({"id":)") + std::to_string(i) +
                R"(,"vector":[)" + std::to_string(i) + ",0,0,0]}";
    CHECK_EQ(c.insert("{" + name + R"(,"data":[)" + rows + "]}"),
             R"({"cost":0,"ids":[10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29],"insert_count":20})");
    milvus::Iterator it = c.query_iterator("{" + name + R"(,"batch_size":7,"filter":"id >= 10","output_fields":["id"]})");
    std::vector<std::string> pages;
    std::string page;
    while (it.next(page)) pages.push_back(page);
    CHECK_EQ(page, "[]");
    CHECK_EQ(pages.size(), size_t(3));
    if (pages.size() == 3) {
        CHECK_EQ(pages[0], R"([{"id":10},{"id":11},{"id":12},{"id":13},{"id":14},{"id":15},{"id":16}])");
        CHECK_EQ(pages[2], R"([{"id":24},{"id":25},{"id":26},{"id":27},{"id":28},{"id":29}])");
    }
    // After the end it keeps answering "[]".
    CHECK_EQ(it.next(), "[]");

    // An iterator outlives the Client that made it.
    milvus::Iterator s = [&] {
        milvus::Client other(uri);
        return other.search_iterator("{" + name +
                                     R"(,"data":[13,0,0,0],"batch_size":2,"limit":3,"output_fields":["id"]})");
    }();
    std::string first = s.next();
    CHECK(contains(first, R"({"id":13,"distance":0.0,"entity":{"id":13}})"));
    std::string second = s.next();
    CHECK(contains(second, R"("id":)"));
    CHECK_EQ(s.next(), "[]");
}

void test_threads(const milvus::Client &c, const std::string &coll) {
    const std::string args = R"({"collection_name":")" + coll +
                             R"(","ids":[13],"output_fields":["id"],"consistency_level":"Strong"})";
    std::vector<std::thread> threads;
    std::array<std::string, 4> got;
    for (size_t i = 0; i < got.size(); i++)
        threads.emplace_back([&, i] { got[i] = c.query(args); });
    for (auto &t : threads) t.join();
    for (const auto &g : got) CHECK_EQ(g, R"([{"id":13}])");
}

void test_typed(const milvus::Client &c, const std::string &base) {
    const std::string coll = base + "_typed";
    const std::string name = R"("collection_name":")" + coll + "\"";
    c.drop_collection("{" + name + "}");
    c.create_collection("{" + name + R"(,"schema":{"fields":[)"
                        R"({"name":"pk","type":"INT64","is_primary":true},)"
                        R"({"name":"title","type":"VARCHAR","params":{"max_length":64}},)"
                        R"({"name":"score","type":"DOUBLE"},)"
                        R"({"name":"rank","type":"INT32"},)"
                        R"({"name":"emb","type":"FLOAT_VECTOR","params":{"dim":3}}]},)"
                        R"("index_params":[{"field_name":"emb","index_type":"FLAT","metric_type":"L2"}]})");

    const std::vector<std::int64_t> ids = {100, 200, 300, 400};
    const std::vector<std::string> titles = {"alpha", "", "gamma \xc3\xa9", "delta"};
    const std::vector<double> scores = {0.1, -2.5, 1e300, 3.0};
    const std::vector<std::int32_t> ranks = {1, -2, 2147483647, 0};
    const float emb[] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5f, 0.5f, 0.25f};
    milvus::Columns cols(4);
    cols.add_int64("pk", ids).add_varchar("title", titles).add_double("score", scores)
        .add_int32("rank", ranks).add_float_vector("emb", emb, 3);
    CHECK_EQ(cols.num_rows(), size_t(4));

    milvus::Result w = c.insert_columns(coll, cols);
    CHECK_EQ(w.write_count(), std::uint64_t(4));
    CHECK(w.id_type() == MILVUS_ID_INT64);
    auto wids = w.int64_ids();
    CHECK(std::vector<std::int64_t>(wids.begin(), wids.end()) == ids);

    // Wrong row count and wrong vector shape are refused client-side.
    EXPECT_ERROR(MILVUS_ERR_ROW_COUNT_MISMATCH, milvus::Columns(3).add_int64("pk", ids));
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Columns(4).add_float_vector("emb", emb, 5));
    {
        milvus::Columns missing(4);
        missing.add_int64("pk", ids);
        EXPECT_ERROR(MILVUS_ERR_MISSING_FIELD, c.insert_columns(coll, missing));
    }

    // Search with rows 3 and 0's vectors: each finds itself first at distance 0.
    const std::vector<float> q = {0, 0, 1, 1, 0, 0};
    milvus::Result r = c.search_float(coll, "emb", q, 3,
                                      R"({"limit":2,"output_fields":["title","score","rank"],)"
                                      R"("consistency_level":"Strong"})");
    CHECK_EQ(r.num_queries(), size_t(2));
    CHECK_EQ(r.num_rows(), size_t(4));
    CHECK_EQ(r.hit_offset(1), size_t(2));
    CHECK_EQ(r.hit_count(0), size_t(2));
    auto rid = r.int64_ids();
    auto dist = r.distances();
    if (CHECK_EQ(rid.size(), size_t(4)) && CHECK_EQ(dist.size(), size_t(4))) {
        CHECK_EQ(rid[0], std::int64_t(300));
        CHECK_EQ(dist[0], 0.0f);
        CHECK_EQ(rid[1], std::int64_t(400));  // (0.5² + 0.5² + 0.75²) = 1.0625
        CHECK_EQ(dist[1], 1.0625f);
        CHECK_EQ(rid[2], std::int64_t(100));
        CHECK_EQ(dist[2], 0.0f);
    }
    size_t title = r.column_index("title");
    size_t score = r.column_index("score");
    size_t rank = r.column_index("rank");
    CHECK_EQ(r.column_name(title), "title");
    CHECK_EQ(r.column_string(title, 0), "gamma \xc3\xa9");
    CHECK_EQ(r.column_string(title, 2), "alpha");
    auto sc = r.column_double(score);
    if (CHECK_EQ(sc.size(), size_t(4))) {
        CHECK_EQ(sc[0], 1e300);
        CHECK_EQ(sc[1], 3.0);
    }
    auto rk = r.column_int32(rank);
    if (CHECK_EQ(rk.size(), size_t(4))) CHECK_EQ(rk[0], 2147483647);
    EXPECT_ERROR(MILVUS_ERR_TYPE_MISMATCH, r.column_int64(title));
    EXPECT_ERROR(MILVUS_ERR_MISSING_FIELD, r.column_index("no_such_column"));
    // The typed result renders as the JSON path's result.
    CHECK_JSON(r.to_json(), c.search("{" + name + R"(,"data":[[0,0,1],[1,0,0]],"anns_field":"emb",)"
                                     R"("limit":2,"output_fields":["title","score","rank"],)"
                                     R"("consistency_level":"Strong"})"));
    CHECK_EQ(canon(R"({"b":[{"z":1,"a":"x,}"}],"a":null})"), R"({"a":null,"b":[{"a":"x,}","z":1}]})");
    CHECK_EQ(c.search_typed("{" + name + R"(,"data":[[0,0,1]],"anns_field":"emb","limit":1,)"
                            R"("output_fields":["rank"],"consistency_level":"Strong"})")
                 .to_json(),
             R"([[{"id":300,"distance":0.0,"entity":{"rank":2147483647}}]])");

    // Query typed: every column and the vectors read back exactly.
    milvus::Result qr = c.query_typed("{" + name + R"(,"filter":"pk >= 100","output_fields":["*"],)"
                                      R"("consistency_level":"Strong"})");
    CHECK_EQ(qr.num_rows(), size_t(4));
    auto pk = qr.column_int64(qr.column_index("pk"));
    CHECK(std::vector<std::int64_t>(pk.begin(), pk.end()) == ids);
    size_t dim = 0;
    auto vecs = qr.column_float_vectors(qr.column_index("emb"), &dim);
    CHECK_EQ(dim, size_t(3));
    CHECK(vecs.size() == 12 && std::equal(vecs.begin(), vecs.end(), emb));
    size_t t = qr.column_index("title");
    for (size_t i = 0; i < titles.size(); i++) CHECK_EQ(qr.column_string(t, i), titles[i]);
    auto qs = qr.column_double(qr.column_index("score"));
    CHECK(std::vector<double>(qs.begin(), qs.end()) == scores);

    // Arrow out: the batch outlives its Result and shares its vectors; Arrow in: the same batch
    // upserted back (the same rows), the structs taken over.
    {
        ArrowSchema as{};
        ArrowArray aa{};
        const float *shared = nullptr;
        {
            milvus::Result copy = c.query_typed("{" + name + R"(,"filter":"pk >= 100","output_fields":["*"],)"
                                                R"("consistency_level":"Strong"})");
            size_t d = 0;
            shared = copy.column_float_vectors(copy.column_index("emb"), &d).data();
            copy.export_arrow(&as, &aa);
        }
        CHECK(std::string(as.format) == "+s" && aa.length == 4 && aa.n_children == 5);
        int emb_child = -1;
        for (int i = 0; i < as.n_children; i++)
            if (std::string(as.children[i]->name) == "emb") emb_child = i;
        if (CHECK(emb_child >= 0)) {
            CHECK(std::string(as.children[emb_child]->format) == "+w:3");
            CHECK(aa.children[emb_child]->children[0]->buffers[1] == shared);
            const float *v = static_cast<const float *>(aa.children[emb_child]->children[0]->buffers[1]);
            float sum = 0, want = 0;
            for (int i = 0; i < 12; i++) sum += v[i], want += emb[i];
            CHECK_EQ(sum, want);
        }
        milvus::Columns back(4);
        back.add_arrow(&as, &aa);
        CHECK(as.release == nullptr && aa.release == nullptr);
        CHECK_EQ(c.upsert_columns(coll, back).write_count(), std::uint64_t(4));
        EXPECT_ERROR(MILVUS_ERR_NULL_ARGUMENT, milvus::Columns(4).add_arrow(nullptr, nullptr));
        EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::Columns(4).add_arrow(&as, &aa));
    }

    milvus::Result g = c.get_typed("{" + name + R"(,"ids":[200],"output_fields":["title","rank"],"consistency_level":"Strong"})");
    CHECK_EQ(g.num_rows(), size_t(1));
    CHECK_EQ(g.column_string(g.column_index("title"), 0), "");
    CHECK_EQ(g.column_int32(g.column_index("rank"))[0], -2);

    // Upsert through columns replaces row 200.
    milvus::Columns up(1);
    const std::int64_t id200[] = {200};
    const double s200[] = {42.0};
    const std::int32_t r200[] = {7};
    const float e200[] = {9, 9, 9};
    up.add_int64("pk", id200).add_varchar("title", std::vector<std::string>{"beta"})
        .add_double("score", s200).add_int32("rank", r200).add_float_vector("emb", e200, 3);
    CHECK_EQ(c.upsert_columns(coll, up).write_count(), std::uint64_t(1));
    milvus::Result g2 = c.get_typed("{" + name + R"(,"ids":[200],"output_fields":["title","score"],"consistency_level":"Strong"})");
    CHECK_EQ(g2.column_string(g2.column_index("title"), 0), "beta");
    CHECK_EQ(g2.column_double(g2.column_index("score"))[0], 42.0);

    // A typed iterator page.
    milvus::Iterator it = c.query_iterator("{" + name + R"(,"batch_size":3,"output_fields":["pk"]})");
    milvus::Result p1 = it.next_typed();
    auto p1ids = p1.column_int64(p1.column_index("pk"));
    CHECK(p1ids.size() == 3 && p1ids[0] == 100 && p1ids[2] == 300);
    milvus::Result p2 = it.next_typed();
    CHECK_EQ(p2.num_rows(), size_t(1));
    CHECK_EQ(it.next_typed().num_rows(), size_t(0));

    // Search with a Columns query set.
    milvus::Columns qc(1);
    const float one[] = {0.5f, 0.5f, 0.25f};
    qc.add_float_vector("emb", one, 3);
    milvus::Result sc2 = c.search_columns(coll, qc, R"({"limit":1,"consistency_level":"Strong"})");
    CHECK(sc2.num_rows() == 1 && sc2.int64_ids()[0] == 400 && sc2.distances()[0] == 0.0f);

    // BOOL and JSON columns, and a dynamic-field ($meta) value read back.
    const std::string coll2 = base + "_typed2";
    const std::string name2 = R"("collection_name":")" + coll2 + "\"";
    c.drop_collection("{" + name2 + "}");
    c.create_collection("{" + name2 + R"(,"enable_dynamic_field":true,"schema":{"fields":[)"
                        R"({"name":"pk","type":"INT64","is_primary":true},)"
                        R"({"name":"flag","type":"BOOL"},)"
                        R"({"name":"doc","type":"JSON"},)"
                        R"({"name":"v","type":"FLOAT_VECTOR","params":{"dim":2}}]},)"
                        R"("index_params":[{"field_name":"v","index_type":"FLAT","metric_type":"L2"}]})");
    const std::int64_t pks[] = {1, 2};
    const bool flags[] = {true, false};
    const float vs[] = {0, 0, 1, 1};
    milvus::Columns c2(2);
    c2.add_int64("pk", pks).add_bool("flag", flags)
        .add_json("doc", std::vector<std::string>{R"({"a":[1,2]})", R"({"b":"text"})"})
        .add_json("$meta", std::vector<std::string>{R"({"extra":7})", R"({})"})
        .add_float_vector("v", vs, 2);
    CHECK_EQ(c.insert_columns(coll2, c2).write_count(), std::uint64_t(2));
    milvus::Result q2 = c.query_typed("{" + name2 + R"(,"filter":"pk > 0","output_fields":["flag","doc","extra"],)"
                                      R"("consistency_level":"Strong"})");
    auto fl = q2.column_bool(q2.column_index("flag"));
    CHECK(fl.size() == 2 && fl[0] && !fl[1]);
    CHECK_EQ(q2.column_string(q2.column_index("doc"), 0), R"({"a":[1,2]})");
    CHECK_EQ(q2.column_string(q2.column_index("doc"), 1), R"({"b":"text"})");
    CHECK_JSON(q2.to_json(), R"([{"pk":1,"flag":true,"doc":{"a":[1,2]},"extra":7},{"pk":2,"flag":false,"doc":{"b":"text"}}])");
    c.drop_collection("{" + name2 + "}");
    c.drop_collection("{" + name + "}");
}

// Milvus 2.4+ features (Milvus Lite here): sparse vectors, hybrid search. (Nullable fields,
// hence validity bitmaps, are on neither test server: Milvus Lite 2.5.1 refuses them.)
void test_typed_newer(const milvus::Client &c, const std::string &base) {
    try {
        std::string v = c.get_server_version();
        std::printf("skip test_typed_newer: server %s has no sparse vectors or hybrid search\n", v.c_str());
        return;
    } catch (const milvus::Error &e) {
        if (!CHECK_EQ(e.status(), MILVUS_ERR_UNIMPLEMENTED)) return;  // Milvus Lite: no version
    }
    const std::string coll = base + "_newer";
    const std::string name = R"("collection_name":")" + coll + "\"";
    c.drop_collection("{" + name + "}");
    c.create_collection("{" + name + R"(,"schema":{"fields":[)"
                        R"({"name":"pk","type":"INT64","is_primary":true},)"
                        R"({"name":"opt","type":"INT64"},)"
                        R"({"name":"dense","type":"FLOAT_VECTOR","params":{"dim":2}},)"
                        R"({"name":"sparse","type":"SPARSE_FLOAT_VECTOR"}]},)"
                        R"("index_params":[{"field_name":"dense","index_type":"FLAT","metric_type":"L2"},)"
                        R"({"field_name":"sparse","index_type":"SPARSE_INVERTED_INDEX","metric_type":"IP"}]})");
    const std::int64_t pks[] = {1, 2, 3};
    const std::int64_t opt[] = {10, -20, 30};
    const float dense[] = {0, 0, 5, 5, 1, 0};
    const std::uint64_t indptr[] = {0, 2, 3, 4};
    const std::uint32_t indices[] = {3, 100, 7, 3};
    const float values[] = {0.5f, 1.5f, 2.0f, 0.75f};
    milvus::Columns cols(3);
    cols.add_int64("pk", pks).add_int64("opt", opt).add_float_vector("dense", dense, 2)
        .add_sparse_vector("sparse", indptr, indices, values);
    CHECK_EQ(c.insert_columns(coll, cols).write_count(), std::uint64_t(3));

    milvus::Result q = c.query_typed("{" + name + R"(,"filter":"pk > 0","output_fields":["opt","sparse"],)"
                                     R"("consistency_level":"Strong"})");
    size_t o = q.column_index("opt");
    auto ov = q.column_int64(o);
    CHECK(ov.size() == 3 && ov[0] == 10 && ov[1] == -20 && ov[2] == 30);
    milvus::Result::Sparse sp = q.column_sparse(q.column_index("sparse"), 0);
    if (CHECK_EQ(sp.nnz, size_t(2))) {
        std::uint32_t idx = 0;
        float val = 0;
        std::memcpy(&idx, sp.pairs + 8, 4);
        std::memcpy(&val, sp.pairs + 12, 4);
        CHECK(idx == 100 && val == 1.5f);
    }
    CHECK_JSON(q.to_json(), R"([{"pk":1,"opt":10,"sparse":{"3":0.5,"100":1.5}},)"
                            R"({"pk":2,"opt":-20,"sparse":{"7":2.0}},{"pk":3,"opt":30,"sparse":{"3":0.75}}])");

    // Hybrid search from one query column per request: dense (1,0) ranks rows 3, 1, 2; sparse
    // {3: 1} ranks 3 (0.75), 1 (0.5); RRF: row 3 (1st twice) ahead of row 1 (2nd twice).
    milvus::Columns queries(1);
    const float qd[] = {1, 0};
    const std::uint64_t qptr[] = {0, 1};
    const std::uint32_t qidx[] = {3};
    const float qval[] = {1};
    queries.add_float_vector("dense", qd, 2).add_sparse_vector("sparse", qptr, qidx, qval);
    milvus::Result h = c.hybrid_search_columns(
        coll, queries,
        R"({"reqs":[{"anns_field":"dense","param":{"metric_type":"L2"},"limit":3},)"
        R"({"anns_field":"sparse","param":{"metric_type":"IP"},"limit":3}],)"
        R"("ranker":{"strategy":"rrf","params":{"k":60}},"limit":2,"consistency_level":"Strong"})");
    auto hid = h.int64_ids();
    if (!CHECK(hid.size() == 2 && hid[0] == 3 && hid[1] == 1)) std::printf("hybrid: %s\n", h.to_json().c_str());
    c.drop_collection("{" + name + "}");
}

// The std::future forms: results read back, errors (starting or from the server) thrown by
// get(), many calls in flight at once, and a client destroyed with calls in flight.
void test_async(const milvus::Client &c, const std::string &uri, const std::string &base) {
    const std::string coll = base + "_async";
    const std::string name = R"("collection_name":")" + coll + "\"";
    c.drop_collection("{" + name + "}");
    c.create_collection("{" + name + R"(,"dimension":2,"metric_type":"L2"})");

    // Row i at (i, 1): its own nearest neighbour.
    std::vector<std::int64_t> ids;
    std::vector<float> vecs;
    for (int i = 0; i < 20; i++) {
        ids.push_back(i);
        vecs.push_back(float(i));
        vecs.push_back(1);
    }
    std::future<milvus::Result> written;
    {
        milvus::Columns cols(ids.size());
        cols.add_int64("id", ids).add_float_vector("vector", vecs, 2);
        written = c.insert_columns_async(coll, cols);
    }  // the call holds its own reference to the columns
    milvus::Result w = written.get();
    CHECK_EQ(w.write_count(), std::uint64_t(20));

    std::vector<std::future<std::string>> searches;
    for (int i = 0; i < 20; i++)
        searches.push_back(c.search_async("{" + name + R"(,"data":[[)" + std::to_string(i) +
                                          R"(,1]],"limit":1,"consistency_level":"Strong"})"));
    for (int i = 0; i < 20; i++)
        CHECK_EQ(searches[i].get(), R"([[{"id":)" + std::to_string(i) + R"(,"distance":0.0,"entity":{}}]])");

    milvus::Result q = c.query_typed_async("{" + name + R"(,"filter":"id in [3, 7]","output_fields":["id"],)"
                                           R"("consistency_level":"Strong"})").get();
    CHECK_EQ(q.num_rows(), size_t(2));
    auto qc = q.column_int64(q.column_index("id"));
    CHECK(qc.size() == 2 && std::set<std::int64_t>(qc.begin(), qc.end()) == std::set<std::int64_t>({3, 7}));

    milvus::Columns query(1);
    const float qv[] = {5, 1};
    query.add_float_vector("", qv, 2);
    milvus::Result hits = c.search_columns_async(coll, query, R"({"limit":2,"consistency_level":"Strong"})").get();
    auto hid = hits.int64_ids();
    CHECK(hid.size() == 2 && hid[0] == 5);
    CHECK_EQ(hits.distances()[0], 0.0f);
    CHECK_EQ(c.call_async("has_collection", "{" + name + "}").get(), "true");

    // Failures come out of get(): from the server, and calls that never started.
    auto e = EXPECT_ERROR(MILVUS_ERR_COLLECTION_NOT_FOUND,
                          c.search_async(R"({"collection_name":"cpp_wrapper_no_such","data":[[1,1]]})").get());
    CHECK_EQ(e.server_code(), 100);
    EXPECT_ERROR(MILVUS_ERR_UNKNOWN_METHOD, c.call_async("no_such_method").get());
    EXPECT_ERROR(MILVUS_ERR_INVALID_JSON, c.call_async("search", "{").get());
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, c.call_async("search", std::string("{}\0x", 4)).get());
    EXPECT_ERROR(MILVUS_ERR_UNKNOWN_METHOD, c.typed_async("list_collections", "{}").get());
    EXPECT_ERROR(MILVUS_ERR_UNKNOWN_METHOD, c.columns_async("query", coll, query).get());
    milvus::Client moved(uri);
    milvus::Client taken(std::move(moved));
    EXPECT_ERROR(MILVUS_ERR_NULL_ARGUMENT, moved.call_async("list_collections").get());

    // Destroying a client completes its calls in flight before the destructor returns: each
    // future is ready, with a result or MILVUS_ERR_CANCELLED.
    std::vector<std::future<std::string>> pending;
    {
        milvus::Client doomed(uri);
        for (int i = 0; i < 50; i++)
            pending.push_back(doomed.search_async("{" + name + R"(,"data":[[1,1]],"limit":1})"));
    }
    int done = 0, cancelled = 0;
    for (auto &f : pending) {
        if (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) continue;
        try {
            done += f.get() == R"([[{"id":1,"distance":0.0,"entity":{}}]])";
        } catch (const milvus::Error &err) {
            cancelled += err.status() == MILVUS_ERR_CANCELLED;
        }
    }
    if (!CHECK_EQ(done + cancelled, 50)) std::printf("  %d done, %d cancelled\n", done, cancelled);
    c.drop_collection("{" + name + "}");
}

}  // namespace

void test_logging(const std::string &uri) {
    std::mutex mu;
    std::vector<std::string> lines;
    auto collect = [&](const milvus::LogRecord &r) {
        std::lock_guard<std::mutex> lock(mu);
        lines.push_back(std::to_string(static_cast<int>(r.level)) + " " + std::string(r.target) +
                        " [" + std::string(r.method) + " " + std::string(r.call_id) + "] " +
                        std::string(r.message));
    };
    auto has = [&](const std::string &a, const std::string &b) {
        std::lock_guard<std::mutex> lock(mu);
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string &l) { return contains(l, a) && contains(l, b); });
    };
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::set_logger("loud", collect));
    EXPECT_ERROR(MILVUS_ERR_INVALID_ARGUMENT, milvus::set_slow_call_threshold(-1));
    milvus::set_logger("debug", collect);
    {
        milvus::Client c(uri);
        c.call("list_collections", R"({"call_id": "cpp-log"})");
    }
    CHECK(has("3 milvus::client [ ] connected to ", "server version"));
    CHECK(has("4 milvus::log [list_collections cpp-log] ", "list_collections: done in"));
    // A logger that throws loses its records, nothing else.
    milvus::set_logger("trace", [](const milvus::LogRecord &) { throw std::runtime_error("x"); });
    milvus::Client(uri).list_collections();
    milvus::set_logger("warn", collect);
    {
        std::lock_guard<std::mutex> lock(mu);
        lines.clear();
    }
    milvus::Client c(uri);
    c.list_collections();
    milvus::set_logger("", nullptr);
    EXPECT_ERROR(MILVUS_ERR_COLLECTION_NOT_FOUND, c.call("describe_collection", R"({"collection_name": "cpp_log_none"})"));
    std::lock_guard<std::mutex> lock(mu);
    CHECK_EQ(lines.size(), std::size_t{0});
}

int main(int argc, char **argv) {
    const char *env = std::getenv("MILVUS_URI");
    std::string uri = argc > 1 ? argv[1] : (env != nullptr && *env != '\0' ? env : "http://127.0.0.1:19530");
    const std::string coll = "cpp_wrapper_" + std::to_string(getpid());
    try {
        test_library();
        test_connect_errors();
        test_connect_options(uri);
        test_logging(uri);
        milvus::Client c(uri);
        test_json(c, coll);
        test_json_writes(c, coll);
        test_errors(c);
        test_moves(c);
        test_iterator(c, uri, coll);
        test_session_close(uri, coll);
        test_threads(c, coll);
        test_typed(c, coll);
        test_typed_newer(c, coll);
        test_async(c, uri, coll);
        c.drop_collection(R"({"collection_name":")" + coll + "\"}");
    } catch (const std::exception &e) {
        report(false, __LINE__, std::string("unexpected exception: ") + e.what());
    }
    std::printf("cpp-tests %s: %d passed, %d failed\n", uri.c_str(), passed, failed);
    return failed == 0 ? 0 : 1;
}
