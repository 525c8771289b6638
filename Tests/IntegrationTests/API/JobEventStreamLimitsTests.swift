@testable import API
import Foundation
import HummingbirdTesting
import TestSupport
import Testing

/// Job event streams share one Redis reader, so many of them leave the API responsive, and
/// streams past the per-user and the process's caps are refused with 429.
@Suite(.serialized) struct JobEventStreamLimitsTests {
    /// What a test gets: the live API, a user with Chinook connected and indexed, and a queued
    /// indexing job of theirs to watch.
    struct Setup: Sendable {
        var client: any TestClientProtocol
        var port: Int
        var token: String
        var connectionID: String
        var jobID: String
        var sourceURL: String

        var events: String { "/api/jobs/\(jobID)/events" }

        func ask() async throws -> APIAnswer {
            try await client.call(.post, "/api/query", token: token, body: ["connection_id": connectionID, "question": "How many albums are there?"])
        }

        /// `/ready` and a cached question each answer within a second.
        func expectResponsive() async throws {
            var started = ContinuousClock.now
            try await client.execute(uri: "/ready", method: .get) { response in #expect(response.status == .ok) }
            #expect(ContinuousClock.now - started < .seconds(1), "/ready took \(ContinuousClock.now - started)")
            started = .now
            let cached = try await ask()
            #expect(ContinuousClock.now - started < .seconds(1), "the cached question took \(ContinuousClock.now - started)")
            #expect(cached["cached"] as? Bool == true, "\(cached.object)")
        }

        /// Cancels the job: its streams end with `done`.
        func cancel(token: String? = nil, job: String? = nil) async throws {
            #expect(try await client.call(.delete, "/api/jobs/\(job ?? jobID)", token: token ?? self.token).status == .ok)
        }
    }

    func withSetup(settings: [String: String], _ body: @Sendable (Setup) async throws -> Void) async throws {
        try await QueryRoutesTests.withChinookAndModel(replies: ["```sql\nSELECT count(*) AS albums FROM album\n```", "There are 347 albums."]) { source, _, modelURL in
            try await APITestHarness.withFreshApplication(mode: .live, settings: settings.merging(["ASKDB_LLM_URL": modelURL]) { mine, _ in mine }) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let setup = Setup(client: client, port: try #require(client.port), token: token, connectionID: id, jobID: "", sourceURL: try ConnectionRoutesTests().sourceURL(source.name))
                #expect(try await setup.ask()["cached"] as? Bool == false)
                let job = try await client.call(.post, "/api/connections/\(id)/index", token: token)
                var watched = setup
                watched.jobID = try #require((job["job"] as? [String: Any])?["id"] as? String)
                try await body(watched)
            }
        }
    }

    /// Each stream once held a pooled Redis connection in `XREAD BLOCK`: eight of them froze the API.
    @Test func fiftyStreamsOfOneUserLeaveTheAPIResponsive() async throws {
        try await withSetup(settings: ["ASKDB_MAX_EVENT_STREAMS_PER_USER": "50"]) { setup in
            try await HeldStreams.holding(port: setup.port, path: setup.events, token: setup.token, count: 50) { streams in
                #expect(streams.map(\.status) == Array(repeating: 200, count: 50))
                #expect(streams.allSatisfy { $0.text.contains("content-type: text/event-stream") })
                try await setup.expectResponsive()
                try await setup.cancel()
            }
        }
    }

    @Test func streamsPastTheCapsAre429WithRetryAfter() async throws {
        try await withSetup(settings: ["ASKDB_MAX_EVENT_STREAMS": "7"]) { setup in
            try await HeldStreams.holding(port: setup.port, path: setup.events, token: setup.token, count: 50) { streams in
                // Five a user (the default).
                #expect(streams.filter { $0.status == 200 }.count == 5)
                let refused = streams.filter { $0.status != 200 }
                #expect(refused.count == 45 && refused.allSatisfy { $0.status == 429 })
                #expect(refused.allSatisfy { $0.text.contains(#""code":"too_many_streams""#) && $0.text.contains("retry-after: 5") })
                try await setup.expectResponsive()

                // Another user gets what is left of the process's seven.
                let other = try await setup.client.signUp("other@example.com")
                let created = try await setup.client.call(.post, "/api/connections", token: other, body: ["name": "theirs", "kind": "postgres", "url": setup.sourceURL])
                let connection = try #require((created["connection"] as? [String: Any])?["id"] as? String)
                let job = try #require((try await setup.client.call(.post, "/api/connections/\(connection)/index", token: other)["job"] as? [String: Any])?["id"] as? String)
                try await HeldStreams.holding(port: setup.port, path: "/api/jobs/\(job)/events", token: other, count: 5) { theirs in
                    #expect(theirs.map(\.status).sorted() == [200, 200, 429, 429, 429])
                    try await setup.cancel(token: other, job: job)
                }
                try await setup.cancel()
            }
            // Ended streams give their slots back.
            let next = try #require((try await setup.client.call(.post, "/api/connections/\(setup.connectionID)/index", token: setup.token)["job"] as? [String: Any])?["id"] as? String)
            try await HeldStreams.holding(port: setup.port, path: "/api/jobs/\(next)/events", token: setup.token, count: 5) { streams in
                #expect(streams.map(\.status) == Array(repeating: 200, count: 5))
                try await setup.cancel(job: next)
            }
        }
    }
}
