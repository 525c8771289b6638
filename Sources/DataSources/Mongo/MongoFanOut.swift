import Support

/// How many documents a pipeline may make at most, from the sizes of the collections it reads:
/// MongoDB has no plan cost to compare with a ceiling, and a `$lookup` without
/// `localField`/`foreignField` pairs every document with every document of the other collection,
/// so three of them on 60 documents already make 13 million pairs (and keep a server busy long
/// after the query's time limit, where it checks it only between stages).
///
/// The bound is rough on purpose and errs high: an uncorrelated `$lookup` (none of
/// `localField`/`foreignField`; a `let` is not looked into) and a `$graphLookup` multiply the
/// documents by the size of what they read, a correlated `$lookup` by what its own pipeline
/// makes of one document, `$unionWith` adds, `$limit` and `$sample` cap, every other stage
/// keeps the count.
package enum MongoFanOut {
    /// Whether `pipeline` has a stage that may multiply documents (then its collections are counted).
    package static func multiplies(_ pipeline: [JSONValue]) -> Bool {
        pipeline.contains { stage in
            guard let (name, body) = stage.objectValue?.first else { return false }
            switch name {
            case "$lookup": return body["localField"] == nil || multiplies(body["pipeline"]?.array ?? [])
            case "$graphLookup": return true
            case "$unionWith": return multiplies(body["pipeline"]?.array ?? [])
            case "$facet": return body.objectValue?.values.contains { multiplies($0.array ?? []) } ?? false
            default: return false
            }
        }
    }

    /// The collections `pipeline` reads besides its own, at any depth.
    package static func collections(in pipeline: [JSONValue]) -> Set<String> {
        var names: Set<String> = []
        for stage in pipeline {
            guard let (name, body) = stage.objectValue?.first else { continue }
            switch name {
            case "$lookup", "$graphLookup":
                if let from = body["from"]?.string { names.insert(from) }
                names.formUnion(collections(in: body["pipeline"]?.array ?? []))
            case "$unionWith":
                if let from = body.string ?? body["coll"]?.string { names.insert(from) }
                names.formUnion(collections(in: body["pipeline"]?.array ?? []))
            case "$facet":
                for branch in (body.objectValue ?? [:]).values { names.formUnion(collections(in: branch.array ?? [])) }
            default:
                break
            }
        }
        return names
    }

    /// At most how many documents come out of `pipeline` when `input` go in; `count` gives a
    /// collection's size.
    package static func documents(_ pipeline: [JSONValue], input: Double, count: (String) -> Double) -> Double {
        var documents = input
        for stage in pipeline {
            guard let (name, body) = stage.objectValue?.first else { continue }
            switch name {
            case "$lookup":
                let from = body["from"]?.string ?? ""
                let correlated = body["localField"] != nil && body["foreignField"] != nil
                let inner = self.documents(body["pipeline"]?.array ?? [], input: correlated ? 1 : count(from), count: count)
                documents *= max(1, inner)
            case "$graphLookup":
                documents *= max(1, count(body["from"]?.string ?? ""))
            case "$unionWith":
                let from = body.string ?? body["coll"]?.string ?? ""
                documents += self.documents(body["pipeline"]?.array ?? [], input: count(from), count: count)
            case "$facet":
                documents = (body.objectValue ?? [:]).values.reduce(0) { $0 + self.documents($1.array ?? [], input: documents, count: count) }
            case "$limit", "$sample":
                if let limit = (name == "$limit" ? body : body["size"])?.number { documents = min(documents, max(0, limit)) }
            default:
                break
            }
        }
        return documents
    }
}
