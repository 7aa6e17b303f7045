package milvus

// TypedCancellable: whether typed calls (Search, Insert with Columns) can be cancelled.
const TypedCancellable = typedCallID
