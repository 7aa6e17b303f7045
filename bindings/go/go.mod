module github.com/libmilvus/libmilvus/bindings/go

go 1.19
