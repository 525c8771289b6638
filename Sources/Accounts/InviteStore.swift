import Foundation
import Logging
import PostgresNIO
import Support

/// A one-time registration code an admin made; the code is shown once.
package struct Invite: Sendable, Codable, Equatable {
    @LowercaseUUID package var id: UUID
    /// When set, only this email may use the invite.
    package var email: String?
    package var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email
        case expiresAt = "expires_at"
    }
}

/// Invites in the app database, stored as hashes of their codes.
package struct InviteStore: Sendable {
    private let postgres: PostgresClient
    private let logger: Logger

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    /// Makes an invite valid for `lifetime`, optionally for one email only.
    package func create(by adminID: UUID, email: EmailAddress?, lifetime: Duration) async throws -> (invite: Invite, code: String) {
        let code = SecureToken.generate(prefix: "inv_", length: 24)
        let expiresAt = Date().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let rows = try await postgres.query(
            """
            INSERT INTO invites (code_hash, email, created_by, expires_at)
            VALUES (\(SecureToken.hash(code)), \(email?.value), \(adminID), \(expiresAt))
            RETURNING id, email, expires_at
            """,
            logger: logger
        )
        for try await (id, email, expires) in rows.decode((UUID, String?, Date).self) {
            return (Invite(id: id, email: email, expiresAt: expires), code)
        }
        throw AskDBError.notFound("invite")
    }

    /// Marks the invite used by `userID`, inside the registration's transaction; throws when the
    /// code is unknown, used, expired or meant for another email.
    package func redeem(code: String, email: EmailAddress, userID: UUID, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            UPDATE invites SET used_at = now(), used_by = \(userID)
            WHERE code_hash = \(SecureToken.hash(code)) AND used_at IS NULL AND expires_at > now()
              AND (email IS NULL OR email = \(email.value))
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows.decode(UUID.self) { return }
        throw AskDBError(.forbidden, code: "invite_invalid", message: "the invite code is unknown, used, expired, or for another email")
    }
}
