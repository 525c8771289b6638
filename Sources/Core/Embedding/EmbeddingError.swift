/// The embedding model could not be loaded or run; the message names the file or setting.
public struct EmbeddingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
