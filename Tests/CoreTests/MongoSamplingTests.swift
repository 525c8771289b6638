@testable import Core
import Foundation
import TestSupport
import Testing

@Suite struct MongoSamplingTests {
    /// Orders with nested customers, arrays of line items, dates and a status of few values.
    static func loadShop(into client: MongoClient, database: String) async throws {
        var orders: [JSONValue] = []
        for index in 0..<60 {
            var order: [String: JSONValue] = [
                "_id": .int(Int64(index)),
                "status": .string(["placed", "shipped", "delivered"][index % 3]),
                "total": .double(Double(index) * 1.5 + 0.25),
                "created": .object(["$date": .object(["$numberLong": .string(String(1_700_000_000_000 + Int64(index) * 86_400_000))])]),
                "customer": .object([
                    "name": .string("Customer \(index)"),
                    "address": .object(["city": .string(["Oslo", "Lima", "Pune"][index % 3]), "zip": .string("\(10000 + index)")]),
                ]),
                "items": .array((0..<(1 + index % 3)).map { item in
                    .object(["sku": .string("SKU-\(item)"), "qty": .int(Int64(item + 1))])
                }),
                "tags": .array([.string("a"), .string("b")]),
                "password": .string("hunter\(index)"),
            ]
            if index % 4 == 0 { order["coupon"] = .string("SAVE10") }
            orders.append(.object(order))
        }
        _ = try await client.run("insert", .string("orders"), ["documents": .array(orders)], database: database)
        _ = try await client.run("insert", .string("customers"), ["documents": .array([.object(["_id": .int(1), "name": .string("x")])])], database: database)
    }

    @Test func fieldPathsTypesAndValuesAreInferred() async throws {
        let database = "shop_\(UUID().uuidString.prefix(8).lowercased())"
        let client = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        try await Self.loadShop(into: client, database: database)
        let url = try MongoURL(try TestServers.mongoURL + database)
        let connector = MongoSourceConnector(url: url, connectURI: try TestServers.mongoURL + database)
        let snapshot = try await connector.sampleSchema(options: SamplingOptions(excludedColumns: ["orders.tags"])) { _, _, _ in }
        _ = try? await client.run("dropDatabase", .int(1), database: database)
        await client.shutdown()

        #expect(snapshot.source == "mongodb")
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
}
