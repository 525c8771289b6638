@testable import Embedding
import Testing

@Suite struct IdentifierWordsTests {
    static let words = IdentifierWords(words: ["sb", "cust", "country", "tx", "date", "time", "amount", "customer", "id", "a", "order", "orders"])

    @Test func runTogetherNamesSplitIntoDictionaryWords() {
        #expect(Self.words.split("sbCustCountry") == ["sb", "cust", "country"])
        #expect(Self.words.split("sbtxdatetime") == ["sb", "tx", "date", "time"])
        #expect(Self.words.split("sb_txamount2") == ["sb", "tx", "amount"])
        // A stray letter between words is allowed; nonsense is left alone.
        #expect(Self.words.split("sbxdate") == ["sb", "x", "date"])
        #expect(Self.words.split("qwrtzp") == nil)
        // Already words: nothing to add.
        #expect(Self.words.split("customer_id") == nil)
        #expect(Self.words.split("orders") == nil)
    }
}
