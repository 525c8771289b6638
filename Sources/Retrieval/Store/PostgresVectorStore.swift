import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// The vector store in the app database: pgvector for similarity, a generated `tsvector` for
/// full text, fused by reciprocal rank.
///
/// Search is exact: a connection's documents number tens to tens of thousands, where a scan of
/// one connection's rows through a btree is fast and always returns `limit` rows; an
/// approximate index filtered by connection returned fewer (docs/benchmarks.md).
package struct PostgresVectorStore: VectorStore {
    private let postgres: PostgresClient
    private let logger: Logger
    /// How many candidates each ranking contributes before fusion.
    private let candidates: Int
    /// Reciprocal rank fusion's k: 60, as in the original paper.
    private static let fusionConstant = 60

    package init(postgres: PostgresClient, logger: Logger, candidates: Int = 50) {
        self.postgres = postgres
        self.logger = logger
        self.candidates = candidates
    }

    package func dimension() async throws -> Int {
        let rows = try await postgres.query(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'", logger: logger
        )
        for try await dimension in rows.decode(Int32.self) { return Int(dimension) }
        throw AskDBError(.conflict, code: "schema_missing", message: "the app database has no chunks table: run the migrations")
    }

    package func beginRevision(of connectionID: UUID, fence: (any WriteFence)?) async throws -> IndexRevision {
        try await postgres.transaction(logger: logger) { connection in
            try await fence?.hold(on: connection, logger: logger)
            // Locks the connection row: a concurrent publish of the same connection waits.
            let versions = try await connection.query(
                "SELECT index_version FROM connections WHERE id = \(connectionID) FOR UPDATE", logger: logger
            )
            var current: Int?
            for try await version in versions.decode(Int.self) { current = version }
            guard let current else { throw AskDBError.notFound("connection") }
            // Leftovers: rows an unpublished run staged, and rows a published run retired.
            try await connection.query(
                """
                DELETE FROM chunks WHERE connection_id = \(connectionID)
                AND (first_version > \(current) OR retired_version <= \(current))
                """,
                logger: logger
            )
            try await connection.query(
                "UPDATE chunks SET retired_version = NULL WHERE connection_id = \(connectionID) AND retired_version > \(current)",
                logger: logger
            )
            var hashes: [String: String] = [:]
            let live = try await connection.query(
                "SELECT key, content_hash FROM chunks WHERE connection_id = \(connectionID) AND retired_version IS NULL",
                logger: logger
            )
            for try await (key, hash) in live.decode((String, String).self) { hashes[key] = hash }
            return IndexRevision(connectionID: connectionID, baseVersion: current, version: current + 1, liveHashes: hashes, fence: fence)
        }
    }

    package func stage(_ documents: [EmbeddedDocument], in revision: IndexRevision) async throws {
        guard !documents.isEmpty else { return }
        // The last of each key wins, as a second staging of the same key would.
        var latest: [String: Int] = [:]
        for (index, document) in documents.enumerated() { latest[document.document.key] = index }
        let unique = latest.values.sorted().map { documents[$0] }
        let keys = unique.map(\.document.key)
        let contents = unique.map(\.document.content)
        let hashes = unique.map(\.contentHash)
        let metadata = unique.map(\.document.metadataJSON)
        let vectors = unique.map { VectorLiteral.text($0.embedding) }
        let connectionID = revision.connectionID, version = revision.version
        try await postgres.transaction(logger: logger) { connection in
            try await revision.fence?.hold(on: connection, logger: logger)
            try await Self.retireLive(keys, in: revision, on: connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO chunks (connection_id, key, first_version, content, content_hash, metadata, embedding)
                SELECT \(connectionID), key, \(version), content, content_hash, metadata::jsonb, embedding::vector
                FROM unnest(\(keys)::text[], \(contents)::text[], \(hashes)::text[], \(metadata)::text[], \(vectors)::text[])
                    AS input(key, content, content_hash, metadata, embedding)
                ON CONFLICT (connection_id, key, first_version) DO UPDATE
                SET content = excluded.content, content_hash = excluded.content_hash, metadata = excluded.metadata,
                    embedding = excluded.embedding, retired_version = NULL, updated_at = now()
                """,
                logger: logger
            )
        }
    }

    package func retire(keys: [String], in revision: IndexRevision) async throws {
        guard !keys.isEmpty else { return }
        try await postgres.transaction(logger: logger) { connection in
            try await revision.fence?.hold(on: connection, logger: logger)
            try await Self.retireLive(keys, in: revision, on: connection, logger: logger)
        }
    }

    /// Marks the base version's rows of `keys` as gone from the revision's version on.
    private static func retireLive(_ keys: [String], in revision: IndexRevision, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE chunks SET retired_version = \(revision.version), updated_at = now()
            WHERE connection_id = \(revision.connectionID) AND key = ANY(\(keys)) AND first_version <= \(revision.baseVersion)
              AND retired_version IS NULL
            """,
            logger: logger
        )
    }

    package func publish(_ revision: IndexRevision) async throws {
        let connectionID = revision.connectionID, version = revision.version, base = revision.baseVersion
        try await postgres.transaction(logger: logger) { connection in
            try await revision.fence?.hold(on: connection, logger: logger)
            let rows = try await connection.query(
                """
                UPDATE connections SET index_version = \(version), indexed_at = now(), updated_at = now()
                WHERE id = \(connectionID) AND index_version = \(base) RETURNING id
                """,
                logger: logger
            )
            var switched = false
            for try await _ in rows.decode(UUID.self) { switched = true }
            guard switched else {
                throw AskDBError(.conflict, code: "index_changed", message: "the connection's index changed while this run was writing")
            }
        }
    }

    package func search(_ search: DocumentSearch) async throws -> [RetrievedDocument] {
        guard search.limit > 0 else { return [] }
        let vector = VectorLiteral.text(search.embedding)
        let connectionID = search.connectionID, version = search.version
        let pool = max(candidates, search.limit)
        // An empty expression matches nothing, which leaves the vector ranking alone.
        let expression = FullTextQuery.expression(for: search.text) ?? ""
        let rows = try await postgres.query(
            """
            WITH by_vector AS (
                SELECT id, distance, row_number() OVER (ORDER BY distance, id) AS rank
                FROM (
                    SELECT id, embedding <=> \(vector)::vector AS distance FROM chunks
                    WHERE connection_id = \(connectionID) AND first_version <= \(version)
                    AND (retired_version IS NULL OR retired_version > \(version))
                    ORDER BY distance, id LIMIT \(pool)
                ) nearest
            ), visible AS (
                SELECT count(*) AS documents FROM chunks WHERE connection_id = \(connectionID) AND first_version <= \(version)
                AND (retired_version IS NULL OR retired_version > \(version))
            ), rare AS (
                -- Words most of the connection's documents hold ("amount", "name") rank nothing
                -- and drown the few documents that hold the telling ones: left out.
                SELECT string_agg(word, ' | ') AS expression
                FROM unnest(string_to_array(\(expression), ' | ')) AS word, visible
                WHERE word <> '' AND (
                    SELECT count(*) FROM chunks WHERE connection_id = \(connectionID) AND first_version <= \(version)
                    AND (retired_version IS NULL OR retired_version > \(version)) AND search_text @@ to_tsquery('english', word)
                ) <= greatest(10, visible.documents / 20)
            ), by_text AS (
                SELECT id, row_number() OVER (ORDER BY relevance DESC, id) AS rank
                FROM (
                    SELECT id, ts_rank_cd(search_text, query) AS relevance
                    FROM chunks, rare, to_tsquery('english', rare.expression) AS query
                    WHERE rare.expression IS NOT NULL AND connection_id = \(connectionID) AND first_version <= \(version)
                    AND (retired_version IS NULL OR retired_version > \(version)) AND search_text @@ query
                    ORDER BY relevance DESC, id LIMIT \(pool)
                ) matching
            ), fused AS (
                SELECT coalesce(v.id, t.id) AS id, v.distance, v.rank AS vector_rank, t.rank AS text_rank,
                       coalesce(1.0 / (\(Self.fusionConstant) + v.rank), 0) + coalesce(1.0 / (\(Self.fusionConstant) + t.rank), 0) AS score
                FROM by_vector v FULL OUTER JOIN by_text t ON v.id = t.id
            )
            SELECT c.key, c.content, c.metadata::text, f.score::float8, (1 - f.distance)::float8, f.vector_rank, f.text_rank
            FROM fused f JOIN chunks c ON c.id = f.id
            ORDER BY f.score DESC, f.vector_rank NULLS LAST, c.key
            LIMIT \(search.limit)
            """,
            logger: logger
        )
        var results: [RetrievedDocument] = []
        for try await (key, content, metadata, score, similarity, vectorRank, textRank)
            in rows.decode((String, String, String, Double, Double?, Int?, Int?).self) {
            results.append(RetrievedDocument(
                key: key, content: content,
                metadata: (try? JSONDecoder().decode([String: JSONValue].self, from: Data(metadata.utf8))) ?? [:],
                score: score, similarity: similarity, vectorRank: vectorRank, textRank: textRank
            ))
        }
        return results
    }
}
