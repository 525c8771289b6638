import Foundation
import Support

/// An answered question as the API sends it: the answer's fields plus `history_id` and
/// `conversation_id`, encoded once as ``ResponseJSON``.
package struct QuestionReply: Sendable {
    /// The history entry that recorded the question.
    package let historyID: UUID
    /// The response body, a JSON object.
    package let json: [UInt8]
}

/// A reply encoded without its two ids, which are filled in per request: what the answer cache
/// keeps, so that a hit copies bytes instead of decoding and re-encoding rows.
struct ReplyTemplate: Sendable, Equatable {
    /// The JSON body, holding stand-in ids at `historyOffset` and `conversationOffset`.
    var json: [UInt8]
    var historyOffset: Int
    var conversationOffset: Int

    private static let idLength = 36

    private struct Body: Encodable {
        var answer: QuestionAnswer
        var historyID: String
        var conversationID: String

        enum CodingKeys: String, CodingKey {
            case historyID = "history_id"
            case conversationID = "conversation_id"
        }

        func encode(to encoder: any Encoder) throws {
            try answer.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(historyID, forKey: .historyID)
            try container.encode(conversationID, forKey: .conversationID)
        }
    }

    init(_ answer: QuestionAnswer) throws {
        // Random stand-ins: no value in the rows can be mistaken for them.
        let history = UUID().lowercasedString, conversation = UUID().lowercasedString
        json = Array(try ResponseJSON.encoder.encode(Body(answer: answer, historyID: history, conversationID: conversation)))
        guard let historyRange = json.firstRange(of: Array(history.utf8)),
              let conversationRange = json.firstRange(of: Array(conversation.utf8)) else {
            throw EncodingError.invalidValue(answer, .init(codingPath: [], debugDescription: "a reply's ids are missing from its encoding"))
        }
        historyOffset = historyRange.lowerBound
        conversationOffset = conversationRange.lowerBound
    }

    init?(json: [UInt8], historyOffset: Int, conversationOffset: Int) {
        let fits = { (offset: Int) in offset >= 0 && offset + Self.idLength <= json.count }
        guard json.first == UInt8(ascii: "{"), json.last == UInt8(ascii: "}"), fits(historyOffset), fits(conversationOffset),
              abs(historyOffset - conversationOffset) >= Self.idLength else { return nil }
        self.json = json
        self.historyOffset = historyOffset
        self.conversationOffset = conversationOffset
    }

    /// The reply with its ids.
    func filled(historyID: UUID, conversationID: UUID) -> QuestionReply {
        var json = self.json
        json.replaceSubrange(historyOffset..<historyOffset + Self.idLength, with: historyID.lowercasedString.utf8)
        json.replaceSubrange(conversationOffset..<conversationOffset + Self.idLength, with: conversationID.lowercasedString.utf8)
        return QuestionReply(historyID: historyID, json: json)
    }
}
