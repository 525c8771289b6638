import Foundation
import SchemaModel
import Support

/// Decides whether a generated MongoDB query may run: `{"collection": …, "pipeline": [...]}`,
/// an aggregate on one collection whose stages and operators are all on an allow list, looking
/// into the sub-pipelines of `$lookup`, `$unionWith` and `$facet`; other collections only by a
/// plain name of the same database (no `{db, coll}` form, no `system.*`), nothing the owner
/// excluded.
///
/// A pipeline that passes is rewritten so excluded fields never leave the server: it starts
/// with stages that take the collection's excluded paths out (``hidingStages(of:)``), and so does
/// every pipeline that reads another collection (`$lookup`, `$unionWith`, string forms turned
/// into pipeline forms first); a `$graphLookup` is followed by a `$set` that takes them out of
/// what it found. So `$$ROOT`, `$$CURRENT`, `$getField` and `$objectToArray` only ever see
/// allowed fields, and an empty pipeline (the whole documents) returns none of them.
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
        /// The pipeline as it runs: with the stages that hide excluded fields.
        package var pipeline: [JSONValue]
        /// The rewrite changed the pipeline the model wrote.
        package var isRewritten: Bool
    }

    static let stages: Set<String> = [
        "$match", "$project", "$group", "$sort", "$limit", "$skip", "$unwind", "$lookup", "$count", "$addFields", "$set",
        "$unset", "$replaceRoot", "$replaceWith", "$facet", "$bucket", "$bucketAuto", "$sortByCount", "$sample", "$unionWith",
        "$densify", "$fill", "$setWindowFields", "$redact", "$graphLookup",
    ]
    /// Operators that read or compute; `$where`, `$function`, `$accumulator` (server-side
    /// JavaScript), `$out` and `$merge` (writes) are left out on purpose.
    static let refused: Set<String> = ["$where", "$function", "$accumulator", "$out", "$merge", "$currentOp", "$listSessions",
                                        "$collStats", "$indexStats", "$planCacheStats", "$listLocalSessions", "$documents"]
    /// The fields each stage that reads another collection may have: anything else (a `db`
    /// beside `from`, say) is refused rather than passed on for the server to interpret.
    static let lookupFields: Set<String> = ["from", "localField", "foreignField", "let", "pipeline", "as"]
    static let unionFields: Set<String> = ["coll", "pipeline"]
    static let graphLookupFields: Set<String> = ["from", "startWith", "connectFromField", "connectToField", "as", "maxDepth", "depthField",
                                                 "restrictSearchWithMatch"]

    package func check(_ text: String) throws(QueryRefusal) -> Checked {
        let query = try MongoQuery(parsing: text)
        try checkCollection(query.collection)
        let pipeline = withoutHidingStages(query.pipeline, of: query.collection)
        try checkPipeline(pipeline, collection: query.collection)
        let hidden = hidingStages(of: query.collection) + hidingExcluded(pipeline)
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

    /// The stages a pipeline on `collection` starts with so that no later stage sees an
    /// excluded path: an `$unset` of them all, then, for the fields with excluded paths inside,
    /// a `$set` that rebuilds each without them, looking into arrays at every level. MongoDB's
    /// `$unset` looks into arrays of documents by itself; SecantusDB's does not, and nothing
    /// here relies on it. Empty when nothing of the collection is excluded.
    package func hidingStages(of collection: String) -> [JSONValue] {
        let paths = excludedPaths(of: collection)
        guard !paths.isEmpty else { return [] }
        var stages: [JSONValue] = [.object(["$unset": .array(paths.map(JSONValue.string))])]
        let nested = Dictionary(grouping: paths.map { $0.split(separator: ".").map(String.init) }.filter { $0.count > 1 }, by: { $0[0] })
        if !nested.isEmpty {
            stages.append(.object(["$set": .object(nested.mapValues { inner in
                Self.stripping(.string("$" + inner[0][0]), inner.map { Array($0.dropFirst()) }, depth: 0, intoArrays: true)
            })]))
        }
        return stages
    }

    /// `pipeline` without the hiding stages it may already start with (a kept query, guarded again).
    private func withoutHidingStages(_ pipeline: [JSONValue], of collection: String) -> [JSONValue] {
        let stages = hidingStages(of: collection)
        guard !stages.isEmpty, pipeline.starts(with: stages) else { return pipeline }
        return Array(pipeline.dropFirst(stages.count))
    }

    /// An expression for `value` (a field path) without `paths` (each a list of field names):
    /// in a document, the fields named by one-name paths dropped and the others rebuilt; in an
    /// array (if `intoArrays`), each element so; anything else as it is (a missing field stays
    /// missing). `depth` keeps variable names apart.
    ///
    /// Written for SecantusDB as much as for MongoDB: every operator's input is guarded, as it
    /// evaluates each `$switch` branch whatever the case, and `value` is never bound with `$let`,
    /// as it gives a variable bound to a missing field the type "object".
    static func stripping(_ value: JSONValue, _ paths: [[String]], depth: Int, intoArrays: Bool) -> JSONValue {
        let kv = "kv\(depth)", e = "e\(depth)"
        let isObject = JSONValue.object(["$eq": .array([.object(["$type": value]), .string("object")])])
        let leaves = Set(paths.filter { $0.count == 1 }.map { $0[0] })
        let nested = Dictionary(grouping: paths.filter { $0.count > 1 && !leaves.contains($0[0]) }, by: { $0[0] })
        var entries = JSONValue.object(["$objectToArray": .object(["$cond": .array([isObject, value, .object(["$literal": .object([:])])])])])
        if !leaves.isEmpty {
            entries = .object(["$filter": .object([
                "input": entries, "as": .string(kv),
                "cond": .object(["$and": .array(leaves.sorted().map { .object(["$ne": .array([.string("$$\(kv).k"), .string($0)])]) })]),
            ])])
        }
        if !nested.isEmpty {
            let branches = nested.keys.sorted().map { key -> JSONValue in
                .object(["case": .object(["$eq": .array([.string("$$\(kv).k"), .string(key)])]),
                         "then": .object(["k": .string("$$\(kv).k"),
                                          "v": stripping(.string("$$\(kv).v"), nested[key]!.map { Array($0.dropFirst()) }, depth: depth + 1, intoArrays: true)])])
            }
            entries = .object(["$map": .object(["input": entries, "as": .string(kv),
                                                "in": .object(["$switch": .object(["branches": .array(branches), "default": .string("$$\(kv)")])])])])
        }
        var branches: [JSONValue] = []
        if intoArrays {
            let isArray = JSONValue.object(["$isArray": value])
            let elements = JSONValue.object(["$cond": .array([isArray, value, .object(["$literal": .array([])])])])
            branches.append(.object(["case": isArray,
                                     "then": .object(["$map": .object(["input": elements, "as": .string(e),
                                                                       "in": stripping(.string("$$\(e)"), paths, depth: depth + 1, intoArrays: false)])])]))
        }
        branches.append(.object(["case": isObject, "then": .object(["$arrayToObject": entries])]))
        return .object(["$switch": .object(["branches": .array(branches), "default": value])])
    }

    /// The `$set` that follows a `$graphLookup` of `from` into `as`: what it found, without `from`'s
    /// excluded paths. Nil when nothing of `from` is excluded.
    private func hidingFound(from: String, as field: String) -> JSONValue? {
        let paths = excludedPaths(of: from)
        guard !paths.isEmpty else { return nil }
        return .object(["$set": .object([field: Self.stripping(.string("$" + field), paths.map { $0.split(separator: ".").map(String.init) },
                                                               depth: 0, intoArrays: true)])])
    }

    /// `pipeline` with every pipeline that reads another collection behind that collection's
    /// hiding stages, at any depth (a string-form `$lookup` takes a pipeline beside its fields,
    /// a string-form `$unionWith` is turned into its pipeline form), and every `$graphLookup`
    /// followed by the `$set` that hides what it found.
    private func hidingExcluded(_ pipeline: [JSONValue]) -> [JSONValue] {
        var rewritten: [JSONValue] = []
        var index = 0
        while index < pipeline.count {
            let stage = pipeline[index]
            index += 1
            guard case .object(let fields) = stage, let (name, body) = fields.first else {
                rewritten.append(stage)
                continue
            }
            switch name {
            case "$lookup":
                guard case .object(var lookup) = body, let from = lookup["from"]?.string else { rewritten.append(stage); continue }
                let inner = hidingStages(of: from) + hidingExcluded(withoutHidingStages(lookup["pipeline"]?.array ?? [], of: from))
                if !inner.isEmpty || lookup["pipeline"] != nil { lookup["pipeline"] = .array(inner) }
                rewritten.append(.object([name: .object(lookup)]))
            case "$unionWith":
                guard var union = body.string.map({ ["coll": JSONValue.string($0)] }) ?? body.objectValue, let from = union["coll"]?.string else {
                    rewritten.append(stage)
                    continue
                }
                let inner = hidingStages(of: from) + hidingExcluded(withoutHidingStages(union["pipeline"]?.array ?? [], of: from))
                if inner.isEmpty, union["pipeline"] == nil { rewritten.append(stage); continue }
                union["pipeline"] = .array(inner)
                rewritten.append(.object([name: .object(union)]))
            case "$facet":
                // Each branch sees the documents already hidden; a lookup inside reads its own.
                guard case .object(let facets) = body else { rewritten.append(stage); continue }
                rewritten.append(.object([name: .object(facets.mapValues { .array(hidingExcluded($0.array ?? [])) })]))
            case "$graphLookup":
                rewritten.append(stage)
                if let from = body["from"]?.string, let field = body["as"]?.string, let hiding = hidingFound(from: from, as: field) {
                    rewritten.append(hiding)
                    // Guarded again: the stage is there already.
                    if index < pipeline.count, pipeline[index] == hiding { index += 1 }
                }
            default:
                rewritten.append(stage)
            }
        }
        return rewritten
    }

    /// Defence in depth, for what a pipeline on `collection` returns: the collection's excluded
    /// paths taken out of every row, at the top level and inside nested documents and arrays,
    /// and those of each collection a top-level `$lookup` or `$graphLookup` of `pipeline` read
    /// from where it put what it found.
    package func filtered(_ result: QueryResult, collection: String, pipeline: [JSONValue] = []) -> QueryResult {
        var dotted = excludedPaths(of: collection)
        for stage in pipeline {
            guard case .object(let fields) = stage, let (name, body) = fields.first, ["$lookup", "$graphLookup"].contains(name),
                  let from = body["from"]?.string, let field = body["as"]?.string else { continue }
            dotted += excludedPaths(of: from).map { "\(field).\($0)" }
        }
        let paths = dotted.map { $0.split(separator: ".").map(String.init) }
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

    /// A collection another may be read from: a plain name of this database, not a system
    /// collection, not excluded.
    private func checkCollection(_ name: String) throws(QueryRefusal) {
        if name.isEmpty || name.contains("$") || name.contains("\u{0}") || name.hasPrefix(".") {
            throw QueryRefusal("object_not_allowed", "\(name) is not the plain name of a collection of this database")
        }
        if name.lowercased().hasPrefix("system.") { throw QueryRefusal("object_not_allowed", "system collections (\(name)) may not be queried") }
        if options.excludes(schema: database, table: name) { throw QueryRefusal("object_not_allowed", "\(name) is excluded for this connection") }
    }

    /// Whether `field` (a path in a document of `collection`) is, holds or lies inside one of its excluded paths.
    private func touchesExcluded(_ field: String, of collection: String) -> Bool {
        excludedPaths(of: collection).contains { $0 == field || field.hasPrefix($0 + ".") || $0.hasPrefix(field + ".") }
    }

    private func checkPipeline(_ pipeline: [JSONValue], collection: String) throws(QueryRefusal) {
        for stage in pipeline {
            guard case .object(let fields) = stage, fields.count == 1, let (name, body) = fields.first else {
                throw QueryRefusal("invalid_pipeline", "each stage is an object with exactly one $stage key")
            }
            guard Self.stages.contains(name) else { throw QueryRefusal("stage_not_allowed", "the stage \(name) is not allowed") }
            switch name {
            case "$lookup":
                // A plain collection name of this database, or the rewrite could not hide its fields.
                guard case .object(let lookup) = body, let from = lookup["from"]?.string else {
                    throw QueryRefusal("invalid_pipeline", "$lookup needs `from`: the name of a collection of this database")
                }
                try Self.onlyFields(Self.lookupFields, in: lookup, of: name)
                try checkCollection(from)
                for key in ["localField", "foreignField"] where lookup[key] != nil {
                    guard let field = lookup[key]?.string else { throw QueryRefusal("invalid_pipeline", "$lookup's \(key) must be a field name") }
                    if touchesExcluded(field, of: key == "localField" ? collection : from) {
                        throw QueryRefusal("object_not_allowed", "the field \(field) is excluded for this connection")
                    }
                }
                if (lookup["localField"] == nil) != (lookup["foreignField"] == nil) {
                    throw QueryRefusal("invalid_pipeline", "$lookup needs both localField and foreignField, or neither")
                }
                if let inner = lookup["pipeline"] {
                    guard let stages = inner.array else { throw QueryRefusal("invalid_pipeline", "$lookup's pipeline must be an array of stages") }
                    try checkPipeline(withoutHidingStages(stages, of: from), collection: from)
                }
                try checkOperators(in: .object(lookup.filter { $0.key != "pipeline" }))
            case "$unionWith":
                let union: [String: JSONValue]
                if let from = body.string { union = ["coll": .string(from)] } else if case .object(let object) = body { union = object } else { union = [:] }
                guard let from = union["coll"]?.string else {
                    throw QueryRefusal("invalid_pipeline", "$unionWith needs the name of a collection of this database")
                }
                try Self.onlyFields(Self.unionFields, in: union, of: name)
                try checkCollection(from)
                if let inner = union["pipeline"] {
                    guard let stages = inner.array else { throw QueryRefusal("invalid_pipeline", "$unionWith's pipeline must be an array of stages") }
                    try checkPipeline(withoutHidingStages(stages, of: from), collection: from)
                }
            case "$graphLookup":
                guard case .object(let lookup) = body, let from = lookup["from"]?.string, lookup["as"]?.string != nil else {
                    throw QueryRefusal("invalid_pipeline", "$graphLookup needs `from` (the name of a collection of this database) and `as`")
                }
                try Self.onlyFields(Self.graphLookupFields, in: lookup, of: name)
                try checkCollection(from)
                for key in ["connectFromField", "connectToField"] {
                    guard let field = lookup[key]?.string else { throw QueryRefusal("invalid_pipeline", "$graphLookup's \(key) must be a field name") }
                    if touchesExcluded(field, of: from) { throw QueryRefusal("object_not_allowed", "the field \(field) is excluded for this connection") }
                }
                // Its filter runs on `from`'s documents as they are stored, before anything is hidden.
                if let filter = lookup["restrictSearchWithMatch"], let field = Self.fieldNames(in: filter).first(where: { touchesExcluded($0, of: from) }) {
                    throw QueryRefusal("object_not_allowed", "the field \(field) is excluded for this connection")
                }
                try checkOperators(in: body)
            case "$densify":
                try Self.checkDensify(body)
                try checkOperators(in: body)
            case "$facet":
                guard case .object(let facets) = body else { throw QueryRefusal("invalid_pipeline", "$facet takes an object of pipelines") }
                for (_, inner) in facets {
                    guard let stages = inner.array else { throw QueryRefusal("invalid_pipeline", "each $facet branch must be an array of stages") }
                    try checkPipeline(stages, collection: collection)
                }
            default:
                try checkOperators(in: body)
            }
        }
    }

    /// The most documents a `$densify` may add: it fills a range step by step, so a small step
    /// over a wide range makes millions of documents (and SecantusDB does not stop it in time).
    static let maxDensified = 100_000.0

    /// A `$densify` must say its range: explicit bounds (numbers, or dates with a unit) that
    /// make at most ``maxDensified`` steps; `full` and `partition` (the data's own range, which
    /// the guard cannot see) are refused.
    private static func checkDensify(_ body: JSONValue) throws(QueryRefusal) {
        guard let range = body["range"], let step = range["step"]?.number, step > 0,
              let bounds = range["bounds"]?.array, bounds.count == 2 else {
            throw QueryRefusal("invalid_pipeline", "$densify needs a range with a positive step and explicit bounds [low, high] (not full or partition)")
        }
        let seconds: [String: Double] = ["millisecond": 0.001, "second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
                                         "month": 2_629_746, "quarter": 7_889_238, "year": 31_556_952]
        let span: Double
        if let low = bounds[0].number, let high = bounds[1].number {
            span = (high - low) / step
        } else if let low = milliseconds(bounds[0]), let high = milliseconds(bounds[1]), let unit = range["unit"]?.string, let length = seconds[unit] {
            span = (high - low) / 1000 / (length * step)
        } else {
            throw QueryRefusal("invalid_pipeline", "$densify's bounds are two numbers, or two dates with a unit")
        }
        guard span.isFinite, span <= maxDensified else {
            throw QueryRefusal("too_costly", "this $densify would add about \(Int(min(span, 1e15)).formatted()) documents, over \(Int(maxDensified).formatted()): take a larger step or narrower bounds")
        }
    }

    /// A date as Extended JSON (`{"$date": "…"}` or `{"$date": {"$numberLong": "…"}}`), in milliseconds since 1970.
    private static func milliseconds(_ value: JSONValue) -> Double? {
        guard let date = value["$date"] else { return nil }
        if let long = date["$numberLong"]?.string { return Double(long) }
        if let number = date.number { return number }
        guard let text = date.string else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let parsed = formatter.date(from: text) { return parsed.timeIntervalSince1970 * 1000 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { $0.timeIntervalSince1970 * 1000 }
    }

    private static func onlyFields(_ allowed: Set<String>, in object: [String: JSONValue], of stage: String) throws(QueryRefusal) {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw QueryRefusal("invalid_pipeline", "\(stage) takes only \(allowed.sorted().joined(separator: ", ")), not `\(unknown)`")
        }
    }

    /// Whether `field` (a `$`-less field path) names an excluded column entry's field.
    private func namesExcluded(_ field: String) -> Bool {
        options.excludedColumns.contains { $0 == field || $0.hasSuffix(".\(field)") }
    }

    private func checkOperators(in value: JSONValue) throws(QueryRefusal) {
        switch value {
        case .object(let object):
            for (key, child) in object {
                if Self.refused.contains(key) { throw QueryRefusal("stage_not_allowed", "\(key) is not allowed") }
                if !options.excludedColumns.isEmpty, !key.hasPrefix("$"), options.excludedColumns.contains(where: { $0.split(separator: ".").last.map(String.init) == key }) {
                    throw QueryRefusal("object_not_allowed", "the field \(key) is excluded for this connection")
                }
                if key == "$reduce", let inner = child["in"], Self.occurrences(of: "$$value", in: inner) > 1 {
                    // Each step may double what the one before made: 30 steps make a gigabyte.
                    throw QueryRefusal("stage_not_allowed", "a $reduce whose `in` uses $$value more than once grows without bound")
                }
                try checkOperators(in: child)
            }
        case .array(let items):
            for item in items { try checkOperators(in: item) }
        case .string(let text) where text.hasPrefix("$") && !options.excludedColumns.isEmpty:
            var field = String(text.dropFirst())
            for root in ["$ROOT.", "$CURRENT."] where field.hasPrefix(root) { field = String(field.dropFirst(root.count)) }
            if namesExcluded(field) {
                throw QueryRefusal("object_not_allowed", "the field \(field) is excluded for this connection")
            }
        default:
            break
        }
    }

    /// The field names (keys without `$`) of a query filter, at any depth.
    private static func fieldNames(in value: JSONValue) -> [String] {
        switch value {
        case .object(let object): object.flatMap { key, child in (key.hasPrefix("$") ? [] : [key]) + fieldNames(in: child) }
        case .array(let items): items.flatMap(fieldNames(in:))
        default: []
        }
    }

    /// How many strings of `value` are the variable `name` or a path inside it.
    private static func occurrences(of name: String, in value: JSONValue) -> Int {
        switch value {
        case .string(let text): text == name || text.hasPrefix(name + ".") ? 1 : 0
        case .array(let items): items.reduce(0) { $0 + occurrences(of: name, in: $1) }
        case .object(let object): object.values.reduce(0) { $0 + occurrences(of: name, in: $1) }
        default: 0
        }
    }
}
