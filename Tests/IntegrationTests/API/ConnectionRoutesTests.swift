@testable import Accounts
@testable import Connections
@testable import DataSources
@testable import Jobs
@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Mongo
import PostgresNIO
@testable import RateLimits
@testable import Redis
@testable import Support
import TestSupport
import Testing

@Suite struct ConnectionRoutesTests {
    /// The test server's superuser URL for `database`, as a user would paste it.
    func sourceURL(_ database: String, password: String? = nil, user: String = "askdb", port: Int? = nil, query: String = "") throws -> String {
        let admin = try TestServers.postgresAdminURL
        return "postgres://\(user):\(password ?? admin.password ?? "")@127.0.0.1:\(port ?? admin.port)/\(database)\(query)"
    }

    @Test func createTestsStoresEncryptedAndRedacts() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("owner@example.com")
            let url = try sourceURL("postgres")
            let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "warehouse", "kind": "postgres", "url": url])
            #expect(created.status == .created)
            let connection = try #require(created["connection"] as? [String: Any])
            let test = try #require(created["test"] as? [String: Any])
            #expect(test["ok"] as? Bool == true)
            #expect((test["server_version"] as? String)?.hasPrefix("PostgreSQL") == true)
            #expect((test["warnings"] as? [String])?.first?.contains("superuser") == true)
            let redacted = try #require(connection["url"] as? String)
            #expect(redacted.contains("askdb:***@127.0.0.1"))
            let text = String(decoding: created.body, as: UTF8.self)
            #expect(!text.contains("askdb-test"), "the password reached the response")

            let id = try #require(connection["id"] as? String)
            #expect(id == id.lowercased(), "ids are lower-case UUIDs (docs/api.md)")
            let fetched = try await client.call(.get, "/api/connections/\(id)", token: token)
            #expect(fetched["url"] as? String == redacted)
            #expect(!String(decoding: fetched.body, as: UTF8.self).contains("askdb-test"))

            // At rest: sealed bytes and a key id, no password anywhere in the row.
            let rows = try await services.postgres.query(
                "SELECT url_ciphertext, key_id, row_to_json(c)::text FROM connections c WHERE id = \(UUID(uuidString: id)!)",
                logger: TestServers.logger
            )
            for try await (ciphertext, keyID, row) in rows.decode((Data, String, String).self) {
                #expect(ciphertext.range(of: Data("askdb-test".utf8)) == nil)
                #expect(!row.contains("askdb-test"))
                #expect(keyID.count == 8)
            }
            let retested = try await client.call(.post, "/api/connections/\(id)/test", token: token)
            #expect(retested.status == .ok)
            #expect((retested["test"] as? [String: Any])?["ok"] as? Bool == true)
        }
    }

    @Test func failedTestsAreClassifiedAndStoreNothing() async throws {
        let silent = try SilentServer()
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_SOURCE_CONNECT_TIMEOUT": "1"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            let cases: [(String, String)] = [
                ("postgres://u:p@no-such-host.invalid/db", "host_not_found"),
                (try sourceURL("postgres", port: try FreePort.find()), "connection_refused"),
                (try sourceURL("postgres", password: "wrong-password"), "authentication_failed"),
                (try sourceURL("no_such_database_here"), "database_not_found"),
                (try sourceURL("postgres", query: "?sslmode=require"), "tls_failed"),
                (try sourceURL("postgres", port: silent.port), "connection_timeout"),
            ]
            for (index, (url, code)) in cases.enumerated() {
                let answer = try await client.call(.post, "/api/connections", token: token, body: ["name": "c\(index)", "kind": "postgres", "url": url])
                #expect(answer.status == .unprocessableContent, "\(code)")
                #expect(answer.errorCode == code, "\(code): \(answer.errorMessage ?? "")")
                #expect(!(answer.errorMessage ?? "").contains("wrong-password"))
            }
            let list = try await client.call(.get, "/api/connections", token: token)
            #expect((list["items"] as? [Any])?.isEmpty == true)

            let untested = try await client.call(.post, "/api/connections", token: token, body: [
                "name": "later", "kind": "postgres", "url": try sourceURL("postgres", port: try FreePort.find()), "save_untested": true,
            ])
            #expect(untested.status == .created)
            let test = try #require(untested["test"] as? [String: Any])
            #expect(test["ok"] as? Bool == false)
            #expect((test["error"] as? [String: Any])?["code"] as? String == "connection_refused")
            #expect((try await client.call(.get, "/api/connections", token: token)["items"] as? [Any])?.count == 1)
        }
    }

    @Test func malformedURLsNameThePartThatIsWrong() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("owner@example.com")
            let cases: [(String, String, String)] = [
                ("postgres", "mysql://u:secretpw@h/db", "postgres://"),
                ("postgres", "postgres://u:secretpw@h", "one database"),
                ("postgres", "postgres://u:secretpw@h:99999/db", "port"),
                ("postgres", "postgres://:secretpw@h/db", "user name"),
                ("postgres", "postgres://u:secretpw@h/db?sslmode=maybe", "sslmode"),
                ("mongodb", "mongo://h/db", "mongodb://"),
                ("mongodb", "mongodb+srv://h1,h2/db", "exactly one host"),
                ("mongodb", "mongodb://u:secretpw@h:0/db", "port"),
                ("mongodb", "mongodb://h,,h2/db", "empty host"),
            ]
            for (kind, url, fragment) in cases {
                let answer = try await client.call(.post, "/api/connections", token: token, body: ["name": "x", "kind": kind, "url": url])
                #expect(answer.status == .unprocessableContent, "\(url)")
                #expect(answer.errorCode == "invalid_url", "\(url)")
                #expect(answer.errorMessage?.contains(fragment) == true, "\(url): \(answer.errorMessage ?? "")")
                #expect(!(answer.errorMessage ?? "").contains("secretpw"))
            }
            let badKind = try await client.call(.post, "/api/connections", token: token, body: ["name": "x", "kind": "oracle", "url": "oracle://h"])
            #expect(badKind.status == .badRequest)
            let noName = try await client.call(.post, "/api/connections", token: token, body: ["name": " ", "kind": "postgres", "url": try sourceURL("postgres")])
            #expect(noName.errorCode == "invalid_name")
        }
    }

    @Test func anotherUsersConnectionIsNotFoundOnEveryRoute() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let alice = try await client.signUp("alice@example.com")
            let bob = try await client.signUp("bob@example.com")
            let created = try await client.call(.post, "/api/connections", token: alice, body: ["name": "mine", "kind": "postgres", "url": try sourceURL("postgres")])
            let id = try #require((created["connection"] as? [String: Any])?["id"] as? String)
            let missing = UUID().uuidString.lowercased()
            for target in [id, missing, "not-a-uuid"] {
                for (method, path, body) in [
                    (HTTPRequest.Method.get, "/api/connections/\(target)", nil),
                    (.patch, "/api/connections/\(target)", ["name": "stolen"]),
                    (.delete, "/api/connections/\(target)", nil),
                    (.post, "/api/connections/\(target)/test", nil),
                ] as [(HTTPRequest.Method, String, [String: String]?)] {
                    let answer = try await client.call(method, path, token: bob, body: body)
                    #expect(answer.status == .notFound, "\(method) \(path)")
                    #expect(answer.errorCode == "not_found")
                    #expect(answer.errorMessage == "connection not found")
                }
            }
            #expect((try await client.call(.get, "/api/connections", token: bob)["items"] as? [Any])?.isEmpty == true)
            let stillMine = try await client.call(.get, "/api/connections/\(id)", token: alice)
            #expect(stillMine["name"] as? String == "mine")
            #expect(try await client.call(.get, "/api/connections", token: nil).status == .unauthorized)
        }
    }

    @Test func renameRepointAndDelete() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("owner@example.com")
            let first = try await client.call(.post, "/api/connections", token: token, body: ["name": "a", "kind": "postgres", "url": try sourceURL("postgres")])
            _ = try await client.call(.post, "/api/connections", token: token, body: ["name": "b", "kind": "postgres", "url": try sourceURL("postgres")])
            let id = try #require((first["connection"] as? [String: Any])?["id"] as? String)
            let clash = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["name": "b"])
            #expect(clash.status == .conflict)
            let renamed = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["name": "renamed"])
            #expect((renamed["connection"] as? [String: Any])?["name"] as? String == "renamed")
            let badURL = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["url": try sourceURL("postgres", password: "nope-nope")])
            #expect(badURL.errorCode == "authentication_failed")
            // What hangs off a connection goes with it.
            let connectionID = UUID(uuidString: id)!
            try await services.postgres.query(
                """
                WITH c AS (SELECT id, owner_id FROM connections WHERE id = \(connectionID)),
                chunk AS (INSERT INTO chunks (connection_id, key, first_version, content, content_hash, embedding)
                          SELECT id, 'table:x', 1, 'x', 'h', array_fill(0.1, ARRAY[384])::vector FROM c),
                job AS (INSERT INTO jobs (kind, connection_id, owner_id) SELECT 'index_connection', id, owner_id FROM c)
                INSERT INTO query_history (user_id, connection_id, question) SELECT owner_id, id, 'q?' FROM c
                """,
                logger: TestServers.logger
            )
            #expect(try await client.call(.delete, "/api/connections/\(id)", token: token).status == .noContent)
            let leftovers = try await services.postgres.query(
                """
                SELECT (SELECT count(*) FROM chunks WHERE connection_id = \(connectionID))
                     + (SELECT count(*) FROM jobs WHERE connection_id = \(connectionID))
                     + (SELECT count(*) FROM query_history WHERE connection_id = \(connectionID))
                """,
                logger: TestServers.logger
            )
            for try await count in leftovers.decode(Int.self) { #expect(count == 0) }
            #expect(try await client.call(.get, "/api/connections/\(id)", token: token).status == .notFound)
            #expect((try await client.call(.get, "/api/connections", token: token)["items"] as? [Any])?.count == 1)
        }
    }

    @Test func hostAllowListAndMetadataAddresses() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_ALLOWED_HOSTS": "db.example.com, 10.0.0.0/8"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            let refused = try await client.call(.post, "/api/connections", token: token,
                                                body: ["name": "x", "kind": "postgres", "url": try sourceURL("postgres"), "save_untested": true])
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "host_not_allowed")
            #expect((try await client.call(.get, "/api/connections", token: token)["items"] as? [Any])?.isEmpty == true)
        }
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_ALLOWED_HOSTS": "127.0.0.0/8"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            let allowed = try await client.call(.post, "/api/connections", token: token, body: ["name": "x", "kind": "postgres", "url": try sourceURL("postgres")])
            #expect(allowed.status == .created)
            for url in ["postgres://u:p@169.254.169.254/db", "postgres://u:p@[fd00:ec2::254]/db", "postgres://u:p@[::ffff:169.254.169.254]/db"] {
                let metadata = try await client.call(.post, "/api/connections", token: token, body: ["name": "m", "kind": "postgres", "url": url])
                #expect(metadata.status == .forbidden, "\(url)")
                #expect(metadata.errorMessage?.contains("never allowed") == true, "\(url)")
            }
        }
    }

    /// Past `ASKDB_MAX_CONNECTIONS_PER_USER` a new connection is 409 and nothing is stored, even
    /// when the creations come at once; a deleted one makes room.
    @Test func connectionsPerUserAreCapped() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_MAX_CONNECTIONS_PER_USER": "3"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            let url = try sourceURL("postgres")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<6 {
                    group.addTask { try await client.call(.post, "/api/connections", token: token, body: ["name": "c\(index)", "kind": "postgres", "url": url]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 3)
            let refused = try await client.call(.post, "/api/connections", token: token, body: ["name": "one more", "kind": "postgres", "url": url])
            #expect(refused.status == .conflict && refused.errorCode == "too_many_connections")
            #expect(refused.errorMessage?.contains("3") == true)
            let listed = try #require(try await client.call(.get, "/api/connections", token: token)["items"] as? [[String: Any]])
            #expect(listed.count == 3)

            // Other users have their own allowance; a deleted connection makes room.
            let other = try await client.signUp("other@example.com")
            #expect(try await client.call(.post, "/api/connections", token: other, body: ["name": "mine", "kind": "postgres", "url": url]).status == .created)
            let first = try #require(listed.first?["id"] as? String)
            #expect(try await client.call(.delete, "/api/connections/\(first)", token: token).status == .noContent)
            #expect(try await client.call(.post, "/api/connections", token: token, body: ["name": "one more", "kind": "postgres", "url": url]).status == .created)
        }
    }

    @Test func connectionTestsAreRateLimitedPerUser() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("owner@example.com")
            let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "a", "kind": "postgres", "url": try sourceURL("postgres")])
            let id = try #require((created["connection"] as? [String: Any])?["id"] as? String)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<20 {
                statuses.append(try await client.call(.post, "/api/connections/\(id)/test", token: token).status)
            }
            #expect(statuses.filter { $0 == .ok }.count == 19)  // the create counted once
            let limited = try await client.call(.post, "/api/connections/\(id)/test", token: token)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            let other = try await client.signUp("other@example.com")
            #expect(try await client.call(.post, "/api/connections", token: other, body: ["name": "a", "kind": "postgres", "url": try sourceURL("postgres")]).status == .created)
        }
    }

    @Test func rotateKeyReSealsUnderTheNewKey() async throws {
        try await TestDatabase.with(migrated: true) { database, client throws in
            let oldKey = SecretKey(bytes: Array(repeating: 9, count: 32))
            let newKey = SecretKey(bytes: Array(repeating: 3, count: 32))
            let redis = RedisClient(configuration: .init(url: try TestServers.redisURL))
            defer { Task { await redis.shutdown() } }
            let keys = RedisKeyspace(prefix: "test-\(UUID().uuidString.prefix(8))")
            let limiter = RateLimiter(redis: redis, keys: keys)
            let jobs = JobService(store: JobStore(postgres: client, logger: TestServers.logger), queue: RedisJobQueue(redis: redis, keys: keys), logger: TestServers.logger)
            let owner = try await UserStore(postgres: client, logger: TestServers.logger)
                .create(email: EmailAddress("o@example.com"), passwordHash: "x", role: .user)
            let before = ConnectionService(postgres: client, jobs: jobs, keyRing: KeyRing(current: oldKey), hostPolicy: try HostPolicy(list: "127.0.0.1"), limiter: limiter, mongoClients: MongoClientPool(), logger: TestServers.logger)
            let created = try await before.create(ownerID: owner.id, name: "a", kind: .postgres, url: try sourceURL("postgres"), saveUntested: false)

            let after = ConnectionService(postgres: client, jobs: jobs, keyRing: KeyRing(current: newKey, previous: [oldKey]), hostPolicy: try HostPolicy(list: "127.0.0.1"), limiter: limiter, mongoClients: MongoClientPool(), logger: TestServers.logger)
            #expect(try await after.rotateKeys() == 1)
            #expect(try await after.rotateKeys() == 0)
            let newOnly = ConnectionService(postgres: client, jobs: jobs, keyRing: KeyRing(current: newKey), hostPolicy: try HostPolicy(list: "127.0.0.1"), limiter: limiter, mongoClients: MongoClientPool(), logger: TestServers.logger)
            #expect(try await newOnly.sourceURL(ownerID: owner.id, id: created.connection.id).raw == (try sourceURL("postgres")))
            await #expect(throws: KeyRingError.self) {
                try await before.sourceURL(ownerID: owner.id, id: created.connection.id)
            }
            _ = database
        }
    }
}

