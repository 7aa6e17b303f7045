module github.com/libmilvus/libmilvus/examples/go

go 1.19

require github.com/libmilvus/libmilvus/bindings/go v0.0.0

replace github.com/libmilvus/libmilvus/bindings/go => ../../bindings/go
