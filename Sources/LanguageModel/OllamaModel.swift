import Foundation
import UpstreamHTTP

/// A model served by Ollama's `POST /api/chat`, streamed as one JSON object per line.
package struct OllamaModel: LanguageModel {
    package let name: String
    private let endpoint: String
    private let http: JSONHTTPClient

    package init(baseURL: String, model: String, timeout: Duration = .seconds(120)) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        endpoint = base + "/api/chat"
        name = model
        http = JSONHTTPClient(service: "Ollama", address: baseURL, timeout: timeout)
    }

    private struct Request: Encodable, Sendable {
        struct Options: Encodable, Sendable {
            var temperature: Double
            var num_predict: Int
        }
        var model: String
        var messages: [ChatMessage]
        var stream: Bool
        var options: Options
    }

    private struct Line: Decodable {
        struct Message: Decodable { var content: String? }
        var message: Message?
        var done: Bool?
        var error: String?
        /// Tokens read and written, on the last line.
        var prompt_eval_count: Int?
        var eval_count: Int?
    }

    package func stream(_ messages: [ChatMessage], options: GenerationOptions) -> AsyncThrowingStream<String, any Error> {
        let request = Request(model: name, messages: messages, stream: true,
                              options: .init(temperature: options.temperature, num_predict: options.maxTokens))
        let http = self.http, endpoint = self.endpoint, call = ModelCall(model: name, tally: options.tally)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var usage: TokenUsage?
                do {
                    let response = try await http.stream(endpoint, body: request)
                    for try await text in LineStream(body: response.body) where !text.isEmpty {
                        guard let line = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)) else {
                            throw http.failure(.invalidResponse, "sent a line that is not a chat response")
                        }
                        if let error = line.error { throw http.failure(.status, error) }
                        if let piece = line.message?.content, !piece.isEmpty { continuation.yield(piece) }
                        if line.done == true {
                            if line.prompt_eval_count != nil || line.eval_count != nil {
                                usage = TokenUsage(prompt: line.prompt_eval_count ?? 0, completion: line.eval_count ?? 0)
                            }
                            break
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
