import Connections
import Foundation
import Retrieval
import SchemaModel
import Support

/// The short texts a tool result carries beside its structured content, and the structured
/// shapes that have no REST twin (a schema's objects).
enum MCPRendering {
    /// Rows a text rendering shows; the structured content has them all.
    static let shownRows = 20
    /// Characters of a value a text rendering shows.
    static let shownValue = 60

    /// `value` in the API's JSON encoding, as a JSON value.
    static func json(_ value: some Encodable) throws -> JSONValue {
        try JSONValue(parsing: String(decoding: try APIJSON.encoder.encode(value), as: UTF8.self))
    }

    static func connections(_ records: [ConnectionRecord]) -> String {
        guard !records.isEmpty else { return "No connections yet: add a database in AskDB first." }
        return records.map { record in
            let state = record.indexVersion > 0 ? "indexed (version \(record.indexVersion))" : "not indexed yet"
            return "- \(record.name) (\(record.kind.rawValue)), connection_id \(record.id.lowercasedString): \(state)"
        }.joined(separator: "\n")
    }

    /// A plain-text table of the first rows; `columns` are names, or `{name}` objects.
    static func table(columns: [JSONValue], rows: [JSONValue], truncated: Bool) -> String {
        let names = columns.map { $0.string ?? $0["name"]?.string ?? $0.plainText ?? "?" }
        var lines = [names.joined(separator: " | ")]
        for row in rows.prefix(shownRows) {
            let cells = (row.array ?? []).map { value -> String in
                let text = value == .null ? "NULL" : (value.plainText ?? value.jsonText)
                let flat = text.replacingOccurrences(of: "\n", with: " ")
                return flat.count > shownValue ? String(flat.prefix(shownValue)) + "…" : flat
            }
            lines.append(cells.joined(separator: " | "))
        }
        var notes: [String] = []
        if rows.count > shownRows { notes.append("(\(rows.count) rows, the first \(shownRows) shown; structuredContent has them all)") }
        if truncated { notes.append("(truncated: a row or size cap cut the result short)") }
        if rows.isEmpty { notes.append("(no rows)") }
        return (lines + notes).joined(separator: "\n")
    }

    /// A question's answer or a query's run: the words (if any), the query, the rows.
    static func result(_ fields: [String: JSONValue]) -> String {
        var parts: [String] = []
        if let answer = fields["answer"]?.string, !answer.isEmpty { parts.append(answer) }
        if let query = fields["query"]?.string { parts.append("Query:\n\(query)") }
        parts.append(table(columns: fields["columns"]?.array ?? [], rows: fields["rows"]?.array ?? [],
                           truncated: fields["truncated"] == .bool(true)))
        return parts.joined(separator: "\n\n")
    }

    /// One table or collection with everything a query writer needs.
    static func object(_ object: SchemaObject) -> JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(object.qualifiedName),
            "kind": .string(object.kind.rawValue),
            "columns": .array(object.columns.map(column)),
            "primary_key": .array(object.primaryKey.map(JSONValue.string)),
            "foreign_keys": .array(object.foreignKeys.map { key in
                .object(["columns": .array(key.columns.map(JSONValue.string)), "references": .string(key.referencedObject),
                         "referenced_columns": .array(key.referencedColumns.map(JSONValue.string))])
            }),
        ]
        if let comment = object.comment { fields["comment"] = .string(comment) }
        if let rows = object.rowEstimate { fields["row_estimate"] = .int(Int64(rows)) }
        if !object.sampleRows.isEmpty { fields["sample_rows"] = .array(object.sampleRows.prefix(3).map(JSONValue.object)) }
        return .object(fields)
    }

    /// A table named only, for a schema too large to describe whole.
    static func summary(_ object: SchemaObject) -> JSONValue {
        var fields: [String: JSONValue] = ["name": .string(object.qualifiedName), "kind": .string(object.kind.rawValue)]
        if let comment = object.comment { fields["comment"] = .string(comment) }
        if let rows = object.rowEstimate { fields["row_estimate"] = .int(Int64(rows)) }
        return .object(fields)
    }

    private static func column(_ column: SchemaColumn) -> JSONValue {
        var fields: [String: JSONValue] = ["name": .string(column.name), "type": .string(column.type), "nullable": .bool(column.nullable)]
        if let comment = column.comment { fields["comment"] = .string(comment) }
        if let frequency = column.frequency { fields["frequency"] = .double(frequency) }
        if let profile = column.profile {
            if let values = profile.values { fields["values"] = .array(values.map(JSONValue.string)) }
            if let examples = profile.examples { fields["examples"] = .array(examples.map(JSONValue.string)) }
            if let minimum = profile.minimum { fields["minimum"] = .string(minimum) }
            if let maximum = profile.maximum { fields["maximum"] = .string(maximum) }
        }
        return .object(fields)
    }

    /// The schema as compact `CREATE TABLE`-like text, the form a question's prompt gets.
    static func ddl(_ objects: some Sequence<SchemaObject>) -> String {
        objects.map(SchemaContext.describe).joined(separator: "\n\n")
    }
}
