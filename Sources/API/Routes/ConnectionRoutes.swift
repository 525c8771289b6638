import Connections
import DataSources
import Foundation
import Hummingbird
import SchemaModel

/// A user's database connections: create (tested), list, read, change, delete, test.
struct ConnectionRoutes: Sendable {
    let connections: ConnectionService

    struct NewConnection: Decodable {
        var name: String
        var kind: ConnectionKind
        var url: String
        var caCertificate: String?
        var saveUntested: Bool?
        var options: SamplingOptions?
        var reindexIntervalSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case name, kind, url, options
            case caCertificate = "ca_certificate"
            case saveUntested = "save_untested"
            case reindexIntervalSeconds = "reindex_interval_seconds"
        }
    }

    struct ConnectionChange: Decodable {
        var name: String?
        var url: String?
        /// Absent: unchanged; null: removed; a PEM: replaced.
        var caCertificate: String??
        var saveUntested: Bool?
        var options: SamplingOptions?
        /// Absent: unchanged; null: no scheduled re-index; seconds: the new interval.
        var reindexIntervalSeconds: Int??

        enum CodingKeys: String, CodingKey {
            case name, url, options
            case caCertificate = "ca_certificate"
            case saveUntested = "save_untested"
            case reindexIntervalSeconds = "reindex_interval_seconds"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            caCertificate = container.contains(.caCertificate) ? .some(try container.decodeIfPresent(String.self, forKey: .caCertificate)) : nil
            saveUntested = try container.decodeIfPresent(Bool.self, forKey: .saveUntested)
            options = try container.decodeIfPresent(SamplingOptions.self, forKey: .options)
            reindexIntervalSeconds = container.contains(.reindexIntervalSeconds)
                ? .some(try container.decodeIfPresent(Int.self, forKey: .reindexIntervalSeconds)) : nil
        }
    }

    /// A connection and, when one ran, what its test found.
    struct OutcomeBody: ResponseEncodable {
        var connection: ConnectionRecord
        var test: TestBody?
    }

    struct TestBody: Encodable, Sendable {
        var ok: Bool
        var probe: SourceProbe?
        var error: APIError.ErrorBody.Detail?

        init(_ outcome: ConnectionService.Outcome) {
            ok = outcome.testFailure == nil
            probe = outcome.probe
            error = outcome.testFailure.map { .init(code: $0.clientCode, message: $0.message) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ok, forKey: .ok)
            if let probe {
                try container.encode(probe.serverVersion, forKey: .serverVersion)
                try container.encode(probe.database, forKey: .database)
                try container.encode(probe.user, forKey: .user)
                try container.encode(probe.encrypted, forKey: .encrypted)
                try container.encode(probe.warnings, forKey: .warnings)
            }
            try container.encodeIfPresent(error, forKey: .error)
        }

        enum CodingKeys: String, CodingKey {
            case ok, database, user, warnings, error, encrypted
            case serverVersion = "server_version"
        }
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("connections") { request, context in
            let owner = try context.requireIdentity().user.id
            let body = try await request.decode(as: NewConnection.self, context: context)
            let outcome = try await connections.create(
                ownerID: owner, name: body.name, kind: body.kind, url: body.url, caCertificate: body.caCertificate, saveUntested: body.saveUntested ?? false,
                options: body.options ?? SamplingOptions(), reindexInterval: body.reindexIntervalSeconds
            )
            return EditedResponse(status: .created, response: OutcomeBody(connection: outcome.connection, test: TestBody(outcome)))
        }
        group.get("connections") { _, context in
            ListBody(items: try await connections.list(ownerID: try context.requireIdentity().user.id))
        }
        group.get("connections/:id") { _, context in
            try await connections.connection(id: try context.uuid("id", what: "connection"), ownerID: try context.requireIdentity().user.id)
        }
        group.patch("connections/:id") { request, context in
            let owner = try context.requireIdentity().user.id
            let id = try context.uuid("id", what: "connection")
            let body = try await request.decode(as: ConnectionChange.self, context: context)
            let outcome = try await connections.update(
                ownerID: owner, id: id, name: body.name, url: body.url, caCertificate: body.caCertificate, saveUntested: body.saveUntested ?? false,
                options: body.options, reindexInterval: body.reindexIntervalSeconds
            )
            return OutcomeBody(connection: outcome.connection, test: body.url == nil && body.caCertificate == nil ? nil : TestBody(outcome))
        }
        group.delete("connections/:id") { _, context in
            try await connections.delete(ownerID: try context.requireIdentity().user.id, id: try context.uuid("id", what: "connection"))
            return Response(status: .noContent)
        }
        group.post("connections/:id/test") { _, context in
            let owner = try context.requireIdentity().user.id
            let id = try context.uuid("id", what: "connection")
            let outcome = try await connections.test(ownerID: owner, id: id)
            return OutcomeBody(connection: outcome.connection, test: TestBody(outcome))
        }
    }
}

extension ConnectionRecord: ResponseEncodable {}
