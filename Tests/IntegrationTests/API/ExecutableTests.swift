@testable import API
import Foundation
import HummingbirdTesting
@testable import Jobs
@testable import Redis
@testable import Support
import TestSupport
import Testing

/// The built `askdb-api` and `askdb-indexer` executables, run as an operator would.
@Suite struct ExecutableTests {
    func executable(_ name: String) -> String {
        TestServers.binaryFolder.appendingPathComponent(name).path
    }

    /// PATH and friends, without any AskDB settings from the test's own environment.
    func environment(_ values: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("ASKDB_") && !["DATABASE_URL", "REDIS_URL", "JWT_SECRET"].contains($0.key) }
            .merging(values) { _, new in new }
    }

    func validEnvironment(database: PostgresURL) throws -> [String: String] {
        APITestHarness.environment(database: database, redis: try TestServers.redisURL)
    }

    @Test func aMissingVariableStopsTheAPIWithOneClearLine() async throws {
        var values = try validEnvironment(database: TestServers.postgresAdminURL)
        values["DATABASE_URL"] = nil
        let api = try ChildProcess(executable: executable("askdb-api"), arguments: ["serve"], environment: environment(values))
        #expect(try await api.waitForExit() == 2)
        #expect(api.output == "configuration error: DATABASE_URL is required but not set\n")
    }

    @Test func aMalformedVariableIsNamedAndItsValueNotPrinted() async throws {
        var values = try validEnvironment(database: TestServers.postgresAdminURL)
        values["JWT_SECRET"] = "short-secret-x7"
        let api = try ChildProcess(executable: executable("askdb-api"), arguments: ["serve"], environment: environment(values))
        #expect(try await api.waitForExit() == 2)
        #expect(api.output.hasPrefix("configuration error: JWT_SECRET must be at least 32 characters"))
        #expect(!api.output.contains("short-secret-x7"))

        values = try validEnvironment(database: TestServers.postgresAdminURL)
        values["REDIS_URL"] = "http://cache"
        let indexer = try ChildProcess(executable: executable("askdb-indexer"), arguments: [], environment: environment(values))
        #expect(try await indexer.waitForExit() == 2)
        #expect(indexer.output.hasPrefix("configuration error: REDIS_URL is malformed"))
    }

    @Test func migrateThenServeThenStopGracefully() async throws {
        try await TestDatabase.with { database, client throws in
            var values = try validEnvironment(database: database.url)
            values["ASKDB_MIGRATIONS_DIR"] = TestServers.migrationsFolder.path
            let migrate = try ChildProcess(executable: executable("askdb-api"), arguments: ["migrate"], environment: environment(values))
            #expect(try await migrate.waitForExit() == 0, "\(migrate.output)")
            let rows = try await client.query("SELECT count(*) FROM schema_migrations", logger: TestServers.logger)
            for try await count in rows.decode(Int.self) { #expect(count >= 1) }

            let port = try FreePort.find()
            values["ASKDB_PORT"] = "\(port)"
            values["ASKDB_LOG_FORMAT"] = "json"
            let api = try ChildProcess(executable: executable("askdb-api"), arguments: ["serve"], environment: environment(values))
            try await waitForHTTP("http://127.0.0.1:\(port)/ready", status: 200)

            // Secrets never reach the log: a password in a connection URL, a login password, a token.
            let base = "http://127.0.0.1:\(port)"
            let credentials = #"{"email": "logs@example.com", "password": "login-secret-p4ss"}"#
            #expect(try await HTTPProbe.request("POST", base + "/api/auth/register", json: credentials).status == 201)
            let login = try await HTTPProbe.request("POST", base + "/api/auth/login", json: credentials)
            let token = try #require(
                (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as? [String: Any])?["token"] as? String
            )
            var sourceURL = try TestServers.postgresAdminURL
            sourceURL.password = "url-secret-w0rd"
            let connection = #"{"name": "x", "kind": "postgres", "save_untested": true, "url": "postgres://askdb:url-secret-w0rd@127.0.0.1:\#(sourceURL.port)/postgres"}"#
            let created = try await HTTPProbe.request("POST", base + "/api/connections", headers: ["Authorization": "Bearer \(token)"], json: connection)
            #expect(created.status == 201, "\(created.body)")
            api.send(SIGTERM)
            #expect(try await api.waitForExit(timeout: .seconds(15)) == 0, "\(api.output)")
            // JSON log lines, one object each.
            let lines = api.output.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(!lines.isEmpty)
            for line in lines {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
            }
            for secret in ["askdb-test", "url-secret-w0rd", "login-secret-p4ss", token] {
                #expect(!api.output.contains(secret), "a secret reached the log")
            }
            #expect(api.output.contains("askdb:***@"), "the redacted URL should be logged")
        }
    }

    @Test func createAdminMakesAnAdminWhoCanLogIn() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            var values = try validEnvironment(database: database.url)
            values["ASKDB_ADMIN_PASSWORD"] = "operator chosen secret"
            let create = try ChildProcess(
                executable: executable("askdb-api"), arguments: ["create-admin", "--email", "Ops@Example.com"], environment: environment(values)
            )
            #expect(try await create.waitForExit() == 0, "\(create.output)")
            #expect(create.output.contains("created admin ops@example.com"))
            #expect(!create.output.contains("operator chosen secret"))

            values["ASKDB_ADMIN_PASSWORD"] = "short"
            let weak = try ChildProcess(
                executable: executable("askdb-api"), arguments: ["create-admin", "--email", "other@example.com"], environment: environment(values)
            )
            #expect(try await weak.waitForExit() == 1)
            #expect(weak.output.contains("at least 10 characters"))

            try await APITestHarness.withApplication(database: database.url) { client, _ in
                let token = try await client.logIn("ops@example.com", password: "operator chosen secret")
                #expect(try await client.call(.get, "/api/me", token: token)["role"] as? String == "admin")
            }
        }
    }

    @Test func rotateKeyReEncryptsStoredURLs() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            try await APITestHarness.withApplication(database: database.url) { client, _ in
                let token = try await client.signUp("keys@example.com")
                let url = try ConnectionRoutesTests().sourceURL("postgres")
                #expect(try await client.call(.post, "/api/connections", token: token, body: ["name": "a", "kind": "postgres", "url": url]).status == .created)
                let trusted = try await client.call(.post, "/api/connections", token: token, body: [
                    "name": "b", "kind": "postgres", "url": try TestServers.tlsPostgresURL, "ca_certificate": try TestServers.tlsCACertificate,
                ])
                #expect(trusted.status == .created, "\(trusted.object)")
            }
            var values = try validEnvironment(database: database.url)
            let oldKey = values["ASKDB_ENCRYPTION_KEY"]!
            values["ASKDB_ENCRYPTION_KEY"] = Data(repeating: 5, count: 32).base64EncodedString()
            let withoutOld = try ChildProcess(executable: executable("askdb-api"), arguments: ["rotate-key"], environment: environment(values))
            #expect(try await withoutOld.waitForExit() == 1)
            #expect(withoutOld.output.contains("ASKDB_ENCRYPTION_PREVIOUS_KEYS"))

            values["ASKDB_ENCRYPTION_PREVIOUS_KEYS"] = oldKey
            let rotate = try ChildProcess(executable: executable("askdb-api"), arguments: ["rotate-key"], environment: environment(values))
            #expect(try await rotate.waitForExit() == 0, "\(rotate.output)")
            #expect(rotate.output.hasPrefix("re-encrypted 2 connection URL(s)"), "\(rotate.output)")
            let again = try ChildProcess(executable: executable("askdb-api"), arguments: ["rotate-key"], environment: environment(values))
            #expect(try await again.waitForExit() == 0)
            #expect(again.output.hasPrefix("re-encrypted 0"))
            // Under the new key alone, both open: the CA certificate was re-sealed with its URL.
            try await APITestHarness.withApplication(database: database.url, settings: ["ASKDB_ENCRYPTION_KEY": values["ASKDB_ENCRYPTION_KEY"]!]) { client, _ in
                let token = try await client.logIn("keys@example.com")
                for connection in try #require(try await client.call(.get, "/api/connections", token: token)["items"] as? [[String: Any]]) {
                    let tested = try await client.call(.post, "/api/connections/\(connection["id"] as? String ?? "")/test", token: token)
                    #expect(tested.status == .ok, "\(connection["name"] ?? ""): \(tested.object)")
                }
            }
        }
    }

    @Test func anIndexerWorkerHeartbeatsServesHealthAndLeavesCleanly() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            let prefix = "test-\(UUID().uuidString.prefix(8))"
            var values = try validEnvironment(database: database.url)
            values["ASKDB_REDIS_PREFIX"] = prefix
            let port = try FreePort.find()
            let indexer = try ChildProcess(
                executable: executable("askdb-indexer"),
                arguments: ["--concurrency", "2", "--health-port", "\(port)"],
                environment: environment(values)
            )
            try await waitForHTTP("http://127.0.0.1:\(port)/ready", status: 200)
            try await waitForHTTP("http://127.0.0.1:\(port)/health", status: 200)

            let redis = RedisClient(configuration: .init(url: try TestServers.redisURL))
            let registry = WorkerRegistry(redis: redis, keys: RedisKeyspace(prefix: prefix))
            let workers = try await registry.liveWorkers()
            #expect(workers.count == 1)
            #expect(workers.first?.pid == indexer.pid)
            #expect(workers.first?.concurrency == 2)

            indexer.send(SIGTERM)
            #expect(try await indexer.waitForExit(timeout: .seconds(15)) == 0, "\(indexer.output)")
            #expect(try await registry.liveWorkers().isEmpty)
            await redis.shutdown()
        }
    }

    @Test func anIndexerWithAnUnusableEmbedderStopsWithOneClearLine() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            var values = try validEnvironment(database: database.url)
            values["ASKDB_MODEL_DIR"] = "/nonexistent/model"
            let missing = try ChildProcess(executable: executable("askdb-indexer"), arguments: [], environment: environment(values))
            #expect(try await missing.waitForExit(timeout: .seconds(30)) == 2)
            #expect(missing.output.contains("has no vocab.txt"), "\(missing.output)")

            try await ScriptedHTTPServer.with({ router in
                router.post("/api/embed") { _, _ in #"{"embeddings":[[0.5,0.5]]}"# }
            }) { [values] base in
                var values = values
                values["ASKDB_EMBEDDER"] = "ollama"
                values["ASKDB_EMBEDDING_URL"] = base
                let mismatch = try ChildProcess(executable: self.executable("askdb-indexer"), arguments: [], environment: self.environment(values))
                #expect(try await mismatch.waitForExit(timeout: .seconds(30)) == 2)
                #expect(mismatch.output.contains("makes 2-dimensional vectors, but the store holds 384"), "\(mismatch.output)")
            }
        }
    }

    /// A worker killed with SIGKILL mid-job: once its lease runs out another worker takes the
    /// job over and finishes it, and the job ends once.
    @Test func aKilledWorkersJobIsTakenOverByAnother() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            let prefix = "test-\(UUID().uuidString.prefix(8))"
            try await APITestHarness.withApplication(database: database.url, settings: ["ASKDB_REDIS_PREFIX": prefix]) { client, services in
                let (token, _, jobID) = try await startIndexing(client)

                var values = try validEnvironment(database: database.url)
                values["ASKDB_REDIS_PREFIX"] = prefix
                values["ASKDB_JOB_LEASE_SECONDS"] = "2"
                values["ASKDB_DEBUG_PHASE_DELAY_MS"] = "600"
                let first = try ChildProcess(executable: executable("askdb-indexer"), arguments: [], environment: environment(values))
                func job() async throws -> APIAnswer { try await client.call(.get, "/api/jobs/\(jobID)", token: token) }
                try await waitUntilMidRun(job, within: .seconds(20))
                #expect(try await job()["state"] as? String == "running")
                first.send(SIGKILL)
                let killedAt = ContinuousClock.now
                try await first.waitForExit()

                let second = try ChildProcess(executable: executable("askdb-indexer"), arguments: [], environment: environment(values))
                var final = try await job()
                while ContinuousClock.now < killedAt + .seconds(30), final["state"] as? String != "succeeded" {
                    try await Task.sleep(for: .milliseconds(100))
                    final = try await job()
                }
                #expect(final["state"] as? String == "succeeded", "\(final.object) \(second.output)")
                #expect(final["attempts"] as? Int == 2)
                #expect((final["progress"] as? [String: Any])?["percent"] as? Double == 100)
                #expect((final["result"] as? [String: Any])?["version"] as? Int == 1)
                let events = try await services.jobs.history(of: UUID(uuidString: jobID)!)
                #expect(events.filter { $0.data.contains("succeeded") }.count == 1, "the job ended once")
                second.send(SIGTERM)
                #expect(try await second.waitForExit(timeout: .seconds(20)) == 0)
            }
        }
    }

    @Test func badCommandLineOptionsAreRefused() async throws {
        let values = try validEnvironment(database: TestServers.postgresAdminURL)
        let indexer = try ChildProcess(executable: executable("askdb-indexer"), arguments: ["--concurrency", "0"], environment: environment(values))
        #expect(try await indexer.waitForExit() != 0)
        #expect(indexer.output.contains("--concurrency must be from 1 to 64"))
    }

    /// A query that builds a value of about 1 GB in the user's database: the API process gets a
    /// cell cut to 64 KiB and its resident memory stays under 300 MB. (`repeat('x', 1073741000)`
    /// itself is refused by the guard, as PostgreSQL would build it while planning; the value is
    /// built while the query runs instead.)
    @Test func aGiantValueNeverReachesTheAPIsMemory() async throws {
        try await TestDatabase.with(migrated: true) { database, _ throws in
            var settings = try validEnvironment(database: database.url)
            settings["ASKDB_PORT"] = "\(try FreePort.find())"
            let values = settings
            try await APITestHarness.withApplication(database: database.url, settings: ["ASKDB_REDIS_PREFIX": values["ASKDB_REDIS_PREFIX"]!]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(kind: "postgres", url: try ConnectionRoutesTests().sourceURL("postgres"),
                                                                     client: client, services: services, index: true)
                let api = try ChildProcess(executable: executable("askdb-api"), arguments: ["serve"], environment: environment(values))
                let base = "http://127.0.0.1:\(values["ASKDB_PORT"]!)"
                try await waitForHTTP(base + "/ready", status: 200)
                let answer = try await HTTPProbe.request("POST", base + "/api/connections/\(id)/run", headers: ["Authorization": "Bearer \(token)"],
                                                         json: #"{"query": "SELECT string_agg(repeat('x', 10000), '') AS big FROM generate_series(1, 100000)"}"#)
                // The database may run out of memory building it; either way the API never holds it.
                #expect(answer.status == 200 || answer.status == 422, "\(answer.body.prefix(300))")
                if answer.status == 200 { #expect(answer.body.utf8.count < 100_000 && answer.body.contains(String(repeating: "x", count: 16_384))) }
                let status = try String(contentsOfFile: "/proc/\(api.pid)/status", encoding: .utf8)
                let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap { Int($0.split(separator: " ")[1]) } ?? .max
                #expect(peak < 300 * 1024, "the API's resident memory peaked at \(peak) kB")
                api.send(SIGTERM)
                _ = try await api.waitForExit(timeout: .seconds(15))
            }
        }
    }

    /// A user with a connection whose indexing job is queued.
    func startIndexing(_ client: any TestClientProtocol) async throws -> (token: String, connectionID: String, jobID: String) {
        let token = try await client.signUp("ops@example.com")
        let url = try ConnectionRoutesTests().sourceURL("postgres")
        let created = try await client.call(.post, "/api/connections", token: token, body: ["name": "a", "kind": "postgres", "url": url])
        let connectionID = try #require((created["connection"] as? [String: Any])?["id"] as? String)
        let jobID = try #require((try await client.call(.post, "/api/connections/\(connectionID)/index", token: token)["job"] as? [String: Any])?["id"] as? String)
        return (token, connectionID, jobID)
    }

    /// Waits until the job is past connecting: sampling or embedding (phases pause with
    /// `ASKDB_DEBUG_PHASE_DELAY_MS`).
    func waitUntilMidRun(_ job: () async throws -> APIAnswer, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let progress = try await job()["progress"] as? [String: Any]
            if ["sample", "embed"].contains(progress?["phase"] as? String ?? "") { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Polls `url` until it answers `status`, failing after ten seconds.
    func waitForHTTP(_ url: String, status: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            if let code = await HTTPProbe.status(of: url) {
                if code == status { return }
                last = "HTTP \(code)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("\(url) did not answer \(status) in time (last: \(last))")
    }
}
