import Foundation

/// One evaluation question: what to ask which database, and the query that answers it.
package struct EvaluationQuestion: Sendable, Equatable {
    package var database: String
    package var category: String
    package var question: String
    /// The gold query: `;`-separated alternatives, columns written `{a, b}` accept either.
    package var gold: String
}

/// Questions read from a CSV file whose columns are found by header name (`db_name`,
/// `query_category`, `question`, `query`), so any set in that shape works.
package enum QuestionSet {
    package struct FormatError: Error, Sendable, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    package static func parse(_ text: String) throws(FormatError) -> [EvaluationQuestion] {
        let rows = try CSV.rows(text)
        guard let header = rows.first else { throw FormatError(message: "the file is empty") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws(FormatError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw FormatError(message: "no '\(name)' column in the header (\(names.joined(separator: ", ")))")
            }
            return index
        }
        let database = try column("db_name"), question = try column("question"), query = try column("query")
        let category = names.firstIndex(of: "query_category")
        return rows.dropFirst().enumerated().compactMap { offset, row -> EvaluationQuestion? in
            guard row.count > max(database, question, query), !row[question].isEmpty else { return nil }
            return EvaluationQuestion(database: row[database], category: category.flatMap { row.indices.contains($0) ? row[$0] : nil } ?? "all",
                                      question: row[question], gold: row[query])
        }
    }
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
enum CSV {
    static func rows(_ text: String) throws(QuestionSet.FormatError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character?
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    let following = next()
                    if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\n", "\r\n", "\r":
                row.append(field); field = ""
                if row != [""] { rows.append(row) }
                row = []
            default: field.append(character)
            }
        }
        if quoted { throw QuestionSet.FormatError(message: "a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
