import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// Users in the app database.
package struct UserStore: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger
    private let cache: RowCache<User>?
    private let settingsCache: RowCache<UserSettings>?

    /// - Parameter cache: copies of users for ``find(id:)``, which every authenticated request reads.
    /// - Parameter settingsCache: copies of their settings, which every question reads.
    package init(postgres: PostgresClient, logger: Logger, cache: RowCache<User>? = nil, settingsCache: RowCache<UserSettings>? = nil) {
        self.postgres = postgres
        self.logger = logger
        self.cache = cache
        self.settingsCache = settingsCache
    }

    /// Creates a user; a taken email is a conflict. Runs on `connection` when given (to share a
    /// transaction), else on the pool.
    package func create(
        email: EmailAddress,
        passwordHash: String,
        role: Role,
        on connection: PostgresConnection? = nil
    ) async throws -> User {
        let query: PostgresQuery = """
            INSERT INTO users (email, password_hash, role) VALUES (\(email.value), \(passwordHash), \(role.rawValue))
            RETURNING id, email, role, token_version, created_at
            """
        do {
            let rows = if let connection {
                try await connection.query(query, logger: logger)
            } else {
                try await postgres.query(query, logger: logger)
            }
            guard let user = try await Self.users(rows).first else {
                throw AskDBError.notFound("user")
            }
            return user
        } catch where error.isUniqueViolation {
            throw AskDBError(.conflict, code: "email_taken", message: "an account with this email already exists")
        }
    }

    package func find(id: UUID) async throws -> User? {
        let load = {
            try await Self.users(postgres.query(
                "SELECT id, email, role, token_version, created_at FROM users WHERE id = \(id)", logger: logger
            )).first
        }
        return if let cache { try await cache.value(for: id, load: load) } else { try await load() }
    }

    /// The user with `email` and their password hash, for logging in.
    package func findForLogin(email: EmailAddress) async throws -> (user: User, passwordHash: String)? {
        let rows = try await postgres.query(
            "SELECT id, email, role, token_version, created_at, password_hash FROM users WHERE email = \(email.value)",
            logger: logger
        )
        for try await (id, email, role, version, created, hash) in rows.decode((UUID, String, String, Int, Date, String).self) {
            return (User(id: id, email: email, role: Role(rawValue: role) ?? .user, tokenVersion: version, createdAt: created), hash)
        }
        return nil
    }

    /// Deletes the user; their rows go with them (the schema's cascades).
    package func delete(id: UUID) async throws {
        try await postgres.query("DELETE FROM users WHERE id = \(id)", logger: logger)
        cache?.invalidate(id)
        settingsCache?.invalidate(id)
    }

    /// Revokes every token the user holds.
    package func bumpTokenVersion(id: UUID) async throws {
        try await postgres.query(
            "UPDATE users SET token_version = token_version + 1, updated_at = now() WHERE id = \(id)", logger: logger
        )
        cache?.invalidate(id)
    }

    /// Sets a new password and revokes every token issued before.
    package func setPassword(id: UUID, passwordHash: String) async throws {
        try await postgres.query(
            """
            UPDATE users SET password_hash = \(passwordHash), token_version = token_version + 1, updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        cache?.invalidate(id)
    }

    package func setRole(id: UUID, role: Role) async throws {
        try await postgres.query("UPDATE users SET role = \(role.rawValue), updated_at = now() WHERE id = \(id)", logger: logger)
        cache?.invalidate(id)
    }

    package func settings(id: UUID) async throws -> UserSettings {
        let load = { () async throws -> UserSettings? in
            let rows = try await postgres.query("SELECT settings::text FROM users WHERE id = \(id)", logger: logger)
            for try await json in rows.decode(String.self) {
                return try JSONDecoder().decode(UserSettings.self, from: Data(json.utf8))
            }
            return nil
        }
        let settings = if let settingsCache { try await settingsCache.value(for: id, load: load) } else { try await load() }
        guard let settings else { throw AskDBError.notFound("user") }
        return settings
    }

    package func setSettings(id: UUID, _ settings: UserSettings) async throws {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try await postgres.query(
            "UPDATE users SET settings = \(json)::jsonb, updated_at = now() WHERE id = \(id)", logger: logger
        )
        settingsCache?.invalidate(id)
    }

    static func users(_ rows: PostgresRowSequence) async throws -> [User] {
        var users: [User] = []
        for try await (id, email, role, version, created) in rows.decode((UUID, String, String, Int, Date).self) {
            users.append(User(id: id, email: email, role: Role(rawValue: role) ?? .user, tokenVersion: version, createdAt: created))
        }
        return users
    }
}
