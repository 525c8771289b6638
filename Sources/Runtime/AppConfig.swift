import Embedding
import Foundation
import Logging
import Redis
import Support

/// Settings every AskDB process shares, parsed once at start from environment variables.
package struct AppConfig: Sendable {
    /// The app database (PostgreSQL with pgvector): `DATABASE_URL`.
    package var database: PostgresURL
    /// Redis, for the job queue and the caches: `REDIS_URL`.
    package var redis: RedisURL
    /// Prefix of every Redis key, so several deployments can share one Redis: `ASKDB_REDIS_PREFIX`.
    package var redisKeyPrefix: String
    /// Key that encrypts stored connection URLs, 32 bytes in base64: `ASKDB_ENCRYPTION_KEY`.
    package var encryptionKey: SecretKey
    /// Earlier keys, still able to decrypt until `rotate-key` has run:
    /// `ASKDB_ENCRYPTION_PREVIOUS_KEYS`, comma-separated.
    package var previousEncryptionKeys: [SecretKey]
    /// Which hosts user databases may be on: `ASKDB_ALLOWED_HOSTS` (empty: any).
    package var hostPolicy: HostPolicy
    /// How long connecting to a user database may take: `ASKDB_SOURCE_CONNECT_TIMEOUT` seconds, default 5.
    package var sourceConnectTimeout: Duration
    /// Which embedder turns documents and questions into vectors.
    package var embedding: EmbeddingConfig
    /// Where and how logs are written.
    package var logging: LoggingConfig
    /// Who may read `/metrics`: `ASKDB_METRICS_ALLOW`, addresses and CIDRs (default loopback).
    package var metricsAllow: AddressAllowList

    /// Parses the shared settings from `environment`.
    package init(environment: EnvironmentVariables) throws(ConfigError) {
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
        if let list = environment.optional("ASKDB_METRICS_ALLOW") {
            metricsAllow = try AddressAllowList(list: list, variable: "ASKDB_METRICS_ALLOW")
        } else {
            metricsAllow = .loopback
        }
    }

    /// The key ring that seals stored secrets.
    package var keyRing: KeyRing {
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
