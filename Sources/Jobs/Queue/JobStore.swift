import AppDatabase
import Foundation
import Logging
import PostgresNIO
import Support

/// The authoritative job records in PostgreSQL.
///
/// Every write a running job makes carries its lease's fencing token: a worker whose lease was
/// taken over holds an older token, and its writes match no row.
package struct JobStore: ActiveJobLookup {
    private let postgres: PostgresClient
    private let logger: Logger
    private static let columns = """
        id, kind, connection_id, owner_id, state, attempts, max_attempts, progress::text, cancel_requested,
        created_at, started_at, finished_at, last_error, result::text
        """

    /// The same columns, qualified, for statements that join another relation.
    private static let qualifiedColumns = columns.split(separator: ",")
        .map { "jobs." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")

    package init(postgres: PostgresClient, logger: Logger) {
        self.postgres = postgres
        self.logger = logger
    }

    package func activeJob(of connectionID: UUID) async throws -> UUID? {
        let rows = try await postgres.query(
            "SELECT id FROM jobs WHERE connection_id = \(connectionID) AND state IN ('queued', 'running') LIMIT 1", logger: logger
        )
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// Records a new queued job, or returns the connection's active one: the database's unique
    /// index makes "at most one active indexing job per connection" atomic.
    package func enqueue(kind: String, connectionID: UUID, ownerID: UUID, maxAttempts: Int) async throws -> (job: JobRecord, created: Bool) {
        for _ in 0..<3 {
            let inserted = try await Self.records(postgres.query(
                """
                INSERT INTO jobs (kind, connection_id, owner_id, max_attempts, progress)
                VALUES (\(kind), \(connectionID), \(ownerID), \(maxAttempts), '{"phase":"queued","done":0,"total":0,"percent":0}')
                ON CONFLICT (connection_id) WHERE state IN ('queued', 'running') AND kind = 'index_connection' DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
            if let job = inserted.first { return (job, true) }
            let active = try await Self.records(postgres.query(
                """
                SELECT \(unescaped: Self.columns) FROM jobs
                WHERE connection_id = \(connectionID) AND kind = \(kind) AND state IN ('queued', 'running')
                """,
                logger: logger
            ))
            if let job = active.first { return (job, false) }
            // The active job finished between the two statements: try again.
        }
        throw AskDBError(.conflict, code: "job_conflict", message: "the connection's indexing job changed state repeatedly; try again")
    }

    /// Records many queued jobs in one statement (jobs of an indexing kind whose connection
    /// already has an active one are skipped); returns the records made.
    package func enqueueMany(kind: String, jobs: [(connectionID: UUID, ownerID: UUID)], maxAttempts: Int) async throws -> [JobRecord] {
        guard !jobs.isEmpty else { return [] }
        return try await Self.records(postgres.query(
            """
            INSERT INTO jobs (kind, connection_id, owner_id, max_attempts, progress)
            SELECT \(kind), t.connection_id, t.owner_id, \(maxAttempts), '{"phase":"queued","done":0,"total":0,"percent":0}'
            FROM unnest(\(jobs.map(\.connectionID))::uuid[], \(jobs.map(\.ownerID))::uuid[]) AS t(connection_id, owner_id)
            ON CONFLICT (connection_id) WHERE state IN ('queued', 'running') AND kind = 'index_connection' DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        ))
    }

    /// The job, if `ownerID` (when given) owns it.
    package func get(id: UUID, ownerID: UUID? = nil) async throws -> JobRecord? {
        try await Self.records(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE id = \(id) AND (\(ownerID)::uuid IS NULL OR owner_id = \(ownerID))
            """,
            logger: logger
        )).first
    }

    /// Jobs of one connection, or all of an owner's, newest first.
    package func list(ownerID: UUID, connectionID: UUID?, limit: Int) async throws -> [JobRecord] {
        try await Self.records(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE owner_id = \(ownerID) AND (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID))
            ORDER BY created_at DESC, id LIMIT \(limit)
            """,
            logger: logger
        ))
    }

    /// Every user's jobs, optionally in one state, newest first (operators).
    package func listAll(state: JobState?, limit: Int) async throws -> [JobRecord] {
        try await Self.records(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
            ORDER BY created_at DESC, id LIMIT \(limit)
            """,
            logger: logger
        ))
    }

    /// Marks jobs running under new leases; returns the records that were claimed (a job that
    /// was cancelled or finished meanwhile, or already holds a newer lease, is not).
    package func markRunning(_ claims: [(id: UUID, token: Int)], worker: String) async throws -> [JobRecord] {
        guard !claims.isEmpty else { return [] }
        return try await Self.records(postgres.query(
            """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_token = c.token, worker = \(worker),
                   started_at = coalesce(started_at, now()), run_after = NULL, updated_at = now()
            FROM unnest(\(claims.map(\.id))::uuid[], \(claims.map { $0.token })::bigint[]) AS c(id, token)
            WHERE jobs.id = c.id AND jobs.lease_token < c.token AND jobs.state IN ('queued', 'running')
              AND NOT jobs.cancel_requested
            RETURNING \(unescaped: Self.qualifiedColumns)
            """,
            logger: logger
        ))
    }

    /// Saves progress under the lease; false when the lease is no longer this token's.
    package func saveProgress(id: UUID, token: Int, progress: JobProgress) async throws -> Bool {
        try await fenced(
            """
            UPDATE jobs SET progress = \(Self.json(progress))::jsonb, updated_at = now()
            WHERE id = \(id) AND lease_token = \(token) AND state = 'running' RETURNING id
            """
        )
    }

    /// Ends jobs under their leases (a batch, so many short jobs cost one statement); returns the
    /// ids whose lease still held.
    package func finish(_ outcomes: [(id: UUID, token: Int, state: JobState, result: JSONValue?, error: String?, progress: JobProgress)]) async throws -> Set<UUID> {
        guard !outcomes.isEmpty else { return [] }
        let rows = try await postgres.query(
            """
            UPDATE jobs SET state = o.state, result = nullif(o.result, '')::jsonb,
                   last_error = coalesce(nullif(o.error, ''), jobs.last_error),
                   progress = o.progress::jsonb, finished_at = now(), updated_at = now()
            FROM unnest(\(outcomes.map(\.id))::uuid[], \(outcomes.map(\.token))::bigint[], \(outcomes.map(\.state.rawValue))::text[],
                        \(outcomes.map { $0.result?.jsonText ?? "" })::text[], \(outcomes.map { $0.error ?? "" })::text[],
                        \(outcomes.map { Self.json($0.progress) })::text[])
                 AS o(id, token, state, result, error, progress)
            WHERE jobs.id = o.id AND jobs.lease_token = o.token AND jobs.state = 'running'
            RETURNING jobs.id
            """,
            logger: logger
        )
        var finished = Set<UUID>()
        for try await id in rows.decode(UUID.self) { finished.insert(id) }
        return finished
    }

    /// Puts a failed attempt back in the queue for `runAfter`, under the lease.
    package func requeue(id: UUID, token: Int, runAfter: Date, error: String?) async throws -> Bool {
        try await fenced(
            """
            UPDATE jobs SET state = 'queued', run_after = \(runAfter), last_error = coalesce(\(error), last_error),
                   worker = NULL, updated_at = now()
            WHERE id = \(id) AND lease_token = \(token) AND state = 'running' RETURNING id
            """
        )
    }

    /// Asks a job to stop: a queued job is cancelled at once, a running one at its next checkpoint.
    /// Returns the job, or nil when it is not the owner's (or not found).
    package func requestCancel(id: UUID, ownerID: UUID) async throws -> JobRecord? {
        try await Self.records(postgres.query(
            """
            UPDATE jobs SET cancel_requested = (state IN ('queued', 'running')),
                   state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,
                   finished_at = CASE WHEN state = 'queued' THEN now() ELSE finished_at END,
                   updated_at = now()
            WHERE id = \(id) AND owner_id = \(ownerID)
            RETURNING \(unescaped: Self.columns)
            """,
            logger: logger
        )).first
    }

    /// Queues a dead or failed job again with fresh attempts (operators).
    package func retry(id: UUID) async throws -> JobRecord? {
        do {
            return try await Self.records(postgres.query(
                """
                UPDATE jobs SET state = 'queued', attempts = 0, cancel_requested = false, finished_at = NULL,
                       run_after = NULL, worker = NULL, updated_at = now()
                WHERE id = \(id) AND state IN ('dead', 'failed')
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )).first
        } catch where error.isUniqueViolation {
            throw AskDBError(.conflict, code: "job_active", message: "the connection already has an active job")
        }
    }

    /// Active jobs untouched since `cutoff`, for republishing what Redis may have lost.
    package func stale(before cutoff: Date, limit: Int) async throws -> [JobRecord] {
        try await Self.records(postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE state IN ('queued', 'running') AND coalesce(run_after, updated_at) < \(cutoff)
            ORDER BY created_at LIMIT \(limit)
            """,
            logger: logger
        ))
    }

    private func fenced(_ query: PostgresQuery) async throws -> Bool {
        for try await _ in try await postgres.query(query, logger: logger).decode(UUID.self) { return true }
        return false
    }

    static func json(_ progress: JobProgress) -> String {
        String(decoding: (try? JSONEncoder().encode(progress)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [JobRecord] {
        var records: [JobRecord] = []
        let decoder = JSONDecoder()
        for try await row in rows {
            let (id, kind, connectionID, ownerID, state, attempts, maxAttempts, progress, cancel) =
                try row.decode((UUID, String, UUID, UUID, String, Int, Int, String, Bool).self, context: .default)
            let columns = row.makeRandomAccess()
            let createdAt = try columns[9].decode(Date.self, context: .default)
            let startedAt = try columns[10].decode(Date?.self, context: .default)
            let finishedAt = try columns[11].decode(Date?.self, context: .default)
            let lastError = try columns[12].decode(String?.self, context: .default)
            let result = try columns[13].decode(String?.self, context: .default)
            records.append(JobRecord(
                id: id, kind: kind, connectionID: connectionID, ownerID: ownerID,
                state: JobState(rawValue: state) ?? .failed, attempts: attempts, maxAttempts: maxAttempts,
                progress: (try? decoder.decode(JobProgress.self, from: Data(progress.utf8))) ?? .none,
                cancelRequested: cancel, createdAt: createdAt, startedAt: startedAt, finishedAt: finishedAt,
                lastError: lastError, result: try result.map { try JSONValue(parsing: $0) }
            ))
        }
        return records
    }
}
