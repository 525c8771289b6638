@testable import DataSources
@testable import SchemaModel
import TestSupport
import Testing

@Suite struct SQLGuardTests {
    static let guardrail = SQLGuard(
        options: SamplingOptions(excludedTables: ["public.salaries"], excludedColumns: ["customer.email", "ssn_last4"]),
        snapshot: SchemaSnapshot(source: .postgres, objects: [
            SchemaObject(schema: "public", name: "track", kind: .table),
            SchemaObject(schema: "public", name: "invoice", kind: .table),
            SchemaObject(schema: "public", name: "genre", kind: .table),
            SchemaObject(schema: "public", name: "customer", kind: .table, excludedColumnCount: 1),
            SchemaObject(schema: "public", name: "employee", kind: .table, excludedColumnCount: 1),
        ])
    )

    @Test(arguments: [
        "SELECT 1",
        "select name, count(*) from artist a join album b on b.artist_id = a.artist_id group by name order by 2 desc limit 5",
        "WITH top AS (SELECT customer_id, sum(total) AS spent FROM invoice GROUP BY 1) SELECT * FROM top WHERE spent > 40",
        "SELECT extract(year FROM invoice_date) AS y, round(avg(total), 2) FROM invoice GROUP BY 1",
        "SELECT date_trunc('month', invoice_date), rank() OVER (ORDER BY total DESC) FROM invoice",
        "VALUES (1, 'a'), (2, 'b')",
        "TABLE genre",
        "SELECT coalesce(billing_state, 'n/a'), CASE WHEN total > 10 THEN 'big' ELSE 'small' END FROM invoice",
        "SELECT * FROM track WHERE genre_id IN (SELECT genre_id FROM genre WHERE name LIKE 'Rock%')",
        "SELECT now() - interval '30 days', current_date, total::text FROM invoice",
        "SELECT customer_id, first_name FROM customer",
        "SELECT (doc->>'name') FROM docs WHERE doc @> '{\"a\": 1}'::jsonb",
    ])
    func readsPass(_ sql: String) throws {
        // `*` is refused wherever a table in the query may have an excluded column, so these
        // read only tables the snapshot knows to have none.
        #expect(throws: Never.self) { try Self.guardrail.check(sql) }
    }

    @Test(arguments: SQLGuardCorpus.refused)
    func everythingElseIsRefusedWithAReason(_ sql: String, _ code: String) {
        let refusal = #expect(throws: QueryRefusal.self, "\(sql)") { try Self.guardrail.check(sql) }
        #expect(refusal?.code == code, "\(sql): \(refusal?.message ?? "")")
    }

    @Test func theRelationsReadAreReportedWithoutCTENames() throws {
        let checked = try SQLGuard().check("WITH t AS (SELECT * FROM invoice) SELECT * FROM t JOIN public.customer c USING (customer_id)")
        #expect(checked.relations.sorted() == ["invoice", "public.customer"])
    }
}
