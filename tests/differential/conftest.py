"""Fixtures of the differential suite: one pymilvus MilvusClient and one libmilvus client per
server, unique collection names, and the normalisation that makes their answers comparable.

Servers: MILVUS_URI (Milvus 2.3.5 standalone, default http://127.0.0.1:19530),
MILVUS_LITE_URI (Milvus Lite 2.5.1, default http://127.0.0.1:19531) and MILVUS_LITE3_URI
(Milvus Lite 3.2.2, default http://127.0.0.1:19532), as scripts/servers.sh starts them. A
server that cannot be reached is an error, not a skip. The library under test is
$LIBMILVUS_SO, else target/debug/libmilvus.so (see libmilvus.py).
"""

import enum
import os
import socket
import struct
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import libmilvus  # noqa: E402

SERVERS = {
    "standalone": os.environ.get("MILVUS_URI") or "http://127.0.0.1:19530",
    "lite": os.environ.get("MILVUS_LITE_URI") or "http://127.0.0.1:19531",
    "lite3": os.environ.get("MILVUS_LITE3_URI") or "http://127.0.0.1:19532",
}

RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _reachable(uri, timeout=3.0):
    u = urlparse(uri if "://" in uri else "http://" + uri)
    try:
        with socket.create_connection((u.hostname, u.port or 19530), timeout=timeout):
            return True
    except OSError:
        return False


class Pair:
    """Both clients of one server plus helpers to run one operation through both."""

    def __init__(self, server, uri):
        from pymilvus import MilvusClient

        self.server = server
        self.uri = uri
        self.py = MilvusClient(uri=uri, timeout=60)
        self.lm = libmilvus.Client(uri, timeout=60)
        self._n = 0
        self.created = []  # (client kind, collection name), dropped at teardown

    def names(self, tag):
        """Two fresh collection names (pymilvus's, libmilvus's) sharing one suffix."""
        self._n += 1
        base = f"diff_{RUN_ID}_{self.server[:4]}_{tag}_{self._n}"
        return f"{base}_py", f"{base}_lm"

    def close(self):
        for name in list(dict.fromkeys(self.created)):
            try:
                self.py.drop_collection(name)
            except Exception as e:  # pragma: no cover - best effort cleanup
                print(f"cleanup: drop {name}: {e}", file=sys.stderr)
        self.created.clear()
        try:
            self.py.close()
        finally:
            self.lm.close()


@pytest.fixture(scope="session", params=list(SERVERS), ids=list(SERVERS))
def pair(request):
    server = request.param
    uri = SERVERS[server]
    deadline = time.time() + float(os.environ.get("DIFF_SERVER_WAIT", "0"))
    while not _reachable(uri):
        if time.time() >= deadline:
            pytest.fail(f"{server} server at {uri} is not reachable "
                        f"(start it with scripts/servers.sh start all)")
        time.sleep(2)
    p = Pair(server, uri)
    yield p
    p.close()


# ------------------------------------------------------------------------------------------
# Normalisation


def f32(x):
    """The float32 bit pattern of a number (what the server stores for FLOAT / FLOAT_VECTOR)."""
    return struct.unpack("<I", struct.pack("<f", float(x)))[0]


def norm(v):
    """pymilvus's objects → plain JSON-like values: enums → names, numpy → python, tuples and
    protobuf repeated fields → lists, dict subclasses (OmitZeroDict, Hit) → dicts."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if isinstance(v, enum.Enum):
        return v.name
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if np is not None:
        if isinstance(v, np.generic):
            return norm(v.item())
        if isinstance(v, np.ndarray):
            return [norm(x) for x in v.tolist()]
    if isinstance(v, bytes):
        return v
    if isinstance(v, dict) or hasattr(v, "keys"):
        return {str(k): norm(v[k]) for k in v.keys()}
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    try:  # protobuf repeated fields iterate through __getitem__ only
        items = iter(v)
    except TypeError:
        return v  # e.g. a protobuf message: left to the caller
    return [norm(x) for x in items]


def close(a, b, path="$", tol=1e-6):
    """Asserts a == b structurally. Floats are equal when their float32 bit patterns match or
    they differ by at most `tol` (relative for large values). Returns nothing; raises
    AssertionError naming the first differing path."""
    if isinstance(a, bool) or isinstance(b, bool):
        assert a == b, f"{path}: {a!r} != {b!r}"
        return
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            assert a == b, f"{path}: {a!r} != {b!r}"
            return
        if f32(a) == f32(b):
            return
        assert abs(a - b) <= tol * max(1.0, abs(a), abs(b)), f"{path}: {a!r} != {b!r}"
        return
    if isinstance(a, dict) and isinstance(b, dict):
        assert set(a) == set(b), (
            f"{path}: keys differ: only pymilvus {sorted(set(a) - set(b))}, "
            f"only libmilvus {sorted(set(b) - set(a))}")
        for k in a:
            close(a[k], b[k], f"{path}.{k}", tol)
        return
    if isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{path}: lengths {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]", tol)
        return
    assert type(a) is type(b) and a == b, f"{path}: {a!r} ({type(a).__name__}) != {b!r} ({type(b).__name__})"
