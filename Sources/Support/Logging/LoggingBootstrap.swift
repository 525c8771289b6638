import Logging

extension LoggingConfig {
    /// Installs the process-wide log handler; call once, first thing in `main`.
    package func bootstrap() {
        let level = self.level
        switch format {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return RedactingLogHandler(handler)
            }
        }
    }
}
