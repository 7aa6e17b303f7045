#!/usr/bin/env python3
"""Render proto/*.proto from the descriptors shipped in the pinned pymilvus package.

The RPCs we speak are listed in proto/rpcs.txt (plus messages sent inside bytes fields);
every message and enum they reach is
rendered with all of its fields, exactly as the official descriptors declare them.
`--check` renders into memory and fails when proto/ differs (run in CI), so a field
number or type can never drift from the protocol.
"""
import argparse
import difflib
import os
import sys

from google.protobuf import descriptor_pb2
from pymilvus.grpc_gen import milvus_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROTO_DIR = os.path.join(ROOT, "proto")
SERVICE = "MilvusService"

SCALARS = {
    1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64",
    7: "fixed32", 8: "bool", 9: "string", 12: "bytes", 13: "uint32",
    15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64",
}
F = descriptor_pb2.FieldDescriptorProto


def load_files():
    """All files reachable from milvus.proto, as FileDescriptorProto, by name."""
    files, stack = {}, [milvus_pb2.DESCRIPTOR]
    while stack:
        fd = stack.pop()
        if fd.name in files or fd.name.startswith("google/"):
            continue
        fdp = descriptor_pb2.FileDescriptorProto()
        fd.CopyToProto(fdp)
        files[fd.name] = fdp
        stack.extend(fd.dependencies)
    return files


def index_types(files):
    """Fully qualified type name -> (file name, descriptor proto, kind)."""
    types = {}

    def walk(fname, prefix, msgs, enums):
        for e in enums:
            types[f"{prefix}.{e.name}"] = (fname, e, "enum")
        for m in msgs:
            full = f"{prefix}.{m.name}"
            types[full] = (fname, m, "message")
            walk(fname, full, m.nested_type, m.enum_type)

    for fname, fdp in files.items():
        walk(fname, "." + fdp.package, fdp.message_type, fdp.enum_type)
    return types


def closure(roots, types):
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        _, desc, kind = types[name]
        if kind != "message":
            continue
        # a nested type is rendered inside its parent, so the parent comes along
        parent = name.rsplit(".", 1)[0]
        if parent in types and types[parent][2] == "message":
            stack.append(parent)
        for nested in desc.nested_type:
            stack.append(f"{name}.{nested.name}")
        for nested in desc.enum_type:
            stack.append(f"{name}.{nested.name}")
        for field in desc.field:
            if field.type_name:
                stack.append(field.type_name)
    return seen


def field_type(field):
    if field.type in (F.TYPE_MESSAGE, F.TYPE_ENUM):
        return field.type_name
    return SCALARS[field.type]


def render_enum(e, indent):
    pad = "  " * indent
    out = [f"{pad}enum {e.name} {{"]
    if e.options.allow_alias:
        out.append(f"{pad}  option allow_alias = true;")
    for v in e.value:
        out.append(f"{pad}  {v.name} = {v.number};")
    out.append(f"{pad}}}")
    return out


def render_message(m, full, indent):
    pad = "  " * indent
    out = [f"{pad}message {m.name} {{"]
    maps = {f"{full}.{n.name}": n for n in m.nested_type if n.options.map_entry}
    for n in m.enum_type:
        out += render_enum(n, indent + 1)
    for n in m.nested_type:
        if not n.options.map_entry:
            out += render_message(n, f"{full}.{n.name}", indent + 1)

    def line(field):
        if field.type_name in maps:
            entry = maps[field.type_name]
            k, v = entry.field[0], entry.field[1]
            return f"map<{field_type(k)}, {field_type(v)}> {field.name} = {field.number};"
        label = ""
        if field.label == F.LABEL_REPEATED:
            label = "repeated "
        elif field.proto3_optional:
            label = "optional "
        return f"{label}{field_type(field)} {field.name} = {field.number};"

    real_oneofs = {}
    for field in m.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            real_oneofs.setdefault(field.oneof_index, []).append(field)
    emitted = set()
    for field in m.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            idx = field.oneof_index
            if idx in emitted:
                continue
            emitted.add(idx)
            out.append(f"{pad}  oneof {m.oneof_decl[idx].name} {{")
            for member in real_oneofs[idx]:
                out.append(f"{pad}    {line(member)}")
            out.append(f"{pad}  }}")
        else:
            out.append(f"{pad}  {line(field)}")
    out.append(f"{pad}}}")
    return out


