import Foundation
import Support

/// MCP over one HTTP request: reads a JSON-RPC message (or a batch), has a handler answer it and
/// writes the reply. It keeps nothing between requests (no session, no `initialize` state), so
/// any API process behind a load balancer can answer any request.
package struct MCPServer: Sendable {
    /// Who answers `initialize`.
    package struct Info: Sendable {
        package var name: String
        package var version: String
        /// What the server is for and how to use its tools, for the client's model.
        package var instructions: String

        package init(name: String, version: String, instructions: String) {
            self.name = name
            self.version = version
            self.instructions = instructions
        }
    }

    /// What to answer the HTTP request with.
    package enum Reply: Sendable, Equatable {
        /// Notifications and responses only: `202 Accepted`, no body.
        case accepted
        /// `200` with this JSON-RPC response (or batch of them).
        case message([UInt8])
        /// The body was no JSON-RPC message: `400` with this JSON-RPC error (its `id` null).
        case invalid([UInt8])
    }

    private let info: Info
    /// A batch may hold at most this many messages.
    package var maximumBatch = 32

    package init(info: Info) {
        self.info = info
    }

    /// Answers the HTTP body `body` with `handler`.
    package func reply(to body: [UInt8], handler: some MCPHandler) async -> Reply {
        let message: JSONValue
        do {
            message = try JSONValue(parsing: String(decoding: body, as: UTF8.self))
        } catch {
            return .invalid(Self.encode(Self.errorResponse(id: .null, .parseError("the body is not valid JSON"))))
        }
        if case .array(let batch) = message {
            guard !batch.isEmpty, batch.count <= maximumBatch else {
                return .invalid(Self.encode(Self.errorResponse(id: .null, .invalidRequest("a batch holds 1 to \(maximumBatch) messages"))))
            }
            var responses: [JSONValue] = []
            for item in batch {
                if let response = await respond(to: item, handler: handler) { responses.append(response) }
            }
            return responses.isEmpty ? .accepted : .message(Self.encode(.array(responses)))
        }
        guard let response = await respond(to: message, handler: handler) else { return .accepted }
        // A request is answered with 200, even with an error; what is no request at all is the
        // HTTP request's fault.
        return Self.isRequest(message) ? .message(Self.encode(response)) : .invalid(Self.encode(response))
    }

    /// The response to one message, or nil for a notification or a client's response.
    private func respond(to message: JSONValue, handler: some MCPHandler) async -> JSONValue? {
        guard case .object(let fields) = message else {
            return Self.errorResponse(id: .null, .invalidRequest("a JSON-RPC message is an object"))
        }
        let id = fields["id"] ?? .null
        guard fields["jsonrpc"] == .string("2.0") else {
            return Self.errorResponse(id: Self.validID(id) ? id : .null, .invalidRequest("`jsonrpc` must be \"2.0\""))
        }
        guard let method = fields["method"] else {
            // A response to a request of ours: the server sends none, so there is nothing to match.
            if fields["result"] != nil || fields["error"] != nil { return nil }
            return Self.errorResponse(id: Self.validID(id) ? id : .null, .invalidRequest("a request names its `method`"))
        }
        guard case .string(let name) = method else {
            return Self.errorResponse(id: Self.validID(id) ? id : .null, .invalidRequest("`method` must be a string"))
        }
        guard fields["id"] != nil else { return nil }  // a notification: nothing to answer
        guard Self.validID(id) else {
            return Self.errorResponse(id: .null, .invalidRequest("`id` must be a string or a number"))
        }
        let params: [String: JSONValue]
        switch fields["params"] {
        case nil, .null?: params = [:]
        case .object(let object)?: params = object
        default: return Self.errorResponse(id: id, .invalidParams("`params` must be an object"))
        }
        do {
            return .object(["jsonrpc": .string("2.0"), "id": id, "result": try await result(of: name, params: params, handler: handler)])
        } catch let error as JSONRPCError {
            return Self.errorResponse(id: id, error)
        } catch {
            return Self.errorResponse(id: id, JSONRPCError(failure: handler.failure(for: error)))
        }
    }

    private func result(of method: String, params: [String: JSONValue], handler: some MCPHandler) async throws -> JSONValue {
        switch method {
        case "initialize":
            return initializeResult(requested: params["protocolVersion"]?.string)
        case "ping":
            return .object([:])
        case "tools/list":
            return .object(["tools": .array(handler.tools.map(\.json))])
        case "tools/call":
            guard case .string(let name)? = params["name"] else { throw JSONRPCError.invalidParams("`params.name` must name a tool") }
            guard handler.tools.contains(where: { $0.name == name }) else { throw JSONRPCError.invalidParams("unknown tool: \(name)") }
            let arguments: [String: JSONValue]
            switch params["arguments"] {
            case nil, .null?: arguments = [:]
            case .object(let object)?: arguments = object
            default: throw JSONRPCError.invalidParams("`params.arguments` must be an object")
            }
            do {
                return try await handler.callTool(name, arguments: arguments).json
            } catch let error as JSONRPCError {
                throw error
            } catch {
                // The tool ran and failed: the model should see why, as the tool's result.
                return MCPToolResult(failure: handler.failure(for: error)).json
            }
        case "resources/list":
            return .object(["resources": .array(try await handler.listResources().map(\.json))])
        case "resources/templates/list":
            return .object(["resourceTemplates": .array(handler.resourceTemplates.map(\.json))])
        case "resources/read":
            guard case .string(let uri)? = params["uri"] else { throw JSONRPCError.invalidParams("`params.uri` must be a string") }
            return .object(["contents": .array([try await handler.readResource(uri).json])])
        default:
            throw JSONRPCError.methodNotFound(method)
        }
    }

    private func initializeResult(requested: String?) -> JSONValue {
        .object([
            "protocolVersion": .string(MCPProtocolVersion.negotiated(requested)),
            "capabilities": .object([
                "tools": .object(["listChanged": .bool(false)]),
                "resources": .object(["listChanged": .bool(false), "subscribe": .bool(false)]),
            ]),
            "serverInfo": .object(["name": .string(info.name), "version": .string(info.version)]),
            "instructions": .string(info.instructions),
        ])
    }

    private static func isRequest(_ message: JSONValue) -> Bool {
        guard case .object(let fields) = message, fields["jsonrpc"] == .string("2.0"), case .string? = fields["method"],
              let id = fields["id"] else { return false }
        return validID(id)
    }

    /// MCP ids are strings or numbers; null is not one.
    private static func validID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .int, .double: true
        default: false
        }
    }

    private static func errorResponse(id: JSONValue, _ error: JSONRPCError) -> JSONValue {
        .object(["jsonrpc": .string("2.0"), "id": id, "error": error.json])
    }

    private static func encode(_ value: JSONValue) -> [UInt8] {
        // A JSONValue always encodes; a failure would be a bug in JSONEncoder.
        (try? Array(ResponseJSON.encoder.encode(value))) ?? Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}"#.utf8)
    }
}
