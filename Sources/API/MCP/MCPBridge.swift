import AsyncHTTPClient
import Foundation
import Hummingbird
import MCPProtocol
import NIOCore
import Support

/// MCP's stdio transport carried to an AskDB server's `/mcp`: each line a client writes (one
/// JSON-RPC message) is POSTed with the API key, and the answer, if any, is the line to write
/// back. What HTTP refuses (a bad key, an unreachable server) comes back as a JSON-RPC error for
/// the request, so the client shows it instead of waiting.
struct MCPBridge: Sendable {
    /// The server's `/mcp` endpoint.
    let endpoint: String
    private let apiKey: String
    private let client: HTTPClient
    /// A question may take the model minutes; the server cuts it off before this.
    static let timeout: TimeAmount = .seconds(330)
    /// The most an answer may hold (a query's rows are capped at 8 MiB).
    static let maximumAnswer = 64 << 20

    init(endpoint: String, apiKey: String, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        self.apiKey = apiKey
        self.client = client
    }

    /// The `/mcp` endpoint of `url`, an API's address or the endpoint itself; nil unless http(s).
    static func endpoint(of url: String) -> String? {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else { return nil }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/mcp") ? base : base + "/mcp"
    }

    /// The line to write back for `line`, or nil when there is nothing to answer.
    func forward(_ line: String) async -> String? {
        guard !line.trimmed().isEmpty else { return nil }
        let id = Self.requestID(in: line)
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        request.body = .bytes(ByteBuffer(string: line))
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            let body = String(buffer: try await response.body.collect(upTo: Self.maximumAnswer))
            switch response.status.code {
            case 202:
                return nil
            case 200..<300:
                return body.trimmed()
            default:
                return Self.refusal(status: Int(response.status.code), body: body, id: id)
            }
        } catch {
            return id.map { Self.errorLine(id: $0, JSONRPCError(code: -32603, message: "AskDB at \(endpoint) could not be reached: \(error)")) }
        }
    }

    /// The JSON-RPC error for an HTTP refusal: the server's own JSON-RPC error when it sent one
    /// (given the request's id), else the REST error body's code and message.
    static func refusal(status: Int, body: String, id: JSONValue?) -> String? {
        let answer = try? JSONValue(parsing: body)
        if let error = answer?["error"], error["code"]?.int != nil, answer?["jsonrpc"] != nil {
            return errorLine(id: id ?? .null, error)
        }
        guard let id else { return nil }  // a notification: nobody waits for it
        let failure = MCPFailure(status: status, code: answer?["error"]?["code"]?.string ?? "http_\(status)",
                                 message: answer?["error"]?["message"]?.string ?? "AskDB answered HTTP \(status)")
        return errorLine(id: id, JSONRPCError(failure: failure))
    }

    /// The id of a request (nil for a notification, a response or what is no message).
    static func requestID(in line: String) -> JSONValue? {
        guard let message = try? JSONValue(parsing: line), message["method"] != nil, let id = message["id"], id != .null else { return nil }
        return id
    }

    private static func errorLine(id: JSONValue, _ error: JSONRPCError) -> String {
        errorLine(id: id, error.json)
    }

    private static func errorLine(id: JSONValue, _ error: JSONValue) -> String {
        JSONValue.object(["jsonrpc": .string("2.0"), "id": id, "error": error]).jsonText
    }
}
