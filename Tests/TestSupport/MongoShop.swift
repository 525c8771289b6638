import Mongo
import Support

/// A small shop in MongoDB: 60 orders (20 of each status) and one customer.
package enum MongoShop {
    /// Orders with nested customers, arrays of line items, dates and a status of few values.
    package static func load(into client: MongoClient, database: String) async throws {
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
}
