/// Turns texts into vectors; the indexer embeds documents with it and the query path embeds
/// questions, so both must use the same one.
package protocol Embedder: Sendable {
    /// Names the model; part of every document's content hash, so a model change re-embeds.
    var identifier: String { get }
    /// Floats per vector.
    var dimension: Int { get }
    /// Most tokens a text may have before the model silently ignores the rest.
    var maximumTokens: Int { get }
    /// One unit-length vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
    /// Tokens `text` becomes, to keep documents inside ``maximumTokens``.
    func tokenCount(_ text: String) -> Int
    /// Stops what the embedder runs in this process (threads); calls after it fail.
    func shutdown() async
}

extension Embedder {
    /// all-MiniLM-L6-v2's window; servers that know better can say so.
    package var maximumTokens: Int { 256 }

    /// An estimate for models whose tokenizer is not in this process: three bytes a token,
    /// which errs long (identifiers split into many word pieces), so documents stay inside.
    package func tokenCount(_ text: String) -> Int { (text.utf8.count + 2) / 3 }

    /// Embedders that only talk to a server have nothing of their own to stop.
    package func shutdown() async {}
}
