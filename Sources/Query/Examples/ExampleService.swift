import Connections
import DataSources
import Embedding
import Foundation
import Jobs
import Logging
import PostgresNIO
import Retrieval
import SchemaModel
import Support

/// Verified examples as their owners manage them: each connection's own, each query checked
/// (guard and plan) before it is kept, each question embedded so questions find it.
package struct ExampleService: Sendable {
    private let indexed: IndexedConnections
    private let store: ExampleStore
    private let snapshots: SchemaSnapshotStore
    private let embedder: EmbedderSlot
    private let history: HistoryService
    /// Examples one connection may keep.
    package var maxPerConnection = 10_000
    /// Rows one CSV import may hold.
    package static let maxImportRows = 5000

    package init(connections: ConnectionService, activeJobs: any ActiveJobLookup, postgres: PostgresClient, snapshots: SchemaSnapshotStore,
                 embedder: EmbedderSlot, history: HistoryService, logger: Logger) {
        indexed = IndexedConnections(connections: connections, activeJobs: activeJobs)
        store = ExampleStore(postgres: postgres, logger: logger)
        self.snapshots = snapshots
        self.embedder = embedder
        self.history = history
    }

    /// What the pipeline searches.
    package var search: any ExampleSearch { store }

    /// What a CSV import did: how many examples it added, and each line it left out and why.
    package struct ImportOutcome: Sendable, Encodable {
        package struct LineError: Sendable, Encodable, Equatable {
            package var line: Int
            package var code: String
            package var message: String
        }

        package var imported: Int
        package var errors: [LineError]
    }

    package func list(ownerID: UUID, connectionID: UUID) async throws -> [VerifiedExample] {
        let record = try await indexed.connections.connection(id: connectionID, ownerID: ownerID)
        return try await store.list(connectionID: record.id)
    }

    package func example(ownerID: UUID, connectionID: UUID, id: UUID) async throws -> VerifiedExample {
        let record = try await indexed.connections.connection(id: connectionID, ownerID: ownerID)
        return try await store.get(id: id, connectionID: record.id)
    }

    /// Adds an example whose query passes the guard and plans on the database.
    package func create(ownerID: UUID, connectionID: UUID, question: String, query: String) async throws -> VerifiedExample {
        try await create(ownerID: ownerID, connectionID: connectionID, question: question, query: query, sourceHistoryID: nil)
    }

    /// Adds the question and query of an answered question from the owner's history: the
    /// confirm step after a thumbs-up.
    package func create(ownerID: UUID, connectionID: UUID, fromHistoryID historyID: UUID) async throws -> VerifiedExample {
        let entry = try await history.entry(id: historyID, ownerID: ownerID)
        guard entry.connectionID == connectionID else { throw AskDBError.notFound("history entry") }
        guard let query = entry.query else {
            throw AskDBError.invalid("no_query", "that question found no query to keep as an example")
        }
        return try await create(ownerID: ownerID, connectionID: connectionID, question: entry.question, query: query, sourceHistoryID: historyID)
    }

    private func create(ownerID: UUID, connectionID: UUID, question: String, query: String, sourceHistoryID: UUID?) async throws -> VerifiedExample {
        let question = try QuestionInput.question(question), query = try QuestionInput.query(query)
        let record = try await indexed.record(id: connectionID, ownerID: ownerID)
        if let problem = try await check(record, ownerID: ownerID).problem(with: query) { throw Self.refused(problem) }
        let embedding = try await embedder.get().embed([question])[0]
        return try await store.insert([.init(question: question, query: query, embedding: embedding, sourceHistoryID: sourceHistoryID)],
                                      connectionID: record.id, limit: maxPerConnection)[0]
    }

    /// Changes an example's question, query or both; the query is checked again.
    package func update(ownerID: UUID, connectionID: UUID, id: UUID, question: String?, query: String?) async throws -> VerifiedExample {
        let record = try await indexed.record(id: connectionID, ownerID: ownerID)
        let current = try await store.get(id: id, connectionID: record.id)
        let question = try question.map(QuestionInput.question) ?? current.question
        let query = try query.map(QuestionInput.query) ?? current.query
        if let problem = try await check(record, ownerID: ownerID).problem(with: query) { throw Self.refused(problem) }
        let embedding = question == current.question ? nil : try await embedder.get().embed([question])[0]
        return try await store.update(id: id, connectionID: record.id, question: question, query: query, embedding: embedding)
    }

    package func delete(ownerID: UUID, connectionID: UUID, id: UUID) async throws {
        let record = try await indexed.connections.connection(id: connectionID, ownerID: ownerID)
        try await store.delete(id: id, connectionID: record.id)
    }

    /// The connection's examples as CSV.
    package func exportCSV(ownerID: UUID, connectionID: UUID) async throws -> String {
        ExampleCSV.text(try await list(ownerID: ownerID, connectionID: connectionID))
    }

    /// Adds the examples of a CSV file (`question,query`): each row is checked like a single
    /// example; rows that fail, and rows the connection has already, are reported by line and
    /// left out, so importing the same file twice adds nothing the second time.
    package func importCSV(ownerID: UUID, connectionID: UUID, text: String) async throws -> ImportOutcome {
        let record = try await indexed.record(id: connectionID, ownerID: ownerID)
        let records: [CSV.Record]
        do {
            records = try CSV.records(text)
        } catch {
            throw AskDBError.invalid("invalid_csv", "line \(error.line): \(error.message)")
        }
        guard let header = records.first else { throw AskDBError.invalid("invalid_csv", "the file is empty: its first line must be `question,query`") }
        let names = header.fields.map { $0.trimmed().lowercased() }
        guard let questionColumn = names.firstIndex(of: "question"), let queryColumn = names.firstIndex(of: "query") else {
            throw AskDBError.invalid("invalid_csv", "line 1 must name the columns `question` and `query`")
        }
        let rows = records.dropFirst()
        guard rows.count <= Self.maxImportRows else {
            throw AskDBError.invalid("too_many_rows", "a file may hold at most \(Self.maxImportRows) examples; this one has \(rows.count)")
        }

        var errors: [ImportOutcome.LineError] = []
        var candidates: [(line: Int, question: String, query: String)] = []
        var seen = Set(try await store.list(connectionID: record.id).map { Self.pairKey($0.question, $0.query) })
        for row in rows {
            guard row.fields.count == names.count else {
                errors.append(.init(line: row.line, code: "invalid_csv", message: "the row has \(row.fields.count) fields; the header names \(names.count)"))
                continue
            }
            do {
                let question = try QuestionInput.question(row.fields[questionColumn]), query = try QuestionInput.query(row.fields[queryColumn])
                guard seen.insert(Self.pairKey(question, query)).inserted else {
                    errors.append(.init(line: row.line, code: "duplicate", message: "the connection has this example already"))
                    continue
                }
                candidates.append((row.line, question, query))
            } catch {
                errors.append(.init(line: row.line, code: error.code, message: error.message))
            }
        }
        let problems = try await check(record, ownerID: ownerID).problems(with: candidates.map(\.query))
        var accepted: [(question: String, query: String)] = []
        for (candidate, problem) in zip(candidates, problems) {
            if let problem {
                errors.append(.init(line: candidate.line, code: "query_refused", message: problem))
            } else {
                accepted.append((candidate.question, candidate.query))
            }
        }
        let embeddings = accepted.isEmpty ? [] : try await embedder.get().embed(accepted.map(\.question))
        let inserted = try await store.insert(zip(accepted, embeddings).map { .init(question: $0.question, query: $0.query, embedding: $1) },
                                              connectionID: record.id, limit: maxPerConnection)
        return ImportOutcome(imported: inserted.count, errors: errors.sorted { $0.line < $1.line })
    }

    /// Checks every example of the connection against its index `version` and marks the ones
    /// whose query no longer runs as stale (and the ones that run again as usable): what every
    /// re-index does. Returns how many were checked and how many are stale.
    package func recheck(connectionID: UUID, ownerID: UUID, version: Int) async throws -> (checked: Int, stale: Int) {
        let record = try await indexed.connections.connection(id: connectionID, ownerID: ownerID)
        let examples = try await store.list(connectionID: record.id)
        guard !examples.isEmpty else { return (0, 0) }
        let snapshot = try await snapshots.published(connectionID: record.id, version: version, kind: record.kind)
        let source = try await indexed.guardedSource(of: record, ownerID: ownerID)
        let problems = try await ExampleCheck(source: source, snapshot: snapshot).problems(with: examples.map(\.query))
        try await store.recordCheck(connectionID: record.id, version: version, verdicts: zip(examples, problems).map { ($0.id, $1) })
        return (examples.count, problems.compactMap { $0 }.count)
    }

    /// The thumbs-downs on the owner's connection, newest first.
    package func reviewList(ownerID: UUID, connectionID: UUID, before: UUID?, limit: Int) async throws -> [Feedback] {
        let record = try await indexed.connections.connection(id: connectionID, ownerID: ownerID)
        return try await history.reviewList(connectionID: record.id, before: before, limit: limit)
    }

    private func check(_ record: ConnectionRecord, ownerID: UUID) async throws -> ExampleCheck {
        let snapshot = try await snapshots.published(connectionID: record.id, version: record.indexVersion, kind: record.kind)
        return ExampleCheck(source: try await indexed.guardedSource(of: record, ownerID: ownerID), snapshot: snapshot)
    }

    private static func refused(_ problem: String) -> AskDBError {
        AskDBError.invalid("query_refused", "the query cannot be kept as an example: \(problem)")
    }

    private static func pairKey(_ question: String, _ query: String) -> String {
        question.lowercased() + "\u{1F}" + query
    }
}
