@testable import DataSources
import Foundation
@testable import Mongo
@testable import SchemaModel
import TestSupport
import Testing

@Suite struct MongoGrammarTests {
    @Test func everyPipelineTheGrammarAdmitsPassesTheGuardAndRuns() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let client = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await MongoShop.load(into: client, database: database)
        let pool = MongoClientPool()
        let connector = MongoSourceConnector(url: try MongoURL(try TestServers.mongoURL + database), connectURI: try TestServers.mongoURL + database,
                                             connectionID: UUID(), clients: pool)
        do {
            let snapshot = try await connector.sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            let grammar = try #require(MongoGrammar().build(objects: snapshot.objects))
            #expect(grammar.gbnf.contains(#""\"items.sku\"""#))
            let guardrail = MongoPipelineGuard(database: database, options: SamplingOptions())
            var sampler = GrammarSampler(grammar, seed: 11)
            for _ in 0..<60 {
                let query = sampler.sample()
                #expect(throws: Never.self, "\(query)") { try guardrail.check(query) }
                #expect((try? JSONSerialization.jsonObject(with: Data(query.utf8))) != nil, "\(query)")
                do {
                    _ = try await connector.run(.trusted(query, kind: .mongodb), limits: QueryLimits())
                } catch {
                    Issue.record("\(query): \(error)")
                }
            }
            // Sampling and 60 queries shared one client.
            #expect(pool.openClients == 1)
        } catch {
            Issue.record(error)
        }
        _ = try? await client.run("dropDatabase", .int(1), database: database)
        await client.shutdown()
        await pool.close()
    }
}
