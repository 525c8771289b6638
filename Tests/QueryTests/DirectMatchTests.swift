import Foundation
@testable import Query
import Testing

struct DirectMatchTests {
    let vocabulary = DirectMatch.Vocabulary(words: ["artist", "track", "album", "genre", "customer", "country", "city", "Rock", "Jazz"])

    func signature(_ question: String) -> DirectMatch.Signature { DirectMatch.Signature(question, vocabulary: vocabulary) }

    @Test func numbersCountHoweverTheyAreWritten() {
        #expect(signature("Which 5 artists have the most tracks?") == signature("Top five artists by tracks"))
        #expect(signature("Which 5 artists have the most tracks?") != signature("Which 10 artists have the most tracks?"))
        #expect(signature("Revenue in 2010") != signature("Revenue in 2011"))
        #expect(signature("Tracks over 1,000 ms").numbers == ["1000"])
    }

    @Test func literalsNamesAndValuesMustBeTheSame() {
        #expect(signature("Tracks on 'Let There Be Rock'") != signature("Tracks on 'Big Ones'"))
        #expect(signature("Albums by AC/DC") != signature("Albums by Aerosmith"))
        #expect(signature("How many rock tracks?") != signature("How many jazz tracks?"))
        // An apostrophe inside a word opens no literal.
        #expect(signature("The artist's tracks").quoted.isEmpty)
    }

    @Test func directionsGroupingsAndPeriodsMustBeTheSame() {
        #expect(signature("Artists with the most tracks") != signature("Artists with the fewest tracks"))
        #expect(signature("Tracks per genre") != signature("Tracks per album"))
        #expect(signature("Customers per country") != signature("Customers per city"))
        #expect(signature("Invoices each month") != signature("Invoices each year"))
        #expect(signature("Average track length") != signature("Longest track length"))
    }

    @Test func theMostSimilarCandidateWithTheSameSignatureAnswers() {
        let match = DirectMatch(threshold: 0.8)
        let five = ExampleCandidate(id: UUID(), question: "Which 5 artists have the most tracks?", query: "q5", similarity: 0.97)
        let ten = ExampleCandidate(id: UUID(), question: "Which 10 artists have the most tracks?", query: "q10", similarity: 0.95)
        #expect(match.match("Top 10 artists by tracks", among: [five, ten], vocabulary: vocabulary)?.query == "q10")
        #expect(match.match("Top 3 artists by tracks", among: [five, ten], vocabulary: vocabulary) == nil)
        var distant = ten
        distant.similarity = 0.7
        #expect(match.match("Top 10 artists by tracks", among: [distant], vocabulary: vocabulary) == nil)
    }
}
