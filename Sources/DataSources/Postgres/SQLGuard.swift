import PostgresSyntax
import SchemaModel
import Support

/// Decides whether generated SQL may run against a user's PostgreSQL database, on PostgreSQL's
/// own parse tree (never by matching substrings): exactly one statement, a plain read
/// (SELECT / WITH / VALUES / TABLE) with no SELECT INTO, locking clause or data-modifying CTE at
/// any depth, functions only from an allow list, no system catalogs, nothing the connection's
/// owner excluded. What the parser cannot parse is refused (fail closed).
///
/// The guard is one layer: execution still runs read-only, time-limited and rolled back.
package struct SQLGuard: Sendable {
    private let options: SamplingOptions
    /// Which table has which columns, to tell whether `*` would read an excluded column.
    private let snapshot: SchemaSnapshot?
    private let allowedFunctions: Set<String>

    package init(options: SamplingOptions = SamplingOptions(), snapshot: SchemaSnapshot? = nil,
                allowedFunctions: Set<String> = SQLGuard.defaultFunctions) {
        self.options = options
        self.snapshot = snapshot
        self.allowedFunctions = allowedFunctions
    }

    /// A query that passed, with the tables it reads.
    package struct Checked: Sendable, Equatable {
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
        var walk = Walk()
        try walk.visit(.object(["SelectStmt": select]))
        let relations = walk.relations.filter { !walk.cteNames.contains($0.name.lowercased()) || $0.schema != nil }
        return Checked(sql: sql, relations: relations.map(\.display), isOrdered: select["sortClause"] != nil)
    }

    /// The one SELECT statement `sql` must be.
    private static func select(in sql: String) throws(QueryRefusal) -> JSONValue {
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
            let kind = statement.objectKeys.first ?? "unknown"
            throw QueryRefusal("not_read_only", "only SELECT, WITH … SELECT, VALUES and TABLE may run, not \(Self.describe(kind))")
        }
        return select
    }

    package func check(_ sql: String) throws(QueryRefusal) -> Checked {
        let select = try Self.select(in: sql)
        var walk = Walk()
        try walk.visit(.object(["SelectStmt": select]))
        for function in walk.functions where !isAllowed(function) {
            throw QueryRefusal("function_not_allowed", "the function \(function) is not allowed in questions' queries")
        }
        let relations = walk.relations.filter { !walk.cteNames.contains($0.name.lowercased()) || $0.schema != nil }
        for relation in relations {
            let schema = relation.schema?.lowercased()
            if ["pg_catalog", "information_schema", "pg_toast"].contains(schema ?? "") || (schema == nil && relation.name.lowercased().hasPrefix("pg_")) {
                throw QueryRefusal("object_not_allowed", "system catalogs (\(relation.display)) may not be queried")
            }
            if options.excludes(schema: relation.schema ?? "public", table: relation.name) {
                throw QueryRefusal("object_not_allowed", "\(relation.display) is excluded for this connection")
            }
        }
        if !options.excludedColumns.isEmpty {
            for relation in relations {
                let schema = relation.schema ?? "public"
                if walk.selectsStar, options.excludedColumns.contains(where: { excluded($0, couldBeIn: relation) }) {
                    throw QueryRefusal("object_not_allowed", "\(relation.display) has excluded columns: name the columns instead of *")
                }
                for column in walk.columns where options.excludes(schema: schema, table: relation.name, column: column) {
                    throw QueryRefusal("object_not_allowed", "the column \(column) is excluded for this connection")
                }
            }
        }
        return Checked(sql: sql, relations: relations.map(\.display), isOrdered: select["sortClause"] != nil)
    }

    private func isAllowed(_ function: Walk.Function) -> Bool {
        guard function.schema == nil || function.schema == "pg_catalog" else { return false }
        return allowedFunctions.contains(function.name)
    }

    /// Whether the excluded column entry may name a column of `relation`. The snapshot never
    /// lists excluded columns, so a bare name is only known not to be there when the table is
    /// known and documented; unknown means yes (fail closed).
    private func excluded(_ excluded: String, couldBeIn relation: Walk.Relation) -> Bool {
        let parts = excluded.lowercased().split(separator: ".").map(String.init)
        switch parts.count {
        case 1:
            guard let snapshot, let object = snapshot.object("\(relation.schema ?? "public").\(relation.name)") else { return true }
            return object.excludedColumnCount > 0
        case 2: return parts[0] == relation.name.lowercased()
        default: return parts[1] == relation.name.lowercased() && parts[0] == (relation.schema ?? "public").lowercased()
        }
    }

    private static func describe(_ node: String) -> String {
        let names = ["InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE", "MergeStmt": "MERGE", "CopyStmt": "COPY",
                     "VariableSetStmt": "SET", "CallStmt": "CALL", "DoStmt": "DO", "LockStmt": "LOCK", "TransactionStmt": "a transaction command",
                     "ExplainStmt": "EXPLAIN", "CreateStmt": "CREATE", "DropStmt": "DROP", "TruncateStmt": "TRUNCATE"]
        return names[node] ?? node.replacingOccurrences(of: "Stmt", with: "").uppercased()
    }

    /// What the walk over the tree collects.
    private struct Walk {
        struct Function: Hashable, CustomStringConvertible {
            var schema: String?
            var name: String
            var description: String { schema.map { "\($0).\(name)" } ?? name }
        }

        struct Relation: Hashable {
            var schema: String?
            var name: String
            var display: String { schema.map { "\($0).\(name)" } ?? name }
        }

        var functions: Set<Function> = []
        var relations: [Relation] = []
        var cteNames: Set<String> = []
        var columns: Set<String> = []
        var selectsStar = false

        static let writes: Set<String> = ["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]

        mutating func visit(_ value: JSONValue) throws(QueryRefusal) {
            switch value {
            case .array(let items):
                for item in items { try visit(item) }
            case .object(let object):
                for (key, child) in object {
                    if Self.writes.contains(key) {
                        throw QueryRefusal("not_read_only", "the query modifies data (a data-modifying WITH or sub-statement)")
                    }
                    switch key {
                    case "intoClause":
                        throw QueryRefusal("not_read_only", "SELECT INTO creates a table; only plain reads may run")
                    case "lockingClause":
                        throw QueryRefusal("not_read_only", "FOR UPDATE/SHARE takes row locks; only plain reads may run")
                    case "FuncCall":
                        let names = (child["funcname"]?.array ?? []).compactMap { $0["String"]?["sval"]?.string?.lowercased() }
                        if let name = names.last { functions.insert(Function(schema: names.count > 1 ? names[names.count - 2] : nil, name: name)) }
                    case "RangeVar":
                        if let name = child["relname"]?.string { relations.append(Relation(schema: child["schemaname"]?.string, name: name)) }
                    case "CommonTableExpr":
                        if let name = child["ctename"]?.string { cteNames.insert(name.lowercased()) }
                    case "ColumnRef":
                        for field in child["fields"]?.array ?? [] {
                            if let name = field["String"]?["sval"]?.string { columns.insert(name) }
                            if field["A_Star"] != nil { selectsStar = true }
                        }
                    default:
                        break
                    }
                    try visit(child)
                }
            default:
                break
            }
        }
    }

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

private extension JSONValue {
    var objectKeys: [String] {
        if case .object(let object) = self { return Array(object.keys) }
        return []
    }
}
