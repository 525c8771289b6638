// swift-tools-version: 6.0
import PackageDescription

// The matrix kernels are built optimised even in debug builds (debug SIMD code is a hundred times
// slower), and for AVX-512 on x86-64; they run only where the CPU says it has it.
#if arch(x86_64)
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-mavx512f", "-Xcc", "-mfma"])]
#else
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

let package = Package(
    name: "askdb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "askdb-api", targets: ["API"]),
        .executable(name: "askdb-indexer", targets: ["Indexer"]),
        .executable(name: "askdb-bench", targets: ["Benchmarks"]),
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Jobs", targets: ["Jobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // jwt-kit 5.x needs swift-crypto 4.x; this range is what resolves with every other package.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Thin system-library targets over Debian's -dev packages.
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .systemLibrary(
            name: "CMongoc",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CPgQuery",
            providers: [.apt(["libpg-query-dev"])]
        ),
        // Header only: CPU feature checks.
        .systemLibrary(name: "CCPUFeatures"),
        .target(
            name: "MatrixKernels",
            dependencies: ["CCPUFeatures"],
            swiftSettings: kernelFlags
        ),
        .target(
            name: "Core",
            dependencies: [
                "CHiredis",
                "MatrixKernels",
                "CMongoc",
                "COpenBLAS",
                "CPgQuery",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Jobs",
            dependencies: [
                "Core",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "API",
            dependencies: [
                "Core",
                "Jobs",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "Indexer",
            dependencies: [
                "Core",
                "Jobs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Real servers for tests: the databases and Redis that scripts/test.sh starts.
        .target(
            name: "TestSupport",
            dependencies: [
                "Core",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "Core",
                "Jobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "CoreTests",
            dependencies: ["Core", "Jobs", "MatrixKernels", "TestSupport", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(
            name: "JobsTests",
            dependencies: ["Core", "Jobs", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API",
                "Core",
                "Jobs",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
