import Support

/// The checks every path applies to a question's text and a query's text, so a question asked,
/// a query run and an example saved are held to the same sizes.
package enum QuestionInput {
    /// Trimmed, 1 to 2000 characters as PostgreSQL counts them.
    package static func question(_ raw: String) throws(AskDBError) -> String {
        let question = raw.trimmed()
        guard !question.isEmpty, question.unicodeScalars.count <= 2000 else {
            throw .invalid("invalid_question", "the question must have 1 to 2000 characters")
        }
        return question
    }

    /// Trimmed, 1 to 100,000 bytes.
    package static func query(_ raw: String) throws(AskDBError) -> String {
        let query = raw.trimmed()
        guard !query.isEmpty, query.utf8.count <= 100_000 else {
            throw .invalid("invalid_query", "the query must have 1 to 100000 bytes")
        }
        return query
    }
}
