@testable import DataSources
@testable import Embedding
@testable import Evaluation
import Foundation
import PostgresNIO
@testable import Retrieval
@testable import SchemaModel
@testable import Support
import TestSupport
import Testing

@Suite(.serialized) struct PostgresSamplingTests {
    static func connector(_ database: TestDatabase, statementTimeout: Duration = .seconds(10)) -> PostgresSourceConnector {
        PostgresSourceConnector(url: database.url, address: IPAddress("127.0.0.1")!, statementTimeout: statementTimeout, logger: TestServers.logger)
    }

    static func withChinook<T: Sendable>(_ body: @Sendable (TestDatabase) async throws -> T) async throws -> T {
        try await TestDatabase.with { database, _ in
            try await SQLDataset.load(SQLDataset.chinook, into: database.url)
            return try await body(database)
        }
    }

    @Test func chinooksKeysRelationshipsAndValuesAreRead() async throws {
        try await Self.withChinook { database in
            let snapshot = try await Self.connector(database).sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(snapshot.source == .postgres)
            #expect(snapshot.objects.map(\.qualifiedName) == [
                "public.album", "public.artist", "public.customer", "public.employee", "public.genre", "public.invoice",
                "public.invoice_line", "public.media_type", "public.playlist", "public.playlist_track", "public.track",
            ])
            let line = try #require(snapshot.object("public.invoice_line"))
            #expect(line.primaryKey == ["invoice_line_id"])
            #expect(Set(line.foreignKeys.map(\.referencedObject)) == ["public.invoice", "public.track"])
            #expect(line.foreignKeys.first { $0.referencedObject == "public.track" }?.columns == ["track_id"])
            #expect(line.rowEstimate == 2240)
            #expect(line.column("unit_price")?.type == "numeric(10,2)")
            #expect(line.column("unit_price")?.nullable == false)
            #expect(snapshot.object("public.playlist_track")?.primaryKey == ["playlist_id", "track_id"])
            #expect(snapshot.object("public.employee")?.foreignKeys.first?.referencedObject == "public.employee")
            // Low-cardinality text is listed in full; numbers and dates get their range.
            let mediaTypes = try #require(snapshot.object("public.media_type")?.column("name")?.profile?.values)
            #expect(mediaTypes.contains("MPEG audio file") && mediaTypes.count == 5)
            let countries = try #require(snapshot.object("public.invoice")?.column("billing_country")?.profile?.values)
            #expect(countries.contains("USA") && countries.count == 24)
            let total = try #require(snapshot.object("public.invoice")?.column("total")?.profile)
            #expect(total.minimum == "0.99" && total.maximum == "25.86")
            #expect(snapshot.object("public.invoice")?.column("invoice_date")?.profile?.minimum?.hasPrefix("2021-01-01") == true)
            #expect(snapshot.object("public.track")?.sampleRows.count == 3)
            #expect(snapshot.object("public.track")?.indexes.contains { $0.contains("track_pkey") } == true)
        }
    }

    @Test func privacyOptionsAndSecretLookingColumns() async throws {
        try await Self.withChinook { database in
            try await SQLDataset.run(script: """
                ALTER TABLE customer ADD COLUMN password_hash text DEFAULT 'bcrypt$secret-value';
                ALTER TABLE customer ADD COLUMN apiToken text DEFAULT 'tok_live_123';
                ANALYZE customer;
                """, in: database.url)
            let connector = Self.connector(database)
            let snapshot = try await connector.sampleSchema(options: SamplingOptions(
                excludedTables: ["public.playlist_track"], excludedColumns: ["customer.email", "phone"]
            ), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(snapshot.object("public.playlist_track") == nil)
            let customer = try #require(snapshot.object("public.customer"))
            #expect(customer.column("email") == nil && customer.column("phone") == nil)
            #expect(snapshot.object("public.employee")?.column("phone") == nil)
            #expect(customer.column("password_hash") != nil && customer.column("password_hash")?.profile == nil)
            #expect(customer.column("apitoken")?.profile == nil)
            let rows = customer.sampleRows.map { $0.jsonValueText }.joined()
            #expect(!rows.contains("secret-value") && !rows.contains("tok_live") && !rows.contains("@"))
            // The relationship through an excluded table is gone with it.
            #expect(snapshot.objects.allSatisfy { $0.foreignKeys.allSatisfy { $0.referencedObject != "public.playlist_track" } })

            let structureOnly = try await connector.sampleSchema(options: SamplingOptions(sampleValues: false), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(structureOnly.objects.allSatisfy { object in object.sampleRows.isEmpty && object.columns.allSatisfy { $0.profile == nil } })
            #expect(structureOnly.object("public.invoice_line")?.foreignKeys.count == 2)

            let excludedSchema = try await connector.sampleSchema(options: SamplingOptions(excludedSchemas: ["public"]), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(excludedSchema.objects.isEmpty)
        }
    }

    @Test func aSlowSourceIsStoppedByTheStatementTimeout() async throws {
        try await TestDatabase.with { database, _ in
            try await SQLDataset.run(script: """
                CREATE TABLE fast (id int PRIMARY KEY, status text);
                INSERT INTO fast SELECT g, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'closed' END FROM generate_series(1, 50) g;
                CREATE VIEW slow AS SELECT pg_sleep(30) IS NULL AS slept, id FROM fast;
                """, in: database.url)
            let started = ContinuousClock.now
            let snapshot = try await Self.connector(database, statementTimeout: .seconds(1)).sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(snapshot.object("public.slow")?.kind == .view)
            #expect(snapshot.notes.contains { $0.hasPrefix("public.slow: values not sampled") && $0.contains("statement timeout") })
            // The transaction survived the timeout: the table after it was still sampled.
            #expect(snapshot.object("public.fast")?.column("status")?.profile?.values == ["closed", "open"])
        }
    }

    /// A run documents at most `maxObjects` tables, the first by schema and then name; the
    /// report says so, and keys into tables left out are dropped like keys into excluded ones.
    @Test func aRunIndexesTheFirstObjectsByNameAndSaysSo() async throws {
        try await Self.withChinook { source in
            try await SQLDataset.run(script: #"CREATE SCHEMA aaa; CREATE TABLE aaa.zebra (id int); CREATE TABLE aaa."Zed" (id int);"#, in: source.url)
            try await TestDatabase.with(migrated: true) { _, postgres in
                let (_, connectionID) = try await AppRows.connection(in: postgres)
                let snapshots = SchemaSnapshotStore(postgres: postgres, logger: TestServers.logger)
                let indexer = ConnectionIndexer(store: PostgresVectorStore(postgres: postgres, logger: TestServers.logger), snapshots: snapshots,
                                                embedder: HashEmbedder(), logger: TestServers.logger, maxObjects: 5)
                let report = try await indexer.index(connectionID: connectionID, connector: Self.connector(source), options: SamplingOptions(), fence: nil) { _ in }
                #expect(report.objects == 5)
                #expect(report.notes.contains("indexed the first 5 of 13 tables and collections, by schema and then name; 8 were left out "
                                              + "(the server's limit per index: exclude schemas or tables to index others)"), "\(report.notes)")
                let snapshot = try #require(try await snapshots.load(connectionID: connectionID, version: report.version))
                // Byte order: schema first, upper case before lower case.
                #expect(snapshot.objects.map(\.qualifiedName) == ["aaa.Zed", "aaa.zebra", "public.album", "public.artist", "public.customer"])
                #expect(snapshot.object("public.album")?.foreignKeys.count == 1)
                #expect(snapshot.object("public.customer")?.foreignKeys.isEmpty == true, "its key points at employee, left out")
            }
        }
    }

    @Test func reindexingEmbedsOnlyWhatChangedAndPublishesAtomically() async throws {
        try await Self.withChinook { source in
            try await TestDatabase.with(migrated: true) { _, postgres in
                let (_, connectionID) = try await AppRows.connection(in: postgres)
                let embedder = HashEmbedder()
                let store = PostgresVectorStore(postgres: postgres, logger: TestServers.logger)
                let snapshots = SchemaSnapshotStore(postgres: postgres, logger: TestServers.logger)
                let indexer = ConnectionIndexer(store: store, snapshots: snapshots, embedder: embedder, logger: TestServers.logger)
                let connector = Self.connector(source)
                func run() async throws -> ConnectionIndexer.Report {
                    try await indexer.index(connectionID: connectionID, connector: connector, options: SamplingOptions(), fence: nil) { _ in }
                }
                let first = try await run()
                #expect(first.version == 1 && first.objects == 11)
                #expect(first.added == first.documents && first.changed == 0 && first.removed == 0)
                #expect(embedder.count == first.documents)

                let second = try await run()
                #expect(second.version == 2 && second.unchanged == first.documents && second.added + second.changed + second.removed == 0)
                #expect(embedder.count == first.documents)

                try await SQLDataset.run(script: """
                    ALTER TABLE genre ADD COLUMN description text;
                    DROP TABLE playlist_track;
                    """, in: source.url)
                let third = try await run()
                #expect(third.changed >= 1 && third.removed >= 1)
                #expect(embedder.count == first.documents + third.changed + third.added)
                let playlistKeys = try await store.search(DocumentSearch(connectionID: connectionID, version: 3, embedding: try await embedder.embed(["x"])[0], limit: 100)).map(\.key)
                #expect(!playlistKeys.contains { $0.contains("playlist_track") })
                #expect(playlistKeys.contains("object:public.genre"))
                let saved = try await snapshots.load(connectionID: connectionID, version: 3)
                #expect(saved?.object("public.genre")?.column("description") != nil)
                #expect(saved?.object("public.playlist_track") == nil)
                // Older snapshots nobody reads any more are gone.
                #expect(try await snapshots.load(connectionID: connectionID, version: 1) == nil)
            }
        }
    }

    @Test func everyDocumentFitsTheEmbeddersWindow() async throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TestServers.modelFolder.appendingPathComponent("vocab.txt"), maximumLength: 10_000)
        let wide = SchemaObject(schema: "public", name: "wide_table", kind: .table, comment: "A table with very many columns",
                                columns: (0..<300).map { SchemaColumn(name: "measurement_value_\($0)", type: "double precision", comment: "reading number \($0)") },
                                primaryKey: ["measurement_value_0"])
        let documents = SchemaDocumenter(budget: 240, tokens: { tokenizer.encode($0).count }).documents(for: SchemaSnapshot(source: .postgres, objects: [wide]))
        #expect(documents.count > 5)
        for document in documents {
            #expect(tokenizer.encode(document.content).count <= 240, "\(document.key)")
            #expect(document.content.contains("public.wide_table"))
        }
        let described = Set(documents.filter { $0.key.hasPrefix("columns:") }.flatMap { $0.content.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) } })
        #expect(described.count == 300)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    var jsonValueText: String { JSONValue.object(self).jsonText }
}

@Suite struct SyntheticSchemaSamplingTests {
    @Test func aGeneratedSchemaIsExtractedWithItsCommentsKeysAndValues() async throws {
        try await TestDatabase.with { database, postgres in
            let generated = SyntheticSchema(tables: 300)
            for statement in generated.statements {
                try await postgres.query(PostgresQuery(unsafeSQL: statement), logger: TestServers.logger)
            }
            try await postgres.query("ANALYZE", logger: TestServers.logger)
            let started = ContinuousClock.now
            let snapshot = try await PostgresSamplingTests.connector(database).sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(Set(snapshot.objects.map(\.name)) == Set(generated.tableNames))
            let names = generated.tableNames
            let child = try #require(snapshot.object("public.\(names[20])"))
            #expect(child.comment == "Crm \(names[20].split(separator: "_")[1]) records (20)")
            #expect(child.primaryKey == ["id"])
            #expect(child.foreignKeys.map(\.referencedObject) == ["public.\(names[4])"])
            #expect(child.column("status")?.profile?.values?.isEmpty == false)
            #expect(snapshot.objects.reduce(0) { $0 + $1.foreignKeys.count } == 300 - SyntheticSchema.domains.count)
        }
    }
}
