import Foundation
import Logging
import PostgresNIO
import Support

/// The users' question history and the audit log of every query run against their databases:
/// what the question service records, and what users (and, for the audit log, admins) read.
package struct HistoryService: Sendable {
    private let history: HistoryStore
    private let audit: AuditLog
    private let feedback: FeedbackStore

    package init(postgres: PostgresClient, logger: Logger) {
        history = HistoryStore(postgres: postgres, logger: logger)
        audit = AuditLog(postgres: postgres, logger: logger)
        feedback = FeedbackStore(postgres: postgres, logger: logger)
    }

    /// Rates one of the owner's answers (a comment of at most 2000 characters).
    package func rate(historyID: UUID, ownerID: UUID, rating: Feedback.Rating, comment: String?) async throws -> Feedback {
        let comment = comment?.trimmed()
        guard (comment?.unicodeScalars.count ?? 0) <= 2000 else { throw AskDBError.invalid("invalid_comment", "a comment may have at most 2000 characters") }
        return try await feedback.rate(historyID: historyID, ownerID: ownerID, rating: rating, comment: comment?.isEmpty == true ? nil : comment)
    }

    /// The thumbs-downs on a connection, newest first; the caller has checked it is the owner's.
    package func reviewList(connectionID: UUID, before: UUID?, limit: Int) async throws -> [Feedback] {
        try await feedback.downRatings(connectionID: connectionID, before: before, limit: limit)
    }

    /// The owner's entries, newest first, of one connection if given; `before` is the last id seen.
    package func list(ownerID: UUID, connectionID: UUID?, before: UUID?, limit: Int) async throws -> [HistoryEntry] {
        try await history.list(ownerID: ownerID, connectionID: connectionID, before: before, limit: limit)
    }

    package func entry(id: UUID, ownerID: UUID) async throws -> HistoryEntry {
        try await history.get(id: id, ownerID: ownerID)
    }

    package func delete(id: UUID, ownerID: UUID) async throws {
        try await history.delete(id: id, ownerID: ownerID)
    }

    /// Deletes the owner's entries (of one connection if given); returns how many.
    package func deleteAll(ownerID: UUID, connectionID: UUID?) async throws -> Int {
        try await history.deleteAll(ownerID: ownerID, connectionID: connectionID)
    }

    /// Deletes every user's entries asked before `cutoff`, a batch at a time so no statement
    /// holds many rows locked; returns how many went. The audit log keeps its rows: they hold
    /// ids, the query text and a redacted error, never result values.
    package func prune(askedBefore cutoff: Date) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await history.deleteAsked(before: cutoff, batch: 5000)
            total += deleted
            if deleted < 5000 { return total }
        }
    }

    /// The audit log, newest first, optionally of one connection or user; `before` is the last id seen.
    package func auditLog(connectionID: UUID?, userID: UUID?, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await audit.list(connectionID: connectionID, userID: userID, before: before, limit: limit)
    }

    func record(ownerID: UUID, connectionID: UUID, conversationID: UUID, question: String, answer: AnswerSummary) async throws -> UUID {
        try await history.record(ownerID: ownerID, connectionID: connectionID, conversationID: conversationID, question: question, answer: answer)
    }

    func turns(ownerID: UUID, connectionID: UUID, conversationID: UUID, limit: Int) async throws -> [ConversationTurn] {
        try await history.turns(ownerID: ownerID, connectionID: connectionID, conversationID: conversationID, limit: limit)
    }

    func recordQuery(userID: UUID, connectionID: UUID, query: String, outcome: String, rows: Int?, error: String?) async throws {
        try await audit.record(userID: userID, connectionID: connectionID, query: query, outcome: outcome, rows: rows, error: error)
    }
}
