import Support

/// What one caller's MCP requests reach: the tools and resources, bound to whoever asks. The
/// server holds no state between requests, so a handler is made per HTTP request.
package protocol MCPHandler: Sendable {
    /// Every tool, in the order `tools/list` gives them.
    var tools: [MCPTool] { get }
    /// Templates of the resources `readResource` serves.
    var resourceTemplates: [MCPResourceTemplate] { get }
    /// Runs tool `name` (one of ``tools``) with the call's arguments. A thrown error is the
    /// call's failure, told to the client as a tool error through ``failure(for:)``.
    func callTool(_ name: String, arguments: [String: JSONValue]) async throws -> MCPToolResult
    /// The resources the caller may read now.
    func listResources() async throws -> [MCPResource]
    /// The resource at `uri`.
    func readResource(_ uri: String) async throws -> MCPResourceContents
    /// How a client sees `error`: the one mapping the REST API's answers use too.
    func failure(for error: any Error) -> MCPFailure
}