/// A TCP port that accepts connections and never says a word, to test timeouts.
final class SilentServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ok else { throw TestSetupError("could not open a silent server") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

@Suite struct MongoConnectionTests {
    @Test func aMongoDBConnectionIsTestedThroughLibmongoc() async throws {
        try await APITestHarness.withFreshApplication(settings: ["ASKDB_SOURCE_CONNECT_TIMEOUT": "2"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            let url = try TestServers.mongoURL + "shop"
            let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "shop", "kind": "mongodb", "url": url])
            #expect(created.status == .created, "\(created.object)")
            let test = try #require(created["test"] as? [String: Any])
            #expect(test["ok"] as? Bool == true)
            #expect((test["server_version"] as? String)?.hasPrefix("MongoDB ") == true)
            #expect(test["database"] as? String == "shop")
            let id = try #require((created["connection"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.post, "/api/connections/\(id)/test", token: token).status == .ok)

            let refused = try await client.call(.post, "/api/connections", token: token, body: [
                "name": "gone", "kind": "mongodb", "url": "mongodb://user:pw-secret@127.0.0.1:\(try FreePort.find())/shop",
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(["connection_refused", "connection_timeout"].contains(refused.errorCode ?? ""), "\(refused.errorCode ?? "") \(refused.errorMessage ?? "")")
            #expect(!(refused.errorMessage ?? "").contains("pw-secret"))

            let metadata = try await client.call(.post, "/api/connections", token: token, body: [
                "name": "m", "kind": "mongodb", "url": "mongodb://127.0.0.1:27017,169.254.169.254:27017/x",
            ])
            #expect(metadata.status == .forbidden)
        }
    }
}

@Suite struct TLSConnectionTests {
    /// A server offering TLS must present a certificate that verifies, by default; encrypting
    /// without a check is only by asking for it.
    @Test func sslModesAgainstATLSServerWithASelfSignedCertificate() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("owner@example.com")
            let base = try TestServers.tlsPostgresURL
            func create(_ name: String, _ query: String, ca: String? = nil) async throws -> APIAnswer {
                var body: [String: any Sendable] = ["name": name, "kind": "postgres", "url": base + query]
                if let ca { body["ca_certificate"] = ca }
                return try await client.call(.post, "/api/connections", token: token, body: body)
            }
            let required = try await create("require", "?sslmode=require")
            #expect(required.status == .created, "\(required.object)")
            #expect((required["test"] as? [String: Any])?["encrypted"] as? Bool == true)
            let plain = try await create("disable", "?sslmode=disable")
            #expect((plain["test"] as? [String: Any])?["encrypted"] as? Bool == false)
            // The certificate is self-signed: without its CA, verifying it fails, and says what to do.
            for mode in ["", "?sslmode=prefer", "?sslmode=verify-full", "?sslmode=verify-ca"] {
                let answer = try await create("unverified \(mode)", mode)
                #expect(answer.status == .unprocessableContent && answer.errorCode == "tls_failed", "\(mode): \(answer.object)")
                #expect(answer.errorMessage?.contains("CA certificate") == true, "\(mode): \(answer.errorMessage ?? "")")
            }
        }
    }

