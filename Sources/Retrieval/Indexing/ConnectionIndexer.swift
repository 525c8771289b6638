import AppDatabase
import DataSources
import Embedding
import Foundation
import Logging
import Metrics
import SchemaModel
import Support

/// One indexing run of a connection: sample the database, write its documents, embed only what
/// changed, and publish the new version in one step.
package struct ConnectionIndexer: Sendable {
    /// Where a run is, for the job's progress.
    package struct Progress: Sendable {
        package var phase: String
        package var done: Int
        package var total: Int
        package var message: String?

        package init(phase: String, done: Int, total: Int, message: String? = nil) {
            self.phase = phase
            self.done = done
            self.total = total
            self.message = message
        }
    }

    /// What a run did: the schema-change report.
    package struct Report: Sendable, Codable, Equatable {
        package var version: Int
        package var objects: Int
        package var documents: Int
        package var added: Int
        package var changed: Int
        package var removed: Int
        package var unchanged: Int
        package var notes: [String]
    }

    private let store: any VectorStore
    private let snapshots: SchemaSnapshotStore
    private let embedder: any Embedder
    private let logger: Logger
    /// Documents embedded and staged together.
    private let batchSize: Int
    private let words: IdentifierWords?
    /// Tables or collections one run documents at most (`ASKDB_MAX_OBJECTS_PER_INDEX`); which
    /// ones, and that others were left out, the report's notes say.
    private let maxObjects: Int

    /// - Parameter words: splits run-together table and column names into words in the documents.
    package init(store: any VectorStore, snapshots: SchemaSnapshotStore, embedder: any Embedder, logger: Logger, batchSize: Int = 64,
                words: IdentifierWords? = nil, maxObjects: Int = ObjectCap.defaultLimit) {
        self.words = words
        self.maxObjects = maxObjects
        self.store = store
        self.snapshots = snapshots
        self.embedder = embedder
        self.logger = logger
        self.batchSize = batchSize
    }

    /// Runs the whole pipeline. `progress` is also the cancellation checkpoint: it throws to stop.
    package func index(connectionID: UUID, connector: any SourceConnector, options: SamplingOptions, fence: (any WriteFence)?,
                      progress: @escaping @Sendable (Progress) async throws -> Void) async throws -> Report {
        let snapshot = try await connector.sampleSchema(options: options, maxObjects: maxObjects) { done, total, object in
            try await progress(Progress(phase: "sample", done: done, total: total, message: object.isEmpty ? nil : "reading \(object)"))
        }
        let embedder = self.embedder
        let documents = SchemaDocumenter(budget: embedder.maximumTokens - 16, tokens: { embedder.tokenCount($0) }, words: words).documents(for: snapshot)
        let revision = try await store.beginRevision(of: connectionID, fence: fence)

        var changed = 0, added = 0, unchanged = 0
        var pending: [(Document, String)] = []
        for document in documents {
            let hash = document.contentHash(embedder: embedder.identifier)
            switch revision.liveHashes[document.key] {
            case hash?: unchanged += 1
            case nil: added += 1; pending.append((document, hash))
            default: changed += 1; pending.append((document, hash))
            }
        }
        try await progress(Progress(phase: "embed", done: 0, total: pending.count, message: "\(pending.count) of \(documents.count) documents to embed"))
        for start in stride(from: 0, to: pending.count, by: batchSize) {
            let batch = pending[start..<min(start + batchSize, pending.count)]
            let embedding = ContinuousClock.now
            let vectors = try await embedder.embed(batch.map(\.0.content))
            Timer(label: "askdb_embedding_duration_seconds").recordNanoseconds((ContinuousClock.now - embedding).nanoseconds)
            Counter(label: "askdb_documents_embedded_total").increment(by: batch.count)
            try await store.stage(zip(batch, vectors).map { EmbeddedDocument(document: $0.0, contentHash: $0.1, embedding: $1) }, in: revision)
            try await progress(Progress(phase: "embed", done: start + batch.count, total: pending.count))
        }
        let current = Set(documents.map(\.key))
        let vanished = revision.liveHashes.keys.filter { !current.contains($0) }.sorted()
        try await progress(Progress(phase: "publish", done: 0, total: 1))
        try await store.retire(keys: vanished, in: revision)
        try await snapshots.save(snapshot, in: revision)
        try await store.publish(revision)
        try await progress(Progress(phase: "publish", done: 1, total: 1))
        let report = Report(version: revision.version, objects: snapshot.objects.count, documents: documents.count,
                            added: added, changed: changed, removed: vanished.count, unchanged: unchanged, notes: snapshot.notes)
        logger.info("connection indexed", metadata: [
            "connection": "\(connectionID)", "version": "\(report.version)", "objects": "\(report.objects)",
            "added": "\(added)", "changed": "\(changed)", "removed": "\(vanished.count)", "unchanged": "\(unchanged)",
        ])
        return report
    }
}
