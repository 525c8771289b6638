@testable import DataSources
import Foundation
@testable import Mongo
@testable import SchemaModel
@testable import Support
import TestSupport
import Testing

@Suite struct MongoSamplingTests {
    @Test func fieldPathsTypesAndValuesAreInferred() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let client = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await MongoShop.load(into: client, database: database)
        let url = try MongoURL(try TestServers.mongoURL + database)
        let pool = MongoClientPool()
        let connector = MongoSourceConnector(url: url, connectURI: try TestServers.mongoURL + database, connectionID: nil, clients: pool)
        let snapshot = try await connector.sampleSchema(options: SamplingOptions(excludedColumns: ["orders.tags"]), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
        _ = try? await client.run("dropDatabase", .int(1), database: database)
        await client.shutdown()
        await pool.close()

        #expect(snapshot.source == .mongodb)
        #expect(snapshot.objects.map(\.qualifiedName) == ["\(database).customers", "\(database).orders"])
        let orders = try #require(snapshot.object("\(database).orders"))
        #expect(orders.kind == .collection && orders.rowEstimate == 60 && orders.primaryKey == ["_id"])
        let types = Dictionary(uniqueKeysWithValues: orders.columns.map { ($0.name, $0.type) })
        #expect(types["status"] == "string")
        #expect(types["total"] == "double")
        #expect(types["created"] == "date")
        #expect(types["customer"] == "object")
        #expect(types["customer.address.city"] == "string")
        #expect(types["items"] == "array<object>")
        #expect(types["items[].sku"] == "string")
        #expect(types["items[].qty"] == "int")
        #expect(types["tags"] == nil)
        #expect(orders.column("coupon")?.frequency == 0.25)
        #expect(orders.column("status")?.profile?.values == ["delivered", "placed", "shipped"])
        #expect(orders.column("customer.address.city")?.profile?.values == ["Lima", "Oslo", "Pune"])
        #expect(orders.column("total")?.profile?.minimum == "0.25")
        #expect(orders.column("password")?.profile == nil)
        #expect(!orders.sampleRows.map { JSONValue.object($0).jsonText }.joined().contains("hunter"))
        #expect(orders.indexes.contains { $0.hasPrefix("_id_") })
    }

    /// Past `maxObjects`, the first collections by name are documented and a note says so.
    @Test func onlyTheFirstCollectionsByNameAreSampledPastTheCap() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let client = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await MongoShop.load(into: client, database: database)
        let pool = MongoClientPool()
        let connector = MongoSourceConnector(url: try MongoURL(try TestServers.mongoURL + database), connectURI: try TestServers.mongoURL + database,
                                             connectionID: nil, clients: pool)
        let snapshot = try await connector.sampleSchema(options: SamplingOptions(), maxObjects: 1) { _, _, _ in }
        _ = try? await client.run("dropDatabase", .int(1), database: database)
        await client.shutdown()
        await pool.close()
        #expect(snapshot.objects.map(\.qualifiedName) == ["\(database).customers"])
        #expect(snapshot.notes.contains { $0.hasPrefix("indexed the first 1 of 2 tables and collections, by schema and then name") })
    }
}
