import AppDatabase
import DataSources
import Jobs
import Foundation
import Logging
import PostgresNIO
import RateLimits
import SchemaModel
import Support

/// Creating, testing, changing and deleting a user's database connections.
package struct ConnectionService: Sendable {
    /// What creating or testing a connection produced.
    package struct Outcome: Sendable {
        package var connection: ConnectionRecord
        /// nil when the connection was saved untested after a failed test.
        package var probe: SourceProbe?
        /// The classified failure of a test whose connection was saved anyway.
        package var testFailure: ConnectionFailure?
    }

    private let store: ConnectionStore
    private let jobs: JobService
    private let caches: [any UserDataCache]
    private let keyRing: KeyRing
    private let reach: SourceReach
    private let limiter: RateLimiter
    private let testLimit: RateLimiter.Rule
    /// Connections a user may have at most: `ASKDB_MAX_CONNECTIONS_PER_USER`.
    private let maxPerUser: Int
    private let logger: Logger

    package init(
        postgres: PostgresClient,
        jobs: JobService,
        keyRing: KeyRing,
        hostPolicy: HostPolicy,
        limiter: RateLimiter,
        testLimit: RateLimiter.Rule = .init(limit: 20, window: .seconds(60)),
        maxPerUser: Int = ConnectionService.defaultMaxPerUser,
        connectTimeout: Duration = .seconds(5),
        mongoClients: MongoClientPool,
        caches: [any UserDataCache] = [],
        connectionCache: RowCache<ConnectionStore.Owned>? = nil,
        logger: Logger
    ) {
        self.store = ConnectionStore(postgres: postgres, logger: logger, cache: connectionCache)
        self.jobs = jobs
        self.caches = caches
        self.keyRing = keyRing
        self.reach = SourceReach(hostPolicy: hostPolicy, connectTimeout: connectTimeout, mongoClients: mongoClients, logger: logger)
        self.limiter = limiter
        self.testLimit = testLimit
        self.maxPerUser = maxPerUser
        self.logger = logger
    }

    /// `ASKDB_MAX_CONNECTIONS_PER_USER`'s default.
    package static let defaultMaxPerUser = 50

    /// Checks the URL (and CA certificate), tests them for real, and saves them sealed. A failed
    /// test saves nothing unless `saveUntested`; an owner with as many connections as allowed
    /// gets 409 `too_many_connections`.
    package func create(ownerID: UUID, name: String, kind: ConnectionKind, url: String, caCertificate: String? = nil, saveUntested: Bool,
                       options: SamplingOptions = SamplingOptions(), reindexInterval: Int? = nil) async throws -> Outcome {
        let name = try Self.validName(name)
        try Self.validate(options)
        try Self.validate(reindexInterval: reindexInterval)
        let source = try SourceURL(kind: kind, raw: url, caCertificate: caCertificate)
        try await store.ensureRoom(ownerID: ownerID, limit: maxPerUser)
        let (probe, failure) = try await probeOrFailure(source, ownerID: ownerID, saveUntested: saveUntested)
        let id = UUID()
        let sealed = try seal(source, id: id)
        let record = try await store.create(id: id, ownerID: ownerID, name: name, kind: kind, sealed: sealed, redacted: source.redacted,
                                            options: options, reindexInterval: reindexInterval, limit: maxPerUser)
        logger.info("connection created", metadata: ["connection": "\(id.lowercasedString)", "url": "\(source.redacted)"])
        return Outcome(connection: record, probe: probe, testFailure: failure)
    }

    /// Renames and/or points the connection elsewhere; a new URL or CA certificate is tested
    /// like a new connection. New options apply to questions at once (the guard, retrieval and
    /// the caches' keys use the current ones) and to the index from its next run.
    /// - Parameter caCertificate: nil leaves it; `.some(nil)` removes it.
    /// - Parameter reindexInterval: nil leaves it; `.some(nil)` removes it.
    package func update(ownerID: UUID, id: UUID, name: String?, url: String?, caCertificate: String?? = nil, saveUntested: Bool,
                       options: SamplingOptions? = nil, reindexInterval: Int?? = nil) async throws -> Outcome {
        let current = try await store.get(id: id, ownerID: ownerID)
        let name = try name.map(Self.validName)
        if let options { try Self.validate(options) }
        if let reindexInterval { try Self.validate(reindexInterval: reindexInterval) }
        guard url != nil || caCertificate != nil else {
            return Outcome(connection: try await store.update(id: id, ownerID: ownerID, name: name, source: nil, options: options,
                                                              reindexInterval: reindexInterval), probe: nil, testFailure: nil)
        }
        let saved = try await sourceURL(ownerID: ownerID, id: id)
        let source = try SourceURL(kind: current.kind, raw: url ?? saved.raw, caCertificate: caCertificate ?? saved.caCertificate)
        let (probe, failure) = try await probeOrFailure(source, ownerID: ownerID, saveUntested: saveUntested)
        let record = try await store.update(id: id, ownerID: ownerID, name: name, source: (try seal(source, id: id), source.redacted), options: options,
                                            reindexInterval: reindexInterval)
        return Outcome(connection: record, probe: probe, testFailure: failure)
    }

    /// Re-index intervals the scheduler takes: 5 minutes to a year (the migration's check).
    package static let reindexIntervals = 300...31_536_000

    private static func validate(reindexInterval: Int?) throws {
        guard let reindexInterval, !reindexIntervals.contains(reindexInterval) else { return }
        throw AskDBError.invalid("invalid_reindex_interval", "reindex_interval_seconds must be from 300 (5 minutes) to 31536000 (a year), or null")
    }

    private static func validate(_ options: SamplingOptions) throws {
        for (field, names) in [("excluded_schemas", options.excludedSchemas), ("excluded_tables", options.excludedTables), ("excluded_columns", options.excludedColumns)] {
            guard names.count <= 1000 else { throw AskDBError.invalid("invalid_options", "\(field) may hold at most 1000 names") }
            guard names.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.count <= 400 }) else {
                throw AskDBError.invalid("invalid_options", "\(field) holds an empty or overlong name")
            }
        }
    }

    /// The owner's connections, by name.
    package func list(ownerID: UUID) async throws -> [ConnectionRecord] {
        try await store.list(ownerID: ownerID)
    }

    /// The connection, if `ownerID` owns it; else not found.
    package func connection(id: UUID, ownerID: UUID) async throws -> ConnectionRecord {
        try await store.get(id: id, ownerID: ownerID)
    }

    /// Queues the owner's connection for indexing, or returns the job already active.
    package func startIndexing(ownerID: UUID, id: UUID) async throws -> (job: JobRecord, created: Bool) {
        let record = try await store.get(id: id, ownerID: ownerID)
        return try await jobs.enqueueIndexing(connectionID: record.id, ownerID: ownerID)
    }

    /// Tests a saved connection again.
    package func test(ownerID: UUID, id: UUID) async throws -> Outcome {
        let record = try await store.get(id: id, ownerID: ownerID)
        let source = try await sourceURL(ownerID: ownerID, id: id)
        try await limiter.hit("conntest:\(ownerID)", rule: testLimit, message: "too many connection tests: wait a minute")
        return Outcome(connection: record, probe: try await connector(for: source, connectionID: id).test(), testFailure: nil)
    }

    /// Deletes the connection with everything stored of it: its documents, snapshots, jobs and
    /// history (the schema's cascades) and its cached answers and queries.
    package func delete(ownerID: UUID, id: UUID) async throws {
        try await store.delete(id: id, ownerID: ownerID)
        for cache in caches { try await cache.forget(ownerID: ownerID, connectionID: id) }
        logger.info("connection deleted", metadata: ["connection": "\(id.lowercasedString)"])
    }

    /// The saved URL and CA certificate, unsealed, for the indexer and the query pipeline.
    package func sourceURL(ownerID: UUID, id: UUID) async throws -> SourceURL {
        let (kind, sealed) = try await store.sealedSource(id: id, ownerID: ownerID)
        let (url, caCertificate) = try open(sealed, id: id)
        return try SourceURL(kind: kind, raw: url, caCertificate: caCertificate)
    }

    /// A connector for `source` at addresses the host policy allows; refused hosts throw before
    /// any connection is attempted.
    /// `connectionID` names the saved connection `source` belongs to (nil for a URL not saved yet).
    package func connector(for source: SourceURL, connectionID: UUID?) async throws -> any SourceConnector {
        try await source.kind.dialect.connector(for: source, connectionID: connectionID, reach: reach)
    }

    /// Re-seals every stored URL and CA certificate under the current key; returns how many
    /// connections changed.
    package func rotateKeys() async throws -> Int {
        var count = 0
        for (id, sealed) in try await store.sealedWithOtherKeys(than: keyRing.current.id) {
            let (url, caCertificate) = try open(sealed, id: id)
            try await store.reseal(id: id, previousKeyID: sealed.keyID, with: try seal(url: url, caCertificate: caCertificate, id: id))
            count += 1
        }
        return count
    }

    private func probeOrFailure(_ source: SourceURL, ownerID: UUID, saveUntested: Bool) async throws -> (SourceProbe?, ConnectionFailure?) {
        try await limiter.hit("conntest:\(ownerID)", rule: testLimit, message: "too many connection tests: wait a minute")
        do {
            return (try await connector(for: source, connectionID: nil).test(), nil)
        } catch let error as ConnectionFailure where saveUntested {
            return (nil, error)
        }
    }

    private func seal(_ source: SourceURL, id: UUID) throws -> SealedSource {
        try seal(url: source.raw, caCertificate: source.caCertificate, id: id)
    }

    /// Both under the current key, each bound to the connection and to what it is, so one
    /// ciphertext cannot stand in for the other.
    private func seal(url: String, caCertificate: String?, id: UUID) throws -> SealedSource {
        let sealedURL = try keyRing.seal(url, context: id.uuidString)
        let sealedCA = try caCertificate.map { try keyRing.seal($0, context: Self.caContext(id)) }
        return SealedSource(url: sealedURL.ciphertext, caCertificate: sealedCA?.ciphertext, keyID: sealedURL.keyID)
    }

    private func open(_ sealed: SealedSource, id: UUID) throws -> (url: String, caCertificate: String?) {
        (try keyRing.open(sealed.url, keyID: sealed.keyID, context: id.uuidString),
         try sealed.caCertificate.map { try keyRing.open($0, keyID: sealed.keyID, context: Self.caContext(id)) })
    }

    private static func caContext(_ id: UUID) -> String { id.uuidString + ":ca-certificate" }

    private static func validName(_ name: String) throws(AskDBError) -> String {
        try DisplayName(name, maximum: 200).value
    }
}
