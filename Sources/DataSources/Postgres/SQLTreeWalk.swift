import Support

/// One walk over a SELECT's parse tree, scoping names as PostgreSQL does: the tables it reads
/// (a name is a CTE only where that CTE is visible), the functions and types it names, the
/// columns it mentions, and every construct a plain read may not use.
struct SQLTreeWalk {
    /// A table (or view) the statement reads, as written.
    struct TableReference {
        var schema: String?
        var name: String
        /// Byte offset of the name in the statement text.
        var location: Int
        var hasAlias: Bool
        /// `ONLY name`: without inheritance children.
        var only: Bool
        var display: String { schema.map { "\($0).\(name)" } ?? name }
    }

    struct Function: Hashable, CustomStringConvertible {
        var schema: String?
        var name: String
        var description: String { schema.map { "\($0).\(name)" } ?? name }
    }

    private(set) var tables: [TableReference] = []
    private(set) var functions: Set<Function> = []
    /// Type names of casts and column definitions, as the parser spells them (`pg_catalog.int4`).
    private(set) var types: [[String]] = []
    /// Every name in a column reference (`c.email` gives `c` and `email`).
    private(set) var columns: Set<String> = []
    /// Tables read only through a projection of plain columns, `(SELECT a, b FROM s.t)`: the
    /// form the guard's own rewrite takes, keyed by the table's location, with the columns.
    private(set) var projections: [Int: [String]] = [:]
    /// What a read may not do, in the order met.
    private(set) var refusals: [QueryRefusal] = []

    init(_ select: JSONValue) {
        visit("SelectStmt", select, ctes: [])
    }

    private mutating func visit(_ value: JSONValue, ctes: Set<String>) {
        switch value {
        case .array(let items):
            for item in items { visit(item, ctes: ctes) }
        case .object(let object):
            for (key, child) in object { visit(key, child, ctes: ctes) }
        default:
            break
        }
    }

    private mutating func visit(_ key: String, _ child: JSONValue, ctes: Set<String>) {
        switch key {
        // The two sides of a UNION, INTERSECT or EXCEPT come without the node's name.
        case "SelectStmt", "larg", "rarg":
            return visitSelect(child, ctes: ctes)
        case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt":
            refuse("not_read_only", "the query modifies data (a data-modifying WITH or sub-statement)")
        case "intoClause":
            refuse("not_read_only", "SELECT INTO creates a table; only plain reads may run")
        case "lockingClause":
            refuse("not_read_only", "FOR UPDATE/SHARE takes row locks; only plain reads may run")
        case "RangeVar":
            return record(table: child, ctes: ctes)
        case "RangeSubselect":
            if let (location, columns) = Self.projection(child) { projections[location] = columns }
        case "FuncCall":
            let names = Self.names(child["funcname"])
            if let name = names.last {
                functions.insert(Function(schema: names.count > 1 ? names[names.count - 2] : nil, name: name))
                if let problem = Self.unboundedSize(name, arguments: child["args"]?.array ?? []) { refuse("function_not_allowed", problem) }
            }
        case "typeName", "TypeName":
            if child["pct_type"] != nil { refuse("type_not_allowed", "%TYPE references are not allowed") }
            types.append(Self.names(child["names"]))
        case "SQLValueFunction":
            if let op = child["op"]?.string, !Self.timeFunctions.contains(op) {
                refuse("function_not_allowed", "\(Self.keyword(op)) tells who is connected; questions' queries may not ask")
            }
        case "A_Expr", "SubLink":
            // An operator qualified with a schema can be anyone's function (`= ANY` keeps its
            // operator in the SubLink).
            if Self.names(child["name"] ?? child["operName"]).count > 1 {
                refuse("operator_not_allowed", "OPERATOR(schema.op) is not allowed: write the operator itself")
            }
        case "SortBy":
            if child["useOp"] != nil { refuse("operator_not_allowed", "ORDER BY … USING is not allowed: use ASC or DESC") }
        case "RangeTableSample":
            let method = Self.names(child["method"])
            if !(method == ["bernoulli"] || method == ["system"] || method == ["pg_catalog", "bernoulli"] || method == ["pg_catalog", "system"]) {
                refuse("construct_not_allowed", "TABLESAMPLE may use BERNOULLI or SYSTEM only")
            }
        case "XmlExpr", "XmlSerialize", "RangeTableFunc":
            refuse("construct_not_allowed", "XML constructs are not allowed in questions' queries")
        case "ColumnRef":
            let names = Self.names(child["fields"])
            columns.formUnion(names)
            // The parser's grammar is PostgreSQL 15's, where SYSTEM_USER is not yet the keyword
            // the server (16 and later) runs as a function.
            if names == ["system_user"] { refuse("function_not_allowed", "SYSTEM_USER tells who is connected; questions' queries may not ask") }
        default:
            break
        }
        visit(child, ctes: ctes)
    }