    /// A connection's own CA certificate: checked, stored sealed, trusted for its server only,
    /// replaced or removed like the URL (and tested again).
    @Test func aConnectionTrustsItsOwnCACertificate() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("owner@example.com")
            let base = try TestServers.tlsPostgresURL, ca = try TestServers.tlsCACertificate
            func create(_ name: String, _ query: String, ca: String) async throws -> APIAnswer {
                try await client.call(.post, "/api/connections", token: token, body: ["name": name, "kind": "postgres", "url": base + query, "ca_certificate": ca])
            }
            var id = ""
            for mode in ["", "?sslmode=verify-full", "?sslmode=verify-ca", "?sslmode=require"] {
                let answer = try await create("trusted \(mode)", mode, ca: ca)
                #expect(answer.status == .created && (answer["test"] as? [String: Any])?["encrypted"] as? Bool == true, "\(mode): \(answer.object)")
                let connection = try #require(answer["connection"] as? [String: Any])
                #expect(connection["has_ca_certificate"] as? Bool == true && !"\(answer.object)".contains("BEGIN CERTIFICATE"))
                if mode.isEmpty { id = connection["id"] as? String ?? "" }
            }
            let garbage = try await create("garbage", "", ca: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----")
            #expect(garbage.status == .unprocessableContent && garbage.errorCode == "invalid_ca_certificate", "\(garbage.object)")
            // Sealed at rest, like the URL.
            let stored = try await services.postgres.query("SELECT count(*)::int8 FROM connections WHERE position('CERTIFICATE'::bytea IN ca_certificate_ciphertext) > 0",
                                                           logger: TestServers.logger)
            for try await count in stored.decode(Int.self) { #expect(count == 0) }
            #expect(try await client.call(.post, "/api/connections/\(id)/test", token: token).status == .ok)

            // Removing it tests the connection again: the server is no longer trusted.
            let removed = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["ca_certificate": NSNull()])
            #expect(removed.status == .unprocessableContent && removed.errorCode == "tls_failed", "\(removed.object)")
            let kept = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["name": "renamed"])
            #expect((kept["connection"] as? [String: Any])?["has_ca_certificate"] as? Bool == true, "\(kept.object)")
            let forced = try await client.call(.patch, "/api/connections/\(id)", token: token, body: ["ca_certificate": NSNull(), "save_untested": true])
            #expect((forced["connection"] as? [String: Any])?["has_ca_certificate"] as? Bool == false, "\(forced.object)")
            #expect(try await client.call(.post, "/api/connections/\(id)/test", token: token).errorCode == "tls_failed")
        }
    }
}

