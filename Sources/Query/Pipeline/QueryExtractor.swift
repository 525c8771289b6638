import Foundation
import PostgresSyntax
import Support

/// Finds the query in a model's reply: inside a code fence if there is one (```sql … ```,
/// ```json … ```), else from the first SELECT/WITH (or `{` for MongoDB) to the end of the
/// statement, ignoring the prose around it.
package enum QueryExtractor {
    package static func sql(from reply: String) -> String? {
        if let fenced = fenced(reply) { return trimmed(fenced) }
        // Every place a statement could start; the first that PostgreSQL's grammar accepts wins,
        // so "help with that" is not taken for a WITH query.
        let upper = reply.uppercased()
        var starts: [String.Index] = []
        for keyword in ["WITH", "SELECT", "VALUES", "TABLE"] {
            var searchFrom = upper.startIndex
            while let found = upper.range(of: keyword, range: searchFrom..<upper.endIndex) {
                let before = found.lowerBound == upper.startIndex ? " " : upper[upper.index(before: found.lowerBound)]
                let after = found.upperBound == upper.endIndex ? " " : upper[found.upperBound]
                if !before.isLetter && !before.isNumber && (after.isWhitespace || after == "(") { starts.append(found.lowerBound) }
                searchFrom = found.upperBound
            }
        }
        for start in starts.sorted() {
            var text = String(reply[start...])
            if let end = text.firstIndex(of: ";") { text = String(text[..<end]) }
            // Prose after a blank line is not part of the query.
            if let gap = text.range(of: "\n\n") { text = String(text[..<gap.lowerBound]) }
            if let candidate = trimmed(text), (try? PostgresParser.parse(candidate)) != nil { return candidate }
        }
        return nil
    }

    package static func pipeline(from reply: String) -> String? {
        let source = fenced(reply) ?? reply
        guard let start = source.firstIndex(of: "{") else { return nil }
        // The first balanced JSON object, minding strings.
        var depth = 0
        var inString = false
        var escaped = false
        for index in source[start...].indices {
            let character = source[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(source[start...index]) }
            default: break
            }
        }
        return nil
    }

    private static func fenced(_ reply: String) -> String? {
        guard let open = reply.range(of: "```") else { return nil }
        var body = reply[open.upperBound...]
        if let newline = body.firstIndex(of: "\n") {
            let language = body[..<newline].trimmingCharacters(in: .whitespaces)
            if language.allSatisfy({ $0.isLetter }) { body = body[body.index(after: newline)...] }
        }
        guard let close = body.range(of: "```") else { return String(body) }
        return String(body[..<close.lowerBound])
    }

    private static func trimmed(_ text: String) -> String? {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while result.hasSuffix(";") { result.removeLast() }
        result = result.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? nil : result
    }
}
