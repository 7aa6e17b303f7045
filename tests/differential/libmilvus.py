"""A small ctypes wrapper over libmilvus.so for the differential tests.

    with Client("http://127.0.0.1:19530") as c:
        c.call("create_collection", collection_name="x", dimension=8)

`call(method, **kwargs)` sends the keyword arguments as JSON through `milvus_client_call` and
returns the parsed JSON result (`iterate(method, **kwargs)` reads an iterator's pages); on failure it raises `MilvusError` with the status name,
number and message. Every buffer and error the library hands out is freed here.

The library is found at $LIBMILVUS_SO, else <project>/target/debug/libmilvus.so.
"""

import ctypes
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SO = ROOT / "target" / "debug" / "libmilvus.so"


class _Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


_lib = None


def lib():
    """Loads libmilvus once and declares the prototypes used here."""
    global _lib
    if _lib is not None:
        return _lib
    path = os.environ.get("LIBMILVUS_SO") or str(DEFAULT_SO)
    L = ctypes.CDLL(path)
    vp = ctypes.c_void_p
    L.milvus_client_new.argtypes = [
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
        ctypes.c_double, ctypes.POINTER(vp), ctypes.POINTER(vp),
    ]
    L.milvus_client_new.restype = ctypes.c_int32
    L.milvus_client_free.argtypes = [vp]
    L.milvus_client_free.restype = None
    L.milvus_client_call.argtypes = [
        vp, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_Buffer), ctypes.POINTER(vp),
    ]
    L.milvus_client_call.restype = ctypes.c_int32
    L.milvus_buffer_free.argtypes = [ctypes.POINTER(_Buffer)]
    L.milvus_buffer_free.restype = None
    L.milvus_error_status.argtypes = [vp]
    L.milvus_error_status.restype = ctypes.c_int32
    L.milvus_error_message.argtypes = [vp]
    L.milvus_error_message.restype = ctypes.c_char_p
    L.milvus_error_server_code.argtypes = [vp]
    L.milvus_error_server_code.restype = ctypes.c_int32
    L.milvus_error_grpc_code.argtypes = [vp]
    L.milvus_error_grpc_code.restype = ctypes.c_int32
    L.milvus_error_free.argtypes = [vp]
    L.milvus_error_free.restype = None
    L.milvus_status_str.argtypes = [ctypes.c_int32]
    L.milvus_status_str.restype = ctypes.c_char_p
    L.milvus_version.argtypes = []
    L.milvus_version.restype = ctypes.c_char_p
    for it in ("milvus_client_query_iterator", "milvus_client_search_iterator",
               "milvus_client_dump_messages", "milvus_client_session"):
        getattr(L, it).argtypes = [vp, ctypes.c_char_p, ctypes.POINTER(vp), ctypes.POINTER(vp)]
        getattr(L, it).restype = ctypes.c_int32
    L.milvus_iterator_next.argtypes = [vp, ctypes.POINTER(_Buffer), ctypes.POINTER(vp)]
    L.milvus_iterator_next.restype = ctypes.c_int32
    L.milvus_iterator_free.argtypes = [vp]
    L.milvus_iterator_free.restype = None
    # The typed path and the Arrow C Data Interface (Client.typed_arrow, Client.insert_arrow).
    for typed in ("milvus_client_query_typed", "milvus_client_search_typed",
                  "milvus_client_get_typed"):
        getattr(L, typed).argtypes = [vp, ctypes.c_char_p, ctypes.POINTER(vp), ctypes.POINTER(vp)]
        getattr(L, typed).restype = ctypes.c_int32
    L.milvus_result_free.argtypes = [vp]
    L.milvus_result_free.restype = None
    L.milvus_result_write_count.argtypes = [vp]
    L.milvus_result_write_count.restype = ctypes.c_uint64
    L.milvus_result_export_arrow.argtypes = [vp, vp, vp, ctypes.POINTER(vp)]
    L.milvus_result_export_arrow.restype = ctypes.c_int32
    L.milvus_columns_new.argtypes = [ctypes.c_size_t, ctypes.POINTER(vp), ctypes.POINTER(vp)]
    L.milvus_columns_new.restype = ctypes.c_int32
    L.milvus_columns_free.argtypes = [vp]
    L.milvus_columns_free.restype = None
    L.milvus_columns_add_arrow.argtypes = [vp, vp, vp, ctypes.POINTER(vp)]
    L.milvus_columns_add_arrow.restype = ctypes.c_int32
    for write in ("milvus_client_insert_columns", "milvus_client_upsert_columns"):
        getattr(L, write).argtypes = [vp, ctypes.c_char_p, vp, ctypes.c_char_p,
                                      ctypes.POINTER(vp), ctypes.POINTER(vp)]
        getattr(L, write).restype = ctypes.c_int32
    _lib = L
    return L


