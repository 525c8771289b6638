/// A chat model behind an HTTP API: the query pipeline writes queries and answers with it.
package protocol LanguageModel: Sendable {
    /// The model's name as the server knows it, reported with every answer.
    var name: String { get }
    /// Whether the server accepts a GBNF grammar that constrains what it writes.
    var acceptsGrammar: Bool { get }
    /// The whole reply to `messages`.
    func complete(_ messages: [ChatMessage], options: GenerationOptions) async throws -> String
    /// The reply as it is written, piece by piece.
    func stream(_ messages: [ChatMessage], options: GenerationOptions) -> AsyncThrowingStream<String, any Error>
}

extension LanguageModel {
    package var acceptsGrammar: Bool { false }

    /// Collects ``stream(_:options:)``: one implementation of generation per backend.
    package func complete(_ messages: [ChatMessage], options: GenerationOptions) async throws -> String {
        var reply = ""
        for try await piece in stream(messages, options: options) { reply += piece }
        return reply
    }
}

/// One message of a conversation with a model.
package struct ChatMessage: Sendable, Codable, Equatable {
    package enum Role: String, Sendable, Codable {
        case system, user, assistant
    }

    package var role: Role
    package var content: String

    package init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// How to generate: deterministic by default, since a query should not change between asks.
package struct GenerationOptions: Sendable, Equatable {
    package var temperature: Double
    package var maxTokens: Int
    /// A GBNF grammar the output must match, for servers that accept one.
    package var grammar: String?
    /// Where the call adds the tokens its server reports (nil: counted in the metrics only).
    package var tally: TokenTally?

    package init(temperature: Double = 0, maxTokens: Int = 512, grammar: String? = nil, tally: TokenTally? = nil) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.grammar = grammar
        self.tally = tally
    }

    /// The same request; the tally is where its count goes, not part of what is asked.
    package static func == (left: GenerationOptions, right: GenerationOptions) -> Bool {
        left.temperature == right.temperature && left.maxTokens == right.maxTokens && left.grammar == right.grammar
    }
}
