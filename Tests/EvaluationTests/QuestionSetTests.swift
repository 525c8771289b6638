@testable import DataSources
@testable import Evaluation
import Testing

@Suite struct QuestionSetTests {
    @Test func questionsAreFoundByHeaderNameWithQuotedCommasAndLineBreaks() throws {
        let csv = "query,question,db_name,query_category\r\n" +
            "\"SELECT a, b FROM t\",\"Which a, and \"\"b\"\"?\nBoth.\",shop,basic\r\n" +
            "SELECT 1,One?,shop,\n\n"
        let questions = try QuestionSet.parse(csv)
        #expect(questions == [
            EvaluationQuestion(database: "shop", category: "basic", question: "Which a, and \"b\"?\nBoth.", gold: "SELECT a, b FROM t"),
            EvaluationQuestion(database: "shop", category: "", question: "One?", gold: "SELECT 1"),
        ])
        #expect(throws: QuestionSet.FormatError.self) { try QuestionSet.parse("db_name,question\nx,y\n") }
        #expect(throws: QuestionSet.FormatError.self) { try QuestionSet.parse("db_name,question,query\n\"x,y,z\n") }
    }
}
