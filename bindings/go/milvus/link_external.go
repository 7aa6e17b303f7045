//go:build milvus_external

package milvus

// No flags from the package: CGO_CFLAGS must name the include directory and CGO_LDFLAGS the
// library, e.g. CGO_CFLAGS=-I/opt/milvus/include CGO_LDFLAGS="-L/opt/milvus/lib -lmilvus".

import "C"