def render(files, types, rpcs, messages):
    milvus = files["milvus.proto"]
    service = next(s for s in milvus.service if s.name == SERVICE)
    methods = {m.name: m for m in service.method}
    missing = [r for r in rpcs if r not in methods]
    if missing:
        sys.exit(f"proto_gen: not in {SERVICE}: {', '.join(missing)}")
    roots = list(messages)
    for r in rpcs:
        roots += [methods[r].input_type, methods[r].output_type]
    keep = closure(roots, types)

    rendered = {}
    for fname, fdp in files.items():
        body = []
        prefix = "." + fdp.package
        for e in fdp.enum_type:
            if f"{prefix}.{e.name}" in keep:
                body += render_enum(e, 0) + [""]
        for m in fdp.message_type:
            if f"{prefix}.{m.name}" in keep:
                body += render_message(m, f"{prefix}.{m.name}", 0) + [""]
        if fname == "milvus.proto":
            body.append(f"service {SERVICE} {{")
            for r in rpcs:
                m = methods[r]
                # A streaming side (DumpMessages streams its replies) keeps its `stream`.
                cin = "stream " if m.client_streaming else ""
                cout = "stream " if m.server_streaming else ""
                body.append(
                    f"  rpc {r}({cin}{m.input_type}) returns ({cout}{m.output_type});")
            body += ["}", ""]
        if not body:
            continue
        used = set()
        for name in keep:
            owner = types[name][0]
            if owner != fname and any(name in line for line in body):
                used.add(owner)
        head = [
            "// Generated by scripts/proto_gen.py from the descriptors of the pinned pymilvus",
            "// package. Do not edit: change proto/rpcs.txt and re-run the script.",
            'syntax = "proto3";',
            "",
            f"package {fdp.package};",
            "",
        ]
        head += [f'import "{dep}";' for dep in sorted(used)]
        if used:
            head.append("")
        rendered[fname] = "\n".join(head + body).rstrip("\n") + "\n"
    return rendered


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if proto/ is not up to date")
    args = ap.parse_args()
    with open(os.path.join(PROTO_DIR, "rpcs.txt")) as f:
        entries = [l.split("#")[0].strip() for l in f]
    entries = [e for e in entries if e]
    # `message a.b.C` names a message sent inside bytes fields (no RPC reaches it).
    messages = ["." + e.split()[1] for e in entries if e.startswith("message ")]
    rpcs = [e for e in entries if not e.startswith("message ")]
    files = load_files()
    rendered = render(files, index_types(files), rpcs, messages)
    on_disk = {n for n in os.listdir(PROTO_DIR) if n.endswith(".proto")}
    stale = []
    for name, text in rendered.items():
        path = os.path.join(PROTO_DIR, name)
        old = open(path).read() if os.path.exists(path) else ""
        if old != text:
            stale.append(name)
            if args.check:
                sys.stdout.writelines(difflib.unified_diff(
                    old.splitlines(True), text.splitlines(True), f"proto/{name}", "expected"))
            else:
                with open(path, "w") as f:
                    f.write(text)
    extra = sorted(on_disk - set(rendered))
    if args.check:
        if stale or extra:
            sys.exit(f"proto_gen: proto/ differs from the pymilvus descriptors: {stale + extra}")
        print(f"proto_gen: proto/ matches pymilvus descriptors ({len(rpcs)} RPCs)")
    else:
        for name in extra:
            os.remove(os.path.join(PROTO_DIR, name))
        print(f"proto_gen: wrote {sorted(rendered)}")


if __name__ == "__main__":
    main()
