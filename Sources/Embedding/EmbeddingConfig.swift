import Foundation
import Support

/// Which embedder a process uses, from the environment. The indexer and the API must agree, so
/// both read the same variables.
package struct EmbeddingConfig: Sendable {
    /// The in-process MiniLM, or a server.
    package enum Backend: Sendable, Equatable {
        case miniLM(modelFolder: String)
        case server(api: HTTPEmbedder.API, baseURL: String, model: String)
    }

    package var backend: Backend
    /// For OpenAI-compatible servers that want one: `ASKDB_EMBEDDING_API_KEY`.
    package var apiKey: String?
    /// Per request to an embedding server: `ASKDB_EMBEDDING_TIMEOUT` seconds, default 60.
    package var timeout: Duration

    /// `ASKDB_EMBEDDER` = `minilm` (default; `ASKDB_MODEL_DIR` names the model folder), `ollama`
    /// or `openai` (`ASKDB_EMBEDDING_URL`, `ASKDB_EMBEDDING_MODEL`).
    package init(environment: EnvironmentVariables) throws(ConfigError) {
        apiKey = environment.optional("ASKDB_EMBEDDING_API_KEY")
        timeout = .seconds(try environment.integer("ASKDB_EMBEDDING_TIMEOUT", default: 60, in: 1...600))
        switch environment.optional("ASKDB_EMBEDDER")?.lowercased() ?? "minilm" {
        case "minilm":
            backend = .miniLM(modelFolder: try environment.required("ASKDB_MODEL_DIR"))
        case "ollama":
            backend = .server(api: .ollama, baseURL: try Self.url(environment), model: environment.optional("ASKDB_EMBEDDING_MODEL") ?? "all-minilm")
        case "openai":
            backend = .server(api: .openAI, baseURL: try Self.url(environment), model: try environment.required("ASKDB_EMBEDDING_MODEL"))
        case let other:
            throw ConfigError(variable: "ASKDB_EMBEDDER", reason: "is '\(other)'; use minilm, ollama or openai")
        }
    }

    /// The in-process model's vocabulary as a dictionary for splitting run-together names; nil
    /// for embedding servers (their tokenizer is not here) or when it cannot be read.
    package func identifierWords() -> IdentifierWords? {
        guard case .miniLM(let folder) = backend else { return nil }
        return try? IdentifierWords(vocabularyFile: URL(fileURLWithPath: folder).appendingPathComponent("vocab.txt"))
    }

    private static func url(_ environment: EnvironmentVariables) throws(ConfigError) -> String {
        let url = try environment.required("ASKDB_EMBEDDING_URL")
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ConfigError(variable: "ASKDB_EMBEDDING_URL", reason: "must be an http(s) URL such as http://127.0.0.1:11434")
        }
        return url
    }

    /// Makes the embedder this configuration names. Whether it fits the vector store is the
    /// wiring's check (``Runtime``), which knows both.
    /// - Parameter parallelBatches: for MiniLM, batches run at once (an indexer: one per core).
    package func makeEmbedder(parallelBatches: Int = 1) async throws -> any Embedder {
        switch backend {
        case .miniLM(let folder):
            try MiniLMEmbedder(modelFolder: URL(fileURLWithPath: folder), parallelBatches: parallelBatches)
        case .server(let api, let baseURL, let model):
            try await HTTPEmbedder.connect(api: api, baseURL: baseURL, model: model, apiKey: apiKey, timeout: timeout)
        }
    }
}
