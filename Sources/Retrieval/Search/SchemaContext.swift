import SchemaModel

/// The part of a connection's schema a question gets: the objects its best documents describe,
/// expanded along foreign keys (join tables and both ends of a relationship come along), written
/// as compact DDL with value hints, until a token budget is spent — not a fixed number of tables.
package struct SchemaContext: Sendable, Equatable {
    /// Qualified names, in the order they entered the context.
    package var objects: [String]
    /// The text for the prompt.
    package var text: String

    /// - Parameters:
    ///   - ranked: the search results, best first.
    ///   - budget: tokens the context may use, estimated by `tokens`.
    package static func build(ranked: [RetrievedDocument], snapshot: SchemaSnapshot, budget: Int,
                             tokens: (String) -> Int) -> SchemaContext {
        var chosen: [String] = []
        var parts: [String] = []
        var used = 0
        for name in expanded(ranked: ranked, snapshot: snapshot) {
            guard let object = snapshot.object(name) else { continue }
            let ddl = describe(object)
            let cost = tokens(ddl)
            if used + cost > budget && !chosen.isEmpty { continue }
            chosen.append(name)
            parts.append(ddl)
            used += cost
        }
        return SchemaContext(objects: chosen, text: parts.joined(separator: "\n\n"))
    }

    /// Every object the ranking leads to, in the order a context takes them, before any budget.
    package static func expanded(ranked: [RetrievedDocument], snapshot: SchemaSnapshot) -> [String] {
        // Objects by first appearance in the ranking.
        var order: [String] = []
        for document in ranked {
            if let object = document.metadata["object"]?.string, !order.contains(object) { order.append(object) }
        }
        // Each ranked object, then its neighbours through foreign keys, before the next-ranked one.
        var expanded: [String] = []
        func add(_ name: String) {
            if !expanded.contains(name), snapshot.object(name) != nil { expanded.append(name) }
        }
        for name in order {
            add(name)
            guard let object = snapshot.object(name) else { continue }
            for key in object.foreignKeys { add(key.referencedObject) }
            for other in snapshot.objects where other.foreignKeys.contains(where: { $0.referencedObject == name }) {
                // A table that joins two retrieved ones (a link table) is the likeliest missing piece.
                let links = other.foreignKeys.filter { order.contains($0.referencedObject) }.count
                if links >= 2 || order.prefix(3).contains(name) { add(other.qualifiedName) }
            }
        }
        return expanded
    }

    /// Quoted values up to about 160 characters in all, so a column of long labels does not
    /// crowd other tables out of the context.
    static func hint(_ values: [String]) -> String {
        var shown: [String] = []
        var length = 0
        for value in values {
            let quoted = "'\(value.prefix(40))'"
            if !shown.isEmpty && length + quoted.count > 160 { return shown.joined(separator: ", ") + ", …" }
            shown.append(quoted)
            length += quoted.count + 2
        }
        return shown.joined(separator: ", ")
    }

    /// `CREATE TABLE`-like text with comments, keys and value hints.
    package static func describe(_ object: SchemaObject) -> String {
        let keyword = object.kind == .collection ? "COLLECTION" : (object.kind == .table || object.kind == .partitionedTable ? "TABLE" : "VIEW")
        var lines: [String] = []
        if let comment = object.comment, !comment.isEmpty { lines.append("-- \(comment)") }
        lines.append("\(keyword) \(object.qualifiedName) (" + (object.rowEstimate.map { " -- about \($0) rows" } ?? ""))
        var columnLines: [String] = []
        for column in object.columns {
            var line = "  \(column.name) \(column.type)"
            if object.primaryKey == [column.name] { line += " PRIMARY KEY" }
            if let key = object.foreignKeys.first(where: { $0.columns == [column.name] }) {
                line += " REFERENCES \(key.referencedObject)(\(key.referencedColumns.joined(separator: ", ")))"
            }
            var notes: [String] = []
            if let comment = column.comment, !comment.isEmpty { notes.append(comment) }
            if let profile = column.profile {
                if let values = profile.values, !values.isEmpty {
                    notes.append("values: " + Self.hint(values))
                } else if let minimum = profile.minimum, let maximum = profile.maximum {
                    notes.append("from \(minimum.prefix(30)) to \(maximum.prefix(30))")
                } else if let examples = profile.examples, !examples.isEmpty {
                    notes.append("e.g. " + examples.map { "'\($0.prefix(30))'" }.joined(separator: ", "))
                }
            }
            if !notes.isEmpty { line += " -- " + notes.joined(separator: "; ") }
            columnLines.append(line)
        }
        if object.primaryKey.count > 1 { columnLines.append("  PRIMARY KEY (\(object.primaryKey.joined(separator: ", ")))") }
        for key in object.foreignKeys where key.columns.count > 1 {
            columnLines.append("  FOREIGN KEY (\(key.columns.joined(separator: ", "))) REFERENCES \(key.referencedObject)(\(key.referencedColumns.joined(separator: ", ")))")
        }
        lines.append(columnLines.joined(separator: ",\n"))
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}
