//go:build milvus_release && !milvus_pkgconfig && !milvus_external

package milvus

// The release library of this source tree (`cargo build --release`), found through an rpath.

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../../target/release -Wl,-rpath,${SRCDIR}/../../../target/release -lmilvus
import "C"
