import SchemaModel
import Support

/// Decides whether a generated MongoDB query may run: `{"collection": …, "pipeline": [...]}`,
/// an aggregate on one collection whose stages and operators are all on an allow list, looking
/// into the sub-pipelines of `$lookup`, `$unionWith` and `$facet`; no `system.*` collections,
/// nothing the owner excluded.
///
/// A pipeline that passes is rewritten so excluded fields never leave the server: it starts
/// with an `$unset` of the collection's excluded paths, and so does every pipeline that reads
/// another collection (`$lookup`, `$unionWith`). An empty pipeline is the whole documents, so
/// this is what keeps an honest query from returning them.
package struct MongoPipelineGuard: Sendable {
    private let options: SamplingOptions
    private let database: String

    package init(database: String, options: SamplingOptions = SamplingOptions()) {
        self.database = database
        self.options = options
    }

    /// A pipeline that passed.
    package struct Checked: Sendable, Equatable {
        package var collection: String
        /// The pipeline as it runs: with the `$unset`s that hide excluded fields.
        package var pipeline: [JSONValue]
        /// The rewrite changed the pipeline the model wrote.
        package var isRewritten: Bool
    }

    static let stages: Set<String> = [
        "$match", "$project", "$group", "$sort", "$limit", "$skip", "$unwind", "$lookup", "$count", "$addFields", "$set",
        "$unset", "$replaceRoot", "$replaceWith", "$facet", "$bucket", "$bucketAuto", "$sortByCount", "$sample", "$unionWith",
        "$densify", "$fill", "$setWindowFields", "$redact",
    ]
    /// Operators that read or compute; `$where`, `$function`, `$accumulator` (server-side
    /// JavaScript), `$out` and `$merge` (writes) are left out on purpose.
    static let refused: Set<String> = ["$where", "$function", "$accumulator", "$out", "$merge", "$currentOp", "$listSessions",
                                        "$collStats", "$indexStats", "$planCacheStats", "$listLocalSessions", "$documents"]

    package func check(_ text: String) throws(QueryRefusal) -> Checked {
        let query = try MongoQuery(parsing: text)
        try checkCollection(query.collection)
        try checkPipeline(query.pipeline)
        let hidden = hidingExcluded(query.pipeline, of: query.collection)
        return Checked(collection: query.collection, pipeline: hidden, isRewritten: hidden != query.pipeline)
    }

    /// The query as it runs, as JSON text: the rewritten pipeline, or `text` itself when
    /// nothing needed hiding.
    package func checkedText(_ text: String) throws(QueryRefusal) -> String {
        let checked = try check(text)
        return checked.isRewritten ? MongoQuery(collection: checked.collection, pipeline: checked.pipeline).jsonText : text
    }

    /// The owner's excluded fields of `collection`, as paths inside its documents: an entry
    /// `database.collection.path` or `collection.path` names one collection's field, any other
    /// entry (a bare or dotted path) the field of that name in every collection; a dotted entry
    /// may be either, so it is hidden both ways.
    package func excludedPaths(of collection: String) -> [String] {
        var paths: [String] = []
        for entry in options.excludedColumns {
            var path = entry
            for prefix in ["\(database).\(collection).", "\(collection)."] where entry.lowercased().hasPrefix(prefix.lowercased()) {
                path = String(entry.dropFirst(prefix.count))
                break
            }
            // Another collection's field, named with the database: nothing of this one's.
            if path == entry, entry.lowercased().hasPrefix("\(database).".lowercased()) { continue }
            if !path.isEmpty, !paths.contains(path) { paths.append(path) }
        }
        // `$unset` refuses a path inside another one it removes ("path collision"), and the
        // outer one hides the inner anyway.
        return paths.filter { path in !paths.contains { path.hasPrefix($0 + ".") } }
    }

    /// `pipeline` behind an `$unset` of `collection`'s excluded paths (unless it runs on documents
    /// already hidden: `prefixed` false), its lookups and unions likewise, at any depth of
    /// `$facet` (a string-form `$unionWith` is turned into its pipeline form to take one).
    private func hidingExcluded(_ pipeline: [JSONValue], of collection: String, prefixed: Bool = true) -> [JSONValue] {
        let rewritten = pipeline.map { stage -> JSONValue in
            guard case .object(let fields) = stage, let (name, body) = fields.first else { return stage }
            switch name {
            case "$lookup":
                guard case .object(var lookup) = body, let from = lookup["from"]?.string else { return stage }
                let inner = hidingExcluded(lookup["pipeline"]?.array ?? [], of: from)
                if !inner.isEmpty { lookup["pipeline"] = .array(inner) }
                return .object([name: .object(lookup)])
            case "$unionWith":
                guard var union = body.string.map({ ["coll": JSONValue.string($0)] }) ?? body.objectValue, let from = union["coll"]?.string else {
                    return stage
                }
                let inner = hidingExcluded(union["pipeline"]?.array ?? [], of: from)
                if inner.isEmpty { return stage }
                union["pipeline"] = .array(inner)
                return .object([name: .object(union)])
            case "$facet":
                // Each branch sees the documents already hidden; a lookup inside reads its own.
                guard case .object(let facets) = body else { return stage }
                return .object([name: .object(facets.mapValues { .array(hidingExcluded($0.array ?? [], of: collection, prefixed: false)) })])
            default:
                return stage
            }
        }
        guard prefixed else { return rewritten }
        let paths = excludedPaths(of: collection)
        let unset = JSONValue.object(["$unset": .array(paths.map(JSONValue.string))])
        // A pipeline this guard already rewrote (a kept query guarded again) keeps its one prefix.
        return paths.isEmpty || rewritten.first == unset ? rewritten : [unset] + rewritten
    }

    /// Defence in depth, for what a pipeline returns: the collection's excluded paths taken out
    /// of every row, at the top level and inside nested documents.
    package func filtered(_ result: QueryResult, collection: String) -> QueryResult {
        let paths = excludedPaths(of: collection).map { $0.split(separator: ".").map(String.init) }
        guard !paths.isEmpty else { return result }
        let dropped = Set(result.columns.indices.filter { index in paths.contains { $0 == [result.columns[index]] } })
        var filtered = result
        filtered.columns = result.columns.indices.filter { !dropped.contains($0) }.map { result.columns[$0] }
        filtered.rows = result.rows.map { row in
            row.indices.filter { !dropped.contains($0) }.map { index in
                let nested = paths.filter { $0.count > 1 && $0[0] == result.columns[index] }.map { Array($0.dropFirst()) }
                return nested.reduce(row[index]) { value, path in Self.removing(path, from: value) }
            }
        }
        return filtered
    }

    private static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        switch value {
        case .object(var fields):
            guard let head = path.first else { return value }
            if path.count == 1 { fields[head] = nil } else if let inner = fields[head] { fields[head] = removing(Array(path.dropFirst()), from: inner) }
            return .object(fields)
        case .array(let items):
            return .array(items.map { removing(path, from: $0) })
        default:
            return value
        }
    }

    private func checkCollection(_ name: String) throws(QueryRefusal) {
        if name.hasPrefix("system.") { throw QueryRefusal("object_not_allowed", "system collections (\(name)) may not be queried") }
        if options.excludes(schema: database, table: name) { throw QueryRefusal("object_not_allowed", "\(name) is excluded for this connection") }
    }

    private func checkPipeline(_ pipeline: [JSONValue]) throws(QueryRefusal) {
        for stage in pipeline {
            guard case .object(let fields) = stage, fields.count == 1, let (name, body) = fields.first else {
                throw QueryRefusal("invalid_pipeline", "each stage is an object with exactly one $stage key")
            }
            guard Self.stages.contains(name) else { throw QueryRefusal("stage_not_allowed", "the stage \(name) is not allowed") }
            switch name {
            case "$lookup":
                // A plain collection name of this database, or the rewrite could not hide its fields.
                guard let from = body["from"]?.string else {
                    throw QueryRefusal("invalid_pipeline", "$lookup needs `from`: the name of a collection of this database")
                }
                try checkCollection(from)
                if let inner = body["pipeline"]?.array { try checkPipeline(inner) }
            case "$unionWith":
                guard let from = body.string ?? body["coll"]?.string else {
                    throw QueryRefusal("invalid_pipeline", "$unionWith needs the name of a collection of this database")
                }
                try checkCollection(from)
                if let inner = body["pipeline"]?.array { try checkPipeline(inner) }
            case "$facet":
                if case .object(let facets) = body {
                    for (_, inner) in facets { try checkPipeline(inner.array ?? []) }
                }
            default:
                break
            }
            try checkOperators(in: body)
        }
    }

    private func checkOperators(in value: JSONValue) throws(QueryRefusal) {
        switch value {
        case .object(let object):
            for (key, child) in object {
                if Self.refused.contains(key) { throw QueryRefusal("stage_not_allowed", "\(key) is not allowed") }
                if !options.excludedColumns.isEmpty, !key.hasPrefix("$"), options.excludedColumns.contains(where: { $0.split(separator: ".").last.map(String.init) == key }) {
                    throw QueryRefusal("object_not_allowed", "the field \(key) is excluded for this connection")
                }
                try checkOperators(in: child)
            }
        case .array(let items):
            for item in items { try checkOperators(in: item) }
        case .string(let text) where text.hasPrefix("$") && !options.excludedColumns.isEmpty:
            let field = String(text.dropFirst())
            if options.excludedColumns.contains(where: { $0 == field || $0.hasSuffix(".\(field)") }) {
                throw QueryRefusal("object_not_allowed", "the field \(field) is excluded for this connection")
            }
        default:
            break
        }
    }
}
