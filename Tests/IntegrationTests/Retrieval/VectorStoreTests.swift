@testable import AppDatabase
import Foundation
import PostgresNIO
@testable import Jobs
@testable import Retrieval
import TestSupport
import Testing

@Suite struct VectorStoreTests {
    /// A unit vector near axis `axis`, so tests know which document is nearest.
    static func vector(_ axis: Int, tilt: Int? = nil) -> [Float] {
        var values = [Float](repeating: 0, count: 384)
        values[axis] = 1
        if let tilt { values[tilt] = 0.3 }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }

    static func embedded(_ key: String, _ content: String, axis: Int) -> EmbeddedDocument {
        let document = Document(key: key, content: content, metadata: ["table": .string(key)])
        return EmbeddedDocument(document: document, contentHash: document.contentHash(embedder: "test"), embedding: vector(axis))
    }

    static func store(_ postgres: PostgresClient) -> PostgresVectorStore {
        PostgresVectorStore(postgres: postgres, logger: TestServers.logger)
    }

    static func keys(_ store: PostgresVectorStore, _ connection: UUID, version: Int, axis: Int = 0, text: String = "", limit: Int = 10) async throws -> [String] {
        try await store.search(DocumentSearch(connectionID: connection, version: version, embedding: vector(axis), text: text, limit: limit)).map(\.key)
    }

