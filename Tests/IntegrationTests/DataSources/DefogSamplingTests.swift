import Foundation
import DataSources
@testable import SchemaModel
import TestSupport
import Testing

/// The eleven defog databases: every table and column their metadata files list is extracted.
@Suite(.serialized) struct DefogSamplingTests {
    struct Metadata: Decodable {
        struct Column: Decodable {
            var column_name: String
            var data_type: String
        }
        var table_metadata: [String: [Column]]
    }

    static let datasets = ["academic", "advising", "atis", "broker", "car_dealership", "derm_treatment", "ewallet",
                           "geography", "restaurants", "scholar", "yelp"]

    static var folder: URL { TestServers.packageRoot.appendingPathComponent("datasets/defog") }

    @Test(arguments: datasets)
    func everyListedTableAndColumnIsExtracted(_ dataset: String) async throws {
        let metadata = try JSONDecoder().decode(Metadata.self, from: Data(contentsOf: Self.folder.appendingPathComponent("\(dataset).json")))
        try await TestDatabase.with { database, _ in
            try await SQLDataset.load(Self.folder.appendingPathComponent("\(dataset).sql"), into: database.url)
            let snapshot = try await PostgresSamplingTests.connector(database).sampleSchema(options: SamplingOptions(), maxObjects: ObjectCap.defaultLimit) { _, _, _ in }
            // Unquoted identifiers fold to lower case; a name without a schema is in public.
            func qualified(_ table: String) -> String { table.contains(".") ? table.lowercased() : "public.\(table.lowercased())" }
            #expect(Set(snapshot.objects.map(\.qualifiedName)) == Set(metadata.table_metadata.keys.map(qualified)))
            for (table, columns) in metadata.table_metadata {
                let object = try #require(snapshot.object(qualified(table)), "\(table)")
                // The metadata files list columns in their own order and sometimes leave one out.
                #expect(Set(columns.map { $0.column_name.lowercased() }).isSubset(of: Set(object.columns.map(\.name))), "\(table)")
            }
            if dataset == "broker" {
                let statuses = try #require(snapshot.object("public.sbcustomer")?.column("sbcuststatus")?.profile?.values)
                #expect(Set(statuses).isSubset(of: ["active", "inactive", "suspended", "closed"]) && !statuses.isEmpty)
                #expect(snapshot.object("public.sbcustomer")?.primaryKey == ["sbcustid"])
            }
        }
    }
}
