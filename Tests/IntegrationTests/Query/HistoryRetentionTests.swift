import Foundation
import PostgresNIO
@testable import Query
import ServiceLifecycle
import TestSupport
import Testing

@Suite(.serialized) struct HistoryRetentionTests {
    /// With a day's retention, entries asked two days ago go and today's stay; the audit log
    /// keeps every row.
    @Test func entriesOlderThanTheRetentionArePrunedAndTheAuditLogKept() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let (owner, connection) = try await AppRows.connection(in: postgres)
            let history = HistoryService(postgres: postgres, logger: TestServers.logger)
            let summary = try AnswerSummary(SampleAnswers.answer)
            var ids: [UUID] = []
            for index in 0..<6 {
                ids.append(try await history.record(ownerID: owner, connectionID: connection, conversationID: UUID(), question: "q\(index)", answer: summary))
                try await history.recordQuery(userID: owner, connectionID: connection, query: "SELECT \(index)", outcome: "ok", rows: 1, error: nil)
            }
            let old = Array(ids.prefix(4))
            try await postgres.query("UPDATE query_history SET created_at = now() - interval '2 days' WHERE id = ANY(\(old))", logger: TestServers.logger)
            try await postgres.query("UPDATE query_history SET created_at = now() - interval '23 hours' WHERE id = \(ids[4])", logger: TestServers.logger)

            let retention = HistoryRetention(history: history, keep: .seconds(86_400), interval: .milliseconds(100), logger: TestServers.logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: retention)], logger: TestServers.logger))
            async let running: Void = group.run()
            let pruned = try await eventually {
                try await history.list(ownerID: owner, connectionID: nil, before: nil, limit: 10).count == 2
            }
            await group.triggerGracefulShutdown()
            try await running
            #expect(pruned)
            let kept = try await history.list(ownerID: owner, connectionID: nil, before: nil, limit: 10).map(\.id)
            #expect(Set(kept) == Set(ids.suffix(2)))
            #expect(try await history.auditLog(connectionID: connection, userID: nil, before: nil, limit: 10).count == 6)
        }
    }

    /// Pruning goes a batch at a time until nothing old is left.
    @Test func pruningDeletesEveryOldEntryInBatches() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let (owner, connection) = try await AppRows.connection(in: postgres)
            try await postgres.query(
                """
                INSERT INTO query_history (user_id, connection_id, question, created_at)
                SELECT \(owner), \(connection), 'q' || n, now() - interval '100 days' FROM generate_series(1, 12000) n
                """,
                logger: TestServers.logger
            )
            let history = HistoryService(postgres: postgres, logger: TestServers.logger)
            #expect(try await history.prune(askedBefore: Date().addingTimeInterval(-90 * 86_400)) == 12000)
            #expect(try await history.prune(askedBefore: Date()) == 0)
        }
    }
}
