import PostgresSyntax

/// Puts a projection of its readable columns where a table with excluded columns is named:
/// `customer c` becomes `(SELECT askdb_source."id", askdb_source."name" FROM "public"."customer"
/// AS askdb_source) c`, spliced into the
/// text at the token the parse tree points at. Everything that reads the table (whole-row values,
/// `*`, NATURAL joins, alias column lists) then sees only those columns.
struct SQLTableProjection {
    var table: SQLTreeWalk.TableReference
    var schema: String
    var columns: [String]

    /// `sql` with every projection in place (each table's name, with its `ONLY`, and `TABLE` of
    /// the `TABLE name` form, replaced).
    static func apply(_ projections: [SQLTableProjection], to sql: String) throws(QueryRefusal) -> String {
        let tokens: [PostgresScanner.Token]
        do {
            tokens = try PostgresScanner.tokens(in: sql)
        } catch {
            throw QueryRefusal("syntax_error", "PostgreSQL's lexer rejects the query (\(error))")
        }
        var bytes = Array(sql.utf8)
        let original = bytes
        func word(_ index: Int) -> String {
            guard tokens.indices.contains(index) else { return "" }
            return String(decoding: original[tokens[index].start..<tokens[index].end], as: UTF8.self).lowercased()
        }
        for projection in projections.sorted(by: { $0.table.location > $1.table.location }) {
            let table = projection.table
            guard let first = tokens.firstIndex(where: { $0.start == table.location }) else { throw unplaceable(table) }
            // libpg_query's scanner gives U&"…" names a wrong end: such a name is not placed.
            guard !(first...(first + (table.schema == nil ? 0 : 2))).contains(where: { index in
                tokens.indices.contains(index) && original[tokens[index].start...].prefix(2).map { $0 | 0x20 } == Array("u&".utf8)
            }) else { throw unplaceable(table) }
            let last = first + (table.schema == nil ? 0 : 2)
            guard table.schema == nil || word(first + 1) == "." else { throw unplaceable(table) }
            var (start, end) = (first, last)
            if table.only {
                while word(start - 1) == "(" && word(end + 1) == ")" { (start, end) = (start - 1, end + 1) }
                guard word(start - 1) == "only" else { throw unplaceable(table) }
                start -= 1
            } else if word(end + 1) == "*" {
                end += 1
            }
            let isTableCommand = word(start - 1) == "table"
            if isTableCommand { start -= 1 }
            let text = (isTableCommand ? "SELECT * FROM " : "") + projection.text
            bytes.replaceSubrange(tokens[start].start..<tokens[end].end, with: Array(text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The alias the projection reads its table under: its columns are qualified with it, so a
    /// column gone since the index is an error, never the table's whole row under that name.
    static let sourceAlias = "askdb_source"

    private var text: String {
        let source = (table.only ? "ONLY " : "") + Self.quoted(schema) + "." + Self.quoted(table.name) + " AS " + Self.sourceAlias
        return "(SELECT " + columns.map { Self.sourceAlias + "." + Self.quoted($0) }.joined(separator: ", ") + " FROM " + source + ")"
            + (table.hasAlias ? "" : " AS " + Self.quoted(table.name))
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    private static func unplaceable(_ table: SQLTreeWalk.TableReference) -> QueryRefusal {
        QueryRefusal("object_not_allowed", "\(table.display) has excluded columns and cannot be read as written here: name it plainly, as schema.table with an alias")
    }
}
