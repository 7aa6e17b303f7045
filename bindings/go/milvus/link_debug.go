//go:build !milvus_release && !milvus_pkgconfig && !milvus_external

package milvus

// Default: the debug library of this source tree (`cargo build`), found at run time through
// an rpath. Other choices: build tags milvus_release (target/release), milvus_pkgconfig
// (`pkg-config milvus`) and milvus_external (nothing here: set CGO_CFLAGS and CGO_LDFLAGS).

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../../target/debug -Wl,-rpath,${SRCDIR}/../../../target/debug -lmilvus
import "C"
