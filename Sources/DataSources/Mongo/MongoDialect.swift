import Foundation
import SchemaModel
import Support

/// MongoDB: aggregation pipelines on one collection, as JSON.
package struct MongoDialect: SourceDialect {
    package init() {}

    package var kind: ConnectionKind { .mongodb }
    package var serverName: String { "MongoDB" }
    package var rowNoun: String { "documents" }

    package func address(from raw: String) throws -> any SourceAddress {
        try MongoURL(raw)
    }

    package func connector(for source: SourceURL, connectionID: UUID?, reach: SourceReach) async throws -> any SourceConnector {
        let url = try MongoURL(source.raw)
        if url.isSRV {
            // libmongoc resolves SRV records itself: only the name can be checked here, so it
            // must be one the operator named (with no allow list, the targets could be anywhere).
            guard !reach.hostPolicy.allowed.isEmpty, reach.hostPolicy.allowsName(url.hosts[0].name) else {
                throw AskDBError(.forbidden, code: "host_not_allowed", message:
                    "\(url.hosts[0].name) is not in this server's allowed hosts (ASKDB_ALLOWED_HOSTS): a mongodb+srv host must be named there, as where its SRV records lead cannot be checked")
            }
            return MongoSourceConnector(url: url, connectURI: source.raw, caCertificate: source.caCertificate, connectionID: connectionID,
                                        timeout: reach.connectTimeout, clients: reach.mongoClients)
        }
        // Every host the URL names must be allowed, though only the first is connected to,
        // directly: the driver never follows hosts a server names (see MongoURL.directURI).
        var hosts: [String] = []
        for host in url.hosts {
            let address = try await reach.hostPolicy.resolve(host.name)
            hosts.append(address.isIPv4 ? "\(address):\(host.port)" : "[\(address)]:\(host.port)")
        }
        // With TLS (asked for, or implied by a CA certificate of the connection's own) the name
        // stays, for certificate checks; a rebinding attacker would also need a certificate for it.
        let first = url.hosts[0]
        let name = first.name.contains(":") ? "[\(first.name)]:\(first.port)" : "\(first.name):\(first.port)"
        let uri = url.directURI(host: url.usesTLS || source.caCertificate != nil ? name : hosts[0])
        return MongoSourceConnector(url: url, connectURI: uri, caCertificate: source.caCertificate, connectionID: connectionID,
                                    timeout: reach.connectTimeout, clients: reach.mongoClients)
    }

    package func query(inReply reply: String) -> String? {
        PipelineReplyExtractor.query(in: reply)
    }

    package var missingQueryHint: String {
        "the reply holds no JSON query; answer with {\"collection\": …, \"pipeline\": [...]}"
    }

    package func guarded(_ query: String, scope: QueryScope) throws(QueryRefusal) -> GuardedQuery {
        GuardedQuery(try pipelineGuard(scope).checkedText(query), scope: scope)
    }

    package func visible(_ result: QueryResult, of query: GuardedQuery) -> QueryResult {
        // Fails closed: rows whose collection cannot be told are not shown.
        guard let parsed = try? MongoQuery(parsing: query.text) else { return QueryResult(columns: [], rows: [], truncated: result.truncated) }
        return pipelineGuard(query.scope).filtered(result, collection: parsed.collection, pipeline: parsed.pipeline)
    }

    package func grammar(for objects: [SchemaObject]) -> String? {
        MongoGrammar().build(objects: objects)?.gbnf
    }

    package func instructions(today: String, constrained: Bool) -> String {
        """
        You write one MongoDB aggregation that answers the user's question from this database.
        Use only the collections and fields below. Reply with JSON only\(constrained ? "" : ", in a ```json block"):
        {"collection": "<name>", "pipeline": [<stages>]}
        Allowed stages: $match, $project, $group, $sort, $limit, $skip, $unwind, $lookup, $count, $addFields, $facet.
        Today is \(today).
        """
    }

    package func reply(writing query: String, constrained: Bool) -> String {
        constrained ? query : "```json\n\(query)\n```"
    }

    package func replyForm(constrained: Bool) -> String {
        constrained ? "JSON query" : "JSON query in a ```json block"
    }

    private func pipelineGuard(_ scope: QueryScope) -> MongoPipelineGuard {
        MongoPipelineGuard(database: scope.database ?? "test", options: scope.options)
    }
}

extension MongoURL: SourceAddress {
    package var databaseName: String? { database }
}
