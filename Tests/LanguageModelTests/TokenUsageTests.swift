import Foundation
import Hummingbird
@testable import LanguageModel
import TestSupport
import Testing

/// Both backends add what their server reports to the call's tally; a server that reports
/// nothing adds nothing.
@Suite struct TokenUsageTests {
    @Test func anOpenAICompatibleServerAskedForUsageReportsItInItsLastChunkAndCallsAddUp() async throws {
        let tally = TokenTally()
        // One request a server: a second to the same one may have the HTTP client open a spare
        // connection, which the server, stopping as the test ends, would be handed mid-shutdown.
        let first = ScriptedChat(replies: ["SELECT 1"])
        try await ScriptedHTTPServer.with({ first.register(on: $0) }) { base in
            let model = OpenAICompatibleModel(baseURL: base, model: "scripted")
            let reply = try await model.complete([ChatMessage(.user, "one")], options: GenerationOptions(tally: tally))
            #expect(reply == "SELECT 1")
            #expect(await first.body(of: 0)?.contains(#""include_usage":true"#) == true)
        }
        let second = ScriptedChat(replies: ["fourteen chars"])
        try await ScriptedHTTPServer.with({ second.register(on: $0) }) { base in
            for try await _ in OpenAICompatibleModel(baseURL: base, model: "scripted").stream([ChatMessage(.user, "two")], options: GenerationOptions(tally: tally)) {}
        }
        // One completion token a 7-character piece: 2 for "SELECT 1", 2 for "fourteen chars".
        #expect(tally.total == TokenUsage(prompt: 2 * ScriptedChat.promptTokens, completion: 4))
    }

    @Test func ollamaReportsItsCountsOnTheLastLine() async throws {
        let chat = ScriptedChat(replies: ["SELECT 1"])
        try await ScriptedHTTPServer.with({ chat.register(on: $0) }) { base in
            let tally = TokenTally()
            _ = try await OllamaModel(baseURL: base, model: "scripted").complete([ChatMessage(.user, "one")], options: GenerationOptions(tally: tally))
            #expect(tally.total == TokenUsage(prompt: ScriptedChat.promptTokens, completion: 2))
        }
    }

    @Test func theTallyIsNotPartOfWhatIsAsked() {
        #expect(GenerationOptions(maxTokens: 5, tally: TokenTally()) == GenerationOptions(maxTokens: 5))
        #expect(GenerationOptions(maxTokens: 5) != GenerationOptions(maxTokens: 6))
    }
}
