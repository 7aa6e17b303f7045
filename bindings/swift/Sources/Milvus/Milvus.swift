// A thin Swift wrapper over libmilvus's C API (CMilvus). UNTESTED: written without a Swift
// toolchain; the C calls it makes are the ones tests/c and tests/cpp exercise (the async
// forms: tests/c/test_async.c, the C++ futures).
//
//     let client = try MilvusClient(uri: "http://127.0.0.1:19530")
//     let hits = try client.search(#"{"collection_name": "docs", "data": [[0.1, 0.2]], "limit": 3}"#)
//
// JSON in, JSON out: arguments are pymilvus's keyword arguments as a JSON object, results
// pymilvus's return value as JSON text (see docs/json-api.md). Failures throw MilvusError.
//
// Every call also has an `async` form that suspends the task instead of blocking a thread:
//
//     let hits = try await client.searchAsync(#"{"collection_name": "docs", "data": [[0.1, 0.2]]}"#)
import CMilvus

/// A failed call: the contents of the C `milvus_error`.
public struct MilvusError: Error, CustomStringConvertible {
    /// The `MILVUS_ERR_*` status number.
    public let status: Int32
    /// Its name, e.g. "MILVUS_ERR_TIMEOUT".
    public let statusName: String
    public let message: String
    /// The gRPC code of a transport failure, else 0.
    public let grpcCode: Int32
    /// The Milvus server's error code, else 0.
    public let serverCode: Int32
    /// Whether repeating the call later may succeed.
    public let retriable: Bool

    public var description: String { "\(statusName): \(message)" }

    init(status: milvus_status, message: String, grpcCode: Int32 = 0, serverCode: Int32 = 0,
         retriable: Bool = false) {
        self.status = status
        statusName = String(cString: milvus_status_str(status))
        self.message = message
        self.grpcCode = grpcCode
        self.serverCode = serverCode
        self.retriable = retriable
    }

    /// Takes over (and frees) a C error.
    static func take(status: milvus_status, error: OpaquePointer?) -> MilvusError {
        defer { milvus_error_free(error) }
        guard let e = error else { return MilvusError(status: status, message: "") }
        return MilvusError(status: status, message: String(cString: milvus_error_message(e)),
                           grpcCode: milvus_error_grpc_code(e), serverCode: milvus_error_server_code(e),
                           retriable: milvus_error_retriable(e))
    }
}

/// Runs a C call that fills `milvus_error **`; throws when it fails.
private func check(_ body: (UnsafeMutablePointer<OpaquePointer?>) -> milvus_status) throws {
    var error: OpaquePointer? = nil
    let status = body(&error)
    if status != MILVUS_OK {
        throw MilvusError.take(status: status, error: error)
    }
    milvus_error_free(error)
}

private func cString(_ s: String, _ what: String) throws -> String {
    // A NUL byte inside would reach C as a shorter string: refuse it.
    if s.utf8.contains(0) {
        throw MilvusError(status: milvus_status(MILVUS_ERR_INVALID_ARGUMENT), message: "\(what) contains a NUL byte")
    }
    return s
}

/// Takes the bytes of a C buffer as a String and frees it.
private func take(_ buffer: inout milvus_buffer) -> String {
    defer { milvus_buffer_free(&buffer) }
    guard let data = buffer.data else { return "" }
    return String(decoding: UnsafeBufferPointer(start: data, count: buffer.len), as: UTF8.self)
}

/// What a non-blocking call's completion callback needs: the suspended task's continuation.
/// Passed to C as user_data, retained once, released by the callback.
private final class CompletionBox: Sendable {
    let continuation: CheckedContinuation<String, Error>
    init(_ continuation: CheckedContinuation<String, Error>) { self.continuation = continuation }
}

/// The completion callback of the `async` calls: runs once per call on a libmilvus I/O thread,
/// takes the outcome and resumes the task (which never blocks that thread).
private let completeCall: milvus_completion_callback = { completion, userData in
    let box = Unmanaged<CompletionBox>.fromOpaque(userData!).takeRetainedValue()
    defer { milvus_completion_free(completion) }
    var out = milvus_buffer(data: nil, len: 0)
    var error: OpaquePointer? = nil
    let status = milvus_completion_take(completion, &out, nil, &error)
    if status == MILVUS_OK {
        box.continuation.resume(returning: take(&out))
    } else {
        box.continuation.resume(throwing: MilvusError.take(status: status, error: error))
    }
}

/// A connection to one Milvus server. Safe to use from many threads at once.
public final class MilvusClient {
    private let handle: OpaquePointer

