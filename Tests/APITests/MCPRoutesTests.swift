@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import MCPProtocol
import Support
import Testing

/// `/mcp` before any service is asked, and the tool catalog.
@Suite struct MCPRouteTests {
    @Test func mcpNeedsCredentialsAndHasNoStreamOrSessionToOpen() async throws {
        try await APITestRouter.with { router in
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/mcp", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)) { response in
                    #expect(response.status == .unauthorized)
                    let body = try JSONDecoder().decode(APIError.ErrorBody.self, from: Data(buffer: response.body))
                    #expect(body.error.code == "unauthorized")
                }
                for method in [HTTPRequest.Method.get, .delete] {
                    try await client.execute(uri: "/mcp", method: method) { response in
                        #expect(response.status == .methodNotAllowed && response.headers[.allow] == "POST")
                    }
                }
            }
        }
    }

    @Test func everyToolHasAnObjectSchemaAndADescription() {
        #expect(AskDBTools.all.map(\.name) == ["list_connections", "describe_schema", "find_tables", "ask", "run_query"])
        for tool in AskDBTools.all {
            #expect(tool.inputSchema["type"] == .string("object"), "\(tool.name)")
            #expect(tool.description.count > 100, "\(tool.name)")
            let required = tool.inputSchema["required"]?.array?.compactMap(\.string) ?? []
            let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
            #expect(required.allSatisfy { properties[$0] != nil }, "\(tool.name)")
        }
    }

    @Test func aSchemaResourceURINamesOneConnection() {
        let id = UUID()
        #expect(SchemaResource.connectionID(in: SchemaResource.uri(of: id)) == id)
        for uri in ["askdb://connections/x/schema", "askdb://connections/\(id.uuidString)/schema/more", "file:///etc/passwd", ""] {
            #expect(SchemaResource.connectionID(in: uri) == nil, "\(uri)")
        }
    }

    @Test func theBridgeFindsTheEndpointAndTurnsRefusalsIntoJSONRPCErrors() throws {
        #expect(MCPBridge.endpoint(of: "http://127.0.0.1:8080") == "http://127.0.0.1:8080/mcp")
        #expect(MCPBridge.endpoint(of: "https://askdb.example.com/mcp/") == "https://askdb.example.com/mcp")
        #expect(MCPBridge.endpoint(of: "ftp://x") == nil)
        #expect(MCPBridge.endpoint(of: "127.0.0.1:8080") == nil)

        let line = try #require(MCPBridge.refusal(status: 401, body: #"{"error":{"code":"unauthorized","message":"invalid API key"}}"#, id: .int(3)))
        let error = try JSONValue(parsing: line)
        #expect(error["id"] == .int(3))
        #expect(error["error"]?["message"] == .string("invalid API key"))
        #expect(error["error"]?["data"]?["code"] == .string("unauthorized"))
        // The server's own JSON-RPC error keeps its code and gains the request's id.
        let parse = try JSONValue(parsing: try #require(MCPBridge.refusal(status: 400, body: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#, id: nil)))
        #expect(parse["error"]?["code"] == .int(-32700))
        // Nobody waits for a notification's answer.
        #expect(MCPBridge.refusal(status: 401, body: "{}", id: nil) == nil)
        #expect(MCPBridge.requestID(in: #"{"jsonrpc":"2.0","id":"a","method":"ping"}"#) == .string("a"))
        #expect(MCPBridge.requestID(in: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
    }
}

/// The text a tool result carries beside its structured content.
@Suite struct MCPRenderingTests {
    @Test func aResultShowsTheAnswerTheQueryAndTheFirstRows() {
        let rows = (1...25).map { JSONValue.array([.int(Int64($0)), $0 == 1 ? .null : .string(String(repeating: "x", count: 80))]) }
        let text = MCPRendering.result(["answer": .string("Twenty-five."), "query": .string("SELECT id, name FROM t"),
                                        "columns": .array([.string("id"), .string("name")]), "rows": .array(rows), "truncated": .bool(true)])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Twenty-five.")
        #expect(lines.contains("SELECT id, name FROM t"))
        #expect(lines.contains("id | name"))
        #expect(lines.contains("1 | NULL"))
        #expect(lines.contains("2 | " + String(repeating: "x", count: MCPRendering.shownValue) + "…"))
        #expect(!lines.contains { $0.hasPrefix("21 |") })
        #expect(text.contains("25 rows, the first 20 shown") && text.contains("truncated"))
        #expect(MCPRendering.table(columns: [.object(["name": .string("n")])], rows: [], truncated: false) == "n\n(no rows)")
    }
}
