internal import CMongoc
import Foundation
import Synchronization
import Support

/// A libmongoc client pool: the only code that touches mongoc and bson pointers.
///
/// libmongoc calls block, so each runs on a thread of this client's own pool, never on Swift's
/// cooperative pool. Documents cross the boundary as MongoDB Extended JSON text.
package final class MongoClient: @unchecked Sendable {
    // mongoc_client_pool_t is thread-safe; clients popped from it are used by one thread at a time.
    private let pool: OpaquePointer
    private let uri: OpaquePointer
    private let threads: DedicatedThreads
    /// Holds the CA certificate file, when there is one, until the driver's pool is gone.
    private let caFolder: String?
    /// The driver's pool is destroyed once, by ``shutdown()`` (or, for a client never shut
    /// down, when it is freed).
    private let destroyed = Mutex(false)

    // The driver's own log lines go nowhere: its errors reach callers, classified, instead.
    private static let initializeDriver: Void = {
        mongoc_init()
        mongoc_log_set_handler(nil, nil)
    }()

    /// A pool for `uri` whose server selection, connect and socket waits are bounded by `timeout`.
    /// - Parameter caCertificate: PEM certificates the servers' must chain to, over TLS. libmongoc
    ///   reads them from a file: one only this process may read, removed with the pool.
    package init(uri uriString: String, timeout: Duration, maxClients: Int = 4, caCertificate: String? = nil) throws(MongoError) {
        _ = Self.initializeDriver
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(uriString, &error) else {
            throw MongoError(error, fallback: "invalid MongoDB URL")
        }
        var caFolder: String?
        if let caCertificate {
            do throws(MongoError) {
                let folder = try Self.privateFolder()
                caFolder = folder
                let file = folder + "/ca.pem"
                guard FileManager.default.createFile(atPath: file, contents: Data(caCertificate.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw MongoError(kind: .other, code: 0, message: "could not write the CA certificate for the driver")
                }
                mongoc_uri_set_option_as_utf8(uri, MONGOC_URI_TLSCAFILE, file)
                mongoc_uri_set_option_as_bool(uri, MONGOC_URI_TLS, true)
            } catch {
                caFolder.map { try? FileManager.default.removeItem(atPath: $0) }
                mongoc_uri_destroy(uri)
                throw error
            }
        }
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000)
        for option in [MONGOC_URI_SERVERSELECTIONTIMEOUTMS, MONGOC_URI_CONNECTTIMEOUTMS, MONGOC_URI_SOCKETTIMEOUTMS] {
            mongoc_uri_set_option_as_int32(uri, option, milliseconds)
        }
        mongoc_uri_set_option_as_int32(uri, MONGOC_URI_MAXPOOLSIZE, Int32(maxClients))
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            mongoc_uri_destroy(uri)
            caFolder.map { try? FileManager.default.removeItem(atPath: $0) }
            throw MongoError(error, fallback: "could not create a MongoDB client")
        }
        mongoc_client_pool_set_error_api(pool, 2)
        mongoc_client_pool_set_appname(pool, "askdb")
        self.uri = uri
        self.pool = pool
        self.caFolder = caFolder
        self.threads = DedicatedThreads(count: maxClients)
    }

    /// A new folder under the temporary directory that only this user may enter.
    private static func privateFolder() throws(MongoError) -> String {
        var template = Array((NSTemporaryDirectory() + "/askdb-mongo-ca.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw MongoError(kind: .other, code: 0, message: "could not make a folder for the CA certificate")
        }
        return String(cString: made)
    }

    deinit {
        if !destroyed.withLock({ $0 }) { destroyDriverPool() }
    }

    private func destroyDriverPool() {
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
        caFolder.map { try? FileManager.default.removeItem(atPath: $0) }
    }

    /// Runs a database command given as Extended JSON; returns the reply as relaxed Extended JSON.
    package func command(_ json: String, database: String) async throws -> String {
        try await threads.run { try self.runCommand(json, database: database) }
    }

    private func runCommand(_ json: String, database: String) throws -> String {
        var error = bson_error_t()
        let bytes = Array(json.utf8)
        guard let command = bson_new_from_json(bytes, bytes.count, &error) else {
            throw MongoError(error, fallback: "invalid command JSON")
        }
        defer { bson_destroy(command) }
        let client = mongoc_client_pool_pop(pool)
        defer { mongoc_client_pool_push(pool, client) }
        // The reply is a caller-owned bson_t (128 bytes, 128-aligned) that libmongoc initialises.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        let reply = OpaquePointer(storage)
        defer {
            bson_destroy(reply)
            storage.deallocate()
        }
        guard mongoc_client_command_simple(client, database, command, nil, reply, &error) else {
            throw MongoError(error, fallback: "command failed")
        }
        guard let text = bson_as_relaxed_extended_json(reply, nil) else {
            throw MongoError(kind: .other, code: 0, message: "could not render the reply as JSON")
        }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// Runs command `name` (its value first, as MongoDB requires) with `arguments`; returns the reply.
    package func run(_ name: String, _ value: JSONValue, _ arguments: [String: JSONValue] = [:], database: String) async throws -> JSONValue {
        let rest = arguments.sorted { $0.key < $1.key }.map { "\(JSONValue.string($0.key).jsonText):\($0.value.jsonText)" }
        let text = "{" + ([JSONValue.string(name).jsonText + ":" + value.jsonText] + rest).joined(separator: ",") + "}"
        let reply = try JSONValue(parsing: try await command(text, database: database))
        if reply["ok"]?.int == 0 || reply["ok"] == .bool(false) {
            throw MongoError(kind: .server, code: UInt32(reply["code"]?.int ?? 0), message: reply["errmsg"]?.string ?? "command failed")
        }
        return reply
    }

    /// Collections (and views) of `database`, as `listCollections` describes them.
    package func listCollections(database: String) async throws -> [JSONValue] {
        try await drain(try await run("listCollections", .int(1), ["cursor": .object([:])], database: database),
                        database: database, limit: .max)
    }

    /// Runs `pipeline` on `collection` and returns at most `limit` documents, and no further
    /// batch once `maxBytes` of them are in hand; the server stops the query after `maxTime`.
    package func aggregate(database: String, collection: String, pipeline: [JSONValue], limit: Int, maxTime: Duration,
                           maxBytes: Int = .max) async throws -> [JSONValue] {
        let reply = try await run("aggregate", .string(collection), [
            "pipeline": .array(pipeline),
            "cursor": .object(["batchSize": .int(Int64(min(limit, 1000)))]),
            "maxTimeMS": .int(Int64(maxTime.components.seconds * 1000)),
            // MongoDB 6 lets a large sort or group spill to disk by default; a question's must not.
            "allowDiskUse": .bool(false),
        ], database: database)
        return try await drain(reply, database: database, limit: limit, maxBytes: maxBytes)
    }

    /// Documents matching `filter`, at most `limit`.
    func find(database: String, collection: String, filter: JSONValue = .object([:]), limit: Int) async throws -> [JSONValue] {
        let reply = try await run("find", .string(collection), [
            "filter": filter,
            "limit": .int(Int64(limit)),
            "batchSize": .int(Int64(min(limit, 1000))),
        ], database: database)
        return try await drain(reply, database: database, limit: limit)
    }

    /// The collection's document count from its metadata (cheap; may be approximate).
    package func estimatedCount(database: String, collection: String) async throws -> Int {
        let reply = try await run("count", .string(collection), database: database)
        return Int(reply["n"]?.int ?? 0)
    }

    /// Reads a cursor's batches until it is exhausted, `limit` documents or `maxBytes` of them
    /// are in hand, then closes it if it is still open.
    private func drain(_ reply: JSONValue, database: String, limit: Int, maxBytes: Int = .max) async throws -> [JSONValue] {
        var documents = reply["cursor"]?["firstBatch"]?.array ?? []
        var bytes = maxBytes == .max ? 0 : documents.reduce(0) { $0 + $1.jsonText.utf8.count }
        var cursorID = reply["cursor"]?["id"]?.int ?? 0
        let namespace = reply["cursor"]?["ns"]?.string ?? ""
        let collection = String(namespace.drop(while: { $0 != "." }).dropFirst())
        while cursorID != 0 && documents.count < limit && bytes <= maxBytes {
            let next = try await run("getMore", .object(["$numberLong": .string(String(cursorID))]), [
                "collection": .string(collection),
                "batchSize": .int(Int64(min(limit - documents.count, 1000))),
            ], database: database)
            let batch = next["cursor"]?["nextBatch"]?.array ?? []
            if maxBytes != .max { bytes += batch.reduce(0) { $0 + $1.jsonText.utf8.count } }
            documents += batch
            cursorID = next["cursor"]?["id"]?.int ?? 0
        }
        if cursorID != 0 {
            _ = try? await run("killCursors", .string(collection), [
                "cursors": .array([.object(["$numberLong": .string(String(cursorID))])]),
            ], database: database)
        }
        return Array(documents.prefix(limit))
    }

    /// Lets running calls finish, then destroys the driver's pool, which ends server sessions
    /// over the network and joins the driver's monitor threads: blocking, so on a thread of its own.
    package func shutdown() async {
        await threads.shutdown()
        guard destroyed.withLock({ destroyed in defer { destroyed = true }; return !destroyed }) else { return }
        let closer = DedicatedThreads(count: 1)
        _ = try? await closer.run { self.destroyDriverPool() }
        await closer.shutdown()
    }
}

/// A libmongoc or server error, with the driver's classification kept.
package struct MongoError: Error, Sendable, CustomStringConvertible {
    /// What failed, from libmongoc's error domain.
    package enum Kind: Sendable {
        case nameResolution, stream, serverSelection, authentication, server, other
    }

    package var kind: Kind
    /// The driver's or server's error code.
    package var code: UInt32
    package var message: String

    package var description: String { message }

    package init(kind: Kind, code: UInt32, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    init(_ error: bson_error_t, fallback: String) {
        var error = error
        let message = withUnsafeBytes(of: &error.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        self.message = message.isEmpty ? fallback : message
        code = error.code
        switch (error.domain, error.code) {
        case (MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_STREAM_NAME_RESOLUTION.rawValue): kind = .nameResolution
        case (MONGOC_ERROR_STREAM.rawValue, _): kind = .stream
        case (MONGOC_ERROR_SERVER_SELECTION.rawValue, _): kind = .serverSelection
        case (MONGOC_ERROR_CLIENT.rawValue, MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue): kind = .authentication
        case (MONGOC_ERROR_SERVER.rawValue, 18): kind = .authentication  // AuthenticationFailed
        case (MONGOC_ERROR_SERVER.rawValue, _): kind = .server
        default: kind = .other
        }
    }
}