# struct ArrowSchema is 72 bytes and struct ArrowArray 80 on 64-bit platforms; the release
# callback is the 8th and 9th pointer-sized word.
_SCHEMA_WORDS, _ARRAY_WORDS = 9, 10


def _arrow_structs():
    """Zeroed storage for one ArrowSchema and one ArrowArray."""
    return (ctypes.c_uint64 * _SCHEMA_WORDS)(), (ctypes.c_uint64 * _ARRAY_WORDS)()


def _released(s):
    """Whether an ArrowSchema/ArrowArray's release callback is NULL (moved or released)."""
    return s[len(s) - 2] == 0


class MilvusError(Exception):
    """A failed libmilvus call: `status` (number), `status_name`, `message`, server/gRPC codes."""

    def __init__(self, method, status, status_name, message, server_code=0, grpc_code=0):
        self.method = method
        self.status = status
        self.status_name = status_name
        self.message = message
        self.server_code = server_code
        self.grpc_code = grpc_code
        super().__init__(f"{method}: {status_name} ({status}): {message}")


def _take_error(status, err_ptr, method):
    """Builds a MilvusError from an owned milvus_error* (may be NULL) and frees it."""
    L = lib()
    try:
        if err_ptr:
            status = L.milvus_error_status(err_ptr) or status
            msg = (L.milvus_error_message(err_ptr) or b"").decode("utf-8", "replace")
            server_code = L.milvus_error_server_code(err_ptr)
            grpc_code = L.milvus_error_grpc_code(err_ptr)
        else:
            msg, server_code, grpc_code = "", 0, 0
        name = (L.milvus_status_str(status) or b"?").decode()
        return MilvusError(method, status, name, msg, server_code, grpc_code)
    finally:
        if err_ptr:
            L.milvus_error_free(err_ptr)


