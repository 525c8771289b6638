import Foundation
import Hummingbird
import Query
import Support

/// A tool call's arguments, read as a REST body is: text PostgreSQL cannot store refused with
/// `validation_failed`, a missing or mistyped field a `bad_request` naming it.
enum MCPArguments {
    static func decode<T: Decodable>(_ type: T.Type, from arguments: [String: JSONValue]) throws -> T {
        let bytes = try APIJSON.encoder.encode(JSONValue.object(arguments))
        try RequestBodyDecoder.refuseUnstorableText(in: ByteBuffer(bytes: bytes))
        return try APIJSON.decoder.decode(T.self, from: bytes)
    }

    /// An id argument: one that is not a UUID is not found, like one that does not exist.
    static func id(_ text: String, what: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw AskDBError.notFound(what) }
        return id
    }

    struct Connection: Decodable {
        var connectionID: String
        enum CodingKeys: String, CodingKey { case connectionID = "connection_id" }
    }

    struct SchemaTables: Decodable {
        var connectionID: String
        var tables: [String]?
        enum CodingKeys: String, CodingKey {
            case tables
            case connectionID = "connection_id"
        }
    }

    struct TableSearch: Decodable {
        var connectionID: String
        var question: String
        var limit: Int?
        enum CodingKeys: String, CodingKey {
            case question, limit
            case connectionID = "connection_id"
        }
    }

    struct Question: Decodable {
        var connectionID: String
        var question: String
        var mode: QuestionRequest.Mode?
        var conversationID: String?
        enum CodingKeys: String, CodingKey {
            case question, mode
            case connectionID = "connection_id"
            case conversationID = "conversation_id"
        }
    }

    struct WrittenQuery: Decodable {
        var connectionID: String
        var query: String
        enum CodingKeys: String, CodingKey {
            case query
            case connectionID = "connection_id"
        }
    }
}
