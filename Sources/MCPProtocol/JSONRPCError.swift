import Support

/// A JSON-RPC 2.0 error object: a protocol-level failure (a malformed message, an unknown
/// method or tool, a missing parameter), as opposed to a tool that ran and failed.
package struct JSONRPCError: Error, Sendable, Equatable {
    /// JSON-RPC's code: -32700 parse error, -32600 invalid request, -32601 method not found,
    /// -32602 invalid params, -32603 internal error; MCP adds -32002, resource not found.
    package var code: Int
    /// For people; never holds a secret.
    package var message: String
    /// What a program may branch on: here the REST API's `code` and `status`.
    package var data: JSONValue?

    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    package static func parseError(_ message: String) -> JSONRPCError { JSONRPCError(code: -32700, message: message) }
    package static func invalidRequest(_ message: String) -> JSONRPCError { JSONRPCError(code: -32600, message: message) }
    package static func methodNotFound(_ method: String) -> JSONRPCError { JSONRPCError(code: -32601, message: "method not found: \(method)") }
    package static func invalidParams(_ message: String) -> JSONRPCError { JSONRPCError(code: -32602, message: message) }

    /// A failure told at the protocol level (a resource read): MCP's own code where it has one,
    /// with the REST API's code and status as `data`.
    package init(failure: MCPFailure) {
        var data: [String: JSONValue] = ["code": .string(failure.code), "status": .int(Int64(failure.status))]
        if let retryAfter = failure.retryAfter { data["retry_after"] = .int(Int64(retryAfter)) }
        let code = failure.status == 404 ? -32002 : (failure.status < 500 ? -32602 : -32603)
        self.init(code: code, message: failure.message, data: .object(data))
    }

    /// The error object of a JSON-RPC response.
    package var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }
}