    /// Connects (`milvus_client_new`). `timeout` (seconds) bounds connecting and is every
    /// call's default deadline; 0 = none.
    public init(uri: String, user: String? = nil, password: String? = nil, token: String? = nil,
                timeout: Double = 30) throws {
        var client: OpaquePointer? = nil
        let uri = try cString(uri, "uri")
        let user = try user.map { try cString($0, "user") }
        let password = try password.map { try cString($0, "password") }
        let token = try token.map { try cString($0, "token") }
        try check { err in
            milvus_client_new(uri, user, password, token, timeout, &client, err)
        }
        handle = client!
    }

    /// Connects with options as JSON (`milvus_client_connect`: uri, token, db_name, TLS files,
    /// server_name, keepalive, ...).
    public init(optionsJSON: String) throws {
        var client: OpaquePointer? = nil
        let options = try cString(optionsJSON, "optionsJSON")
        try check { err in milvus_client_connect(options, &client, err) }
        handle = client!
    }

    deinit { milvus_client_free(handle) }

    /// Any JSON method by name (`milvus_client_call`), e.g. `call("list_collections")`.
    public func call(_ method: String, _ argsJSON: String = "{}") throws -> String {
        let method = try cString(method, "method")
        let args = try cString(argsJSON, "argsJSON")
        var out = milvus_buffer(data: nil, len: 0)
        try check { err in milvus_client_call(handle, method, args, &out, err) }
        return take(&out)
    }

    public func search(_ argsJSON: String) throws -> String { try call("search", argsJSON) }
    public func query(_ argsJSON: String) throws -> String { try call("query", argsJSON) }
    public func insert(_ argsJSON: String) throws -> String { try call("insert", argsJSON) }
    public func upsert(_ argsJSON: String) throws -> String { try call("upsert", argsJSON) }
    public func delete(_ argsJSON: String) throws -> String { try call("delete", argsJSON) }
    public func createCollection(_ argsJSON: String) throws -> String { try call("create_collection", argsJSON) }
    public func dropCollection(_ argsJSON: String) throws -> String { try call("drop_collection", argsJSON) }

    /// `call` without blocking a thread (`milvus_client_start` with a completion callback):
    /// the task suspends until the call completes. The same arguments, result and errors,
    /// "timeout" included. Cancelling the task does not cancel the call: put a "call_id" in
    /// the arguments and call `cancel(callID:)`, and this throws MILVUS_ERR_CANCELLED. A client
    /// freed with calls in flight completes them with MILVUS_ERR_CANCELLED (a call in flight
    /// keeps its client alive, so that happens only when the C handle is freed elsewhere).
    public func callAsync(_ method: String, _ argsJSON: String = "{}") async throws -> String {
        let method = try cString(method, "method")
        let args = try cString(argsJSON, "argsJSON")
        return try await withCheckedThrowingContinuation { continuation in
            let box = Unmanaged.passRetained(CompletionBox(continuation))
            var error: OpaquePointer? = nil
            let status = milvus_client_start(handle, method, args, nil, completeCall,
                                             box.toOpaque(), &error)
            if status != MILVUS_OK {
                box.release() // nothing was started: the callback will not run
                continuation.resume(throwing: MilvusError.take(status: status, error: error))
            }
        }
    }

    public func searchAsync(_ argsJSON: String) async throws -> String { try await callAsync("search", argsJSON) }
    public func queryAsync(_ argsJSON: String) async throws -> String { try await callAsync("query", argsJSON) }
    public func insertAsync(_ argsJSON: String) async throws -> String { try await callAsync("insert", argsJSON) }
    public func upsertAsync(_ argsJSON: String) async throws -> String { try await callAsync("upsert", argsJSON) }

    /// Ends the calls in flight whose arguments carry `"call_id": callID` (`milvus_client_cancel`):
    /// they throw MILVUS_ERR_CANCELLED. No such call: nothing happens.
    public func cancel(callID: String) throws {
        let id = try cString(callID, "callID")
        try check { err in milvus_client_cancel(handle, id, err) }
    }

    /// A query iterator (`milvus_client_query_iterator`); read it with `next()`.
    public func queryIterator(_ argsJSON: String) throws -> MilvusIterator {
        let args = try cString(argsJSON, "argsJSON")
        var it: OpaquePointer? = nil
        try check { err in milvus_client_query_iterator(handle, args, &it, err) }
        return MilvusIterator(it!)
    }
}

/// Pages of a paged read. It keeps its own reference to the connection.
public final class MilvusIterator {
    private let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { milvus_iterator_free(handle) }

    /// The next page as a JSON list, or nil once every row has been read.
    public func next() throws -> String? {
        var out = milvus_buffer(data: nil, len: 0)
        try check { err in milvus_iterator_next(handle, &out, err) }
        let page = take(&out)
        return page == "[]" ? nil : page
    }
}

/// The library's version, e.g. "0.1.0".
public let milvusVersion = String(cString: milvus_version())
