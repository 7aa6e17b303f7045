//go:build milvus_pkgconfig && !milvus_external

package milvus

// An installed libmilvus described by milvus.pc (PKG_CONFIG_PATH selects which).

// #cgo pkg-config: milvus
import "C"
