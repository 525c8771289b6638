import DataSources
import Foundation
import Support

/// Whether a generated query's result is the gold one's: the same rows as a multiset (in the
/// same order only when the gold query sorts), with columns matched whatever their order or
/// names. Numbers compare by value (`3` equals `3.0`; floats to six significant digits).
package enum ResultComparison {
    package static func matches(gold: QueryResult, generated: QueryResult, ordered: Bool) -> Bool {
        guard gold.columns.count == generated.columns.count, gold.rows.count == generated.rows.count else { return false }
        let goldCells = gold.rows.map { $0.map(normalized) }
        let generatedCells = generated.rows.map { $0.map(normalized) }
        let width = gold.columns.count
        // Candidate generated columns for each gold column: the same values, as a multiset.
        func column(_ rows: [[String]], _ index: Int) -> [String] { rows.map { $0[index] } }
        let candidates = (0..<width).map { goldIndex in
            let wanted = column(goldCells, goldIndex).sorted()
            return (0..<width).filter { column(generatedCells, $0).sorted() == wanted }
        }
        var used = Set<Int>()
        var mapping: [Int] = []
        func search(_ goldIndex: Int) -> Bool {
            if goldIndex == width { return rowsMatch(goldCells, generatedCells, mapping: mapping, ordered: ordered) }
            for candidate in candidates[goldIndex] where !used.contains(candidate) {
                used.insert(candidate); mapping.append(candidate)
                if search(goldIndex + 1) { return true }
                used.remove(candidate); mapping.removeLast()
            }
            return false
        }
        return search(0)
    }

    private static func rowsMatch(_ gold: [[String]], _ generated: [[String]], mapping: [Int], ordered: Bool) -> Bool {
        let reordered = generated.map { row in mapping.map { row[$0] } }
        if ordered { return reordered == gold }
        let key = { (row: [String]) in row.joined(separator: "\u{1F}") }
        return reordered.map(key).sorted() == gold.map(key).sorted()
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
