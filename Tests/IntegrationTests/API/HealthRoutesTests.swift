@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Redis
@testable import Support
import TestSupport
import Testing

@Suite struct HealthRoutesTests {
    @Test func healthAnswersWhileTheProcessIsAlive() async throws {
        try await APITestHarness.withApplication { client, _ throws in
            try await client.execute(uri: "/health", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(try APITestHarness.json(response)["status"] as? String == "ok")
            }
        }
    }

    @Test func readyWhenPostgresAndRedisAnswer() async throws {
        try await APITestHarness.withApplication { client, services throws in
            try await Self.warmUp(services)
            try await client.execute(uri: "/ready", method: .get) { response throws in
                #expect(response.status == .ok)
                let body = try APITestHarness.json(response)
                #expect(body["status"] as? String == "ready")
                #expect(body["checks"] as? [String: String] == ["postgres": "ok", "redis": "ok", "embedder": "ok"])
            }
        }
    }

    @Test func notReadyNamesRedisWhenItIsDown() async throws {
        let deadRedis = RedisURL(host: "127.0.0.1", port: try FreePort.find())
        try await APITestHarness.withApplication(redis: deadRedis) { client, services throws in
            try await Self.warmUp(services)
            try await client.execute(uri: "/ready", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                let body = try APITestHarness.json(response)
                let error = try #require(body["error"] as? [String: String])
                #expect(error["code"] == "not_ready")
                #expect(error["message"]?.contains("redis is unreachable") == true)
                #expect(error["message"]?.contains("postgres") == false)
                let checks = try #require(body["checks"] as? [String: String])
                #expect(checks["postgres"] == "ok")
                #expect(checks["redis"]?.hasPrefix("down") == true)
            }
        }
    }

    /// Opens the first PostgreSQL connection before the 2-second readiness check: on a machine
    /// busy with the rest of the suite, connecting alone can take longer.
    static func warmUp(_ services: APIServices) async throws {
        try await services.postgres.query("SELECT 1", logger: TestServers.logger)
    }

    @Test func notReadyNamesPostgresWhenItIsDown() async throws {
        var deadPostgres = try TestServers.postgresAdminURL
        deadPostgres.port = try FreePort.find()
        try await APITestHarness.withApplication(database: deadPostgres) { client, _ throws in
            try await client.execute(uri: "/ready", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                let body = try APITestHarness.json(response)
                let checks = try #require(body["checks"] as? [String: String])
                #expect(checks["redis"] == "ok")
                #expect(checks["postgres"]?.hasPrefix("down") == true)
                let message = (body["error"] as? [String: String])?["message"] ?? ""
                #expect(message.contains("postgres is unreachable"))
                #expect(!message.contains("askdb-test"), "the password leaked into the response")
            }
        }
    }

    @Test func unknownRoutesGetAJSONError() async throws {
        try await APITestHarness.withApplication { client, _ throws in
            try await client.execute(uri: "/api/nothing-here", method: .get) { response throws in
                #expect(response.status == .notFound)
                let error = try #require(try APITestHarness.json(response)["error"] as? [String: String])
                #expect(error["code"] == "not_found")
                #expect(error["message"]?.isEmpty == false)
            }
        }
    }

    /// Blocking hiredis calls run on threads of their own: with more blocked Redis calls than
    /// cores, the server still answers at once.
    @Test func healthAnswersWhileRedisCallsBlock() async throws {
        try await APITestHarness.withApplication(mode: .live) { client, services throws in
            let blockers = 4
            let started = ContinuousClock.now
            let blocked = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<blockers {
                        group.addTask {
                            try await services.redis.send(["BLPOP", RedisArgument("test:never:\(UUID().uuidString):\(index)"), "15"], timeout: .seconds(18))
                        }
                    }
                    try await group.waitForAll()
                }
                return ContinuousClock.now
            }
            try await Task.sleep(for: .milliseconds(300))
            for _ in 0..<3 {
                let asked = ContinuousClock.now
                try await client.execute(uri: "/health", method: .get) { response throws in
                    #expect(response.status == .ok)
                }
                // A frozen pool would hold every answer until the BLPOPs return (15 s); a
                // machine busy with the rest of the suite may make one slow, never that slow.
                #expect(ContinuousClock.now - asked < .seconds(5))
            }
            // The Redis calls were still blocked the whole time (however slow a loaded machine is).
            let answered = ContinuousClock.now
            let unblocked = try await blocked.value
            #expect(answered < unblocked)
            #expect(unblocked - started >= .seconds(15))
        }
    }
}
