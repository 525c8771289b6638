@testable import DataSources
import Foundation
@testable import SchemaModel
import Testing

@Suite struct MongoPipelineGuardTests {
    @Test func mongoPipelinesAreCheckedStageByStage() throws {
        let guardrail = MongoPipelineGuard(database: "shop", options: SamplingOptions(excludedTables: ["secrets"], excludedColumns: ["orders.card"]))
        let checked = try guardrail.check(#"{"collection": "orders", "pipeline": [{"$match": {"status": "shipped"}}, {"$group": {"_id": "$city", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]}"#)
        #expect(checked.collection == "orders" && checked.pipeline.count == 3)
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
