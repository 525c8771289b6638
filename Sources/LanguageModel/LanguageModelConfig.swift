import Foundation
import Support

/// Which language model answers questions, from the environment.
package struct LanguageModelConfig: Sendable, Equatable {
    package enum API: String, Sendable {
        case openAI = "openai"
        case ollama
    }

    package var api: API
    /// Nil: no model configured; questions answer 503 until one is.
    package var baseURL: String?
    /// The models the server offers users, the default first.
    package var models: [String]
    package var apiKey: String?
    package var timeout: Duration
    /// The server takes a GBNF grammar (llama.cpp's server does).
    package var acceptsGrammar: Bool
    /// Tokens of schema context a question's prompt may hold: what fits the model's window
    /// beside the question and the reply.
    package var contextTokens: Int

    /// `ASKDB_LLM_API` (`openai`, default, or `ollama`), `ASKDB_LLM_URL`, `ASKDB_LLM_MODELS` (the
    /// models users may choose, comma-separated, the default first) or `ASKDB_LLM_MODEL` (one),
    /// `ASKDB_LLM_API_KEY`, `ASKDB_LLM_TIMEOUT` seconds (default 120), `ASKDB_LLM_GRAMMAR` (true/false),
    /// `ASKDB_LLM_CONTEXT_TOKENS` (default 2500).
    package init(environment: EnvironmentVariables) throws(ConfigError) {
        let api = environment.optional("ASKDB_LLM_API")?.lowercased() ?? "openai"
        guard let parsed = API(rawValue: api) else {
            throw ConfigError(variable: "ASKDB_LLM_API", reason: "is '\(api)'; use openai or ollama")
        }
        self.api = parsed
        baseURL = environment.optional("ASKDB_LLM_URL")
        if let baseURL {
            guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigError(variable: "ASKDB_LLM_URL", reason: "must be an http(s) URL such as http://127.0.0.1:11434")
            }
        }
        switch (environment.optional("ASKDB_LLM_MODELS"), environment.optional("ASKDB_LLM_MODEL")) {
        case (.some, .some):
            throw ConfigError(variable: "ASKDB_LLM_MODELS", reason: "and ASKDB_LLM_MODEL are both set; set one (ASKDB_LLM_MODELS lists the default first)")
        case (.some(let list), nil):
            models = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !models.isEmpty, Set(models).count == models.count, models.allSatisfy({ $0.count <= 200 }) else {
                throw ConfigError(variable: "ASKDB_LLM_MODELS", reason: "must list one or more distinct model names, comma-separated")
            }
        case (nil, let one):
            models = [one ?? (parsed == .ollama ? "qwen2.5-coder:7b" : "default")]
        }
        apiKey = environment.optional("ASKDB_LLM_API_KEY")
        timeout = .seconds(try environment.integer("ASKDB_LLM_TIMEOUT", default: 120, in: 1...3600))
        acceptsGrammar = ["1", "true", "yes"].contains(environment.optional("ASKDB_LLM_GRAMMAR")?.lowercased() ?? "")
        contextTokens = try environment.integer("ASKDB_LLM_CONTEXT_TOKENS", default: 2500, in: 200...100_000)
    }

    /// The default model.
    package var model: String { models[0] }

    /// The default model, or nil when no server is configured.
    package func makeModel() -> (any LanguageModel)? {
        makeCatalog()?.defaultModel
    }

    /// Every offered model, or nil when no server is configured.
    package func makeCatalog() -> ModelCatalog? {
        guard let baseURL else { return nil }
        return ModelCatalog(models.map { name -> any LanguageModel in
            switch api {
            case .openAI: OpenAICompatibleModel(baseURL: baseURL, model: name, apiKey: apiKey, timeout: timeout, acceptsGrammar: acceptsGrammar)
            case .ollama: OllamaModel(baseURL: baseURL, model: name, timeout: timeout)
            }
        })
    }
}
