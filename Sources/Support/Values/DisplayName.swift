/// A name a person gives something (a connection, an API key): trimmed, and 1 to `maximum`
/// characters as PostgreSQL's `length()` and JSON Schema's `maxLength` count them (Unicode
/// scalars). Counting Swift characters instead let a name of 100 combining marks on a few letters
/// past the check and into the table's constraint, which answered 500.
package struct DisplayName: Sendable, Hashable {
    package let value: String

    package init(_ raw: String, maximum: Int) throws(AskDBError) {
        let name = raw.trimmed()
        guard (1...maximum).contains(name.unicodeScalars.count) else {
            throw .invalid("invalid_name", "name must be 1 to \(maximum) characters")
        }
        value = name
    }
}
