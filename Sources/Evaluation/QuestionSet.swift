import Foundation
import Support

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
        let rows: [[String]]
        do {
            rows = try CSV.records(text).map(\.fields)
        } catch {
            throw FormatError(message: "line \(error.line): \(error.message)")
        }
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
