import Support

extension SamplingOptions {
    /// Whether a column, or a field path of a collection (`address.city`, `items[].sku`), is
    /// excluded itself or through a field it lies in.
    package func hides(schema: String, table: String, column: String) -> Bool {
        let parts = column.split(separator: ".").map { $0.hasSuffix("[]") ? String($0.dropLast(2)) : String($0) }
        return parts.indices.contains { excludes(schema: schema, table: table, column: parts[...$0].joined(separator: ".")) }
    }
}

extension SchemaSnapshot {
    /// The snapshot as options decided now would have left it: what the owner excluded since the
    /// index was built (objects, columns, values) is gone at once, not after the re-index.
    package func visible(under options: SamplingOptions) -> SchemaSnapshot {
        guard options != SamplingOptions() else { return self }
        var visible = self
        visible.objects = objects.filter { !options.excludes(schema: $0.schema, table: $0.name) }
        let names = Set(visible.objects.map(\.qualifiedName))
        visible.objects = visible.objects.map { $0.visible(under: options, among: names, in: self) }
        visible.enumTypes = enumTypes.filter { !options.excludes(schema: String($0.prefix { $0 != "." })) }
        return visible
    }
}

extension SchemaObject {
    fileprivate func visible(under options: SamplingOptions, among objects: Set<String>, in snapshot: SchemaSnapshot) -> SchemaObject {
        var object = self
        let hidden = Set(columns.map(\.name).filter { options.hides(schema: schema, table: name, column: $0) })
        object.columns = columns.filter { !hidden.contains($0.name) }.map { column in
            var column = column
            if !options.samples(column: column.name) { column.profile = nil }
            return column
        }
        object.excludedColumnCount += hidden.count
        if !options.sampleValues {
            object.sampleRows = []
        } else if !hidden.isEmpty {
            object.sampleRows = sampleRows.map { Self.redacted($0, options: options, schema: schema, table: name, prefix: "") }
        }
        if object.primaryKey.contains(where: hidden.contains) { object.primaryKey = [] }
        object.uniqueKeys = uniqueKeys.filter { !$0.contains(where: hidden.contains) }
        object.foreignKeys = foreignKeys.filter { key in
            guard objects.contains(key.referencedObject), !key.columns.contains(where: hidden.contains) else { return false }
            let target = snapshot.object(key.referencedObject)
            return !key.referencedColumns.contains { options.hides(schema: target?.schema ?? "", table: target?.name ?? "", column: $0) }
        }
        return object
    }

    private static func redacted(_ row: [String: JSONValue], options: SamplingOptions, schema: String, table: String, prefix: String) -> [String: JSONValue] {
        var kept: [String: JSONValue] = [:]
        for (key, value) in row {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard !options.hides(schema: schema, table: table, column: path) else { continue }
            if case .object(let nested) = value {
                kept[key] = .object(redacted(nested, options: options, schema: schema, table: table, prefix: path))
            } else {
                kept[key] = value
            }
        }
        return kept
    }
}
