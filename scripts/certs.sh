#!/usr/bin/env bash
# Test certificates for the secure Milvus instance (scripts/servers.sh start secure) and
# tests/security.rs. Written into DIR (default .servers/certs), kept while they stay valid:
#
#   ca.pem ca.key                 the test CA
#   server.pem server.key         server certificate of the CA, SAN localhost + 127.0.0.1
#   client.pem client.key         client certificate of the CA (mutual TLS)
#   other-ca.pem other-ca.key     an unrelated CA (the "wrong CA" case)
#   other-client.pem .key         a client certificate of the unrelated CA
#
#   scripts/certs.sh [DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/.servers/certs}"
DAYS=30

command -v openssl >/dev/null 2>&1 || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >&2; }
  else
    echo "certs.sh: openssl is missing" >&2; exit 1
  fi
}

mkdir -p "$DIR"
# Reuse a set that is complete and valid for at least one more day.
if [ -s "$DIR/other-client.key" ] && openssl x509 -checkend 86400 -noout -in "$DIR/server.pem" >/dev/null 2>&1 \
    && openssl x509 -checkend 86400 -noout -in "$DIR/client.pem" >/dev/null 2>&1; then
  echo "$DIR"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

ca() {  # ca NAME SUBJECT
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" -subj "$2" \
    -keyout "$tmp/$1.key" -out "$tmp/$1.pem" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

leaf() {  # leaf NAME SUBJECT EXTENSIONS [CA] : signed by CA (default ca)
  local by="${4:-ca}"
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "$2" \
    -keyout "$tmp/$1.key" -out "$tmp/$1.csr" 2>/dev/null
  printf '%s\n' "$3" >"$tmp/$1.ext"
  openssl x509 -req -sha256 -days "$DAYS" -in "$tmp/$1.csr" -CA "$tmp/$by.pem" -CAkey "$tmp/$by.key" \
    -CAcreateserial -extfile "$tmp/$1.ext" -out "$tmp/$1.pem" 2>/dev/null
}

ca ca "/CN=libmilvus test CA"
ca other-ca "/CN=libmilvus unrelated CA"
leaf server "/CN=localhost" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
leaf client "/CN=libmilvus test client" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
leaf other-client "/CN=libmilvus unrelated client" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth" other-ca

openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" "$tmp/client.pem" >/dev/null
openssl verify -CAfile "$tmp/other-ca.pem" "$tmp/other-client.pem" >/dev/null
chmod 600 "$tmp"/*.key
cp "$tmp"/{ca,other-ca,server,client,other-client}.{pem,key} "$DIR/"
echo "$DIR"
