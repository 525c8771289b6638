import Foundation
import Logging
import PostgresNIO
import Redis
import Support

/// The real servers that `scripts/test.sh` starts on loopback, found through the environment.
package enum TestServers {
    /// A superuser URL of the test PostgreSQL (database `postgres`).
    package static var postgresAdminURL: PostgresURL {
        get throws { try PostgresURL(variable("ASKDB_TEST_DATABASE_URL")) }
    }

    /// A PostgreSQL 15 with TLS on and a self-signed certificate (superuser URL, no sslmode).
    package static var tlsPostgresURL: String {
        get throws { try variable("ASKDB_TEST_TLS_DATABASE_URL") }
    }

    /// The TLS PostgreSQL's self-signed certificate (PEM), its own CA, for 127.0.0.1 and localhost.
    package static var tlsCACertificate: String {
        get throws { try String(contentsOfFile: try variable("ASKDB_TEST_TLS_CA_FILE"), encoding: .utf8) }
    }

    /// That certificate's and its key's files, for a test server of its own (SecantusDB over TLS).
    package static var tlsServerFiles: (certificate: String, key: String) {
        get throws { (try variable("ASKDB_TEST_TLS_CA_FILE"), try variable("ASKDB_TEST_TLS_KEY_FILE")) }
    }

    /// The shared test Redis; tests keep to keys under a prefix of their own.
    package static var redisURL: RedisURL {
        get throws { try RedisURL(variable("ASKDB_TEST_REDIS_URL")) }
    }

    /// The MongoDB-compatible test server (SecantusDB), without authentication.
    package static var mongoURL: String {
        get throws { try variable("ASKDB_TEST_MONGO_URL") }
    }

    /// The all-MiniLM-L6-v2 files (`vocab.txt`, `model.safetensors`, …) from PyPI.
    package static var modelFolder: URL {
        get throws { URL(fileURLWithPath: try variable("ASKDB_TEST_MODEL_DIR")) }
    }

    /// The project's test fixtures.
    package static var fixturesFolder: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

    /// The `redis-server` executable, for tests that start and stop a Redis of their own.
    package static var redisServerPath: String {
        get throws { try variable("ASKDB_TEST_REDIS_SERVER") }
    }

    /// The project's `migrations/` folder.
    package static var migrationsFolder: URL {
        if let path = ProcessInfo.processInfo.environment["ASKDB_MIGRATIONS_DIR"] {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("migrations")
    }

    /// The folder holding the package's built executables (`askdb-api`, `askdb-indexer`).
    package static var binaryFolder: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .pathComponents.contains(".build")
            ? executableFolderFromTestBundle()
            : packageRoot.appendingPathComponent(".build/debug")
    }

    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A logger that stays quiet but for errors (postgres-nio warns when a test's first query
    /// races the client's start, which is harmless).
    package static let logger: Logger = {
        var logger = Logger(label: "askdb.tests")
        logger.logLevel = .error
        return logger
    }()

    private static func executableFolderFromTestBundle() -> URL {
        // swift test runs .build/<triple>/debug/askdbPackageTests.xctest; executables sit beside it.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while folder.pathComponents.count > 1 {
            if folder.pathExtension == "xctest" { return folder.deletingLastPathComponent() }
            folder.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }

    package static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set: run the tests through scripts/test.sh, which starts the test servers")
        }
        return value
    }
}

/// The test environment is incomplete.
package struct TestSetupError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
