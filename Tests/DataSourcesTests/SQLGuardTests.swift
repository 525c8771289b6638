@testable import DataSources
@testable import SchemaModel
import TestSupport
import Testing

@Suite struct SQLGuardTests {
    static let guardrail = SQLGuard(options: SQLGuardCorpus.options, snapshot: SQLGuardCorpus.snapshot)

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
        "SELECT 'happy'::mood, 'x'::public.mood, total::numeric(10, 2), ARRAY['a']::text[], DATE '2024-01-01', interval '1 day'",
        "WITH artist AS (SELECT 1 AS n) SELECT * FROM artist",
        "SELECT 1 UNION (WITH x AS (SELECT 2) SELECT * FROM x)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT * FROM n",
        "SELECT * FROM track TABLESAMPLE BERNOULLI (10) REPEATABLE (1)",
        "SELECT current_date, current_timestamp(0), localtime",
        "SELECT \"name\" FROM \"public\".\"artist\" ORDER BY name DESC",
        "SELECT lpad(name, 20, '.'), repeat('-', 3), format('%s: %10s %1$s', name, name) FROM artist",
        "SELECT (doc->>'name') FROM docs WHERE doc @> '{\"a\": 1}'::jsonb",
    ])
    func readsPass(_ sql: String) throws {
        // None of these reads a table with excluded columns, so each runs exactly as written.
        #expect(try Self.guardrail.check(sql).sql == sql)
    }

    @Test(arguments: SQLGuardCorpus.refused)
    func everythingElseIsRefusedWithAReason(_ sql: String, _ code: String) {
        let refusal = #expect(throws: QueryRefusal.self, "\(sql)") { try Self.guardrail.check(sql) }
        #expect(refusal?.code == code, "\(sql): \(refusal?.message ?? "")")
    }

    @Test func theRelationsReadAreReportedWithoutCTENames() throws {
        let checked = try SQLGuard.inspect("WITH t AS (SELECT * FROM invoice) SELECT * FROM t JOIN public.customer c USING (customer_id)")
        #expect(checked.relations.sorted() == ["invoice", "public.customer"])
        // A CTE does not hide a table from its own definition, nor from CTEs before it.
        #expect(try SQLGuard.inspect("WITH artist AS (SELECT * FROM artist), a AS (SELECT * FROM album) SELECT * FROM artist, a").relations == ["artist", "album"])
    }

    /// Every way of reading a table with excluded columns reads a projection of the others.
    @Test(arguments: [
        "SELECT * FROM customer",
        "SELECT to_jsonb(c) FROM customer c",
        "SELECT c::text FROM customer AS c",
        "SELECT (c).* FROM customer c",
        "SELECT customer FROM customer",
        "SELECT c.to_jsonb FROM customer c",
        "SELECT * FROM customer AS x(a, b, c, d, e, f)",
        "SELECT * FROM invoice NATURAL JOIN customer",
        "SELECT * FROM invoice JOIN customer USING (customer_id)",
        "SELECT count(*) FROM public.customer",
        "TABLE customer",
        "SELECT * FROM ONLY customer",
        "SELECT * FROM ONLY (customer) c",
        "SELECT * FROM customer * WHERE country = 'France'",
        "WITH c AS (SELECT * FROM customer) SELECT to_json(c) FROM c",
        "WITH customer AS (SELECT * FROM customer) SELECT * FROM customer",
        "SELECT * FROM (SELECT customer FROM public.customer) x",
        "SELECT first_name FROM customer UNION SELECT title FROM employee",
        "SELECT * FROM \"public\" . customer /* the customers */ c",
    ])
    func tablesWithExcludedColumnsAreReadThroughAProjection(_ sql: String) throws {
        let checked = try Self.guardrail.check(sql)
        #expect(checked.sql.contains("(SELECT askdb_source.\"customer_id\", askdb_source.\"first_name\", askdb_source.\"last_name\", askdb_source.\"country\", askdb_source.\"support_rep_id\"") || checked.sql.contains("(SELECT askdb_source.\"employee_id\", askdb_source.\"first_name\", askdb_source.\"last_name\", askdb_source.\"title\" FROM \"public\".\"employee\" AS askdb_source)"), "\(checked.sql)")
        // The guard is a fixed point: what it lets run passes again unchanged.
        #expect(try Self.guardrail.check(checked.sql).sql == checked.sql)
    }

    @Test func aProjectionKeepsTheNamesTheQueryUses() throws {
        #expect(try Self.guardrail.check("SELECT c.first_name FROM customer c").sql == "SELECT c.first_name FROM (SELECT askdb_source.\"customer_id\", askdb_source.\"first_name\", askdb_source.\"last_name\", askdb_source.\"country\", askdb_source.\"support_rep_id\" FROM \"public\".\"customer\" AS askdb_source) c")
        #expect(try Self.guardrail.check("TABLE customer").sql == "SELECT * FROM (SELECT askdb_source.\"customer_id\", askdb_source.\"first_name\", askdb_source.\"last_name\", askdb_source.\"country\", askdb_source.\"support_rep_id\" FROM \"public\".\"customer\" AS askdb_source) AS \"customer\"")
        // A column excluded after the last index is projected away at once.
        let later = SQLGuard(options: SamplingOptions(excludedColumns: ["artist.name"]), snapshot: SQLGuardCorpus.snapshot)
        #expect(try later.check("SELECT * FROM artist").sql == "SELECT * FROM (SELECT askdb_source.\"artist_id\" FROM \"public\".\"artist\" AS askdb_source) AS \"artist\"")
        #expect(throws: QueryRefusal.self) { try later.check("SELECT name FROM artist") }
        // A bare column name is excluded from every table, even from one that gains it after the index.
        let bare = SQLGuard(options: SamplingOptions(excludedColumns: ["ssn"]), snapshot: SQLGuardCorpus.snapshot)
        #expect(try bare.check("SELECT * FROM genre").sql
            == "SELECT * FROM (SELECT askdb_source.\"genre_id\", askdb_source.\"name\" FROM \"public\".\"genre\" AS askdb_source) AS \"genre\"")
        // A projection's columns are qualified: written bare, a name that is no column of the table
        // (one dropped since the index, or the table's own) would be its whole row.
        #expect(try Self.guardrail.check("SELECT * FROM (SELECT customer FROM public.customer) x").sql.contains("AS askdb_source) AS \"customer\") x"))
        // Written in the projection's own form, with readable columns, it is confined already.
        let confined = "SELECT * FROM (SELECT c.first_name FROM public.customer AS c) x"
        #expect(try Self.guardrail.check(confined).sql == confined)
        let everything = SQLGuard(options: SamplingOptions(excludedColumns: ["artist.name", "artist.artist_id"]), snapshot: SQLGuardCorpus.snapshot)
        #expect(throws: QueryRefusal.self) { try everything.check("SELECT count(*) FROM artist") }
    }
}
