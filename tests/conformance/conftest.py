"""Fixtures of the wire-conformance suite: one recorder (recorder.py), a pymilvus MilvusClient
and a libmilvus client on it, and `same_request`, which runs one call through both and compares
what reached the server.

What may legitimately differ is normalised here and only here:
- key/value lists (`search_params`, function `params`, `rank_params`, ...) are compared as
  maps, and a value that is a JSON object as that object: pymilvus keeps a dict's insertion
  order, libmilvus writes JSON objects' keys sorted;
- a call's deadline (gRPC's `grpc-timeout`), compared in whole seconds left when it arrived;
- the metadata pymilvus adds per call for its own tracing (`client-request-id`, empty, and
  `client-request-unixmsec`, a clock reading) and each library's `user-agent`.
A CreateCollection's schema, sent as serialized bytes, is compared decoded. Every other
difference fails the case.
"""

import json
import os
import sys
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "differential"))

import libmilvus  # noqa: E402
from recorder import Recorder  # noqa: E402

IGNORED_METADATA = {"client-request-id", "client-request-unixmsec", "user-agent"}


@pytest.fixture(scope="session")
def rec():
    r = Recorder()
    yield r
    r.stop()


@pytest.fixture(scope="session")
def clients(rec):
    from pymilvus import MilvusClient

    py = MilvusClient(uri=rec.uri)
    # No client-wide deadline: pymilvus's MilvusClient sets none per call either, so that a
    # call's `timeout` alone decides the deadline both send.
    lm = libmilvus.Client(rec.uri, timeout=0)
    rec.take()
    yield py, lm
    lm.close()
    py.close()


def _json_object_or_text(s):
    try:
        v = json.loads(s)
    except (TypeError, ValueError):
        return s
    return v if isinstance(v, dict) else s


def _kv_lists_as_maps(v):
    """Key/value pair lists (as MessageToDict writes them) become dicts, recursively; a value
    holding a JSON object becomes that object."""
    if isinstance(v, list):
        if v and all(isinstance(x, dict) and set(x) <= {"key", "value"} and "key" in x
                     for x in v):
            return {x["key"]: _json_object_or_text(x.get("value", "")) for x in v}
        return [_kv_lists_as_maps(x) for x in v]
    if isinstance(v, dict):
        return {k: _kv_lists_as_maps(x) for k, x in v.items()}
    return v


def normalised(call):
    body = MessageToDict(call.request, preserving_proto_field_name=True)
    if call.method == "CreateCollection":
        # The schema travels as serialized bytes: compare it decoded.
        from pymilvus.grpc_gen import schema_pb2

        body["schema"] = MessageToDict(schema_pb2.CollectionSchema.FromString(call.request.schema),
                                       preserving_proto_field_name=True)
    md = {k: v for k, v in call.metadata.items() if k not in IGNORED_METADATA}
    if call.time_remaining is not None and call.time_remaining < 1e6:  # grpcio: "none" is huge
        # A deadline is compared in whole seconds: the two clients' clocks start apart.
        md["(deadline, s)"] = round(call.time_remaining)
    return _kv_lists_as_maps(body), md


def diff(a, b, path="$"):
    """Every place where two decoded requests differ, as 'path: a != b' lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += diff(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: pymilvus {a!r} != libmilvus {b!r}"]


@pytest.fixture
def same_request(rec, clients):
    """same_request(rpc, py_call, lm_method, **lm_kwargs): runs py_call(py) then the libmilvus
    JSON method; the `pick`-th request of `rpc` each sent (the last by default) must be equal,
    metadata included. Returns the two recorded requests."""
    py, lm = clients

    def run(rpc, py_call, lm_method, pick=-1, **lm_kwargs):
        rec.take()
        py_call(py)
        a = [c for c in rec.take() if c.method == rpc]
        if lm_method == "iterate:search_iterator":
            lm.iterate("search_iterator", **lm_kwargs)
        else:
            lm.call(lm_method, **lm_kwargs)
        b = [c for c in rec.take() if c.method == rpc]
        assert a and b, f"{rpc}: pymilvus sent {len(a)}, libmilvus {len(b)}"
        (ra, ma), (rb, mb) = normalised(a[pick]), normalised(b[pick])
        problems = diff(ra, rb) + diff(ma, mb, "metadata")
        assert not problems, f"{rpc} differs:\n  " + "\n  ".join(problems)
        return a[pick].request, b[pick].request

    return run


@pytest.fixture
def adjusted_request(rec, clients):
    """adjusted_request(rpc, py_call, lm_call, adjust=None, py_pick=-1, lm_pick=-1): runs
    py_call(py), then lm_call(lm) with the libmilvus client itself (for iterators and other
    calls that are not one JSON method). The `lm_pick`-th request of `rpc` libmilvus sent must
    equal pymilvus's `py_pick`-th as `adjust(py_body, lm_body)` changes pymilvus's (the decoded,
    normalised bodies; adjust edits the first in place or returns a new one). For the cases whose
    call sequence differs and those with a documented difference, which the case then states in
    `adjust`. JSON cells of an insert's or upsert's columns (JSON fields and the dynamic field)
    are compared decoded: pymilvus keeps a dict's insertion order, libmilvus writes JSON
    objects' keys sorted. Returns the two recorded requests."""
    py, lm = clients

    def run(rpc, py_call, lm_call, adjust=None, py_pick=-1, lm_pick=-1):
        rec.take()
        py_call(py)
        a = [c for c in rec.take() if c.method == rpc]
        lm_call(lm)
        b = [c for c in rec.take() if c.method == rpc]
        assert a and b, f"{rpc}: pymilvus sent {len(a)}, libmilvus {len(b)}"
        (ra, ma), (rb, mb) = normalised(a[py_pick]), normalised(b[lm_pick])
        ra, rb = _json_cells_decoded(ra), _json_cells_decoded(rb)
        if adjust is not None:
            ra = adjust(ra, rb) or ra
        problems = diff(ra, rb) + diff(ma, mb, "metadata")
        assert not problems, f"{rpc} differs:\n  " + "\n  ".join(problems)
        return a[py_pick].request, b[lm_pick].request

    return run


