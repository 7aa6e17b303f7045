"""Each connection form of pymilvus 3.0.2's MilvusClient (credentials in the URI, a token, a user
and a password, a database by argument or in the URI) and libmilvus's same form, to the
recorder: the metadata of the calls that follow (authorization, dbname, identifier) and the
Connect handshake itself.

The pymilvus clients here are dedicated (their own channel, so their own Connect); libmilvus
clients are made with milvus_client_connect, which takes pymilvus's connection arguments.
"""

import ctypes
import json
import re

import libmilvus
import pytest
from pymilvus import MilvusClient


def lm_connect(options):
    """A libmilvus client made by milvus_client_connect from `options` (JSON)."""
    L = libmilvus.lib()
    L.milvus_client_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                                        ctypes.POINTER(ctypes.c_void_p)]
    L.milvus_client_connect.restype = ctypes.c_int32
    handle, err = ctypes.c_void_p(), ctypes.c_void_p()
    st = L.milvus_client_connect(json.dumps(options).encode(), ctypes.byref(handle),
                                 ctypes.byref(err))
    if st != 0:
        raise libmilvus._take_error(st, err.value, "milvus_client_connect")
    client = libmilvus.Client.__new__(libmilvus.Client)
    client._h = handle
    return client


def with_credentials(uri, creds):
    return uri.replace("http://", f"http://{creds}@")


# Each form as pymilvus's keyword arguments; libmilvus takes the same names. The URIs are
# filled in with the recorder's.
FORMS = {
    "plain": {},
    "uri-credentials": {"uri": "alice:s3cret"},
    "token": {"token": "alice:s3cret"},
    "api-key": {"token": "an-api-key"},
    "user-password": {"user": "alice", "password": "s3cret"},
    "db-name": {"db_name": "shop"},
    "db-in-uri": {"uri": "/shop"},
    "token-and-db": {"token": "root:Milvus", "db_name": "shop"},
    "uri-credentials-and-db": {"uri": "bob:pw/shop"},
}


def options(rec, form):
    kw = dict(FORMS[form])
    extra = kw.pop("uri", "")
    if extra.startswith("/"):
        kw["uri"] = rec.uri + extra
    elif extra:
        creds, _, path = extra.partition("/")
        kw["uri"] = with_credentials(rec.uri, creds) + (f"/{path}" if path else "")
    else:
        kw["uri"] = rec.uri
    return kw


def calls_of(rec, make, use):
    rec.take()
    client = make()
    try:
        use(client)
    finally:
        client.close()
    return rec.take()


@pytest.mark.parametrize("form", FORMS)
def test_metadata_of_each_connection_form(rec, compare_parts, form):
    normalised, diff = compare_parts
    kw = options(rec, form)
    a = calls_of(rec, lambda: MilvusClient(dedicated=True, **kw),
                 lambda py: py.list_collections())
    b = calls_of(rec, lambda: lm_connect(kw), lambda lm: lm.call("list_collections"))
    (ra, ma), (rb, mb) = [normalised(next(c for c in calls if c.method == "ShowCollections"))
                          for calls in (a, b)]
    problems = diff(ra, rb) + diff(ma, mb, "metadata")
    assert not problems, "\n".join(problems)
    if "s3cret" in json.dumps(FORMS[form]):
        assert mb["authorization"] == "YWxpY2U6czNjcmV0"  # base64 of alice:s3cret
    assert mb["identifier"] == "1"
    assert mb["dbname"] == ("shop" if "shop" in json.dumps(FORMS[form]) else "")


def test_libmilvus_new_takes_user_and_password_as_pymilvus_does(rec, compare_parts):
    normalised, diff = compare_parts
    # milvus_client_new's positional user and password: the same header as pymilvus's.
    a = calls_of(rec, lambda: MilvusClient(uri=rec.uri, user="alice", password="s3cret",
                                           dedicated=True),
                 lambda py: py.list_collections())
    b = calls_of(rec, lambda: libmilvus.Client(rec.uri, user="alice", password="s3cret",
                                                     timeout=0),
                 lambda lm: lm.call("list_collections"))
    (ra, ma), (rb, mb) = [normalised(next(c for c in calls if c.method == "ShowCollections"))
                          for calls in (a, b)]
    assert not diff(ra, rb) + diff(ma, mb, "metadata")