class Client:
    def __init__(self, uri, user=None, password=None, token=None, timeout=60.0):
        L = lib()
        enc = lambda s: s.encode() if s else None  # noqa: E731
        handle = ctypes.c_void_p()
        err = ctypes.c_void_p()
        st = L.milvus_client_new(enc(uri), enc(user), enc(password), enc(token),
                                 float(timeout), ctypes.byref(handle), ctypes.byref(err))
        if st != 0:
            raise _take_error(st, err.value, "milvus_client_new")
        self._h = handle

    def close(self):
        if getattr(self, "_h", None) is not None and self._h.value:
            lib().milvus_client_free(self._h)
        self._h = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, method, **kwargs):
        """Calls the JSON method `method` with `kwargs` as its arguments; returns parsed JSON."""
        if self._h is None:
            raise RuntimeError("client is closed")
        L = lib()
        args = json.dumps(kwargs).encode()
        buf = _Buffer()
        err = ctypes.c_void_p()
        st = L.milvus_client_call(self._h, method.encode(), args, ctypes.byref(buf),
                                  ctypes.byref(err))
        try:
            if st != 0:
                raise _take_error(st, err.value, method)
            raw = ctypes.string_at(buf.data, buf.len) if buf.data else b""
        finally:
            L.milvus_buffer_free(ctypes.byref(buf))
        return json.loads(raw.decode("utf-8")) if raw else None

    def iterate(self, method, **kwargs):
        """Runs `method` ("query_iterator", "search_iterator" or "dump_messages") to its end;
        returns its pages
        (parsed JSON lists), the final empty page left out."""
        L = lib()
        it = ctypes.c_void_p()
        err = ctypes.c_void_p()
        st = getattr(L, f"milvus_client_{method}")(self._h, json.dumps(kwargs).encode(),
                                                   ctypes.byref(it), ctypes.byref(err))
        if st != 0:
            raise _take_error(st, err.value, method)
        pages = []
        try:
            while True:
                buf = _Buffer()
                st = L.milvus_iterator_next(it, ctypes.byref(buf), ctypes.byref(err))
                try:
                    if st != 0:
                        raise _take_error(st, err.value, "milvus_iterator_next")
                    page = json.loads(ctypes.string_at(buf.data, buf.len).decode("utf-8"))
                finally:
                    L.milvus_buffer_free(ctypes.byref(buf))
                if not page:
                    return pages
                pages.append(page)
                if len(pages) > 10000:
                    raise RuntimeError(f"{method} does not end")
        finally:
            L.milvus_iterator_free(it)

    def session(self, **kwargs):
        """milvus_client_session: a Client for the session handle (freed with it)."""
        L = lib()
        h = ctypes.c_void_p()
        err = ctypes.c_void_p()
        st = L.milvus_client_session(self._h, json.dumps(kwargs).encode(), ctypes.byref(h),
                                     ctypes.byref(err))
        if st != 0:
            raise _take_error(st, err.value, "session")
        s = Client.__new__(Client)
        s._h = h
        return s

    def typed_arrow(self, method, **kwargs):
        """Runs the typed form of `method` ("query", "search" or "get") and returns its result
        as a pyarrow.RecordBatch imported through the Arrow C Data Interface. The result is
        freed before the batch is imported: the batch must own what it needs."""
        import pyarrow as pa

        L = lib()
        res = ctypes.c_void_p()
        err = ctypes.c_void_p()
        st = getattr(L, f"milvus_client_{method}_typed")(
            self._h, json.dumps(kwargs).encode(), ctypes.byref(res), ctypes.byref(err))
        if st != 0:
            raise _take_error(st, err.value, f"{method}_typed")
        schema, array = _arrow_structs()
        try:
            st = L.milvus_result_export_arrow(res, ctypes.addressof(schema),
                                              ctypes.addressof(array), ctypes.byref(err))
        finally:
            L.milvus_result_free(res)
        if st != 0:
            raise _take_error(st, err.value, "milvus_result_export_arrow")
        return pa.RecordBatch._import_from_c(ctypes.addressof(array), ctypes.addressof(schema))

    def insert_arrow(self, collection_name, batch, upsert=False):
        """Inserts (or upserts) a pyarrow.RecordBatch through milvus_columns_add_arrow;
        returns the write count."""
        L = lib()
        cols = ctypes.c_void_p()
        err = ctypes.c_void_p()
        st = L.milvus_columns_new(batch.num_rows, ctypes.byref(cols), ctypes.byref(err))
        if st != 0:
            raise _take_error(st, err.value, "milvus_columns_new")
        try:
            schema, array = _arrow_structs()
            batch._export_to_c(ctypes.addressof(array), ctypes.addressof(schema))
            st = L.milvus_columns_add_arrow(cols, ctypes.addressof(schema),
                                            ctypes.addressof(array), ctypes.byref(err))
            # Moved in whatever the outcome: nothing is left for us to release.
            assert _released(schema) and _released(array)
            if st != 0:
                raise _take_error(st, err.value, "milvus_columns_add_arrow")
            res = ctypes.c_void_p()
            write = "upsert" if upsert else "insert"
            st = getattr(L, f"milvus_client_{write}_columns")(
                self._h, collection_name.encode(), cols, None, ctypes.byref(res),
                ctypes.byref(err))
            if st != 0:
                raise _take_error(st, err.value, f"{write}_columns")
            n = L.milvus_result_write_count(res)
            L.milvus_result_free(res)
            return n
        finally:
            L.milvus_columns_free(cols)

    def __getattr__(self, name):
        # c.search(...) == c.call("search", ...)
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda **kw: self.call(name, **kw)
