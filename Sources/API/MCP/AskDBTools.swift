import MCPProtocol
import Support

/// The tools AskDB offers over MCP: what each does and its arguments' JSON Schema, worded for the
/// client's model, which reads them to choose a tool.
enum AskDBTools {
    static let listConnections = MCPTool(
        name: "list_connections",
        title: "List database connections",
        description: """
            Lists the databases (PostgreSQL or MongoDB) this AskDB account has connected, with each one's id, name, kind and \
            whether its schema index is ready (index_version > 0). Call this first: every other tool takes a connection_id from it.
            """,
        inputSchema: schema(#"{"type": "object", "properties": {}, "additionalProperties": false}"#)
    )

    static let describeSchema = MCPTool(
        name: "describe_schema",
        title: "Describe a database's schema",
        description: """
            Describes the tables (PostgreSQL) or collections (MongoDB) of one connection as AskDB's index has them: columns or \
            fields with types, primary and foreign keys, row estimates, and sampled values where the owner allows them. What the \
            owner excluded is never shown. Without `tables`, a database of more than 50 objects is listed by name only: call \
            again with the names you need. Use this before writing a query for run_query.
            """,
        inputSchema: schema("""
            {"type": "object", "required": ["connection_id"], "additionalProperties": false, "properties": {
              "connection_id": {"type": "string", "format": "uuid", "description": "The connection's id, from list_connections."},
              "tables": {"type": "array", "maxItems": 100, "items": {"type": "string"},
                         "description": "Only these tables or collections: `schema.table` or a bare name (case-insensitive)."}
            }}
            """)
    )

    static let findTables = MCPTool(
        name: "find_tables",
        title: "Find the tables for a question",
        description: """
            Finds the tables or collections of one connection that a natural-language question is most likely about, best \
            first, with foreign-key neighbours, by AskDB's semantic and full-text search of the schema. Returns their names and \
            a compact CREATE TABLE-like description of the best ones. Nothing runs against the database.
            """,
        inputSchema: schema("""
            {"type": "object", "required": ["connection_id", "question"], "additionalProperties": false, "properties": {
              "connection_id": {"type": "string", "format": "uuid", "description": "The connection's id, from list_connections."},
              "question": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "The question, in plain language."},
              "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10, "description": "How many table names to return at most."}
            }}
            """)
    )

    static let ask = MCPTool(
        name: "ask",
        title: "Ask a database a question",
        description: """
            Answers a plain-language question from the live data of one connection: AskDB retrieves the relevant schema, has \
            its own language model write a read-only query, checks and runs it (read-only, at most 1,000 rows) and answers from \
            the rows. Returns the answer in words (unless mode is sql_only), the query that ran, its columns and rows, \
            `truncated` when a cap cut the rows short, and `verified` (whether a verified example answered). Pass the returned \
            conversation_id to ask a follow-up question.
            """,
        inputSchema: schema("""
            {"type": "object", "required": ["connection_id", "question"], "additionalProperties": false, "properties": {
              "connection_id": {"type": "string", "format": "uuid", "description": "The connection's id, from list_connections."},
              "question": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "The question, in plain language."},
              "mode": {"type": "string", "enum": ["answer", "sql_only"], "description": "sql_only: the query and its rows, no answer in words."},
              "conversation_id": {"type": "string", "format": "uuid", "description": "Continue this conversation (from an earlier ask): its last turns inform the query."}
            }}
            """)
    )

    static let runQuery = MCPTool(
        name: "run_query",
        title: "Run a read-only query",
        description: """
            Runs a query you wrote on one connection, through the same guard as AskDB's own queries: one read-only statement \
            (SQL SELECT for PostgreSQL; for MongoDB a JSON text {"collection": ..., "pipeline": [...]}), only the tables the \
            index knows, excluded columns left out, at most 1,000 rows and 15 seconds; every run is audited. Anything that \
            writes, or calls a function outside the allow list, is refused with a code saying why. Returns the query as it ran \
            (the guard may rewrite it), columns, rows and `truncated`. Use describe_schema first to learn the names.
            """,
        inputSchema: schema("""
            {"type": "object", "required": ["connection_id", "query"], "additionalProperties": false, "properties": {
              "connection_id": {"type": "string", "format": "uuid", "description": "The connection's id, from list_connections."},
              "query": {"type": "string", "minLength": 1, "maxLength": 100000, "description": "One read-only SQL statement, or a MongoDB {collection, pipeline} JSON text."}
            }}
            """)
    )

    /// In the order `tools/list` gives them.
    static let all = [listConnections, describeSchema, findTables, ask, runQuery]

    /// What `initialize` tells the client's model about the server.
    static let instructions = """
        AskDB answers questions from the user's own databases. Start with list_connections. To answer a question, either \
        call ask (AskDB writes and runs the query), or learn the schema with find_tables or describe_schema and run your own \
        read-only query with run_query. Errors carry AskDB's REST API codes (not_found, not_indexed, not_read_only, …).
        """

    /// A schema written as JSON text, parsed once; the tests parse every one.
    private static func schema(_ text: String) -> JSONValue {
        guard let value = try? JSONValue(parsing: text) else { preconditionFailure("a tool's input schema is not JSON: \(text)") }
        return value
    }
}
