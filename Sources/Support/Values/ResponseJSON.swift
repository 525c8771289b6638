import Foundation

/// The one JSON encoding every API response uses: RFC 3339 UTC timestamps, sorted keys. It lives
/// in Support because the answer cache (Query) keeps responses already encoded.
package enum ResponseJSON {
    /// Encodes response bodies.
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Decodes request bodies.
    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
