import DataSources
import Foundation
import Support

/// Whether a generated query's result is the gold one's, by defog sql-eval's rules: each gold
/// column maps to a generated column of its own, whatever the order or names (extra generated
/// columns are allowed), so that the rows agree as multisets, or in order when the gold query
/// sorts. Numbers compare by value (`3` equals `3.0`; floats to six significant digits).
package enum ResultComparison {
    /// - Parameter ordered: the gold query sorts its rows, so they must come in its order.
    package static func matches(gold: QueryResult, generated: QueryResult, ordered: Bool) -> Bool {
        guard gold.rows.count == generated.rows.count, gold.columns.count <= generated.columns.count else { return false }
        var numbers: [String: Int] = [:]
        let goldColumns = distinctColumns(of: gold, numbering: &numbers)
        let generatedColumns = distinctColumns(of: generated, numbering: &numbers)
        if ordered {
            // Row by row, each gold column must be a generated one as it stands.
            let generatedCounts = Dictionary(uniqueKeysWithValues: generatedColumns.map { ($0.cells, $0.count) })
            return goldColumns.allSatisfy { (generatedCounts[$0.cells] ?? 0) >= $0.count }
        }
        // Candidates for each gold column: the same values as a multiset, in at least as many columns.
        let bySortedCells = Dictionary(grouping: generatedColumns.indices) { generatedColumns[$0].cells.sorted() }
        let candidates = goldColumns.map { column in
            (bySortedCells[column.cells.sorted()] ?? []).filter { generatedColumns[$0].count >= column.count }
        }
        // Equal gold columns must land on equal generated ones, so distinct contents map one to
        // one; the gold ones with the fewest candidates go first.
        let order = goldColumns.indices.sorted { candidates[$0].count < candidates[$1].count }
        var used = Array(repeating: false, count: generatedColumns.count)
        func search(_ depth: Int, goldRows: [Int], generatedRows: [Int]) -> Bool {
            guard depth < order.count else { return true }
            let goldIndex = order[depth]
            for candidate in candidates[goldIndex] where !used[candidate] {
                guard let refined = refine(goldRows, with: goldColumns[goldIndex].cells,
                                           generatedRows, with: generatedColumns[candidate].cells) else { continue }
                used[candidate] = true
                if search(depth + 1, goldRows: refined.gold, generatedRows: refined.generated) { return true }
                used[candidate] = false
            }
            return false
        }
        let start = Array(repeating: 0, count: gold.rows.count)
        return search(0, goldRows: start, generatedRows: start)
    }

    /// The result's columns as numbered cells, each distinct column once with how many columns
    /// hold it: equal columns are interchangeable, so the search never tries them one by one.
    private static func distinctColumns(of result: QueryResult, numbering: inout [String: Int]) -> [(cells: [Int], count: Int)] {
        let rows = result.rows.map { row in
            row.map { number(of: normalized($0), in: &numbering) }
        }
        var distinct: [(cells: [Int], count: Int)] = []
        var positions: [[Int]: Int] = [:]
        for cells in result.columns.indices.map({ index in rows.map { $0[index] } }) {
            let position = number(of: cells, in: &positions)
            if position == distinct.count { distinct.append((cells, 0)) }
            distinct[position].count += 1
        }
        return distinct
    }

    /// Each row's class refined by one more column on each side, or nil once the two sides'
    /// rows, as multisets over the columns mapped so far, differ. A class stands for a row's
    /// values in those columns and is numbered alike on both sides, so one pass checks a partial
    /// mapping and wrong choices are cut off early.
    private static func refine(_ goldRows: [Int], with goldCells: [Int],
                               _ generatedRows: [Int], with generatedCells: [Int]) -> (gold: [Int], generated: [Int])? {
        var classes: [SIMD2<Int>: Int] = [:]
        var unmatched: [Int] = []
        var gold: [Int] = []
        gold.reserveCapacity(goldRows.count)
        for (row, cell) in zip(goldRows, goldCells) {
            let rowClass = number(of: SIMD2(row, cell), in: &classes)
            if rowClass == unmatched.count { unmatched.append(0) }
            unmatched[rowClass] += 1
            gold.append(rowClass)
        }
        var generated: [Int] = []
        generated.reserveCapacity(generatedRows.count)
        for (row, cell) in zip(generatedRows, generatedCells) {
            guard let rowClass = classes[SIMD2(row, cell)], unmatched[rowClass] > 0 else { return nil }
            unmatched[rowClass] -= 1
            generated.append(rowClass)
        }
        return (gold, generated)
    }

    /// `key`'s number in `numbering`: the next free one the first time it is seen.
    private static func number<Key: Hashable>(of key: Key, in numbering: inout [Key: Int]) -> Int {
        if let number = numbering[key] { return number }
        numbering[key] = numbering.count
        return numbering.count - 1
    }

    static func normalized(_ value: JSONValue) -> String {
        switch value {
        case .null: return "∅"
        case .bool(let flag): return flag ? "t" : "f"
        case .int(let number): return String(number)
        case .double(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(format: "%.6g", number)
        case .string(let text):
            // numeric columns arrive as text: compare them as numbers.
            if let number = Double(text), text.contains(where: \.isNumber), !text.hasPrefix("0") || text.hasPrefix("0.") || text == "0" {
                return normalized(.double(number))
            }
            return text
        default: return value.jsonText
        }
    }
}