    @Test func theStoreHoldsMiniLMSizedVectors() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres throws in
            #expect(try await Self.store(postgres).dimension() == 384)
        }
    }

    @Test func aRunIsInvisibleUntilPublishedAndThenWhole() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = Self.store(postgres)
            let (_, connection) = try await AppRows.connection(in: postgres)
            let first = try await store.beginRevision(of: connection, fence: nil)
            #expect(first.baseVersion == 0 && first.version == 1 && first.liveHashes.isEmpty)
            try await store.stage([Self.embedded("a", "artists", axis: 0), Self.embedded("b", "albums", axis: 1), Self.embedded("c", "tracks", axis: 2)], in: first)
            #expect(try await Self.keys(store, connection, version: 0).isEmpty)
            try await store.publish(first)
            #expect(try await Self.keys(store, connection, version: 1, axis: 1).first == "b")
            #expect(try await Self.keys(store, connection, version: 1).count == 3)

            // Second run: b changes, c vanishes, d is new; version 1 stays whole until the switch.
            let second = try await store.beginRevision(of: connection, fence: nil)
            #expect(second.version == 2)
            #expect(second.liveHashes == ["a": Self.embedded("a", "artists", axis: 0).contentHash, "b": Self.embedded("b", "albums", axis: 1).contentHash, "c": Self.embedded("c", "tracks", axis: 2).contentHash])
            try await store.stage([Self.embedded("b", "albums and their titles", axis: 5), Self.embedded("d", "genres", axis: 3)], in: second)
            try await store.retire(keys: ["c"], in: second)
            #expect(Set(try await Self.keys(store, connection, version: 1)) == ["a", "b", "c"])
            #expect(try await Self.keys(store, connection, version: 1, axis: 1).first == "b")
            try await store.publish(second)
            #expect(Set(try await Self.keys(store, connection, version: 2)) == ["a", "b", "d"])
            #expect(try await Self.keys(store, connection, version: 2, axis: 5).first == "b")
            let third = try await store.beginRevision(of: connection, fence: nil)
            #expect(third.liveHashes["b"] == Self.embedded("b", "albums and their titles", axis: 5).contentHash)
            #expect(third.liveHashes["c"] == nil)
        }
    }

    @Test func anAbandonedRunLeavesNothingBehind() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = Self.store(postgres)
            let (_, connection) = try await AppRows.connection(in: postgres)
            let first = try await store.beginRevision(of: connection, fence: nil)
            try await store.stage([Self.embedded("a", "artists", axis: 0), Self.embedded("b", "albums", axis: 1)], in: first)
            try await store.publish(first)
            let crashed = try await store.beginRevision(of: connection, fence: nil)
            try await store.stage([Self.embedded("a", "changed", axis: 7), Self.embedded("x", "half-written", axis: 8)], in: crashed)
            try await store.retire(keys: ["b"], in: crashed)
            // The worker died here; the next run starts from the published version.
            let next = try await store.beginRevision(of: connection, fence: nil)
            #expect(next.version == 2)
            #expect(Set(next.liveHashes.keys) == ["a", "b"])
            #expect(next.liveHashes["a"] == Self.embedded("a", "artists", axis: 0).contentHash)
            let rows = try await postgres.query("SELECT count(*) FROM chunks", logger: TestServers.logger)
            for try await count in rows.decode(Int.self) { #expect(count == 2) }
        }
    }

    @Test func aWriteUnderALostLeaseIsRefused() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = Self.store(postgres)
            let (owner, connection) = try await AppRows.connection(in: postgres)
            let job = try await AppRows.runningJob(in: postgres, owner: owner, connection: connection, token: 5)
            await #expect(throws: JobLeaseFence.Lost.self) {
                _ = try await store.beginRevision(of: connection, fence: JobLeaseFence(jobID: job, token: 4))
            }
            let revision = try await store.beginRevision(of: connection, fence: JobLeaseFence(jobID: job, token: 5))
            try await store.stage([Self.embedded("a", "artists", axis: 0)], in: revision)
            // Another worker takes the job over: this run's writes stop counting.
            try await postgres.query("UPDATE jobs SET lease_token = 6 WHERE id = \(job)", logger: TestServers.logger)
            await #expect(throws: JobLeaseFence.Lost.self) { try await store.stage([Self.embedded("b", "albums", axis: 1)], in: revision) }
            await #expect(throws: JobLeaseFence.Lost.self) { try await store.publish(revision) }
            let versions = try await postgres.query("SELECT index_version FROM connections WHERE id = \(connection)", logger: TestServers.logger)
            for try await version in versions.decode(Int.self) { #expect(version == 0) }
        }
    }

    @Test func searchReturnsExactlyTheLimitFromOneConnectionOnly() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = Self.store(postgres)
            let (_, mine) = try await AppRows.connection(in: postgres, name: "mine")
            let (_, theirs) = try await AppRows.connection(in: postgres, name: "theirs")
            for (connection, prefix) in [(mine, "m"), (theirs, "t")] {
                let revision = try await store.beginRevision(of: connection, fence: nil)
                try await store.stage((0..<30).map { Self.embedded("\(prefix)\($0)", "table \($0)", axis: $0) }, in: revision)
                try await store.publish(revision)
            }
            let found = try await Self.keys(store, mine, version: 1, axis: 3, limit: 10)
            #expect(found.count == 10)
            #expect(found.first == "m3")
            #expect(found.allSatisfy { $0.hasPrefix("m") })
            #expect(try await Self.keys(store, mine, version: 1, limit: 100).count == 30)
        }
    }

    @Test func fullTextFindsSplitIdentifiersAndFusesWithTheVectorRanking() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = Self.store(postgres)
            let (_, connection) = try await AppRows.connection(in: postgres)
            let revision = try await store.beginRevision(of: connection, fence: nil)
            var documents = (0..<20).map { Self.embedded("filler\($0)", "table filler_\($0) with columns id and name", axis: $0) }
            documents.append(Self.embedded("lines", "table InvoiceLine: UnitPrice numeric, Quantity integer", axis: 200))
            try await store.stage(documents, in: revision)
            try await store.publish(revision)
            let results = try await store.search(DocumentSearch(
                connectionID: connection, version: 1, embedding: Self.vector(0), text: "What is the total unit price of invoice lines?", limit: 5
            ))
            #expect(results.count == 5)
            let lines = try #require(results.first { $0.key == "lines" })
            #expect(lines.textRank == 1)
            #expect(results.first?.key == "filler0" || results.first?.key == "lines")
            #expect(lines.metadata["table"] == .string("lines"))
        }
    }

    @Test func questionsBecomeSafeOrQueries() {
        #expect(FullTextQuery.expression(for: "Top customers by InvoiceLine total_price per column?") == "top | customers | by | invoice | line | total | price")
        #expect(FullTextQuery.expression(for: "'); DROP TABLE x; -- & | !") == "drop")
        #expect(FullTextQuery.expression(for: "?! a") == nil)
    }
}
