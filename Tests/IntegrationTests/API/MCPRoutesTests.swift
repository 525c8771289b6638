@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `POST /mcp` against the real services: Chinook indexed, a scripted model, two users.
@Suite(.serialized) struct MCPRoutesTests {
    /// One JSON-RPC request's answer.
    struct RPC {
        var answer: APIAnswer
        var result: [String: Any] { answer.object["result"] as? [String: Any] ?? [:] }
        var error: [String: Any]? { answer.object["error"] as? [String: Any] }
        var structured: [String: Any] { result["structuredContent"] as? [String: Any] ?? [:] }
        var isError: Bool { result["isError"] as? Bool ?? false }
        var toolErrorCode: String? { (structured["error"] as? [String: Any])?["code"] as? String }
        var text: String { ((result["content"] as? [[String: Any]])?.first?["text"] as? String) ?? "" }
    }

    static func rpc(_ client: any TestClientProtocol, token: String?, _ method: String, _ params: [String: any Sendable] = [:]) async throws -> RPC {
        RPC(answer: try await client.call(.post, "/mcp", token: token, body: ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]))
    }

    static func tool(_ client: any TestClientProtocol, token: String, _ name: String, _ arguments: [String: any Sendable] = [:]) async throws -> RPC {
        try await rpc(client, token: token, "tools/call", ["name": name, "arguments": arguments])
    }

    @Test func anAgentListsDescribesFindsAsksAndRunsOnlyTheOwnersData() async throws {
        try await QueryRoutesTests.withChinookAndModel(replies: ["```sql\nSELECT count(*) AS albums FROM album\n```", "There are 347 albums."]) { source, _, modelURL in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_LLM_MODEL": "scripted"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)

                let initialize = try await Self.rpc(client, token: token, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [String: String](),
                                                                                          "clientInfo": ["name": "test", "version": "1"]])
                #expect(initialize.answer.status == .ok)
                #expect(initialize.result["protocolVersion"] as? String == "2025-06-18")
                #expect(initialize.answer.headers[.init("Mcp-Session-Id")!] == nil)
                let tools = try await Self.rpc(client, token: token, "tools/list")
                #expect((tools.result["tools"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                        == ["list_connections", "describe_schema", "find_tables", "ask", "run_query"])

                let listed = try await Self.tool(client, token: token, "list_connections")
                #expect((listed.structured["connections"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
                #expect(listed.text.contains(id))

                let schema = try await Self.tool(client, token: token, "describe_schema", ["connection_id": id])
                let objects = schema.structured["objects"] as? [[String: Any]] ?? []
                #expect(objects.count == 11, "\(schema.answer.object)")
                let album = objects.first { $0["name"] as? String == "public.album" }
                #expect((album?["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.contains("title") == true)
                #expect(schema.text.contains("TABLE public.album"))
                let one = try await Self.tool(client, token: token, "describe_schema", ["connection_id": id, "tables": ["ALBUM", "nope"]])
                #expect((one.structured["objects"] as? [[String: Any]])?.count == 1)
                #expect(one.structured["unknown_tables"] as? [String] == ["nope"])

                let found = try await Self.tool(client, token: token, "find_tables", ["connection_id": id, "question": "Which albums has each artist made?", "limit": 3])
                #expect(!found.isError, "\(found.answer.object)")
                #expect((1...3).contains((found.structured["tables"] as? [[String: Any]])?.count ?? 0))

                let asked = try await Self.tool(client, token: token, "ask", ["connection_id": id, "question": "How many albums are there?"])
                #expect(!asked.isError, "\(asked.answer.object)")
                #expect(asked.structured["rows"] as? [[Int]] == [[347]])
                #expect(asked.structured["answer"] as? String == "There are 347 albums.")
                #expect(asked.structured["verified"] as? Bool == false)
                #expect(asked.structured["truncated"] as? Bool == false)
                #expect(asked.text.contains("SELECT count(*) AS albums FROM album") && asked.text.contains("347"))

                let run = try await Self.tool(client, token: token, "run_query", ["connection_id": id, "query": "SELECT count(*) AS artists FROM artist"])
                #expect(run.structured["rows"] as? [[Int]] == [[275]], "\(run.answer.object)")
                let destructive = try await Self.tool(client, token: token, "run_query", ["connection_id": id, "query": "DELETE FROM album"])
                #expect(destructive.isError)
                #expect(destructive.toolErrorCode == "not_read_only")

                let resources = try await Self.rpc(client, token: token, "resources/list")
                let uri = try #require((resources.result["resources"] as? [[String: Any]])?.first?["uri"] as? String)
                #expect(uri == "askdb://connections/\(id)/schema")
                let read = try await Self.rpc(client, token: token, "resources/read", ["uri": uri])
                #expect(((read.result["contents"] as? [[String: Any]])?.first?["text"] as? String)?.contains("TABLE public.track") == true)

                // Another user sees nothing of it: not found, never forbidden.
                let other = try await client.signUp("other@example.com")
                let theirs = try await Self.tool(client, token: other, "list_connections")
                #expect((theirs.structured["connections"] as? [Any])?.isEmpty == true)
                for (name, arguments) in [("describe_schema", ["connection_id": id]), ("run_query", ["connection_id": id, "query": "SELECT 1"]),
                                          ("ask", ["connection_id": id, "question": "How many albums?"]),
                                          ("find_tables", ["connection_id": id, "question": "albums"])] {
                    let refused = try await Self.tool(client, token: other, name, arguments)
                    #expect(refused.isError && refused.toolErrorCode == "not_found", "\(name): \(refused.answer.object)")
                }
                let hidden = try await Self.rpc(client, token: other, "resources/read", ["uri": uri])
                #expect(hidden.error?["code"] as? Int == -32002)
                #expect(((try await Self.rpc(client, token: other, "resources/list")).result["resources"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func badInputIsAToolErrorOrAJSONRPCErrorNeverA500() async throws {
        try await APITestHarness.withFreshApplication { client, _ in
            let token = try await client.signUp("agent@example.com")
            let missing = try await Self.tool(client, token: token, "describe_schema")
            #expect(missing.isError && missing.toolErrorCode == "bad_request", "\(missing.answer.object)")
            let notAnID = try await Self.tool(client, token: token, "run_query", ["connection_id": "x", "query": "SELECT 1"])
            #expect(notAnID.toolErrorCode == "bad_request", "\(notAnID.answer.object)")
            let nul = try await Self.tool(client, token: token, "ask", ["connection_id": UUID().uuidString, "question": "a\u{0}b"])
            #expect(nul.toolErrorCode == "validation_failed", "\(nul.answer.object)")
            let unknown = try await Self.tool(client, token: token, "drop_database")
            #expect(unknown.error?["code"] as? Int == -32602)

            let garbage = try await client.call(.post, "/mcp", token: token, rawBody: "{not json")
            #expect(garbage.status == .badRequest)
            #expect((garbage.object["error"] as? [String: Any])?["code"] as? Int == -32700)
            let notification = try await client.call(.post, "/mcp", token: token, body: ["jsonrpc": "2.0", "method": "notifications/initialized"])
            #expect(notification.status == .accepted && notification.body.isEmpty)
            let version = try await client.call(.post, "/mcp", token: token, body: ["jsonrpc": "2.0", "id": 1, "method": "ping"],
                                                headers: [.init("MCP-Protocol-Version")!: "1999-01-01"])
            #expect(version.status == .badRequest && version.errorCode == "bad_request")
            let text = try await client.execute(uri: "/mcp", method: .post, headers: [.contentType: "text/plain", .authorization: "Bearer \(token)"],
                                                body: ByteBuffer(string: "{}")) { APIAnswer(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body)) }
            #expect(text.status == .unsupportedMediaType && text.errorCode == "unsupported_media_type")
        }
    }
}
