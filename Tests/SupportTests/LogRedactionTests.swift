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
