import Foundation
import Logging
import PostgresNIO
import Support

/// A named key a user made for scripts; the key itself is shown once, at creation.
package struct APIKey: Sendable, Codable, Equatable {
    @LowercaseUUID package var id: UUID
    package var name: String
    /// The first characters of the key, to tell keys apart.
    package var prefix: String
    package var createdAt: Date
    package var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
    }
}

/// API keys in the app database, stored as SHA-256 hashes.
package struct APIKeyStore: Sendable {
    /// Every key starts with this, so a bearer credential is recognisably a key, not a JWT.
    package static let keyPrefix = "askdb_"

    private let postgres: PostgresClient
    private let logger: Logger

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Creates a key for `userID`; returns its record and the key, which is never shown again.
    package func create(userID: UUID, name: String) async throws -> (key: APIKey, secret: String) {
        let name = try DisplayName(name, maximum: 100).value
        let secret = SecureToken.generate(prefix: Self.keyPrefix)
        let prefix = String(secret.prefix(Self.keyPrefix.count + 6))
        let rows = try await postgres.query(
            """
            INSERT INTO api_keys (user_id, name, prefix, key_hash) VALUES (\(userID), \(name), \(prefix), \(SecureToken.hash(secret)))
            RETURNING id, name, prefix, created_at, last_used_at
            """,
            logger: logger
        )
        guard let key = try await Self.keys(rows).first else { throw AskDBError.notFound("API key") }
        return (key, secret)
    }

    /// The user's keys that are not revoked, newest first.
    package func list(userID: UUID) async throws -> [APIKey] {
        try await Self.keys(postgres.query(
            """
            SELECT id, name, prefix, created_at, last_used_at FROM api_keys
            WHERE user_id = \(userID) AND revoked_at IS NULL ORDER BY created_at DESC
            """,
            logger: logger
        ))
    }

    /// Revokes one of the user's keys; another user's key is not found.
    package func revoke(id: UUID, userID: UUID) async throws {
        let rows = try await postgres.query(
            "UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND user_id = \(userID) AND revoked_at IS NULL RETURNING id",
            logger: logger
        )
        var found = false
        for try await _ in rows.decode(UUID.self) { found = true }
        guard found else { throw AskDBError.notFound("API key") }
    }

    /// The key's owner and id when `secret` is a live key. Records its use, at most once a minute.
    package func authenticate(_ secret: String) async throws -> (user: User, keyID: UUID)? {
        let hash = SecureToken.hash(secret)
        let rows = try await postgres.query(
            """
            SELECT u.id, u.email, u.role, u.token_version, u.created_at, k.id, k.last_used_at
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.key_hash = \(hash) AND k.revoked_at IS NULL
            """,
            logger: logger
        )
        for try await (id, email, role, version, created, keyID, lastUsed) in rows.decode((UUID, String, String, Int, Date, UUID, Date?).self) {
            if lastUsed.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
                try await postgres.query("UPDATE api_keys SET last_used_at = now() WHERE id = \(keyID)", logger: logger)
            }
            return (User(id: id, email: email, role: Role(rawValue: role) ?? .user, tokenVersion: version, createdAt: created), keyID)
        }
        return nil
    }

    static func keys(_ rows: PostgresRowSequence) async throws -> [APIKey] {
        var keys: [APIKey] = []
        for try await (id, name, prefix, created, lastUsed) in rows.decode((UUID, String, String, Date, Date?).self) {
            keys.append(APIKey(id: id, name: name, prefix: prefix, createdAt: created, lastUsedAt: lastUsed))
        }
        return keys
    }
}
