@testable import API
@testable import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Support
import TestSupport
import Testing

@Suite struct AccountRoutesTests {
    @Test func registerNormalisesTheEmailAndRefusesDuplicates() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let created = try await client.call(.post, "/api/auth/register", body: ["email": "  Alice@Example.COM ", "password": "correct horse battery"])
            #expect(created.status == .created)
            #expect(created["email"] as? String == "alice@example.com")
            #expect(created["role"] as? String == "user")
            let id = created["id"] as? String ?? ""
            #expect(UUID(uuidString: id) != nil && id == id.lowercased())
            #expect(created["password_hash"] == nil && !String(decoding: created.body, as: UTF8.self).contains("$2b$"))

            let duplicate = try await client.call(.post, "/api/auth/register", body: ["email": "alice@example.com", "password": "another good password"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "email_taken")
        }
    }

    @Test func badRegistrationsSayWhatIsWrong() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let cases: [([String: String], HTTPResponse.Status, String, String)] = [
                (["email": "bob@example.com", "password": ""], .unprocessableContent, "weak_password", "required"),
                (["email": "bob@example.com", "password": "short"], .unprocessableContent, "weak_password", "at least 10"),
                (["email": "bob@example.com", "password": "aaaaaaaaaaaa"], .unprocessableContent, "weak_password", "4 different"),
                (["email": "bob@example.com", "password": "Password1234!"], .unprocessableContent, "weak_password", "too common"),
                (["email": "roberto@example.com", "password": "roberto-2026-x"], .unprocessableContent, "weak_password", "email"),
                (["email": "not-an-email", "password": "correct horse battery"], .unprocessableContent, "invalid_email", "name@example.com"),
                (["password": "correct horse battery"], .badRequest, "bad_request", "`email`"),
            ]
            for (body, status, code, fragment) in cases {
                let answer = try await client.call(.post, "/api/auth/register", body: body)
                #expect(answer.status == status, "\(body)")
                #expect(answer.errorCode == code, "\(body)")
                #expect(answer.errorMessage?.contains(fragment) == true, "\(body): \(answer.errorMessage ?? "")")
            }
            let malformed = try await client.call(.post, "/api/auth/register", rawBody: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "bad_request")
        }
    }

    @Test func loginMeAndWrongCredentials() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("carol@example.com")
            let me = try await client.call(.get, "/api/me", token: token)
            #expect(me.status == .ok)
            #expect(me["email"] as? String == "carol@example.com")

            let wrong = try await client.call(.post, "/api/auth/login", body: ["email": "carol@example.com", "password": "wrong password!"])
            let unknown = try await client.call(.post, "/api/auth/login", body: ["email": "nobody@example.com", "password": "wrong password!"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.errorMessage == unknown.errorMessage, "the answer must not reveal which emails exist")
        }
    }

    @Test func tokenProblemsAreUnauthorized() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("dave@example.com")
            let forger = await AccessTokens(secret: SecretKey(bytes: Array(repeating: 1, count: 40)), lifetime: .seconds(3600))
            let user = try #require(try await services.accounts.user(email: EmailAddress("dave@example.com")))
            let forged = try await forger.issue(for: user).token
            let config = try APIConfig(environment: EnvironmentVariables(APITestHarness.environment(
                database: try TestServers.postgresAdminURL, redis: try TestServers.redisURL)))
            let signer = await AccessTokens(secret: config.jwtSecret, lifetime: .seconds(3600))
            let expired = try await signer.issue(for: user, now: Date().addingTimeInterval(-7200)).token

            for (credential, code) in [(nil, "unauthorized"), ("garbage", "invalid_token"), (forged, "invalid_token"),
                                       (expired, "token_expired"), ("askdb_notakey", "invalid_token")] as [(String?, String)] {
                let answer = try await client.call(.get, "/api/me", token: credential)
                #expect(answer.status == .unauthorized, "\(code)")
                #expect(answer.errorCode == code)
            }
            let basic = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Basic abc"]) { $0.status }
            #expect(basic == .unauthorized)
            #expect(try await client.call(.get, "/api/me", token: token).status == .ok)
        }
    }

    @Test func logoutRevokesEveryTokenAndPasswordChangeToo() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let first = try await client.signUp("erin@example.com")
            let second = try await client.logIn("erin@example.com")
            #expect(try await client.call(.post, "/api/auth/logout", token: first).status == .noContent)
            for token in [first, second] {
                let answer = try await client.call(.get, "/api/me", token: token)
                #expect(answer.status == .unauthorized)
                #expect(answer.errorCode == "token_revoked")
            }
            let third = try await client.logIn("erin@example.com")
            let wrongCurrent = try await client.call(.put, "/api/me/password", token: third,
                                                     body: ["current_password": "not it at all", "new_password": "a brand new secret"])
            #expect(wrongCurrent.status == .forbidden)
            let weak = try await client.call(.put, "/api/me/password", token: third,
                                             body: ["current_password": "correct horse battery", "new_password": "short"])
            #expect(weak.status == .unprocessableContent)
            let changed = try await client.call(.put, "/api/me/password", token: third,
                                                body: ["current_password": "correct horse battery", "new_password": "a brand new secret"])
            #expect(changed.status == .noContent)
            #expect(try await client.call(.get, "/api/me", token: third).status == .unauthorized)
            _ = try await client.logIn("erin@example.com", password: "a brand new secret")
        }
    }

    @Test func aTokenRevokedByAnotherProcessIsRefusedWithinMoments() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("gina@example.com")
            // Read once, so this process holds its copy of the user.
            #expect(try await client.call(.get, "/api/me", token: token).status == .ok)
            try await services.postgres.query("UPDATE users SET token_version = token_version + 1 WHERE email = 'gina@example.com'",
                                              logger: TestServers.logger)
            #expect(try await eventually(timeout: .seconds(2)) { try await client.call(.get, "/api/me", token: token).status == .unauthorized })
        }
    }

    @Test func failedLoginsAreRateLimitedPerEmail() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            _ = try await client.signUp("frank@example.com")
            for _ in 0..<10 {
                let answer = try await client.call(.post, "/api/auth/login", body: ["email": "frank@example.com", "password": "guess guess guess"])
                #expect(answer.status == .unauthorized)
            }
            let limited = try await client.call(.post, "/api/auth/login", body: ["email": "FRANK@example.com", "password": "correct horse battery"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another account from the same address is not locked out by these.
            _ = try await client.signUp("grace@example.com")
        }
    }

    @Test func failedLoginsAreRateLimitedPerAddress() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            _ = try await client.signUp("heidi@example.com")
            for index in 0..<50 {
                _ = try await client.call(.post, "/api/auth/login", body: ["email": "spray\(index)@example.com", "password": "guess guess guess"])
            }
            let limited = try await client.call(.post, "/api/auth/login", body: ["email": "heidi@example.com", "password": "correct horse battery"])
            #expect(limited.status == .tooManyRequests)
        }
    }

    /// Each attempt is counted before its password is checked, atomically: of 30 guesses sent
    /// at once, only the limit's 10 are checked at all.
    @Test func parallelGuessesCannotAllSlipUnderTheLimit() async throws {
        try await APITestHarness.withFreshApplication(mode: .live) { client, _ in
            _ = try await client.signUp("ivan@example.com")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await client.call(.post, "/api/auth/login", body: ["email": "ivan@example.com", "password": "guess number \(index)"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 20)
        }
    }

    /// Behind a trusted proxy the client is the address it forwarded: an attacker's failures
    /// hold back the attacker's address, never the owner's correct password from another one,
    /// while the owner's own guesses are limited as well.
    @Test func anotherClientsFailuresNeverRefuseTheCorrectPassword() async throws {
        try await APITestHarness.withFreshApplication(mode: .live, settings: ["ASKDB_TRUSTED_PROXIES": "127.0.0.1"]) { client, _ in
            _ = try await client.signUp("judy@example.com")
            func login(_ password: String, from address: String) async throws -> APIAnswer {
                try await client.call(.post, "/api/auth/login", body: ["email": "judy@example.com", "password": password],
                                      headers: [.xForwardedFor: address])
            }
            for _ in 0..<10 {
                #expect(try await login("attacker guess", from: "203.0.113.5").status == .unauthorized)
            }
            #expect(try await login("correct horse battery", from: "203.0.113.5").status == .tooManyRequests)
            // A hop the client made up in front of the proxy's does not move it elsewhere.
            #expect(try await login("attacker guess", from: "198.51.100.99, 203.0.113.5").status == .tooManyRequests)
            #expect(try await login("correct horse battery", from: "198.51.100.7").status == .ok)
            for _ in 0..<10 {
                #expect(try await login("owner typo", from: "198.51.100.8").status == .unauthorized)
            }
            #expect(try await login("owner typo", from: "198.51.100.8").status == .tooManyRequests)
            // One IPv6 network is one client, whichever of its addresses it takes.
            for index in 0..<10 {
                #expect(try await login("guess", from: "2001:db8:1:2::\(index + 1)").status == .unauthorized)
            }
            #expect(try await login("guess", from: "2001:db8:1:2:ffff::1").status == .tooManyRequests)
        }
    }

    /// Without trusted proxies, `X-Forwarded-For` is anyone's to write and is not believed.
    @Test func anUntrustedForwardedForIsIgnored() async throws {
        try await APITestHarness.withFreshApplication(mode: .live) { client, _ in
            _ = try await client.signUp("kim@example.com")
            for index in 0..<10 {
                let answer = try await client.call(.post, "/api/auth/login", body: ["email": "kim@example.com", "password": "guess guess"],
                                                   headers: [.xForwardedFor: "192.0.2.\(index)"])
                #expect(answer.status == .unauthorized)
            }
            let limited = try await client.call(.post, "/api/auth/login", body: ["email": "kim@example.com", "password": "guess guess"],
                                                headers: [.xForwardedFor: "192.0.2.200"])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func settingsRoundTripAndAreValidated() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": "http://127.0.0.1:1", "ASKDB_LLM_MODEL": "qwen2.5-coder:7b",
                                                                 "ASKDB_LLM_CONTEXT_TOKENS": "4000"]) { client, _ in
            let token = try await client.signUp("ivan@example.com")
            let empty = try await client.call(.get, "/api/settings", token: token)
            #expect(empty.status == .ok)
            #expect(["llm_model", "context_tokens", "answer_mode"].allSatisfy { empty.object[$0] is NSNull }, "\(empty.object)")
            let saved = try await client.call(.put, "/api/settings", token: token,
                                              body: ["llm_model": "qwen2.5-coder:7b", "context_tokens": 3000, "answer_mode": "sql_only"])
            #expect(saved.status == .ok, "\(saved.object)")
            let read = try await client.call(.get, "/api/settings", token: token)
            #expect(read["llm_model"] as? String == "qwen2.5-coder:7b")
            #expect(read["context_tokens"] as? Int == 3000)
            #expect(read["answer_mode"] as? String == "sql_only")
            let bad = try await client.call(.put, "/api/settings", token: token, body: ["context_tokens": 5])
            #expect(bad.status == .unprocessableContent)
            let badMode = try await client.call(.put, "/api/settings", token: token, body: ["answer_mode": "poetry"])
            #expect(badMode.status == .badRequest)
        }
    }

    @Test func apiKeysAreShownOnceWorkAsBearerAndCanBeRevoked() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let alice = try await client.signUp("judy@example.com")
            let bob = try await client.signUp("ken@example.com")
            let created = try await client.call(.post, "/api/keys", token: alice, body: ["name": "nightly report"])
            #expect(created.status == .created)
            let secret = try #require(created["secret"] as? String)
            #expect(secret.hasPrefix("askdb_"))
            let keyID = try #require((created["key"] as? [String: Any])?["id"] as? String)

            let viaKey = try await client.call(.get, "/api/me", token: secret)
            #expect(viaKey["email"] as? String == "judy@example.com")

            let list = try await client.call(.get, "/api/keys", token: alice)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["name"] as? String == "nightly report")
            #expect(!String(decoding: list.body, as: UTF8.self).contains(secret))
            #expect(list.object.keys.contains("next_cursor"))

            #expect(try await client.call(.delete, "/api/keys/\(keyID)", token: bob).status == .notFound)
            #expect(try await client.call(.delete, "/api/keys/not-a-uuid", token: alice).status == .notFound)
            #expect(try await client.call(.delete, "/api/keys/\(keyID)", token: alice).status == .noContent)
            #expect(try await client.call(.get, "/api/me", token: secret).status == .unauthorized)
            #expect(try await client.call(.post, "/api/keys", token: alice, body: ["name": ""]).status == .unprocessableContent)
            // A few letters under many combining marks (the fuzzer's find): over the limit, not a 500.
            let zalgo = String(repeating: "T\u{033A}\u{0315}\u{035E}\u{0337}", count: 30)
            let marked = try await client.call(.post, "/api/keys", token: alice, body: ["name": zalgo])
            #expect(marked.status == .unprocessableContent)
            #expect(marked.errorCode == "invalid_name")
        }
    }

    @Test func closedRegistrationRefusesEveryone() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_REGISTRATION": "closed"]) { client, _ in
            let answer = try await client.call(.post, "/api/auth/register", body: ["email": "leo@example.com", "password": "correct horse battery"])
            #expect(answer.status == .forbidden)
            #expect(answer.errorCode == "registration_closed")
        }
    }

    @Test func inviteOnlyRegistration() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_REGISTRATION": "invite"]) { client, services in
            _ = try await services.accounts.createAdmin(email: "root@example.com", password: "admin password 42")
            let admin = try await client.logIn("root@example.com", password: "admin password 42")

            let without = try await client.call(.post, "/api/auth/register", body: ["email": "mia@example.com", "password": "correct horse battery"])
            #expect(without.errorCode == "invite_required")

            let invite = try await client.call(.post, "/api/admin/invites", token: admin, body: ["email": "mia@example.com"])
            #expect(invite.status == .created)
            let code = try #require(invite["code"] as? String)

            let wrongEmail = try await client.call(.post, "/api/auth/register", body: ["email": "nick@example.com", "password": "correct horse battery", "invite_code": code])
            #expect(wrongEmail.errorCode == "invite_invalid")
            let used = try await client.call(.post, "/api/auth/register", body: ["email": "mia@example.com", "password": "correct horse battery", "invite_code": code])
            #expect(used.status == .created)
            let again = try await client.call(.post, "/api/auth/register", body: ["email": "mia2@example.com", "password": "correct horse battery", "invite_code": code])
            #expect(again.status == .forbidden)

            let user = try await client.logIn("mia@example.com")
            #expect(try await client.call(.post, "/api/admin/invites", token: user, body: [:]).status == .forbidden)
        }
    }

    @Test func passwordsAreHashedWithTheConfiguredCost() async throws {
        let hasher = PasswordHasher()
        #expect(hasher.cost >= 11)
        let hash = try await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$2b$11$"))
        #expect(try await hasher.verify("correct horse battery", hash: hash))
        #expect(try await !hasher.verify("wrong horse battery", hash: hash))
        await hasher.shutdown()
    }
}
