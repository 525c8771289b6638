@testable import DataSources
@testable import Evaluation
@testable import Support
import Testing

@Suite struct ResultComparisonTests {
    private func result(_ columns: [String], _ rows: [[JSONValue]]) -> QueryResult {
        QueryResult(columns: columns, rows: rows, truncated: false)
    }

    @Test func rowsMatchAsMultisetsWhateverTheColumnOrderOrNames() {
        let gold = result(["name", "n"], [[.string("a"), .int(2)], [.string("b"), .int(1)], [.string("b"), .int(1)]])
        let swapped = result(["total", "who"], [[.double(1), .string("b")], [.double(2.0), .string("a")], [.int(1), .string("b")]])
        #expect(ResultComparison.matches(gold: gold, generated: swapped, ordered: false))
        // A multiset: one row twice is not two different rows.
        let distinct = result(["name", "n"], [[.string("a"), .int(2)], [.string("b"), .int(1)], [.string("a"), .int(2)]])
        #expect(!ResultComparison.matches(gold: gold, generated: distinct, ordered: false))
        // Every column holds the right values, but not in the same rows.
        let crossed = result(["name", "n"], [[.string("a"), .int(1)], [.string("b"), .int(2)], [.string("b"), .int(1)]])
        #expect(!ResultComparison.matches(gold: gold, generated: crossed, ordered: false))
        #expect(!ResultComparison.matches(gold: gold, generated: result(["name", "n"], Array(gold.rows.prefix(2))), ordered: false))
    }

    @Test func sortedGoldNeedsTheSameOrderToo() {
        let gold = result(["name", "n"], [[.string("a"), .int(2)], [.string("b"), .int(1)], [.string("c"), .int(1)]])
        let sameOrder = result(["n", "name", "extra"], [[.int(2), .string("a"), .null], [.int(1), .string("b"), .null], [.int(1), .string("c"), .null]])
        #expect(ResultComparison.matches(gold: gold, generated: sameOrder, ordered: true))
        let reversed = result(["n", "name"], [[.int(1), .string("c")], [.int(1), .string("b")], [.int(2), .string("a")]])
        #expect(ResultComparison.matches(gold: gold, generated: reversed, ordered: false))
        #expect(!ResultComparison.matches(gold: gold, generated: reversed, ordered: true))
    }

    @Test func extraGeneratedColumnsAreAcceptedAndMissingGoldOnesRefused() {
        let gold = result(["name"], [[.string("a")], [.string("b")]])
        let wider = result(["id", "name", "n"], [[.int(2), .string("b"), .int(7)], [.int(1), .string("a"), .int(7)]])
        #expect(ResultComparison.matches(gold: gold, generated: wider, ordered: false))
        #expect(!ResultComparison.matches(gold: wider, generated: gold, ordered: false))
        // As wide as the gold one, but with another column in place of `n`.
        let other = result(["id", "name", "m"], [[.int(2), .string("b"), .int(8)], [.int(1), .string("a"), .int(8)]])
        #expect(!ResultComparison.matches(gold: wider, generated: other, ordered: false))
    }

    @Test func equalColumnsEachNeedAGeneratedColumnOfTheirOwn() {
        let twice = result(["a", "b"], [[.int(1), .int(1)], [.int(2), .int(2)]])
        let once = result(["x", "y"], [[.int(2), .string("q")], [.int(1), .string("p")]])
        #expect(!ResultComparison.matches(gold: twice, generated: once, ordered: false))
        let thrice = result(["x", "y", "z"], [[.int(2), .double(2), .string("2")], [.int(1), .double(1), .string("1")]])
        #expect(ResultComparison.matches(gold: twice, generated: thrice, ordered: false))
        #expect(ResultComparison.matches(gold: once, generated: result(["y", "x", "x2"], [[.string("q"), .int(2), .int(2)], [.string("p"), .int(1), .int(1)]]), ordered: true))
    }

    @Test func numbersCompareByValueWhateverTheirForm() {
        let three = result(["n"], [[.int(3)]])
        for same: JSONValue in [.double(3.0), .string("3.000"), .string("3")] {
            #expect(ResultComparison.matches(gold: three, generated: result(["x"], [[same]]), ordered: true))
        }
        for different: JSONValue in [.double(3.5), .string("03"), .string("three"), .null] {
            #expect(!ResultComparison.matches(gold: three, generated: result(["x"], [[different]]), ordered: true))
        }
        // Averages written with more or fewer digits agree; different numbers do not.
        let average = result(["avg"], [[.double(2.333333333)]])
        #expect(ResultComparison.matches(gold: average, generated: result(["x"], [[.string("2.3333333")]]), ordered: false))
        #expect(!ResultComparison.matches(gold: average, generated: result(["x"], [[.double(2.34)]]), ordered: false))
    }

    @Test(.timeLimit(.minutes(1)))
    func wideLongResultsWithLookalikeColumnsCompareQuickly() {
        // Twenty columns of 10,000 rows, all the same values as a multiset: eighteen shifts of one
        // sequence, the first two of them twice; the generated side adds two lookalikes.
        let rows = 10_000
        func cell(_ row: Int, _ column: Int) -> Int64 { Int64((row + column % 18) % 20) }
        let gold = result((0..<20).map { "g\($0)" }, (0..<rows).map { row in (0..<20).map { JSONValue.int(cell(row, $0)) } })
        // Rows shuffled, columns reversed (generated column i is gold column 20 - i), numbers as text and floats.
        let shuffled = (0..<rows).map { $0 * 7919 % rows }
        var generatedRows: [[JSONValue]] = shuffled.map { row in
            let columns: [JSONValue] = (0..<20).reversed().map { column in
                column.isMultiple(of: 2) ? .string("\(cell(row, column)).0") : .double(Double(cell(row, column)))
            }
            return [.int(Int64((row / 20 + row) % 20))] + columns + [.int(Int64((row / 400 + row) % 20))]
        }
        let generatedColumns = ["lookalike"] + (0..<20).map { "c\($0)" } + ["other"]
        #expect(ResultComparison.matches(gold: gold, generated: result(generatedColumns, generatedRows), ordered: false))
        // Two cells of gold column 15 swapped: the same values, no longer in the same rows.
        (generatedRows[0][5], generatedRows[1][5]) = (generatedRows[1][5], generatedRows[0][5])
        #expect(!ResultComparison.matches(gold: gold, generated: result(generatedColumns, generatedRows), ordered: false))
    }
}
