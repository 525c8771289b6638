import SchemaModel

/// The one registration of each kind's dialect.
package enum SourceDialects {
    package static func dialect(for kind: ConnectionKind) -> any SourceDialect {
        switch kind {
        case .postgres: PostgresDialect()
        case .mongodb: MongoDialect()
        }
    }
}

extension ConnectionKind {
    /// What differs for this kind of database.
    package var dialect: any SourceDialect { SourceDialects.dialect(for: self) }
}
