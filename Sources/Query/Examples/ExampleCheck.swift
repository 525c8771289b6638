import DataSources
import SchemaModel

/// Whether a stored query would still run on a connection: its dialect's guard under the
/// owner's current options against an index's snapshot, then the database's own plan (EXPLAIN
/// and the cost ceiling for PostgreSQL), reading no rows.
package struct ExampleCheck: Sendable {
    private let source: GuardedSource
    private let snapshot: SchemaSnapshot

    package init(source: GuardedSource, snapshot: SchemaSnapshot) {
        var source = source
        source.limits.planOnly = true
        self.source = source
        self.snapshot = snapshot
    }

    /// Why `query` would not run, or nil when it would. A database that cannot be reached
    /// throws: that says nothing about the query.
    package func problem(with query: String) async throws -> String? {
        do {
            _ = try await source.run(try source.guarded(query, snapshot: snapshot))
            return nil
        } catch let refusal as QueryRefusal {
            return refusal.message
        } catch let error as QueryExecutionError {
            return "\(source.dialect.serverName) refused it: \(error.message)"
        }
    }

    /// The problems of many queries, checked a few at a time, in their order.
    package func problems(with queries: [String], atOnce: Int = 4) async throws -> [String?] {
        try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var problems = [String?](repeating: nil, count: queries.count)
            var next = 0
            while next < min(atOnce, queries.count) {
                let index = next, query = queries[index]
                group.addTask { (index, try await self.problem(with: query)) }
                next += 1
            }
            while let (index, found) = try await group.next() {
                problems[index] = found
                if next < queries.count {
                    let following = next, query = queries[following]
                    group.addTask { (following, try await self.problem(with: query)) }
                    next += 1
                }
            }
            return problems
        }
    }
}
