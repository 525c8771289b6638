@testable import DataSources
@testable import SchemaModel
import TestSupport
import Testing

/// The grammar alone, without a server: whatever it admits parses as one read of the snapshot's
/// own tables, which the guard passes (the integration tests also plan each one in PostgreSQL).
@Suite struct SQLGrammarTests {
    static let objects = [
        SchemaObject(schema: "public", name: "artist", kind: .table, columns: [
            SchemaColumn(name: "artist_id", type: "integer"), SchemaColumn(name: "name", type: "text"),
        ], primaryKey: ["artist_id"]),
        SchemaObject(schema: "public", name: "album", kind: .table, columns: [
            SchemaColumn(name: "album_id", type: "integer"), SchemaColumn(name: "title", type: "text"),
            SchemaColumn(name: "artist_id", type: "integer"),
        ], primaryKey: ["album_id"], foreignKeys: [ForeignKey(columns: ["artist_id"], referencedObject: "public.artist", referencedColumns: ["artist_id"])]),
        SchemaObject(schema: "sales", name: "Order Notes", kind: .table, columns: [SchemaColumn(name: "from", type: "text")]),
    ]

    @Test func everySentenceIsOneGuardedReadOfTheSnapshotsTables() throws {
        let grammar = try #require(SQLGrammar().build(objects: Self.objects))
        let guardrail = SQLGuard(snapshot: SchemaSnapshot(source: .postgres, objects: Self.objects))
        var sampler = GrammarSampler(grammar, seed: 11)
        var tables = Set<String>()
        for _ in 0..<300 {
            let sql = sampler.sample()
            let checked = try guardrail.check(sql)
            tables.formUnion(checked.relations.map { $0.lowercased() })
        }
        #expect(tables.contains { $0.contains("artist") } && tables.contains { $0.contains("album") })
    }

    @Test func noColumnsNoGrammar() {
        #expect(SQLGrammar().build(objects: [SchemaObject(schema: "public", name: "empty", kind: .table)]) == nil)
    }
}
