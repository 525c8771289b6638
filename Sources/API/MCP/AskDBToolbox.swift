import Connections
import Foundation
import Logging
import MCPProtocol
import Query
import Support

/// One caller's MCP tools and resources: each is one service call for the authenticated owner,
/// as a REST route is, so owner checks, limits and the audit hold the same. Another user's
/// connection is not found, never forbidden.
struct AskDBToolbox: MCPHandler {
    let ownerID: UUID
    let questions: QuestionService
    let connections: ConnectionService
    /// For the log line and the message of an unexpected failure.
    let requestID: String
    let logger: Logger

    /// Objects `describe_schema` describes whole without `tables`.
    static let describedObjects = 50
    /// Objects a schema resource describes; the rest are named.
    static let resourceObjects = 300

    var tools: [MCPTool] { AskDBTools.all }
    var resourceTemplates: [MCPResourceTemplate] { [SchemaResource.template] }

    func callTool(_ name: String, arguments: [String: JSONValue]) async throws -> MCPToolResult {
        switch name {
        case AskDBTools.listConnections.name: return try await listConnections()
        case AskDBTools.describeSchema.name: return try await describeSchema(MCPArguments.decode(MCPArguments.SchemaTables.self, from: arguments))
        case AskDBTools.findTables.name: return try await findTables(MCPArguments.decode(MCPArguments.TableSearch.self, from: arguments))
        case AskDBTools.ask.name: return try await ask(MCPArguments.decode(QueryRoutes.Question.self, from: arguments))
        case AskDBTools.runQuery.name: return try await runQuery(MCPArguments.decode(MCPArguments.WrittenQuery.self, from: arguments))
        default: throw JSONRPCError.invalidParams("unknown tool: \(name)")
        }
    }

    private func listConnections() async throws -> MCPToolResult {
        let records = try await connections.list(ownerID: ownerID)
        return MCPToolResult(text: MCPRendering.connections(records), structured: ["connections": .array(try records.map(MCPRendering.json))])
    }

    private func describeSchema(_ arguments: MCPArguments.SchemaTables) async throws -> MCPToolResult {
        if let tables = arguments.tables, tables.count > 100 {
            throw AskDBError.invalid("validation_failed", "`tables` names at most 100 tables")
        }
        let schema = try await questions.schema(ownerID: ownerID, connectionID: arguments.connectionID)
        var objects = schema.snapshot.objects
        var unknown: [String] = []
        if let tables = arguments.tables {
            let wanted = tables.map { $0.lowercased() }
            objects = objects.filter { wanted.contains($0.qualifiedName.lowercased()) || wanted.contains($0.name.lowercased()) }
            unknown = tables.filter { name in !objects.contains { [$0.qualifiedName.lowercased(), $0.name.lowercased()].contains(name.lowercased()) } }
        }
        let whole = arguments.tables != nil || objects.count <= Self.describedObjects
        var structured: [String: JSONValue] = [
            "connection_id": .string(schema.connection.id.lowercasedString),
            "kind": .string(schema.connection.kind.rawValue),
            "index_version": .int(Int64(schema.connection.indexVersion)),
            "complete": .bool(whole),
            "objects": .array(objects.map(whole ? MCPRendering.object : MCPRendering.summary)),
        ]
        if !unknown.isEmpty { structured["unknown_tables"] = .array(unknown.map(JSONValue.string)) }
        var text = whole ? MCPRendering.ddl(objects)
            : "\(objects.count) tables or collections; call describe_schema again with `tables` for their columns:\n"
                + objects.map(\.qualifiedName).joined(separator: "\n")
        if objects.isEmpty { text = "No tables or collections to describe." }
        if !unknown.isEmpty { text += "\n\nNot in the index (or excluded): \(unknown.joined(separator: ", "))" }
        return MCPToolResult(text: text, structured: structured)
    }

