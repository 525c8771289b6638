import PostgresSyntax
import SchemaModel
import Support

/// Decides whether generated SQL may run against a user's PostgreSQL database, on PostgreSQL's
/// own parse tree (never by matching substrings): exactly one statement, a plain read
/// (SELECT / WITH / VALUES / TABLE) with no SELECT INTO, locking clause or data-modifying CTE at
/// any depth; functions, casts and operators from allow lists; only tables of the connection's
/// index, resolved as PostgreSQL resolves them under the search path the runner pins (CTEs by
/// their scope, quoted names by case, no system catalogs). A table with excluded columns is
/// rewritten into a projection of its other columns, so no way of reading it sees them; the
/// rewritten text is checked again and must pass unchanged (the guard is a fixed point). What the
/// parser cannot parse is refused (fail closed).
///
/// The guard is one layer: execution still runs read-only, time-limited and rolled back.
package struct SQLGuard: Sendable {
    private let options: SamplingOptions
    /// The tables the connection's index knows, with their columns.
    private let snapshot: SchemaSnapshot
    private let allowedFunctions: Set<String>

    /// The schema an unqualified table name means: the runner pins `search_path` to
    /// `pg_catalog, public`, and every `pg_*` name is refused, so nothing else can be meant.
    package static let defaultSchema = "public"

    /// Bounds what one check may cost: a table named thousands of times is a denial of service,
    /// not a question; and libpg_query recurses for each operator of a chain (`1+1+…`), so the
    /// tokens are counted before it parses.
    static let maximumTableReferences = 256
    static let maximumTokens = 10_000

    package init(options: SamplingOptions = SamplingOptions(), snapshot: SchemaSnapshot,
                allowedFunctions: Set<String> = SQLGuard.defaultFunctions) {
        self.options = options
        self.snapshot = snapshot
        self.allowedFunctions = allowedFunctions
    }

    /// A query that passed, with the tables it reads.
    package struct Checked: Sendable, Equatable {
        /// What runs: the query as written, or with its tables' excluded columns projected away.
        package var sql: String
        /// `schema.table` or a bare name, as written (CTE names left out).
        package var relations: [String]
        /// The statement sorts its rows (a top-level ORDER BY).
        package var isOrdered: Bool
    }

    /// The tables a statement reads and whether it sorts its rows, without judging it: for
    /// trusted SQL, such as an evaluation's gold queries.
    package static func inspect(_ sql: String) throws(QueryRefusal) -> Checked {
        let select = try Self.select(in: sql)
        let walk = SQLTreeWalk(select)
        return Checked(sql: sql, relations: walk.tables.map(\.display), isOrdered: select["sortClause"] != nil)
    }

    package func check(_ sql: String) throws(QueryRefusal) -> Checked {
        let (checked, projections) = try examine(sql)
        guard !projections.isEmpty else { return checked }
        let (projected, again) = try examine(try SQLTableProjection.apply(projections, to: sql))
        guard again.isEmpty else {
            throw QueryRefusal("object_not_allowed", "the query reads tables with excluded columns in a way that cannot be confined: name their columns")
        }
        return projected
    }

    /// The verdict on `sql` as it stands, and the projections it still needs.
    private func examine(_ sql: String) throws(QueryRefusal) -> (Checked, [SQLTableProjection]) {
        let select = try Self.select(in: sql)
        let walk = SQLTreeWalk(select)
        if let refusal = walk.refusals.first { throw refusal }
        for function in walk.functions where !isAllowed(function) {
            throw QueryRefusal("function_not_allowed", "the function \(function) is not allowed in questions' queries")
        }
        for type in walk.types where !isAllowed(type: type) {
            throw QueryRefusal("type_not_allowed", "casts to \(type.joined(separator: ".")) are not allowed: use an ordinary type such as text, integer, numeric, date or timestamp")
        }
        guard walk.tables.count <= Self.maximumTableReferences else {
            throw QueryRefusal("too_costly", "the query names tables \(walk.tables.count) times; at most \(Self.maximumTableReferences)")
        }
        let mentioned = Set(walk.columns.map { $0.lowercased() })
        var excludedByObject: [String: Set<String>] = [:]
        var projections: [SQLTableProjection] = []
        for table in walk.tables {
            let object = try resolve(table)
            let excluded: Set<String>
            if let known = excludedByObject[object.qualifiedName] {
                excluded = known
            } else {
                excluded = options.excludedColumnNames(schema: object.schema, table: object.name)
                if let column = excluded.first(where: mentioned.contains) {
                    throw QueryRefusal("object_not_allowed", "the column \(column) is excluded for this connection")
                }
                excludedByObject[object.qualifiedName] = excluded
            }
            // Columns may be hidden: some were left out when it was indexed, or an exclusion
            // names one now (a bare name names one in every table, even one added since).
            guard object.excludedColumnCount > 0 || !excluded.isEmpty else { continue }
            let readable = object.columns.map(\.name).filter { !excluded.contains($0.lowercased()) }
            guard !readable.isEmpty else {
                throw QueryRefusal("object_not_allowed", "every column of \(table.display) is excluded for this connection")
            }
            if let projected = walk.projections[table.location], Set(projected).isSubset(of: readable) { continue }
            projections.append(SQLTableProjection(table: table, schema: object.schema, columns: readable))
        }
        return (Checked(sql: sql, relations: walk.tables.map(\.display), isOrdered: select["sortClause"] != nil), projections)
    }

    /// The one SELECT statement `sql` must be.
    private static func select(in sql: String) throws(QueryRefusal) -> JSONValue {
        // The parser reads a C string: a NUL would hide what follows it.
        guard !sql.utf8.contains(0) else { throw QueryRefusal("syntax_error", "the query holds a NUL character") }
        let tokens = (try? PostgresScanner.tokens(in: sql).count) ?? 0
        guard tokens <= maximumTokens else {
            throw QueryRefusal("too_costly", "the query has \(tokens) tokens; at most \(maximumTokens) can be checked")
        }
        let tree: JSONValue
        do {
            tree = try PostgresParser.parse(sql)
        } catch {
            throw QueryRefusal("syntax_error", "PostgreSQL's grammar rejects the query (\(error)); write one valid SELECT")
        }
        let statements = tree["stmts"]?.array ?? []
        guard statements.count == 1, let statement = statements[0]["stmt"] else {
            throw QueryRefusal("not_one_statement", "exactly one statement is allowed, not \(statements.count)")
        }
        guard case .object(let node) = statement, node.count == 1, let select = node["SelectStmt"] else {
            let kind = statement.objectValue?.keys.first ?? "unknown"
            throw QueryRefusal("not_read_only", "only SELECT, WITH … SELECT, VALUES and TABLE may run, not \(Self.describe(kind))")
        }
        return select
    }

    /// The index's object a table reference means, or why it may not be read.
    private func resolve(_ table: SQLTreeWalk.TableReference) throws(QueryRefusal) -> SchemaObject {
        let schema = table.schema ?? Self.defaultSchema
        let system = ["pg_catalog", "information_schema"].contains(schema) || schema.hasPrefix("pg_toast") || schema.hasPrefix("pg_temp")
        if system || (table.schema == nil && table.name.hasPrefix("pg_")) {
            throw QueryRefusal("object_not_allowed", "system catalogs (\(table.display)) may not be queried")
        }
        if options.excludes(schema: schema, table: table.name) {
            throw QueryRefusal("object_not_allowed", "\(table.display) is excluded for this connection")
        }
        guard let object = snapshot.object("\(schema).\(table.name)") else {
            throw QueryRefusal("object_not_allowed", "\(table.display) is not a table of this connection's index: use the tables listed")
        }
        return object
    }

    private func isAllowed(_ function: SQLTreeWalk.Function) -> Bool {
        guard function.schema == nil || function.schema == "pg_catalog" else { return false }
        return allowedFunctions.contains(function.name)
    }

    /// Ordinary built-in types, and the connection's own enum types.
    private func isAllowed(type names: [String]) -> Bool {
        switch names.count {
        case 1: return Self.ordinaryTypes.contains(names[0]) || snapshot.enumTypes.contains("\(Self.defaultSchema).\(names[0])")
        case 2: return (names[0] == "pg_catalog" && Self.ordinaryTypes.contains(names[1])) || snapshot.enumTypes.contains("\(names[0]).\(names[1])")
        default: return false
        }
    }

    private static func describe(_ node: String) -> String {
        let names = ["InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE", "CopyStmt": "COPY",
                     "VariableSetStmt": "SET", "CallStmt": "CALL", "DoStmt": "DO", "LockStmt": "LOCK", "TransactionStmt": "a transaction command",
                     "ExplainStmt": "EXPLAIN", "CreateStmt": "CREATE", "DropStmt": "DROP", "TruncateStmt": "TRUNCATE"]
        return names[node] ?? node.replacingOccurrences(of: "Stmt", with: "").uppercased()
    }

    /// Types a cast may name, as the parser spells them (`integer` is `pg_catalog.int4`): numbers,
    /// text, times, booleans, JSON and a few value types. Not `reg*` (they read the catalogs),
    /// `xml`, domains or other user-defined types.
    static let ordinaryTypes: Set<String> = [
        "bool", "boolean", "int2", "int4", "int8", "smallint", "integer", "int", "bigint", "float4", "float8", "real", "numeric",
        "decimal", "money", "text", "varchar", "bpchar", "char", "character", "name", "date", "time", "timetz", "timestamp",
        "timestamptz", "interval", "json", "jsonb", "uuid", "bytea", "bit", "varbit", "inet", "cidr", "macaddr", "macaddr8",
    ]

    /// Functions that only compute: aggregates, window functions, maths, text, dates, JSON,
    /// arrays. Everything else (file, session, lock, sequence, network and SQL-running
    /// functions such as pg_read_file, set_config, nextval, pg_advisory_lock, dblink,
    /// query_to_xml, pg_sleep) is refused by not being here.
    package static let defaultFunctions: Set<String> = [
        // aggregates
        "count", "sum", "avg", "min", "max", "array_agg", "string_agg", "bool_and", "bool_or", "every", "stddev", "stddev_pop",
        "stddev_samp", "variance", "var_pop", "var_samp", "percentile_cont", "percentile_disc", "mode", "json_agg", "jsonb_agg",
        "json_object_agg", "jsonb_object_agg", "corr", "covar_pop", "covar_samp", "regr_slope", "regr_intercept", "regr_r2",
        "regr_count", "bit_and", "bit_or",
        // window functions
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
        // maths
        "abs", "ceil", "ceiling", "floor", "round", "trunc", "sign", "sqrt", "cbrt", "power", "pow", "exp", "ln", "log", "log10",
        "mod", "div", "pi", "degrees", "radians", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "width_bucket", "random",
        "gcd", "lcm", "factorial", "scale",
        // text
        "length", "char_length", "character_length", "octet_length", "bit_length", "lower", "upper", "initcap", "trim", "btrim",
        "ltrim", "rtrim", "substr", "substring", "left", "right", "replace", "concat", "concat_ws", "position", "strpos",
        "split_part", "lpad", "rpad", "repeat", "reverse", "format", "regexp_replace", "regexp_match", "regexp_matches",
        "regexp_split_to_array", "regexp_split_to_table", "regexp_like", "regexp_count", "starts_with", "translate", "md5",
        "to_char", "to_number", "to_date", "to_timestamp", "string_to_array", "array_to_string", "overlay", "normalize",
        "ascii", "chr", "unaccent",
        // dates and times
        "now", "current_date", "current_timestamp", "localtimestamp", "date_trunc", "date_part", "extract", "age", "make_date",
        "make_time", "make_timestamp", "make_timestamptz", "make_interval", "justify_days", "justify_hours", "justify_interval",
        "timezone", "date_bin", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "isfinite",
        // JSON
        "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "to_json", "to_jsonb",
        "json_extract_path", "jsonb_extract_path", "json_extract_path_text", "jsonb_extract_path_text", "json_array_elements",
        "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text", "json_each", "jsonb_each",
        "json_each_text", "jsonb_each_text", "json_object_keys", "jsonb_object_keys", "json_array_length",
        "jsonb_array_length", "json_typeof", "jsonb_typeof", "jsonb_strip_nulls", "jsonb_path_query", "jsonb_path_exists",
        // arrays and sets
        "array_length", "cardinality", "unnest", "array_position", "array_positions", "array_remove", "array_append",
        "array_prepend", "array_cat", "array_upper", "array_lower", "generate_series",
        // conditionals and conversions written as calls
        "coalesce", "nullif", "greatest", "least", "num_nulls", "num_nonnulls",
    ]
}
