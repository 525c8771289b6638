/// Turns a question into a `to_tsquery` expression that matches any of its words.
///
/// An AND of every word (what `plainto_tsquery` builds) almost never matches a schema
/// document; OR lets full-text ranking do the weighing. Identifiers are split the way the
/// stored `search_text` splits them (`_`, camelCase), and only letters and digits survive, so the
/// expression cannot carry tsquery syntax.
package enum FullTextQuery {
    /// `"invoice | line | total"`, or nil when the text has no words.
    package static func expression(for text: String) -> String? {
        var words: [String] = []
        var seen = Set<String>()
        // Numbers ("top 5", "30 days") say how much, not where: they match row counts and dates.
        for word in splitIdentifiers(text) where word.count > 1 && !word.allSatisfy(\.isNumber) && !schemaWords.contains(word)
            && seen.insert(word).inserted {
            words.append(word)
            if words.count == 32 { break }
        }
        return words.isEmpty ? nil : words.joined(separator: " | ")
    }

    /// Words that every schema document or most questions contain: matching them ranks nothing
    /// and makes PostgreSQL score every document. (English stop words are dropped by to_tsquery.)
    static let schemaWords: Set<String> = [
        "table", "tables", "column", "columns", "row", "rows", "record", "records", "field", "fields", "value", "values",
        "database", "data", "show", "list", "give", "find", "get", "display", "return", "many", "much", "number",
        "please", "tell", "per", "each", "every", "all", "me", "us", "what", "which", "who", "whose", "how",
    ]

    /// Lower-cased runs of letters and digits, with camelCase boundaries as breaks.
    static func splitIdentifiers(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
