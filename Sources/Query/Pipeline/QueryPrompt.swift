import DataSources
import Foundation
import LanguageModel
import Retrieval

/// The words the pipeline says to the model.
enum QueryPrompt {
    /// - Parameter constrained: a grammar holds the reply to the bare query, without a code block.
    static func messages(question: String, context: SchemaContext, kind: ConnectionKind, today: Date, earlier: [ConversationTurn] = [],
                         constrained: Bool = false) -> [ChatMessage] {
        let date = ISO8601DateFormatter.string(from: today, timeZone: .gmt, formatOptions: [.withFullDate])
        let system: String
        switch kind {
        case .postgres:
            system = """
            You write one PostgreSQL SELECT query that answers the user's question from this database.
            Use only the tables and columns below; join along the REFERENCES shown. Use the listed values exactly as written.
            Never modify data. Today is \(date).
            \(constrained ? "Reply with the query alone, ending with ;" : "Reply with the query in a ```sql block and nothing else.")

            \(context.text)
            """
        case .mongodb:
            system = """
            You write one MongoDB aggregation that answers the user's question from this database.
            Use only the collections and fields below. Reply with JSON only\(constrained ? "" : ", in a ```json block"):
            {"collection": "<name>", "pipeline": [<stages>]}
            Allowed stages: $match, $project, $group, $sort, $limit, $skip, $unwind, $lookup, $count, $addFields, $facet.
            Today is \(date).

            \(context.text)
            """
        }
        let fence = kind == .postgres ? "sql" : "json"
        let turns = earlier.flatMap { turn in
            [ChatMessage(.user, turn.question), ChatMessage(.assistant, constrained ? turn.query + (kind == .postgres ? ";" : "") : "```\(fence)\n\(turn.query)\n```")]
        }
        return [ChatMessage(.system, system)] + turns + [ChatMessage(.user, question)]
    }

    static func repair(problem: String, kind: ConnectionKind, constrained: Bool = false) -> String {
        let form = constrained ? (kind == .postgres ? "SQL query" : "JSON query") : (kind == .postgres ? "SQL query in a ```sql block" : "JSON query in a ```json block")
        return "That query cannot run: \(problem)\nWrite a corrected \(form), using only the schema given."
    }

    static func answerMessages(question: String, query: String, result: QueryResult, rows: Int) -> [ChatMessage] {
        var table = result.columns.joined(separator: " | ")
        for row in result.rows.prefix(rows) {
            table += "\n" + row.map { $0.plainText ?? "NULL" }.joined(separator: " | ")
        }
        if result.rows.count > rows || result.truncated { table += "\n… (\(result.rows.count)\(result.truncated ? "+" : "") rows in all)" }
        if result.rows.isEmpty { table += "\n(no rows)" }
        return [
            ChatMessage(.system, "Answer the question in one or two sentences from the query result only. Use numbers exactly as they appear in the result; never invent any."),
            ChatMessage(.user, "Question: \(question)\n\nQuery:\n\(query)\n\nResult:\n\(table)"),
        ]
    }
}
