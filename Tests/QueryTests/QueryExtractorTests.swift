import Foundation
@testable import Query
import Testing

@Suite struct QueryExtractorTests {
    @Test func extractionFindsTheQueryInProse() {
        #expect(QueryExtractor.sql(from: "Here:\n```sql\nSELECT 1;\n```\nDone.") == "SELECT 1")
        #expect(QueryExtractor.sql(from: "```\nselect a from b\n```") == "select a from b")
        #expect(QueryExtractor.sql(from: "The answer is SELECT name FROM artist; which lists artists.") == "SELECT name FROM artist")
        #expect(QueryExtractor.sql(from: "WITH x AS (SELECT 1) SELECT * FROM x\n\nThis uses a CTE.") == "WITH x AS (SELECT 1) SELECT * FROM x")
        #expect(QueryExtractor.sql(from: "I cannot help with that.") == nil)
        #expect(QueryExtractor.pipeline(from: "Sure: ```json\n{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}\n``` ok")
            == "{\"collection\": \"orders\", \"pipeline\": [{\"$match\": {\"note\": \"a } b\"}}]}")
    }
}
