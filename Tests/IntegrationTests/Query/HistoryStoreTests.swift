import Foundation
import PostgresNIO
@testable import Query
import TestSupport
import Testing

@Suite(.serialized) struct HistoryStoreTests {
    @Test func entriesWrittenTogetherAreAllKeptAndOneBadEntryFailsAlone() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let (owner, connection) = try await AppRows.connection(in: postgres)
            let history = HistoryStore(postgres: postgres, logger: TestServers.logger)
            let summary = try AnswerSummary(SampleAnswers.answer)
            // Sixty at once: group-committed in a few batches, one of them with an unknown connection.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let target = index == 30 ? UUID() : connection
                        return (try? await history.record(ownerID: owner, connectionID: target, conversationID: UUID(),
                                                          question: "question \(index)", answer: summary)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 59)
            let entries = try await history.list(ownerID: owner, connectionID: connection, before: nil, limit: 100)
            #expect(entries.count == 59)
            #expect(entries.allSatisfy { $0.query == "SELECT name FROM artist" && $0.answer == "AC/DC has 18." && $0.rowCount == 1 && $0.model == "scripted" })
            let timings = try await postgres.query("SELECT count(*)::int8 FROM query_history WHERE (timings->>'total')::float8 = 15", logger: TestServers.logger)
            for try await count in timings.decode(Int.self) { #expect(count == 59) }
        }
    }
}
