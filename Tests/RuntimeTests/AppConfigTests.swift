import Foundation
@testable import Runtime
@testable import Support
import TestSupport
import Testing

@Suite struct AppConfigTests {
    static let valid = SampleEnvironment.valid

    func config(_ changes: [String: String?]) throws(ConfigError) -> AppConfig {
        var values = Self.valid
        for (key, value) in changes { values[key] = value }
        return try AppConfig(environment: EnvironmentVariables(values))
    }

    @Test func parsesAValidEnvironment() throws {
        let config = try config([:])
        #expect(config.database.host == "127.0.0.1")
        #expect(config.database.password == "secret")
        #expect(config.redis.port == 6379)
        #expect(config.redisKeyPrefix == "askdb")
        #expect(config.encryptionKey.bytes.count == 32)
        #expect(config.logging.format == .text)
    }

    @Test(arguments: ["DATABASE_URL", "REDIS_URL", "ASKDB_ENCRYPTION_KEY"])
    func aMissingVariableIsNamed(_ name: String) {
        #expect(throws: ConfigError(variable: name, reason: "is required but not set")) {
            try config([name: nil])
        }
        #expect(throws: ConfigError(variable: name, reason: "is required but not set")) {
            try config([name: "   "])
        }
    }

    @Test func aMalformedValueIsNamedWithoutEchoingIt() throws {
        let cases: [(String, String)] = [
            ("DATABASE_URL", "mysql://root:hunter2@db/x"),
            ("DATABASE_URL", "postgres://root:hunter2@/x"),
            ("DATABASE_URL", "postgres://root:hunter2@db"),
            ("DATABASE_URL", "postgres://root:hunter2@db/x?sslmode=sometimes"),
            ("REDIS_URL", "http://hunter2@localhost"),
            ("REDIS_URL", "redis://localhost/notanumber"),
            ("ASKDB_ENCRYPTION_KEY", "hunter2"),
            ("ASKDB_ENCRYPTION_KEY", Data(repeating: 1, count: 16).base64EncodedString()),
            ("ASKDB_LOG_FORMAT", "xml"),
            ("ASKDB_LOG_LEVEL", "loud"),
            ("ASKDB_REDIS_PREFIX", "a b"),
        ]
        for (name, value) in cases {
            do {
                _ = try config([name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.variable == name)
                #expect(!error.description.contains("hunter2"))
                #expect(error.description.hasPrefix("configuration error: \(name) "))
            }
        }
    }

    @Test func readsLoggingAndPrefix() throws {
        let config = try config(["ASKDB_LOG_FORMAT": "JSON", "ASKDB_LOG_LEVEL": "debug", "ASKDB_REDIS_PREFIX": "staging"])
        #expect(config.logging.format == .json)
        #expect(config.logging.level == .debug)
        #expect(config.redisKeyPrefix == "staging")
    }

    @Test func secretsNeverPrint() throws {
        let config = try config([:])
        #expect("\(config.encryptionKey)" == "<secret, 32 bytes>")
        #expect(!"\(config)".contains(Self.valid["ASKDB_ENCRYPTION_KEY"]!))
    }
}
