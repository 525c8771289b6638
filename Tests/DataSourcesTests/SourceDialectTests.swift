@testable import DataSources
import SchemaModel
import Support
import Testing

@Suite struct SourceDialectTests {
    static let scope = QueryScope(options: SamplingOptions(excludedColumns: ["secret"]), snapshot: SchemaSnapshot(source: .mongodb, objects: []), database: "shop")

    @Test(arguments: ConnectionKind.allCases)
    func everyKindHasItsOwnDialect(kind: ConnectionKind) {
        #expect(kind.dialect.kind == kind)
        #expect(!kind.dialect.missingQueryHint.isEmpty)
    }

    @Test func eachDialectWritesItsOwnReplyForm() {
        #expect(PostgresDialect().reply(writing: "SELECT 1", constrained: true) == "SELECT 1;")
        #expect(PostgresDialect().reply(writing: "SELECT 1", constrained: false) == "```sql\nSELECT 1\n```")
        #expect(MongoDialect().reply(writing: "{}", constrained: false) == "```json\n{}\n```")
        #expect(MongoDialect().replyForm(constrained: true) == "JSON query")
        #expect(PostgresDialect().instructions(today: "2026-12-01", constrained: false).contains("Today is 2026-12-01"))
    }

    @Test func theURLIsParsedByItsKindsDialect() throws {
        #expect(try SourceURL(kind: .mongodb, raw: "mongodb://h1,h2/shop").database == "shop")
        #expect(try SourceURL(kind: .postgres, raw: "postgres://u@db/sales").database == "sales")
        #expect(throws: ConnectionFailure.self) { try SourceURL(kind: .postgres, raw: "mongodb://h1/shop") }
    }

    /// The scope a query was guarded under is the one its rows are filtered by.
    @Test func aGuardedMongoQueryCarriesItsScopeToTheRows() throws {
        let query = try MongoDialect().guarded(#"{"collection": "orders", "pipeline": []}"#, scope: Self.scope)
        #expect(query.text.contains("$unset"))
        let rows = QueryResult(columns: ["_id", "secret"], rows: [[.int(1), .string("canary")]], truncated: false)
        #expect(MongoDialect().visible(rows, of: query).columns == ["_id"])
    }

    @Test func thePostgresGuardRefusesWrites() {
        let scope = QueryScope(options: SamplingOptions(), snapshot: SchemaSnapshot(source: .postgres, objects: []), database: nil)
        #expect(throws: QueryRefusal.self) { try PostgresDialect().guarded("DROP TABLE artist", scope: scope) }
    }
}
