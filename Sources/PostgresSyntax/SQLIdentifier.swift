/// Writes identifiers as a person would: bare when PostgreSQL reads them back unchanged,
/// double-quoted otherwise (capitals, spaces, keywords).
package enum SQLIdentifier {
    /// `name` as it must appear in SQL.
    package static func render(_ name: String) -> String {
        needsQuotes(name) ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
    }

    static func needsQuotes(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return true }
        let plain = name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return !plain || keywords.contains(name)
    }

    /// PostgreSQL's reserved keywords and those that cannot name a column unquoted everywhere.
    private static let keywords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both", "case",
        "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
        "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
        "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from",
        "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
        "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null",
        "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right",
        "select", "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to",
        "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with",
    ]
}
