// swift-tools-version: 6.0
import PackageDescription

// The matrix kernels are built optimised even in debug builds (debug SIMD code is a hundred times
// slower), and for AVX-512 on x86-64; they run only where the CPU says it has it.
#if arch(x86_64)
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-mavx512f", "-Xcc", "-mfma"])]
#else
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-O"])]
#endif

// One target per box of docs/architecture.md. A target imports only targets of lower layers
// (the layer list is in that document; LayerRulesTests checks this file against it).
let package = Package(
    name: "askdb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "askdb-api", targets: ["API"]),
        .executable(name: "askdb-indexer", targets: ["Indexer"]),
        .executable(name: "askdb-bench", targets: ["Benchmarks"]),
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
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Layer 0: thin system-library targets over Debian's -dev packages.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CMongoc", pkgConfig: "libmongoc-1.0", providers: [.apt(["libmongoc-dev", "libbson-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPgQuery", providers: [.apt(["libpg-query-dev"])]),
        // Header only: CPU feature checks.
        .systemLibrary(name: "CCPUFeatures"),

        .target(
            name: "Support",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "Redis",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "Support",
                "CHiredis",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "Mongo",
            dependencies: [
                "Support",
                "CMongoc"
            ]
        ),
        .target(
            name: "PostgresSyntax",
            dependencies: [
                "Support",
                "CPgQuery"
            ]
        ),
        .target(
            name: "UpstreamHTTP",
            dependencies: [
                "Support",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio")
            ]
        ),
        // MCP's JSON-RPC over one HTTP request, stateless; written here rather than taken from
        // modelcontextprotocol/swift-sdk, whose server is a long-lived actor per connection.
        .target(
            name: "MCPProtocol",
            dependencies: [
                "Support"
            ]
        ),
        .target(
            name: "MatrixKernels",
            dependencies: [
                "CCPUFeatures"
            ],
            swiftSettings: kernelFlags
        ),
        .target(
            name: "AppDatabase",
            dependencies: [
                "PostgresSyntax",
                "Support",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "RateLimits",
            dependencies: [
                "Redis",
                "Support"
            ]
        ),
        .target(
            name: "SchemaModel",
            dependencies: [
                "Support"
            ]
        ),
        .target(
            name: "Embedding",
            dependencies: [
                "MatrixKernels",
                "Support",
                "UpstreamHTTP",
                "COpenBLAS",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "LanguageModel",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "Support",
                "UpstreamHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio")
            ]
        ),
        .target(
            name: "Accounts",
            dependencies: [
                "AppDatabase",
                "RateLimits",
                "Support",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ]
        ),
        .target(
            name: "Jobs",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "AppDatabase",
                "Redis",
                "Support",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "DataSources",
            dependencies: [
                "AppDatabase",
                "LanguageModel",
                "Mongo",
                "PostgresSyntax",
                "SchemaModel",
                "Support",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "Retrieval",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "AppDatabase",
                "DataSources",
                "Embedding",
                "SchemaModel",
                "Support",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ]
        ),
        .target(
            name: "Connections",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "AppDatabase",
                "DataSources",
                "Jobs",
                "RateLimits",
                "SchemaModel",
                "Support",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ]
        ),
        .target(
            name: "Query",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "Accounts",
                "AppDatabase",
                "Connections",
                "DataSources",
                "Embedding",
                "Jobs",
                "LanguageModel",
                "RateLimits",
                "Redis",
                "Retrieval",
                "SchemaModel",
                "Support",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                "AppDatabase",
                "Embedding",
                "Redis",
                "Retrieval",
                "Support",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .target(
            name: "Evaluation",
            dependencies: [
                "DataSources",
                "Embedding",
                "Query",
                "Support"
            ]
        ),
        .executableTarget(
            name: "API",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Accounts",
                "AppDatabase",
                "Connections",
                "DataSources",
                "Embedding",
                "Evaluation",
                "Jobs",
                "LanguageModel",
                "MCPProtocol",
                "PostgresSyntax",
                "Query",
                "RateLimits",
                "Redis",
                "Retrieval",
                "Runtime",
                "SchemaModel",
                "Support",
                "UpstreamHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ],
            // The hand-written OpenAPI document, served at /openapi.json: in the binary, so no
            // resource bundle has to travel with it.
            resources: [.embedInCode("OpenAPI/openapi.json")]
        ),
        .executableTarget(
            name: "Indexer",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "AppDatabase",
                "Connections",
                "DataSources",
                "Embedding",
                "Jobs",
                "Query",
                "RateLimits",
                "Redis",
                "Retrieval",
                "Runtime",
                "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "Accounts",
                "AppDatabase",
                "DataSources",
                "Embedding",
                "Evaluation",
                "Jobs",
                "PostgresSyntax",
                "Redis",
                "Retrieval",
                "Runtime",
                "SchemaModel",
                "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),


        // Tests: one unit-test target per source target (no servers), and one integration target
        // for everything that needs the servers scripts/test.sh starts.
        .target(
            name: "TestSupport",
            dependencies: [
                "Runtime",
                "AppDatabase",
                "SchemaModel",
                "Embedding",
                "LanguageModel",
                "Mongo",
                "Query",
                "Redis",
                "Support",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "ArchitectureTests",
            dependencies: []
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "API",
                "Jobs",
                "MCPProtocol",
                "Redis",
                "Support",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio")
            ]
        ),
        .testTarget(
            name: "AccountsTests",
            dependencies: [
                "Accounts",
                "Support"
            ]
        ),
        .testTarget(
            name: "AppDatabaseTests",
            dependencies: [
                "AppDatabase",
                "Support"
            ]
        ),
        .testTarget(
            name: "DataSourcesTests",
            dependencies: [
                "TestSupport",
                "DataSources",
                "SchemaModel"
            ]
        ),
        .testTarget(
            name: "EmbeddingTests",
            dependencies: [
                "Embedding",
                "TestSupport"
            ]
        ),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "DataSources",
                "Embedding",
                "Evaluation"
            ]
        ),
        .testTarget(
            name: "IndexerTests",
            dependencies: [
                "TestSupport",
                "Indexer",
                "Support"
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "API",
                "Accounts",
                "AppDatabase",
                "Connections",
                "DataSources",
                "Embedding",
                "Evaluation",
                "Jobs",
                "LanguageModel",
                "Mongo",
                "Query",
                "RateLimits",
                "Redis",
                "Retrieval",
                "Runtime",
                "SchemaModel",
                "Support",
                "TestSupport",
                "UpstreamHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .testTarget(
            name: "LanguageModelTests",
            dependencies: [
                "LanguageModel",
                "TestSupport",
                "UpstreamHTTP",
                .product(name: "Hummingbird", package: "hummingbird")
            ]
        ),
        .testTarget(
            name: "MCPProtocolTests",
            dependencies: [
                "MCPProtocol",
                "Support"
            ]
        ),
        .testTarget(
            name: "MatrixKernelsTests",
            dependencies: [
                "MatrixKernels"
            ]
        ),
        .testTarget(
            name: "PostgresSyntaxTests",
            dependencies: [
                "PostgresSyntax"
            ]
        ),
        .testTarget(
            name: "QueryTests",
            dependencies: [
                "DataSources",
                "TestSupport",
                "Query",
                "Support"
            ]
        ),
        .testTarget(
            name: "RedisTests",
            dependencies: [
                "Redis"
            ]
        ),
        .testTarget(
            name: "RetrievalTests",
            dependencies: [
                "Embedding",
                "Retrieval",
                "SchemaModel",
                "Support"
            ]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "TestSupport",
                "Runtime",
                "Support"
            ]
        ),
        .testTarget(
            name: "SchemaModelTests",
            dependencies: [
                "SchemaModel"
            ]
        ),
        .testTarget(
            name: "SupportTests",
            dependencies: [
                "Support",
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .testTarget(
            name: "UpstreamHTTPTests",
            dependencies: [
                "Support",
                "UpstreamHTTP"
            ]
        ),
    ]
)
