import Support

/// A MongoDB query as AskDB writes it, `{"collection": …, "pipeline": [...]}`: an aggregate on
/// one collection.
package struct MongoQuery: Sendable, Equatable {
    package var collection: String
    package var pipeline: [JSONValue]

    package init(collection: String, pipeline: [JSONValue]) {
        self.collection = collection
        self.pipeline = pipeline
    }

    /// Reads the query's shape, without judging its stages (``MongoPipelineGuard`` does that).
    package init(parsing text: String) throws(QueryRefusal) {
        guard let query = try? JSONValue(parsing: text), case .object(let object) = query else {
            throw QueryRefusal("invalid_pipeline", "write the query as JSON: {\"collection\": \"…\", \"pipeline\": [...]}")
        }
        guard let collection = object["collection"]?.string, !collection.isEmpty else {
            throw QueryRefusal("invalid_pipeline", "the query names no collection")
        }
        guard let pipeline = object["pipeline"]?.array else {
            throw QueryRefusal("invalid_pipeline", "the pipeline must be a JSON array of stages")
        }
        // Nothing else is passed on (a `database` or an `out` beside them would be ignored at
        // best), so nothing else may be there.
        if let other = object.keys.sorted().first(where: { $0 != "collection" && $0 != "pipeline" }) {
            throw QueryRefusal("invalid_pipeline", "the query has only `collection` and `pipeline`, not `\(other)`")
        }
        self.init(collection: collection, pipeline: pipeline)
    }

    /// The query as JSON text.
    package var jsonText: String {
        JSONValue.object(["collection": .string(collection), "pipeline": .array(pipeline)]).jsonText
    }
}
