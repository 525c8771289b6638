import Foundation
import Logging
import Mongo
import SchemaModel
import Support

/// A user's MongoDB database, reached through libmongoc at addresses the host policy approved.
package struct MongoSourceConnector: SourceConnector {
    private let url: MongoURL
    /// What libmongoc is given: the checked addresses in place of names when TLS does not need
    /// the names (for certificate checks).
    private let clientKey: MongoClientPool.Key
    private let timeout: Duration
    private let clients: MongoClientPool

    /// - Parameter connectionID: the saved connection the URL belongs to (nil for a URL being
    ///   tested before it is saved): its clients are dropped when its row changes.
    /// - Parameter caCertificate: PEM certificates the server's must chain to (with them, TLS is on).
    package init(url: MongoURL, connectURI: String, caCertificate: String? = nil, connectionID: UUID?, timeout: Duration = .seconds(5),
                 clients: MongoClientPool) {
        self.url = url
        self.clientKey = MongoClientPool.Key(connectionID: connectionID, uri: connectURI, caCertificate: caCertificate)
        self.timeout = timeout
        self.clients = clients
    }

    package func test() async throws -> SourceProbe {
        let database = url.database ?? "admin"
        return try await withClient(classifyingFailures: true) { client in
            _ = try await client.command(#"{"ping": 1}"#, database: database)
            let buildInfo = try Self.object(try await client.command(#"{"buildInfo": 1}"#, database: database))
            let status = try Self.object(try await client.command(#"{"connectionStatus": 1}"#, database: database))
            let authInfo = status["authInfo"] as? [String: Any]
            let user = (authInfo?["authenticatedUsers"] as? [[String: Any]])?.first?["user"] as? String
            let roles = (authInfo?["authenticatedUserRoles"] as? [[String: Any]])?.compactMap { $0["role"] as? String } ?? []
            var warnings: [String] = []
            if let powerful = roles.first(where: { ["root", "__system", "dbOwner", "readWriteAnyDatabase", "clusterAdmin"].contains($0) }) {
                warnings.append("\(user ?? "this user") has the \(powerful) role: connect AskDB with a user that has only the read role.")
            }
            if url.namesOtherHosts, !url.isSRV {
                let first = url.hosts[0]
                warnings.append("AskDB reads from \(first.name):\(first.port) alone, directly: with replicaSet or a list of hosts the driver would also connect to the hosts the servers name, which AskDB cannot check.")
            }
            let version = buildInfo["version"] as? String ?? "unknown"
            return SourceProbe(serverVersion: "MongoDB \(version)", database: url.database, user: user, encrypted: url.usesTLS, warnings: warnings)
        }
    }

    package func sampleSchema(options: SamplingOptions, maxObjects: Int, progress: SamplingProgress) async throws -> SchemaSnapshot {
        try await withClient(classifyingFailures: true) { client in
            try await MongoSchemaSampler(client: client, database: url.database, options: options, maxObjects: maxObjects, maxTime: .seconds(10))
                .sample(progress: progress)
        }
    }

    /// `query` is `{"collection": …, "pipeline": [...]}`, as ``MongoPipelineGuard`` passed it; it
    /// runs as an aggregate with a server-side time limit and a `$limit` stage appended.
    package func run(_ query: GuardedQuery, limits: QueryLimits) async throws -> QueryResult {
        let parsed: MongoQuery
        do {
            parsed = try MongoQuery(parsing: query.text)
        } catch {
            throw QueryExecutionError(stage: "explain", code: error.code, message: error.message)
        }
        let documents: [JSONValue]
        do {
            documents = try await withClient { client in
                try await Self.checkFanOut(of: parsed, database: url.database ?? "test", client: client)
                if limits.planOnly { return [] }
                return try await client.aggregate(
                    database: url.database ?? "test", collection: parsed.collection,
                    pipeline: parsed.pipeline + [.object(["$limit": .int(Int64(limits.rowLimit + 1))])],
                    limit: limits.rowLimit + 1, maxTime: limits.timeout, maxBytes: limits.maxResultBytes
                )
            }
        } catch let error as MongoError {
            throw QueryExecutionError(stage: "execute", code: String(error.code), message: error.message)
        }
        // Columns: every top-level field, in the order first seen.
        var columns: [String] = []
        var seen = Set<String>()
        for document in documents {
            guard case .object(let fields) = document else { continue }
            for key in fields.keys.sorted() where seen.insert(key).inserted { columns.append(key) }
        }
        // The same caps as PostgreSQL's, applied as the documents arrive (the driver has them).
        var rows: [[JSONValue]] = []
        var bytes = 0
        for document in documents.prefix(limits.rowLimit) {
            let row = columns.map { Self.capped(document[$0] ?? .null, at: limits.maxCellBytes) }
            bytes += JSONValue.array(row).jsonText.utf8.count
            guard bytes <= limits.maxResultBytes else {
                return QueryResult(columns: columns, rows: rows, truncation: .bytes)
            }
            rows.append(row)
        }
        return QueryResult(columns: columns, rows: rows, truncated: documents.count > limits.rowLimit)
    }

    /// The most documents a pipeline may make, by ``MongoFanOut``'s bound: 216,000 (three
    /// collections of 60 paired in full) pass, 13 million do not.
    package static let maxDocuments = 1_000_000.0

    /// Refuses, before it runs, a pipeline whose lookups could pair more than ``maxDocuments``
    /// documents (MongoDB's own time limit is checked between stages, too late for a cartesian
    /// `$lookup`); the collections are counted from their metadata, only when a stage may multiply.
    private static func checkFanOut(of query: MongoQuery, database: String, client: MongoClient) async throws {
        guard MongoFanOut.multiplies(query.pipeline) else { return }
        var counts: [String: Double] = [:]
        for name in MongoFanOut.collections(in: query.pipeline).union([query.collection]) {
            counts[name] = Double((try? await client.estimatedCount(database: database, collection: name)) ?? 0)
        }
        let documents = MongoFanOut.documents(query.pipeline, input: counts[query.collection] ?? 0, count: { counts[$0] ?? 0 })
        guard documents > maxDocuments else { return }
        throw QueryExecutionError(stage: "explain", code: nil, message:
            "the pipeline could make about \(Int(documents).formatted()) documents, over this server's ceiling of \(Int(maxDocuments).formatted()): "
            + "a $lookup without localField and foreignField (or a $graphLookup) pairs every document with every document it reads; "
            + "join on fields, or filter and limit first", clientCode: "too_costly")
    }

    /// `value`, or over `limit` bytes its JSON's first characters (a quarter of the limit) and `…`.
    private static func capped(_ value: JSONValue, at limit: Int) -> JSONValue {
        let text = value.jsonText
        return text.utf8.count > limit ? .string(String(text.prefix(limit / 4)) + "…") : value
    }

    /// Runs `body` with the pool's client for this connection; with `classifyingFailures`, a
    /// driver error comes out as the ``ConnectionFailure`` it means.
    private func withClient<T: Sendable>(classifyingFailures: Bool = false, _ body: (MongoClient) async throws -> T) async throws -> T {
        do {
            return try await clients.withClient(clientKey, timeout: timeout, body)
        } catch let error as MongoError where classifyingFailures {
            throw classify(error)
        }
    }

    private func classify(_ error: MongoError) -> ConnectionFailure {
        let hosts = url.hosts.map { "\($0.name):\($0.port)" }.joined(separator: ",")
        let text = error.message.lowercased()
        switch error.kind {
        case .authentication:
            return ConnectionFailure(.authenticationFailed, "authentication failed: \(error.message)")
        case .nameResolution:
            return ConnectionFailure(.hostNotFound, "host not found: \(error.message)")
        default:
            if text.contains("tls") || text.contains("ssl") || text.contains("certificate") {
                return ConnectionFailure(.tlsFailed, "TLS with \(hosts) failed: \(error.message)")
            }
            if text.contains("refused") {
                return ConnectionFailure(.connectionRefused, "connection refused by \(hosts)")
            }
            if text.contains("authenticat") {
                return ConnectionFailure(.authenticationFailed, "authentication failed: \(error.message)")
            }
            if text.contains("timed out") || text.contains("timeout") || error.kind == .serverSelection {
                return ConnectionFailure(.connectionTimeout, "no usable answer from \(hosts) within \(timeout): \(error.message)")
            }
            return ConnectionFailure(.connectionFailed, "\(hosts): \(error.message)")
        }
    }

    private static func object(_ json: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw MongoError(kind: .other, code: 0, message: "the server's reply is not a document")
        }
        return object
    }
}
