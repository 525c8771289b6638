import Foundation
import JWTKit
import Support
import Synchronization

/// Claims of an access token: who, at which token version, until when.
package struct AccessTokenClaims: JWTPayload, Equatable {
    package var sub: SubjectClaim
    /// The user's token version when it was issued; a later logout or password change bumps it.
    package var ver: Int
    package var iat: IssuedAtClaim
    package var exp: ExpirationClaim
    package var jti: IDClaim

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    package var userID: UUID? { UUID(uuidString: sub.value) }
}

/// Issues and verifies HS256 access tokens.
package struct AccessTokens: Sendable {
    private let keys: JWTKeyCollection
    /// Tokens whose signature checked out: a client sends the same token on every request, and
    /// parsing and checking it again was most of authentication's cost. Expiry is checked each time.
    private let verified = VerifiedTokens()
    /// How long a token is valid.
    package let lifetime: Duration

    package init(secret: SecretKey, lifetime: Duration) async {
        self.keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: .init(data: secret.bytes)), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    /// A signed token for `user` and when it expires.
    package func issue(for user: User, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let expiresAt = now.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let claims = AccessTokenClaims(
            sub: .init(value: user.id.lowercasedString),
            ver: user.tokenVersion,
            iat: .init(value: now),
            exp: .init(value: expiresAt),
            jti: .init(value: UUID().lowercasedString)
        )
        return (try await keys.sign(claims), expiresAt)
    }

    /// The claims of a valid, unexpired token signed with our key; anything else is unauthorized.
    package func verify(_ token: String) async throws(AskDBError) -> AccessTokenClaims {
        do {
            if let claims = verified.claims(of: token) {
                try claims.exp.verifyNotExpired()
                return claims
            }
            let claims = try await keys.verify(token, as: AccessTokenClaims.self)
            verified.keep(claims, of: token)
            return claims
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw AskDBError(.unauthorized, code: "token_expired", message: "the access token has expired: log in again")
        } catch {
            throw AskDBError(.unauthorized, code: "invalid_token", message: "the access token is not valid")
        }
    }
}

/// A bounded set of tokens whose signatures were verified, with their claims.
private final class VerifiedTokens: Sendable {
    private let tokens = Mutex<[String: AccessTokenClaims]>([:])
    private let capacity = 10_000

    func claims(of token: String) -> AccessTokenClaims? {
        tokens.withLock { $0[token] }
    }

    func keep(_ claims: AccessTokenClaims, of token: String) {
        tokens.withLock { tokens in
            if tokens.count >= capacity { tokens.removeAll(keepingCapacity: true) }
            tokens[token] = claims
        }
    }
}