    /// A SELECT's own WITH list scopes its CTEs: without RECURSIVE each is visible to the ones
    /// after it and to the body, not to itself; with RECURSIVE every one sees all of them. An
    /// outer CTE stays visible inside unless an inner one of the same name hides it.
    private mutating func visitSelect(_ select: JSONValue, ctes: Set<String>) {
        guard var fields = select.objectValue else { return }
        var scope = ctes
        if let with = fields.removeValue(forKey: "withClause") {
            let list = with["ctes"]?.array ?? []
            let names = list.compactMap { $0["CommonTableExpr"]?["ctename"]?.string }
            let recursive = with["recursive"] == .bool(true)
            for (index, cte) in list.enumerated() {
                visit(cte, ctes: ctes.union(recursive ? names : Array(names.prefix(index))))
            }
            scope.formUnion(names)
        }
        for (key, child) in fields { visit(key, child, ctes: scope) }
    }

    private mutating func record(table: JSONValue, ctes: Set<String>) {
        guard let name = table["relname"]?.string, let location = table["location"]?.int else { return }
        let schema = table["schemaname"]?.string
        if schema == nil, ctes.contains(name) { return }
        if table["catalogname"] != nil { refuse("object_not_allowed", "names qualified with a database are not allowed") }
        tables.append(TableReference(schema: schema, name: name, location: Int(location), hasAlias: table["alias"] != nil,
                                     only: table["inh"] != .bool(true)))
    }

    private mutating func refuse(_ code: String, _ message: String) {
        refusals.append(QueryRefusal(code, message))
    }

    /// `(SELECT s.a, s.b FROM schema.t AS s)` and nothing more, the columns qualified with the
    /// table's alias (a bare name that is no column would be the whole row): its table's
    /// location and the columns.
    private static func projection(_ subselect: JSONValue) -> (Int, [String])? {
        guard let select = subselect["subquery"]?["SelectStmt"]?.objectValue,
              Set(select.keys).isSubset(of: ["targetList", "fromClause", "limitOption", "op"]),
              select["op"]?.string == "SETOP_NONE", select["limitOption"]?.string == "LIMIT_OPTION_DEFAULT",
              let from = select["fromClause"]?.array, from.count == 1, let table = from[0]["RangeVar"],
              table["schemaname"] != nil, let alias = table["alias"]?["aliasname"]?.string, table["alias"]?["colnames"] == nil,
              let location = table["location"]?.int, let targets = select["targetList"]?.array, !targets.isEmpty
        else { return nil }
        var columns: [String] = []
        for target in targets {
            guard let target = target["ResTarget"], target["name"] == nil, let fields = target["val"]?["ColumnRef"]?["fields"]?.array,
                  fields.count == 2, fields[0]["String"]?["sval"]?.string == alias, let column = fields[1]["String"]?["sval"]?.string
            else { return nil }
            columns.append(column)
        }
        return (Int(location), columns)
    }

    /// The largest count or width a string function may be given: PostgreSQL folds a call on
    /// constants while planning, so `repeat('x', 1000000000)` would take a gigabyte before any
    /// cost check or timeout.
    static let maximumSize = 10_000

    /// Why a call could build an unbounded value: `repeat`, `lpad` and `rpad` need a literal
    /// count up to ``maximumSize``; `format` a literal template whose widths stay under it.
    private static func unboundedSize(_ function: String, arguments: [JSONValue]) -> String? {
        switch function {
        case "repeat", "lpad", "rpad":
            let count = arguments.count > 1 ? arguments[1]["A_Const"].map { $0["ival"]?["ival"]?.int ?? 0 } : nil
            guard let count, count <= maximumSize else { return "\(function) needs a literal count of at most \(maximumSize)" }
        case "format":
            guard let template = arguments.first?["A_Const"]?["sval"]?["sval"]?.string,
                  !template.contains("*"), !template.split(separator: "%", omittingEmptySubsequences: false).dropFirst().contains(where: { $0.prefix(while: { $0.isNumber || $0 == "-" || $0 == "$" }).filter(\.isNumber).count > 4 })
            else { return "format needs a literal template without * and with widths under \(maximumSize)" }
        default:
            break
        }
        return nil
    }

    private static func names(_ list: JSONValue?) -> [String] {
        (list?.array ?? []).compactMap { $0["String"]?["sval"]?.string }
    }

    /// CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP (with or without
    /// a precision); CURRENT_USER, SESSION_USER, CURRENT_ROLE, USER, CURRENT_CATALOG and
    /// CURRENT_SCHEMA are not among them.
    private static let timeFunctions: Set<String> = [
        "SVFOP_CURRENT_DATE", "SVFOP_CURRENT_TIME", "SVFOP_CURRENT_TIME_N", "SVFOP_CURRENT_TIMESTAMP", "SVFOP_CURRENT_TIMESTAMP_N",
        "SVFOP_LOCALTIME", "SVFOP_LOCALTIME_N", "SVFOP_LOCALTIMESTAMP", "SVFOP_LOCALTIMESTAMP_N",
    ]

    private static func keyword(_ op: String) -> String {
        String(op.dropFirst("SVFOP_".count))
    }
}
