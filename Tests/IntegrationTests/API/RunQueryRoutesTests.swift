@testable import API
import Foundation
import HummingbirdTesting
import PostgresNIO
@testable import SchemaModel
import TestSupport
import Testing

/// `POST /api/connections/{id}/run`: a query the caller wrote, through the same guard, limits
/// and audit as a question's.
@Suite(.serialized) struct RunQueryRoutesTests {
    static let canary = "canary-5e1f@example.com"

    @Test func aWrittenQueryRunsGuardedCappedAndAudited() async throws {
        try await QueryRoutesTests.withChinookAndModel(replies: []) { source, _, _ in
            try await SQLDataset.run(script: "UPDATE customer SET email = '\(Self.canary)' WHERE customer_id = 1;", in: source.url)
            try await APITestHarness.withFreshApplication { client, services in
                let url = try ConnectionRoutesTests().sourceURL(source.name)
                let (token, id) = try await QueryRoutesTests.connect(kind: "postgres", url: url, options: ["excluded_columns": ["customer.email"]],
                                                                     client: client, services: services, index: false)
                func run(_ query: String, as caller: String? = nil) async throws -> APIAnswer {
                    try await client.call(.post, "/api/connections/\(id)/run", token: caller ?? token, body: ["query": query])
                }
                // Before its first index the guard has no schema to check against.
                let early = try await run("SELECT 1")
                #expect(early.status == .conflict && early.errorCode == "not_indexed", "\(early.object)")
                try await QueryRoutesTests.reindex(id, kind: "postgres", url: url, services: services,
                                                   options: SamplingOptions(excludedColumns: ["customer.email"]))

                let genres = try await run("SELECT name FROM genre ORDER BY genre_id LIMIT 2")
                #expect(genres.status == .ok, "\(genres.object)")
                #expect(genres["rows"] as? [[String]] == [["Rock"], ["Jazz"]] && genres["columns"] as? [String] == ["name"])
                #expect(genres["row_count"] as? Int == 2 && genres["truncated"] as? Bool == false)
                #expect((genres["timings"] as? [String: Any])?["total"] as? Double != nil)

                let capped = try await run("SELECT track_id FROM track")
                #expect(capped["row_count"] as? Int == 1000 && capped["truncated"] as? Bool == true)

                // Whatever reads the customer table reads a projection without its email.
                for query in ["SELECT * FROM customer WHERE customer_id = 1", "SELECT to_jsonb(c) FROM customer c WHERE customer_id = 1",
                              "SELECT c::text FROM customer AS c WHERE customer_id = 1", "TABLE customer",
                              "SELECT * FROM invoice NATURAL JOIN customer LIMIT 5", "SELECT customer FROM customer LIMIT 3",
                              "WITH customer AS (SELECT * FROM customer) SELECT * FROM customer"] {
                    let read = try await run(query)
                    #expect(read.status == .ok, "\(query): \(read.object)")
                    #expect((read["row_count"] as? Int ?? 0) > 0, "\(query)")
                    #expect(!"\(read.object)".contains(Self.canary), "\(query)")
                }
                for (query, code) in [("SELECT email FROM customer", "object_not_allowed"),
                                      ("SELECT c.email FROM invoice i JOIN customer c USING (customer_id)", "object_not_allowed"),
                                      ("DROP TABLE genre", "not_read_only"), ("SELECT 1; DELETE FROM genre", "not_one_statement"),
                                      ("SELECT name FROM pg_roles", "object_not_allowed")] {
                    let refused = try await run(query)
                    #expect(refused.status == .unprocessableContent && refused.errorCode == code, "\(query): \(refused.object)")
                    #expect(!"\(refused.object)".contains(Self.canary))
                }
                let failed = try await run("SELECT nme FROM genre")
                #expect(failed.status == .unprocessableContent && failed.errorCode == "query_failed", "\(failed.object)")
                #expect(failed.errorMessage?.contains("nme") == true)
                #expect(try await run("  ").errorCode == "invalid_query")
                #expect(try await client.call(.post, "/api/connections/\(id)/run", token: token, body: ["sql": "SELECT 1"]).status == .badRequest)

                // Owner-only: another user's connection does not exist for them.
                let stranger = try await client.signUp("stranger@example.com")
                #expect(try await run("SELECT 1", as: stranger).status == .notFound)

                // Nothing was changed, and every query that ran is in the audit log.
                let count = try await services.postgres.query("SELECT count(*)::int8 FROM query_audit", logger: TestServers.logger)
                for try await n in count.decode(Int.self) { #expect(n == 10) }
                #expect(try await run("SELECT count(*) AS n FROM genre")["rows"] as? [[Int]] == [[25]])
            }
        }
    }

    /// After the owner excludes a column, a question asked before is not answered from what was
    /// kept for it (the options are part of the caches' keys): the model writes a new query.
    @Test func aCachedQueryIsGuardedUnderTheCurrentOptions() async throws {
        let replies = ["```sql\nSELECT email FROM customer WHERE customer_id = 1\n```", "first",
                       "```sql\nSELECT count(*) AS n FROM customer\n```", "second"]
        try await QueryRoutesTests.withChinookAndModel(replies: replies) { source, chat, modelURL in
            try await SQLDataset.run(script: "UPDATE customer SET email = '\(Self.canary)' WHERE customer_id = 1;", in: source.url)
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_LLM_URL": modelURL, "ASKDB_ANSWER_CACHE_TTL": "0"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                let question: [String: any Sendable] = ["connection_id": id, "question": "What is the first customer's email?"]
                let first = try await client.call(.post, "/api/query", token: token, body: question)
                #expect(first["rows"] as? [[String]] == [[Self.canary]], "\(first.object)")
                let changed = try await client.call(.patch, "/api/connections/\(id)", token: token,
                                                    body: ["options": ["excluded_columns": ["customer.email"]]])
                #expect(changed.status == .ok, "\(changed.object)")
                let second = try await client.call(.post, "/api/query", token: token, body: question)
                #expect(second.status == .ok, "\(second.object)")
                #expect(second["attempts"] as? Int == 1 && second["rows"] as? [[Int]] == [[59]])
                #expect(!"\(second.object)".contains(Self.canary))
                #expect(await chat.requestCount == 4)
                // The change applies to the prompt at once, before any re-index: the column and
                // its values are gone from the schema the model is shown.
                func customerTable(inRequest index: Int) async -> String {
                    let prompt = await chat.messages(of: index).map(\.1).joined()
                    guard let start = prompt.range(of: "TABLE public.customer ("),
                          let end = prompt.range(of: "\n)", range: start.upperBound..<prompt.endIndex) else { return "" }
                    return String(prompt[start.lowerBound..<end.lowerBound])
                }
                let before = await customerTable(inRequest: 0), after = await customerTable(inRequest: 2)
                #expect(before.contains("email") && after.contains("first_name") && !after.contains("email"), "\(after)")
                #expect(!(await chat.messages(of: 2).map(\.1).joined().contains(Self.canary)))
            }
        }
    }

