import DataSources
import Foundation
import LanguageModel
import Retrieval

/// The words the pipeline says to the model.
enum QueryPrompt {
    /// - Parameter constrained: a grammar holds the reply to the bare query, without a code block.
    /// - Parameters:
    ///   - examples: verified question→query pairs, shown as turns before the conversation's own.
    ///   - earlier: the conversation's earlier turns, oldest first.
    static func messages(question: String, context: SchemaContext, dialect: any SourceDialect, today: Date, examples: [ConversationTurn] = [],
                         earlier: [ConversationTurn] = [], constrained: Bool = false) -> [ChatMessage] {
        let date = ISO8601DateFormatter.string(from: today, timeZone: .gmt, formatOptions: [.withFullDate])
        let system = dialect.instructions(today: date, constrained: constrained) + "\n\n" + context.text
        let turns = (examples + earlier).flatMap { turn in
            [ChatMessage(.user, turn.question), ChatMessage(.assistant, dialect.reply(writing: turn.query, constrained: constrained))]
        }
        return [ChatMessage(.system, system)] + turns + [ChatMessage(.user, question)]
    }

    static func repair(problem: String, dialect: any SourceDialect, constrained: Bool = false) -> String {
        "That query cannot run: \(problem)\nWrite a corrected \(dialect.replyForm(constrained: constrained)), using only the schema given."
    }

    static func answerMessages(question: String, query: String, result: QueryResult, rows: Int) -> [ChatMessage] {
        var table = result.columns.joined(separator: " | ")
        for row in result.rows.prefix(rows) {
            // Long values are cut for the prompt: the words need them recognisable, not whole.
            table += "\n" + row.map { $0.plainText.map { $0.count > 200 ? $0.prefix(200) + "…" : $0 } ?? "NULL" }.joined(separator: " | ")
        }
        if result.rows.count > rows || result.truncated { table += "\n… (\(result.rows.count)\(result.truncated ? "+" : "") rows in all)" }
        if result.rows.isEmpty { table += "\n(no rows)" }
        return [
            ChatMessage(.system, "Answer the question in one or two sentences from the query result only. Use numbers exactly as they appear in the result; never invent any."),
            ChatMessage(.user, "Question: \(question)\n\nQuery:\n\(query)\n\nResult:\n\(table)"),
        ]
    }
}
