import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import Support

/// JSON over HTTP to the services AskDB calls, with a deadline on every request and errors
/// turned into ``UpstreamError``s that name the service.
package struct JSONHTTPClient: Sendable {
    private let client: HTTPClient
    /// Names the service in errors, e.g. `ollama embeddings`.
    package let service: String
    /// Where the service is, for the log.
    package let address: String
    private let headers: [(String, String)]
    private let timeout: Duration
    /// The most a response body may hold.
    private let maximumBody: Int

    /// - Parameter bearerToken: sent as `Authorization: Bearer …`; never logged or echoed.
    package init(client: HTTPClient = Self.sharedClient, service: String, address: String, bearerToken: String? = nil, timeout: Duration,
                 maximumBody: Int = 64 << 20) {
        self.client = client
        self.service = service
        self.address = address
        self.headers = bearerToken.map { [("Authorization", "Bearer \($0)")] } ?? []
        self.timeout = timeout
        self.maximumBody = maximumBody
    }

    /// One client for the process, like `HTTPClient.shared` (never shut down), but with a short
    /// connect timeout: AsyncHTTPClient retries a refused connection until that timeout, and a
    /// service that is down should fail a request in seconds, not after the whole deadline.
    package static let sharedClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(3)))
    )

    /// POSTs `body` as JSON to `url` and decodes the answer as `Response`.
    package func post<Body: Encodable & Sendable, Response: Decodable>(_ url: String, body: Body, as: Response.Type = Response.self) async throws -> Response {
        let response = try await send(url, body: body)
        let data = try await collect(response)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw failure(.status, Self.errorMessage(in: data), status: Int(response.status.code))
        }
        do {
            return try JSONDecoder().decode(Response.self, from: data)
        } catch {
            throw failure(.invalidResponse, "the answer is not the expected JSON (\(Self.describe(error)))")
        }
    }

    /// POSTs `body` and returns the response with its body still streaming, after checking the
    /// status: for streamed answers (server-sent events, NDJSON).
    package func stream<Body: Encodable & Sendable>(_ url: String, body: Body) async throws -> HTTPClientResponse {
        let response = try await send(url, body: body)
        guard (200..<300).contains(Int(response.status.code)) else {
            let data = try await collect(response)
            throw failure(.status, Self.errorMessage(in: data), status: Int(response.status.code))
        }
        return response
    }

    private func send<Body: Encodable & Sendable>(_ url: String, body: Body) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        do {
            return try await client.execute(request, timeout: .nanoseconds(Int64(timeout.inSeconds * 1e9)))
        } catch {
            throw translate(error)
        }
    }

    private func collect(_ response: HTTPClientResponse) async throws -> Data {
        do {
            return Data(buffer: try await response.body.collect(upTo: maximumBody))
        } catch {
            throw translate(error)
        }
    }

    /// Maps transport errors to the service's failure; anything else passes through.
    package func translate(_ error: any Error) -> any Error {
        if error is UpstreamError || error is CancellationError { return error }
        if let error = error as? HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .writeTimeout].contains(error) {
                return failure(.timeout, "no answer within \(Int(timeout.inSeconds)) s")
            }
            if error == .connectTimeout {
                return failure(.unreachable, "cannot connect (timed out)")
            }
        }
        // Refused connections, unknown hosts, TLS failures: the service cannot be reached.
        return failure(.unreachable, Self.describe(error))
    }

    /// This service's failure.
    package func failure(_ code: UpstreamError.Code, _ message: String, status: Int? = nil) -> UpstreamError {
        UpstreamError(code, service: service, address: address, message: message, status: status)
    }

    /// The error text of a JSON error answer (`{"error": "…"}` or `{"error": {"message": "…"}}`),
    /// else the start of the body.
    static func errorMessage(in data: Data) -> String {
        if let json = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let object) = json {
            switch object["error"] {
            case .string(let message)?: return String(message.prefix(500))
            case .object(let inner)?: if case .string(let message)? = inner["message"] { return String(message.prefix(500)) }
            default: break
            }
            if case .string(let message)? = object["message"] { return String(message.prefix(500)) }
        }
        let text = String(decoding: data.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "no details" : text
    }

    static func describe(_ error: any Error) -> String {
        String(String(describing: error).prefix(300))
    }
}
