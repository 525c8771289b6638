import Foundation
import PostgresSyntax
import Support

/// Finds the query in a model's reply: inside a code fence if there is one (```sql … ```,
/// ```json … ```), else from the first SELECT/WITH (or `{` for MongoDB) to the end of the
/// statement, ignoring the prose around it.
///
/// A reply is judged whole: a read is never cut out of a destructive reply. Every statement
/// that is not a read, wherever it stands (another fence, the prose, after a semicolon), comes
/// back with the query, so the guard refuses the reply instead of running the part it liked.
package enum QueryExtractor {
    package static func sql(from reply: String) -> String? {
        var found: [Range<String.Index>] = []
        var pieces: [String] = []
        if let fence = fenced(reply) {
            found.append(fence)
            if let query = trimmed(String(reply[fence])) { pieces.append(query) }
        } else if let query = firstStatement(in: reply, startingAt: readKeywords + otherKeywords, skipping: []) {
            found.append(query.range)
            pieces.append(query.text)
        }
        guard !pieces.isEmpty else { return nil }
        while let other = firstStatement(in: reply, startingAt: otherKeywords, skipping: found, minimumWords: 2) {
            found.append(other.range)
            pieces.append(other.text)
        }
        return pieces.joined(separator: ";\n")
    }

    /// Keywords that start a read.
    private static let readKeywords = ["WITH", "SELECT", "VALUES", "TABLE"]

    /// Keywords that start any other statement PostgreSQL runs.
    private static let otherKeywords = [
        "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY", "CALL", "DO",
        "SET", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "VACUUM", "ANALYZE",
        "ANALYSE", "EXPLAIN", "LOCK", "REFRESH", "COMMENT", "REINDEX", "CLUSTER", "LISTEN", "NOTIFY", "UNLISTEN", "LOAD",
        "DISCARD", "PREPARE", "EXECUTE", "DEALLOCATE", "DECLARE", "FETCH", "MOVE", "CLOSE", "SECURITY", "IMPORT", "REASSIGN",
        "CHECKPOINT",
    ]

    /// The earliest text that PostgreSQL's grammar accepts, starting at one of `keywords` outside
    /// `skipping`: from the keyword to the next blank line (prose after a gap is not part of
    /// it), or else to one of the semicolons or line ends before that, the latest first. Prose
    /// that runs on after a statement on the same line hides it; a single word (`begin`, `end`)
    /// is not taken for a statement where `minimumWords` says so.
    private static func firstStatement(in reply: String, startingAt keywords: [String], skipping: [Range<String.Index>],
                                       minimumWords: Int = 1) -> (text: String, range: Range<String.Index>)? {
        var starts: [String.Index] = []
        for keyword in keywords {
            var searchFrom = reply.startIndex
            while let hit = reply.range(of: keyword, options: [.caseInsensitive, .literal], range: searchFrom..<reply.endIndex) {
                searchFrom = hit.upperBound
                let before = hit.lowerBound == reply.startIndex ? " " : reply[reply.index(before: hit.lowerBound)]
                let after = hit.upperBound == reply.endIndex ? " " : reply[hit.upperBound]
                guard !before.isLetter && !before.isNumber && before != "_" && !after.isLetter && !after.isNumber && after != "_" else { continue }
                if !skipping.contains(where: { $0.contains(hit.lowerBound) }) { starts.append(hit.lowerBound) }
            }
        }
        for start in starts.sorted() {
            let rest = reply[start...]
            let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
            var ends = [end]
            ends += rest[..<end].indices.filter { rest[$0] == ";" || rest[$0] == "\n" }.reversed()
            for candidateEnd in ends {
                if skipping.contains(where: { $0.overlaps(start..<candidateEnd) }) { continue }
                if let text = trimmed(String(reply[start..<candidateEnd])), text.split(whereSeparator: \.isWhitespace).count >= minimumWords,
                   (try? PostgresParser.parse(text)) != nil {
                    return (text, start..<candidateEnd)
                }
            }
        }
        return nil
    }

    package static func pipeline(from reply: String) -> String? {
        let source = fenced(reply).map { String(reply[$0]) } ?? reply
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

    /// Where the first fenced block's body is (after its language tag), to the closing fence or the end.
    private static func fenced(_ reply: String) -> Range<String.Index>? {
        guard let open = reply.range(of: "```") else { return nil }
        var body = reply[open.upperBound...]
        if let newline = body.firstIndex(of: "\n") {
            let language = body[..<newline].trimmingCharacters(in: .whitespaces)
            if language.allSatisfy({ $0.isLetter }) { body = body[body.index(after: newline)...] }
        }
        let end = body.range(of: "```")?.lowerBound ?? body.endIndex
        return body.startIndex..<end
    }

    private static func trimmed(_ text: String) -> String? {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while result.hasSuffix(";") { result.removeLast() }
        result = result.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? nil : result
    }
}
