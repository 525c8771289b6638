@testable import Accounts
import Foundation
import Support
import Testing

@Suite struct SettingsPolicyTests {
    static let policy = SettingsPolicy(models: ["small", "large"], maxContextTokens: 3000)

    @Test func unsetSettingsTakeTheServersDefaults() {
        #expect(Self.policy.effective(UserSettings()) == EffectiveSettings(llmModel: "small", contextTokens: 3000, answerMode: .answer))
        let chosen = UserSettings(llmModel: "large", contextTokens: 500, answerMode: .sqlOnly)
        #expect(Self.policy.effective(chosen) == EffectiveSettings(llmModel: "large", contextTokens: 500, answerMode: .sqlOnly))
    }

    @Test func aChoiceTheServerNoLongerAllowsFallsBack() {
        let narrower = SettingsPolicy(models: ["small"], maxContextTokens: 1000)
        #expect(narrower.effective(UserSettings(llmModel: "large", contextTokens: 3000)) == EffectiveSettings(llmModel: "small", contextTokens: 1000, answerMode: .answer))
    }

    @Test func choicesOutsideThePolicyAreRefusedByName() {
        let model = #expect(throws: AskDBError.self) { try Self.policy.validate(UserSettings(llmModel: "huge")) }
        #expect(model?.message == "llm_model must be one of: small, large")
        let tokens = #expect(throws: AskDBError.self) { try Self.policy.validate(UserSettings(contextTokens: 3001)) }
        #expect(tokens?.message == "context_tokens must be from 200 to 3000")
        #expect(throws: AskDBError.self) { try SettingsPolicy(models: [], maxContextTokens: 2500).validate(UserSettings(llmModel: "any")) }
        #expect(throws: Never.self) { try Self.policy.validate(UserSettings(llmModel: "large", contextTokens: 200, answerMode: .sqlOnly)) }
    }

    @Test func theViewWritesEverySettingEvenUnset() throws {
        let json = String(decoding: try JSONEncoder().encode(SettingsView(saved: UserSettings(), policy: Self.policy)), as: UTF8.self)
        for field in [#""llm_model":null"#, #""llm_models":["small","large"]"#, #""max_context_tokens":3000"#, #""effective":{"#] {
            #expect(json.contains(field), "\(json)")
        }
    }
}
