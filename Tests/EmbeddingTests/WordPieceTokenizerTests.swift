@testable import Embedding
import Foundation
import TestSupport
import Testing

@Suite struct WordPieceTokenizerTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            var name: String
            var text: String?
            var token_ids: [Int32]
        }
        var cases: [Case]
    }

    @Test func tokenIdsMatchTheReferenceForEveryCase() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: TestServers.modelFolder.appendingPathComponent("vocab.txt"))
        let data = try Data(contentsOf: TestServers.fixturesFolder.appendingPathComponent("minilm_reference.json"))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        #expect(reference.cases.count == 42)
        for item in reference.cases {
            let ids = tokenizer.encode(item.text ?? "")
            #expect(ids == item.token_ids, "\(item.name)")
        }
    }

    @Test func aMissingVocabularyNamesTheFile() {
        do {
            _ = try WordPieceTokenizer(vocabularyFile: URL(fileURLWithPath: "/nonexistent/vocab.txt"))
            Issue.record("a missing vocabulary loaded")
        } catch {
            #expect("\(error)".contains("/nonexistent/vocab.txt"))
        }
    }
}
