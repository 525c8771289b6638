import Support

/// What indexing learned about a user's database, as structure rather than text: foreign-key
/// expansion, the query guard and grammar-constrained generation read this.
package struct SchemaSnapshot: Sendable, Codable, Equatable {
    /// The kind of database it describes.
    package var source: ConnectionKind
    /// Tables, views and collections, ordered by qualified name.
    package var objects: [SchemaObject]
    /// What was skipped and why (views we could not read, time-series collections, …).
    package var notes: [String]
    /// The database's own enum types, `schema.name`: casts to them are allowed.
    package var enumTypes: Set<String>

    package init(source: ConnectionKind, objects: [SchemaObject], notes: [String] = [], enumTypes: Set<String> = []) {
        self.source = source
        self.objects = objects.sorted { $0.qualifiedName < $1.qualifiedName }
        self.notes = notes
        self.enumTypes = enumTypes
    }

    enum CodingKeys: String, CodingKey {
        case source, objects, notes, enumTypes
    }

    /// Snapshots stored before enum types were recorded read as having none.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decode(ConnectionKind.self, forKey: .source)
        objects = try container.decode([SchemaObject].self, forKey: .objects)
        notes = try container.decode([String].self, forKey: .notes)
        enumTypes = try container.decodeIfPresent(Set<String>.self, forKey: .enumTypes) ?? []
    }

    /// The object called `qualifiedName` (`schema.table`, or `database.collection`).
    package func object(_ qualifiedName: String) -> SchemaObject? {
        objects.first { $0.qualifiedName == qualifiedName }
    }
}

/// A table, view, materialized view or collection.
package struct SchemaObject: Sendable, Codable, Equatable {
    package enum Kind: String, Sendable, Codable {
        case table, view, materializedView = "materialized_view", foreignTable = "foreign_table", partitionedTable = "partitioned_table"
        case collection
    }

    /// The schema (PostgreSQL) or database (MongoDB) it lives in.
    package var schema: String
    package var name: String
    package var kind: Kind
    package var comment: String?
    /// The planner's estimate (PostgreSQL) or the estimated document count (MongoDB).
    package var rowEstimate: Int?
    /// Columns in order, or a collection's field paths (`address.city`, `items[].sku`).
    package var columns: [SchemaColumn]
    package var primaryKey: [String]
    package var uniqueKeys: [[String]]
    package var foreignKeys: [ForeignKey]
    /// Index definitions as the server states them.
    package var indexes: [String]
    /// A few rows as JSON objects (empty when values are not sampled).
    package var sampleRows: [[String: JSONValue]]
    /// Columns left out because the owner excluded them: the query guard refuses `*` here.
    package var excludedColumnCount: Int

    package init(schema: String, name: String, kind: Kind, comment: String? = nil, rowEstimate: Int? = nil, columns: [SchemaColumn] = [],
                primaryKey: [String] = [], uniqueKeys: [[String]] = [], foreignKeys: [ForeignKey] = [], indexes: [String] = [],
                sampleRows: [[String: JSONValue]] = [], excludedColumnCount: Int = 0) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.comment = comment
        self.rowEstimate = rowEstimate
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
        self.foreignKeys = foreignKeys
        self.indexes = indexes
        self.sampleRows = sampleRows
        self.excludedColumnCount = excludedColumnCount
    }

    package var qualifiedName: String { "\(schema).\(name)" }

    package func column(_ name: String) -> SchemaColumn? { columns.first { $0.name == name } }
}

/// A column, or a collection's field path.
package struct SchemaColumn: Sendable, Codable, Equatable {
    package var name: String
    /// The type as the server writes it (`character varying(40)`), or a field's observed BSON
    /// types joined with `|` (`string|null`).
    package var type: String
    package var nullable: Bool
    package var defaultValue: String?
    package var comment: String?
    /// For a collection's field: the share of sampled documents that have it, 0…1.
    package var frequency: Double?
    /// Nil when values are not sampled for it (privacy options, secret-looking names).
    package var profile: ValueProfile?

    package init(name: String, type: String, nullable: Bool = true, defaultValue: String? = nil, comment: String? = nil,
                frequency: Double? = nil, profile: ValueProfile? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.comment = comment
        self.frequency = frequency
        self.profile = profile
    }
}

/// What a column's values look like, from `pg_stats` or a bounded sample.
package struct ValueProfile: Sendable, Codable, Equatable {
    /// Share of NULLs, 0…1.
    package var nullFraction: Double?
    /// Estimated distinct values (from `pg_stats.n_distinct` or the sample).
    package var distinctEstimate: Double?
    /// Every distinct value, for low-cardinality columns: what lets a model write
    /// `WHERE status = 'shipped'`.
    package var values: [String]?
    package var minimum: String?
    package var maximum: String?
    /// A few example values, for the rest.
    package var examples: [String]?

    package init(nullFraction: Double? = nil, distinctEstimate: Double? = nil, values: [String]? = nil,
                minimum: String? = nil, maximum: String? = nil, examples: [String]? = nil) {
        self.nullFraction = nullFraction
        self.distinctEstimate = distinctEstimate
        self.values = values
        self.minimum = minimum
        self.maximum = maximum
        self.examples = examples
    }
}

/// `columns` of this object reference `referencedColumns` of `referencedObject`.
package struct ForeignKey: Sendable, Codable, Equatable {
    package var name: String?
    package var columns: [String]
    /// Qualified name of the referenced table.
    package var referencedObject: String
    package var referencedColumns: [String]

    package init(name: String? = nil, columns: [String], referencedObject: String, referencedColumns: [String]) {
        self.name = name
        self.columns = columns
        self.referencedObject = referencedObject
        self.referencedColumns = referencedColumns
    }
}
