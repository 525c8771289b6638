import Foundation
import Hummingbird
import Support

/// A tool call's arguments, read as a REST body is: text PostgreSQL cannot store refused with
/// `validation_failed`, a missing or mistyped field (an id that is no UUID among them, as in
/// `POST /api/query`) a `bad_request` naming it. `ask` takes `POST /api/query`'s own body.
enum MCPArguments {
    static func decode<T: Decodable>(_ type: T.Type, from arguments: [String: JSONValue]) throws -> T {
        let bytes = try APIJSON.encoder.encode(JSONValue.object(arguments))
        try RequestBodyDecoder.refuseUnstorableText(in: ByteBuffer(bytes: bytes))
        return try APIJSON.decoder.decode(T.self, from: bytes)
    }

    struct SchemaTables: Decodable {
        var connectionID: UUID
        var tables: [String]?
        enum CodingKeys: String, CodingKey {
            case tables
            case connectionID = "connection_id"
        }
    }

    struct TableSearch: Decodable {
        var connectionID: UUID
        var question: String
        var limit: Int?
        enum CodingKeys: String, CodingKey {
            case question, limit
            case connectionID = "connection_id"
        }
    }

    struct WrittenQuery: Decodable {
        var connectionID: UUID
        var query: String
        enum CodingKeys: String, CodingKey {
            case query
            case connectionID = "connection_id"
        }
    }
}
