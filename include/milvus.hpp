/*
 * milvus.hpp: a header-only C++17 wrapper over the C API of libmilvus (milvus.h).
 *
 * DESIGN CHOICES
 *
 * Errors are exceptions. Every call that can fail throws milvus::Error (a
 *   std::runtime_error) carrying everything the C milvus_error has: the status, its name,
 *   the gRPC code, the Milvus server code, whether a retry may succeed, and the message.
 *   Exceptions rather than status returns because the C API already reports each failure
 *   once, with its details, and C++17 has no std::expected; a failed call never leaves a
 *   half-written output behind (the C API writes outputs only on success). Nothing
 *   throws from a destructor, and accessors of results that cannot fail are noexcept.
 *   The wrapper's own checks (a string with a NUL byte inside, a vector span whose size is
 *   not a multiple of its dimension) throw milvus::Error too, with the status the library
 *   would give (MILVUS_ERR_INVALID_ARGUMENT).
 *
 * Handles are RAII and move-only: Client, Iterator, Buffer, Columns and Result each own
 *   one C object and free it in their destructor with the one C free function. A moved-from
 *   handle is empty; calls on it throw MILVUS_ERR_NULL_ARGUMENT (the C API checks the NULL).
 *   handle() gives the C pointer for mixing in C calls; release() gives up ownership.
 *
 * Inputs are std::string_view (copied once into a NUL-terminated string for the C call;
 *   an empty view means "none" where the C API takes NULL) and milvus::Span<const T>, a
 *   pointer + size view that converts from std::vector, std::array and C arrays, so data is
 *   never copied on the C++ side. JSON arguments are passed through as text: this header
 *   has no JSON library dependency. Results are std::string (JSON path) or milvus::Result
 *   (typed path), whose accessors return Spans and string_views into the result, valid
 *   until the Result is destroyed.
 *
 * Threads: as in C. A Client's const methods may be called from many threads at once;
 *   Results are immutable and shareable; an Iterator serialises its own calls.
 *
 * Logging: milvus::set_logger() takes a std::function that receives the library's log
 *   records (milvus_log_set_callback); the wrapper owns it and frees the one it replaces.
 * Non-blocking calls return std::future (call_async, typed_async, columns_async and their
 *   named forms): the call starts at once and its future becomes ready on a libmilvus I/O
 *   thread (the C completion callback). Every failure, including one to start, comes out of
 *   future.get() as milvus::Error. Destroying the Client completes the calls still in flight
 *   with MILVUS_ERR_CANCELLED before the destructor returns.
 *
 * Link with -lmilvus (pkg-config milvus, or CMake milvus::milvus); see README.md.
 */
#ifndef MILVUS_HPP
#define MILVUS_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "milvus.h"

namespace milvus {

/// A read-only view of `size()` contiguous elements (std::span's subset, for C++17).
template <class T>
class Span {
public:
    constexpr Span() noexcept = default;
    constexpr Span(const T *data, std::size_t size) noexcept : data_(data), size_(size) {}
    /// From any contiguous container of T: std::vector, std::array, a C array, a Span.
    template <class C, class = std::enable_if_t<std::is_convertible_v<
                           decltype(std::data(std::declval<const C &>())), const T *>>>
    constexpr Span(const C &c) noexcept : data_(std::data(c)), size_(std::size(c)) {}

    constexpr const T *data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr const T *begin() const noexcept { return data_; }
    constexpr const T *end() const noexcept { return data_ + size_; }
    constexpr const T &operator[](std::size_t i) const noexcept { return data_[i]; }

private:
    const T *data_ = nullptr;
    std::size_t size_ = 0;
};

/// A failed call: the contents of the C milvus_error.
class Error : public std::runtime_error {
public:
    Error(milvus_status status, std::string message, std::int32_t grpc_code = 0,
          std::int32_t server_code = 0, bool retriable = false)
        : std::runtime_error(std::string(milvus_status_str(status)) + ": " + message),
          status_(status), grpc_code_(grpc_code), server_code_(server_code),
          retriable_(retriable), message_(std::move(message)) {}

