import DataSources
import Embedding
import SchemaModel
import Support

/// Turns a schema snapshot into the documents retrieval searches: per table or collection an
/// overview (name, comment, size, columns with types and keys, relationships both ways), then
/// column details and value profiles where they do not fit, every one inside the embedder's
/// token window and naming its table, so no document is cut off silently.
package struct SchemaDocumenter: Sendable {
    /// Token budget per document, a little under the window for the special tokens.
    package var budget: Int
    private let tokens: @Sendable (String) -> Int
    /// Splits run-together names into words written beside them; nil leaves names as they are.
    private let words: IdentifierWords?

    package init(budget: Int = 240, tokens: @escaping @Sendable (String) -> Int, words: IdentifierWords? = nil) {
        self.budget = budget
        self.tokens = tokens
        self.words = words
    }

    /// `name`, followed by its words in parentheses when it is several run together.
    func spelled(_ name: String) -> String {
        guard let pieces = words?.split(name) else { return name }
        return "\(name) (\(pieces.joined(separator: " ")))"
    }

    package func documents(for snapshot: SchemaSnapshot) -> [Document] {
        // Relationships in: who references each object.
        var referencedBy: [String: [String]] = [:]
        for object in snapshot.objects {
            for key in object.foreignKeys {
                referencedBy[key.referencedObject, default: []].append("\(object.qualifiedName) (\(key.columns.joined(separator: ", ")))")
            }
        }
        return snapshot.objects.flatMap { documents(for: $0, referencedBy: referencedBy[$0.qualifiedName] ?? [], rowNoun: snapshot.source.dialect.rowNoun) }
    }

    private func documents(for object: SchemaObject, referencedBy: [String], rowNoun: String) -> [Document] {
        let noun = Self.noun(object.kind)
        var header = "\(noun) \(object.schema).\(spelled(object.name))"
        if let comment = object.comment, !comment.isEmpty { header += ": \(comment)" }
        if let rows = object.rowEstimate { header += ". About \(rows) \(rowNoun)" }
        header += "."
        let references = object.foreignKeys.map { "\($0.columns.joined(separator: ", ")) → \($0.referencedObject) (\($0.referencedColumns.joined(separator: ", ")))" }
        let metadata: [String: JSONValue] = [
            "object": .string(object.qualifiedName),
            "object_kind": .string(object.kind.rawValue),
            "references": .array(Array(Set(object.foreignKeys.map(\.referencedObject))).sorted().map(JSONValue.string)),
            "referenced_by": .array(Array(Set(referencedBy.map { String($0.prefix { $0 != " " }) })).sorted().map(JSONValue.string)),
        ]
        func document(_ kind: String, _ index: Int, _ text: String) -> Document {
            var metadata = metadata
            metadata["kind"] = .string(kind)
            return Document(key: "\(kind):\(object.qualifiedName)\(index > 0 ? "#\(index)" : "")", content: text, metadata: metadata)
        }

        let columnLines = object.columns.map { Self.describe($0, in: object, name: spelled($0.name)) }
        var relationLines: [String] = []
        if !object.primaryKey.isEmpty { relationLines.append("Primary key: \(object.primaryKey.joined(separator: ", ")).") }
        if !references.isEmpty { relationLines.append("References: \(references.joined(separator: "; ")).") }
        if !referencedBy.isEmpty { relationLines.append("Referenced by: \(referencedBy.sorted().joined(separator: "; ")).") }

        var results: [Document] = []
        let full = ([header, "Columns: " + columnLines.joined(separator: ", ") + "."] + relationLines).joined(separator: "\n")
        if tokens(full) <= budget {
            results.append(document("object", 0, full))
        } else {
            // Wide table: the overview names the columns; their details go in groups of their own.
            var overview = ([header, "Columns: " + object.columns.map { spelled($0.name) }.joined(separator: ", ") + "."] + relationLines).joined(separator: "\n")
            if tokens(overview) > budget {
                overview = ([header] + relationLines).joined(separator: "\n")
            }
            results.append(document("object", 0, Self.fit(overview, budget: budget, tokens: tokens)))
            for (index, text) in pack(header: "\(noun) \(object.qualifiedName), columns:", lines: columnLines).enumerated() {
                results.append(document("columns", index, text))
            }
        }
        let valueLines = object.columns.compactMap { column in column.profile.flatMap { Self.describeValues($0, column: column.name) } }
        for (index, text) in pack(header: "Values in \(object.qualifiedName):", lines: valueLines).enumerated() {
            results.append(document("values", index, text))
        }
        return results
    }

    /// Lines packed greedily into documents under the budget, each starting with `header`.
    private func pack(header: String, lines: [String]) -> [String] {
        var documents: [String] = []
        var current: [String] = []
        for line in lines.map({ Self.fit($0, budget: budget / 2, tokens: tokens) }) {
            let candidate = ([header] + current + [line]).joined(separator: "\n")
            if !current.isEmpty && tokens(candidate) > budget {
                documents.append(([header] + current).joined(separator: "\n"))
                current = [line]
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { documents.append(([header] + current).joined(separator: "\n")) }
        return documents
    }

    /// Cuts `text` at a word boundary until it fits, marking the cut.
    static func fit(_ text: String, budget: Int, tokens: (String) -> Int) -> String {
        guard tokens(text) > budget else { return text }
        var words = text.split(separator: " ", omittingEmptySubsequences: false)
        while words.count > 1 && tokens(words.joined(separator: " ") + " …") > budget {
            words.removeLast(max(1, words.count / 10))
        }
        return words.joined(separator: " ") + " …"
    }

    static func describe(_ column: SchemaColumn, in object: SchemaObject, name: String) -> String {
        var text = "\(name) \(column.type)"
        if object.primaryKey.contains(column.name) { text += " primary key" }
        if let key = object.foreignKeys.first(where: { $0.columns.contains(column.name) }), let position = key.columns.firstIndex(of: column.name) {
            text += " → \(key.referencedObject).\(key.referencedColumns[safe: position] ?? "")"
        }
        if !column.nullable && !object.primaryKey.contains(column.name) { text += " not null" }
        if let frequency = column.frequency, frequency < 0.995 { text += " (in \(Int((frequency * 100).rounded()))%)" }
        if let comment = column.comment, !comment.isEmpty { text += " (\(comment))" }
        return text
    }

    static func describeValues(_ profile: ValueProfile, column: String) -> String? {
        var parts: [String] = []
        if let values = profile.values, !values.isEmpty {
            parts.append("one of " + values.map { "'\($0.prefix(60))'" }.joined(separator: ", "))
        } else if let minimum = profile.minimum, let maximum = profile.maximum {
            parts.append("from \(minimum.prefix(40)) to \(maximum.prefix(40))")
        } else if let examples = profile.examples, !examples.isEmpty {
            parts.append("e.g. " + examples.map { "'\($0)'" }.joined(separator: ", "))
        }
        if let nulls = profile.nullFraction, nulls >= 0.01 { parts.append("\(Int((nulls * 100).rounded()))% null") }
        return parts.isEmpty ? nil : "\(column): \(parts.joined(separator: "; "))"
    }

    static func noun(_ kind: SchemaObject.Kind) -> String {
        switch kind {
        case .table, .partitionedTable: "Table"
        case .view: "View"
        case .materializedView: "Materialized view"
        case .foreignTable: "Foreign table"
        case .collection: "Collection"
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
