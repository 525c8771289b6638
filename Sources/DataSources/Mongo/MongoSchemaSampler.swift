import Foundation
import Mongo
import SchemaModel
import Support

/// Infers a MongoDB database's shape from a bounded `$sample` of each collection: every field
/// path (nested documents as `a.b`, arrays of documents as `items[].sku`) with its observed
/// BSON types, how often it appears, and its values when there are few.
struct MongoSchemaSampler {
    let client: MongoClient
    /// The URL's database; when nil, every database the user may list (but the system ones).
    let database: String?
    let options: SamplingOptions
    /// Collections at most (``ObjectCap``).
    let maxObjects: Int
    let maxTime: Duration
    var sampleSize = 200
    /// Field paths per collection at most, so a pathological collection cannot flood the index.
    var maximumPaths = 300

    func sample(progress: SamplingProgress) async throws -> SchemaSnapshot {
        var notes: [String] = []
        var targets: [(database: String, collection: String, kind: String)] = []
        for database in try await databases() where !options.excludes(schema: database) {
            for entry in try await client.listCollections(database: database) {
                guard let name = entry["name"]?.string, !name.hasPrefix("system.") else { continue }
                guard !options.excludes(schema: database, table: name) else { continue }
                targets.append((database, name, entry["type"]?.string ?? "collection"))
            }
        }
        targets = ObjectCap.first(targets, limit: maxObjects, schema: { $0.database }, name: { $0.collection }, notes: &notes)
        for target in targets where target.kind == "timeseries" {
            notes.append("\(target.database).\(target.collection): time-series collection documented from a sample of its measurements")
        }
        var objects: [SchemaObject] = []
        for (done, target) in targets.enumerated() {
            try await progress(done, targets.count, "\(target.database).\(target.collection)")
            do {
                objects.append(try await describe(database: target.database, collection: target.collection, isView: target.kind == "view"))
            } catch let error as MongoError {
                notes.append("\(target.database).\(target.collection): skipped (\(error.message))")
            }
        }
        try await progress(targets.count, targets.count, "")
        return SchemaSnapshot(source: .mongodb, objects: objects, notes: notes)
    }

    private func databases() async throws -> [String] {
        if let database { return [database] }
        let reply = try await client.run("listDatabases", .int(1), ["nameOnly": .bool(true), "authorizedDatabases": .bool(true)], database: "admin")
        return (reply["databases"]?.array ?? []).compactMap { $0["name"]?.string }.filter { !["admin", "local", "config"].contains($0) }.sorted()
    }

    private func describe(database: String, collection: String, isView: Bool) async throws -> SchemaObject {
        // A view has no count of its own and no indexes; $sample runs through its pipeline.
        let count = isView ? nil : try? await client.estimatedCount(database: database, collection: collection)
        let documents = try await client.aggregate(
            database: database, collection: collection, pipeline: [.object(["$sample": .object(["size": .int(Int64(sampleSize))])])],
            limit: sampleSize, maxTime: maxTime
        )
        var paths = FieldPaths()
        for document in documents {
            if case .object(let fields) = document { paths.add(fields, prefix: "") }
        }
        var columns: [SchemaColumn] = []
        var excludedCount = 0
        for path in paths.ordered.prefix(maximumPaths) {
            guard !Self.excludes(path, options: options, database: database, collection: collection) else {
                excludedCount += 1
                continue
            }
            let field = paths.fields[path]!
            var column = SchemaColumn(
                name: path, type: field.types.sorted().joined(separator: "|"), nullable: field.types.contains("null") || field.count < documents.count,
                frequency: documents.isEmpty ? nil : Double(field.count) / Double(documents.count)
            )
            if options.samples(column: path) {
                column.profile = field.profile(ordered: field.types.isSubset(of: ["int", "long", "double", "decimal", "date", "null"]))
            }
            columns.append(column)
        }
        var indexes: [String] = []
        if !isView, let reply = try? await client.run("listIndexes", .string(collection), ["cursor": .object([:])], database: database) {
            indexes = (reply["cursor"]?["firstBatch"]?.array ?? []).compactMap { index in
                guard let name = index["name"]?.string, let key = index["key"] else { return nil }
                return "\(name) \(key.jsonText)\(index["unique"] == .bool(true) ? " unique" : "")"
            }
        }
        var sampleRows: [[String: JSONValue]] = []
        if options.sampleValues {
            sampleRows = documents.prefix(PostgresSchemaSampler.keptRows).compactMap { document in
                guard case .object(let fields) = document else { return nil }
                return Self.redacted(fields, options: options, database: database, collection: collection)
            }
        }
        return SchemaObject(
            schema: database, name: collection, kind: isView ? .view : .collection, rowEstimate: count, columns: columns,
            primaryKey: isView ? [] : ["_id"], indexes: indexes, sampleRows: sampleRows, excludedColumnCount: excludedCount
        )
    }

    /// Whether the field at `path` is excluded, or lies inside one that is (an entry `card`
    /// takes `card.number` with it, `items.secret` takes `items[].secret`, the field of the
    /// documents in the array `items`).
    static func excludes(_ path: String, options: SamplingOptions, database: String, collection: String) -> Bool {
        let parts = path.replacingOccurrences(of: "[]", with: "").split(separator: ".")
        return parts.indices.contains { end in
            options.excludes(schema: database, table: collection, column: parts[...end].joined(separator: "."))
        }
    }