    /// The MILVUS_ERR_* code.
    milvus_status status() const noexcept { return status_; }
    /// Its name, e.g. "MILVUS_ERR_TIMEOUT".
    const char *status_name() const noexcept { return milvus_status_str(status_); }
    /// The gRPC status code of a transport failure, else 0.
    std::int32_t grpc_code() const noexcept { return grpc_code_; }
    /// The Milvus server's error code, else 0.
    std::int32_t server_code() const noexcept { return server_code_; }
    /// Whether repeating the call later may succeed.
    bool retriable() const noexcept { return retriable_; }
    /// The library's message alone (what() has the status name in front).
    const std::string &message() const noexcept { return message_; }

private:
    milvus_status status_;
    std::int32_t grpc_code_;
    std::int32_t server_code_;
    bool retriable_;
    std::string message_;
};

namespace detail {

/// The error_out slot of one C call; frees whatever the call left in it.
struct ErrorSlot {
    milvus_error *ptr = nullptr;
    ErrorSlot() = default;
    ErrorSlot(const ErrorSlot &) = delete;
    ErrorSlot &operator=(const ErrorSlot &) = delete;
    ~ErrorSlot() { milvus_error_free(ptr); }
    milvus_error **out() noexcept { return &ptr; }
};

/// Throws milvus::Error unless `status` is MILVUS_OK.
inline void check(milvus_status status, const ErrorSlot &error) {
    if (status == MILVUS_OK) return;
    if (error.ptr == nullptr) throw Error(status, "(no error details)");
    throw Error(status, milvus_error_message(error.ptr), milvus_error_grpc_code(error.ptr),
                milvus_error_server_code(error.ptr), milvus_error_retriable(error.ptr));
}

/// A NUL-terminated copy of a string_view for one C call. A NUL byte inside is refused
/// (the C side would silently see a shorter string).
class CStr {
public:
    CStr(std::string_view value, const char *what) : s_(value) {
        if (s_.find('\0') != std::string::npos)
            throw Error(MILVUS_ERR_INVALID_ARGUMENT, std::string(what) + " contains a NUL byte");
    }
    const char *get() const noexcept { return s_.c_str(); }
    /// NULL for an empty value: the C API's "not given".
    const char *or_null() const noexcept { return s_.empty() ? nullptr : s_.c_str(); }

private:
    std::string s_;
};

using JsonMethod = milvus_status (*)(const milvus_client *, const char *, milvus_buffer *,
                                     milvus_error **);

}  // namespace detail

/// Owned bytes from the library (UTF-8 JSON on the JSON path), NUL-terminated.
class Buffer {
public:
    Buffer() noexcept = default;
    /// Adopts a buffer the C API returned.
    explicit Buffer(milvus_buffer buffer) noexcept : b_(buffer) {}
    Buffer(Buffer &&other) noexcept : b_(other.b_) { other.b_ = milvus_buffer{nullptr, 0}; }
    Buffer &operator=(Buffer &&other) noexcept {
        if (this != &other) {
            milvus_buffer_free(&b_);
            b_ = other.b_;
            other.b_ = milvus_buffer{nullptr, 0};
        }
        return *this;
    }
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;
    ~Buffer() { milvus_buffer_free(&b_); }

    const char *data() const noexcept {
        return b_.data != nullptr ? reinterpret_cast<const char *>(b_.data) : "";
    }
    const char *c_str() const noexcept { return data(); }
    std::size_t size() const noexcept { return b_.len; }
    bool empty() const noexcept { return b_.len == 0; }
    std::string_view view() const noexcept { return std::string_view(data(), b_.len); }
    std::string str() const { return std::string(data(), b_.len); }
    /// Frees the bytes and hands out the empty C buffer for a C call to fill.
    milvus_buffer *reset() noexcept {
        milvus_buffer_free(&b_);
        return &b_;
    }

private:
    milvus_buffer b_{nullptr, 0};
};

/// Column data for the typed path: insert/upsert rows, or search query vectors. Each add_*
/// copies the data once (the caller's memory is only read during the call); a Columns can be
/// sent any number of times, from several threads.
class Columns {
public:
    explicit Columns(std::size_t num_rows) : rows_(num_rows) {
        detail::ErrorSlot e;
        detail::check(milvus_columns_new(num_rows, &c_, e.out()), e);
    }
    Columns(Columns &&other) noexcept
        : c_(std::exchange(other.c_, nullptr)), rows_(other.rows_) {}
    Columns &operator=(Columns &&other) noexcept {
        if (this != &other) {
            milvus_columns_free(c_);
            c_ = std::exchange(other.c_, nullptr);
            rows_ = other.rows_;
        }
        return *this;
    }
    Columns(const Columns &) = delete;
    Columns &operator=(const Columns &) = delete;
    ~Columns() { milvus_columns_free(c_); }

    std::size_t num_rows() const noexcept { return rows_; }
    const milvus_columns *handle() const noexcept { return c_; }

