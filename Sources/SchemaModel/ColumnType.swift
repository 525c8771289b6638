/// What a column's declared type means for profiling: whether its values have an order worth a
/// min/max (numbers, dates, times) rather than a list of values.
package struct ColumnType {
    let name: String

    package init(_ name: String) { self.name = name.lowercased() }

    var isNumeric: Bool {
        ["int", "numeric", "decimal", "real", "double", "float", "money", "serial"].contains { name.contains($0) }
    }

    var isTemporal: Bool {
        ["date", "time", "interval"].contains { name.contains($0) }
    }

    package var isOrdered: Bool { isNumeric || isTemporal }

    /// Values in their natural order: numerically for numbers, as text otherwise (ISO dates sort).
    package func sorted(_ values: [String]) -> [String] {
        guard isNumeric else { return values.sorted() }
        return values.sorted { (Double($0) ?? .infinity) < (Double($1) ?? .infinity) }
    }
}