    /// A sample document without excluded or secret-looking fields (at the top level, nested,
    /// and in the documents of arrays).
    static func redacted(_ fields: [String: JSONValue], options: SamplingOptions, database: String, collection: String, prefix: String = "") -> [String: JSONValue] {
        var kept: [String: JSONValue] = [:]
        for (key, value) in fields {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            guard options.samples(column: key), !excludes(path, options: options, database: database, collection: collection) else { continue }
            kept[key] = redacted(value, options: options, database: database, collection: collection, path: path)
        }
        return kept
    }

    private static func redacted(_ value: JSONValue, options: SamplingOptions, database: String, collection: String, path: String) -> JSONValue {
        switch value {
        case .object(let nested) where FieldPaths.extendedType(of: nested) == nil:
            .object(redacted(nested, options: options, database: database, collection: collection, prefix: path))
        case .array(let items):
            .array(items.map { redacted($0, options: options, database: database, collection: collection, path: path) })
        default:
            value
        }
    }
}

/// Field paths seen across sampled documents.
struct FieldPaths {
    struct Field {
        var count = 0
        var types: Set<String> = []
        var values: [String: Int] = [:]
        /// Distinct values stop being counted past this; the field is then not low-cardinality.
        static let tracked = 50

        mutating func observe(_ value: JSONValue, type: String) {
            types.insert(type)
            guard let text = value.plainText, values.count <= Self.tracked || values[text] != nil else { return }
            values[String(text.prefix(200)), default: 0] += 1
        }

        func profile(ordered: Bool) -> ValueProfile {
            let nonNull = values.values.reduce(0, +)
            var profile = ValueProfile(nullFraction: count > 0 ? Double(count - nonNull) / Double(count) : nil,
                                       distinctEstimate: Double(values.count))
            if ordered {
                let numbers = values.keys.compactMap(Double.init)
                if numbers.count == values.count, let low = numbers.min(), let high = numbers.max() {
                    profile.minimum = low == low.rounded() ? String(Int64(low)) : String(low)
                    profile.maximum = high == high.rounded() ? String(Int64(high)) : String(high)
                } else {
                    profile.minimum = values.keys.min()
                    profile.maximum = values.keys.max()
                }
            } else if !values.isEmpty, values.count <= PostgresSchemaSampler.listedValues, nonNull >= 2 * values.count {
                profile.values = values.keys.sorted()
            } else {
                profile.examples = Array(values.keys.sorted().prefix(3)).map { String($0.prefix(60)) }
            }
            return profile
        }
    }

    private(set) var fields: [String: Field] = [:]
    /// Paths in the order first seen.
    private(set) var ordered: [String] = []

    mutating func add(_ document: [String: JSONValue], prefix: String) {
        for (key, value) in document.sorted(by: { $0.key < $1.key }) {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            observe(path, value)
        }
    }

    private mutating func observe(_ path: String, _ value: JSONValue) {
        if fields[path] == nil { ordered.append(path) }
        fields[path, default: Field()].count += 1
        switch value {
        case .object(let nested):
            if let type = Self.extendedType(of: nested) {
                fields[path]!.observe(Self.extendedValue(nested), type: type)
            } else {
                fields[path]!.types.insert("object")
                add(nested, prefix: path)
            }
        case .array(let items):
            let documents = items.compactMap { item -> [String: JSONValue]? in
                if case .object(let nested) = item, Self.extendedType(of: nested) == nil { return nested }
                return nil
            }
            if !documents.isEmpty {
                fields[path]!.types.insert("array<object>")
                // Each element counts once per document for the element paths' frequency.
                var merged = FieldPaths()
                for document in documents { merged.add(document, prefix: "") }
                for inner in merged.ordered {
                    let elementPath = "\(path)[].\(inner)"
                    if fields[elementPath] == nil { ordered.append(elementPath) }
                    var field = fields[elementPath] ?? Field()
                    field.count += 1
                    field.types.formUnion(merged.fields[inner]!.types)
                    for (text, times) in merged.fields[inner]!.values where field.values.count <= Field.tracked || field.values[text] != nil {
                        field.values[text, default: 0] += times
                    }
                    fields[elementPath] = field
                }
            } else {
                let inner = Set(items.map(Self.type(of:)))
                fields[path]!.types.insert("array<\(inner.isEmpty ? "empty" : inner.sorted().joined(separator: "|"))>")
            }
        default:
            fields[path]!.observe(value, type: Self.type(of: value))
        }
    }

    static func type(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int(let number): Int32(exactly: number) != nil ? "int" : "long"
        case .double: "double"
        case .string: "string"
        case .array: "array"
        case .object(let nested): extendedType(of: nested) ?? "object"
        }
    }

    /// The BSON type behind relaxed Extended JSON (`{"$oid": …}`, `{"$date": …}`), if it is one.
    static func extendedType(of object: [String: JSONValue]) -> String? {
        guard let key = object.keys.first, key.hasPrefix("$") else { return nil }
        let types = ["$oid": "objectId", "$date": "date", "$numberDecimal": "decimal", "$numberLong": "long", "$numberDouble": "double",
                     "$binary": "binData", "$timestamp": "timestamp", "$regularExpression": "regex", "$uuid": "uuid", "$minKey": "minKey", "$maxKey": "maxKey"]
        return types[key]
    }

    /// The value inside an Extended JSON wrapper, as text.
    static func extendedValue(_ object: [String: JSONValue]) -> JSONValue {
        guard let (key, value) = object.first else { return .null }
        if key == "$date", case .object(let inner) = value, let millis = inner["$numberLong"]?.string.flatMap(Int64.init) {
            return .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000)))
        }
        return value.plainText.map(JSONValue.string) ?? .null
    }
}
