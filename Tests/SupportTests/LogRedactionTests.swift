@testable import Support
import Testing

@Suite struct LogRedactionTests {
    @Test func passwordsInURLsAndOptionsAreHidden() {
        #expect(LogRedaction.redact("connecting to postgres://al:s3cr%40t@db:5432/app failed")
            == "connecting to postgres://al:***@db:5432/app failed")
        #expect(LogRedaction.redact("mongodb://u:pw@a,b/db?authSource=admin&password=x2&tls=true")
            == "mongodb://u:***@a,b/db?authSource=admin&password=***&tls=true")
        #expect(LogRedaction.redact("redis://:only@cache:6379/0") == "redis://:***@cache:6379/0")
        #expect(LogRedaction.redact("url=\"postgres://x:y@h/d\" token=abc") == "url=\"postgres://x:***@h/d\" token=***")
        // Commas, parentheses and at-signs may be part of a password.
        #expect(LogRedaction.redact("mongodb://u:p,w@h/db") == "mongodb://u:***@h/db")
        #expect(LogRedaction.redact("postgres://u:pa)s@s@h/db") == "postgres://u:***@h/db")
        #expect(LogRedaction.redact("host=db;Password=ab,cd;user=x") == "host=db;Password=***")
    }

    @Test func postgresQuotedValuesAndKeyDetailsLoseTheirContents() {
        #expect(LogRedaction.redact(#"message: invalid input syntax for type integer: "canary-1""#)
            == #"message: invalid input syntax for type integer: "…""#)
        #expect(LogRedaction.redact("detail: Key (email)=(ann@example.com) already exists.") == "detail: Key (email)=(…) already exists.")
    }

    @Test func apostrophesAreNotLiterals() {
        for text in ["PostgreSQL's grammar rejects the query", "the job's lease was lost", "it's 'quoted' here"] {
            #expect(!LogRedaction.redact(text).contains("'…") || text.contains("'quoted'"))
        }
        #expect(LogRedaction.redact("it's 'quoted' here") == "it's '…' here")
    }

    @Test func quotedLiteralsLoseTheirContents() {
        #expect(LogRedaction.redact("invalid input syntax for type integer: 'canary'") == "invalid input syntax for type integer: '…'")
        #expect(LogRedaction.redact("key 'it''s' and 'b'") == "key '…' and '…'")
    }

    @Test func plainTextComesBackUnchanged() {
        for text in ["GET /api/query 200", "", "user@example.com signed in", "a = b"] {
            #expect(LogRedaction.redact(text) == text)
        }
    }
}
