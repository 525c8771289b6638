import Foundation
@testable import DataSources
import TestSupport
import Testing

@Suite struct ReplyExtractorTests {
    @Test func extractionFindsTheQueryInProse() {
        #expect(PostgresDialect().query(inReply: "Here:\n```sql\nSELECT 1;\n```\nDone.") == "SELECT 1")
        #expect(PostgresDialect().query(inReply: "```\nselect a from b\n```") == "select a from b")
        #expect(PostgresDialect().query(inReply: "The answer is SELECT name FROM artist; which lists artists.") == "SELECT name FROM artist")
        #expect(PostgresDialect().query(inReply: "WITH x AS (SELECT 1) SELECT * FROM x\n\nThis uses a CTE.") == "WITH x AS (SELECT 1) SELECT * FROM x")
        #expect(PostgresDialect().query(inReply: "I cannot help with that.") == nil)
        #expect(MongoDialect().query(inReply: "Sure: ```json\n{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}\n``` ok")
            == "{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}")
    }
}

/// A reply is judged whole: whatever a destructive reply also holds, the guard sees the
/// destructive part and refuses, and the read beside it never runs.
@Suite struct DestructiveReplyTests {
    static let replies = [
        "DROP TABLE artist",
        "drop table artist;",
        "SELECT 1; DROP TABLE artist",
        "SELECT name FROM artist; DELETE FROM artist",
        "```sql\nSELECT 1;\nDROP TABLE artist;\n```",
        "```sql\nSELECT name FROM artist\n```\nThen clean up with:\n```sql\nTRUNCATE artist\n```",
        "```sql\nSELECT name FROM artist\n```\n\nAfterwards tidy up with\nDELETE FROM artist WHERE artist_id = 1\nif you like.",
        "Here you go: SELECT * FROM artist;\n\nUPDATE artist SET name = 'x'",
        "SELECT 1;\nINSERT INTO artist VALUES (999, 'x')",
        "WITH gone AS (DELETE FROM artist RETURNING *) SELECT * FROM gone",
        "EXPLAIN ANALYZE DELETE FROM artist",
        "SELECT 1; COMMIT; DROP SCHEMA public CASCADE",
        "SET statement_timeout = 0; SELECT 1",
        "SELECT 1;\nGRANT ALL ON artist TO PUBLIC",
        "COPY artist TO PROGRAM 'curl evil'",
        "Sure! ```sql\nSELECT 1\n``` and ```sql\nALTER TABLE artist DROP COLUMN name\n```",
        "SELECT name FROM artist; DROP TABLE artist.",
        "```sql\nSELECT 1\n```\nThen run `DELETE FROM artist`.",
        "```sql\nSELECT 1\n```\n```sql\nSELECT * INTO copy FROM artist\n```",
        "```sql\nSELECT name FROM artist\n```\nor, to be sure nobody changes them:\n```sql\nSELECT name FROM artist FOR UPDATE\n```",
        String(repeating: "do;\n", count: 2000) + "SELECT 1",
    ]

    @Test(arguments: replies)
    func theWholeReplyIsRefused(reply: String) throws {
        let extracted = try #require(PostgresDialect().query(inReply: reply), "nothing extracted from \(reply)")
        #expect(throws: QueryRefusal.self, "\(extracted)") { try SQLGuard(snapshot: SQLGuardCorpus.snapshot).check(extracted) }
    }

    @Test func aMongoDBReplyWithTwoPipelinesIsRefusedWhole() {
        let reply = "Try ```json\n{\"collection\": \"orders\", \"pipeline\": []}\n``` or ```json\n{\"collection\": \"orders\", \"pipeline\": [{\"$out\": \"x\"}]}\n```"
        #expect(MongoDialect().query(inReply: reply) == reply)
        #expect(MongoDialect().query(inReply: "It's this: {\"collection\": \"a\", \"pipeline\": [{\"$match\": {\"n\": \"}\"}}]} ok")
            == "{\"collection\": \"a\", \"pipeline\": [{\"$match\": {\"n\": \"}\"}}]}")
    }

    @Test func proseAroundOneQueryStaysFine() throws {
        for reply in [
            "Sure, this should work:\n```sql\nSELECT name FROM artist ORDER BY name\n```\nIt sorts the artists; drop me a line if not.",
            "SELECT name FROM artist\n\nThis selects every artist's name, and you can set a LIMIT to see fewer.",
            "The query is: SELECT count(*) FROM track; it counts the tracks.",
        ] {
            let extracted = try #require(PostgresDialect().query(inReply: reply))
            #expect(throws: Never.self, "\(reply) -> \(extracted)") { try SQLGuard(snapshot: SQLGuardCorpus.snapshot).check(extracted) }
        }
    }
}
