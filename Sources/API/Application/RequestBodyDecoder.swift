import Foundation
import Hummingbird
import Support

/// Decodes every route's JSON body (it is ``AppRequestContext``'s `requestDecoder`), refusing
/// first any text PostgreSQL cannot store, so no route has to check its fields itself.
struct RequestBodyDecoder: RequestDecoder {
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        try Self.refuseUnstorableText(in: body)
        do {
            return try APIJSON.decoder.decode(T.self, from: body)
        } catch let error as DecodingError {
            // Mapped here: `Request.decode` would word it itself, quoting a refused enum value.
            throw ErrorMapping.apiError(for: error, requestID: context.id, logger: context.logger)
        }
    }

    /// Throws 422 `validation_failed` naming the first field whose text holds U+0000, which
    /// PostgreSQL refuses in `text` and `jsonb` alike (it is the only such character: lone
    /// surrogates cannot reach here, the JSON decoder refuses them as malformed).
    static func refuseUnstorableText(in body: ByteBuffer) throws {
        // JSON can only carry U+0000 escaped, so a body without `\u0000` needs no parse.
        guard body.readableBytesView.firstRange(of: Array(#"\u0000"#.utf8)) != nil,
              let value = try? APIJSON.decoder.decode(JSONValue.self, from: body),
              let field = firstNUL(in: value, at: []) else { return }
        let name = field.isEmpty ? "the body" : "`\(field.joined(separator: "."))`"
        throw AskDBError.invalid("validation_failed", "\(name) must not contain the NUL character (U+0000)")
    }

    /// The path to the first string value holding U+0000, in key order. Keys are not read: an
    /// unknown field is ignored, and a known one has no NUL in its name.
    private static func firstNUL(in value: JSONValue, at path: [String]) -> [String]? {
        switch value {
        case .string(let text):
            return text.unicodeScalars.contains("\u{0}") ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstNUL(in: item, at: path + [String(index)]) { return found }
            }
            return nil
        case .object(let fields):
            for key in fields.keys.sorted() {
                if let found = firstNUL(in: fields[key]!, at: path + [key]) { return found }
            }
            return nil
        case .null, .bool, .int, .double:
            return nil
        }
    }
}