    // Scalars: one value per row. `validity` (nullable fields only): empty = every row valid,
    // else a bitmap of (rows + 7) / 8 bytes, bit i (LSB first) set when row i is not null.
    // (std::vector<bool> is not contiguous: pass a bool array.)
    Columns &add_bool(std::string_view field, Span<bool> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_bool, field, v, validity);
    }
    Columns &add_int8(std::string_view field, Span<std::int8_t> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_int8, field, v, validity);
    }
    Columns &add_int16(std::string_view field, Span<std::int16_t> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_int16, field, v, validity);
    }
    Columns &add_int32(std::string_view field, Span<std::int32_t> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_int32, field, v, validity);
    }
    Columns &add_int64(std::string_view field, Span<std::int64_t> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_int64, field, v, validity);
    }
    Columns &add_float(std::string_view field, Span<float> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_float, field, v, validity);
    }
    Columns &add_double(std::string_view field, Span<double> v, Span<std::uint8_t> validity = {}) {
        return scalar(milvus_columns_add_double, field, v, validity);
    }
    /// VARCHAR values, passed with their lengths (so they need no NUL terminator).
    Columns &add_varchar(std::string_view field, Span<std::string_view> v,
                         Span<std::uint8_t> validity = {}) {
        return strings(milvus_columns_add_varchar, field, v, validity);
    }
    Columns &add_varchar(std::string_view field, const std::vector<std::string> &v,
                         Span<std::uint8_t> validity = {}) {
        return add_varchar(field, views(v), validity);
    }
    /// JSON documents, one per row. Field "$meta": the dynamic fields, each row an object.
    Columns &add_json(std::string_view field, Span<std::string_view> v,
                      Span<std::uint8_t> validity = {}) {
        return strings(milvus_columns_add_json, field, v, validity);
    }
    Columns &add_json(std::string_view field, const std::vector<std::string> &v,
                      Span<std::uint8_t> validity = {}) {
        return add_json(field, views(v), validity);
    }

    // Vectors: rows of `dim` elements, row-major and contiguous; the row count is
    // data.size() / dim. Binary vectors: dim in bits, dim / 8 bytes a row.
    Columns &add_float_vector(std::string_view field, Span<float> data, std::size_t dim) {
        return vectors(milvus_columns_add_float_vector, field, data, dim, dim);
    }
    Columns &add_binary_vector(std::string_view field, Span<std::uint8_t> data, std::size_t dim_bits) {
        return vectors(milvus_columns_add_binary_vector, field, data, dim_bits, dim_bits / 8);
    }
    /// IEEE half-precision bit patterns.
    Columns &add_float16_vector(std::string_view field, Span<std::uint16_t> data, std::size_t dim) {
        return vectors(milvus_columns_add_float16_vector, field, data, dim, dim);
    }
    /// bfloat16 bit patterns.
    Columns &add_bfloat16_vector(std::string_view field, Span<std::uint16_t> data, std::size_t dim) {
        return vectors(milvus_columns_add_bfloat16_vector, field, data, dim, dim);
    }
    Columns &add_int8_vector(std::string_view field, Span<std::int8_t> data, std::size_t dim) {
        return vectors(milvus_columns_add_int8_vector, field, data, dim, dim);
    }
    /// Sparse vectors in CSR form: row i is indices/values[indptr[i] .. indptr[i + 1]).
    Columns &add_sparse_vector(std::string_view field, Span<std::uint64_t> indptr,
                               Span<std::uint32_t> indices, Span<float> values) {
        detail::CStr f(field, "field name");
        if (indptr.empty())
            throw Error(MILVUS_ERR_INVALID_ARGUMENT, "sparse vector: indptr is empty");
        if (indices.size() != values.size() || indptr[indptr.size() - 1] != indices.size())
            throw Error(MILVUS_ERR_INVALID_ARGUMENT,
                        "sparse vector: indices, values and indptr disagree on the length");
        detail::ErrorSlot e;
        detail::check(milvus_columns_add_sparse_vector(c_, f.get(), indptr.data(), indices.data(),
                                                       values.data(), indptr.size() - 1, e.out()),
                      e);
        return *this;
    }

    /// Every child of an Arrow struct array (a record batch) as the column of its name
    /// (docs/typed-api.md has the type mapping). Takes ownership of both structs, as Arrow's
    /// importers do, whether it succeeds or throws: they are left released.
    Columns &add_arrow(struct ArrowSchema *schema, struct ArrowArray *array) {
        detail::ErrorSlot e;
        detail::check(milvus_columns_add_arrow(c_, schema, array, e.out()), e);
        return *this;
    }

private:
    template <class T>
    using ScalarFn = milvus_status (*)(milvus_columns *, const char *, const T *, std::size_t,
                                       const std::uint8_t *, milvus_error **);
    template <class T>
    using VectorFn = milvus_status (*)(milvus_columns *, const char *, const T *, std::size_t,
                                       std::size_t, milvus_error **);
    using StringFn = milvus_status (*)(milvus_columns *, const char *, const char *const *,
                                       const std::size_t *, std::size_t, const std::uint8_t *,
                                       milvus_error **);

    const std::uint8_t *bitmap(Span<std::uint8_t> validity, std::size_t n) const {
        if (validity.empty()) return nullptr;
        if (validity.size() < (n + 7) / 8)
            throw Error(MILVUS_ERR_INVALID_ARGUMENT, "validity bitmap shorter than (rows + 7) / 8 bytes");
        return validity.data();
    }

    template <class T>
    Columns &scalar(ScalarFn<T> fn, std::string_view field, Span<T> v, Span<std::uint8_t> validity) {
        detail::CStr f(field, "field name");
        const std::uint8_t *bits = bitmap(validity, v.size());
        detail::ErrorSlot e;
        detail::check(fn(c_, f.get(), v.data(), v.size(), bits, e.out()), e);
        return *this;
    }

    static std::vector<std::string_view> views(const std::vector<std::string> &v) {
        return std::vector<std::string_view>(v.begin(), v.end());
    }

    Columns &strings(StringFn fn, std::string_view field, Span<std::string_view> v,
                     Span<std::uint8_t> validity) {
        detail::CStr f(field, "field name");
        const std::uint8_t *bits = bitmap(validity, v.size());
        std::vector<const char *> ptrs;
        std::vector<std::size_t> lens;
        ptrs.reserve(v.size());
        lens.reserve(v.size());
        for (std::string_view s : v) {
            ptrs.push_back(s.data() != nullptr ? s.data() : "");
            lens.push_back(s.size());
        }
        detail::ErrorSlot e;
        detail::check(fn(c_, f.get(), ptrs.data(), lens.data(), v.size(), bits, e.out()), e);
        return *this;
    }

    template <class T>
    Columns &vectors(VectorFn<T> fn, std::string_view field, Span<T> data, std::size_t dim,
                     std::size_t row_elems) {
        detail::CStr f(field, "field name");
        if (row_elems == 0 || data.size() % row_elems != 0)
            throw Error(MILVUS_ERR_INVALID_ARGUMENT,
                        "vector field " + std::string(field) + ": " + std::to_string(data.size()) +
                            " elements are not whole rows of dimension " + std::to_string(dim));
        detail::ErrorSlot e;
        detail::check(fn(c_, f.get(), data.data(), data.size() / row_elems, dim, e.out()), e);
        return *this;
    }

    milvus_columns *c_ = nullptr;
    std::size_t rows_;
};

