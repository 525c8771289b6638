import Logging

/// Wraps a log handler so what it writes has passed through ``LogRedaction``: the message and
/// every metadata string, the handler's own metadata included (and ``LogIDs``: ids in lower case).
package struct RedactingLogHandler<Inner: LogHandler>: LogHandler {
    private var inner: Inner

    package init(_ inner: Inner) {
        var inner = inner
        inner.metadata = Self.redacted(inner.metadata)
        self.inner = inner
    }

    /// Redacted when set, so a line costs the redaction of its own message and metadata only.
    package var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = Self.redacted(newValue) }
    }

    package var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue.map(Self.redacted) }
    }

    package func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: LogIDs.lowercased(LogRedaction.redact(event.message.description)))
        event.metadata = event.metadata.map(Self.redacted)
        inner.log(event: event)
    }

    static func redacted(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(redacted)
    }

    static func redacted(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(LogIDs.lowercased(LogRedaction.redact(text)))
        case .stringConvertible(let convertible): .string(LogIDs.lowercased(LogRedaction.redact(convertible.description)))
        case .array(let values): .array(values.map(redacted))
        case .dictionary(let values): .dictionary(redacted(values))
        }
    }
}
