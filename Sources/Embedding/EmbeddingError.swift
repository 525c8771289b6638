/// The embedding model could not be loaded or run; the message names the file or setting.
package struct EmbeddingError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
