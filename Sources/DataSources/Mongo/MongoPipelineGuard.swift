import SchemaModel
import Support

/// Decides whether a generated MongoDB query may run: `{"collection": …, "pipeline": [...]}`,
/// an aggregate on one collection whose stages and operators are all on an allow list, looking
/// into the sub-pipelines of `$lookup`, `$unionWith` and `$facet`; no `system.*` collections,
/// nothing the owner excluded.
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
        package var pipeline: [JSONValue]
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
        guard let query = try? JSONValue(parsing: text), case .object(let object) = query else {
            throw QueryRefusal("invalid_pipeline", "write the query as JSON: {\"collection\": \"…\", \"pipeline\": [...]}")
        }
        guard let collection = object["collection"]?.string, !collection.isEmpty else {
            throw QueryRefusal("invalid_pipeline", "the query names no collection")
        }
        guard let pipeline = object["pipeline"]?.array else {
            throw QueryRefusal("invalid_pipeline", "the pipeline must be a JSON array of stages")
        }
        try checkCollection(collection)
        try checkPipeline(pipeline)
        return Checked(collection: collection, pipeline: pipeline)
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
                if let from = body["from"]?.string { try checkCollection(from) }
                if let inner = body["pipeline"]?.array { try checkPipeline(inner) }
            case "$unionWith":
                if let from = body.string ?? body["coll"]?.string { try checkCollection(from) }
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
