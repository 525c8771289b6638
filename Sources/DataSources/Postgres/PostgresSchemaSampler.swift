import AppDatabase
import Foundation
import Logging
import PostgresNIO
import SchemaModel
import Support

/// Reads a PostgreSQL database's structure and a bounded sample of its values, inside one
/// READ ONLY transaction with a statement and a lock timeout.
///
/// The catalog is read in five queries whatever the size of the schema (objects, columns,
/// constraints, indexes, statistics); only the row sample is one query per table, bounded by
/// LIMIT (and TABLESAMPLE on big tables), each behind a savepoint so one slow or unreadable
/// table is skipped with a note instead of failing the run.
struct PostgresSchemaSampler {
    let connection: PostgresConnection
    let options: SamplingOptions
    /// Tables at most (``ObjectCap``).
    let maxObjects: Int
    let statementTimeout: Duration
    let logger: Logger
    /// Rows read per table for value profiles; a few of them are kept as examples.
    var sampleSize = 100
    static let keptRows = 3
    /// At most this many distinct values make a column "low cardinality" and get listed.
    static let listedValues = 30

    func sample(progress: SamplingProgress) async throws -> SchemaSnapshot {
        try await connection.query("BEGIN READ ONLY", logger: logger)
        do {
            let milliseconds = "\(Int(statementTimeout.inSeconds * 1000))"
            try await connection.query("SELECT set_config('statement_timeout', \(milliseconds), true), set_config('lock_timeout', '2000', true)", logger: logger)
            let snapshot = try await read(progress: progress)
            try await connection.query("ROLLBACK", logger: logger)
            return snapshot
        } catch {
            try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private struct Relation {
        var oid: Int64
        var object: SchemaObject
    }

    private func read(progress: SamplingProgress) async throws -> SchemaSnapshot {
        var notes: [String] = []
        var relations = try await objects(notes: &notes)
        let oids = relations.map(\.oid)
        var byOID: [Int64: Int] = [:]
        for (index, relation) in relations.enumerated() { byOID[relation.oid] = index }
        let statistics = options.sampleValues ? try await self.statistics() : [:]

        for (oid, column) in try await columns(of: oids) {
            guard let index = byOID[oid] else { continue }
            let object = relations[index].object
            guard !options.excludes(schema: object.schema, table: object.name, column: column.name) else {
                relations[index].object.excludedColumnCount += 1
                continue
            }
            var column = column
            if options.samples(column: column.name), let stats = statistics["\(object.schema).\(object.name).\(column.name)"] {
                column.profile = Self.profile(stats, type: column.type, rows: object.rowEstimate)
            }
            relations[index].object.columns.append(column)
        }
        let documented = Set(relations.map(\.object.qualifiedName))
        for constraint in try await constraints(of: oids) {
            guard let index = byOID[constraint.oid] else { continue }
            let object = relations[index].object
            let visible = Set(object.columns.map(\.name))
            // A key over an excluded column would name it: leave such keys out.
            guard constraint.columns.allSatisfy(visible.contains) else { continue }
            switch constraint.type {
            case "p": relations[index].object.primaryKey = constraint.columns
            case "u": relations[index].object.uniqueKeys.append(constraint.columns)
            case "f":
                // A key into a table left out (excluded, unreadable) would point at nothing.
                guard let target = constraint.referencedObject, documented.contains(target) else { continue }
                relations[index].object.foreignKeys.append(ForeignKey(
                    name: constraint.name, columns: constraint.columns, referencedObject: target, referencedColumns: constraint.referencedColumns
                ))
            default: break
            }
        }
        for (oid, definition) in try await indexes(of: oids) {
            if let index = byOID[oid] { relations[index].object.indexes.append(definition) }
        }

        for (done, relation) in relations.enumerated() {
            try await progress(done, relations.count, relation.object.qualifiedName)
            guard options.sampleValues else { continue }
            do {
                relations[done].object = try await withSampledValues(relation.object)
            } catch let error as PSQLError {
                notes.append("\(relation.object.qualifiedName): values not sampled (\(PostgresErrorMessage(error)))")
            }
        }
        try await progress(relations.count, relations.count, "")
        return SchemaSnapshot(source: .postgres, objects: relations.map(\.object), notes: notes, enumTypes: try await enumTypes())
    }

    /// The enum types of the schemas indexed, which casts in questions' queries may name.
    private func enumTypes() async throws -> Set<String> {
        let rows = try await connection.query(
            """
            SELECT n.nspname::text, t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """,
            logger: logger
        )
        var types: Set<String> = []
        for try await (schema, name) in rows.decode((String, String).self) where !options.excludes(schema: schema) {
            types.insert("\(schema).\(name)")
        }
        return types
    }

    private func objects(notes: inout [String]) async throws -> [Relation] {
        let rows = try await connection.query(
            """
            SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text, obj_description(c.oid, 'pg_class'),
                   c.reltuples::float8, has_table_privilege(c.oid, 'SELECT')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
              AND n.nspname NOT LIKE 'pg\\_temp%'
            ORDER BY 2, 3
            """,
            logger: logger
        )
        var relations: [Relation] = []
        var unreadable: [String] = []
        for try await (oid, schema, name, kind, comment, tuples, readable) in rows.decode((Int64, String, String, String, String?, Double, Bool).self) {
            guard !options.excludes(schema: schema, table: name) else { continue }
            guard readable else {
                unreadable.append("\(schema).\(name): skipped, this user may not SELECT from it")
                continue
            }
            let kinds: [String: SchemaObject.Kind] = ["r": .table, "v": .view, "m": .materializedView, "f": .foreignTable, "p": .partitionedTable]
            // reltuples is -1 for a table never vacuumed or analyzed: unknown, not empty.
            let estimate = tuples >= 0 ? Int(tuples) : nil
            relations.append(Relation(oid: oid, object: SchemaObject(schema: schema, name: name, kind: kinds[kind] ?? .table, comment: comment, rowEstimate: estimate)))
        }
        notes += ObjectCap.capped(unreadable) { "\($0) more skipped: this user may not SELECT from them" }
        return ObjectCap.first(relations, limit: maxObjects, schema: { $0.object.schema }, name: { $0.object.name }, notes: &notes)
    }

    private func columns(of oids: [Int64]) async throws -> [(Int64, SchemaColumn)] {
        let rows = try await connection.query(
            """
            SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum)
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid::int8 = ANY(\(oids)) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """,
            logger: logger
        )
        var columns: [(Int64, SchemaColumn)] = []
        for try await (oid, name, type, nullable, defaultValue, comment) in rows.decode((Int64, String, String, Bool, String?, String?).self) {
            columns.append((oid, SchemaColumn(name: name, type: type, nullable: nullable, defaultValue: defaultValue, comment: comment)))
        }
        return columns
    }

    private struct Constraint {
        var oid: Int64
        var type: String
        var name: String
        var columns: [String]
        var referencedObject: String?
        var referencedColumns: [String]
    }

    private func constraints(of oids: [Int64]) async throws -> [Constraint] {
        let rows = try await connection.query(
            """
            SELECT con.conrelid::int8, con.contype::text, con.conname::text,
                   ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
                   CASE WHEN con.contype = 'f' THEN fn.nspname || '.' || fc.relname END,
                   ARRAY(SELECT a.attname::text FROM unnest(coalesce(con.confkey, '{}')) WITH ORDINALITY k(num, ord)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
            FROM pg_constraint con
            LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
            WHERE con.contype IN ('p', 'u', 'f') AND con.conrelid::int8 = ANY(\(oids))
            ORDER BY con.conrelid, con.contype, con.conname
            """,
            logger: logger
        )
        var constraints: [Constraint] = []
        for try await (oid, type, name, columns, target, targetColumns) in rows.decode((Int64, String, String, [String], String?, [String]).self) {
            constraints.append(Constraint(oid: oid, type: type, name: name, columns: columns, referencedObject: target, referencedColumns: targetColumns))
        }
        return constraints
    }

    private func indexes(of oids: [Int64]) async throws -> [(Int64, String)] {
        let rows = try await connection.query(
            "SELECT indrelid::int8, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid::int8 = ANY(\(oids)) ORDER BY indrelid, indexrelid",
            logger: logger
        )
        var indexes: [(Int64, String)] = []
        for try await row in rows.decode((Int64, String).self) { indexes.append(row) }
        return indexes
    }

    struct Statistics {
        var nullFraction: Double
        var distinct: Double
        var commonValues: [String]?
        var histogram: [String]?
    }

    /// pg_stats, which shows only the tables this user may read; keyed `schema.table.column`.
    private func statistics() async throws -> [String: Statistics] {
        let rows = try await connection.query(
            """
            SELECT schemaname::text, tablename::text, attname::text, null_frac::float8, n_distinct::float8,
                   most_common_vals::text::text[], histogram_bounds::text::text[]
            FROM pg_stats WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND NOT inherited
            """,
            logger: logger
        )
        var statistics: [String: Statistics] = [:]
        for try await (schema, table, column, nulls, distinct, common, histogram) in rows.decode((String, String, String, Double, Double, [String]?, [String]?).self) {
            statistics["\(schema).\(table).\(column)"] = Statistics(nullFraction: nulls, distinct: distinct, commonValues: common, histogram: histogram)
        }
        return statistics
    }

    static func profile(_ stats: Statistics, type: String, rows: Int?) -> ValueProfile {
        // Negative n_distinct is a fraction of the rows.
        let distinct = stats.distinct >= 0 ? stats.distinct : -stats.distinct * Double(max(rows ?? 0, 1))
        var profile = ValueProfile(nullFraction: stats.nullFraction, distinctEstimate: distinct.rounded())
        let ordered = ColumnType(type).isOrdered
        if let common = stats.commonValues, !ordered, distinct > 0, distinct <= Double(listedValues), common.count >= Int(distinct) {
            profile.values = common.sorted()
        } else if let common = stats.commonValues, !ordered {
            profile.examples = Array(common.prefix(3)).map { String($0.prefix(60)) }
        }
        if ordered {
            // The histogram leaves out the most common values, which may hold the extremes.
            let candidates = [stats.histogram?.first, stats.histogram?.last].compactMap { $0 } + (stats.commonValues ?? [])
            let sorted = ColumnType(type).sorted(candidates)
            profile.minimum = sorted.first
            profile.maximum = sorted.last
        }
        return profile
    }

    /// Reads up to `sampleSize` rows (a TABLESAMPLE of big tables), keeps a few, and profiles
    /// the columns that pg_stats said nothing about.
    private func withSampledValues(_ object: SchemaObject) async throws -> SchemaObject {
        let readable = object.columns.filter { options.samples(column: $0.name) }
        guard !readable.isEmpty else { return object }
        let list = readable.map { Self.quote($0.name) }.joined(separator: ", ")
        let table = "\(Self.quote(object.schema)).\(Self.quote(object.name))"
        var source = table
        if object.kind == .table || object.kind == .materializedView, let rows = object.rowEstimate, rows > 50_000 {
            source += " TABLESAMPLE SYSTEM (\(max(0.01, min(100, 5000.0 / Double(rows) * 100))))"
        }
        try await connection.query("SAVEPOINT sample", logger: logger)
        var sampled: [[String: JSONValue]] = []
        do {
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM (SELECT \(list) FROM \(source) LIMIT \(sampleSize)) t"), logger: logger
            )
            for try await json in rows.decode(String.self) {
                if case .object(let row)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) { sampled.append(row) }
            }
            try await connection.query("RELEASE SAVEPOINT sample", logger: logger)
        } catch {
            try await connection.query("ROLLBACK TO SAVEPOINT sample", logger: logger)
            throw error
        }
        var object = object
        object.sampleRows = Array(sampled.prefix(Self.keptRows))
        // A sample shorter than asked for is the whole table: it knows every value, which beats
        // pg_stats for small tables of unique names (no most-common values there).
        let wholeTable = sampled.count < sampleSize
        for index in object.columns.indices where options.samples(column: object.columns[index].name) {
            let current = object.columns[index].profile
            guard current == nil || (wholeTable && current?.values == nil && current?.minimum == nil) else { continue }
            let name = object.columns[index].name
            object.columns[index].profile = Self.profile(of: sampled.map { $0[name] ?? .null }, type: object.columns[index].type, wholeTable: wholeTable)
        }
        return object
    }

    static func profile(of values: [JSONValue], type: String, wholeTable: Bool) -> ValueProfile? {
        guard !values.isEmpty else { return nil }
        let present = values.compactMap(\.plainText)
        var profile = ValueProfile(nullFraction: Double(values.count - present.count) / Double(values.count))
        let distinct = Set(present)
        profile.distinctEstimate = Double(distinct.count)
        let kind = ColumnType(type)
        if kind.isOrdered {
            let sorted = kind.sorted(Array(distinct))
            profile.minimum = sorted.first
            profile.maximum = sorted.last
        } else if !distinct.isEmpty, distinct.count <= listedValues, present.count >= 2 * distinct.count || wholeTable {
            profile.values = distinct.sorted()
        } else {
            profile.examples = Array(distinct.sorted().prefix(3)).map { String($0.prefix(60)) }
        }
        return profile
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
