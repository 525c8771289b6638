@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Jobs
import ServiceLifecycle
@testable import Support
import TestSupport
import Testing

/// Finishes index jobs at once, reporting a few steps.
struct QuickIndexHandler: JobHandler {
    let kind = indexConnectionJobKind
    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        for step in 1...3 {
            try await context.progress(JobProgress(phase: "step\(step)", done: step, total: 3))
            try await Task.sleep(for: .milliseconds(30))
        }
        return .object(["ok": .bool(true)])
    }
}

@Suite struct JobRoutesTests {
    func connection(_ client: some TestClientProtocol, token: String) async throws -> String {
        let url = try ConnectionRoutesTests().sourceURL("postgres")
        let created = try await client.call(.post, "/api/connections", token: token, body: ["name": UUID().uuidString, "kind": "postgres", "url": url])
        return try #require((created["connection"] as? [String: Any])?["id"] as? String)
    }

    @Test func indexingIsAcceptedOncePerConnectionAndOwnerIsolated() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let alice = try await client.signUp("alice@example.com")
            let bob = try await client.signUp("bob@example.com")
            let connectionID = try await connection(client, token: alice)

            let first = try await client.call(.post, "/api/connections/\(connectionID)/index", token: alice)
            #expect(first.status == .accepted)
            let job = try #require(first["job"] as? [String: Any])
            let jobID = try #require(job["id"] as? String)
            #expect(job["state"] as? String == "queued")
            #expect(job["connection_id"] as? String == connectionID)
            #expect((job["progress"] as? [String: Any])?["phase"] as? String == "queued")

            let second = try await client.call(.post, "/api/connections/\(connectionID)/index", token: alice)
            #expect(second.status == .accepted)
            #expect((second["job"] as? [String: Any])?["id"] as? String == jobID, "the active job comes back")

            #expect(try await client.call(.get, "/api/jobs/\(jobID)", token: alice)["state"] as? String == "queued")
            let list = try await client.call(.get, "/api/jobs?connection_id=\(connectionID)", token: alice)
            #expect((list["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [jobID])
            #expect(try await client.call(.get, "/api/jobs?connection_id=nope", token: alice).status == .unprocessableContent)
            #expect(try await client.call(.get, "/api/jobs?limit=0", token: alice).status == .unprocessableContent)

            for (method, path) in [(HTTPRequest.Method.get, "/api/jobs/\(jobID)"), (.delete, "/api/jobs/\(jobID)"),
                                   (.get, "/api/jobs/\(jobID)/events"), (.post, "/api/connections/\(connectionID)/index")] {
                let answer = try await client.call(method, path, token: bob)
                #expect(answer.status == .notFound, "\(method) \(path)")
            }
            #expect((try await client.call(.get, "/api/jobs", token: bob)["items"] as? [Any])?.isEmpty == true)

            let cancelled = try await client.call(.delete, "/api/jobs/\(jobID)", token: alice)
            #expect(cancelled["state"] as? String == "cancelled")
        }
    }

    @Test func progressStreamsAsServerSentEventsUntilDone() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            let token = try await client.signUp("watcher@example.com")
            let connectionID = try await connection(client, token: token)
            let jobID = try #require((try await client.call(.post, "/api/connections/\(connectionID)/index", token: token)["job"] as? [String: Any])?["id"] as? String)
            let worker = services.jobs.worker(
                handlers: [QuickIndexHandler()],
                configuration: .init(workerID: "sse-test", concurrency: 1, lease: .seconds(5), claimBlock: .milliseconds(200)),
                logger: TestServers.logger
            )
            let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: TestServers.logger))
            async let running: Void = group.run()
            let body = try await client.execute(uri: "/api/jobs/\(jobID)/events", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                return String(buffer: response.body)
            }
            await group.triggerGracefulShutdown()
            try await running
            #expect(body.contains("event: progress\nid: "))
            #expect(body.contains(#""phase":"step3""#))
            #expect(body.contains("event: state"))
            let done = try #require(body.components(separatedBy: "event: done\ndata: ").last)
            #expect(done.contains(#""state":"succeeded""#))
            #expect(body.hasSuffix("\n\n"))
            let job = try await client.call(.get, "/api/jobs/\(jobID)", token: token)
            #expect((job["progress"] as? [String: Any])?["percent"] as? Double == 100)
        }
    }

    @Test func operatorsSeeTheQueueAndRetryDeadJobs() async throws {
        try await APITestHarness.withFreshApplication { client, services in
            _ = try await services.accounts.createAdmin(email: "ops@example.com", password: "operator password 1")
            let admin = try await client.logIn("ops@example.com", password: "operator password 1")
            let user = try await client.signUp("user@example.com")
            #expect(try await client.call(.get, "/api/admin/queue", token: user).status == .forbidden)
            #expect(try await client.call(.get, "/api/admin/jobs", token: user).status == .forbidden)

            let connectionID = try await connection(client, token: user)
            _ = try await client.call(.post, "/api/connections/\(connectionID)/index", token: user)
            let queue = try await client.call(.get, "/api/admin/queue", token: admin)
            #expect(queue.status == .ok)
            let stats = try #require(queue["queue"] as? [String: Any])
            #expect(stats["waiting"] as? Int == 1)
            #expect(stats["dead_letters"] as? Int == 0)
            #expect(queue["workers"] as? [Any] != nil)

            let queued = try await client.call(.get, "/api/admin/jobs?state=queued", token: admin)
            let jobID = try #require((queued["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.call(.get, "/api/admin/jobs?state=sleeping", token: admin).status == .unprocessableContent)
            let notRetryable = try await client.call(.post, "/api/admin/jobs/\(jobID)/retry", token: admin)
            #expect(notRetryable.status == .conflict)
            #expect(try await client.call(.post, "/api/admin/jobs/\(UUID().uuidString)/retry", token: admin).status == .notFound)
        }
    }
}
