import ArgumentParser
import Foundation
import Support

/// `askdb-api mcp --url … [--api-key …]`: MCP over standard input and output, for desktop clients
/// that start a local process, forwarded to an AskDB server's `/mcp`. Nothing but MCP messages
/// reaches standard output; the key is never printed.
struct MCPBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Bridge MCP's stdio transport to an AskDB server's /mcp endpoint (for desktop MCP clients)."
    )

    @Option(help: "The AskDB API's address, e.g. http://127.0.0.1:8080 (or its /mcp endpoint).")
    var url: String

    @Option(name: .customLong("api-key"), help: "An API key (askdb_…). Default: ASKDB_API_KEY, which keeps the key out of the process list.")
    var apiKey: String?

    func run() async throws {
        guard let endpoint = MCPBridge.endpoint(of: url) else { throw ValidationError("--url must be an http:// or https:// address") }
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["ASKDB_API_KEY"], !key.isEmpty else {
            throw ValidationError("give an API key with --api-key or ASKDB_API_KEY")
        }
        let bridge = MCPBridge(endpoint: endpoint, apiKey: key)
        let output = LineWriter()
        // readLine blocks: on a thread of its own, not the cooperative pool's.
        let input = DedicatedThreads(count: 1)
        // Requests run side by side (a ping answers while a question runs); replies go out whole lines.
        await withDiscardingTaskGroup { group in
            while let line = try? await input.run({ readLine(strippingNewline: true) }) {
                group.addTask {
                    if let reply = await bridge.forward(line) { await output.write(reply) }
                }
            }
        }
        await input.shutdown()
    }
}

/// Writes whole lines to standard output, one at a time.
actor LineWriter {
    func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
