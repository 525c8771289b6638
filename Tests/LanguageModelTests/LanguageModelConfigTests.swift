@testable import LanguageModel
import Support
import Testing

@Suite struct LanguageModelConfigTests {
    func config(_ values: [String: String]) throws(ConfigError) -> LanguageModelConfig {
        try LanguageModelConfig(environment: EnvironmentVariables(["ASKDB_LLM_URL": "http://127.0.0.1:1"].merging(values) { _, new in new }))
    }

    @Test func theModelsListNamesTheDefaultFirst() throws {
        let config = try config(["ASKDB_LLM_MODELS": " small, large ,"])
        #expect(config.models == ["small", "large"] && config.model == "small")
        let catalog = try #require(config.makeCatalog())
        #expect(catalog.names == ["small", "large"])
        #expect(catalog.model(named: "large").name == "large")
        // A saved choice the operator no longer offers falls back to the default.
        #expect(catalog.model(named: "retired").name == "small" && catalog.model(named: nil).name == "small")
    }

    @Test func oneModelOrTheOtherVariable() throws {
        #expect(try config(["ASKDB_LLM_MODEL": "only"]).models == ["only"])
        #expect(try config([:]).models == ["default"])
        #expect(throws: ConfigError.self) { try config(["ASKDB_LLM_MODEL": "a", "ASKDB_LLM_MODELS": "a,b"]) }
        for bad in [",", "a,a"] {
            #expect(throws: ConfigError.self, "\(bad)") { try config(["ASKDB_LLM_MODELS": bad]) }
        }
        #expect(try LanguageModelConfig(environment: EnvironmentVariables([:])).makeCatalog() == nil)
    }
}
