/// Writes ids in log text the way the API writes them: Foundation prints a `UUID` in upper case,
/// the API answers in lower case, and an operator greps the logs for the id the API gave.
///
/// The log handlers apply it to every message and metadata string, beside ``LogRedaction``.
package enum LogIDs {
    /// `text` with every UUID (8-4-4-4-12 hexadecimal digits) in lower case; other text is untouched.
    package static func lowercased(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard bytes.count >= 36 else { return text }
        var changed = false
        var index = 0
        while index + 36 <= bytes.count {
            guard isUUID(bytes, at: index) else {
                index += 1
                continue
            }
            for offset in index..<(index + 36) where bytes[offset] >= UInt8(ascii: "A") && bytes[offset] <= UInt8(ascii: "F") {
                bytes[offset] += 32
                changed = true
            }
            index += 36
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    private static let dashes: Set = [8, 13, 18, 23]

    private static func isUUID(_ bytes: [UInt8], at start: Int) -> Bool {
        // Not the tail of a longer run of digits: "x0123…" is not an id.
        if start > 0, isHex(bytes[start - 1]) { return false }
        if start + 36 < bytes.count, isHex(bytes[start + 36]) { return false }
        for offset in 0..<36 {
            let byte = bytes[start + offset]
            if dashes.contains(offset) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