    /// A plan over the cost ceiling is refused before it runs, saying about how many rows it
    /// would make; a plainly expensive but bounded one runs.
    @Test func aQueryOverTheCostCeilingIsRefusedBeforeItRuns() async throws {
        try await QueryRoutesTests.withChinookAndModel(replies: []) { source, _, _ in
            try await APITestHarness.withFreshApplication { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                func run(_ query: String) async throws -> APIAnswer {
                    try await client.call(.post, "/api/connections/\(id)/run", token: token, body: ["query": query])
                }
                let cross = try await run("SELECT count(*) FROM invoice_line, track, playlist_track")
                #expect(cross.status == .unprocessableContent && cross.errorCode == "too_costly", "\(cross.object)")
                #expect(cross.errorMessage?.contains("rows") == true)
                let bounded = try await run("SELECT count(*) AS n FROM track t JOIN playlist_track p USING (track_id)")
                #expect(bounded.status == .ok && bounded["rows"] as? [[Int]] == [[8715]], "\(bounded.object)")
            }
        }
    }

    /// A value over the cell limit, and rows past the result limit, are cut where the database
    /// is: what comes back stays inside both, and says which cap cut it.
    @Test func oversizedValuesAndResultsAreCutBeforeTheyAreSent() async throws {
        try await QueryRoutesTests.withChinookAndModel(replies: []) { source, _, _ in
            try await APITestHarness.withFreshApplication(settings: ["ASKDB_MAX_CELL_BYTES": "1024", "ASKDB_MAX_RESULT_BYTES": "5000"]) { client, services in
                let (token, id) = try await QueryRoutesTests.connect(source, client: client, services: services, index: true)
                func run(_ query: String) async throws -> APIAnswer {
                    try await client.call(.post, "/api/connections/\(id)/run", token: token, body: ["query": query])
                }
                let big = try await run("SELECT repeat('x', 10000) || repeat('y', 10000) AS big, 7 AS small")
                #expect(big.status == .ok, "\(big.object)")
                let cell = try #require((big["rows"] as? [[Any]])?.first)
                #expect((cell[0] as? String)?.count == 257 && (cell[0] as? String)?.hasSuffix("…") == true)
                #expect(cell[1] as? Int == 7 && big["truncated"] as? Bool == false)

                let names = try await run("SELECT name FROM track ORDER BY track_id")
                #expect(names["truncated"] as? Bool == true && names["truncated_by"] as? String == "bytes", "\(names.object)")
                let rows = try #require(names["rows"] as? [[Any]])
                // Each row's JSON, as the database measures it.
                let bytes = try rows.reduce(0) { $0 + (try JSONSerialization.data(withJSONObject: $1, options: .withoutEscapingSlashes)).count }
                #expect(!rows.isEmpty && rows.count < 1000 && bytes <= 5000, "\(rows.count) rows, \(bytes) bytes")
                #expect((rows.first?.first as? String) == "For Those About To Rock (We Salute You)")

                let ids = try await run("SELECT track_id FROM track")
                #expect(ids["truncated_by"] as? String == "rows" && ids["row_count"] as? Int == 1000)
            }
        }
    }
}
