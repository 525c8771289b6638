@testable import API
import Testing

@Suite struct JobEventStreamTests {
    @Test func aStreamIdResumesTheStream() throws {
        #expect(try JobEventStream.resumePoint(nil) == nil)
        #expect(try JobEventStream.resumePoint("1796122945588-0")?.description == "1796122945588-0")
        #expect(try JobEventStream.resumePoint("0")?.description == "0-0")
        #expect(try JobEventStream.resumePoint("1796122945588")?.description == "1796122945588-0")
    }

    /// Redis refuses these in XREAD, which broke the stream off after its headers were sent.
    @Test func anythingElseIsA400BeforeTheStreamStarts() {
        for bad in ["", "-", "1-", "-1", "1-2-3", "abc", "1796122945588-x", "$", "+", String(repeating: "9", count: 20), "١٢٣"] {
            #expect(throws: APIError.self, "\(bad)") { try JobEventStream.resumePoint(bad) }
        }
    }
}
