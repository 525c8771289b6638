@testable import DataSources
import Foundation
@testable import SchemaModel
import Testing

@Suite struct MongoPipelineGuardTests {
    @Test func mongoPipelinesAreCheckedStageByStage() throws {
        let guardrail = MongoPipelineGuard(database: "shop", options: SamplingOptions(excludedTables: ["secrets"], excludedColumns: ["orders.card"]))
        let checked = try guardrail.check(#"{"collection": "orders", "pipeline": [{"$match": {"status": "shipped"}}, {"$group": {"_id": "$city", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]}"#)
        // Behind the $unset of the excluded field.
        #expect(checked.collection == "orders" && checked.pipeline.count == 4)
        #expect(checked.pipeline[0] == .object(["$unset": .array([.string("card")])]))
        let refused: [(String, String)] = [
            (#"{"collection": "orders", "pipeline": [{"$out": "copy"}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$merge": {"into": "copy"}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$match": {"$where": "sleep(100)"}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$group": {"_id": null, "x": {"$accumulator": {}}}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$addFields": {"x": {"$function": {"body": "f", "args": [], "lang": "js"}}}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$facet": {"a": [{"$out": "x"}]}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "secrets", "pipeline": [], "as": "s"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$unionWith": {"coll": "x", "pipeline": [{"$merge": "y"}]}}]}"#, "stage_not_allowed"),
            (#"{"collection": "system.users", "pipeline": []}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$project": {"card": 1}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$group": {"_id": "$card"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$collStats": {}}]}"#, "stage_not_allowed"),
            (#"{"pipeline": []}"#, "invalid_pipeline"),
            ("db.orders.find()", "invalid_pipeline"),
        ]
        for (query, code) in refused {
            let refusal = #expect(throws: QueryRefusal.self, "\(query)") { try guardrail.check(query) }
            #expect(refusal?.code == code, "\(query): \(refusal?.message ?? "")")
        }
    }
}

@Suite struct MongoExclusionRewriteTests {
    static let guardrail = MongoPipelineGuard(database: "shop", options: SamplingOptions(excludedColumns: [
        "orders.card", "shop.orders.customer.email", "customers.ssn", "notes",
    ]))

    @Test func everyPipelineStartsByUnsettingTheCollectionsExcludedPaths() throws {
        let empty = try Self.guardrail.check(#"{"collection": "orders", "pipeline": []}"#)
        // `customers.ssn` could also be a nested path of orders: hidden there too, which costs nothing.
        #expect(empty.pipeline == [.object(["$unset": .array([.string("card"), .string("customer.email"), .string("customers.ssn"), .string("notes")])])])
        let lookup = try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "localField": "c", "foreignField": "_id", "as": "who"}}]}"#)
        #expect(lookup.pipeline.count == 2)
        #expect(lookup.pipeline[1]["$lookup"]?["pipeline"] == .array([.object(["$unset": .array([.string("orders.card"), .string("ssn"), .string("notes")])])]))
        let union = try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$unionWith": "customers"}]}"#)
        #expect(union.pipeline[1]["$unionWith"]?["coll"] == .string("customers"))
        #expect(union.pipeline[1]["$unionWith"]?["pipeline"]?.array?.count == 1)
    }

    @Test func aPipelineWithNothingToHideRunsAsWritten() throws {
        let open = MongoPipelineGuard(database: "shop")
        let text = #"{"collection": "orders", "pipeline": [{"$unionWith": "customers"}]}"#
        #expect(try open.checkedText(text) == text)
        #expect(try Self.guardrail.checkedText(text) != text)
        // A kept query guarded again is the same query: the guard is a fixed point.
        let once = try Self.guardrail.checkedText(text)
        #expect(try Self.guardrail.checkedText(once) == once)
        let lookup = #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "pipeline": [], "as": "who"}}]}"#
        let guardedLookup = try Self.guardrail.checkedText(lookup)
        #expect(try Self.guardrail.checkedText(guardedLookup) == guardedLookup)
    }

    @Test func returnedRowsLoseExcludedFieldsAtEveryDepth() {
        let result = QueryResult(columns: ["_id", "card", "customer"], rows: [
            [.int(1), .string("4111"), .object(["email": .string("a@b.c"), "name": .string("Ann")])],
            [.int(2), .null, .array([.object(["email": .string("x@y.z"), "name": .string("Bo")])])],
        ], truncated: false)
        let filtered = Self.guardrail.filtered(result, collection: "orders")
        #expect(filtered.columns == ["_id", "customer"])
        #expect(filtered.rows == [
            [.int(1), .object(["name": .string("Ann")])],
            [.int(2), .array([.object(["name": .string("Bo")])])],
        ])
    }
}
