import Logging

extension LoggingConfig {
    /// Installs the process-wide log handler; call once, first thing in `main`.
    package func bootstrap() {
        let level = self.level
        switch format {
        // Every line inside a request or a job names it (``LogContext``).
        case .json:
            LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, level: level, metadataProvider: provider) },
                                    metadataProvider: LogContext.metadataProvider)
        case .text:
            LoggingSystem.bootstrap({ label, provider in
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return RedactingLogHandler(handler)
            }, metadataProvider: LogContext.metadataProvider)
        }
    }
}
