import PostgresNIO

extension Error {
    /// The SQLSTATE of a PostgreSQL error, when this is one.
    package var postgresSQLState: String? {
        (self as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether this is a unique-constraint violation (SQLSTATE 23505).
    package var isUniqueViolation: Bool { postgresSQLState == "23505" }
}
