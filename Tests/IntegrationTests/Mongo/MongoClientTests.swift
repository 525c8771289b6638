import Foundation
@testable import Mongo
@testable import Support
import TestSupport
import Testing

/// The libmongoc wrapper against the SecantusDB test server.
@Suite struct MongoClientTests {
    @Test func insertListFindAggregateAndCountAcrossBatches() async throws {
        let client = try MongoClient(uri: try TestServers.mongoURL, timeout: .seconds(5))
        let database = "t\(UUID().uuidString.prefix(8).lowercased())"
        let documents: [JSONValue] = try (0..<250).map { (index: Int) throws -> JSONValue in
            let tier = index % 3 == 0 ? "gold" : "basic"
            let city = index % 2 == 0 ? "Lyon" : "Oslo"
            return try JSONValue(parsing: """
                {"_id": \(index), "name": "customer \(index)", "tier": "\(tier)",
                 "big": {"$numberLong": "9007199254740993"}, "address": {"city": "\(city)"},
                 "orders": [{"total": \(Double(index) + 0.5)}]}
                """)
        }
        _ = try await client.run("insert", .string("customers"), ["documents": .array(documents)], database: database)
        _ = try await client.run("insert", .string("orders"), ["documents": .array([.object(["_id": .int(1)])])], database: database)

        let collections = try await client.listCollections(database: database).compactMap { $0["name"]?.string }
        #expect(Set(collections) == ["customers", "orders"])

        let all = try await client.find(database: database, collection: "customers", limit: 1000)
        #expect(all.count == 250, "getMore must fetch every batch")
        #expect(all.first?["big"]?.int == 9_007_199_254_740_993, "Int64 must stay exact")
        #expect(all.first?["address"]?["city"]?.string == "Lyon")

        let limited = try await client.find(database: database, collection: "customers", filter: .object(["tier": .string("gold")]), limit: 10)
        #expect(limited.count == 10)

        let grouped = try await client.aggregate(
            database: database, collection: "customers",
            pipeline: [
                .object(["$group": .object(["_id": .string("$address.city"), "n": .object(["$sum": .int(1)])])]),
                .object(["$sort": .object(["_id": .int(1)])]),
            ],
            limit: 100, maxTime: .seconds(5)
        )
        #expect(grouped.map { $0["_id"]?.string ?? "" } == ["Lyon", "Oslo"])
        #expect(grouped.map { $0["n"]?.int ?? 0 } == [125, 125])

        let capped = try await client.aggregate(database: database, collection: "customers", pipeline: [], limit: 120, maxTime: .seconds(5))
        #expect(capped.count == 120)
        #expect(try await client.estimatedCount(database: database, collection: "customers") == 250)

        do {
            _ = try await client.run("noSuchCommand", .int(1), database: database)
            Issue.record("an unknown command succeeded")
        } catch let error as MongoError {
            #expect(!error.message.isEmpty)
        }
        _ = try await client.run("dropDatabase", .int(1), database: database)
        await client.shutdown()
    }

    @Test func jsonValuesKeepTheirTypes() throws {
        let value = try JSONValue(parsing: #"{"a": 1, "b": 1.5, "c": true, "d": null, "e": [1, "x"], "f": 9007199254740993}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(1.5))
        #expect(value["c"] == .bool(true))
        #expect(value["d"] == .null)
        #expect(value["e"] == .array([.int(1), .string("x")]))
        #expect(value["f"]?.int == 9_007_199_254_740_993)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }
}

/// A server behind a private CA: trusted with the connection's CA certificate only, which the
/// driver reads from a private file that goes with the client.
@Suite struct MongoTLSTests {
    @Test func aPrivateCAIsTrustedOnlyWhenGiven() async throws {
        let server = try SecantusServerProcess()
        try await server.start(auth: false, tls: try TestServers.tlsServerFiles)
        defer { Task { try? await server.stop() } }
        let uri = "mongodb://127.0.0.1:\(server.port)/?tls=true&directConnection=true"
        let untrusted = try MongoClient(uri: uri, timeout: .seconds(3))
        await #expect(throws: MongoError.self) { try await untrusted.command(#"{"ping": 1}"#, database: "admin") }
        await untrusted.shutdown()

        let folders = { try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("askdb-mongo-ca.") } }
        let before = try folders()
        // The CA asks for TLS by itself, and the host named must be in the certificate.
        let trusted = try MongoClient(uri: "mongodb://127.0.0.1:\(server.port)/?directConnection=true", timeout: .seconds(5),
                                      caCertificate: try TestServers.tlsCACertificate)
        let made = try Set(folders()).subtracting(before)
        #expect(made.count == 1)
        for folder in made {
            let attributes = try FileManager.default.attributesOfItem(atPath: NSTemporaryDirectory() + "/" + folder)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
        }
        #expect(try await trusted.command(#"{"ping": 1}"#, database: "admin").contains("ok"))
        await trusted.shutdown()
        #expect(try Set(folders()).isDisjoint(with: made))
        try await server.stop()
    }
}
