import PostgresNIO

extension Error {
    /// The SQLSTATE of a PostgreSQL error, when this is one.
    package var postgresSQLState: String? {
        (self as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether this is a unique-constraint violation (SQLSTATE 23505).
    package var isUniqueViolation: Bool { postgresSQLState == "23505" }

    /// Whether this is a foreign-key violation (SQLSTATE 23503): the row it points at is gone.
    package var isForeignKeyViolation: Bool { postgresSQLState == "23503" }
}
