/// Turns texts into vectors; the indexer embeds documents with it and the query path embeds
/// questions, so both must use the same one.
public protocol Embedder: Sendable {
    /// Names the model; part of every document's content hash, so a model change re-embeds.
    var identifier: String { get }
    /// Floats per vector.
    var dimension: Int { get }
    /// One unit-length vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
