/// The MCP revisions this server speaks. Its subset (tools, resources, JSON responses, no
/// sessions) reads the same in each.
package enum MCPProtocolVersion {
    /// Oldest first.
    package static let supported = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    package static let latest = supported.last!

    /// The version an `initialize` that asked for `requested` gets: the same if this server
    /// speaks it, else its own latest (the client then decides whether it can go on).
    package static func negotiated(_ requested: String?) -> String {
        requested.flatMap { supported.contains($0) ? $0 : nil } ?? latest
    }

    /// Whether an `MCP-Protocol-Version` header may be served. A request without one is taken
    /// as 2025-03-26, as the specification says.
    package static func accepts(header: String?) -> Bool {
        header.map { supported.contains($0) } ?? true
    }
}
