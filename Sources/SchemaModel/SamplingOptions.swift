/// What a connection's owner lets indexing read, from the connection's options.
package struct SamplingOptions: Sendable, Codable, Equatable {
    /// False: no values at all (no sample rows, no value profiles), only structure.
    package var sampleValues: Bool
    /// Schemas (PostgreSQL) or databases (MongoDB) neither sampled nor documented.
    package var excludedSchemas: [String]
    /// `schema.table` (or a bare table name, for every schema).
    package var excludedTables: [String]
    /// `schema.table.column`, `table.column` or a bare column name.
    package var excludedColumns: [String]

    package init(sampleValues: Bool = true, excludedSchemas: [String] = [], excludedTables: [String] = [], excludedColumns: [String] = []) {
        self.sampleValues = sampleValues
        self.excludedSchemas = excludedSchemas
        self.excludedTables = excludedTables
        self.excludedColumns = excludedColumns
    }

    enum CodingKeys: String, CodingKey {
        case sampleValues = "sample_values"
        case excludedSchemas = "excluded_schemas"
        case excludedTables = "excluded_tables"
        case excludedColumns = "excluded_columns"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sampleValues = try container.decodeIfPresent(Bool.self, forKey: .sampleValues) ?? true
        excludedSchemas = try container.decodeIfPresent([String].self, forKey: .excludedSchemas) ?? []
        excludedTables = try container.decodeIfPresent([String].self, forKey: .excludedTables) ?? []
        excludedColumns = try container.decodeIfPresent([String].self, forKey: .excludedColumns) ?? []
    }

    /// The options as one string, the same for the same options: for keys of what they decide.
    package var fingerprint: String {
        let lists = [excludedSchemas, excludedTables, excludedColumns].map { $0.map { $0.lowercased() }.sorted().joined(separator: "\u{1F}") }
        return ([sampleValues ? "values" : "structure"] + lists).joined(separator: "\u{1E}")
    }

    package func excludes(schema: String) -> Bool {
        excludedSchemas.contains { $0.lowercased() == schema.lowercased() }
    }

    package func excludes(schema: String, table: String) -> Bool {
        if excludes(schema: schema) { return true }
        let qualified = "\(schema).\(table)".lowercased()
        return excludedTables.contains { $0.lowercased() == qualified || $0.lowercased() == table.lowercased() }
    }

    package func excludes(schema: String, table: String, column: String) -> Bool {
        let names = ["\(schema).\(table).\(column)", "\(table).\(column)", column].map { $0.lowercased() }
        return excludedColumns.contains { names.contains($0.lowercased()) }
    }

    /// The names (lower-cased) of the columns of table `schema.table` that are excluded: bare
    /// names, and names qualified with this table. The verdicts of
    /// ``excludes(schema:table:column:)`` for column names without a dot, for checking many at once.
    package func excludedColumnNames(schema: String, table: String) -> Set<String> {
        let table = table.lowercased() + ".", qualified = schema.lowercased() + "." + table
        var names: Set<String> = []
        for entry in excludedColumns.map({ $0.lowercased() }) {
            if entry.hasPrefix(qualified) {
                names.insert(String(entry.dropFirst(qualified.count)))
            } else if entry.hasPrefix(table) {
                names.insert(String(entry.dropFirst(table.count)))
            } else if !entry.contains(".") {
                names.insert(entry)
            }
        }
        return names
    }

    /// Whether values of this column may be read: never for secret-looking names.
    package func samples(column: String) -> Bool {
        sampleValues && !Self.looksSecret(column)
    }

    /// Column names whose values are never sampled, whatever the options say.
    static let secretWords = [
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "ssn", "social_security", "credit_card",
        "card_number", "cardnumber", "cvv", "cvc", "iban", "pin", "salt", "hash", "private_key", "privatekey", "otp", "auth",
    ]

    /// True for names such as `password_hash`, `apiToken`, `user_ssn`.
    package static func looksSecret(_ column: String) -> Bool {
        let lowered = column.lowercased()
        let words = Set(lowered.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        return secretWords.contains { word in
            word.contains("_") ? lowered.contains(word) : (words.contains(word) || (word.count >= 5 && lowered.contains(word)))
        }
    }
}
