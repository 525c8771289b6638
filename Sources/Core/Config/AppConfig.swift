import Foundation
import Logging

/// Settings every AskDB process shares, parsed once at start from environment variables.
public struct AppConfig: Sendable {
    /// The app database (PostgreSQL with pgvector): `DATABASE_URL`.
    public var database: PostgresURL
    /// Redis, for the job queue and the caches: `REDIS_URL`.
    public var redis: RedisURL
    /// Prefix of every Redis key, so several deployments can share one Redis: `ASKDB_REDIS_PREFIX`.
    public var redisKeyPrefix: String
    /// Key that encrypts stored connection URLs, 32 bytes in base64: `ASKDB_ENCRYPTION_KEY`.
    public var encryptionKey: SecretKey
    /// Where and how logs are written.
    public var logging: LoggingConfig

    /// Parses the shared settings from `environment`.
    public init(environment: EnvironmentVariables) throws(ConfigError) {
        database = try Self.parse("DATABASE_URL", in: environment, with: PostgresURL.init)
        redis = try Self.parse("REDIS_URL", in: environment, with: RedisURL.init)
        redisKeyPrefix = environment.optional("ASKDB_REDIS_PREFIX") ?? "askdb"
        guard redisKeyPrefix.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConfigError(variable: "ASKDB_REDIS_PREFIX", reason: "may only hold letters, digits, '-', '_' and '.'")
        }
        let key = try environment.required("ASKDB_ENCRYPTION_KEY")
        guard let bytes = Data(base64Encoded: key), bytes.count == 32 else {
            throw ConfigError(
                variable: "ASKDB_ENCRYPTION_KEY",
                reason: "must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)"
            )
        }
        encryptionKey = SecretKey(bytes: Array(bytes))
        logging = try LoggingConfig(environment: environment)
    }

    private static func parse<T>(
        _ name: String,
        in environment: EnvironmentVariables,
        with parser: (String) throws(URLFormatError) -> T
    ) throws(ConfigError) -> T {
        let raw = try environment.required(name)
        do {
            return try parser(raw)
        } catch {
            throw ConfigError(variable: name, reason: "is malformed: \(error)")
        }
    }
}

/// How a process logs: `ASKDB_LOG_FORMAT` (text or json) and `ASKDB_LOG_LEVEL`.
public struct LoggingConfig: Sendable {
    /// The line format.
    public enum Format: String, Sendable, CaseIterable {
        /// Human-readable lines.
        case text
        /// One JSON object a line, for log collectors.
        case json
    }

    public var format: Format
    public var level: Logger.Level

    /// Creates a logging configuration directly.
    public init(format: Format = .text, level: Logger.Level = .info) {
        self.format = format
        self.level = level
    }

    /// Parses `ASKDB_LOG_FORMAT` and `ASKDB_LOG_LEVEL`.
    public init(environment: EnvironmentVariables) throws(ConfigError) {
        format = try environment.choice("ASKDB_LOG_FORMAT", default: Format.text)
        level = try environment.choice("ASKDB_LOG_LEVEL", default: Logger.Level.info)
    }
}
