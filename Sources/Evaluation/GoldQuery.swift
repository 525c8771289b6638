import Foundation

/// The runnable forms of a gold query, by defog sql-eval's conventions: each `;`-separated
/// alternative, with every `{a, b, c}` column group standing for any non-empty subset of its
/// columns (in the written order), and a later `{}` repeating the columns the group before it chose.
package enum GoldQuery {
    /// Variants beyond this many are dropped (a query with many groups multiplies fast). Each
    /// alternative's variant with every column of every group comes first, so it is always kept.
    package static let maximumVariants = 64

    package static func variants(of gold: String) -> [String] {
        let expansions = split(gold, at: ";").map { expand($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        var results: [String] = []
        for variant in expansions.compactMap(\.first) + expansions.flatMap({ $0.dropFirst() })
        where !variant.isEmpty && !results.contains(variant) {
            guard results.count < maximumVariants else { break }
            results.append(variant)
        }
        return results
    }

    /// Splits at `separator` outside quotes and parentheses (a group's `COALESCE(a, b)` is one column).
    static func split(_ text: String, at separator: Character) -> [String] {
        var parts = [""]
        var inQuote = false
        var depth = 0
        for character in text {
            if character == "'" { inQuote.toggle() }
            if !inQuote && character == "(" { depth += 1 }
            if !inQuote && character == ")" { depth = max(0, depth - 1) }
            if character == separator && !inQuote && depth == 0 { parts.append(""); continue }
            parts[parts.count - 1].append(character)
        }
        return parts
    }

    /// A piece of a gold query: literal text, or the slot where a group's chosen columns go.
    private enum Segment {
        case text(String)
        case columns(group: Int)
    }

    /// One alternative's variants, at most `maximumVariants`, the one with every column first:
    /// `SELECT {a, b} FROM t` → `SELECT a, b FROM t`, `SELECT a FROM t`, `SELECT b FROM t`.
    /// Braces inside quotes, an unclosed brace, and a `{}` with no group before it stay literal.
    static func expand(_ sql: String) -> [String] {
        var segments: [Segment] = []
        var groups: [[String]] = []
        var text = ""
        var group: String?
        var inQuote = false
        for character in sql {
            if character == "'" { inQuote.toggle() }
            if !inQuote && character == "{" && group == nil {
                group = ""
            } else if !inQuote && character == "}", let inside = group {
                let columns = split(inside, at: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                group = nil
                if columns.isEmpty && groups.isEmpty { text += "{\(inside)}"; continue }
                if !columns.isEmpty { groups.append(columns) }
                segments += [.text(text), .columns(group: groups.count - 1)]
                text = ""
            } else if group != nil {
                group?.append(character)
            } else {
                text.append(character)
            }
        }
        if let group { text += "{" + group }
        segments.append(.text(text))

        let choices = groups.map(subsets)
        // An odometer over the groups' choices, the last group turning fastest.
        var picks = Array(repeating: 0, count: choices.count)
        var variants: [String] = []
        while variants.count < maximumVariants {
            variants.append(segments.map { segment in
                switch segment {
                case .text(let text): text
                case .columns(let group): choices[group][picks[group]].joined(separator: ", ")
                }
            }.joined())
            guard let turning = picks.indices.last(where: { picks[$0] + 1 < choices[$0].count }) else { break }
            picks[turning] += 1
            for later in picks.indices where later > turning { picks[later] = 0 }
        }
        return variants
    }

    /// A group's choices, at most `maximumVariants`: every column, then the smaller non-empty
    /// subsets in binary counting order (bit i takes column i, so the written order is kept).
    static func subsets(of columns: [String]) -> [[String]] {
        var choices = [columns]
        for mask in 1..<maximumVariants where mask >> columns.count == 0 && mask.nonzeroBitCount < columns.count {
            choices.append(columns.indices.filter { mask >> $0 & 1 == 1 }.map { columns[$0] })
        }
        return choices
    }
}
