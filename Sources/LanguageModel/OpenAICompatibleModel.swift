import Foundation
import UpstreamHTTP

/// A model behind `POST /v1/chat/completions`, streamed as server-sent events: llama.cpp's
/// server, vLLM, OpenAI and the like.
package struct OpenAICompatibleModel: LanguageModel {
    package let name: String
    package let acceptsGrammar: Bool
    private let endpoint: String
    private let http: JSONHTTPClient

    /// - Parameter acceptsGrammar: the server takes llama.cpp's `grammar` field (configuration
    ///   says so; it is not guessed).
    package init(baseURL: String, model: String, apiKey: String? = nil, timeout: Duration = .seconds(120), acceptsGrammar: Bool = false) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        endpoint = base.hasSuffix("/v1") ? base + "/chat/completions" : base + "/v1/chat/completions"
        name = model
        self.acceptsGrammar = acceptsGrammar
        http = JSONHTTPClient(service: "the language model", address: baseURL, bearerToken: apiKey, timeout: timeout)
    }

    private struct Request: Encodable, Sendable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var max_tokens: Int
        var stream: Bool
        /// Asks for a last chunk with the call's `usage` (llama.cpp's server, vLLM and OpenAI send it).
        var stream_options = StreamOptions()
        var grammar: String?
    }

    private struct StreamOptions: Encodable, Sendable {
        var include_usage = true
    }

    private struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }

    private struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var finish_reason: String?
        }
        var choices: [Choice]
        var usage: Usage?
    }

    package func stream(_ messages: [ChatMessage], options: GenerationOptions) -> AsyncThrowingStream<String, any Error> {
        let request = Request(model: name, messages: messages, temperature: options.temperature, max_tokens: options.maxTokens,
                              stream: true, grammar: acceptsGrammar ? options.grammar : nil)
        let http = self.http, endpoint = self.endpoint, call = ModelCall(model: name, tally: options.tally)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var usage: TokenUsage?
                do {
                    let response = try await http.stream(endpoint, body: request)
                    for try await line in LineStream(body: response.body) {
                        guard line.hasPrefix("data:") else { continue }
                        let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                        if payload == "[DONE]" { break }
                        guard let chunk = try? JSONDecoder().decode(Chunk.self, from: Data(payload.utf8)) else {
                            throw http.failure(.invalidResponse, "sent an event that is not a chat completion chunk")
                        }
                        if let piece = chunk.choices.first?.delta?.content, !piece.isEmpty { continuation.yield(piece) }
                        if let reported = chunk.usage {
                            usage = TokenUsage(prompt: reported.prompt_tokens ?? 0, completion: reported.completion_tokens ?? 0)
                        }
                    }
                    call.finished(usage: usage, failed: false)
                    continuation.finish()
                } catch {
                    call.finished(usage: usage, failed: true)
                    continuation.finish(throwing: http.translate(error))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
