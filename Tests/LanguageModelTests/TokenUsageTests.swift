@testable import LanguageModel
import Testing

/// The tally is where a call's count goes. What each backend reads from its server is tested
/// end to end (Tests/IntegrationTests/API/ObservabilityRoutesTests.swift): scripted servers
/// started and stopped here, in the suite's busiest first seconds, met a race in NIO's accept
/// path as they stopped.
@Suite struct TokenUsageTests {
    @Test func theTallyIsNotPartOfWhatIsAsked() {
        #expect(GenerationOptions(maxTokens: 5, tally: TokenTally()) == GenerationOptions(maxTokens: 5))
        #expect(GenerationOptions(maxTokens: 5) != GenerationOptions(maxTokens: 6))
    }
}
