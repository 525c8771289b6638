/// A document retrieval put in a prompt, and how well it matched the question.
package struct UsedDocument: Sendable, Codable, Equatable {
    package var key: String
    package var score: Double

    package init(key: String, score: Double) {
        self.key = key
        self.score = score
    }
}
