@testable import PostgresSyntax
import Testing

@Suite struct SQLStatementSplitterTests {
    @Test func splitsOnlyBetweenStatements() throws {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (note text DEFAULT 'x;y');
            /* block; comment */
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            INSERT INTO a VALUES ('it''s; fine');
            """
        let statements = try SQLStatementSplitter.split(script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("DEFAULT 'x;y')"))
        #expect(statements[1].contains("$body$ SELECT 1; $body$"))
        #expect(statements[2] == "INSERT INTO a VALUES ('it''s; fine')")
    }

    @Test func keepsMultibyteText() throws {
        #expect(try SQLStatementSplitter.split("SELECT 'é😀'; SELECT 2") == ["SELECT 'é😀'", "SELECT 2"])
    }

    @Test func rejectsBrokenSQL() {
        #expect(throws: SQLStatementSplitter.SyntaxError.self) {
            try SQLStatementSplitter.split("CREATE TABLE (;")
        }
    }
}
