import Foundation
import UpstreamHTTP

/// Embeddings from a server: Ollama's `POST /api/embed` or an OpenAI-compatible
/// `POST /v1/embeddings` (text-embeddings-inference, llama.cpp's server, vLLM, OpenAI).
///
/// The server's vectors are normalised to unit length here, as the store's cosine distance
/// expects; the dimension is learned from one probe at start.
package struct HTTPEmbedder: Embedder {
    /// Which API the server speaks.
    package enum API: String, Sendable {
        case ollama
        case openAI = "openai"
    }

    package let identifier: String
    package let dimension: Int
    private let api: API
    private let endpoint: String
    private let model: String
    private let http: JSONHTTPClient
    private let batchSize: Int

    /// Connects to the server and embeds a probe sentence to learn the dimension; a server
    /// that is down or does not know the model fails here, at start, with its own message.
    package static func connect(api: API, baseURL: String, model: String, apiKey: String? = nil,
                               timeout: Duration = .seconds(60), batchSize: Int = 64) async throws -> HTTPEmbedder {
        let endpoint = Self.endpoint(api: api, baseURL: baseURL)
        let http = JSONHTTPClient(service: "\(api.rawValue) embeddings", address: baseURL, bearerToken: apiKey, timeout: timeout)
        let probe = try await Self.request(["dimension probe"], api: api, endpoint: endpoint, model: model, http: http)
        guard let dimension = probe.first?.count, dimension > 0 else {
            throw http.failure(.invalidResponse, "returned no embedding for a probe sentence")
        }
        return HTTPEmbedder(identifier: "\(api.rawValue):\(model)", dimension: dimension, api: api, endpoint: endpoint,
                            model: model, http: http, batchSize: max(1, batchSize))
    }

    package func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let embedded = try await Self.request(batch, api: api, endpoint: endpoint, model: model, http: http)
            guard embedded.count == batch.count, embedded.allSatisfy({ $0.count == dimension }) else {
                throw http.failure(.invalidResponse, "returned \(embedded.count) vectors for \(batch.count) texts, or not of dimension \(dimension)")
            }
            vectors.append(contentsOf: embedded)
        }
        return vectors
    }

    private static func endpoint(api: API, baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        switch api {
        case .ollama: return base + "/api/embed"
        // OpenAI's own base URL already ends in /v1; most local servers are given without it.
        case .openAI: return base.hasSuffix("/v1") ? base + "/embeddings" : base + "/v1/embeddings"
        }
    }

    private struct Request: Encodable, Sendable {
        var model: String
        var input: [String]
    }

    private struct OllamaResponse: Decodable {
        var embeddings: [[Float]]
    }

    private struct OpenAIResponse: Decodable {
        struct Item: Decodable {
            var embedding: [Float]
            var index: Int?
        }
        var data: [Item]
    }

    private static func request(_ texts: [String], api: API, endpoint: String, model: String, http: JSONHTTPClient) async throws -> [[Float]] {
        let body = Request(model: model, input: texts)
        let vectors: [[Float]]
        switch api {
        case .ollama:
            vectors = try await http.post(endpoint, body: body, as: OllamaResponse.self).embeddings
        case .openAI:
            let items = try await http.post(endpoint, body: body, as: OpenAIResponse.self).data
            // The API promises an index per item; order by it rather than trusting the array order.
            vectors = items.enumerated().sorted { ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset) }.map(\.element.embedding)
        }
        return vectors.map(Self.unitLength)
    }

    private static func unitLength(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