@pytest.mark.parametrize("form", ["plain", "token", "uri-credentials"])
def test_connect_handshake(rec, compare_parts, form):
    """The Connect request: the same metadata, and the same client_info but for what names
    each library (sdk_type, sdk_version) and the clock reading, which both write as Python's
    str(datetime) does (pymilvus in local time, libmilvus in UTC)."""
    normalised, diff = compare_parts
    kw = options(rec, form)
    a = calls_of(rec, lambda: MilvusClient(dedicated=True, **kw), lambda py: None)
    b = calls_of(rec, lambda: lm_connect(kw), lambda lm: None)
    (ra, ma), (rb, mb) = [normalised(next(c for c in calls if c.method == "Connect"))
                          for calls in (a, b)]
    py_info, lm_info = ra["client_info"], rb["client_info"]
    assert (py_info.pop("sdk_type"), lm_info.pop("sdk_type")) == ("Python", "libmilvus")
    assert py_info.pop("sdk_version") and lm_info.pop("sdk_version")
    stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$")
    for info in (py_info, lm_info):
        assert stamp.match(info.pop("local_time")), info
    problems = diff(ra, rb) + diff(ma, mb, "metadata")
    assert not problems, "\n".join(problems)


# --- over TLS -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    import subprocess
    from pathlib import Path

    d = tmp_path_factory.mktemp("certs")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([str(root / "scripts" / "certs.sh"), str(d)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return d


# Each TLS form as pymilvus's keyword arguments (file names in the certs folder), with and
# without credentials: the server-certificate check alone, and mutual TLS.
TLS_FORMS = {
    "server-cert": {"server_pem_path": "ca.pem", "server_name": "localhost"},
    "server-cert-token": {"server_pem_path": "ca.pem", "server_name": "localhost",
                          "token": "alice:s3cret", "db_name": "shop"},
    "mutual": {"client_pem_path": "client.pem", "client_key_path": "client.key",
               "ca_pem_path": "ca.pem", "server_name": "localhost"},
    "mutual-user-password": {"client_pem_path": "client.pem", "client_key_path": "client.key",
                             "ca_pem_path": "ca.pem", "server_name": "localhost",
                             "user": "alice", "password": "s3cret"},
}


@pytest.mark.parametrize("form", TLS_FORMS)
def test_metadata_over_tls(certs, compare_parts, form):
    from recorder import Recorder

    normalised, diff = compare_parts
    mutual = form.startswith("mutual")
    tls = {"cert": certs / "server.pem", "key": certs / "server.key"}
    if mutual:
        tls["client_ca"] = certs / "ca.pem"
    rec = Recorder(tls=tls)
    try:
        kw = {k: (str(certs / v) if k.endswith("_path") else v)
              for k, v in TLS_FORMS[form].items()}
        kw.update(uri=rec.uri, secure=True)
        a = calls_of(rec, lambda: MilvusClient(dedicated=True, **kw),
                     lambda py: py.list_collections())
        b = calls_of(rec, lambda: lm_connect(kw), lambda lm: lm.call("list_collections"))
    finally:
        rec.stop()
    for rpc in ("Connect", "ShowCollections"):
        (ra, ma), (rb, mb) = [normalised(next(c for c in calls if c.method == rpc))
                              for calls in (a, b)]
        if rpc == "Connect":
            for info in (ra["client_info"], rb["client_info"]):
                for k in ("sdk_type", "sdk_version", "local_time"):
                    info.pop(k)
        problems = diff(ra, rb) + diff(ma, mb, f"{rpc}.metadata")
        assert not problems, "\n".join(problems)
    if "s3cret" in json.dumps(TLS_FORMS[form]):
        assert mb["authorization"] == "YWxpY2U6czNjcmV0"  # base64 of alice:s3cret