/// A typed result (insert/upsert counts and ids, search hits, query rows), read without
/// JSON. Every Span and string_view it returns points into the result and stays valid until
/// the Result is destroyed.
class Result {
public:
    /// A column of vectors: rows × dim elements of the column's type (binary: dim bits, dim/8
    /// bytes a row; float16/bfloat16: uint16 bit patterns).
    struct Vectors {
        const void *data;
        std::size_t dim;
    };
    /// One row of a sparse-vector column: nnz pairs of (uint32 index, float value), 8 bytes
    /// each, little-endian, sorted by index, not necessarily aligned (read with memcpy).
    struct Sparse {
        const std::uint8_t *pairs;
        std::size_t nnz;
    };

    Result() noexcept = default;
    /// Adopts a result the C API returned.
    explicit Result(milvus_result *r) noexcept : r_(r) {}
    Result(Result &&other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
    Result &operator=(Result &&other) noexcept {
        if (this != &other) {
            milvus_result_free(r_);
            r_ = std::exchange(other.r_, nullptr);
        }
        return *this;
    }
    Result(const Result &) = delete;
    Result &operator=(const Result &) = delete;
    ~Result() { milvus_result_free(r_); }

    const milvus_result *handle() const noexcept { return r_; }
    milvus_result *release() noexcept { return std::exchange(r_, nullptr); }

    /// Search: the number of query vectors; other results: 1.
    std::size_t num_queries() const noexcept { return milvus_result_num_queries(r_); }
    /// All hits, rows or written ids.
    std::size_t num_rows() const noexcept { return milvus_result_num_rows(r_); }
    /// The hits of query q are rows [hit_offset(q), hit_offset(q) + hit_count(q)).
    std::size_t hit_offset(std::size_t q) const noexcept { return milvus_result_hit_offset(r_, q); }
    std::size_t hit_count(std::size_t q) const noexcept { return milvus_result_hit_count(r_, q); }
    /// Rows inserted, upserted or deleted.
    std::uint64_t write_count() const noexcept { return milvus_result_write_count(r_); }
    milvus_id_type id_type() const noexcept { return milvus_result_id_type(r_); }
    /// num_rows() int64 primary keys; empty when the keys are strings (or there are none).
    Span<std::int64_t> int64_ids() const noexcept {
        const std::int64_t *p = milvus_result_int64_ids(r_);
        return p != nullptr ? Span<std::int64_t>(p, num_rows()) : Span<std::int64_t>();
    }
    /// The string primary key of a row.
    std::string_view string_id(std::size_t row) const {
        const char *p = nullptr;
        std::size_t len = 0;
        detail::ErrorSlot e;
        detail::check(milvus_result_string_id(r_, row, &p, &len, e.out()), e);
        return std::string_view(p, len);
    }
    /// Search: num_rows() distances (scores); empty for other results.
    Span<float> distances() const noexcept {
        const float *p = milvus_result_distances(r_);
        return p != nullptr ? Span<float>(p, num_rows()) : Span<float>();
    }

    std::size_t column_count() const noexcept { return milvus_result_column_count(r_); }
    /// The column's field name; empty out of range.
    std::string_view column_name(std::size_t col) const noexcept {
        const char *n = milvus_result_column_name(r_, col);
        return n != nullptr ? std::string_view(n) : std::string_view();
    }
    /// The Milvus DataType number of the column.
    milvus_data_type column_type(std::size_t col) const noexcept {
        return milvus_result_column_type(r_, col);
    }
    /// Whether the column is a key of the dynamic field.
    bool column_is_dynamic(std::size_t col) const noexcept {
        return milvus_result_column_is_dynamic(r_, col);
    }
    /// The index of the column named `name` (throws when there is none).
    std::size_t column_index(std::string_view name) const {
        detail::CStr n(name, "column name");
        std::size_t index = 0;
        detail::ErrorSlot e;
        detail::check(milvus_result_column_index(r_, n.get(), &index, e.out()), e);
        return index;
    }

    // The values of a scalar column, one per row; the type must match (INT8/INT16/INT32 are
    // read as int32), else MILVUS_ERR_TYPE_MISMATCH.
    Span<bool> column_bool(std::size_t col) const { return column(milvus_result_column_bool, col); }
    Span<std::int32_t> column_int32(std::size_t col) const {
        return column(milvus_result_column_int32, col);
    }
    Span<std::int64_t> column_int64(std::size_t col) const {
        return column(milvus_result_column_int64, col);
    }
    Span<float> column_float(std::size_t col) const { return column(milvus_result_column_float, col); }
    Span<double> column_double(std::size_t col) const {
        return column(milvus_result_column_double, col);
    }
    /// A VARCHAR, JSON or dynamic ($meta) value of one row.
    std::string_view column_string(std::size_t col, std::size_t row) const {
        const char *p = nullptr;
        std::size_t len = 0;
        detail::ErrorSlot e;
        detail::check(milvus_result_column_string(r_, col, row, &p, &len, e.out()), e);
        return std::string_view(p, len);
    }
    Vectors column_vectors(std::size_t col) const {
        const void *data = nullptr;
        std::size_t dim = 0;
        detail::ErrorSlot e;
        detail::check(milvus_result_column_vectors(r_, col, &data, &dim, e.out()), e);
        return Vectors{data, dim};
    }
    /// A FLOAT_VECTOR column as num_rows() × dim floats (dim through `dim_out`).
    Span<float> column_float_vectors(std::size_t col, std::size_t *dim_out = nullptr) const {
        if (column_type(col) != MILVUS_TYPE_FLOAT_VECTOR)
            throw Error(MILVUS_ERR_TYPE_MISMATCH, "column " + std::string(column_name(col)) +
                                                      " is not a FLOAT_VECTOR column");
        Vectors v = column_vectors(col);
        if (dim_out != nullptr) *dim_out = v.dim;
        return Span<float>(static_cast<const float *>(v.data), v.dim * num_rows());
    }
    Sparse column_sparse(std::size_t col, std::size_t row) const {
        const std::uint8_t *pairs = nullptr;
        std::size_t nnz = 0;
        detail::ErrorSlot e;
        detail::check(milvus_result_column_sparse(r_, col, row, &pairs, &nnz, e.out()), e);
        return Sparse{pairs, nnz};
    }
    /// Per row: false where the value is null.
    Span<bool> column_validity(std::size_t col) const {
        return column(milvus_result_column_validity, col);
    }
    /// The result as one Arrow struct array (a record batch) through the Arrow C Data
    /// Interface; the caller releases both structs with their `release` callbacks. They stay
    /// valid after this Result is gone; vector columns share its memory without a copy.
    void export_arrow(struct ArrowSchema *schema_out, struct ArrowArray *array_out) const {
        detail::ErrorSlot e;
        detail::check(milvus_result_export_arrow(r_, schema_out, array_out, e.out()), e);
    }
    /// The result as the JSON the JSON path returns.
    std::string to_json() const {
        Buffer out;
        detail::ErrorSlot e;
        detail::check(milvus_result_to_json(r_, out.reset(), e.out()), e);
        return out.str();
    }

private:
    template <class T>
    using ColumnFn = milvus_status (*)(const milvus_result *, std::size_t, const T **,
                                       std::size_t *, milvus_error **);
    template <class T>
    Span<T> column(ColumnFn<T> fn, std::size_t col) const {
        const T *p = nullptr;
        std::size_t len = 0;
        detail::ErrorSlot e;
        detail::check(fn(r_, col, &p, &len, e.out()), e);
        return Span<T>(p, len);
    }

    milvus_result *r_ = nullptr;
};

/// A paged read (query_iterator / search_iterator). It holds its own reference to the
/// connection, so it may outlive the Client.
class Iterator {
public:
    /// Adopts an iterator the C API returned.
    explicit Iterator(milvus_iterator *it) noexcept : it_(it) {}
    Iterator(Iterator &&other) noexcept : it_(std::exchange(other.it_, nullptr)) {}
    Iterator &operator=(Iterator &&other) noexcept {
        if (this != &other) {
            milvus_iterator_free(it_);
            it_ = std::exchange(other.it_, nullptr);
        }
        return *this;
    }
    Iterator(const Iterator &) = delete;
    Iterator &operator=(const Iterator &) = delete;
    ~Iterator() { milvus_iterator_free(it_); }