extension TLSConnectionTests {
    /// The same for MongoDB: the driver verifies a TLS server's certificate, against the
    /// connection's CA certificate when it has one (which also turns TLS on).
    @Test func aMongoDBConnectionTrustsItsOwnCACertificate() async throws {
        let server = try SecantusServerProcess()
        try await server.start(auth: false, tls: try TestServers.tlsServerFiles)
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("owner@example.com")
            let url = "mongodb://127.0.0.1:\(server.port)/shop"
            let unverified = try await client.call(.post, "/api/connections", token: token, body: ["name": "a", "kind": "mongodb", "url": url + "?tls=true"])
            #expect(unverified.status == .unprocessableContent, "\(unverified.object)")
            let trusted = try await client.call(.post, "/api/connections", token: token, body: [
                "name": "b", "kind": "mongodb", "url": url, "ca_certificate": try TestServers.tlsCACertificate,
            ])
            #expect(trusted.status == .created && (trusted["connection"] as? [String: Any])?["has_ca_certificate"] as? Bool == true, "\(trusted.object)")
            let id = try #require((trusted["connection"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.post, "/api/connections/\(id)/test", token: token).status == .ok)
        }
        try await server.stop()
    }
}

@Suite struct MongoAuthenticationTests {
    @Test func scramUsersRolesAndWrongPasswords() async throws {
        let server = try SecantusServerProcess()
        try await server.start(auth: false)
        let setup = try MongoClient(uri: "mongodb://127.0.0.1:\(server.port)/admin", timeout: .seconds(5))
        _ = try await setup.command(#"{"createUser": "reader", "pwd": "reader-pass-1", "roles": [{"role": "read", "db": "shop"}]}"#, database: "admin")
        _ = try await setup.command(#"{"createUser": "boss", "pwd": "boss-pass-1", "roles": [{"role": "root", "db": "admin"}]}"#, database: "admin")
        await setup.shutdown()
        try await server.stop()
        try await server.start(auth: true)

        try await APITestHarness.withFreshApplication(settings: ["ASKDB_SOURCE_CONNECT_TIMEOUT": "3"]) { client, _ in
            let token = try await client.signUp("owner@example.com")
            func create(_ name: String, _ userinfo: String) async throws -> APIAnswer {
                try await client.call(.post, "/api/connections", token: token, body: [
                    "name": name, "kind": "mongodb", "url": "mongodb://\(userinfo)@127.0.0.1:\(server.port)/shop?authSource=admin",
                ])
            }
            let reader = try await create("reader", "reader:reader-pass-1")
            #expect(reader.status == .created, "\(reader.object)")
            let readerTest = try #require(reader["test"] as? [String: Any])
            #expect(readerTest["user"] as? String == "reader")
            #expect((readerTest["warnings"] as? [String])?.isEmpty == true)
            #expect((reader["connection"] as? [String: Any])?["url"] as? String == "mongodb://reader:***@127.0.0.1:\(server.port)/shop?authSource=admin")

            let boss = try await create("boss", "boss:boss-pass-1")
            #expect(((boss["test"] as? [String: Any])?["warnings"] as? [String])?.first?.contains("root") == true)

            let wrong = try await create("wrong", "reader:not-the-pass-9")
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorCode == "authentication_failed", "\(wrong.errorMessage ?? "")")
            #expect(!(wrong.errorMessage ?? "").contains("not-the-pass-9"))
        }
        try await server.stop()
    }
}
