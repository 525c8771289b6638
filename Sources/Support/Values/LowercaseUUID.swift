import Foundation

/// A UUID that encodes as a lower-case string, the form every API id takes (docs/api.md);
/// Foundation's own encoding is upper-case.
@propertyWrapper
package struct LowercaseUUID: Sendable, Hashable, Codable {
    package var wrappedValue: UUID

    package init(wrappedValue: UUID) {
        self.wrappedValue = wrappedValue
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID"))
        }
        wrappedValue = uuid
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.lowercasedString)
    }
}

extension UUID {
    /// The canonical lower-case text ("0f1e…-…"), as every id leaves the API. Written from the
    /// bytes: `lowercasedString` showed in profiles of cached answers.
    package var lowercasedString: String {
        let hex = Array(withUnsafeBytes(of: uuid) { $0.hexString }.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
