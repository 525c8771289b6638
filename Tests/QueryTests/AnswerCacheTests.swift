import Foundation
@testable import Query
import SchemaModel
@testable import Support
import TestSupport
import Testing

struct AnswerCacheTests {
    static func object(_ json: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    }

    @Test func aFilledReplyIsTheAnswerWithItsIdsInTheResponseEncoding() throws {
        let historyID = UUID(), conversationID = UUID()
        let reply = try ReplyTemplate(SampleAnswers.answer).filled(historyID: historyID, conversationID: conversationID)
        let body = try Self.object(reply.json)
        #expect(body["history_id"] as? String == historyID.uuidString.lowercased())
        #expect(body["conversation_id"] as? String == conversationID.uuidString.lowercased())
        #expect(body["answer"] as? String == "AC/DC has 18." && body["cached"] as? Bool == false && body["row_count"] as? Int == 1)
        // Keys nested in the rows are left alone.
        let row = try #require((body["rows"] as? [[Any]])?.first?.last as? [String: String])
        #expect(row == ["history_id": "x", "conversation_id": "y"])
        // Sorted keys, like every response.
        let text = String(decoding: reply.json, as: UTF8.self)
        let keys = ["answer", "attempts", "cached", "columns", "conversation_id", "documents_used", "history_id", "model", "query", "row_count"]
        let positions = keys.map { text.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func aStoredAnswerReadsBackAndTwoHitsGetTheirOwnIds() throws {
        var served = SampleAnswers.answer
        served.cached = true
        let stored = CachedAnswer(reply: try ReplyTemplate(served), summary: try AnswerSummary(served)).stored
        let cached = try #require(CachedAnswer(stored: stored))
        #expect(cached.summary == (try AnswerSummary(SampleAnswers.answer)))
        let first = try Self.object(cached.reply.filled(historyID: UUID(), conversationID: UUID()).json)
        let second = try Self.object(cached.reply.filled(historyID: UUID(), conversationID: UUID()).json)
        #expect(first["cached"] as? Bool == true && first["rows"] != nil)
        #expect(first["history_id"] as? String != second["history_id"] as? String)
    }

    @Test func keysIgnoreCaseSpacingAndEndPunctuationButNotWords() {
        let id = UUID(), day = Date(timeIntervalSince1970: 86_400 * 20_000)
        func key(_ question: String, tokens: Int = 2500, options: SamplingOptions = SamplingOptions()) -> String {
            AnswerCache.key(ownerID: id, connectionID: id, source: "postgres://db/x", indexVersion: 1, question: question, model: "m",
                            contextTokens: tokens, mode: .answer, options: options, today: day).hash
        }
        #expect(key("How many albums are there?") == key("  how many\talbums are there  "))
        #expect(key("How many albums are there?") != key("How many artists are there?"))
        // An answer cached before the owner excluded a column is not served after; nor one
        // written with another context size.
        #expect(key("Emails?") != key("Emails?", options: SamplingOptions(excludedColumns: ["customer.email"])))
        #expect(key("Emails?", options: SamplingOptions(excludedColumns: ["a", "B"])) == key("Emails?", options: SamplingOptions(excludedColumns: ["b", "a"])))
        #expect(key("Emails?") != key("Emails?", tokens: 1000))
        #expect(" \n ".trimmed() == "" && "?!x?".trimmed(where: { $0 == "?" }) == "!x")
    }

    @Test func anEntryItCannotReadIsAMiss() throws {
        #expect(CachedAnswer(stored: Array("not a cached answer".utf8)) == nil)
        #expect(CachedAnswer(stored: Array("1 2\n{}\n{}".utf8)) == nil)
        var stored = CachedAnswer(reply: try ReplyTemplate(SampleAnswers.answer), summary: try AnswerSummary(SampleAnswers.answer)).stored
        stored.removeLast(stored.count / 2)
        #expect(CachedAnswer(stored: stored) == nil)
    }
}
