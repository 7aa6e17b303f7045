"""A recording MilvusService on loopback: it accepts every method, records what each call sent
(method, metadata, request bytes) and answers with a scripted reply or a success reply of the
right type. The reference for what a request must hold is pymilvus: each case sends the same
call through pymilvus and libmilvus to one recorder and compares what was recorded.
"""

import threading
from concurrent import futures

import grpc
from google.protobuf import message_factory
from pymilvus.grpc_gen import common_pb2, milvus_pb2  # noqa: F401  (registers the types)

SERVICE = milvus_pb2.DESCRIPTOR.services_by_name["MilvusService"]


def _cls(descriptor):
    return message_factory.GetMessageClass(descriptor)


class Call:
    def __init__(self, method, metadata, request, time_remaining=None):
        self.method = method
        self.metadata = metadata
        self.request = request  # decoded with pymilvus's message class
        self.time_remaining = time_remaining  # seconds to the call's deadline, None if none

    def __repr__(self):
        return f"Call({self.method})"


class Recorder:
    """`replies[method]` is a message or a function(request) -> message; the default is a
    success reply of the method's type (Connect carries an identifier and a server version)."""

    def __init__(self, tls=None):
        """`tls`: None for plain HTTP/2, else {"cert", "key"} file paths of the server's
        certificate, and "client_ca" to require a client certificate signed by it."""
        self.calls = []
        self.replies = {}
        self._lock = threading.Lock()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        self._server.add_generic_rpc_handlers((self._Handler(self),))
        if tls is None:
            self.port = self._server.add_insecure_port("127.0.0.1:0")
        else:
            def read(key):
                with open(tls[key], "rb") as f:
                    return f.read()
            creds = grpc.ssl_server_credentials(
                [(read("key"), read("cert"))],
                root_certificates=read("client_ca") if "client_ca" in tls else None,
                require_client_auth="client_ca" in tls)
            self.port = self._server.add_secure_port("127.0.0.1:0", creds)
        self.scheme = "http" if tls is None else "https"
        self._server.start()

    @property
    def uri(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stop(self):
        self._server.stop(0)

    def take(self):
        """The calls recorded since the last take()."""
        with self._lock:
            calls, self.calls = self.calls, []
        return calls

    def _reply(self, name, req, out_cls):
        r = self.replies.get(name)
        if callable(r):
            r = r(req)
        if r is not None:
            return r
        reply = out_cls()
        if name == "Connect":
            reply.identifier = 1
            reply.server_info.build_tags = "v2.6.0"
        if "status" in out_cls.DESCRIPTOR.fields_by_name:
            reply.status.CopyFrom(common_pb2.Status())
        return reply

    class _Handler(grpc.GenericRpcHandler):
        def __init__(self, rec):
            self.rec = rec

        def service(self, details):
            name = details.method.rsplit("/", 1)[-1]
            m = SERVICE.methods_by_name.get(name)
            if m is None:
                return None
            in_cls, out_cls = _cls(m.input_type), _cls(m.output_type)
            rec = self.rec

            def handle(req, ctx):
                md = {k: v for k, v in ctx.invocation_metadata()}
                with rec._lock:
                    rec.calls.append(Call(name, md, req, ctx.time_remaining()))
                return rec._reply(name, req, out_cls)

            if m.server_streaming:
                # A streaming reply (DumpMessages) is scripted as a list of messages, or a
                # function(request) -> list; the default is an empty stream.
                def stream(req, ctx):
                    md = {k: v for k, v in ctx.invocation_metadata()}
                    with rec._lock:
                        rec.calls.append(Call(name, md, req))
                    r = rec.replies.get(name)
                    yield from (r(req) if callable(r) else r) or []

                return grpc.unary_stream_rpc_method_handler(
                    stream,
                    request_deserializer=in_cls.FromString,
                    response_serializer=lambda r: r.SerializeToString(),
                )
            return grpc.unary_unary_rpc_method_handler(
                handle,
                request_deserializer=in_cls.FromString,
                response_serializer=lambda r: r.SerializeToString(),
            )
