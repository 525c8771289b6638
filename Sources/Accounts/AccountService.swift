import AppDatabase
import Foundation
import Logging
import PostgresNIO
import RateLimits
import Support

/// Who may register: anyone, nobody (admins create accounts), or holders of an invite.
package enum RegistrationMode: String, Sendable, CaseIterable {
    case open, closed, invite
}

/// Registering, logging in and out, and recognising who sent a request.
package struct AccountService: Sendable {
    /// Login attempts allowed before a pause. They are counted per account *and* client
    /// address, and per address across accounts, never per account alone: failures from other
    /// addresses cannot lock the account's owner out.
    package struct LoginLimits: Sendable {
        /// Failures at one account from one address.
        package var perEmailAndAddress: RateLimiter.Rule
        /// Failures from one address, whatever the accounts (password spraying).
        package var perAddress: RateLimiter.Rule

        package init(
            perEmailAndAddress: RateLimiter.Rule = .init(limit: 10, window: .seconds(15 * 60)),
            perAddress: RateLimiter.Rule = .init(limit: 50, window: .seconds(15 * 60))
        ) {
            self.perEmailAndAddress = perEmailAndAddress
            self.perAddress = perAddress
        }
    }

    private let users: UserStore
    private let apiKeys: APIKeyStore
    private let invites: InviteStore
    private let postgres: PostgresClient
    private let hasher: PasswordHasher
    private let tokens: AccessTokens
    private let limiter: RateLimiter
    private let registration: RegistrationMode
    private let loginLimits: LoginLimits
    private let settingsPolicy: SettingsPolicy
    private let caches: [any UserDataCache]
    private let logger: Logger

    package init(
        postgres: PostgresClient,
        hasher: PasswordHasher,
        tokens: AccessTokens,
        limiter: RateLimiter,
        registration: RegistrationMode,
        loginLimits: LoginLimits = LoginLimits(),
        settingsPolicy: SettingsPolicy = SettingsPolicy(models: [], maxContextTokens: 2500),
        caches: [any UserDataCache] = [],
        userCache: RowCache<User>? = nil,
        settingsCache: RowCache<UserSettings>? = nil,
        logger: Logger
    ) {
        self.postgres = postgres
        self.users = UserStore(postgres: postgres, logger: logger, cache: userCache, settingsCache: settingsCache)
        self.apiKeys = APIKeyStore(postgres: postgres, logger: logger)
        self.invites = InviteStore(postgres: postgres, logger: logger)
        self.hasher = hasher
        self.tokens = tokens
        self.limiter = limiter
        self.registration = registration
        self.loginLimits = loginLimits
        self.settingsPolicy = settingsPolicy
        self.caches = caches
        self.logger = logger
    }

    /// Creates a user account as the registration mode allows.
    package func register(email rawEmail: String, password: String, inviteCode: String?) async throws -> User {
        let email = try EmailAddress(rawEmail)
        try PasswordPolicy.check(password, email: email)
        switch registration {
        case .closed:
            throw AskDBError(.forbidden, code: "registration_closed", message: "registration is closed: ask an admin for an account")
        case .invite where (inviteCode ?? "").isEmpty:
            throw AskDBError(.forbidden, code: "invite_required", message: "registration needs an invite code")
        case .open, .invite:
            break
        }
        let hash = try await hasher.hash(password)
        guard registration == .invite, let inviteCode else {
            return try await users.create(email: email, passwordHash: hash, role: .user)
        }
        return try await postgres.transaction(logger: logger) { connection in
            let user = try await users.create(email: email, passwordHash: hash, role: .user, on: connection)
            try await invites.redeem(code: inviteCode, email: email, userID: user.id, on: connection)
            return user
        }
    }

    /// Creates an admin, or makes an existing user one (`askdb-api create-admin`).
    package func createAdmin(email rawEmail: String, password: String?) async throws -> (user: User, created: Bool) {
        let email = try EmailAddress(rawEmail)
        if let existing = try await users.findForLogin(email: email) {
            try await users.setRole(id: existing.user.id, role: .admin)
            if let password {
                try PasswordPolicy.check(password, email: email)
                try await users.setPassword(id: existing.user.id, passwordHash: try await hasher.hash(password))
            }
            var user = existing.user
            user.role = .admin
            return (user, false)
        }
        guard let password else {
            throw AskDBError.invalid("weak_password", "a password is needed to create a new admin")
        }
        try PasswordPolicy.check(password, email: email)
        return (try await users.create(email: email, passwordHash: try await hasher.hash(password), role: .admin), true)
    }

    /// Checks the credentials and issues a token.
    ///
    /// The attempt is counted as a failure *before* the password is checked, in one atomic
    /// step with the check of the limits, so guesses sent in parallel cannot all pass the
    /// check before any is counted; a correct password takes its count back. Past a limit the
    /// attempt is refused without checking the password. `clientAddress` is the client's own
    /// address (behind a trusted proxy, the one it forwarded); IPv6 clients are counted by
    /// their /64, the network one subscriber holds.
    package func login(email rawEmail: String, password: String, clientAddress: String) async throws -> (token: String, expiresAt: Date, user: User) {
        let invalid = AskDBError(.unauthorized, code: "invalid_credentials", message: "email or password is wrong")
        guard let email = try? EmailAddress(rawEmail), !password.isEmpty else { throw invalid }
        let client = IPAddress(clientAddress)?.limitGroup ?? clientAddress
        let accountKey = "login:email:" + SecureToken.hash(email.value).prefix(12).hexString + ":" + client
        let addressKey = "login:addr:\(client)"
        try await limiter.take([(accountKey, loginLimits.perEmailAndAddress), (addressKey, loginLimits.perAddress)],
                               message: "too many failed logins: try again later")
        let account = try await users.findForLogin(email: email)
        // An unknown email is checked against a decoy hash, so timing does not reveal accounts.
        let hash = if let account { account.passwordHash } else { try await hasher.decoyHash() }
        let verified = try await hasher.verify(password, hash: hash)
        guard let account, verified else {
            logger.notice("login failed", metadata: ["client": "\(clientAddress)"])
            throw invalid
        }
        try await limiter.reset(accountKey)
        try await limiter.takeBack([addressKey])
        let issued = try await tokens.issue(for: account.user)
        return (issued.token, issued.expiresAt, account.user)
    }

    /// Recognises a bearer credential: an access token at the user's current token version, or
    /// a live API key.
    package func authenticate(bearer credential: String) async throws -> Identity {
        if credential.hasPrefix(APIKeyStore.keyPrefix) {
            guard let (user, keyID) = try await apiKeys.authenticate(credential) else {
                throw AskDBError(.unauthorized, code: "invalid_token", message: "the API key is not valid or was revoked")
            }
            return Identity(user: user, credential: .apiKey(id: keyID))
        }
        let claims = try await tokens.verify(credential)
        guard let id = claims.userID, let user = try await users.find(id: id), user.tokenVersion == claims.ver else {
            throw AskDBError(.unauthorized, code: "token_revoked", message: "the access token was revoked: log in again")
        }
        return Identity(user: user, credential: .accessToken)
    }

    /// Revokes every access token of the user ("log out everywhere").
    package func logout(userID: UUID) async throws {
        try await users.bumpTokenVersion(id: userID)
    }

    /// Changes the password after checking the current one; every earlier token is revoked.
    package func changePassword(user: User, current: String, new: String) async throws {
        try await checkPassword(current, of: user)
        try PasswordPolicy.check(new, email: try EmailAddress(user.email))
        try await users.setPassword(id: user.id, passwordHash: try await hasher.hash(new))
    }

    /// Deletes the account after checking its password: its connections, their documents,
    /// snapshots, jobs and history, its keys, and every cached copy; the audit log keeps ids
    /// and query text only.
    package func deleteAccount(user: User, password: String) async throws {
        try await checkPassword(password, of: user)
        try await users.delete(id: user.id)
        for cache in caches { try await cache.forget(ownerID: user.id, connectionID: nil) }
        logger.info("account deleted", metadata: ["user": "\(user.id.lowercasedString)"])
    }

    private func checkPassword(_ password: String, of user: User) async throws {
        guard let account = try await users.findForLogin(email: try EmailAddress(user.email)),
              try await hasher.verify(password, hash: account.passwordHash) else {
            throw AskDBError(.forbidden, code: "invalid_credentials", message: "the current password is wrong")
        }
    }

    // MARK: API keys

    /// A new API key for the user; the secret is in the result only.
    package func createAPIKey(userID: UUID, name: String) async throws -> (key: APIKey, secret: String) {
        try await apiKeys.create(userID: userID, name: name)
    }

    package func apiKeys(userID: UUID) async throws -> [APIKey] {
        try await apiKeys.list(userID: userID)
    }

    package func revokeAPIKey(id: UUID, userID: UUID) async throws {
        try await apiKeys.revoke(id: id, userID: userID)
    }

    // MARK: Invites

    /// An invite an admin hands out; the code is in the result only.
    package func createInvite(by adminID: UUID, email: EmailAddress?, lifetime: Duration) async throws -> (invite: Invite, code: String) {
        try await invites.create(by: adminID, email: email, lifetime: lifetime)
    }

    // MARK: Settings

    /// The user's saved settings, what their questions run with, and what they may choose.
    package func settings(userID: UUID) async throws -> SettingsView {
        SettingsView(saved: try await users.settings(id: userID), policy: settingsPolicy)
    }

    /// Checks the settings against what the server offers and saves them.
    package func updateSettings(userID: UUID, _ settings: UserSettings) async throws -> SettingsView {
        try settingsPolicy.validate(settings)
        try await users.setSettings(id: userID, settings)
        return SettingsView(saved: settings, policy: settingsPolicy)
    }

    /// The settings the user's questions run with.
    package func effectiveSettings(userID: UUID) async throws -> EffectiveSettings {
        settingsPolicy.effective(try await users.settings(id: userID))
    }

    // MARK: Users nobody logs in as

    /// The user called `email`, made if missing, with no password anyone could use (an
    /// evaluation's connections belong to one).
    package func loginlessUser(email: EmailAddress) async throws -> UUID {
        if let existing = try await users.findForLogin(email: email) { return existing.user.id }
        return try await users.create(email: email, passwordHash: "!", role: .user).id
    }

    /// The user called `email`, if there is one.
    package func user(email: EmailAddress) async throws -> User? {
        try await users.findForLogin(email: email)?.user
    }
}
