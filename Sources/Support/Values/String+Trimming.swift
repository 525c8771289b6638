extension StringProtocol {
    /// The text without leading and trailing characters that match `isTrimmed` (whitespace and
    /// newlines by default). Foundation's `trimmingCharacters(in:)` bridges through NSString and
    /// showed in profiles of cached answers.
    package func trimmed(where isTrimmed: (Character) -> Bool = { $0.isWhitespace }) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
