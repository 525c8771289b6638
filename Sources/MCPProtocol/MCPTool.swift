import Support

/// A tool as `tools/list` describes it to a client: what a model reads to decide whether and how
/// to call it.
package struct MCPTool: Sendable, Equatable {
    /// The name a `tools/call` names, e.g. `run_query`.
    package var name: String
    /// A short human-readable title.
    package var title: String
    /// What the tool does and when to use it, written for a model.
    package var description: String
    /// The JSON Schema of the call's `arguments`, an object schema.
    package var inputSchema: JSONValue
    /// True when the tool changes nothing a client would call state (it may still be audited).
    package var readOnly: Bool

    package init(name: String, title: String, description: String, inputSchema: JSONValue, readOnly: Bool = true) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
    }

    /// The entry of a `tools/list` result.
    var json: JSONValue {
        .object([
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": inputSchema,
            "annotations": .object([
                "title": .string(title),
                "readOnlyHint": .bool(readOnly),
                "destructiveHint": .bool(false),
                "openWorldHint": .bool(false),
            ]),
        ])
    }
}

/// What a tool call gave: structured content for programs and a short text for the model.
package struct MCPToolResult: Sendable, Equatable {
    /// The text rendering, the result's one `text` content block.
    package var text: String
    /// The result as a JSON object (`structuredContent`).
    package var structured: [String: JSONValue]
    /// True when the tool ran but failed: the model sees the error and may try otherwise.
    package var isError: Bool

    package init(text: String, structured: [String: JSONValue], isError: Bool = false) {
        self.text = text
        self.structured = structured
        self.isError = isError
    }

    /// A failed call: `{"error": {"code", "message"}}`, the REST API's error body, as its
    /// structured content, and `code: message` as its text.
    package init(failure: MCPFailure) {
        var detail: [String: JSONValue] = ["code": .string(failure.code), "message": .string(failure.message)]
        if let retryAfter = failure.retryAfter { detail["retry_after"] = .int(Int64(retryAfter)) }
        self.init(text: "\(failure.code): \(failure.message)", structured: ["error": .object(detail)], isError: true)
    }

    var json: JSONValue {
        .object([
            "content": .array([.object(["type": .string("text"), "text": .string(text)])]),
            "structuredContent": .object(structured),
            "isError": .bool(isError),
        ])
    }
}

/// A failure as a client may see it: the REST API's status, code and message.
package struct MCPFailure: Sendable, Equatable {
    /// The HTTP status the REST API answers the same failure with.
    package var status: Int
    /// The REST API's stable code, e.g. `not_found`.
    package var code: String
    /// For people; never holds a secret.
    package var message: String
    /// Seconds to wait before trying again, where waiting helps.
    package var retryAfter: Int?

    package init(status: Int, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }
}