def compare_calls(rpc, a, b):
    """Every request of `rpc` among the recorded calls `a` (pymilvus's) and `b` (libmilvus's):
    as many of each, and each equal to its counterpart, metadata included. Returns the two
    lists of requests."""
    a = [c for c in a if c.method == rpc]
    b = [c for c in b if c.method == rpc]
    assert a and len(a) == len(b), f"{rpc}: pymilvus sent {len(a)}, libmilvus {len(b)}"
    problems = []
    for i, (x, y) in enumerate(zip(a, b)):
        (ra, ma), (rb, mb) = normalised(x), normalised(y)
        problems += diff(ra, rb, f"{rpc}[{i}]") + diff(ma, mb, f"{rpc}[{i}].metadata")
    assert not problems, f"{rpc} differs:\n  " + "\n  ".join(problems)
    return [c.request for c in a], [c.request for c in b]


@pytest.fixture
def same_requests(rec, clients):
    """same_requests(rpcs, py_call, lm_method, **lm_kwargs): one call through each client, then
    compare_calls for each RPC in `rpcs` (for calls that send several requests: a collection,
    its indexes and its load). Returns {rpc: (pymilvus requests, libmilvus requests)}."""
    py, lm = clients

    def run(rpcs, py_call, lm_method, **lm_kwargs):
        rec.take()
        py_call(py)
        a = rec.take()
        lm.call(lm_method, **lm_kwargs)
        b = rec.take()
        return {rpc: compare_calls(rpc, a, b) for rpc in rpcs}

    return run


def _json_cells_decoded(body):
    """A request whose columns' JSON cells (base64 of JSON text, as MessageToDict writes
    bytes) are the JSON values they hold."""
    import base64

    for fd in body.get("fields_data", []):
        cells = fd.get("scalars", {}).get("json_data", {})
        if "data" in cells:
            cells["data"] = [json.loads(base64.b64decode(c)) for c in cells["data"]]
    return body


# An added field (AddCollectionField's `schema`) travels as serialized bytes too: compared
# decoded, its type params as a map like every other key/value list. (Wraps `normalised`
# above, which the fixtures look up when they run.)
_normalised_without_added_field = normalised


def normalised(call):  # noqa: F811
    body, md = _normalised_without_added_field(call)
    if call.method == "AddCollectionField":
        from pymilvus.grpc_gen import schema_pb2

        body["schema"] = _kv_lists_as_maps(MessageToDict(
            schema_pb2.FieldSchema.FromString(call.request.schema),
            preserving_proto_field_name=True))
    return body, md


@pytest.fixture
def compare_parts():
    """(normalised, diff), as same_request uses them: for cases that compare calls they record
    themselves (clients made in the case), without importing this module by name (another
    conftest may hold that name)."""
    return normalised, diff


# ---------------------------------------------------------------------------------------------
# Coverage: which pymilvus MilvusClient methods and keyword arguments the cases exercised,
# counted from the libmilvus calls made (a case sends the same arguments to both clients).

_USED = {}
# Every text and number in the libmilvus calls' arguments, keys included: where enum values are
# looked for.
_VALUES = set()


def _collect_values(v):
    if isinstance(v, dict):
        for k, x in v.items():
            _VALUES.add(k)
            _collect_values(x)
    elif isinstance(v, (list, tuple)):
        for x in v:
            _collect_values(x)
    elif isinstance(v, (str, int, float)):
        _VALUES.add(v)


