@testable import API
import Foundation
import PostgresNIO
@testable import Support
import TestSupport
import Testing

/// SIGTERM while work is in flight: each executable exits 0 within 10 s, a question completes
/// or ends in a clean error, and a job is handed to another worker and written once.
@Suite(.serialized) struct GracefulShutdownTests {
    let executables = ExecutableTests()

    @Test func theAPIFinishesAQuestionInFlightThenExits() async throws {
        try await TestDatabase.with { source, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            // The model takes 3 s: SIGTERM lands while the question waits for it.
            let slow = ScriptedChat(replies: ["```sql\nSELECT count(*) AS n FROM genre\n```"], delay: .seconds(3))
            try await ScriptedHTTPServer.with({ slow.register(on: $0) }) { modelURL in
                try await TestDatabase.with(migrated: true) { database, _ throws in
                    try await APITestHarness.withApplication(database: database.url) { client, services in
                        let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                        var values = try executables.validEnvironment(database: database.url)
                        let port = try FreePort.find()
                        values["ASKDB_PORT"] = "\(port)"
                        values["ASKDB_LLM_URL"] = modelURL
                        let api = try ChildProcess(executable: executables.executable("askdb-api"), arguments: ["serve"],
                                                   environment: executables.environment(values))
                        try await executables.waitForHTTP("http://127.0.0.1:\(port)/ready", status: 200)
                        async let answer = HTTPProbe.request("POST", "http://127.0.0.1:\(port)/api/query", headers: ["Authorization": "Bearer \(token)"],
                                                             json: #"{"connection_id": "\#(id)", "question": "How many genres?", "mode": "sql_only"}"#)
                        let asked = ContinuousClock.now
                        while await slow.requestCount == 0, ContinuousClock.now < asked + .seconds(10) {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(await slow.requestCount == 1, "the question never reached the model: \(api.output)")
                        let signalled = ContinuousClock.now
                        api.send(SIGTERM)
                        let reply = try await answer
                        #expect(reply.status == 200, "\(reply.body)")
                        #expect(reply.body.contains("\"rows\":[[25]]"), "\(reply.body)")
                        #expect(try await api.waitForExit(timeout: .seconds(10)) == 0, "\(api.output)")
                        #expect(ContinuousClock.now - signalled < .seconds(10))
                    }
                }
            }
        }
    }

    @Test func theIndexerHandsItsJobToAnotherWorkerWhichWritesItOnce() async throws {
        try await TestDatabase.with(migrated: true) { database, postgres throws in
            let prefix = "test-\(UUID().uuidString.prefix(8))"
            try await APITestHarness.withApplication(database: database.url, settings: ["ASKDB_REDIS_PREFIX": prefix]) { client, services in
                let (token, connectionID, jobID) = try await executables.startIndexing(client)
                func job() async throws -> APIAnswer { try await client.call(.get, "/api/jobs/\(jobID)", token: token) }

                var values = try executables.validEnvironment(database: database.url)
                values["ASKDB_REDIS_PREFIX"] = prefix
                values["ASKDB_DEBUG_PHASE_DELAY_MS"] = "800"
                // Handed back at once, so the other worker is the one that finishes it.
                values["ASKDB_SHUTDOWN_GRACE_SECONDS"] = "0"
                let first = try ChildProcess(executable: executables.executable("askdb-indexer"), arguments: [], environment: executables.environment(values))
                try await executables.waitUntilMidRun(job, within: .seconds(30))
                #expect(try await job()["state"] as? String == "running")
                let second = try ChildProcess(executable: executables.executable("askdb-indexer"), arguments: [], environment: executables.environment(values))
                let signalled = ContinuousClock.now
                first.send(SIGTERM)
                #expect(try await first.waitForExit(timeout: .seconds(10)) == 0, "\(first.output)")
                #expect(ContinuousClock.now - signalled < .seconds(10))

                var final = try await job()
                while ContinuousClock.now < signalled + .seconds(40), final["state"] as? String != "succeeded" {
                    try await Task.sleep(for: .milliseconds(100))
                    final = try await job()
                }
                #expect(final["state"] as? String == "succeeded", "\(final.object)\n\(second.output)")
                let result = try #require(final["result"] as? [String: Any])
                #expect(result["version"] as? Int == 1)
                let events = try await services.jobs.history(of: UUID(uuidString: jobID)!)
                #expect(events.filter { $0.data.contains("succeeded") }.count == 1, "the job ended once")
                // Written once: one row per document of the published version, none left over
                // from the interrupted run.
                let rows = try await postgres.query("SELECT count(*)::int8 FROM chunks WHERE connection_id = \(UUID(uuidString: connectionID)!)",
                                                    logger: TestServers.logger)
                for try await count in rows.decode(Int.self) { #expect(count == result["documents"] as? Int) }
                second.send(SIGTERM)
                #expect(try await second.waitForExit(timeout: .seconds(10)) == 0, "\(second.output)")
            }
        }
    }
}
