/// A generated schema of many plausible, unrelated-looking tables, for scale: names from
/// business domains and entities, a comment each, a primary key, foreign keys to earlier tables
/// of the same domain, and a few rows. Deterministic for a given size and seed.
package struct SyntheticSchema: Sendable {
    package var schema: String
    package var tables: Int
    package var seed: UInt64

    package init(schema: String = "public", tables: Int, seed: UInt64 = 1) {
        self.schema = schema
        self.tables = tables
        self.seed = seed
    }

    static let domains = ["sales", "hr", "inventory", "finance", "crm", "logistics", "billing", "support", "marketing", "analytics",
                          "procurement", "payroll", "fleet", "legal", "quality", "research"]
    static let entities = ["account", "asset", "audit", "batch", "budget", "campaign", "case", "category", "claim", "contract",
                           "delivery", "device", "document", "event", "forecast", "grant", "incident", "item", "journal", "lead",
                           "ledger", "license", "location", "meeting", "milestone", "note", "offer", "opportunity", "package",
                           "partner", "payment", "permit", "plan", "policy", "position", "project", "quote", "rate", "receipt",
                           "region", "request", "reservation", "review", "route", "schedule", "segment", "shift", "shipment",
                           "skill", "snapshot", "subscription", "survey", "target", "task", "territory", "timesheet", "transfer",
                           "vehicle", "visit", "warranty"]
    static let statuses = [["open", "closed", "pending"], ["active", "inactive"], ["draft", "approved", "rejected", "archived"]]

    /// Table names in creation order.
    package var tableNames: [String] {
        (0..<tables).map { index in
            let domain = Self.domains[index % Self.domains.count]
            let entity = Self.entities[(index / Self.domains.count + Int(seed)) % Self.entities.count]
            return "\(domain)_\(entity)_\(index)"
        }
    }

    /// SQL statements that create and fill the schema, one statement each.
    package var statements: [String] {
        var statements: [String] = []
        if schema != "public" { statements.append("CREATE SCHEMA IF NOT EXISTS \(schema)") }
        let names = tableNames
        for (index, name) in names.enumerated() {
            let domain = Self.domains[index % Self.domains.count]
            let entity = name.split(separator: "_").dropFirst().first.map(String.init) ?? "item"
            // The same domain's previous table, if any: a parent to reference.
            let parent = index >= Self.domains.count ? names[index - Self.domains.count] : nil
            let statuses = Self.statuses[index % Self.statuses.count]
            var columns = [
                "id bigint PRIMARY KEY",
                "\(entity)_name text NOT NULL",
                "status text NOT NULL",
                "amount numeric(12,2)",
                "created_on date NOT NULL",
            ]
            if let parent { columns.append("\(parent.split(separator: "_").dropFirst().first ?? "parent")_id bigint REFERENCES \(schema).\(parent) (id)") }
            statements.append("CREATE TABLE \(schema).\(name) (\n    \(columns.joined(separator: ",\n    "))\n)")
            statements.append("COMMENT ON TABLE \(schema).\(name) IS '\(domain.capitalized) \(entity) records (\(index))'")
            let rows = (1...3).map { row in
                let status = statuses[(row + index) % statuses.count]
                let parentValue = parent == nil ? "" : ", \(row)"
                return "(\(row), '\(entity.capitalized) \(row)', '\(status)', \(Double(row * 10 + index % 97) + 0.5), DATE '2024-01-01' + \(row * 7 + index % 30)\(parentValue))"
            }
            statements.append("INSERT INTO \(schema).\(name) VALUES \(rows.joined(separator: ", "))")
        }
        return statements
    }
}