    private func findTables(_ arguments: MCPArguments.TableSearch) async throws -> MCPToolResult {
        let limit = arguments.limit ?? 10
        guard (1...50).contains(limit) else { throw AskDBError.invalid("validation_failed", "`limit` must be from 1 to 50") }
        let retrieval = try await questions.findTables(ownerID: ownerID, connectionID: arguments.connectionID,
                                                       question: arguments.question)
        let found = retrieval.ranking.prefix(limit).compactMap { retrieval.snapshot.object($0) }
        let tables: [JSONValue] = found.map { object in
            .object(["name": .string(object.qualifiedName), "kind": .string(object.kind.rawValue),
                     "columns": .array(object.columns.map { .string($0.name) })])
        }
        let text = found.isEmpty ? "No table or collection matched the question."
            : "Best matches, best first: \(found.map(\.qualifiedName).joined(separator: ", "))\n\n\(retrieval.context.text)"
        return MCPToolResult(text: text, structured: ["tables": .array(tables), "context": .string(retrieval.context.text)])
    }

    private func ask(_ arguments: QueryRoutes.Question) async throws -> MCPToolResult {
        let reply = try await questions.answer(try await questions.prepare(ownerID: ownerID, arguments.request, conversationID: arguments.conversationID))
        let fields = try JSONValue(parsing: String(decoding: reply.json, as: UTF8.self)).objectValue ?? [:]
        return MCPToolResult(text: MCPRendering.result(fields), structured: fields)
    }

    private func runQuery(_ arguments: MCPArguments.WrittenQuery) async throws -> MCPToolResult {
        let run = try await questions.runQuery(ownerID: ownerID, connectionID: arguments.connectionID,
                                               query: arguments.query)
        let fields = try MCPRendering.json(run).objectValue ?? [:]
        return MCPToolResult(text: MCPRendering.result(fields), structured: fields)
    }

    func listResources() async throws -> [MCPResource] {
        try await connections.list(ownerID: ownerID).filter { $0.indexVersion > 0 }.map(SchemaResource.resource)
    }

    func readResource(_ uri: String) async throws -> MCPResourceContents {
        guard let id = SchemaResource.connectionID(in: uri) else { throw AskDBError.notFound("resource") }
        let schema = try await questions.schema(ownerID: ownerID, connectionID: id)
        let objects = schema.snapshot.objects
        var text = "-- \(schema.connection.name) (\(schema.connection.kind.rawValue)), index version \(schema.connection.indexVersion), "
            + "\(objects.count) tables or collections\n\n" + MCPRendering.ddl(objects.prefix(Self.resourceObjects))
        if objects.count > Self.resourceObjects {
            text += "\n\n-- and \(objects.count - Self.resourceObjects) more (describe_schema with `tables` describes them): "
                + objects.dropFirst(Self.resourceObjects).map(\.qualifiedName).joined(separator: ", ")
        }
        return MCPResourceContents(uri: uri, mimeType: SchemaResource.mimeType, text: text)
    }

    func failure(for error: any Error) -> MCPFailure {
        let error = ErrorMapping.apiError(for: error, requestID: requestID, logger: logger)
        return MCPFailure(status: Int(error.status.code), code: error.code, message: error.message,
                          retryAfter: error.headers[.retryAfter].flatMap { Int($0) })
    }
}

/// A connection's schema summary as an MCP resource: `askdb://connections/{id}/schema`.
enum SchemaResource {
    static let mimeType = "text/plain"
    static let template = MCPResourceTemplate(
        uriTemplate: "askdb://connections/{connection_id}/schema", name: "schema",
        description: "The tables or collections of one connection, with columns, keys and value hints, as compact CREATE TABLE-like text.",
        mimeType: mimeType)

    static func uri(of id: UUID) -> String { "askdb://connections/\(id.lowercasedString)/schema" }

    static func resource(_ record: ConnectionRecord) -> MCPResource {
        MCPResource(uri: uri(of: record.id), name: "\(record.name) schema", title: "Schema of \(record.name)",
                    description: "Tables or collections of the \(record.kind.rawValue) connection \(record.name) (index version \(record.indexVersion)), as AskDB's index has them.",
                    mimeType: mimeType)
    }

    /// The connection a schema URI names; nil for any other URI.
    static func connectionID(in uri: String) -> UUID? {
        let prefix = "askdb://connections/", suffix = "/schema"
        guard uri.hasPrefix(prefix), uri.hasSuffix(suffix), uri.count == prefix.count + 36 + suffix.count else { return nil }
        return UUID(uuidString: String(uri.dropFirst(prefix.count).dropLast(suffix.count)))
    }
}
