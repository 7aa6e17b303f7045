// swift-tools-version:5.7
// libmilvus for Swift: a thin wrapper over the C API. UNTESTED: no Swift toolchain is
// available where this project is built; only the module map is checked (as a Clang module,
// by `make swift-modulemap-check`). Install libmilvus first (`make install`), so that
// pkg-config finds milvus.pc.
import PackageDescription

let package = Package(
    name: "Milvus",
    // The async calls need Swift concurrency: macOS 10.15 / iOS 13 and later.
    platforms: [.macOS(.v10_15), .iOS(.v13)],
    products: [
        .library(name: "Milvus", targets: ["Milvus"]),
    ],
    targets: [
        .systemLibrary(name: "CMilvus", path: "Sources/CMilvus", pkgConfig: "milvus"),
        .target(name: "Milvus", dependencies: ["CMilvus"], path: "Sources/Milvus"),
    ]
)
