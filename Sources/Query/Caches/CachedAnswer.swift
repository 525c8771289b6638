import Foundation

/// A whole answer as the answer cache keeps it: the reply, encoded, and what history records.
struct CachedAnswer: Sendable {
    var reply: ReplyTemplate
    var summary: AnswerSummary

    init(reply: ReplyTemplate, summary: AnswerSummary) {
        self.reply = reply
        self.summary = summary
    }

    /// Three lines: where the reply's two ids go ("12 345"), the summary's JSON, the reply's JSON.
    /// Encoded JSON has no raw newline, and nothing here is decoded on a hit.
    var stored: [UInt8] {
        Array("\(reply.historyOffset) \(reply.conversationOffset)\n\(summary.json)\n".utf8) + reply.json
    }

    init?(stored: [UInt8]) {
        let newline = UInt8(ascii: "\n")
        guard let first = stored.firstIndex(of: newline), let second = stored[(first + 1)...].firstIndex(of: newline) else { return nil }
        let offsets = String(decoding: stored[..<first], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        guard offsets.count == 2, second > first + 1,
              let reply = ReplyTemplate(json: Array(stored[(second + 1)...]), historyOffset: offsets[0], conversationOffset: offsets[1])
        else { return nil }
        self.reply = reply
        self.summary = AnswerSummary(json: String(decoding: stored[(first + 1)..<second], as: UTF8.self))
    }
}
