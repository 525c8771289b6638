import Foundation
import Mongo
import PostgresNIO
import Support

/// The databases ``RedTeamCorpus`` attacks: a PostgreSQL one and a MongoDB one whose excluded
/// columns, tables, schemas, fields, collections and databases hold canaries (every one starts
/// with ``marker``), with what a connection's options must say to exclude them, what is
/// searched for them, and a checksum of each database to tell it was not changed.
package enum RedTeamFixtures {
    /// Every canary starts with this; no case of the corpus names it.
    package static let marker = "cnry"

    /// The excerpts of `text` (40 characters on each side) that show a canary: as written in
    /// any case, reversed, as hex, or as base64 at any of its three alignments.
    package static func canaries(in text: String) -> [String] {
        var found: [String] = []
        for needle in [marker, String(marker.reversed()), marker.utf8.map { String(format: "%02x", $0) }.joined()] {
            found += excerpts(of: needle, in: text, options: .caseInsensitive)
        }
        for needle in base64Forms { found += excerpts(of: needle, in: text, options: []) }
        return found
    }

    /// Regular expressions (for PostgreSQL's `~*` and `~`) that together match what
    /// ``canaries(in:)`` finds.
    package static let caseInsensitivePattern = "cnry|yrnc|636e7279"
    package static let base64Pattern = "Y25y|cnkt|bnJ5"

    /// `marker` followed by `-`, base64-encoded after 0, 1 and 2 other bytes: the characters
    /// that stay the same whatever comes before and after.
    static let base64Forms: [String] = (0..<3).map { offset in
        let bytes = Data(repeating: 0, count: offset) + Data("\(marker)-".utf8)
        let encoded = Array(bytes.base64EncodedString())
        let first = (offset + 2) / 3, last = (offset + marker.count + 1) / 3
        return String(encoded[(first * 4)..<(last * 4)])
    }

    private static func excerpts(of needle: String, in text: String, options: String.CompareOptions) -> [String] {
        var found: [String] = []
        var searchStart = text.startIndex
        while let range = text.range(of: needle, options: options, range: searchStart..<text.endIndex) {
            let from = text.index(range.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
            let to = text.index(range.upperBound, offsetBy: 40, limitedBy: text.endIndex) ?? text.endIndex
            found.append(String(text[from..<to]))
            searchStart = range.upperBound
            if found.count >= 3 { break }
        }
        return found
    }

    // MARK: PostgreSQL

    /// What the PostgreSQL connection excludes.
    package static let postgresExcludedSchemas = ["hr", "Audit"]
    package static let postgresExcludedTables = ["salaries", "public.Vault"]
    package static let postgresExcludedColumns = ["customer.email", "card_number", "public.employee.ssn"]

    /// The PostgreSQL fixture, for database `database`: public tables with canaries in their
    /// excluded columns, two excluded tables, two excluded schemas (a table whose very name is a
    /// canary, a view and a function whose text hold one), a comment and a database setting
    /// holding one (for the catalogs), then ANALYZE, so pg_stats holds excluded values too.
    package static func postgresScript(database: String) -> String {
        """
        CREATE TABLE artist (artist_id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO artist SELECT g, 'Artist ' || g FROM generate_series(1, 200) g;
        CREATE SEQUENCE artist_seq;
        CREATE TABLE album (album_id int PRIMARY KEY, title text NOT NULL, artist_id int NOT NULL REFERENCES artist);
        INSERT INTO album SELECT g, 'Album ' || g, 1 + g % 200 FROM generate_series(1, 500) g;
        CREATE TABLE track (track_id int PRIMARY KEY, name text NOT NULL, album_id int NOT NULL REFERENCES album, milliseconds int NOT NULL);
        INSERT INTO track SELECT g, 'Track ' || g, 1 + g % 500, 1000 * g FROM generate_series(1, 2000) g;
        CREATE TABLE employee (employee_id int PRIMARY KEY, first_name text, last_name text, title text, ssn text);
        INSERT INTO employee SELECT g, 'Emp' || g, 'Loyee' || g, 'Sales', '\(marker)-ssn-' || g FROM generate_series(1, 8) g;
        CREATE TABLE customer (customer_id int PRIMARY KEY, first_name text, last_name text, city text, email text, card_number text,
                               support_rep_id int REFERENCES employee);
        INSERT INTO customer SELECT g, 'First' || g, 'Last' || g, (ARRAY['Oslo', 'Lima', 'Pune'])[1 + g % 3],
            '\(marker)-email-' || g || '@mail.test', '\(marker)-card-' || g, 1 + g % 8 FROM generate_series(1, 50) g;
        CREATE TABLE invoice (invoice_id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customer, total numeric(10, 2), billing_city text);
        INSERT INTO invoice SELECT g, 1 + g % 50, g * 1.25, (ARRAY['Oslo', 'Lima', 'Pune'])[1 + g % 3] FROM generate_series(1, 400) g;
        CREATE TABLE salaries (employee_id int REFERENCES employee, amount numeric, note text);
        INSERT INTO salaries SELECT g, 1000 * g, '\(marker)-salary-' || g FROM generate_series(1, 8) g;
        COMMENT ON TABLE salaries IS '\(marker)-comment';
        CREATE TABLE "Vault" (id int PRIMARY KEY, secret text);
        INSERT INTO "Vault" SELECT g, '\(marker)-vault-' || g FROM generate_series(1, 5) g;
        CREATE SCHEMA hr;
        CREATE TABLE hr.staff (id int PRIMARY KEY, name text, secret text);
        INSERT INTO hr.staff SELECT g, 'Staff ' || g, '\(marker)-hrstaff-' || g FROM generate_series(1, 5) g;
        CREATE TABLE hr.\(marker)_hr_table (x int);
        CREATE VIEW hr.payroll AS SELECT '\(marker)-hrview'::text AS v;
        CREATE FUNCTION hr.bonus() RETURNS text LANGUAGE sql AS $$ SELECT '\(marker)-hrfn'::text $$;
        CREATE SCHEMA "Audit";
        CREATE TABLE "Audit".log (id int PRIMARY KEY, entry text);
        INSERT INTO "Audit".log SELECT g, '\(marker)-audit-' || g FROM generate_series(1, 5) g;
        ALTER DATABASE \(database) SET askdb.rt_secret = '\(marker)-guc';
        ANALYZE;
        """
    }

    /// The database's objects, their definitions and every row, and its settings, as one text:
    /// the same text afterwards means nothing was changed.
    package static func postgresChecksum(_ client: PostgresClient, logger: Logger) async throws -> String {
        var lines: [String] = []
        let objects = try await client.query("""
            SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(pg_get_viewdef(c.oid), '') || ' '
                   || coalesce((SELECT string_agg(a.attname || ':' || a.atttypid::regtype::text, ',' ORDER BY a.attnum)
                                FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1
            """, logger: logger)
        for try await line in objects.decode(String.self) { lines.append(line) }
        var tables: [String] = []
        let tableNames = try await client.query("""
            SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
            """, logger: logger)
        for try await name in tableNames.decode(String.self) { tables.append(name) }
        for table in tables {
            let rows = try await client.query(PostgresQuery(unsafeSQL:
                "SELECT \(Self.quoted(table)) || ' ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM \(table) t"),
                logger: logger)
            for try await line in rows.decode(String.self) { lines.append(line) }
        }
        let extra = try await client.query("""
            SELECT 'settings ' || coalesce((SELECT string_agg(array_to_string(setconfig, ','), ';') FROM pg_db_role_setting
                                            WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())), '')
                   || ' functions ' || (SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_proc p JOIN pg_namespace n
                                        ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
                   || ' schemas ' || (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace)
                   || ' extensions ' || (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension)
                   || ' attacker roles ' || (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'rt\\_attacker%')
                   || ' sequence ' || (SELECT last_value || ' ' || is_called FROM artist_seq)
                   || ' comment ' || coalesce(obj_description('public.artist'::regclass, 'pg_class'), '')
            """, logger: logger)
        for try await line in extra.decode(String.self) { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: MongoDB

    /// What the MongoDB connection excludes (its database is the one the fixture loads; `other`
    /// is excluded as a whole).
    package static let mongoExcludedColumns = ["orders.password", "orders.customer.address.zip", "orders.items.secret", "customers.ssn", "card"]
    package static let mongoExcludedTables = ["vault"]

    /// Loads `database` (orders, customers and the excluded vault) and `other` (secrets).
    package static func loadMongo(into client: MongoClient, database: String, other: String) async throws {
        var orders: [JSONValue] = []
        for index in 0..<40 {
            orders.append(.object([
                "_id": .int(Int64(index)),
                "customer_id": .int(Int64(index % 10)),
                "status": .string(["placed", "shipped", "delivered"][index % 3]),
                "total": .double(Double(index) * 1.5 + 0.25),
                "customer": .object([
                    "name": .string("Customer \(index % 10)"),
                    "address": .object(["city": .string(["Oslo", "Lima", "Pune"][index % 3]), "zip": .string("\(marker)-zip-\(index)")]),
                ]),
                "items": .array((0..<(1 + index % 3)).map { item in
                    .object(["sku": .string("SKU-\(item)"), "qty": .int(Int64(item + 1)), "secret": .string("\(marker)-item-\(index)-\(item)")])
                }),
                "password": .string("\(marker)-pw-\(index)"),
                "card": .object(["number": .string("\(marker)-card-\(index)")]),
            ]))
        }
        let customers: [JSONValue] = (0..<10).map { index in
            .object(["_id": .int(Int64(index)), "name": .string("Customer \(index)"), "ssn": .string("\(marker)-ssn-\(index)"),
                     "card": .object(["number": .string("\(marker)-ccard-\(index)")])])
        }
        let vault: [JSONValue] = (0..<3).map { .object(["_id": .int(Int64($0)), "secret": .string("\(marker)-vault-\($0)")]) }
        let secrets: [JSONValue] = (0..<3).map { .object(["_id": .int(Int64($0)), "secret": .string("\(marker)-other-\($0)")]) }
        _ = try await client.run("insert", .string("orders"), ["documents": .array(orders)], database: database)
        _ = try await client.run("insert", .string("customers"), ["documents": .array(customers)], database: database)
        _ = try await client.run("insert", .string("vault"), ["documents": .array(vault)], database: database)
        _ = try await client.run("insert", .string("secrets"), ["documents": .array(secrets)], database: other)
    }

    /// Every collection of `databases` and every document in it, as one text.
    package static func mongoChecksum(_ client: MongoClient, databases: [String]) async throws -> String {
        var lines: [String] = []
        for database in databases {
            let collections = try await client.listCollections(database: database).compactMap { $0["name"]?.string }.sorted()
            lines.append("\(database): \(collections.joined(separator: ","))")
            for collection in collections {
                let documents = try await client.aggregate(database: database, collection: collection, pipeline: [.object(["$sort": .object(["_id": .int(1)])])],
                                                           limit: 100_000, maxTime: .seconds(10))
                lines.append("\(database).\(collection): " + documents.map(\.jsonText).joined(separator: "\n"))
            }
        }
        return lines.joined(separator: "\n")
    }
}
