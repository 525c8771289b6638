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
    /// Earlier keys, still able to decrypt until `rotate-key` has run:
    /// `ASKDB_ENCRYPTION_PREVIOUS_KEYS`, comma-separated.
    public var previousEncryptionKeys: [SecretKey]
    /// Which hosts user databases may be on: `ASKDB_ALLOWED_HOSTS` (empty: any).
    public var hostPolicy: HostPolicy
    /// How long connecting to a user database may take: `ASKDB_SOURCE_CONNECT_TIMEOUT` seconds, default 5.
    public var sourceConnectTimeout: Duration
    /// Which embedder turns documents and questions into vectors.
    public var embedding: EmbeddingConfig
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
        encryptionKey = try Self.key(try environment.required("ASKDB_ENCRYPTION_KEY"), variable: "ASKDB_ENCRYPTION_KEY")
        previousEncryptionKeys = []
        for entry in (environment.optional("ASKDB_ENCRYPTION_PREVIOUS_KEYS") ?? "").split(separator: ",") {
            let base64 = entry.trimmingCharacters(in: .whitespaces)
            previousEncryptionKeys.append(try Self.key(base64, variable: "ASKDB_ENCRYPTION_PREVIOUS_KEYS"))
        }
        hostPolicy = try HostPolicy(list: environment.optional("ASKDB_ALLOWED_HOSTS") ?? "")
        sourceConnectTimeout = .seconds(try environment.integer("ASKDB_SOURCE_CONNECT_TIMEOUT", default: 5, in: 1...120))
        embedding = try EmbeddingConfig(environment: environment)
        logging = try LoggingConfig(environment: environment)
    }

    /// The key ring that seals stored secrets.
    public var keyRing: KeyRing {
        KeyRing(current: encryptionKey, previous: previousEncryptionKeys)
    }

    private static func key(_ base64: String, variable: String) throws(ConfigError) -> SecretKey {
        guard let bytes = Data(base64Encoded: base64), bytes.count == 32 else {
            throw ConfigError(variable: variable, reason: "must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)")
        }
        return SecretKey(bytes: Array(bytes))
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
