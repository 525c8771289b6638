import Foundation
@testable import MCPProtocol
import Support
import Testing

/// The JSON-RPC side of MCP over one HTTP request, with a handler of two tools.
@Suite struct MCPServerTests {
    struct Refusal: Error {}

    struct Handler: MCPHandler {
        var tools: [MCPTool] {
            [MCPTool(name: "echo", title: "Echo", description: "Says it back.", inputSchema: .object(["type": .string("object")])),
             MCPTool(name: "fail", title: "Fail", description: "Fails.", inputSchema: .object(["type": .string("object")]))]
        }
        var resourceTemplates: [MCPResourceTemplate] { [] }

        func callTool(_ name: String, arguments: [String: JSONValue]) async throws -> MCPToolResult {
            if name == "fail" { throw Refusal() }
            return MCPToolResult(text: arguments["text"]?.string ?? "", structured: arguments)
        }

        func listResources() async throws -> [MCPResource] {
            [MCPResource(uri: "test://one", name: "one", title: "One", description: "The first.", mimeType: "text/plain")]
        }

        func readResource(_ uri: String) async throws -> MCPResourceContents {
            guard uri == "test://one" else { throw Refusal() }
            return MCPResourceContents(uri: uri, mimeType: "text/plain", text: "one")
        }

        func failure(for error: any Error) -> MCPFailure {
            MCPFailure(status: 404, code: "not_found", message: "nothing here", retryAfter: nil)
        }
    }

    let server = MCPServer(info: .init(name: "test", version: "1", instructions: "Test."))

    func reply(_ text: String) async throws -> (kind: String, body: JSONValue?) {
        switch await server.reply(to: Array(text.utf8), handler: Handler()) {
        case .accepted: return ("accepted", nil)
        case .message(let bytes): return ("message", try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)))
        case .invalid(let bytes): return ("invalid", try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)))
        }
    }

    @Test func initializeNegotiatesTheVersionAndNamesTheCapabilities() async throws {
        let answer = try await reply(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#)
        #expect(answer.kind == "message")
        #expect(answer.body?["id"] == .int(1))
        #expect(answer.body?["result"]?["protocolVersion"] == .string("2025-03-26"))
        #expect(answer.body?["result"]?["capabilities"]?["tools"] != nil)
        #expect(answer.body?["result"]?["serverInfo"]?["name"] == .string("test"))
        let future = try await reply(#"{"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"2099-01-01"}}"#)
        #expect(future.body?["result"]?["protocolVersion"] == .string(MCPProtocolVersion.latest))
    }

    @Test func notificationsAndResponsesAreAcceptedWithoutAnAnswer() async throws {
        #expect(try await reply(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).kind == "accepted")
        #expect(try await reply(#"{"jsonrpc":"2.0","id":7,"result":{}}"#).kind == "accepted")
    }

    @Test func toolsAreListedAndCalled() async throws {
        let list = try await reply(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        #expect(list.body?["result"]?["tools"]?.array?.compactMap { $0["name"]?.string } == ["echo", "fail"])
        #expect(list.body?["result"]?["tools"]?.array?.first?["inputSchema"]?["type"] == .string("object"))
        let call = try await reply(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#)
        #expect(call.body?["result"]?["isError"] == .bool(false))
        #expect(call.body?["result"]?["content"]?.array?.first?["text"] == .string("hi"))
        #expect(call.body?["result"]?["structuredContent"]?["text"] == .string("hi"))
    }

    @Test func aToolThatFailsIsAToolErrorWithTheRESTCode() async throws {
        let call = try await reply(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"fail"}}"#)
        #expect(call.kind == "message")
        #expect(call.body?["result"]?["isError"] == .bool(true))
        #expect(call.body?["result"]?["structuredContent"]?["error"]?["code"] == .string("not_found"))
        #expect(call.body?["result"]?["content"]?.array?.first?["text"] == .string("not_found: nothing here"))
    }

    @Test func protocolMistakesAreJSONRPCErrors() async throws {
        let unknownTool = try await reply(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"nope"}}"#)
        #expect(unknownTool.body?["error"]?["code"] == .int(-32602))
        let badArguments = try await reply(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":[1]}}"#)
        #expect(badArguments.body?["error"]?["code"] == .int(-32602))
        let unknownMethod = try await reply(#"{"jsonrpc":"2.0","id":6,"method":"prompts/list"}"#)
        #expect(unknownMethod.body?["error"]?["code"] == .int(-32601))
        #expect(unknownMethod.kind == "message")
        let badParams = try await reply(#"{"jsonrpc":"2.0","id":6,"method":"tools/list","params":3}"#)
        #expect(badParams.body?["error"]?["code"] == .int(-32602))
    }

    @Test func whatIsNoMessageIsABadRequest() async throws {
        for text in ["{", "", "3", "[]", #"{"id":1,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
                     #"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#, #"{"jsonrpc":"2.0","id":1}"#, "\"\u{0}\""] {
            let answer = try await reply(text)
            #expect(answer.kind == "invalid", "\(text)")
            #expect(answer.body?["error"]?["code"]?.int != nil, "\(text)")
            // The id is echoed when the message had a usable one.
            let id = (try? JSONValue(parsing: text))?["id"]
            #expect(answer.body?["id"] == (id == .int(1) ? .int(1) : .null), "\(text)")
        }
        #expect(try await reply("[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, count: 33).joined(separator: ",") + "]").kind == "invalid")
    }

    @Test func aBatchIsAnsweredInOrderWithoutItsNotifications() async throws {
        let answer = try await reply(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#)
        #expect(answer.kind == "message")
        #expect(answer.body?.array?.map { $0["id"] } == [.int(1), .int(2)])
        #expect(try await reply(#"[{"jsonrpc":"2.0","method":"notifications/x"}]"#).kind == "accepted")
    }

    @Test func resourcesAreListedAndReadAndAMissingOneIsResourceNotFound() async throws {
        let list = try await reply(#"{"jsonrpc":"2.0","id":1,"method":"resources/list"}"#)
        #expect(list.body?["result"]?["resources"]?.array?.first?["uri"] == .string("test://one"))
        let read = try await reply(#"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"test://one"}}"#)
        #expect(read.body?["result"]?["contents"]?.array?.first?["text"] == .string("one"))
        let missing = try await reply(#"{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"test://two"}}"#)
        #expect(missing.body?["error"]?["code"] == .int(-32002))
        #expect(missing.body?["error"]?["data"]?["code"] == .string("not_found"))
        let templates = try await reply(#"{"jsonrpc":"2.0","id":4,"method":"resources/templates/list"}"#)
        #expect(templates.body?["result"]?["resourceTemplates"] == .array([]))
    }

    @Test func theProtocolVersionHeaderIsChecked() {
        #expect(MCPProtocolVersion.accepts(header: nil))
        #expect(MCPProtocolVersion.accepts(header: "2025-06-18"))
        #expect(!MCPProtocolVersion.accepts(header: "1999-01-01"))
    }
}