    milvus_iterator *handle() const noexcept { return it_; }

    /// The next page as a JSON list; "[]" once every row has been read.
    std::string next() {
        Buffer out;
        detail::ErrorSlot e;
        detail::check(milvus_iterator_next(it_, out.reset(), e.out()), e);
        return out.str();
    }
    /// Reads the next page into `page`; false (and page "[]") at the end.
    bool next(std::string &page) {
        page = next();
        return page != "[]";
    }
    /// The next page as a typed result; num_rows() == 0 at the end.
    Result next_typed() {
        milvus_result *r = nullptr;
        detail::ErrorSlot e;
        detail::check(milvus_iterator_next_typed(it_, &r, e.out()), e);
        return Result(r);
    }

private:
    milvus_iterator *it_ = nullptr;
};

namespace detail {

/// Owns a completion the callback received.
struct CompletionPtr {
    milvus_completion *ptr;
    ~CompletionPtr() { milvus_completion_free(ptr); }
};

/// The completion callback of the std::future forms: `user_data` is the call's
/// std::promise<T> (T = std::string for JSON methods, Result for typed ones), owned from here
/// on. Runs on a libmilvus I/O thread and throws nothing (nothing may unwind into C).
template <class T>
void complete(milvus_completion *completion, void *user_data) noexcept {
    CompletionPtr c{completion};
    std::unique_ptr<std::promise<T>> p(static_cast<std::promise<T> *>(user_data));
    try {
        ErrorSlot e;
        if constexpr (std::is_same_v<T, std::string>) {
            Buffer out;
            check(milvus_completion_take(c.ptr, out.reset(), nullptr, e.out()), e);
            p->set_value(out.str());
        } else {
            milvus_result *r = nullptr;
            check(milvus_completion_take(c.ptr, nullptr, &r, e.out()), e);
            p->set_value(T(r));
        }
    } catch (...) {
        try {
            p->set_exception(std::current_exception());
        } catch (...) {  // out of memory: the future reports a broken promise instead
        }
    }
}

}  // namespace detail

/// A connection to one Milvus server (one HTTP/2 connection shared by all threads).
class Client {
public:
    /// Connects (see milvus_client_new): `uri` such as "http://127.0.0.1:19530"; empty
    /// user/password/token = none; `timeout_seconds` bounds connecting and is every call's
    /// default deadline (0 = none).
    explicit Client(std::string_view uri, std::string_view user = {},
                    std::string_view password = {}, std::string_view token = {},
                    double timeout_seconds = 30.0) {
        detail::CStr u(uri, "uri"), us(user, "user"), pw(password, "password"),
            tk(token, "token");
        detail::ErrorSlot e;
        detail::check(milvus_client_new(u.get(), us.or_null(), pw.or_null(), tk.or_null(),
                                        timeout_seconds, &c_, e.out()),
                      e);
    }
    /// Connects with the options as a JSON object (see milvus_client_connect: uri,
    /// credentials, db_name, timeout, TLS files, server_name, keepalive), e.g.
    /// Client::connect(R"({"uri": "https://host:443", "token": "...", "db_name": "app"})").
    static Client connect(std::string_view options_json) {
        detail::CStr o(options_json, "options_json");
        milvus_client *c = nullptr;
        detail::ErrorSlot e;
        detail::check(milvus_client_connect(o.get(), &c, e.out()), e);
        return Client(c);
    }
    /// Adopts a client the C API returned.
    static Client adopt(milvus_client *client) noexcept { return Client(client); }

