/// How many of a database's tables and collections one index run documents
/// (`ASKDB_MAX_OBJECTS_PER_INDEX`), and which: the first by schema (a MongoDB database) and
/// then name, each in byte order, of those the options do not exclude. The same database so
/// always gives the same ones, and a 50,000-table database takes minutes of an indexer, not hours.
package enum ObjectCap {
    /// `ASKDB_MAX_OBJECTS_PER_INDEX`'s default.
    package static let defaultLimit = 5000
    /// Notes naming objects one by one stop after this many; one more says how many followed.
    static let namedNotes = 20

    /// `objects` as they are when they are at most `limit`; else the first `limit` by the rule,
    /// in its order, noting how many were left out.
    static func first<T>(_ objects: [T], limit: Int, schema: (T) -> String, name: (T) -> String, notes: inout [String]) -> [T] {
        guard objects.count > limit else { return objects }
        let ordered = objects.sorted { a, b in
            let (sa, sb) = (schema(a), schema(b))
            return sa == sb ? name(a).utf8.lexicographicallyPrecedes(name(b).utf8) : sa.utf8.lexicographicallyPrecedes(sb.utf8)
        }
        notes.append("indexed the first \(limit) of \(ordered.count) tables and collections, by schema and then name; "
                     + "\(ordered.count - limit) were left out (the server's limit per index: exclude schemas or tables to index others)")
        return Array(ordered.prefix(limit))
    }

    /// `notes` as given, at most ``namedNotes`` of them, then one saying how many more there were.
    static func capped(_ notes: [String], summary: (Int) -> String) -> [String] {
        guard notes.count > namedNotes else { return notes }
        return Array(notes.prefix(namedNotes)) + [summary(notes.count - namedNotes)]
    }
}
