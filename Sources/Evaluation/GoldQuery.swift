import Foundation

/// The runnable forms of a gold query: each `;`-separated alternative, with every `{a, b}`
/// column group expanded into one variant per choice.
package enum GoldQuery {
    /// Variants beyond this many are dropped (a query with many groups multiplies fast).
    package static let maximumVariants = 64

    package static func variants(of gold: String) -> [String] {
        let alternatives = split(gold)
        var results: [String] = []
        for alternative in alternatives {
            for variant in expand(alternative.trimmingCharacters(in: .whitespacesAndNewlines)) where !results.contains(variant) {
                guard results.count < maximumVariants else { return results }
                results.append(variant)
            }
        }
        return results.filter { !$0.isEmpty }
    }

    /// Splits at semicolons outside quotes.
    static func split(_ text: String) -> [String] {
        var parts = [""]
        var inQuote = false
        for character in text {
            if character == "'" { inQuote.toggle() }
            if character == ";" && !inQuote { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        return parts
    }

    /// `SELECT {a, b} FROM t` → `SELECT a FROM t`, `SELECT b FROM t`; braces inside quotes stay.
    static func expand(_ sql: String) -> [String] {
        var pieces: [[String]] = [[""]]
        var inQuote = false
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            if character == "'" { inQuote.toggle() }
            if character == "{", !inQuote, let close = sql[index...].firstIndex(of: "}") {
                let options = sql[sql.index(after: index)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                pieces.append(options.filter { !$0.isEmpty })
                pieces.append([""])
                index = sql.index(after: close)
                continue
            }
            pieces[pieces.count - 1][0].append(character)
            index = sql.index(after: index)
        }
        var variants = [""]
        for choices in pieces {
            variants = variants.flatMap { prefix in choices.map { prefix + $0 } }
            if variants.count > maximumVariants { variants = Array(variants.prefix(maximumVariants)) }
        }
        return variants
    }
}
