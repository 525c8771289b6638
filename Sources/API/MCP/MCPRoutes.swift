import Connections
import HTTPTypes
import Hummingbird
import MCPProtocol
import Query

/// `POST /mcp`: the Model Context Protocol's Streamable HTTP transport, stateless (no
/// `Mcp-Session-Id`, no server-sent stream: every request is answered with one JSON body), so
/// any API process behind a load balancer answers any request. Behind the same authentication
/// as `/api`: an API key (or access token) names the one user whose data the tools reach.
/// `GET` and `DELETE /mcp` answer `405`: there is no stream to open and no session to end.
struct MCPRoutes: Sendable {
    let questions: QuestionService
    let connections: ConnectionService

    static let server = MCPServer(info: .init(name: "askdb", version: "1", instructions: AskDBTools.instructions))
    static let protocolVersionHeader = HTTPField.Name("MCP-Protocol-Version")!

    func register(on group: RouterGroup<AppRequestContext>) {
        // `Accept` is not checked: the answer is always JSON, which every client takes, and
        // `Origin` neither: the bearer credential, not a cookie, is what authorises, so a page
        // that rebinds a name to this server has nothing to send.
        group.post { request, context in
            let owner = try context.requireIdentity().user.id
            guard MCPProtocolVersion.accepts(header: request.headers[Self.protocolVersionHeader]) else {
                throw APIError.badRequest("unsupported MCP-Protocol-Version; this server speaks \(MCPProtocolVersion.supported.joined(separator: ", "))")
            }
            guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
                throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "an MCP message is sent as Content-Type: application/json")
            }
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let toolbox = AskDBToolbox(ownerID: owner, questions: questions, connections: connections, requestID: context.id, logger: context.logger)
            switch await Self.server.reply(to: Array(body.readableBytesView), handler: toolbox) {
            case .accepted:
                return Response(status: .accepted)
            case .message(let json):
                return Self.json(json, status: .ok)
            case .invalid(let json):
                return Self.json(json, status: .badRequest)
            }
        }
    }

    private static func json(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
