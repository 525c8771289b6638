import Foundation
import PostgresSyntax

/// Finds the SQL in a model's reply: the code fences if there are any (```sql … ```), else the
/// first statement PostgreSQL's grammar accepts in the prose.
///
/// A reply is judged whole: a read is never cut out of a destructive reply. Every fence, and
/// every statement that is not a read wherever it stands (the prose, after a semicolon), comes
/// back with the query, so the guard refuses the reply instead of running the part it liked.
package enum SQLReplyExtractor {
    package static func query(in reply: String) -> String? {
        var budget = ParseBudget()
        var found: [Range<String.Index>] = []
        var pieces: [String] = []
        for fence in fences(in: reply) {
            found.append(fence)
            if let body = trimmed(String(reply[fence])) { pieces.append(body) }
        }
        if found.isEmpty, let query = firstStatement(in: reply, startingAt: statementKeywords, skipping: [], budget: &budget) {
            found.append(query.range)
            pieces.append(query.text)
        }
        while !pieces.isEmpty, let other = firstStatement(in: reply, startingAt: otherKeywords, skipping: found, minimumWords: 2, budget: &budget) {
            found.append(other.range)
            pieces.append(other.text)
        }
        // A reply with more places to judge than the budget allows is not judged piecemeal.
        if budget.isSpent { return reply }
        return pieces.isEmpty ? nil : pieces.joined(separator: ";\n")
    }

    /// Parses one reply may cost: each candidate statement is a libpg_query parse, and a hostile
    /// reply could hold thousands.
    private struct ParseBudget {
        var left = 300
        var isSpent: Bool { left <= 0 }
    }

    /// Keywords that start any statement.
    private static let statementKeywords = readKeywords.union(otherKeywords)

    /// Keywords that start a read.
    private static let readKeywords: Set = ["WITH", "SELECT", "VALUES", "TABLE"]

    /// Keywords that start any other statement PostgreSQL runs.
    private static let otherKeywords: Set = [
        "INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "CREATE", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "COPY", "CALL", "DO",
        "SET", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "VACUUM", "ANALYZE",
        "ANALYSE", "EXPLAIN", "LOCK", "REFRESH", "COMMENT", "REINDEX", "CLUSTER", "LISTEN", "NOTIFY", "UNLISTEN", "LOAD",
        "DISCARD", "PREPARE", "EXECUTE", "DEALLOCATE", "DECLARE", "FETCH", "MOVE", "CLOSE", "SECURITY", "IMPORT", "REASSIGN",
        "CHECKPOINT",
    ]

    /// The earliest text that PostgreSQL's grammar accepts, starting at one of `keywords` outside
    /// `skipping`: from the keyword to the next blank line (prose after a gap is not part of
    /// it), or else to one of the semicolons or line ends before that, the latest first. Prose
    /// that runs on after a statement on the same line hides it (unless a period or a backtick
    /// ends the statement); a single word (`begin`, `end`) is not taken for a statement where
    /// `minimumWords` says so.
    private static func firstStatement(in reply: String, startingAt keywords: Set<String>, skipping: [Range<String.Index>],
                                       minimumWords: Int = 1, budget: inout ParseBudget) -> (text: String, range: Range<String.Index>)? {
        // One pass over the words: a keyword must stand as a word of its own.
        var starts: [String.Index] = []
        var index = reply.startIndex
        while index < reply.endIndex {
            guard reply[index].isLetter || reply[index] == "_" else {
                index = reply.index(after: index)
                continue
            }
            let wordStart = index
            while index < reply.endIndex, reply[index].isLetter || reply[index].isNumber || reply[index] == "_" { index = reply.index(after: index) }
            if keywords.contains(reply[wordStart..<index].uppercased()), !skipping.contains(where: { $0.contains(wordStart) }) {
                starts.append(wordStart)
            }
        }
        for start in starts {
            let rest = reply[start...]
            let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
            var ends = [end]
            ends += rest[..<end].indices.filter { isStatementEnd(at: $0, in: rest) }.reversed()
            for candidateEnd in ends {
                if skipping.contains(where: { $0.overlaps(start..<candidateEnd) }) { continue }
                guard !budget.isSpent else { return nil }
                budget.left -= 1
                if let text = trimmed(String(reply[start..<candidateEnd])), text.split(whereSeparator: \.isWhitespace).count >= minimumWords,
                   (try? PostgresParser.parse(text)) != nil {
                    return (text, start..<candidateEnd)
                }
            }
        }
        return nil
    }

    /// Where a statement written in prose may end: a semicolon, a line end, a backtick, or a
    /// period before a space or the end.
    private static func isStatementEnd(at index: Substring.Index, in text: Substring) -> Bool {
        switch text[index] {
        case ";", "\n", "`": return true
        case ".":
            let next = text.index(after: index)
            return next == text.endIndex || text[next].isWhitespace
        default: return false
        }
    }

    /// The bodies of the reply's code fences (after a language tag), the last one to the end if
    /// it is never closed.
    private static func fences(in reply: String) -> [Range<String.Index>] {
        var bodies: [Range<String.Index>] = []
        var searchFrom = reply.startIndex
        while let open = reply.range(of: "```", range: searchFrom..<reply.endIndex) {
            var body = reply[open.upperBound...]
            if let newline = body.firstIndex(of: "\n") {
                let language = body[..<newline].trimmingCharacters(in: .whitespaces)
                if language.allSatisfy({ $0.isLetter }) { body = body[body.index(after: newline)...] }
            }
            guard let close = body.range(of: "```") else {
                bodies.append(body.startIndex..<body.endIndex)
                break
            }
            bodies.append(body.startIndex..<close.lowerBound)
            searchFrom = close.upperBound
        }
        return bodies
    }

    private static func trimmed(_ text: String) -> String? {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while result.hasSuffix(";") { result.removeLast() }
        result = result.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? nil : result
    }
}