@pytest.fixture(scope="session", autouse=True)
def _count_calls():
    real_call, real_iterate = libmilvus.Client.call, libmilvus.Client.iterate
    real_session = libmilvus.Client.session

    def call(self, method, **kwargs):
        _USED.setdefault(method, set()).update(kwargs)
        _collect_values(kwargs)
        return real_call(self, method, **kwargs)

    def iterate(self, method, **kwargs):
        _USED.setdefault(method, set()).update(kwargs)
        _collect_values(kwargs)
        return real_iterate(self, method, **kwargs)

    def session(self, **kwargs):
        _USED.setdefault("session", set()).update(kwargs)
        return real_session(self, **kwargs)

    libmilvus.Client.call, libmilvus.Client.iterate = call, iterate
    libmilvus.Client.session = session
    yield
    libmilvus.Client.call, libmilvus.Client.iterate = real_call, real_iterate
    libmilvus.Client.session = real_session


def pymilvus_surface():
    """{method: [keyword, ...]} of the installed pymilvus's MilvusClient: every public method,
    and every named parameter of each (not self, *args, **kwargs)."""
    import inspect

    from pymilvus import MilvusClient

    out = {}
    for name, fn in inspect.getmembers(MilvusClient, inspect.isfunction):
        if name.startswith("_"):
            continue
        params = inspect.signature(fn).parameters.values()
        out[name] = [p.name for p in params if p.name != "self"
                     and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return out


def pymilvus_enums():
    """["enum:<Enum>.<NAME>", ...]: the values of pymilvus's enum-like arguments (consistency
    levels, data types, function types, metric types), each of which some case must pass by
    name. Placeholders (NONE, UNKNOWN, INVALID) and pymilvus's private members are left out."""
    from pymilvus import DataType, FunctionType
    from pymilvus.client.types import ConsistencyLevel, MetricType

    out = [f"enum:ConsistencyLevel.{n}" for n in ConsistencyLevel.keys()]
    for enum in (DataType, FunctionType, MetricType):
        out += [f"enum:{enum.__name__}.{m.name}" for m in enum
                if m.name not in ("NONE", "UNKNOWN", "INVALID") and not m.name.startswith("_")]
    return out


UNCOVERED = HERE / "uncovered.txt"


def _coverage():
    """(summary line, problem or None)."""
    surface = pymilvus_surface()
    methods = [m for m in surface if m in _USED]
    pairs = [(m, k) for m, ks in surface.items() for k in ks]
    covered = {(m, k) for m, k in pairs if k in _USED.get(m, ())}
    enums = pymilvus_enums()
    enums_missing = {e for e in enums if e.split(".", 1)[1] not in _VALUES}
    line = (f"conformance coverage: methods {len(methods)}/{len(surface)}, "
            f"keywords {len(covered)}/{len(pairs)}, "
            f"enum values {len(enums) - len(enums_missing)}/{len(enums)} "
            f"(pymilvus MilvusClient signatures and enums)")
    if os.environ.get("CONFORMANCE_COVERAGE_CHECK") != "1":
        return line, None
    # The whole suite ran: every pymilvus method or keyword without a case must be listed in
    # uncovered.txt, and nothing listed there may have gained a case.
    missing = {m for m in surface if m not in _USED} | {f"{m}.{k}" for m, k in pairs
                                                         if (m, k) not in covered}
    missing |= enums_missing
    if os.environ.get("CONFORMANCE_COVERAGE_WRITE") == "1":
        UNCOVERED.write_text(
            "# pymilvus MilvusClient methods, keywords and enum values without a conformance case\n"
            "# yet, one per line (`method`, `method.keyword` or `enum:Enum.VALUE`). The suite fails\n"
            "# when one is missing from here or listed here but covered. Rewritten by\n"
            "# CONFORMANCE_COVERAGE_WRITE=1 make conformance.\n" + "".join(f"{x}\n" for x in sorted(missing)))
    listed = {x.split("#")[0].strip() for x in UNCOVERED.read_text().splitlines()}
    listed.discard("")
    new, stale = sorted(missing - listed), sorted(listed - missing)
    problem = None
    if new or stale:
        problem = ("conformance coverage check failed: "
                   + (f"without a case and not in {UNCOVERED.name}: {new}. " if new else "")
                   + (f"listed in {UNCOVERED.name} but now covered: {stale}." if stale else ""))
    return line, problem


def pytest_sessionfinish(session, exitstatus):
    if _USED:
        session.config._conformance_coverage = _coverage()
        if session.config._conformance_coverage[1] and exitstatus == 0:
            session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, config):
    line, problem = getattr(config, "_conformance_coverage", (None, None))
    if line:
        terminalreporter.write_line(line)
    if problem:
        terminalreporter.write_line(problem)
