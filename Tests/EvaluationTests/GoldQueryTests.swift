@testable import DataSources
@testable import Evaluation
import Testing

@Suite struct GoldQueryTests {
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

    @Test func goldQueriesExpandIntoEveryAlternative() {
        #expect(GoldQuery.variants(of: "SELECT {c.id, c.name}, n FROM c WHERE x = '{a, b}'") == [
            "SELECT c.id, n FROM c WHERE x = '{a, b}'", "SELECT c.name, n FROM c WHERE x = '{a, b}'",
        ])
        #expect(GoldQuery.variants(of: "SELECT {a, b}, {c, d} FROM t;SELECT e FROM t;").count == 5)
        #expect(GoldQuery.variants(of: "SELECT 1") == ["SELECT 1"])
    }

    @Test func resultsMatchAsMultisetsWhateverTheColumnOrder() {
        let gold = QueryResult(columns: ["name", "n"], rows: [[.string("a"), .int(2)], [.string("b"), .int(1)], [.string("b"), .int(1)]], truncated: false)
        let swapped = QueryResult(columns: ["total", "who"], rows: [[.double(1), .string("b")], [.double(2.0), .string("a")], [.int(1), .string("b")]], truncated: false)
        #expect(ResultComparison.matches(gold: gold, generated: swapped, ordered: false))
        // Sorted gold: the order must be the same too.
        #expect(!ResultComparison.matches(gold: gold, generated: swapped, ordered: true))
        let sameOrder = QueryResult(columns: ["n", "name"], rows: [[.int(2), .string("a")], [.int(1), .string("b")], [.int(1), .string("b")]], truncated: false)
        #expect(ResultComparison.matches(gold: gold, generated: sameOrder, ordered: true))
        // A multiset: one row twice is not two different rows.
        let distinct = QueryResult(columns: ["name", "n"], rows: [[.string("a"), .int(2)], [.string("b"), .int(1)], [.string("a"), .int(2)]], truncated: false)
        #expect(!ResultComparison.matches(gold: gold, generated: distinct, ordered: false))
        let fewer = QueryResult(columns: ["name"], rows: gold.rows.map { [$0[0]] }, truncated: false)
        #expect(!ResultComparison.matches(gold: gold, generated: fewer, ordered: false))
        // Averages written with more or fewer digits agree; different numbers do not.
        let average = QueryResult(columns: ["avg"], rows: [[.double(2.333333333)]], truncated: false)
        #expect(ResultComparison.matches(gold: average, generated: QueryResult(columns: ["x"], rows: [[.string("2.3333333")]], truncated: false), ordered: false))
        #expect(!ResultComparison.matches(gold: average, generated: QueryResult(columns: ["x"], rows: [[.double(2.34)]], truncated: false), ordered: false))
    }

    @Test func goldTablesAndOrderingComeFromTheParseTree() throws {
        let checked = try SQLGuard.inspect("WITH x AS (SELECT * FROM sbTransaction) SELECT c.name FROM x JOIN sbCustomer c ON true ORDER BY 1")
        #expect(checked.relations.sorted() == ["sbcustomer", "sbtransaction"] && checked.isOrdered)
        #expect(try SQLGuard.inspect("SELECT * FROM (SELECT a FROM t ORDER BY a) s").isOrdered == false)
    }
}
