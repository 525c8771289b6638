@testable import DataSources
import Foundation
import PostgresNIO
@testable import SchemaModel
import TestSupport
import Testing

@Suite struct SQLGrammarTests {
    @Test func everyQueryTheGrammarAdmitsParsesAndPlansInPostgreSQL() async throws {
        try await TestDatabase.with { source, postgres in
            try await SQLDataset.load(SQLDataset.chinook, into: source.url)
            // Columns of every kind, one needing quotes, and a self-reference.
            try await SQLDataset.run(script: """
                CREATE TABLE "Order Notes" (note_id int PRIMARY KEY, invoice_id int REFERENCES invoice, "from" text, urgent boolean,
                    written timestamptz, tags text[], parent_id int REFERENCES "Order Notes");
                """, in: source.url)
            let snapshot = try await PostgresSamplingTests.connector(source).sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            var builder = SQLGrammar()
            builder.maximumScopes = 1000
            let grammar = try #require(builder.build(objects: snapshot.objects))
            let scopes = grammar.names.filter { $0.wholeMatch(of: /s\d+/) != nil }
            #expect(scopes.count > 30)
            let guardrail = SQLGuard(options: SamplingOptions(), snapshot: snapshot)
            var sampler = GrammarSampler(grammar, seed: 7)
            var checked = 0
            for scope in scopes {
                for _ in 0..<12 {
                    let sql = sampler.sample(rule: scope)
                    // The guard parses it with libpg_query; EXPLAIN plans it against the real tables.
                    #expect(throws: Never.self, "\(sql)") { try guardrail.check(sql) }
                    do {
                        try await postgres.query(PostgresQuery(unsafeSQL: "EXPLAIN " + sql), logger: TestServers.logger)
                    } catch let error as PSQLError {
                        Issue.record("\(sql): \(error.serverInfo?[.message] ?? "\(error)")")
                    }
                    checked += 1
                }
            }
            #expect(checked == scopes.count * 12)
        }
    }

    @Test func scopesJoinOnlyAlongForeignKeysAndKnownValuesAreTheOnlyLiterals() throws {
        let artist = SchemaObject(schema: "public", name: "artist", kind: .table, columns: [
            SchemaColumn(name: "artist_id", type: "integer"), SchemaColumn(name: "name", type: "character varying(120)"),
        ])
        let album = SchemaObject(schema: "public", name: "album", kind: .table, columns: [
            SchemaColumn(name: "album_id", type: "integer"), SchemaColumn(name: "artist_id", type: "integer"),
            SchemaColumn(name: "kind", type: "text", profile: ValueProfile(values: ["live", "studio's"])),
        ], foreignKeys: [ForeignKey(columns: ["artist_id"], referencedObject: "public.artist", referencedColumns: ["artist_id"])])
        let genre = SchemaObject(schema: "music", name: "Genre", kind: .table, columns: [SchemaColumn(name: "name", type: "text")])
        let grammar = try #require(SQLGrammar().build(objects: [album, artist, genre]))
        let text = grammar.gbnf
        #expect(text.hasPrefix("root ::= (s0 | s1 | s2 | s3) \";\"\n"))
        #expect(text.contains(#""album JOIN artist ON album.artist_id = artist.artist_id" | "artist JOIN album ON album.artist_id = artist.artist_id""#))
        #expect(!text.contains("Genre JOIN") && !text.contains("JOIN music"))
        #expect(text.contains(#""music.\"Genre\"""#))
        #expect(text.contains(#""'live'" | "'studio''s'""#))
        var sampler = GrammarSampler(grammar, seed: 1)
        for _ in 0..<200 {
            let sql = sampler.sample()
            #expect(sql.hasSuffix(";") && sql.filter { $0 == ";" }.count == 1, "\(sql)")
            #expect(!(sql.contains("music.") && sql.contains("JOIN")), "\(sql)")
        }
    }
}
