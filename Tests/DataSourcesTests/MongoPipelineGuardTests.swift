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
    static let guardrail = MongoPipelineGuard(database: "shop", options: SamplingOptions(excludedTables: ["vault"], excludedColumns: [
        "orders.card", "shop.orders.customer.email", "customers.ssn", "notes",
    ]))

    @Test func everyPipelineStartsByHidingTheCollectionsExcludedPaths() throws {
        let empty = try Self.guardrail.check(#"{"collection": "orders", "pipeline": []}"#)
        // `customers.ssn` could also be a nested path of orders: hidden there too, which costs nothing.
        #expect(empty.pipeline.first == .object(["$unset": .array([.string("card"), .string("customer.email"), .string("customers.ssn"), .string("notes")])]))
        // Then the fields with excluded paths inside are rebuilt without them, arrays included
        // (SecantusDB's $unset does not look into arrays).
        #expect(empty.pipeline.count == 2 && empty.pipeline[1]["$set"]?.objectValue?.keys.sorted() == ["customer", "customers"])
        #expect(empty.pipeline == Self.guardrail.hidingStages(of: "orders"))
        let lookup = try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "localField": "c", "foreignField": "_id", "as": "who"}}]}"#)
        #expect(lookup.pipeline.count == 3)
        #expect(lookup.pipeline[2]["$lookup"]?["pipeline"] == .array(Self.guardrail.hidingStages(of: "customers")))
        #expect(Self.guardrail.hidingStages(of: "customers").first == .object(["$unset": .array([.string("orders.card"), .string("ssn"), .string("notes")])]))
        let union = try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$unionWith": "customers"}]}"#)
        #expect(union.pipeline[2]["$unionWith"]?["coll"] == .string("customers"))
        #expect(union.pipeline[2]["$unionWith"]?["pipeline"] == .array(Self.guardrail.hidingStages(of: "customers")))
        // What a $graphLookup finds is rebuilt without the excluded paths, right after it.
        let graph = try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$graphLookup": {"from": "customers", "startWith": "$c", "connectFromField": "_id", "connectToField": "_id", "as": "g"}}]}"#)
        #expect(graph.pipeline.count == 4 && graph.pipeline[3]["$set"]?.objectValue?.keys.sorted() == ["g"])
        // A collection with nothing excluded (but for the bare `notes`) starts with its $unset alone.
        #expect(Self.guardrail.hidingStages(of: "items").first == .object(["$unset": .array([.string("orders.card"), .string("customers.ssn"), .string("notes")])]))
    }

    @Test func aPipelineWithNothingToHideRunsAsWritten() throws {
        let open = MongoPipelineGuard(database: "shop")
        let text = #"{"collection": "orders", "pipeline": [{"$unionWith": "customers"}]}"#
        #expect(try open.checkedText(text) == text)
        #expect(try Self.guardrail.checkedText(text) != text)
        // A kept query guarded again is the same query: the guard is a fixed point.
        for query in [text, #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "pipeline": [], "as": "who"}}]}"#,
                      #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "localField": "a", "foreignField": "b", "as": "who"}}]}"#,
                      #"{"collection": "orders", "pipeline": [{"$facet": {"a": [{"$unionWith": {"coll": "customers", "pipeline": [{"$lookup": {"from": "orders", "pipeline": [], "as": "o"}}]}}]}}]}"#,
                      #"{"collection": "customers", "pipeline": [{"$graphLookup": {"from": "orders", "startWith": "$_id", "connectFromField": "_id", "connectToField": "c", "as": "g"}}]}"#] {
            let once = try Self.guardrail.checkedText(query)
            #expect(try Self.guardrail.checkedText(once) == once, "\(query)")
        }
    }

    /// Other collections only by a plain name of this database, each stage with only its own
    /// fields, no excluded field as a join key, nothing that grows without bound.
    @Test func lookupsReachOnlyPlainCollectionsOfThisDatabase() {
        let refused: [(String, String)] = [
            (#"{"collection": "orders", "pipeline": [{"$lookup": {"from": {"db": "other", "coll": "secrets"}, "pipeline": [], "as": "s"}}]}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "secrets", "db": "other", "pipeline": [], "as": "s"}}]}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [{"$unionWith": {"coll": "secrets", "db": "other"}}]}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [{"$unionWith": {"coll": {"db": "admin", "coll": "system.users"}}}]}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [{"$graphLookup": {"from": {"db": "local", "coll": "oplog.rs"}, "startWith": "$a", "connectFromField": "a", "connectToField": "b", "as": "g"}}]}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [{"$unionWith": "System.Users"}]}"#, "object_not_allowed"),
            (#"{"collection": "$cmd.sys.inprog", "pipeline": []}"#, "object_not_allowed"),
            (#"{"collection": "Vault", "pipeline": []}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$graphLookup": {"from": "vault", "startWith": "$a", "connectFromField": "a", "connectToField": "b", "as": "g"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "database": "other", "pipeline": []}"#, "invalid_pipeline"),
            (#"{"collection": "orders", "pipeline": [], "out": "copy"}"#, "invalid_pipeline"),
            (#"{"collection": "customers", "pipeline": [{"$lookup": {"from": "orders", "localField": "name", "foreignField": "card", "as": "o"}}]}"#, "object_not_allowed"),
            (#"{"collection": "customers", "pipeline": [{"$lookup": {"from": "orders", "localField": "name", "foreignField": "customer", "as": "o"}}]}"#, "object_not_allowed"),
            (#"{"collection": "customers", "pipeline": [{"$graphLookup": {"from": "orders", "startWith": "$_id", "connectFromField": "card.number", "connectToField": "c", "as": "g"}}]}"#, "object_not_allowed"),
            (#"{"collection": "customers", "pipeline": [{"$graphLookup": {"from": "orders", "startWith": "$_id", "connectFromField": "_id", "connectToField": "c", "as": "g", "restrictSearchWithMatch": {"$or": [{"customer.email": {"$regex": "^a"}}]}}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$project": {"x": {"$reduce": {"input": {"$range": [0, 30]}, "initialValue": "x", "in": {"$concat": ["$$value", "$$value"]}}}}}]}"#, "stage_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$project": {"x": "$$ROOT.card"}}]}"#, "object_not_allowed"),
            (#"{"collection": "orders", "pipeline": [{"$lookup": {"from": "customers", "pipeline": {"$match": {}}, "as": "c"}}]}"#, "invalid_pipeline"),
        ]
        for (query, code) in refused {
            let refusal = #expect(throws: QueryRefusal.self, "\(query)") { try Self.guardrail.check(query) }
            #expect(refusal?.code == code, "\(query): \(refusal?.message ?? "")")
        }
        #expect(throws: Never.self) {
            try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$project": {"x": {"$reduce": {"input": [1, 2], "initialValue": 0, "in": {"$add": ["$$value", "$$this"]}}}}}]}"#)
        }
        // A $densify says how many documents it may add, at most 100,000.
        for (densify, code) in [(#"{"field": "t", "range": {"step": 0.000001, "bounds": "full"}}"#, "invalid_pipeline"),
                                (#"{"field": "t", "range": {"step": 0.001, "bounds": [0, 1000]}}"#, "too_costly"),
                                (#"{"field": "d", "range": {"step": 1, "unit": "second", "bounds": [{"$date": "2024-01-01T00:00:00Z"}, {"$date": "2025-01-01T00:00:00Z"}]}}"#, "too_costly")] {
            let refusal = #expect(throws: QueryRefusal.self) { try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$densify": \#(densify)}]}"#) }
            #expect(refusal?.code == code, "\(densify): \(refusal?.message ?? "")")
        }
        for densify in [#"{"field": "t", "range": {"step": 1, "bounds": [0, 1000]}}"#,
                        #"{"field": "d", "range": {"step": 1, "unit": "day", "bounds": [{"$date": "2024-01-01T00:00:00Z"}, {"$date": {"$numberLong": "1735689600000"}}]}}"#] {
            #expect(throws: Never.self, "\(densify)") { try Self.guardrail.check(#"{"collection": "orders", "pipeline": [{"$densify": \#(densify)}]}"#) }
        }
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

@Suite struct MongoFanOutTests {
    static let sizes: [String: Double] = ["orders": 60, "customers": 20]

    func documents(_ text: String) throws -> Double {
        let query = try MongoQuery(parsing: text)
        return MongoFanOut.documents(query.pipeline, input: Self.sizes[query.collection] ?? 0, count: { Self.sizes[$0] ?? 0 })
    }

    @Test func uncorrelatedLookupsMultiplyAndCorrelatedOnesDoNot() throws {
        let cartesian = #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "orders", "pipeline": [], "as": "a"}}, {"$unwind": "$a"}, {"$lookup": {"from": "orders", "pipeline": [], "as": "b"}}, {"$unwind": "$b"}, {"$lookup": {"from": "orders", "pipeline": [], "as": "c"}}]}"#
        #expect(try documents(cartesian) == 60 * 60 * 60 * 60)
        #expect(try documents(cartesian) > MongoSourceConnector.maxDocuments)
        let nested = #"{"collection": "orders", "pipeline": [{"$lookup": {"from": "orders", "pipeline": [{"$lookup": {"from": "customers", "pipeline": [], "as": "b"}}], "as": "a"}}]}"#
        #expect(try documents(nested) == 60 * 60 * 20)
        let correlated = #"{"collection": "customers", "pipeline": [{"$lookup": {"from": "orders", "localField": "_id", "foreignField": "c", "as": "o"}}, {"$lookup": {"from": "orders", "localField": "_id", "foreignField": "c", "as": "p"}}]}"#
        #expect(try documents(correlated) == 20)
        #expect(!MongoFanOut.multiplies(try MongoQuery(parsing: correlated).pipeline))
        #expect(MongoFanOut.multiplies(try MongoQuery(parsing: nested).pipeline))
        let limited = #"{"collection": "orders", "pipeline": [{"$limit": 2}, {"$lookup": {"from": "orders", "pipeline": [{"$limit": 3}], "as": "a"}}, {"$unionWith": "customers"}]}"#
        #expect(try documents(limited) == 2 * 3 + 20)
        let graph = #"{"collection": "customers", "pipeline": [{"$facet": {"a": [{"$graphLookup": {"from": "orders", "startWith": "$_id", "connectFromField": "_id", "connectToField": "c", "as": "g"}}], "b": []}}]}"#
        #expect(try documents(graph) == 20 * 60 + 20)
        #expect(MongoFanOut.collections(in: try MongoQuery(parsing: limited).pipeline) == ["orders", "customers"])
    }
}