    Client(Client &&other) noexcept : c_(std::exchange(other.c_, nullptr)) {}
    Client &operator=(Client &&other) noexcept {
        if (this != &other) {
            milvus_client_free(c_);
            c_ = std::exchange(other.c_, nullptr);
        }
        return *this;
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    ~Client() { milvus_client_free(c_); }

    milvus_client *handle() const noexcept { return c_; }
    milvus_client *release() noexcept { return std::exchange(c_, nullptr); }

    /// Any JSON method by name (e.g. "list_users"), as milvus_client_call.
    Buffer call_buffer(std::string_view method, std::string_view args_json = {}) const {
        detail::CStr m(method, "method"), a(args_json, "args_json");
        Buffer out;
        detail::ErrorSlot e;
        detail::check(milvus_client_call(c_, m.get(), a.get(), out.reset(), e.out()), e);
        return out;
    }
    std::string call(std::string_view method, std::string_view args_json = {}) const {
        return call_buffer(method, args_json).str();
    }

    // The most used JSON methods: args_json as for milvus_client_<name> (pymilvus keyword
    // arguments as a JSON object), the result JSON returned. Everything else: call().
    std::string search(std::string_view a) const { return json(milvus_client_search, a); }
    std::string hybrid_search(std::string_view a) const { return json(milvus_client_hybrid_search, a); }
    std::string query(std::string_view a) const { return json(milvus_client_query, a); }
    std::string get(std::string_view a) const { return json(milvus_client_get, a); }
    std::string insert(std::string_view a) const { return json(milvus_client_insert, a); }
    std::string upsert(std::string_view a) const { return json(milvus_client_upsert, a); }
    /// pymilvus `delete` (a C++ keyword).
    std::string remove(std::string_view a) const { return json(milvus_client_delete, a); }
    std::string create_collection(std::string_view a) const {
        return json(milvus_client_create_collection, a);
    }
    std::string drop_collection(std::string_view a) const { return json(milvus_client_drop_collection, a); }
    std::string has_collection(std::string_view a) const { return json(milvus_client_has_collection, a); }
    std::string describe_collection(std::string_view a) const {
        return json(milvus_client_describe_collection, a);
    }
    std::string list_collections(std::string_view a = {}) const {
        return json(milvus_client_list_collections, a);
    }
    std::string load_collection(std::string_view a) const { return json(milvus_client_load_collection, a); }
    std::string release_collection(std::string_view a) const {
        return json(milvus_client_release_collection, a);
    }
    std::string get_load_state(std::string_view a) const { return json(milvus_client_get_load_state, a); }
    std::string get_collection_stats(std::string_view a) const {
        return json(milvus_client_get_collection_stats, a);
    }
    std::string flush(std::string_view a) const { return json(milvus_client_flush, a); }
    std::string create_index(std::string_view a) const { return json(milvus_client_create_index, a); }
    std::string create_partition(std::string_view a) const { return json(milvus_client_create_partition, a); }
    std::string list_partitions(std::string_view a) const { return json(milvus_client_list_partitions, a); }
    std::string use_database(std::string_view a) const { return json(milvus_client_use_database, a); }
    std::string get_server_version() const { return json(milvus_client_get_server_version, {}); }

    /// Ends, from any thread, the calls in flight whose arguments (or options_json) carry
    /// "call_id": call_id; they throw MILVUS_ERR_CANCELLED. No such call: nothing happens.
    void cancel(std::string_view call_id) const {
        detail::CStr id(call_id, "call_id");
        detail::ErrorSlot e;
        detail::check(milvus_client_cancel(c_, id.get(), e.out()), e);
    }

    /// Paged reads: args as milvus_client_query_iterator / milvus_client_search_iterator.
    Iterator query_iterator(std::string_view args_json) const {
        return iterator(milvus_client_query_iterator, args_json);
    }
    Iterator search_iterator(std::string_view args_json) const {
        return iterator(milvus_client_search_iterator, args_json);
    }
    /// A WAL range, a page of messages at a time: args as milvus_client_dump_messages.
    Iterator dump_messages(std::string_view args_json) const {
        return iterator(milvus_client_dump_messages, args_json);
    }

    /// A session (pymilvus `session`): a Client on the same connection whose searches and
    /// queries carry {"cluster_id": ...}; args as milvus_client_session. Independent of this
    /// object's lifetime.
    Client session(std::string_view args_json) const {
        detail::CStr a(args_json, "args_json");
        milvus_client *s = nullptr;
        detail::ErrorSlot e;
        detail::check(milvus_client_session(c_, a.get(), &s, e.out()), e);
        return Client(s);
    }
    /// pymilvus `close`: every later call throws MILVUS_ERR_CLOSED; the destructor still
    /// frees the handle.
    void close() const { json(milvus_client_close, {}); }

    // The typed path (docs/typed-api.md). `options_json`: empty or a JSON object of the
    // remaining keyword arguments (partition_name / filter, limit, output_fields, ...).
    Result insert_columns(std::string_view collection, const Columns &columns,
                          std::string_view options_json = {}) const {
        return write(milvus_client_insert_columns, collection, columns, options_json);
    }
    Result upsert_columns(std::string_view collection, const Columns &columns,
                          std::string_view options_json = {}) const {
        return write(milvus_client_upsert_columns, collection, columns, options_json);
    }
    /// Searches with vectors.size() / dim query vectors laid out row-major. `anns_field`
    /// empty = the collection's only vector field.
    Result search_float(std::string_view collection, std::string_view anns_field,
                        Span<float> vectors, std::size_t dim,
                        std::string_view options_json = {}) const {
        detail::CStr c(collection, "collection_name"), f(anns_field, "anns_field"),
            o(options_json, "options_json");
        if (dim == 0 || vectors.size() % dim != 0)
            throw Error(MILVUS_ERR_INVALID_ARGUMENT,
                        "search_float: " + std::to_string(vectors.size()) +
                            " floats are not whole vectors of dimension " + std::to_string(dim));
        milvus_result *r = nullptr;
        detail::ErrorSlot e;
        detail::check(milvus_client_search_float(c_, c.get(), f.get(), vectors.data(),
                                                 vectors.size() / dim, dim, o.or_null(), &r,
                                                 e.out()),
                      e);
        return Result(r);
    }
    /// Searches with the vector column of `queries` (named after its anns_field).
    Result search_columns(std::string_view collection, const Columns &queries,
                          std::string_view options_json = {}) const {
        return write(milvus_client_search_columns, collection, queries, options_json);
    }
    Result hybrid_search_columns(std::string_view collection, const Columns &queries,
                                 std::string_view options_json) const {
        return write(milvus_client_hybrid_search_columns, collection, queries, options_json);
    }
    // Typed results from the JSON methods' own arguments.
    Result search_typed(std::string_view a) const { return typed(milvus_client_search_typed, a); }
    Result hybrid_search_typed(std::string_view a) const {
        return typed(milvus_client_hybrid_search_typed, a);
    }
    Result query_typed(std::string_view a) const { return typed(milvus_client_query_typed, a); }
    Result get_typed(std::string_view a) const { return typed(milvus_client_get_typed, a); }

    // Non-blocking calls (docs/guide.md "Non-blocking calls"): each starts the call and
    // returns at once; the future is ready when the call completes, its get() returns the
    // result or throws milvus::Error (also for a call that could not start: unknown method,
    // bad arguments, a NUL byte). Arguments are copied before these return. Cancel by a
    // "call_id" in the arguments (cancel()); "timeout" applies as for the blocking forms.

    /// Any JSON method by name, as call().
    std::future<std::string> call_async(std::string_view method, std::string_view args_json = {}) const {
        return start<std::string>([&](milvus_completion_callback cb, void *p, milvus_error **e) {
            detail::CStr m(method, "method"), a(args_json, "args_json");
            return milvus_client_start(c_, m.get(), a.or_null(), nullptr, cb, p, e);
        });
    }
    /// "search", "hybrid_search", "query" or "get" with a typed result, as search_typed() etc.
    std::future<Result> typed_async(std::string_view method, std::string_view args_json) const {
        return start<Result>([&](milvus_completion_callback cb, void *p, milvus_error **e) {
            detail::CStr m(method, "method"), a(args_json, "args_json");
            return milvus_client_start_typed(c_, m.get(), a.or_null(), nullptr, cb, p, e);
        });
    }
    /// "insert", "upsert", "search" or "hybrid_search" with columns, as insert_columns() etc.
    /// The call keeps its own reference to the columns: `columns` may be destroyed at once,
    /// but not added to before the future is ready.
    std::future<Result> columns_async(std::string_view method, std::string_view collection,
                                      const Columns &columns, std::string_view options_json = {}) const {
        return start<Result>([&](milvus_completion_callback cb, void *p, milvus_error **e) {
            detail::CStr m(method, "method"), c(collection, "collection_name"),
                o(options_json, "options_json");
            return milvus_client_start_columns(c_, m.get(), c.get(), columns.handle(), o.or_null(),
                                               nullptr, cb, p, e);
        });
    }
    std::future<std::string> search_async(std::string_view a) const { return call_async("search", a); }
    std::future<std::string> query_async(std::string_view a) const { return call_async("query", a); }
    std::future<std::string> insert_async(std::string_view a) const { return call_async("insert", a); }
    std::future<Result> search_typed_async(std::string_view a) const { return typed_async("search", a); }
    std::future<Result> query_typed_async(std::string_view a) const { return typed_async("query", a); }
    std::future<Result> insert_columns_async(std::string_view collection, const Columns &columns,
                                             std::string_view options_json = {}) const {
        return columns_async("insert", collection, columns, options_json);
    }
    std::future<Result> search_columns_async(std::string_view collection, const Columns &queries,
                                             std::string_view options_json = {}) const {
        return columns_async("search", collection, queries, options_json);
    }

private:
    explicit Client(milvus_client *c) noexcept : c_(c) {}

    /// Starts a call with `fn(callback, user_data, error_out)`; the promise is handed to the
    /// callback when the call started, else it carries the error at once.
    template <class T, class StartFn>
    std::future<T> start(StartFn fn) const {
        auto p = std::make_unique<std::promise<T>>();
        std::future<T> f = p->get_future();
        try {
            detail::ErrorSlot e;
            detail::check(fn(&detail::complete<T>, p.get(), e.out()), e);
            (void)p.release();  // started: the callback owns the promise (and may have run already)
        } catch (...) {
            p->set_exception(std::current_exception());
        }
        return f;
    }

    std::string json(detail::JsonMethod fn, std::string_view args_json) const {
        detail::CStr a(args_json, "args_json");
        Buffer out;
        detail::ErrorSlot e;
        detail::check(fn(c_, a.get(), out.reset(), e.out()), e);
        return out.str();
    }

    using IteratorFn = milvus_status (*)(const milvus_client *, const char *, milvus_iterator **,
                                         milvus_error **);
    Iterator iterator(IteratorFn fn, std::string_view args_json) const {
        detail::CStr a(args_json, "args_json");
        milvus_iterator *it = nullptr;
        detail::ErrorSlot e;
        detail::check(fn(c_, a.get(), &it, e.out()), e);
        return Iterator(it);
    }

    using ColumnsFn = milvus_status (*)(const milvus_client *, const char *, const milvus_columns *,
                                        const char *, milvus_result **, milvus_error **);
    Result write(ColumnsFn fn, std::string_view collection, const Columns &columns,
                 std::string_view options_json) const {
        detail::CStr c(collection, "collection_name"), o(options_json, "options_json");
        milvus_result *r = nullptr;
        detail::ErrorSlot e;
        detail::check(fn(c_, c.get(), columns.handle(), o.or_null(), &r, e.out()), e);
        return Result(r);
    }
    using TypedFn = milvus_status (*)(const milvus_client *, const char *, milvus_result **,
                                      milvus_error **);
    Result typed(TypedFn fn, std::string_view args_json) const {
        detail::CStr a(args_json, "args_json");
        milvus_result *r = nullptr;
        detail::ErrorSlot e;
        detail::check(fn(c_, a.get(), &r, e.out()), e);
        return Result(r);
    }

    milvus_client *c_ = nullptr;
};

/// A log record's severity.
enum class LogLevel : int {
    error = MILVUS_LOG_ERROR,
    warn = MILVUS_LOG_WARN,
    info = MILVUS_LOG_INFO,
    debug = MILVUS_LOG_DEBUG,
    trace = MILVUS_LOG_TRACE,
};

/// One log record; its strings are valid only during the logger's call (copy what you keep).
struct LogRecord {
    LogLevel level;
    std::string_view target;   ///< "milvus::client::retry", "h2::proto::connection", ...
    std::string_view message;
    std::string_view method;   ///< the call's method ("search"), empty outside a call
    std::string_view call_id;  ///< the call's "call_id", empty when it has none
};

using Logger = std::function<void(const LogRecord &)>;

namespace detail {

inline void log_trampoline(void *user, milvus_log_level level, const char *target,
                           const char *message, const char *method, const char *call_id) noexcept {
    auto view = [](const char *s) { return s != nullptr ? std::string_view(s) : std::string_view(); };
    try {
        (*static_cast<const Logger *>(user))(LogRecord{static_cast<LogLevel>(level), view(target),
                                                       view(message), view(method), view(call_id)});
    } catch (...) {
        // An exception cannot cross the C library; a logger that throws loses that record.
    }
}

/// The logger the library holds a pointer to. Never destroyed: at exit an I/O thread may
/// still be logging.
struct LoggerSlot {
    std::mutex mu;
    std::unique_ptr<Logger> current;
};

inline LoggerSlot &logger_slot() {
    static LoggerSlot *slot = new LoggerSlot;
    return *slot;
}

}  // namespace detail

/// Sends the library's log records to `logger` (replacing the one set before); an empty
/// `logger` removes it. `filter` chooses records as MILVUS_LOG does ("debug",
/// "info,milvus=debug,h2=off"; empty means "info"); a bad one throws
/// MILVUS_ERR_INVALID_ARGUMENT and keeps the current logger. While a logger is set,
/// MILVUS_LOG writes nothing to stderr. The logger runs on the library's threads and the
/// calling ones, possibly several at once, and must not call the library; exceptions it
/// throws are dropped. When this returns, the replaced logger is no longer running and has
/// been destroyed.
inline void set_logger(std::string_view filter, Logger logger) {
    auto &slot = detail::logger_slot();
    std::lock_guard<std::mutex> lock(slot.mu);
    detail::ErrorSlot e;
    if (!logger) {
        detail::check(milvus_log_set_callback(nullptr, nullptr, nullptr, e.out()), e);
        slot.current.reset();
        return;
    }
    detail::CStr f(filter, "filter");
    auto next = std::make_unique<Logger>(std::move(logger));
    detail::check(milvus_log_set_callback(f.or_null(), detail::log_trampoline, next.get(), e.out()), e);
    slot.current = std::move(next);  // the library no longer calls the old one
}

/// Calls slower than `seconds` are logged at warn level (default 1 s).
inline void set_slow_call_threshold(double seconds) {
    detail::ErrorSlot e;
    detail::check(milvus_log_set_slow_call_threshold(seconds, e.out()), e);
}

/// The library's version at run time, e.g. "0.1.0" (MILVUS_VERSION_STRING at build time).
inline std::string_view version() noexcept { return milvus_version(); }

/// The names of every JSON method, for enumeration.
inline std::vector<std::string_view> method_names() {
    std::vector<std::string_view> names;
    for (std::size_t i = 0, n = milvus_method_count(); i < n; i++) names.emplace_back(milvus_method_name(i));
    return names;
}

}  // namespace milvus

#endif  // MILVUS_HPP
